"""The role rules of ``lawgovkit/data/roles.json``: which role a heading's words name,
where a role begins inside unheaded text (a transition: ``但仍存在以下不足``, ``下一步,我局
将``, ``我们也清醒地看到``), and the years those rules compare with (the year reported on, the
year a work report plans, the five-year plans). :mod:`lawgovkit.sections` cuts the text
with them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from lawgovkit._data import INVISIBLE, SENTENCE_ENDS, SPACES, read_json

__all__ = [
    "heading_role",
    "infer_report_year",
    "opening_phrase_end",
    "opens_a_part",
    "planned_year",
]

ROLE_ORDER: tuple[str, ...] = tuple(read_json("roles.json")["roles"])
_BOUNDARIES = re.compile(f"[{re.escape(SENTENCE_ENDS)}\r\n]")
_GROUP_REFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")  # \1, (?P=name), (?(1)...)
FIRST_LINE = re.compile(r"\S[^\r\n]*")  # from the first non-space character
SPACE = SPACES + INVISIBLE


def roles_data() -> dict[str, Any]:
    """The contents of ``roles.json``."""
    return read_json("roles.json")


@dataclass(frozen=True)
class _Rule:
    role: str
    pattern: re.Pattern[str]
    year: str | None
    levels: tuple[int, ...]
    at: str
    mid_paragraph_in: tuple[str, ...]
    period: str | None = None
    not_in: tuple[str, ...] = ()


def _rule(entry: dict[str, Any]) -> _Rule:
    return _Rule(
        role=entry["role"],
        pattern=re.compile(entry["pattern"], re.MULTILINE),
        year=entry.get("year"),
        levels=tuple(entry.get("levels", ())),
        at=entry.get("at", "sentence"),
        mid_paragraph_in=tuple(entry.get("also_mid_paragraph_in", ())),
        period=entry.get("period"),
        not_in=tuple(entry.get("not_in", ())),
    )


@cache
def _heading_rules() -> tuple[_Rule, ...]:
    return tuple(_rule(entry) for entry in roles_data()["headings"])


@cache
def _transition_rules() -> tuple[_Rule, ...]:
    return tuple(_rule(entry) for entry in roles_data()["transitions"])


@cache
def _year_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in roles_data()["report_year"]["patterns"])


def infer_report_year(text: str) -> int | None:
    """The year a report covers, read from its opening (title or first sentence).

    Examples
    --------
    >>> infer_report_year("某县2022年度法治政府建设情况报告\\n2022年,我县…")
    2022
    >>> infer_report_year("没有年份的文字") is None
    True
    """
    head = text[: roles_data()["report_year"]["window"]]
    for pattern in _year_patterns():
        match = pattern.search(head)
        if match:
            return int(match.group("year"))
    return None


@cache
def _planned_year_patterns() -> tuple[tuple[re.Pattern[str], ...], re.Pattern[str]]:
    data = roles_data()["planned_year"]
    return tuple(re.compile(p) for p in data["title"]), re.compile(data["delivered"])


def planned_year(text: str) -> int | None:
    """The year a government work report plans, read from its title or delivery line
    (None for other texts).

    Examples
    --------
    >>> planned_year("2025年某市政府工作报告\\n——2025年1月15日在某市第十届人民代表大会上")
    2025
    >>> planned_year("某市政府工作报告\\n——2024年12月20日在某市第十届人民代表大会第五次会议上")
    2025
    >>> planned_year("某县2024年度法治政府建设情况报告") is None
    True
    """
    head = text[: roles_data()["planned_year"]["window"]]
    titles, delivered = _planned_year_patterns()
    first = FIRST_LINE.search(head)
    if first is not None:
        for pattern in titles:
            match = pattern.search(first.group(0))
            if match:
                return int(match.group("year"))
    match = delivered.search(head)
    if match:
        return int(match.group("year")) + (1 if int(match.group("month")) == 12 else 0)
    return None


def _year_ok(
    rule: _Rule, match: re.Match[str], report_year: int | None, planned: int | None = None
) -> bool:
    if rule.period is not None:
        year = roles_data()["five_year_plans"].get(match.group("period"))
        if year is None:
            return False
    elif rule.year is None:
        return True
    else:
        year = int(match.group("year"))
    if rule.year == "after" or rule.period == "after":
        if planned is not None and year >= planned:
            return True
        return report_year is not None and year > report_year
    return report_year is not None and year <= report_year


@lru_cache(maxsize=4096)  # the same headings recur from report to report
def heading_role(
    words: str, level: int = 1, report_year: int | None = None, planned: int | None = None
) -> str | None:
    """The role a heading's words name, or None when they name none.

    Parameters
    ----------
    words : str
        The heading without its marker (``"存在的问题和不足"``).
    level : int
        The heading's level; some rules apply to top-level headings only.
    report_year : int, optional
        The year reported on: a heading naming a later year is a plans heading.
    planned : int, optional
        The year a work report plans (:func:`planned_year`): a heading naming it or a
        later year, or a five-year plan starting then (“十五五”), is a plans heading.

    Examples
    --------
    >>> heading_role("存在的问题和原因"), heading_role("2025年工作", 1, 2024)
    ('problems', 'plans')
    >>> heading_role("持续优化法治化营商环境", 2) is None
    True
    """
    for rule in _heading_rules():
        if rule.levels and level not in rule.levels:
            continue
        match = rule.pattern.search(words)
        if match and _year_ok(rule, match, report_year, planned):
            return rule.role
    return None


def opening_phrase_end(text: str, start: int, end: int, role: str) -> int:
    """Where the transition phrase opening ``text[start:end]`` ends (``start`` if none).

    Examples
    --------
    >>> text = "下一步,我镇将继续加强学习;严格执法。"
    >>> text[opening_phrase_end(text, 0, len(text), "plans"):]
    '继续加强学习;严格执法。'
    """
    for rule in _transition_rules():
        if rule.role != role or rule.at == "sentence":
            continue
        match = rule.pattern.match(text, start, end)
        if match and match.end() < end and text[match.end() : end].strip():
            stop = match.end()
            while stop < end and text[stop] in SPACE + ",，:：":
                stop += 1
            return stop
    return start


def opens_a_part(text: str, start: int, end: int, role: str) -> bool:
    """Whether ``text[start:end]`` holds a phrase that introduces a ``role`` part
    (``但仍存在以下不足``, ``下一步,我局将``), whatever follows.

    Examples
    --------
    >>> opens_a_part("虽然取得了成绩,但仍存在一些不足。", 0, 17, "problems")
    True
    >>> opens_a_part("基层力量薄弱。", 0, 7, "problems")
    False
    """
    return any(
        rule.role == role and rule.pattern.search(text, start, end) is not None
        for rule in _transition_rules()
    )


@dataclass(frozen=True)
class Transition:
    position: int
    role: str
    line_start: bool
    needs_line_start: bool
    mid_paragraph_in: tuple[str, ...]
    not_in: tuple[str, ...] = ()


def skip_space(text: str, position: int, end: int) -> int:
    while position < end and text[position] in SPACE:
        position += 1
    return position


def _openings(text: str, starts: list[int]) -> list[range]:
    """For each sentence start, the positions where a match opening that sentence may
    begin: the start and each space before its first character, that one included."""
    return [range(start, skip_space(text, start, len(text)) + 1) for start in starts]


def _opening_matches(pattern: re.Pattern[str], text: str, openings: list[range]):
    """The matches of ``pattern`` that open a sentence: at a sentence start or in the
    spaces before its first character (``openings``). The same matches as
    ``pattern.finditer`` filtered to those opening a sentence (matches never cross a
    sentence boundary), found by trying only those positions instead of every one, which
    the patterns that begin with a bounded run of any characters (``[^。]{0,16}?存在的问题``)
    make costly."""
    match_at = pattern.match
    for positions in openings:
        if len(positions) == 1:  # most sentences: no space before the first character
            match = match_at(text, positions.start)
            if match is not None and match.group(0):
                yield match
            continue
        for position in positions:
            match = match_at(text, position)
            if match is not None and match.group(0):
                yield match
                break


@cache
def _any_opening() -> re.Pattern[str] | None:
    """The patterns of the transitions that must open a sentence, as one alternation.

    Where it does not match, none of them does, so most sentence starts are ruled out by
    one match instead of one per rule. None when the patterns cannot be joined: one refers
    to a group (which the joined pattern would renumber) or a group name is used twice.
    """
    sources = [rule.pattern.pattern for rule in _transition_rules() if rule.at != "sentence"]
    if any(_GROUP_REFERENCE.search(source) for source in sources):
        return None
    try:
        return re.compile("|".join(f"(?:{source})" for source in sources), re.MULTILINE)
    except re.error:
        return None


def find_transitions(
    text: str, report_year: int | None, planned: int | None = None
) -> list[Transition]:
    """Every place where a role begins inside the text, in order."""
    boundaries = [m.end() for m in _BOUNDARIES.finditer(text)]
    line_breaks = [b for b in boundaries if text[b - 1] in "\r\n"]  # among the boundaries
    first_line_end = line_breaks[0] if line_breaks else len(text)
    title_max = roles_data()["title_max"]
    starts = [0, *(b for b in boundaries if b < len(text))]
    any_opening = _any_opening()
    if any_opening is not None:
        # only the sentences where some rule may match: at their start, or after a space
        match_at = any_opening.match
        starts = [s for s in starts if match_at(text, s) or text[s : s + 1] in SPACE]
    openings = _openings(text, starts)
    found: list[Transition] = []
    for rule in _transition_rules():
        if rule.at == "sentence":
            matches = rule.pattern.finditer(text)
        else:  # only a match that opens its sentence counts
            matches = _opening_matches(rule.pattern, text, openings)
        for match in matches:
            if not match.group(0) or not _year_ok(rule, match, report_year, planned):
                continue
            index = bisect.bisect_right(boundaries, match.start()) - 1
            sentence = skip_space(text, boundaries[index] if index >= 0 else 0, match.start())
            index = bisect.bisect_right(line_breaks, match.start()) - 1
            line = skip_space(text, line_breaks[index] if index >= 0 else 0, match.start())
            if sentence < first_line_end <= title_max and line_breaks:
                continue  # the title line names what the report covers; it starts no part
            opens = match.start() == sentence
            if rule.at == "sentence" or (rule.at == "sentence_start" and opens):
                found.append(
                    Transition(sentence, rule.role, sentence == line, False, (), rule.not_in)
                )
            elif rule.at == "line_start" and opens:
                found.append(
                    Transition(
                        sentence,
                        rule.role,
                        sentence == line,
                        True,
                        rule.mid_paragraph_in,
                        rule.not_in,
                    )
                )
    found.sort(key=lambda t: (t.position, ROLE_ORDER.index(t.role)))
    return found
