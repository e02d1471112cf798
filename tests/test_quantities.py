"""Tests of lawgovkit.quantities: numerals read exactly, and the quantities of a sentence.

SENTENCES are written for these tests in the style of the reports (not copied from any),
each with every quantity it states as (value, unit, kind, approx, value_high); years,
dates, document numbers, ordinals and set phrases must give nothing. Precision and recall
over the table must both be 1.0.
"""

from __future__ import annotations

import csv
import warnings
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from lawgovkit.quantities import find_quantities, parse_number, sentence_span
from tests.conftest import DEV_CORPUS

L, C, T = "level", "change", "target"

SENTENCES = [
    # Chinese numerals, 余/多
    ("全年受理行政复议案件一千二百余件。", [(1200, "件", L, "余", None)]),
    ("办结法律援助案件三百五十六件。", [(356, "件", L, None, None)]),
    ("建成公共法律服务站两百四十个。", [(240, "个", L, None, None)]),
    ("培训执法人员一万二千人次。", [(12000, "人次", L, None, None)]),
    ("开展普法活动十余场。", [(10, "场", L, "余", None)]),
    ("化解矛盾纠纷三十多起。", [(30, "起", L, "多", None)]),
    ("受教育群众三十余万人次。", [(300000, "人次", L, "余", None)]),
    ("审查合同一百零五份。", [(105, "份", L, None, None)]),
    ("选派法律顾问二十五名。", [(25, "名", L, None, None)]),
    ("累计发放宣传资料五万份。", [(50000, "份", L, None, None)]),
    ("帮助挽回经济损失一亿二千万元。", [(120000000, "元", L, None, None)]),
    ("接待来访群众近万人。", [(10000, "人", L, "近", None)]),
    ("出台两项配套制度。", [(2, "项", L, None, None)]),
    # Arabic numerals, 万/亿, commas, decimals
    ("开展法治培训3.5万人次。", [(35000, "人次", L, None, None)]),
    ("为企业节约成本1.2亿元。", [(120000000, "元", L, None, None)]),
    ("办理公证1,200件。", [(1200, "件", L, None, None)]),
    ("涉案金额196.2万元。", [(1962000, "元", L, None, None)]),
    ("为受援人挽回损失1200余万元。", [(12000000, "元", L, "余", None)]),
    ("受理行政复议案件102件,审结98件。", [(102, "件", L, None, None), (98, "件", L, None, None)]),
    ("主动公开政府信息6846条。", [(6846, "条", L, None, None)]),
    ("全区共有人民调解组织367个。", [(367, "个", L, None, None)]),
    ("审批时间压缩至3个工作日。", [(3, "个工作日", L, None, None)]),
    ("群众平均等候时间不到10分钟。", [(10, "分钟", L, "不到", None)]),
    ("约800余万元的损失得以挽回。", [(8000000, "元", L, "约,余", None)]),
    ("累计接待群众咨询200余人次。", [(200, "人次", L, "余", None)]),
    # percentages and 百分点
    ("行政机关负责人出庭应诉率100%。", [(100, "%", L, None, None)]),
    ("案卷合格率达98.6%以上。", [(98.6, "%", L, "以上", None)]),
    ("调解成功率达到百分之九十八点六。", [(98.6, "%", L, None, None)]),
    ("出庭应诉率实现百分之百。", [(100, "%", L, None, None)]),
    ("行政复议纠错率为12.5%。", [(12.5, "%", L, None, None)]),
    ("败诉率同比下降12.3个百分点。", [(-12.3, "百分点", C, None, None)]),
    ("办案数量同比增长12.3%。", [(12.3, "%", C, None, None)]),
    ("纠错率较上年提高2.1个百分点。", [(2.1, "百分点", C, None, None)]),
    ("收案数量同比下降1.94%。", [(-1.94, "%", C, None, None)]),
    ("复议案件比上年减少20件。", [(-20, "件", C, None, None)]),
    ("办理案件数比上年多120件。", [(120, "件", C, None, None)]),
    ("千分之三的差错率。", [(3, "‰", L, None, None)]),
    ("审批时限压减85%以上。", [(-85, "%", C, "以上", None)]),
    ("群众满意度提高到98%。", [(98, "%", L, None, None)]),
    ("固定资产投资增长2倍。", [(2, "倍", C, None, None)]),
    # ranges
    ("每年开展3至5次专项检查。", [(3, "次", L, None, 5)]),
    ("办理时限缩短为5-7个工作日。", [(5, "个工作日", L, None, 7)]),
    ("每场培训约二至三小时。", [(2, "小时", L, "约", 3)]),
    ("覆盖群众2万至3万人。", [(20000, "人", L, None, 30000)]),
    # targets
    ("力争行政复议纠错率控制在5%以内。", [(5, "%", T, "以内", None)]),
    ("确保出庭应诉率达到100%。", [(100, "%", T, None, None)]),
    ("目标是全年培训不少于2000人次。", [(2000, "人次", T, "不少于", None)]),
    # several in one sentence
    (
        "全年办理法律援助案件602件,同比增长12.3%,挽回损失约800万元。",
        [(602, "件", L, None, None), (12.3, "%", C, None, None), (8000000, "元", L, "约", None)],
    ),
    (
        "开展培训30场次、培训人员2000余人次。",
        [(30, "场次", L, None, None), (2000, "人次", L, "余", None)],
    ),
    # not quantities: years, dates, document numbers, ordinals, set phrases, words
    ("二〇二三年,我区法治政府建设取得新成效。", []),
    ("2023年3月15日召开常务会议。", []),
    ("根据《关于加强法治建设的通知》(湘法委发〔2022〕6号)要求。", []),
    ("印发〔2023〕5号文件。", []),
    ("贯彻《法治政府建设实施纲要(2021—2025年)》。", []),
    ("2021-2025年规划顺利实施。", []),
    ("第三次全体会议审议通过。", []),
    ("严格落实行政执法三项制度。", []),
    ("增强四个意识、坚定四个自信、做到两个维护。", []),
    ("一是进一步统一思想,二是推出一批典型案例。", []),
    ("深入开展八五普法,谋划十四五规划。", []),
    ("拨打12345热线反映问题。", []),
    ("发布日期:2023-03-15 17:26", []),
    ("千家万户受益,万人助万企活动深入开展。", []),
    ("打造“五个江夏”品牌。", []),
    ("着力抓好以下八个方面工作。", []),
    ("党的二十大和二十届三中全会精神。", []),
    ("上半年召开专题会议。", []),
]


def _found(sentence: str) -> list[tuple]:
    return [(q.value, q.unit, q.kind, q.approx, q.value_high) for q in find_quantities(sentence)]


def _as_float(expected: list[tuple]) -> list[tuple]:
    return [(float(v), u, k, a, None if h is None else float(h)) for v, u, k, a, h in expected]


def test_table_has_every_form_and_sixty_sentences() -> None:
    assert len(SENTENCES) >= 60
    text = "".join(s for s, _ in SENTENCES)
    for form in (
        "一千二百余件",
        "3.5万人次",
        "同比下降12.3个百分点",
        "100%",
        "98.6%以上",
        "二〇二三年",
        "〔2023〕5号",
    ):
        assert form in text


@pytest.mark.parametrize(("sentence", "expected"), SENTENCES)
def test_each_sentence(sentence: str, expected: list[tuple]) -> None:
    assert _found(sentence) == _as_float(expected)


def test_precision_and_recall_are_one() -> None:
    true_positive = found_total = expected_total = 0
    for sentence, expected in SENTENCES:
        found, wanted = _found(sentence), _as_float(expected)
        found_total += len(found)
        expected_total += len(wanted)
        true_positive += sum(1 for item in found if item in wanted)
    assert true_positive / found_total == 1.0
    assert true_positive / expected_total == 1.0


def test_full_width_input_reads_the_same() -> None:
    assert _found("出庭应诉率达９８.６％以上，") == [(98.6, "%", L, "以上", None)]


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("一千二百", "1200"),
        ("两百四十", "240"),
        ("十", "10"),
        ("十二", "12"),
        ("一百零五", "105"),
        ("三千五", "3500"),
        ("一万二", "12000"),
        ("一亿二千万", "120000000"),
        ("九十八点六", "98.6"),
        ("二〇二三", "2023"),
        ("3.5万", "35000"),
        ("1,200", "1200"),
        ("0.5", "0.5"),
        ("百", "100"),
    ],
)
def test_parse_number(numeral: str, value: str) -> None:
    assert parse_number(numeral) == Decimal(value)


@pytest.mark.parametrize("bad", ["三五", "十十", "百百", "", "点五", "abc", "两〇二三"])
def test_parse_number_refuses_malformed(bad: str) -> None:
    with pytest.raises(ValueError, match="not a numeral"):
        parse_number(bad)


def test_plans_role_makes_targets() -> None:
    (quantity,) = find_quantities("开展法治培训3次。", role="plans")
    assert quantity.kind == "target"


def test_indicator_is_the_noun_phrase() -> None:
    got = [q.indicator for q in find_quantities("全年受理行政复议案件102件,同比增长5%。")]
    assert got == ["行政复议案件", "行政复议案件"]
    (after,) = find_quantities("组织120名执法人员参加培训。")
    assert after.indicator == "执法人员"


def test_offsets_and_sentence() -> None:
    text = "前言。全年办理法律援助案件602件。后记"
    (q,) = find_quantities(text)
    assert text[q.start : q.end] == q.raw == "602件"
    lo, hi = sentence_span(text, q.start, q.end)
    assert text[lo:hi] == "全年办理法律援助案件602件。"


# Real sentences of the development corpus, annotated by reading ------------------------------

ROOT = Path(__file__).resolve().parent.parent
GOLD = Path(__file__).parent / "data" / "claims_gold.tsv"


def _gold_scores() -> dict[str, tuple[int, int, int]]:
    """Per gold set: (true positives, found, expected), a quantity being (|value|, unit)."""
    import lawgovkit as lgk

    lines = [line for line in GOLD.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    scores: dict[str, list[int]] = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # work reports: not rule-of-law reports
            text = lgk.load_report(DEV_CORPUS / row["file"]).text
        at = text.find(row["key"])
        assert at >= 0, f"{row['file']}: key phrase {row['key']!r} not found"
        lo, hi = sentence_span(text, at, at + len(row["key"]))
        found = [(round(abs(q.value), 6), q.unit or "~") for q in find_quantities(text[lo:hi])]
        expected = []
        if row["expected"] != "-":
            for item in row["expected"].split("|"):
                value, unit = item.split(" ")
                expected.append((round(float(value), 6), unit))
        hits = sum((Counter(found) & Counter(expected)).values())
        total = scores.setdefault(row["set"], [0, 0, 0])
        for i, n in enumerate((hits, len(found), len(expected))):
            total[i] += n
    return {name: tuple(values) for name, values in scores.items()}


@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="no development corpus here")
def test_real_sentences_precision_and_recall() -> None:
    scores = _gold_scores()
    assert sum(n for _, _, n in scores.values()) >= 30
    everything = [sum(s[i] for s in scores.values()) for i in range(3)]
    for hits, found, expected in [*scores.values(), everything]:
        assert hits / found >= 0.95
        assert hits / expected >= 0.9
    # as recorded in benchmarks/accuracy/README.md: held out 43 of 44 found and expected
    assert scores["heldout"] == (43, 44, 44)
