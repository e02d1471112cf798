"""Tests of lawgovkit._store: keys, and entries that are read back exactly or not at all."""

from __future__ import annotations

import pickle
import sqlite3

import numpy as np
import pytest

from lawgovkit import _store
from lawgovkit._store import ArrayStore, EntryStore, Key, array_store


def _entry() -> dict[str, np.ndarray]:
    return {
        "data": np.array([0.5, 1.0 / 3.0, -0.0, np.inf]),
        "indices": np.array([3, 1, 2], dtype=np.int32),
        "big": np.arange(4, dtype=np.int64).reshape(2, 2),
        "kept": np.array([True, False]),
    }


def test_put_then_get_gives_the_same_arrays_and_document(tmp_path):
    store = ArrayStore(tmp_path)
    key = Key("test").text("x").hexdigest()
    assert store.put(key, _entry(), {"terms": ["行政复议", "调解"], "n": 2})
    found = store.get(key)
    assert found is not None
    stored, meta = found
    assert meta == {"terms": ["行政复议", "调解"], "n": 2}
    assert set(stored) == set(_entry())
    for name, value in _entry().items():
        assert stored[name].dtype == value.dtype
        assert stored[name].shape == value.shape
        assert stored[name].tobytes() == value.tobytes()  # bit for bit, -0.0 included
    assert store.path(key) == tmp_path / key[:2] / f"{key}.npz"
    assert [p.name for p in tmp_path.rglob("*")] == [key[:2], f"{key}.npz"]  # no temp left


def test_missing_entry_is_none(tmp_path):
    assert ArrayStore(tmp_path).get(Key("test").hexdigest()) is None
    assert ArrayStore(tmp_path / "absent").get(Key("test").hexdigest()) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: b"",  # empty
        lambda data: b"not a zip file at all",
        lambda data: data[:300] + bytes([data[300] ^ 0xFF]) + data[301:],  # one bit flipped
    ],
    ids=["truncated", "empty", "garbage", "bit-flip"],
)
def test_a_damaged_entry_is_ignored(tmp_path, damage):
    store = ArrayStore(tmp_path)
    key = Key("test").text("damaged").hexdigest()
    assert store.put(key, {"values": np.arange(100.0)})
    path = store.path(key)
    path.write_bytes(damage(path.read_bytes()))
    assert store.get(key) is None


def test_an_entry_under_another_key_is_ignored(tmp_path):
    store = ArrayStore(tmp_path)
    first, second = Key("test").text("a").hexdigest(), Key("test").text("b").hexdigest()
    assert store.put(first, {"values": np.arange(3)})
    store.path(second).parent.mkdir(parents=True, exist_ok=True)
    store.path(first).rename(store.path(second))
    assert store.get(second) is None


def test_pickled_content_is_never_loaded(tmp_path):
    store = ArrayStore(tmp_path)
    key = Key("test").text("pickle").hexdigest()
    store.path(key).parent.mkdir(parents=True)
    np.savez(store.path(key), values=np.array([{"a": 1}], dtype=object))  # pickles
    assert store.get(key) is None
    assert not store.put(key + "0", {"values": np.array([{"a": 1}], dtype=object)})


def test_an_unwritable_folder_only_means_nothing_is_stored(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    store = ArrayStore(blocker / "arrays")  # cannot be created: a file is in the way
    key = Key("test").hexdigest()
    assert store.put(key, {"values": np.arange(3)}) is False
    assert store.get(key) is None


def test_key_pieces_do_not_run_together():
    assert Key("t").text("ab").text("c").hexdigest() != Key("t").text("a").text("bc").hexdigest()
    assert Key("t").text("x").hexdigest() != Key("u").text("x").hexdigest()
    same = np.arange(6, dtype=np.int64)
    assert Key("t").array(same).hexdigest() != Key("t").array(same.reshape(2, 3)).hexdigest()
    assert Key("t").array(same).hexdigest() != Key("t").array(same.astype(np.int32)).hexdigest()
    in_order = Key("t").data({"a": 1, "b": 2}).hexdigest()
    assert in_order == Key("t").data({"b": 2, "a": 1}).hexdigest()


def test_key_holds_lawgovkit_fingerprint(monkeypatch):
    before = Key("t").text("x").hexdigest()
    monkeypatch.setattr(_store, "fingerprint", lambda: "another lawgovkit")
    assert Key("t").text("x").hexdigest() != before


def test_store_follows_the_cache_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("LAWGOVKIT_CACHE", str(tmp_path))
    assert array_store().root == tmp_path / "arrays"
    monkeypatch.setenv("LAWGOVKIT_CACHE", "off")
    assert array_store() is None


def test_the_old_module_paths_still_work():
    import lawgovkit.arrays
    import lawgovkit.cache

    assert lawgovkit.arrays.ArrayStore is ArrayStore
    assert lawgovkit.arrays.array_store is array_store
    assert lawgovkit.cache.cache_dir is _store.cache_dir
    assert lawgovkit.cache.write_atomically is _store.write_atomically
    assert lawgovkit.cache.fingerprint is _store.fingerprint


def test_the_version_is_the_packages():
    import lawgovkit

    assert lawgovkit.__version__ == _store.__version__


def test_lists_are_stored_as_codes_in_order_of_first_use(tmp_path):
    """The entry a batch of token lists makes: int32 codes numbering the words in the order
    they first come (as pandas' factorize numbers them), the lengths, the vocabulary."""
    import pandas as pd

    lists = [["行政", "复议", "行政"], [], ["复议", "调解"], ["调解"]]
    store, key = ArrayStore(tmp_path), Key("t").text("lists").hexdigest()
    assert store.put_lists(key, lists)
    arrays, meta = store.get(key)
    codes, vocabulary = pd.factorize(np.array([w for words in lists for w in words], object))
    assert arrays["codes"].dtype == np.int32
    assert arrays["codes"].tolist() == codes.tolist() == [0, 1, 0, 1, 2, 2]
    assert meta["vocabulary"] == list(vocabulary) == ["行政", "复议", "调解"]
    assert arrays["counts"].tolist() == [3, 0, 2, 1]
    assert store.get_lists(key, 4) == lists


# ---------------------------------------------------------------------------------------
# EntryStore: many small entries in one SQLite file


def _put_many(path: str, worker: int, count: int) -> None:
    store = EntryStore(path)
    for i in range(count):
        assert store.put(f"{worker}-{i}", f"第{i}条".encode() * (i % 7 + 1))


def test_entries_written_by_processes_at_once_are_all_kept(tmp_path):
    import multiprocessing

    path = str(tmp_path / "entries.sqlite3")
    context = multiprocessing.get_context("spawn")  # no state shared but the file
    workers = [context.Process(target=_put_many, args=(path, w, 150)) for w in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(120)
        assert process.exitcode == 0
    store = EntryStore(path)
    assert len(store.all_keys()) == 600
    assert store.get("3-13") == "第13条".encode() * 7


def test_a_store_opened_before_a_fork_is_used_by_the_child_on_its_own(tmp_path):
    import multiprocessing

    store = EntryStore(tmp_path / "entries.sqlite3")
    assert store.put("parent", b"1")
    child = multiprocessing.get_context("fork").Process(target=store.put, args=("child", b"2"))
    child.start()
    child.join(60)
    assert child.exitcode == 0
    assert store.put("parent again", b"3")  # the parent's connection still works
    assert store.all_keys() == ["child", "parent", "parent again"]
    assert pickle.loads(pickle.dumps(store)).get("child") == b"2"  # sent: path only


@pytest.mark.parametrize(
    "damage", [b"not a database at all" * 100, b"SQLite format 3\0" + bytes(200)]
)
def test_a_damaged_database_is_set_aside_and_a_new_one_begun(tmp_path, damage):
    path = tmp_path / "entries.sqlite3"
    path.write_bytes(damage)
    store = EntryStore(path)
    assert store.get("a") is None
    assert store.put("a", b"x") and store.get("a") == b"x"
    assert (tmp_path / "entries.sqlite3.damaged").read_bytes() == damage


def test_entries_are_read_from_a_folder_that_cannot_be_written(tmp_path, monkeypatch):
    store = EntryStore(tmp_path / "entries.sqlite3")
    assert store.put("a", b"x")
    store.close()

    def refuse(*args, **kwargs):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(EntryStore, "_open", refuse)
    reader = EntryStore(tmp_path / "entries.sqlite3")
    assert reader.get("a") == b"x" and reader.all_keys() == ["a"]
    assert not reader.put("b", b"y")  # read only: nothing stored, nothing raised
    assert EntryStore(tmp_path / "absent" / "entries.sqlite3").get("a") is None
    assert not (tmp_path / "absent").exists()  # a look-up creates nothing


def _numbered_one_by_one(words: list) -> tuple[list[int], list[str]]:
    numbering = _store.Numbering()
    return [numbering[word] for word in words], list(numbering)


@pytest.mark.parametrize("interned", [True, False])
def test_numbering_many_words_gives_the_numbers_of_one_look_up_a_word(interned: bool) -> None:
    """Numbered by identity (several runs of words) or, once the objects are mostly
    distinct, one by one: the numbers and their order are those of a look-up a word."""
    vocabulary = ["依法行政", "行政复议", "普法", "执法", "", "法治政府"]
    rng = np.random.default_rng(7)
    picks = rng.integers(0, len(vocabulary), size=700_000).tolist()
    if interned:  # a tokenizer's words: the same few objects again and again
        words = [vocabulary[i] for i in picks]
    else:  # equal words that are distinct objects
        words = ["".join([vocabulary[i], "x"])[:-1] for i in picks]
        some = [word for word in words[:100] if word]  # "" is one object whatever made it
        assert len({id(word) for word in some}) == len(some)
    expected, order = _numbered_one_by_one(words)
    numbering = _store.Numbering()
    numbers = numbering.numbers(iter(words), len(words), np.int32)
    assert numbers.dtype == np.int32
    assert numbers.tolist() == expected
    assert list(numbering) == order
    # a numbering that already holds words keeps their numbers
    again = numbering.numbers(iter(["新词", *words[:9999]]), 10_000)
    assert again.tolist() == [len(order), *expected[:9999]]


def test_numbering_a_few_words_and_a_short_iterator() -> None:
    numbering = _store.Numbering()
    assert numbering.numbers(iter(["甲", "乙", "甲"]), 3).tolist() == [0, 1, 0]
    assert numbering.numbers(iter([]), 0).tolist() == []
    with pytest.raises(ValueError):
        numbering.numbers(iter(["甲"] * 5000), 6000)
