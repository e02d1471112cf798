"""Cleaned text + removed page chrome → the report's metadata, with where each came from.

:func:`extract_metadata` fills the columns of ``corpus.reports`` (see CONTRACT.md):
``title``, ``jurisdiction``, ``province``, ``city``, ``adcode``, ``level``, ``body``,
``report_year``, ``plan_year``, ``publish_date``, ``source``, ``n_chars``. A field the
report does not state is None, never a guess; ``provenance`` says for each filled field
whether it came from the ``title``, the ``body``, the page chrome (``boilerplate``), the
gazetteer (``cpca``) or was ``derived`` (the plan year is the year after the reported one
when the plans part names no year: the national rules define it so). Every pattern lives
in ``lawgovkit/data/metadata.json``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import cache
from itertools import islice, pairwise
from typing import Any

import pandas as pd

from lawgovkit._data import read_json
from lawgovkit.clean import Boilerplate, page_fields
from lawgovkit.places import find_places, is_namesake, resolve, suffix_level

__all__ = ["METADATA_COLUMNS", "extract_metadata", "is_report_like", "report_score"]

#: The columns of ``corpus.reports`` this module fills, in CONTRACT order (``path`` last).
METADATA_COLUMNS = (
    "title",
    "jurisdiction",
    "province",
    "city",
    "adcode",
    "level",
    "body",
    "report_year",
    "plan_year",
    "publish_date",
    "source",
    "n_chars",
    "path",
)


_CHINESE_YEAR = re.compile("[〇零○一二三四五六七八九]{4}(?=年)")


@cache
def _rules() -> dict:
    data = read_json("metadata.json")
    compiled = dict(data)
    for key in (
        "title_end",
        "title_not_start",
        "title_heading_start",
        "document_number",
        "issuer_line",
        "title_subject",
        "issuer_end",
        "date",
        "leader_phrase",
    ):
        compiled[key] = re.compile(data[key])
    for key in ("report_year_title", "plan_year_title", "report_year_body", "plan_year_heading"):
        compiled[key] = [re.compile(p) for p in data[key]]
    compiled["bodies"] = [(re.compile(p), kind) for p, kind in data["bodies"]]
    compiled["body_org"] = re.compile(data["body_org"])
    compiled["signature"] = re.compile(data["signature"])
    compiled["township"] = re.compile(data["township"])
    compiled["zone"] = re.compile(data["zone"])
    compiled["issuer_mention_after"] = re.compile(data["issuer_mention_after"])
    compiled["self_references"] = [
        (re.compile(p), tuple(s)) for p, s in data["self_references"].items()
    ]
    return compiled


def _title(lines: Sequence[str]) -> tuple[str | None, int]:
    """The report's own title and the number of lines up to its end.

    Among the opening lines before any sentence (a document number, a site column name
    or an issuer line may stand above the title), in this order: an issuer line followed
    by "关于…报告"; a whole title line (ending 报告/汇报/总结/情况/计划); a title wrapped
    over two lines; a line with title words. A title names 法治/依法 or a year.
    """
    rules = _rules()
    head: list[str] = []
    for line in lines[: rules["title_search_lines"]]:
        if "。" in line or len(line) > rules["title_max_chars"]:
            break
        head.append(line)

    def opens(line: str) -> bool:
        return not (rules["title_not_start"].match(line) or rules["document_number"].match(line))

    def ends(line: str) -> bool:
        return rules["title_end"].search(line) is not None

    def named(title: str) -> bool:
        return len(title) <= rules["title_max_chars"] and bool(rules["title_subject"].search(title))

    def continues(first: str, second: str) -> bool:
        return (
            opens(first)
            and not ends(first)
            and ends(second)
            and "," not in second
            and not rules["title_heading_start"].match(second)
            and named(first + second)
        )

    pairs = list(pairwise(head))
    for index, (first, second) in enumerate(pairs):
        issuer_line = rules["issuer_line"].search(first) or second.startswith("关于")
        if issuer_line and continues(first, second):
            return first + second, index + 2
    for index, line in enumerate(head):
        if opens(line) and ends(line) and named(line):
            return line, index + 1
    for index, (first, second) in enumerate(pairs):
        if continues(first, second):
            return first + second, index + 2
    for index, line in enumerate(head):
        if opens(line) and any(word in line for word in rules["title_words"]):
            return line, index + 1
    return None, 0


def _year(patterns: Iterable[re.Pattern], text: str) -> int | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            year = int(match.group(1))
            if 1990 <= year <= 2100:
                return year
    return None


def _arabic_years(text: str) -> str:
    """Years written in Chinese numerals ("二〇二二年") as digits ("2022年")."""
    digits = _rules()["year_numerals"]
    return _CHINESE_YEAR.sub(lambda m: "".join(digits[c] for c in m.group(0)), text)


def _years(title: str | None, body_lines: Sequence[str]) -> tuple[dict, dict]:
    rules = _rules()
    title = _arabic_years(title) if title else title
    if body_lines:  # one substitution for all the lines: a year never spans two of them
        body_lines = _arabic_years("\n".join(body_lines)).split("\n")
    values: dict = {"report_year": None, "plan_year": None}
    origin: dict = {}
    if title:
        for field, key in (("report_year", "report_year_title"), ("plan_year", "plan_year_title")):
            year = _year(rules[key], title)
            if year is not None:
                values[field], origin[field] = year, "title"
    if values["report_year"] is None:
        for line in body_lines[: rules["report_year_body_lines"]]:
            year = _year(rules["report_year_body"], line)
            if year is not None:
                values["report_year"], origin["report_year"] = year, "body"
                break
    if values["plan_year"] is None:
        for line in body_lines:
            year = _year(rules["plan_year_heading"], line)
            if year is not None and (values["report_year"] is None or year > values["report_year"]):
                values["plan_year"], origin["plan_year"] = year, "body"
                break
    if values["plan_year"] is None and values["report_year"] is not None:
        values["plan_year"], origin["plan_year"] = values["report_year"] + 1, "derived"
    return values, origin


def _fields(boilerplate: Sequence[Boilerplate]) -> list[tuple[str, str, str]]:
    """(label, value, kind) of every label:value pair in the removed chrome, in order."""
    return [(label, value, b.kind) for b in boilerplate for label, value in page_fields(b.text)]


def _date(text: str) -> pd.Timestamp | None:
    match = _rules()["date"].search(text)
    if not match:
        return None
    try:
        return pd.Timestamp(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _publish_date(boilerplate: Sequence[Boilerplate]) -> pd.Timestamp | None:
    fields = _fields(boilerplate)
    for label in _rules()["publish_date_fields"]:
        for found, value, _ in fields:
            if found == label and (date := _date(value)) is not None:
                return date
    for b in boilerplate:
        if b.kind == "date_line" and (date := _date(b.text)) is not None:
            return date
    return None


def _source(boilerplate: Sequence[Boilerplate]) -> str | None:
    fields = _fields(boilerplate)
    for label in _rules()["source_fields"]:
        for found, value, _ in fields:
            if found == label and value:
                return value
    return None


def _body_kind(org: str) -> str | None:
    for pattern, kind in _rules()["bodies"]:
        if pattern.search(org):
            return kind
    return None


def _issuer_part(title: str) -> str:
    """The part of a title naming the issuer: before 关于 / the year / 法治."""
    rules = _rules()
    rest = title[2:] if title.startswith("关于") else title
    match = rules["issuer_end"].search(rest)
    return rest[: match.start()] if match else rest


def _title_places(title: str) -> list[str]:
    issuer = _issuer_part(title)
    names = [name for _, name in find_places(issuer)]
    tail_start = issuer.rfind(names[-1]) + len(names[-1]) if names else 0
    tail = issuer[tail_start:] + title[len(issuer) :]
    for key in ("township", "zone"):
        match = _rules()[key].match(tail)
        if match:
            names.append(match.group(1))
            break
    return names


def _expected_suffixes(texts: Iterable[str]) -> tuple[str, ...]:
    """The suffixes the issuer's own place should have, from 我区/本县/县司法局..."""
    counts: dict[tuple[str, ...], int] = {}
    joined = "\n".join(texts)
    for pattern, suffixes in _rules()["self_references"]:
        n = len(pattern.findall(joined))
        if n:
            counts[suffixes] = counts.get(suffixes, 0) + n
    if not counts:
        return ()
    return max(sorted(counts), key=lambda s: counts[s])


def _body_place(lines: Sequence[str], expected: tuple[str, ...]) -> str | None:
    """The issuer's place named in the body: issuer-like mentions of the expected level."""
    rules = _rules()
    scores: dict[str, int] = {}
    first_seen: dict[str, int] = {}
    offset = 0
    for index, line in enumerate(lines):
        mentions = find_places(line) + [
            (m.start(1), m.group(1)) for m in rules["township"].finditer(line)
        ]
        for start, name in mentions:
            if expected and not name.endswith(expected):
                continue
            after = line[start + len(name) :]
            score = 1
            if rules["issuer_mention_after"].match(after) or line[:start].endswith("《"):
                score = 3
            if index < 2:
                score += 2
            if not expected and score < 3:
                continue
            scores[name] = scores.get(name, 0) + score
            first_seen.setdefault(name, offset + start)
        offset += len(line) + 1
    if not scores:
        return None
    return max(sorted(scores, key=lambda n: first_seen[n]), key=lambda n: scores[n])


def _signature(lines: Sequence[str]) -> str | None:
    """The issuer named in the closing signature (落款): "某区人民政府" above a date."""
    pattern = _rules()["signature"]
    for line in reversed(lines[-3:]):
        if pattern.match(line):
            return line
    return None


def _body_org(lines: Sequence[str]) -> str | None:
    rules = _rules()
    for line in lines[:3]:
        match = rules["body_org"].search(rules["leader_phrase"].sub("", line))
        if match:
            return match.group(1)
    return None


def extract_metadata(
    text: str, boilerplate: Sequence[Boilerplate] = (), *, path: str | None = None
) -> tuple[dict, dict]:
    """The metadata of a cleaned report, and where each field came from.

    Parameters
    ----------
    text : str
        The cleaned text (see :func:`lawgovkit.clean.clean`).
    boilerplate : sequence of Boilerplate
        The page chrome removed from it (publication date and source are read there).
    path : str, optional
        The file it came from.

    Returns
    -------
    tuple of (dict, dict)
        ``meta`` with the keys of :data:`METADATA_COLUMNS` (None where not stated) and
        ``provenance``: field → ``"title"``, ``"body"``, ``"boilerplate"``, ``"cpca"``
        or ``"derived"``, for the filled fields.

    Examples
    --------
    >>> text = "江夏区2022年度法治政府建设工作报告\\n2022年,我区推进法治。\\n"
    >>> meta, provenance = extract_metadata(text)
    >>> meta["jurisdiction"], meta["city"], meta["adcode"], meta["report_year"], meta["plan_year"]
    ('江夏区', '武汉市', '420115', 2022, 2023)
    >>> provenance["jurisdiction"], provenance["plan_year"]
    ('title', 'derived')
    """
    lines = [line for line in text.split("\n") if line]
    meta: dict = dict.fromkeys(METADATA_COLUMNS)
    origin: dict = {}
    title, n_head_lines = _title(lines)
    if title:
        meta["title"], origin["title"] = title, "title"
    body_lines = lines[n_head_lines:]
    years, year_origin = _years(title, body_lines)
    meta.update(years)
    origin.update(year_origin)

    meta["publish_date"] = _publish_date(boilerplate)
    meta["source"] = _source(boilerplate)
    for field in ("publish_date", "source"):
        if meta[field] is not None:
            origin[field] = "boilerplate"

    places = _title_places(title) if title else []
    if places:
        meta["jurisdiction"], origin["jurisdiction"] = places[-1], "title"
    else:
        issuer = [_issuer_part(title)] if title else []
        expected = _expected_suffixes([*issuer, meta["source"] or "", *body_lines])
        found = _body_place(body_lines, expected)
        if found:
            meta["jurisdiction"], origin["jurisdiction"] = found, "body"
    if meta["jurisdiction"]:
        _fill_place(meta, origin, places, text)

    _fill_body(meta, origin, title, places, body_lines)
    meta["n_chars"], origin["n_chars"] = len(text), "derived"
    meta["path"] = path
    return meta, origin


def _fill_place(meta: dict, origin: dict, title_places: list[str], text: str) -> None:
    name = meta["jurisdiction"]
    zone = _rules()["zone"].fullmatch(name) is not None
    level = None if zone else suffix_level(name)
    placed = title_places[:-1] if zone or level == "township" else [name]
    context: tuple[str, ...] = ()
    if any(is_namesake(n) for n in placed):  # only a namesake needs the places around it
        context = tuple(dict.fromkeys([*title_places, *(n for _, n in find_places(text))]))
    if zone or level == "township":  # not in the gazetteer: the enclosing place tells
        if level:
            meta["level"], origin["level"] = level, "derived"
        enclosing = [n for n in title_places[:-1] if resolve(n, context).adcode]
        if enclosing:
            place = resolve(enclosing[-1], context)
            for field in ("province", "city"):
                meta[field] = getattr(place, field)
                if meta[field]:
                    origin[field] = "cpca"
        return
    place = resolve(name, context)
    for field in ("province", "city", "adcode", "level"):
        meta[field] = getattr(place, field)
        if meta[field] is not None:
            origin[field] = "cpca" if place.adcode else "derived"


def _fill_body(
    meta: dict, origin: dict, title: str | None, places: list[str], body_lines: Sequence[str]
) -> None:
    if title:
        issuer = _issuer_part(title)
        residue = issuer
        for name in places:
            residue = residue.replace(name, "")
        kind = _body_kind(residue) if residue else None
        if kind is None and places and not residue:
            kind = "government"  # "X区2022年度法治政府建设情况报告": the place's own report
        if kind:
            meta["body"], origin["body"] = kind, "title"
            return
    signature = _signature(body_lines)
    if signature and (kind := _body_kind(signature)):
        meta["body"], origin["body"] = kind, "body"
        return
    if meta["source"] and (kind := _body_kind(meta["source"])):
        meta["body"], origin["body"] = kind, "boilerplate"
        return
    org = _body_org(body_lines)
    if org and (kind := _body_kind(org)):
        meta["body"], origin["body"] = kind, "body"


@cache
def _signals() -> dict[str, Any]:
    data = read_json("metadata.json")["report_signals"]
    return {
        "words": re.compile(data["words"]),
        "words_full": data["words_full"],
        "headings": re.compile(data["headings"], re.M),
        "headings_full": data["headings_full"],
        "title": re.compile(data["title"]),
        "length_full": data["length_full"],
        "weights": data["weights"],
        "threshold": data["threshold"],
    }


def report_score(text: str, title: str | None) -> float:
    """How much a cleaned text looks like a rule-of-law government report, from 0 to 1.

    A weighted sum of four signals, each capped at 1 (weights and patterns in
    ``metadata.json``): genre words (法治政府, 依法行政, 法治建设...), GB/T 9704 headings,
    a report title (年度/报告 with 法治/依法), and length.

    Examples
    --------
    >>> report_score("通知\\n定于下周一召开大会。\\n", None) < 0.5
    True
    """
    s = _signals()
    parts = {
        "words": min(1.0, _count(s["words"], text, s["words_full"]) / s["words_full"]),
        "headings": min(1.0, _count(s["headings"], text, s["headings_full"]) / s["headings_full"]),
        "title": 1.0 if title and s["title"].search(title) else 0.0,
        "length": min(1.0, len(text) / s["length_full"]),
    }
    return round(sum(s["weights"][k] * v for k, v in parts.items()), 3)


def _count(pattern: re.Pattern[str], text: str, full: float) -> int:
    """The number of matches of ``pattern`` in ``text``, counted no further than ``full``
    (rounded up): the signal is full there, and the rest of the text need not be read."""
    return sum(1 for _ in islice(pattern.finditer(text), math.ceil(full)))


def is_report_like(score: float) -> bool:
    """Whether a :func:`report_score` is high enough for a report (the threshold is in
    ``metadata.json``).

    Examples
    --------
    >>> is_report_like(0.9), is_report_like(0.1)
    (True, False)
    """
    return score >= _signals()["threshold"]
