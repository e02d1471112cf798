"""Benchmark: every row's k most similar rows of a TF-IDF matrix, the kernel alone.

Builds the TF-IDF matrix of N generated reports once (``bench_pipeline.generate_corpus`` →
``Tokenizer(backend="rjieba").tokenize_many`` → ``tfidf_matrix``; disk store off) and saves
it, then times only top-k on it. ``compare`` runs the kernel before issue 20 (kept below as
:func:`old_top_k`, the code of ``similarity.top_k_rows`` until then) and today's
``top_k_similar`` alternately in one process, checks that they give the same neighbours and
prints the largest score difference; ``run`` times today's kernel alone, with the peak
memory of the whole build + top-k.

    python benchmarks/bench_topk.py build --reports 10000 --out /tmp/m10000.npz
    python benchmarks/bench_topk.py compare /tmp/m10000.npz --rounds 2
    python benchmarks/bench_topk.py run --reports 100000      # build + top-k, peak memory

Output: a line per timing, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse

from lawgovkit._topk import best_of_all

HERE = Path(__file__).resolve().parent
TOP_K = 10


def build(reports: int, seed: int = 0) -> tuple[sparse.csr_matrix, dict]:
    """The TF-IDF matrix of ``reports`` generated reports, and the seconds of each step."""
    import pandas as pd
    from bench_pipeline import generate_corpus

    import lawgovkit as lgk
    from lawgovkit.tfidf import tfidf_matrix

    times = {}
    mark = time.perf_counter()
    texts = generate_corpus(reports, seed)
    times["generate"] = time.perf_counter() - mark
    # as the pipeline runs it: the default cache (50,000 texts), so above that size TF-IDF
    # segments the evicted texts again (as in the 100,000-report run recorded before)
    tokenizer = lgk.Tokenizer(backend="rjieba")
    tokenizer("预热")
    mark = time.perf_counter()
    tokenizer.tokenize_many(texts)
    times["tokenize"] = time.perf_counter() - mark
    units = pd.DataFrame({"id": [f"r{i:06d}" for i in range(reports)], "text": texts})
    del texts
    mark = time.perf_counter()
    matrix = tfidf_matrix(units, tokenizer=tokenizer).matrix
    times["tfidf"] = time.perf_counter() - mark
    return matrix, times


def old_top_k(
    matrix: sparse.csr_matrix, k: int, stop: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``top_k_similar`` as it was before issue 20 (the blocks of 2**24 values, every row
    against every row in float64, the frequent terms' columns as a dense product), for the
    first ``stop`` rows (all by default)."""
    rows = sparse.csr_matrix(matrix, dtype=float)
    n = rows.shape[0]
    stop = n if stop is None else min(stop, n)
    k = min(k, n - 1)
    block_size = max(1, 2**24 // n)
    neighbours = np.zeros((stop, k), dtype=np.intp)
    scores = np.zeros((stop, k), dtype=float)
    frequency = np.bincount(rows.indices, minlength=rows.shape[1])
    order = np.argsort(-frequency, kind="stable")
    limit = min(rows.shape[1], 2**28 // n)
    dense = order[:limit][frequency[order[:limit]] >= max(2, n / 32)]
    mask = np.zeros(rows.shape[1], dtype=bool)
    mask[dense] = True
    common = rows[:, np.flatnonzero(mask)].toarray() if len(dense) else None
    rare = rows[:, np.flatnonzero(~mask)].tocsr() if len(dense) else rows
    rare_t = rare.T.tocsr()
    for first in range(0, stop, block_size):
        last = min(stop, first + block_size)
        part = rare[first:last]
        part = sparse.csr_matrix((-part.data, part.indices, part.indptr), shape=part.shape)
        product = part @ rare_t
        if common is None:
            block = product.toarray()
        else:
            block = -common[first:last] @ common.T
            product = product.tocoo()
            block[product.row, product.col] += product.data
        block[np.arange(last - first), np.arange(first, last)] = np.inf
        neighbours[first:last], scores[first:last] = best_of_all(block, k)
    return neighbours, scores


def new_top_k(matrix: sparse.csr_matrix, k: int, block_size: int | None = None):
    from lawgovkit.similarity import top_k_similar

    return top_k_similar(matrix, k=k, block_size=block_size)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def compare(path: Path, rounds: int, k: int, block_size: int | None) -> dict:
    """Old and new kernels alternately on the saved matrix: seconds, same neighbours."""
    matrix = sparse.load_npz(path).tocsr()
    print(f"matrix {matrix.shape}, {matrix.nnz} non-zeros; load before: {_load()}", flush=True)
    old_s, new_s, result = [], [], {}
    for round_ in range(rounds):
        for name, run, seconds in (
            ("old", lambda: old_top_k(matrix, k), old_s),
            ("new", lambda: new_top_k(matrix, k, block_size), new_s),
        ):
            mark = time.perf_counter()
            result[name] = run()
            seconds.append(time.perf_counter() - mark)
            print(f"round {round_ + 1} {name}: {seconds[-1]:.2f} s (load {_load()})", flush=True)
        same = np.array_equal(result["old"][0], result["new"][0])
        difference = float(np.abs(result["old"][1] - result["new"][1]).max())
        rows_differing = int((result["old"][0] != result["new"][0]).any(axis=1).sum())
        print(
            f"  same neighbours: {same} ({rows_differing} rows differ); largest score "
            f"difference {difference:.3g}",
            flush=True,
        )
    summary = {
        "rows": matrix.shape[0],
        "old_s": [round(s, 2) for s in old_s],
        "new_s": [round(s, 2) for s in new_s],
        "ratio_best": round(min(old_s) / min(new_s), 2),
        "same_neighbours": same,
        "rows_differing": rows_differing,
        "max_score_difference": difference,
        "load_after": _load(),
    }
    print(json.dumps(summary))
    return summary


def run(
    reports: int | None, path: Path | None, k: int, block_size: int | None, check_rows: int
) -> dict:
    """Today's kernel alone (on a saved matrix, or after building one), with peak memory."""
    from bench_pipeline import PeakMemory

    print(f"load before: {_load()}", flush=True)
    with PeakMemory() as memory:
        if path is not None:
            matrix, times = sparse.load_npz(path).tocsr(), {}
        else:
            matrix, times = build(reports)
        before_top_k = memory.peak
        mark = time.perf_counter()
        neighbours, scores = new_top_k(matrix, k, block_size)
        times["top_k"] = time.perf_counter() - mark
    for name, seconds in times.items():
        print(f"{name}: {seconds:.2f} s", flush=True)
    checked = {}
    if check_rows:  # the old kernel on the first rows (after the peak was taken)
        mark = time.perf_counter()
        old = old_top_k(matrix, k, check_rows)
        rows = len(old[0])
        checked = {
            "checked_rows": rows,
            "old_seconds_for_them": round(time.perf_counter() - mark, 2),
            "same_neighbours": bool(np.array_equal(old[0], neighbours[:rows])),
            "max_score_difference": float(np.abs(old[1] - scores[:rows]).max()),
        }
        print(f"old kernel on the first {rows} rows: {checked}", flush=True)
    summary = {
        "rows": matrix.shape[0],
        "non_zeros": int(matrix.nnz),
        "seconds": {name: round(s, 2) for name, s in times.items()},
        "peak_rss_mb": round(memory.peak / 2**20, 1),
        "peak_rss_before_top_k_mb": round(before_top_k / 2**20, 1),
        "checksum": float(scores.sum()),
        "first_neighbours": neighbours[0].tolist(),
        "load_after": _load(),
        **checked,
    }
    print(json.dumps(summary))
    return summary


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    making = commands.add_parser("build", help="build and save the TF-IDF matrix")
    making.add_argument("--reports", type=int, default=10_000)
    making.add_argument("--out", type=Path, required=True)
    comparing = commands.add_parser("compare", help="old and new kernels, alternately")
    comparing.add_argument("matrix", type=Path)
    comparing.add_argument("--rounds", type=int, default=2)
    running = commands.add_parser("run", help="today's kernel, with peak memory")
    running.add_argument("--reports", type=int, default=10_000)
    running.add_argument("--matrix", type=Path, help="a saved matrix instead of building one")
    running.add_argument(
        "--check-rows", type=int, default=0, help="compare the first rows with the old kernel"
    )
    for sub in (comparing, running):
        sub.add_argument("--k", type=int, default=TOP_K)
        sub.add_argument("--block-size", type=int, help="rows per block (the default)")
    args = parser.parse_args(argv)
    os.environ["LAWGOVKIT_CACHE"] = "off"  # time the computations, never a read-back
    sys.path.insert(0, str(HERE))  # bench_pipeline
    if args.command == "build":
        matrix, times = build(args.reports)
        sparse.save_npz(args.out, matrix, compressed=False)
        summary = {"rows": matrix.shape[0], "non_zeros": int(matrix.nnz), "seconds": times}
        print(json.dumps(summary))
        return summary
    if args.command == "compare":
        return compare(args.matrix, args.rounds, args.k, args.block_size)
    return run(args.reports, args.matrix, args.k, args.block_size, args.check_rows)


if __name__ == "__main__":
    main()
