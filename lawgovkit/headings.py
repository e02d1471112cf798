"""The heading grammar: find the numbered headings of a report's text.

Chinese official documents number their headings after GB/T 9704-2012: level 1 ``一、``,
level 2 ``(一)``, level 3 ``1.`` (also ``1、`` ``1．``), level 4 ``(1)``; long reports add
``第一部分``. The styles live in ``lawgovkit/data/headings.json`` (one regex per style), so a
new style needs a new entry there, not code. Full-width and half-width brackets and digits
are both accepted.

A heading starts a line. It either stands on its own line (``二、存在的问题``) or runs into
its paragraph, the heading being the first sentence (``(一)党的组织领导不断加强。一是…``).
Numbers are checked against the sequence so far: ``3.`` after ``1.`` ``2.`` is a heading,
a quantity such as ``1126名`` or a date such as ``4·15`` or ``2022年,`` never is, and a
number far out of sequence is taken for text. Skipped levels (``一、`` then ``1.``) and small
gaps in numbering are tolerated and reported in :attr:`Heading.numbering_issue`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

from lawgovkit._data import INVISIBLE, SPACES, read_json

__all__ = ["Heading", "HeadingStyle", "find_headings", "heading_styles", "parse_numeral"]

_LINE = re.compile(r"[^\r\n]+")
_INDENT = re.compile(f"[{re.escape(SPACES + INVISIBLE)}]*")
_TRAILING = SPACES + ":：。;；,，、"
_INLINE_BOUNDARY = re.compile("[。！？!?:：;；]|(?=[(（])")
_INLINE_WORDS_END = re.compile("[。！？!?:：;；(（]")


@dataclass(frozen=True)
class HeadingStyle:
    """One heading style of the grammar, as read from ``headings.json``."""

    name: str
    level: int
    rank: int
    numeral: str
    marker: re.Pattern[str]
    id_format: str


@dataclass(frozen=True)
class Heading:
    """A heading found in a text.

    Attributes
    ----------
    start : int
        Offset of the heading's line start (where its section begins, indent included).
    marker_end : int
        Offset just after the number marker (``一、``, ``(二)``…): where the heading's words begin.
    end : int
        Offset after the heading's words (and its closing ``。`` or ``:`` for a run-in heading).
    level : int
        GB/T 9704 level of the style: 1 ``一、``, 2 ``(一)``, 3 ``1.``, 4 ``(1)``.
    rank : int
        Nesting order: a heading holds the following headings of a higher rank
        (``第一部分`` rank 0 holds ``一、`` rank 1, both level 1).
    style : str
        Name of the style in ``headings.json``.
    number : int
        The numeral's value (``三`` → 3, ``１２`` → 12).
    marker : str
        The marker as printed, stripped (``"（三）"``).
    text : str
        The heading's words without marker and closing punctuation.
    run_in : bool
        True when the heading is the first sentence of a paragraph.
    id_part : str
        The heading's part of a section id (``"三"``, ``"(三)"``, ``"3"``, ``"(3)"``).
    numbering_issue : str or None
        What is odd about the number (``"missing (二)"``), None when it follows on.
    """

    start: int
    marker_end: int
    end: int
    level: int
    rank: int
    style: str
    number: int
    marker: str
    text: str
    run_in: bool
    id_part: str
    numbering_issue: str | None = None


def _grammar() -> dict[str, Any]:
    return read_json("headings.json")


@cache
def heading_styles() -> tuple[HeadingStyle, ...]:
    """The heading styles of ``headings.json``, compiled once.

    Examples
    --------
    >>> [style.level for style in heading_styles()][:3]
    [1, 1, 2]
    """
    return tuple(
        HeadingStyle(
            name=entry["name"],
            level=int(entry["level"]),
            rank=int(entry.get("rank", entry["level"])),
            numeral=entry["numeral"],
            marker=re.compile(entry["marker"]),
            id_format=entry["id_format"],
        )
        for entry in _grammar()["styles"]
    )


@lru_cache(maxsize=4096)  # a few dozen numerals recur in every report
def parse_numeral(numeral: str, kind: str = "chinese") -> int:
    """The value of a heading or item numeral.

    Parameters
    ----------
    numeral : str
        ``"三"``, ``"十二"``, ``"二十"``, ``"１２"``, ``"③"``.
    kind : {"chinese", "arabic", "circled"}
        How the numeral is written.

    Returns
    -------
    int
        Its value; 0 for a string that is not a numeral of that kind.

    Examples
    --------
    >>> parse_numeral("十二"), parse_numeral("二十"), parse_numeral("１２", "arabic")
    (12, 20, 12)
    """
    numerals = _grammar()["numerals"]
    if kind == "arabic":
        return int(numeral) if numeral.isdecimal() else 0
    if kind == "circled":
        index = numerals["circled"].find(numeral)
        return index + 1 if index >= 0 and len(numeral) == 1 else 0
    digits, tens = numerals["chinese_digits"], numerals["chinese_tens"]
    if not numeral or any(ch not in digits and ch not in tens for ch in numeral):
        return 0
    if "十" not in numeral:
        return digits[numeral] if len(numeral) == 1 else 0
    before, _, after = numeral.partition("十")
    if len(before) > 1 or len(after) > 1 or "十" in after:
        return 0
    return (digits[before] if before else 1) * 10 + (digits[after] if after else 0)


def _format_id(style: HeadingStyle, numeral: str, number: int) -> str:
    return style.id_format.format(cn=numeral, n=number)


@cache
def _sentence_end() -> re.Pattern[str]:
    """Any of the grammar's ``sentence_ends`` characters."""
    return re.compile("[" + "".join(re.escape(ch) for ch in _grammar()["sentence_ends"]) + "]")


def _heading_words(text: str, marker_end: int, line_end: int) -> tuple[str, int, bool]:
    """The heading's words, where they end, and whether it runs into its paragraph."""
    limits = _grammar()["limits"]
    rest = text[marker_end:line_end]
    body = rest.rstrip(SPACES)
    end = _sentence_end().search(body)
    cut = end.start() if end else -1
    short = 0 <= cut < len(body) - 1 and len(body) <= limits["own_line_max"]
    if short and not _unnumbered_grammar()[1].search(body):  # only colons inside: 2013：好
        return body.strip(_TRAILING), marker_end + len(body), False
    if cut < 0 or cut == len(body) - 1:
        if len(body) <= limits["own_line_max"]:
            return body.strip(_TRAILING), marker_end + len(body), False
        if cut < 0:
            cut = len(body)
    if cut <= limits["run_in_max"]:
        return body[:cut].strip(_TRAILING), marker_end + min(cut + 1, len(body)), True
    clause = body.find("，", 0, limits["run_in_max"])
    comma = body.find(",", 0, limits["run_in_max"])
    candidates = [c for c in (clause, comma) if c > 0]
    cut = min(candidates) if candidates else limits["run_in_max"]
    return body[:cut].strip(_TRAILING), marker_end + cut, True


def _sequence_issue(
    style: HeadingStyle, number: int, last: int | None, own_line: bool
) -> tuple[bool, str | None]:
    """Whether ``number`` may follow ``last`` in this style, and what is odd about it."""
    limits = _grammar()["limits"]
    expected = 1 if last is None else last + 1
    if number == expected:
        return True, None
    if number < 1 or number > limits["max_number"]:
        return False, None
    if last is None:
        if number <= 1 + limits["max_skip"]:
            return True, f"numbering starts at {number}"
        return False, None
    if number == 1:
        return True, "numbering restarts at 1"
    if last < number <= last + 1 + limits["max_skip"]:
        missing = ", ".join(str(n) for n in range(expected, number))
        return True, f"missing number {missing}"
    if number == last and own_line:
        return True, f"number {number} repeated"
    return False, None


def _starts(text: str, line: re.Match[str], collapsed: bool):
    """Where a heading may begin in a line: its start, and in a text whose paragraphs were
    run together (``collapsed``), also after each sentence end."""
    yield _INDENT.match(text, line.start(), line.end()).end(), False
    if collapsed:
        for end in _INLINE_BOUNDARY.finditer(text, line.start(), line.end()):
            position = _INDENT.match(text, end.end(), line.end()).end()
            if position < line.end():
                yield position, True


def _inline_words(text: str, marker_end: int, line_end: int) -> tuple[str, int, bool]:
    """A heading's words inside a run-together text: up to a sentence end or a bracket."""
    limit = min(line_end, marker_end + _grammar()["limits"]["run_in_max"])
    stop = _INLINE_WORDS_END.search(text, marker_end, limit)
    end = stop.start() if stop else limit
    closing = end + 1 if stop and text[end] not in "(（" else end
    return text[marker_end:end].strip(_TRAILING), closing, True


def _heading_at(
    text: str,
    start: int,
    position: int,
    line_end: int,
    inline: bool,
    collapsed: bool,
    styles: tuple[HeadingStyle, ...],
    last_number: dict[str, int],
) -> Heading | None:
    """The heading whose marker is at ``position`` (its section at ``start``), if its number
    fits the sequence."""
    for style in styles:
        match = style.marker.match(text, position, line_end)
        if match is None:
            continue
        numeral = match.group("num")
        number = parse_numeral(numeral, style.numeral)
        if number < 1:
            continue
        if inline or collapsed:
            words = _inline_words(text, match.end(), line_end)
        else:
            words = _heading_words(text, match.end(), line_end)
        heading_text, end, run_in = words
        ok, issue = _sequence_issue(style, number, last_number.get(style.name), not run_in)
        if not ok or (inline and issue is not None):
            continue
        return Heading(
            start=start,
            marker_end=match.end(),
            end=end,
            level=style.level,
            rank=style.rank,
            style=style.name,
            number=number,
            marker=text[position : match.end()].strip(),
            text=heading_text,
            run_in=run_in,
            id_part=_format_id(style, numeral, number),
            numbering_issue=issue,
        )
    return None


def find_headings(text: str) -> tuple[Heading, ...]:
    """The numbered headings of a text, in order.

    Parameters
    ----------
    text : str
        A report's cleaned text (full-width or half-width brackets and digits).

    Returns
    -------
    tuple of Heading
        One per heading line, in text order.

    Examples
    --------
    >>> text = "一、主要成效\\n(一)制度更完善。一是修订。\\n2022年,办案12件。\\n二、存在的问题"
    >>> [(h.level, h.id_part, h.text, h.run_in) for h in find_headings(text)]
    [(1, '一', '主要成效', False), (2, '(一)', '制度更完善', True), (1, '二', '存在的问题', False)]
    """
    return _find_headings(text)


@lru_cache(maxsize=8)
def _find_headings(text: str) -> tuple[Heading, ...]:
    """find_headings, remembered for the last few texts: parsing a report asks twice."""
    every_line = list(_LINE.finditer(text))
    lines = [line for line in every_line if line.group(0).strip()]
    limits = _grammar()["limits"]
    collapsed = len(text) >= limits["collapsed_line_mean"] * max(len(every_line), 1)
    numbered = _numbered(text, lines, collapsed, ())
    if collapsed:
        return numbered
    parts = _unnumbered_parts(text, lines, numbered)
    if not parts:
        return numbered
    renumbered = _numbered(text, lines, collapsed, tuple(p.start for p in parts))
    return tuple(sorted((*renumbered, *parts), key=lambda h: h.start))


def _numbered(
    text: str, lines: list[re.Match[str]], collapsed: bool, part_starts: tuple[int, ...]
) -> tuple[Heading, ...]:
    """The numbered headings; numbering starts afresh after each unnumbered part heading
    (at ``part_starts``)."""
    styles = heading_styles()
    last_number: dict[str, int] = {}
    inner: _InnerRun = _InnerRun()
    found: list[Heading] = []
    boundaries = set(part_starts)
    for line in lines:
        if line.start() in boundaries:
            last_number.clear()
            inner = _InnerRun()
            continue
        for position, inline in _starts(text, line, collapsed):
            start = position if inline else line.start()
            heading = inner.take(text, start, position, line.end(), collapsed, found)
            if heading is None:
                heading = _heading_at(
                    text, start, position, line.end(), inline, collapsed, styles, last_number
                )
            if heading is None:
                continue
            if heading.style == _LEVEL_ONE and not inline:
                heading = inner.start_or_end(heading)
            if heading.style == _INNER:
                found.append(heading)
                continue
            last_number[heading.style] = heading.number
            for other in styles:
                if other.rank > heading.rank:
                    last_number.pop(other.name, None)
            found.append(heading)
    return tuple(found)


_LEVEL_ONE = "chinese_dun"
_INNER = "chinese_dun_run_in"


class _InnerRun:
    """A run of run-in ``一、`` paragraphs restarting inside a part whose own ``一、`` run
    stands on its own lines (``三、主要任务`` then ``一、关于增长目标。…二、…``): its items
    are level-2 headings under that part, not new parts."""

    def __init__(self) -> None:
        self.own_line_run = False  # the current 一、 run has a heading on its own line
        self.last: int | None = None  # the inner run's last number, while it runs

    def start_or_end(self, heading: Heading) -> Heading:
        """A level-1 heading as found by the grammar, turned into an inner one when it
        restarts a run-in run below an own-line run."""
        restart = heading.number == 1 and heading.numbering_issue is not None
        if heading.run_in and restart and self.own_line_run:
            self.last = 1
            return _as_inner(heading)
        if restart:
            self.own_line_run = False
        self.last = None
        self.own_line_run = self.own_line_run or not heading.run_in
        return heading

    def take(
        self,
        text: str,
        start: int,
        position: int,
        line_end: int,
        collapsed: bool,
        found: list[Heading],
    ) -> Heading | None:
        """The next heading of the inner run at ``position``, if one follows on there."""
        if self.last is None:
            return None
        style = next(s for s in heading_styles() if s.name == _LEVEL_ONE)
        match = style.marker.match(text, position, line_end)
        if match is None or parse_numeral(match.group("num"), style.numeral) != self.last + 1:
            return None
        words, end, run_in = (_inline_words if collapsed else _heading_words)(
            text, match.end(), line_end
        )
        if not run_in:
            return None  # an own-line heading continues the outer run, or is text
        self.last += 1
        numeral = match.group("num")
        return _as_inner(
            Heading(
                start=start,
                marker_end=match.end(),
                end=end,
                level=1,
                rank=1,
                style=_LEVEL_ONE,
                number=self.last,
                marker=text[position : match.end()].strip(),
                text=words,
                run_in=True,
                id_part=_format_id(style, numeral, self.last),
            )
        )


def _as_inner(heading: Heading) -> Heading:
    return replace(heading, level=2, rank=2, style=_INNER, numbering_issue=None)


@cache
def _unnumbered_grammar() -> tuple[
    dict[str, Any], re.Pattern[str], re.Pattern[str], re.Pattern[str]
]:
    grammar = _grammar()["unnumbered_parts"]
    inner = re.compile("[" + re.escape(grammar["inner_ends"]) + "]")
    return grammar, inner, re.compile(grammar["exclude"]), re.compile(grammar["closing"])


def _is_paragraph(line: str, grammar: dict[str, Any]) -> bool:
    return len(line) > grammar["paragraph_min"] or line.endswith(tuple(grammar["paragraph_ends"]))


def _unnumbered_parts(
    text: str, lines: list[re.Match[str]], numbered: tuple[Heading, ...]
) -> list[Heading]:
    """The part headings printed without a number (see ``unnumbered_parts`` in
    ``headings.json``)."""
    grammar, inner_end, exclude, closing = _unnumbered_grammar()
    heading_starts = {h.start for h in numbered}
    level_one = [h for h in numbered if h.rank <= 1]
    candidates: list[tuple[re.Match[str], str]] = []
    title = lines[0].group(0).strip() if lines else ""
    for i in range(1, len(lines) - 1):
        line = lines[i]
        words = line.group(0).strip()
        if (
            not grammar["min_chars"] <= len(words) <= grammar["max_chars"]
            or words == title  # the title repeated below page chrome
            or line.start() in heading_starts
            or inner_end.search(words)
            or words.endswith((":", "："))
            or exclude.search(words)
            or not _is_paragraph(lines[i - 1].group(0).strip(), grammar)
        ):
            continue
        after = lines[i + 1]
        if after.start() in heading_starts or _is_paragraph(after.group(0).strip(), grammar):
            candidates.append((line, words))
            if closing.search(words):
                break  # a glossary's terms stand on lines of their own
    parts: list[Heading] = []
    for k, (line, words) in enumerate(candidates):
        stop = candidates[k + 1][0].start() if k + 1 < len(candidates) else len(text)
        following = [h for h in level_one if line.start() < h.start < stop]
        if following and following[0].number != 1:
            continue  # inside a running 一、 run
        start = _INDENT.match(text, line.start(), line.end()).end()
        n = len(parts) + 1
        parts.append(
            Heading(
                start=line.start(),
                marker_end=start,
                end=start + len(words),
                level=1,
                rank=0,
                style="unnumbered",
                number=n,
                marker="",
                text=words,
                run_in=False,
                id_part=grammar["id_format"].format(n=n),
            )
        )
    return parts
