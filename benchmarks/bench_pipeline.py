"""Benchmark: the lawgovkit pipeline on a generated corpus, against a naive pipeline.

Generates a deterministic corpus of N reports by recombining the seeds' paragraphs (varied
places, years, headings, problem and plan sections; no two reports alike), then times,
each in a fresh Python process:

- ``cold``: the toolkit with an empty on-disk cache (load+clean+metadata, reports table,
  sections/roles, tokenize, TF-IDF, top-k most similar for every report);
- ``warm``: the same again, the corpus unchanged, the cache filled by the cold run;
- ``naive``: the same loading and parsing in one process without the cache, then
  ``jieba.lcut`` per document, ``TfidfVectorizer`` and a dense ``cosine_similarity``.

It also measures tokenizer throughput (the rjieba-backed :class:`lawgovkit.Tokenizer`
against plain ``jieba.lcut`` on the same texts) and the parse time of one generated report
from 50 KB to 5 MB (it should grow linearly). Output: a table, then one JSON line.

    python benchmarks/bench_pipeline.py --reports 10000
    python benchmarks/bench_pipeline.py --reports 200 --curve-max-kb 200   # quick
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
STAGES = ("load", "metadata", "sections", "tokenize", "tfidf", "top_k")
STAGE_LABELS = {
    "load": "load + clean (+ metadata extraction)",
    "metadata": "reports table",
    "sections": "sections / roles / problems / plans",
    "tokenize": "tokenize",
    "tfidf": "TF-IDF",
    "top_k": "top-k most similar",
}
TOP_K = 10

# ---------------------------------------------------------------------------------------
# The generated corpus


_ACHIEVEMENT_HEADINGS = ("主要工作情况及成效", "工作情况", "主要举措和成效", "{year}年工作开展情况")
_PROBLEM_HEADINGS = ("存在的问题", "存在的问题和不足", "存在的不足和原因", "存在的主要问题")
_PLAN_HEADINGS = ("下一步工作计划", "{next}年工作计划", "下一步工作打算", "{next}年工作安排")
_TITLES = (
    "{place}{year}年度法治政府建设情况报告",
    "{place}{year}年度法治政府建设工作报告",
    "{place}关于{year}年度法治政府建设情况的报告",
    "{place}{year}年法治政府建设年度报告",
)
_LEADER = "党政主要负责人履行推进法治建设第一责任人职责情况"
_NUMERALS = "一二三四五六七八九十"
_SERIES = ("一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是")


def _numeral(n: int) -> str:
    """Chinese numeral for 1-99."""
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, units = divmod(n, 10)
    return (
        (_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (_NUMERALS[units - 1] if units else "")
    )


def _places() -> list[str]:
    """County-level place names from cpca's gazetteer (districts, counties, cities)."""
    from lawgovkit.places import _cpca_table

    names = set()
    for line in _cpca_table().splitlines()[1:]:
        adcode, name = line.split(",")[:2]
        if adcode[4:6] != "00" and adcode[6:] == "000000" and name.endswith(("区", "县")):
            names.add(name)
    return sorted(names)


def _pools() -> dict[str, list]:
    """Paragraphs of the seeds by role: sub-sections (heading, body), problems, plans."""
    import lawgovkit as lgk

    corpus = lgk.load_corpus(SEEDS, progress=False, cache=False)
    sections = corpus.sections
    subsections = []
    for row in sections[
        (sections["role"] == "achievements") & (sections["level"] >= 2)
    ].itertuples():
        if not row.heading:
            continue
        body = row.text.split(row.heading, 1)[-1].lstrip("。.: \n").strip()
        if len(body) > 40:
            subsections.append((row.heading.strip("。 "), body))
    problems = [t.strip() for t in corpus.problems["text"] if len(t.strip()) > 8]
    plans = [t.strip() for t in corpus.plans["text"] if len(t.strip()) > 8]
    openings = []
    for row in sections[sections["role"] == "preamble"].itertuples():
        for sentence in row.text.split("。"):
            if "坚持" in sentence or "法治" in sentence:
                openings.append(sentence.split(",", 1)[-1].strip())
    return {
        "subsections": subsections,
        "problems": problems,
        "plans": plans,
        "openings": [o for o in openings if len(o) > 10],
    }


def _listed(rng: random.Random, items: list[str], style: int) -> str:
    """Items as a list: 一是…;二是… in one paragraph, or (一)… paragraphs, or 1. lines."""
    trimmed = [item.rstrip("。;；") for item in items]
    if style == 0:
        return ";".join(f"{_SERIES[i]}{t}" for i, t in enumerate(trimmed)) + "。"
    if style == 1:
        return "\n".join(f"({_numeral(i + 1)}){t}。" for i, t in enumerate(trimmed))
    return "\n".join(f"{i + 1}.{t}。" for i, t in enumerate(trimmed))


def generate_report(index: int, pools: dict[str, list], places: list[str], seed: int = 0) -> str:
    """One generated report; deterministic in ``(index, seed)`` and unique by ``index``."""
    rng = random.Random(f"{seed}:{index}")
    place = places[rng.randrange(len(places))]
    year = rng.randrange(2019, 2025)
    fill = {"place": place, "year": year, "next": year + 1}
    month, day = rng.randrange(1, 4), rng.randrange(1, 29)
    lines = [
        rng.choice(_TITLES).format(**fill),
        f"发布日期:{year + 1}-{month:02d}-{day:02d} 10:{index % 60:02d}",
        "",
        f"{year}年,{place}{rng.choice(pools['openings'])}。全年共办理行政复议案件"
        f"{index}件,组织法治培训{rng.randrange(3, 90)}场次。现将有关情况报告如下:",
    ]
    parts = []
    if rng.random() < 0.3:
        parts.append(("leader", _LEADER))
    parts.append(("achievements", rng.choice(_ACHIEVEMENT_HEADINGS).format(**fill)))
    parts.append(("problems", rng.choice(_PROBLEM_HEADINGS).format(**fill)))
    parts.append(("plans", rng.choice(_PLAN_HEADINGS).format(**fill)))
    for number, (kind, heading) in enumerate(parts, start=1):
        lines.append(f"{_numeral(number)}、{heading}")
        if kind == "leader":
            lines.append(rng.choice(pools["openings"]) + "。")
        elif kind == "achievements":
            chosen = rng.sample(pools["subsections"], rng.randrange(3, 7))
            for n, (sub, body) in enumerate(chosen, start=1):
                lines.append(f"({_numeral(n)}){sub}。{body}")
        else:
            pool = pools[kind]
            chosen = rng.sample(pool, min(len(pool), rng.randrange(2, 6)))
            lines.append(_listed(rng, chosen, rng.randrange(3)))
    return "\n".join(lines) + "\n"


def generate_corpus(n: int, seed: int = 0) -> list[str]:
    """``n`` distinct generated report texts."""
    pools, places = _pools(), _places()
    return [generate_report(i, pools, places, seed) for i in range(n)]


def long_report(n_chars: int, seed: int = 0) -> str:
    """One generated report of about ``n_chars`` characters: many sub-sections."""
    rng = random.Random(seed)
    pools = _pools()
    lines = [
        "某区2023年度法治政府建设情况报告",
        "2023年,我区坚持依法行政。",
        "一、主要工作情况及成效",
    ]
    size = sum(map(len, lines))
    n = 0
    while size < n_chars:
        n += 1
        sub, body = rng.choice(pools["subsections"])
        line = f"({_numeral(n % 99 + 1)}){sub}。{body}"
        lines.append(line)
        size += len(line) + 1
    lines.append("二、存在的问题")
    lines.append(_listed(rng, rng.sample(pools["problems"], 4), 0))
    lines.append("三、下一步工作计划")
    lines.append(_listed(rng, rng.sample(pools["plans"], 4), 1))
    return "\n".join(lines) + "\n"


def write_corpus(texts: list[str], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in enumerate(texts):
        path = folder / f"r{i:06d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# ---------------------------------------------------------------------------------------
# Measuring


class PeakMemory:
    """Peak memory of this process and its worker processes, sampled every 20 ms.

    This process counts its resident set (RSS). A worker counts only its unique set (USS:
    the pages no other process maps), since a forked worker's RSS also counts every page of
    the parent it still shares: summing RSS counted the parent once more per worker (a
    1.3 GB parent with two workers showed 3.9 GB). Reading a worker's USS walks its page
    tables (milliseconds for a worker forked from a large parent), so the workers are
    measured every half second and their last figure is used in between.
    """

    INTERVAL = 0.02
    WORKERS_EVERY = 25  # samples

    def __init__(self) -> None:
        self.peak = 0
        self._workers = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self, workers_too: bool) -> int:
        import psutil

        process = psutil.Process()
        if workers_too:
            self._workers = sum(map(_unique_memory, process.children(recursive=True)))
        return process.memory_info().rss + self._workers

    def _run(self) -> None:
        samples = 0
        while not self._stop.is_set():
            with contextlib.suppress(Exception):
                workers_too = samples % self.WORKERS_EVERY == 0
                self.peak = max(self.peak, self._sample(workers_too))
            samples += 1
            self._stop.wait(self.INTERVAL)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        with contextlib.suppress(Exception):
            self.peak = max(self.peak, self._sample(workers_too=True))


def _unique_memory(process: Any) -> int:
    """Bytes of memory only ``process`` (a psutil.Process) maps: its private pages."""
    import psutil

    try:
        with open(f"/proc/{process.pid}/smaps_rollup", encoding="ascii") as rollup:
            fields = dict(line.split(":", 1) for line in rollup if ":" in line)
        private = ("Private_Clean", "Private_Dirty", "Private_Hugetlb")
        return sum(int(fields[name].split()[0]) * 1024 for name in private if name in fields)
    except (OSError, ValueError):
        pass
    try:
        return process.memory_full_info().uss
    except (psutil.Error, AttributeError):
        return 0


def run_toolkit(folder: Path) -> dict:
    """The toolkit's pipeline on ``folder``: stage timings, top-k neighbours."""
    import lawgovkit as lgk
    from lawgovkit._store import fingerprint
    from lawgovkit.similarity import text_units, tfidf_matrix, top_k_similar

    tokenizer = lgk.Tokenizer(backend="rjieba")
    tokenizer("预热")  # the dictionary loads outside the timings (the naive run does the same)
    times: dict[str, float] = {}
    peaks: dict[str, float] = {}  # the peak reached by the end of each stage (MB)
    with PeakMemory() as memory:
        start = time.perf_counter()
        corpus = lgk.load_corpus(folder, progress=False)
        times["load"] = time.perf_counter() - start
        peaks["load"] = memory.peak / 2**20

        mark = time.perf_counter()
        reports = corpus.reports
        times["metadata"] = time.perf_counter() - mark
        peaks["metadata"] = memory.peak / 2**20

        mark = time.perf_counter()
        sections, problems, plans = corpus.sections, corpus.problems, corpus.plans
        times["sections"] = time.perf_counter() - mark
        peaks["sections"] = memory.peak / 2**20

        mark = time.perf_counter()
        units = text_units(corpus, "report")
        tokenizer.tokenize_many(units["text"].tolist())
        times["tokenize"] = time.perf_counter() - mark
        peaks["tokenize"] = memory.peak / 2**20

        mark = time.perf_counter()
        fitted = tfidf_matrix(units, tokenizer=tokenizer)
        times["tfidf"] = time.perf_counter() - mark
        peaks["tfidf"] = memory.peak / 2**20

        mark = time.perf_counter()
        neighbours, scores = top_k_similar(fitted.matrix, k=TOP_K)
        times["top_k"] = time.perf_counter() - mark
        peaks["top_k"] = memory.peak / 2**20
        times["total"] = time.perf_counter() - start
    return {
        "times": times,
        "peak_rss_mb": memory.peak / 2**20,
        "peak_by_stage_mb": peaks,
        "reports": len(reports),
        "sections": len(sections),
        "problems": len(problems),
        "plans": len(plans),
        "vocabulary": fitted.matrix.shape[1],
        "reports_without_problems": int(len(reports) - problems["report_id"].nunique()),
        "reports_without_plans": int(len(reports) - plans["report_id"].nunique()),
        "neighbour_checksum": float(scores.sum()),
        "first_neighbours": [fitted.ids[j] for j in neighbours[0][:3]],
        "fingerprint": fingerprint(),  # the package measured: every cache key holds it
    }


def run_naive(folder: Path) -> dict:
    """The same work done naively: one process, no cache, jieba.lcut, dense cosine."""
    import jieba
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    import lawgovkit as lgk

    jieba.setLogLevel(60)
    jieba.lcut("预热")
    times: dict[str, float] = {}
    with PeakMemory() as memory:
        start = time.perf_counter()
        corpus = lgk.load_corpus(folder, progress=False, cache=False, n_jobs=1)
        times["load"] = time.perf_counter() - start
        mark = time.perf_counter()
        reports = corpus.reports
        times["metadata"] = time.perf_counter() - mark
        mark = time.perf_counter()
        _ = corpus.sections, corpus.problems, corpus.plans
        times["sections"] = time.perf_counter() - mark
        mark = time.perf_counter()
        texts = [report.text for report in corpus]
        tokens = [jieba.lcut(text) for text in texts]
        times["tokenize"] = time.perf_counter() - mark
        mark = time.perf_counter()
        vectorizer = TfidfVectorizer(analyzer=lambda words: words)
        matrix = vectorizer.fit_transform(tokens)
        times["tfidf"] = time.perf_counter() - mark
        mark = time.perf_counter()
        similarity = cosine_similarity(matrix)
        np.fill_diagonal(similarity, -np.inf)
        neighbours = np.argsort(-similarity, axis=1, kind="stable")[:, :TOP_K]
        times["top_k"] = time.perf_counter() - mark
        times["total"] = time.perf_counter() - start
        del similarity
    return {
        "times": times,
        "peak_rss_mb": memory.peak / 2**20,
        "reports": len(reports),
        "first_neighbours": [corpus.ids[j] for j in neighbours[0][:3]],
    }


def tokenizer_throughput(texts: list[str], repeats: int = 5) -> dict:
    """Seconds to segment ``texts``: plain jieba.lcut, raw rjieba.cut, and lawgovkit's
    Tokenizer with each backend, in one process and as ``tokenize_many`` runs by default (in
    worker processes when the batch is large enough to pay).

    The variants are timed in turn, round after round (``repeats`` rounds), so that a
    slower moment of the machine falls on all of them alike; the best time of each is
    kept, and the median over the rounds of each round's own ratio to jieba is recorded
    beside the ratio of the bests.
    """
    import jieba

    import lawgovkit as lgk

    def timed(segment: Callable[[], object]) -> float:
        start = time.perf_counter()
        segment()
        return time.perf_counter() - start

    jieba.setLogLevel(60)
    jieba.lcut("预热")

    import rjieba

    rjieba.cut("预热")

    def fresh(backend: str) -> lgk.Tokenizer:
        tokenizer = lgk.Tokenizer(backend=backend)
        tokenizer("预热")  # the dictionary is loaded (once per backend) outside the timings
        return tokenizer

    # segmenting is measured, not reading a batch the array store kept from an earlier run;
    # each round starts from new tokenizers, whose token caches are empty. The jieba-backed
    # Tokenizer is timed after the rounds: its private copy of jieba's dictionary, once
    # loaded, slows plain jieba in the same process by 5-15 %, which would flatter the
    # ratios.
    seconds: dict[str, list[float]] = {}
    setting = os.environ.get("LAWGOVKIT_CACHE")
    os.environ["LAWGOVKIT_CACHE"] = "off"
    try:
        for _ in range(repeats):
            one_process, default = fresh("rjieba"), fresh("rjieba")
            round_variants: dict[str, Callable[[], object]] = {
                "jieba_s": lambda: [jieba.lcut(text) for text in texts],
                "rjieba_raw_s": lambda: [rjieba.cut(text) for text in texts],
                "lawgovkit_rjieba_one_process_s": partial(
                    one_process.tokenize_many, texts, n_jobs=1
                ),
                "lawgovkit_rjieba_s": partial(default.tokenize_many, texts),
            }
            for name, segment in round_variants.items():
                seconds.setdefault(name, []).append(timed(segment))
        seconds["lawgovkit_jieba_one_process_s"] = [
            timed(partial(fresh("jieba").tokenize_many, texts, n_jobs=1)) for _ in range(2)
        ]
    finally:
        if setting is None:
            del os.environ["LAWGOVKIT_CACHE"]
        else:
            os.environ["LAWGOVKIT_CACHE"] = setting
    result: dict = {"texts": len(texts), "chars": sum(map(len, texts)), "rounds": repeats}
    result.update({name: min(values) for name, values in seconds.items()})
    jieba_s = seconds["jieba_s"]
    for key, name in (
        ("speedup", "lawgovkit_rjieba_s"),
        ("one_process_speedup", "lawgovkit_rjieba_one_process_s"),
        ("raw_speedup", "rjieba_raw_s"),
    ):
        result[key] = result["jieba_s"] / result[name]
        ratios = [j / s for j, s in zip(jieba_s, seconds[name], strict=True)]
        result[f"{key}_median"] = statistics.median(ratios)
    return result


def parse_curve(sizes_kb: list[int]) -> list[dict]:
    """Seconds to load and parse one generated report of each size."""
    from lawgovkit.report import Report

    rows = []
    for size in sizes_kb:
        text = long_report(size * 1024 // 3)  # about 3 bytes of UTF-8 per character
        start = time.perf_counter()
        report = Report.from_text(text, id=f"long{size}")
        structure = report.structure
        seconds = time.perf_counter() - start
        rows.append(
            {
                "kb": len(text.encode("utf-8")) // 1024,
                "seconds": seconds,
                "us_per_char": seconds / len(text) * 1e6,
                "sections": len(structure.sections),
                "problems": len(structure.problems),
                "plans": len(structure.plans),
            }
        )
    return rows


# ---------------------------------------------------------------------------------------
# Orchestration: each pipeline run in a fresh process, so timings and memory are its own


def _child(mode: str, folder: Path, cache: Path) -> dict:
    env = {**os.environ, "LAWGOVKIT_CACHE": str(cache), "CI": "1"}
    command = [sys.executable, __file__, "--child", mode, "--corpus", str(folder)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the {mode} run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _machine() -> str:
    import psutil

    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def _table(cold: dict, warm: dict, naive: dict | None) -> str:
    naive = naive or {"times": dict.fromkeys(cold["times"], float("nan")), "peak_rss_mb": 0}
    lines = [f"{'stage':40} {'cold s':>9} {'warm s':>9} {'naive s':>9}"]
    for stage in (*STAGES, "total"):
        label = STAGE_LABELS.get(stage, "total")
        lines.append(
            f"{label:40} {cold['times'][stage]:9.2f} {warm['times'][stage]:9.2f} "
            f"{naive['times'][stage]:9.2f}"
        )
    lines.append(
        f"{'peak memory (MB)':40} {cold['peak_rss_mb']:9.0f} {warm['peak_rss_mb']:9.0f} "
        f"{naive['peak_rss_mb']:9.0f}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=10_000, help="corpus size (10000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", type=Path, help="where to write the corpus (a temp dir)")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive pipeline")
    parser.add_argument(
        "--token-texts", type=int, default=500, help="texts for the tokenizer throughput"
    )
    parser.add_argument(
        "--token-repeats",
        type=int,
        default=5,
        help="tokenizer timings: rounds, each timing every variant once (best kept)",
    )
    parser.add_argument(
        "--curve-max-kb", type=int, default=5120, help="largest report of the parse curve"
    )
    parser.add_argument("--busy", action="store_true", help="cold runs beside a competitor")
    parser.add_argument("--child", choices=("cold", "warm", "naive"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.busy:  # see bench_busy.py
        from bench_busy import run_busy

        return run_busy(args.reports, 2, args.seed, naive=not args.no_naive)
    if args.reports > 20_000 and not args.no_naive:
        print("the naive pipeline is skipped above 20,000 reports: its dense N×N matrix alone")
        print(f"would need {args.reports**2 * 8 / 2**30:.0f} GB")
        args.no_naive = True

    if args.child:
        result = (run_naive if args.child == "naive" else run_toolkit)(args.corpus)
        print(json.dumps(result))
        return result

    with tempfile.TemporaryDirectory(prefix="lawgovkit-bench-") as scratch:
        folder = args.corpus or Path(scratch) / "corpus"
        cache = Path(scratch) / "cache"
        start = time.perf_counter()
        texts = generate_corpus(args.reports, args.seed)
        write_corpus(texts, folder)
        print(f"generated {len(texts)} reports in {time.perf_counter() - start:.1f} s -> {folder}")
        distinct = len(set(texts))

        cold, warm = _child("cold", folder, cache), _child("warm", folder, cache)
        if warm["fingerprint"] != cold["fingerprint"]:  # an edit voids every cache entry
            raise SystemExit("lawgovkit changed between the cold and warm runs: run again")
        naive = None if args.no_naive else _child("naive", folder, cache)
        tokens = tokenizer_throughput(texts[: args.token_texts], args.token_repeats)
        sizes = [s for s in (50, 500, 5120) if s <= args.curve_max_kb] or [args.curve_max_kb]
        curve = parse_curve(sizes)

    print(f"\nmachine: {_machine()}")
    print(f"corpus: {args.reports} reports, {distinct} distinct, {sum(map(len, texts))} chars")
    print(
        f"parsed: {cold['sections']} sections, {cold['problems']} problems, {cold['plans']} "
        f"plans; vocabulary {cold['vocabulary']}"
    )
    print(f"\n{_table(cold, warm, naive)}\n")
    reached = ", ".join(f"{stage} {mb:.0f}" for stage, mb in cold["peak_by_stage_mb"].items())
    print(f"peak memory reached by the end of each stage, cold (MB): {reached}")
    print(
        f"tokenizer on {tokens['texts']} texts ({tokens['chars']} chars), best of "
        f"{tokens['rounds']} interleaved rounds: jieba.lcut {tokens['jieba_s']:.2f} s, rjieba.cut "
        f"{tokens['rjieba_raw_s']:.2f} s; lawgovkit's Tokenizer in one process: rjieba "
        f"{tokens['lawgovkit_rjieba_one_process_s']:.2f} s, jieba "
        f"{tokens['lawgovkit_jieba_one_process_s']:.2f} s; Tokenizer(rjieba).tokenize_many "
        f"as by default: {tokens['lawgovkit_rjieba_s']:.2f} s"
    )
    print(
        f"  Tokenizer(rjieba).tokenize_many is {tokens['speedup']:.1f}x plain jieba "
        f"({tokens['one_process_speedup']:.1f}x in one process; raw rjieba.cut: "
        f"{tokens['raw_speedup']:.1f}x); median of the rounds' own ratios: "
        f"{tokens['speedup_median']:.1f}x, {tokens['one_process_speedup_median']:.1f}x in one "
        "process"
    )
    print()
    print(f"{'parse curve: KB':>16} {'seconds':>9} {'µs/char':>9} {'sections':>9}")
    for row in curve:
        print(f"{row['kb']:16} {row['seconds']:9.2f} {row['us_per_char']:9.2f} {row['sections']:9}")
    print()
    analysis = ("tokenize", "tfidf", "top_k")
    result = {
        "reports": cold["reports"],
        "distinct": distinct,
        "total_s": round(cold["times"]["total"], 3),
        "warm_total_s": round(warm["times"]["total"], 3),
        "naive_total_s": None if args.no_naive else round(naive["times"]["total"], 3),
        "peak_rss_mb": round(cold["peak_rss_mb"], 1),
        "warm_peak_rss_mb": round(warm["peak_rss_mb"], 1),
        "peak_by_stage_mb": {k: round(v, 1) for k, v in cold["peak_by_stage_mb"].items()},
        "naive_peak_rss_mb": None if args.no_naive else round(naive["peak_rss_mb"], 1),
        "stages_s": {k: round(v, 3) for k, v in cold["times"].items()},
        "tokenize_speedup": round(tokens["speedup"], 2),
        "tokenize_speedup_one_process": round(tokens["one_process_speedup"], 2),
        "tokenize_speedup_one_process_median": round(tokens["one_process_speedup_median"], 2),
        "tokenize_raw_rjieba_speedup": round(tokens["raw_speedup"], 2),
        "speedup_vs_naive": None
        if args.no_naive
        else round(naive["times"]["total"] / cold["times"]["total"], 2),
        "analysis_speedup_vs_naive": None
        if args.no_naive
        else round(
            sum(naive["times"][s] for s in analysis) / sum(cold["times"][s] for s in analysis), 2
        ),
        "warm_ratio": round(warm["times"]["total"] / cold["times"]["total"], 3),
        "problems": cold["problems"],
        "plans": cold["plans"],
        "reports_without_problems": cold["reports_without_problems"],
        "reports_without_plans": cold["reports_without_plans"],
        "parse_curve": [
            {"kb": r["kb"], "seconds": round(r["seconds"], 3), "sections": r["sections"]}
            for r in curve
        ],
        "machine": _machine(),
    }
    print(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
