"""The word-finding patterns shared by the tokenizer and the keyword scorers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawgovkit._patterns import required_characters, trie_pattern, words_pattern
from lawgovkit.clean import _rules as _chrome_rules
from lawgovkit.role_rules import _transition_rules
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


# --- required_characters: what a pattern cannot match without -----------------------


def _package_patterns() -> list[re.Pattern[str]]:
    """The patterns of the package's data files that are searched line by line or over
    whole texts: chrome at line ends and starts, whole chrome lines, role transitions."""
    rules = _chrome_rules()
    found = [pattern for _kind, pattern, _needed in rules["ends"]]
    found += [pattern for _kind, pattern in rules["starts"]]
    found += [pattern for _kind, pattern, _region in rules["lines"]]
    found += [rule.pattern for rule in _transition_rules()]
    return found


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("行政", "行"),
        ("(?:行政|执法)复议", "执行"),
        ("[(（][0-9]{1,2}[)）]", "(（"),
        ("(?=[【\\[])\\s*[【\\[]下载", "[【"),  # a lookahead consumes nothing: passed over
        ("\\s*(?:问题)?不足", "不"),  # parts that may be absent are passed over
        ("(?:问题|\\d)", None),  # an alternative that needs no known character
        ("[^。]+", None),
        ("\\S{2}", None),
        ("[一-龥]", None),  # a class of too many characters
        ("(?i)ab", None),  # case-insensitive: 'A' would match too
        ("(?:下载|打印)+$", "下打"),
        ("(?>ab)", "a"),
        ("(", None),  # not a pattern
    ],
)
def test_required_characters_of_a_pattern(pattern, expected):
    assert required_characters(pattern) == expected


def test_required_characters_of_a_compiled_pattern_keep_its_flags():
    assert required_characters(re.compile("ab", re.IGNORECASE)) is None
    assert required_characters(re.compile("ab$", re.MULTILINE)) == "a"


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_match_always_holds_one_of_the_required_characters(data):
    pattern = data.draw(st.sampled_from(_package_patterns()))
    needed = required_characters(pattern)
    literals = sorted(set(re.sub(r"\\.|[\[\](){}?*+|^$]", "", pattern.pattern)))
    text = data.draw(st.text(alphabet=[*literals, " ", "\n", "_", "。", "1"], max_size=60))
    for match in pattern.finditer(text):
        if needed is not None:
            assert any(char in needed for char in match.group(0)), (pattern.pattern, text)


def test_the_package_patterns_have_required_characters_where_they_help():
    """The line-end chrome patterns must be tried at every position of every line: each
    has characters to pass over most lines by (0.43 -> 0.12 s on the lines of 2,000
    generated reports, benchmarks/README)."""
    for kind, pattern, needed in _chrome_rules()["ends"]:
        assert needed is not None, (kind, pattern.pattern)
        assert required_characters(pattern), kind


def test_the_sentence_rules_can_be_skipped_to_by_their_first_character():
    """The transitions found anywhere in a sentence are searched over whole texts: each
    alternative must begin with a literal character, so the regular-expression engine
    jumps from one possible first character to the next instead of trying every position
    (an alternative beginning with a group, ``(?:肯定|看到)成绩``, made one rule seven
    times slower)."""
    for rule in _transition_rules():
        if rule.at == "sentence":
            first = _first_characters(rule.pattern.pattern)
            assert first is not None, rule.pattern.pattern[:40]


def _first_characters(source: str) -> set[str] | None:
    """The characters a match may begin with, when the parsed pattern begins with a
    literal, a class of literals, or an alternation of alternatives that each do."""
    from lawgovkit._patterns import _sre, _sre_parse

    parsed = list(_sre_parse.parse(source))
    op, av = parsed[0]
    while op is _sre.SUBPATTERN:  # (?:...) around the whole
        body = list(av[3])
        op, av = body[0]
    if op is _sre.LITERAL:
        return {chr(av)}
    if op is _sre.IN:
        return {chr(v) for kind, v in av if kind is _sre.LITERAL} or None
    if op is _sre.BRANCH:
        firsts = [next(iter(alternative)) for alternative in av[1] if list(alternative)]
        if all(kind is _sre.LITERAL for kind, _ in firsts) and len(firsts) == len(av[1]):
            return {chr(v) for _, v in firsts}
    return None
