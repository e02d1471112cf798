"""Tests of lawgovkit.problems: problem categories, candour measures, plan response.

tests/data/problem_labels.csv holds problem statements written for these tests (not copied
from any report), each labelled by hand with a category key.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from lawgovkit.errors import LawgovkitWarning
from lawgovkit.problems import (
    candour,
    categorize_problems,
    is_generic,
    is_specific,
    plan_response,
    problem_categories,
)

LABELS = Path(__file__).parent / "data" / "problem_labels.csv"
REQUIRED = {
    "personnel_capacity",
    "legal_awareness",
    "uneven_development",
    "enforcement_standards",
    "reconsideration_litigation",
    "coordination_mechanisms",
    "legal_service_supply",
    "publicity_effectiveness",
    "mediation_quality",
    "other",
}

PROBLEMS_PART = "二、存在的不足和原因\n一是执法人员不足;二是由于编制所限,复议纠错率达8%。"


def _corpus() -> SimpleNamespace:
    sections = pd.DataFrame(
        {
            "report_id": ["x", "x", "x", "y"],
            "section_id": ["一", "二", "三", "一"],
            "role": ["achievements", "problems", "plans", "achievements"],
            "heading": ["一、成效", "二、存在的不足和原因", "三、计划", None],
            "start": [0, 10, 10 + len(PROBLEMS_PART), 0],
            "text": ["一、成效\n" + "成" * 5, PROBLEMS_PART, "三、计划\n加强培训。", "普法。"],
        }
    )
    problems = pd.DataFrame(
        {
            "report_id": ["x", "x", "y"],
            "n": [1, 2, 1],
            "text": ["执法人员不足", "由于编制所限,复议纠错率达8%", "法治宣传实效有待进一步增强"],
        }
    )
    plans = pd.DataFrame(
        {
            "report_id": ["x", "x"],
            "n": [1, 2],
            "text": ["加强行政复议规范化建设,降低纠错率", "充实执法人员队伍,加强执法人员培训"],
        }
    )
    reports = pd.DataFrame(index=["x", "y"])
    return SimpleNamespace(reports=reports, sections=sections, problems=problems, plans=plans)


def test_taxonomy_holds_the_required_categories():
    table = problem_categories()
    assert set(table["key"]) >= REQUIRED
    assert table["label"].str.contains(r"[\u4e00-\u9fff]").all()


def test_labelled_statements_agree_at_least_85_percent():
    labelled = pd.read_csv(LABELS)
    assert len(labelled) >= 40
    assert labelled["category"].nunique() >= 10
    assert set(labelled["category"]) <= set(problem_categories()["key"])
    got = categorize_problems(labelled["text"])
    share = (pd.Series(got) == labelled["category"]).mean()
    print(f"problem categories agree with the hand labels on {share:.1%} of {len(labelled)}")
    assert share >= 0.85


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("行政复议纠错率偏高", "reconsideration_litigation"),
        ("基层人民调解员业务水平不高", "mediation_quality"),
        ("公共法律服务供给不足", "legal_service_supply"),
        ("", "other"),
        ("天气炎热", "other"),
    ],
)
def test_categorize_examples(text, key):
    assert categorize_problems([text]) == [key]


def test_headline_outweighs_the_body():
    text = "普法针对性不强。执法人员、调解人员参与普法不多。"
    assert categorize_problems([text]) == ["publicity_effectiveness"]


@pytest.mark.parametrize(
    ("text", "specific", "generic"),
    [
        ("全区行政复议纠错率达12%", True, False),
        ("三个街道未配备法制审核人员", True, False),
        ("由于编制所限,人手不足", True, False),
        ("城东区市场监管局执法案卷不规范", True, False),
        ("受机构改革影响,人员变动频繁", True, False),
        ("法治意识有待进一步加强", False, True),
        ("法治宣传针对性实效性有待进一步增强", False, True),
        ("执法水平还不够高", False, True),
        ("个别单位重视程度仍需提高", False, True),
        ("街道一级法治建设比较薄弱", False, True),
        ("执法人员变动频繁", False, False),
        ("侯营镇法律服务站无人值守", True, False),
        ("新华街道调解组织不健全", True, False),
        ("偏远乡镇法律服务不足", False, True),
        ("城乡发展不平衡", False, False),
        ("人口相对密集的镇街律师较多", False, False),
    ],
)
def test_specific_and_generic(text, specific, generic):
    assert is_specific(text) is specific
    assert is_generic(text) is generic


def test_candour_table():
    table = candour(_corpus())
    assert list(table.columns) == [
        "n_problems",
        "problem_share",
        "specific_share",
        "generic_share",
        "gives_causes",
    ]
    assert list(table.index) == ["x", "y"]
    x, y = table.loc["x"], table.loc["y"]
    assert x["n_problems"] == 2 and y["n_problems"] == 1
    total = len("一、成效\n" + "成" * 5) + len(PROBLEMS_PART) + len("三、计划\n加强培训。")
    assert x["problem_share"] == pytest.approx(len(PROBLEMS_PART) / total)
    assert x["specific_share"] == 0.5
    assert y["generic_share"] == 1.0
    assert bool(x["gives_causes"]) is True
    assert bool(y["gives_causes"]) is False
    assert y["problem_share"] == 0


def test_a_heading_that_says_causes_is_not_a_cause():
    corpus = _corpus()
    corpus.problems = corpus.problems.assign(text=["人员不足", "经费不足", "普法不够"])
    corpus.sections.loc[1, "text"] = "二、存在的不足和原因\n一是人员不足;二是经费不足。"
    assert not candour(corpus)["gives_causes"].any()


def test_plan_response_pairs_each_problem_with_its_best_plan():
    with pytest.warns(LawgovkitWarning, match="no plans.*y"):
        table = plan_response(_corpus())
    assert list(table.columns) == [
        "report_id",
        "problem_n",
        "problem",
        "plan_n",
        "plan",
        "similarity",
    ]
    assert table["plan_n"].tolist()[:2] == [2, 1]
    assert (table["similarity"].iloc[:2] > 0).all()
    assert pd.isna(table.loc[2, "plan_n"]) and pd.isna(table.loc[2, "similarity"])


@pytest.mark.parametrize("analyzer", ["word", "char"])
def test_plan_response_analyzers(analyzer):
    with pytest.warns(LawgovkitWarning):
        table = plan_response(_corpus(), analyzer=analyzer)
    assert table.loc[0, "plan_n"] == 2


# --- acceptance on the seeds ---------------------------------------------------------


def test_every_seed_problem_gets_a_category(seed_corpus):
    keys = categorize_problems(seed_corpus.problems["text"])
    assert len(keys) == len(seed_corpus.problems) > 0
    assert "other" not in keys


def test_seed_candour(seed_corpus):
    table = candour(seed_corpus)
    assert list(table.index) == list(seed_corpus.reports.index)
    assert (table["n_problems"] > 0).all()
    shares = table[["problem_share", "specific_share", "generic_share"]]
    assert ((shares >= 0) & (shares <= 1)).all().all()
    assert (table["specific_share"] + table["generic_share"] <= 1).all()


def test_seed_plan_response(seed_corpus):
    table = plan_response(seed_corpus)
    assert len(table) == len(seed_corpus.problems)
    assert table["similarity"].between(0, 1).all()
