"""Text reuse: planted passages found with exact boundaries, nothing found where nothing is
shared, one form for punctuation, width and script; the matrix and the summary."""

from __future__ import annotations

import random
import warnings
from itertools import pairwise
from pathlib import Path

import numpy as np
import opencc
import pandas as pd
import pytest

import lawgovkit as lgk
from lawgovkit import Corpus, Report
from lawgovkit._schema import check
from lawgovkit.errors import ArgumentError
from lawgovkit.reuse import (
    PASSAGE_COLUMNS,
    PASSAGES_SCHEMA,
    SUMMARY_COLUMNS,
    SUMMARY_SCHEMA,
    boilerplate_reports,
)
from lawgovkit.shingles import matching_codes, matching_text, window_hashes
from tests.conftest import DEV_CORPUS

# Passages planted in generated reports: real-looking sentences of the genre.
PLANTED = {
    "P1": "全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度",
    "P2": "深化行政复议体制改革,全年共受理行政复议案件一百二十件,依法纠错十一件",
    "P3": "建立健全重大行政决策程序,严格落实公众参与专家论证风险评估合法性审查",
    "P4": "开展法治政府建设示范创建活动,推动领导干部带头尊法学法守法用法",
}
# Converted to traditional characters (OpenCC s2t, s2tw, s2hk) with full-width forms.
TRADITIONAL_PASSAGE = (
    "着力推进2023年度行政执法人员资格管理和ABC综合执法改革发展着重解决群众反映强烈的问题"
)
# Each report's paragraphs in order: filler ("F") or a planted passage, with a variant of
# its punctuation (None: as above).
LAYOUT = {
    "r1": ["F", "P1", "F", "P2", "F", "P3", "F"],
    "r2": ["F", "P3", "F", "P1", "F"],  # order changed
    "r3": ["F", "P2", "P4", "F"],  # two planted passages side by side
    "r4": ["F", "P4", "F", "F"],
    "r5": ["F", "F"],  # shares nothing
}
# How each report writes the punctuation inside a planted passage.
PUNCTUATION = {"r1": ",", "r2": ";", "r3": "、", "r4": ":", "r5": ","}


_T2S, _S2T = opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


def _alphabet(i: int) -> list[str]:
    """CJK characters of its own for report ``i``'s filler: no filler character is shared
    between reports or with the planted passages, and none changes script (so cleaning
    keeps every offset)."""
    used = set("".join(PLANTED.values())) | set(TRADITIONAL_PASSAGE)
    start = 0x4E00 + 1500 * i
    return [
        chr(c)
        for c in range(start, start + 1500)
        if chr(c) not in used and _T2S.convert(chr(c)) == chr(c) == _S2T.convert(chr(c))
    ][:300]


def _planted_corpus() -> tuple[Corpus, set[tuple[str, str, int, int]]]:
    """Generated reports with the planted passages; the expected rows (passage, report,
    start, end) with offsets into the cleaned text."""
    reports, expected = [], set()
    for i, (rid, layout) in enumerate(LAYOUT.items()):
        rng = random.Random(rid)
        letters = _alphabet(i)
        text, spans = f"{rid}区2023年度法治政府建设情况报告\n一、主要工作\n", []
        for part in layout:
            if part == "F":
                text += "".join(rng.choice(letters) for _ in range(rng.randrange(40, 90))) + "。"
            else:
                variant = PLANTED[part].replace(",", PUNCTUATION[rid])
                spans.append((part, len(text), len(text) + len(variant)))
                text += variant + "。"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            report = Report.from_text(text, id=rid)
        assert report.text.rstrip("\n") == text  # cleaning kept every offset
        reports.append(report)
        expected |= {(part, rid, start, end) for part, start, end in spans}
    return Corpus(reports), expected


def test_planted_passages_found_with_exact_boundaries() -> None:
    corpus, expected = _planted_corpus()
    table = lgk.shared_passages(corpus, min_chars=15)
    assert list(table.columns) == list(PASSAGE_COLUMNS)
    planted = {matching_text(p): name for name, p in PLANTED.items()}
    found = {
        (planted.get(row.passage, "?"), row.report_id, row.start, row.end)
        for row in table.itertuples()
    }
    # the shared title line ("区2023年度法治政府建设情况报告一主要工作") is a real passage too
    found_planted = {f for f in found if f[0] != "?"}
    assert found_planted == expected  # precision and recall 1.0 on the planted set
    others = table[~table["passage"].isin(planted)]
    assert set(others["passage"]) == {"区2023年度法治政府建设情况报告一主要工作"}
    counts = table.drop_duplicates("passage").set_index("passage")["n_reports"]
    assert {planted[p]: n for p, n in counts.items() if p in planted} == {
        "P1": 2,
        "P2": 2,
        "P3": 2,
        "P4": 2,
    }
    assert not (table["report_id"] == "r5").any() or set(
        table.loc[table["report_id"] == "r5", "passage"]
    ) == {"区2023年度法治政府建设情况报告一主要工作"}


def test_passage_text_as_it_stands_in_each_report() -> None:
    corpus, _ = _planted_corpus()
    table = lgk.shared_passages(corpus, min_chars=15)
    for row in table.itertuples():
        assert corpus[row.report_id].text[row.start : row.end] == row.text
        assert matching_text(row.text) == row.passage
        assert row.n_chars == len(row.passage) >= 15
    p2 = table[table["passage"] == matching_text(PLANTED["P2"])]
    assert sorted(p2["text"]) == sorted([PLANTED["P2"], PLANTED["P2"].replace(",", "、")])
    assert set(p2["role"]) == {"achievements"} and set(p2["section_id"]) == {"一"}


def test_passages_of_one_report_never_overlap() -> None:
    corpus, _ = _planted_corpus()
    table = lgk.shared_passages(corpus, min_chars=15)
    for _, part in table.groupby("report_id"):
        spans = sorted(zip(part["start"], part["end"], strict=True))
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in pairwise(spans))


def test_nothing_found_between_reports_sharing_no_passage_of_min_chars() -> None:
    # the two share many runs of 14 matching characters, none of 15
    shared = PLANTED["P1"][:14]
    a = Report.from_text(f"{shared}。甲乙丙丁戊己庚辛壬癸子丑寅卯。{PLANTED['P3'][:14]}", id="a")
    b = Report.from_text(
        f"天地玄黄宇宙洪荒日月盈昃。{shared}!辰宿列张寒来暑往。{PLANTED['P3'][:14]}", id="b"
    )
    corpus = Corpus([a, b])
    assert lgk.shared_passages(corpus, min_chars=15).empty
    assert list(lgk.shared_passages(corpus, min_chars=15).columns) == list(PASSAGE_COLUMNS)
    matrix = lgk.reuse_matrix(corpus, min_chars=15)
    assert matrix.loc["a", "b"] == 0.0 and matrix.loc["b", "a"] == 0.0
    assert (lgk.reuse_summary(corpus, min_chars=15)["shared"] == 0).all()
    # at 14 they are found
    assert set(lgk.shared_passages(corpus, min_chars=14)["n_chars"]) == {14}


@pytest.mark.parametrize("config", ["s2t", "s2tw", "s2hk"])
def test_traditional_and_fullwidth_forms_match(config: str) -> None:
    converter = opencc.OpenCC(config)
    fullwidth = str.maketrans(
        {c: chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    )
    passage = TRADITIONAL_PASSAGE
    variant = converter.convert(passage).translate(fullwidth).replace("改革", "改革 ")
    assert variant != passage
    assert matching_text(variant) == matching_text(passage)
    filler_a = "".join(_alphabet(7)[:300])
    filler_b = "".join(_alphabet(8)[:300])
    a = Report.from_text(f"{filler_a}。{passage}。{filler_a[::-1]}", id="a")
    b = Report.from_text(f"{filler_b}。{variant}。{filler_b[::-1]}", id="b")
    table = lgk.shared_passages(Corpus([a, b]), min_chars=15)
    assert table["passage"].unique().tolist() == [matching_text(passage)]
    assert (
        table.set_index("report_id").loc["b", "text"]
        == b.text[301 : 301 + len(b.text[301:].split("。")[0])]
    )


def test_stock_phrase_inside_a_copied_paragraph_does_not_cut_it() -> None:
    stock = "坚持以习近平新时代中国特色社会主义思想为指导"
    copied = f"区政府常务会议专题研究法治工作{stock}全面推进严格规范公正文明执法各项要求"
    texts = {
        "a": f"{''.join(_alphabet(1)[:50])}。{copied}。{''.join(_alphabet(1)[50:90])}",
        "b": f"{''.join(_alphabet(2)[:50])}。{copied}。{''.join(_alphabet(2)[50:90])}",
        "c": f"{''.join(_alphabet(3)[:50])}。{stock}。{''.join(_alphabet(3)[50:90])}",
        "d": f"{''.join(_alphabet(4)[:50])}。{stock}。{''.join(_alphabet(4)[50:90])}",
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = Corpus([Report.from_text(t, id=i) for i, t in texts.items()])
    table = lgk.shared_passages(corpus, min_chars=15)
    rows = {(r.report_id, r.passage, r.n_reports) for r in table.itertuples()}
    assert rows == {
        ("a", matching_text(copied), 2),
        ("b", matching_text(copied), 2),
        ("c", matching_text(stock), 4),
        ("d", matching_text(stock), 4),
    }
    kinds = dict(zip(table["passage"], table["kind"], strict=True))
    assert kinds[matching_text(stock)] == "boilerplate"  # 4 of 4 reports
    assert kinds[matching_text(copied)] == "shared"


def test_boilerplate_threshold() -> None:
    assert boilerplate_reports(2) == 3
    assert boilerplate_reports(100) == 20
    assert boilerplate_reports(101) == 21
    assert boilerplate_reports(100, 0.5) == 50


def test_reuse_matrix_is_asymmetric_share_of_text() -> None:
    corpus, _ = _planted_corpus()
    matrix = lgk.reuse_matrix(corpus, min_chars=15)
    assert list(matrix.index) == list(matrix.columns) == corpus.ids
    assert np.allclose(np.diag(matrix.to_numpy()), 1.0)
    # r3's planted P2 and P4 (and the title) are in r1 / r4: its shares are exact
    n_r3 = len(matching_codes(corpus["r3"].text)[0])
    title = len("区2023年度法治政府建设情况报告一主要工作")
    p2, p4 = len(matching_text(PLANTED["P2"])), len(matching_text(PLANTED["P4"]))
    assert matrix.loc["r3", "r1"] == pytest.approx((title + p2) / n_r3)
    assert matrix.loc["r3", "r4"] == pytest.approx((title + p4) / n_r3)
    n_r1 = len(matching_codes(corpus["r1"].text)[0])
    assert matrix.loc["r1", "r3"] == pytest.approx((title + p2) / n_r1)
    assert matrix.loc["r5", "r1"] == pytest.approx(
        title / len(matching_codes(corpus["r5"].text)[0])
    )


def test_reuse_matrix_by_role_counts_only_that_role() -> None:
    head = "武汉市江夏区{}年度法治政府建设情况报告\n一、主要工作\n{}\n二、存在的问题\n{}\n"
    head += "三、下一步工作计划\n{}"
    problem = "一是行政执法人员素质有待提高,执法不规范问题仍然存在;二是法治宣传教育针对性不强"
    a = Report.from_text(
        head.format(2022, "完善制度建设规范权力运行。", problem, "加强培训。"), id="a"
    )
    b = Report.from_text(
        head.format(2023, "开展专项整治行动成效明显。", problem, "深化改革。"), id="b"
    )
    corpus = Corpus([a, b])
    problems = lgk.reuse_matrix(corpus, role="problems", min_chars=15)
    assert problems.loc["a", "b"] == pytest.approx(1.0)
    plans = lgk.reuse_matrix(corpus, role="plans", min_chars=15)
    assert plans.loc["a", "b"] == 0.0
    summary = lgk.reuse_summary(corpus, min_chars=15).set_index(["report_id", "role"])
    assert summary.loc[("b", "problems"), "shared"] == pytest.approx(1.0)
    assert summary.loc[("b", "plans"), "shared"] == 0.0
    assert summary.loc[("b", "problems"), "from_previous"] == pytest.approx(1.0)


def test_reuse_summary_same_place_and_previous_year() -> None:
    body = "全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度。"
    texts = {
        "jx2022": f"武汉市江夏区2022年法治政府建设情况报告\n一、主要工作\n{body}去年的工作。",
        "jx2023": f"武汉市江夏区2023年法治政府建设情况报告\n一、主要工作\n{body}今年的新做法。",
        "hs2023": "黄石市阳新县2023年法治政府建设情况报告\n一、主要工作\n阳新县自己的一段话语。",
    }
    corpus = Corpus([Report.from_text(t, id=i) for i, t in texts.items()])
    summary = lgk.reuse_summary(corpus, min_chars=15)
    assert list(summary.columns) == list(SUMMARY_COLUMNS)
    whole = summary[summary["role"] == "all"].set_index("report_id")
    assert whole.loc["jx2023", "previous_id"] == "jx2022"
    assert pd.isna(whole.loc["jx2022", "previous_id"]) and pd.isna(
        whole.loc["hs2023", "previous_id"]
    )
    assert whole.loc["jx2023", "same_place"] == whole.loc["jx2023", "from_previous"] > 0.5
    # what 阳新县 shares with 江夏区 (the title's tail) is shared, not same-place
    assert whole.loc["hs2023", "shared"] > 0 and whole.loc["hs2023", "same_place"] == 0
    assert summary["report_id"].is_monotonic_increasing


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda c: lgk.shared_passages(c, min_chars=1), "at least 2"),
        (lambda c: lgk.shared_passages(c, min_chars="15"), "whole number"),
        (lambda c: lgk.shared_passages(c, boilerplate=0), "share of the reports"),
        (lambda c: lgk.reuse_matrix(c, role="problem"), "role 'problem' is not one of"),
    ],
)
def test_bad_arguments_are_named(seed_corpus, call, match) -> None:
    with pytest.raises(ArgumentError, match=match):
        call(seed_corpus)


def test_seeds_tables_are_deterministic(seed_corpus) -> None:
    first = lgk.shared_passages(seed_corpus)
    assert check(first, PASSAGES_SCHEMA) == []
    assert check(lgk.reuse_summary(seed_corpus), SUMMARY_SCHEMA) == []
    assert check(lgk.shared_passages(Corpus([])), PASSAGES_SCHEMA) == []
    pd.testing.assert_frame_equal(first, lgk.shared_passages(seed_corpus))
    assert first["passage_id"].is_monotonic_increasing
    assert first.groupby("passage_id")["n_reports"].nunique().eq(1).all()
    summary = lgk.reuse_summary(seed_corpus)
    assert set(summary["report_id"]) == set(seed_corpus.ids)
    assert summary[["shared", "same_place", "boilerplate"]].le(1).all().all()
    assert (summary["boilerplate"] <= summary["shared"]).all()


def test_window_hashes_equal_for_equal_windows_only() -> None:
    codes, _ = matching_codes("依法行政建设法治政府依法行政")
    hashes = window_hashes(codes, 4)
    assert hashes[0] == hashes[10] and len(set(hashes.tolist())) == len(hashes) - 1
    assert len(window_hashes(codes, 40)) == 0
    with pytest.raises(ValueError, match="at least 1"):
        window_hashes(codes, 0)


@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="../shared/corpora is absent")
def test_a_city_repeats_passages_from_one_year_to_the_next() -> None:
    index = pd.read_csv(DEV_CORPUS / "index.tsv", sep="\t")
    city = index[index["place"] == "东莞市"].sort_values("year").head(3)
    assert len(city) == 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = lgk.load_corpus([DEV_CORPUS / f for f in city["file"]], progress=False)
    table = lgk.shared_passages(corpus)
    files = [Path(f).stem for f in city["file"]]
    pairs = {tuple(sorted(part["report_id"])) for _, part in table.groupby("passage_id")}
    assert any(files[0] in p and files[1] in p for p in pairs)
    assert any(files[1] in p and files[2] in p for p in pairs)
    matrix = lgk.reuse_matrix(corpus)
    assert matrix.loc[files[1], files[0]] > 0.02 and matrix.loc[files[2], files[1]] > 0.02


def test_a_passage_repeated_within_one_report_is_not_shared() -> None:
    passage = PLANTED["P3"]
    filler = "".join(_alphabet(5)[:60])
    a = Report.from_text(f"{filler[:30]}。{passage}。{filler[30:]}。{passage}。", id="a")
    b = Report.from_text("".join(_alphabet(6)[:120]), id="b")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = Corpus([a, b])
        assert lgk.shared_passages(corpus, min_chars=15).empty
        c = Report.from_text(f"{''.join(_alphabet(7)[:40])}。{passage}。", id="c")
        table = lgk.shared_passages(Corpus([a, b, c]), min_chars=15)
    assert table[["report_id", "n_reports"]].values.tolist() == [["a", 2], ["a", 2], ["c", 2]]
