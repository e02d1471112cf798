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

import re
from collections.abc import Iterable, Sequence
from functools import cache
from itertools import dropwhile, pairwise

import pandas as pd

from lawgovkit._data import read_json
from lawgovkit.clean import Boilerplate, page_fields
from lawgovkit.genre import (  # report_score and is_report_like: re-exported
    delivered_date,
    genre_of,
    is_report_like,
    report_score,
    work_report_years,
)
from lawgovkit.places import (
    find_places,
    find_short_prefectures,
    is_namesake,
    province_by_short_name,
    resolve,
    short_name,
    suffix_level,
)

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
    "genre",
    "delivered_date",
)


_YEAR_NUMERALS = "[〇零○一二三四五六七八九]"
_CHINESE_YEAR = re.compile(f"{_YEAR_NUMERALS}{{4}}(?=年)")
_CHINESE_YEAR_END = re.compile(f"年(?<={_YEAR_NUMERALS}{{4}}年)")  # the same, from 年


# the keys of metadata.json that hold one pattern each
_ONE_PATTERN = (  # noqa: SIM905 (a list of words, read as one)
    "title_end title_not_start title_heading_start document_number issuer_line"
    " title_subject issuer_end date leader_phrase title_first_line_not_start title_prefix"
    " title_quoted title_speaker issuer_start title_sentence title_end_word body_org"
    " body_report_formula signature township township_not township_before title_tail_skip"
    " meeting_line addressee_line zone issuer_mention_after salutation_line superior_before"
    " glued_title opening_subject_before"
).split()


# Spaces in a title line between Chinese characters and digits (「某县 2025 年度…」,
# 「…建设 工作情况报告」: a page's or a PDF extractor's), and a publication date after it
# (「…报告 2024-12-12」)
_TITLE_SPACES = re.compile(r"(?<=[\u4e00-\u9fff\d]) +(?=[\u4e00-\u9fff\d])")
_TITLE_DATE = re.compile(r"(?<=[\u4e00-\u9fff]) *\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$")


@cache
def _rules() -> dict:
    data = read_json("metadata.json")
    compiled = dict(data)
    for key in _ONE_PATTERN:
        compiled[key] = re.compile(data[key])
    for key in ("report_year_title", "plan_year_title", "report_year_body", "plan_year_heading"):
        compiled[key] = [re.compile(p) for p in data[key]]
    compiled["bodies"] = [(re.compile(p), kind) for p, kind in data["bodies"]]
    compiled["self_references"] = [
        (re.compile(p), tuple(s)) for p, s in data["self_references"].items()
    ]
    return compiled


def _title(lines: Sequence[str]) -> tuple[str | None, int]:
    """The report's own title and the number of lines up to its end.

    Among the opening lines before any sentence (a document number, a site column name
    or an issuer line may stand above the title), in this order: an issuer line followed
    by "关于…报告"; a whole title line (ending 报告/汇报/总结/情况/计划); a title wrapped
    over two lines; a line with title words (only among the first
    ``title_search_lines``). A title names 法治/依法 or a year.
    """
    rules = _rules()
    head: list[str] = []
    for line in lines[: rules["title_search_lines_whole"]]:
        line = _title_line(line)
        if "。" in line or len(line) > rules["title_max_chars"]:
            break
        if rules["title_sentence"].search(line):
            break  # 「2024年,某街道坚持…报告如下:」: the text has begun
        head.append(line)
    line_one = head[0] if head else None

    def opens(line: str) -> bool:
        not_start = rules["title_first_line_not_start" if line is line_one else "title_not_start"]
        return not (not_start.match(line) or rules["document_number"].match(line))

    def ends(line: str) -> bool:
        return rules["title_end"].search(line) is not None

    def named(title: str) -> bool:
        return len(title) <= rules["title_max_chars"] and bool(rules["title_subject"].search(title))

    def continues(first: str, second: str) -> bool:
        # a first line holding 报告 without ending with it is a title with a tail of page
        # chrome (「…年度报告_某某」), not the first part of one
        return (
            opens(first)
            and not ends(first)
            and not rules["title_end_word"].search(first)
            and ends(first + second)  # "…政府工作报" + "告" too
            and "," not in second
            and not rules["title_heading_start"].match(second)
            and named(first + second)
        )

    def issued(line: str) -> bool:
        # 「某乡人民政府关于…报告」 names its own issuer: a line above it is not one
        before, about, _ = line.partition("关于")
        return bool(about and before and rules["issuer_line"].search(before))

    pairs = list(pairwise(head))
    for index, (first, second) in enumerate(pairs):
        issuer_line = rules["issuer_line"].search(first) or second.startswith("关于")
        if issuer_line and continues(first, second) and not issued(second):
            return first + second, index + 2
    for index, line in enumerate(head):
        if opens(line) and ends(line) and named(line):
            return line, index + 1
    for index, (first, second) in enumerate(pairs):
        if continues(first, second):
            return first + second, index + 2
    for index, line in enumerate(head[: rules["title_search_lines"]]):
        # a label and its value (「二级目:法治」) is no title
        if opens(line) and ":" not in line and any(w in line for w in rules["title_words"]):
            return line, index + 1
    return None, 0


def _unglued(lines: list[str]) -> list[str]:
    """The lines with a title glued to the opening sentence (a copy that lost its line
    breaks: 「某县2025年度法治政府建设情况报告2025年,全县坚持…」) cut in two."""
    rules = _rules()
    for index, line in enumerate(lines[: rules["title_search_lines_whole"]]):
        if match := rules["glued_title"].match(line):
            return [
                *lines[:index],
                match.group(1),
                line[match.end(1) :].lstrip(),
                *lines[index + 1 :],
            ]
    return lines


def _title_line(line: str) -> str:
    """A candidate title line without a label before it (「原标题:」) or a speaker-and-date
    note closing it (「(2022年12月21日 严允)」)."""
    rules = _rules()
    line = rules["title_prefix"].sub("", line)
    line = rules["title_quoted"].sub(r"\1", line.strip())  # 「'2017年某市政府工作报告'」
    line = rules["title_speaker"].sub("", line).strip()
    return _TITLE_SPACES.sub("", _TITLE_DATE.sub("", line))


def _found_date(pattern: re.Pattern, text: str) -> pd.Timestamp | None:
    """The date whose year, month and day are the groups of ``pattern``'s first match in
    ``text``; None without a match or when they make no date."""
    match = pattern.search(text)
    if not match:
        return None
    try:
        return pd.Timestamp(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _speaker_date(line: str) -> pd.Timestamp | None:
    """The date of a speaker-and-date note closing a title line, if any."""
    return _found_date(_rules()["title_speaker"], line)


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
    if _CHINESE_YEAR_END.search(text) is None:  # most texts: found 7x quicker from each 年
        return text
    digits = _rules()["year_numerals"]
    return _CHINESE_YEAR.sub(lambda m: "".join(digits[c] for c in m.group(0)), text)


def _front_matter(line: str) -> bool:
    """A line standing before a report's first sentence that is none: the meeting it was
    delivered to (「(…在某市…人民代表大会常务委员会…会议上)」), the issuer alone, or the
    people addressed (「主任、副主任、秘书长、各位委员:」, 「市委、市政府:」)."""
    rules = _rules()
    if "。" in line:
        return False
    return bool(
        rules["meeting_line"].search(line)
        or rules["signature"].match(line)
        or rules["addressee_line"].match(line)
        or rules["salutation_line"].match(line)
    )


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
        opening = list(dropwhile(_front_matter, body_lines))
        for line in opening[: rules["report_year_body_lines"]]:
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
    return _found_date(_rules()["date"], text)


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
    rest = rules["issuer_start"].sub("", rest)  # "2024年某市政府工作报告": the year first
    match = rules["issuer_end"].search(rest)
    return rest[: match.start()] if match else rest


def _title_places(title: str) -> list[str]:
    issuer = _issuer_part(title)
    names = [name for _, name in find_places(issuer)]
    if not names and (full := short_name(issuer)):
        return [full]  # "长春政府工作报告"
    if not names and (shorts := find_short_prefectures(issuer)) and shorts[0][0] == 0:
        return [shorts[0][2]]  # "巴州2023年法治政府建设情况报告"
    tail_start = issuer.rfind(names[-1]) + len(names[-1]) if names else 0
    issuer_end = title.find(issuer) + len(issuer) if issuer else 0
    tail = issuer[tail_start:] + title[issuer_end:]
    tail = _rules()["title_tail_skip"].sub("", tail)
    for key in ("township", "zone"):
        match = _rules()[key].match(tail)
        if match and not (key == "township" and _rules()["township_not"].search(match.group(1))):
            names.append(match.group(1))
            break
    return names


def _townships(line: str) -> list[tuple[int, str]]:
    """Townships named in a body line as issuers are (「三张镇坚持…」, 「某街道办事处」)."""
    rules = _rules()
    found = []
    for match in rules["township"].finditer(line):
        start, name = match.start(1), match.group(1)
        if rules["township_not"].search(name):
            continue
        if start and not rules["township_before"].match(line[start - 1]):
            continue
        found.append((start, name))
    return found


def _meeting_place(lines: Sequence[str]) -> str | None:
    """The place of the people's congress a work report was delivered to (the meeting
    line may be wrapped: 「在某市某区第十七届」+「人民代表大会…」)."""
    joined = [a + b for a, b in pairwise(lines)]
    for line in [*lines[:1], *(x for pair in zip(lines[1:], joined, strict=True) for x in pair)]:
        match = _rules()["meeting_line"].search(line)
        if match:
            names = [name for _, name in find_places(match.group(1))]
            return names[-1] if names else None
    return None


def _expected_suffixes(texts: Iterable[str]) -> tuple[str, ...]:
    """The suffixes the issuer's own place should have, from 我区/本县/县司法局..."""
    counts: dict[tuple[str, ...], int] = {}
    rules = _rules()
    # "在区委、区政府的领导下" and an addressee line ("市委、市政府:"): the superiors named
    # there are not the issuer's own level
    own = (text for text in texts if not rules["addressee_line"].match(text))
    joined = rules["leader_phrase"].sub("", "\n".join(own))
    for pattern, suffixes in rules["self_references"]:
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
    opening = True  # the first line that is not an addressee line
    for index, line in enumerate(lines):
        if rules["addressee_line"].match(line):
            offset += len(line) + 1
            continue  # "中共某县委员会,某县人民政府:": the superiors addressed
        mentions = [(start, name, name) for start, name in find_places(line) + _townships(line)]
        mentions += find_short_prefectures(line)  # 「巴州党委、政府坚持…」
        for start, written, name in mentions:
            after = line[start + len(written) :]
            # 「2022年,在区委、区政府的领导下,某街道深入…」: the opening sentence's subject is
            # the issuer, whatever level the superiors named elsewhere suggest
            subject = (
                opening
                and rules["issuer_mention_after"].match(after)
                and rules["opening_subject_before"].match(
                    rules["leader_phrase"].sub("", line[:start])
                )
            )
            if expected and not name.endswith(expected) and not subject:
                continue
            if rules["superior_before"].search(line, 0, start):
                continue  # 「落实中央、北京市关于…的部署」: a superior
            score = 3 if subject else 1
            # 《某县人民政府…制度》 is the issuer's own document only when the text says
            # which level it is (县人民政府…): otherwise a place in 《》 is a mere mention
            own_document = expected and line[:start].endswith("《")
            if rules["issuer_mention_after"].match(after) or own_document:
                score = 3
            if index < 2:
                score += 2
            if not expected and (score < 3 or index >= rules["body_issuer_lines"]):
                continue
            scores[name] = scores.get(name, 0) + score
            first_seen.setdefault(name, offset + start)
        opening = False
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
    """The organ the body opens with (区司法局坚持…), else the one named in 现将…报告如下."""
    rules = _rules()
    for rule in ("body_org", "body_report_formula"):
        for line in lines[:3]:
            if match := rules[rule].search(rules["leader_phrase"].sub("", line)):
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
    lines = _unglued([line for line in text.split("\n") if line])
    meta: dict = dict.fromkeys(METADATA_COLUMNS)
    origin: dict = {}
    title, n_head_lines = _title(lines)
    if title:
        meta["title"], origin["title"] = title, "title"
    body_lines = lines[n_head_lines:]
    meta["genre"], origin["genre"] = genre_of(title, body_lines)
    delivered = next(
        (d for line in lines[:n_head_lines] if (d := _speaker_date(line)) is not None), None
    ) or delivered_date(_arabic_years("\n".join(body_lines[:4])).split("\n"))
    if delivered is not None:
        meta["delivered_date"], origin["delivered_date"] = (
            delivered,
            "title" if n_head_lines and _speaker_date(lines[n_head_lines - 1]) else "body",
        )
    if meta["genre"] == "work_report":
        years, year_origin = work_report_years(
            _arabic_years(title) if title else None,
            _arabic_years("\n".join(body_lines)).split("\n"),
            delivered,
        )
    else:
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
        found = _meeting_place(lines[: n_head_lines + 4]) or _body_place(body_lines, expected)
        if not found and "省" in expected:  # a province's text naming itself 广东, 四川
            found = province_by_short_name("\n".join(body_lines[: _rules()["body_issuer_lines"]]))
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
