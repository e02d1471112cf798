"""Enumerated items inside sections, and the problems and plans a report states.

Reports carry their content in enumerations: ``一是…二是…``, ``第一,…``, ``首先…其次…``,
inline ``(一)…(二)…``, ``(1)…``, ``①…``, and ``;``-separated clauses after a colon. The
markers live in ``lawgovkit/data/headings.json`` (``"enumerations"``). Numbering is often
broken; :func:`find_items` repairs it and says so in ``numbering_issue``: a missing ``三是``
between ``二是`` and ``四是`` is restored at the last clause boundary before ``四是``, and a
``是加快…`` where the numeral was lost is taken for the missing item.

:func:`statements` gives one row per problem admitted (or per measure planned): the
sub-sections of a problems section, else the items of its first enumeration, else the
clauses of a one-sentence list (``…比如:A,B等。``), else its paragraphs. The sentence that
introduces them (``一年来,…取得了一定成绩,但仍存在以下不足:``) is never part of a row.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

from lawgovkit._data import read_json
from lawgovkit.headings import parse_numeral
from lawgovkit.sections import Section, heading_role, opening_phrase_end, opens_a_part

__all__ = ["Item", "Statement", "find_items", "statements"]

_CLAUSE_END = "。！？!?"
_SOFT_END = ";；。！？!?"
_TRIM = " \t\u3000\xa0\r\n;；,，、"
_LINE_BREAK = re.compile(r"[\r\n]")
_COLON = re.compile("[:：]")
_CLAUSE_LIST = re.compile("[;；].*[^;；\\s]")  # a separator with some words after it


@dataclass(frozen=True)
class Item:
    """One enumerated item.

    Attributes
    ----------
    section_id, role : str
        The section holding the item, and its role.
    n : int
        The item's place in its enumeration (1-based, after repair).
    marker : str
        The marker as printed (``"三是"``, ``"(2)"``); ``""`` for a restored item or a clause.
    text : str
        The item's words after the marker, up to the next item or the end of its paragraph.
    start, end : int
        Offsets of ``text`` in the report's text.
    numbering_issue : str or None
        ``"missing 三是"`` (restored at a clause boundary), ``"numeral lost: 是加快"``…;
        None when the numbering is fine.
    family : str
        Which kind of enumeration (``"shi"``, ``"di"``, ``"clauses"``…).
    series : int
        Index of the enumeration within its section (0 for the first).
    """

    section_id: str
    role: str
    n: int
    marker: str
    text: str
    start: int
    end: int
    numbering_issue: str | None
    family: str
    series: int


@dataclass(frozen=True)
class Statement:
    """One admitted problem or planned measure."""

    n: int
    text: str
    section_id: str
    start: int
    end: int


@dataclass(frozen=True)
class _Family:
    name: str
    numeral: str
    marker: re.Pattern[str]
    lost: re.Pattern[str] | None
    words: dict[str, int]
    format: str


@dataclass  # not frozen: only this module makes and reads them, and frozen ones are slower to make
class _Mark:
    position: int
    body: int
    n: int
    marker: str
    bounded: bool = True
    issue: str | None = None


def _grammar() -> dict[str, Any]:
    return read_json("headings.json")


@cache
def _families() -> tuple[_Family, ...]:
    return tuple(
        _Family(
            name=entry["name"],
            numeral=entry["numeral"],
            marker=re.compile(entry["marker"]),
            lost=re.compile(entry["lost_numeral"]) if "lost_numeral" in entry else None,
            words=dict(entry.get("words", {})),
            format=entry["format"],
        )
        for entry in _grammar()["enumerations"]
    )


@cache
def _clause_grammar() -> tuple[re.Pattern[str], str, str, re.Pattern[str]]:
    data = read_json("roles.json")["clause_lists"]
    trailing = re.compile(f"(?:{data['trailing_drop']})$")
    return (
        re.compile(data["introducers"]),
        data["clause_separators"],
        data["weak_separators"],
        trailing,
    )


@cache
def _list_closers() -> re.Pattern[str]:
    """Sentences that close a list rather than continue its last item (``究其原因,…``)."""
    phrases = read_json("headings.json")["list_closers"]
    return re.compile(f"(?<=[。！？!?])[ \\t\\u3000]*(?:{phrases})")


@cache
def _not_statements() -> dict[str, re.Pattern[str]]:
    data = read_json("roles.json")["not_statements"]
    return {role: re.compile(p) for role, p in data.items() if not role.startswith("_")}


def _label(family: _Family, n: int) -> str:
    chinese = "一二三四五六七八九十"
    cn = chinese[n - 1] if 1 <= n <= 10 else str(n)
    if family.numeral == "words":
        return {1: "首先", 2: "其次", 3: "再次"}.get(n, "最后")
    if family.numeral == "circled":
        circled = _grammar()["numerals"]["circled"]
        return circled[n - 1] if 1 <= n <= len(circled) else str(n)
    return family.format.format(cn=cn, n=n, word="")


def _after_boundary(text: str, position: int, lo: int) -> bool:
    boundary = _grammar()["enumeration_boundary"]
    i = position - 1
    while i >= lo and text[i] in " \t\u3000\xa0":
        i -= 1
    return i < lo or text[i] in boundary


def _marks(text: str, lo: int, hi: int, family: _Family) -> list[_Mark]:
    """Every marker of the family; ``bounded`` when it follows a clause boundary."""
    found = []
    for match in family.marker.finditer(text, lo, hi):
        numeral = match.group("num")
        if family.numeral == "words":
            n = family.words.get(numeral, 0)
        else:
            n = parse_numeral(numeral, family.numeral)
        bounded = _after_boundary(text, match.start(), lo)
        if (n > 0 or family.numeral == "words") and (bounded or n >= 2):
            found.append(_Mark(match.start(), match.end(), n, match.group(0).strip(), bounded))
    if family.lost is not None:
        for match in family.lost.finditer(text, lo, hi):
            if _after_boundary(text, match.start(), lo):
                words = text[match.start() : min(match.start() + 3, hi)]
                issue = f"numeral lost: {words}"
                lost = match.group(0)
                found.append(_Mark(match.start(), match.end(), -1, lost, True, issue))
    found.sort(key=lambda mark: mark.position)
    return found


def _restore(text: str, lo: int, hi: int) -> int | None:
    """Where a missing item most likely begins in text[lo:hi]: after the last clause end."""
    body = text[lo:hi].rstrip(_TRIM + "。")
    for i in range(len(body) - 1, 0, -1):
        if body[i] in _SOFT_END and body[i + 1 :].strip(_TRIM):
            split = lo + i + 1
            while split < hi and text[split] in " \t\u3000\r\n":
                split += 1
            return split
    return None


def _chains(text: str, marks: list[_Mark], family: _Family) -> list[list[_Mark]]:
    """Runs of marks numbered 1, 2, 3…, gaps filled and flagged.

    A gap is filled first by a lost-numeral mark (``是加快…``) found inside it, else by
    restoring the item at the last clause boundary before the next mark; a gap that
    cannot be filled is flagged on the mark after it.
    """
    skip = _grammar()["limits"]["max_skip"]
    chains: list[list[_Mark]] = []
    current: list[_Mark] = []
    pending: list[_Mark] = []

    def close() -> None:
        if len(current) >= 2:
            chains.append(list(current))
        current.clear()

    for mark in marks:
        if mark.n < 0:
            pending.append(mark)
            continue
        last = current[-1].n if current else 0
        n = mark.n or last + 1  # 最后: whatever comes next
        follows = last < n <= last + 1 + skip if mark.bounded else n == last + 1
        if not current or not follows:
            if not (mark.bounded and n in (1, 2)) and not (pending and n == 2):
                if not current:
                    pending.clear()
                continue
            close()
            pending[:] = pending[-1:] if n == 2 else []
            last = 0
        for expected in range(last + 1, n):
            after = current[-1].position if current else -1
            lost = next((m for m in pending if m.position > after), None)
            if lost is not None:
                pending.remove(lost)
                current.append(
                    _Mark(lost.position, lost.body, expected, lost.marker, True, lost.issue)
                )
                continue
            split = _restore(text, current[-1].body, mark.position) if current else None
            if split is None:
                break
            issue = f"missing {_label(family, expected)}"
            current.append(_Mark(split, split, expected, "", True, issue))
        expected = current[-1].n + 1 if current else 1
        issue = None if n == expected else f"missing {_label(family, expected)}"
        current.append(_Mark(mark.position, mark.body, n, mark.marker, True, issue))
        pending.clear()
    close()
    return chains


def _paragraph_end(text: str, position: int, hi: int) -> int:
    match = _LINE_BREAK.search(text, position, hi)
    return match.start() if match else hi


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``start, end`` moved inwards past spaces (and, at the end, clause punctuation)."""
    while end > start and (text[end - 1] in _TRIM or text[end - 1].isspace()):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _overlaps(taken: list[range], starts: list[int], start: int, stop: int) -> bool:
    """Whether [start, stop) meets one of the sorted, merged ranges ``taken``."""
    index = bisect.bisect_right(starts, stop - 1) - 1
    return index >= 0 and taken[index].stop > start


def _merged(ranges: list[range]) -> list[range]:
    merged: list[range] = []
    for r in sorted(ranges, key=lambda r: r.start):
        if merged and r.start <= merged[-1].stop:
            merged[-1] = range(merged[-1].start, max(merged[-1].stop, r.stop))
        else:
            merged.append(r)
    return merged


def _clause_spans(text: str, lo: int, hi: int, taken: list[range]) -> list[tuple[int, int]]:
    """Spans of ``;``-separated clause lists after a colon, where no numbered list is."""
    spans = []
    stop = lo
    starts = [r.start for r in taken]
    for colon in _COLON.finditer(text, lo, hi):
        start = colon.end()
        if start <= stop:
            continue  # inside the sentence already looked at
        stop = start
        while stop < hi and text[stop] not in _CLAUSE_END and text[stop] not in "\r\n":
            stop += 1
        overlaps = _overlaps(taken, starts, start, stop)
        if not overlaps and _CLAUSE_LIST.search(text, start, stop):
            spans.append((start, stop))
    return spans


def _pieces(text: str, start: int, stop: int, separators: str) -> list[tuple[int, int]]:
    """Trimmed spans of text[start:stop] cut at any of ``separators``."""
    cuts = [start] + [i + 1 for i in range(start, stop) if text[i] in separators] + [stop + 1]
    spans = [_trimmed(text, a, b - 1) for a, b in pairwise(cuts)]
    return [(a, b) for a, b in spans if b > a]


def find_items(text: str, section: Section, series_start: int = 0) -> list[Item]:
    """The enumerated items of one section's own text.

    Parameters
    ----------
    text : str
        The report's whole text (offsets are into it).
    section : Section
        The section to search; its heading is skipped.
    series_start : int
        Number to give the first enumeration found (so a report's series stay distinct).

    Returns
    -------
    list of Item
        Grouped by enumeration, each in text order.

    Examples
    --------
    >>> from lawgovkit.sections import build_sections
    >>> text = "存在的问题:一是人手不足;二是经费紧张;督察不够;四是宣传薄弱。"
    >>> section = build_sections(text)[0]
    >>> [(i.n, i.text, i.numbering_issue) for i in find_items(text, section)][1:3]
    [(2, '经费紧张', None), (3, '督察不够', 'missing 三是')]
    """
    lo, hi = section.body_start, section.end
    items: list[Item] = []
    taken: list[range] = []
    series = series_start
    for family in _families():
        if family.marker.search(text, lo, hi) is None and (
            family.lost is None or family.lost.search(text, lo, hi) is None
        ):
            continue  # no marker of this family here (most sections, most families)
        every = _marks(text, lo, hi, family)
        positions = [mark.position for mark in every]
        for marks in _chains(text, every, family):
            for i, mark in enumerate(marks):
                if i + 1 < len(marks):
                    stop = marks[i + 1].position
                else:  # the last item ends with its paragraph, or where another list starts
                    after = bisect.bisect_right(positions, mark.position)
                    limit = positions[after] if after < len(positions) else hi
                    stop = _paragraph_end(text, mark.body, limit)
                    closing = _list_closers().search(text, mark.body, stop)
                    stop = closing.start() if closing else stop
                start, end = _trimmed(text, mark.body, stop)
                items.append(
                    Item(
                        section.section_id,
                        section.role,
                        mark.n,
                        mark.marker,
                        text[start:end],
                        start,
                        end,
                        mark.issue,
                        family.name,
                        series,
                    )
                )
            taken.append(range(marks[0].position, items[-1].end))
            series += 1
    has_colon = _COLON.search(text, lo, hi) is not None  # most sections: no clause list
    for start, stop in _clause_spans(text, lo, hi, _merged(taken)) if has_colon else ():
        for n, (a, b) in enumerate(_pieces(text, start, stop, ";；"), start=1):
            items.append(
                Item(
                    section.section_id,
                    section.role,
                    n,
                    "",
                    text[a:b],
                    a,
                    b,
                    None,
                    "clauses",
                    series,
                )
            )
        series += 1
    items.sort(key=lambda item: (item.series, item.start))
    return items


def _subtree_end(sections: list[Section], index: int, role: str) -> int:
    """End of section ``index`` together with its following descendants of the same role."""
    head = sections[index]
    end = head.end
    for position in range(index + 1, len(sections)):
        section = sections[position]
        inside = section.section_id.startswith((head.section_id + "/", head.section_id + "#"))
        if not inside or section.role != role:
            break
        end = section.end
    return end


def _clause_statements(text: str, section: Section) -> list[tuple[int, int]]:
    """The clauses of a one-sentence list: ``…比如:A,B等。`` → A, B."""
    introducers = _clause_grammar()[0]
    match = introducers.search(text, section.body_start, section.end)
    if match is None:
        return []
    stop = match.end()
    while stop < section.end and text[stop] not in _CLAUSE_END and text[stop] not in "\r\n":
        stop += 1
    if section.role == "problems":  # the sentences after the list state problems too
        return _problem_sentences(text, match.start(), _paragraph_end(text, stop, section.end))
    return _clauses(text, match.end(), stop)


def _clauses(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """The clauses of a list, cut at ``;`` when it has one, else at ``,``; a closing
    ``等`` dropped."""
    _, strong, weak, trailing = _clause_grammar()
    has_strong = any(ch in strong for ch in text[start:stop])
    spans = []
    for a, b in _pieces(text, start, stop, strong if has_strong else weak):
        cut = trailing.search(text, a, b)
        spans.append(_trimmed(text, a, cut.start() if cut and cut.start() > a else b))
    return [(a, b) for a, b in spans if b > a]


def _problem_sentences(
    text: str, start: int, stop: int, one_sentence_clauses: bool = True
) -> list[tuple[int, int]]:
    """The problems an admission paragraph states from ``start``: one per sentence (or
    per ``;`` clause) after any introducer (``主要是:``), up to the response (``对此,我们
    将…``); a paragraph that states them all in one sentence (or lists them after an
    introducer) gives one per clause when ``one_sentence_clauses``."""
    introducers, strong, _, _ = _clause_grammar()
    sentences = _until_closer(text, _pieces(text, start, stop, _CLAUSE_END))
    spans: list[tuple[int, int]] = []
    for a, b in sentences:
        match = introducers.search(text, a, b)
        lo = match.end() if match is not None else a
        alone = len(sentences) == 1 and (one_sentence_clauses or match is not None)
        if alone or any(ch in strong for ch in text[lo:b]):
            spans.extend(_clauses(text, lo, b))
        elif lo < b:
            spans.append(_trimmed(text, lo, b))
    return [(a, b) for a, b in spans if b > a]


def _introduces(text: str, span: tuple[int, int], role: str) -> bool:
    """Whether a paragraph introduces the ones after it (ends with a colon, or says
    ``但仍存在一些不足`` / ``下一步,我局将`` rather than stating a problem or measure)."""
    a, b = span
    return text[b - 1 : b] in (":", "：") or opens_a_part(text, a, b, role)


def _paragraph_statements(text: str, section: Section) -> list[tuple[int, int]]:
    """The paragraphs of a section, its opening transition sentence left out; a single
    paragraph of ``;``-separated measures gives one span per measure."""
    lo = section.body_start
    opening = section.heading is None  # a part split off at a transition: skip that sentence
    lead = None
    if opening:
        i = lo
        while i < section.end and text[i] not in _CLAUSE_END + ":：\r\n":
            i += 1
        if text[i + 1 : section.end].strip(_TRIM + "。"):
            lead = (lo, i)
            lo, opening = i + 1, False
    spans = []
    start = lo
    for match in _LINE_BREAK.finditer(text, lo, section.end):
        spans.append(_trimmed(text, start, match.start()))
        start = match.end()
    spans.append(_trimmed(text, start, section.end))
    spans = [(a, b) for a, b in spans if text[a:b].strip(_TRIM + "。")]
    if section.role == "problems" and lead is not None and len(spans) > 1:
        own = _closed_admission(text, lead, spans[0], section.end)
        if own:
            return own
    if len(spans) > 1 and _introduces(text, spans[0], section.role):
        spans = spans[1:]
    scene = _not_statements().get(f"{section.role}_paragraphs")
    if scene is not None and len(spans) > 1:  # 今后五年是…关键时期: not itself a plan, nor
        kept = [  # a paragraph introducing the next ones (我们要采取以下措施:)
            (a, b) for a, b in spans if not scene.match(text, a, b) and text[b - 1] not in ":："
        ]
        spans = kept or spans
    if len(spans) > 1:
        return spans
    a, b = spans[0] if spans else _trimmed(text, section.body_start, section.end)
    if opening:  # "下一步,我镇将继续…": the measures begin after the transition phrase
        a = opening_phrase_end(text, a, b, section.role)
    if section.role == "problems":  # an admission paragraph: one problem per sentence
        pieces = _problem_sentences(text, a, b, one_sentence_clauses=section.heading is None)
        if not pieces and lead is not None:  # the problems are clauses of the lead sentence
            return _lead_clauses(text, *lead)
    else:
        pieces = _pieces(text, a, b, ";；")
    return pieces if len(pieces) > 1 else [(a, b)]


def _lead_clauses(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """The problems of an admission stated in its one sentence (``我们也清醒地认识到,A,B,C。``):
    its clauses after the words that admit them."""
    _, strong, _, _ = _clause_grammar()
    words = _pieces(text, start, stop, ",，")
    opening = [k for k, (c, d) in enumerate(words[:4]) if opens_a_part(text, c, d, "problems")]
    if opening:
        start = words[opening[-1] + 1][0] if opening[-1] + 1 < len(words) else stop
    if any(ch in strong for ch in text[start:stop]):
        return _pieces(text, start, stop, strong)
    return _clauses(text, start, stop)


def _closed_admission(
    text: str, lead: tuple[int, int], first: tuple[int, int], end: int
) -> list[tuple[int, int]]:
    """The problems of an admission paragraph that states them and closes with the
    response (``…A。B。对此,我们将…``): what follows it (the lessons, the outlook) is
    not a problem. Empty when the paragraph does not close so."""
    if first[0] >= _paragraph_end(text, lead[0], end):
        return []  # the lead sentence is the whole paragraph
    pieces = _pieces(text, first[0], first[1], _SOFT_END)
    kept = _until_closer(text, pieces)
    return kept if 0 < len(kept) < len(pieces) else []


def _until_closer(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The pieces before the first that turns to the causes or the response
    (``对此,我们将…``, ``究其原因…``)."""
    closers = _list_closers()
    for k, (a, b) in enumerate(pieces):
        if closers.match(text, a, b):
            return pieces[:k]
    return pieces


def statements(text: str, sections: list[Section], items: list[Item], role: str) -> list[Statement]:
    """One row per problem admitted (``role="problems"``) or measure planned (``"plans"``).

    For each part of the report with that role (a section whose parent has another role):
    its sub-sections if it has any, else the items of its first enumeration, else the
    clauses of a one-sentence list, else its paragraphs.

    Parameters
    ----------
    text : str
        The report's text.
    sections : list of Section
        Its sections (from :func:`lawgovkit.sections.build_sections`).
    items : list of Item
        Their items (from :func:`find_items`).
    role : str
        ``"problems"`` or ``"plans"`` (any role works).

    Returns
    -------
    list of Statement
        Numbered from 1 in text order.

    Examples
    --------
    >>> from lawgovkit.sections import build_sections
    >>> text = "一、工作情况\\n做了很多。但仍存在以下不足:人手少,经费紧张等。"
    >>> sections = list(build_sections(text))
    >>> items = [i for s in sections for i in find_items(text, s)]
    >>> [s.text for s in statements(text, sections, items, "problems")]
    ['人手少', '经费紧张']
    """
    by_id = {section.section_id: section for section in sections}
    index_of = {section.section_id: i for i, section in enumerate(sections)}
    children_of: dict[str, list[Section]] = {}
    for section in sections:
        if section.parent_id is not None and section.heading is not None:
            children_of.setdefault(section.parent_id, []).append(section)
    items_of: dict[str, list[Item]] = {}
    for item in items:
        items_of.setdefault(item.section_id, []).append(item)
    spans: list[tuple[str, int, int]] = []

    excluded = _not_statements().get(role)

    def collect(root: Section) -> None:
        children = [s for s in children_of.get(root.section_id, ()) if s.role == role]
        for child in children:
            if heading_role(child.heading or "", child.level) == role:
                collect(child)  # a part heading (``(一)存在的问题``), not a statement
            elif excluded is not None and excluded.search(child.heading or ""):
                continue  # ``(二)原因分析`` under the problems
            else:
                end = _subtree_end(sections, index_of[child.section_id], role)
                a, b = _trimmed(text, child.words_start, end)
                spans.append((child.section_id, a, b))
        if children:
            return
        own = items_of.get(root.section_id, [])
        if own:
            head = min(own, key=lambda item: item.start)
            stop = head.end  # the first enumeration only, or for an admission listing its
            if role == "problems" and all(i.family == "clauses" for i in own):
                stop = _paragraph_end(text, head.start, root.end)  # problems in two lists,
            spans.extend(  # every list of its paragraph
                (root.section_id, i.start, i.end)
                for i in own
                if i.series == head.series or (i.start < stop and i.family == "clauses")
            )
            return
        found = _clause_statements(text, root) or _paragraph_statements(text, root)
        spans.extend((root.section_id, a, b) for a, b in found if b > a)

    for root in sections:
        parent = by_id.get(root.parent_id) if root.parent_id else None
        if root.role == role and (parent is None or parent.role != role):
            collect(root)
    return [
        Statement(n, text[a:b], section_id, a, b)
        for n, (section_id, a, b) in enumerate(spans, start=1)
    ]
