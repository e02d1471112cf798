"""Benchmark: shared passages (``lgk.shared_passages``) on the generated corpus.

The corpus is the one ``bench_pipeline.py`` generates (the seeds' paragraphs recombined under
varied titles, places and years): a hard case for text reuse, since every paragraph is held
by hundreds of reports. Each step runs in a fresh Python process:

1. ``load``: ``load_corpus`` of the folder with an empty cache (fills it; not the timed part);
2. ``passages``: ``load_corpus`` again (from the cache), then, timed, everything from the
   loaded corpus to the passages table: the sections table, the matching characters, the
   window index and ``shared_passages`` (peak memory sampled every 20 ms, the loaded corpus
   included);
3. ``grouping``: the one step whose method was chosen among alternatives, grouping every
   window of every report by its hash: a hash table (pandas' factorize, what
   ``lawgovkit._reuse_index`` uses) against a sort of all windows (numpy argsort), on the
   same windows;
4. ``all_pairs``: the alternative without an index, every pair aligned with
   ``difflib.SequenceMatcher`` (the matching blocks of 15+ characters), timed on the pairs
   of the first 30 reports and extrapolated to all pairs.

    python benchmarks/bench_reuse.py --reports 10000
    python benchmarks/bench_reuse.py --reports 300        # quick
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pipeline import PeakMemory, generate_corpus, write_corpus

ROOT = Path(__file__).resolve().parent.parent
PAIRS_SAMPLE = 30


def _load(folder: str, cache: str):
    import warnings

    import lawgovkit as lgk

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lgk.load_corpus(folder, cache=cache, progress=False)


def step_load(folder: str, cache: str) -> dict:
    start = time.perf_counter()
    corpus = _load(folder, cache)
    return {"reports": len(corpus), "load_s": time.perf_counter() - start}


def step_passages(folder: str, cache: str) -> dict:
    import psutil

    import lawgovkit as lgk

    corpus = _load(folder, cache)
    before = psutil.Process().memory_info().rss
    with PeakMemory() as memory:
        start = time.perf_counter()
        table = lgk.shared_passages(corpus)
        seconds = time.perf_counter() - start
    n_chars = sum(len(r.text) for r in corpus)
    return {
        "reports": len(corpus),
        "characters": n_chars,
        "passages_s": seconds,
        "peak_rss_mb": memory.peak / 2**20,
        "rss_before_mb": before / 2**20,
        "rows": len(table),
        "passages": int(table["passage_id"].nunique()) if len(table) else 0,
        "boilerplate_passages": int(
            table.loc[table["kind"] == "boilerplate", "passage_id"].nunique()
        ),
        "reports_with_passages": int(table["report_id"].nunique()) if len(table) else 0,
    }


def step_grouping(folder: str, cache: str) -> dict:
    import numpy as np
    import pandas as pd

    from lawgovkit.shingles import matching_codes, window_hashes

    corpus = _load(folder, cache)
    hashes = np.concatenate([window_hashes(matching_codes(r.text)[0], 15) for r in corpus])
    start = time.perf_counter()
    _, distinct = pd.factorize(hashes, sort=False)
    table_s = time.perf_counter() - start
    start = time.perf_counter()
    order = np.argsort(hashes, kind="stable")
    ordered = hashes[order]
    new = np.ones(len(ordered), dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    groups = np.empty(len(order), dtype=np.int64)
    groups[order] = np.cumsum(new) - 1
    sort_s = time.perf_counter() - start
    assert int(new.sum()) == len(distinct)
    return {"windows": len(hashes), "hash_table_s": table_s, "sort_s": sort_s}


def step_all_pairs(folder: str, cache: str) -> dict:
    from difflib import SequenceMatcher

    from lawgovkit.shingles import matching_text

    corpus = _load(folder, cache)
    texts = [matching_text(r.text) for r in list(corpus)[:PAIRS_SAMPLE]]
    start = time.perf_counter()
    pairs = blocks = 0
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            matcher = SequenceMatcher(None, a, b, autojunk=False)
            blocks += sum(1 for m in matcher.get_matching_blocks() if m.size >= 15)
            pairs += 1
    seconds = time.perf_counter() - start
    n = len(corpus)
    return {
        "sample_reports": len(texts),
        "sample_pairs": pairs,
        "sample_s": seconds,
        "per_pair_ms": 1000 * seconds / max(pairs, 1),
        "all_pairs_estimate_s": seconds / max(pairs, 1) * n * (n - 1) / 2,
    }


STEPS = {
    "load": step_load,
    "passages": step_passages,
    "grouping": step_grouping,
    "all_pairs": step_all_pairs,
}


def _in_fresh_process(step: str, folder: Path, cache: Path) -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, __file__, "--step", step, str(folder), str(cache)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        raise SystemExit(f"step {step} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(STEPS[args.step](*args.paths)))
        return
    with tempfile.TemporaryDirectory(prefix="lgk-reuse-bench-") as work:
        folder, cache = Path(work) / "corpus", Path(work) / "cache"
        write_corpus(generate_corpus(args.reports, args.seed), folder)
        results = {"reports": args.reports, "cpus": os.cpu_count()}
        for step in STEPS:
            results[step] = _in_fresh_process(step, folder, cache)
            print(f"{step:>10}: {json.dumps(results[step])}", flush=True)
    passages = results["passages"]
    print(
        f"loaded corpus -> passages: {passages['passages_s']:.1f} s, "
        f"peak {passages['peak_rss_mb']:.0f} MB (target 60 s, 2048 MB)"
    )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
