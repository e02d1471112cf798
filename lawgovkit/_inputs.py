"""A folder's files lawgovkit does not read, and a sidecar's corrected places.

Used by :func:`lawgovkit.corpus.load_corpus`: every file of a folder that is not of a
readable type is listed in ``corpus.skipped`` with the reason (a .doc or .wps report raises
with ``errors="raise"``); a jurisdiction corrected by a sidecar table gets its province,
city, adcode and level from the division table again.
"""

from __future__ import annotations

import glob as globbing
import os
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from lawgovkit.errors import (
    ArgumentError,
    LawgovkitWarning,
    ReportNotFoundError,
    UnsupportedFormatError,
)
from lawgovkit.places import resolve
from lawgovkit.readers import READABLE_SUFFIXES, UNREAD_DOCUMENT_SUFFIXES, read_document

__all__ = ["join_sidecar", "place_again", "read_sidecar", "skip_unread", "unread_files"]

_SIDECAR_KEYS = ("id", "file", "filename")


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


def read_sidecar(metadata: str | os.PathLike | pd.DataFrame) -> pd.DataFrame:
    """A metadata sidecar (a CSV file or a DataFrame) indexed by report id."""
    if isinstance(metadata, pd.DataFrame):
        table = metadata.copy()
    else:
        path = Path(metadata)
        if not path.exists():
            raise ReportNotFoundError("no such metadata file", path=path)
        try:
            table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (ValueError, UnicodeDecodeError) as exc:
            raise ArgumentError(f"{path}: not a readable CSV file ({exc})") from exc
    key = next((k for k in _SIDECAR_KEYS if k in table.columns), None)
    if key is None:
        raise ArgumentError(
            f"the metadata table needs a column named one of {', '.join(_SIDECAR_KEYS)} "
            f"(it has: {', '.join(map(str, table.columns))})"
        )
    ids = table[key].astype(str).map(lambda s: Path(s).stem if key != "id" else s)
    return table.drop(columns=[key]).set_index(pd.Index(ids, name="id"))


def join_sidecar(reports: list[Any], sidecar: pd.DataFrame) -> list[Any]:
    """The reports with the sidecar's values (provenance ``"sidecar"``) over theirs; a
    corrected jurisdiction places the report again; a row matching no report warns."""
    joined: list[Any] = []
    integer_fields = {"report_year", "plan_year", "n_chars"}
    ids = {report.id for report in reports}
    for orphan in sorted({str(i) for i in sidecar.index if str(i) not in ids}):
        warnings.warn(
            f"metadata row {orphan!r} matches no report file: not used",
            LawgovkitWarning,
            stacklevel=3,
        )
    for report in reports:
        if report.id not in sidecar.index:
            joined.append(report)
            continue
        row = sidecar.loc[report.id]
        if isinstance(row, pd.DataFrame):
            row = row.iloc[0]
        meta, origin = dict(report.meta), dict(report.provenance)
        for column, value in row.items():
            if value is None or (isinstance(value, str) and value == "") or pd.isna(value):
                continue
            try:
                if column in integer_fields:
                    value = int(value)
                elif column == "publish_date":
                    value = pd.Timestamp(value)
            except (TypeError, ValueError) as exc:
                raise ArgumentError(
                    f"metadata for {report.id!r}: {column}={value!r} is not a valid "
                    f"{'year/number' if column in integer_fields else 'date'} ({exc})"
                ) from exc
            meta[column], origin[column] = value, "sidecar"
        if origin.get("jurisdiction") == "sidecar":
            place_again(meta, origin, report.meta)
        joined.append(report.replace(meta=meta, provenance=origin))
    return joined
