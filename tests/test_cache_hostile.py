"""A broken or planted cache never changes a result (issue 22).

Property tests feed hostile values of every shape (wrong types, huge and negative numbers,
NaN, long strings, nested containers, missing keys) into every place of each entry kind
(report entries, corpus tables, TF-IDF, top-k and token arrays) and check that a load, or
the comparison, gives exactly what it gives without a cache, and that the damaged entry is
rebuilt. Gzip bombs and garbage in the cache folder are misses too.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import shutil
import warnings
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lawgovkit as lgk
from lawgovkit import _store
from tests.bounded import run_bounded
from tests.conftest import SEED_PATHS, StoredEntry, stored_entries

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
TABLES = ("reports", "sections", "items", "problems", "plans")

HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.sampled_from([10**30, -1, 0, 2**63, 2**64]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["", "x" * 10_000, "achievements", "preamble", "line"]),
    st.lists(st.integers(min_value=-5, max_value=5), max_size=4),
    st.lists(st.lists(st.integers(), max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.just({"timestamp": "not a date"}),
    st.just({"timestamp": "99999-01-01"}),
)


def _tables(corpus) -> dict[str, pd.DataFrame]:
    frames = {name: getattr(corpus, name) for name in TABLES}
    frames["reports"] = frames["reports"].drop(columns=["path"])
    return frames


def _load(folder: Path, cache: Any) -> dict[str, pd.DataFrame]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _tables(lgk.load_corpus(folder, cache=cache, progress=False))


@pytest.fixture(scope="module")
def corpus_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for seed in SEED_PATHS[:2]:
        shutil.copy(seed, folder / seed.name)
    return folder


@pytest.fixture(scope="module")
def uncached(corpus_folder) -> dict[str, pd.DataFrame]:
    return _load(corpus_folder, False)


def _assert_same(got: dict, want: dict) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)


def _mutate(data: Any, draw, value: Any) -> Any:
    """``data`` (decoded JSON) with one place, reached by a drawn walk, set to ``value``
    (or, for a mapping, a key dropped)."""
    if isinstance(data, dict) and data:
        key = draw(st.sampled_from(sorted(data)))
        if draw(st.integers(0, 9)) == 0:
            return {k: v for k, v in data.items() if k != key}
        deeper = draw(st.booleans()) and isinstance(data[key], (dict, list)) and data[key]
        return {**data, key: _mutate(data[key], draw, value) if deeper else value}
    if isinstance(data, list) and data:
        i = draw(st.integers(0, len(data) - 1))
        deeper = draw(st.booleans()) and isinstance(data[i], (dict, list)) and data[i]
        return [*data[:i], _mutate(data[i], draw, value) if deeper else value, *data[i + 1 :]]
    return value


def _json_files(root: Path, part: str) -> list[Path] | list[StoredEntry]:
    """The entries of ``part``: the reports' rows of the database, or the tables' files."""
    if part == "reports":
        return stored_entries(root)
    return sorted((root / part).rglob("*.json.gz"))


def _read(path: Path | StoredEntry) -> tuple[bytes, Any]:
    """A cache entry's digest line and its JSON record (a table's file is gzip)."""
    data = path.read_bytes()
    digest, _, payload = (gzip.decompress(data) if isinstance(path, Path) else data).partition(
        b"\n"
    )
    return digest, json.loads(payload)


def _write(path: Path | StoredEntry, record: Any, digest: bytes | None = None) -> None:
    """Write ``record`` back under ``digest`` (the old one: a file damaged after it was
    written), or a digest that matches it (None: as a faulty writer would)."""
    payload = json.dumps(record, ensure_ascii=False).encode()
    if digest is None:
        digest = hashlib.blake2b(payload, digest_size=16).hexdigest().encode()
    signed = digest + b"\n" + payload
    path.write_bytes(gzip.compress(signed) if isinstance(path, Path) else signed)


def _untrusted(cache: Path, keyed: bool) -> Path:
    """``cache``, made a folder whose key cannot be used when not ``keyed``: every entry is
    then checked field by field, and a planted entry with a plain digest matches."""
    if not keyed:
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "secret").write_bytes(b"not a key")
    return cache


# keyed: entries carry a digest keyed with the folder's secret, so a planted one (plain
# digest) is a miss; not keyed: a planted one matches its digest and the field checks of
# lawgovkit._cache_checks must catch it.
@pytest.mark.parametrize("keyed", [True, False], ids=["keyed", "unkeyed"])
@pytest.mark.parametrize("part", ["reports", "tables"])
@SETTINGS
@given(data=st.data())
def test_hostile_cache_entries_give_the_uncached_tables(
    tmp_path_factory, corpus_folder, uncached, part, keyed, data
) -> None:
    cache = _untrusted(tmp_path_factory.mktemp("cache"), keyed)
    _assert_same(_load(corpus_folder, cache), uncached)  # fills the cache
    files = _json_files(cache, part)
    assert files
    target = data.draw(st.sampled_from(files))
    digest, record = _read(target)
    if part == "reports" and data.draw(st.booleans()) and "structure" in record:
        rows = json.loads(record["structure"])  # the rows inside their JSON string
        record["structure"] = json.dumps(_mutate(rows, data.draw, data.draw(HOSTILE)))
    else:
        record = _mutate(record, data.draw, data.draw(HOSTILE))
    _write(target, record, digest)
    _assert_same(_load(corpus_folder, cache), uncached)
    _assert_same(_load(corpus_folder, cache), uncached)  # rebuilt: the same again


# Values of the wrong shape a faulty writer could leave with a matching digest: each must
# be caught by the entry's schema (a miss, rebuilt), never raise out of load_corpus.
WRONG_SHAPES = {
    "reports": [
        ("meta", []),
        ("meta.report_year", 10**30),
        ("meta.report_year", "2023"),
        ("meta.n_chars", 10**12),
        ("meta.publish_date", {"timestamp": "99999-99-99"}),
        ("boilerplate", [["a", "b", 1]]),
        ("boilerplate", [["a", "b", 1, "line", "x"]]),
        ("text", 5),
        ("raw_text", None),
        ("report_score", float("nan")),
        ("is_report", "yes"),
        ("warnings", [["a", "b", "c"]]),
        ("structure", "[1, 2]"),
        ("structure", '{"sections": [[1]], "items": [], "problems": [], "plans": []}'),
    ],
    "tables": [
        ("rows", 10**12),
        ("rows", -1),
        ("columns", {}),
        ("columns.0", ["report_id", "int64", []]),
        ("sliced", [10**9]),
        ("sliced", "all"),
    ],
}


def _set(record: Any, place: str, value: Any) -> Any:
    keys = [int(k) if k.isdigit() else k for k in place.split(".")]
    target = record
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value
    return record


@pytest.mark.parametrize("keyed", [True, False], ids=["keyed", "unkeyed"])
@pytest.mark.parametrize(
    ("part", "place", "value"),
    [(part, place, value) for part, cases in WRONG_SHAPES.items() for place, value in cases],
)
def test_wrong_shapes_with_a_matching_digest_are_misses(
    tmp_path, corpus_folder, uncached, part, place, value, keyed
) -> None:
    cache = _untrusted(tmp_path / "cache", keyed)
    _load(corpus_folder, cache)
    for target in _json_files(cache, part):
        _, record = _read(target)
        if place.split(".")[0] in record:
            _write(target, _set(record, place, value))
    _assert_same(_load(corpus_folder, cache), uncached)
    _assert_same(_load(corpus_folder, cache), uncached)


@functools.cache
def _gzip_bomb() -> bytes:
    """300 MB of "{" in about 300 KB of gzip, made once."""
    packer = zlib.compressobj(9, wbits=31)
    chunk = packer.compress(b"{" * (1 << 20))
    chunk += b"".join(packer.compress(b"{" * (1 << 20)) for _ in range(299))
    return chunk + packer.flush()


@pytest.mark.parametrize("damage", ["bomb", "garbage", "truncated", "empty", "folder"])
def test_damaged_cache_files_are_misses_within_bounds(
    tmp_path, corpus_folder, uncached, damage
) -> None:
    cache = tmp_path / "cache"
    _load(corpus_folder, cache)
    for path in _json_files(cache, "reports") + _json_files(cache, "tables"):
        if damage == "bomb":
            path.write_bytes(_gzip_bomb())
        elif damage == "garbage":
            path.write_bytes(b"\x1f\x8b" + bytes(range(256)) * 4)
        elif damage == "truncated":
            path.write_bytes(path.read_bytes()[:30])
        elif damage == "empty":
            path.write_bytes(b"")
        elif isinstance(path, Path):  # a folder where a table's file was
            path.unlink()
            path.mkdir()
    got = run_bounded(_load, corpus_folder, cache, timeout=120, headroom_mb=768)
    _assert_same(got, uncached)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "folder"])
def test_a_damaged_entries_database_is_set_aside_and_begun_again(
    tmp_path, corpus_folder, uncached, damage
) -> None:
    """The reports' database file itself damaged: the load is the uncached one, and a
    database that is no longer one is moved aside so the next load stores its entries."""
    cache = tmp_path / "cache"
    _load(corpus_folder, cache)
    database = lgk.cache.ReportCache(cache).entries.path
    data = database.read_bytes()
    assert data.startswith(b"SQLite format 3\0")
    assert not list(database.parent.glob(database.name + "-*"))  # closed: no log left
    if damage == "folder":
        database.unlink()
        database.mkdir()
    else:
        damaged = {"garbage": bytes(range(256)) * 64, "truncated": data[:5000]}
        database.write_bytes(damaged.get(damage, b""))
    _assert_same(_load(corpus_folder, cache), uncached)
    _assert_same(_load(corpus_folder, cache), uncached)
    if damage != "folder":  # entries are stored again, in a new database
        assert len(stored_entries(cache)) == len(list(corpus_folder.iterdir()))
    if damage in ("garbage", "truncated"):
        assert database.with_name(database.name + ".damaged").is_file()


# ---------------------------------------------------------------------------------------
# Arrays: TF-IDF, top-k, token batches


@pytest.fixture
def small_store(monkeypatch, tmp_path):
    """Arrays stored from the first unit on, in a cache of this test's own."""
    monkeypatch.setattr(_store, "MIN_STORED", 1)
    monkeypatch.setenv("LAWGOVKIT_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "arrays"


def _similar(corpus) -> tuple:
    matrix = lgk.similarity_matrix(corpus, unit="report")
    neighbours = lgk.most_similar(corpus, k=1)
    return matrix, neighbours


@SETTINGS
@given(data=st.data())
def test_hostile_arrays_give_the_uncached_results(
    small_store, seed_corpus, monkeypatch, data
) -> None:
    shutil.rmtree(small_store, ignore_errors=True)
    with monkeypatch.context() as quiet:
        quiet.setenv("LAWGOVKIT_CACHE", "off")
        want = _similar(seed_corpus)
    first = _similar(seed_corpus)  # computes and stores
    files = sorted(small_store.rglob("*.npz"))
    assert files
    target = data.draw(st.sampled_from(files))
    with np.load(target, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    name = data.draw(st.sampled_from(sorted(n for n in arrays if arrays[n].dtype != np.uint8)))
    array = arrays[name].copy()
    if array.size:
        flat = array.reshape(-1)
        i = data.draw(st.integers(0, flat.size - 1))
        if array.dtype.kind == "f":
            flat[i] = data.draw(st.sampled_from([np.nan, np.inf, -np.inf, 1e300, -5.0]))
        elif array.dtype.kind in "iu":
            info = np.iinfo(array.dtype)
            flat[i] = data.draw(st.sampled_from([info.max, info.min, 10**6, -1, 0]))
        elif array.dtype.kind == "b":
            flat[i] = not flat[i]
    else:
        array = np.arange(data.draw(st.integers(1, 5)), dtype=array.dtype)
    arrays[name] = array
    np.savez(target, **arrays)
    for got in (first, run_bounded(_similar, seed_corpus, timeout=120)):
        pd.testing.assert_frame_equal(got[0], want[0])
        pd.testing.assert_frame_equal(got[1], want[1])
