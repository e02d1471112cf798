"""Run a test's risky part in a forked child under an address-space limit and a timeout.

A reader that reads ``/dev/zero`` to the end, inflates a zip bomb or parses a PDF drawing a
million glyphs would take the whole test session down with it (``MemoryError``, a dead
interpreter, a hang). :func:`run_bounded` runs the function in a forked copy of the test
process whose address space may grow by only ``headroom_mb`` megabytes
(``resource.setrlimit(RLIMIT_AS)``) and which is killed after ``timeout`` seconds; it returns
what the function returned, or ``("raised", class name, message)``, or fails the test with
what went wrong (a hang, a crash, memory exhausted).
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

import pytest

__all__ = ["run_bounded"]


def _address_space() -> int:
    with open("/proc/self/statm") as stream:
        pages = int(stream.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def run_bounded(
    func: Callable[..., Any], *args: Any, timeout: float = 60, headroom_mb: int = 1024
) -> Any:
    """``func(*args)`` in a forked child under the limits; see the module docstring."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the bounded runner needs Linux (fork, /proc, RLIMIT_AS)")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read_end)
        try:
            limit = _address_space() + headroom_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            try:
                outcome: Any = ("returned", func(*args))
            except MemoryError:
                outcome = ("memory", traceback.format_exc(limit=-8))
            except Exception as exc:
                outcome = ("raised", type(exc).__name__, str(exc), traceback.format_exc())
            data = pickle.dumps(outcome)
            with os.fdopen(write_end, "wb") as stream:
                stream.write(data)
        finally:
            os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    with os.fdopen(read_end, "rb", buffering=0) as stream:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                pytest.fail(f"{func.__name__} did not finish in {timeout} s (a hang?)")
            ready, _, _ = select.select([stream], [], [], min(left, 1.0))
            if ready:
                chunk = stream.read(1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if not chunks:
        pytest.fail(f"{func.__name__} died without an answer (wait status {status})")
    outcome = pickle.loads(b"".join(chunks))
    if outcome[0] == "memory":
        pytest.fail(f"{func.__name__} ran out of memory under the limit:\n{outcome[1]}")
    if outcome[0] == "returned":
        return outcome[1]
    if outcome[1] not in _EXPECTED_RAISES:
        pytest.fail(f"{func.__name__} raised {outcome[1]}: {outcome[2]}\n{outcome[3]}")
    return outcome[:3]


# What a bounded function may raise and the caller check: lawgovkit's named errors. Anything
# else (AttributeError, OSError, SystemError, ...) fails the test with its traceback.
_EXPECTED_RAISES = frozenset(
    {
        "ArgumentError",
        "BinaryFileError",
        "EmptyFileError",
        "EncodingError",
        "LawgovkitError",
        "LimitExceededError",
        "NoReportsError",
        "NotRegularFileError",
        "ParseError",
        "ReportNotFoundError",
        "UnsupportedFormatError",
    }
)
