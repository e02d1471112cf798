"""Numbers in Chinese text: numerals read exactly, and the quantities a sentence states.

- :func:`parse_number` — an Arabic, Chinese or mixed numeral (``1,200``, ``3.5万``,
  ``一千二百``, ``二〇二三``, ``九十八点六``) as an exact :class:`~decimal.Decimal`.
- :func:`find_quantities` — every quantity stated in a text: a number followed by a measure
  word or a percent sign, with its approximation markers (余/多/约/以上…), a range
  (3至5个), whether it is a level, a change (同比增长12.3%) or a target (力争…达到…), and the
  noun phrase before it. Years, dates, document numbers (〔2023〕5号), ordinals, numbers in
  《》 or “” and the numbers of set phrases (三项制度) are not quantities.

The vocabulary (measure words, markers, cue verbs, set phrases) is in
``data/quantities.json``; this module is the small grammar that reads it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from lawgovkit._data import read_json

__all__ = ["Quantity", "find_quantities", "parse_number"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_DIGITS |= {"七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_LARGE_UNITS = {"万": 10**4, "亿": 10**8}
_CN = "零〇一二两三四五六七八九十百千万亿"
_CN_NUMBER = f"[{_CN}]+(?:点[零〇一二三四五六七八九]+)?"
_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+(?:\.\d+)?"
# Characters that end a sentence, and those that end a clause inside it.
_SENTENCE_ENDS = "。！？!?;；\n"
_SENTENCE_END = re.compile(f"[{_SENTENCE_ENDS}]")
_CLAUSE_END = re.compile(r"[。！？!?;；\n,，、:：]")
# Full-width ASCII forms (９８.６％，) to half-width, one character for one: offsets stay.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_QUOTED = re.compile(r"《[^《》\n]*》|“[^“”\n]*”|\"[^\"\n]*\"")


def parse_number(text: str) -> Decimal:
    """The value of a numeral, exactly.

    Parameters
    ----------
    text : str
        Arabic digits (thousands commas allowed), Chinese numerals (with 点 for a decimal
        point, 两 for two, 〇/零), a digit string (二〇二三), or Arabic digits followed by
        the multipliers 十/百/千/万/亿 (``3.5万``).

    Returns
    -------
    Decimal

    Raises
    ------
    ValueError
        When the text is not a well-formed numeral (``三五``, ``十十``).

    Examples
    --------
    >>> parse_number("一千二百"), parse_number("3.5万"), parse_number("二〇二三")
    (Decimal('1200'), Decimal('35000.0'), Decimal('2023'))
    >>> parse_number("九十八点六"), parse_number("1,200"), parse_number("两百四十")
    (Decimal('98.6'), Decimal('1200'), Decimal('240'))
    """
    text = text.strip()
    match = re.fullmatch(rf"({_ARABIC})([十百千万亿]*)", text)
    if match:
        value = Decimal(match.group(1).replace(",", ""))
        for ch in match.group(2):
            value *= {**_SMALL_UNITS, **_LARGE_UNITS}[ch]
        return value
    if not text or any(ch not in _CN + "点" for ch in text):
        raise ValueError(f"not a numeral: {text!r}")
    whole, _, fraction = text.partition("点")
    if fraction and any(ch not in _DIGITS or ch == "两" for ch in fraction):
        raise ValueError(f"not a numeral: {text!r}")
    if not whole:
        raise ValueError(f"not a numeral: {text!r}")
    value = _whole_number(whole, text)
    if fraction:
        value += Decimal("0." + "".join(str(_DIGITS[ch]) for ch in fraction))
    return value


def _whole_number(text: str, full: str) -> Decimal:
    if len(text) > 1 and all(ch in _DIGITS for ch in text):  # a digit string: 二〇二三
        if "两" in text or (len(text) == 2 and not set(text) & {"〇", "零"}):  # 三五个: 3-5
            raise ValueError(f"not a numeral: {full!r}")
        return Decimal("".join(str(_DIGITS[ch]) for ch in text))
    for name, size in (("亿", 10**8), ("万", 10**4)):
        if name in text:
            high, _, low = text.rpartition(name)
            if not high.strip(name) and high:
                raise ValueError(f"not a numeral: {full!r}")
            high_value = _whole_number(high, full) if high else Decimal(1)
            if low and low[0] not in "零〇" and len(low) == 1 and low in _DIGITS:
                # 一万二 = 12000: a lone digit after 万/亿 counts the next lower unit
                return high_value * size + _DIGITS[low] * size // 10
            return high_value * size + (_whole_number(low, full) if low else 0)
    return Decimal(_below_ten_thousand(text, full))


def _below_ten_thousand(text: str, full: str) -> int:
    total, digit, last_unit = 0, None, 10**4
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and _DIGITS[ch] != 0 and digit != 0:
                raise ValueError(f"not a numeral: {full!r}")
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if unit >= last_unit:
                raise ValueError(f"not a numeral: {full!r}")
            if digit is None and (ch != "十" or total) and not (ch == "百" and text == "百"):
                raise ValueError(f"not a numeral: {full!r}")
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            raise ValueError(f"not a numeral: {full!r}")
    if digit:
        # 三千五 = 3500: a last digit after 千/百 without 零 counts the next lower unit
        after_unit = text[-2] in _SMALL_UNITS if len(text) > 1 else False
        total += digit * (last_unit // 10) if after_unit and last_unit > 10 else digit
    return total


@dataclass(frozen=True)
class Quantity:
    """One quantity found in a text; offsets are into that text."""

    value: float
    value_high: float | None
    unit: str | None
    kind: str
    approx: str | None
    indicator: str | None
    raw: str
    start: int
    end: int


@cache
def _vocabulary() -> dict[str, Any]:
    return read_json("quantities.json")


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _pattern() -> re.Pattern[str]:
    v = _vocabulary()
    number = rf"(?:{_ARABIC})(?: ?[十百千]?[万亿]{{1,2}}|[千百](?=[余多]))?|{_CN_NUMBER}"
    return re.compile(
        rf"(?P<before>{_alternatives(v['approx_before'])})?"
        rf"(?:(?P<per>百分之|千分之)(?P<pnum>{_CN_NUMBER}|{_ARABIC})"
        rf"|(?P<num>{number})(?P<approx>[余多])?(?P<mult>[万亿]{{0,2}})"
        rf"(?:(?P<sep>至|到|-|—|~|～)(?P<num2>{number})(?P<mult2>[万亿]{{0,2}}))?"
        rf"(?P<approx2>[余多])?(?: ?(?P<unit>{_alternatives(v['units'])}))?)"
        rf"(?: ?(?P<after>{_alternatives(v['approx_after'])}))?"
    )


def _is_year(match: re.Match[str], text: str) -> bool:
    """2023年, 二〇二三年, 2021-2025年, 2023年度: a year, not a quantity."""
    follows = text[match.end("num2") if match.group("num2") else match.end("num") :]
    if not follows.startswith("年"):
        return False
    digits = match.group("num2") or match.group("num")
    return bool(re.fullmatch(r"\d{4}|[零〇一二三四五六七八九]{4}", digits))


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _excluded(text: str, start: int, spans: list[tuple[int, int]]) -> bool:
    """An ordinal (第三次) or a number inside 《》, “” or a set phrase."""
    if start > 0 and text[start - 1] == "第":
        return True
    at = bisect.bisect_right(spans, (start, float("inf")))  # sorted, not overlapping
    return at > 0 and spans[at - 1][0] <= start < spans[at - 1][1]


def find_quantities(text: str, role: str | None = None) -> list[Quantity]:
    """Every quantity stated in ``text``, in order.

    Parameters
    ----------
    text : str
        A sentence, a paragraph or a whole report (full- or half-width punctuation).
    role : str, optional
        The role of the section the text comes from: in ``"plans"`` every quantity is a
        target.

    Returns
    -------
    list of Quantity
        ``value`` (a float; 万/亿 multiplied out; a change is negative when it falls),
        ``value_high`` (the upper end of a range, else None), ``unit`` (measure word,
        ``%``, ``‰`` or ``百分点``), ``kind`` (level, change or target), ``approx`` (the
        markers as written, e.g. ``余`` or ``约,以上``, else None), ``indicator`` (the
        noun phrase the number counts, else None), ``raw`` (the text read), ``start``,
        ``end``.

    Examples
    --------
    >>> found = find_quantities("受理行政复议案件一千二百余件。")
    >>> [(q.value, q.unit, q.approx, q.indicator) for q in found]
    [(1200.0, '件', '余', '行政复议案件')]
    >>> [(q.value, q.unit, q.kind) for q in find_quantities("同比下降12.3个百分点")]
    [(-12.3, '百分点', 'change')]
    >>> find_quantities("根据〔2023〕5号文件,二〇二三年3月15日召开会议。")
    []
    """
    text = text.translate(_HALF_WIDTH)
    spans = [m.span() for m in _QUOTED.finditer(text)]
    spans.extend(m.span() for m in _helpers()["set_phrases"].finditer(text))
    spans = _merged(spans)
    found: list[Quantity] = []
    for match in _pattern().finditer(text):
        quantity = _read(match, text, role, spans, found[-1].end if found else 0)
        if quantity is None:
            continue
        if quantity.indicator is None and found:
            # 办理案件356件,同比增长12.3%: a number without its own noun counts the one before
            previous = found[-1]
            if sentence_span(text, previous.start, previous.end)[1] >= quantity.end:
                quantity = replace(quantity, indicator=previous.indicator)
        found.append(quantity)
    return found


def _read(
    match: re.Match[str], text: str, role: str | None, spans: list[tuple[int, int]], floor: int
) -> Quantity | None:
    number_start = match.start("per") if match.group("per") else match.start("num")
    if match.group("per"):
        unit = "%" if match.group("per") == "百分之" else "‰"
        digits, multiplier, high = match.group("pnum"), "", None
    else:
        unit = match.group("unit")
        digits, multiplier = match.group("num").replace(" ", ""), match.group("mult") or ""
        if not unit and not re.search("[万亿]", digits + multiplier):
            return None  # a bare number counts nothing we can name (but 跨过100亿)
        if _is_year(match, text):
            return None
        high = match.group("num2")
    if _excluded(text, number_start, spans):
        return None
    if unit == "个" and text.startswith(tuple(_vocabulary()["structure_nouns"]), match.end()):
        return None  # 以下八个方面: parts of the text
    if digits == "一" and not multiplier and not match.group("approx"):
        return None  # 一批, 一项, 一个: an article, not a count
    no_digit = digits[0] in _CN and not any(ch in _DIGITS for ch in digits)
    if no_digit and digits not in "十百" and not match.group("before"):
        return None  # 千家万户, 万人: a word, not a number (but 近万人, 十余个)
    try:
        value = parse_number(digits + multiplier)
        value_high = None
        if high:
            high = high.replace(" ", "")
            value_high = parse_number(high + (match.group("mult2") or multiplier))
            if not match.group("mult2") and multiplier and value_high < value:
                value_high = parse_number(high + multiplier)
    except (ValueError, InvalidOperation):
        return None
    v = _vocabulary()
    unit = v["unit_forms"].get(unit, unit) if unit else None
    markers = [
        m for m in (match.group("before"), match.group("approx"), match.group("approx2")) if m
    ]
    if match.group("after"):
        markers.append(match.group("after"))
    start = match.start()
    clause_start = max(_clause_start(text, start), floor)
    kind, sign = _kind(text[clause_start:start], unit, role)
    raw = text[start : match.end()]
    return Quantity(
        value=float(value) * sign,
        value_high=None if value_high is None else float(value_high) * sign,
        unit=unit,
        kind=kind,
        approx=",".join(markers) or None,
        indicator=_indicator(text, clause_start, start, match.end()),
        raw=raw,
        start=start,
        end=match.end(),
    )


def _clause_start(text: str, position: int) -> int:
    last = None
    for m in _CLAUSE_END.finditer(text, max(0, position - 80), position):
        last = m
    return last.end() if last else max(0, position - 80)


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of ``text`` around ``start:end`` (ends at 。；！？ or a line break)."""
    begin = max(text.rfind(ch, 0, start) for ch in _SENTENCE_ENDS) + 1
    after = _SENTENCE_END.search(text, end)
    return begin, (after.end() if after else len(text))


@cache
def _helpers() -> dict[str, re.Pattern[str]]:
    v = _vocabulary()
    return {
        "filler": re.compile(rf"(?:{_alternatives(['了', '约', '近', '超过', '超', '逾'])})+$"),
        "up": re.compile(rf"(?:{_alternatives(v['change_up'])})$"),
        "down": re.compile(rf"(?:{_alternatives(v['change_down'])})$"),
        "trail": re.compile(
            rf"(?:{_alternatives(v['trail_words'] + v['change_up'] + v['change_down'])})$"
        ),
        "lead": re.compile(rf"^(?:{_alternatives(v['lead_words'])})"),
        "verb": re.compile(rf"(?:{_alternatives(v['lead_words'])})"),
        "set_phrases": re.compile(_alternatives(v["set_phrases"])),
    }


def _kind(before: str, unit: str | None, role: str | None) -> tuple[str, int]:
    v = _vocabulary()
    helpers = _helpers()
    if role == "plans" or any(cue in before for cue in v["target_cues"]):
        kind = "target"
    else:
        kind = "level"
    tail = helpers["filler"].sub("", before)
    up = helpers["up"].search(tail)
    down = helpers["down"].search(tail)
    if down or up:
        word = (down or up).group(0)
        # 多/少 are a change only after a comparison (比上年多120件)
        if word in ("多", "少") and not any(c in before for c in v["change_context"]):
            return kind, 1
        return (kind if kind == "target" else "change"), (-1 if down else 1)
    if unit == "百分点":
        return (kind if kind == "target" else "change"), 1
    return kind, 1


def _strip_repeatedly(pattern: re.Pattern[str], phrase: str, times: int) -> str:
    """``phrase`` with ``pattern`` removed again and again (at most ``times``), until it no
    longer changes."""
    for _ in range(times):
        shorter = pattern.sub("", phrase)
        if shorter == phrase:
            break
        phrase = shorter
    return phrase


def _indicator(text: str, clause_start: int, start: int, end: int) -> str | None:
    helpers = _helpers()
    before = text[clause_start:start]
    trail, lead = helpers["trail"], helpers["lead"]
    phrase = _strip_repeatedly(trail, before, 6)
    phrase = re.sub(r"^(?:\d{4}年度?|[上下]?半?年度?)", "", phrase)
    phrase = _strip_repeatedly(lead, phrase, 4)
    phrase = re.sub(r"^[^\u3400-\u9fffA-Za-z]+|[^\u3400-\u9fffA-Za-z)）]+$", "", phrase)
    if not phrase:  # the noun follows: 组织120名执法人员参加培训
        after = text[end : end + 20]
        cut = _CLAUSE_END.search(after)
        after = after[: cut.start()] if cut else after
        after = re.sub(r"^的", "", after)
        verb = helpers["verb"].search(after)
        phrase = after[: verb.start()] if verb and verb.start() > 1 else after
        phrase = re.sub(r"[^\u3400-\u9fffA-Za-z]+$", "", phrase)
    return phrase[-20:] or None
