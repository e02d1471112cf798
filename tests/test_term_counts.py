"""Each text's term counts, made once per text and tokenizer (lawgovkit.term_counts)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from lawgovkit.keyness import distinctive_terms
from lawgovkit.term_counts import DENSE_KEYS, Vocabulary, bags, summed
from lawgovkit.tokenize import Tokenizer

TEXTS = [
    "本市全面推进依法行政,办理行政复议案件120件,行政复议纠错率为8%。",
    "持续深化普法宣传,开展法律援助,法律援助案件同比增长。",
    "",
    "。。,",  # punctuation only: no tokens
    "本市全面推进依法行政,办理行政复议案件120件,行政复议纠错率为8%。",  # a repeat
    "规范行政执法,推行行政执法三项制度,行政执法人员持证上岗。",
]


def _as_counters(tokenizer: Tokenizer, texts: list[str]) -> list[Counter]:
    found = bags(tokenizer, texts)
    words = found.vocabulary.terms(found.codes).tolist()
    ends = np.cumsum(found.lengths).tolist()
    starts = [0, *ends[:-1]]
    return [
        Counter(dict(zip(words[s:e], found.counts[s:e].tolist(), strict=True)))
        for s, e in zip(starts, ends, strict=True)
    ]


def test_counts_are_those_of_the_tokens():
    tok = Tokenizer(backend="jieba")
    assert _as_counters(tok, TEXTS) == [Counter(tok(text)) for text in TEXTS]
    found = bags(tok, TEXTS)
    assert found.lengths.tolist()[2:4] == [0, 0]
    for start, length in zip(np.cumsum(found.lengths) - found.lengths, found.lengths, strict=True):
        codes = found.codes[start : start + length]
        assert (np.diff(codes) > 0).all()  # distinct, ascending


def test_a_text_seen_before_is_not_tokenized_again():
    tok = Tokenizer(backend="jieba")
    first = _as_counters(tok, TEXTS[:2])
    hits, misses = tok.cache_hits, tok.cache_misses
    again = _as_counters(tok, list(reversed(TEXTS)))
    # only the texts not counted before reach the tokenizer
    assert tok.cache_misses - misses == 3
    assert tok.cache_hits == hits
    assert again[-2:] == list(reversed(first))


def test_memory_keeps_at_most_cache_size_texts_and_a_large_batch_is_whole():
    tok = Tokenizer(backend="jieba", cache_size=2)
    texts = [t for t in TEXTS if t]
    assert _as_counters(tok, texts) == [Counter(tok(t)) for t in texts]
    asked = tok.cache_hits + tok.cache_misses
    _as_counters(tok, texts[-1:])  # the last: still in a memory of two texts
    assert tok.cache_hits + tok.cache_misses == asked
    _as_counters(tok, texts[:1])  # the first: evicted, so the tokenizer is asked again
    assert tok.cache_hits + tok.cache_misses == asked + 1


def test_one_memory_per_tokenizer():
    jieba_tok = Tokenizer(backend="jieba")
    other = Tokenizer(backend="jieba", min_chars=2)
    bags(jieba_tok, TEXTS)
    assert _as_counters(other, TEXTS) == [Counter(other(text)) for text in TEXTS]


@pytest.mark.filterwarnings("ignore:left out of the 'report' comparison for lack of text")
def test_later_analyses_give_what_a_fresh_tokenizer_gives():
    units = pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(len(TEXTS))],
            "text": TEXTS,
            "half": ["甲", "乙", "甲", "乙", "乙", "甲"],
        }
    )
    shared = Tokenizer(backend="jieba")
    # other texts first: the shared vocabulary holds words these units never use
    distinctive_terms(
        pd.DataFrame({"id": ["x"], "text": ["公共法律服务体系建设扎实推进"]}),
        by=None,
        reference="genre",
        tokenizer=shared,
    )
    for by, reference in (("half", "rest"), ("id", "rest"), ("half", "乙"), (None, "genre")):
        kept = distinctive_terms(
            units, by=by, reference=reference, tokenizer=shared, min_count=1, exclude=(), n=50
        )
        fresh = distinctive_terms(
            units,
            by=by,
            reference=reference,
            tokenizer=Tokenizer(backend="jieba"),
            min_count=1,
            exclude=(),
            n=50,
        )
        pd.testing.assert_frame_equal(kept, fresh)


def test_vocabulary_gives_new_words_the_next_code():
    v = Vocabulary()
    assert v.codes(["依法行政", "普法", "依法行政"]).tolist() == [0, 1, 0]
    assert v.terms(np.array([1, 0])).tolist() == ["普法", "依法行政"]


@pytest.mark.parametrize("size", [10, DENSE_KEYS + 10])
def test_summed_dense_and_hashed_agree(size):
    keys = np.array([size - 1, 3, 3, 0, size - 1, 3])
    distinct, sums = summed(keys, np.array([1.0, 2, 3, 4, 5, 6]), size)
    assert distinct.tolist() == [0, 3, size - 1]
    assert sums.tolist() == [4.0, 11.0, 6.0]
    assert summed(keys, None, size)[1].tolist() == [1, 3, 2]


def test_term_frequencies_count_tokens_and_reports_of_sections(seed_corpus):
    from lawgovkit.keyness import term_frequencies
    from lawgovkit.units import text_units

    tok = Tokenizer(backend="jieba")
    units = text_units(seed_corpus, "section")
    counts: Counter = Counter()
    reports: dict[str, set] = {}
    for report_id, text in zip(units["report_id"], units["text"], strict=True):
        for word in tok(text):
            counts[word] += 1
            reports.setdefault(word, set()).add(report_id)
    table = term_frequencies(seed_corpus, unit="section", tokenizer=tok)
    assert dict(zip(table["term"], table["count"], strict=True)) == dict(counts)
    assert dict(zip(table["term"], table["reports"], strict=True)) == {
        w: len(r) for w, r in reports.items()
    }
    assert table["reports"].max() <= len(seed_corpus.reports)
    order = list(zip(-table["count"], table["term"], strict=True))
    assert order == sorted(order)


@pytest.mark.filterwarnings("ignore:left out of the 'report' comparison for lack of text")
def test_keyness_sums_the_same_by_hashing_as_in_a_dense_array(monkeypatch):
    # sections of reports (report ids repeat), so the dispersion counts pairs of reports
    units = pd.DataFrame(
        {
            "id": [f"s{i}" for i in range(len(TEXTS))],
            "report_id": ["a", "b", "a", "b", "c", "c"],
            "text": TEXTS,
            "half": ["甲", "乙", "甲", "乙", "乙", "乙"],
        }
    )

    def table():
        return distinctive_terms(
            units, by="half", tokenizer=Tokenizer(backend="jieba"), min_count=1, exclude=(),
            n=None, sides="both",
        )  # fmt: skip

    dense = table()
    monkeypatch.setattr("lawgovkit.term_counts.DENSE_KEYS", 0)
    pd.testing.assert_frame_equal(table(), dense)
    assert dense["reports_group"].max() == 2  # 案件: in reports b and c of 乙


def test_counts_follow_the_tokens_remembered_after_them():
    tokenizer = Tokenizer(backend="jieba")
    text = "行政复议案件"
    before = bags(tokenizer, [text])
    assert before.vocabulary.terms(before.codes).tolist() == ["行政复议", "案件"]
    tokenizer.remember(text, ["普法", "普法"])
    after = bags(tokenizer, [text])
    assert after.vocabulary.terms(after.codes).tolist() == ["普法"]
    assert after.counts.tolist() == [2]


# --- texts as pandas keeps them, counting in chunks --------------------------------------

WIDE = "全面推进\U000f0041依法行政"  # a plane-15 character (see tokenize._PLANE_15_LEAD)


@pytest.mark.parametrize("storage", ["string[pyarrow]", "large_string[pyarrow]"])
def test_arrow_texts_are_keyed_as_their_strs(storage):
    pa = pytest.importorskip("pyarrow")
    from lawgovkit.term_counts import _arrow_keys
    from lawgovkit.tokenize import _keyed

    texts = [*TEXTS, WIDE, "😀法治"]
    if storage.startswith("large"):
        series = pd.Series(pd.arrays.ArrowExtensionArray(pa.array(texts, pa.large_string())))
    else:
        series = pd.Series(texts, dtype=storage)
    assert _arrow_keys(series) == [_keyed(t) for t in texts]
    sliced = series.iloc[3:]  # a slice: Arrow keeps an offset into the same buffers
    assert _arrow_keys(sliced) == [_keyed(t) for t in texts[3:]]
    several = pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array([texts[:2], texts[2:]])))
    assert _arrow_keys(several) == [_keyed(t) for t in texts]
    assert _arrow_keys(pd.Series(texts, dtype=object)) is None
    assert _arrow_keys(pd.Series([*texts, None], dtype=storage)) is None  # a missing value


def test_counts_of_arrow_texts_read_only_the_texts_to_segment(monkeypatch):
    pytest.importorskip("pyarrow")
    import lawgovkit.term_counts as term_counts

    texts = [*TEXTS, WIDE]
    series = pd.Series(texts, dtype="string[pyarrow]")
    expected = _as_counters(Tokenizer(backend="jieba"), texts)
    tokenizer = Tokenizer(backend="jieba")
    tokenizer.tokenize_many(texts[:3])  # tokens cached for these: they are not read again
    read = []
    original = term_counts._Positions.__getitem__
    monkeypatch.setattr(
        term_counts._Positions,
        "__getitem__",
        lambda self, i: read.append(self._places[i]) or original(self, i),
    )
    found = bags(tokenizer, series)
    words = found.vocabulary.terms(found.codes).tolist()
    ends = np.cumsum(found.lengths).tolist()
    got = [
        Counter(dict(zip(words[s:e], found.counts[s:e].tolist(), strict=True)))
        for s, e in zip([0, *ends[:-1]], ends, strict=True)
    ]
    assert got == expected
    assert read == [3, 5, 6]  # once each; text 4 repeats text 0, whose tokens are cached


@pytest.mark.parametrize("cells", [1, 8 * 64, 1 << 18])
def test_counting_in_chunks_gives_the_counts_of_one_pass(monkeypatch, cells):
    import lawgovkit.term_counts as term_counts

    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(64)]
    lists = [[words[j] for j in rng.integers(0, 64, rng.integers(0, 30))] for _ in range(101)]
    vocabulary = Vocabulary()
    vocabulary.codes(words)  # 64 words: chunks of cells // 64 texts (8 or more)
    monkeypatch.setattr(term_counts, "_CHUNK_CELLS", cells)
    counted, (lengths, codes, counts) = term_counts._counted(lists, vocabulary)
    assert len(counted) == len(lists) == len(lengths)
    assert codes.tolist() == [c for part, _ in counted for c in part.tolist()]
    assert counts.tolist() == [c for _, part in counted for c in part.tolist()]
    assert lengths.tolist() == [len(part) for part, _ in counted]
    for tokens, (codes, counts) in zip(lists, counted, strict=True):
        expected = Counter(tokens)
        assert codes.tolist() == sorted(vocabulary[w] for w in expected)
        assert dict(zip(vocabulary.terms(codes).tolist(), counts.tolist(), strict=True)) == expected
