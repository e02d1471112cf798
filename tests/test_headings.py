"""Tests for lawgovkit.headings: the GB/T 9704 heading grammar."""

from __future__ import annotations

import pytest

from lawgovkit.headings import find_headings, heading_styles, parse_numeral

OWN_LINE = "某镇工作报告\n一、主要工作\n正文一段。\n二、存在的短板\n正文二段。"
RUN_IN = "（一）队伍建设持续加强。一是开展培训;二是严格考核。\n（二）制度更加健全:修订规则3项。"
SKIPPED = (
    "一、工作开展情况\n"
    "1.强化学法。组织学法4次。\n"
    "2.规范执法。评查案卷20卷。\n"
    "二、存在问题\n"
    "人手不足。"
)
BROKEN = "(一)健全机制。正文。\n(二)规范执法。正文。\n(四)强化监督。正文。\n(三)应诉。正文。"
NOT_HEADINGS = (
    "2022年,全区共办理案件48件。\n"
    "1126名法律明白人完成培训。\n"
    "4·15国家安全日开展宣传。\n"
    "12·4国家宪法日开展活动。\n"
    "1.5万余人参与答题。\n"
    "4.26世界知识产权日开展活动。\n"
    "一是健全制度;二是加强考核。\n"
    "第一责任人职责履行到位。"
)


def ids(text: str) -> list[str]:
    return [h.id_part for h in find_headings(text)]


@pytest.mark.parametrize(
    ("line", "level", "id_part", "words"),
    [
        ("一、主要举措和成效", 1, "一", "主要举措和成效"),
        ("一．主要举措", 1, "一", "主要举措"),
        ("(一)加强组织领导", 2, "(一)", "加强组织领导"),
        ("（一）加强组织领导", 2, "(一)", "加强组织领导"),
        ("( 一 )加强组织领导", 2, "(一)", "加强组织领导"),
        ("1.推进依法决策", 3, "1", "推进依法决策"),
        ("1、推进依法决策", 3, "1", "推进依法决策"),
        ("1．推进依法决策", 3, "1", "推进依法决策"),
        ("１．推进依法决策", 3, "1", "推进依法决策"),
        ("(1)规范文件审查", 4, "(1)", "规范文件审查"),
        ("（１）规范文件审查", 4, "(1)", "规范文件审查"),
        ("第一部分 2023年工作情况", 1, "第一部分", "2023年工作情况"),
        ("　　一、存在的问题:", 1, "一", "存在的问题"),
    ],
)
def test_each_style_on_its_own_line(line, level, id_part, words):
    (heading,) = find_headings(line)
    assert (heading.level, heading.id_part, heading.text, heading.run_in) == (
        level,
        id_part,
        words,
        False,
    )


def test_numbers_past_ten():
    numerals = "一二三四五六七八九十"
    text = "".join(f"{n}、第{n}部分工作\n正文。\n" for n in numerals) + "十一、其他需要报告的情况"
    assert ids(text)[-2:] == ["十", "十一"]


def test_headings_on_their_own_lines_and_levels():
    found = find_headings(OWN_LINE)
    assert [(h.level, h.id_part, h.text) for h in found] == [
        (1, "一", "主要工作"),
        (1, "二", "存在的短板"),
    ]
    assert OWN_LINE[found[1].start : found[1].end] == "二、存在的短板"


def test_run_in_heading_is_the_first_sentence():
    first, second = find_headings(RUN_IN)
    assert (first.text, first.run_in) == ("队伍建设持续加强", True)
    assert RUN_IN[first.end :].startswith("一是开展培训")
    assert (second.text, second.run_in) == ("制度更加健全", True)


def test_full_and_half_width_give_the_same_headings():
    half = "(一)健全机制。正文。\n(二)规范执法。正文。\n1.细化规则。正文。"
    full = "（一）健全机制。正文。\n（二）规范执法。正文。\n１．细化规则。正文。"
    assert [(h.id_part, h.text) for h in find_headings(half)] == [
        (h.id_part, h.text) for h in find_headings(full)
    ]


def test_numerals_that_are_not_headings():
    assert find_headings(NOT_HEADINGS) == ()


def test_skipped_level_is_tolerated():
    assert [(h.level, h.id_part) for h in find_headings(SKIPPED)] == [
        (1, "一"),
        (3, "1"),
        (3, "2"),
        (1, "二"),
    ]


def test_broken_numbering_is_kept_and_flagged():
    found = find_headings(BROKEN)
    assert [h.number for h in found] == [1, 2, 4]
    assert found[2].numbering_issue == "missing number 3"
    assert found[0].numbering_issue is None


def test_number_far_out_of_sequence_is_text():
    text = "1.加强学习。正文。\n2.规范执法。正文。\n25.这一行只是正文里的数字。"
    assert ids(text) == ["1", "2"]


def test_sequence_resets_under_a_new_parent():
    text = "一、甲\n1.子项。正文。\n2.子项。正文。\n二、乙\n1.子项。正文。"
    assert ids(text) == ["一", "1", "2", "二", "1"]
    assert all(h.numbering_issue is None for h in find_headings(text))


def test_line_start_only():
    text = "正文中提到一、二两个方面(一)也不算。\n一、真正的标题"
    assert ids(text) == ["一"]


def test_long_first_sentence_run_in_heading_is_cut_at_a_clause():
    words = "加强" + "法治宣传教育" * 12
    text = f"1.{words},形成全民守法的良好氛围。"
    (heading,) = find_headings(text)
    assert heading.run_in and len(heading.text) <= 60


@pytest.mark.parametrize(
    ("numeral", "kind", "value"),
    [
        ("一", "chinese", 1),
        ("十", "chinese", 10),
        ("十二", "chinese", 12),
        ("二十", "chinese", 20),
        ("二十三", "chinese", 23),
        ("两", "chinese", 2),
        ("十十", "chinese", 0),
        ("一二", "chinese", 0),
        ("", "chinese", 0),
        ("１２", "arabic", 12),
        ("7", "arabic", 7),
        ("③", "circled", 3),
        ("x", "arabic", 0),
    ],
)
def test_parse_numeral(numeral, kind, value):
    assert parse_numeral(numeral, kind) == value


def test_styles_come_from_the_data_file():
    assert {style.level for style in heading_styles()} == {1, 2, 3, 4}


def test_empty_and_blank_text():
    assert find_headings("") == ()
    assert find_headings("\n\n\u3000\n") == ()
