"""Tests for lawgovkit.sections: the section tree and the role of every part."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawgovkit.sections import (
    PREAMBLE_ID,
    ROLES,
    Section,
    build_sections,
    heading_role,
    infer_report_year,
)

REPORT = (
    "某区2023年度法治政府建设情况报告\n"
    "2023年,我区扎实推进法治政府建设。\n"
    "一、主要举措和成效\n"
    "(一)加强组织领导。一是健全机制;二是压实责任。\n"
    "(二)规范行政执法。全年办理案件30件。\n"
    "二、存在的不足\n"
    "(一)执法力量薄弱。人员不足。\n"
    "(二)宣传形式单一。覆盖面窄。\n"
    "三、2024年工作打算\n"
    "(一)加强队伍建设。\n"
    "(二)创新宣传方式。\n"
)
MID_PARAGRAPH = (
    "某县司法局2023年工作报告\n"
    "一、工作情况\n"
    "(一)普法宣传。开展活动20场。一年来,我局工作取得了一定成效,但仍存在以下不足:"
    "调解员专业素质不高,信息化水平较低。\n"
    "下一步,我局将重点抓好三项工作:一是加强培训;二是推进信息化;三是完善考核。\n"
)
ONE_PARAGRAPH = (
    "某镇2023年法治建设情况\n"
    "全年开展学法活动6次。但仍存在一些问题:宣传不够深入。下一步,我镇将加大宣传力度。"
)


def roles(text: str, **kwargs) -> list[tuple[str, str]]:
    return [(s.section_id, s.role) for s in build_sections(text, **kwargs)]


def test_sections_cover_the_text_exactly():
    sections = build_sections(REPORT)
    assert "".join(s.text for s in sections) == REPORT
    assert all(REPORT[s.start : s.end] == s.text for s in sections)
    assert [s.start for s in sections[1:]] == [s.end for s in sections[:-1]]


def test_tree_ids_parents_and_levels():
    sections = build_sections(REPORT)
    table = [(s.section_id, s.parent_id, s.level, s.number) for s in sections]
    assert table[:4] == [
        (PREAMBLE_ID, None, 0, None),
        ("一", None, 1, 1),
        ("一/(一)", "一", 2, 1),
        ("一/(二)", "一", 2, 2),
    ]
    assert sections[1].heading == "主要举措和成效"


def test_roles_from_headings_and_inheritance():
    assert roles(REPORT) == [
        ("0", "preamble"),
        ("一", "achievements"),
        ("一/(一)", "achievements"),
        ("一/(二)", "achievements"),
        ("二", "problems"),
        ("二/(一)", "problems"),
        ("二/(二)", "problems"),
        ("三", "plans"),
        ("三/(一)", "plans"),
        ("三/(二)", "plans"),
    ]


def test_role_starting_mid_paragraph_splits_the_section():
    sections = build_sections(MID_PARAGRAPH)
    assert [(s.section_id, s.parent_id, s.role) for s in sections] == [
        ("0", None, "preamble"),
        ("一", None, "achievements"),
        ("一/(一)", "一", "achievements"),
        ("一/(一)#problems", "一/(一)", "problems"),
        ("一/(一)#plans", "一/(一)", "plans"),
    ]
    problems, plans = sections[3], sections[4]
    assert problems.text.startswith("一年来,我局工作取得了一定成效")
    assert "下一步" not in problems.text
    assert plans.text.startswith("下一步,我局将")
    assert problems.heading is None and problems.number is None
    assert problems.level == 2


def test_one_paragraph_report_splits_problems_and_plans():
    sections = build_sections(ONE_PARAGRAPH)
    assert [s.role for s in sections] == ["preamble", "problems", "plans"]
    assert sections[1].text == "但仍存在一些问题:宣传不够深入。"
    assert sections[2].text == "下一步,我镇将加大宣传力度。"


def test_plans_sentence_inside_achievements_paragraph_does_not_split():
    text = "一、工作情况\n开展活动。下一步,将继续开展。\n(一)执法。正文。"
    assert roles(text) == [("一", "achievements"), ("一/(一)", "achievements")]


def test_plans_paragraph_inside_achievements_splits():
    text = "一、工作情况\n开展活动。\n下一步,我局将继续开展活动。"
    assert roles(text) == [("一", "achievements"), ("一#plans", "plans")]


def test_problems_phrase_inside_problems_section_does_not_split():
    text = "二、存在的问题\n虽然取得成绩,但仍然存在以下问题和不足。一是人少;二是钱少。"
    assert roles(text) == [("二", "problems")]


def test_title_line_starts_no_part():
    text = "某局2023年工作总结和2024年工作计划\n一、工作情况\n正文。"
    assert roles(text)[0] == ("0", "preamble")


def test_report_with_no_headings_is_one_preamble():
    text = "全年开展活动十次。群众满意度较高。"
    assert roles(text) == [("0", "preamble")]


def test_text_starting_with_a_heading_has_no_preamble():
    assert roles("一、工作情况\n正文。")[0] == ("一", "achievements")


def test_duplicate_numbers_get_distinct_ids():
    text = "一、工作情况\n(一)甲\n正文。\n(一)乙\n正文。"
    ids = [s.section_id for s in build_sections(text)]
    assert ids == ["一", "一/(一)", "一/(一)~2"]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(
    ("words", "level", "year", "role"),
    [
        ("存在的问题", 1, None, "problems"),
        ("存在的不足和原因", 1, None, "problems"),
        ("问题和不足", 1, None, "problems"),
        ("短板和弱项", 1, None, "problems"),
        ("下一步工作计划", 1, None, "plans"),
        ("2023年推进法治政府建设工作打算", 1, 2022, "plans"),
        ("2025年工作", 1, 2024, "plans"),
        ("2024年工作情况", 1, 2024, "achievements"),
        ("2024年工作", 1, 2024, None),
        ("三、2024年工作思路", 1, 2023, "plans"),
        ("主要举措和成效", 1, None, "achievements"),
        ("主要做法", 1, None, "achievements"),
        ("党政主要负责人履行推进法治建设第一责任人职责情况", 1, None, "leader_duty"),
        ("其他需要报告的情况", 1, None, "other"),
        ("补齐短板弱项", 2, None, None),
        ("创新工作思路", 2, None, "plans"),
        ("实施行政执法质量三年行动计划", 2, None, None),
        ("实施行政执法质量三年行动计划", 1, None, "plans"),
        ("持续优化法治化营商环境", 2, None, None),
    ],
)
def test_heading_role(words, level, year, role):
    assert heading_role(words, level, year) == role


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("某区2022年度法治政府建设工作报告\n2022年,…", 2022),
        ("2022年,在区委的领导下,…", 2022),
        ("关于法治建设工作情况的汇报和2022年工作计划\n现将我县2021年以来的情况汇报如下", 2021),
        ("没有年份", None),
    ],
)
def test_infer_report_year(text, year):
    assert infer_report_year(text) == year


def test_given_report_year_decides_a_year_heading():
    text = "一、2023年工作\n正文。\n二、2024年工作\n正文。"
    assert roles(text, report_year=2023) == [("一", "achievements"), ("二", "plans")]


def test_section_rejects_unknown_role():
    section = build_sections("一、工作情况\n正文。")[0]
    with pytest.raises(ValueError, match="not one of"):
        dataclasses.replace(section, role="summary")


def test_sections_are_frozen():
    section = build_sections("一、工作情况\n正文。")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        section.role = "plans"  # type: ignore[misc]
    assert isinstance(section, Section)
    assert set(ROLES) == {"preamble", "achievements", "problems", "leader_duty", "plans", "other"}


def test_empty_text_has_no_sections():
    assert build_sections("") == ()


@pytest.mark.parametrize(
    "sentence",
    [
        "对仍存在问题的单位进行通报。",
        "还有效化解了一批历史遗留问题。",
        "帮助企业解决生产经营中遇到的法律问题。",
        "针对督察发现的问题,督促整改到位。",
    ],
)
def test_achievement_sentences_that_mention_problems_do_not_split(sentence):
    text = f"一、工作情况\n开展督察。{sentence}\n"
    assert roles(text) == [("一", "achievements")]


@pytest.mark.parametrize(
    "sentence",
    [
        "同时也要清醒地看到,我县法治政府建设还存在一些薄弱环节。",
        "但与上级要求相比,仍有一定差距。",
        "工作中还有一些问题需要解决。",
        "存在的主要问题有:基层力量不足。",
    ],
)
def test_admissions_start_a_problems_part(sentence):
    text = f"一、工作情况\n开展督察。{sentence}\n"
    assert roles(text) == [("一", "achievements"), ("一#problems", "problems")]


@pytest.mark.parametrize(
    ("line", "role"),
    [
        ("存在的问题", "problems"),
        ("问题和不足:", "problems"),
        ("下一步工作打算", "plans"),
        ("在新的一年里,我们将继续努力。", "plans"),
        ("2024年,我局将重点做好以下工作。", "plans"),
        ("主要负责人履行推进法治建设第一责任人职责情况", "leader_duty"),
        ("其他需要报告的事项", "other"),
    ],
)
def test_unnumbered_lines_start_a_part(line, role):
    text = f"某局2023年度报告\n2023年,我局开展了工作。\n{line}\n正文。"
    # a short line without a sentence end or a closing colon is an unnumbered part heading
    heading = not line.endswith(("。", ":"))
    assert roles(text)[-1] == ("§1" if heading else f"0#{role}", role)


def test_run_together_text_still_finds_headings():
    text = (
        "某区2023年度法治政府建设情况报告"
        + "全年开展了大量工作。" * 120
        + "一、工作情况(一)加强领导。正文一。(二)规范执法。正文二。"
        + "二、存在的问题(一)力量薄弱。人员不足。(二)宣传单一。形式陈旧。"
        + "三、下一步打算(一)加强队伍。(二)创新宣传。"
    )
    found = roles(text)
    assert [r for r in found if r[0] in {"一", "二/(二)", "三/(二)"}] == [
        ("一", "achievements"),
        ("二/(二)", "problems"),
        ("三/(二)", "plans"),
    ]
    assert "".join(s.text for s in build_sections(text)) == text


PARTS = (
    "某市2023年度法治政府建设情况报告\n"
    "第一部分 2023年法治政府建设主要举措和成效\n"
    "一、加强党的领导\n正文。\n"
    "第二部分 存在的问题\n"
    "一、法治意识有待增强。部分干部不够重视。\n"
    "第三部分 2024年工作安排\n"
    "一、加强学习。\n"
)


def test_part_headings_hold_level_one_headings():
    sections = build_sections(PARTS)
    assert [(s.section_id, s.parent_id, s.level, s.role) for s in sections[1:]] == [
        ("第一部分", None, 1, "achievements"),
        ("第一部分/一", "第一部分", 1, "achievements"),
        ("第二部分", None, 1, "problems"),
        ("第二部分/一", "第二部分", 1, "problems"),
        ("第三部分", None, 1, "plans"),
        ("第三部分/一", "第三部分", 1, "plans"),
    ]


@pytest.mark.parametrize(
    "convert",
    [
        lambda t: t.replace("\n", "\r\n"),
        lambda t: t.replace("(", "（").replace(")", "）").replace(",", "，").replace(":", "："),
    ],
    ids=["crlf", "full-width"],
)
def test_line_endings_and_width_do_not_change_the_tree(convert):
    plain = [(s.section_id, s.role) for s in build_sections(MID_PARAGRAPH)]
    assert [(s.section_id, s.role) for s in build_sections(convert(MID_PARAGRAPH))] == plain


def test_unheaded_report_body_is_achievements_after_the_opening():
    text = (
        "某镇2023年度报告\n2023年,我镇推进法治建设。\n开展学法8次。\n办理案件12件。\n"
        "但仍存在以下不足:人手少。\n下一步,我镇将加强培训。"
    )
    assert roles(text) == [
        ("0", "preamble"),
        ("0#achievements", "achievements"),
        ("0#problems", "problems"),
        ("0#plans", "plans"),
    ]
    assert build_sections(text)[1].text.startswith("开展学法8次")


def test_unheaded_report_without_title():
    text = "2023年,我局推进法治建设。\n开展学法8次。\n"
    assert roles(text) == [("0", "preamble"), ("0#achievements", "achievements")]


def test_inspection_findings_are_not_admissions():
    text = "一、工作情况\n开展专项督察,发现还存在不规范问题12个,已全部整改。\n"
    assert roles(text) == [("一", "achievements")]


def test_unnumbered_part_lines_in_an_unheaded_report():
    text = (
        "某镇2023年度报告\n2023年,我镇推进法治建设。\n主要工作及成效\n开展学法8次。\n"
        "存在的问题\n人手少。\n下一步工作打算\n加强培训。"
    )
    assert [r[1] for r in roles(text)] == ["preamble", "achievements", "problems", "plans"]


def test_closing_issuer_and_date_lines_are_other():
    text = "一、下一步打算\n(一)加强学习。正文。\n\n某某县人民政府\n2024年3月15日\n"
    sections = build_sections(text)
    assert (sections[-1].section_id, sections[-1].role) == ("一/(一)#other", "other")
    assert sections[-1].text == "某某县人民政府\n2024年3月15日\n"


@pytest.mark.parametrize(
    "text", ["某某区司法局", "某某区司法局\n2024年3月15日", "正文。\n推进乡镇综合执法。"]
)
def test_no_closing_block(text):
    assert all(s.role != "other" for s in build_sections(text))


TRANSITION_PIECES = [
    "某区2023年度法治政府建设情况报告\n",
    "一、工作情况\n",
    "做了很多。",
    "但仍存在以下不足:",
    " 存在的问题和不足:\n",
    "\u3000下一步,我区将继续加强学习。",
    "2024年,我区将重点推进。",
    "主要举措和成效\n",
    "履行推进法治建设第一责任人职责情况\n",
    "其他需要报告的情况\n",
    "工作计划:\n",
    "问题\n",
    "。 ",
    "\n",
    "!",
]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(TRANSITION_PIECES), max_size=12), st.sampled_from([None, 2023]))
def test_transitions_same_without_the_joined_opening_pattern(pieces, year):
    # the joined pattern only rules out sentence starts; trying every rule at every
    # sentence start finds the same transitions
    from lawgovkit import role_rules

    text = "".join(pieces)
    found = role_rules.find_transitions(text, year)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(role_rules, "_any_opening", lambda: None)
        assert role_rules.find_transitions(text, year) == found
