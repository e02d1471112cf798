"""Find many terms in a text at once: the longest term at each point, left to right.

Used by the user dictionaries (:mod:`lawgovkit.dictionary`), which may hold thousands of
terms, and by the bundled taxonomies' weighted keywords (:class:`KeywordScorer`, a few
hundred). Below :data:`AUTOMATON_FROM` terms the trie regex of :mod:`lawgovkit._patterns`
is used; from there on an Aho–Corasick automaton (``ahocorasick-rs``, leftmost-longest),
which scans in time independent of the number of terms: with 10,000 terms it was 135×
faster than the regex in our benchmark, at 100 terms 2×, on the 434 theme keywords 2-3×
(see ``benchmarks/README.md``).
Both give exactly the same matches (a test checks it on random dictionaries). The
tokenizer finds its protected terms with one too (:mod:`lawgovkit.tokenize`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from lawgovkit._patterns import words_pattern

__all__ = ["AUTOMATON_FROM", "KeywordScorer", "TermMatcher", "scratch_copy"]

# From this many terms on, the Aho–Corasick automaton is used (benchmarks/bench_reading.py,
# 2.8 million characters: 2.2x faster than the regex at 100 and 300 terms, 15x at 1,000,
# 135x at 10,000; below 100 both take milliseconds).
AUTOMATON_FROM = 100
# Up to this many terms the automaton is a DFA: on the tokenizer's few hundred protected
# terms it scans 12-20 % faster than the crate's default (a contiguous NFA) and builds in
# about 3 ms; beyond, its build time and size grow faster than it saves.
_DFA_UP_TO = 1_000
# The automaton reads UTF-8; a text with a lone surrogate (which no term holds) is matched
# between them.
_NOT_SURROGATE = re.compile("[^\ud800-\udfff]+")


def scratch_copy(text: str) -> str:
    """A copy of ``text`` to hand to a Rust extension (the automaton, rjieba).

    Such an extension reads a str's UTF-8, which CPython then keeps inside the str object
    for as long as it lives: a report's text would grow by about 3 bytes a character. The
    copy (one memory copy, a fraction of the extension's own time) takes that instead and
    goes with the call.
    """
    return "".join((text, ""))


class TermMatcher:
    """The non-overlapping matches of ``terms`` in a text, the longest at each point.

    Scanning goes left to right; at each position the longest term starting there is taken
    and the scan continues after it (so ``谁执法谁普法`` hides the ``执法`` inside it).

    Parameters
    ----------
    terms : iterable of str
        Non-empty strings; duplicates are ignored.
    automaton : bool, optional
        Force the Aho–Corasick automaton (True) or the regex (False); by default the
        automaton from :data:`AUTOMATON_FROM` terms on.

    Examples
    --------
    >>> matcher = TermMatcher(["执法", "谁执法谁普法", "普法"])
    >>> matcher.find("落实谁执法谁普法责任制,规范执法")
    [(2, 8, '谁执法谁普法'), (14, 16, '执法')]
    >>> TermMatcher(["执法"], automaton=True).find("执法执法")
    [(0, 2, '执法'), (2, 4, '执法')]
    """

    def __init__(self, terms: Iterable[str], automaton: bool | None = None) -> None:
        self.terms = tuple(dict.fromkeys(terms))
        if any(not isinstance(t, str) or not t for t in self.terms):
            raise ValueError("terms must be non-empty strings")
        if automaton is None:
            automaton = len(self.terms) >= AUTOMATON_FROM
        # the automaton reads UTF-8: a term holding a lone surrogate leaves it to the regex
        self.automaton = (
            bool(automaton)
            and bool(self.terms)
            and all(_NOT_SURROGATE.fullmatch(t) for t in self.terms)
        )
        self._wide_machine: Any = None  # the terms' UTF-16, made by replacer() when asked
        if self.automaton:
            self._machine = _machine(list(self.terms))
        else:
            self._pattern = re.compile(words_pattern(self.terms))
            self._index = {term: i for i, term in enumerate(self.terms)}

    def indexes(self, text: str) -> list[tuple[int, int, int]]:
        """Every match as ``(term index, start, end)``, in text order: the index is the
        term's place in :attr:`terms`, the offsets are in characters.

        Examples
        --------
        >>> TermMatcher(["行政复议", "复议"], automaton=True).indexes("行政复议，复议")
        [(0, 0, 4), (1, 5, 7)]
        """
        if not self.automaton:
            index = self._index
            return [(index[m.group()], m.start(), m.end()) for m in self._pattern.finditer(text)]
        try:
            return self._machine.find_matches_as_indexes(scratch_copy(text))
        except UnicodeEncodeError:  # a lone surrogate: match the runs between them
            return [
                (i, run.start() + start, run.start() + end)
                for run in _NOT_SURROGATE.finditer(text)
                for i, start, end in self._machine.find_matches_as_indexes(run.group())
            ]

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Every match as ``(start, end, term)``, in text order (character offsets)."""
        if self.automaton:
            terms = self.terms
            return [(s, e, terms[i]) for i, s, e in self.indexes(text)]
        return [(m.start(), m.end(), m.group()) for m in self._pattern.finditer(text)]

    def split(self, text: str) -> list[str]:
        """``text`` cut at the matches: gap, term, gap, term, ..., gap (as ``re.split`` with a
        group); ``"".join`` of it is ``text``.

        Examples
        --------
        >>> TermMatcher(["行政复议"], automaton=True).split("办理行政复议案件")
        ['办理', '行政复议', '案件']
        >>> TermMatcher(["行政复议"]).split("行政复议")
        ['', '行政复议', '']
        """
        return _cut(text, self.indexes(text), self.terms)

    def replaced(self, text: str, replacements: Sequence[str]) -> str | None:
        """``text`` with each match replaced by ``replacements[term index]``; None when
        nothing matches (:meth:`replacer` for many texts).

        Examples
        --------
        >>> TermMatcher(["行政复议", "复议"], automaton=True).replaced("行政复议，复议", "AB")
        'A，B'
        """
        return self.replacer(replacements)(text)

    def replacer(self, replacements: Sequence[str]) -> Callable[[str], str | None]:
        """A function ``text -> self.replaced(text, replacements)``, for many texts.

        With the automaton the text is matched as UTF-16, two bytes a Chinese character
        against UTF-8's three, and cut and joined as bytes: on 500 generated reports 23 ms
        against 30 ms for matching the str (whose UTF-8 is made, and each match's byte
        offsets turned into character offsets, before the cut). A match at an odd byte
        offset would take half of one character and half of the next: a text with one, or
        with a lone surrogate (which the decoder could pair with the next), is matched as
        characters instead.

        Examples
        --------
        >>> replace = TermMatcher(["行政复议", "复议"], automaton=True).replacer("AB")
        >>> replace("行政复议，复议"), replace("普法")
        ('A，B', None)
        """
        by_characters = partial(_replaced_characters, self, replacements)
        if not self.automaton:
            return by_characters
        try:
            coded = [put.encode("utf-16-le") for put in replacements]
        except UnicodeEncodeError:  # a lone surrogate
            return by_characters
        if self._wide_machine is None:
            self._wide_machine = _machine([term.encode("utf-16-le") for term in self.terms])
        find = self._wide_machine.find_matches_as_indexes

        def replace(text: str) -> str | None:
            try:
                data = text.encode("utf-16-le")
            except UnicodeEncodeError:
                return by_characters(text)
            parts: list[bytes] = []
            put = parts.append
            end = 0
            for i, start, stop in find(data):
                if start & 1:
                    return by_characters(text)
                put(data[end:start])
                put(coded[i])
                end = stop
            if not end:  # no match (a match ends after its first character)
                return None
            put(data[end:])
            return b"".join(parts).decode("utf-16-le")

        return replace

    def findall(self, text: str) -> list[str]:
        """The terms matched, in text order.

        Examples
        --------
        >>> TermMatcher(["法治政府", "法治"]).findall("建设法治政府,弘扬法治")
        ['法治政府', '法治']
        """
        if self.automaton:
            try:
                return self._machine.find_matches_as_strings(scratch_copy(text))
            except UnicodeEncodeError:  # a lone surrogate (see indexes)
                return [term for _, _, term in self.find(text)]
        return self._pattern.findall(text)

    def __len__(self) -> int:
        return len(self.terms)


def _machine(terms: list[str] | list[bytes]) -> Any:
    """An Aho–Corasick automaton of ``terms``, leftmost-longest; bytes are matched in bytes."""
    import ahocorasick_rs

    extra = {}
    if len(terms) <= _DFA_UP_TO:
        extra["implementation"] = ahocorasick_rs.Implementation.DFA
    kind = ahocorasick_rs.AhoCorasick
    if terms and isinstance(terms[0], bytes):
        kind = ahocorasick_rs.BytesAhoCorasick
    return kind(terms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest, **extra)


def _replaced_characters(
    matcher: TermMatcher, replacements: Sequence[str], text: str
) -> str | None:
    """:meth:`TermMatcher.replaced` from the matches' character offsets."""
    matches = matcher.indexes(text)
    return "".join(_cut(text, matches, replacements)) if matches else None


def _cut(text: str, matches: list[tuple[int, int, int]], put: Sequence[str]) -> list[str]:
    """The gaps between ``matches`` (from :meth:`TermMatcher.indexes`), each match as
    ``put[term index]``: gap, put, gap, ..., gap."""
    parts: list[str] = []
    end = 0
    for i, start, stop in matches:
        parts += (text[end:start], put[i])
        end = stop
    parts.append(text[end:])
    return parts


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
        # the longest keyword at each point (an automaton for the bundled taxonomies'
        # hundreds of keywords: two to three times quicker than the regex)
        self._matcher = TermMatcher(self._weights) if self._weights else None

    def scores(self, text: str) -> dict[str, float]:
        """Sum of keyword weights per label (labels with no keyword found are omitted)."""
        found: dict[str, float] = {}
        if self._matcher is None:
            return found
        weights = self._weights
        for word in self._matcher.findall(text):  # the words found, in order
            for label, weight in weights[word]:
                found[label] = found.get(label, 0.0) + weight
        return {label: found[label] for label in self.labels if label in found}

    def best(self, text: str) -> str | None:
        """The label with the highest score (ties: the earlier label), or None."""
        scores = self.scores(text)
        if not scores:
            return None
        return max(scores, key=lambda label: (scores[label], -self.labels.index(label)))
