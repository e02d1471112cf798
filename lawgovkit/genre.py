"""What kind of report a text is, and which years it reports on and plans, by genre.

``corpus.reports.genre`` is ``rule_of_law_report`` (法治政府建设年度报告 and its kin: 依法行政
工作报告, 法治建设情况报告...), ``work_report`` (政府工作报告, the sibling genre delivered to
the people's congress) or ``other``; it is read from the title, else from the opening lines
(「现将…法治政府建设情况报告如下」, 「各位代表：」), and its provenance says which.

The two genres count years differently (see DOMAIN.md): a rule-of-law report's 「2022年度」 is
the year reported on, whereas a work report's title year is the year planned and the year
reported on is the one its review part names (「一、2023年工作回顾」) or, failing that, the
year before the one planned (「过去一年」). :func:`report_score` says how much a text looks
like a report of its genre at all (``is_report``). Every pattern lives in
``lawgovkit/data/genre.json``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import cache
from itertools import islice
from typing import Any

import pandas as pd

from lawgovkit._data import read_json

__all__ = [
    "GENRES",
    "delivered_date",
    "genre_of",
    "is_report_like",
    "report_score",
    "work_report_years",
]

#: The values of ``corpus.reports.genre``.
GENRES = ("rule_of_law_report", "work_report", "other")

_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}


@cache
def _rules() -> dict:
    data = read_json("genre.json")
    compiled = dict(data)
    for key in (
        "rule_of_law_title",
        "work_report_title",
        "review_heading",
        "plan_heading",
        "past_year",
        "plan_year_title",
        "delivered",
        "not_a_report_title",
        "news_body",
    ):
        compiled[key] = re.compile(data[key])
    for key in ("rule_of_law_body", "work_report_body"):
        compiled[key] = [re.compile(p) for p in data[key]]
    return compiled


def genre_of(title: str | None, lines: Sequence[str]) -> tuple[str, str]:
    """The genre of a report and where it was read (``"title"`` or ``"body"``).

    Parameters
    ----------
    title : str or None
        The report's title (see :func:`lawgovkit.metadata.extract_metadata`).
    lines : sequence of str
        The cleaned lines after the title.

    Returns
    -------
    tuple of (str, str)
        One of :data:`GENRES`, and ``"title"``, ``"body"`` or ``"derived"`` (``other``
        when nothing says otherwise).

    Examples
    --------
    >>> genre_of("某区2022年度法治政府建设情况报告", [])
    ('rule_of_law_report', 'title')
    >>> genre_of("2024年某市政府工作报告", [])
    ('work_report', 'title')
    >>> genre_of(None, ["各位代表:", "现在,我代表市人民政府向大会报告工作。"])
    ('work_report', 'body')
    >>> genre_of("关于召开会议的通知", ["定于下周召开。"])
    ('other', 'title')
    >>> genre_of("关于2023年度法治建设工作情况的汇报", ["现将有关情况报告如下:"])
    ('rule_of_law_report', 'title')
    >>> genre_of("议题解读:关于2023年度法治建设工作情况的汇报", [])
    ('other', 'title')
    >>> genre_of(None, ["市政府召开新闻发布会,介绍2024年全市法治政府建设情况。"])
    ('other', 'body')
    """
    rules = _rules()
    if title and rules["not_a_report_title"].search(title):
        return "other", "title"
    if title:
        if rules["rule_of_law_title"].search(title):
            return "rule_of_law_report", "title"
        if rules["work_report_title"].search(title):
            return "work_report", "title"
    head = lines[: rules["body_lines"]]
    if any(rules["news_body"].search(line) for line in head):
        return "other", "body"  # a news item about a report (新闻发布会, 本报讯, 记者)
    for line in head:
        if any(p.search(line) for p in rules["rule_of_law_body"]):
            return "rule_of_law_report", "body"
    for line in head:
        if any(p.search(line) for p in rules["work_report_body"]):
            return "work_report", "body"
    return "other", "derived"


def _number(text: str) -> int:
    """A month or day written in digits or Chinese numerals (十二, 二十一, 三十)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_DIGITS.get(tens, 1) if tens else 1) * 10 + (_DIGITS.get(ones, 0) if ones else 0)
    return _DIGITS.get(text, 0)


def delivered_date(lines: Sequence[str]) -> pd.Timestamp | None:
    """The date a work report was delivered, from its speaker-and-date line.

    Examples
    --------
    >>> str(delivered_date(["——2004年2月6日在某市第十届人民代表大会上"]).date())
    '2004-02-06'
    >>> str(delivered_date(["(2022年十二月二十一日 某某)"]).date())
    '2022-12-21'
    >>> delivered_date(["2023年,我区推进法治。"]) is None
    True
    """
    pattern = _rules()["delivered"]
    for line in lines:
        match = pattern.match(line)
        if not match:
            continue
        rest = line[match.end() :]
        if not (rest[:1] in ("在", " ", ")", "") or rest.startswith("于")):
            continue
        try:
            return pd.Timestamp(
                int(match.group(1)), _number(match.group(2)), _number(match.group(3))
            )
        except ValueError:
            return None
    return None


def work_report_years(
    title: str | None, lines: Sequence[str], delivered: pd.Timestamp | None = None
) -> tuple[dict, dict]:
    """The year a work report plans and the year it reports on, with their provenance.

    The plan year is the title's year, else the year a plan heading names
    (「二、2024年工作安排」), else the year after the one reviewed; the year reported on is
    the year the review heading names (「一、2023年工作回顾」), else the year before the one
    planned (``derived``; the rules of the genre, 「过去一年」).

    Examples
    --------
    >>> lines = ["各位代表:", "一、2023年工作回顾", "过去一年,我们...。", "二、2024年工作安排"]
    >>> work_report_years("2024年某市政府工作报告", lines)
    ({'report_year': 2023, 'plan_year': 2024}, {'plan_year': 'title', 'report_year': 'body'})
    >>> body = ["各位代表:", "过去一年,我们奋力拼搏。", "2015年工作安排"]
    >>> work_report_years("某市政府工作报告", body)
    ({'report_year': 2014, 'plan_year': 2015}, {'plan_year': 'body', 'report_year': 'derived'})
    """
    rules = _rules()
    values: dict = {"report_year": None, "plan_year": None}
    origin: dict = {}
    if title and (match := rules["plan_year_title"].search(title)):
        values["plan_year"], origin["plan_year"] = int(match.group(1)), "title"
    reviewed = planned = None
    for line in lines:
        if len(line) > 60:
            continue
        if reviewed is None and (match := rules["review_heading"].match(line)):
            reviewed = int(match.group(1))
        elif planned is None and (match := rules["plan_heading"].match(line)):
            planned = int(match.group(1))
    if values["plan_year"] is None and planned is not None:
        values["plan_year"], origin["plan_year"] = planned, "body"
    plan = values["plan_year"]
    if reviewed is not None and (plan is None or plan - 5 <= reviewed < plan):
        values["report_year"], origin["report_year"] = reviewed, "body"
    elif plan is not None:
        values["report_year"], origin["report_year"] = plan - 1, "derived"
    if values["plan_year"] is None and values["report_year"] is not None:
        values["plan_year"], origin["plan_year"] = values["report_year"] + 1, "derived"
    if values["plan_year"] is None and delivered is not None:
        year = delivered.year + (1 if delivered.month == 12 else 0)
        values["plan_year"], origin["plan_year"] = year, "derived"
        values["report_year"], origin["report_year"] = year - 1, "derived"
    return values, origin


@cache
def _signals() -> dict[str, Any]:
    data = read_json("genre.json")["report_signals"]
    return {
        "words": re.compile(data["words"]),
        "work_words": re.compile(data["work_words"]),
        "words_full": data["words_full"],
        "headings": re.compile(data["headings"], re.M),
        "headings_full": data["headings_full"],
        "title": re.compile(data["title"]),
        "length_full": data["length_full"],
        "weights": data["weights"],
        "threshold": data["threshold"],
        "statement_weight": data["statement_weight"],
        "body_statement": data["body_statement"],
    }


def report_score(text: str, title: str | None, genre: str | None = None) -> float:
    """How much a cleaned text looks like a government report of its genre, from 0 to 1.

    0.6 × the report's statement of what it is (1 for a report title of either genre,
    法治/依法 or 政府工作 ... 报告; 0.85 when only its opening lines state its ``genre``,
    「现将…法治政府建设情况报告如下」 or 「各位代表」, see :func:`lawgovkit.genre.genre_of`)
    plus 0.4 × the mean of three content signals, each capped at 1: the genre's own words
    (法治政府, 依法行政... or, for a work report, 各位代表, 改革, 发展...), GB/T 9704 headings
    and length (weights and patterns in ``genre.json``). A report of either genre, even
    a page head cut after its first lines, scores 0.6 or more; a notice, a news item, an
    implementation plan or an error page 0.4 or less; ``is_report`` is ``score >= 0.5``.

    Examples
    --------
    >>> report_score("通知\\n定于下周一召开大会。\\n", None) < 0.5
    True
    >>> head = "某镇2023年度法治政府建设情况报告\\n2023年,我镇推进法治政府建设。\\n"
    >>> report_score(head, "某镇2023年度法治政府建设情况报告", "rule_of_law_report") >= 0.6
    True
    """
    s = _signals()
    words = s["work_words"] if genre == "work_report" else s["words"]
    content = {
        "words": min(1.0, _count(words, text, s["words_full"]) / s["words_full"]),
        "headings": min(1.0, _count(s["headings"], text, s["headings_full"]) / s["headings_full"]),
        "length": min(1.0, len(text) / s["length_full"]),
    }
    if title and s["title"].search(title) and genre != "other":
        statement = 1.0  # (a title about a report, 「…报告》的政策解读」, gives genre other)
    elif genre in ("rule_of_law_report", "work_report"):
        statement = s["body_statement"]
    else:
        statement = 0.0
    weights = s["weights"]
    mean = sum(weights[k] * v for k, v in content.items()) / sum(weights.values())
    share = s["statement_weight"]
    return round(share * statement + (1 - share) * mean, 3)


def _count(pattern: re.Pattern[str], text: str, full: float) -> int:
    """The number of matches of ``pattern`` in ``text``, counted no further than ``full``
    (rounded up): the signal is full there, and the rest of the text need not be read."""
    return sum(1 for _ in islice(pattern.finditer(text), math.ceil(full)))


def is_report_like(score: float) -> bool:
    """Whether a :func:`report_score` is high enough for a report (the threshold is in
    ``genre.json``).

    Examples
    --------
    >>> is_report_like(0.9), is_report_like(0.1)
    (True, False)
    """
    return score >= _signals()["threshold"]
