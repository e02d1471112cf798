"""Tests of lawgovkit.collocation: collocates of a term with G², PMI and t-score."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest

import lawgovkit as lgk
from lawgovkit.collocation import COLUMNS, collocations
from lawgovkit.errors import ArgumentError
from lawgovkit.tokenize import Tokenizer

TOK = Tokenizer(backend="jieba")
# space-separated words: each one a token
ACHIEVED = "行政复议 案件 办结 行政复议 案件 公证 服务 便民 公证 改革"
PROBLEMS = "行政复议 人员 不足 调解 人员 不足"


def _corpus() -> SimpleNamespace:
    sections = pd.DataFrame(
        {
            "report_id": ["a", "a", "b"],
            "section_id": ["一", "二", "一"],
            "role": ["achievements", "problems", "achievements"],
            "start": [0, len(ACHIEVED), 0],
            "text": [ACHIEVED, PROBLEMS, "法律援助 案件 增加"],
        }
    )
    reports = pd.DataFrame({"level": ["district", "county"]}, index=["a", "b"])
    return SimpleNamespace(reports=reports, sections=sections)


def _g2(o: float, c: float, r: float, n: float) -> float:
    cells = [(o, r * c / n), (c - o, (n - r) * c / n)]
    cells += [(r - o, r * (n - c) / n), (n - r - c + o, (n - r) * (n - c) / n)]
    return 2 * sum(x * math.log(x / e) for x, e in cells if x > 0)


def test_counts_and_measures_from_the_formulas():
    table = collocations(_corpus(), "行政复议", window=1, min_count=1, n=None, tokenizer=TOK)
    assert list(table.columns) == COLUMNS
    # windows of 1: 案件 (twice, after each node), 办结 (before the 2nd), 人员 (in problems)
    assert table.attrs == {"node_count": 3, "window_tokens": 4, "tokens": 19}
    row = table.set_index("collocate").loc["案件"]
    o, c, r, n = 2, 3, 4, 19
    assert (row["count"], row["count_total"], row["reports"]) == (o, c, 1)
    assert row["expected"] == pytest.approx(r * c / n, abs=1e-12)
    assert row["log_likelihood"] == pytest.approx(_g2(o, c, r, n), abs=1e-9)
    assert row["pmi"] == pytest.approx(math.log2(o / (r * c / n)), abs=1e-12)
    assert row["t_score"] == pytest.approx((o - r * c / n) / math.sqrt(o), abs=1e-12)
    assert "行政复议" not in set(table["collocate"])


def test_overlapping_windows_count_a_token_once():
    corpus = _corpus()
    corpus.sections.loc[0, "text"] = "行政复议 案件 行政复议"
    table = collocations(corpus, "行政复议", window=1, min_count=1, n=None, tokenizer=TOK)
    assert table.set_index("collocate").loc["案件", "count"] == 1


def test_role_filter_and_metadata_filter():
    problems = collocations(
        _corpus(), "行政复议", window=2, role="problems", min_count=1, tokenizer=TOK
    )
    assert set(problems["collocate"]) == {"人员", "不足"}
    assert problems.attrs["tokens"] == 6
    none = collocations(
        _corpus(), "行政复议", where={"level": "county"}, min_count=1, tokenizer=TOK
    )
    assert none.empty and none.attrs["node_count"] == 0


def test_sorted_by_the_measure_asked():
    for measure in ("log_likelihood", "pmi", "t_score"):
        table = collocations(
            _corpus(), "行政复议", window=3, measure=measure, min_count=1, tokenizer=TOK
        )
        assert table[measure].is_monotonic_decreasing


def test_a_term_the_tokenizer_would_cut_is_kept_whole(seed_corpus):
    term = "行政复议体制改革"
    assert TOK(term) != [term]
    table = collocations(seed_corpus, term, min_count=1, tokenizer=TOK)
    assert table.attrs["node_count"] == sum(r.text.count(term) for r in seed_corpus)
    assert table.attrs["node_count"] > 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"term": ""}, "need a term"),
        ({"term": "。"}, "not a word the tokenizer keeps"),
        ({"term": "行政复议", "window": 0}, "window"),
        ({"term": "行政复议", "measure": "dice"}, "unknown measure"),
        ({"term": "行政复议", "role": "plan"}, "unknown role"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ArgumentError, match=message):
        collocations(_corpus(), tokenizer=TOK, **kwargs)


def test_top_level_name():
    assert lgk.collocations is collocations
