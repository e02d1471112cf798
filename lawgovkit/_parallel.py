"""Bulk work: how many worker processes a job gets, how the work is shared between them
and the calling process, and a pause of the garbage collector while many objects are built.

Shared by :func:`lawgovkit.load_corpus` (reading and parsing files) and
:meth:`lawgovkit.Tokenizer.tokenize_many` (segmenting texts), so both read ``n_jobs`` the
same way: None decides by itself (several processes only on Linux and for work large
enough to pay for them), -1 is one process per core, a positive number is that many.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import operator
import os
import sys
import sysconfig
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from lawgovkit.errors import ArgumentError

Run = TypeVar("Run")

# Never more processes than this when n_jobs is None: the jobs are short and each process
# holds its own copy of the parsers' or the segmenter's state.
_MAX_AUTO = 8


def n_workers(n_jobs: int | None, n_tasks: int, *, worth_it: bool) -> int:
    """How many processes to run ``n_tasks`` tasks with.

    ``n_jobs`` as the public functions take it. With None, several only when ``worth_it``
    (the work is large enough for starting processes to pay), on Linux (elsewhere a new
    process re-imports the calling script, which must then guard its code with
    ``if __name__ == "__main__":``: the caller has to ask) and when there are several cores.

    Examples
    --------
    >>> n_workers(1, 500, worth_it=True)
    1
    >>> n_workers(4, 2, worth_it=False)
    2
    >>> n_workers(None, 500, worth_it=False)
    1
    """
    if n_jobs is not None:
        try:
            count = operator.index(n_jobs)
        except TypeError:
            count = 0
        if count == 0 or count < -1:
            raise ArgumentError(f"n_jobs={n_jobs!r} must be a positive number of processes or -1")
        wanted = (os.cpu_count() or 1) if count == -1 else count
        return max(1, min(n_tasks, wanted))
    if not worth_it or not sys.platform.startswith("linux"):
        return 1
    return max(1, min(n_tasks, free_cores(), _MAX_AUTO))


def free_cores() -> int:
    """The cores not busy with other work: the cores, less the processes and threads of
    others running or waiting to run right now (Linux's ``/proc/loadavg``; the least of
    three looks 20 ms apart, so a passing burst does not count). At least 1.

    On a machine where another job keeps a core busy, several processes (or BLAS and
    numpy threads) would only take turns on the cores left, each slowed by the others and
    by the switching: the parallel paths ask here how many to start when not told.
    """
    cores = os.cpu_count() or 1
    return max(1, cores - _others_running())


def _others_running() -> int:
    """Runnable tasks other than this one (0 when the system does not say)."""
    import time

    counts = []
    for attempt in range(3):
        try:
            with open("/proc/loadavg") as stream:
                running = int(stream.read().split()[3].split("/")[0])
        except (OSError, ValueError, IndexError):
            return 0
        counts.append(running - 1)  # this process reading is running
        if attempt < 2:
            time.sleep(0.02)
    return max(0, min(counts))


def process_pool(
    workers: int,
    *,
    initializer: Callable[..., object] | None = None,
    initargs: tuple = (),
    **options: Any,
) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes: forked on Linux (they start at once and share the
    parent's loaded dictionaries and compiled patterns), the platform's default elsewhere.

    Each worker first runs :func:`_start_worker`: it dies with this process (a killed
    notebook kernel or ``timeout`` leaves no worker behind) and runs numerical libraries
    on one thread (the processes already share the cores out); then ``initializer``."""
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(), initializer, initargs),
        **options,
    )


# The environment variables numerical libraries read for their thread count.
_THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def _start_worker(parent: int, initializer: Callable[..., object] | None, initargs: tuple) -> None:
    """In a new worker process: die with the parent, one thread per numerical library."""
    _die_with_parent(parent)
    for name in _THREAD_VARIABLES:  # for libraries loaded from here on
        os.environ[name] = "1"
    with contextlib.suppress(Exception):  # for those already loaded (forked state)
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    if initializer is not None:
        initializer(*initargs)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies (``PR_SET_PDEATHSIG``); exit
    now when the parent is already gone. Elsewhere, a thread checks every second."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
            if os.getppid() != parent:  # died before the request was made
                os._exit(1)
            return
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="lawgovkit-parent-watch", daemon=True).start()


def runs_of(items: Sequence[Run], limit: int, size: Callable[[Run], int]) -> list[list[Run]]:
    """``items`` in order, cut into runs: a run ends once its items' sizes reach ``limit``.

    Examples
    --------
    >>> runs_of(["ab", "c", "de", "f"], 3, size=len)
    [['ab', 'c'], ['de', 'f']]
    """
    runs: list[list[Run]] = [[]]
    total = 0
    for item in items:
        if total >= limit:
            runs.append([])
            total = 0
        runs[-1].append(item)
        total += size(item)
    return runs


def shared_runs(
    runs: Sequence[Run],
    here: Callable[[Run], Any],
    there: Callable[[Run], Any],
    workers: int,
    *,
    received: Callable[[Any], Any] | None = None,
    **pool_options: Any,
) -> Iterator[Any]:
    """The result of each run, in order: ``there(run)`` in one of ``workers - 1`` worker
    processes (given to ``received`` as it arrives here, if given), or ``here(run)`` in
    this one.

    The workers take runs from the front. Whenever this process would wait for the next
    result, it withdraws a run no worker has started yet from the back and does it
    itself, so no core idles while work is left and this process's share is neither
    pickled nor sent. ``there`` must be a module-level function (it is pickled);
    ``pool_options`` go to :func:`process_pool`. Stopping early (closing the generator)
    withdraws what no worker started and waits for the rest.
    """
    from concurrent.futures.process import BrokenProcessPool

    pool = process_pool(workers - 1, **pool_options)
    finished = False
    try:
        futures = [pool.submit(there, run) for run in runs]
        own: dict[int, Any] = {}
        back = len(runs) - 1
        for i, future in enumerate(futures):
            if i not in own and future.cancel():  # no worker took it yet
                own[i] = here(runs[i])
            while i not in own and not future.done() and back > i:
                if futures[back].cancel():
                    own[back] = here(runs[back])
                back -= 1
            if i in own:
                yield own.pop(i)
            else:
                yield future.result() if received is None else received(future.result())
        finished = True
    except BrokenProcessPool:
        _stop_workers(pool)
        raise
    finally:
        # all done: the idle workers exit on their own, without this process waiting
        pool.shutdown(wait=not finished, cancel_futures=True)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the workers of a broken pool that are still alive.

    Before Python 3.12 a pool breaking (a worker died) stops at the first future already
    withdrawn (``Future.cancel``, which :func:`shared_runs` does from the back): the
    ``InvalidStateError`` ends the pool's manager thread before it terminates the other
    workers, which then wait for work for as long as this process lives, each a copy of it.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)


def surviving_runs(
    runs: Sequence[Run],
    here: Callable[[Run], Any],
    there: Callable[[Run], Any],
    workers: int,
    lost: Callable[[Run], Any],
    **options: Any,
) -> Iterator[Any]:
    """:func:`shared_runs` (``options`` go to it), surviving a worker that dies (killed
    when memory runs out, a crash in a library): the first run not yet done when it died
    gives ``lost(run)`` instead, and the runs after it go on in a new pool."""
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    while done < len(runs):
        try:
            for result in shared_runs(runs[done:], here, there, workers, **options):
                yield result
                done += 1
        except BrokenProcessPool:
            yield lost(runs[done])
            done += 1
        except Exception:  # a result the worker could not send back (it did not pickle)
            yield here(runs[done])  # the run done in this process, where nothing is sent
            done += 1


def alone(func: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    """``func(*item)`` for each item, each in a process of its own; None for an item whose
    process died."""
    from concurrent.futures.process import BrokenProcessPool

    results = []
    for item in items:
        try:
            with process_pool(1) as pool:
                results.append(pool.submit(func, *item).result())
        except BrokenProcessPool:
            results.append(None)
    return results


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a batch of objects is built.

    Building tens of thousands of reports, records or token lists triggers full
    collections, each walking every object the process holds (a loaded corpus is
    millions): reading 10,000 reports' tokens back spent half its time in them. What is
    built here makes no reference cycles, so pausing loses nothing (reference counting
    still frees what is dropped); the collector resumes, as it was, when the block ends.

    What the block built is then handed to the oldest generation at once
    (:func:`_hand_off`): left among the young objects, the first collection after the
    block would walk all of it (4 ms after tokenizing 500 reports, the whole batch's
    tokens; 0.2 s of the benchmark's warm run), and a later one again before it grew old.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            _hand_off()
            gc.enable()


# Whether gc.freeze() and gc.unfreeze() move whole generations (each a linked list
# spliced in one step): CPython before 3.14, with the global interpreter lock. The
# incremental collector of 3.14 and the free-threaded build walk the objects instead.
_SPLICED_GENERATIONS = (
    sys.implementation.name == "cpython"
    and sys.version_info < (3, 14)
    and not sysconfig.get_config_var("Py_GIL_DISABLED")
)


def _hand_off() -> None:
    """Move every object the collector tracks to its oldest generation, in one step.

    ``gc.freeze()`` puts the three generations in the permanent one and
    ``gc.unfreeze()`` puts that back as the oldest, two list splices. Objects that were
    young before the block (at most some thousands) move with the batch: cyclic garbage
    among them waits for the next full collection. Nothing is done where the splices are
    not cheap (see ``_SPLICED_GENERATIONS``) or when the caller has frozen objects of
    their own (``gc.unfreeze()`` would thaw them).
    """
    if _SPLICED_GENERATIONS and not gc.get_freeze_count():
        gc.freeze()
        gc.unfreeze()
