"""Set the default thresholds of lawgovkit.panels on the development set.

For every problem (plan) of a place with an earlier (next-year) report, the best score
against its own place is compared with the best score against another place: the next
place, in sorted order, that has reports on the same years. The threshold is the 95th
percentile of the other-place scores: a score at or above it happens by chance about once
in twenty. Prints the percentiles and how often problems recur / plans are followed at
that threshold. Run from the repository root:

    python benchmarks/accuracy/panel_thresholds.py [CORPUS]
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import lawgovkit as lgk
from lawgovkit.panels import _dated, _vectors, achievement_passages

BY = ["jurisdiction", "body"]


def _best_scores(rows, cands, vectors) -> np.ndarray:
    if not len(rows) or not len(cands):
        return np.array([])
    scores = (vectors[rows] @ vectors[cands].T).toarray()
    return scores.max(axis=1)


def problems_null(corpus) -> tuple[np.ndarray, np.ndarray]:
    dated = _dated(corpus, BY)
    problems = corpus.problems[["report_id", "n", "text"]].merge(dated, on="report_id")
    problems = problems.reset_index(drop=True)
    vectors = _vectors(problems["text"].fillna("").tolist())
    places = sorted({tuple(k) for k in problems[BY].itertuples(index=False)})
    own, other = [], []
    for i, place in enumerate(places):
        mine = problems[(problems[BY].apply(tuple, axis=1)) == place]
        for year in sorted(set(mine["report_year"]))[1:]:
            rows = mine.index[mine["report_year"] == year].to_numpy()
            own.append(
                _best_scores(rows, mine.index[mine["report_year"] < year].to_numpy(), vectors)
            )
            for other_place in places[i + 1 :] + places[:i]:
                theirs = problems[(problems[BY].apply(tuple, axis=1)) == other_place]
                cands = theirs.index[theirs["report_year"] < year].to_numpy()
                if len(cands):
                    other.append(_best_scores(rows, cands, vectors))
                    break
    return np.concatenate(own), np.concatenate(other)


def plans_null(corpus) -> tuple[np.ndarray, np.ndarray]:
    dated = _dated(corpus, BY)
    plans = (
        corpus.plans[["report_id", "n", "text"]].merge(dated, on="report_id").reset_index(drop=True)
    )
    passages = achievement_passages(corpus).merge(dated, on="report_id").reset_index(drop=True)
    vectors = _vectors(plans["text"].fillna("").tolist() + passages["text"].tolist())
    offset = len(plans)
    key_plans = plans[BY].apply(tuple, axis=1)
    key_pass = passages[BY].apply(tuple, axis=1)
    places = sorted(set(key_plans))
    own, other = [], []
    for i, place in enumerate(places):
        mine = plans[key_plans == place]
        for year in sorted(set(mine["report_year"])):
            rows = mine.index[mine["report_year"] == year].to_numpy()
            cands = passages.index[(key_pass == place) & (passages["report_year"] == year + 1)]
            if not len(cands):
                continue
            own.append(_best_scores(rows, cands.to_numpy() + offset, vectors))
            for other_place in places[i + 1 :] + places[:i]:
                theirs = passages.index[
                    (key_pass == other_place) & (passages["report_year"] == year + 1)
                ]
                if len(theirs):
                    other.append(_best_scores(rows, theirs.to_numpy() + offset, vectors))
                    break
    return np.concatenate(own), np.concatenate(other)


def main() -> None:
    corpora = os.environ.get("LAWGOVKIT_CORPORA") or "../shared/corpora"
    path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(corpora) / "local-work-reports")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = lgk.load_corpus(path, errors="skip", progress=False)
    for name, (own, other) in (("problems", problems_null(corpus)), ("plans", plans_null(corpus))):
        p = np.percentile(other, [50, 90, 95, 99])
        threshold = round(float(p[2]), 2)
        print(
            f"{name}: {len(own)} compared; other place best score p50/p90/p95/p99 = "
            f"{p[0]:.3f}/{p[1]:.3f}/{p[2]:.3f}/{p[3]:.3f}; own place median {np.median(own):.3f}"
        )
        print(
            f"  at threshold {threshold}: own place {np.mean(own >= threshold):.1%} reach it, "
            f"other place {np.mean(other >= threshold):.1%}"
        )
    print(pd.Series(dtype=float).empty and "")


if __name__ == "__main__":
    main()
