"""Tests of lawgovkit.cache and of load_corpus's cache and worker processes: the same tables
with or without them, corrupt entries rebuilt, nothing written beside the reports."""

from __future__ import annotations

import gzip
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

import lawgovkit.cache as cache_module
import lawgovkit.corpus as corpus_module
from lawgovkit.cache import ReportCache, cache_dir, report_cache, report_entry, report_from_entry
from lawgovkit.errors import ArgumentError, BinaryFileError, EmptyFileError, LawgovkitWarning
from lawgovkit.report import load_report
from tests.conftest import SEED_PATHS, SEEDS, StoredEntry, stored_entries

TABLES = (
    "reports",
    "sections",
    "items",
    "problems",
    "plans",
    "boilerplate",
    "skipped",
    "duplicates",
)
NOTICE = "通知\n定于下周一上午召开全体干部大会,请准时参加。\n"
BAD_FILES = {"empty.txt": (b"", EmptyFileError), "image.txt": (b"\x89PNG" + bytes(64), None)}


def _entries(root: Path) -> list[StoredEntry]:
    return stored_entries(root)


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

    monkeypatch.setattr(corpus_module, "report_from_document", no_reading)
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
        assert ReportCache(store).get(entry.name) is not None


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


@pytest.mark.parametrize(
    "stored", ["{not json", '{"sections": []}', "[1, 2]", '{"sections": [[1]], "items": []}']
)
def test_a_damaged_structure_in_an_entry_is_a_miss(stored) -> None:
    """Issue 22: an entry whose rows do not follow the schema is not used at all (the
    file is loaded again and its entry overwritten; see tests/test_cache_hostile.py)."""
    import json

    report = load_report(SEED_PATHS[0]).with_stored_rows()
    entry = json.loads(json.dumps(report_entry(report, [])))
    assert isinstance(entry["structure"], str)  # parsed only when asked for
    report_from_entry(entry, report.id, report.path)  # the entry as written is used
    entry["structure"] = stored
    with pytest.raises(ValueError, match=r"structure|row"):
        report_from_entry(entry, report.id, report.path)


def test_rows_checked_together_name_the_entries_that_fail() -> None:
    """The first pass checks the rows of every entry at once; a bad one is found among
    good ones, and only it is a miss."""
    import json

    from lawgovkit._cache_checks import failing_rows

    reports = [load_report(path).with_stored_rows() for path in SEED_PATHS[:3]]
    good = [(r.stored_rows, r.text) for r in reports]
    assert failing_rows(good) == set()
    from lawgovkit.structure import TABLES, _field_names

    rows = json.loads(reports[1].stored_rows)
    end = _field_names(TABLES["sections"][1]).index("end")
    rows["sections"][0][end] = len(reports[1].text) + 1  # an end past the text
    short = (reports[0].stored_rows, reports[0].text[:10])  # offsets past a shorter text
    stored = [*good, (json.dumps(rows), reports[1].text), short, (None, "x"), ("{}", "x")]
    assert failing_rows(stored) == {3, 4, 5, 6}


def test_an_entry_whose_structure_is_no_string_is_not_used() -> None:
    report = load_report(SEED_PATHS[0]).with_stored_rows()
    entry = report_entry(report, [])
    entry["structure"] = {"sections": []}  # the rows as layout 1 kept them
    with pytest.raises(ValueError, match="structure"):
        report_from_entry(entry, report.id, report.path)


def test_report_cache_settings(tmp_path) -> None:
    assert report_cache(False) is None
    assert report_cache(tmp_path).root == tmp_path


@pytest.mark.parametrize("path", SEED_PATHS, ids=[p.stem for p in SEED_PATHS])
def test_entries_round_trip(path) -> None:
    import json

    report = load_report(path).with_stored_rows()
    entry = json.loads(json.dumps(report_entry(report, [("LawgovkitWarning", "x")])))
    again, recorded = report_from_entry(entry, report.id, report.path)
    assert again == report and again.structure == report.structure
    assert list(again.meta) == list(report.meta)
    assert recorded == [("LawgovkitWarning", "x")]
    for name in ("sections", "items", "problems", "plans"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(report, name))


def test_a_text_files_raw_text_comes_from_its_bytes() -> None:
    """The raw text of a text file is its bytes decoded: the entry does not store it again,
    and reading it back needs those very bytes (else it is a miss)."""
    import json

    path = SEED_PATHS[0]
    data = path.read_bytes()
    report = load_report(path).with_stored_rows()
    entry = json.loads(json.dumps(report_entry(report, [], data)))
    assert entry["raw_text"] is None and entry["raw_from_bytes"] is True
    again, _ = report_from_entry(entry, report.id, report.path, data)
    assert again == report and again.raw_text == report.raw_text
    for bytes_read in (None, b"\xff\xfe\xfa", "别的".encode("utf-16")):
        with pytest.raises(ValueError, match="raw_text"):
            report_from_entry(entry, report.id, report.path, bytes_read)
    with pytest.raises(ValueError, match="raw_text"):
        report_from_entry({**entry, "encoding": "rot13"}, report.id, report.path, data)
    # bytes that do not decode to the raw text: stored as it is
    other = report_entry(report, [], data + "。".encode())
    assert other["raw_text"] == report.raw_text and other["raw_from_bytes"] is False


# --- worker processes ------------------------------------------------------------------


@pytest.mark.parametrize("share", ["shared", "workers only"])
@pytest.mark.parametrize("cached", [False, True])
def test_worker_processes_give_the_same_corpus(
    corpus_folder, tmp_path, cached, share, monkeypatch
) -> None:
    import concurrent.futures

    one = corpus_module.load_corpus(corpus_folder, cache=False, n_jobs=1)
    store = tmp_path / "cache" if cached else False
    monkeypatch.setattr(corpus_module, "_CHUNK", 2)  # a run per file, to share out
    if share == "workers only":  # this process withdraws no run: the workers do them all
        monkeypatch.setattr(concurrent.futures.Future, "cancel", lambda future: False)
    two = corpus_module.load_corpus(corpus_folder, cache=store, n_jobs=2)
    _assert_same_tables(one, two)
    for name in ("sections", "items", "problems", "plans"):
        _same_missing_values(getattr(two, name), getattr(one, name))
    if share == "workers only":
        # a worker sends the structure back as rows, built again when first asked for;
        # the corpus tables are made from the rows without building it
        assert all(report.stored_rows is not None for report in two)
    assert [r.structure for r in two] == [r.structure for r in one]
    assert list(two) == list(one)
    if cached:  # each worker stored its reports in the one database, read back whole
        assert len(_entries(store)) == len(SEED_PATHS)
        _assert_same_tables(corpus_module.load_corpus(corpus_folder, cache=store), one)


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


# --- a corpus's tables -----------------------------------------------------------------


def _tables(root: Path) -> list[Path]:
    return sorted(root.glob("tables/*/*.json.gz"))


def _same_missing_values(one: pd.DataFrame, other: pd.DataFrame) -> None:
    """assert_frame_equal takes None for NaN; a stored table must keep which it was."""
    for column in one.columns:
        if one[column].dtype == object:
            assert [type(v) for v in one[column]] == [type(v) for v in other[column]], column


def test_tables_are_stored_and_read_back_exactly(corpus_folder, tmp_path, monkeypatch) -> None:
    store = tmp_path / "store"
    uncached = corpus_module.load_corpus(corpus_folder, cache=False)
    cold = corpus_module.load_corpus(corpus_folder, cache=store)
    _assert_same_tables(cold, uncached)
    assert {p.name.split("-")[1] for p in _tables(store)} == {
        "sections.json.gz",
        "items.json.gz",
        "problems.json.gz",
        "plans.json.gz",
        "duplicates.json.gz",
    }

    import lawgovkit.duplicates as duplicates_module
    import lawgovkit.structure as structure_module

    def no_parsing(*args, **kwargs):
        raise AssertionError("a warm load must take the tables from the cache")

    monkeypatch.setattr(structure_module, "frames_of_rows", no_parsing)
    monkeypatch.setattr(structure_module, "parse_structure", no_parsing)
    monkeypatch.setattr(duplicates_module, "find_duplicates", no_parsing)
    warm = corpus_module.load_corpus(corpus_folder, cache=store)
    _assert_same_tables(warm, uncached)
    for name in ("sections", "items", "problems", "plans"):
        _same_missing_values(getattr(warm, name), getattr(uncached, name))
    # the reports' structures are built from the entries only when asked for
    report = next(iter(warm))
    assert report.stored_rows is not None
    assert report.structure == uncached[report.id].structure


def test_table_records_keep_dtypes_and_missing_values() -> None:
    from lawgovkit.cache import frame_from_record, frame_record

    texts = {"a": "一二三四五", "b": "甲乙丙"}
    frame = pd.DataFrame(
        {
            "report_id": ["a", "a", "b"],
            "start": [0, 2, 1],
            "end": [2, 5, 3],
            "text": ["一二", "不是切片", "乙丙"],  # the second is not its slice: stored as is
            "note": pd.Series([None, float("nan"), "x"], dtype=object),
            "label": pd.Series(["x", None, "y"], dtype="str"),
            "number": pd.array([1, None, 3], dtype="Int64"),
            "score": [0.5, float("nan"), 1.0],
            "flag": [True, False, True],
        }
    )
    import json

    record = json.loads(json.dumps(frame_record(frame, texts)))
    assert record["sliced"] == [0, 2]
    again = frame_from_record(record, texts)
    pd.testing.assert_frame_equal(again, frame, check_exact=True)
    _same_missing_values(again, frame)


def test_tables_that_cannot_be_stored_exactly_are_not(tmp_path) -> None:
    from lawgovkit.cache import frame_record

    with pytest.raises(TypeError):
        frame_record(pd.DataFrame({"when": pd.to_datetime(["2024-01-01"])}), {})
    with pytest.raises(TypeError):
        frame_record(pd.DataFrame({"x": [1]}, index=["a"]), {})
    assert not ReportCache(tmp_path).put_table("k", "t", pd.DataFrame({"x": [1]}, index=[5]), {})


def test_corrupt_tables_are_ignored_and_rebuilt(corpus_folder, tmp_path) -> None:
    store = tmp_path / "store"
    uncached = corpus_module.load_corpus(corpus_folder, cache=False)
    _assert_same_tables(corpus_module.load_corpus(corpus_folder, cache=store), uncached)
    for path in _tables(store):
        path.write_bytes(gzip.compress(b'{"layout": 1, "rows": 3, "columns": [["x"]]}'))
    _assert_same_tables(corpus_module.load_corpus(corpus_folder, cache=store), uncached)
    _assert_same_tables(corpus_module.load_corpus(corpus_folder, cache=store), uncached)


def test_the_corpus_key_follows_files_errors_and_sidecar(corpus_folder, tmp_path) -> None:
    store = tmp_path / "store"

    def key(**options):
        corpus = corpus_module.load_corpus(corpus_folder, cache=store, **options)
        return corpus._tables_cache[1]

    first = key()
    assert key() == first
    assert key(errors="skip") != first
    sidecar = pd.DataFrame({"id": [SEED_PATHS[0].stem], "report_year": ["2030"]})
    with_sidecar = key(metadata=sidecar)
    assert with_sidecar != first
    corpus = corpus_module.load_corpus(corpus_folder, cache=store, metadata=sidecar)
    assert corpus.reports.loc[SEED_PATHS[0].stem, "report_year"] == 2030
    changed = corpus_folder / SEED_PATHS[1].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n补充。", encoding="utf-8")
    assert key() != first
    assert corpus_module.load_corpus(corpus_folder, cache=False)._tables_cache is None


# --- atomic writes ---------------------------------------------------------------------


def test_an_atomic_write_makes_its_folder_and_leaves_no_temporary_file(tmp_path) -> None:
    from lawgovkit.cache import write_atomically

    target = tmp_path / "a" / "b" / "entry.json.gz"
    write_atomically(target, lambda stream: stream.write(b"one"))
    write_atomically(target, lambda stream: stream.write(b"two"))  # replaced whole
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["entry.json.gz"]


def test_an_atomic_write_that_fails_leaves_the_old_file(tmp_path) -> None:
    from lawgovkit.cache import write_atomically

    target = tmp_path / "entry.json.gz"
    target.write_bytes(b"old")

    def broken(stream):
        stream.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, broken)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["entry.json.gz"]


def test_a_cache_folder_has_one_key_and_its_entries_are_keyed(tmp_path) -> None:
    first, second = ReportCache(tmp_path / "c"), ReportCache(tmp_path / "c")
    assert first.secret is not None and len(first.secret) == 32
    assert second.secret == first.secret and first.trusted
    assert (tmp_path / "c" / "secret").read_bytes() == first.secret
    first.put("ab" * 20, {"text": "x"})
    assert second.get("ab" * 20) == {"text": "x", "layout": cache_module._LAYOUT}
    # the same entry under another folder's key is a miss (written elsewhere, or by hand)
    other = ReportCache(tmp_path / "other")
    assert other.entries.put("ab" * 20, first.entries.get("ab" * 20))
    assert other.get("ab" * 20) is None


def test_a_folder_without_a_usable_key_checks_every_entry(tmp_path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "secret").write_bytes(b"short")
    cache = ReportCache(tmp_path / "c")
    assert cache.secret is None and not cache.trusted
    cache.put("cd" * 20, {"text": "y"})
    assert cache.get("cd" * 20) == {"text": "y", "layout": cache_module._LAYOUT}


@pytest.mark.parametrize("trusted", [True, False])
def test_a_hits_text_as_read_is_its_files(tmp_path, monkeypatch, trusted) -> None:
    """A hit's raw text stays in its file (the look-up keeps no bytes); in a cache that is
    not trusted, an entry whose encoding does not decode the file's bytes is a miss."""
    folder = tmp_path / "reports"
    folder.mkdir()
    path = folder / SEED_PATHS[0].name
    shutil.copyfile(SEED_PATHS[0], path)
    root = tmp_path / "c"
    if not trusted:
        root.mkdir()
        (root / "secret").write_bytes(b"short")  # no usable key: every entry is checked
    (first,) = corpus_module.load_corpus(folder, cache=root)
    cache = ReportCache(root)
    assert cache.trusted is trusted
    (hit,) = corpus_module.load_corpus(folder, cache=root)
    assert hit.source is not None and hit.source.path == str(path)
    assert hit.raw_text == first.raw_text
    key = cache.key(path.read_bytes(), path)
    entry = cache.get(key)
    assert entry["raw_from_bytes"] is True
    cache.put(key, {**entry, "encoding": "ascii"})  # planted: the bytes are not ASCII
    loaded = []
    original = corpus_module._load_one
    monkeypatch.setattr(
        corpus_module, "_load_one", lambda *job: loaded.append(job[0]) or original(*job)
    )
    (third,) = corpus_module.load_corpus(folder, cache=root)
    assert loaded == ([] if trusted else [path])  # a trusted cache's entries are not checked
    if not trusted:
        assert third.raw_text == first.raw_text
