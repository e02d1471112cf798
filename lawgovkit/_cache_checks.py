"""Cache entries checked against their schema before use (:mod:`lawgovkit.cache`).

A cache file whose digest matches its bytes may still hold values of the wrong shape (a
faulty writer, a file planted by hand). Every entry is therefore checked before use: a
report entry field by field, a stored table and a report's structure rows column by column
(the set of Python types in a column, its bounds and offsets, in C loops over the whole
column rather than a Python call per value: a warm load of 10,000 reports checks about
two million values). Anything that does not fit raises :class:`EntryError`, which the
cache reads as a miss.

No string read from a cache file can be longer than :data:`_MAX_TEXT`: the file is
inflated to at most :data:`lawgovkit._store.MAX_CACHE_FILE` bytes, the same bound, so
column checks need not measure every string.
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Sequence
from itertools import chain, repeat
from typing import Any

import pandas as pd

from lawgovkit._store import MAX_CACHE_FILE

__all__ = ["EntryError", "check_entry", "check_rows", "check_table", "failing_rows"]

_BOILERPLATE_PARTS = frozenset({"line", "start", "end", "marks"})
_FORMATS = frozenset({"txt", "html", "docx", "pdf"})
_SCRIPTS = frozenset({"simplified", "traditional"})
_ROLES = frozenset({"preamble", "achievements", "problems", "leader_duty", "plans", "other"})
_YEARS = range(1900, 2201)
_TEXT_FIELDS = ("title", "jurisdiction", "province", "city", "adcode", "level", "body", "source")
#: Longest text an entry may hold (a report past the file size limit is never loaded).
_MAX_TEXT = 1 << 28
assert MAX_CACHE_FILE <= _MAX_TEXT  # a cache file cannot hold a longer string
#: Whole numbers a column may hold (well inside int64).
_LIMIT = 1 << 62
_NONE = type(None)
_PLAIN = frozenset({str, int, bool, _NONE})  # metadata values that need no closer look
#: The Python types a JSON value of a column of each dtype may have (None: any scalar).
_TYPES: dict[str | None, frozenset] = {
    "int64": frozenset({int}),
    "Int64": frozenset({int, _NONE}),
    "object": frozenset({str, _NONE}),
    "bool": frozenset({bool}),
    "float64": frozenset({float, int, _NONE}),
    None: frozenset({int, float, str, bool, _NONE}),
}


class EntryError(ValueError):
    """A cache entry that does not follow its schema (read as a miss, then rebuilt)."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: Any, *, optional: bool = False) -> bool:
    return (optional and value is None) or (isinstance(value, str) and len(value) <= _MAX_TEXT)


def _strings(values: Any) -> bool:
    """Whether every value is a string (no longer than :data:`_MAX_TEXT`, as any string
    read from a cache file is)."""
    return set(map(type, values)) <= {str}


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise EntryError(what)


def column_fits(values: Sequence, dtype: str | None) -> bool:
    """Whether every JSON value of ``values`` fits a column of ``dtype`` (None: any JSON
    scalar): the right types, whole numbers inside ±2**62, floats finite.

    Examples
    --------
    >>> column_fits([1, 2, None], "Int64"), column_fits([1, True], "int64")
    (True, False)
    >>> column_fits(["a", None], "object"), column_fits([1.5, float("nan")], None)
    (True, False)
    """
    types = set(map(type, values))
    if not types <= _TYPES.get(dtype, _TYPES[None]):
        return False
    if int in types:
        whole = values if types == {int} else [v for v in values if type(v) is int]
        if max(whole) >= _LIMIT or min(whole) <= -_LIMIT:
            return False
    if float in types:
        floats = values if types == {float} else [v for v in values if type(v) is float]
        if not all(map(math.isfinite, floats)):
            return False
    return True


def _offsets(starts: Sequence, ends: Sequence, lengths: Any) -> bool:
    """Whether ``0 <= start <= end <= length`` on every row (whole numbers already checked);
    ``lengths`` is one length for all rows or an iterable of one per row."""
    if not starts:
        return True
    if min(starts) < 0 or not all(map(operator.le, starts, ends)):
        return False
    if isinstance(lengths, int):
        return max(ends) <= lengths
    return all(map(operator.le, ends, lengths))


def check_entry(entry: Any, *, rows: bool = True) -> None:
    """Raise :class:`EntryError` unless ``entry`` is a report entry of the right shape: each
    field of its type and range, the metadata of the right kinds (years between 1900 and
    2200, ``n_chars`` the text's length, a finite score in [0, 1]), and the structure's rows
    of the right width and types, their offsets inside the text (``rows=False``: already
    checked, by :func:`failing_rows`)."""
    _require(isinstance(entry, dict), "not a mapping")
    text = entry.get("text")
    from_bytes = entry.get("raw_from_bytes", False)
    _require(isinstance(from_bytes, bool), "raw_from_bytes")
    raw = entry.get("raw_text")  # None when it is the file's bytes decoded
    _require((raw is None if from_bytes else _is_text(raw)) and _is_text(text), "texts")
    boilerplate = entry.get("boilerplate")
    _require(isinstance(boilerplate, list), "boilerplate")
    for record in boilerplate:
        _require(isinstance(record, (list, tuple)) and len(record) == 4, "a boilerplate record")
        kind, removed, line, part = record
        _require(_is_text(kind) and _is_text(removed) and _is_int(line), "a boilerplate record")
        _require(line >= 0 and part in _BOILERPLATE_PARTS, "a boilerplate record")
    _check_meta(entry.get("meta"), text)
    provenance = entry.get("provenance")
    _require(isinstance(provenance, dict), "provenance")
    _require(_strings(provenance) and _strings(provenance.values()), "provenance")
    _require(entry.get("script") in _SCRIPTS and entry.get("format") in _FORMATS, "script")
    _require(_is_text(entry.get("encoding"), optional=True), "encoding")
    _require(isinstance(entry.get("is_report"), bool), "is_report")
    score = entry.get("report_score")
    _require(isinstance(score, (int, float)) and not isinstance(score, bool), "report_score")
    _require(math.isfinite(score) and 0 <= score <= 1, "report_score")
    doubts, recorded = entry.get("doubts"), entry.get("warnings")
    _require(isinstance(doubts, list) and all(_is_text(d) for d in doubts), "doubts")
    _require(isinstance(recorded, list), "warnings")
    for warning in recorded:
        _require(isinstance(warning, (list, tuple)) and len(warning) == 2, "a warning")
        _require(all(_is_text(part) for part in warning), "a warning")
    structure = entry.get("structure")
    if structure is not None:
        _require(_is_text(structure), "structure")
        if rows:
            check_rows(structure, text)


def _check_meta(meta: Any, text: str) -> None:
    _require(isinstance(meta, dict) and _strings(meta), "meta")
    for name in _TEXT_FIELDS:
        _require(_is_text(meta.get(name), optional=True), f"meta {name}")
    for name in ("report_year", "plan_year"):
        value = meta.get(name)
        _require(value is None or (_is_int(value) and value in _YEARS), f"meta {name}")
    _require(meta.get("n_chars") == len(text), "meta n_chars")
    date = meta.get("publish_date")
    if date is not None:
        _require(isinstance(date, dict) and set(date) == {"timestamp"}, "meta publish_date")
        stamp = date["timestamp"]
        _require(_is_text(stamp, optional=True), "meta publish_date")
        if stamp is not None:
            try:
                pd.Timestamp(stamp)
            except (ValueError, TypeError, OverflowError) as exc:
                raise EntryError("meta publish_date") from exc
    if set(map(type, meta.values())) <= _PLAIN:
        return
    for value in meta.values():  # JSON scalars or a tagged timestamp only
        _require(
            value is None
            or isinstance(value, (str, bool))
            or _is_int(value)
            or (isinstance(value, float) and math.isfinite(value))
            or (isinstance(value, dict) and set(value) == {"timestamp"}),
            "a meta value",
        )


def check_table(record: Any, schema: tuple, texts: dict[str, str], ids: tuple = ()) -> None:
    """Raise :class:`EntryError` unless ``record`` stores a table to ``schema``: its columns
    in order with their dtypes, one value of the right type per row, ``sliced`` rows that
    exist; ``report_id`` (and the columns ``ids`` names) known report ids, ``start`` and
    ``end`` offsets inside each report's text, roles known."""
    _require(isinstance(record, dict), "a table record")
    rows, columns, sliced = record.get("rows"), record.get("columns"), record.get("sliced")
    _require(_is_int(rows) and 0 <= rows <= 1 << 26, "table rows")
    _require(isinstance(columns, list) and len(columns) == len(schema), "table columns")
    values: dict[str, list] = {}
    for column, stored in zip(schema, columns, strict=True):
        _require(isinstance(stored, list) and len(stored) == 3, "a table column")
        _require(stored[:2] == [column.name, column.dtype], "a table column")
        _require(isinstance(stored[2], list) and len(stored[2]) == rows, "a table column")
        _require(column_fits(stored[2], column.dtype), f"table {column.name}")
        values[column.name] = stored[2]
    _require(isinstance(sliced, list) and column_fits(sliced, "int64"), "table sliced")
    _require(len(set(sliced)) == len(sliced), "table sliced")
    _require(not sliced or (min(sliced) >= 0 and max(sliced) < rows), "table sliced")
    for name in ("report_id", *ids):
        if name in values:
            _require(set(values[name]) <= texts.keys(), f"table {name}")
    if "start" in values:
        lengths = {key: len(text) for key, text in texts.items()}
        ends = map(lengths.__getitem__, values["report_id"])
        _require(_offsets(values["start"], values["end"], ends), "table offsets")
    if "role" in values:
        _require(set(values["role"]) <= _ROLES, "table role")


def check_rows(stored: str, text: str) -> None:
    """Raise :class:`EntryError` unless ``stored`` (a report's structure rows as JSON) holds
    the four tables, each row of its record's width, every value of its column's type,
    roles known, and ``start <= end`` offsets inside ``text``."""
    if failing_rows([(stored, text)]):
        raise EntryError("structure rows")


def failing_rows(stored: list[tuple[Any, Any]]) -> set[int]:
    """The places in ``stored`` (pairs of structure rows as JSON and the report's text, as
    :func:`check_rows` takes them) of the pairs that fail :func:`check_rows`.

    The rows of all the reports are checked together, a column of each table at a time;
    only when that fails is each report checked alone, to find which.
    """
    from lawgovkit.structure import TABLES

    bad: set[int] = set()
    parsed: dict[int, tuple[dict, int]] = {}
    for i, (rows_json, text) in enumerate(stored):
        try:
            rows = json.loads(rows_json)
        except (TypeError, ValueError, RecursionError):
            bad.add(i)
            continue
        if (
            isinstance(rows, dict)
            and isinstance(text, str)
            and all(isinstance(rows.get(name), list) for name in TABLES)
        ):
            parsed[i] = (rows, len(text))
        else:
            bad.add(i)
    if not _rows_fit(list(parsed.values())):
        bad.update(i for i, one in parsed.items() if not _rows_fit([one]))
    return bad


def _rows_fit(reports: list[tuple[dict, int]]) -> bool:
    """Whether the rows of these reports (each its parsed tables and its text's length)
    all follow the schema."""
    from lawgovkit.structure import TABLES, _field_names

    for name, (schema, cls) in TABLES.items():
        names = _field_names(cls)
        dtypes = {column.name: column.dtype for column in schema}
        records = list(chain.from_iterable(rows[name] for rows, _ in reports))
        if not records:
            continue
        if set(map(type, records)) != {list} or set(map(len, records)) != {len(names)}:
            return False
        columns = dict(zip(names, zip(*records, strict=True), strict=True))
        if not all(column_fits(values, dtypes.get(field)) for field, values in columns.items()):
            return False
        starts, ends = columns["start"], columns["end"]
        if not (column_fits(starts, "int64") and column_fits(ends, "int64")):
            return False
        lengths = chain.from_iterable(repeat(n, len(rows[name])) for rows, n in reports)
        if not _offsets(starts, ends, lengths):
            return False
        if "role" in columns and not set(columns["role"]) <= _ROLES:
            return False
    return True
