"""Benchmark: keyness and dictionary matching (issue 19), against what they replaced.

1. **Keyness** on N generated reports (the generator of ``bench_pipeline.py``), each report
   a group (``by="report"``), then 10 groups of reports:
   - ``before``: the implementation this one replaced (commit c9e3f3d, copied below as
     :func:`keyness_before`): every text tokenized twice (once to find empty ones, once
     inside scikit-learn's ``CountVectorizer``);
   - ``after``: :func:`lawgovkit.keyness.keyness_table` (tokens once, counted with numpy).
   Both run ``cold`` (a fresh ``Tokenizer(backend="rjieba")``: segmentation included; the
   new code segments with ``tokenize_many``, which shares a batch this large with a worker
   process on Linux) and ``pre-tokenised`` (the tokenizer's cache already holds every
   text's tokens, as when an analysis follows another: the keyness computation itself).
   The tables are checked equal (with ``exclude=()`` the new code must give the old rows).
2. **Matching** a dictionary of K terms (words of jieba's dictionary, a seeded sample) in
   the same texts: the trie regex against the Aho–Corasick automaton, for K from 100 to
   10,000, checking that both find the same matches.

    python benchmarks/bench_reading.py --reports 1000
    python benchmarks/bench_reading.py --reports 50 --terms 100 1000   # quick

The on-disk cache is off (``LAWGOVKIT_CACHE=off``) so every cold run segments. Output: a
table, then one JSON line.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ["LAWGOVKIT_CACHE"] = "off"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import sparse  # noqa: E402
from scipy.stats import chi2  # noqa: E402
from sklearn.feature_extraction.text import CountVectorizer  # noqa: E402

from lawgovkit._matching import TermMatcher  # noqa: E402
from lawgovkit.keyness import keyness_table  # noqa: E402
from lawgovkit.tokenize import Tokenizer  # noqa: E402


def _xlogy(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(observed > 0, observed * np.log(observed / expected), 0.0)


def _scores_before(a, b, size_group, size_rest):
    """The statistics as computed at commit c9e3f3d."""
    total = size_group + size_rest
    term = a + b
    c, d = size_group - a, size_rest - b
    g2 = 2 * (
        _xlogy(a, size_group * term / total)
        + _xlogy(b, size_rest * term / total)
        + _xlogy(c, size_group * (total - term) / total)
        + _xlogy(d, size_rest * (total - term) / total)
    )
    g2 = np.maximum(g2, 0.0)
    p = chi2.sf(g2, 1)
    over = a / size_group >= b / size_rest
    log_ratio = np.log2(((a + 0.5) / size_group) / ((b + 0.5) / size_rest))
    return np.where(over, g2, -g2), p, log_ratio


def keyness_before(
    units: pd.DataFrame, group: str, n: int | None, tokenizer: Tokenizer, min_count: int = 2
) -> pd.DataFrame:
    """``keyness_table`` as it was at commit c9e3f3d."""
    has_text = [bool(tokenizer(text)) for text in units["text"]]
    units = units[has_text]
    groups = sorted(units[group].astype(str).unique())
    vectorizer = CountVectorizer(tokenizer=tokenizer, token_pattern=None, lowercase=False)
    counts = sparse.csr_matrix(vectorizer.fit_transform(units["text"].tolist()))
    terms = vectorizer.get_feature_names_out()
    position = {label: i for i, label in enumerate(groups)}
    rows = units[group].astype(str).map(position).to_numpy()
    indicator = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(len(groups), len(rows))
    )
    by_group = sparse.coo_matrix(indicator @ counts)
    term_totals = np.asarray(counts.sum(axis=0)).ravel()
    group_sizes = np.asarray(by_group.sum(axis=1)).ravel()
    a = by_group.data.astype(float)
    b = term_totals[by_group.col] - a
    size_group = group_sizes[by_group.row]
    size_rest = group_sizes.sum() - size_group
    g2, p, log_ratio = _scores_before(a, b, size_group, size_rest)
    table = pd.DataFrame(
        {
            "group": np.asarray(groups, dtype=object)[by_group.row],
            "term": terms[by_group.col],
            "count_group": a.astype(int),
            "count_rest": b.astype(int),
            "g2": g2,
            "p": p,
            "log_ratio": log_ratio,
        }
    )
    table = table[(table["count_group"] >= min_count) & (table["g2"] > 0)]
    table = table.sort_values(["group", "g2", "term"], ascending=[True, False, True])
    if n is not None:
        table = table.groupby("group", sort=False).head(n)
    return table.reset_index(drop=True)


def _generated(n: int) -> list[str]:
    spec = importlib.util.spec_from_file_location(
        "bench_pipeline", ROOT / "benchmarks" / "bench_pipeline.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate_corpus(n)


def _timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def bench_keyness(texts: list[str], repeats: int) -> dict:
    units = pd.DataFrame(
        {
            "id": [f"r{i:05d}" for i in range(len(texts))],
            "text": texts,
            "tenth": [f"g{i % 10}" for i in range(len(texts))],
        }
    )
    results: dict[str, Any] = {}
    Tokenizer(backend="rjieba")("行政复议")  # load the segmenter once, outside the timings
    for by in ("id", "tenth"):
        cold_before, before = _timed(
            lambda by=by: keyness_before(units, by, 20, Tokenizer(backend="rjieba"))
        )
        cold_after, after = _timed(
            lambda by=by: keyness_table(units, by, 20, Tokenizer(backend="rjieba"), exclude=())
        )
        columns = ["group", "term", "count_group", "count_rest"]
        same = before[columns].equals(after[columns]) and np.allclose(before["g2"], after["g2"])
        tok = Tokenizer(backend="rjieba")
        tok.tokenize_many(texts)
        warm_before = min(
            _timed(lambda by=by, tok=tok: keyness_before(units, by, 20, tok))[0]
            for _ in range(repeats)
        )
        warm_after = min(
            _timed(lambda by=by, tok=tok: keyness_table(units, by, 20, tok, exclude=()))[0]
            for _ in range(repeats)
        )
        filtered = min(
            _timed(lambda by=by, tok=tok: keyness_table(units, by, 20, tok))[0]
            for _ in range(repeats)
        )
        results[by] = {
            "cold_before_s": cold_before,
            "cold_after_s": cold_after,
            "cold_speedup": cold_before / cold_after,
            "pretokenised_before_s": warm_before,
            "pretokenised_after_s": warm_after,
            "pretokenised_speedup": warm_before / warm_after,
            "pretokenised_after_default_filters_s": filtered,
            "same_table": bool(same),
        }
    return results


def bench_matching(texts: list[str], sizes: list[int]) -> list[dict]:
    import jieba

    dictionary = Path(jieba.__file__).parent / "dict.txt"
    words = [line.split()[0] for line in dictionary.read_text(encoding="utf-8").splitlines()]
    words = sorted({w for w in words if len(w) >= 2})
    rng = random.Random(19)
    pool = rng.sample(words, max(sizes))
    chars = sum(map(len, texts))
    rows = []
    for k in sizes:
        terms = pool[:k]
        regex = TermMatcher(terms, automaton=False)
        automaton = TermMatcher(terms, automaton=True)
        regex_s, found_regex = _timed(lambda r=regex: [r.find(t) for t in texts])
        automaton_s, found_automaton = _timed(lambda a=automaton: [a.find(t) for t in texts])
        rows.append(
            {
                "terms": k,
                "chars": chars,
                "regex_s": regex_s,
                "automaton_s": automaton_s,
                "speedup": regex_s / automaton_s,
                "matches": sum(map(len, found_regex)),
                "same_matches": found_regex == found_automaton,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--terms", type=int, nargs="+", default=[100, 300, 1000, 3000, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    texts = _generated(args.reports)
    keyness = bench_keyness(texts, args.repeats)
    matching = bench_matching(texts, args.terms)
    print(f"keyness on {len(texts)} generated reports ({sum(map(len, texts)):,} characters)")
    print(f"{'groups':>8} {'':>14} {'before s':>9} {'after s':>9} {'speedup':>8}  same")
    for by, r in keyness.items():
        label = "report" if by == "id" else "10 groups"
        for kind in ("cold", "pretokenised"):
            print(
                f"{label:>8} {kind:>14} {r[f'{kind}_before_s']:9.3f} {r[f'{kind}_after_s']:9.3f}"
                f" {r[f'{kind}_speedup']:7.1f}x  {r['same_table']}"
            )
    print(f"\nmatching a dictionary in {matching[0]['chars']:,} characters")
    print(f"{'terms':>7} {'regex s':>9} {'automaton s':>12} {'speedup':>8} {'matches':>9}  same")
    for r in matching:
        print(
            f"{r['terms']:>7} {r['regex_s']:9.3f} {r['automaton_s']:12.3f} {r['speedup']:7.1f}x"
            f" {r['matches']:>9}  {r['same_matches']}"
        )
    result = {"reports": len(texts), "keyness": keyness, "matching": matching}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
