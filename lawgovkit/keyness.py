"""Distinctive terms: the words a report (or a group of reports) uses more than the rest.

:func:`distinctive_terms` follows quanteda's ``textstat_keyness``: for each group, each
term's count in the group is set against its count in the rest of the corpus in a 2×2
table, scored by the log-likelihood statistic G² (signed: positive when the term is
over-represented in the group), its p-value (χ², 1 degree of freedom) and an effect size,
the log ratio (binary log of the ratio of relative frequencies, with 0.5 added to both
counts so a term absent from the rest still gets a finite value; Hardie 2014).
:func:`top_tfidf_terms` gives the highest TF-IDF terms of each document.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import chi2
from sklearn.feature_extraction.text import CountVectorizer

from lawgovkit.errors import ArgumentError
from lawgovkit.tfidf import tfidf_matrix
from lawgovkit.tokenize import Tokenizer, default_tokenizer
from lawgovkit.units import text_units, warn_left_out

__all__ = ["SMOOTHING", "distinctive_terms", "keyness_table", "top_tfidf_terms"]

SMOOTHING = 0.5
COLUMNS = ["group", "term", "count_group", "count_rest", "g2", "p", "log_ratio"]


def _xlogy(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """``observed * log(observed / expected)``, 0 where nothing is observed."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(observed > 0, observed * np.log(observed / expected), 0.0)


def _scores(a: np.ndarray, b: np.ndarray, size_group: np.ndarray, size_rest: np.ndarray):
    """Signed G², p-value and log ratio for counts ``a`` (group) and ``b`` (rest)."""
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
    log_ratio = np.log2(((a + SMOOTHING) / size_group) / ((b + SMOOTHING) / size_rest))
    return np.where(over, g2, -g2), p, log_ratio


def keyness_table(
    units: pd.DataFrame,
    group: str = "group",
    n: int | None = 20,
    tokenizer: Tokenizer | None = None,
    min_count: int = 2,
) -> pd.DataFrame:
    """Keyness of each group's terms against the rest, from a DataFrame of units.

    Parameters
    ----------
    units : DataFrame
        Columns ``text`` and ``group`` (the column named by ``group``).
    group : str
        The column holding each unit's group.
    n : int or None
        Terms kept per group (the most over-represented); None keeps all.
    tokenizer : Tokenizer, optional
        Defaults to the package's shared tokenizer.
    min_count : int
        Terms seen fewer times than this in the group are left out.

    Returns
    -------
    DataFrame
        Columns group, term, count_group, count_rest, g2, p, log_ratio; only terms
        over-represented in their group (g2 > 0); sorted by group, then g2 descending,
        then term.

    Examples
    --------
    >>> units = pd.DataFrame({"group": ["甲", "甲", "乙"],
    ...     "text": ["行政复议 行政复议", "行政复议 人民调解", "人民调解 法律援助 法律援助"]})
    >>> keyness_table(units, n=1)[["group", "term", "count_group", "count_rest"]].values.tolist()
    [['乙', '法律援助', 2, 0], ['甲', '行政复议', 3, 0]]
    """
    tokenizer = default_tokenizer(tokenizer)
    has_text = [bool(tokenizer(text)) for text in units["text"]]
    units = units[has_text]
    groups = sorted(units[group].astype(str).unique())
    if len(groups) < 2:
        raise ArgumentError(f"distinctive terms need at least two groups with text; found {groups}")
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
    g2, p, log_ratio = _scores(a, b, size_group, size_rest)
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
    return table.reset_index(drop=True)[COLUMNS]


def distinctive_terms(
    corpus: Any,
    by: str = "report",
    unit: str = "report",
    n: int = 20,
    tokenizer: Tokenizer | None = None,
    min_count: int = 2,
) -> pd.DataFrame:
    """The terms each report, or each group of reports, uses distinctively (G² keyness).

    Parameters
    ----------
    corpus : Corpus or DataFrame
        A corpus, or a DataFrame of units (``id``, ``text`` and the ``by`` column).
    by : str
        ``"report"`` (each report against all others) or a column of ``corpus.reports``
        (``"province"``, ``"level"``, ``"body"``, ``"report_year"`` ...): each value's reports
        against the others. Reports with no value in that column are left out (warned).
    unit : str
        Which text: ``"report"``, ``"problems"``, ``"plans"`` or ``"theme:<name>"``.
    n : int
        Terms per group.
    tokenizer : Tokenizer, optional
        E.g. ``Tokenizer(officialese=True)``; default the shared tokenizer.
    min_count : int
        Minimum count of a term in the group.

    Returns
    -------
    DataFrame
        Columns group, term, count_group, count_rest, g2 (signed log-likelihood), p
        (χ², 1 df), log_ratio (effect size, base 2, counts smoothed by 0.5); sorted by
        group then g2 descending.

    Examples
    --------
    >>> units = pd.DataFrame({"id": ["a", "b"],
    ...     "text": ["行政复议 行政复议 行政复议 人民调解", "人民调解 法律援助 法律援助 法律援助"]})
    >>> distinctive_terms(units, n=1)[["group", "term"]].values.tolist()
    [['a', '行政复议'], ['b', '法律援助']]
    """
    units = text_units(corpus, unit)
    if by in ("report", "id"):
        units["group"] = units["report_id"] if by == "report" else units["id"]
    elif by in units.columns:
        units["group"] = units[by]
    elif not isinstance(corpus, pd.DataFrame) and by in (reports := corpus.reports).columns:
        units["group"] = units["report_id"].map(reports[by])
    else:
        columns = [] if isinstance(corpus, pd.DataFrame) else list(corpus.reports.columns)
        raise ArgumentError(f"cannot group by {by!r}; expected 'report' or one of {columns}")
    missing = units["group"].isna()
    if missing.any():
        warn_left_out([str(i) for i in units.loc[missing, "id"]], f"{unit} by {by}")
    units = units[~missing]
    empty = [str(i) for i, text in zip(units["id"], units["text"], strict=True) if not text.strip()]
    warn_left_out(empty, unit)
    try:
        return keyness_table(units, "group", n=n, tokenizer=tokenizer, min_count=min_count)
    except ArgumentError as error:
        raise ArgumentError(f"by={by!r}, unit={unit!r}: {error}") from None


def top_tfidf_terms(
    corpus: Any,
    n: int = 10,
    unit: str = "report",
    tokenizer: Tokenizer | None = None,
    **tfidf_kwargs: Any,
) -> pd.DataFrame:
    """The ``n`` terms with the highest TF-IDF weight in each document.

    Parameters
    ----------
    corpus : Corpus or DataFrame
        A corpus, or a DataFrame of units (``id``, ``text``).
    n : int
        Terms per document.
    unit : str
        As for :func:`lawgovkit.similarity.similarity_matrix`.
    tokenizer : Tokenizer, optional
        Default the shared tokenizer.
    **tfidf_kwargs
        Passed to scikit-learn's ``TfidfVectorizer``.

    Returns
    -------
    DataFrame
        Columns id, rank (1 = highest), term, tfidf; documents in corpus order.

    Examples
    --------
    >>> units = pd.DataFrame({"id": ["a", "b"], "text": ["行政复议 人民调解", "人民调解 公证"]})
    >>> top_tfidf_terms(units, n=1)[["id", "term"]].values.tolist()
    [['a', '行政复议'], ['b', '公证']]
    """
    fitted = tfidf_matrix(text_units(corpus, unit), "word", tokenizer, **tfidf_kwargs)
    warn_left_out(fitted.left_out, unit)
    terms = fitted.vectorizer.get_feature_names_out()
    rows = []
    for i, doc_id in enumerate(fitted.ids):
        row = fitted.matrix.getrow(i)
        order = sorted(zip(-row.data, terms[row.indices], strict=True))[:n]
        rows.extend((doc_id, rank, term, -weight) for rank, (weight, term) in enumerate(order, 1))
    return pd.DataFrame(rows, columns=["id", "rank", "term", "tfidf"])
