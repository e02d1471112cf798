"""Collocations: the words that keep company with a term, and how strongly.

:func:`collocations` counts the tokens within ``window`` tokens of each occurrence of a term
(the node) and sets each one's count there against its count in all the text searched,
with the usual association measures (:mod:`lawgovkit.association`): log-likelihood G²,
pointwise mutual information and the t-score, in the way of CQPweb and Evert (2008)::

    N    tokens of the text searched            C  the collocate's count in it
    R    tokens within the windows (node excluded; overlapping windows counted once)
    O    the collocate's count within the windows     E = R·C / N

Windows stay within one section (a heading ends a window), and with ``role`` only the
sections of those roles are searched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from lawgovkit.association import log_likelihood, pmi, t_score
from lawgovkit.concordance import _as_corpus, _roles, selected_reports
from lawgovkit.errors import ArgumentError
from lawgovkit.term_filters import excluded_terms
from lawgovkit.tokenize import Tokenizer, default_tokenizer

__all__ = ["COLUMNS", "MEASURES", "collocations"]

MEASURES = ("log_likelihood", "pmi", "t_score")
COLUMNS = ["collocate", "count", "count_total", "expected", "reports", *MEASURES, "p"]


def _node_tokenizer(term: str, tokenizer: Tokenizer | None) -> Tokenizer:
    """``tokenizer`` (default: the shared one), or a copy of it that keeps ``term`` whole."""
    tok = default_tokenizer(tokenizer)
    if tok(term) == [term]:
        return tok
    tok = Tokenizer(
        backend=tok.backend,
        officialese=tok.officialese,
        stopwords=tok.stopwords,
        keep_numbers=tok.keep_numbers,
        user_words=(*tok.user_words, term),
        min_chars=tok.min_chars,
    )
    if tok(term) != [term]:
        raise ArgumentError(
            f"{term!r} is not a word the tokenizer keeps (a stopword, a number or punctuation)"
        )
    return tok


def collocations(
    corpus: Any,
    term: str,
    window: int = 5,
    measure: str = "log_likelihood",
    *,
    role: str | Iterable[str] | None = None,
    min_count: int = 2,
    n: int | None = 20,
    where: Mapping[str, Any] | None = None,
    exclude: Iterable[str] = ("single_chars", "numbers"),
    tokenizer: Tokenizer | None = None,
) -> pd.DataFrame:
    """The collocates of ``term``: tokens within ``window`` tokens of it, with their scores.

    Parameters
    ----------
    corpus : Corpus or Report
        The reports to search.
    term : str
        The node word. When the tokenizer would cut it (``法治政府建设示范创建``), a copy of
        the tokenizer that keeps it whole is used.
    window : int
        Tokens on each side (stopwords and punctuation are not tokens).
    measure : {"log_likelihood", "pmi", "t_score"}
        The column the table is sorted by (all three are given).
    role : str or iterable of str, optional
        Only sections of these roles (``"problems"``, ``"plans"`` ...).
    min_count : int
        Collocates seen fewer times within the windows are left out.
    n : int or None
        Rows kept (the strongest); None keeps all.
    where : mapping, optional
        Only reports whose metadata match (as for :func:`lawgovkit.kwic`).
    exclude : iterable of str
        Filters of :func:`lawgovkit.term_filters.excluded_terms` for the collocates (single
        characters and numbers by default; ``()`` keeps all).
    tokenizer : Tokenizer, optional
        Default the shared tokenizer.

    Returns
    -------
    DataFrame
        Columns collocate, count (O: within the windows), count_total (C: in all the text
        searched), expected (E), reports (how many reports have it within a window),
        log_likelihood (signed G²), pmi (log2 O/E), t_score ((O − E)/√O), p (of G², χ²
        1 df); sorted by ``measure`` descending, then collocate. ``attrs`` holds
        ``node_count`` (occurrences of the term), ``window_tokens`` (R) and ``tokens`` (N).

    Examples
    --------
    >>> import lawgovkit as lgk
    >>> text = ("某区2023年度法治政府建设情况报告\\n一、主要成效\\n"
    ...         "办理行政复议案件,纠正行政复议案件。公证服务便民。公证服务改革。人民调解。")
    >>> report = lgk.Report.from_text(text, id="r")
    >>> table = collocations(report, "行政复议", window=1, min_count=1)
    >>> table[["collocate", "count", "count_total"]].values.tolist()[:1]
    [['案件', 2, 2]]
    """
    if not isinstance(term, str) or not term.strip():
        raise ArgumentError(f"collocations need a term, got {term!r}")
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise ArgumentError(f"window must be a whole number ≥ 1, not {window!r}")
    if measure not in MEASURES:
        raise ArgumentError(f"unknown measure {measure!r}; expected one of {MEASURES}")
    roles = _roles(role)
    corpus = _as_corpus(corpus)
    ids = set(selected_reports(corpus.reports, where))
    sections = corpus.sections
    sections = sections[sections["report_id"].isin(ids)]
    if roles is not None:
        sections = sections[sections["role"].isin(roles)]
    tok = _node_tokenizer(term, tokenizer)
    token_lists = tok.tokenize_many(sections["text"].fillna("").astype(str).tolist())
    total: dict[str, int] = {}
    within: dict[str, int] = {}
    reports: dict[str, set] = {}
    nodes = span_size = n_tokens = 0
    for report_id, tokens in zip(sections["report_id"], token_lists, strict=True):
        n_tokens += len(tokens)
        for token in tokens:
            total[token] = total.get(token, 0) + 1
        at = [i for i, token in enumerate(tokens) if token == term]
        if not at:
            continue
        nodes += len(at)
        span: set[int] = set()
        for i in at:
            span.update(range(max(0, i - window), min(len(tokens), i + window + 1)))
        span.difference_update(at)
        span_size += len(span)
        for i in span:
            token = tokens[i]
            within[token] = within.get(token, 0) + 1
            reports.setdefault(token, set()).add(report_id)
    words = [w for w, count in within.items() if count >= min_count and w != term]
    dropped = excluded_terms(words, exclude)
    words = [w for w, out in zip(words, dropped, strict=True) if not out]
    observed = np.array([within[w] for w in words], dtype=float)
    in_all = np.array([total[w] for w in words], dtype=float)
    expected = span_size * in_all / n_tokens if n_tokens else np.zeros(len(words))
    g2, p = log_likelihood(observed, in_all - observed, span_size, n_tokens - span_size)
    table = pd.DataFrame(
        {
            "collocate": pd.Series(words, dtype=object),
            "count": observed.astype(np.int64),
            "count_total": in_all.astype(np.int64),
            "expected": expected,
            "reports": np.array([len(reports[w]) for w in words], dtype=np.int64),
            "log_likelihood": g2,
            "pmi": pmi(observed, expected),
            "t_score": t_score(observed, expected),
            "p": p,
        }
    )
    table = table.sort_values([measure, "collocate"], ascending=[False, True], ignore_index=True)
    if n is not None:
        table = table.head(n)
    table = table[COLUMNS]
    table.attrs.update(node_count=nodes, window_tokens=span_size, tokens=n_tokens)
    return table
