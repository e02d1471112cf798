"""Themes: which parts of the national plan each report talks about, and in what words.

The taxonomy lives in ``data/themes.json``: the nine chapters of 《法治政府建设实施纲要
(2021—2025年)》 plus the justice bureaus' 普法, 公共法律服务 and 社区矫正与安置帮教, each
with a description and weighted keywords. Themes are assigned per sentence or enumerated
item (:func:`split_sentences`); a sentence can carry several themes.

- :func:`sentence_themes` — every sentence of every report with its themes;
- :func:`theme_coverage` — report × theme share of the report's text;
- :func:`theme_passages` — each report's sentences on one theme, side by side;
- :func:`compare_framing` — how alike those passages are, and each report's own words;
- :func:`plan_themes` — the main theme of each text (fills ``corpus.plans.category``).
"""

from __future__ import annotations

import itertools
import re
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from lawgovkit._data import read_json
from lawgovkit._patterns import words_pattern
from lawgovkit.errors import ArgumentError

__all__ = [
    "Framing",
    "KeywordScorer",
    "compare_framing",
    "plan_themes",
    "sentence_themes",
    "split_sentences",
    "theme_coverage",
    "theme_names",
    "theme_passages",
    "theme_table",
]


class KeywordScorer:
    """Score texts against labelled, weighted keyword lists.

    Keywords are matched longest first across all labels, so a long keyword hides the short
    ones inside it (``谁执法谁普法`` does not also count as ``执法``). Each occurrence adds
    the keyword's weight to every label that lists it.

    Parameters
    ----------
    keywords : mapping of label -> mapping of keyword -> weight
        Labels in the order that breaks ties.

    Examples
    --------
    >>> scorer = KeywordScorer({"执法": {"执法": 1.0}, "普法": {"谁执法谁普法": 1.0}})
    >>> scorer.scores("落实谁执法谁普法责任制,规范执法")
    {'执法': 1.0, '普法': 1.0}
    """

    def __init__(self, keywords: Mapping[str, Mapping[str, float]]) -> None:
        self.labels = list(keywords)
        self._weights: dict[str, list[tuple[str, float]]] = {}
        for label, words in keywords.items():
            for word, weight in words.items():
                self._weights.setdefault(word, []).append((label, float(weight)))
        # the same longest-first matches as an alternation of the words sorted longest
        # first, without trying every word at every position
        self._pattern = re.compile(words_pattern(self._weights)) if self._weights else None

    def scores(self, text: str) -> dict[str, float]:
        """Sum of keyword weights per label (labels with no keyword found are omitted)."""
        found: dict[str, float] = {}
        if self._pattern is None:
            return found
        weights = self._weights
        for word in self._pattern.findall(text):  # the words found, in order
            for label, weight in weights[word]:
                found[label] = found.get(label, 0.0) + weight
        return {label: found[label] for label in self.labels if label in found}

    def best(self, text: str) -> str | None:
        """The label with the highest score (ties: the earlier label), or None."""
        scores = self.scores(text)
        if not scores:
            return None
        return max(scores, key=lambda label: (scores[label], -self.labels.index(label)))


@cache
def _taxonomy() -> dict[str, Any]:
    return read_json("themes.json")


@cache
def _scorer() -> KeywordScorer:
    weights = {}
    for theme in _taxonomy()["themes"]:
        words = dict.fromkeys(theme.get("weak_keywords", []), 0.5)
        words.update(dict.fromkeys(theme["keywords"], 1.0))
        weights[theme["name"]] = words
    return KeywordScorer(weights)


@cache
def _boundaries() -> tuple[re.Pattern[str], re.Pattern[str]]:
    taxonomy = _taxonomy()
    return re.compile(taxonomy["sentence_end"]), re.compile(taxonomy["item_start"])


def theme_names() -> list[str]:
    """The themes' names, in taxonomy order.

    Examples
    --------
    >>> theme_names()[:2]
    ['政府机构职能', '依法行政制度']
    """
    return [theme["name"] for theme in _taxonomy()["themes"]]


def theme_table() -> pd.DataFrame:
    """The taxonomy as a table: name, key, description, keywords (how many), in order.

    Examples
    --------
    >>> len(theme_table()) >= 12
    True
    """
    rows = [
        {
            "name": theme["name"],
            "key": theme["key"],
            "description": theme["description"],
            "n_keywords": len(theme["keywords"]) + len(theme.get("weak_keywords", [])),
        }
        for theme in _taxonomy()["themes"]
    ]
    return pd.DataFrame(rows)


def _resolve(theme: str) -> str:
    """The theme's name, given its name or its English key; otherwise an error."""
    for entry in _taxonomy()["themes"]:
        if theme in (entry["name"], entry["key"]):
            return entry["name"]
    raise ArgumentError(f"unknown theme {theme!r}; valid themes: {', '.join(theme_names())}")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences and enumerated items of ``text``.

    A sentence ends after 。；！？ or a line break; an item starts at 一是 / 第二、/ (三) /
    首先 even without punctuation before it, when it follows a non-Chinese character
    (``覆盖率100%二是``). Spans exclude surrounding whitespace; empty ones are dropped.

    Examples
    --------
    >>> text = "一是设立复议中心;二是调解纠纷。覆盖率100%三是普法"
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['一是设立复议中心;', '二是调解纠纷。', '覆盖率100%', '三是普法']
    """
    sentence_end, item_start = _boundaries()
    cuts = {0, len(text)}
    cuts.update(match.end() for match in sentence_end.finditer(text))
    cuts.update(match.start() for match in item_start.finditer(text))
    spans = []
    points = sorted(cuts)
    for start, end in itertools.pairwise(points):
        piece = text[start:end]
        stripped = piece.strip()
        if stripped and re.search(r"[^\W_]", stripped):
            offset = start + (len(piece) - len(piece.lstrip()))
            spans.append((offset, offset + len(stripped)))
    return spans


def _sentence_rows(sections: pd.DataFrame) -> pd.DataFrame:
    scorer, threshold = _scorer(), float(_taxonomy()["threshold"])
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
    name = _resolve(theme)
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


@dataclass(frozen=True)
class Framing:
    """How reports frame one theme: their passages, how alike they are, their own words."""

    theme: str
    passages: pd.DataFrame
    similarity: pd.DataFrame
    terms: pd.DataFrame

    def _repr_html_(self) -> str:
        return (
            f"<h4>{self.theme}: similarity of the reports' passages</h4>"
            + self.similarity.round(3).to_html()
            + f"<h4>{self.theme}: distinctive terms</h4>"
            + self.terms.round(3).to_html(index=False)
        )


def compare_framing(corpus: Any, theme: str, n: int = 10, **kwargs: Any) -> Framing:
    """Compare how the reports write about one theme.

    Parameters
    ----------
    corpus : Corpus
        The reports to compare.
    theme : str
        A theme name or key (see :func:`theme_names`).
    n : int
        Distinctive terms per report.
    **kwargs
        Passed to :func:`lawgovkit.keyness.distinctive_terms` (``tokenizer``, ``min_count``).

    Returns
    -------
    Framing
        ``.passages`` (:func:`theme_passages`), ``.similarity`` (report × report cosine
        similarity of the passages; reports with none are left out, see ``attrs``) and
        ``.terms`` (each report's distinctive terms within the theme, G² keyness).

    Examples
    --------
    >>> framing = compare_framing(corpus, "矛盾纠纷化解")  # doctest: +SKIP
    >>> framing.similarity  # doctest: +SKIP
    """
    from lawgovkit.keyness import distinctive_terms
    from lawgovkit.similarity import similarity_matrix

    name = _resolve(theme)
    unit = f"theme:{name}"
    tokenizer = kwargs.get("tokenizer")
    return Framing(
        theme=name,
        passages=theme_passages(corpus, name),
        similarity=similarity_matrix(corpus, unit=unit, tokenizer=tokenizer),
        terms=distinctive_terms(corpus, by="report", unit=unit, n=n, **kwargs),
    )


def plan_themes(texts: Iterable[str]) -> list[str | None]:
    """The main theme of each text (the one whose keywords weigh most), or None.

    Ties go to the theme listed first in the taxonomy. Used to fill
    ``corpus.plans.category``.

    Examples
    --------
    >>> plan_themes(["深化行政复议体制改革,推进诉源治理", "全面落实行政执法三项制度", "抓好落实"])
    ['矛盾纠纷化解', '行政执法', None]
    """
    scorer = _scorer()
    return [scorer.best(text or "") for text in texts]
