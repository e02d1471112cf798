"""Tests for lawgovkit.clean: normalisation, script detection, page-chrome removal."""

from __future__ import annotations

import unicodedata

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawgovkit.clean import Boilerplate, clean, normalise, page_fields, simplify, strip_boilerplate
from tests.conftest import SEED_PATHS

S2T = opencc.OpenCC("s2t")

PAGE_HEAD = (
    "当前位置:首页 > 政务公开 > 法治政府建设\n"
    "某区2023年度法治政府建设情况报告\n"
    "发布时间:2024/03/29 11:30:01 来源:区司法局 浏览次数:56\n"
    "字号:\n"
    "大 中 小2023年,我区深入推进依法行政。\n"
    "一、主要举措\n"
    "(一)规范执法。全面落实三项制度。\n"
    "分享到:微信 微博\n"
    "【打印本页】 【关闭窗口】\n"
)

CHROME_WORDS = (
    "字号",
    "大 中 小",
    "下载",
    "打印",
    "扫码",
    "扫一扫",
    "关闭窗口",
    "附件:",
    "发布日期",
)


# --- normalise ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("（一）加强领导", "(一)加强领导"),
        ("１．完善制度", "1.完善制度"),
        ("第一，加强；第二：完善", "第一,加强;第二:完善"),
        ("一、主要举措。“三项制度”《条例》【打印】", "一、主要举措。“三项制度”《条例》【打印】"),
        ("①加强领导②完善制度……", "①加强领导②完善制度……"),
        ("　　根据要求，现报告如下：", "根据要求,现报告如下:"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("法治\u200b政府\ufeff建设", "法治政府建设"),
        ("依法\x07行政\x00", "依法行政"),
        ("一\u2028二\x0c三", "一\n二\n三"),
        ("大  中\t小 ", "大 中 小"),
        ("⑴完善", "(1)完善"),
    ],
    ids=[
        "fullwidth-brackets",
        "fullwidth-digit-dot",
        "fullwidth-punctuation",
        "chinese-punctuation-kept",
        "circled-and-ellipsis-kept",
        "ideographic-indent",
        "crlf-cr",
        "zero-width",
        "control-characters",
        "other-line-separators",
        "space-runs",
        "parenthesised-number",
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("控制在5&permil;以内", "控制在5‰以内"),
        ("“放管服”改革&mdash;&mdash;深化", "“放管服”改革——深化"),
        ("&#8240; &#x2030;", "‰ ‰"),
        ("R&amp;D、&amp;permil;", "R&amp;D、&amp;permil;"),  # kept: decoding it twice differs
        ("&unknownname; & 法治", "&unknownname; & 法治"),
    ],
)
def test_normalise_decodes_character_references_left_by_a_web_copy(raw, expected) -> None:
    assert normalise(raw) == expected
    assert normalise(normalise(raw)) == normalise(raw)


def test_normalise_keeps_line_count() -> None:
    text = "一\n\n二\r\n\r\n三"
    assert normalise(text).split("\n") == ["一", "", "二", "", "三"]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=200))
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=200))
def test_normalise_leaves_no_line_breaking_characters_but_newline(text: str) -> None:
    for line in normalise(text).split("\n"):
        assert line.splitlines() in ([line], [])
        assert not any(unicodedata.category(c) == "Cc" for c in line.replace("\t", ""))


def _normalise_step_by_step(text: str) -> str:
    """normalise as first written: every substitution run on the whole text, then a regex
    collapsing the spaces of each line."""
    import re

    from lawgovkit.clean import _INVISIBLE, _KEPT_RUN, _LINE_BREAKS, KEPT_FORMS

    text = _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", text))
    pieces = _KEPT_RUN.split(text)
    text = "".join(p if p in KEPT_FORMS else unicodedata.normalize("NFKC", p) for p in pieces)
    text = _LINE_BREAKS.sub("\n", text)
    return "\n".join(re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n"))


@settings(max_examples=500, deadline=None, derandomize=True)
@given(
    st.text(
        alphabet=" \t\n\r\u3000\xa0\x0b\x0c\x1c\x1f\x85\u2028\u200b\ufeff文a①…（１︰", max_size=40
    )
    | st.text(max_size=40)
)
def test_normalise_same_as_step_by_step(text: str) -> None:
    assert normalise(text) == _normalise_step_by_step(text)


# --- simplify --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "script"),
    [
        ("二、存在的問題和原因", "二、存在的问题和原因", "traditional"),
        ("法治政府建設情況報告", "法治政府建设情况报告", "traditional"),
        ("二、存在的问题和原因", "二、存在的问题和原因", "simplified"),
        ("2023-03-15 17:26", "2023-03-15 17:26", "simplified"),
        ("", "", "simplified"),
    ],
)
def test_simplify(text: str, expected: str, script: str) -> None:
    assert simplify(text) == (expected, script)


@pytest.mark.parametrize("seed", SEED_PATHS, ids=[p.stem[:3] for p in SEED_PATHS])
def test_simplify_seed_is_simplified_and_its_traditional_form_converts_back(seed) -> None:
    text = normalise(seed.read_text(encoding="utf-8"))
    assert simplify(text) == (text, "simplified")
    assert simplify(S2T.convert(text)) == (text, "traditional")


# --- page fields ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("发布日期:2023-03-15 17:26", [("发布日期", "2023-03-15 17:26")]),
        (
            "发布时间:2022-03-01 11:55 信息来源:县司法局",
            [("发布时间", "2022-03-01 11:55"), ("信息来源", "县司法局")],
        ),
        (
            "发布时间:2022-03-01 11:55信息来源:县司法局",
            [("发布时间", "2022-03-01 11:55"), ("信息来源", "县司法局")],
        ),
        ("【字体:大 中 小】", [("字体", "大 中 小")]),
        ("索引号:", [("索引号", "")]),
        ("成文日期:2017年02月28日", [("成文日期", "2017年02月28日")]),
        ("来源于群众的意见,我们认真办理。", []),
        ("来源:群众来信反映的问题,经调查属实。已督促整改到位。", []),
        ("资金来源:财政拨款", []),
        ("一、主要举措", []),
    ],
    ids=[
        "date",
        "date-and-source",
        "glued-labels",
        "bracketed-font",
        "label-alone",
        "written-date",
        "word-in-sentence",
        "label-then-sentence",
        "label-inside-word",
        "heading",
    ],
)
def test_page_fields(line: str, expected: list) -> None:
    assert page_fields(line) == expected


# --- strip_boilerplate ------------------------------------------------------------------------


def test_strip_page_head_keeps_content_and_records_chrome() -> None:
    text, removed = strip_boilerplate(normalise(PAGE_HEAD))
    assert text == (
        "某区2023年度法治政府建设情况报告\n"
        "2023年,我区深入推进依法行政。\n"
        "一、主要举措\n"
        "(一)规范执法。全面落实三项制度。\n"
    )
    assert [(b.kind, b.line, b.part) for b in removed] == [
        ("breadcrumb", 1, "line"),
        ("publish_info", 3, "line"),
        ("font_size", 4, "line"),
        ("font_size", 5, "start"),
        ("share", 8, "line"),
        ("print_download", 9, "line"),
    ]
    assert removed[3].text == "大 中 小"


@pytest.mark.parametrize(
    "line",
    [
        "大 中 小",
        "【字体:大 中 小】",
        "字号:大 中 小",
        "【下载】【打印】",
        "【 下载 】 【 打印 】",
        "打印本页 关闭窗口",
        "扫码使用手机浏览本页内容",
        "扫一扫在手机打开当前页",
        "附件:",
        "视力保护色",
        "分享到:微信 微博 QQ空间",
        "上一篇:某区召开安全生产会议",
        "责任编辑:张三 审核:李四",
        "当前位置:首页>政务公开>年度报告",
        "首页 >> 政务公开 >> 年度报告",
        "索引号:000014349/2017-00031",
        "发布日期:2023-03-15 来源:区司法局 字号:[大 中 小]",
        "今天是2023年3月15日 星期三",
        "- 3 -",
        "—12—",
        "第 2 页 共 5 页",
        "某区人民政府门户网站",
        "信息来源: 区司法局 | 发布时间: 2023-03-28 | 浏览次数:",
        "2023-03-31 10:25 来源:区司法局",
        "【我要打印】 【关闭页面】",
    ],
)
def test_chrome_lines_are_removed(line: str) -> None:
    body = "一、主要举措\n全面推进依法行政。\n"
    text, removed = strip_boilerplate(normalise(f"某区2023年度报告\n{line}\n{body}{line}\n"))
    assert text == f"某区2023年度报告\n{body}"
    assert [b.text for b in removed] == [normalise(line)] * 2


@pytest.mark.parametrize(
    "line",
    [
        "来源于群众的意见建议,我们逐一办理。",
        "打印机等办公设备全部纳入资产管理。",
        "大中小学校法治教育实现全覆盖。",
        "大中小微企业法律服务需求旺盛,我们组建服务团。",
        "附件:1.某区法治政府建设考核细则",
        "一、下载量大的政务应用加强审核",
        "上一年度推进法治政府建设的主要举措",
        "2022年3月1日",
        "今天是法治宣传日,我们走进社区开展宣传活动。",
        "3",
        "第三页",
    ],
)
def test_content_lines_are_kept(line: str) -> None:
    body = "某区2023年度报告\n2023年,我区推进依法行政。\n一、主要举措\n(一)规范执法。\n"
    tail = "(二)加强普法。\n" * 14  # push the line past the head region
    text, removed = strip_boilerplate(body + tail + line + "\n")
    assert text.endswith(line + "\n")
    assert removed == ()


def test_repeated_title_removed_only_in_head() -> None:
    title = "关于法治建设工作情况的汇报"
    body = "一、主要工作\n开展普法。\n" * 10
    text, removed = strip_boilerplate(f"{title}\n\n{title}\n{body}{title}\n")
    assert text.startswith(title + "\n一、")
    assert text.endswith(title + "\n")
    assert [(b.kind, b.line) for b in removed] == [("repeated_title", 3)]


def test_date_line_removed_only_in_head() -> None:
    head = "某区2023年度法治政府建设情况报告\n2024-03-22 10:15\n"
    body = "2023年,我区推进依法行政。\n某区人民政府\n2024年3月20日\n"
    text, removed = strip_boilerplate(head + body)
    assert text == "某区2023年度法治政府建设情况报告\n" + body
    assert [(b.kind, b.text) for b in removed] == [("date_line", "2024-03-22 10:15")]


def test_index_block_with_values_on_next_lines() -> None:
    page = "索引号:\n011050101/2023-00012\n成文日期:\n2023年02月20日\n某区2022年度报告\n正文。"
    text, removed = strip_boilerplate(page)
    assert text == "某区2022年度报告\n正文。\n"
    assert {b.kind for b in removed} == {"index_block"}
    assert len(removed) == 4


def test_glued_end_chrome() -> None:
    text, removed = strip_boilerplate("某区报告\n全面推进依法行政。【打印】【关闭】")
    assert text == "某区报告\n全面推进依法行政。\n"
    assert removed == (Boilerplate("print_download", "【打印】【关闭】", 2, "end"),)


# --- clean: the seeds -------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEED_PATHS, ids=[p.stem[:3] for p in SEED_PATHS])
def test_seed_clean_text_has_no_chrome(seed) -> None:
    result = clean(seed.read_text(encoding="utf-8"))
    for word in CHROME_WORDS:
        assert word not in result.text, word
    assert result.script == "simplified"
    assert result.text.endswith("\n") and "\n\n" not in result.text


@pytest.mark.parametrize("seed", SEED_PATHS, ids=[p.stem[:3] for p in SEED_PATHS])
def test_seed_nothing_lost(seed) -> None:
    """Every non-blank normalised line is a text line, a removed line, or chrome + text."""
    raw = seed.read_text(encoding="utf-8")
    result = clean(raw)
    kept = set(result.text.split("\n"))
    by_line = {}
    for b in result.boilerplate:
        by_line.setdefault(b.line, []).append(b)
    for number, line in enumerate(normalise(raw).split("\n"), start=1):
        if not line:
            continue
        records = by_line.get(number, [])
        if any(b.part == "line" for b in records):
            assert [b.text for b in records] == [line]
            continue
        rest = line
        for b in records:
            rest = rest.removeprefix(b.text) if b.part == "start" else rest.removesuffix(b.text)
        assert rest.strip() in kept, line


def test_clean_traditional_page() -> None:
    result = clean("某縣2022年度法治政府建設報告\r\n發佈日期:2023-03-01\r\n（一）加強領導。")
    assert result.text == "某县2022年度法治政府建设报告\n(一)加强领导。\n"
    assert result.script == "traditional"
    assert result.boilerplate == (Boilerplate("publish_info", "发布日期:2023-03-01", 2, "line"),)
