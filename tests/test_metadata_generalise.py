"""Rules added after a second, independent reading of real rule-of-law report pages
(issue 15, metadata): each on short snippets written for the test, awkward cases included.
The pages themselves are keyed in benchmarks/accuracy/gold_metadata.json and reproduced in
new words in tests/fixtures/pages/snippets.json."""

from __future__ import annotations

import csv
import json
import warnings

import pytest

from lawgovkit import Report
from lawgovkit.genre import genre_of
from lawgovkit.places import find_short_prefectures
from tests.conftest import ROOT


def _report(text: str) -> Report:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Report.from_text(text, id="t")


# --- titles and genre -----------------------------------------------------------------


@pytest.mark.parametrize(
    "first",
    [
        "2023年,西关街坚持依法行政,现将2023年法治政府建设工作报告如下:",
        "现将我局2023年度法治政府建设情况报告如下:",
        "2023年度,某镇坚持依法行政,法治政府建设取得新成效",
    ],
)
def test_a_sentence_opening_the_text_is_no_title(first) -> None:
    report = _report(first + "\n一、主要做法\n(一)加强组织领导。镇党委定期研究法治工作。\n")
    assert report.meta["title"] is None
    assert report.meta["genre"] == "rule_of_law_report"
    assert report.is_report


def test_a_title_with_a_chrome_tail_is_not_joined_to_the_next_line() -> None:
    text = (
        "株洲市人民政府门户网站-株洲市民政局2023年法治政府建设年度报告_在线阅读\n"
        "首页 > 信息公开 > 法治政府建设年度报告\n"
        "株洲市民政局2023年法治政府建设年度报告\n"
        "2023年,市民政局坚持依法行政。\n"
    )
    assert _report(text).meta["title"] == "株洲市民政局2023年法治政府建设年度报告"


def test_genre_from_a_heading_on_the_measures_of_the_year() -> None:
    lines = ["2023年是本区发展的关键之年。", "一、2023年推进法治政府建设的主要举措和成效"]
    assert genre_of(None, lines) == ("rule_of_law_report", "body")
    # a plan's task heading is not a report's
    assert genre_of(None, ["一、推进法治政府建设的主要任务", "(一)健全制度"])[0] == "other"


def test_genre_from_an_opening_year_since() -> None:
    lines = ["2023年以来,在市委的指导下,我局围绕法治政府建设目标开展工作。"]
    assert genre_of(None, lines) == ("rule_of_law_report", "body")


def test_a_news_item_about_a_rule_of_law_year_is_no_report() -> None:
    text = (
        "昨日上午,某市人民政府新闻办召开新闻发布会,介绍2023年全市法治政府建设情况。\n"
        "2023年,某市推进法治政府建设,行政复议案件办结率上升。\n"
    )
    report = _report(text)
    assert report.meta["genre"] == "other"
    assert not report.is_report
    # a report that mentions a press conference stays a report: its title says so
    titled = "某区2023年度法治政府建设情况报告\n" + text
    assert _report(titled).meta["genre"] == "rule_of_law_report"


# --- places -----------------------------------------------------------------------------


def test_county_government_named_by_level_takes_its_own_document() -> None:
    text = (
        "根据有关规定,现将县人民政府2023年法治政府建设工作情况报告如下。\n"
        "一、主要成效\n"
        "2023年,县人民政府认真贯彻《河南省法治政府建设实施纲要》。\n"
        "1.县人民政府领导班子带头学法,制定了《兰考县人民政府常务会议学法制度》。\n"
    )
    meta = _report(text).meta
    assert (meta["jurisdiction"], meta["level"], meta["city"]) == ("兰考县", "county", "开封市")


def test_a_place_in_a_document_name_alone_is_no_issuer() -> None:
    text = (
        "2023年,园区管委会推进法治建设。现将2023年度法治政府建设情况报告如下:\n"
        "一、主要举措和成效\n"
        "(一)带头学习《郑州市重大行政决策程序规定》等法规。\n"
    )
    assert _report(text).meta["jurisdiction"] is None


def test_superiors_who_lead_the_way_are_no_self_reference() -> None:
    text = (
        "2023年,南屏街道坚持依法行政,在区委、区政府的带领下推进法治政府建设。"
        "现将2023年法治政府建设情况报告如下:\n一、主要举措\n"
    )
    meta = _report(text).meta
    assert (meta["jurisdiction"], meta["level"]) == ("南屏街道", "township")


def test_a_wrapped_meeting_line_names_the_district() -> None:
    text = (
        "——2024年1月8日在长沙市岳麓区第五届\n"
        "人民代表大会第四次会议上\n"
        "各位代表:\n"
        "现在,我代表区人民政府,向大会报告工作,请予审议。\n"
        "2023年工作回顾\n"
    )
    meta = _report(text).meta
    assert (meta["jurisdiction"], meta["city"], meta["genre"]) == (
        "岳麓区",
        "长沙市",
        "work_report",
    )
    assert (meta["report_year"], meta["plan_year"]) == (2023, 2024)


@pytest.mark.parametrize(
    ("first", "place", "province"),
    [
        ("2023年,凉山州人民政府坚持依法行政,推进法治政府建设。", "凉山彝族自治州", "四川省"),
        ("2023年,延边州委、州政府坚持依法行政,推进法治政府建设。", "延边朝鲜族自治州", "吉林省"),
    ],
)
def test_autonomous_prefecture_by_its_short_form(first, place, province) -> None:
    meta = _report(first + "\n一、主要举措\n").meta
    assert (meta["jurisdiction"], meta["level"], meta["province"]) == (place, "city", province)


def test_autonomous_prefecture_short_form_in_a_title() -> None:
    meta = _report("甘孜州2023年法治政府建设情况报告\n2023年,全州推进依法行政。\n").meta
    assert meta["jurisdiction"] == "甘孜藏族自治州"


def test_short_forms_name_existing_prefectures_and_not_inside_words() -> None:
    data = json.loads((ROOT / "lawgovkit" / "data" / "metadata.json").read_text(encoding="utf-8"))
    lines = (ROOT / "lawgovkit" / "data" / "divisions.csv").read_text(encoding="utf-8")
    names = {row[1] for row in csv.reader(x for x in lines.splitlines() if not x.startswith("#"))}
    shorts = data["prefecture_short_names"]
    assert len(shorts) == 30
    assert set(shorts.values()) <= names
    assert all(full.endswith("自治州") for full in shorts.values())
    assert find_short_prefectures("通巴州的道路") == []


# --- issuing organ ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first",
    [
        "2023年,省农业农村厅以习近平法治思想为指导,推进法治政府建设。",
        "2023年,市卫生健康委坚持依法行政,推进法治政府建设。",
        "2023年以来,我委紧扣法治政府建设目标,推进依法行政。",
    ],
)
def test_an_organ_opening_the_text_is_a_department(first) -> None:
    assert _report(first + "\n一、主要举措\n").meta["body"] == "department"


def test_a_title_wrapped_in_quotes_is_read_without_them() -> None:
    text = (
        "'2019年惠州市政府工作报告'\n\n2019年惠州市政府工作报告\n"
        "——2019年1月15日在惠州市第十二届人民代表大会第四次会议上\n各位代表:\n"
    )
    assert _report(text).meta["title"] == "2019年惠州市政府工作报告"
