"""Tests of lawgovkit.panels: panels with gaps, recurring problems, plans followed.

The last tests run on the development corpus (``../shared/corpora/local-work-reports``
from the repository root, or ``$LAWGOVKIT_CORPORA/local-work-reports``) and skip without it.
"""

from __future__ import annotations

import csv
import warnings
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

import lawgovkit as lgk
from lawgovkit.cli import main
from lawgovkit.errors import ArgumentError
from lawgovkit.panels import (
    PANEL_COLUMNS,
    PLANS_FOLLOWED_THRESHOLD,
    panel,
    plans_followed,
    recurring_problems,
)
from tests.conftest import DEV_CORPUS

ROOT = Path(__file__).resolve().parent.parent
WORK_REPORTS = DEV_CORPUS

PROBLEMS = {
    2020: ["行政执法人员专业素质不高,执法不规范", "普法宣传针对性不强"],
    2021: ["行政执法人员专业素质仍然不高", "基层法律服务资源不足"],
    2023: ["基层法律服务资源依然不足,分布不均衡", "重大行政决策程序执行不到位"],
}
PLANS = {
    2020: ["加强行政执法人员培训,提升专业素质", "建设智慧停车场"],
    2021: ["推进基层公共法律服务站点建设"],
    2023: ["严格落实重大行政决策程序"],
}
DONE = {
    2021: "组织行政执法人员培训12场,执法人员专业素质明显提升。新建篮球场两个。",
    2022: "建成基层公共法律服务站点56个,实现全覆盖。",
    2023: "重大行政决策全部履行法定程序。",
}


def _report(year: int, place: str = "江夏区") -> lgk.Report:
    parts = [
        f"{place}{year}年度法治政府建设情况报告",
        "一、主要成效",
        DONE.get(year, "推进依法行政工作。"),
    ]
    if year in PROBLEMS:
        parts += ["二、存在的问题"] + [
            f"{'一二三'[i]}是{p}。" for i, p in enumerate(PROBLEMS[year])
        ]
    if year in PLANS:
        parts += ["三、下一步工作计划"] + [
            f"({'一二三'[i]}){p}。" for i, p in enumerate(PLANS[year])
        ]
    return lgk.Report.from_text("\n".join(parts), id=f"{place}{year}")


@pytest.fixture(scope="module")
def corpus() -> lgk.Corpus:
    undated = lgk.Report.from_text("关于法治建设的汇报\n我们推进依法行政。", id="zz")
    return lgk.Corpus(
        [_report(y) for y in (2020, 2021, 2022, 2023)] + [_report(2021, "綦江区"), undated]
    )


def test_panel_shows_gaps_and_undated_reports(corpus) -> None:
    gapped = lgk.Corpus([_report(2020), _report(2023)])
    table = panel(gapped)
    assert list(table.columns) == ["jurisdiction", "body", *PANEL_COLUMNS]
    assert table["status"].tolist() == ["report", "gap", "gap", "report"]
    assert table["report_year"].tolist() == [2020, 2021, 2022, 2023]
    assert table["report_id"].tolist() == ["江夏区2020", None, None, "江夏区2023"]
    assert set(table["n_years"]) == {2}
    full = panel(corpus)
    assert set(full["report_id"].dropna()) == set(corpus.ids)  # nothing left out
    assert full.iloc[-1]["status"] == "undated"


def test_panel_by_an_unknown_column_says_so(corpus) -> None:
    with pytest.raises(ArgumentError, match="no column 'county'"):
        panel(corpus, by=("county",))


def test_recurring_new_dropped_and_first(corpus) -> None:
    table = recurring_problems(corpus)
    jx = table[table["jurisdiction"] == "江夏区"]
    labels = {(r.report_year, r.problem_n, r.label) for r in jx.itertuples()}
    assert (2020, 1, "first") in labels and (2020, 2, "first") in labels
    assert (2021, 1, "recurring") in labels  # 执法人员素质 again
    assert (2021, 2, "new") in labels  # 基层法律服务资源
    assert (2020, 2, "dropped") in labels  # 普法 no longer named in 2021
    assert (2023, 1, "recurring") in labels  # 法律服务资源, two years apart (no 2022 problems)
    row = jx[(jx["report_year"] == 2023) & (jx["problem_n"] == 1)].iloc[0]
    assert (row["matched_year"], row["years_apart"]) == (2021, 2)
    # every match: same place, an earlier year (a later one for dropped), a score
    matched = table[table["label"].isin(["recurring", "new"])]
    assert (matched["matched_year"] < matched["report_year"]).all()
    assert matched["score"].between(0, 1).all()
    dropped = table[table["label"] == "dropped"]
    assert (dropped["matched_year"] > dropped["report_year"]).all()
    first = table[table["label"] == "first"]
    assert first["matched_report_id"].isna().all() and first["score"].isna().all()
    assert "綦江区" in set(table["jurisdiction"])  # one report: all first


def test_threshold_decides_the_label(corpus) -> None:
    strict = recurring_problems(corpus, threshold=1.0)
    assert not (strict["label"] == "recurring").any()
    loose = recurring_problems(corpus, threshold=0.0)
    assert not (loose["label"].isin(["new", "dropped"])).any()


@pytest.mark.parametrize("bad", [1.5, -0.1, "0.2", None, True])
def test_a_threshold_outside_zero_to_one_is_refused(corpus, bad) -> None:
    with pytest.raises(ArgumentError, match="threshold must be"):
        recurring_problems(corpus, threshold=bad)
    with pytest.raises(ArgumentError, match="threshold must be"):
        plans_followed(corpus, threshold=bad)


def test_plans_followed_matches_next_years_achievements(corpus) -> None:
    table = plans_followed(corpus)
    jx = table[table["jurisdiction"] == "江夏区"].set_index(["report_year", "plan_n"])
    assert jx.loc[(2020, 1), "followed"]  # 执法人员培训 -> 2021 achievements
    assert "培训" in jx.loc[(2020, 1), "passage"]
    assert not jx.loc[(2020, 2), "followed"]  # 智慧停车场: not reported
    assert jx.loc[(2021, 1), "followed"] and jx.loc[(2021, 1), "next_year"] == 2022
    assert pd.isna(jx.loc[(2023, 1), "followed"])  # no 2024 report
    assert pd.isna(jx.loc[(2023, 1), "next_report_id"])
    texts = {r.id: r.text for r in corpus}
    for row in table.dropna(subset=["next_report_id"]).itertuples():
        start = int(row.passage_start)
        assert texts[row.next_report_id][start : start + len(row.passage)] == row.passage


@pytest.mark.parametrize("reports", [[], ["没有标题、没有年份的文字。"]])
def test_a_corpus_without_dated_reports_gives_empty_tables(reports) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # such a text does not look like a report
        corpus = lgk.Corpus([lgk.Report.from_text(t, id=f"r{i}") for i, t in enumerate(reports)])
        assert recurring_problems(corpus).empty
        assert plans_followed(corpus).empty
        assert (panel(corpus)["status"] == "undated").sum() == len(reports)


def test_panel_command(capsys, seeds_dir) -> None:
    for show in ("panel", "recurring", "plans", "timeliness"):
        status = main(["panel", str(seeds_dir), "--show", show, "--format", "csv"])
        out, _ = capsys.readouterr()
        assert status == 0 and out.count("\n") >= 2


def test_docstring_examples_run() -> None:
    import doctest

    import lawgovkit.panels as module

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


# On the development corpus -------------------------------------------------------------------


@pytest.fixture(scope="module")
def panel_sample() -> lgk.Corpus:
    """Every report of the three places with the fewest reports among those with 5 or more
    (a few dozen files: seconds)."""
    if not WORK_REPORTS.is_dir():
        pytest.skip("the development corpus (../shared/corpora) is not here")
    with (WORK_REPORTS / "index.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    counts = Counter(r["place"] for r in rows)
    places = sorted((n, p) for p, n in counts.items() if n >= 5)[:3]
    chosen = {p for _, p in places}
    files = sorted(WORK_REPORTS / r["file"] for r in rows if r["place"] in chosen)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # work reports are not rule-of-law reports
        return lgk.load_corpus(files, progress=False)


def test_panels_on_places_with_five_years_or_more(panel_sample) -> None:
    table = panel(panel_sample)
    years = table[table["status"] == "report"].groupby(["jurisdiction", "body"])["report_year"]
    long_places = {key for key, ys in years if ys.nunique() >= 5}
    assert long_places, "no place with five dated reports in the sample"
    place_of = {
        r: (j, b)
        for r, j, b in zip(table["report_id"], table["jurisdiction"], table["body"], strict=True)
    }
    year_of = dict(zip(table["report_id"], table["report_year"], strict=True))

    recurring = recurring_problems(panel_sample)
    recurring = recurring[
        recurring[["jurisdiction", "body"]].apply(tuple, axis=1).isin(long_places)
    ]
    compared = recurring[recurring["label"] != "first"]
    assert len(compared)
    for row in compared.itertuples():
        assert place_of[row.matched_report_id] == (row.jurisdiction, row.body)
        assert year_of[row.matched_report_id] == row.matched_year
        if row.label == "dropped":
            assert row.matched_year > row.report_year
        else:
            assert row.matched_year < row.report_year
        assert 0.0 <= row.score <= 1.0

    followed = plans_followed(panel_sample)
    followed = followed[followed[["jurisdiction", "body"]].apply(tuple, axis=1).isin(long_places)]
    matched = followed.dropna(subset=["next_report_id"])
    assert len(matched)
    for row in matched.itertuples():
        assert place_of[row.next_report_id] == (row.jurisdiction, row.body)
        assert row.next_year == row.report_year + 1
        assert 0.0 <= row.score <= 1.0 and row.followed == (row.score >= PLANS_FOLLOWED_THRESHOLD)
