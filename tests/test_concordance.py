"""Tests of lawgovkit.concordance (kwic): never truncated, filtered by role."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest

import lawgovkit as lgk
from lawgovkit.concordance import COLUMNS, Concordance, kwic
from lawgovkit.errors import ArgumentError
from lawgovkit.tokenize import Tokenizer

TERMS = ["行政复议", "法治", "问题", "行政执法", "一是", "。"]
TEXT = (
    "某区2023年度法治政府建设情况报告\n一、主要成效\n办理行政复议案件12件,行政复议纠错3件。\n"
    "二、存在的问题\n行政复议人员不足。\n三、下一步工作计划\n深化行政复议体制改革。"
)


def _inside(sections: pd.DataFrame, report_id: str, start: int, end: int) -> set[str]:
    """The roles of the sections of ``report_id`` that [start, end) touches."""
    own = sections[sections["report_id"] == report_id]
    touched = own[(own["start"] < end) & (own["end"] > start)]
    return set(touched["role"])


@pytest.mark.parametrize("term", TERMS)
def test_seeds_every_occurrence_once_with_offsets_that_slice_back(seed_corpus, term):
    table = kwic(seed_corpus, term, window=5)
    assert list(table.columns) == COLUMNS
    for report in seed_corpus:
        rows = table[table["report_id"] == report.id]
        assert len(rows) == report.text.count(term)
        assert rows["offset"].is_monotonic_increasing
        for row in rows.itertuples(index=False):
            assert report.text[row.offset : row.offset + len(row.match)] == term
            assert report.text[row.offset - len(row.left) : row.offset] == row.left
            after = row.offset + len(term)
            assert report.text[after : after + len(row.right)] == row.right
    order = {rid: i for i, rid in enumerate(seed_corpus.reports.index)}
    assert table["report_id"].map(order).is_monotonic_increasing


@pytest.mark.parametrize("role", ["problems", "plans", "achievements"])
def test_seeds_role_filter_returns_only_matches_inside_that_role(seed_corpus, role):
    sections = seed_corpus.sections
    for term in ("行政", "法治", "问题", "工作"):
        table = kwic(seed_corpus, term, role=role)
        for row in table.itertuples(index=False):
            end = row.offset + len(row.match)
            assert _inside(sections, row.report_id, row.offset, end) == {role}
            assert row.role == role
        in_role = sections[sections["role"] == role]
        assert len(table) == sum(text.count(term) for text in in_role["text"])


def test_a_100000_character_report_is_not_cut():
    body = "".join(f"第{i}段落实行政复议制度。" for i in range(9000))
    report = lgk.Report.from_text(
        "某区2023年度法治政府建设情况报告\n一、主要成效\n" + body, id="long"
    )
    assert len(report.text) > 100_000
    table = kwic(report, "行政复议", window=3)
    assert len(table) == 9000 == report.text.count("行政复议")
    assert table["offset"].iloc[-1] == report.text.rfind("行政复议")
    assert table["right"].iloc[-1] == "制度。"


def test_a_match_across_two_roles_is_left_out_of_each_role():
    sections = pd.DataFrame(
        {
            "report_id": ["r", "r"],
            "section_id": ["一", "二"],
            "role": ["achievements", "problems"],
            "start": [0, 4],
            "end": [4, 8],
            "text": ["办理行政", "复议不足"],
        }
    )
    corpus = SimpleNamespace(reports=pd.DataFrame(index=["r"]), sections=sections)
    assert kwic(corpus, "行政复议")["section_id"].tolist() == ["一"]
    assert kwic(corpus, "行政复议", role="problems").empty
    assert kwic(corpus, "行政复议", role=["achievements", "problems"])["offset"].tolist() == [2]


def test_literal_by_default_regex_when_asked():
    report = lgk.Report.from_text(TEXT, id="r")
    assert kwic(report, "12件.")["match"].tolist() == []
    assert kwic(report, r"\d+件", regex=True)["match"].tolist() == ["12件", "3件"]
    assert kwic(report, "(?=行政)", regex=True).empty  # empty matches are skipped


def test_by_token_counts_words_not_punctuation():
    report = lgk.Report.from_text(TEXT, id="r")
    table = kwic(report, "行政复议", window=2, by="token", tokenizer=Tokenizer(backend="jieba"))
    first = table.iloc[0]
    assert first["left"].endswith("办理") and first["right"].startswith("案件12")
    second = table.iloc[1]
    assert second["left"] == "12件,"  # two words back: 12, 件; the comma is not a word
    assert kwic(report, "行政复议", window=0, by="token")["left"].tolist() == [""] * 4


def test_where_filters_on_metadata(seed_corpus):
    hubei = kwic(seed_corpus, "法治", where={"province": "湖北省"})
    assert set(hubei["report_id"]) == set(
        seed_corpus.reports.index[seed_corpus.reports["province"] == "湖北省"]
    )
    years = kwic(seed_corpus, "法治", where={"report_year": [2021, 2022]})
    assert set(seed_corpus.reports.loc[list(set(years["report_id"])), "report_year"]) <= {
        2021,
        2022,
    }
    with pytest.raises(ArgumentError, match="cannot filter on 'colour'"):
        kwic(seed_corpus, "法治", where={"colour": "red"})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"pattern": ""}, "non-empty pattern"),
        ({"pattern": "法治", "role": "problem"}, "unknown role"),
        ({"pattern": "法治", "by": "word"}, "by must be"),
        ({"pattern": "法治", "window": -1}, "window"),
        ({"pattern": "(法治", "regex": True}, "invalid regular expression"),
    ],
)
def test_bad_arguments(seed_corpus, kwargs, message):
    with pytest.raises(ArgumentError, match=re.escape(message)):
        kwic(seed_corpus, **kwargs)


def test_deterministic_and_a_dataframe(seed_corpus):
    a, b = kwic(seed_corpus, "法治"), kwic(seed_corpus, "法治")
    pd.testing.assert_frame_equal(a, b)
    assert isinstance(a, pd.DataFrame) and isinstance(a.head(), Concordance)
    assert not kwic(seed_corpus, "不会出现的词语").columns.difference(COLUMNS).size


def test_jupyter_display_right_aligns_the_left_context_and_marks_the_match():
    report = lgk.Report.from_text(TEXT.replace("案件", "<案件>"), id="r")
    shown = kwic(report, "行政复议")._repr_html_()
    assert "text-align:right;white-space:pre'>" in shown
    assert "<mark><b>行政复议</b></mark>" in shown
    assert "&lt;案件&gt;" in shown and "↵" in shown
    plain = kwic(report, "行政复议")[["match"]]._repr_html_()
    assert "<mark>" not in plain


def test_top_level_name():
    assert lgk.kwic is kwic
