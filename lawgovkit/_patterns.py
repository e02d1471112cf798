"""Regular expressions that find any of many words, the longest one at each point.

Used for small user dictionaries and keyword lists (:class:`lawgovkit._matching.TermMatcher`,
below its automaton's size), scanned over every text. An alternation of the words sorted
longest first finds the right matches but tries every word at every position; the patterns
here find the same matches many times faster. :func:`required_characters` finds the
characters without which a pattern cannot match, so that a scan can pass over the lines
that lack them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

try:  # the parser behind re.compile; its module moved in Python 3.11
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

__all__ = ["required_characters", "trie_pattern", "words_pattern"]

# a character class is taken as required characters up to this many characters
_REQUIRED_MAX = 64


def words_pattern(words: Iterable[str], *, capture: bool = False) -> str:
    """A pattern matching any of ``words``, the longest one at each point, fast.

    The trie of :func:`trie_pattern` behind a lookahead on the sets of first, second and
    third characters of the words: it rejects most positions with a few set lookups before
    the trie's branches are tried, which halves the time of a scan. It never rejects a
    position where a word starts, so the matches are those of the trie alone. With
    ``capture``, the trie is a group, so that ``split`` gives the gaps and the words in
    turn. No words: a pattern that never matches.

    Examples
    --------
    >>> words_pattern(["行政复议", "行政执法"], capture=True)
    '(?=[行][政][复执])(行政(?:复议|执法))'
    >>> re.compile(words_pattern([], capture=True)).split("行政复议")
    ['行政复议']
    >>> [m.group() for m in re.finditer(words_pattern(["普法", "执法"]), "谁执法谁普法")]
    ['执法', '普法']
    """
    words = list(words)
    if not words:
        return "((?!))" if capture else "(?!)"
    depth = min(3, *map(len, words))
    sets = ("".join(map(re.escape, sorted({w[i] for w in words}))) for i in range(depth))
    lookahead = "".join(f"[{chars}]" for chars in sets)
    trie = trie_pattern(words)
    return f"(?={lookahead})({trie})" if capture else f"(?={lookahead})(?:{trie})"


def trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, the longest one at each point.

    The words are arranged as a trie (``行政(?:复议|执法)``), so the engine follows one
    branch per character instead of trying thousands of alternatives at every position;
    a word that is a prefix of another is an optional tail, tried longest first, so the
    match is the same as an alternation sorted longest first. The branches of a node start
    with different characters, so at most one of them can match and their order does not
    change the match; they come in decreasing order of the words under them (then by
    character), as the engine tries them one by one and the larger ones match more often.

    Examples
    --------
    >>> trie_pattern(["行政复议", "行政执法", "行政"])
    '行政(?:复议|执法)?'
    >>> trie_pattern(["法律援助", "行政复议", "行政执法"])
    '(?:行政(?:复议|执法)|法律援助)'
    >>> [m.group() for m in re.finditer(trie_pattern(["ab", "abc"]), "abcab")]
    ['abc', 'ab']
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    return _trie_node_pattern(trie)[0]


def _trie_node_pattern(node: dict[str, dict]) -> tuple[str, int]:
    """The pattern of the words under ``node`` of :func:`trie_pattern`'s trie and how many
    there are (a module function: a nested one calling itself is a reference cycle)."""
    branches = []  # (-words, char, pattern)
    for char, child in node.items():
        if char:
            tail, n_words = _trie_node_pattern(child)
            branches.append((-n_words, char, re.escape(char) + tail))
    branches.sort()
    n_words = ("" in node) - sum(n for n, _, _ in branches)
    if not branches:
        return "", n_words
    if len(branches) > 1:
        body = "(?:" + "|".join(b for _, _, b in branches) + ")"
    elif "" in node and len(branches[0][2]) > 1:
        body = "(?:" + branches[0][2] + ")"
    else:
        body = branches[0][2]
    # a word ends here and longer ones go on: the tail is optional
    return (body + "?" if "" in node else body), n_words


def required_characters(pattern: str | re.Pattern[str]) -> str | None:
    r"""Characters of which every match of ``pattern`` holds at least one, or None.

    Read from the parsed pattern: the first part that every match goes through and that
    consumes one of a few known characters (a literal, a class of literals, a group or an
    alternation of them, a repeat at least once). Lookarounds and anchors consume nothing
    and are passed over. None when no such part is found, when the pattern ignores case,
    or when the parser cannot read it: a caller then tries the pattern everywhere.

    A text without any of the characters cannot hold a match, so a scan of many lines with
    a pattern that must try every position (a lookahead or a run of any characters first)
    can skip most lines with one fast search for the characters.

    Examples
    --------
    >>> required_characters(r"(?=\s*[-_|])\s*[-_|]{1,2}\s*\S{2,30}(?:政府网|网站)$")
    '-_|'
    >>> required_characters(r"(?<=报告|总结)\s*_[^_]{1,40}$")
    '_'
    >>> required_characters(r"(?:下载|打印)"), required_characters(r"\s*[^。]+")
    ('下打', None)
    """
    if isinstance(pattern, re.Pattern):
        flags, source = pattern.flags, pattern.pattern
    else:
        flags, source = 0, pattern
    try:
        parsed = _sre_parse.parse(source, flags)
    except (re.error, RecursionError):
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    found = _required(list(parsed))
    return "".join(sorted(found)) if found else None


def _required(sequence: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The required characters of the first part of ``sequence`` that has some."""
    for op, av in sequence:
        found = _required_of(op, av)
        if found is not None:
            return found
    return None


def _required_of(op: Any, av: Any) -> frozenset[str] | None:
    if op is _sre.LITERAL:
        return frozenset(chr(av))
    if op is _sre.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is _sre.LITERAL:
                chars.add(chr(value))
            elif kind is _sre.RANGE and value[1] - value[0] < _REQUIRED_MAX:
                chars.update(map(chr, range(value[0], value[1] + 1)))
            else:  # a negated class, a category (\s, \d) or a wide range
                return None
        return frozenset(chars) if 0 < len(chars) <= _REQUIRED_MAX else None
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, body = av
        return None if add_flags & re.IGNORECASE else _required(list(body))
    if op in _REPEATS:
        low, _high, body = av
        return _required(list(body)) if low >= 1 else None
    if op is _sre.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            found = _required(list(alternative))
            if found is None:
                return None
            union |= found
        return frozenset(union) if len(union) <= _REQUIRED_MAX else None
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _required(list(av))
    return None  # an anchor, a lookaround, any character, a back reference...


_REPEATS = tuple(
    getattr(_sre, name)
    for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
    if hasattr(_sre, name)
)
