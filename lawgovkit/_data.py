"""Read the genre knowledge kept as data files under ``lawgovkit/data/``.

Every pattern list, taxonomy and word list the package uses lives in a file there, with
its provenance noted in the file itself (``"_about"`` in JSON, ``#`` lines in text files).
This module is the one small piece of code that reads them, cached once per process.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["INVISIBLE", "SENTENCE_ENDS", "SPACES", "data_path", "read_json", "read_lines"]


def data_path(name: str) -> Path:
    """Path of the data file ``name`` (e.g. ``"boilerplate.json"``)."""
    return Path(str(resources.files("lawgovkit") / "data" / name))


@cache
def read_json(name: str) -> Any:
    """The parsed content of a JSON data file; keys starting with ``_`` are notes."""
    with data_path(name).open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def read_lines(name: str) -> tuple[str, ...]:
    """Non-blank lines of a text data file, ``#`` comment lines and trailing blanks dropped."""
    with data_path(name).open(encoding="utf-8") as fh:
        lines = (line.rstrip("\r\n") for line in fh)
        return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _characters(name: str) -> str:
    return str(read_json("text.json")[name])


#: What ends a sentence (``data/text.json``): 。！？!?
SENTENCE_ENDS = _characters("sentence_ends")
#: What counts as a space between words: space, tab, the ideographic space, no-break space.
SPACES = _characters("spaces")
#: Characters that show nothing (byte order mark, zero-width space), stripped like spaces.
INVISIBLE = _characters("invisible")
