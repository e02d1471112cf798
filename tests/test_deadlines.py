"""Tests of lawgovkit.deadlines: publish dates against the deadline of each issuer."""

from __future__ import annotations

import pandas as pd
import pytest

import lawgovkit as lgk
from lawgovkit.deadlines import TIMELINESS_COLUMNS, deadline_rules, timeliness, timeliness_summary

HEAD = "{place}{year}年度法治政府建设情况报告\n发布日期:{date}\n{year}年,我们推进依法行政。"


def _report(rid: str, place: str, year: int, date: str | None) -> lgk.Report:
    text = HEAD.format(place=place, year=year, date=date or "")
    if date is None:
        text = text.replace("发布日期:\n", "")
    return lgk.Report.from_text(text, id=rid)


def test_seeds_with_a_publish_date_get_days_against_their_issuers_deadline(seed_corpus) -> None:
    table = timeliness(seed_corpus).set_index("report_id")
    reports = seed_corpus.reports
    # 江夏区 government, 2022 report, published 2023-03-15: due 1 April 2023 -> 17 days early
    jx = table.loc["000_83b981cfa8576200"]
    assert (jx["issuer"], jx["rule"]) == ("government", "supervision_2019")
    assert jx["deadline"] == pd.Timestamp("2023-04-01")
    assert (jx["days_late"], jx["status"]) == (-17, "on_time")
    # 武汉市 justice bureau (a department), 2024 report, published 2025-03-27: due 1 March
    # -> 26 days late; public before the 1 April publication deadline (5 days early)
    wh = table.loc["002_7fc3ecd362da4398"]
    assert (wh["issuer"], wh["deadline"]) == ("department", pd.Timestamp("2025-03-01"))
    assert (wh["days_late"], wh["status"], wh["publish_days_late"]) == (26, "late", -5)
    for report_id, row in table.iterrows():
        published = reports.at[report_id, "publish_date"]
        if pd.isna(published):
            assert row["status"] == "unknown" and pd.isna(row["days_late"])
            assert row["missing"] == "publish_date"
        else:
            assert row["days_late"] == (published.normalize() - row["deadline"]).days
    assert (table["status"] == "unknown").sum() == reports["publish_date"].isna().sum()


def test_columns_and_order() -> None:
    corpus = lgk.Corpus(
        [_report("b", "江夏区", 2022, "2023-04-02"), _report("a", "江夏区", 2021, None)]
    )
    table = timeliness(corpus)
    assert list(table.columns) == list(TIMELINESS_COLUMNS)
    assert table["report_id"].tolist() == ["a", "b"]
    assert table["status"].tolist() == ["unknown", "late"]
    assert table["days_late"].tolist()[1] == 1


@pytest.mark.parametrize(
    ("year", "date", "rule", "deadline", "status"),
    [
        (2022, "2023-04-01", "supervision_2019", "2023-04-01", "on_time"),  # on the day
        (2019, "2020-04-20", "supervision_2019", "2020-04-01", "late"),
        (2018, "2019-03-31", "outline_2015", "2019-03-31", "on_time"),  # first quarter
        (2016, "2017-04-05", "outline_2015", "2017-03-31", "late"),
        (2013, "2014-03-01", None, None, "no_rule"),  # before any national date
    ],
)
def test_the_rule_follows_the_report_year(year, date, rule, deadline, status) -> None:
    row = timeliness(lgk.Corpus([_report("a", "江夏区", year, date)])).iloc[0]
    assert row["rule"] == rule
    assert (pd.isna(row["deadline"]) and deadline is None) or row["deadline"] == pd.Timestamp(
        deadline
    )
    assert row["status"] == status


def test_no_year_or_no_issuer_is_unknown_never_guessed() -> None:
    text = "关于法治建设的报告\n发布日期:2023-03-01\n我们推进依法行政。"
    row = timeliness(lgk.Corpus([lgk.Report.from_text(text, id="a")])).iloc[0]
    assert row["status"] == "unknown"
    assert "report_year" in row["missing"]
    assert pd.isna(row["days_late"]) and pd.isna(row["deadline"])


def test_rules_table_states_both_issuers_for_every_rule() -> None:
    rules = deadline_rules()
    assert set(rules["issuer"]) == {"government", "department"}
    assert rules.groupby("rule").size().eq(2).all()
    later = rules[rules["rule"] == "supervision_2019"].set_index("issuer")
    assert later.loc["department", "deadline"] == "03-01"
    assert later.loc["government", "deadline"] == "04-01"
    assert (later["publish_deadline"] == "04-01").all()


def test_summary_by_level_and_body(seed_corpus) -> None:
    summary = timeliness_summary(seed_corpus)
    assert summary["reports"].sum() == len(seed_corpus)
    counted = summary[["on_time", "late", "no_rule", "unknown"]].sum(axis=1)
    assert (counted == summary["reports"]).all()
    assert summary.equals(timeliness_summary(timeliness(seed_corpus)))
    city = summary[(summary["level"] == "city") & (summary["body"] == "justice_bureau")].iloc[0]
    assert (city["late"], city["share_on_time"]) == (1, 0.0)


def test_docstring_examples_run() -> None:
    import doctest
    import warnings

    import lawgovkit.deadlines as module

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
