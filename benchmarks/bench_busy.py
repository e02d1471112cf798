"""Benchmark: the cold pipeline on a quiet machine and beside a CPU-bound competitor.

Times the same cold run of ``bench_pipeline.py`` (load, reports table, sections, tokenize,
TF-IDF, top-k; empty cache; a fresh process) twice, alternating, with and without a
competitor process that keeps one core busy (a pure-Python loop), and the naive
one-process pipeline the same way. Output: each run's time, the busy/quiet ratios, one
JSON line. The target (issue 22): the toolkit's busy time within 2.2 times its quiet one.

    python benchmarks/bench_pipeline.py --busy --reports 10000
    python benchmarks/bench_busy.py --reports 2000 --rounds 1
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pipeline import _child, _machine, generate_corpus, write_corpus

COMPETITOR = "while True:\n    pass\n"


@contextlib.contextmanager
def competitor(busy: bool) -> Iterator[None]:
    """A process keeping one core busy while the block runs (nothing when not ``busy``)."""
    if not busy:
        yield
        return
    process = subprocess.Popen([sys.executable, "-c", COMPETITOR])
    try:
        time.sleep(1.0)  # running, and seen by the scheduler's counts
        yield
    finally:
        process.kill()
        process.wait()


def run_busy(reports: int, rounds: int, seed: int = 0, naive: bool = True) -> dict:
    """Quiet and busy cold runs (and naive ones), alternating ``rounds`` times; the best of
    each kind is kept (the least disturbed by whatever else the machine runs)."""
    times: dict[str, list[float]] = {"quiet": [], "busy": [], "naive_quiet": [], "naive_busy": []}
    with tempfile.TemporaryDirectory(prefix="lawgovkit-busy-") as scratch:
        folder = Path(scratch) / "corpus"
        write_corpus(generate_corpus(reports, seed), folder)
        for round_ in range(rounds):
            for busy in (False, True):
                label = "busy" if busy else "quiet"
                with competitor(busy):
                    cache = Path(scratch) / f"cache-{round_}-{label}"  # empty: a cold run
                    times[label].append(_child("cold", folder, cache)["times"]["total"])
                    if naive:
                        run = _child("naive", folder, cache)["times"]["total"]
                        times[f"naive_{label}"].append(run)
                print(f"round {round_ + 1} {label}: {times[label][-1]:.1f} s", flush=True)
    best = {kind: min(values) for kind, values in times.items() if values}
    result = {
        "reports": reports,
        "rounds": rounds,
        "times_s": {kind: [round(v, 2) for v in values] for kind, values in times.items()},
        "busy_ratio": round(best["busy"] / best["quiet"], 2),
        "naive_busy_ratio": round(best["naive_busy"] / best["naive_quiet"], 2) if naive else None,
        "machine": _machine(),
    }
    print(json.dumps(result))
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=10_000, help="corpus size (10000)")
    parser.add_argument("--rounds", type=int, default=2, help="quiet/busy pairs (2)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-naive", action="store_true", help="skip the naive pipeline")
    args = parser.parse_args(argv)
    return run_busy(args.reports, args.rounds, args.seed, naive=not args.no_naive)


if __name__ == "__main__":
    main()
