"""Rules added after a third reading of real rule-of-law report pages (metadata and page
chrome): each on short snippets written for the test, awkward cases included. The pages
are keyed in benchmarks/accuracy/gold_metadata.json and reproduced in new words in
tests/fixtures/pages/snippets.json."""

from __future__ import annotations

import warnings

import pytest

from lawgovkit import Report
from lawgovkit.clean import clean
from lawgovkit.genre import genre_of
from lawgovkit.layout import remove_glosses


def _report(text: str) -> Report:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Report.from_text(text, id="t")


def _kinds(raw: str) -> dict[str, str]:
    """What clean() removed, kind -> text."""
    return {b.kind: b.text for b in clean(raw).boilerplate}


# --- pinyin glosses ----------------------------------------------------------------------


def test_pinyin_glosses_are_removed_and_kept_as_records() -> None:
    raw = (
        "2023年,全區(qū)各級人民政府落實自治區(qū)方案。\n"
        "總書記對內(nèi)蒙古的囑托,年(nian)度任務。\n"
    )
    result = clean(raw)
    assert "(" not in result.text
    assert "全区各级人民政府" in result.text and "内蒙古" in result.text
    glosses = [b for b in result.boilerplate if b.kind == "pinyin_gloss"]
    assert [(b.text, b.line, b.part) for b in glosses] == [
        ("(qū)(qū)", 1, "marks"),
        ("(nèi)(nian)", 2, "marks"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "全区(qū)各级政府推进法治。",  # one or two are the text's own words
        "开发移动应用(app)、数据平台(api)和门户(gov)。",  # not syllables
        "国内生产总值(GDP)、居民消费价格(CPI)和采购经理指数(PMI)。",  # capitals
        "编号2023(an)、2024(ai)、2025(e)。",  # after digits, not characters
    ],
)
def test_text_with_few_or_no_glosses_is_left_alone(text) -> None:
    assert remove_glosses(text) == (text, [])


# --- page chrome -------------------------------------------------------------------------


def test_a_breadcrumb_of_three_parts_without_home_is_chrome() -> None:
    raw = "市司法局>专题专栏>法治政府建设工作情况报告\n某镇2025年度法治政府建设情况报告\n"
    assert _kinds(raw)["breadcrumb"].startswith("市司法局>")
    # two parts could be a title's own words; a sentence with > stays
    kept = "一级>二级\n增长率由3%提高到5%,指标>目标>底线的要求。\n"
    assert clean(kept).text == kept


def test_table_border_pipes_go_but_a_markdown_row_with_empty_cells_stays() -> None:
    raw = "某市某局2023年政府信息公开工作年度报告 | |||||||||\n|\n||||||\n正文。\n"
    result = clean(raw)
    assert result.text == "某市某局2023年政府信息公开工作年度报告\n正文。\n"
    assert {b.kind for b in result.boilerplate} == {"table_border"}
    row = "| 38 | 污水管网 | 公里 | 7904.79 |  |  |\n"
    assert clean(row).text == "| 38 | 污水管网 | 公里 | 7904.79 | | |\n"  # spaces folded only


def test_image_placeholders_and_a_visitor_greeting_are_chrome() -> None:
    raw = "图片\n某地欢迎您! 用户登录 网站无障碍 适老版\nimg\n某镇2024年度法治政府建设情况报告\n"
    kinds = _kinds(raw)
    assert kinds["image"] in ("图片", "img")
    assert kinds["site_header"].startswith("某地欢迎您")
    assert clean(raw).text == "某镇2024年度法治政府建设情况报告\n"


# --- titles ------------------------------------------------------------------------------


def test_a_whole_title_below_lines_of_unknown_chrome_is_found() -> None:
    text = (
        "某某娱乐在线官网@\n某某娱乐@政务服务管理办公室\n某开发区便民服务中心\n"
        "木渎镇2024年度法治政府建设情况报告\n"
        "2024年,木渎镇统筹推进法治政府建设。\n"
    )
    assert _report(text).meta["title"] == "木渎镇2024年度法治政府建设情况报告"


def test_a_line_with_title_words_only_is_no_title_below_the_first_lines() -> None:
    text = "某网站\n某频道\n某栏目\n工作动态情况\n2024年,某镇推进依法行政。\n"
    assert _report(text).meta["title"] is None


def test_a_title_naming_its_own_issuer_is_not_joined_to_the_line_above() -> None:
    text = (
        "禄丰市人民政府\n中村乡人民政府关于2022年法治政府建设工作情况报告\n"
        "2022年来,中村乡推进依法行政。现将工作情况报告如下:\n"
    )
    assert _report(text).meta["title"] == "中村乡人民政府关于2022年法治政府建设工作情况报告"
    # an issuer line above 关于…报告 is still the title's first part
    wrapped = "台州市路桥区人民政府\n关于2021年法治政府建设的年度报告\n2021年,我区推进法治。\n"
    assert _report(wrapped).meta["title"] == "台州市路桥区人民政府关于2021年法治政府建设的年度报告"


# --- places, genre and body ---------------------------------------------------------------


def test_an_addressee_line_is_no_self_reference() -> None:
    text = (
        "市委、市政府:\n"
        "2025年,下蜀镇深入贯彻习近平法治思想,法治政府建设稳步推进。现将本年度情况汇报如下:\n"
        "一、健全制度\n"
    )
    meta = _report(text).meta
    assert (meta["jurisdiction"], meta["level"]) == ("下蜀镇", "township")


@pytest.mark.parametrize("own", ["法治人社建设", "法治市场监管建设", "法治财政建设"])
def test_a_departments_own_rule_of_law_building_in_the_opening_gives_the_genre(own) -> None:
    line = (
        "2023年,在市委、市政府领导下,在省人力资源和社会保障厅指导下,我局以习近平法治思想为"
        f"指导,贯彻党的二十大精神,稳步推进{own}。"
    )
    assert genre_of(None, [line]) == ("rule_of_law_report", "body")
    # a year's opening on other work is no report
    assert genre_of(None, ["2023年,我局稳步推进人才队伍建设。"])[0] == "other"


@pytest.mark.parametrize(
    ("first", "body"),
    [
        ("2021年,在自治区党委领导下,某区人民政府贯彻习近平法治思想,推进法治建设。", "government"),
        ("2023年,某县财政局落实法治政府建设部署,推进依法理财。", "department"),
    ],
)
def test_an_organ_before_a_verb_of_carrying_out_is_the_body(first, body) -> None:
    assert _report(first + "\n一、主要举措\n").meta["body"] == body


def test_the_year_is_read_after_a_meeting_line_the_issuer_and_the_salutation() -> None:
    text = (
        "(2025年4月29日在某市第十四届人民代表大会常务委员会第十七次会议上)\n"
        "某市人民政府\n"
        "主任、副主任、秘书长、各位委员:\n"
        "2023年,某市加快推进法治政府建设。现将有关情况报告如下。\n"
    )
    meta = _report(text).meta
    assert (meta["report_year"], meta["plan_year"]) == (2023, 2024)
    # a line of the report's own formula ending with a colon is no front matter
    formula = "关于法治建设工作情况的汇报\n现将我县2021年以来工作汇报如下:\n一、主要做法\n"
    assert _report(formula).meta["report_year"] == 2021


def test_a_place_named_after_the_centre_is_a_superior() -> None:
    text = (
        "2024年,东城区以习近平法治思想为指导,落实中央、北京市关于法治政府建设的部署。"
        "现将有关情况报告如下:\n一、主要举措和成效\n"
    )
    meta = _report(text).meta
    assert (meta["jurisdiction"], meta["level"]) == ("东城区", "district")


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("以创建全省法治政府建设示范县为契机", []),  # 示范县 holds 范县
        ("争创模范县,全市集中区", []),  # 模范县 holds 范县, 集中区 中区
        ("完成县级机构改革,兴县域经济", []),  # a level word and its noun
        ("在范县调研", [(1, "范县")]),
        ("兴县人民政府坚持依法行政", [(0, "兴县")]),
    ],
)
def test_a_county_name_inside_a_word_of_the_genre_is_no_place(text, places) -> None:
    from lawgovkit.places import find_places

    assert find_places(text) == places


def test_a_title_glued_to_the_opening_sentence_is_cut_off_it() -> None:
    text = (
        "某县 2025 年度法治政府建设情况报告2025 年,全县以习近平法治思想为指导,"
        "以创建示范县为契机推进依法行政。一、以思想引领为先导(一)强化理论武装。\n"
    )
    report = _report(text)
    assert report.meta["title"] == "某县2025年度法治政府建设情况报告"
    assert (report.meta["jurisdiction"], report.meta["report_year"]) == (None, 2025)
    assert report.meta["genre"] == "rule_of_law_report" and report.is_report


def test_a_column_label_naming_the_report_kind_is_no_part_of_the_title() -> None:
    text = "【法治建设报告】湖北省司法厅2022年法治政府建设年度报告\n2022年,省司法厅推进法治。\n"
    meta = _report(text).meta
    assert (meta["title"], meta["jurisdiction"]) == (
        "湖北省司法厅2022年法治政府建设年度报告",
        "湖北省",
    )
    # a label saying what else the page is stays, and gives the genre
    text = "【政策解读】关于《某县2023年度法治政府建设情况报告》的政策解读\n现解读如下:\n"
    report = _report(text)
    assert report.meta["title"].startswith("【政策解读】")
    assert report.meta["genre"] == "other" and not report.is_report


def test_a_province_naming_itself_by_its_short_form() -> None:
    text = (
        "2022年,省司法厅以习近平法治思想为指导,贯彻总书记对广东的重要讲话精神,"
        "法治政府建设取得新成效。\n一、学习贯彻党的二十大精神\n"
    )
    meta = _report(text).meta
    assert (meta["jurisdiction"], meta["level"]) == ("广东省", "province")
    # two provinces named: none is taken; a county's text does not speak as a province
    both = text.replace("对广东的重要讲话精神", "对广东、湖南合作的部署")
    assert _report(both).meta["jurisdiction"] is None
    county = "2022年,县司法局落实对广东帮扶的部署,推进法治政府建设。\n一、主要举措\n"
    assert _report(county).meta["jurisdiction"] is None


def test_the_subject_of_the_opening_sentence_is_the_issuer_whatever_superiors_follow() -> None:
    text = (
        "2022年,在区委、区政府的领导下,友谊路街道深入学习党的二十大精神,按照市委、市政府"
        "以及区委、区政府法治建设方案的要求推进法治政府建设。现将工作报告如下:\n一、主要举措\n"
    )
    meta = _report(text).meta
    assert (meta["jurisdiction"], meta["level"]) == ("友谊路街道", "township")


@pytest.mark.parametrize(
    ("first", "title"),
    [
        ("2024年度某街道法治政府建设工作报告 2024-12-12", "2024年度某街道法治政府建设工作报告"),
        ("某街道2022年度法治政府建设 工作情况报告", "某街道2022年度法治政府建设工作情况报告"),
    ],
)
def test_a_date_after_the_title_and_spaces_inside_it_go(first, title) -> None:
    assert _report(first + "\n2024年,某街道推进依法行政。\n").meta["title"] == title


def test_a_label_and_its_value_is_no_title() -> None:
    text = "书名:\n一级目:政 治 建 设\n二级目:法 治\n【概况】 2020年,全县推进法治建设。\n"
    assert _report(text).meta["title"] is None


def test_a_line_of_steps_in_the_body_is_no_breadcrumb() -> None:
    raw = (
        "某县2023年度法治政府建设情况报告\n2023年,我县推进法治政府建设。\n"
        "一、主要举措\n(一)规范审批流程。\n受理→审核→决定→送达\n"
    )
    assert "受理→审核→决定→送达" in clean(raw).text


def test_a_sites_watermark_before_the_title_is_no_part_of_it() -> None:
    text = (
        "某某之家—全网资源每日更新www.example.com某县人民政府关于2023年度法治政府建设情况的报告"
        "2023年,县政府坚持依法行政。一、主要举措\n"
    )
    assert _report(text).meta["title"] == "某县人民政府关于2023年度法治政府建设情况的报告"
