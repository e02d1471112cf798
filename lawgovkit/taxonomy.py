"""The two taxonomies, as data-backed keyword scorers: the themes and the problem categories.

- The themes (``data/themes.json``): the nine chapters of 《法治政府建设实施纲要
  (2021—2025年)》 plus the justice bureaus' 普法, 公共法律服务 and 社区矫正与安置帮教, each
  with a description and weighted keywords. :func:`plan_themes` gives a text's main theme
  (it fills ``corpus.plans.category``); :func:`theme_names` and :func:`theme_table` list
  them. :mod:`lawgovkit.themes` uses them sentence by sentence.
- The problem categories (``data/problem_categories.json``): :func:`categorize_problems`
  gives a problem statement's category (it fills ``corpus.problems.category``);
  :func:`problem_categories` lists them. :mod:`lawgovkit.problems` adds candour and plan
  response.

This module sits below the documents layer (``corpus.problems`` and ``corpus.plans`` need
it) and needs neither scikit-learn nor a tokenizer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import pandas as pd

from lawgovkit._data import SENTENCE_ENDS, read_json
from lawgovkit._matching import KeywordScorer
from lawgovkit.errors import ArgumentError

__all__ = [
    "categorize_problems",
    "plan_themes",
    "problem_categories",
    "problem_data",
    "problem_scorer",
    "resolve_theme",
    "theme_data",
    "theme_names",
    "theme_scorer",
    "theme_table",
]

_HEADLINE_END = re.compile(f"[{re.escape(SENTENCE_ENDS)};；]")


@cache
def theme_data() -> dict[str, Any]:
    """``data/themes.json``: the themes, their keywords and the sentence boundaries."""
    return read_json("themes.json")


@cache
def theme_scorer() -> KeywordScorer:
    """The themes' keywords (weak ones at half weight) as one scorer."""
    weights = {}
    for theme in theme_data()["themes"]:
        words = dict.fromkeys(theme.get("weak_keywords", []), 0.5)
        words.update(dict.fromkeys(theme["keywords"], 1.0))
        weights[theme["name"]] = words
    return KeywordScorer(weights)


def theme_names() -> list[str]:
    """The themes' names, in taxonomy order.

    Examples
    --------
    >>> theme_names()[:2]
    ['政府机构职能', '依法行政制度']
    """
    return [theme["name"] for theme in theme_data()["themes"]]


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
        for theme in theme_data()["themes"]
    ]
    return pd.DataFrame(rows)


def resolve_theme(theme: str) -> str:
    """The theme's name, given its name or its English key; otherwise an error."""
    for entry in theme_data()["themes"]:
        if theme in (entry["name"], entry["key"]):
            return entry["name"]
    raise ArgumentError(f"unknown theme {theme!r}; valid themes: {', '.join(theme_names())}")


def plan_themes(texts: Iterable[str]) -> list[str | None]:
    """The main theme of each text (the one whose keywords weigh most), or None.

    Ties go to the theme listed first in the taxonomy. Used to fill
    ``corpus.plans.category``.

    Examples
    --------
    >>> plan_themes(["深化行政复议体制改革,推进诉源治理", "全面落实行政执法三项制度", "抓好落实"])
    ['矛盾纠纷化解', '行政执法', None]
    """
    scorer = theme_scorer()
    return [scorer.best(text or "") for text in texts]


@cache
def problem_data() -> dict[str, Any]:
    """``data/problem_categories.json``: the categories and the candour patterns."""
    return read_json("problem_categories.json")


@cache
def problem_scorer() -> KeywordScorer:
    """The problem categories' keywords as one scorer."""
    return KeywordScorer({c["key"]: c["keywords"] for c in problem_data()["categories"]})


def problem_categories() -> pd.DataFrame:
    """The problem taxonomy: key, label (Chinese), description; ``other`` last.

    Examples
    --------
    >>> problem_categories()["key"].iloc[-1]
    'other'
    """
    taxonomy = problem_data()
    entries = [*taxonomy["categories"], taxonomy["other"]]
    return pd.DataFrame(
        [{k: entry[k] for k in ("key", "label", "description")} for entry in entries]
    )


def categorize_problems(texts: Iterable[str]) -> list[str]:
    """The category key of each problem statement (``"other"`` when no keyword fits).

    Keywords in the statement's first sentence (its headline) count ``headline_weight`` times
    (see ``data/problem_categories.json``).

    Parameters
    ----------
    texts : iterable of str
        Problem statements.

    Returns
    -------
    list of str
        Keys of :func:`problem_categories`.

    Examples
    --------
    >>> categorize_problems(["行政复议纠错率偏高", "基层法治工作人员数量不足,专业人才匮乏", "其他"])
    ['reconsideration_litigation', 'personnel_capacity', 'other']
    """
    scorer = problem_scorer()
    weight = float(problem_data()["headline_weight"])
    other = problem_data()["other"]["key"]
    keys = []
    for text in texts:
        text = text or ""
        end = _HEADLINE_END.search(text)
        headline = text[: end.end()] if end else text
        scores = scorer.scores(text)
        for key, value in scorer.scores(headline).items():
            scores[key] += (weight - 1) * value
        if not scores:
            keys.append(other)
            continue
        order = scorer.labels
        keys.append(max(scores, key=lambda k: (scores[k], -order.index(k))))
    return keys
