"""Decoded text → cleaned text: one form for every report, page chrome set aside.

Three steps, each a public function:

1. :func:`normalise` makes every copy of a report look alike: line endings become ``\\n``;
   full-width ASCII, digits and brackets become half-width (``（一）`` → ``(一)``,
   ``１．`` → ``1.``, ``，：；`` → ``,:;``) by Unicode NFKC, except for the characters in
   :data:`KEPT_FORMS` (circled numbers and the ellipsis, which NFKC would flatten into
   digits and dots); zero-width characters and control characters go, other line
   separators become ``\\n``; each line is stripped and its runs of spaces collapse to one.
   Chinese punctuation without a half-width twin stays as it is: ``。、“”‘’《》【】〔〕—``.
2. :func:`simplify` converts traditional characters to simplified ones (OpenCC ``t2s``)
   when the text is written in traditional characters, and says which script it found.
3. :func:`strip_boilerplate` removes page chrome (publication lines, 字号 大 中 小,
   【下载】【打印】, 扫一扫, breadcrumbs, 索引号 blocks, repeated title lines...) using the
   patterns in ``lawgovkit/data/boilerplate.json``, and drops blank lines: the cleaned
   text holds one paragraph or heading per line and ends with ``\\n``.

Nothing is lost silently: every non-blank line of the normalised input is either a line
of the cleaned text, or the ``text`` of a :class:`Boilerplate` record (``part="line"``),
or such a record's text glued to the start (``part="start"``) or end (``part="end"``) of
a line of the cleaned text.
"""

from __future__ import annotations

import dataclasses
import html
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from lawgovkit._data import read_json
from lawgovkit._patterns import required_characters

__all__ = [
    "KEPT_FORMS",
    "Boilerplate",
    "CleanText",
    "clean",
    "normalise",
    "page_fields",
    "simplify",
    "strip_boilerplate",
]

#: Characters NFKC would change that carry meaning in reports: circled enumerators (NFKC
#: makes ① a bare "1", losing the enumeration) and the ellipsis "…" (NFKC: "..."). The
#: parenthesised forms (⑴, ㈠) are left to NFKC, which writes them as "(1)", "(一)".
KEPT_FORMS = frozenset("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳…")

# Line separators other than "\n" that str.splitlines() honours: their characters (looking
# for each in turn is quick; a search for _LINE_BREAKS is not), and the pattern of them.
_LINE_BREAK_CHARS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAKS = re.compile(f"\r\n|[{_LINE_BREAK_CHARS}]")
# Zero-width characters, byte-order marks, other control characters and lone surrogates.
_INVISIBLE = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]"
)
_BRACKETS_SPACES = re.compile(r"[\s【】\[\]]")
_KEPT_RUN = re.compile("([" + "".join(sorted(KEPT_FORMS)) + "])")
# An HTML character reference left in a text copied from a web page (5&permil;, &mdash;,
# &#8240;): decoded as a browser shows it. Unknown names are left as they are, and so is
# &amp; (R&amp;D), so that normalising twice changes nothing (&amp;permil; stays).
_CHARACTER_REFERENCE = re.compile(
    r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"
)
# Share of CJK characters that OpenCC t2s must change before a text counts as traditional.
_TRADITIONAL_SHARE = 0.02
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Boilerplate:
    """A piece of page chrome removed from a report, kept for audit.

    Attributes
    ----------
    kind : str
        What it is: ``publish_info``, ``font_size``, ``print_download``, ``qr_code``,
        ``index_block``, ``breadcrumb``, ``share``, ``repeated_title``... (see
        ``lawgovkit/data/boilerplate.json``).
    text : str
        The removed text, as it stood in the normalised input.
    line : int
        Its 1-based line number in the normalised input.
    part : str
        ``"line"`` when the whole line was chrome, ``"start"``/``"end"`` when the chrome
        was glued to the start or end of a content line (the rest stays in the text),
        ``"marks"`` for characters taken out of a line (bidi controls and combining marks,
        kind ``format_marks``; a heading's comma read as 、, kind ``heading_comma``;
        pinyin glosses, kind ``pinyin_gloss``; see :mod:`lawgovkit.layout`).
    """

    kind: str
    text: str
    line: int
    part: str = "line"


@dataclass(frozen=True)
class CleanText:
    """The result of :func:`clean`: cleaned text, the chrome removed, the source script."""

    text: str
    boilerplate: tuple[Boilerplate, ...]
    script: str


def normalise(text: str) -> str:
    """One form for every copy of a text (line structure kept, blank lines kept).

    Parameters
    ----------
    text : str
        Decoded text, in any width, with any line endings.

    Returns
    -------
    str
        The text with half-width ASCII/digits/brackets, ``\\n`` line endings, no
        invisible characters, HTML character references left by a copy from a web page
        decoded (``5&permil;`` → ``5‰``), lines stripped and inner spaces collapsed.

    Examples
    --------
    >>> normalise("（一）加强领导，１．完善制度：\\r\\n二、　问题 ")
    '(一)加强领导,1.完善制度:\\n二、 问题'
    >>> normalise("人口自然增长率控制在5&permil;以内&mdash;&mdash;&#8240;, &unknown;")
    '人口自然增长率控制在5‰以内——‰, &unknown;'
    """
    text = _unify_line_breaks(text)
    if "&" in text:
        text = _CHARACTER_REFERENCE.sub(_character, text)
    text = _INVISIBLE.sub("", text)
    if _KEPT_RUN.search(text) is None:  # most texts: NFKC the whole, no pieces to join
        text = unicodedata.normalize("NFKC", text)
    else:
        pieces = _KEPT_RUN.split(text)
        text = "".join(p if p in KEPT_FORMS else unicodedata.normalize("NFKC", p) for p in pieces)
    # NFKC can produce new line breaks (e.g. from compatibility characters): unify again.
    text = _unify_line_breaks(text)
    # Each run of spaces becomes one and the line is stripped: str.split() cuts at runs of
    # whitespace and drops those at the ends (several times faster than a regex per line).
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def _character(reference: re.Match[str]) -> str:
    character = html.unescape(reference.group())
    return reference.group() if character == "&" else character


def _unify_line_breaks(text: str) -> str:
    """``text`` with every line separator written ``\\n``."""
    if not any(c in text for c in _LINE_BREAK_CHARS):  # most texts: only "\n" breaks
        return text
    return _LINE_BREAKS.sub("\n", text)


@cache
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def simplify(text: str) -> tuple[str, str]:
    """Convert traditional characters to simplified ones, and name the source script.

    The text counts as ``"traditional"`` when OpenCC's ``t2s`` conversion changes at
    least 2 % of its CJK characters; only then is it converted (simplified text is
    returned unchanged, so no simplified character is ever "corrected").

    Parameters
    ----------
    text : str
        Normalised text.

    Returns
    -------
    tuple of (str, str)
        The simplified text and ``"traditional"`` or ``"simplified"``.

    Examples
    --------
    >>> simplify("二、存在的問題和原因")
    ('二、存在的问题和原因', 'traditional')
    >>> simplify("二、存在的问题")
    ('二、存在的问题', 'simplified')
    """
    converted = _converter("t2s").convert(text)
    if converted == text:  # nothing to convert (most reports): no CJK count needed
        return text, "simplified"
    n_cjk = len(_CJK.findall(text))
    if n_cjk == 0:
        return text, "simplified"
    if len(converted) != len(text):  # phrase conversions changed the length: count loosely
        changed = abs(len(converted) - len(text)) + 1
    else:
        changed = sum(a != b for a, b in zip(text, converted, strict=True))
    if changed / n_cjk >= _TRADITIONAL_SHARE:
        return converted, "traditional"
    return text, "simplified"


@cache
def _rules() -> dict:
    data = read_json("boilerplate.json")
    labels = sorted(data["fields"], key=lambda s: (-len(s), s))
    label_re = "|".join(re.escape(s) for s in labels)
    tools = sorted(data["tools"], key=lambda s: (-len(s), s))
    tool_re = "|".join(re.escape(t).replace(r"\ ", r"\s*") for t in tools)
    sep = "[" + data["tool_separators"] + "]"
    return {
        "fields": data["fields"],
        "field": re.compile(rf"({label_re})\s*:\s*(.*?)\s*(?=(?:[\s【\[]*(?:{label_re})\s*:)|$)"),
        "field_start": re.compile(rf"^[【\[]?\s*(?:{label_re})\s*:"),
        "value_max": data["field_value_max_chars"],
        "value_strip": data["field_value_strip"],
        "leading_date": re.compile(data["leading_date"] + rf"\s*(?=(?:{label_re})\s*:)"),
        "leading_date_label": data["leading_date_label"],
        "line_max": data["field_line_max_chars"],
        "tools": data["tools"],
        "tool_line": re.compile(rf"^(?:{sep}*(?:{tool_re}))+{sep}*$"),
        "tool": re.compile(tool_re),
        "lines": [
            (p["kind"], re.compile(p["pattern"]), p.get("region", "all")) for p in data["lines"]
        ],
        "starts": [(p["kind"], re.compile(p["pattern"])) for p in data["starts"]],
        "ends": [_end_rule(p["kind"], p["pattern"]) for p in data["ends"]],
        "title_max": data["repeated_title_max_chars"],
        "head_max": data["head_max_lines"],
        "split_kinds": frozenset(data["label_value_split_kinds"]),
    }


def _end_rule(kind: str, source: str) -> tuple[str, re.Pattern[str], re.Pattern[str] | None]:
    """An ``ends`` rule: its kind, its pattern (anchored at the line's end), and a class of
    the characters every match holds one of (:func:`required_characters`), so that the
    lines without any are passed over: most patterns must be tried at every position."""
    pattern = re.compile(source + "$")
    needed = required_characters(pattern)
    return kind, pattern, re.compile(f"[{re.escape(needed)}]") if needed else None


def page_fields(line: str) -> list[tuple[str, str]]:
    """The ``label:value`` pairs of a page-information line, in order.

    Parameters
    ----------
    line : str
        One normalised line, e.g. a :class:`Boilerplate` record's text.

    Returns
    -------
    list of (str, str)
        The pairs found (labels from ``boilerplate.json``); empty when the line is not
        made only of such pairs, or a value is too long or holds a full stop.

    Examples
    --------
    >>> page_fields("发布时间:2022-03-01 11:55 信息来源:县司法局")
    [('发布时间', '2022-03-01 11:55'), ('信息来源', '县司法局')]
    >>> page_fields("来源于群众的意见,我们认真办理。")
    []
    """
    return list(_page_fields(line))


@lru_cache(maxsize=1024)  # a chrome line is read when stripped, then twice for metadata
def _page_fields(line: str) -> tuple[tuple[str, str], ...]:
    rules = _rules()
    stripped = line.strip().strip("【】[]").strip()
    if len(stripped) > rules["line_max"]:
        return ()
    pairs: list[tuple[str, str]] = []
    leading = rules["leading_date"].match(stripped)
    if leading:  # "2023-03-31 10:25 来源:区司法局": a date before the first label
        pairs.append((rules["leading_date_label"], leading.group(1)))
        stripped = stripped[leading.end() :]
    if not rules["field_start"].match(stripped):
        return ()
    matches = list(rules["field"].finditer(stripped))
    pairs += [(m.group(1), m.group(2).strip(rules["value_strip"])) for m in matches]
    covered = "".join(m.group(0) for m in matches)
    if not matches or _BRACKETS_SPACES.sub("", covered) != _BRACKETS_SPACES.sub("", stripped):
        return ()
    if any(len(v) > rules["value_max"] or "。" in v for _, v in pairs):
        return ()
    return tuple(pairs)


def _line_kind(line: str, in_head: bool) -> str | None:
    """The chrome kind of a whole line, or None when it is (or may be) content."""
    rules = _rules()
    if "。" in line and not rules["field_start"].match(line):
        return None
    pairs = _page_fields(line)
    if pairs:
        return rules["fields"][pairs[0][0]]
    if rules["tool_line"].match(line):
        first = rules["tool"].search(line)
        return rules["tools"].get(first.group(0), "page_tools") if first else "page_tools"
    for kind, pattern, region in rules["lines"]:
        if region == "head" and not in_head:
            continue
        if pattern.fullmatch(line):
            return kind
    return None


def _is_body_line(line: str) -> bool:
    """A line that starts the report's body: a sentence, or long running text."""
    return "。" in line or len(line) > 60


def strip_boilerplate(text: str) -> tuple[str, tuple[Boilerplate, ...]]:
    """Remove page chrome and blank lines from normalised text.

    Parameters
    ----------
    text : str
        Normalised (and simplified) text, see :func:`normalise`.

    Returns
    -------
    tuple of (str, tuple of Boilerplate)
        The cleaned text (one non-blank line per paragraph, ending with ``\\n``, or ``""``)
        and the removed pieces, in input order.

    Examples
    --------
    >>> page = "某区2023年度报告\\n字号:\\n大 中 小2023年,我区推进法治。\\n【下载】【打印】"
    >>> text, removed = strip_boilerplate(page)
    >>> text
    '某区2023年度报告\\n2023年,我区推进法治。\\n'
    >>> for b in removed:
    ...     print(b.kind, b.text, b.line, b.part)
    font_size 字号: 2 line
    font_size 大 中 小 3 start
    print_download 【下载】【打印】 4 line
    """
    rules = _rules()
    kept: list[str] = []
    removed: list[Boilerplate] = []
    in_head = True
    title: str | None = None
    n_nonblank = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line:
            continue
        n_nonblank += 1
        if n_nonblank > rules["head_max"]:
            in_head = False
        kind = _line_kind(line, in_head)
        if kind is None and in_head and title is not None and line == title:
            kind = "repeated_title"
        if kind in (None, "date_line") and in_head and _awaits_value(removed, number):
            kind = removed[-1].kind  # "成文日期:" on one line, its value on the next
        if kind is not None:
            removed.append(Boilerplate(kind, line, number))
            continue
        line = _strip_glued(line, number, removed)
        if not line:
            continue
        if title is None and in_head and len(line) <= rules["title_max"] and "。" not in line:
            title = line
        if _is_body_line(line):
            in_head = False
        kept.append(line)
    cleaned = "".join(line + "\n" for line in kept)
    return cleaned, tuple(removed)


def _awaits_value(removed: list[Boilerplate], number: int) -> bool:
    """True when the line before was an index-block label without its value."""
    if not removed or removed[-1].part != "line" or removed[-1].kind not in _rules()["split_kinds"]:
        return False
    if removed[-1].line >= number - 2:  # allow one blank line between label and value
        pairs = page_fields(removed[-1].text)
        return bool(pairs) and pairs[-1][1] == ""
    return False


def _strip_glued(line: str, number: int, removed: list[Boilerplate]) -> str:
    """Cut chrome glued to the start or end of a content line; record what was cut."""
    rules = _rules()
    for kind, pattern in rules["starts"]:
        match = pattern.match(line)
        if match and match.end() > 0:
            removed.append(Boilerplate(kind, match.group(0).strip(), number, "start"))
            line = line[match.end() :].strip()
            break
    for kind, pattern, needed in rules["ends"]:
        if needed is not None and needed.search(line) is None:
            continue
        match = pattern.search(line)
        if match and match.start() > 0 and match.group(0).strip():
            removed.append(Boilerplate(kind, match.group(0).strip(), number, "end"))
            line = line[: match.start()].strip()
            break
    return line


def clean(raw: str) -> CleanText:
    """Normalise, simplify and strip a decoded text.

    Parameters
    ----------
    raw : str
        The text as read from a file (see :mod:`lawgovkit.readers`).

    Returns
    -------
    CleanText
        ``text`` (cleaned), ``boilerplate`` (what was removed) and ``script``
        (``"traditional"`` or ``"simplified"``, what the source was written in).

    Examples
    --------
    >>> result = clean("某縣2022年度法治政府建設報告\\r\\n發布日期:2023-03-01\\r\\n（一）加強。")
    >>> result.text
    '某县2022年度法治政府建设报告\\n(一)加强。\\n'
    >>> result.script, result.boilerplate[0].kind
    ('traditional', 'publish_info')
    """
    from lawgovkit.layout import remove_glosses, remove_marks

    # marks go before NFKC, which would compose one with a Latin letter before it
    unmarked, marks = remove_marks(_unify_line_breaks(raw))
    simplified, script = simplify(normalise(unmarked))
    simplified, glosses = remove_glosses(simplified)
    records = [Boilerplate(*m) for m in [*marks, *glosses]]
    text, boilerplate = _clean_layout(simplified, records)
    return CleanText(text, boilerplate, script)


def _clean_layout(
    normalised: str, records: list[Boilerplate]
) -> tuple[str, tuple[Boilerplate, ...]]:
    """:func:`strip_boilerplate`, with the text-layout forms of :mod:`lawgovkit.layout`
    undone around it (spaced characters, comma headings, hard wraps and page breaks, a
    second pasted copy); what they remove joins ``records`` and the page chrome, numbered
    by the lines of the normalised input."""
    from lawgovkit import layout

    text = layout.join_spaced(normalised)
    text, commas = layout.comma_headings(text)
    records = records + [Boilerplate(*r) for r in commas]
    joined, numbers = layout.rejoin_lines(text)
    cleaned, chrome = strip_boilerplate(joined)
    records += [dataclasses.replace(b, line=numbers[b.line - 1]) for b in chrome]
    kept = cleaned.split("\n")[:-1]
    kept, copies = layout.drop_second_copy(kept, _line_numbers(kept, joined, numbers))
    if copies:
        cleaned = "".join(line + "\n" for line in kept)
        records += [Boilerplate(*r) for r in copies]
    return cleaned, tuple(sorted(records, key=lambda b: b.line))


def _line_numbers(kept: list[str], joined: str, numbers: list[int]):
    """A function: index of a cleaned line -> number of the input line it came from."""
    found: list[int] = []
    lines = joined.split("\n")
    at = 0
    for line in kept:
        while at < len(lines) - 1 and line not in lines[at]:
            at += 1
        found.append(numbers[at] if at < len(numbers) else len(numbers))
        at += 1
    return lambda i: found[i]
