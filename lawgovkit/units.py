"""The units a comparison works on: whole reports, their problems or plans, sections, or
each report's passages on a theme, as a table (``id``, ``report_id``, ``text``).

:func:`lawgovkit.similarity_matrix`, :func:`lawgovkit.most_similar`,
:func:`lawgovkit.tfidf.tfidf_matrix` and :func:`lawgovkit.distinctive_terms` work on that
table, so they also accept such a DataFrame directly. Units without text (a report with no
plans) are left out of a comparison and said so (:func:`warn_left_out`); they never get
zero rows.
"""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd

from lawgovkit.corpus import Corpus
from lawgovkit.errors import ArgumentError, LawgovkitWarning

__all__ = ["UNITS", "text_units", "warn_left_out"]

UNITS = ("report", "problems", "plans", "section", "theme:<name>")


def _report_texts(corpus: Any) -> pd.Series:
    """Each report's cleaned text, in corpus order: a :class:`~lawgovkit.Corpus`'s own
    strings (no copy: 100,000 reports' texts are 600 MB), else (a corpus of tables only)
    joined from its sections, which re-join to it."""
    ids = list(corpus.reports.index)
    if isinstance(corpus, Corpus):
        return pd.Series([corpus[i].text for i in ids], index=ids, dtype=object)
    sections = corpus.sections
    if len(sections) == 0:
        return pd.Series([""] * len(ids), index=ids, dtype=object)
    ordered = sections.sort_values(["report_id", "start"], kind="stable")
    return _joined(ids, ordered, "")


def _joined_by_report(corpus: Any, table: pd.DataFrame) -> pd.Series:
    """The texts of ``table`` (problems, plans, passages) joined per report, one a line."""
    ids = list(corpus.reports.index)
    if len(table) == 0:
        return pd.Series([""] * len(ids), index=ids, dtype=object)
    return _joined(ids, table, "\n")


def _joined(ids: list, table: pd.DataFrame, separator: str) -> pd.Series:
    """The ``text`` of ``table``'s rows joined per ``report_id`` in table order, for each of
    ``ids`` ("" for one without rows). In plain Python: a pandas group-by with a joining
    function calls it once per report through several layers (ten times slower)."""
    texts: dict[Any, list[str]] = {}
    for report_id, text in zip(table["report_id"].tolist(), table["text"].tolist(), strict=True):
        texts.setdefault(report_id, []).append(text)
    joined = [separator.join(texts[i]) if i in texts else "" for i in ids]
    return pd.Series(joined, index=ids, dtype=object)


def text_units(corpus: Any, unit: str = "report") -> pd.DataFrame:
    """The units a comparison works on, one row each: ``id``, ``report_id``, ``text``.

    Parameters
    ----------
    corpus : Corpus or DataFrame
        A corpus, or a DataFrame that already has ``id`` and ``text`` columns (returned as is,
        with ``report_id`` defaulting to ``id``).
    unit : str
        ``"report"`` (the cleaned text), ``"problems"`` / ``"plans"`` (each report's admitted
        problems / planned measures, joined), ``"section"`` (each section; id
        ``"report_id:section_id"``) or ``"theme:<name>"`` (each report's sentences on the
        theme, see :func:`lawgovkit.themes.theme_passages`).

    Returns
    -------
    DataFrame
        Columns ``id``, ``report_id``, ``text``; a report with nothing for the unit has an
        empty text (the comparison functions leave it out and say so), as has a missing
        text of a DataFrame given. The texts of a corpus are Python strings (object); a
        DataFrame's keep its string type (under pandas 3, Arrow strings, which keyness
        reads as they are stored).

    Examples
    --------
    >>> units = pd.DataFrame({"id": ["a", "b"], "text": ["行政复议", "人民调解"]})
    >>> list(text_units(units).columns)
    ['id', 'report_id', 'text']
    """
    if isinstance(corpus, pd.DataFrame):
        if not {"id", "text"} <= set(corpus.columns):
            raise ArgumentError(
                f"a DataFrame of units needs columns 'id' and 'text'; got {list(corpus.columns)}"
            )
        units = corpus.copy(deep=False)  # columns replaced below, never changed in place
        if "report_id" not in units.columns:
            units["report_id"] = units["id"]
        units["text"] = units["text"].fillna("").astype(str)
        others = [c for c in units.columns if c not in ("id", "report_id", "text")]
        return units[["id", "report_id", "text", *others]].reset_index(drop=True)
    if unit == "report":
        texts = _report_texts(corpus)
    elif unit in ("problems", "plans"):
        texts = _joined_by_report(corpus, getattr(corpus, unit))
    elif unit == "section":
        sections = corpus.sections
        ids = sections["report_id"].astype(str) + ":" + sections["section_id"].astype(str)
        return pd.DataFrame(
            {
                "id": ids.to_numpy(),
                "report_id": sections["report_id"].to_numpy(),
                "text": pd.Series(sections["text"].fillna("").to_numpy(), dtype=object),
            }
        )
    elif isinstance(unit, str) and unit.startswith("theme:"):
        from lawgovkit.themes import theme_passages

        passages = theme_passages(corpus, unit.removeprefix("theme:"))
        texts = _joined_by_report(corpus, passages.rename(columns={"sentence": "text"}))
    else:
        raise ArgumentError(f"unknown unit {unit!r}; expected one of {UNITS}")
    # the texts as Python strings (object): pandas 3 would copy them into Arrow strings, and
    # every comparison reads them back one by one (1 s each way at 10,000 reports)
    text = pd.Series(texts.to_numpy(), dtype=object)
    return pd.DataFrame({"id": texts.index, "report_id": texts.index, "text": text})


def warn_left_out(left_out: list[str], unit: str) -> None:
    """Say which units a comparison leaves out for lack of text (a LawgovkitWarning)."""
    if left_out:
        warnings.warn(
            f"left out of the {unit!r} comparison for lack of text: {', '.join(left_out)}",
            LawgovkitWarning,
            stacklevel=3,
        )
