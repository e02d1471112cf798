"""Worker processes (issue 22): they die with their parent, run numerical libraries on one
thread, and the parallel paths start no more of them (and no more threads) than the cores
other work leaves free.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lawgovkit import _parallel
from lawgovkit._parallel import free_cores, n_workers, process_pool
from tests.conftest import ROOT

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")


def _blas_threads() -> list[int]:
    import numpy  # noqa: F401  (its BLAS is what threadpoolctl reports)
    from threadpoolctl import threadpool_info

    return [pool["num_threads"] for pool in threadpool_info()]


@linux_only
def test_worker_runs_numerical_libraries_on_one_thread() -> None:
    pytest.importorskip("threadpoolctl")
    with process_pool(1) as pool:
        threads = pool.submit(_blas_threads).result(timeout=60)
        environment = pool.submit(os.getenv, "OPENBLAS_NUM_THREADS").result(timeout=60)
    assert threads and set(threads) == {1}
    assert environment == "1"


_ORPHANS = """
import os, sys, time
from lawgovkit._parallel import shared_runs

def slow(run):
    time.sleep(120)
    return run

def here(run):
    time.sleep(120)
    return run

if __name__ == "__main__":
    results = shared_runs(list(range(8)), here, slow, 3)
    next(results)
"""


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stream:
                    fields = stream.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stream:
            return stream.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@linux_only
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_workers_exit_when_their_parent_dies(tmp_path, signum) -> None:
    script = tmp_path / "orphans.py"
    script.write_text(_ORPHANS, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen([sys.executable, str(script)], env=env)
    try:
        workers: list[int] = []
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
            workers = _children(parent.pid)
        assert len(workers) == 2, workers
        parent.send_signal(signum)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 20
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(w) for w in workers), "workers outlived their parent"
    finally:
        parent.kill()
        for worker in _children(parent.pid):
            os.kill(worker, signal.SIGKILL)


def test_free_cores_counts_what_others_run(monkeypatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.setattr(_parallel, "_others_running", lambda: 0)
    assert free_cores() == 4
    monkeypatch.setattr(_parallel, "_others_running", lambda: 1)
    assert free_cores() == 3
    monkeypatch.setattr(_parallel, "_others_running", lambda: 9)
    assert free_cores() == 1


@linux_only
def test_n_workers_unasked_uses_only_free_cores(monkeypatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(_parallel, "_others_running", lambda: 1)  # a CPU-bound competitor
    assert n_workers(None, 500, worth_it=True) == 1
    assert n_workers(2, 500, worth_it=True) == 2  # asked for: as asked
    monkeypatch.setattr(_parallel, "_others_running", lambda: 0)
    assert n_workers(None, 500, worth_it=True) == 2


def _killing_report_from_document(document, path):
    """Stands in for the parser: in a worker process, a file named *kill* kills it (as the
    out-of-memory killer would), one named *boom* raises an unexpected error."""
    if "kill" in path.name and os.getpid() != _MAIN_PID:
        os.kill(os.getpid(), signal.SIGKILL)
    if "boom" in path.name:
        raise RuntimeError("unexpected")
    return _REAL_PARSE(document, path)


_MAIN_PID = os.getpid()
_REAL_PARSE = None


@linux_only
@pytest.mark.parametrize("errors", ["skip", "raise"])
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # below
def test_a_dying_or_raising_worker_is_reported_against_its_file(
    tmp_path, monkeypatch, errors
) -> None:
    global _REAL_PARSE
    import shutil
    import warnings

    import lawgovkit as lgk
    from lawgovkit import corpus as corpus_module
    from lawgovkit.errors import LawgovkitError
    from tests.conftest import SEED_PATHS

    _REAL_PARSE = corpus_module.report_from_document
    monkeypatch.setattr(corpus_module, "report_from_document", _killing_report_from_document)
    for i in range(40):
        shutil.copy(SEED_PATHS[i % len(SEED_PATHS)], tmp_path / f"r{i:02}.txt")
    shutil.copy(SEED_PATHS[0], tmp_path / "000_kill.txt")  # first: a worker takes it
    shutil.copy(SEED_PATHS[0], tmp_path / "001_boom.txt")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if errors == "raise":
            with pytest.raises(LawgovkitError, match=r"000_kill\.txt.*died"):
                lgk.load_corpus(tmp_path, cache=False, n_jobs=2)
            return
        corpus = lgk.load_corpus(tmp_path, errors="skip", cache=False, n_jobs=2, duplicates="keep")
    assert len(corpus) == 40
    rows = corpus.skipped.to_dict("records")
    skipped = {Path(row["path"]).name: row["message"] for row in rows}
    assert set(skipped) == {"000_kill.txt", "001_boom.txt"}
    assert "died" in skipped["000_kill.txt"]
    assert "RuntimeError: unexpected" in skipped["001_boom.txt"]


def _dies_on_zero(run: int) -> int:
    if run == 0 and os.getpid() != _MAIN_PID:
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.05)
    return run


@linux_only
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_broken_pool_leaves_no_worker_behind() -> None:
    """Before Python 3.12 the pool's own clean-up can stop half way (its thread's
    InvalidStateError, which the filter above hides) and leave a worker waiting for work,
    which multiprocessing then waits for when this process exits: it never would."""
    import multiprocessing

    from lawgovkit._parallel import surviving_runs

    before = {child.pid for child in multiprocessing.active_children()}

    def new_children() -> set[int]:
        return {child.pid for child in multiprocessing.active_children()} - before

    for _ in range(3):  # this process withdraws runs from the back while the pool breaks
        results = list(surviving_runs(list(range(40)), _dies_on_zero, _dies_on_zero, 3, str))
        assert results[0] in ("0", 0) and results[1:] == list(range(1, 40))  # 0: done here
    deadline = time.monotonic() + 10  # the last pool's idle workers exit on their own
    while new_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not new_children()


def test_an_error_that_does_not_pickle_is_sent_from_a_worker_as_its_message(tmp_path) -> None:
    import pickle

    from lawgovkit.corpus import _sendable
    from lawgovkit.errors import UnsupportedFormatError

    class Unpicklable:
        def __reduce__(self):
            raise TypeError("cannot pickle this log")

    error = UnsupportedFormatError("not a readable .docx file", path=tmp_path / "a.docx")
    error.log = Unpicklable()
    _, sent, _ = _sendable((None, error, []), tmp_path / "a.docx")
    back = pickle.loads(pickle.dumps(sent))
    assert type(back) is UnsupportedFormatError
    assert str(back) == str(error)


def _segment_or_die(texts):
    """Stands in for a tokenizer worker's run: dies (as the out-of-memory killer would kill
    it) on a run holding a text marked so."""
    if os.getpid() != _MAIN_PID and any("【die】" in text for text in texts):
        os.kill(os.getpid(), signal.SIGKILL)
    return _REAL_RUN(texts)


_REAL_RUN = None


@linux_only
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_tokenize_many_segments_here_what_a_dead_worker_held(monkeypatch) -> None:
    global _REAL_RUN
    import lawgovkit.tokenize as tokenize_module
    from lawgovkit.tokenize import Tokenizer
    from tests.conftest import SEED_PATHS

    seeds = [path.read_text(encoding="utf-8") for path in SEED_PATHS]
    texts = [f"{seeds[i % len(seeds)]}第{i}篇" for i in range(120)]
    texts[50] += "【die】"
    monkeypatch.setenv("LAWGOVKIT_CACHE", "off")
    expected = Tokenizer(backend="jieba").tokenize_many(texts, n_jobs=1)
    _REAL_RUN = tokenize_module._tokenize_run
    monkeypatch.setattr(tokenize_module, "_tokenize_run", _segment_or_die)
    assert Tokenizer(backend="jieba").tokenize_many(texts, n_jobs=3) == expected
