"""A folder's files lawgovkit does not read, and a sidecar's corrected places.

Used by :func:`lawgovkit.corpus.load_corpus`: every file of a folder that is not of a
readable type is listed in ``corpus.skipped`` with the reason (a .doc or .wps report raises
with ``errors="raise"``); a jurisdiction corrected by a sidecar table gets its province,
city, adcode and level from the division table again.
"""

from __future__ import annotations

import glob as globbing
import os
from collections.abc import Iterable
from pathlib import Path

from lawgovkit.errors import UnsupportedFormatError
from lawgovkit.places import resolve
from lawgovkit.readers import READABLE_SUFFIXES, UNREAD_DOCUMENT_SUFFIXES, read_document

__all__ = ["place_again", "skip_unread", "unread_files"]


def unread_files(source: str | os.PathLike | Iterable) -> list[Path]:
    """The files of a folder (or a glob's folders) that are not of a readable type: they
    are reported in ``corpus.skipped``, never silently left out."""
    if not isinstance(source, (str, os.PathLike)):
        return []
    text = os.fspath(source)
    folders = [Path(text)] if Path(text).is_dir() else []
    if not folders and globbing.has_magic(text):
        folders = [Path(p) for p in sorted(globbing.glob(text, recursive=True)) if Path(p).is_dir()]
    unread: list[Path] = []
    for folder in folders:
        for root, dirs, files in os.walk(folder, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith(".") and not name.lower().endswith(READABLE_SUFFIXES):
                    unread.append(Path(root) / name)
    return unread


def skip_unread(paths: list[Path], errors: str) -> list[tuple[str, str, str]]:
    """Rows of ``corpus.skipped`` for a folder's unread files; with ``errors="raise"`` a
    report document of an unread format (.doc, .wps...) raises, naming it."""
    rows = []
    for path in paths:
        if path.suffix.lower() in UNREAD_DOCUMENT_SUFFIXES:
            try:
                read_document(path)
            except UnsupportedFormatError as error:
                if errors == "raise":
                    raise
                rows.append((str(path), type(error).__name__, str(error)))
                continue
        message = f"{path}: not a report file type ({path.suffix or 'no ending'}): not read"
        rows.append((str(path), "UnsupportedFormatError", message))
    return rows


def place_again(meta: dict, origin: dict, before: dict) -> None:
    """Province, city, adcode and level of a jurisdiction a sidecar corrected, from the
    division table, for the fields the sidecar does not give."""
    place = resolve(str(meta["jurisdiction"]))
    township = place.level == "township"
    for field in ("province", "city", "adcode", "level"):
        if origin.get(field) == "sidecar":
            continue
        value = getattr(place, field)
        if township and field in ("province", "city") and value is None:
            value = before.get(field)  # the enclosing places read before still hold
            meta[field] = value
            if value is None:
                origin.pop(field, None)
            continue
        meta[field] = value
        if value is None:
            origin.pop(field, None)
        else:
            origin[field] = "cpca" if place.adcode else "derived"
