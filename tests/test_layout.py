"""Text-layout forms (issue 22): each rule of :mod:`lawgovkit.layout` on short snippets,
awkward cases included; the forms of whole reports are in tests/test_metamorphic.py."""

from __future__ import annotations

import re
import unicodedata
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lawgovkit as lgk
from lawgovkit import layout
from lawgovkit.clean import clean
from lawgovkit.errors import LawgovkitWarning
from lawgovkit.layout import (
    comma_headings,
    drop_second_copy,
    join_spaced,
    rejoin_lines,
    remove_marks,
)

BODY = "2023年,我区深入推进依法行政,法治政府建设取得新成效,群众满意度不断提升。"


def test_marks_are_removed_and_kept_as_records() -> None:
    text, removed = remove_marks("依\u200f法\u202e行\u0301政\n\u2066二\u2069、问题")
    assert text == "依法行政\n二、问题"
    assert removed == [
        ("format_marks", "\u200f\u202e\u0301", 1, "marks"),
        ("format_marks", "\u2066\u2069", 2, "marks"),
    ]


def test_marks_before_nfkc_do_not_compose_with_latin_letters() -> None:
    assert clean("RCE\u0301P商贸\n").text == "RCEP商贸\n"
    assert clean("RCÉP商贸\n").text == "RCÉP商贸\n"  # a composed letter stays


def test_spaced_characters_are_joined_only_when_the_text_shows_the_artefact() -> None:
    spaced = "某 区 2 0 2 3 年 度 法 治 政 府 建 设 情 况 报 告\n一 、 主 要 举 措"
    assert join_spaced(spaced) == "某区2023年度法治政府建设情况报告\n一、主要举措"
    few = "字号 大 中 小\n" + BODY  # a few spaced characters: page chrome, left alone
    assert join_spaced(few) == few
    dates = "发 布 时 间 : 2023-03-01 11:55\n" + " ".join("依法行政推进法治建设")
    assert "2023-03-01 11:55" in join_spaced(dates)


def test_comma_headings_in_sequence_become_headings() -> None:
    text, removed = comma_headings("一,主要举措\n" + BODY + "\n二, 存在的问题\n三,下一步")
    assert text.split("\n")[::2] == ["一、主要举措", "二、 存在的问题"]
    assert [r[2] for r in removed] == [1, 3, 4]


@pytest.mark.parametrize(
    "text",
    [
        "二,存在的问题\n三,下一步",  # does not start at 一
        "一,主要举措\n四,下一步",  # two numbers missing
        "一,我区深入推进依法行政,法治政府建设取得了新的成效,群众满意度不断提升。",
        "一、主要举措\n一,是加强领导",  # 、 headings: 一, is not the next one
    ],
)
def test_comma_lines_that_are_not_headings_stay(text) -> None:
    assert comma_headings(text)[0] == text


def test_hard_wrapped_lines_are_joined_and_headings_kept() -> None:
    paragraph = BODY * 4
    wrapped = [paragraph[i : i + 24] for i in range(0, len(paragraph), 24)]
    text = "\n".join(["某区2023年度报告", "一、主要举措", *wrapped, "二、存在的问题", *wrapped])
    joined, numbers = rejoin_lines(text)
    assert joined.split("\n") == [
        "某区2023年度报告",
        "一、主要举措",
        paragraph,
        "二、存在的问题",
        paragraph,
    ]
    assert numbers == [1, 2, 3, 3 + len(wrapped), 4 + len(wrapped)]


def test_unwrapped_text_is_left_alone() -> None:
    text = "\n".join(["一、主要举措,成效明显", BODY, "(一)加强领导,压实责任", BODY * 3, "二、问题"])
    assert rejoin_lines(text)[0] == text


def test_a_page_break_mid_sentence_is_joined_but_not_after_a_heading() -> None:
    text = f"{BODY[:30]}\n\n- 7 -\n\n{BODY[30:]}\n一、主要举措,成效明显\n\n- 8 -\n\n坚持依法行政。"
    joined = rejoin_lines(text)[0].split("\n")
    assert joined[0] == BODY and "- 7 -" in joined
    assert "一、主要举措,成效明显" in joined and "坚持依法行政。" in joined


def test_a_report_pasted_twice_is_read_once_flagged_and_kept() -> None:
    head = ["某区2023年度法治政府建设情况报告", BODY, "一、主要举措", "(一)加强领导。"]
    report = "\n".join([*head, "二、存在的问题", "执法不规范。"])
    with pytest.warns(LawgovkitWarning, match="pasted twice"):
        twice = lgk.Report.from_text(report + "\n\n" + report, id="t")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        once = lgk.Report.from_text(report, id="o")
    assert twice.text == once.text
    copies = [b for b in twice.boilerplate if b.kind == "repeated_copy"]
    assert [b.line for b in copies] == [8, 9, 10, 11, 12, 13]


def test_a_repeated_sentence_is_not_a_second_copy() -> None:
    lines = ["某区报告", BODY, "一、主要举措", BODY, "二、问题", "执法不规范。"]
    assert drop_second_copy(lines, lambda i: i + 1) == (lines, [])


# The widths and marks are counted with patterns built from the Unicode tables; they must
# equal the plain per-character definitions on every character of the Basic Multilingual
# Plane and beyond it (CJK Extension B, emoji, variation selectors, musical marks).
def _columns(line: str, wide_punctuation: bool) -> int:
    extra = ",:;!?()" if wide_punctuation else ""
    return sum(2 if c in extra or unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def _plain_marks(text: str) -> frozenset[str]:
    bidi = layout._BIDI
    return frozenset(c for c in text if c in bidi or unicodedata.category(c) in ("Mn", "Me"))


def test_widths_and_marks_equal_the_per_character_definitions():
    every = "".join(chr(i) for i in range(0x10000) if i != 10)
    astral = "\U00020000\U0001f600\U000e0100\U0001d167\U0002a6d6"
    lines = [every[i : i + 61] for i in range(0, len(every), 61)]
    lines += [line[:30] + astral[i % 5] + line[30:] for i, line in enumerate(lines[::50])]
    lines += ["", "依法行政,(一)", "abc", astral]
    expected = [(_columns(line, False), _columns(line, True)) for line in lines]
    assert layout._Widths().of_lines(lines) == expected
    assert [layout._Widths().of(line) for line in lines] == expected
    for line in lines[::7]:
        assert layout._marks_in(line) == _plain_marks(line)
    assert layout._marks_in(every + astral) == _plain_marks(every + astral)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="法治 a1。\n　", max_size=40))
def test_spaced_pairs_are_the_spaces_between_two_chinese_characters(text):
    from lawgovkit.layout import _HAN, _SPACED_PAIR

    two_sided = re.compile(f"(?<=[{_HAN}]) (?=[{_HAN}])")
    assert [m.span() for m in _SPACED_PAIR.finditer(text)] == [
        m.span() for m in two_sided.finditer(text)
    ]


@pytest.mark.parametrize("brk", ["\r\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"])
def test_every_line_separator_becomes_a_line_feed(brk):
    from lawgovkit.clean import _unify_line_breaks

    assert _unify_line_breaks(f"第一行{brk}第二行\n第三行") == "第一行\n第二行\n第三行"
    assert _unify_line_breaks("第一行\n第二行") == "第一行\n第二行"
