"""Find many terms in a text at once: the longest term at each point, left to right.

Used by the user dictionaries (:mod:`lawgovkit.dictionary`), which may hold thousands of
terms. Below :data:`AUTOMATON_FROM` terms the trie regex of :mod:`lawgovkit._patterns` is
used (as for the bundled taxonomies); from there on an Aho–Corasick automaton
(``ahocorasick-rs``, leftmost-longest), which scans in time independent of the number of
terms: with 10,000 terms it was 135× faster than the regex in our benchmark, at 100 terms
2× (see ``benchmarks/README.md``).
Both give exactly the same matches (a test checks it on random dictionaries).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lawgovkit._patterns import words_pattern

__all__ = ["AUTOMATON_FROM", "TermMatcher"]

# From this many terms on, the Aho–Corasick automaton is used (benchmarks/bench_reading.py,
# 2.8 million characters: 2.2x faster than the regex at 100 and 300 terms, 15x at 1,000,
# 135x at 10,000; below 100 both take milliseconds).
AUTOMATON_FROM = 100


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
        self.automaton = bool(automaton) and bool(self.terms)
        if self.automaton:
            import ahocorasick_rs

            self._machine = ahocorasick_rs.AhoCorasick(
                list(self.terms), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
            )
        else:
            self._pattern = re.compile(words_pattern(self.terms))

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Every match as ``(start, end, term)``, in text order (character offsets)."""
        if self.automaton:
            terms = self.terms
            return [(s, e, terms[i]) for i, s, e in self._machine.find_matches_as_indexes(text)]
        return [(m.start(), m.end(), m.group()) for m in self._pattern.finditer(text)]

    def findall(self, text: str) -> list[str]:
        """The terms matched, in text order.

        Examples
        --------
        >>> TermMatcher(["法治政府", "法治"]).findall("建设法治政府,弘扬法治")
        ['法治政府', '法治']
        """
        if self.automaton:
            return self._machine.find_matches_as_strings(text)
        return self._pattern.findall(text)

    def __len__(self) -> int:
        return len(self.terms)
