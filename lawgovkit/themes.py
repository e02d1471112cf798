"""Themes: which parts of the national plan each report talks about, and in what words.

The taxonomy lives in ``data/themes.json``: the nine chapters of 《法治政府建设实施纲要
(2021—2025年)》 plus the justice bureaus' 普法, 公共法律服务 and 社区矫正与安置帮教, each
with a description and weighted keywords. Themes are assigned per sentence or enumerated
item (:func:`split_sentences`); a sentence can carry several themes.

- :func:`sentence_themes` — every sentence of every report with its themes;
- :func:`theme_coverage` — report × theme share of the report's text;
- :func:`theme_passages` — each report's sentences on one theme, side by side;
- :func:`lawgovkit.framing.compare_framing` — how alike those passages are, and each
  report's own words;
- :func:`lawgovkit.taxonomy.plan_themes` — the main theme of each text (fills
  ``corpus.plans.category``).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import Any

import pandas as pd

from lawgovkit._matching import KeywordScorer
from lawgovkit.sentences import split_sentences
from lawgovkit.taxonomy import (
    plan_themes,
    resolve_theme,
    theme_data,
    theme_names,
    theme_scorer,
    theme_table,
)

__all__ = [
    "KeywordScorer",
    "plan_themes",
    "sentence_themes",
    "split_sentences",
    "theme_coverage",
    "theme_names",
    "theme_passages",
    "theme_table",
]


def _sentence_rows(sections: pd.DataFrame) -> pd.DataFrame:
    scorer, threshold = theme_scorer(), float(theme_data()["threshold"])
    rows = []
    for report_id, section_id, role, start, text in zip(
        sections["report_id"],
        sections["section_id"],
        sections["role"],
        sections["start"],
        sections["text"].fillna(""),
        strict=True,
    ):
        for s, e in split_sentences(text):
            sentence = text[s:e]
            scores = scorer.scores(sentence)
            themes = tuple(name for name, score in scores.items() if score >= threshold)
            rows.append(
                (report_id, section_id, role, int(start) + s, int(start) + e, sentence, themes)
            )
    columns = ["report_id", "section_id", "role", "start", "end", "sentence", "themes"]
    return pd.DataFrame(rows, columns=columns)


_CACHE: dict[int, tuple[weakref.ref, pd.DataFrame]] = {}


def sentence_themes(corpus: Any) -> pd.DataFrame:
    """Every sentence/item of every report, with the themes it carries.

    Computed once per corpus and cached while the corpus lives (a copy is returned).

    Parameters
    ----------
    corpus : Corpus
        Anything with a ``sections`` table (report_id, section_id, role, start, text).

    Returns
    -------
    DataFrame
        Columns report_id, section_id, role, start, end (offsets into the cleaned text),
        sentence, themes (a tuple of theme names in taxonomy order; empty when none).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> sections = pd.DataFrame({"report_id": ["r"], "section_id": ["一"], "role": ["plans"],
    ...                          "start": [0], "text": ["深化行政复议体制改革。加强普法宣传。"]})
    >>> sentence_themes(SimpleNamespace(sections=sections))["themes"].tolist()
    [('矛盾纠纷化解',), ('普法',)]
    """
    owner: Any = corpus
    try:
        weakref.ref(corpus)
    except TypeError:  # not weakly referable (a plain namespace): key on its sections table
        owner = corpus.sections
    cached = _CACHE.get(id(owner))
    if cached is not None and cached[0]() is owner:
        return cached[1].copy()
    table = _sentence_rows(corpus.sections)
    for key in [key for key, (ref, _) in _CACHE.items() if ref() is None]:
        del _CACHE[key]  # forget the tables of corpora that are gone
    _CACHE[id(owner)] = (weakref.ref(owner), table)
    return table.copy()


def theme_coverage(corpus: Any, roles: Iterable[str] | None = None) -> pd.DataFrame:
    """Report × theme: the share of each report's text in sentences on each theme.

    :func:`lawgovkit.dictionary_coverage` with the bundled taxonomy
    (:meth:`lawgovkit.Dictionary.themes`), as a wide table. A sentence on two themes
    counts for both, so a row can sum to more than 1.

    Parameters
    ----------
    corpus : Corpus
        Needs ``reports`` (index = report id) and ``sections``.
    roles : iterable of str, optional
        Only these section roles (e.g. ``["achievements"]`` for what was done, ``["plans"]``
        for what is promised); shares are then of the text in those roles. All by default.

    Returns
    -------
    DataFrame
        Index: report ids (corpus order); columns: theme names in taxonomy order; values:
        characters of the report's sentences on the theme / characters of the report
        (0 for a report with no text in the roles asked).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> text = "深化行政复议体制改革。加强普法宣传。"
    >>> sections = pd.DataFrame({"report_id": ["r"], "section_id": ["一"], "role": ["plans"],
    ...                          "start": [0], "text": [text]})
    >>> corpus = SimpleNamespace(reports=pd.DataFrame(index=["r"]), sections=sections)
    >>> theme_coverage(corpus).loc["r", ["矛盾纠纷化解", "普法"]].round(2).tolist()
    [0.61, 0.39]
    """
    from lawgovkit.dictionary import Dictionary, dictionary_coverage

    table = dictionary_coverage(corpus, Dictionary.themes(), roles=roles, warn_unused=False)
    coverage = table.pivot(index="report_id", columns="category", values="share")
    coverage = coverage.reindex(index=list(corpus.reports.index), columns=theme_names())
    coverage = coverage.fillna(0.0).astype(float)
    coverage.index.name, coverage.columns.name = "report_id", "theme"
    return coverage


def theme_passages(corpus: Any, theme: str) -> pd.DataFrame:
    """Each report's sentences on ``theme``, in report order then text order.

    Parameters
    ----------
    corpus : Corpus
        Needs ``reports`` (with a ``jurisdiction`` column when known) and ``sections``.
    theme : str
        A theme name (``"矛盾纠纷化解"``) or its English key (``"dispute_resolution"``).

    Returns
    -------
    DataFrame
        Columns report_id, jurisdiction, section_id, role, sentence.

    Raises
    ------
    ArgumentError
        When ``theme`` is not in the taxonomy (the message lists the valid names).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> corpus = SimpleNamespace(reports=pd.DataFrame({"jurisdiction": ["江夏区"]}, index=["r"]),
    ...     sections=pd.DataFrame({"report_id": ["r"], "section_id": ["一"], "role": ["plans"],
    ...                            "start": [0], "text": ["深化行政复议体制改革。加强普法宣传。"]}))
    >>> theme_passages(corpus, "矛盾纠纷化解")["sentence"].tolist()
    ['深化行政复议体制改革。']
    """
    name = resolve_theme(theme)
    sentences = sentence_themes(corpus)
    on_theme = sentences[[name in themes for themes in sentences["themes"]]]
    reports = corpus.reports
    order = {report_id: i for i, report_id in enumerate(reports.index)}
    on_theme = on_theme.assign(_order=on_theme["report_id"].map(order))
    on_theme = on_theme.sort_values(["_order", "start"], kind="stable")
    if "jurisdiction" in reports.columns:
        jurisdiction = on_theme["report_id"].map(reports["jurisdiction"])
    else:
        jurisdiction = pd.Series(None, index=on_theme.index, dtype=object)
    passages = pd.DataFrame(
        {
            "report_id": on_theme["report_id"],
            "jurisdiction": jurisdiction,
            "section_id": on_theme["section_id"],
            "role": on_theme["role"],
            "sentence": on_theme["sentence"],
        }
    )
    return passages.reset_index(drop=True)


def __getattr__(name: str) -> Any:
    """``Framing`` and ``compare_framing``, now in :mod:`lawgovkit.framing` (which sits above
    this module), still found here for this release; imported only when asked for."""
    if name in ("Framing", "compare_framing"):
        from lawgovkit import framing

        return getattr(framing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
