"""Regular expressions that find any of many words, the longest one at each point.

Used for the theme and problem keywords (:class:`KeywordScorer`) and for small user
dictionaries (:class:`lawgovkit._matching.TermMatcher`, below its automaton's size),
scanned over every text. An alternation of the words sorted longest first finds the right
matches but tries every word at every position; the patterns here find the same matches
many times faster.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

__all__ = ["KeywordScorer", "trie_pattern", "words_pattern"]


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


class KeywordScorer:
    """Score texts against labelled, weighted keyword lists.

    Keywords are matched longest first across all labels, so a long keyword hides the short
    ones inside it (``谁执法谁普法`` does not also count as ``执法``). Each occurrence adds
    the keyword's weight to every label that lists it.

    Parameters
    ----------
    keywords : mapping of label -> mapping of keyword -> weight
        Labels in the order that breaks ties.

    Examples
    --------
    >>> scorer = KeywordScorer({"执法": {"执法": 1.0}, "普法": {"谁执法谁普法": 1.0}})
    >>> scorer.scores("落实谁执法谁普法责任制,规范执法")
    {'执法': 1.0, '普法': 1.0}
    """

    def __init__(self, keywords: Mapping[str, Mapping[str, float]]) -> None:
        self.labels = list(keywords)
        self._weights: dict[str, list[tuple[str, float]]] = {}
        for label, words in keywords.items():
            for word, weight in words.items():
                self._weights.setdefault(word, []).append((label, float(weight)))
        # the same longest-first matches as an alternation of the words sorted longest
        # first, without trying every word at every position
        self._pattern = re.compile(words_pattern(self._weights)) if self._weights else None

    def scores(self, text: str) -> dict[str, float]:
        """Sum of keyword weights per label (labels with no keyword found are omitted)."""
        found: dict[str, float] = {}
        if self._pattern is None:
            return found
        weights = self._weights
        for word in self._pattern.findall(text):  # the words found, in order
            for label, weight in weights[word]:
                found[label] = found.get(label, 0.0) + weight
        return {label: found[label] for label in self.labels if label in found}

    def best(self, text: str) -> str | None:
        """The label with the highest score (ties: the earlier label), or None."""
        scores = self.scores(text)
        if not scores:
            return None
        return max(scores, key=lambda label: (scores[label], -self.labels.index(label)))
