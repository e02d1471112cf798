"""Enumerated items inside sections: ``一是…二是…``, ``第一,…``, ``(一)…``, ``①…``, clauses.

Reports carry their content in enumerations: ``一是…二是…``, ``第一,…``, ``首先…其次…``,
inline ``(一)…(二)…``, ``(1)…``, ``①…``, and ``;``-separated clauses after a colon. The
markers live in ``lawgovkit/data/headings.json`` (``"enumerations"``). Numbering is often
broken; :func:`find_items` repairs it and says so in ``numbering_issue``: a missing ``三是``
between ``二是`` and ``四是`` is restored at the last clause boundary before ``四是``, and a
``是加快…`` where the numeral was lost is taken for the missing item.

The problems and plans a report states are made of these items by
:mod:`lawgovkit.statements`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

from lawgovkit._data import SENTENCE_ENDS, SPACES, read_json
from lawgovkit.headings import parse_numeral
from lawgovkit.sections import Section

__all__ = ["Item", "find_items"]

CLAUSE_END = SENTENCE_ENDS
_SOFT_END = ";；" + SENTENCE_ENDS
TRIM = SPACES + "\r\n;；,，、"
LINE_BREAK = re.compile(r"[\r\n]")
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
def list_closers(role: str | None = None) -> re.Pattern[str]:
    """Sentences that close a list rather than continue its last item (``究其原因,…``).

    For a list of problems (``role="problems"``) also the response to them and sentences
    that refer back to them (``我们将…``, ``这些问题,有的由来已久…``: ``problem_responses``
    in ``headings.json``); in a list of plans ``我们将…`` is the plan itself. A closer
    begins a sentence: after a sentence end, a line break or a space, or at the text's
    start.

    Examples
    --------
    >>> text = "三是作风不实。我们将组织全员轮训。"
    >>> list_closers("problems").search(text).start(), list_closers("plans").search(text)
    (7, None)
    """
    data = read_json("headings.json")
    phrases = data["list_closers"]
    if role == "problems":
        phrases += "|" + data["problem_responses"]
    return re.compile(f"(?<![^。！？!?\\r\\n \\t\\u3000])[ \\t\\u3000]*(?:{phrases})")


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
    while i >= lo and text[i] in SPACES:
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
    body = text[lo:hi].rstrip(TRIM + "。")
    for i in range(len(body) - 1, 0, -1):
        if body[i] in _SOFT_END and body[i + 1 :].strip(TRIM):
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
    match = LINE_BREAK.search(text, position, hi)
    return match.start() if match else hi


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``start, end`` moved inwards past spaces (and, at the end, clause punctuation)."""
    while end > start and (text[end - 1] in TRIM or text[end - 1].isspace()):
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
        while stop < hi and text[stop] not in CLAUSE_END and text[stop] not in "\r\n":
            stop += 1
        overlaps = _overlaps(taken, starts, start, stop)
        if not overlaps and _CLAUSE_LIST.search(text, start, stop):
            spans.append((start, stop))
    return spans


def pieces(text: str, start: int, stop: int, separators: str) -> list[tuple[int, int]]:
    """Trimmed spans of text[start:stop] cut at any of ``separators``."""
    cuts = [start] + [i + 1 for i in range(start, stop) if text[i] in separators] + [stop + 1]
    spans = [trimmed(text, a, b - 1) for a, b in pairwise(cuts)]
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
                    closing = list_closers(section.role).search(text, mark.body, stop)
                    stop = closing.start() if closing else stop
                start, end = trimmed(text, mark.body, stop)
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
        for n, (a, b) in enumerate(pieces(text, start, stop, ";；"), start=1):
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
