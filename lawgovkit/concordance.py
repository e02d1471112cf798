"""Keyword in context: every occurrence of a word or pattern, with the text around it.

Researchers read a concordance before they cite a count. :func:`kwic` searches each
report's whole cleaned text (``report.text``, never cut into pieces of a fixed size, so
nothing is lost however long a report is) and gives one row per occurrence, with the
section and role it is in and its offset, so ``report.text[offset:offset + len(match)]``
is the match. It can keep only the occurrences inside sections of some roles (only the
admitted problems, only the plans) and only the reports whose metadata match. In Jupyter
the table shows as a concordance: left context right-aligned, the match highlighted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from lawgovkit.errors import ArgumentError
from lawgovkit.sections import ROLES
from lawgovkit.tokenize import Tokenizer, default_tokenizer

__all__ = ["COLUMNS", "Concordance", "kwic", "selected_reports"]

COLUMNS = ["report_id", "section_id", "role", "left", "match", "right", "offset"]
BY = ("char", "token")
_WORD = re.compile(r"[^\W_]")


class Concordance(pd.DataFrame):
    """The table :func:`kwic` returns: a DataFrame that shows as a concordance in Jupyter.

    Everything a DataFrame does works; only the notebook display differs (left context
    right-aligned, match highlighted, line breaks shown as ↵).

    Examples
    --------
    >>> table = Concordance({"report_id": ["r"], "section_id": ["一"], "role": ["problems"],
    ...     "left": ["执法"], "match": ["人员"], "right": ["不足"], "offset": [2]})
    >>> "<mark><b>人员</b></mark>" in table._repr_html_()
    True
    """

    @property
    def _constructor(self) -> type:
        return Concordance

    def _repr_html_(self) -> str | None:
        if not set(COLUMNS) <= set(self.columns):
            return pd.DataFrame(self)._repr_html_()
        limit = pd.get_option("display.max_rows") or len(self)
        shown = self.head(limit)

        def cell(value: Any) -> str:
            return html.escape(str(value)).replace("\n", "↵")

        body = []
        for row in shown.itertuples(index=False):
            body.append(
                "<tr>"
                f"<td style='text-align:left'>{cell(row.report_id)}</td>"
                f"<td style='text-align:left'>{cell(row.section_id)}</td>"
                f"<td style='text-align:left'>{cell(row.role)}</td>"
                f"<td style='text-align:right;white-space:pre'>{cell(row.left)}</td>"
                "<td style='text-align:center;white-space:pre'>"
                f"<mark><b>{cell(row.match)}</b></mark></td>"
                f"<td style='text-align:left;white-space:pre'>{cell(row.right)}</td>"
                f"<td style='text-align:right'>{int(row.offset)}</td>"
                "</tr>"
            )
        header = "".join(f"<th>{name}</th>" for name in COLUMNS)
        more = f"<p>{len(shown)} of {len(self)} rows shown</p>" if len(shown) < len(self) else ""
        return (
            f"<table class='dataframe lawgovkit-kwic'><thead><tr>{header}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>{more}"
        )


def _as_corpus(corpus: Any) -> Any:
    """A corpus, or a single report seen as a corpus of one."""
    if hasattr(corpus, "reports") and hasattr(corpus, "sections"):
        return corpus
    if hasattr(corpus, "sections") and hasattr(corpus, "meta") and hasattr(corpus, "id"):
        return SimpleNamespace(
            reports=pd.DataFrame([corpus.meta], index=[corpus.id]), sections=corpus.sections
        )
    raise ArgumentError(
        f"expected a Corpus or a Report (with reports and sections), got {type(corpus).__name__}"
    )


def _roles(role: str | Iterable[str] | None) -> set[str] | None:
    if role is None:
        return None
    roles = {role} if isinstance(role, str) else set(role)
    unknown = roles - set(ROLES)
    if unknown or not roles:
        raise ArgumentError(f"unknown role {sorted(unknown)}; expected some of {list(ROLES)}")
    return roles


def selected_reports(reports: pd.DataFrame, where: Mapping[str, Any] | None) -> list[str]:
    """The ids of the reports whose metadata match ``where``, in corpus order.

    ``where`` maps a column of ``corpus.reports`` to a value or a list/set of values.

    Examples
    --------
    >>> reports = pd.DataFrame({"level": ["district", "city", "county"]}, index=["a", "b", "c"])
    >>> selected_reports(reports, {"level": ["district", "county"]})
    ['a', 'c']
    """
    keep = pd.Series(True, index=reports.index)
    for column, wanted in (where or {}).items():
        if column not in reports.columns:
            raise ArgumentError(
                f"cannot filter on {column!r}; columns of the reports table: "
                f"{list(reports.columns)}"
            )
        if isinstance(wanted, (list, tuple, set, frozenset)):
            keep &= reports[column].isin(list(wanted))
        else:
            keep &= reports[column] == wanted
    return [str(i) for i in reports.index[keep.to_numpy()]]


def _matches(text: str, pattern: re.Pattern[str] | str) -> list[tuple[int, int]]:
    """Non-overlapping matches, left to right; empty matches are skipped."""
    if isinstance(pattern, str):
        found, start = [], text.find(pattern)
        while start >= 0:
            found.append((start, start + len(pattern)))
            start = text.find(pattern, start + len(pattern))
        return found
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]


def _word_bounds(text: str, tokenizer: Tokenizer) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets of the word pieces of ``text`` (punctuation, spaces left out)."""
    pieces = tokenizer.segment(text)
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    ends = np.cumsum(lengths)
    starts = ends - lengths
    words = np.fromiter((bool(_WORD.search(p)) for p in pieces), dtype=bool, count=len(pieces))
    return starts[words], ends[words]


def _token_context(
    s: int, e: int, window: int, starts: np.ndarray, ends: np.ndarray
) -> tuple[int, int]:
    """Where the left context begins and the right one ends: ``window`` words each side."""
    before = int(np.searchsorted(ends, s, side="right"))  # words ending at or before s
    after = int(np.searchsorted(starts, e, side="left"))  # the first word from e on
    left_from = s if window == 0 or before == 0 else int(starts[max(0, before - window)])
    if window == 0 or after >= len(starts):
        return left_from, e
    return left_from, int(ends[min(after + window, len(ends)) - 1])


def kwic(
    corpus: Any,
    pattern: str,
    window: int = 20,
    role: str | Iterable[str] | None = None,
    regex: bool = False,
    by: str = "char",
    *,
    where: Mapping[str, Any] | None = None,
    tokenizer: Tokenizer | None = None,
) -> Concordance:
    """Every occurrence of ``pattern`` in the reports, with its context (a concordance).

    Parameters
    ----------
    corpus : Corpus or Report
        The reports to search (their cleaned text, whole).
    pattern : str
        The word or phrase to find (literally), or a regular expression with ``regex=True``.
    window : int
        Context on each side: characters (``by="char"``) or words (``by="token"``).
    role : str or iterable of str, optional
        Only occurrences lying inside sections of these roles (``"problems"``,
        ``"plans"``, ``"achievements"``, ``"leader_duty"``, ``"preamble"``, ``"other"``).
    regex : bool
        Treat ``pattern`` as a regular expression (empty matches are skipped).
    by : {"char", "token"}
        What ``window`` counts; words are the pieces of :meth:`Tokenizer.segment`,
        punctuation not counted. The contexts are slices of the text either way.
    where : mapping, optional
        Only reports whose metadata match: column of ``corpus.reports`` → a value or a
        list of values, e.g. ``{"level": "district", "report_year": [2022, 2023]}``.
    tokenizer : Tokenizer, optional
        For ``by="token"``; the shared tokenizer by default.

    Returns
    -------
    Concordance
        A DataFrame with columns report_id, section_id, role (of the section where the
        match starts), left, match, right, offset (of the match in ``report.text``), one
        row per non-overlapping occurrence, in corpus order then by offset. Contexts stop
        at the ends of the report, never elsewhere.

    Examples
    --------
    >>> import lawgovkit as lgk
    >>> text = ("某区2023年度法治政府建设情况报告\\n一、主要成效\\n办理行政复议案件12件。"
    ...         "\\n二、存在的问题\\n行政复议纠错率不高。")
    >>> report = lgk.Report.from_text(text, id="r")
    >>> table = kwic(report, "行政复议", window=3)
    >>> table[["left", "match", "right"]].values.tolist()
    [['\\n办理', '行政复议', '案件1'], ['问题\\n', '行政复议', '纠错率']]
    >>> table["role"].tolist()
    ['achievements', 'problems']
    >>> [report.text[o:o + 4] for o in table["offset"]]
    ['行政复议', '行政复议']
    >>> kwic(report, "行政复议", role="problems")["section_id"].tolist()
    ['二']
    >>> kwic(report, r"\\d+件", regex=True)["match"].tolist()
    ['12件']
    """
    if not isinstance(pattern, str) or not pattern:
        raise ArgumentError(f"kwic needs a non-empty pattern, got {pattern!r}")
    if by not in BY:
        raise ArgumentError(f"by must be one of {BY}, not {by!r}")
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 0:
        raise ArgumentError(f"window must be a whole number ≥ 0, not {window!r}")
    compiled: re.Pattern[str] | str = pattern
    if regex:
        try:
            compiled = re.compile(pattern)
        except re.error as error:
            raise ArgumentError(f"invalid regular expression {pattern!r}: {error}") from None
    roles = _roles(role)
    corpus = _as_corpus(corpus)
    ids = selected_reports(corpus.reports, where)
    if by == "token":
        tokenizer = default_tokenizer(tokenizer)
    sections = corpus.sections
    sections = sections[sections["report_id"].isin(ids)].sort_values(
        ["report_id", "start"], kind="stable"
    )
    by_report = {key: frame for key, frame in sections.groupby("report_id", sort=False)}
    rows: list[tuple] = []
    for report_id in ids:
        own = by_report.get(report_id)
        if own is None or len(own) == 0:
            continue
        text = "".join(own["text"].fillna(""))
        found = _matches(text, compiled)
        if not found:
            continue
        spans = np.array(found, dtype=np.int64)
        starts = own["start"].to_numpy(dtype=np.int64) - int(own["start"].iloc[0])
        first = np.searchsorted(starts, spans[:, 0], side="right") - 1
        last = np.searchsorted(starts, spans[:, 1] - 1, side="right") - 1
        section_ids, section_roles = own["section_id"].to_numpy(), own["role"].to_numpy()
        if roles is not None:
            # every section the match touches must have one of the roles
            outside = np.concatenate([[0], np.cumsum([r not in roles for r in section_roles])])
            keep = outside[last + 1] - outside[first] == 0
            spans, first = spans[keep], first[keep]
        if by == "token":
            word_starts, word_ends = _word_bounds(text, tokenizer)
        for (s, e), k in zip(spans.tolist(), first.tolist(), strict=True):
            if by == "char":
                left_from, right_to = max(0, s - window), e + window
            else:
                left_from, right_to = _token_context(s, e, window, word_starts, word_ends)
            rows.append(
                (
                    report_id,
                    section_ids[k],
                    section_roles[k],
                    text[left_from:s],
                    text[s:e],
                    text[e:right_to],
                    s,
                )
            )
    table = Concordance(pd.DataFrame(rows, columns=COLUMNS))
    table["offset"] = table["offset"].astype(np.int64)
    return table
