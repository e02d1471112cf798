"""Worker-process counts and the garbage-collector pause shared by bulk work."""

from __future__ import annotations

import gc
import os

import pytest

import lawgovkit.corpus as corpus_module
from lawgovkit._parallel import collector_paused, n_workers, shared_runs
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


def test_loading_restores_the_collector_even_when_a_file_fails(tmp_path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(LawgovkitError):
        corpus_module.load_corpus(tmp_path, cache=False)
    assert gc.isenabled()


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
