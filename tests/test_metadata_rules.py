"""One test per metadata rule of issue 15, on short snippets written for the tests: titles,
page chrome, places, the division table, genre and years by genre, report_score, file types
and the sidecar; and the page openings of tests/fixtures/pages against their gold."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import lawgovkit as lgk
from lawgovkit import Report
from lawgovkit.errors import LawgovkitWarning, UnsupportedFormatError
from lawgovkit.genre import delivered_date, genre_of, work_report_years
from lawgovkit.places import find_places, resolve, short_name
from tests.conftest import ROOT, SEED_PATHS

PAGES = ROOT / "tests" / "fixtures" / "pages" / "snippets.json"
GOLD = ROOT / "benchmarks" / "accuracy" / "gold_metadata.json"


def _report(text: str) -> Report:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Report.from_text(text, id="t")


def _pages() -> list[tuple[str, str, dict]]:
    snippets = json.loads(PAGES.read_text(encoding="utf-8"))
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["pages"]
    return [(url, snippets[url], fields) for url, fields in sorted(gold.items())]


@pytest.mark.parametrize(("url", "text", "gold"), _pages(), ids=[u[-40:] for u, _, _ in _pages()])
def test_page_openings_give_their_gold(url, text, gold) -> None:
    report = _report(text)
    got = {**report.meta, "is_report": report.is_report}
    for field, expected in gold.items():
        if field not in ("shape", "open", *gold.get("open", ())):
            assert got[field] == expected, (url, field)


def test_at_least_thirty_pages_are_annotated() -> None:
    pages = _pages()
    assert len(pages) >= 30
    assert sum(1 for _, _, g in pages if g["is_report"]) >= 20
    assert sum(1 for _, _, g in pages if not g["is_report"]) >= 8


# --- titles -------------------------------------------------------------------------


def test_title_line_one_may_open_with_its_year() -> None:
    report = _report(
        "2024年某某市政府工作报告\n原标题:政府工作报告——\n各位代表:\n一、2023年工作回顾\n"
    )
    assert report.meta["title"] == "2024年某某市政府工作报告"


def test_a_year_heading_on_line_one_is_no_title() -> None:
    report = _report("2023年工作回顾\n过去一年,我们奋力拼搏。\n")
    assert report.meta["title"] is None


def test_speaker_and_date_note_is_cut_from_the_title_and_kept() -> None:
    text = (
        "济宁市政府工作报告 (2020年1月9日 某某某)\n"
        "——2020年1月9日在济宁市第十七届人民代表大会第五次会议上\n"
        "各位代表:\n"
    )
    report = _report(text)
    assert report.meta["title"] == "济宁市政府工作报告"
    assert report.meta["delivered_date"] == pd.Timestamp(2020, 1, 9)
    assert report.provenance["delivered_date"] == "title"
    assert report.meta["jurisdiction"] == "济宁市"


def test_speaker_line_is_not_the_title() -> None:
    report = _report("——2004年2月6日在某市第十届人民代表大会第二次会议上\n市长 某某\n各位代表:\n")
    assert report.meta["title"] is None
    assert report.meta["delivered_date"] == pd.Timestamp(2004, 2, 6)


def test_original_title_label_is_cut() -> None:
    report = _report("原标题:某县2023年度法治政府建设情况报告\n2023年,我县推进依法行政。\n")
    assert report.meta["title"] == "某县2023年度法治政府建设情况报告"


def test_title_broken_over_two_lines_is_joined() -> None:
    report = _report(
        "宜昌市夷陵区司法局\n关于2023年度法治政府建设情况的报告\n2023年,我局推进依法行政。\n"
    )
    assert report.meta["title"] == "宜昌市夷陵区司法局关于2023年度法治政府建设情况的报告"
    assert report.meta["jurisdiction"] == "夷陵区"


def test_title_cut_inside_a_word_is_joined() -> None:
    report = _report("2018年宜春市政府工作报\n告\n各位代表:\n一、2017年工作回顾\n")
    assert report.meta["title"] == "2018年宜春市政府工作报告"
    assert (report.meta["jurisdiction"], report.meta["genre"]) == ("宜春市", "work_report")


def test_delivered_date_in_chinese_numerals() -> None:
    assert delivered_date(["——2009年一月十日在某省第十一届人民代表大会上"]) == pd.Timestamp(
        2009, 1, 10
    )
    assert delivered_date(["(2022年十二月二十一日 某某)"]) == pd.Timestamp(2022, 12, 21)
    assert delivered_date(["2022年12月21日,我区召开大会。"]) is None


# --- page chrome --------------------------------------------------------------------


def test_township_page_head_with_chrome() -> None:
    page = (
        "无障碍 | 长者模式 | 简体 | 繁體 | 登录 | 注册\n"
        "Menu\n"
        "[主题分类] 法治政府建设 [发布机构] 枝江市安福寺镇人民政府\n"
        "您所在的位置:首页 > 政务公开 > 法治政府建设\n"
        "法治政府建设\n"
        "枝江市安福寺镇2023年度法治政府建设情况报告-枝江市人民政府门户网站\n"
        "发布日期:2024-03-20 来源:安福寺镇\n"
        "2023年,安福寺镇坚持依法行政,推进法治政府建设。\n"
        "一、主要举措和成效\n"
    )
    report = _report(page)
    meta = report.meta
    assert meta["title"] == "枝江市安福寺镇2023年度法治政府建设情况报告"
    assert (meta["jurisdiction"], meta["level"]) == ("安福寺镇", "township")
    assert (meta["province"], meta["city"]) == ("湖北省", "宜昌市")
    assert meta["report_year"] == 2023 and meta["genre"] == "rule_of_law_report"
    assert report.is_report and report.report_score >= 0.6
    kinds = {b.kind for b in report.boilerplate}
    assert {"accessibility_bar", "site_nav", "index_block", "breadcrumb", "column_label"} <= kinds
    assert {"site_name", "publish_info"} <= kinds
    for word in ("无障碍", "Menu", "主题分类", "门户网站", "您所在的位置"):
        assert word not in report.text


def test_site_header_with_the_date_and_html_comments_are_chrome() -> None:
    page = (
        "某某区人民政府 2019年12月3日星期二\n"
        "<!-- 区长作报告 -->\n"
        "某某区2023年度法治政府建设情况报告\n"
        "2023年,我区推进依法行政。\n"
    )
    report = _report(page)
    assert report.text.startswith("某某区2023年度")
    assert {b.kind for b in report.boilerplate} == {"site_header", "html_comment"}


def test_a_title_ending_like_a_site_is_not_eaten_whole() -> None:
    report = _report("某县2024年度法治政府建设情况报告_某县人民政府网\n2024年,我县推进依法行政。\n")
    assert report.meta["title"] == "某县2024年度法治政府建设情况报告"


# --- places -------------------------------------------------------------------------


def test_ordinary_words_are_no_places() -> None:
    text = (
        "某市2022年度法治政府建设情况报告\n"
        "2022年,全市推进法治政府建设,省、市和县三级联动。结合街道实际开展普法。\n"
    )
    report = _report(text)
    assert report.meta["jurisdiction"] is None
    assert "结合街道" not in str(report.meta)


def test_conjunction_before_a_level_word_is_no_place() -> None:
    text = "2022年,市和县政府共同推进法治政府建设。现将有关情况报告如下:\n"
    assert _report(text).meta["jurisdiction"] is None
    assert find_places("省、市和县三级联动") == []
    assert find_places("和县人民政府") == [(0, "和县")]
    assert _report("和县2022年度法治政府建设情况报告\n").meta["jurisdiction"] == "和县"


def test_autonomous_region_alone_is_no_place() -> None:
    text = (
        "2022年,我区坚持推进法治政府建设。现将有关情况报告如下:\n"
        "一、学习\n"
        "自治区人民政府高度重视。\n"
    )
    assert _report(text).meta["jurisdiction"] is None


def test_congress_line_names_the_autonomous_region() -> None:
    text = (
        "政府工作报告\n"
        "——2024年1月20日在宁夏回族自治区第十三届人民代表大会第二次会议上\n"
        "各位代表:\n"
        "一、2023年工作回顾\n"
        "自治区坚持发展。立山区支援了我们。\n"
    )
    meta = _report(text).meta
    assert (meta["jurisdiction"], meta["level"]) == ("宁夏回族自治区", "province")


def test_a_place_merely_mentioned_is_not_the_issuer() -> None:
    text = (
        "政府工作报告\n各位代表:\n一、2017年工作回顾\n"
        + "我们推进发展。" * 5
        + "\n支持澳门特别行政区政府依法施政。\n"
    )
    assert _report(text).meta["jurisdiction"] is None


@pytest.mark.parametrize(
    ("title", "place", "level"),
    [
        ("吉林市2020年政府工作报告", "吉林市", "city"),
        ("2020年吉林省政府工作报告", "吉林省", "province"),
        ("2020年海口市政府工作报告", "海口市", "city"),
        ("2021年海南省政府工作报告", "海南省", "province"),
    ],
)
def test_province_and_city_namesakes_follow_the_title(title, place, level) -> None:
    text = f"{title}\n各位代表:\n一、2019年工作回顾\n浙江省、海南省、吉林省的客商来访。\n"
    meta = _report(text).meta
    assert (meta["jurisdiction"], meta["level"]) == (place, level)


def test_short_name_in_a_title() -> None:
    assert short_name("长春政府工作报告") == "长春市"
    assert short_name("吉林政府工作报告") is None  # 吉林省 or 吉林市: undecided
    assert _report("长春政府工作报告\n各位代表:\n").meta["jurisdiction"] == "长春市"


def test_township_report_gets_the_township_and_its_enclosing_places() -> None:
    meta = _report(
        "鲤城区人民政府金龙街道办事处关于2022年度法治政府建设情况的报告\n现将情况报告如下:\n"
    ).meta
    assert (meta["jurisdiction"], meta["level"]) == ("金龙街道", "township")
    assert (meta["province"], meta["city"], meta["adcode"]) == ("福建省", "泉州市", None)


def test_township_named_as_the_subject_of_the_opening() -> None:
    text = (
        "2022年,在区委、区政府的正确领导下,三张镇坚持依法行政。"
        "现将我镇2022年度法治政府建设工作情况报告如下:\n"
    )
    meta = _report(text).meta
    assert (meta["jurisdiction"], meta["level"]) == ("三张镇", "township")


def test_township_merely_mentioned_is_not_the_issuer() -> None:
    text = (
        "2022年,我镇推进法治政府建设。现就我镇2022年度法治政府建设情况报告如下:\n"
        "让精神在下太镇落地生根。\n"
    )
    assert _report(text).meta["jurisdiction"] is None


# --- the division table -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "adcode"),
    [
        ("临平区", "330113"),
        ("钱塘区", "330114"),
        ("沙县区", "350405"),
        ("龙海区", "350604"),
        ("横州市", "450181"),
        ("会理市", "513402"),
        ("禄丰市", "532302"),
        ("和康县", "653228"),
        ("米林市", "540481"),
        ("错那市", "540581"),
    ],
)
def test_places_created_or_renamed_since_2021(name, adcode) -> None:
    assert resolve(name).adcode == adcode
    assert find_places(f"某省{name}人民政府") == [(2, name)]


@pytest.mark.parametrize(
    ("name", "adcode"),
    [("沙县", "350427"), ("会理县", "513425"), ("禄丰县", "532331"), ("莱芜市", "371200")],
)
def test_former_names_are_kept(name, adcode) -> None:
    assert resolve(name).adcode == adcode


def test_division_table_keeps_namesakes_and_leaves_out_non_divisions() -> None:
    assert resolve("渝北区").adcode == "500112"
    assert resolve("江北区", ("重庆市",)).adcode == "500105"
    assert resolve("江北区", ("宁波市",)).adcode == "330205"
    assert resolve("綦江区").city is None  # a municipality's district has no city
    assert find_places("雄安新区两江新区苏州工业园区") == []
    assert find_places("甘肃省和康县") == [(0, "甘肃省"), (3, "和康县")]  # not 康县


# --- genre and years ----------------------------------------------------------------


def test_same_year_words_mean_different_years_by_genre() -> None:
    rule_of_law = _report(
        "某区2023年法治政府建设情况报告\n2023年,我区推进依法行政。\n一、主要举措\n"
    )
    work = _report("某区2023年政府工作报告\n各位代表:\n一、2022年工作回顾\n二、2023年工作安排\n")
    assert rule_of_law.meta["genre"] == "rule_of_law_report"
    assert (rule_of_law.meta["report_year"], rule_of_law.meta["plan_year"]) == (2023, 2024)
    assert work.meta["genre"] == "work_report"
    assert (work.meta["report_year"], work.meta["plan_year"]) == (2022, 2023)
    assert work.provenance["plan_year"] == "title"
    assert work.provenance["report_year"] == "body"


def test_work_report_without_a_year_in_its_title() -> None:
    text = (
        "某市政府工作报告 (2013年12月28日 某某)\n"
        "各位代表:\n"
        "一、2013年工作和“十二五”发展回顾\n"
        "三、2014年工作安排\n"
    )
    meta = _report(text).meta
    assert (meta["report_year"], meta["plan_year"]) == (2013, 2014)


def test_work_report_past_year_only_derives_the_year_reported_on() -> None:
    values, origin = work_report_years(
        "2015年某市政府工作报告", ["各位代表:", "过去一年,我们奋力拼搏。"]
    )
    assert values == {"report_year": 2014, "plan_year": 2015}
    assert origin == {"plan_year": "title", "report_year": "derived"}


def test_review_since_a_year_is_not_the_year_reported_on() -> None:
    values, _ = work_report_years(
        "某市2007年政府工作报告", ["一、2003年以来工作回顾", "二、2007年工作安排"]
    )
    assert values == {"report_year": 2006, "plan_year": 2007}


def test_genre_from_title_and_from_the_opening() -> None:
    assert genre_of("某镇2023年度法治政府建设情况报告", []) == ("rule_of_law_report", "title")
    assert genre_of(None, ["现将我镇2023年度法治政府建设情况报告如下:"]) == (
        "rule_of_law_report",
        "body",
    )
    assert genre_of("政府工作报告", []) == ("work_report", "title")
    assert genre_of("关于印发2023年度法治政府建设工作要点的通知", []) == ("other", "title")
    interpretation = "关于《某县2023年度法治政府建设情况报告》的政策解读"
    assert genre_of(interpretation, []) == ("other", "title")
    assert genre_of("议题解读:关于2023年度法治建设工作情况的汇报", []) == ("other", "title")
    assert genre_of("某县2023年度法治政府建设情况报告", ["关于印发的通知"])[0] == (
        "rule_of_law_report"
    )
    assert genre_of("关于召开会议的安排", ["定于下周召开。"]) == ("other", "derived")


# --- report_score -------------------------------------------------------------------


def test_truncated_page_head_is_clearly_a_report() -> None:
    report = _report("某镇2023年度法治政府建设情况报告\n2023年,我镇推进法治政府建设。\n")
    assert report.is_report and report.report_score >= 0.6


@pytest.mark.parametrize(
    "text",
    [
        "关于召开2024年法治政府建设工作会议的通知\n各单位:定于下周一召开会议。\n",
        "区司法局开展宪法宣传周活动\n12月4日,区司法局开展普法宣传,发放法治宣传资料。\n",
        "404 页面不存在\n您访问的页面不存在或已被删除。\n返回首页\n",
        "为推进法治政府建设,结合本区实际,制定本方案。\n一、总体要求\n二、主要任务\n三、保障措施\n依法行政。法治政府。"
        * 3,
    ],
    ids=["notice", "news", "error-page", "plan"],
)
def test_look_alikes_are_not_reports(text) -> None:
    report = _report(text)
    assert not report.is_report and report.report_score <= 0.45


def test_work_reports_and_seeds_are_reports() -> None:
    work = _report("2024年某市政府工作报告\n各位代表:\n一、2023年工作回顾\n改革发展取得成效。\n")
    assert work.is_report and work.meta["genre"] == "work_report"
    for path in SEED_PATHS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert lgk.load_report(path).report_score >= 0.6


# --- files --------------------------------------------------------------------------

REPORT = "某区2023年度法治政府建设情况报告\n2023年,我区推进依法行政。\n一、主要举措\n好。\n"


def test_shtml_and_xhtml_pages_in_a_folder_are_read_as_html(tmp_path) -> None:
    page = f"<html><body><p>{REPORT.replace(chr(10), '</p><p>')}</p></body></html>"
    (tmp_path / "a.shtml").write_text(page, encoding="utf-8")
    (tmp_path / "b.xhtml").write_text(page.replace("</body>", "<p>附:另一页。</p></body>"), "utf-8")
    corpus = lgk.load_corpus(tmp_path)  # two pages, not one page saved twice
    assert sorted(corpus.ids) == ["a", "b"]
    assert set(corpus.reports["format"]) == {"html"}
    assert corpus.skipped.empty


def test_doc_and_wps_files_are_listed_or_raise(tmp_path) -> None:
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "b.doc").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(200))
    (tmp_path / "c.wps").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(200))
    (tmp_path / "index.tsv").write_text("file\tplace\n", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError, match=r"b\.doc"):
        lgk.load_corpus(tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = lgk.load_corpus(tmp_path, errors="warn")
    warned = " ".join(str(w.message) for w in caught if w.category is LawgovkitWarning)
    for name in ("b.doc", "c.wps", "index.tsv"):
        assert name in warned
    assert corpus.ids == ["a"]
    skipped = corpus.skipped.set_index(corpus.skipped["path"].map(lambda p: Path(p).name))
    assert list(skipped.index) == ["b.doc", "c.wps", "index.tsv"]
    assert "Word 97-2003" in skipped.loc["b.doc", "message"]
    assert "WPS" in skipped.loc["c.wps", "message"]
    assert "not a report file type" in skipped.loc["index.tsv", "message"]
    with pytest.raises(UnsupportedFormatError, match=r"c\.wps"):
        lgk.load_report(tmp_path / "c.wps")


# --- sidecar ------------------------------------------------------------------------


def test_sidecar_jurisdiction_re_derives_the_place(tmp_path) -> None:
    (tmp_path / "r.txt").write_text("某区2023年度法治政府建设情况报告\n2023年,我区推进依法行政。\n")
    corpus = lgk.load_corpus(
        tmp_path, metadata=pd.DataFrame({"id": ["r"], "jurisdiction": ["江夏区"]})
    )
    row = corpus.reports.loc["r"]
    assert (row["province"], row["city"], row["adcode"], row["level"]) == (
        "湖北省",
        "武汉市",
        "420115",
        "district",
    )
    assert corpus["r"].provenance["jurisdiction"] == "sidecar"
    assert corpus["r"].provenance["adcode"] == "cpca"
    given = pd.DataFrame({"id": ["r"], "jurisdiction": ["江夏区"], "level": ["county"]})
    assert lgk.load_corpus(tmp_path, metadata=given).reports.loc["r", "level"] == "county"


def test_sidecar_township_keeps_the_enclosing_places(tmp_path) -> None:
    (tmp_path / "r.txt").write_text(
        "江夏区2023年度法治政府建设情况报告\n2023年,我区推进依法行政。\n"
    )
    corpus = lgk.load_corpus(
        tmp_path, metadata=pd.DataFrame({"id": ["r"], "jurisdiction": ["金口街道"]})
    )
    row = corpus.reports.loc["r"]
    assert (row["jurisdiction"], row["level"], row["adcode"]) == ("金口街道", "township", None)
    assert (row["province"], row["city"]) == ("湖北省", "武汉市")


def test_sidecar_row_matching_no_file_warns_naming_it(tmp_path) -> None:
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    table = pd.DataFrame({"id": ["r", "ghost"], "jurisdiction": ["江夏区", "东昌府区"]})
    with pytest.warns(LawgovkitWarning, match="'ghost' matches no report"):
        lgk.load_corpus(tmp_path, metadata=table)
