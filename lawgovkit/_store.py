"""The on-disk store every cache of lawgovkit keeps its entries in: where, keyed how, written how.

This is the generic half of the caching (it knows files, keys and arrays, nothing of
reports); :mod:`lawgovkit.cache` keeps loaded reports and corpus tables in it, and
:mod:`lawgovkit.tfidf` and :mod:`lawgovkit.similarity` their fitted matrices and
neighbours. The cache policy as a whole is described once, in :mod:`lawgovkit.cache`.

- :func:`cache_dir` is the folder: ``$LAWGOVKIT_CACHE`` if set (``off``, ``0``, ``false``
  or ``no`` turns every cache off), else ``$XDG_CACHE_HOME/lawgovkit``, else
  ``~/.cache/lawgovkit``. Nothing is ever written beside the reports.
- :func:`fingerprint` is a hash of this lawgovkit (its version and the bytes of its code
  and data files): every key includes it, so any change to the package invalidates every
  entry.
- :func:`write_atomically` writes a file through a temporary file renamed into place, so
  a reader never sees half an entry.
- :class:`ArrayStore` keeps numpy arrays (and a small JSON document) under a :class:`Key`,
  as ``.npz`` files read with ``allow_pickle=False``: never pickle, so a planted file
  cannot run code. An entry that cannot be read (truncated, corrupt: the zip's CRC-32 is
  checked, of another layout or key) is ignored and the result recomputed; a disk that is
  read-only or full only means nothing is stored.
- :class:`EntryStore` keeps many small byte strings (the report cache's entries) as rows
  of one SQLite file, written by several processes at once.

Inputs smaller than :data:`MIN_STORED` (200 units, rows or texts) are never stored:
computing them is quicker than hashing, reading or writing an entry, and a notebook or a
test on a handful of reports leaves nothing on disk. Entries are never evicted: delete the
folder to empty the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import struct
import sys
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from lawgovkit._version import __version__

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "MIN_STORED",
    "ArrayStore",
    "EntryStore",
    "Key",
    "Numbering",
    "array_store",
    "cache_dir",
    "fingerprint",
    "read_gzip",
    "write_atomically",
]

ENVIRONMENT_VARIABLE = "LAWGOVKIT_CACHE"
#: Fewer units, rows or texts than this are computed every time, never stored.
MIN_STORED = 200
_OFF = ("off", "0", "false", "no", "none")
_ARRAYS = "arrays"  # the array store's subfolder of the cache folder
_ARRAYS_LAYOUT = 1  # bump when what an array entry holds, or how keys are made, changes
_META = "__meta__"  # the array holding an entry's JSON document (UTF-8 bytes)


def cache_dir() -> Path | None:
    """The cache folder, or None when ``LAWGOVKIT_CACHE`` turns the cache off.

    Examples
    --------
    >>> folder = cache_dir()
    >>> folder is None or folder.is_absolute() or os.environ["LAWGOVKIT_CACHE"] != ""
    True
    """
    setting = os.environ.get(ENVIRONMENT_VARIABLE)
    if setting is not None and setting.strip():
        if setting.strip().lower() in _OFF:
            return None
        return Path(setting).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lawgovkit"


@cache
def fingerprint() -> str:
    """A hash of this lawgovkit: its version and the bytes of its modules and data files.

    Examples
    --------
    >>> len(fingerprint()), fingerprint() == fingerprint()
    (32, True)
    """
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    package = resources.files("lawgovkit")
    files: list[Any] = []
    stack = [package]
    while stack:
        folder = stack.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                if entry.name != "__pycache__":
                    stack.append(entry)
            elif entry.name.endswith((".py", ".json", ".txt")):
                files.append(entry)
    for entry in sorted(files, key=lambda e: str(e)):
        digest.update(entry.name.encode())
        digest.update(entry.read_bytes())
    return digest.hexdigest()


def write_atomically(target: Path, write: Callable[[BinaryIO], Any]) -> None:
    """Create ``target`` (its folder too) with what ``write`` writes to a binary stream,
    through a temporary file beside it renamed into place: a reader never sees half a file.

    Examples
    --------
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_atomically(folder / "a" / "entry.bin", lambda stream: stream.write(b"xy"))
    >>> (folder / "a" / "entry.bin").read_bytes(), len(list((folder / "a").iterdir()))
    (b'xy', 1)
    """
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    except FileNotFoundError:  # the folder is made on its first entry only
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


#: The most a cache file may hold, read or inflated (a 10,000-report table is a few MB):
#: a larger one, a gzip bomb planted in the cache, is not read (a miss).
MAX_CACHE_FILE = 256 * 1024 * 1024


def read_gzip(path: str | os.PathLike) -> bytes:
    """A gzip file's contents, read and inflated at once (GzipFile's reads are slower), at
    most :data:`MAX_CACHE_FILE` bytes of either; ValueError past it or for what is not
    gzip, EOFError for a truncated stream."""
    with open(path, "rb") as handle:
        packed = handle.read(MAX_CACHE_FILE + 1)
    if len(packed) > MAX_CACHE_FILE:
        raise ValueError(f"{path}: a cache file larger than {MAX_CACHE_FILE} bytes")
    inflater = zlib.decompressobj(wbits=31)
    try:
        data = inflater.decompress(packed, MAX_CACHE_FILE + 1)
    except zlib.error as error:
        raise ValueError(f"{path}: not gzip ({error})") from None
    if len(data) > MAX_CACHE_FILE or inflater.unconsumed_tail:
        raise ValueError(f"{path}: a cache file inflating past {MAX_CACHE_FILE} bytes")
    if not inflater.eof:
        raise EOFError(f"{path}: a truncated cache file")
    return data


# Open connections by (process, thread, database file): one each, shared by every
# EntryStore of that file in the process (a worker receives its store pickled with each
# run of work); a forked child's inherited ones are never used nor closed (SQLite's rule).
_CONNECTIONS: dict[tuple[int, int, str], sqlite3.Connection] = {}


class EntryStore:
    """Byte strings under string keys, in one SQLite database file.

    For many small entries (a loaded report's is a few kilobytes): creating a file apiece
    costs more than writing it (10 µs to 400 µs on a busy disk), and ten thousand of them
    cost a cold load of ten thousand reports a tenth of its time. SQLite (Python's own
    ``sqlite3``) writes them into one file.

    Several processes of one machine may read and write at once: the database keeps a
    write-ahead log (which needs them on one machine, even when the folder is on a network
    disk), each entry is its own transaction, a writer waits up to :attr:`TIMEOUT` seconds
    for another's. Each process (and thread) opens one connection to a file when it first
    needs one: one made before a fork is never used, nor closed, after it. Nothing here
    raises: an entry that cannot be read is None, one that cannot be written False (a
    read-only or full disk, a lock held too long), and the entries' own checks (digests,
    layouts) are their owner's. A file that is not a database, or one damaged inside, is
    set aside as ``<name>.damaged`` and a new one begun: it costs its entries once, not
    every run. In a folder that cannot be written, the entries are still read (as an
    immutable file).

    Examples
    --------
    >>> folder = tempfile.TemporaryDirectory()
    >>> store = EntryStore(Path(folder.name) / "entries.sqlite3")
    >>> store.get("a") is None, store.put("a", "法治".encode()), store.get("a").decode()
    (True, True, '法治')
    >>> store.put("a", b"again"), store.get("a"), store.all_keys()
    (True, b'again', ['a'])
    >>> store.close(); folder.cleanup()
    """

    #: Seconds a writer waits for another's transaction before giving up (not stored).
    TIMEOUT = 60.0

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"EntryStore({str(self.path)!r})"

    def get(self, key: str) -> bytes | None:
        """The bytes stored under ``key``; None when there are none or they cannot be read."""
        row = self._run("SELECT value FROM entries WHERE key = ?", (key,), create=False)
        return None if not row else bytes(row[0][0])

    def put(self, key: str, value: bytes) -> bool:
        """Store ``value`` under ``key`` (replacing what was there); False on failure."""
        done = self._run("INSERT OR REPLACE INTO entries VALUES (?, ?)", (key, value))
        return done is not None

    def all_keys(self) -> list[str]:
        """Every key stored, sorted."""
        rows = self._run("SELECT key FROM entries ORDER BY key", (), create=False)
        return [key for (key,) in rows or ()]

    def close(self) -> None:
        """Close this process's connections to the file (others are left to their
        processes)."""
        pid, name = os.getpid(), str(self.path)
        for owner in [owner for owner in _CONNECTIONS if owner[0] == pid and owner[2] == name]:
            with contextlib.suppress(sqlite3.Error):
                _CONNECTIONS.pop(owner).close()

    def _run(self, statement: str, values: tuple, create: bool = True) -> list | None:
        """The rows of ``statement``, None when it fails (a database damaged inside is set
        aside and the statement run once more on a new one)."""
        for attempt in range(2):
            try:
                connection = self._connection(create)
                if connection is None:
                    return None
                return connection.execute(statement, values).fetchall()
            except (sqlite3.OperationalError, OSError):  # locked too long, read-only, full
                return None
            except sqlite3.DatabaseError:  # not a database, or a malformed one
                if attempt or not self._set_aside():
                    return None
        return None

    def _connection(self, create: bool) -> sqlite3.Connection | None:
        owner = (os.getpid(), threading.get_ident(), str(self.path))
        connection = _CONNECTIONS.get(owner)
        if connection is not None:
            return connection
        if not create and not self.path.exists():
            return None
        try:
            connection = self._open()
        except sqlite3.OperationalError:  # a folder that cannot be written: read only
            if not self.path.exists():
                raise
            uri = f"{self.path.resolve().as_uri()}?immutable=1"
            connection = sqlite3.connect(uri, uri=True, isolation_level=None)
        _CONNECTIONS[owner] = connection
        return connection

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=self.TIMEOUT, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")  # a cache: no sync per entry
            connection.execute(
                "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)"
            )
        except sqlite3.Error:
            connection.close()
            raise
        return connection

    def _set_aside(self) -> bool:
        """Move a damaged database to ``<name>.damaged`` (its log files removed); False
        when it cannot be moved."""
        self.close()
        try:
            os.replace(self.path, self.path.with_name(self.path.name + ".damaged"))
        except OSError:
            return False
        for suffix in ("-wal", "-shm"):  # a new database must not replay the old log
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")
        return True


class Key:
    """A hash of what a stored result depends on, fed piece by piece.

    Every piece is written with its kind and length, so different sequences of pieces
    never give the same bytes. SHA-256, which runs at over 1 GB/s on current processors
    (hashing a 10,000-report TF-IDF matrix takes a few hundredths of a second).

    Parameters
    ----------
    kind : str
        What is stored (``"tfidf"``, ``"top_k"``): entries of different kinds never share
        a key.

    Examples
    --------
    >>> a = Key("demo").text("行政复议").array(np.arange(3)).hexdigest()
    >>> b = Key("demo").text("行政复议").array(np.arange(3)).hexdigest()
    >>> a == b, a == Key("demo").text("行政复议").array(np.arange(4)).hexdigest()
    (True, False)
    """

    def __init__(self, kind: str) -> None:
        self._digest = hashlib.sha256()
        self.text(kind)
        self.data(
            {
                "layout": _ARRAYS_LAYOUT,
                "lawgovkit": fingerprint(),
                "numpy": np.__version__,
                "scipy": _scipy_version(),
            }
        )

    def _piece(self, tag: bytes, payload: Any, size: int) -> None:
        self._digest.update(tag + struct.pack("<Q", size))
        self._digest.update(payload)

    def text(self, value: str) -> Key:
        """Add a string (UTF-8; lone surrogates kept as they are)."""
        encoded = value.encode("utf-8", "surrogatepass")
        self._piece(b"s", encoded, len(encoded))
        return self

    def data(self, value: Any) -> Key:
        """Add JSON-able data (dict keys sorted, so their order does not matter)."""
        return self.text(json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=True))

    def array(self, value: np.ndarray) -> Key:
        """Add an array: its dtype, its shape and its bytes (in C order)."""
        value = np.ascontiguousarray(value)
        self.data([value.dtype.str, list(value.shape)])
        self._piece(b"a", value.view(np.uint8).reshape(-1), value.nbytes)
        return self

    def hexdigest(self) -> str:
        """The key: 40 hexadecimal digits."""
        return self._digest.hexdigest()[:40]


class ArrayStore:
    """Arrays on disk, one ``.npz`` file per key.

    Parameters
    ----------
    root : str or PathLike
        The folder; entries live in ``root/<2 hex>/<key>.npz``.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> store = ArrayStore(folder.name)
    >>> key = Key("demo").text("x").hexdigest()
    >>> store.get(key) is None
    True
    >>> store.put(key, {"values": np.array([1.5, 2.5])}, {"note": "法治"})
    True
    >>> arrays, meta = store.get(key)
    >>> arrays["values"].tolist(), meta
    ([1.5, 2.5], {'note': '法治'})
    >>> folder.cleanup()
    """

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"ArrayStore({str(self.root)!r})"

    def path(self, key: str) -> Path:
        """The file of the entry stored under ``key``."""
        return self.root / key[:2] / f"{key}.npz"

    def get(self, key: str) -> tuple[dict[str, np.ndarray], dict] | None:
        """The arrays and JSON document stored under ``key``; None when there is no
        readable entry."""
        try:
            with np.load(self.path(key), allow_pickle=False) as stored:
                if not isinstance(stored, Mapping):
                    return None  # a lone .npy, not an entry
                arrays = {name: stored[name] for name in stored.files}
            meta = json.loads(arrays.pop(_META).tobytes().decode("utf-8"))
        except Exception:  # whatever is wrong with the file: recompute
            return None
        if not isinstance(meta, dict) or meta.pop("key", None) != key:
            return None
        if meta.pop("digest", None) != _digest(arrays):  # a damaged or altered array
            return None
        return arrays, meta

    def put(self, key: str, arrays: Mapping[str, np.ndarray], meta: dict | None = None) -> bool:
        """Store ``arrays`` (numbers or booleans, no objects) and the JSON-able ``meta``
        under ``key``, atomically; False when it could not be written."""
        target = self.path(key)
        try:
            payload = {name: np.asarray(value) for name, value in arrays.items()}
            if _META in payload or any(v.dtype.hasobject for v in payload.values()):
                raise ValueError("object arrays would need pickle")
            digest = _digest(payload)
            document = json.dumps(
                {**(meta or {}), "key": key, "digest": digest}, ensure_ascii=False
            )
            payload[_META] = np.frombuffer(document.encode("utf-8"), dtype=np.uint8)
            write_atomically(target, lambda stream: np.savez(stream, **payload))
        except (OSError, TypeError, ValueError):
            return False  # a read-only or full disk, an odd value: the store is only a help
        return True

    def put_lists(self, key: str, lists: Sequence[Sequence[str]]) -> bool:
        """Store lists (or tuples) of strings (a tokenizer's batch) as codes into their
        vocabulary.

        The codes number the strings in the order they first come, straight into an
        int32 array (100,000 reports' 85 million tokens: 340 MB, where an array of the
        strings and int64 codes beside it took 1.7 GB more for a moment).
        """
        counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        numbering = Numbering()
        codes = np.fromiter(
            map(numbering.__getitem__, chain.from_iterable(lists)),
            dtype=np.int32,
            count=int(counts.sum()),
        )
        arrays = {"codes": codes, "counts": counts}
        return self.put(key, arrays, {"texts": len(lists), "vocabulary": list(numbering)})

    def get_lists(self, key: str, n_lists: int) -> list[list[str]] | None:
        """The ``n_lists`` lists of strings :meth:`put_lists` stored (each string interned);
        None when there is no such readable entry.

        Examples
        --------
        >>> folder = tempfile.TemporaryDirectory()
        >>> store, key = ArrayStore(folder.name), Key("demo").text("lists").hexdigest()
        >>> store.put_lists(key, [["行政", "复议"], [], ["复议"]])
        True
        >>> store.get_lists(key, 3), store.get_lists(key, 2)
        ([['行政', '复议'], [], ['复议']], None)
        >>> folder.cleanup()
        """
        found = self.get(key)
        if found is None:
            return None
        arrays, meta = found
        try:
            codes, counts, words = arrays["codes"], arrays["counts"], meta["vocabulary"]
            if meta["texts"] != n_lists or len(counts) != n_lists or counts.sum() != len(codes):
                return None
            if codes.dtype.kind not in "iu" or counts.dtype.kind not in "iu":
                return None
            if len(counts) and counts.min() < 0:
                return None
            if len(codes) and (codes.min() < 0 or codes.max() >= len(words)):
                return None
            vocabulary = np.empty(len(words), dtype=object)
            vocabulary[:] = [sys.intern(str(word)) for word in words]
        except (KeyError, TypeError, ValueError):
            return None
        flat = vocabulary[codes].tolist()  # one list, then sliced: no array per text
        ends = np.cumsum(counts).tolist()
        return [flat[start:end] for start, end in zip([0, *ends][:-1], ends, strict=True)]


class Numbering(dict):
    """string → its number, the next one for a string not seen yet (looked up in C by
    ``map(numbering.__getitem__, …)``; the keys in order are the strings numbered).

    Examples
    --------
    >>> n = Numbering()
    >>> [n[w] for w in ["行政复议", "普法", "行政复议"]], list(n)
    ([0, 1, 0], ['行政复议', '普法'])
    """

    __slots__ = ()

    def __missing__(self, word: str) -> int:
        number = self[word] = len(self)
        return number

    def numbers(self, words: Iterable[str], count: int, dtype: Any = np.int64) -> np.ndarray:
        """``self[w]`` of each of the ``count`` ``words``, as an array.

        A run of words is numbered by identity first: put in an object array (whose
        buffer holds each object's address), its distinct objects are found by pandas'
        hash table of integers and only those are looked up here. A tokenizer's words are
        a few thousand interned strings, so this is a third quicker than a look-up per
        word (2.5 million tokens: 68 → 48 ms). The numbers are the same: equal words that
        are distinct objects meet in the look-up, and the distinct objects are looked up
        in the order they first come. Once a run holds mostly distinct objects the rest
        are looked up one by one. Keyness's term counts use it (a first call, 10 groups of
        1,000 reports: 56 -> 47 ms); the TF-IDF vocabulary and the stored token batches
        keep a look-up a word (``benchmarks/README.md``, eleventh session).

        Examples
        --------
        >>> n = Numbering()
        >>> n.numbers(iter(["普法", "行政复议", "普法"]), 3).tolist(), list(n)
        ([0, 1, 0], ['普法', '行政复议'])
        """
        number = self.__getitem__
        if count < _BY_IDENTITY_FROM:
            return np.fromiter(map(number, words), dtype=dtype, count=count)
        import pandas as pd

        numbers = np.empty(count, dtype=dtype)
        words = iter(words)
        for start in range(0, count, _IDENTITY_RUN):
            size = min(_IDENTITY_RUN, count - start)
            objects = np.fromiter(words, dtype=object, count=size)
            # a code for each distinct object, in the order they first come
            codes, _ = pd.factorize(np.frombuffer(memoryview(objects), dtype=np.intp))
            firsts = np.flatnonzero(codes > np.maximum.accumulate(np.r_[-1, codes[:-1]]))
            looked_up = np.fromiter(map(number, objects[firsts]), dtype=dtype, count=len(firsts))
            numbers[start : start + size] = looked_up[codes]
            if 2 * len(firsts) > size:  # words that are not interned: no gain from here on
                rest = count - start - size
                numbers[start + size :] = np.fromiter(map(number, words), dtype=dtype, count=rest)
                break
        return numbers


# Numbering.numbers goes by identity from this many words, in runs of this many
_BY_IDENTITY_FROM = 4096
_IDENTITY_RUN = 1 << 18


def _digest(arrays: Mapping[str, np.ndarray]) -> str:
    """A hash of arrays' names, dtypes, shapes and bytes: an entry whose arrays were damaged
    or altered after it was written no longer matches the digest written with it."""
    digest = hashlib.sha256()
    for name in sorted(arrays):
        array = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}\0{array.dtype.str}\0{array.shape}\0".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def array_store() -> ArrayStore | None:
    """The store in the cache folder (``<cache_dir()>/arrays``); None when the cache is off.

    Examples
    --------
    >>> store = array_store()
    >>> store is None or store.root.name == "arrays"
    True
    """
    folder = cache_dir()
    return None if folder is None else ArrayStore(folder / _ARRAYS)


def _scipy_version() -> str:
    import scipy

    return scipy.__version__
