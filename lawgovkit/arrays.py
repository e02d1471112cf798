"""An on-disk store of computed arrays, so a re-run on unchanged input skips the computation.

:mod:`lawgovkit.similarity` keeps its TF-IDF matrices and each row's most similar rows
here (see :func:`lawgovkit.similarity.tfidf_matrix` and
:func:`lawgovkit.similarity.top_k_similar` for what is stored and when). The store itself
only knows keys and arrays:

- a key is a hash (:class:`Key`) of everything the result depends on; every key includes
  the fingerprint of this lawgovkit (:func:`lawgovkit.cache.fingerprint`, its version and
  the bytes of its code and data), the store's layout and the versions of numpy and scipy,
  so upgrading any of them invalidates every entry;
- an entry is one uncompressed numpy ``.npz`` file (arrays of numbers or booleans plus,
  optionally, a small JSON document stored as bytes), written to a temporary file and
  renamed into place, so a reader never sees half an entry. It is read with
  ``allow_pickle=False``: never pickle, so a planted file cannot run code;
- an entry that cannot be read (truncated, corrupt: the zip's CRC-32 is checked, of another
  layout or key) is ignored and the result recomputed; a disk that is read-only or full
  only means nothing is stored.

Where: ``<cache folder>/arrays/<first 2 hex digits>/<key>.npz``, in the same folder as the
report cache (:func:`lawgovkit.cache.cache_dir`: ``$LAWGOVKIT_CACHE``, else
``$XDG_CACHE_HOME/lawgovkit``, else ``~/.cache/lawgovkit``); ``LAWGOVKIT_CACHE=off`` turns
it off with the report cache. Entries are never evicted: delete the folder to empty it.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import scipy

from lawgovkit.cache import cache_dir, fingerprint, write_atomically

__all__ = ["ArrayStore", "Key", "array_store"]

SUBFOLDER = "arrays"
_LAYOUT = 1  # bump when what an entry holds, or how keys are made, changes
_META = "__meta__"  # the array holding an entry's JSON document (UTF-8 bytes)


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
                "layout": _LAYOUT,
                "lawgovkit": fingerprint(),
                "numpy": np.__version__,
                "scipy": scipy.__version__,
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
        return arrays, meta

    def put(self, key: str, arrays: Mapping[str, np.ndarray], meta: dict | None = None) -> bool:
        """Store ``arrays`` (numbers or booleans, no objects) and the JSON-able ``meta``
        under ``key``, atomically; False when it could not be written."""
        target = self.path(key)
        try:
            document = json.dumps({**(meta or {}), "key": key}, ensure_ascii=False)
            payload = {name: np.asarray(value) for name, value in arrays.items()}
            if _META in payload or any(v.dtype.hasobject for v in payload.values()):
                raise ValueError("object arrays would need pickle")
            payload[_META] = np.frombuffer(document.encode("utf-8"), dtype=np.uint8)
            write_atomically(target, lambda stream: np.savez(stream, **payload))
        except (OSError, TypeError, ValueError):
            return False  # a read-only or full disk, an odd value: the store is only a help
        return True


def array_store() -> ArrayStore | None:
    """The store in the cache folder (``<cache_dir()>/arrays``); None when the cache is off.

    Examples
    --------
    >>> store = array_store()
    >>> store is None or store.root.name == "arrays"
    True
    """
    folder = cache_dir()
    return None if folder is None else ArrayStore(folder / SUBFOLDER)
