"""Tests of lawgovkit.tfidf's version check: scikit-learn's private API is used only on the
versions it was tested with, and the public fallback gives the same fit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sklearn

from lawgovkit import _store, tfidf
from lawgovkit.tfidf import tfidf_matrix, uses_private_api

UNITS = pd.DataFrame(
    {
        "id": ["a", "b", "c", "d", "e"],
        "text": [
            "深化行政复议体制改革,行政复议案件纠错率下降。",
            "加强行政复议规范化建设,提高行政复议办案质量。",
            "",
            "人民调解组织调解矛盾纠纷,调解成功率达到高水平。",
            "的。,、",
        ],
    }
)


@pytest.mark.parametrize(
    ("version", "expected"),
    [("1.3.0", True), ("1.9.1", True), ("1.2.2", False), ("1.10.0", False), ("2.0", False)],
)
def test_the_private_api_only_on_tested_versions(monkeypatch, version, expected):
    monkeypatch.setattr(sklearn, "__version__", version)
    assert tfidf.SKLEARN_TESTED == ((1, 3), (1, 9))
    assert uses_private_api() is expected


def test_an_unparsable_version_means_the_public_path(monkeypatch):
    monkeypatch.setattr(sklearn, "__version__", "nightly")
    assert uses_private_api() is False


@pytest.mark.parametrize(
    "options",
    [{}, {"sublinear_tf": True, "min_df": 2}, {"analyzer": "char"}, {"binary": True}],
)
def test_the_public_fallback_fits_the_same(monkeypatch, tmp_path, options):
    options = dict(options)
    analyzer = options.pop("analyzer", "word")
    quick = tfidf_matrix(UNITS, analyzer, **options)
    monkeypatch.setattr(sklearn, "__version__", "99.0")
    monkeypatch.setattr(_store, "MIN_STORED", 1)  # the quick path would store this fit
    monkeypatch.setenv("LAWGOVKIT_CACHE", str(tmp_path))
    plain = tfidf_matrix(UNITS, analyzer, **options)
    assert plain.ids == quick.ids == ["a", "b", "d"]
    assert plain.left_out == quick.left_out == ["c", "e"]
    assert plain.matrix.shape == quick.matrix.shape
    assert abs(plain.matrix - quick.matrix).max() == 0
    assert plain.vectorizer.vocabulary_ == quick.vectorizer.vocabulary_
    assert np.array_equal(plain.vectorizer.idf_, quick.vectorizer.idf_)
    assert list(tmp_path.rglob("*.npz")) == []  # the fallback stores nothing


def test_the_public_fallback_with_no_text_at_all(monkeypatch):
    monkeypatch.setattr(sklearn, "__version__", "99.0")
    fitted = tfidf_matrix(pd.DataFrame({"id": ["a", "b"], "text": ["", "。"]}))
    assert fitted.ids == [] and fitted.left_out == ["a", "b"]
    assert fitted.matrix.shape == (0, 0)
