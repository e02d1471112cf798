"""An on-disk cache of loaded and parsed reports, so a re-run on an unchanged corpus is quick.

:func:`lawgovkit.load_corpus` looks each file up here before reading it: the key is a hash
of the file's bytes, its path, the encoding asked for and a fingerprint of this lawgovkit
(its version and the bytes of its code and data files, so any change to the package
invalidates every entry). An entry holds what loading produced (texts, removed chrome,
metadata, warnings) and the parsed structure (sections, items, problems, plans), as JSON:
a safe format, never pickle; a text file's raw text is not stored when it is the file's
bytes decoded (a hit has read them for the key). The entries are rows of one SQLite file,
``reports.sqlite3`` (:class:`lawgovkit._store.EntryStore`), not compressed: a warm load
inflating gzip took a quarter longer, for half the disk. Each entry starts with a digest
of its JSON keyed with the folder's secret (32 random bytes in ``secret``, made on first
use): an entry that cannot be read (truncated, corrupt, from another layout) or whose
digest does not match (damaged since, or written by anything but lawgovkit with this
folder's key) is ignored and rebuilt. Where the folder cannot keep a usable secret (read
only, a damaged ``secret``), digests are plain and every entry read is also checked against
its schema (:mod:`lawgovkit._cache_checks`, column by column).

A corpus loaded with every file found here also keeps its sections, items, problems and
plans tables under ``tables/`` (gzip JSON columns, exact to the dtype and the missing
values of each table's schema; keyed by its files' entry keys, the ``errors`` mode and the
metadata sidecar), and its duplicates table (:mod:`lawgovkit.duplicates`; keyed by the
same but the ``duplicates`` mode, its ``path`` column taken from the load), so a re-run
neither parses nor rebuilds them nor looks for duplicates again; a cached report's
structure records are built only when ``report.structure`` is asked for
(:attr:`lawgovkit.Report.stored_rows`).

The same folder holds, under ``arrays/`` (:mod:`lawgovkit._store`), the results of the
costly comparison steps: :func:`lawgovkit.tfidf.tfidf_matrix` (keyed by the units' ids and
texts in order, the analyzer, every TfidfVectorizer option and the tokenizer's
fingerprint), :func:`lawgovkit.similarity.top_k_similar` (keyed by the matrix's bytes, k
and the block size) and :meth:`lawgovkit.Tokenizer.tokenize_many` batches (keyed by the
tokenizer's fingerprint and the texts). Each is one numpy ``.npz`` file read with
``allow_pickle=False`` (never pickle), written atomically; every key also holds this
lawgovkit's fingerprint and the numpy and scipy versions. Inputs of fewer than 200 units,
rows or texts (:data:`lawgovkit._store.MIN_STORED`) are not stored, and neither are
options that are functions.

This is the one description of the cache policy; the modules that store results link here.

Where: ``$LAWGOVKIT_CACHE`` if set (a folder; ``off``, ``0``, ``false`` or ``no`` turns the
cache off), else ``$XDG_CACHE_HOME/lawgovkit``, else ``~/.cache/lawgovkit``. Nothing is
ever written beside the reports. All of it is turned off together. Entries are never
evicted: delete the folder to empty the cache.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from lawgovkit._cache_checks import EntryError, check_entry, check_table, failing_rows
from lawgovkit._limits import max_file_bytes, read_file
from lawgovkit._parallel import collector_paused
from lawgovkit._store import (
    EntryStore,
    cache_dir,
    fingerprint,
    read_gzip,
    write_atomically,
)
from lawgovkit.clean import Boilerplate
from lawgovkit.errors import LawgovkitError, LawgovkitWarning, printable
from lawgovkit.readers import decode_bytes
from lawgovkit.report import Report
from lawgovkit.source_text import SourceText

__all__ = [
    "ReportCache",
    "cache_dir",
    "corpus_key",
    "fingerprint",
    "report_cache",
    "write_atomically",
]

# bump when the entry format changes (4: a digest line before the JSON; 5: a text file's
# raw text not stored when it is its bytes decoded; 6: entries in one SQLite file)
_LAYOUT = 6
_COMPRESSION = 1  # the tables' gzip level: the fastest


def report_cache(setting: bool | str | os.PathLike | None = None) -> ReportCache | None:
    """The cache ``load_corpus(cache=setting)`` uses: None/True → :func:`cache_dir`,
    False → none, a path → that folder.

    Examples
    --------
    >>> report_cache(False) is None
    True
    >>> report_cache("/tmp/lgk-cache")
    ReportCache('/tmp/lgk-cache')
    """
    if setting is False:
        return None
    if setting is None or setting is True:
        folder = cache_dir()
        return None if folder is None else ReportCache(folder)
    return ReportCache(Path(setting))


class ReportCache:
    """Loaded and parsed reports on disk, one JSON document per entry.

    Parameters
    ----------
    root : Path
        The cache folder; entries live in ``root/reports.sqlite3``
        (:class:`~lawgovkit._store.EntryStore`), a corpus's tables in ``root/tables/``.
    """

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)
        self.entries = EntryStore(self.root / "reports.sqlite3")
        self._secret: bytes | None = None

    @property
    def secret(self) -> bytes | None:
        """This folder's key (:func:`_folder_secret`), None when it cannot be made or read."""
        if self._secret is None:
            self._secret = _folder_secret(self.root)
        return self._secret or None

    @property
    def trusted(self) -> bool:
        """Whether an entry that passes its digest was written by lawgovkit with this
        folder's key, and so needs no check of its fields: without a key, every entry read
        is checked field by field (:mod:`lawgovkit._cache_checks`)."""
        return self.secret is not None

    def __repr__(self) -> str:
        return f"ReportCache({str(self.root)!r})"

    @staticmethod
    def key(data: bytes, path: str | os.PathLike, encoding: str | None = None) -> str:
        """The entry key of a file's bytes read from ``path`` with ``encoding``."""
        digest = hashlib.blake2b(digest_size=20)
        parts = (fingerprint(), str(_LAYOUT), os.path.abspath(os.fspath(path)), encoding or "")
        for part in parts:
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> dict | None:
        """The entry stored under ``key``; None when there is none or it is unreadable."""
        stored = self.entries.get(key)
        if stored is None:
            return None
        try:
            entry = json.loads(_checked(stored, self.secret))
        except (ValueError, UnicodeDecodeError, RecursionError):
            return None
        if not isinstance(entry, dict) or entry.get("layout") != _LAYOUT:
            return None
        return entry

    def put(self, key: str, entry: dict) -> bool:
        """Store ``entry`` (in one transaction: a reader never sees half of it); False on
        failure."""
        stored = self._signed({**entry, "layout": _LAYOUT})
        return stored is not None and self.entries.put(key, stored)

    def close(self) -> None:
        """Close this process's connection to the entries (:meth:`EntryStore.close`)."""
        self.entries.close()

    # -----------------------------------------------------------------------------------
    # A corpus's tables

    def _table_file(self, key: str, name: str) -> Path:
        return self.root / "tables" / key[:2] / f"{key}-{name}.json.gz"

    def get_table(self, key: str, name: str, texts: dict[str, str]) -> pd.DataFrame | None:
        """The table ``name`` stored for the corpus ``key``; None when absent or unreadable.

        ``texts`` maps report ids to their texts (stored text columns are slices of them).
        """
        try:
            record = json.loads(_checked(read_gzip(self._table_file(key, name)), self.secret))
            if record.get("layout") != _LAYOUT:
                return None
            if not self.trusted:
                schema, ids = _table_schema(name)
                check_table(record, schema, texts, ids)
            return frame_from_record(record, texts)
        except (
            OSError,
            EOFError,
            ValueError,
            TypeError,
            KeyError,
            IndexError,
            RecursionError,
        ):
            return None

    def put_table(self, key: str, name: str, frame: pd.DataFrame, texts: dict[str, str]) -> bool:
        """Store the table ``name`` of the corpus ``key``; False when it cannot be stored
        (an unsupported column type, a read-only disk)."""
        try:
            record = frame_record(frame, texts)
        except (TypeError, ValueError):
            return False
        return self._write(self._table_file(key, name), {**record, "layout": _LAYOUT})

    def _write(self, target: Path, record: dict) -> bool:
        """Write ``record`` as gzip JSON, atomically; False on failure."""
        signed = self._signed(record)
        if signed is None:
            return False
        data = gzip.compress(signed, compresslevel=_COMPRESSION, mtime=0)
        try:
            write_atomically(target, lambda stream: stream.write(data))
        except OSError:
            return False  # a read-only or full disk: the cache is only a help
        return True

    def _signed(self, record: dict) -> bytes | None:
        """``record`` as JSON after its digest line; None for a value JSON cannot hold."""
        try:
            payload = json.dumps(record, ensure_ascii=False).encode("utf-8")
        except (TypeError, ValueError):
            return None
        return _digest(payload, self.secret) + b"\n" + payload


def _table_schema(name: str) -> tuple[tuple, tuple[str, ...]]:
    """The schema of the stored table ``name`` and its columns of report ids besides
    ``report_id`` (KeyError for a name no table has)."""
    from lawgovkit.duplicates import DUPLICATES_SCHEMA
    from lawgovkit.structure import TABLES

    if name == "duplicates":
        return DUPLICATES_SCHEMA, ("id", "duplicate_of")
    return TABLES[name][0], ()


def _digest(payload: bytes, secret: bytes | None = None) -> bytes:
    """BLAKE2b of ``payload``, keyed with ``secret`` (a message authentication code)."""
    return hashlib.blake2b(payload, digest_size=16, key=secret or b"").hexdigest().encode()


def _folder_secret(root: Path) -> bytes:
    """The cache folder's key: 32 random bytes in ``root/secret``, made on first use (by
    linking a complete file into place, so processes starting at once agree on one);
    b"" when the folder cannot hold one (read-only) or holds a damaged one.

    Entries carry a digest keyed with it, so one that matches was written by lawgovkit
    with this folder's key; a file written otherwise (by hand, another program, a faulty
    writer) or damaged after it was written does not match and is a miss, rebuilt.
    """
    target = root / "secret"
    try:
        secret = target.read_bytes()
    except FileNotFoundError:
        try:
            root.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=root, suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                stream.write(os.urandom(32))
            try:
                os.link(temporary, target)
            except FileExistsError:
                pass  # another process made it first: its key is the folder's
            finally:
                os.unlink(temporary)
            secret = target.read_bytes()
        except OSError:
            return b""
    except OSError:
        return b""
    return secret if len(secret) == 32 else b""


def _checked(data: bytes, secret: bytes | None = None) -> bytes:
    """The JSON of a cache file, after the digest line written before it; ValueError when
    they do not match (a file damaged or altered after it was written, or not written
    with this folder's ``secret``)."""
    digest, _, payload = data.partition(b"\n")
    if digest != _digest(payload, secret):
        raise ValueError("the cache file does not match its digest")
    return payload


def corpus_key(keys: list[str | None], errors: str, sidecar: pd.DataFrame | None) -> str:
    """The key of a corpus loaded from files with these entry ``keys`` (in load order),
    this ``errors`` mode and this metadata sidecar (None for none)."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{fingerprint()}\0{_LAYOUT}\0{errors}\0".encode())
    for key in keys:
        digest.update(f"{key}\0".encode())
    if sidecar is not None:
        digest.update(sidecar.to_csv().encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------
# Tables as JSON-able columns and back: exact, dtypes and missing values (None or NaN) kept

_DTYPES = ("int64", "Int64", "float64", "bool", "object", "str")


def frame_record(frame: pd.DataFrame, texts: dict[str, str]) -> dict:
    """``frame`` (with a default RangeIndex) as JSON-able columns.

    A ``text`` value equal to its row's slice ``texts[report_id][start:end]`` is stored
    as None and listed in ``sliced``, so the report texts are not stored twice.

    Raises TypeError for an index or column type this cannot store exactly.
    """
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.start != 0:
        raise TypeError("only a table with a default index is stored")
    if frame.index.step != 1 or not frame.columns.is_unique:
        raise TypeError("only a table with a default index and unique columns is stored")
    columns = []
    sliced: list[int] = []
    for name in frame.columns:
        series = frame[name]
        dtype = str(series.dtype)
        if not isinstance(name, str) or dtype not in _DTYPES:
            raise TypeError(f"column {name!r} of dtype {dtype} is not stored")
        values = series.tolist()
        if dtype == "Int64":
            values = [None if value is pd.NA else value for value in values]
        if name == "text" and {"report_id", "start", "end"} <= set(frame.columns):
            ids, starts, ends = (frame[c].tolist() for c in ("report_id", "start", "end"))
            for i, value in enumerate(values):
                text = texts.get(ids[i])
                if (
                    isinstance(value, str)
                    and text is not None
                    and text[starts[i] : ends[i]] == value
                ):
                    values[i] = None
                    sliced.append(i)
        columns.append([name, dtype, values])
    return {"rows": len(frame), "columns": columns, "sliced": sliced}


def frame_from_record(record: dict, texts: dict[str, str]) -> pd.DataFrame:
    """The table :func:`frame_record` stored."""
    values = {name: column for name, _, column in record["columns"]}
    if record["sliced"]:
        text, ids, starts, ends = (values[c] for c in ("text", "report_id", "start", "end"))
        for i in record["sliced"]:
            text[i] = texts[ids[i]][starts[i] : ends[i]]
    columns = {name: _column(values[name], dtype) for name, dtype, _ in record["columns"]}
    return pd.DataFrame(columns, index=pd.RangeIndex(record["rows"]))


def _column(values: list, dtype: str) -> Any:
    if dtype == "Int64":
        return pd.array(values, dtype="Int64")
    if dtype == "object":
        return pd.Series(values, dtype=object)  # None and NaN stay as they were
    return pd.Series(values, dtype=dtype)


# ---------------------------------------------------------------------------------------
# Reports as JSON-able records and back


def _value(value: Any) -> Any:
    """A metadata value as JSON (timestamps tagged, so they come back as timestamps)."""
    if isinstance(value, pd.Timestamp):
        return {"timestamp": value.isoformat()}
    if value is pd.NaT:
        return {"timestamp": None}
    return value


def _restore(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"timestamp"}:
        return pd.NaT if value["timestamp"] is None else pd.Timestamp(value["timestamp"])
    return value


def report_entry(
    report: Report, recorded: list[tuple[str, str]], data: bytes | None = None
) -> dict:
    """What the cache stores of a loaded report (its structure too, when parsed).

    ``recorded`` are the warnings loading raised, as (category name, message); ``data``
    the file's bytes: when the raw text is them decoded, as for most text files, it is not
    stored (the entry's key is a hash of those bytes, which a hit reads anyway).
    """
    from_bytes = report.source is not None or (
        data is not None and SourceText.of(data, "", report.raw_text, report.encoding) is not None
    )
    entry: dict[str, Any] = {
        "raw_text": None if from_bytes else report.raw_text,
        "raw_from_bytes": from_bytes,
        "text": report.text,
        "boilerplate": [dataclasses.astuple(b) for b in report.boilerplate],
        "meta": {k: _value(v) for k, v in report.meta.items()},
        "provenance": report.provenance,
        "script": report.script,
        "encoding": report.encoding,
        "format": report.format,
        "is_report": report.is_report,
        "report_score": report.report_score,
        "doubts": list(report.warnings),
        "warnings": [list(w) for w in recorded],
    }
    # one JSON string inside the entry: reading an entry then parses one string, and the
    # many small rows are parsed only when the structure is asked for (a re-run whose
    # corpus tables are cached never asks; they were a third of the time to read an entry)
    if report.stored_rows is not None:
        entry["structure"] = report.stored_rows
    return entry


def report_from_entry(
    entry: dict,
    report_id: str,
    path: str,
    data: bytes | None = None,
    *,
    rows: bool = True,
    check: bool = True,
    file: str | os.PathLike | None = None,
    source: SourceText | None = None,
) -> tuple[Report, list]:
    """The report an entry stores, as loaded from ``path`` (whose bytes are ``data``), and
    its recorded warnings (``rows=False``: its structure rows are checked already;
    ``check=False``: an entry of a trusted cache, not checked at all; ``file``: the file
    itself, where ``path`` is its name made printable; ``source``: in place of ``data``,
    the file's :class:`SourceText` made from its bytes, which the caller found decode).

    Raises KeyError, TypeError or ValueError (:class:`~lawgovkit._cache_checks.EntryError`)
    for an entry of the wrong shape (see :func:`~lawgovkit._cache_checks.check_entry`).
    """
    if check:
        check_entry(entry, rows=rows)
    raw = entry["raw_text"]
    if entry.get("raw_from_bytes") is True:
        # the text as read stays in the file (the entry is keyed by its very bytes)
        encoding = entry["encoding"]
        if not isinstance(encoding, str) or raw is not None:
            raise EntryError("raw_text")
        if source is not None:
            if source.encoding != encoding:
                raise EntryError("raw_text")
            raw = source
        else:
            if data is None or (check and not _decodes(data, encoding)):
                raise EntryError("raw_text")
            raw = SourceText.trusted(data, path if file is None else file, encoding)
    meta = {k: _restore(v) for k, v in entry["meta"].items()}
    if "path" in meta:
        meta["path"] = path
    report = Report(
        id=report_id,
        path=path,
        raw_text=raw,
        text=entry["text"],
        boilerplate=tuple(Boilerplate(*b) for b in entry["boilerplate"]),
        meta=meta,
        provenance=dict(entry["provenance"]),
        script=entry["script"],
        encoding=entry["encoding"],
        format=entry["format"],
        is_report=bool(entry["is_report"]),
        report_score=float(entry["report_score"]),
        warnings=tuple(entry["doubts"]),
        # built when the structure is first asked for (most runs ask for the corpus tables,
        # which are made from the rows, or read whole when cached too); rows of the wrong
        # shape then fall back to parsing the text again
        stored_rows=_stored_rows(entry.get("structure")),
    )
    return report, [tuple(w) for w in entry["warnings"]]


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        decode_bytes(data, encoding=encoding)
    except LawgovkitError:
        return False
    return True


def _stored_rows(parsed: Any) -> str | None:
    if parsed is not None and not isinstance(parsed, str):
        raise ValueError("the entry's structure has the wrong shape")
    return parsed


# ---------------------------------------------------------------------------------------
# load_corpus's first pass


def _entry_of(path: Path, cache: Any) -> tuple[str | None, dict | None, bytes]:
    """The cache key of ``path`` (None if unreadable), its entry (None if none) and bytes."""
    try:
        data = read_file(path, max_bytes=max_file_bytes())
    except LawgovkitError:
        return None, None, b""  # a pipe, a device, too large, unreadable: loading says why
    key = cache.key(data, path)
    return key, cache.get(key), data


def _source_of(entry: dict, data: bytes, path: Path, check: bool) -> SourceText | bool | None:
    """What of the file's bytes an entry's report needs, made as the bytes are read, so
    that they are not all held until every entry is checked (1 GB at 100,000 reports):
    the :class:`SourceText` of a report whose text as read is the bytes decoded, None for
    one that needs none, False when the bytes do not decode as the entry says (a miss)."""
    encoding = entry.get("encoding")
    if entry.get("raw_from_bytes") is not True or not isinstance(encoding, str):
        return None  # report_from_entry judges the entry
    if check and not _decodes(data, encoding):
        return False
    return SourceText.trusted(data, path, encoding)


def _outcome(entry: dict, path: Path, source: SourceText | None, check: bool) -> tuple | None:
    """The outcome an entry (its rows checked already) stores; None for one of the wrong
    shape (a miss: loaded again and rebuilt)."""
    try:
        report, names = report_from_entry(
            entry,
            printable(path.stem),
            printable(str(path)),
            rows=False,
            check=check,
            file=path,
            source=source,
        )
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    categories = {"LawgovkitWarning": LawgovkitWarning}
    recorded = [(categories.get(name, UserWarning), message) for name, message in names]
    return report, None, recorded


def look_up(paths: list[Path], cache: Any) -> tuple[list[str | None], dict[int, tuple]]:
    """The first pass: each file's cache key (None when there is no cache or the file is
    unreadable) and the outcomes the cache has, by position. The structure rows of all
    the entries found are checked together (:func:`~lawgovkit._cache_checks.failing_rows`)."""
    keys: list[str | None] = [None] * len(paths)
    hits: dict[int, tuple] = {}
    if cache is None:
        return keys, hits
    check = not cache.trusted
    found: list[tuple[int, dict, SourceText | None]] = []
    with collector_paused():  # millions of parsed values, none in a reference cycle
        for i, path in enumerate(paths):
            keys[i], entry, data = _entry_of(path, cache)
            if entry is not None:
                source = _source_of(entry, data, path, check)
                if source is not False:
                    found.append((i, entry, source))
        structured = [(i, e) for i, e, _ in found if e.get("structure") is not None]
        rows = [(e["structure"], e.get("text")) for _, e in structured] if check else []
        bad = failing_rows(rows)
        wrong = {structured[n][0] for n in bad}
        for i, entry, source in found:
            hit = None if i in wrong else _outcome(entry, paths[i], source, check)
            if hit is not None:
                hits[i] = hit
    cache.close()  # the workers forked next open their own connections
    return keys, hits
