"""Worker-process counts and the garbage-collector pause shared by bulk work."""

from __future__ import annotations

import gc
import os

import pytest

import lawgovkit.corpus as corpus_module
from lawgovkit._parallel import _SPLICED_GENERATIONS, collector_paused, n_workers, shared_runs
from lawgovkit.errors import ArgumentError, LawgovkitError


@pytest.mark.parametrize("n_jobs", [0, -2, 1.5, "2"])
def test_n_jobs_must_be_a_count_or_minus_one(n_jobs) -> None:
    with pytest.raises(ArgumentError, match="n_jobs"):
        n_workers(n_jobs, 10, worth_it=True)


def test_an_explicit_count_is_kept_within_the_tasks(monkeypatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert n_workers(3, 10, worth_it=False) == 3
    assert n_workers(3, 2, worth_it=False) == 2
    assert n_workers(-1, 10, worth_it=False) == 4
    assert n_workers(1, 10, worth_it=True) == 1


def test_by_default_several_only_when_it_pays_on_linux(monkeypatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    monkeypatch.setattr("sys.platform", "linux")
    assert n_workers(None, 100, worth_it=False) == 1
    assert n_workers(None, 100, worth_it=True) == 8  # never more than 8 unasked
    assert n_workers(None, 3, worth_it=True) == 3
    monkeypatch.setattr("sys.platform", "darwin")
    assert n_workers(None, 100, worth_it=True) == 1  # elsewhere only when asked


def test_the_collector_is_paused_then_restored_as_it_was() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # a collector the caller turned off stays off
    finally:
        gc.enable()


@pytest.mark.skipif(not _SPLICED_GENERATIONS, reason="no hand-off on this interpreter")
def test_what_the_block_built_is_handed_to_the_oldest_generation() -> None:
    """The first collection after a batch does not walk it: it is already old."""
    with collector_paused():
        built = [[str(i)] for i in range(1_000)]
    young = {id(o) for o in gc.get_objects(generation=0) + gc.get_objects(generation=1)}
    assert all(gc.is_tracked(o) and id(o) not in young for o in built)
    assert {id(o) for o in built} <= {id(o) for o in gc.get_objects(generation=2)}
    assert gc.get_count()[0] < 700  # the count of young allocations starts again


def test_objects_the_caller_froze_stay_frozen() -> None:
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        with collector_paused():
            built = [[1] for _ in range(100)]
        assert gc.get_freeze_count() == frozen
        young = {id(o) for o in gc.get_objects(generation=0)}
        if _SPLICED_GENERATIONS:
            assert {id(o) for o in built} <= young  # left where the collector put them
    finally:
        gc.unfreeze()


def test_loading_restores_the_collector_even_when_a_file_fails(tmp_path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(LawgovkitError):
        corpus_module.load_corpus(tmp_path, cache=False)
    assert gc.isenabled()


@pytest.mark.filterwarnings("ignore::lawgovkit.errors.LawgovkitWarning")  # news pages, 404s
@pytest.mark.parametrize(
    ("folder", "cache"), [("seeds", False), ("fixtures", False), ("seeds", None)]
)
def test_loading_the_tables_and_tokens_make_no_reference_cycles(folder, cache, tmp_path):
    """What the package builds is freed by reference counting alone, so pausing the cyclic
    collector (:func:`collector_paused`, as tokenizing does) loses nothing. A nested
    function calling itself, a cycle, held every report's sections until the next
    collection: with the collector paused for a whole load, 20 KB a report, and a heap
    left fragmented after it."""
    import shutil

    import lawgovkit as lgk
    from tests.conftest import ROOT

    if folder == "seeds":
        source = ROOT / "seeds"
    else:  # the web pages and odd reports the fixtures hold, in one folder
        source = tmp_path / "files"
        source.mkdir()
        for n, path in enumerate(sorted((ROOT / "tests" / "fixtures").rglob("*"))):
            if path.suffix in {".txt", ".html"}:
                shutil.copy(path, source / f"{n:02d}{path.suffix}")
    # the data files and jieba's dictionary load once (its imports leave garbage of their
    # own); with cache=None this fills the test's own cache, which the second load reads
    # (as a re-run does, with the collector paused: cache.look_up)
    lgk.load_corpus(source, cache=cache, n_jobs=1, errors="skip")
    lgk.Tokenizer(backend="jieba")("预热")
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        with collector_paused():
            corpus = lgk.load_corpus(source, cache=cache, n_jobs=1, errors="skip")
            for table in ("reports", "sections", "items", "problems", "plans", "claims"):
                getattr(corpus, table)
            lgk.Tokenizer(backend="jieba").tokenize_many([r.text for r in corpus])
        gc.collect()
        left = sorted({type(o).__qualname__ for o in gc.garbage})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == [], left


def test_files_are_read_with_the_collector_running(tmp_path, monkeypatch) -> None:
    """The .docx and .pdf readers' libraries leave object graphs with cycles, which only
    the collector frees: loading must not pause it, or they pile up for the whole load."""
    from tests.conftest import SEED_PATHS
    from tests.forms import write_docx

    write_docx(SEED_PATHS[0].read_text(encoding="utf-8"), tmp_path / "seed.docx")
    (tmp_path / "seed.txt").write_text(SEED_PATHS[1].read_text(encoding="utf-8"))
    states = []
    load_one = corpus_module._load_one

    def watched(*args, **kwargs):
        states.append(gc.isenabled())
        return load_one(*args, **kwargs)

    monkeypatch.setattr(corpus_module, "_load_one", watched)
    corpus_module.load_corpus(tmp_path, cache=False, n_jobs=1)
    assert states == [True, True]


def _square_all(run: list[int]) -> list[int]:
    return [n * n for n in run]


@pytest.mark.parametrize("share", ["shared", "workers only"])
def test_shared_runs_come_back_in_order(share, monkeypatch) -> None:
    import concurrent.futures

    if share == "workers only":  # this process withdraws no run
        monkeypatch.setattr(concurrent.futures.Future, "cancel", lambda future: False)
    runs = [list(range(i, i + 3)) for i in range(0, 60, 3)]
    here = []
    results = shared_runs(runs, lambda run: here.append(run) or _square_all(run), _square_all, 2)
    assert list(results) == [_square_all(run) for run in runs]
    if share == "workers only":
        assert here == []


def test_shared_runs_can_stop_early() -> None:
    results = shared_runs([[1], [2], [3], [4]], _square_all, _square_all, 2)
    assert next(results) == [1]
    results.close()  # withdraws what no worker started, waits for the rest
