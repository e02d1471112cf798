"""Numeric claims: every quantity a report states, and the figures side by side.

- :func:`report_claims` — one report's claims (one row per quantity), each placed in its
  section and role, with its sentence.
- :func:`claims` — the same for a corpus (``corpus.claims``).
- :func:`indicator_of` — the indicator name a noun phrase stands for, from the lexicon in
  ``data/indicators.json`` (synonyms → one name).
- :func:`indicator_table` — report × indicator: the figure each report gives for each
  indicator, with its place and year.

How numbers are read (numerals, 万/亿, 余/多, ranges, percentages, 个百分点; years, dates
and document numbers left out) is :mod:`lawgovkit.quantities`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import Any

import pandas as pd

from lawgovkit._data import read_json
from lawgovkit._schema import Column, build
from lawgovkit.errors import ArgumentError
from lawgovkit.quantities import find_quantities, sentence_span

__all__ = [
    "CLAIM_COLUMNS",
    "CLAIM_SCHEMA",
    "claims",
    "indicator_lexicon",
    "indicator_of",
    "indicator_table",
    "report_claims",
]

#: The schema of ``corpus.claims`` (see the README's table reference).
CLAIM_SCHEMA = (
    Column("report_id", "object", "the report"),
    Column("section_id", "object", "the section the number stands in"),
    Column("role", "object", "that section's role"),
    Column("indicator", "object", "the noun phrase the number counts, as written"),
    Column("indicator_name", "object", "its name in the indicator lexicon"),
    Column("value", "float64", "the number; 万/亿 multiplied out; a fall negative"),
    Column("value_high", "float64", "the upper end of a range"),
    Column("unit", "object", "measure word, %, ‰ or 百分点"),
    Column("kind", "object", "level, change or target"),
    Column("approx", "object", "余, 多, 约, 以上… as written"),
    Column("raw", "object", "the text read"),
    Column("sentence", "object", "the sentence it stands in"),
    Column("start", "int64", "offset of raw in report.text"),
    Column("end", "int64", "offset of its end"),
)
CLAIM_COLUMNS = tuple(c.name for c in CLAIM_SCHEMA)
_RATE_UNITS = frozenset({"%", "‰", "百分点"})


@cache
def _lexicon() -> tuple[tuple[str, str, str], ...]:
    """(synonym, name, measure), longest synonym first."""
    entries = [
        (synonym, item["name"], item["measure"])
        for item in read_json("indicators.json")["indicators"]
        for synonym in item["synonyms"]
    ]
    return tuple(sorted(entries, key=lambda e: (-len(e[0]), e[0])))


def indicator_lexicon() -> pd.DataFrame:
    """The indicator lexicon as a table: name, group, measure, synonyms (joined by ``|``).

    Examples
    --------
    >>> table = indicator_lexicon()
    >>> "行政复议纠错率" in set(table["name"])
    True
    """
    rows = [
        (item["name"], item["group"], item["measure"], "|".join(item["synonyms"]))
        for item in read_json("indicators.json")["indicators"]
    ]
    return pd.DataFrame(rows, columns=["name", "group", "measure", "synonyms"])


@lru_cache(maxsize=65536)
def indicator_of(phrase: str | None, unit: str, kind: str | None = None) -> str | None:
    """The indicator name of a noun phrase counted in ``unit``, else None.

    A rate indicator (出庭应诉率) takes a number in %, ‰ or 百分点; a count takes any
    other unit, and also a change in % (案件同比增长12.3%) when no rate indicator fits.
    The longest synonym found in the phrase decides.

    Examples
    --------
    >>> indicator_of("行政机关负责人出庭应诉率", "%"), indicator_of("法援案件", "件")
    ('行政机关负责人出庭应诉率', '法律援助案件')
    >>> indicator_of("法援案件", "%") is None
    True
    """
    if not phrase:
        return None
    is_rate = unit in _RATE_UNITS
    for synonym, name, measure in _lexicon():
        if synonym in phrase and (measure == "rate") == is_rate:
            return name
    if kind == "change" and is_rate:
        return indicator_of(phrase, "", None)
    return None


def report_claims(report: Any) -> pd.DataFrame:
    """One report's numeric claims, one row per quantity (columns :data:`CLAIM_COLUMNS`).

    Parameters
    ----------
    report : Report
        Needs ``id``, ``text`` and ``sections`` (start, end, section_id, role).

    Returns
    -------
    DataFrame
        Sorted by position. ``start``/``end`` are offsets of ``raw`` in ``report.text``;
        ``sentence`` is the sentence it stands in.

    Examples
    --------
    >>> from lawgovkit.report import Report
    >>> text = "某区2023年度法治政府建设情况报告\\n一、主要成效\\n"
    >>> text += "全年受理行政复议案件一千二百余件。"
    >>> table = report_claims(Report.from_text(text, id="x"))
    >>> table[["role", "indicator_name", "value", "unit", "approx"]].values.tolist()
    [['achievements', '行政复议案件', 1200.0, '件', '余']]
    """
    return _frame(_rows(report.id, report.text, report.sections))


def _rows(report_id: str, text: str, sections: pd.DataFrame) -> list[tuple]:
    """The claim rows of one report, given its sections (start, section_id, role)."""
    if len(sections):
        sections = sections.sort_values("start", kind="stable")
        starts = sections["start"].astype(int).tolist()
        ids, roles = sections["section_id"].tolist(), sections["role"].tolist()
    else:
        starts, ids, roles = [], [], []
    rows = []
    for index in range(len(starts) or 1):
        begin = starts[index] if starts else 0
        finish = starts[index + 1] if index + 1 < len(starts) else len(text)
        role = roles[index] if starts else None
        part = text[begin:finish]
        for q in find_quantities(part, role=role):
            lo, hi = sentence_span(part, q.start, q.end)
            rows.append(
                (
                    report_id,
                    ids[index] if starts else None,
                    role,
                    q.indicator,
                    indicator_of(q.indicator, q.unit, q.kind),
                    q.value,
                    q.value_high,
                    q.unit,
                    q.kind,
                    q.approx,
                    q.raw,
                    part[lo:hi].strip(),
                    begin + q.start,
                    begin + q.end,
                )
            )
    return rows


def _frame(rows: Sequence[tuple]) -> pd.DataFrame:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(CLAIM_COLUMNS)
    return build(dict(zip(CLAIM_COLUMNS, columns, strict=True)), CLAIM_SCHEMA)


def claims(corpus: Any) -> pd.DataFrame:
    """Every numeric claim of a corpus: :func:`report_claims` of each report, concatenated.

    Parameters
    ----------
    corpus : Corpus or iterable of Report

    Returns
    -------
    DataFrame
        Columns :data:`CLAIM_COLUMNS` (report_id, section_id, role, indicator,
        indicator_name, value, value_high, unit, kind, approx, raw, sentence, start, end),
        sorted by report_id and start. ``value`` is a float with 万/亿 multiplied out (a
        fall is negative for a change); ``kind`` is level, change or target; ``approx``
        holds the markers as written (余, 多, 约, 以上…) or None.

    Examples
    --------
    >>> import lawgovkit as lgk
    >>> corpus = lgk.Corpus([lgk.Report.from_text(
    ...     "某区2023年度法治政府建设情况报告\\n一、成效\\n负责人出庭应诉率达100%。", id="a")])
    >>> lgk.claims(corpus)[["report_id", "indicator_name", "value", "unit"]].values.tolist()
    [['a', '行政机关负责人出庭应诉率', 100.0, '%']]
    """
    if hasattr(corpus, "sections"):  # one sections table for all: quicker than report by report
        sections = corpus.sections
        by_report = dict(iter(sections.groupby("report_id", sort=False))) if len(sections) else {}
        empty = pd.DataFrame(columns=["start", "section_id", "role"])
        rows = [
            r
            for report in corpus
            for r in _rows(report.id, report.text, by_report.get(report.id, empty))
        ]
    else:
        rows = [r for report in corpus for r in _rows(report.id, report.text, report.sections)]
    table = _frame(rows)
    return table.sort_values(["report_id", "start"], kind="stable").reset_index(drop=True)


def indicator_table(
    corpus: Any,
    indicators: Iterable[str] | None = None,
    kind: str = "level",
    roles: Iterable[str] = ("achievements", "preamble"),
) -> pd.DataFrame:
    """Report × indicator: the figure each report states for each indicator.

    For each report and indicator, the first claim (in text order) of the given ``kind``
    from a section of one of ``roles`` whose unit is the indicator's most common unit in
    the corpus (so 件 and 万件, or % and 百分点, are never mixed in one column).

    Parameters
    ----------
    corpus : Corpus
    indicators : iterable of str, optional
        Indicator names (see :func:`indicator_lexicon`); default: every indicator that
        some report states, in lexicon order.
    kind : {"level", "change", "target"}
    roles : iterable of str
        Section roles a figure may come from (targets: pass ``("plans",)``).

    Returns
    -------
    DataFrame
        Index ``report_id`` (sorted); columns ``jurisdiction``, ``body``, ``report_year``,
        then one float column per indicator named ``"<indicator> (<unit>)"``; NaN where
        a report states no such figure.

    Examples
    --------
    >>> import lawgovkit as lgk
    >>> corpus = lgk.Corpus([lgk.Report.from_text(
    ...     "江夏区2023年度法治政府建设情况报告\\n一、成效\\n办理法律援助案件356件。", id="a")])
    >>> lgk.indicator_table(corpus, indicators=["法律援助案件"])  # doctest: +NORMALIZE_WHITESPACE
              jurisdiction        body  report_year  法律援助案件 (件)
    report_id
    a                  江夏区  government         2023       356.0
    """
    if kind not in ("level", "change", "target"):
        raise ArgumentError(f"kind must be 'level', 'change' or 'target', not {kind!r}")
    names = list(indicator_lexicon()["name"])
    if indicators is not None:
        indicators = list(indicators)
        unknown = [i for i in indicators if i not in names]
        if unknown:
            raise ArgumentError(
                f"unknown indicator(s): {', '.join(unknown)}; known: {', '.join(names)}"
            )
    table = corpus.claims if hasattr(corpus, "claims") else claims(corpus)
    table = table[table["indicator_name"].notna() & (table["kind"] == kind)]
    table = table[table["role"].isin(list(roles))]
    chosen = (
        indicators
        if indicators is not None
        else [n for n in names if n in set(table["indicator_name"])]
    )
    reports = corpus.reports
    result = reports[["jurisdiction", "body", "report_year"]].copy()
    result.index.name = "report_id"
    for name in chosen:
        rows = table[table["indicator_name"] == name]
        unit = rows["unit"].value_counts().sort_index().idxmax() if len(rows) else None
        label = f"{name} ({unit})" if unit else name
        rows = rows[rows["unit"] == unit].sort_values(["report_id", "start"], kind="stable")
        first = rows.drop_duplicates("report_id").set_index("report_id")["value"]
        result[label] = first.reindex(result.index).astype(float)
    return result.sort_index()
