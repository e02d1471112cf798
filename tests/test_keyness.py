"""Tests of lawgovkit.keyness: G² keyness like quanteda's textstat_keyness, TF-IDF top terms."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency

from lawgovkit.errors import ArgumentError, LawgovkitWarning
from lawgovkit.keyness import (
    COLUMNS,
    SMOOTHING,
    distinctive_terms,
    keyness_table,
    top_tfidf_terms,
)
from lawgovkit.tokenize import Tokenizer

# Space-separated words: the tokenizer keeps each one whole.
REVIEW = "行政复议 行政复议 行政复议 行政应诉 人民调解"
MEDIATION = "人民调解 人民调解 人民调解 法律援助 行政复议"
PUBLICITY = "普法 普法 法律援助 法律援助 人民调解"
UNITS = pd.DataFrame(
    {"id": ["a", "b", "c"], "text": [REVIEW, MEDIATION, PUBLICITY], "kind": ["区", "县", "县"]}
)
TOK = Tokenizer(backend="jieba")


def _corpus() -> SimpleNamespace:
    sections = pd.DataFrame(
        {
            "report_id": ["a", "b", "c"],
            "section_id": ["一"] * 3,
            "role": ["achievements"] * 3,
            "start": [0] * 3,
            "text": [REVIEW, MEDIATION, PUBLICITY],
        }
    )
    reports = pd.DataFrame(
        {"province": ["湖北省", "湖北省", None], "level": ["district", "county", "county"]},
        index=["a", "b", "c"],
    )
    return SimpleNamespace(reports=reports, sections=sections)


def test_columns_and_order():
    table = distinctive_terms(UNITS, n=3, min_count=1, tokenizer=TOK)
    assert list(table.columns) == COLUMNS
    assert table["group"].is_monotonic_increasing
    for _, rows in table.groupby("group"):
        assert rows["g2"].is_monotonic_decreasing
    assert (table["g2"] > 0).all()


def test_top_term_per_report():
    table = distinctive_terms(UNITS, n=1, min_count=2, tokenizer=TOK)
    assert table[["group", "term"]].values.tolist() == [
        ["a", "行政复议"],
        ["b", "人民调解"],
        ["c", "普法"],
    ]


def test_g2_matches_scipy_log_likelihood():
    table = distinctive_terms(UNITS, n=None, min_count=1, tokenizer=TOK)
    row = table[(table["group"] == "a") & (table["term"] == "行政复议")].iloc[0]
    a, b = row["count_group"], row["count_rest"]
    contingency = np.array([[a, b], [5 - a, 10 - b]])
    g2, p, _, _ = chi2_contingency(contingency, correction=False, lambda_="log-likelihood")
    assert row["g2"] == pytest.approx(g2)
    assert row["p"] == pytest.approx(p)
    expected_lr = math.log2(((a + SMOOTHING) / 5) / ((b + SMOOTHING) / 10))
    assert row["log_ratio"] == pytest.approx(expected_lr)


def test_min_count_filters():
    table = distinctive_terms(UNITS, n=None, min_count=3, tokenizer=TOK)
    assert (table["count_group"] >= 3).all()


def test_by_a_column_of_the_units():
    table = distinctive_terms(UNITS, by="kind", n=2, min_count=1, tokenizer=TOK)
    assert set(table["group"]) <= {"区", "县"}


def test_by_a_reports_column_leaves_out_missing_values():
    with (
        pytest.warns(LawgovkitWarning, match="c"),
        pytest.raises(ArgumentError, match=r"by=.province.*two groups.*湖北省"),
    ):
        distinctive_terms(_corpus(), by="province", n=5, min_count=1, tokenizer=TOK)
    by_level = distinctive_terms(_corpus(), by="level", n=1, min_count=1, tokenizer=TOK)
    assert by_level["group"].tolist() == ["county", "district"]


def test_needs_two_groups():
    with pytest.raises(ArgumentError, match="at least two groups"):
        keyness_table(UNITS.assign(group="全部"), tokenizer=TOK)


def test_unknown_grouping_column():
    with pytest.raises(ArgumentError, match="cannot group by 'colour'"):
        distinctive_terms(_corpus(), by="colour", tokenizer=TOK)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["复议", "调解", "普法", "援助", "公证"]), min_size=1, max_size=8),
        min_size=2,
        max_size=4,
    )
)
def test_keyness_invariants(docs):
    units = pd.DataFrame(
        {"group": [f"g{i}" for i in range(len(docs))], "text": [" ".join(d) for d in docs]}
    )
    table = keyness_table(units, n=None, min_count=1, tokenizer=TOK)
    assert (table["g2"] > 0).all()
    assert ((table["p"] >= 0) & (table["p"] <= 1)).all()
    sizes = units.set_index("group")["text"].str.split().str.len()
    for row in table.itertuples(index=False):  # over-represented terms only
        rest = sizes.sum() - sizes[row.group]
        assert row.count_group / sizes[row.group] > row.count_rest / rest
    for group, term, count in table[["group", "term", "count_group"]].itertuples(index=False):
        words = units.set_index("group").loc[group, "text"].split()
        assert words.count(term) == count


def test_top_tfidf_terms():
    table = top_tfidf_terms(UNITS, n=2, tokenizer=TOK)
    assert list(table.columns) == ["id", "rank", "term", "tfidf"]
    assert table.groupby("id").size().tolist() == [2, 2, 2]
    assert table.set_index(["id", "rank"]).loc[("c", 1), "term"] == "普法"


def test_seed_distinctive_terms_name_places(seed_corpus):
    table = distinctive_terms(seed_corpus, n=10)
    assert sorted(table["group"].unique()) == sorted(seed_corpus.reports.index)
    terms = table.groupby("group")["term"].apply(set)
    assert "江夏区" in terms.iloc[0] or "江夏" in terms.iloc[0]


def test_seed_distinctive_terms_by_body(seed_corpus):
    table = distinctive_terms(seed_corpus, by="body", n=5)
    assert set(table["group"]) == set(seed_corpus.reports["body"].dropna())
