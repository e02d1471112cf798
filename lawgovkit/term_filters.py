"""Which terms keyness tables leave out unless asked: single characters, numbers, place
names and the genre's stock words.

The rules are data (``data/keyness.json``, with the officialese list and the
self-references of ``metadata.json``), read here; :func:`excluded_terms` applies them to a
vocabulary. Used by :func:`lawgovkit.distinctive_terms` and :func:`lawgovkit.collocations`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np

from lawgovkit._data import read_json, read_lines
from lawgovkit.errors import ArgumentError

__all__ = ["FILTERS", "excluded_terms", "stock_words"]

FILTERS = ("single_chars", "numbers", "places", "stock_words")


@cache
def _settings() -> dict[str, Any]:
    return read_json("keyness.json")


@cache
def stock_words() -> frozenset[str]:
    """The genre's stock words: ``data/keyness.json``, the officialese and self-references.

    Examples
    --------
    >>> {"法治政府", "全市", "推进"} <= stock_words()
    True
    """
    words = set(_settings()["stock_words"]) | set(read_lines("officialese.txt"))
    for pattern in read_json("metadata.json")["self_references"]:
        words.update(pattern.split("|"))
    return frozenset(words)


def _short_form(name: str) -> str | None:
    """A place name without its level suffix and ethnic groups (江夏区 → 江夏), or None."""
    suffixes = sorted((s for s, _ in read_json("metadata.json")["level_suffixes"]), key=len)
    for suffix in reversed(suffixes):
        if name.endswith(suffix) and len(name) > len(suffix):
            short = name[: -len(suffix)]
            break
    else:
        return None
    changed = True
    while changed:
        changed = False
        for group in _settings()["ethnic_groups"]:
            if short.endswith(group) and len(short) > len(group):
                short, changed = short[: -len(group)], True
    return short if len(short) >= 2 else None


def _place_names(places: Iterable[str]) -> frozenset[str]:
    """Every division name of cpca's table, plus ``places`` and their short forms."""
    from lawgovkit.places import _gazetteer

    names = set(_gazetteer())
    for place in places:
        if isinstance(place, str) and place:
            names.add(place)
            short = _short_form(place)
            if short:
                names.add(short)
    return frozenset(names)


def excluded_terms(
    terms: Iterable[str], exclude: Iterable[str] = FILTERS, places: Iterable[str] = ()
) -> np.ndarray:
    """Which of ``terms`` the filters ``exclude`` leave out (a boolean array).

    Parameters
    ----------
    terms : iterable of str
        The terms.
    exclude : iterable of str
        Some of :data:`FILTERS`: ``"single_chars"`` (one-character tokens: 率, 全, 区),
        ``"numbers"`` (a token with an Arabic digit, or numerals + 余/多 such as 十余),
        ``"places"`` (cpca's division names, and ``places`` with their short forms),
        ``"stock_words"`` (:func:`stock_words`).
    places : iterable of str
        The corpus's own places (jurisdiction, city, province), whose short forms
        (江夏 for 江夏区) are left out too.

    Examples
    --------
    >>> excluded_terms(["率", "江夏", "江夏区", "十余", "十四五", "全市", "行政复议"],
    ...                places=["江夏区"]).tolist()
    [True, True, True, True, False, True, False]
    """
    exclude = set(exclude)
    unknown = exclude - set(FILTERS)
    if unknown:
        raise ArgumentError(f"unknown filters {sorted(unknown)}; expected some of {FILTERS}")
    terms = list(terms)
    out = np.zeros(len(terms), dtype=bool)
    if "single_chars" in exclude:
        out |= np.fromiter((len(t) <= 1 for t in terms), dtype=bool, count=len(terms))
    if "numbers" in exclude:
        digit = re.compile(_settings()["digit"])
        numeral = re.compile(_settings()["numeral_count"])
        out |= np.fromiter(
            (bool(digit.search(t) or numeral.fullmatch(t)) for t in terms), bool, len(terms)
        )
    for name, words in (
        ("places", _place_names(places) if "places" in exclude else None),
        ("stock_words", stock_words()),
    ):
        if name in exclude and words is not None:
            out |= np.fromiter((t in words for t in terms), dtype=bool, count=len(terms))
    return out
