"""Tests of lawgovkit.themes: taxonomy, sentence split, coverage, passages, framing."""

from __future__ import annotations

import itertools
import re
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawgovkit.errors import ArgumentError
from lawgovkit.themes import (
    Framing,
    KeywordScorer,
    compare_framing,
    plan_themes,
    sentence_themes,
    split_sentences,
    theme_coverage,
    theme_names,
    theme_passages,
    theme_table,
)

GANGYAO = [
    "政府机构职能",
    "依法行政制度",
    "行政决策",
    "行政执法",
    "突发事件应对",
    "矛盾纠纷化解",
    "行政权力监督",
    "数字法治政府",
    "党的领导与推进机制",
]
JUSTICE = ["普法", "公共法律服务", "社区矫正与安置帮教"]

ACHIEVEMENTS = (
    "(一)行政执法更加规范。全面推行行政执法三项制度,开展案卷评查。"
    "二是设立行政复议服务中心,全年办理行政复议案件82件;"
    "三是落实谁执法谁普法责任制。"
)
TWO_THEMES = "依托司法所设立行政复议申请基层联络点,为群众提供法律援助。"
PLANS = "深化行政复议体制改革。加强人民调解组织建设。"


def _corpus() -> SimpleNamespace:
    sections = pd.DataFrame(
        {
            "report_id": ["x", "x", "y"],
            "section_id": ["一", "二", "一"],
            "role": ["achievements", "plans", "achievements"],
            "start": [0, len(ACHIEVEMENTS), 0],
            "text": [ACHIEVEMENTS, PLANS, TWO_THEMES],
        }
    )
    reports = pd.DataFrame({"jurisdiction": ["甲区", "乙县"]}, index=["x", "y"])
    return SimpleNamespace(reports=reports, sections=sections)


def test_taxonomy_has_the_twelve_themes_with_rich_keywords():
    names = theme_names()
    assert names[: len(GANGYAO)] == GANGYAO
    assert set(JUSTICE) <= set(names)
    table = theme_table()
    assert (table["n_keywords"] >= 20).all()
    assert table["description"].str.len().gt(20).all()
    assert table["key"].is_unique


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("一是设立中心;二是调解纠纷。", ["一是设立中心;", "二是调解纠纷。"]),
        ("覆盖率100%二是持续提升", ["覆盖率100%", "二是持续提升"]),
        ("(一)加强领导。一是学习", ["(一)加强领导。", "一是学习"]),
        ("统一是前提,唯一是目标", ["统一是前提,唯一是目标"]),  # not enumerators
        ("第一行\n\n第二行", ["第一行", "第二行"]),
        ("  ", []),
        ("。;", []),
    ],
)
def test_split_sentences(text, pieces):
    assert [text[s:e] for s, e in split_sentences(text)] == pieces


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="一二是法治。;\n (%)1调解", max_size=40))
def test_split_sentences_covers_every_word_character_once(text):
    spans = split_sentences(text)
    assert spans == sorted(spans)
    assert all(e1 <= s2 for (_, e1), (s2, _) in itertools.pairwise(spans))
    covered = {i for s, e in spans for i in range(s, e)}
    for i, char in enumerate(text):
        if re.match(r"[^\W_]", char):
            assert i in covered


def test_longest_keyword_wins_across_labels():
    scorer = KeywordScorer({"执法": {"执法": 1}, "普法": {"谁执法谁普法": 1}})
    assert scorer.scores("落实谁执法谁普法") == {"普法": 1.0}
    assert scorer.best("无关的话") is None


def test_sentences_carry_themes_and_can_carry_two():
    table = sentence_themes(_corpus())
    themes = dict(zip(table["sentence"], table["themes"], strict=True))
    assert themes["全面推行行政执法三项制度,开展案卷评查。"] == ("行政执法",)
    assert themes["三是落实谁执法谁普法责任制。"] == ("普法",)
    assert set(themes[TWO_THEMES]) == {"矛盾纠纷化解", "公共法律服务"}


def test_sentence_offsets_point_into_the_report_text():
    corpus = _corpus()
    text = ACHIEVEMENTS + PLANS
    for row in sentence_themes(corpus).query("report_id == 'x'").itertuples():
        assert text[row.start : row.end] == row.sentence


def test_sentence_table_is_computed_once_per_corpus(monkeypatch, seed_corpus):
    import lawgovkit.themes as themes

    calls = []
    original = themes._sentence_rows
    monkeypatch.setattr(themes, "_sentence_rows", lambda s: calls.append(1) or original(s))
    for corpus in (_corpus(), seed_corpus):
        themes._CACHE.clear()
        first = sentence_themes(corpus)
        first.loc[0, "sentence"] = "changed by the caller"
        second = sentence_themes(corpus)
        assert second.loc[0, "sentence"] != "changed by the caller"
    assert len(calls) == 2


def test_coverage_shape_order_and_range():
    coverage = theme_coverage(_corpus())
    assert list(coverage.index) == ["x", "y"]
    assert list(coverage.columns) == theme_names()
    assert ((coverage >= 0) & (coverage <= 1)).all().all()
    assert coverage.loc["y", "矛盾纠纷化解"] == pytest.approx(len(TWO_THEMES) / len(TWO_THEMES))
    assert coverage.loc["x", "突发事件应对"] == 0


def test_coverage_of_some_roles_only():
    plans = theme_coverage(_corpus(), roles=["plans"])
    assert plans.loc["x", "矛盾纠纷化解"] == pytest.approx(1.0)
    assert plans.loc["y"].sum() == 0  # y has no plans
    assert plans.loc["x", "行政执法"] == 0


def test_passages_columns_and_order():
    passages = theme_passages(_corpus(), "矛盾纠纷化解")
    assert list(passages.columns) == ["report_id", "jurisdiction", "section_id", "role", "sentence"]
    assert passages["report_id"].tolist() == ["x", "x", "x", "y"]
    assert passages["jurisdiction"].tolist() == ["甲区", "甲区", "甲区", "乙县"]
    assert passages["role"].tolist() == ["achievements", "plans", "plans", "achievements"]
    assert passages["sentence"].iloc[2] == "加强人民调解组织建设。"


def test_theme_by_english_key():
    by_key = theme_passages(_corpus(), "dispute_resolution")
    assert by_key.equals(theme_passages(_corpus(), "矛盾纠纷化解"))


def test_unknown_theme_lists_valid_names():
    with pytest.raises(ArgumentError, match=r"unknown theme '法治天气'.*矛盾纠纷化解"):
        theme_passages(_corpus(), "法治天气")


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("深化行政复议体制改革,推进诉源治理", "矛盾纠纷化解"),
        ("全面落实行政执法三项制度", "行政执法"),
        ("做好八五普法中期检查", "普法"),
        ("严格落实重大行政决策程序", "行政决策"),
        ("修订防汛抗旱应急预案", "突发事件应对"),
        ("持续优化法治化营商环境,深化放管服改革", "政府机构职能"),
        ("加强行政规范性文件备案审查", "依法行政制度"),
        ("建设数字法治政府,推进大数据应用", "数字法治政府"),
        ("压实党政主要负责人第一责任人职责", "党的领导与推进机制"),
        ("健全法律援助和公证服务便民机制", "公共法律服务"),
        ("加强社区矫正对象监督管理", "社区矫正与安置帮教"),
        ("主动接受人大监督和政协民主监督", "行政权力监督"),
        ("认真抓好落实", None),
        ("", None),
    ],
)
def test_plan_themes(text, theme):
    assert plan_themes([text]) == [theme]


def test_compare_framing_on_a_small_corpus():
    framing = compare_framing(_corpus(), "矛盾纠纷化解", min_count=1)
    assert isinstance(framing, Framing)
    assert framing.theme == "矛盾纠纷化解"
    assert list(framing.similarity.index) == ["x", "y"]
    assert set(framing.terms["group"]) <= {"x", "y"}
    assert "矛盾纠纷化解" in framing._repr_html_()


# --- acceptance on the seeds ---------------------------------------------------------


def test_seed_coverage_nonzero_for_enforcement_and_disputes(seed_corpus):
    coverage = theme_coverage(seed_corpus)
    assert len(coverage) == len(seed_corpus)
    assert (coverage["行政执法"] > 0).all()
    assert (coverage["矛盾纠纷化解"] > 0).all()


def test_seed_passages_hold_every_sentence_on_review_or_mediation(seed_corpus):
    passages = theme_passages(seed_corpus, "矛盾纠纷化解")
    sentences = sentence_themes(seed_corpus)
    for report_id in seed_corpus.reports.index:
        mine = set(passages.loc[passages["report_id"] == report_id, "sentence"])
        said = sentences[
            (sentences["report_id"] == report_id)
            & sentences["sentence"].str.contains("行政复议|调解")
        ]["sentence"]
        assert len(said) > 0, report_id
        assert set(said) <= mine, report_id


def test_seed_compare_framing(seed_corpus):
    framing = compare_framing(seed_corpus, "矛盾纠纷化解")
    assert framing.similarity.shape == (5, 5)
    assert not framing.terms.empty
