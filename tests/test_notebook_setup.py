"""The notebooks' set-up: doubtful inputs, the corpus analysed, labels, tables for pages and
files, and the page helpers of the report job."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import lawgovkit as lgk
from lawgovkit import notebook_setup
from lawgovkit.notebook_run import align_table_columns
from lawgovkit.notebook_setup import (
    MISSING,
    analysed_corpus,
    corpus_name,
    display_labels,
    doubtful_inputs,
    export_table,
    start,
)

REPORT = (
    "关于2023年度法治政府建设情况的报告\n"
    "2023年,我区坚持依法行政,推进法治政府建设。\n"
    "一、主要举措和成效\n(一)健全依法决策机制。落实重大行政决策程序,开展合法性审查。\n"
    "二、存在的不足\n行政执法规范化水平有待提高。\n"
    "三、下一步工作安排\n深化行政执法体制改革,加强行政复议工作。\n"
)
OTHER = REPORT.replace("2023", "2022").replace("行政复议", "人民调解")
NEWS = "本报讯 3月5日上午,区文化馆举办春季书画展开幕式,区领导出席并参观展览。\n"


def corpus_of(**texts: str) -> lgk.Corpus:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lgk.Corpus([lgk.Report.from_text(t, id=i) for i, t in texts.items()])


def test_copies_and_non_reports_are_flagged_with_the_reason():
    corpus = corpus_of(a=REPORT, b=REPORT, c=OTHER, news=NEWS)
    flagged = doubtful_inputs(corpus).set_index("id")["reason"].to_dict()
    assert flagged["b"] == "the same text as a"
    assert flagged["news"].startswith(("does not read like a report", "not a rule-of-law report"))
    assert set(flagged) == {"b", "news"}
    assert analysed_corpus(corpus).ids == ["a", "c"]
    assert analysed_corpus(corpus, include_all=True).ids == ["a", "b", "c", "news"]
    assert doubtful_inputs(corpus, include_all=True)["analysed"].all()


def test_the_loaders_duplicate_of_and_genre_are_used_when_present(monkeypatch):
    corpus = corpus_of(a=REPORT, b=OTHER, c=REPORT.replace("行政", "政务"))
    table = corpus.reports.assign(
        duplicate_of=[None, None, "a"], genre=["rule_of_law_report", "work_report", None]
    )
    monkeypatch.setattr(type(corpus), "reports", property(lambda self: table.loc[self.ids]))
    reasons = doubtful_inputs(corpus).set_index("id")["reason"].to_dict()
    assert reasons == {"b": "not a rule-of-law report (genre: work_report)", "c": "a copy of a"}


def test_files_not_read_are_listed_without_their_folder(tmp_path):
    (tmp_path / "好.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "坏.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    corpus = lgk.load_corpus(tmp_path, errors="skip")
    flagged = doubtful_inputs(corpus)
    assert flagged["file"].tolist() == ["坏.txt"]
    assert flagged["reason"].iloc[0].startswith("not read: ")
    assert str(tmp_path) not in flagged["reason"].iloc[0]
    assert not flagged["analysed"].iloc[0]


def test_labels_are_place_and_year_and_never_clash():
    reports = pd.DataFrame(
        {"jurisdiction": ["江夏区", "江夏区", None], "report_year": [2023, 2023, None]},
        index=["a", "b", "一个很长很长很长很长很长的文件名称呀"],
    )
    labels = display_labels(reports)
    assert labels["a"] == "江夏区 2023 · a" and labels["b"] == "江夏区 2023 · b"
    assert labels["一个很长很长很长很长很长的文件名称呀"].endswith("…")


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("../seeds", "seeds"),
        ("data/报告/", "报告"),
        (["x/a.txt"], "a.txt"),
        (["a", "b"], "2 files"),
    ],
)
def test_corpus_names_in_captions(source, name):
    assert corpus_name(source) == name


def test_show_uses_one_mark_for_every_missing_value():
    study = start(corpus_of(a=REPORT, b=OTHER))
    table = pd.DataFrame(
        {
            "text": ["甲", None],
            "number": [0.123456, float("nan")],
            "count": pd.array([1, None], dtype="Int64"),
            "date": pd.to_datetime(["2023-03-15", None]),
        }
    )
    shown = study.show(table)
    assert shown.iloc[1].tolist() == [MISSING] * 4
    assert shown.iloc[0].tolist() == ["甲", "0.123", 1, "2023-03-15"]


def test_a_notebook_run_by_hand_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv(notebook_setup.REPORT_DIR_VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)
    study = start(corpus_of(a=REPORT, b=OTHER))
    study.export("theme_coverage", lgk.theme_coverage(study.corpus))
    study.figure(lgk.plot.theme_coverage(lgk.theme_coverage(study.corpus)), "x")
    assert list(tmp_path.iterdir()) == []


def test_in_a_report_the_helpers_write_tables_and_figures(tmp_path, monkeypatch):
    monkeypatch.setenv(notebook_setup.REPORT_DIR_VARIABLE, str(tmp_path))
    monkeypatch.setenv(notebook_setup.FORMATS_VARIABLE, "csv,parquet,dta")
    study = start(corpus_of(a=REPORT, b=OTHER))
    coverage = study.export("theme_coverage", lgk.theme_coverage(study.corpus))
    study.figure(lgk.plot.theme_coverage(coverage), "02_theme_coverage")
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.*"))
    assert files == [
        "figures/02_theme_coverage.png",
        "figures/02_theme_coverage.svg",
        "tables/theme_coverage.csv",
        "tables/theme_coverage.dta",
        "tables/theme_coverage.parquet",
    ]
    back = pd.read_parquet(tmp_path / "tables" / "theme_coverage.parquet")
    assert back.iloc[:, 0].tolist() == ["a", "b"]
    assert study.exported == {"theme_coverage": 2}


def test_stata_files_hold_long_text_lists_booleans_and_missing_values(tmp_path):
    table = pd.DataFrame(
        {
            "文本": ["很长的文字" * 300, None],
            "words": [["行政", "执法"], []],
            "flag": [True, False],
            "n": pd.array([1, None], dtype="Int64"),
            "a very long column name that Stata would refuse": [1.5, 2.5],
            "end": [1, 2],
            "maybe": pd.array([True, None], dtype="boolean"),
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no renaming left to pandas
        (path,) = export_table(table, tmp_path, "t", formats=("dta",))
    back = pd.read_stata(path)
    assert back.shape == (2, 7)
    assert "_end" in back.columns
    assert back.iloc[0, 0] == "很长的文字" * 300 and back.iloc[1, 0] == ""
    assert back.iloc[0, 1] == "行政、执法"
    assert back["flag"].tolist() == [1, 0]
    assert all(len(c) <= 32 for c in back.columns)


def test_an_unknown_table_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown table format 'xlsx'"):
        export_table(pd.DataFrame({"a": [1]}), tmp_path, "t", formats=("xlsx",))


def test_pages_align_text_left_and_numbers_right():
    table = pd.DataFrame({"地区": ["江夏区", "綦江区"], "n": [3, 12], "share": ["0.5", MISSING]})
    page = "<html><head></head><body>" + table.to_html(classes="dataframe") + "</body></html>"
    aligned = align_table_columns(page)
    assert 'class="lgk-number">12<' in aligned and 'class="lgk-number">—<' in aligned
    assert 'class="lgk-number">江夏区' not in aligned
    assert "text-align: left" in aligned


def test_a_parquet_dataset_is_read_as_a_corpus_of_tables(tmp_path, monkeypatch):
    from lawgovkit.notebook_setup import NO_REPORT_TEXTS, has_reports, is_dataset
    from lawgovkit.parquet import TableCorpus, to_parquet

    monkeypatch.delenv(notebook_setup.REPORT_DIR_VARIABLE, raising=False)
    corpus = corpus_of(a=REPORT, c=OTHER, news=NEWS)
    dataset = to_parquet(corpus, tmp_path / "数据集")
    assert is_dataset(dataset) and is_dataset([str(dataset)])
    assert not is_dataset(tmp_path) and not is_dataset(dataset / "reports")
    study = start(str(dataset))
    assert isinstance(study.corpus, TableCorpus) and not study.has_reports
    assert not has_reports(study.loaded) and has_reports(corpus)
    assert study.name == "数据集"
    # the non-report is flagged from the reports table and left out, as from the files
    assert study.doubtful["id"].tolist() == doubtful_inputs(corpus)["id"].tolist() == ["news"]
    assert study.corpus.ids == analysed_corpus(corpus).ids == ["a", "c"]
    assert start(str(dataset), include_all=True).corpus.ids == ["a", "c", "news"]
    assert study.subset(["c", "news"]).ids == ["c"]
    assert len(study.subset(["c"]).sections) == len(corpus_of(c=OTHER).sections)
    said = study.without_reports("05.basis", "Text reuse")
    assert not said.computable and NO_REPORT_TEXTS in said.text


def test_a_copy_the_loader_marked_is_flagged_in_a_dataset_too(tmp_path):
    from lawgovkit.parquet import read_parquet, to_parquet

    corpus = corpus_of(a=REPORT, b=OTHER, c=REPORT)
    tables = {name: getattr(corpus, name) for name in ("sections", "items", "problems", "plans")}
    tables["skipped"] = corpus.skipped
    tables["reports"] = corpus.reports.assign(duplicate_of=[None, None, "a"]).reset_index()
    dataset = read_parquet(to_parquet(tables, tmp_path / "ds"))
    if "duplicate_of" not in dataset.reports.columns:
        pytest.skip("the dataset schema keeps no duplicate_of column")
    assert doubtful_inputs(dataset).set_index("id")["reason"].to_dict() == {"c": "a copy of a"}
    assert analysed_corpus(dataset).ids == ["a", "b"]
