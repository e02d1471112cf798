"""Tests of lawgovkit.cache and of load_corpus's cache and worker processes: the same tables
with or without them, corrupt entries rebuilt, nothing written beside the reports."""

from __future__ import annotations

import gzip
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

import lawgovkit.corpus as corpus_module
from lawgovkit.cache import ReportCache, cache_dir, report_cache, report_entry, report_from_entry
from lawgovkit.errors import ArgumentError, BinaryFileError, EmptyFileError, LawgovkitWarning
from lawgovkit.report import load_report
from tests.conftest import SEED_PATHS, SEEDS

TABLES = ("reports", "sections", "items", "problems", "plans", "boilerplate", "skipped")
NOTICE = "通知\n定于下周一上午召开全体干部大会,请准时参加。\n"
BAD_FILES = {"empty.txt": (b"", EmptyFileError), "image.txt": (b"\x89PNG" + bytes(64), None)}


def _entries(root: Path) -> list[Path]:
    return sorted(root.glob("reports/*/*.json.gz"))


def _assert_same_tables(one, other) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(one, name), getattr(other, name), check_exact=True)


@pytest.fixture
def corpus_folder(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for seed in SEED_PATHS:
        shutil.copy(seed, folder / seed.name)
    return folder


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("off", None), ("OFF", None), ("0", None), ("false", None), ("/x/cache", Path("/x/cache"))],
)
def test_cache_dir_from_the_environment(monkeypatch, setting, expected) -> None:
    monkeypatch.setenv("LAWGOVKIT_CACHE", setting)
    assert cache_dir() == expected


def test_cache_dir_default_is_the_user_cache(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("LAWGOVKIT_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "lawgovkit"


def test_warm_load_equals_cold_and_uncached(corpus_folder, tmp_path, monkeypatch) -> None:
    store = tmp_path / "store"
    uncached = corpus_module.load_corpus(corpus_folder, cache=False)
    assert not store.exists()
    cold = corpus_module.load_corpus(corpus_folder, cache=store)
    assert len(_entries(store)) == len(SEED_PATHS)

    def no_reading(*args, **kwargs):
        raise AssertionError("a warm load must not read and parse the files again")

    monkeypatch.setattr(corpus_module, "load_report", no_reading)
    warm = corpus_module.load_corpus(corpus_folder, cache=store)
    _assert_same_tables(cold, uncached)
    _assert_same_tables(warm, uncached)
    for report in warm:
        assert report == uncached[report.id]
        assert report.meta == uncached[report.id].meta
        assert report.outline() == uncached[report.id].outline()


def test_cache_on_by_default_in_the_folder_the_environment_names(corpus_folder, tmp_path):
    import os

    corpus_module.load_corpus(corpus_folder)
    assert len(_entries(Path(os.environ["LAWGOVKIT_CACHE"]))) == len(SEED_PATHS)


@pytest.mark.parametrize("how", ["environment", "argument"])
def test_cache_off_writes_nothing(corpus_folder, tmp_path, monkeypatch, how) -> None:
    store = tmp_path / "store"
    monkeypatch.setenv("LAWGOVKIT_CACHE", "off" if how == "environment" else str(store))
    corpus_module.load_corpus(corpus_folder, cache=None if how == "environment" else False)
    assert not store.exists()


def test_nothing_is_written_beside_the_reports(corpus_folder, tmp_path) -> None:
    before = sorted(p.name for p in corpus_folder.rglob("*"))
    corpus_module.load_corpus(corpus_folder, cache=tmp_path / "store")
    corpus_module.load_corpus(corpus_folder, cache=tmp_path / "store")
    assert sorted(p.name for p in corpus_folder.rglob("*")) == before


@pytest.mark.parametrize(
    "damage",
    [
        b"not gzip at all",
        gzip.compress(b"{truncated"),
        gzip.compress(b'{"layout": 999}'),
        gzip.compress(b'{"layout": 1, "text": "no other fields"}'),
        gzip.compress(b"[1, 2, 3]"),
        b"",
    ],
)
def test_corrupt_entries_are_ignored_and_rebuilt(corpus_folder, tmp_path, damage) -> None:
    store = tmp_path / "store"
    reference = corpus_module.load_corpus(corpus_folder, cache=False)
    corpus_module.load_corpus(corpus_folder, cache=store)
    for entry in _entries(store):
        entry.write_bytes(damage)
    again = corpus_module.load_corpus(corpus_folder, cache=store)
    _assert_same_tables(again, reference)
    for entry in _entries(store):  # rewritten whole
        assert ReportCache(store).get(entry.name.removesuffix(".json.gz")) is not None


def test_a_changed_file_is_read_again(corpus_folder, tmp_path) -> None:
    store = tmp_path / "store"
    corpus_module.load_corpus(corpus_folder, cache=store)
    target = corpus_folder / SEED_PATHS[0].name
    target.write_text(target.read_text(encoding="utf-8").replace("江夏区", "黄陂区"), "utf-8")
    corpus = corpus_module.load_corpus(corpus_folder, cache=store)
    assert corpus[SEED_PATHS[0].stem].meta["jurisdiction"] == "黄陂区"
    assert len(_entries(store)) == len(SEED_PATHS) + 1


def test_an_unwritable_cache_does_not_stop_loading(corpus_folder, tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    corpus = corpus_module.load_corpus(corpus_folder, cache=blocker)
    assert len(corpus) == len(SEED_PATHS)


def test_warnings_are_given_again_on_a_warm_load(tmp_path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "notice.txt").write_text(NOTICE, encoding="utf-8")
    for _ in range(2):  # cold, then from the cache
        with pytest.warns(LawgovkitWarning, match="does not look like"):
            corpus = corpus_module.load_corpus(folder, cache=tmp_path / "store")
        assert not corpus["notice"].is_report


def test_keys_depend_on_bytes_path_and_encoding() -> None:
    key = ReportCache.key(b"abc", "a.txt")
    assert key == ReportCache.key(b"abc", "a.txt")
    assert key != ReportCache.key(b"abd", "a.txt")
    assert key != ReportCache.key(b"abc", "b.txt")
    assert key != ReportCache.key(b"abc", "a.txt", encoding="gbk")


def test_report_cache_settings(tmp_path) -> None:
    assert report_cache(False) is None
    assert report_cache(tmp_path).root == tmp_path


@pytest.mark.parametrize("path", SEED_PATHS, ids=[p.stem for p in SEED_PATHS])
def test_entries_round_trip(path) -> None:
    import json

    report = load_report(path)
    _ = report.structure
    entry = json.loads(json.dumps(report_entry(report, [("LawgovkitWarning", "x")])))
    again, recorded = report_from_entry(entry, report.id, report.path)
    assert again == report and again.structure == report.structure
    assert list(again.meta) == list(report.meta)
    assert recorded == [("LawgovkitWarning", "x")]
    for name in ("sections", "items", "problems", "plans"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(report, name))


# --- worker processes ------------------------------------------------------------------


def test_worker_processes_give_the_same_corpus(corpus_folder) -> None:
    one = corpus_module.load_corpus(corpus_folder, cache=False, n_jobs=1)
    two = corpus_module.load_corpus(corpus_folder, cache=False, n_jobs=2)
    _assert_same_tables(one, two)


def test_worker_processes_report_bad_files_like_one_process(corpus_folder) -> None:
    for name, (data, _) in BAD_FILES.items():
        (corpus_folder / name).write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one = corpus_module.load_corpus(corpus_folder, errors="skip", cache=False, n_jobs=1)
        two = corpus_module.load_corpus(corpus_folder, errors="skip", cache=False, n_jobs=2)
    pd.testing.assert_frame_equal(one.skipped, two.skipped)
    assert set(two.skipped["error"]) == {EmptyFileError.__name__, BinaryFileError.__name__}
    with pytest.raises(EmptyFileError, match=r"empty\.txt"):  # the first bad file
        corpus_module.load_corpus(corpus_folder, cache=False, n_jobs=2)


@pytest.mark.parametrize("n_jobs", [0, -2])
def test_n_jobs_is_checked(n_jobs) -> None:
    with pytest.raises(ArgumentError, match="n_jobs"):
        corpus_module.load_corpus(SEEDS, n_jobs=n_jobs)
