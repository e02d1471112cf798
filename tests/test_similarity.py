"""Tests of lawgovkit.similarity: labelled symmetric matrices, left-out units said so, and
the on-disk cache of TF-IDF fits and neighbours."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lawgovkit.similarity as similarity_module
import lawgovkit.tfidf as tfidf_module
from lawgovkit import _store
from lawgovkit.errors import ArgumentError, LawgovkitWarning
from lawgovkit.similarity import (
    most_similar,
    similar_pairs,
    similarity_matrix,
    text_units,
    tfidf_matrix,
    top_k_similar,
)
from lawgovkit.tokenize import Tokenizer
from tests.conftest import SEED_IDS

REVIEW = "深化行政复议体制改革,行政复议案件纠错率下降。"
REVIEW_2 = "加强行政复议规范化建设,提高行政复议办案质量。"
MEDIATION = "人民调解组织调解矛盾纠纷,调解成功率达到高水平。"
UNITS = pd.DataFrame({"id": ["a", "b", "c"], "text": [REVIEW, REVIEW_2, MEDIATION]})


def _corpus() -> SimpleNamespace:
    """A two-report corpus: report y has no plans."""
    sections = pd.DataFrame(
        {
            "report_id": ["x", "x", "y"],
            "section_id": ["一", "二", "一"],
            "role": ["achievements", "plans", "achievements"],
            "start": [0, len(REVIEW), 0],
            "text": [REVIEW, MEDIATION, REVIEW_2],
        }
    )
    problems = pd.DataFrame(
        {"report_id": ["x", "y"], "n": [1, 1], "text": ["人员不足", "普法不够"]}
    )
    plans = pd.DataFrame({"report_id": ["x"], "n": [1], "text": [MEDIATION]})
    reports = pd.DataFrame({"jurisdiction": ["甲区", "乙县"]}, index=["x", "y"])
    return SimpleNamespace(reports=reports, sections=sections, problems=problems, plans=plans)


@pytest.mark.parametrize("analyzer", ["word", "char"])
def test_matrix_is_labelled_symmetric_with_unit_diagonal(analyzer):
    matrix = similarity_matrix(UNITS, analyzer=analyzer)
    assert list(matrix.index) == list(matrix.columns) == ["a", "b", "c"]
    assert np.allclose(matrix, matrix.T)
    assert np.allclose(np.diag(matrix), 1.0)
    assert matrix.loc["a", "b"] > matrix.loc["a", "c"]


def test_tfidf_kwargs_are_passed_on():
    plain = similarity_matrix(UNITS)
    sublinear = similarity_matrix(UNITS, sublinear_tf=True)
    assert not np.allclose(plain, sublinear)


@pytest.mark.parametrize(
    ("unit", "expected_ids"),
    [("report", ["x", "y"]), ("section", ["x:一", "x:二", "y:一"]), ("problems", ["x", "y"])],
)
def test_units_of_a_corpus(unit, expected_ids):
    assert list(similarity_matrix(_corpus(), unit=unit).index) == expected_ids


def test_report_text_rejoins_sections():
    units = text_units(_corpus(), "report")
    assert units.set_index("id").loc["x", "text"] == REVIEW + MEDIATION


def test_report_units_are_a_corpus_own_texts_or_its_sections_rejoined(seed_corpus):
    """A Corpus's report units are its texts themselves (no copy of every text); a corpus of
    tables only (no Report objects) gets the same texts from its sections."""

    class Tables:
        reports, sections = seed_corpus.reports, seed_corpus.sections

    own = text_units(seed_corpus, "report").set_index("id")["text"]
    assert all(text is seed_corpus[i].text for i, text in own.items())
    pd.testing.assert_series_equal(text_units(Tables(), "report").set_index("id")["text"], own)


def test_units_without_text_are_left_out_and_said_so():
    with pytest.warns(LawgovkitWarning, match="plans.*y"):
        matrix = similarity_matrix(_corpus(), unit="plans")
    assert list(matrix.index) == ["x"]
    assert matrix.attrs["left_out"] == ["y"]


def test_text_of_only_stopwords_and_punctuation_is_left_out():
    units = pd.DataFrame({"id": ["a", "b", "c"], "text": [REVIEW, REVIEW_2, "的了。。,2023"]})
    fitted = tfidf_matrix(units)
    assert fitted.ids == ["a", "b"]
    assert fitted.left_out == ["c"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"unit": "paragraph"}, "unknown unit 'paragraph'"),
        ({"analyzer": "bigram"}, "unknown analyzer"),
        ({"unit": "theme:天气"}, "unknown theme"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ArgumentError, match=match):
        similarity_matrix(_corpus(), **kwargs)


def test_units_frame_needs_id_and_text():
    with pytest.raises(ArgumentError, match="'id' and 'text'"):
        similarity_matrix(pd.DataFrame({"body": ["x"]}))


def test_most_similar_sorted_and_excludes_itself():
    table = most_similar(UNITS, "a", k=5)
    assert list(table.columns) == ["report_id", "other", "similarity"]
    assert table["other"].tolist() == ["b", "c"]
    assert table["similarity"].is_monotonic_decreasing


@pytest.mark.parametrize("missing", ["zzz", "y"])
def test_most_similar_unknown_or_left_out_id(missing):
    with (
        pytest.warns(LawgovkitWarning),
        pytest.raises(ArgumentError, match=repr(missing)),
    ):
        most_similar(_corpus(), missing, unit="plans")


def test_similar_pairs_upper_triangle_sorted():
    pairs = similar_pairs(similarity_matrix(UNITS), n=10)
    assert len(pairs) == 3
    assert pairs.iloc[0][["a", "b"]].tolist() == ["a", "b"]
    assert pairs["similarity"].is_monotonic_decreasing


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(alphabet="行政复议调解普法执法的。", max_size=12), min_size=2, max_size=5))
def test_matrix_invariants(texts):
    units = pd.DataFrame({"id": [f"r{i}" for i in range(len(texts))], "text": texts})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        matrix = similarity_matrix(units)
    left_out = matrix.attrs["left_out"]
    assert len(matrix) + len(left_out) == len(texts)
    assert bool(caught) == bool(left_out)
    values = matrix.to_numpy()
    assert np.allclose(values, values.T)
    assert ((values >= 0) & (values <= 1)).all()


def test_seed_matrix_is_5x5_symmetric_unit_diagonal(seed_corpus):
    matrix = similarity_matrix(seed_corpus)
    assert matrix.shape == (5, 5)
    assert list(matrix.index) == list(matrix.columns) == SEED_IDS
    assert np.allclose(matrix, matrix.T)
    assert np.allclose(np.diag(matrix), 1.0)
    off_diagonal = matrix.to_numpy()[~np.eye(5, dtype=bool)]
    assert (off_diagonal > 0).all() and (off_diagonal < 1).all()


def test_seed_most_similar(seed_corpus):
    table = most_similar(seed_corpus, SEED_IDS[0], k=2)
    assert len(table) == 2
    assert SEED_IDS[0] not in table["other"].tolist()


def _dense_top_k(values: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The reference: the full N×N product, each row sorted by (-similarity, column)."""
    product = values @ values.T
    neighbours, scores = [], []
    for row in range(len(product)):
        others = [j for j in range(len(product)) if j != row]
        ranked = sorted(others, key=lambda j: (-product[row, j], j))[:k]
        neighbours.append(ranked)
        scores.append([product[row, j] for j in ranked])
    return np.array(neighbours, dtype=int), np.array(scores, dtype=float)


@pytest.mark.parametrize("block_size", [None, 1, 3, 7])
def test_top_k_similar_equals_the_dense_result(block_size):
    rng = np.random.default_rng(0)
    values = rng.random((23, 40)) * (rng.random((23, 40)) < 0.3)
    values[5] = values[11]  # duplicate rows: ties broken by the lower row number
    values[7] = 0.0  # a row sharing nothing: its neighbours are all ties at 0
    norms = np.linalg.norm(values, axis=1, keepdims=True)
    values = values / np.where(norms > 0, norms, 1)
    from scipy import sparse

    neighbours, scores = top_k_similar(sparse.csr_matrix(values), k=4, block_size=block_size)
    expected_neighbours, expected_scores = _dense_top_k(values, 4)
    np.testing.assert_allclose(scores, expected_scores, atol=1e-12)
    assert neighbours.tolist() == expected_neighbours.tolist()
    assert neighbours[7].tolist() == [0, 1, 2, 3]


def test_top_k_similar_dense_and_sparse_columns_agree():
    """Columns used by most rows go through the dense product: same result either way."""
    rng = np.random.default_rng(1)
    common = rng.random((60, 5))  # every row has these terms
    rare = rng.random((60, 80)) * (rng.random((60, 80)) < 0.02)
    values = np.hstack([common, rare])
    values /= np.linalg.norm(values, axis=1, keepdims=True)
    neighbours, scores = top_k_similar(values, k=3, block_size=16)
    expected_neighbours, expected_scores = _dense_top_k(values, 3)
    np.testing.assert_allclose(scores, expected_scores, atol=1e-12)
    assert neighbours.tolist() == expected_neighbours.tolist()


@pytest.mark.parametrize(("rows", "k", "shape"), [(0, 3, (0, 0)), (1, 3, (1, 0)), (3, 5, (3, 2))])
def test_top_k_similar_fewer_rows_than_k(rows, k, shape):
    neighbours, scores = top_k_similar(np.eye(3)[:rows], k=k)
    assert neighbours.shape == scores.shape == shape


def test_most_similar_for_every_unit_matches_one_at_a_time():
    every = most_similar(UNITS, k=2)
    assert list(every.columns) == ["report_id", "other", "similarity"]
    for unit_id in UNITS["id"]:
        one = most_similar(UNITS, unit_id, k=2)
        mine = every[every["report_id"] == unit_id].reset_index(drop=True)
        assert mine["other"].tolist() == one["other"].tolist()
        np.testing.assert_allclose(mine["similarity"], one["similarity"], atol=1e-12)


def test_seed_most_similar_every_report_matches_matrix(seed_corpus):
    matrix = similarity_matrix(seed_corpus)
    every = most_similar(seed_corpus, k=2)
    for row in every.itertuples():
        assert row.similarity == pytest.approx(matrix.loc[row.report_id, row.other], abs=1e-9)


# ---------------------------------------------------------------------------------------
# The on-disk cache of tfidf_matrix and top_k_similar (conftest gives each test an empty
# LAWGOVKIT_CACHE folder)

_PIECES = [REVIEW, REVIEW_2, MEDIATION, "落实双随机、一公开监管。", "推进法律援助工作。"]
MANY = pd.DataFrame(
    {
        "id": [f"u{i}" for i in range(12)] + ["empty"],
        "text": [_PIECES[i % 5] + _PIECES[(i * 3 + 1) % 5] * (1 + i % 3) for i in range(12)]
        + ["的。"],
    }
)


@pytest.fixture
def cached(monkeypatch):
    """Small inputs use the cache too (it starts at MIN_STORED rows); the folder."""
    monkeypatch.setattr(_store, "MIN_STORED", 1)
    return _store.array_store().root


def _entries(root) -> list:
    """The TF-IDF and top-k entries stored (not the tokenizer's batches of tokens)."""
    found = sorted(root.rglob("*.npz")) if root.exists() else []
    kept = []
    for path in found:
        with np.load(path) as entry:
            if "codes" not in entry.files:
                kept.append(path)
    return kept


def _no_computing(monkeypatch):
    """From now on, computing fails: a result must come from the disk."""

    def fail(*args, **kwargs):
        raise AssertionError("computed although cached")

    monkeypatch.setattr(tfidf_module, "_tfidf_fit", fail)
    monkeypatch.setattr(similarity_module, "_top_k", fail)


def _assert_same_fit(a, b):
    assert a.ids == b.ids and a.left_out == b.left_out
    assert type(a.matrix) is type(b.matrix) and a.matrix.shape == b.matrix.shape
    for part in ("data", "indices", "indptr"):
        one, other = getattr(a.matrix, part), getattr(b.matrix, part)
        assert one.dtype == other.dtype and one.tobytes() == other.tobytes()
    va, vb = a.vectorizer, b.vectorizer
    assert list(va.vocabulary_.items()) == list(vb.vocabulary_.items())  # order too
    assert va.fixed_vocabulary_ == vb.fixed_vocabulary_
    params = {k: v for k, v in va.get_params().items() if k != "tokenizer"}
    assert params == {k: v for k, v in vb.get_params().items() if k != "tokenizer"}
    assert repr(va.tokenizer) == repr(vb.tokenizer)
    assert set(vars(va)) - {"_stop_words_id"} == set(vars(vb)) - {"_stop_words_id"}
    assert vars(va._tfidf).keys() == vars(vb._tfidf).keys()
    if va.use_idf:
        assert va.idf_.tobytes() == vb.idf_.tobytes()
    assert list(va.get_feature_names_out()) == list(vb.get_feature_names_out())
    new = [REVIEW + MEDIATION, "法律援助", "天气"]
    assert (va.transform(new) != vb.transform(new)).nnz == 0


@pytest.mark.parametrize(
    "options",
    [{}, {"sublinear_tf": True, "min_df": 2}, {"analyzer": "char"}, {"use_idf": False}],
)
def test_tfidf_read_back_equals_the_fit(cached, monkeypatch, options):
    options = dict(options)
    analyzer = options.pop("analyzer", "word")
    fitted = tfidf_matrix(MANY, analyzer, **options)
    assert fitted.left_out == ["empty"]
    assert len(_entries(cached)) == 1
    _no_computing(monkeypatch)
    _assert_same_fit(tfidf_matrix(MANY, analyzer, **options), fitted)


def test_tfidf_read_back_tokenizes_nothing(cached):
    fitted = tfidf_matrix(MANY, tokenizer=Tokenizer(backend="jieba"))
    fresh = Tokenizer(backend="jieba")
    again = tfidf_matrix(MANY, tokenizer=fresh)
    assert fresh.cache_info() == {"hits": 0, "misses": 0, "size": 0}
    _assert_same_fit(again, fitted)


def test_tfidf_fit_equals_a_plain_fit_transform():
    """Counting the tokens found while looking for empty texts: the same as fitting on the
    texts."""
    from lawgovkit.tfidf import _vectorizer

    fitted = tfidf_matrix(MANY, sublinear_tf=True)
    plain = _vectorizer("word", None, sublinear_tf=True)
    matrix = plain.fit_transform(MANY["text"][:12].tolist())
    assert (fitted.matrix != matrix).nnz == 0
    matrix = matrix.copy()
    matrix.sort_indices()  # the fit's rows in column order (see tfidf_matrix)
    for part in ("data", "indices", "indptr"):
        assert getattr(fitted.matrix, part).tobytes() == getattr(matrix, part).tobytes()
    assert list(fitted.vectorizer.vocabulary_.items()) == list(plain.vocabulary_.items())
    assert "build_analyzer" not in vars(fitted.vectorizer)


def test_more_texts_than_the_token_cache_holds_fit_the_same(monkeypatch):
    """A fit on more texts than the tokenizer's cache holds (read from one batch) is the
    same as with a cache large enough."""
    monkeypatch.setenv("LAWGOVKIT_CACHE", "off")
    small = Tokenizer(backend="jieba", cache_size=4)
    fitted = tfidf_matrix(MANY, tokenizer=small)
    _assert_same_fit(fitted, tfidf_matrix(MANY, tokenizer=Tokenizer(backend="jieba")))


def test_more_texts_than_the_token_cache_holds_are_not_segmented_again(cached):
    """Tokenized first (as a notebook or the benchmark does), texts the cache could not
    keep are read back with the batch, not segmented again one by one by the fit."""
    small = Tokenizer(backend="jieba", cache_size=4)
    small.tokenize_many(MANY["text"].tolist())
    segmented = small.cache_info()["misses"]
    fitted = tfidf_matrix(MANY, tokenizer=small, sublinear_tf=True)
    assert small.cache_info()["misses"] == segmented
    _assert_same_fit(
        fitted, tfidf_matrix(MANY, tokenizer=Tokenizer(backend="jieba"), sublinear_tf=True)
    )


def _changed_text(units):
    units = units.copy()
    units.loc[3, "text"] += "行政复议"
    return units


def _changed_id(units):
    return units.assign(id=[*units["id"][:-2], "renamed", units["id"].iloc[-1]])


@pytest.mark.parametrize(
    "change",
    [
        lambda: tfidf_matrix(_changed_text(MANY)),
        lambda: tfidf_matrix(_changed_id(MANY)),
        lambda: tfidf_matrix(MANY.iloc[::-1].reset_index(drop=True)),
        lambda: tfidf_matrix(MANY.iloc[:-3]),
        lambda: tfidf_matrix(MANY, sublinear_tf=True),
        lambda: tfidf_matrix(MANY, "char"),
        lambda: tfidf_matrix(MANY, tokenizer=Tokenizer(officialese=True)),
        lambda: tfidf_matrix(MANY, tokenizer=Tokenizer(min_chars=2)),
        lambda: tfidf_matrix(MANY, tokenizer=Tokenizer(user_words=["双随机"])),
    ],
    ids=[
        "text",
        "id",
        "order",
        "fewer",
        "option",
        "analyzer",
        "officialese",
        "min-chars",
        "user-words",
    ],
)
def test_tfidf_any_change_is_a_miss(cached, change):
    tfidf_matrix(MANY, min_df=2)
    before = _entries(cached)
    fitted = change()
    assert len(_entries(cached)) == len(before) + 1
    assert fitted.matrix.nnz > 0


def test_option_types_are_told_apart():
    """scikit-learn reads min_df=1 as one document, min_df=1.0 as all of them."""
    from lawgovkit.tfidf import _as_data

    assert len({str(_as_data(v)) for v in (1, 1.0, True, "1", np.int64(1), None)}) == 5
    assert _as_data(np.int64(1)) == _as_data(1)
    assert _as_data((2, 3)) != _as_data([2, 3])
    assert _as_data(np.float64) == _as_data(np.dtype("float64"))


def test_tfidf_key_holds_lawgovkit_fingerprint(cached, monkeypatch):
    tfidf_matrix(MANY)
    monkeypatch.setattr(_store, "fingerprint", lambda: "another lawgovkit")
    tfidf_matrix(MANY)
    assert len(_entries(cached)) == 2


def test_tfidf_functions_as_options_are_not_cached(cached):
    fitted = tfidf_matrix(MANY, preprocessor=lambda text: text.replace("行政", ""))
    assert "行政复议" not in fitted.vectorizer.vocabulary_
    tfidf_matrix(MANY, tokenizer=lambda text: list(text))
    assert _entries(cached) == []


def test_tfidf_fit_that_warned_is_not_cached_and_warns_again(cached):
    for _ in range(2):
        with pytest.warns(UserWarning, match="stop_words"):
            tfidf_matrix(MANY, "char", stop_words=["行政"])
    assert _entries(cached) == []


def test_tfidf_damaged_entry_is_recomputed(cached):
    fitted = tfidf_matrix(MANY)
    (entry,) = _entries(cached)
    entry.write_bytes(entry.read_bytes()[:100])
    _assert_same_fit(tfidf_matrix(MANY), fitted)
    assert _store.ArrayStore(cached).get(entry.stem) is not None  # rewritten


def test_small_inputs_never_touch_the_disk():
    tfidf_matrix(MANY)
    top_k_similar(tfidf_matrix(MANY).matrix, k=2)
    assert _entries(_store.array_store().root) == []


def test_cache_off_writes_nothing(cached, monkeypatch, tmp_path):
    monkeypatch.setenv("LAWGOVKIT_CACHE", "off")
    fitted = tfidf_matrix(MANY)
    top_k_similar(fitted.matrix, k=2)
    assert _entries(cached) == []


def test_unwritable_cache_folder_still_computes(cached, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("LAWGOVKIT_CACHE", str(blocker / "cache"))
    fitted = tfidf_matrix(MANY)
    neighbours, _ = top_k_similar(fitted.matrix, k=2)
    assert fitted.ids == [f"u{i}" for i in range(12)] and neighbours.shape == (12, 2)


def test_top_k_read_back_equals_the_computation(cached, monkeypatch):
    matrix = tfidf_matrix(MANY).matrix
    neighbours, scores = top_k_similar(matrix, k=3)
    assert len(_entries(cached)) == 2  # the fit and the neighbours
    _no_computing(monkeypatch)
    again, again_scores = top_k_similar(matrix.copy(), k=3)
    assert again.dtype == neighbours.dtype and again.tolist() == neighbours.tolist()
    assert again_scores.tobytes() == scores.tobytes()


def test_top_k_any_change_is_a_miss(cached):
    matrix = tfidf_matrix(MANY).matrix
    top_k_similar(matrix, k=3)
    count = len(_entries(cached))
    top_k_similar(matrix, k=4)
    top_k_similar(matrix, k=3, block_size=5)
    changed = matrix.copy()
    changed.data[0] = np.nextafter(changed.data[0], 0)  # one value, by one bit
    top_k_similar(changed, k=3)
    assert len(_entries(cached)) == count + 3


def test_top_k_damaged_entry_is_recomputed(cached):
    matrix = tfidf_matrix(MANY).matrix
    neighbours, scores = top_k_similar(matrix, k=3)
    for entry in _entries(cached):
        entry.write_bytes(b"garbage")
    again, again_scores = top_k_similar(matrix, k=3)
    assert again.tolist() == neighbours.tolist()
    assert again_scores.tobytes() == scores.tobytes()


def test_most_similar_every_unit_twice_is_the_same(cached):
    with pytest.warns(LawgovkitWarning):
        first = most_similar(MANY, k=3)
    with pytest.warns(LawgovkitWarning):  # left-out units are still said on a read back
        second = most_similar(MANY, k=3)
    pd.testing.assert_frame_equal(first, second)


def test_top_k_zero_similarity_is_positive_zero():
    values = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    _, scores = top_k_similar(values, k=2)
    assert scores[0].tolist() == [0.6, 0.0]
    assert not np.signbit(scores).any()


@pytest.mark.parametrize("block_size", [1, 2, 5, None])
def test_top_k_neighbours_do_not_depend_on_the_block_size(block_size):
    matrix = tfidf_matrix(MANY).matrix
    expected, expected_scores = top_k_similar(matrix, k=4, block_size=3)
    neighbours, scores = top_k_similar(matrix, k=4, block_size=block_size)
    assert neighbours.tolist() == expected.tolist()
    np.testing.assert_allclose(scores, expected_scores, rtol=0, atol=1e-15)


# ---------------------------------------------------------------------------------------
# The TF-IDF fit counts tokens with numpy (similarity._count_vocab) instead of
# scikit-learn's Python loop: the result must be scikit-learn's, bit for bit.

ODD = pd.DataFrame(
    {
        "id": [f"o{i}" for i in range(8)],
        "text": [
            REVIEW,
            "",  # empty
            "行政复议行政复议行政复议案件案件",  # repeated tokens
            "的。,、",  # every token dropped
            MEDIATION + REVIEW_2,
            "   ",
            REVIEW_2 + "人民调解" * 5,
            "法律援助",
        ],
    }
)


def _assert_same_as_plain_fit(fitted, plain, texts):
    """``fitted`` (tfidf_matrix) equals ``plain``, fitted the ordinary way on ``texts``."""
    matrix = plain.fit_transform(texts)
    mine = fitted.matrix
    assert mine.shape == matrix.shape
    # the same entries, bit for bit, each row's terms in column order (the plain fit
    # leaves them in the order the terms were first seen)
    assert mine.has_sorted_indices
    matrix = matrix.copy()
    matrix.sort_indices()
    for part in ("data", "indices", "indptr"):
        one, other = getattr(mine, part), getattr(matrix, part)
        assert one.dtype == other.dtype and one.tobytes() == other.tobytes()
    va = fitted.vectorizer
    typed = [(t, type(n), n) for t, n in va.vocabulary_.items()]
    assert typed == [(t, type(n), n) for t, n in plain.vocabulary_.items()]  # order too
    assert set(vars(va)) - {"_stop_words_id"} == set(vars(plain)) - {"_stop_words_id"}
    assert getattr(va, "stop_words_", None) == getattr(plain, "stop_words_", None)
    if plain.use_idf:
        assert va.idf_.dtype == plain.idf_.dtype and va.idf_.tobytes() == plain.idf_.tobytes()
    assert list(va.get_feature_names_out()) == list(plain.get_feature_names_out())
    new = [REVIEW + MEDIATION, "法律援助", "天气", ""]
    one, other = va.transform(new), plain.transform(new)
    assert one.dtype == other.dtype and (one != other).nnz == 0
    assert "build_analyzer" not in vars(va) and "_count_vocab" not in vars(va)


_FIT_OPTIONS = [
    {},
    {"min_df": 2},
    {"max_df": 0.5},
    {"min_df": 2, "max_df": 0.9, "max_features": 6},
    {"max_features": 4},
    {"sublinear_tf": True, "norm": None},
    {"binary": True, "use_idf": False},
    {"dtype": np.float32, "smooth_idf": False},
    {"ngram_range": (1, 2), "stop_words": ["案件"]},
    {"analyzer": "char"},
    {"analyzer": "char", "min_df": 2, "max_features": 20, "dtype": np.float32},
    {"analyzer": "char", "ngram_range": (1, 1), "binary": True},
]


@pytest.mark.parametrize("chunk", [3, 2**20])
@pytest.mark.parametrize("options", _FIT_OPTIONS)
def test_fast_fit_equals_sklearns_plain_fit(monkeypatch, options, chunk):
    from lawgovkit.tfidf import _vectorizer

    counted = []
    count = tfidf_module._count_vocab
    monkeypatch.setattr(tfidf_module, "_COUNT_CHUNK_TOKENS", chunk)  # chunks too
    monkeypatch.setattr(tfidf_module, "_count_vocab", lambda *a: counted.append(1) or count(*a))
    options = dict(options)
    analyzer = options.pop("analyzer", "word")
    units = pd.concat([MANY, ODD], ignore_index=True)
    fitted = tfidf_matrix(units, analyzer, **options)
    assert counted == [1]  # the fast count was used
    assert {"o1", "o5"} <= set(fitted.left_out)  # empty or blank
    kept = units.set_index("id").loc[fitted.ids, "text"].tolist()
    _assert_same_as_plain_fit(fitted, _vectorizer(analyzer, None, **options), kept)


def test_fixed_vocabulary_fit_is_sklearns_own(monkeypatch):
    from lawgovkit.tfidf import _vectorizer

    monkeypatch.setattr(tfidf_module, "_count_vocab", None)  # must not be called
    vocabulary = ["行政复议", "人民调解", "法律援助", "天气"]
    fitted = tfidf_matrix(ODD, vocabulary=vocabulary)
    kept = ODD.set_index("id").loc[fitted.ids, "text"].tolist()
    _assert_same_as_plain_fit(fitted, _vectorizer("word", None, vocabulary=vocabulary), kept)


_ODD_TOKENS = [
    ["a", "b", "a", "c", "a"],
    [],
    ["c", "c"],
    ("tuple", "a"),
    [1, 1.0, True, "1", None, float("nan"), "d"],  # a dict's equality, as scikit-learn's
    [],
    ["b"] * 7 + ["e"],
    [],
]


@pytest.mark.parametrize("chunk", [1, 2, 5, 2**20])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_count_vocab_equals_sklearns(monkeypatch, chunk, dtype):
    from sklearn.feature_extraction.text import CountVectorizer

    monkeypatch.setattr(tfidf_module, "_COUNT_CHUNK_TOKENS", chunk)
    plain = CountVectorizer(analyzer=lambda tokens: tokens, dtype=dtype)
    vocabulary, matrix = plain._count_vocab(_ODD_TOKENS, False)
    my_vocabulary, mine = tfidf_module._count_vocab(iter(_ODD_TOKENS), dtype)
    assert list(my_vocabulary.items()) == list(vocabulary.items())
    assert type(mine) is type(matrix) and mine.shape == matrix.shape
    assert mine.has_sorted_indices == matrix.has_sorted_indices
    for part in ("data", "indices", "indptr"):
        one, other = getattr(mine, part), getattr(matrix, part)
        assert one.dtype == other.dtype and one.tobytes() == other.tobytes()


def test_count_vocab_of_nothing_raises_as_sklearn():
    with pytest.raises(ValueError, match="empty vocabulary"):
        tfidf_module._count_vocab(iter([[], []]), np.float64)


# The fit tokenizes its texts in one batch first (Tokenizer.tokenize_many) when it pays.

BATCH = pd.DataFrame(
    {
        "id": [f"b{i}" for i in range(210)],
        "text": [_PIECES[i % 5] + _PIECES[i % 7 % 5] + f"第{i}条" for i in range(210)],
    }
)


def _batches(tokenizer) -> list[int]:
    """Wraps ``tokenizer.tokenize_many``: the list grows by each call's number of texts."""
    calls: list[int] = []
    many = tokenizer.tokenize_many

    def spy(texts, **kwargs):
        texts = list(texts)
        calls.append(len(texts))
        return many(texts, **kwargs)

    tokenizer.tokenize_many = spy
    return calls


def test_fit_tokenizes_in_one_batch_first():
    tokenizer = Tokenizer(backend="jieba")
    calls = _batches(tokenizer)
    fitted = tfidf_matrix(BATCH, tokenizer=tokenizer)
    assert calls == [210]
    assert tokenizer.cache_info()["misses"] == len(set(BATCH["text"]))  # each segmented once
    plain = tfidf_matrix(BATCH, tokenizer=Tokenizer(backend="jieba"))
    _assert_same_fit(fitted, plain)


def test_a_fit_on_more_texts_than_the_cache_holds_reads_them_from_its_batch():
    tokenizer = Tokenizer(backend="jieba", cache_size=209)
    calls = _batches(tokenizer)
    fitted = tfidf_matrix(BATCH, tokenizer=tokenizer)
    assert calls == [210]
    assert tokenizer.cache_info()["misses"] == len(set(BATCH["text"]))  # each segmented once
    _assert_same_fit(fitted, tfidf_matrix(BATCH, tokenizer=Tokenizer(backend="jieba")))


@pytest.mark.parametrize(
    ("units", "tokenizer", "options"),
    [
        (BATCH.iloc[:199], {}, {}),  # too few for a batch
        (BATCH, {}, {"lowercase": True}),  # the tokenizer is not given the texts as they are
        (BATCH, {}, {"analyzer": "char"}),
    ],
)
def test_fit_tokenizes_in_one_batch_only_when_it_pays(units, tokenizer, options):
    tokenizer = Tokenizer(backend="jieba", **tokenizer)
    calls = _batches(tokenizer)
    options = dict(options)
    tfidf_matrix(units, options.pop("analyzer", "word"), tokenizer=tokenizer, **options)
    assert calls == []


def test_fit_does_not_tokenize_a_batch_twice():
    tokenizer = Tokenizer(backend="jieba")
    tokenizer.tokenize_many(BATCH["text"])
    calls = _batches(tokenizer)
    misses = tokenizer.cache_info()["misses"]
    tfidf_matrix(BATCH, tokenizer=tokenizer)
    assert calls == [] and tokenizer.cache_info()["misses"] == misses


# ---------------------------------------------------------------------------------------
# top_k_similar in blocks, with the columns most rows use as a dense product: the same
# neighbours as the dense reference, ties broken by the lower row number.


def _rows_to_compare(kind: str) -> np.ndarray:
    """L2-normalised rows: ``"tied"`` few distinct values (ties, equal rows, a row sharing
    nothing), ``"spread"`` many (equal rows and a row sharing nothing too)."""
    rng = np.random.default_rng(7)
    if kind == "tied":
        values = rng.integers(0, 3, size=(90, 30)) * (rng.random((90, 30)) < 0.3)
    else:
        values = rng.random((400, 60)) * (rng.random((400, 60)) < 0.2)
    values[10:20] = values[3]  # equal rows
    values[25] = 0
    values[:, :4] += 1  # columns most rows use: the dense product
    values[25] = 0
    norms = np.linalg.norm(values, axis=1, keepdims=True)
    return values / np.where(norms > 0, norms, 1)


@pytest.mark.parametrize(
    ("kind", "k", "block_size"),
    [
        ("tied", 1, 7),
        ("tied", 4, 16),
        ("tied", 12, 90),
        ("tied", 89, 25),
        ("spread", 1, 64),
        ("spread", 5, 150),
        ("spread", 3, 400),
    ],
)
def test_top_k_in_blocks_equals_the_dense_reference(kind, k, block_size):
    from scipy import sparse

    values = _rows_to_compare(kind)
    neighbours, scores = top_k_similar(sparse.csr_matrix(values), k, block_size=block_size)
    product = values @ values.T
    np.fill_diagonal(product, -np.inf)
    kth = -np.sort(-product, axis=1)[:, k - 1]
    for row in range(len(values)):
        chosen = neighbours[row]
        assert row not in chosen and len(set(chosen)) == k
        np.testing.assert_allclose(scores[row], product[row, chosen], atol=1e-12)
        assert (product[row, chosen] >= kth[row] - 1e-12).all()  # a true top k
        assert (np.diff(scores[row]) <= 0).all()  # best first
        equal = np.flatnonzero(np.diff(scores[row]) == 0)
        assert (chosen[equal] < chosen[equal + 1]).all()  # ties: the lower row first
    if kind == "tied":  # rows sharing nothing with any other: neighbours 0, 1, 2...
        assert neighbours[25].tolist() == [j for j in range(k + 1) if j != 25][:k]
