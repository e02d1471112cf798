"""Cut a report's text into a tree of sections, each with the role it plays in the report.

Sections start at the headings :func:`lawgovkit.headings.find_headings` finds; the text
before the first heading is the level-0 preamble (title and opening paragraph). The
sections of a text, in order, cover it exactly: ``"".join(s.text for s in sections) ==
text``.

Every section has a role: ``preamble``, ``achievements``, ``problems``, ``leader_duty``,
``plans`` or ``other``. A heading gives its role from its words (``存在的问题`` → problems,
``2023年工作打算`` → plans); a heading without such words inherits its parent's role. A role
can also begin inside unheaded text, at a transition (``…取得了一定成效,但仍存在以下不足:``,
``下一步,我区将…``): the section is then split there, and the part after the split gets
the id of the section it came from plus ``#`` and its role (``"一/(六)#problems"``), its
parent being that section. Phrases and keywords live in ``lawgovkit/data/roles.json``.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from lawgovkit._data import INVISIBLE, SENTENCE_ENDS, SPACES, read_json
from lawgovkit.errors import ParseError
from lawgovkit.headings import Heading, find_headings

__all__ = [
    "PREAMBLE_ID",
    "ROLES",
    "Section",
    "build_sections",
    "heading_role",
    "infer_report_year",
    "opening_phrase_end",
    "opens_a_part",
]

PREAMBLE_ID = "0"
_BOUNDARIES = re.compile(f"[{re.escape(SENTENCE_ENDS)}\r\n]")
_LINE = re.compile(r"[^\r\n]+")
_GROUP_REFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")  # \1, (?P=name), (?(1)...)
_FIRST_LINE = re.compile(r"\S[^\r\n]*")  # from the first non-space character
_SPACE = SPACES + INVISIBLE


def _roles_data() -> dict[str, Any]:
    return read_json("roles.json")


ROLES: tuple[str, ...] = tuple(_roles_data()["roles"])


@dataclass(frozen=True)
class Section:
    """One section of a report: a heading and the text up to the next one.

    Attributes
    ----------
    section_id : str
        Path of heading numbers, e.g. ``"二/(三)/2"``; ``"0"`` for the preamble; a part split
        off where a role begins inside the text adds ``#`` and the role (``"五#problems"``).
    parent_id : str or None
        Id of the enclosing section (None at the top).
    level : int
        0 for the preamble, 1-4 for the GB/T 9704 heading levels; a split part keeps the
        level of the section it was split from.
    number : int or None
        The heading's numeral (``三`` → 3); None for the preamble and split parts.
    heading : str or None
        The heading's words without the marker; None for the preamble and split parts.
    role : str
        One of :data:`ROLES`.
    start, end : int
        Offsets of the section in the text; ``text[start:end] == section.text``.
    text : str
        The section's own text (its heading line included, its sub-sections excluded).
    words_start : int
        Offset where the heading's words begin, after the marker (``start`` when unheaded).
    body_start : int
        Offset where the text after the heading begins (``start`` when unheaded); for a
        run-in heading, just after its first sentence.
    """

    section_id: str
    parent_id: str | None
    level: int
    number: int | None
    heading: str | None
    role: str
    start: int
    end: int
    text: str
    words_start: int
    body_start: int

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ParseError(f"section {self.section_id}: role {self.role!r} is not one of {ROLES}")


@dataclass(frozen=True)
class _Rule:
    role: str
    pattern: re.Pattern[str]
    year: str | None
    levels: tuple[int, ...]
    at: str
    mid_paragraph_in: tuple[str, ...]


def _rule(entry: dict[str, Any]) -> _Rule:
    return _Rule(
        role=entry["role"],
        pattern=re.compile(entry["pattern"], re.MULTILINE),
        year=entry.get("year"),
        levels=tuple(entry.get("levels", ())),
        at=entry.get("at", "sentence"),
        mid_paragraph_in=tuple(entry.get("also_mid_paragraph_in", ())),
    )


@cache
def _heading_rules() -> tuple[_Rule, ...]:
    return tuple(_rule(entry) for entry in _roles_data()["headings"])


@cache
def _transition_rules() -> tuple[_Rule, ...]:
    return tuple(_rule(entry) for entry in _roles_data()["transitions"])


@cache
def _year_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in _roles_data()["report_year"]["patterns"])


def infer_report_year(text: str) -> int | None:
    """The year a report covers, read from its opening (title or first sentence).

    Examples
    --------
    >>> infer_report_year("某县2022年度法治政府建设情况报告\\n2022年,我县…")
    2022
    >>> infer_report_year("没有年份的文字") is None
    True
    """
    head = text[: _roles_data()["report_year"]["window"]]
    for pattern in _year_patterns():
        match = pattern.search(head)
        if match:
            return int(match.group("year"))
    return None


def _year_ok(rule: _Rule, match: re.Match[str], report_year: int | None) -> bool:
    if rule.year is None:
        return True
    if report_year is None:
        return False
    year = int(match.group("year"))
    return year > report_year if rule.year == "after" else year <= report_year


@lru_cache(maxsize=4096)  # the same headings recur from report to report
def heading_role(words: str, level: int = 1, report_year: int | None = None) -> str | None:
    """The role a heading's words name, or None when they name none.

    Parameters
    ----------
    words : str
        The heading without its marker (``"存在的问题和不足"``).
    level : int
        The heading's level; some rules apply to top-level headings only.
    report_year : int, optional
        The year reported on: a heading naming a later year is a plans heading.

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
        if match and _year_ok(rule, match, report_year):
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
            while stop < end and text[stop] in _SPACE + ",，:：":
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
class _Transition:
    position: int
    role: str
    line_start: bool
    needs_line_start: bool
    mid_paragraph_in: tuple[str, ...]


def _skip_space(text: str, position: int, end: int) -> int:
    while position < end and text[position] in _SPACE:
        position += 1
    return position


def _openings(text: str, starts: list[int]) -> list[range]:
    """For each sentence start, the positions where a match opening that sentence may
    begin: the start and each space before its first character, that one included."""
    return [range(start, _skip_space(text, start, len(text)) + 1) for start in starts]


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


def _transitions(text: str, report_year: int | None) -> list[_Transition]:
    """Every place where a role begins inside the text, in order."""
    boundaries = [m.end() for m in _BOUNDARIES.finditer(text)]
    line_breaks = [b for b in boundaries if text[b - 1] in "\r\n"]  # among the boundaries
    first_line_end = line_breaks[0] if line_breaks else len(text)
    title_max = _roles_data()["title_max"]
    starts = [0, *(b for b in boundaries if b < len(text))]
    any_opening = _any_opening()
    if any_opening is not None:
        # only the sentences where some rule may match: at their start, or after a space
        match_at = any_opening.match
        starts = [s for s in starts if match_at(text, s) or text[s : s + 1] in _SPACE]
    openings = _openings(text, starts)
    found: list[_Transition] = []
    for rule in _transition_rules():
        if rule.at == "sentence":
            matches = rule.pattern.finditer(text)
        else:  # only a match that opens its sentence counts
            matches = _opening_matches(rule.pattern, text, openings)
        for match in matches:
            if not match.group(0) or not _year_ok(rule, match, report_year):
                continue
            index = bisect.bisect_right(boundaries, match.start()) - 1
            sentence = _skip_space(text, boundaries[index] if index >= 0 else 0, match.start())
            index = bisect.bisect_right(line_breaks, match.start()) - 1
            line = _skip_space(text, line_breaks[index] if index >= 0 else 0, match.start())
            if sentence < first_line_end <= title_max and line_breaks:
                continue  # the title line names what the report covers; it starts no part
            opens = match.start() == sentence
            if rule.at == "sentence" or (rule.at == "sentence_start" and opens):
                found.append(_Transition(sentence, rule.role, sentence == line, False, ()))
            elif rule.at == "line_start" and opens:
                found.append(
                    _Transition(sentence, rule.role, sentence == line, True, rule.mid_paragraph_in)
                )
    found.sort(key=lambda t: (t.position, ROLES.index(t.role)))
    return found


class _Ids:
    """Hands out section ids, suffixing a repeated one (``一~2``, ``五#plans2``)."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.copies: dict[str, int] = {}

    def unique(self, base: str, separator: str) -> str:
        section_id = base
        while section_id in self.used:
            self.copies[base] = self.copies.get(base, 1) + 1
            section_id = f"{base}{separator}{self.copies[base]}"
        self.used.add(section_id)
        return section_id


@cache
def _closing_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in _roles_data()["closing_lines"]["patterns"])


def _closing_block(text: str) -> int | None:
    """Start of the closing lines (issuer, date, 附件) ending the text, if it has any."""
    limit = _roles_data()["closing_lines"]["max_chars"]
    start = None
    end = len(text)
    while end > 0:
        line_start = max(text.rfind("\n", 0, end), text.rfind("\r", 0, end)) + 1
        line = text[line_start:end].strip()
        if line and (len(line) > limit or not any(p.search(line) for p in _closing_patterns())):
            break
        if line:
            start = _skip_space(text, line_start, end)
        end = line_start - 1
    first_line = _FIRST_LINE.search(text)
    if start is None or first_line is None or start <= first_line.start():
        return None  # a text that is nothing but such lines has no closing block
    return start


def _unheaded_body(text: str, transitions: list[_Transition]) -> list[_Transition]:
    """In a report without headings, the body after the title and opening paragraph is
    the achievements part (up to the first transition)."""
    lines = [m for m in _LINE.finditer(text) if m.group(0).strip()]
    limit = _roles_data()["title_max"]
    first = lines[0].group(0).strip() if lines else ""
    titled = bool(first) and len(first) <= limit and not first.endswith(("。", ";", "；"))
    index = 2 if titled else 1
    if len(lines) <= index:
        return transitions
    position = _skip_space(text, lines[index].start(), lines[index].end())
    if transitions and transitions[0].position <= position:
        return transitions
    return [_Transition(position, "achievements", True, False, ()), *transitions]


@dataclass  # not frozen: only this module makes and reads them, and frozen ones are slower to make
class _Node:
    section_id: str
    parent_id: str | None
    level: int
    number: int | None
    heading: str | None
    role: str
    start: int
    words_start: int
    body_start: int
    end: int


def _heading_nodes(
    text: str, headings: tuple[Heading, ...], report_year: int | None, ids: _Ids
) -> list[_Node]:
    default = _roles_data()["default_heading_role"]
    nodes: list[_Node] = []
    if not headings or headings[0].start > 0:
        end = headings[0].start if headings else len(text)
        nodes.append(_Node(PREAMBLE_ID, None, 0, None, None, "preamble", 0, 0, 0, end))
    stack: list[tuple[int, _Node]] = []
    ids.used.add(PREAMBLE_ID)
    for i, heading in enumerate(headings):
        while stack and stack[-1][0] >= heading.rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        base = f"{parent.section_id}/{heading.id_part}" if parent else heading.id_part
        section_id = ids.unique(base, "~")
        role = heading_role(heading.text, heading.level, report_year)
        if role is None:
            role = parent.role if parent else default
        end = headings[i + 1].start if i + 1 < len(headings) else len(text)
        node = _Node(
            section_id,
            parent.section_id if parent else None,
            heading.level,
            heading.number,
            heading.text,
            role,
            heading.start,
            heading.marker_end,
            heading.end,
            end,
        )
        nodes.append(node)
        stack.append((heading.rank, node))
    return nodes


def _split(
    node: _Node, transitions: list[_Transition], positions: list[int], ids: _Ids
) -> list[_Node]:
    """The node, cut where a different role begins inside its text."""
    parts = [node]
    lo = bisect.bisect_left(positions, node.body_start)
    for transition in transitions[lo:]:
        if transition.position >= node.end:
            break
        current = parts[-1]
        if transition.position < current.body_start or transition.role == current.role:
            continue
        if (
            transition.needs_line_start
            and not transition.line_start
            and current.role not in transition.mid_paragraph_in
        ):
            continue
        if transition.position == current.start:  # an unheaded text opening with the role
            if len(parts) == 1:
                parts[0] = dataclasses.replace(current, role=transition.role)
            continue
        section_id = ids.unique(f"{node.section_id}#{transition.role}", "")
        parts[-1] = dataclasses.replace(current, end=transition.position)
        parts.append(
            _Node(
                section_id,
                node.section_id,
                node.level,
                None,
                None,
                transition.role,
                transition.position,
                transition.position,
                transition.position,
                node.end,
            )
        )
    return parts


def build_sections(text: str, report_year: int | None = None) -> tuple[Section, ...]:
    """The sections of a report's text, in order, covering it exactly.

    Parameters
    ----------
    text : str
        A report's cleaned text.
    report_year : int, optional
        The year reported on; read from the text's opening when not given. It tells a
        plans heading (``2024年工作``) from an achievements one (``2023年工作情况``).

    Returns
    -------
    tuple of Section
        In text order; empty for an empty text.

    Examples
    --------
    >>> text = "某区2023年度报告\\n一、工作情况\\n办了事。但仍存在以下不足:人手少。"
    >>> text += "\\n二、2024年打算\\n干。"
    >>> [(s.section_id, s.role) for s in build_sections(text)]
    [('0', 'preamble'), ('一', 'achievements'), ('一#problems', 'problems'), ('二', 'plans')]
    """
    if not text:
        return ()
    year = report_year if report_year is not None else infer_report_year(text)
    ids = _Ids()
    headings = find_headings(text)
    nodes = _heading_nodes(text, headings, year, ids)
    transitions = _transitions(text, year)
    if not headings:
        transitions = _unheaded_body(text, transitions)
    closing = _closing_block(text)
    if closing is not None:
        transitions = [*transitions, _Transition(closing, "other", True, False, ())]
    positions = [t.position for t in transitions]
    sections: list[Section] = []
    for node in nodes:
        for part in _split(node, transitions, positions, ids):
            sections.append(
                Section(
                    section_id=part.section_id,
                    parent_id=part.parent_id,
                    level=part.level,
                    number=part.number,
                    heading=part.heading,
                    role=part.role,
                    start=part.start,
                    end=part.end,
                    text=text[part.start : part.end],
                    words_start=part.words_start,
                    body_start=min(part.body_start, part.end),
                )
            )
    return tuple(sections)
