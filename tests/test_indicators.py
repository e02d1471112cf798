"""Tests of lawgovkit.indicators: numeric claims per report and corpus, the indicator lexicon
and the indicator table, and the `lawgovkit claims` command."""

from __future__ import annotations

import pandas as pd
import pytest

import lawgovkit as lgk
from lawgovkit._schema import check
from lawgovkit.cli import main
from lawgovkit.errors import ArgumentError, LawgovkitError
from lawgovkit.indicators import (
    CLAIM_COLUMNS,
    CLAIM_SCHEMA,
    claims,
    indicator_lexicon,
    indicator_of,
    indicator_table,
    report_claims,
)

REPORT = (
    "江夏区2023年度法治政府建设情况报告\n"
    "2023年,我区法治政府建设取得新成效。\n"
    "一、主要举措和成效\n"
    "全年受理行政复议案件一千二百余件,同比增长12.3%。行政机关负责人出庭应诉率达100%。\n"
    "二、存在的不足\n"
    "行政复议纠错率为8.5%,执法人员不足。\n"
    "三、下一步工作安排\n"
    "力争培训执法人员3000人次。"
)


@pytest.fixture(scope="module")
def report() -> lgk.Report:
    return lgk.Report.from_text(REPORT, id="jx")


def test_report_claims_rows_roles_and_offsets(report) -> None:
    table = report_claims(report)
    assert list(table.columns) == list(CLAIM_COLUMNS)
    got = table[["role", "indicator_name", "value", "unit", "kind", "approx"]].values.tolist()
    assert got == [
        ["achievements", "行政复议案件", 1200.0, "件", "level", "余"],
        ["achievements", "行政复议案件", 12.3, "%", "change", None],
        ["achievements", "行政机关负责人出庭应诉率", 100.0, "%", "level", None],
        ["problems", "行政复议纠错率", 8.5, "%", "level", None],
        ["plans", "行政执法人员", 3000.0, "人次", "target", None],
    ]
    for row in table.itertuples():
        assert report.text[row.start : row.end] == row.raw
        assert row.raw in row.sentence and row.sentence in report.text
        section = report.sections.set_index("section_id").loc[row.section_id]
        assert section["start"] <= row.start < section["end"]


def test_corpus_claims_on_the_seeds(seed_corpus) -> None:
    table = seed_corpus.claims
    assert list(table.columns) == list(CLAIM_COLUMNS)
    assert check(table, CLAIM_SCHEMA) == []
    assert check(claims(lgk.Corpus([])), CLAIM_SCHEMA) == []
    assert table.equals(claims(seed_corpus))
    assert set(table["report_id"]) == set(seed_corpus.ids)
    assert table.equals(table.sort_values(["report_id", "start"]).reset_index(drop=True))
    assert set(table["kind"]) <= {"level", "change", "target"}
    texts = {r.id: r.text for r in seed_corpus}
    assert all(texts[r.report_id][r.start : r.end] == r.raw for r in table.itertuples())
    # the years, dates and document numbers of the seeds are never quantities
    assert not table["raw"].str.fullmatch(r"(19|20)\d\d年?").any()
    assert not table["raw"].str.contains("〔").any()
    # a seed states its legal-aid cases: 602 in 江夏区's report
    jx = table[table["report_id"] == "000_83b981cfa8576200"]
    aid = jx[jx["indicator_name"] == "法律援助案件"]
    assert 602.0 in set(aid["value"])


def test_indicator_of_respects_rates_and_counts() -> None:
    assert indicator_of("行政机关负责人出庭应诉率", "%") == "行政机关负责人出庭应诉率"
    assert indicator_of("复议纠错率", "百分点") == "行政复议纠错率"
    assert indicator_of("法援案件", "件") == "法律援助案件"
    assert indicator_of("法援案件", "%") is None
    assert indicator_of("法援案件", "%", "change") == "法律援助案件"
    assert indicator_of("地区生产总值", "%", "change") == "地区生产总值增速"
    assert indicator_of(None, "件") is None
    assert indicator_of("路灯", "盏") is None


def test_lexicon_names_are_unique_and_have_synonyms() -> None:
    lexicon = indicator_lexicon()
    assert lexicon["name"].is_unique
    assert (lexicon["synonyms"].str.len() > 0).all()
    assert set(lexicon["measure"]) <= {"rate", "count"}


def test_indicator_table_place_by_indicator() -> None:
    def make(place: str, year: int, body: str) -> lgk.Report:
        text = f"{place}{year}年度法治政府建设情况报告\n一、主要成效\n{body}"
        return lgk.Report.from_text(text, id=f"{place}{year}")

    corpus = lgk.Corpus(
        [
            make("江夏区", 2022, "办理法律援助案件356件。出庭应诉率达96%。"),
            make("江夏区", 2023, "办理法律援助案件402件,同比增长12.9%。"),
            make("綦江区", 2023, "出庭应诉率100%。"),
        ]
    )
    table = indicator_table(corpus, indicators=["法律援助案件", "行政机关负责人出庭应诉率"])
    assert list(table.columns) == [
        "jurisdiction",
        "body",
        "report_year",
        "法律援助案件 (件)",
        "行政机关负责人出庭应诉率 (%)",
    ]
    assert table["法律援助案件 (件)"].tolist()[:2] == [356.0, 402.0]
    assert pd.isna(table.loc["綦江区2023", "法律援助案件 (件)"])
    assert table.loc["綦江区2023", "行政机关负责人出庭应诉率 (%)"] == 100.0
    changes = indicator_table(corpus, indicators=["法律援助案件"], kind="change")
    # a change in % of a count: its growth rate
    assert changes["法律援助案件 (%)"].tolist() == [
        pytest.approx(float("nan"), nan_ok=True),
        12.9,
        pytest.approx(float("nan"), nan_ok=True),
    ]


def test_indicator_table_rejects_unknown_names_and_kinds(seed_corpus) -> None:
    with pytest.raises(ArgumentError, match=r"unknown indicator.*路灯"):
        indicator_table(seed_corpus, indicators=["路灯"])
    with pytest.raises(LawgovkitError, match="kind must be"):
        indicator_table(seed_corpus, kind="guess")


def test_claims_command_prints_the_table(capsys, seeds_dir) -> None:
    status = main(["claims", str(seeds_dir), "--format", "csv"])
    out, _ = capsys.readouterr()
    assert status == 0
    assert out.splitlines()[0] == ",".join(CLAIM_COLUMNS)
    assert "一千" not in out.splitlines()[0]


@pytest.mark.parametrize("module_name", ["lawgovkit.indicators", "lawgovkit.quantities"])
def test_docstring_examples_run(module_name: str) -> None:
    import doctest
    import importlib
    import warnings

    module = importlib.import_module(module_name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
