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
from functools import cache

from lawgovkit.errors import ParseError
from lawgovkit.headings import Heading, find_headings
from lawgovkit.role_rules import (
    FIRST_LINE,
    SPACE,
    Transition,
    find_transitions,
    heading_role,
    infer_report_year,
    opening_phrase_end,
    opens_a_part,
    planned_year,
    roles_data,
    skip_space,
)

__all__ = [
    "PREAMBLE_ID",
    "ROLES",
    "Section",
    "build_sections",
    "heading_role",
    "infer_report_year",
    "opening_phrase_end",
    "opens_a_part",
    "planned_year",
]

PREAMBLE_ID = "0"
_FORWARD = ("problems", "plans")  # a part naming the review does not follow these
_LINE = re.compile(r"[^\r\n]+")
ROLES: tuple[str, ...] = tuple(roles_data()["roles"])


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
    return tuple(re.compile(p) for p in roles_data()["closing_lines"]["patterns"])


def _closing_block(text: str) -> int | None:
    """Start of the closing lines (issuer, date, 附件) ending the text, if it has any."""
    limit = roles_data()["closing_lines"]["max_chars"]
    start = None
    end = len(text)
    while end > 0:
        line_start = max(text.rfind("\n", 0, end), text.rfind("\r", 0, end)) + 1
        line = text[line_start:end].strip()
        if line and (len(line) > limit or not any(p.search(line) for p in _closing_patterns())):
            break
        if line:
            start = skip_space(text, line_start, end)
        end = line_start - 1
    first_line = FIRST_LINE.search(text)
    if start is None or first_line is None or start <= first_line.start():
        return None  # a text that is nothing but such lines has no closing block
    return start


def _unheaded_body(text: str, transitions: list[Transition]) -> list[Transition]:
    """In a report without headings, the body after the title and opening paragraph is
    the achievements part (up to the first transition)."""
    lines = [m for m in _LINE.finditer(text) if m.group(0).strip()]
    limit = roles_data()["title_max"]
    first = lines[0].group(0).strip() if lines else ""
    titled = bool(first) and len(first) <= limit and not first.endswith(("。", ";", "；"))
    index = 2 if titled else 1
    if len(lines) <= index:
        return transitions
    position = skip_space(text, lines[index].start(), lines[index].end())
    if transitions and transitions[0].position <= position:
        return transitions
    return [Transition(position, "achievements", True, False, ()), *transitions]


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


@cache
def _glossary_and_annex() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A line opening a glossary (名词解释:: the transition of ``roles.json`` so named) and
    one opening an annex (附:)."""
    entry = next(e for e in roles_data()["transitions"] if e.get("name") == "glossary")
    glossary = re.compile(f"^[ \\t\\u3000]*(?:{entry['pattern']})", re.MULTILINE)
    return glossary, re.compile(roles_data()["annex"]["pattern"], re.MULTILINE)


def _opens_a_glossary(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` ends in a glossary: the numbered sections after it are
    its entries (not after an annex that follows it: 附: 2009年市政府十件实事)."""
    glossary, annex = _glossary_and_annex()
    found = glossary.search(text, start, end)
    return found is not None and annex.search(text, found.end(), end) is None


@cache
def _problems_heading_in_plans() -> re.Pattern[str]:
    return re.compile(roles_data()["problems_heading_in_plans"]["pattern"])


def _opens_with_problems(words: str) -> bool:
    return _problems_heading_in_plans().match(words) is not None


def _opening_role(
    text: str, heading: Heading, end: int, transitions: list[Transition], positions: list[int]
) -> str | None:
    """The role of a transition opening the first sentence after a heading, if any
    (``二、把首都建设推向21世纪`` followed by ``今后五年是…``)."""
    first = skip_space(text, heading.end, end)
    while first < end and text[first] in "\r\n" + SPACE:
        first += 1
    index = bisect.bisect_left(positions, first)
    if index < len(positions) and positions[index] == first:
        return transitions[index].role
    return None


def _heading_nodes(
    text: str,
    headings: tuple[Heading, ...],
    report_year: int | None,
    planned: int | None,
    ids: _Ids,
    transitions: list[Transition],
) -> list[_Node]:
    """The sections of the text, split where a role begins inside one.

    A part (a top-level heading) without role words after a problems or plans part is
    a plans part, and so is one naming achievements right after the problems or plans
    (一、2013年工作回顾和2014年工作总体要求 ending in the targets, then 二、…战略举措) or
    after a plans part. A sub-section without role words takes its parent's role, or
    ``problems`` when an admission began earlier in its part (the problems run to the
    next part), or ``other`` when a glossary did (名词解释: after the closing appeal,
    then its entries numbered 1、2、…)."""
    default = roles_data()["default_heading_role"]
    positions = [t.position for t in transitions]
    nodes: list[_Node] = []
    if not headings or headings[0].start > 0:
        end = headings[0].start if headings else len(text)
        preamble = _Node(PREAMBLE_ID, None, 0, None, None, "preamble", 0, 0, 0, end)
        nodes.extend(_split(preamble, transitions, positions, ids))
    stack: list[tuple[int, _Node]] = []
    ids.used.add(PREAMBLE_ID)
    plans_begun = problems_seen = False
    last = "preamble"  # the role the text before this heading ends with
    open_problems = False  # an admission began in the current part
    closed = False  # a glossary began in the current part (名词解释:): its entries are other
    for i, heading in enumerate(headings):
        while stack and stack[-1][0] >= heading.rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        base = f"{parent.section_id}/{heading.id_part}" if parent else heading.id_part
        section_id = ids.unique(base, "~")
        end = headings[i + 1].start if i + 1 < len(headings) else len(text)
        words = heading.text
        named = heading_role(words, heading.level, report_year, planned)
        role = named
        if parent is None:
            open_problems = closed = False
            if role is None:
                role = _opening_role(text, heading, end, transitions, positions)
            forward = plans_begun or (problems_seen if role is None else last in _FORWARD)
            if role in (None, "achievements") and forward:
                role = "plans"  # the review does not come back after the problems or plans
            role = role or default
        elif (parent.role == "other" or (closed and named is None)) and named != "leader_duty":
            role = "other"  # a glossary's entries, the closing matters
        elif role is None or (role == "achievements" and parent.role != role):
            role = "problems" if open_problems and named is None else parent.role
        elif role == "problems" and parent.role == "plans" and not _opens_with_problems(words):
            role = "plans"  # (四)克服薄弱环节,提高管理水平: a task
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
        parts = _split(node, transitions, positions, ids)
        nodes.extend(parts)
        if parent is None and role == "plans":
            plans_begun = True
        problems_seen = problems_seen or any(part.role == "problems" for part in parts)
        last = parts[-1].role
        if len(parts) > 1 and parts[-1].role == "other":
            closed = closed or _opens_a_glossary(text, parts[-1].start, parts[-1].end)
        if parts[-1].role == "problems" and role != "problems":
            open_problems = True
        elif len(parts) > 1 or (named is not None and named != "problems"):
            open_problems = False
        stack.append((heading.rank, node))
    return nodes


def _split(
    node: _Node, transitions: list[Transition], positions: list[int], ids: _Ids
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
        if current.role in transition.not_in:
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
    planned = planned_year(text)
    ids = _Ids()
    headings = find_headings(text)
    transitions = find_transitions(text, year, planned)
    if not headings:
        transitions = _unheaded_body(text, transitions)
    closing = _closing_block(text)
    if closing is not None:
        transitions = [*transitions, Transition(closing, "other", True, False, ())]
    sections: list[Section] = []
    for part in _heading_nodes(text, headings, year, planned, ids, transitions):
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
