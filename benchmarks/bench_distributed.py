"""Benchmark: the in-process path against Dask on a local cluster, stage by stage.

Generates the corpus of ``bench_pipeline.py`` (the seeds' paragraphs recombined), then, each
in a fresh Python process and with the report cache off (a cold run):

- ``inprocess``: ``load_corpus`` (worker processes as by default) → the tables →
  ``text_units`` → ``tfidf_matrix`` → ``top_k_similar`` (every report's 10 most similar);
- ``dask``: a ``LocalCluster`` of ``--workers`` processes (one thread each) →
  ``load_corpus_dask`` → ``to_parquet`` → ``tfidf_dask`` of the loaded corpus (texts put
  together on the workers) → ``top_k_dask``.

Each stage's wall time, and the peak memory of the run (this process's resident set plus
each child process's unique set: the workers), are printed as a table and one JSON line,
with per-report costs and a projection of 10^6 reports onto a cluster of N machines.

    python benchmarks/bench_distributed.py --reports 10000
    python benchmarks/bench_distributed.py --reports 300 --workers 2   # quick
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOP_K = 10


def _pipeline():
    spec = importlib.util.spec_from_file_location("bench_pipeline", HERE / "bench_pipeline.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_inprocess(folder: Path, workers: int) -> dict:
    import lawgovkit as lgk
    from lawgovkit.similarity import top_k_similar
    from lawgovkit.tfidf import tfidf_matrix
    from lawgovkit.units import text_units

    times: dict[str, float] = {}
    with _pipeline().PeakMemory() as memory:
        start = time.perf_counter()
        corpus = lgk.load_corpus(folder, progress=False, cache=False, n_jobs=workers)
        times["load"] = time.perf_counter() - start
        mark = time.perf_counter()
        _ = corpus.reports, corpus.sections, corpus.problems, corpus.plans
        times["tables"] = time.perf_counter() - mark
        mark = time.perf_counter()
        fitted = tfidf_matrix(text_units(corpus, "report"))
        times["tfidf"] = time.perf_counter() - mark
        mark = time.perf_counter()
        neighbours, scores = top_k_similar(fitted.matrix, k=TOP_K)
        times["top_k"] = time.perf_counter() - mark
        times["total"] = time.perf_counter() - start
    return _result(times, memory.peak, fitted, neighbours, scores)


def run_dask(folder: Path, workers: int, scratch: Path) -> dict:
    from dask.distributed import Client, LocalCluster

    from lawgovkit.distributed import load_corpus_dask, tfidf_dask, to_parquet, top_k_dask

    times: dict[str, float] = {}
    with _pipeline().PeakMemory() as memory:
        start = time.perf_counter()
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
        times["cluster"] = time.perf_counter() - start
        mark = time.perf_counter()
        corpus = load_corpus_dask(folder, client=client, partition_size=200)
        n_reports = int(corpus.reports.shape[0].compute())
        times["load"] = time.perf_counter() - mark
        mark = time.perf_counter()
        to_parquet(corpus, scratch / "dataset")
        times["parquet"] = time.perf_counter() - mark
        mark = time.perf_counter()
        fitted = tfidf_dask(corpus, client=client)
        times["tfidf"] = time.perf_counter() - mark
        del corpus
        mark = time.perf_counter()
        neighbours, scores = top_k_dask(fitted.matrix, k=TOP_K, client=client)
        times["top_k"] = time.perf_counter() - mark
        times["total"] = time.perf_counter() - start
        client.close()
        cluster.close()
    result = _result(times, memory.peak, fitted, neighbours, scores)
    result["reports_loaded"] = n_reports
    return result


def _result(times, peak, fitted, neighbours, scores) -> dict:
    import numpy as np

    return {
        "times": times,
        "peak_mb": peak / 2**20,
        "reports": len(fitted.ids),
        "vocabulary": int(fitted.matrix.shape[1]),
        "nnz": int(fitted.matrix.nnz),
        "neighbours_sha": __import__("hashlib")
        .sha256(np.ascontiguousarray(neighbours))
        .hexdigest(),
        "score_sum": float(scores.sum()),
    }


def _child(mode: str, folder: Path, workers: int, scratch: Path) -> dict:
    env = {**os.environ, "LAWGOVKIT_CACHE": "off", "CI": "1"}
    command = [sys.executable, __file__, "--child", mode, "--corpus", str(folder)]
    command += ["--workers", str(workers), "--scratch", str(scratch)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the {mode} run failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def projection(inprocess: dict, dask: dict, n: int) -> list[str]:
    """10^6 reports on N machines of this kind, from the measured per-report costs: loading
    and TF-IDF grow with the reports and split over the machines; top-k grows with the
    square of the reports (every pair) and splits over them too."""
    load = dask["times"]["load"] / n  # seconds per report, this machine's workers
    tfidf = dask["times"]["tfidf"] / n
    pairs = dask["times"]["top_k"] / (n * n)  # seconds per pair, this machine
    lines = []
    for machines in (1, 4, 16, 64):
        million = 1_000_000
        total = (load + tfidf) * million / machines + pairs * million**2 / machines
        lines.append(
            f"  10^6 reports on {machines:>2} machine(s) of this size: load+TF-IDF "
            f"{(load + tfidf) * million / machines / 60:7.1f} min, top-k "
            f"{pairs * million**2 / machines / 3600:7.1f} h, in all {total / 3600:7.1f} h"
        )
    return lines


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2, help="processes (2)")
    parser.add_argument("--corpus", type=Path, help="where to write the corpus (a temp dir)")
    parser.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=("inprocess", "dask"), help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=("inprocess", "dask"), help="run one path only")
    args = parser.parse_args(argv)
    if args.child:
        if args.child == "inprocess":
            result = run_inprocess(args.corpus, args.workers)
        else:
            result = run_dask(args.corpus, args.workers, args.scratch)
        print(json.dumps(result))
        return result

    with tempfile.TemporaryDirectory(prefix="lawgovkit-dask-bench-") as scratch:
        folder = args.corpus or Path(scratch) / "corpus"
        pipeline = _pipeline()
        if not folder.is_dir() or not any(folder.iterdir()):
            pipeline.write_corpus(pipeline.generate_corpus(args.reports, args.seed), folder)
        runs = {}
        for mode in ("inprocess", "dask"):
            if args.only in (None, mode):
                runs[mode] = _child(mode, folder, args.workers, Path(scratch))
    print(f"machine: {pipeline._machine()}; {args.workers} worker processes")
    print(f"corpus: {args.reports} generated reports")
    stages = ("cluster", "load", "tables", "parquet", "tfidf", "top_k", "total")
    print(f"{'stage':12}" + "".join(f"{mode:>12}" for mode in runs))
    for stage in stages:
        cells = [run["times"].get(stage) for run in runs.values()]
        print(
            f"{stage:12}" + "".join(f"{c:12.2f}" if c is not None else f"{'—':>12}" for c in cells)
        )
    print(f"{'peak MB':12}" + "".join(f"{run['peak_mb']:12.0f}" for run in runs.values()))
    same = len(runs) == 2 and runs["inprocess"]["neighbours_sha"] == runs["dask"]["neighbours_sha"]
    if len(runs) == 2:
        print(f"same neighbours in both: {same}")
        print("projection (from the Dask run's per-report and per-pair costs):")
        print("\n".join(projection(runs["inprocess"], runs["dask"], args.reports)))
    result = {
        "reports": args.reports,
        "workers": args.workers,
        "runs": {
            mode: {
                "stages_s": {k: round(v, 3) for k, v in run["times"].items()},
                "peak_mb": round(run["peak_mb"], 1),
            }
            for mode, run in runs.items()
        },
        "same_neighbours": same if len(runs) == 2 else None,
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
