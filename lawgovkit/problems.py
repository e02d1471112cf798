"""Problems admitted: what kind, how candid, and whether the plans answer them.

The problem taxonomy and the candour patterns live in ``data/problem_categories.json``.

- :func:`categorize_problems` — a category key for each problem statement (fills
  ``corpus.problems.category``); :func:`problem_categories` lists the taxonomy.
- :func:`candour` — per report: how many problems, how much text on them, how many are
  specific (a number, a named unit or place, a cause) rather than stock formulas
  ("有待进一步加强"), and whether causes are given at all.
- :func:`plan_response` — for each problem, the most similar plan of the same report.
"""

from __future__ import annotations

import re
import warnings
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from lawgovkit.errors import LawgovkitWarning
from lawgovkit.taxonomy import categorize_problems, problem_categories, problem_data
from lawgovkit.tfidf import tfidf_matrix
from lawgovkit.tokenize import Tokenizer, default_tokenizer

__all__ = [
    "candour",
    "categorize_problems",
    "is_generic",
    "is_specific",
    "plan_response",
    "problem_categories",
]

_HEADLINE_END = re.compile(r"[。；;！!？?]")


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    taxonomy = problem_data()
    compiled = {
        name: re.compile("|".join(f"(?:{p})" for p in patterns))
        for name, patterns in taxonomy["specific_patterns"].items()
    }
    compiled["generic"] = re.compile("|".join(f"(?:{p})" for p in taxonomy["generic_patterns"]))
    return compiled


def _names_a_unit(text: str) -> bool:
    prefixes = tuple(problem_data()["named_unit_generic_prefixes"])
    return any(
        not match.group().startswith(prefixes) for match in _patterns()["named_unit"].finditer(text)
    )


def is_specific(text: str) -> bool:
    """Whether a problem statement gives a number, names a unit or place, or a cause.

    Examples
    --------
    >>> is_specific("全区行政复议纠错率达12%"), is_specific("由于编制所限,人手不足")
    (True, True)
    >>> is_specific("法治意识有待进一步加强")
    False
    """
    patterns = _patterns()
    return bool(
        patterns["number"].search(text) or patterns["cause"].search(text) or _names_a_unit(text)
    )


def is_generic(text: str) -> bool:
    """Whether a statement is only a stock formula: one of the generic patterns, not specific.

    Examples
    --------
    >>> is_generic("法治宣传针对性实效性有待进一步增强"), is_generic("3个街道未配备法制审核人员")
    (True, False)
    """
    return bool(_patterns()["generic"].search(text)) and not is_specific(text)


def candour(corpus: Any) -> pd.DataFrame:
    """How many problems each report admits and how candidly.

    Parameters
    ----------
    corpus : Corpus
        Needs ``reports``, ``sections`` (role) and ``problems``.

    Returns
    -------
    DataFrame
        Index report_id (corpus order); columns n_problems, problem_share (characters in
        sections of role ``problems`` / the report's characters), specific_share (share of
        problems that give a number, a named unit or place, or a cause), generic_share
        (share that are only stock formulas such as 有待进一步加强), gives_causes (whether
        the problem part states causes: 原因, 由于, 导致 ...). Shares are NaN for a
        report without problems.

    Examples
    --------
    >>> candour(corpus)  # doctest: +SKIP
    """
    ids = list(corpus.reports.index)
    sections = corpus.sections
    lengths = sections["text"].fillna("").str.len()
    totals = lengths.groupby(sections["report_id"]).sum().reindex(ids).fillna(0)
    in_problems = sections["role"] == "problems"
    problem_chars = lengths[in_problems].groupby(sections["report_id"][in_problems]).sum()
    problem_chars = problem_chars.reindex(ids).fillna(0)

    problems = corpus.problems
    texts = problems["text"].fillna("").astype(str)
    flags = pd.DataFrame(
        {
            "report_id": problems["report_id"].to_numpy(),
            "specific": [is_specific(t) for t in texts],
            "generic": [is_generic(t) for t in texts],
        }
    )
    grouped = flags.groupby("report_id")
    n_problems = grouped.size().reindex(ids).fillna(0).astype(int)

    cause = _patterns()["cause"]
    part = sections[in_problems]
    bodies = [
        text.replace(heading, "", 1) if isinstance(heading, str) and heading else text
        for text, heading in zip(part["text"].fillna(""), part["heading"], strict=True)
    ]
    said = (
        pd.Series(bodies, index=part.index, dtype=object).groupby(part["report_id"]).agg("\n".join)
    )
    said = said.reindex(ids).fillna("")
    stated = texts.groupby(problems["report_id"]).agg("\n".join).reindex(ids).fillna("")
    table = pd.DataFrame(
        {
            "n_problems": n_problems,
            "problem_share": (problem_chars / totals.where(totals > 0)).astype(float),
            "specific_share": grouped["specific"].mean().reindex(ids).astype(float),
            "generic_share": grouped["generic"].mean().reindex(ids).astype(float),
            "gives_causes": [
                bool(cause.search(a) or cause.search(b)) for a, b in zip(said, stated, strict=True)
            ],
        },
        index=pd.Index(ids, name="report_id"),
    )
    return table


def plan_response(
    corpus: Any, tokenizer: Tokenizer | None = None, analyzer: str = "char"
) -> pd.DataFrame:
    """For each problem admitted, the plan of the same report that answers it best.

    TF-IDF is fitted on all problems and plans of the corpus; the similarity is the cosine
    between a problem and each plan of its own report.

    Parameters
    ----------
    corpus : Corpus
        Needs ``problems`` and ``plans``.
    tokenizer : Tokenizer, optional
        For ``analyzer="word"``; defaults to ``Tokenizer(officialese=True)``: officialese
        (加强, 推进 ...) is in every problem and every plan and would make them look alike.

    Returns
    -------
    DataFrame
        Columns report_id, problem_n, problem, plan_n, plan, similarity; one row per
        problem in corpus order. A report with problems but no plans keeps its rows with
        plan_n, plan and similarity missing (and a warning names it); a problem that shares
        no term with any plan of its report gets similarity 0 and no plan.

    Examples
    --------
    >>> plan_response(corpus)  # doctest: +SKIP
    """
    tokenizer = default_tokenizer(tokenizer, officialese=True)
    problems = corpus.problems.reset_index(drop=True)
    plans = corpus.plans.reset_index(drop=True)
    units = pd.DataFrame(
        {
            "id": [f"problem:{i}" for i in problems.index] + [f"plan:{i}" for i in plans.index],
            "text": list(problems["text"].fillna("")) + list(plans["text"].fillna("")),
        }
    )
    fitted = tfidf_matrix(units, analyzer, tokenizer)
    if fitted.ids:
        vectors = fitted.vectorizer.transform(units["text"].tolist())  # empty text: zero row
    else:
        vectors = sparse.csr_matrix((len(units), 1))
    problem_vectors, plan_vectors = vectors[: len(problems)], vectors[len(problems) :]
    plan_rows = {
        report_id: group.sort_values("n", kind="stable").index.to_numpy()
        for report_id, group in plans.groupby("report_id", sort=False)
    }
    best_n = np.full(len(problems), -1)
    best_text: list[str | None] = [None] * len(problems)
    best_value = np.full(len(problems), np.nan)
    without_plans = []
    for report_id, group in problems.groupby("report_id", sort=False):
        rows = group.index.to_numpy()
        candidates = plan_rows.get(report_id)
        if candidates is None:
            without_plans.append(str(report_id))
            continue
        scores = (problem_vectors[rows] @ plan_vectors[candidates].T).toarray()
        choice = scores.argmax(axis=1)  # ties: the earliest plan
        values = np.clip(scores[np.arange(len(rows)), choice], 0.0, 1.0)
        best_value[rows] = values
        for row, pick, value in zip(rows, choice, values, strict=True):
            if value > 0:  # a problem sharing nothing with any plan is answered by none
                best_n[row] = plans.at[candidates[pick], "n"]
                best_text[row] = plans.at[candidates[pick], "text"]
    table = pd.DataFrame(
        {
            "report_id": problems["report_id"].to_numpy(),
            "problem_n": problems["n"].astype(int).to_numpy(),
            "problem": problems["text"].to_numpy(),
            "plan_n": pd.array(np.where(best_n >= 0, best_n, 0), dtype="Int64"),
            "plan": best_text,
            "similarity": best_value,
        }
    )
    table.loc[best_n < 0, "plan_n"] = pd.NA
    if without_plans:
        warnings.warn(
            "no plans to answer the problems of: " + ", ".join(sorted(set(without_plans))),
            LawgovkitWarning,
            stacklevel=2,
        )
    return table
