"""Tests for lawgovkit.structure: the parse of whole reports (seeds and fixtures)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lawgovkit.errors import ParseError
from lawgovkit.structure import (
    ITEM_COLUMNS,
    SECTION_COLUMNS,
    STATEMENT_COLUMNS,
    Structure,
    parse_structure,
)
from tests.conftest import SEED_PATHS

FIXTURES = Path(__file__).parent / "fixtures" / "structure"
SEED_COUNTS = [(4, 8), (3, 4), (2, 4), (4, 8), (3, 7)]
SHORT = (
    "某区2023年度报告\n"
    "一、工作情况\n"
    "开展培训。\n"
    "二、存在的问题\n"
    "一是人少;二是钱少。\n"
    "三、下一步打算\n"
    "增人增钱。"
)


def seed_structure(index: int) -> tuple[str, Structure]:
    text = SEED_PATHS[index].read_text(encoding="utf-8")
    return text, parse_structure(text)


def role_text(structure: Structure, role: str) -> str:
    return "".join(s.text for s in structure.sections if s.role == role)


# --- seeds: the acceptance lines ---------------------------------------------------------


@pytest.mark.parametrize(("index", "counts"), list(enumerate(SEED_COUNTS)))
def test_seed_problem_and_plan_counts(index, counts):
    _, structure = seed_structure(index)
    assert (len(structure.problems), len(structure.plans)) == counts


def test_seed_counts_through_the_loader(seed_corpus):
    problems = seed_corpus.problems.groupby("report_id").size().tolist()
    plans = seed_corpus.plans.groupby("report_id").size().tolist()
    assert list(zip(problems, plans, strict=True)) == SEED_COUNTS


def test_seed_000_problems_start_at_the_transition_and_end_before_plans():
    _, structure = seed_structure(0)
    problems = [s for s in structure.sections if s.role == "problems"]
    assert len(problems) == 1
    assert problems[0].text.startswith("一年来,我区在推进法治政府建设方面")
    assert "下一步" not in problems[0].text
    following = structure.sections[structure.sections.index(problems[0]) + 1]
    assert following.role == "plans" and following.text.startswith("下一步")
    assert structure.problems[2].text.startswith("一些行政机关工作人员")
    assert "五#problems: missing 三是" in structure.numbering_issues


def test_seed_000_items_are_not_headings():
    _, structure = seed_structure(0)
    assert not any(s.heading and s.heading.startswith("化组织保障") for s in structure.sections)
    assert any(i.text.startswith("化组织保障") for i in structure.items)


def test_seed_001_run_in_headings():
    _, structure = seed_structure(1)
    headings = {s.section_id: s.heading for s in structure.sections}
    assert headings["一/(一)"] == "党的组织领导不断加强"
    assert headings["二/(三)"] == "公共法律服务供给还不平衡"


def test_seed_002_problems_paragraph_under_the_work_heading():
    _, structure = seed_structure(2)
    (problems,) = [s for s in structure.sections if s.role == "problems"]
    assert problems.parent_id == "一/(六)"
    assert problems.text.startswith("一年来,我局")
    assert problems.text.strip().endswith("等。")
    assert [p.text for p in structure.problems] == [
        "涉外法律服务能力仍显不足",
        "行政执法监督质效需进一步提升",
    ]


def test_seed_002_lost_numeral_is_flagged():
    _, structure = seed_structure(2)
    assert "一/(五): numeral lost: 是加快" in structure.numbering_issues


def test_seed_003_skipped_level():
    _, structure = seed_structure(3)
    levels = {s.section_id: s.level for s in structure.sections}
    assert levels["一/1"] == 3 and levels["三/8"] == 3


def test_seed_004_leader_duty_and_problems():
    text, structure = seed_structure(4)
    roles = {s.section_id: s.role for s in structure.sections}
    assert roles["一"] == "leader_duty"
    (problems,) = [s for s in structure.sections if s.role == "problems"]
    assert problems.text.startswith("2022年,区司法局在法治政府建设工作中取得较好成绩")
    assert structure.sections[0].role == "preamble"
    assert all(text[p.start : p.end] == p.text for p in structure.plans)


@pytest.mark.parametrize("index", range(len(SEED_COUNTS)))
def test_no_plans_text_inside_a_problems_role(index):
    _, structure = seed_structure(index)
    problems = role_text(structure, "problems")
    for plan in structure.plans:
        assert plan.text not in problems
    assert "下一步" not in problems


@pytest.mark.parametrize("index", range(len(SEED_COUNTS)))
def test_problem_rows_hold_no_intro(index):
    _, structure = seed_structure(index)
    for problem in structure.problems:
        assert "取得" not in problem.text[:40]
        assert not problem.text.startswith(("一年来", "下一步"))


# --- fixtures of other shapes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "problems", "plans", "roles"),
    [
        (
            "township_dun_only.txt",
            ["法治宣传的针对性不强", "执法力量相对薄弱", "基层法治人才缺乏"],
            4,
            {"一": "achievements", "二": "problems", "二/1": "problems", "三/4": "plans"},
        ),
        (
            "department_missing_third.txt",
            ["执法人员专业能力不足", "执法装备配备不足", "部分企业主体责任", "普法宣传形式"],
            4,
            {"一/(二)/1": "achievements", "二": "problems", "三": "plans", "四": "other"},
        ),
        (
            "county_work_ideas.txt",
            ["部分领导干部", "基层行政执法", "行政复议化解"],
            4,
            {
                "二": "leader_duty",
                "二#problems": "problems",
                "三": "plans",
                "一/(一)/1/(2)": "achievements",
            },
        ),
    ],
)
def test_fixture_reports(name, problems, plans, roles):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    structure = parse_structure(text)
    assert "".join(s.text for s in structure.sections) == text
    assert len(structure.problems) == len(problems)
    for row, start in zip(structure.problems, problems, strict=True):
        assert row.text.startswith(start)
    assert len(structure.plans) == plans
    found = {s.section_id: s.role for s in structure.sections}
    assert {key: found.get(key) for key in roles} == roles


def test_fixture_numerals_that_are_not_headings():
    text = (FIXTURES / "township_dun_only.txt").read_text(encoding="utf-8")
    headings = [s.heading for s in parse_structure(text).sections if s.heading]
    assert not any(h.startswith(("5万", "4国家", "2023年")) for h in headings)
    assert len(headings) == 10


def test_fixture_missing_third_flagged():
    text = (FIXTURES / "department_missing_third.txt").read_text(encoding="utf-8")
    assert "二: missing 三是" in parse_structure(text).numbering_issues


def test_fixture_plans_as_ordinal_words_skip_the_intro():
    text = (FIXTURES / "county_work_ideas.txt").read_text(encoding="utf-8")
    plans = parse_structure(text).plans
    assert plans[0].text.startswith("加强党对法治政府建设的领导")
    assert all("2024年,我县将" not in p.text for p in plans)


# --- tables and outline ---------------------------------------------------------------------


def test_to_frames_columns_and_types():
    frames = parse_structure(SHORT).to_frames("r1")
    assert set(frames) == {"sections", "items", "problems", "plans"}
    assert tuple(frames["sections"].columns) == SECTION_COLUMNS
    assert tuple(frames["items"].columns) == ITEM_COLUMNS
    assert tuple(frames["problems"].columns) == STATEMENT_COLUMNS
    assert tuple(frames["plans"].columns) == STATEMENT_COLUMNS
    assert (frames["sections"]["report_id"] == "r1").all()
    assert frames["problems"]["n"].tolist() == [1, 2]
    assert frames["problems"]["category"].isna().all()
    assert frames["sections"]["number"].isna().tolist() == [True, False, False, False]
    assert "".join(frames["sections"]["text"]) == SHORT


def test_to_frames_of_an_empty_text_has_the_columns():
    frames = parse_structure("").to_frames("empty")
    for name, columns in [
        ("sections", SECTION_COLUMNS),
        ("items", ITEM_COLUMNS),
        ("problems", STATEMENT_COLUMNS),
    ]:
        assert isinstance(frames[name], pd.DataFrame)
        assert tuple(frames[name].columns) == columns
        assert frames[name].empty


def test_outline_shows_headings_roles_and_lengths():
    outline = parse_structure(SHORT).outline().splitlines()
    assert outline[0].startswith("[preamble]")
    assert outline[2] == "二、存在的问题 [problems] 19 chars"
    assert outline[3].startswith("三、下一步打算 [plans]")


def test_outline_indents_children_and_marks_split_parts():
    _, structure = seed_structure(2)
    outline = structure.outline()
    assert "\n  (一)统抓协调法治政府建设 [achievements]" in outline
    assert "↳ 一年来,我局法治政府建设工作" in outline


# --- robustness -----------------------------------------------------------------------------


def test_non_string_input_raises_parse_error():
    with pytest.raises(ParseError, match="must be a str"):
        parse_structure(b"bytes")  # type: ignore[arg-type]


PIECES = st.sampled_from(
    [
        "一、",
        "二、",
        "十一、",
        "(一)",
        "（二）",
        "1.",
        "１．",
        "2、",
        "(1)",
        "第一部分",
        "一是",
        "二是",
        "四是",
        "是",
        "第一,",
        "首先,",
        "最后,",
        "①",
        "存在的问题",
        "但仍存在以下不足:",
        "比如:",
        "等。",
        "下一步,我局将",
        "2024年,我局将",
        "2023年度",
        "工作打算",
        "。",
        ";",
        ":",
        ",",
        "\n",
        "\r\n",
        "\u3000",
        " ",
        "😀",
        "\x00",
        "\x0c",
        "\u2028",
        "法治政府",
    ]
)
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_property_sections_rejoin_and_parse_is_deterministic(text):
    structure = parse_structure(text)  # any exception, even a LawgovkitError, is a bug here
    assert "".join(s.text for s in structure.sections) == text
    for record in (*structure.sections, *structure.items, *structure.problems, *structure.plans):
        assert text[record.start : record.end] == record.text
    assert parse_structure(text) == structure
    assert structure.outline() == parse_structure(text).outline()


def test_outline_keeps_a_space_after_part_markers():
    outline = parse_structure("第一部分 工作情况\n正文。\n一、学法\n正文。").outline()
    assert outline.splitlines() == [
        "第一部分 工作情况 [achievements] 14 chars",
        "  一、学法 [achievements] 8 chars",
    ]


@pytest.mark.parametrize("index", range(len(SEED_COUNTS)))
def test_seed_counts_survive_crlf_and_full_width(index):
    text, _ = seed_structure(index)
    full = text.replace("(", "（").replace(")", "）").replace(",", "，").replace(";", "；")
    for variant in (text.replace("\n", "\r\n"), full.replace(":", "：")):
        structure = parse_structure(variant)
        assert (len(structure.problems), len(structure.plans)) == SEED_COUNTS[index]


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_missing_report_year_is_read_from_the_text(missing):
    text = "某局2023年度报告\n一、工作情况\n正文。\n二、2024年工作\n正文。"
    roles = [s.role for s in parse_structure(text, report_year=missing).sections]
    assert roles == ["preamble", "achievements", "plans"]


def test_given_report_year_is_used():
    text = "一、2023年工作\n正文。\n二、2024年工作\n正文。"
    structure = parse_structure(text, report_year=2023)
    assert [s.role for s in structure.sections] == ["achievements", "plans"]


def test_bad_report_year_raises_parse_error():
    with pytest.raises(ParseError, match="report_year must be a year"):
        parse_structure("正文。", report_year="去年")  # type: ignore[arg-type]


RUN_TOGETHER = st.lists(PIECES, max_size=60).map(lambda parts: "法治" * 600 + "".join(parts))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RUN_TOGETHER)
def test_property_run_together_text_rejoins(text):
    structure = parse_structure(text)
    assert "".join(s.text for s in structure.sections) == text
    for record in (*structure.sections, *structure.items, *structure.problems, *structure.plans):
        assert text[record.start : record.end] == record.text
    assert parse_structure(text) == structure
