"""Benchmark: keyness and dictionary matching (issue 19), against what they replaced.

1. **Keyness** on N generated reports (the generator of ``bench_pipeline.py``), each report
   a group (``by="report"``), then 10 groups of reports:
   - ``before``: the implementation this one replaced (commit c9e3f3d, copied below as
     :func:`keyness_before`): every text tokenized twice (once to find empty ones, once
     inside scikit-learn's ``CountVectorizer``);
   - ``after``: :func:`lawgovkit.distinctive_terms` (each text's term counts made once
     per tokenizer and kept, :mod:`lawgovkit.term_counts`; groups summed with
     ``np.bincount``).
   Timed in turn, round after round (the best of each printed; the JSON line also has the
   medians): ``cold`` (a fresh ``Tokenizer(backend="rjieba")``: segmentation included; the
   new code segments with ``tokenize_many``, which shares a batch this large with a worker
   process on Linux);
   ``pretokenised`` (a fresh tokenizer whose cache already holds every text's tokens, as
   when an analysis follows another: the keyness computation itself, counting the tokens
   included); ``counts_kept`` (the new code called again with the same tokenizer: another
   grouping or reference of texts whose counts it has made). The tables are checked equal
   (with ``exclude=()`` the new code must give the old rows).
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
from functools import partial
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
from lawgovkit.keyness import FILTERS, distinctive_terms  # noqa: E402
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


def _primed(texts: list[str], tokens: list[list[str]]) -> Tokenizer:
    """A fresh tokenizer whose cache already holds every text's tokens (as after another
    analysis of the same texts), and nothing else."""
    tokenizer = Tokenizer(backend="rjieba")
    for text, words in zip(texts, tokens, strict=True):
        tokenizer.remember(text, words)
    return tokenizer


def bench_keyness(texts: list[str], repeats: int) -> dict:
    """Old and new keyness timed in turn, ``repeats`` rounds; the best time of each."""
    units = pd.DataFrame(
        {
            "id": [f"r{i:05d}" for i in range(len(texts))],
            "text": texts,
            "tenth": [f"g{i % 10}" for i in range(len(texts))],
        }
    )
    results: dict[str, Any] = {}
    Tokenizer(backend="rjieba")("行政复议")  # load the segmenter once, outside the timings
    tokens = Tokenizer(backend="rjieba").tokenize_many(texts)
    for by in ("id", "tenth"):

        def before(tok: Tokenizer, by: str = by) -> pd.DataFrame:
            return keyness_before(units, by, 20, tok)

        def after(tok: Tokenizer, exclude: Any = (), by: str = by) -> pd.DataFrame:
            return distinctive_terms(units, by=by, n=20, tokenizer=tok, exclude=exclude)

        times: dict[str, list[float]] = {}
        tables: dict[str, pd.DataFrame] = {}
        for _ in range(repeats):  # interleaved: each round times every variant once
            # made beforehand: two fresh tokenizers, two whose cache holds every text
            fresh = [Tokenizer(backend="rjieba") for _ in range(2)]
            primed = [_primed(texts, tokens) for _ in range(2)]
            for name, run in (
                ("cold_before", partial(before, fresh[0])),
                ("cold_after", partial(after, fresh[1])),
                ("pretokenised_before", partial(before, primed[0])),
                ("pretokenised_after", partial(after, primed[1])),
                ("counts_kept_after", partial(after, primed[1])),
                ("counts_kept_after_default_filters", partial(after, primed[1], FILTERS)),
            ):
                seconds, tables[name] = _timed(run)
                times.setdefault(name, []).append(seconds)
        columns = ["group", "term", "count_group", "count_rest"]
        old = tables["pretokenised_before"]
        same = all(
            old[columns].equals(new[columns])
            and bool(np.allclose(old["g2"], new["g2"], rtol=0, atol=1e-9))
            for new in (
                tables[n] for n in ("cold_after", "pretokenised_after", "counts_kept_after")
            )
        )
        best = {f"{name}_s": min(values) for name, values in times.items()}
        median = {f"{name}_median_s": float(np.median(values)) for name, values in times.items()}
        results[by] = {
            **best,
            **median,
            "cold_speedup": best["cold_before_s"] / best["cold_after_s"],
            "pretokenised_speedup": best["pretokenised_before_s"] / best["pretokenised_after_s"],
            "counts_kept_speedup": best["pretokenised_before_s"] / best["counts_kept_after_s"],
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
    print(f"{'groups':>9} {'':>13} {'before s':>9} {'after s':>9} {'speedup':>8}  same")
    for by, r in keyness.items():
        label = "report" if by == "id" else "10 groups"
        for kind, old in (
            ("cold", "cold"),
            ("pretokenised", "pretokenised"),
            ("counts_kept", "pretokenised"),
        ):
            print(
                f"{label:>9} {kind:>13} {r[f'{old}_before_s']:9.3f} {r[f'{kind}_after_s']:9.3f}"
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
