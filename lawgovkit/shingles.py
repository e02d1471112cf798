"""Text as a stream of comparable characters, and hashes of its k-character windows.

Copies of a passage differ in what does not matter to a reader: punctuation, spacing,
full-width or half-width letters and digits, simplified or traditional characters. For
finding them, :func:`matching_codes` keeps only letters and digits of a text, each in one
canonical form (NFKC, then OpenCC ``hk2s`` → ``t2s`` → ``s2tw`` → ``tw2s`` character by
character, so that 着 and 著, 发 and 發, 卫 and 衞 meet; lower case), with the offset in the
original text of each kept character, so that a match found in the stream maps back to
exact offsets.
:func:`window_hashes` gives a 64-bit hash of every window of ``k`` consecutive kept
characters (a polynomial hash computed with prefix sums, vectorised with numpy).

This is the ground for :mod:`lawgovkit.duplicates` (the same report loaded twice) and
:mod:`lawgovkit.reuse` (passages shared between reports).
"""

from __future__ import annotations

import unicodedata
from functools import cache

import numpy as np

__all__ = ["canonical_char", "matching_codes", "matching_text", "window_hashes"]

_MASK64 = (1 << 64) - 1
# An odd 64-bit multiplier (the golden ratio's): invertible modulo 2**64.
_BASE = 0x9E3779B97F4A7C15
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)


@cache
def _converters() -> tuple:
    import opencc

    # Round trip through Taiwan forms: simplified text and its traditional forms (s2t, s2tw,
    # s2hk) then share one spelling, checked on every character of U+4E00-U+9FFF.
    return tuple(opencc.OpenCC(config) for config in ("hk2s", "t2s", "s2tw", "tw2s"))


@cache
def canonical_char(char: str) -> str:
    """The form of one character that copies of a passage share ("" for what is dropped).

    Letters and digits are kept (NFKC, one script for simplified and traditional
    characters, lower case); punctuation, spaces and symbols are dropped.

    Examples
    --------
    >>> [canonical_char(c) for c in "發，Ａ１ 着著"]
    ['发', '', 'a', '1', '', '着', '着']
    """
    kept = []
    for c in unicodedata.normalize("NFKC", char):
        if not unicodedata.category(c).startswith(("L", "N")):
            continue
        for converter in _converters():
            c = converter.convert(c)
        kept.append(c.lower())
    return "".join(kept)


def matching_codes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The kept characters of ``text`` (as code points) and their offsets in ``text``.

    Parameters
    ----------
    text : str
        Any text (usually a report's cleaned text).

    Returns
    -------
    codes : ndarray of uint32
        The code points of the canonical characters, in order.
    offsets : ndarray of int64
        For each, the offset in ``text`` of the character it came from (a character that
        NFKC expands, such as ㎡, gives several codes with the same offset).

    Examples
    --------
    >>> codes, offsets = matching_codes("一、加強 領導,")
    >>> "".join(map(chr, codes)), offsets.tolist()
    ('一加强领导', [0, 2, 3, 5, 6])
    """
    if not text:
        return np.zeros(0, np.uint32), np.zeros(0, np.int64)
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if int(points.max()) < _TABLE_SIZE:
        table = _table_for(points)
        mapped = table[points]
        if not (mapped == _EXPANDS).any():  # the usual case: one code or none per character
            keep = mapped != 0
            return mapped[keep], np.flatnonzero(keep).astype(np.int64)
    forms = [canonical_char(c) for c in text]
    lengths = np.array([len(f) for f in forms], dtype=np.int64)
    offsets = np.repeat(np.arange(len(points), dtype=np.int64), lengths)
    codes = np.array([ord(c) for f in forms for c in f], dtype=np.uint32)
    return codes, offsets


# Canonical code of each character of the Basic Multilingual Plane, filled as characters are
# met: 0 = dropped, _EXPANDS = becomes several characters (then taken one by one),
# _UNKNOWN = not looked up yet.
_TABLE_SIZE = 0x10000
_UNKNOWN = np.uint32(0xFFFFFFFF)
_EXPANDS = np.uint32(0xFFFFFFFE)
_TABLE = np.full(_TABLE_SIZE, _UNKNOWN, dtype=np.uint32)


def _table_for(points: np.ndarray) -> np.ndarray:
    """The lookup table, with every code point of ``points`` filled in."""
    unknown = points[_TABLE[points] == _UNKNOWN]
    for point in np.unique(unknown).tolist():
        form = canonical_char(chr(point))
        _TABLE[point] = ord(form) if len(form) == 1 else (_EXPANDS if form else 0)
    return _TABLE


def matching_text(text: str) -> str:
    """The kept characters of ``text`` as a string (what :func:`matching_codes` compares).

    Examples
    --------
    >>> matching_text("(一)堅持依法行政，ＡＢ１２。")
    '一坚持依法行政ab12'
    """
    return "".join(canonical_char(c) for c in text)


def _mixed(codes: np.ndarray) -> np.ndarray:
    """splitmix64 of each code: well-spread 64-bit values (wrapping arithmetic)."""
    x = codes.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@cache
def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**i and BASE**-i modulo 2**64 for i < n (n rounded up by the caller)."""
    base = np.full(n, _BASE, dtype=np.uint64)
    base[0] = 1
    inverse = np.full(n, _BASE_INVERSE, dtype=np.uint64)
    inverse[0] = 1
    return np.cumprod(base, dtype=np.uint64), np.cumprod(inverse, dtype=np.uint64)


def window_hashes(codes: np.ndarray, k: int) -> np.ndarray:
    """A 64-bit hash of every window of ``k`` consecutive codes (``len(codes) - k + 1`` of
    them; none when the text is shorter than ``k``).

    Equal windows get equal hashes, in any text; different windows collide with
    probability about 2**-64.

    Examples
    --------
    >>> a, _ = matching_codes("依法行政,建设法治政府")
    >>> b, _ = matching_codes("建设法治政府。")
    >>> ha, hb = window_hashes(a, 6), window_hashes(b, 6)
    >>> len(ha), int(ha[4]) == int(hb[0])
    (5, True)
    """
    n = len(codes)
    if k < 1:
        raise ValueError(f"window length must be at least 1, not {k}")
    if n < k:
        return np.zeros(0, dtype=np.uint64)
    size = 1 << max(10, (n + 1 - 1).bit_length())
    power, inverse = _powers(size)
    terms = _mixed(codes) * power[:n]
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(terms, dtype=np.uint64, out=prefix[1:])
    windows = (prefix[k:] - prefix[: n - k + 1]) * inverse[: n - k + 1]
    return _mixed(windows)
