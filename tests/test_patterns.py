"""The word-finding patterns shared by the tokenizer and the keyword scorers."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from lawgovkit._patterns import trie_pattern, words_pattern
from lawgovkit.taxonomy import theme_scorer as _scorer

WORDS = st.lists(st.text(alphabet="abc、+", min_size=1, max_size=5), min_size=1, max_size=8)
TEXTS = st.text(alphabet="abc、+x", max_size=30)


def _alternation(words: list[str]) -> re.Pattern[str]:
    """The plain, slow pattern: every word, longest first."""
    longest_first = sorted(set(words), key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, longest_first)))


@settings(max_examples=200, deadline=None)
@given(words=WORDS, text=TEXTS)
def test_both_patterns_match_like_an_alternation_longest_first(words, text):
    expected = [(m.start(), m.group()) for m in _alternation(words).finditer(text)]
    for pattern in (trie_pattern(words), words_pattern(words)):
        assert [(m.start(), m.group()) for m in re.finditer(pattern, text)] == expected


def test_the_theme_keywords_are_found_as_by_an_alternation(seed_corpus):
    words = list(_scorer()._weights)
    slow, fast = _alternation(words), re.compile(words_pattern(words))
    for text in (report.text for report in seed_corpus):
        assert [m.group() for m in fast.finditer(text)] == [m.group() for m in slow.finditer(text)]


def test_no_words_never_match():
    assert re.search(words_pattern([]), "行政复议") is None
    assert re.compile(words_pattern([], capture=True)).split("行政复议") == ["行政复议"]
