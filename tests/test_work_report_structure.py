"""The structure rules written for government work reports (and any report built the same
way): unnumbered part headings, restarted numbering, run-in 一、 runs inside a part, plans
by the year planned or the five-year plan, admissions at any level, problems per sentence.
Every snippet is written for the test."""

from __future__ import annotations

import pytest

from lawgovkit.headings import find_headings
from lawgovkit.sections import build_sections, heading_role, planned_year
from lawgovkit.structure import parse_structure

LONG = "全年完成地区生产总值一千亿元，同比增长百分之六，各项事业取得新进展，人民生活持续改善。"


def tops(text: str, report_year: int | None = None) -> list[tuple[str, str]]:
    """(id, role) of the parts: the top-level sections after the preamble and the parts
    split off them where a role begins inside (``一#problems``)."""
    return [
        (s.section_id, s.role)
        for s in build_sections(text, report_year)
        if s.role != "preamble"
        and (s.parent_id is None or s.section_id == f"{s.parent_id}#{s.role}")
        and s.level <= 1
    ]


def roles_of(text: str, report_year: int | None = None) -> dict[str, str]:
    return {s.section_id: s.role for s in build_sections(text, report_year)}


# --- headings ------------------------------------------------------------------------


UNNUMBERED = (
    "2025年某市政府工作报告\n\n各位代表：\n\n现在，我代表市人民政府向大会报告工作，请予审议。\n\n"
    f"2024年工作回顾\n\n{LONG}\n\n"
    "在肯定成绩的同时，我们也清醒看到面临的困难和挑战。工业支撑不强。财政收支矛盾突出。"
    "对此，我们将采取有力措施加以解决。\n\n"
    f"2025年主要工作任务\n\n{LONG}\n\n"
    "一、加快产业升级\n\n培育新兴产业。\n\n二、增进民生福祉\n\n办好民生实事。\n"
)


def test_unnumbered_part_headings_are_boundaries():
    parts = [h for h in find_headings(UNNUMBERED) if h.style == "unnumbered"]
    assert [h.text for h in parts] == ["2024年工作回顾", "2025年主要工作任务"]
    assert tops(UNNUMBERED) == [
        ("§1", "achievements"),
        ("§1#problems", "problems"),
        ("§2", "plans"),
    ]
    # the problems stop at the unnumbered plans heading: they do not run on into the plans
    problems = [s for s in build_sections(UNNUMBERED) if s.role == "problems"]
    assert "2025年主要工作任务" not in problems[0].text


def test_numbered_headings_nest_under_an_unnumbered_part():
    sections = {s.section_id: s for s in build_sections(UNNUMBERED)}
    assert sections["§2/一"].parent_id == "§2" and sections["§2/一"].role == "plans"


@pytest.mark.parametrize(
    "text",
    [
        # a title block: short lines before any paragraph
        "某市政府工作报告\n\n——2025年1月10日在某市人民代表大会上\n\n市长 张三\n\n" + LONG,
        # a short line ending with a colon introduces a list
        f"一、2024年工作回顾\n\n{LONG}\n\n一年来，我们主要做了以下工作：\n\n{LONG}\n",
        # an item line of an enumeration
        f"一、2024年工作回顾\n\n{LONG}\n\n一是统筹城乡发展\n\n{LONG}\n",
        # a short line inside a running 一、 run (二、 … line … 三、) is no part
        f"一、工作回顾\n\n{LONG}\n\n二、主要任务\n\n{LONG}\n\n主要预期目标\n\n{LONG}\n\n三、自身建设\n\n{LONG}\n",
    ],
)
def test_short_lines_that_are_no_part_heading(text):
    assert not [h for h in find_headings(text) if h.style == "unnumbered"]


def test_a_glossary_s_terms_are_not_parts():
    text = f"一、2024年工作回顾\n\n{LONG}\n\n名词解释\n\n{LONG}\n\n"
    text += "数字城市\n\n指以数据驱动城市治理的做法。\n"
    parts = [h.text for h in find_headings(text) if h.style == "unnumbered"]
    assert parts == ["名词解释"]
    assert roles_of(text)["§1"] == "other"


def test_a_heading_with_a_colon_keeps_the_whole_line():
    (heading,) = find_headings("一、2013：经济社会发展稳中向好\n正文。")
    assert (heading.text, heading.run_in) == ("2013：经济社会发展稳中向好", False)
    # a run-in heading still ends at its colon when a sentence follows
    (run_in,) = find_headings("（一）制度更加健全：修订规则3项。\n")
    assert (run_in.text, run_in.run_in) == ("制度更加健全", True)


def test_run_in_items_restarting_inside_a_part_are_not_parts():
    text = (
        f"一、过去一年工作回顾\n{LONG}\n二、“十五五”时期主要目标任务\n{LONG}\n"
        "一、关于经济增长预期目标。《规划纲要》提出年均增长百分之五左右。\n"
        "二、关于科技创新目标。研发投入年均增长百分之七以上。\n"
        f"三、加强政府自身建设\n{LONG}\n"
    )
    headings = find_headings(text)
    assert [(h.level, h.id_part) for h in headings if h.level == 1] == [
        (1, "一"),
        (1, "二"),
        (1, "三"),
    ]
    inner = [h for h in headings if h.level == 2]
    assert [h.text for h in inner] == ["关于经济增长预期目标", "关于科技创新目标"]
    ids = [s.section_id for s in build_sections(text)]
    assert "二/一" in ids and "二/二" in ids and "三" in ids


def test_restarted_own_line_numbering_starts_a_new_part_with_the_plans_role():
    text = (
        "2025年某市政府工作报告\n"
        f"一、2024年工作回顾\n{LONG}\n二、2025年工作安排\n{LONG}\n"
        f"一、加快产业升级\n{LONG}\n二、增进民生福祉\n{LONG}\n"
    )
    assert tops(text) == [
        ("一", "achievements"),
        ("二", "plans"),
        ("一~2", "plans"),
        ("二~2", "plans"),
    ]


# --- roles -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("2025年某市政府工作报告\n——2025年1月15日在某市第十届人民代表大会第四次会议上", 2025),
        ("某市政府工作报告\n——2024年12月20日在某市第十届人民代表大会第四次会议上", 2025),
        ("某市政府工作报告（2019年1月15日 王某）\n各位代表：", 2019),
        ("某区2024年度法治政府建设情况报告\n2024年，我区…", None),
    ],
)
def test_the_year_a_work_report_plans(title, expected):
    assert planned_year(title) == expected


@pytest.mark.parametrize("report_year", [None, 2024, 2025])
def test_a_work_report_s_parts_naming_the_year_planned_are_plans(report_year):
    # whatever the year reported on is taken to be (the title's year or the one before)
    text = (
        "2025年某市政府工作报告\n"
        f"一、2024年工作回顾\n{LONG}\n二、2025年主要工作\n{LONG}\n三、加强政府自身建设\n{LONG}\n"
    )
    assert tops(text, report_year) == [("一", "achievements"), ("二", "plans"), ("三", "plans")]


def test_the_same_year_words_in_a_rule_of_law_report_are_the_year_reported_on():
    text = f"某区2024年度法治政府建设情况报告\n一、2024年主要工作\n{LONG}\n"
    text += f"二、2025年工作打算\n{LONG}\n"
    assert tops(text) == [("一", "achievements"), ("二", "plans")]


@pytest.mark.parametrize(
    ("words", "planned", "role"),
    [
        ("“十五五”时期主要目标任务", 2026, "plans"),
        ("“十四五”时期主要目标任务", 2021, "plans"),
        ("“十四五”时期工作回顾", 2026, "achievements"),
        ("关于2026年工作", 2026, "plans"),
        ("今年工作的总体要求和目标任务", None, "plans"),
        ("今后五年的奋斗目标", None, "plans"),
        ("2025年经济社会发展总体要求", 2025, "plans"),
        ("2024年工作回顾和2025年工作总体要求", 2025, "achievements"),
        ("名词解释", None, "other"),
    ],
)
def test_part_heading_roles(words, planned, role):
    assert heading_role(words, 1, None, planned) == role


def test_an_unmarked_part_after_the_admission_or_the_plans_is_a_plans_part():
    text = (
        f"一、过去五年工作回顾\n{LONG}\n我们也清醒地看到，发展中还存在不少困难和问题。\n"
        f"二、把全市现代化建设推向新阶段\n{LONG}\n三、建设人民满意的政府\n{LONG}\n"
    )
    assert tops(text) == [
        ("一", "achievements"),
        ("一#problems", "problems"),
        ("二", "plans"),
        ("三", "plans"),
    ]


def test_a_part_whose_first_sentence_opens_the_plans_is_a_plans_part():
    text = f"一、工作回顾\n{LONG}\n二、推向新世纪\n今后五年，我们将全面实施发展规划。\n"
    text += f"（一）发展经济\n{LONG}\n"
    assert roles_of(text)["二"] == "plans" and roles_of(text)["二/(一)"] == "plans"


def test_a_plans_sub_section_naming_a_weakness_is_still_a_plan():
    text = (
        "2025年某市政府工作报告\n"
        f"一、2024年工作回顾\n{LONG}\n二、2025年工作安排\n（一）克服薄弱环节，提高管理水平\n{LONG}\n"
    )
    assert roles_of(text)["二/(一)"] == "plans"


def test_an_admission_after_the_last_sub_section_starts_the_problems():
    text = (
        "2025年某市政府工作报告\n一、2024年工作回顾\n（一）经济平稳增长\n" + LONG + "\n"
        "（二）民生持续改善\n" + LONG + "\n"
        "在肯定成绩的同时，我们也清醒看到面临的困难和挑战。工业支撑不强。财政收支矛盾突出。"
        "对此，我们将采取有力措施加以解决。\n"
        "二、2025年工作安排\n（一）加快产业升级\n" + LONG + "\n"
    )
    roles = roles_of(text)
    assert roles["一/(二)#problems"] == "problems" and roles["二"] == "plans"
    structure = parse_structure(text)
    assert [p.text for p in structure.problems] == ["工业支撑不强", "财政收支矛盾突出"]


def test_problems_run_through_the_sub_sections_to_the_next_part():
    text = (
        "一、工作回顾\n（一）经济\n" + LONG + "\n但仍存在以下不足：\n"
        "（二）基层力量薄弱\n人手少。\n（三）宣传不够深入\n形式单一。\n二、2025年工作打算\n加强学习。\n"
    )
    roles = roles_of(text, 2024)
    assert roles["一/(二)"] == "problems" and roles["一/(三)"] == "problems"
    assert roles["二"] == "plans"


def test_an_admission_like_sentence_inside_the_plans_starts_no_problems():
    text = (
        "2022年某省政府工作报告\n一、2021年工作回顾\n" + LONG + "\n二、2022年工作安排\n"
        "面向新的征程，我们要清醒认识到，外部环境更趋复杂严峻，发展仍面临不少困难。\n" + LONG + "\n"
    )
    assert "problems" not in roles_of(text).values()


# --- problems and plans rows --------------------------------------------------------------


@pytest.mark.parametrize(
    ("admission", "rows"),
    [
        # one problem per sentence, lead and response left out
        (
            "我们也清醒地看到，发展中还存在不少困难和问题。经济总量偏小。创新能力不强。"
            "民生领域还有短板。对这些问题，我们将认真加以解决。",
            ["经济总量偏小", "创新能力不强", "民生领域还有短板"],
        ),
        # a one-sentence admission: one per clause after the admitting words
        (
            "各位代表，我们也清醒地认识到，经济回升的压力仍然较大，新兴产业支撑不强，"
            "资源环境约束趋紧。对这些问题，我们将下大力气解决。",
            ["经济回升的压力仍然较大", "新兴产业支撑不强", "资源环境约束趋紧"],
        ),
        # 一是/二是 items still give one row each
        (
            "在肯定成绩的同时，我们也清醒地认识到存在的问题：一是产业层次不高；二是财政收支矛盾突出；"
            "三是干部作风有待改进。",
            ["产业层次不高", "财政收支矛盾突出", "干部作风有待改进。"],
        ),
        # two introduced lists in one paragraph: both
        (
            "政府工作还存在一些问题，主要是：思想不够解放；办法不多。同时还面临一些难题，主要是："
            "产业链较短；投融资体制改革滞后等等。这些都必须切实加以解决。",
            ["思想不够解放", "办法不多", "产业链较短", "投融资体制改革滞后等等"],
        ),
    ],
)
def test_problems_of_an_unnumbered_admission_paragraph(admission, rows):
    assert _problems_after_the_review(admission) == rows


def _problems_after_the_review(admission: str) -> list[str]:
    """The problems of a work report whose review part ends with ``admission``."""
    text = f"2025年某市政府工作报告\n一、2024年工作回顾\n{LONG}\n{admission}\n"
    text += "二、2025年工作安排\n加强学习。\n"
    return [p.text for p in parse_structure(text).problems]


def test_what_follows_a_closed_admission_is_no_problem():
    text = (
        f"一、过去五年工作回顾\n{LONG}\n"
        "我们清醒地认识到，前进中还存在不少问题。结构性矛盾突出。农民增收缓慢。对此，我们要高度重视。\n"
        "过去五年的实践，既有成功的经验，也有深刻的教训。\n"
        f"二、今后五年的奋斗目标\n{LONG}\n"
    )
    assert [p.text for p in parse_structure(text).problems] == ["结构性矛盾突出", "农民增收缓慢"]


@pytest.mark.parametrize(
    ("admission", "rows"),
    [
        # the response in the admission's last sentence is no problem
        (
            "我们也清醒地认识到，经济回升基础不牢固；创新能力不强；干部作风不实。"
            "我们一定强化底线思维，增强忧患意识，决不辜负人民新期待！",
            ["经济回升基础不牢固", "创新能力不强", "干部作风不实"],
        ),
        (
            "我们清醒认识到，财政收支压力加大；公共服务供给仍有差距。"
            "我们将更加主动应对各种困难和挑战，直面问题、力补短板。",
            ["财政收支压力加大", "公共服务供给仍有差距"],
        ),
        # nor a sentence pointing back at the problems, whatever follows it
        (
            "在总结成绩的同时，我们也清醒地知道，产业基础薄弱；生态治理压力较大。"
            "这些问题，有的由来已久，有的积弊很深，我们必须下决心解决。",
            ["产业基础薄弱", "生态治理压力较大"],
        ),
        (
            "在肯定成绩的同时，我们也清醒地认识到，前进道路上仍有不少矛盾和问题。"
            "面对这些问题和不足，我们将采取有力措施，认真加以解决。",
            ["前进道路上仍有不少矛盾和问题"],  # an admission naming none: no more than it says
        ),
        # a closing 等等 is no problem, nor part of the last one
        (
            "在肯定成绩的同时，我们也清醒地认识到，科技创新还需深耕细作，民生短板亟需补齐，"
            "有的干部担当作为不够，等等。对此，我们一定高度重视，认真加以解决。",
            ["科技创新还需深耕细作", "民生短板亟需补齐", "有的干部担当作为不够"],
        ),
        (
            "与此同时，我们也清醒地认识到，经济增长的基础尚不牢固；营商环境仍需优化；"
            "政府效能有待提升，等等。",
            ["经济增长的基础尚不牢固", "营商环境仍需优化", "政府效能有待提升"],
        ),
        # "we must clearly see" admits the problems: it closes nothing
        (
            "我们必须清醒地看到，执法力量不足，培训不够。",
            ["执法力量不足", "培训不够"],
        ),
    ],
)
def test_the_response_to_the_problems_is_no_problem(admission, rows):
    assert _problems_after_the_review(admission) == rows


def test_a_paragraph_or_item_of_response_closes_the_problems_not_the_plans():
    text = (
        "某区司法局2023年法治政府建设年度报告\n一、主要工作\n开展执法培训。\n"
        "二、存在的问题\n行政执法规范化水平有待提高。\n法治宣传教育针对性不强。\n"
        "对此，我局将认真研究，切实加以解决。\n"
        "三、下一步工作计划\n一是加强执法培训。我们将组织全员轮训。\n二是创新普法方式。\n"
    )
    structure = parse_structure(text)
    assert [p.text for p in structure.problems] == [
        "行政执法规范化水平有待提高。",
        "法治宣传教育针对性不强。",
    ]
    assert structure.plans[0].text == "加强执法培训。我们将组织全员轮训。"
    stated = "行政执法规范化水平有待提高。\n法治宣传教育针对性不强。"
    items = text.replace(stated, "一是执法人员不足；二是培训不够。")
    assert [p.text for p in parse_structure(items).problems] == ["执法人员不足", "培训不够。"]


def test_closing_appeal_and_scene_setting_paragraphs_are_not_plans():
    text = (
        "2025年某市政府工作报告\n一、2024年工作回顾\n"
        + LONG
        + "\n二、2025年工作安排\n加快产业升级。\n三、加强政府自身建设\n"
        "新征程对政府工作提出了新的更高要求。\n"
        "建设法治政府。严格依法行政。\n建设廉洁政府。落实主体责任。\n"
        "各位代表！让我们更加紧密地团结在一起，为建设美好城市而努力奋斗！\n"
    )
    structure = parse_structure(text)
    assert [p.text for p in structure.plans] == [
        "加快产业升级。",
        "建设法治政府。严格依法行政。",
        "建设廉洁政府。落实主体责任。",
    ]
    assert structure.sections[-1].role == "other"


@pytest.mark.parametrize("appeal", ["各位代表！让我们团结一心，为建设美好城市而努力奋斗！\n", ""])
def test_a_glossary_s_numbered_entries_are_no_plans(appeal):
    text = (
        "2025年某市政府工作报告\n一、2024年工作回顾\n"
        + LONG
        + "\n二、2025年工作安排\n加快产业升级。\n深化营商环境改革。\n"
        + appeal
        + "名词解释：\n"
        "1、“六个一”责任制：即一个项目、一个分管领导、一个责任单位的分工模式。\n"
        "2、“营改增”：是营业税改征增值税的简称。\n"
    )
    structure = parse_structure(text)
    assert [p.text for p in structure.plans] == ["加快产业升级。", "深化营商环境改革。"]
    entries = [s for s in structure.sections if s.heading and s.heading.startswith("“")]
    assert len(entries) == 2 and {s.role for s in entries} == {"other"}


def test_plans_numbered_after_a_closing_appeal_stay_plans():
    """Only a glossary makes the numbered sections after it closing matter: an appeal
    ending a part's introduction leaves its sub-sections to the part's role."""
    text = (
        "2025年某市政府工作报告\n一、2024年工作回顾\n"
        + LONG
        + "\n二、2025年工作安排\n让我们团结一心，为建设美好城市而努力奋斗！\n"
        "（一）加快产业升级。\n推进技术改造。\n（二）深化营商环境改革。\n优化审批。\n"
    )
    roles = {s.heading: s.role for s in parse_structure(text).sections if s.heading}
    assert roles["加快产业升级"] == roles["深化营商环境改革"] == "plans"


def test_a_title_repeated_below_page_chrome_is_no_part():
    chrome = (
        "发布时间：2024-03-01 10:00 来源：某区司法局 浏览次数：128 字号：大 中 小 打印本页 关闭窗口"
    )
    text = f"某区2023年度法治政府建设情况报告\n{chrome}\n某区2023年度法治政府建设情况报告\n{LONG}\n"
    assert not [h for h in find_headings(text) if h.style == "unnumbered"]


def test_a_part_naming_achievements_right_after_the_admission_is_coming_work():
    # 二、“十三五”发展成就和“十四五”发展的主要考虑: the review ended with the admission
    text = (
        f"2021年某市政府工作报告\n一、2020年工作回顾\n{LONG}\n"
        "在肯定成绩的同时，我们也清醒地看到面临的困难和挑战。财政收支矛盾突出。\n"
        f"二、“十三五”发展成就和“十四五”发展的主要考虑\n（一）坚定不移实施创新驱动\n{LONG}\n"
    )
    assert dict(tops(text))["二"] == "plans"
    # an admission closed inside its part by a named sub-section leaves the review open
    text = (
        f"某区2023年度法治政府建设情况报告\n一、强化组织领导\n{LONG}\n但仍存在一些不足：人手少。\n"
        f"（一）强化组织领导成效\n{LONG}\n二、法治政府建设主要成效\n{LONG}\n"
    )
    assert dict(tops(text))["二"] == "achievements"


def test_an_admission_of_weakness_followed_by_its_specifics_starts_the_problems():
    text = (
        f"2007年某市政府工作报告\n一、2006年工作回顾\n{LONG}\n"
        "与先进城市相比，我们综合实力仍然不强，发展后劲仍然不足。具体表现在：一是经济结构调整步伐"
        "亟待加快；二是增长方式转变任务还很艰巨。\n二、2007年工作安排\n加强学习。\n"
    )
    structure = parse_structure(text)
    assert [p.text for p in structure.problems] == [
        "经济结构调整步伐亟待加快",
        "增长方式转变任务还很艰巨。",
    ]
