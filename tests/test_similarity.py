"""Tests of lawgovkit.similarity: labelled symmetric matrices, left-out units said so."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawgovkit.errors import ArgumentError, LawgovkitWarning
from lawgovkit.similarity import (
    most_similar,
    similar_pairs,
    similarity_matrix,
    text_units,
    tfidf_matrix,
)
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


def test_docstring_examples_run():
    import doctest

    import lawgovkit.similarity as module

    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
