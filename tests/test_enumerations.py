"""Tests for lawgovkit.items and lawgovkit.statements (formerly lawgovkit.enumerations)."""

from __future__ import annotations

import pytest

from lawgovkit.enumerations import find_items, statements
from lawgovkit.sections import build_sections

MISSING_THIRD = "存在的问题:一是宣传不深入;二是执法不规范;人才储备不足;四是经费保障不够。"
LOST_NUMERAL = "(三)化解矛盾纠纷。是加快建设调解平台。二是推进复议改革。三是加强普法。"
LOST_MIDDLE = "一是健全制度。是强化考核。三是加强宣传。"
GLUED = "一是办理案件30件,结案率100%二是开展培训5场。三是完善机制。"
ORDINALS = "首先,加强学习;其次,规范执法;再次,强化监督;最后,做好宣传。"
DI = "第一,强化领导;第二,健全制度;第三,狠抓落实。"
BRACKETS = "主要措施:(1)建立台账;(2)定期通报;(3)跟踪督办。"
CIRCLED = "重点做好:①排查;②化解;③回访。"
CLAUSES = "主要做法包括:建立联席会议制度;完善信息共享机制;开展联合执法。"


def items_of(text: str):
    sections = build_sections(text)
    found = []
    for section in sections:
        found.extend(find_items(text, section, found[-1].series + 1 if found else 0))
    return found


def rows(text: str, role: str) -> list[str]:
    sections = list(build_sections(text))
    return [s.text for s in statements(text, sections, items_of(text), role)]


@pytest.mark.parametrize(
    ("text", "markers"),
    [
        ("一是健全制度;二是强化考核;三是加强宣传。", ["一是", "二是", "三是"]),
        (ORDINALS, ["首先,", "其次,", "再次,", "最后,"]),
        (DI, ["第一,", "第二,", "第三,"]),
        (BRACKETS, ["(1)", "(2)", "(3)"]),
        (CIRCLED, ["①", "②", "③"]),
        ("要求:（一）建台账;（二）抓整改。", ["（一）", "（二）"]),
    ],
)
def test_each_enumeration_family(text, markers):
    found = items_of(text)
    assert [i.marker for i in found] == markers
    assert [i.n for i in found] == list(range(1, len(markers) + 1))
    assert all(i.numbering_issue is None for i in found)


def test_item_offsets_point_into_the_text():
    text = ORDINALS + "\n" + DI
    for item in items_of(text):
        assert text[item.start : item.end] == item.text


def test_missing_third_is_restored_at_the_clause_boundary():
    found = items_of(MISSING_THIRD)
    assert [(i.n, i.marker, i.text) for i in found] == [
        (1, "一是", "宣传不深入"),
        (2, "二是", "执法不规范"),
        (3, "", "人才储备不足"),
        (4, "四是", "经费保障不够。"),
    ]
    assert found[2].numbering_issue == "missing 三是"


def test_lost_numeral_at_the_start():
    found = items_of(LOST_NUMERAL)
    assert [(i.n, i.marker) for i in found] == [(1, "是"), (2, "二是"), (3, "三是")]
    assert found[0].numbering_issue == "numeral lost: 是加快"
    assert found[0].text.startswith("加快建设调解平台")


def test_lost_numeral_in_the_middle():
    found = items_of(LOST_MIDDLE)
    assert [i.n for i in found] == [1, 2, 3]
    assert found[1].numbering_issue == "numeral lost: 是强化"


def test_marker_glued_to_a_number_still_counts_in_sequence():
    found = items_of(GLUED)
    assert [i.marker for i in found] == ["一是", "二是", "三是"]
    assert found[0].text == "办理案件30件,结案率100%"


@pytest.mark.parametrize(
    "text",
    [
        "这是一项重要工作,其中一是指首要任务。",
        "统一是基础,唯一是关键。",
        "他是否到场仍需核实。",
        "共3.5万件,同比增长2.1%。",
        "第一责任人职责落实到位。",
    ],
)
def test_words_that_are_not_enumerations(text):
    assert items_of(text) == []


def test_semicolon_clauses_after_a_colon():
    found = items_of(CLAUSES)
    assert [(i.n, i.marker, i.text) for i in found] == [
        (1, "", "建立联席会议制度"),
        (2, "", "完善信息共享机制"),
        (3, "", "开展联合执法"),
    ]


def test_last_item_ends_with_its_paragraph():
    text = "一是加强学习。二是规范执法。\n全年工作总体平稳。"
    found = items_of(text)
    assert found[-1].text == "规范执法。"


def test_items_carry_section_and_role():
    text = "一、存在的问题\n一是人少;二是钱少。"
    found = items_of(text)
    assert {(i.section_id, i.role) for i in found} == {("一", "problems")}


# --- problems and plans ---------------------------------------------------------------


def test_problems_from_sub_sections():
    text = (
        "二、存在的问题\n"
        "(一)宣传不深入。形式单一。\n"
        "(二)执法不规范。程序有瑕疵。\n"
        "三、下一步打算\n"
        "继续努力。"
    )
    assert rows(text, "problems") == ["宣传不深入。形式单一。", "执法不规范。程序有瑕疵。"]


def test_problems_from_items_with_the_intro_left_out():
    text = (
        "工作情况\n一年来,我县取得了一定成绩,但仍存在一些问题和不足:一是宣传不深入;二是执法不规范。"
    )
    assert rows(text, "problems") == ["宣传不深入", "执法不规范。"]


def test_problems_after_example_phrase():
    text = (
        "一、工作情况\n"
        "成效明显。一年来,我局取得了一定成效,但仍存在一些问题和不足,比如:队伍专业化不够,信息化水平不高等。"
    )
    assert rows(text, "problems") == ["队伍专业化不够", "信息化水平不高"]


def test_problems_listed_in_one_sentence():
    text = (
        "一、工作情况\n"
        "成效明显。\n"
        "2023年,我局取得较好成绩,但仍存在以下不足:复议质量待提高,宣传实效待增强,调解质效待提升。"
    )
    assert rows(text, "problems") == ["复议质量待提高", "宣传实效待增强", "调解质效待提升"]


def test_problems_listed_with_semicolons_split_at_semicolons_only():
    text = "存在的问题主要表现在:一些干部意识不强,能力不足;执法队伍力量薄弱。"
    assert rows(text, "problems") == ["一些干部意识不强,能力不足", "执法队伍力量薄弱"]


def test_problem_stated_as_a_plain_paragraph():
    text = "一、工作情况\n成效明显。\n二、存在的不足\n基层法治力量依然薄弱,人员流动较大。"
    assert rows(text, "problems") == ["基层法治力量依然薄弱,人员流动较大。"]


def test_problems_never_hold_the_following_plans():
    text = (
        "一、工作情况\n"
        "正文。\n"
        "但仍存在一些不足:一是人少;二是钱少。\n"
        "下一步,我局将:一是增人;二是增钱。"
    )
    assert rows(text, "problems") == ["人少", "钱少。"]
    assert rows(text, "plans") == ["增人", "增钱。"]


def test_plans_intro_sentence_is_not_a_plan():
    text = "三、2024年工作打算\n2024年,我局将着力抓好以下两个方面:\n一是加强学习。\n二是严格执法。"
    assert rows(text, "plans") == ["加强学习。", "严格执法。"]


def test_statements_are_numbered_and_located():
    text = MISSING_THIRD
    sections = list(build_sections(text))
    found = statements(text, sections, items_of(text), "problems")
    assert [s.n for s in found] == [1, 2, 3, 4]
    assert all(text[s.start : s.end] == s.text for s in found)


def test_no_problems_role_means_no_rows():
    assert rows("一、工作情况\n正文。", "problems") == []


def test_part_headings_under_problems_are_descended_into():
    text = (
        "二、存在的问题和下一步打算\n"
        "(一)存在的问题\n一是人少;二是钱少;三是事多。\n"
        "(二)下一步打算\n一是增人;二是增钱。"
    )
    assert rows(text, "problems") == ["人少", "钱少", "事多。"]
    assert rows(text, "plans") == ["增人", "增钱。"]


def test_causes_under_problems_are_not_problems():
    text = (
        "二、存在的不足及原因分析\n(一)存在的不足\n1.人少。\n2.钱少。\n"
        "(二)原因分析\n主观重视不够。\n三、下一步工作安排\n正文。"
    )
    assert rows(text, "problems") == ["人少。", "钱少。"]


def test_yao_and_qi_enumerations():
    assert [i.marker for i in items_of("一要加强学习;二要严格执法;三要强化监督。")] == [
        "一要",
        "二要",
        "三要",
    ]
    assert [i.n for i in items_of("其一,人少;其二,钱少。")] == [1, 2]
    assert items_of("统一要求,一要素齐全。") == []


def test_one_sentence_of_measures_after_next_step():
    text = (
        "某镇2023年报告\n2023年,我镇开展工作。\n"
        "下一步,我镇将继续加强党的领导;加强执法队伍培训,提升规范化水平;创新普法方式。"
    )
    assert rows(text, "plans") == [
        "继续加强党的领导",
        "加强执法队伍培训,提升规范化水平",
        "创新普法方式。",
    ]


def test_one_sentence_problem_without_a_list():
    text = "某镇2023年报告\n2023年,我镇开展工作。\n但工作中还存在一些短板。\n下一步,我镇将努力。"
    assert rows(text, "problems") == ["但工作中还存在一些短板。"]
    assert rows(text, "plans") == ["努力。"]


def test_intro_paragraphs_are_not_statements():
    text = (
        "某县2023年度报告\n一、工作情况\n正文。\n二、存在的问题\n"
        "虽然取得了一定成绩,但仍存在一些不足。\n基层力量薄弱。\n宣传不够。\n"
        "三、下一步打算\n2024年,我局将重点抓好以下工作:\n加强学习。\n严格执法。"
    )
    assert rows(text, "problems") == ["基层力量薄弱。", "宣传不够。"]
    assert rows(text, "plans") == ["加强学习。", "严格执法。"]


def test_the_old_module_path_still_works():
    import lawgovkit.enumerations as old
    import lawgovkit.items
    import lawgovkit.statements

    assert old.find_items is lawgovkit.items.find_items
    assert old.Item is lawgovkit.items.Item
    assert old.statements is lawgovkit.statements.statements
    assert old.Statement is lawgovkit.statements.Statement


def test_last_item_stops_before_the_causes():
    text = "二、存在的问题\n一是人少;二是钱少。究其原因,主要是重视不够。"
    assert rows(text, "problems") == ["人少", "钱少。"]
