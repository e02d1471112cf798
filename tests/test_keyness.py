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


def test_seed_default_tables_have_no_single_characters_and_no_places(seed_corpus):
    from lawgovkit.places import find_places

    for by in ("report", "province", "body"):
        table = distinctive_terms(seed_corpus, by=by, n=30)
        assert len(table) > 0
        assert (table["term"].str.len() > 1).all(), by
        places = set(seed_corpus.reports[["jurisdiction", "city", "province"]].stack())
        shorts = {"江夏", "东昌府", "武汉", "新晃", "綦江", "湖北", "山东", "湖南", "重庆"}
        assert not set(table["term"]) & (places | shorts), by
        assert not [t for t in table["term"] if find_places(t)], by


def test_seed_place_names_come_back_when_asked(seed_corpus):
    table = distinctive_terms(seed_corpus, n=10, exclude=())
    terms = table.groupby("group")["term"].apply(set)
    assert "江夏区" in terms.iloc[0] or "江夏" in terms.iloc[0]


def test_seed_distinctive_terms_by_body(seed_corpus):
    table = distinctive_terms(seed_corpus, by="body", n=5)
    assert set(table["group"]) == set(seed_corpus.reports["body"].dropna())


# --- the rebuilt keyness: statistics, references, filters -------------------------------

WORDS = ["复议", "调解", "普法", "援助", "公证", "执法", "立法", "监督"]


def _g2_from_the_formula(a: float, b: float, c: float, d: float) -> float:
    """G² = 2 Σ O ln(O / E) over the 2×2 table [[a, b], [c - a, d - b]], by hand."""
    total = c + d
    cells = [(a, c * (a + b) / total), (b, d * (a + b) / total)]
    cells += [(c - a, c * (total - a - b) / total), (d - b, d * (total - a - b) / total)]
    return 2 * sum(o * math.log(o / e) for o, e in cells if o > 0)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30), min_size=2, max_size=5))
def test_g2_equals_the_formula_and_bh_equals_scipy(docs):
    from scipy.stats import false_discovery_control

    units = pd.DataFrame(
        {"group": [f"g{i}" for i in range(len(docs))], "text": [" ".join(d) for d in docs]}
    )
    table = keyness_table(units, n=None, min_count=1, tokenizer=TOK, exclude=(), sides="both")
    sizes = {f"g{i}": len(d) for i, d in enumerate(docs)}
    total = sum(sizes.values())
    for row in table.itertuples(index=False):
        a, b = row.count_group, row.count_rest
        assert docs[int(row.group[1:])].count(row.term) == a
        expected = _g2_from_the_formula(a, b, sizes[row.group], total - sizes[row.group])
        assert abs(abs(row.g2) - expected) <= 1e-9
    for _, rows in table.groupby("group"):
        assert np.allclose(rows["p_adj"], false_discovery_control(rows["p"]), rtol=0, atol=1e-12)


def test_bh_over_every_term_tested_not_only_the_top_n():
    from scipy.stats import false_discovery_control

    full = distinctive_terms(UNITS, n=None, min_count=1, tokenizer=TOK)
    top = distinctive_terms(UNITS, n=1, min_count=1, tokenizer=TOK)
    for row in top.itertuples(index=False):
        rows = full[full["group"] == row.group]
        adjusted = dict(zip(rows["term"], false_discovery_control(rows["p"]), strict=True))
        assert row.p_adj == pytest.approx(adjusted[row.term], abs=1e-12)


def test_reference_another_group():
    table = distinctive_terms(UNITS, by="kind", reference="区", n=None, min_count=1, tokenizer=TOK)
    assert set(table["group"]) == {"县"}
    row = table.set_index("term").loc["人民调解"]
    # 县 (b, c): 人民调解 3 + 1 of 10 tokens; 区 (a): 1 of 5
    assert (row["count_group"], row["count_rest"]) == (4, 1)
    assert table.attrs["reference"] == "区"


def test_reference_another_corpus_and_the_genre():
    other = pd.DataFrame({"id": ["x"], "text": ["人民调解 人民调解 公证"]})
    table = distinctive_terms(UNITS, by=None, reference=other, n=None, min_count=1, tokenizer=TOK)
    assert set(table["group"]) == {"corpus"}
    assert table.set_index("term").loc["行政复议", "count_rest"] == 0
    assert table.attrs["reference"] == "another corpus"
    from lawgovkit.keyness import genre_background

    background = genre_background().set_index("term")["count"]
    genre = distinctive_terms(UNITS, by=None, reference="genre", n=None, min_count=1, tokenizer=TOK)
    for row in genre.itertuples(index=False):
        assert row.count_rest == background.get(row.term, 0)


def test_unknown_reference_names_the_groups():
    with pytest.raises(ArgumentError, match=r"reference must be.*'区'.*'县'"):
        distinctive_terms(UNITS, by="kind", reference="市", tokenizer=TOK)


def test_sides_both_lists_the_reference_terms_too():
    table = distinctive_terms(UNITS, n=2, min_count=1, tokenizer=TOK, sides="both")
    a = table[table["group"] == "a"]
    assert (a["g2"] > 0).sum() == 2 and (a["g2"] < 0).sum() == 2
    assert a["g2"].tolist()[:2] == sorted(a["g2"].tolist()[:2], reverse=True)
    assert "法律援助" in set(a.loc[a["g2"] < 0, "term"])  # absent from a: count_group 0
    with pytest.raises(ArgumentError, match="sides"):
        distinctive_terms(UNITS, tokenizer=TOK, sides="left")


def test_dispersion_counts_reports_of_the_group():
    units = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "kind": ["区", "区", "县", "县"],
            "text": ["行政复议 行政复议 行政复议", "人民调解 普法", "法律援助", "公证 人民调解"],
        }
    )
    table = distinctive_terms(units, by="kind", n=None, min_count=1, tokenizer=TOK)
    assert table.set_index(["group", "term"]).loc[("区", "行政复议"), "reports_group"] == 1
    spread = distinctive_terms(units, by="kind", n=None, min_count=1, min_reports=2, tokenizer=TOK)
    assert "行政复议" not in set(spread["term"])


def test_each_text_is_tokenized_once():
    tok = Tokenizer(backend="jieba")
    distinctive_terms(UNITS, n=3, min_count=1, tokenizer=tok)
    assert tok.cache_info()["misses"] == len(UNITS)
    assert tok.cache_info()["hits"] == 0


@pytest.mark.parametrize(
    ("term", "dropped"),
    [
        ("率", True),  # one character
        ("12345", True),
        ("5G", True),
        ("十余", True),
        ("余场", True),  # 10余场 cut after the number
        ("十四五", False),  # names a plan
        ("江夏区", True),  # in cpca's table
        ("江夏", True),  # the corpus's own place, short form
        ("新晃", True),  # 新晃侗族自治县 without 侗族自治县
        ("平安", False),  # 平安区 is not the corpus's place: the word stays
        ("全市", True),  # self-reference
        ("法治政府建设", True),  # the genre's name
        ("推进", True),  # officialese
        ("行政复议", False),
    ],
)
def test_default_filters(term, dropped):
    from lawgovkit.keyness import excluded_terms

    assert excluded_terms([term], places=["江夏区", "新晃侗族自治县"]).tolist() == [dropped]


def test_unknown_filter_is_an_error():
    with pytest.raises(ArgumentError, match="unknown filters"):
        distinctive_terms(UNITS, tokenizer=TOK, exclude=("colours",))


def test_genre_background_states_its_provenance_and_comes_from_the_seeds(seeds_dir):
    from lawgovkit._data import data_path
    from lawgovkit.keyness import genre_background

    header = data_path("genre_background.tsv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("# _about:")
    background = genre_background()
    assert background["count"].is_monotonic_decreasing
    assert (background["reports"].between(1, 5)).all()
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt")))
    missing = [t for t in background["term"] if t not in text]
    assert not missing


@pytest.mark.parametrize("n_groups", [1, 10, 64, 65, 300])
def test_adjusted_p_values_are_benjamini_hochberg_within_each_group(n_groups):
    from scipy.stats import false_discovery_control

    from lawgovkit.keyness import _adjusted_by_group

    rng = np.random.default_rng(n_groups)
    groups = rng.integers(0, n_groups, 2_000)
    p = rng.uniform(0, 1, 2_000) ** 3
    adjusted = _adjusted_by_group(groups, p)
    for g in np.unique(groups):
        mine = adjusted[groups == g]
        assert np.allclose(mine, false_discovery_control(p[groups == g]), rtol=0, atol=1e-12)


def test_the_callers_units_are_left_as_they_were():
    units = pd.DataFrame(
        {"id": ["a", "b", "c"], "text": ["行政复议 行政复议 人民调解", None, "法律援助 法律援助"]}
    )
    before = units.copy()
    with pytest.warns(LawgovkitWarning, match="lack of text"):
        distinctive_terms(units, n=1, min_count=1, tokenizer=TOK)
    table = keyness_table(units.assign(group=["x", "x", "y"]), n=None, min_count=1, tokenizer=TOK)
    assert "nan" not in set(table["term"])  # a missing text is empty, not the word "nan"
    pd.testing.assert_frame_equal(units, before)
