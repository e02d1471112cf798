"""Text-layout forms of a report: how its copies look once pasted out of a PDF or a page.

:func:`lawgovkit.clean.clean` calls these on the normalised text, so every format gets them:

- :func:`remove_marks`: bidi controls (U+200E/F, U+202A-E, U+2066-9, U+061C) and combining
  marks left after NFKC (a mark on a Chinese character has no composed form) are removed;
  each line's removed marks are kept as a :class:`~lawgovkit.clean.Boilerplate` record of
  kind ``format_marks`` (``part="marks"``).
- :func:`remove_glosses`: the pinyin a copying site puts in brackets after some characters
  (``全区(qū)各级``, ``年(nian)度``) is removed when a text holds at least three such
  glosses; each line's glosses are kept as a ``pinyin_gloss`` record (``part="marks"``).
- :func:`join_spaced`: when most neighbouring Chinese characters in a text are separated by
  one space (a PDF extractor's artefact), those spaces go, and so do the spaces between
  single digits (``2 0 2 3``). A text with a few such spaces is left as it is.
- :func:`comma_headings`: when no line starts with a level-1 heading number and ``、``
  but lines start with ``一,`` ``二,``... in sequence, their comma is read as ``、`` (the
  comma is kept as a ``heading_comma`` record).
- :func:`rejoin_lines`: lines hard-wrapped at a page width (most lines end within two
  characters of the same width) are joined to the next line, and a paragraph broken by a
  page break (blank lines, a page number, a form feed) mid-sentence is joined again; page
  numbers in between stay on their own line, for the page chrome to remove.
- :func:`drop_second_copy`: a report pasted twice in one file is read once; the second
  copy's lines are kept as ``repeated_copy`` records.

Each is a general rule about layout, never about the wording of particular reports.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import cache

__all__ = [
    "comma_headings",
    "drop_second_copy",
    "join_spaced",
    "rejoin_lines",
    "remove_glosses",
    "remove_marks",
]

# One record of what was taken out: (kind, text, 1-based line number, part).
Removed = tuple[str, str, int, str]

_BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A space between two Chinese characters, found from the space: a literal the regex engine
# skips to (opening with the lookbehind, the pattern was tried at every position: 30x slower)
_SPACED_PAIR = re.compile(f" (?<=[{_HAN}] )(?=[{_HAN}])")
_ADJACENT_PAIR = re.compile(f"[{_HAN}](?=[{_HAN}])")
# A space beside a Chinese character whose other side is punctuation or a digit.
_SPACE_BY_HAN = re.compile(
    f"(?<=[{_HAN}]) (?=[\\d,.:;!?()\u3000-\u303f\u2018-\u201d\u2014\u2026《》])"
    f"|(?<=[\\d,.:;!?()\u3000-\u303f\u2018-\u201d\u2014\u2026《》]) (?=[{_HAN}])"
)
_SPACED_DIGITS = re.compile(r"(?<![\d.])\d(?: \d)+(?![\d.])")
_NUMERALS = "一二三四五六七八九十"
_LEVEL1_PAUSE = re.compile(f"^([{_NUMERALS}]+)、")
_LEVEL1_COMMA = re.compile(f"^([{_NUMERALS}]+),(?= ?\\S)")
# The start of a heading or an enumerated item: a paragraph that begins a line.
_NEW_PARAGRAPH = re.compile(
    f"^(?:[{_NUMERALS}]+[、,.]|\\([{_NUMERALS}\\d]+\\)|\\d+[.、](?!\\d)|"
    f"第[{_NUMERALS}\\d]+[部分章节条]|[{_NUMERALS}]+是|[①-⑳])"
)
_SENTENCE_END = tuple("。!?;:…”’」』》)】")
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页.*|\d{1,4}\s*/\s*\d{1,4})$"
)


def remove_marks(text: str) -> tuple[str, list[Removed]]:
    """Remove bidi controls and combining marks; a ``format_marks`` record per line.

    Examples
    --------
    >>> remove_marks("依\\u0301法\\u202e行政\\n二")
    ('依法行政\\n二', [('format_marks', '\\u0301\\u202e', 1, 'marks')])
    """
    if text.isascii():
        return text, []
    found = _marks_in(text)
    if not found:
        return text, []
    lines = text.split("\n")
    removed: list[Removed] = []
    for number, line in enumerate(lines, start=1):
        if found.isdisjoint(line):
            continue
        marks = [c for c in line if c in found]
        kept = "".join(c for c in line if c not in found)
        lines[number - 1] = " ".join(kept.split())
        removed.append(("format_marks", "".join(marks), number, "marks"))
    return "\n".join(lines), removed


# The vowels with tone marks, and the same without them
_TONED, _PLAIN = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ", "aaaaeeeeiiiioooouuuuüüüü"
# A pinyin gloss after a Chinese character: 「区(qū)」, 「年(nian)」 (found from its bracket)
_GLOSS = re.compile(f"\\((?<=[{_HAN}]\\()([a-z{_TONED}ü]{{1,6}})\\)")
# A Mandarin syllable without its tone: an optional initial and a final
_SYLLABLE = re.compile(
    "(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?"
    "(?:iang|iong|uang|ang|eng|ing|ong|iao|ian|uai|uan|üan|ai|ei|ao|ou|an|en|in|un|ün"
    "|ia|ie|iu|ua|uo|ui|ue|üe|er|a|o|e|i|u|ü)"
)
_TONELESS = str.maketrans(_TONED, _PLAIN)
# Fewer glosses than this in a text are read as the text's own words in brackets
_GLOSSES_MIN = 3


def remove_glosses(text: str) -> tuple[str, list[Removed]]:
    """Remove the pinyin glosses a copying site inserted; a ``pinyin_gloss`` record per line.

    Only when the text holds at least three, each a valid syllable: a report's own
    bracketed Latin (``(GDP)``, ``(app)``) is never a lowercase syllable three times over.

    Examples
    --------
    >>> text, removed = remove_glosses("全区(qū)各级(jí)政府\\n内(nèi)蒙古")
    >>> text
    '全区各级政府\\n内蒙古'
    >>> removed
    [('pinyin_gloss', '(qū)(jí)', 1, 'marks'), ('pinyin_gloss', '(nèi)', 2, 'marks')]
    >>> remove_glosses("开发移动应用(app)")[1]
    []
    """
    found = [
        match
        for match in _GLOSS.finditer(text)
        if _SYLLABLE.fullmatch(match.group(1).translate(_TONELESS))
    ]
    if len(found) < _GLOSSES_MIN:
        return text, []
    removed: dict[int, list[str]] = {}
    for match in found:
        line = text.count("\n", 0, match.start()) + 1
        removed.setdefault(line, []).append(match.group(0))
    kept, end = [], 0
    for match in found:
        kept.append(text[end : match.start()])
        end = match.end()
    kept.append(text[end:])
    records = [("pinyin_gloss", "".join(g), line, "marks") for line, g in removed.items()]
    return "".join(kept), records


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@cache
def _character_classes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Two patterns made once per process from this Python's Unicode tables, over the
    Basic Multilingual Plane: a run of wide characters (East Asian Width W or F); any bidi
    control or combining mark (categories Mn, Me). A text holding
    characters beyond that plane has them looked up one by one (:data:`_ASTRAL`)."""
    wide: list[int] = []
    marks: list[int] = []
    for code in range(0x10000):
        c = chr(code)
        if unicodedata.east_asian_width(c) in "WF":
            wide.append(code)
        if c in _BIDI or unicodedata.category(c) in ("Mn", "Me"):
            marks.append(code)
    return re.compile(f"[{_ranges(wide)}]+"), re.compile(f"[{_ranges(marks)}]")


def _ranges(codes: list[int]) -> str:
    """A character class's body for the sorted code points ``codes``, as ranges."""
    parts: list[str] = []
    start = previous = codes[0]
    for code in [*codes[1:], -1]:
        if code != previous + 1:
            parts.append(f"\\u{start:04x}" + (f"-\\u{previous:04x}" if previous > start else ""))
            start = code
        previous = code
    return "".join(parts)


def _is_mark(c: str) -> bool:
    return c in _BIDI or unicodedata.category(c) in ("Mn", "Me")


def _marks_in(text: str) -> frozenset[str]:
    """The bidi controls and combining marks (categories Mn, Me) in ``text``."""
    found = set(_character_classes()[1].findall(text))
    if _ASTRAL.search(text):
        found.update(c for c in _ASTRAL.findall(text) if _is_mark(c))
    return frozenset(found)


def join_spaced(text: str) -> str:
    """Remove the spaces a PDF extractor put between characters, when the text shows it:
    more neighbouring Chinese characters separated by one space than side by side.

    Examples
    --------
    >>> join_spaced("某 区 2 0 2 3 年 度 法 治 政 府 建 设 报 告\\n字号 大 中 小")
    '某区2023年度法治政府建设报告\\n字号大中小'
    >>> join_spaced("字号 大 中 小\\n某区依法行政")
    '字号 大 中 小\\n某区依法行政'
    """
    spaced = len(_SPACED_PAIR.findall(text))
    if spaced < 10 or spaced <= len(_ADJACENT_PAIR.findall(text)):
        return text
    text = _SPACED_PAIR.sub("", text)
    text = _SPACE_BY_HAN.sub("", text)
    return _SPACED_DIGITS.sub(lambda m: m.group(0).replace(" ", ""), text)


def comma_headings(text: str) -> tuple[str, list[Removed]]:
    """Read ``一,`` ``二,``... at line starts as level-1 headings ``一、`` ``二、`` when the
    text has no ``一、`` headings and such lines follow in sequence from 一.

    Examples
    --------
    >>> comma_headings("一,主要举措\\n依法行政。\\n二,存在的问题")
    ('一、主要举措\\n依法行政。\\n二、存在的问题', [('heading_comma', ',', 1, 'marks'), \
('heading_comma', ',', 3, 'marks')])
    >>> comma_headings("一、主要举措\\n一,是")[0]
    '一、主要举措\\n一,是'
    """
    lines = text.split("\n")
    if any(_LEVEL1_PAUSE.match(line) for line in lines):
        return _mixed_comma_headings(lines)
    found = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _LEVEL1_COMMA.match(line))]
    if not found or not _in_sequence([numeral for _, numeral in found]):
        return text, []
    if len(found) == 1 and (len(lines[found[0][0]]) > 30 or "。" in lines[found[0][0]]):
        return text, []  # one such line only: when it reads as a heading
    removed: list[Removed] = []
    for i, numeral in found:
        lines[i] = numeral + "、" + lines[i][len(numeral) + 1 :]
        removed.append(("heading_comma", ",", i + 1, "marks"))
    return "\n".join(lines), removed


def _mixed_comma_headings(lines: list[str]) -> tuple[str, list[Removed]]:
    """In a text with ``一、`` headings, a line ``二,…`` (no full stop) right after ``一、``
    and before ``三、`` is the missing heading typed with a comma.

    Examples
    --------
    >>> _mixed_comma_headings(["一、成效", "好。", "二,问题", "少。", "三、计划"])[0]
    '一、成效\\n好。\\n二、问题\\n少。\\n三、计划'
    >>> _mixed_comma_headings(["一、成效", "一,是加强领导"])[0]
    '一、成效\\n一,是加强领导'
    """
    removed: list[Removed] = []
    previous = 0
    for i, line in enumerate(lines):
        match = _LEVEL1_PAUSE.match(line) or _LEVEL1_COMMA.match(line)
        if match is None:
            continue
        numeral = match.group(0).rstrip("、,")
        value = _COUNTING.index(numeral) + 1 if numeral in _COUNTING else 0
        if line[len(numeral)] == "," and value == previous + 1 and "。" not in line:
            lines[i] = numeral + "、" + line[len(numeral) + 1 :]
            removed.append(("heading_comma", ",", i + 1, "marks"))
        if lines[i][len(numeral)] == "、":
            previous = value
    return "\n".join(lines), removed


_COUNTING = [*_NUMERALS, *(f"十{n}" for n in _NUMERALS[:9]), "二十"]


def _in_sequence(numerals: list[str]) -> bool:
    """Whether heading numerals count 一, 二, 三... (starting again at 一 for each part;
    one number may be missing, as in real reports).

    Examples
    --------
    >>> _in_sequence(["一", "二", "三", "一", "二"]), _in_sequence(["一", "三", "四"])
    (True, True)
    >>> _in_sequence(["二", "三"]), _in_sequence(["一", "四"]), _in_sequence(["一", "一"])
    (False, False, True)
    """
    previous = 0
    for numeral in numerals:
        if numeral not in _COUNTING:
            return False
        value = _COUNTING.index(numeral) + 1
        if value != 1 and not (previous and previous < value <= previous + 2):
            return False
        previous = value
    return True


_WIDE_PUNCTUATION = frozenset(",:;!?()")
_NOT_WIDE_PUNCTUATION = re.compile("[^,:;!?()\n]+")


class _Widths:
    """The display widths of lines, both ways, kept by line: two columns for a Chinese
    character, one for the rest; and the same with two for the punctuation NFKC made
    half-width (beside Chinese characters in the source it took two). The wide characters
    and the wide punctuation of many lines are counted with one regular expression each;
    a line holding characters beyond the Basic Multilingual Plane is measured character
    by character.

    Examples
    --------
    >>> _Widths().of("依法,行政a")
    (10, 11)
    """

    def __init__(self) -> None:
        self.known: dict[str, tuple[int, int]] = {}

    def of_lines(self, lines: list[str]) -> list[tuple[int, int]]:
        """:meth:`of` each of ``lines`` (none holding a line break)."""
        if not lines:
            return []
        text = "\n".join(lines)
        if _ASTRAL.search(text):
            return [self.of(line) for line in lines]
        narrow = _character_classes()[0].sub("", text).split("\n")
        punctuation = _NOT_WIDE_PUNCTUATION.sub("", text).split("\n")
        for line, n, p in zip(lines, narrow, punctuation, strict=True):
            wide = 2 * len(line) - len(n)  # each wide character counts twice
            self.known[line] = (wide, wide + len(p))
        return [self.known[line] for line in lines]

    def of(self, line: str) -> tuple[int, int]:
        """(columns, columns with the wide punctuation) of ``line``."""
        known = self.known.get(line)
        if known is None:
            if _ASTRAL.search(line):
                wide = sum(unicodedata.east_asian_width(c) in "WF" for c in line)
            else:
                wide = len(line) - len(_character_classes()[0].sub("", line))
            wide += len(line)
            punctuation = sum(c in _WIDE_PUNCTUATION for c in line)
            known = self.known[line] = (wide, wide + punctuation)
        return known


def _wrap_width(sizes: list[int], tolerance: int, least: int) -> int | None:
    """The size lines were hard-wrapped at, if they were: the size (within ``tolerance``)
    most lines end at, shared by at least four lines and 30 % of the lines, and exceeded by
    hardly any (one line, or 2 %)."""
    if len(sizes) < 6:
        return None
    ordered = sorted(sizes)
    best, best_count = None, 0
    for size in sorted(set(ordered)):
        if size < least:  # narrower than any page a report is printed on
            continue
        count = bisect_right(ordered, size) - bisect_left(ordered, size - tolerance)
        if count >= best_count:
            best, best_count = size, count
    if best is None or best_count < max(4, 0.3 * len(sizes)):
        return None
    # a wrapped text has (almost) no line longer than its width
    if len(ordered) - bisect_right(ordered, best) > max(1, 0.02 * len(sizes)):
        return None
    return best


class _Edge:
    """Where a text's lines were wrapped, by characters (a plain-text wrap) or by display
    columns (a PDF's text layer: Chinese characters take two); None when not wrapped."""

    def __init__(self, lines: list[str]) -> None:
        content = [line for line in lines if line]
        self.widths = _Widths()
        columns = self.widths.of_lines(content)
        self.chars = _wrap_width([len(line) for line in content], 1, 16)
        self.columns = {
            wide: _wrap_width([width[wide] for width in columns], 3, 32) for wide in (False, True)
        }
        if not self:
            return
        # a wrap cuts sentences anywhere: most lines at the edge end mid-sentence
        edge = [line for line in content if self.reached(line, strict=False)]
        if sum(line.endswith(_SENTENCE_END) for line in edge) * 2 > len(edge):
            self.chars, self.columns = None, dict.fromkeys(self.columns)

    def __bool__(self) -> bool:
        return self.chars is not None or any(w is not None for w in self.columns.values())

    def reached(self, line: str, *, strict: bool) -> bool:
        """Whether ``line`` runs to the wrap width (``strict``: to the last character)."""
        if self.chars is not None and len(line) >= self.chars - (0 if strict else 1):
            return True
        return any(
            width is not None and self.widths.of(line)[wide] >= width - (2 if strict else 3)
            for wide, width in self.columns.items()
        )


def rejoin_lines(text: str) -> tuple[str, list[int]]:
    """Join hard-wrapped lines and paragraphs broken by a page; see the module docstring.

    Returns the text and, for each of its lines, the 1-based number of the input line it
    starts with (to number page chrome found in the joined text by the input's lines).

    Examples
    --------
    >>> text = "我区深入推进依法行政,法治政府建设取得了\\n\\n- 2 -\\n\\n新成效。二、问题"
    >>> rejoin_lines(text)
    ('我区深入推进依法行政,法治政府建设取得了新成效。二、问题\\n\\n- 2 -\\n', [1, 2, 3, 4])
    """
    lines = text.split("\n")
    edge = _Edge(lines)
    out: list[str] = []
    numbers: list[int] = []
    i = 0
    while i < len(lines):
        line, number = lines[i], i + 1
        i += 1
        gap: list[int] = []  # blank and page-number lines between this line and the next
        while line:
            j = i
            while j < len(lines) and (not lines[j] or _PAGE_NUMBER.match(lines[j])):
                j += 1
            if j >= len(lines) or not _continues(lines[i - 1], lines[j], edge, lines[i:j]):
                break
            gap += list(range(i, j))
            # Chinese joins directly; words of Latin script keep a space between them
            end, start = line[-1:], lines[j][:1]
            latin = end.isascii() and end.isalpha() and start.isascii() and start.isalpha()
            line += (" " if latin else "") + lines[j]
            i = j + 1
        out.append(line)
        numbers.append(number)
        for k in gap:  # the page's blank lines and numbers, after the joined paragraph
            out.append(lines[k])
            numbers.append(k + 1)
    return "\n".join(out), numbers


def _continues(line: str, following: str, edge: _Edge, gap: list[str]) -> bool:
    """Whether ``following`` continues the paragraph whose last line is ``line``, with the
    blank and page-number lines ``gap`` between them."""
    starts_new = bool(_NEW_PARAGRAPH.match(following))
    ends_sentence = line.endswith(_SENTENCE_END)
    if not gap:  # wrapped: the line ran to the edge, unless a sentence and a paragraph end
        return (
            bool(edge)
            and edge.reached(line, strict=ends_sentence)
            and not (ends_sentence and starts_new)
        )
    # across a page break (a page number between): only a sentence cut mid-way, not a
    # heading (a numbered line without a full stop)
    if ends_sentence or starts_new or not re.match(f"[{_HAN}]", following):
        return False
    heading = bool(_NEW_PARAGRAPH.match(line)) and "。" not in line
    return not heading and any(_PAGE_NUMBER.match(g) for g in gap)


def drop_second_copy(
    lines: list[str], number_of: Callable[[int], int]
) -> tuple[list[str], list[Removed]]:
    """The lines without a second copy of the report pasted after the first.

    A copy is found when the first sentence line (holding 「。」, 20 characters or more)
    comes again later and every line from it to the end of the first copy is repeated
    from there; the few lines before it (the copy's title and page chrome) go with it.
    ``number_of(i)`` gives the input line number of line ``i`` for the ``repeated_copy`` records.

    Examples
    --------
    >>> lines = ["某区报告", "我区深入推进依法行政,法治政府建设取得了新成效。", "一、问题"]
    >>> lines.append("执法力量不足。")
    >>> kept, removed = drop_second_copy(lines * 2, lambda i: i + 1)
    >>> kept == lines, [r[2] for r in removed]
    (True, [5, 6, 7, 8])
    """
    first = next((i for i, line in enumerate(lines) if "。" in line and len(line) >= 20), None)
    if first is None:
        return lines, []
    again = next((j for j in range(first + 1, len(lines)) if lines[j] == lines[first]), None)
    if again is None:
        return lines, []
    matched = 0  # lines of the first copy, from its first sentence, found again there
    while again + matched < len(lines) and lines[first + matched] == lines[again + matched]:
        matched += 1
    start, stop = first + matched, again + matched  # the second copy, its head lines first
    # the first copy must be repeated whole: the lines between its end and the second
    # copy's first sentence are that copy's head (title, page chrome), a few at most
    if matched < 3 or again - start > first + 5:
        return lines, []
    removed = [("repeated_copy", lines[i], number_of(i), "line") for i in range(start, stop)]
    return lines[:start] + lines[stop:], removed
