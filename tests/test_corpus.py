"""Tests for lawgovkit.corpus: load_corpus sources, errors, sidecar metadata, tables."""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

import lawgovkit as lgk
from lawgovkit.corpus import BOILERPLATE_COLUMNS, SKIPPED_COLUMNS, Corpus, load_corpus
from lawgovkit.errors import (
    ArgumentError,
    BinaryFileError,
    EmptyFileError,
    EncodingError,
    NoReportsError,
    ReportNotFoundError,
)
from lawgovkit.metadata import METADATA_COLUMNS
from lawgovkit.report import EXTRA_COLUMNS, Report
from tests.conftest import SEED_IDS, SEED_PATHS, SEEDS

REPORT = (
    "某县2023年度法治政府建设情况报告\n"
    "2023年,我县深入推进依法行政,法治政府建设取得新成效。\n"
    "一、主要举措和成效\n"
    "(一)规范行政执法。全面落实行政执法三项制度。\n"
    "二、存在的问题\n"
    "一是执法力量薄弱;二是普法形式单一。\n"
)
BAD_FILES = {
    "empty.txt": (b"", EmptyFileError),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), BinaryFileError),
    "cut.txt": (REPORT.encode("utf-8")[:-2], EncodingError),
}


@pytest.fixture
def folder(tmp_path) -> Path:
    """Two seeds, a nested HTML report, a hidden file and a non-report extension."""
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    for seed in SEED_PATHS[:2]:
        shutil.copy(seed, root / seed.name)
    (root / "sub" / "县报告.html").write_text(f"<p>{REPORT.replace(chr(10), '</p><p>')}</p>")
    (root / ".hidden.txt").write_text(REPORT, encoding="utf-8")
    (root / "notes.csv").write_text("a,b\n", encoding="utf-8")
    return root


def test_seed_corpus_reports_table(seed_corpus) -> None:
    table = seed_corpus.reports
    assert list(table.index) == SEED_IDS
    assert table.index.name == "id"
    assert list(table.columns) == [*METADATA_COLUMNS, *EXTRA_COLUMNS, "duplicate_of"]
    assert str(table["report_year"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(table["publish_date"])
    assert table["adcode"].tolist() == ["420115", "371502", "420100", "431227", "500110"]
    assert table["is_report"].all()
    assert len(seed_corpus) == 5


def test_seed_corpus_access(seed_corpus) -> None:
    assert [r.id for r in seed_corpus] == SEED_IDS
    assert seed_corpus[SEED_IDS[0]].meta["jurisdiction"] == "江夏区"
    assert SEED_IDS[0] in seed_corpus
    with pytest.raises(KeyError, match="no report with id 'nope'"):
        seed_corpus["nope"]
    assert seed_corpus.skipped.empty
    assert list(seed_corpus.skipped.columns) == list(SKIPPED_COLUMNS)


def test_seed_corpus_boilerplate_table(seed_corpus) -> None:
    table = seed_corpus.boilerplate
    assert list(table.columns) == list(BOILERPLATE_COLUMNS)
    assert set(table["report_id"]) == set(SEED_IDS) - {"004_4d4e89313a1e219a"}
    assert table.loc[table["kind"] == "font_size", "text"].tolist() == ["字号:", "大 中 小"]
    for report in seed_corpus:
        for word in ("字号", "大 中 小", "下载", "打印", "扫码", "扫一扫", "关闭窗口", "发布日期"):
            assert word not in report.text


def test_seed_corpus_structure_tables(seed_corpus) -> None:
    pytest.importorskip("lawgovkit.structure")
    sections = seed_corpus.sections
    assert sections["report_id"].tolist() == sorted(sections["report_id"])
    for report_id, group in sections.groupby("report_id", sort=True):
        assert "".join(group["text"]) == seed_corpus[report_id].text
        assert group["start"].tolist() == sorted(group["start"])
    for name in ("problems", "plans"):
        table = getattr(seed_corpus, name)
        assert "category" in table.columns
        assert table["report_id"].tolist() == sorted(table["report_id"])
    assert len(seed_corpus.items) > 0


def test_structure_tables_are_built_in_groups_and_held_once() -> None:
    """The items are built only when asked for; each table is the same whatever is asked
    first; a table handed out is not kept a second time unsorted."""
    from lawgovkit.corpus import _FRAME_GROUPS
    from lawgovkit.structure import TABLES

    assert sorted(name for group in _FRAME_GROUPS for name in group) == sorted(TABLES)
    first = load_corpus(SEEDS, cache=False)
    built = [first.sections, first.problems, first.plans]
    assert first._frames == {}  # the items were never built
    items_first = load_corpus(SEEDS, cache=False)
    items = items_first.items
    assert items_first._frames == {}  # the other groups wait until asked for
    for name, table in zip(("sections", "problems", "plans"), built, strict=True):
        pd.testing.assert_frame_equal(getattr(items_first, name), table)
    pd.testing.assert_frame_equal(items, first.items)
    assert first._frames == {} and items_first._frames == {}
    for column in ("section_id", "parent_id", "role"):  # repeated values held once each
        values = built[0][column].tolist()
        assert len({id(v) for v in values}) == len(set(values))


def test_corpus_fills_problem_categories_and_plan_themes(seed_corpus) -> None:
    from lawgovkit.problems import categorize_problems, problem_categories
    from lawgovkit.themes import plan_themes, theme_names

    problems, plans = seed_corpus.problems, seed_corpus.plans
    assert problems["category"].tolist() == categorize_problems(problems["text"])
    assert set(problems["category"]) <= set(problem_categories()["key"])
    assert plans["category"].tolist() == plan_themes(plans["text"])
    assert set(plans["category"].dropna()) <= set(theme_names())
    assert plans["category"].notna().mean() > 0.8


def test_folder_is_read_recursively_skipping_hidden_and_other_files(folder) -> None:
    corpus = load_corpus(folder)
    assert corpus.ids == sorted([*(p.stem for p in SEED_PATHS[:2]), "县报告"])
    assert corpus["县报告"].format == "html"


@pytest.mark.parametrize(
    "make_source",
    [
        lambda root: str(root / "*.txt"),
        lambda root: root / "**" / "*.[th]*",
        lambda root: sorted(root.glob("*.txt")),
        lambda root: [str(p) for p in sorted(root.glob("*.txt"))],
    ],
    ids=["glob", "recursive-glob-path", "list-of-paths", "list-of-str"],
)
def test_sources(folder, make_source) -> None:
    corpus = load_corpus(make_source(folder))
    assert set(p.stem for p in SEED_PATHS[:2]) <= set(corpus.ids)


def test_same_files_same_tables(folder) -> None:
    listed = [p for p in folder.rglob("*.*") if p.suffix in (".txt", ".html")]
    listed = sorted((p for p in listed if not p.name.startswith(".")), reverse=True)
    first, second = load_corpus(folder), load_corpus(listed)
    assert first.reports.drop(columns="path").equals(second.reports.drop(columns="path"))


@pytest.mark.parametrize("errors", ["skip", "warn"])
def test_bad_files_are_listed_in_skipped(folder, errors) -> None:
    for name, (data, _) in BAD_FILES.items():
        (folder / name).write_bytes(data)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus(folder, errors=errors)
    assert len(corpus) == 3
    skipped = corpus.skipped
    assert list(skipped.columns) == list(SKIPPED_COLUMNS)
    # notes.csv is no report file type: listed, not silently left out (issue 15)
    expected = {**{n: e.__name__ for n, (_, e) in BAD_FILES.items()}}
    expected["notes.csv"] = "UnsupportedFormatError"
    assert [Path(p).name for p in skipped["path"]] == sorted(expected)
    for row in skipped.itertuples():
        name = Path(row.path).name
        assert row.error == expected[name]
        assert name in row.message
    messages = " ".join(str(w.message) for w in caught)
    for name in expected:
        assert (name in messages) == (errors == "warn")


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_raises_by_default(folder, name) -> None:
    data, error = BAD_FILES[name]
    (folder / name).write_bytes(data)
    with pytest.raises(error, match=name):
        load_corpus(folder)


def test_errors_argument_is_checked() -> None:
    with pytest.raises(ArgumentError, match="errors='ignore' is not one of"):
        load_corpus(SEEDS, errors="ignore")


def test_missing_source(tmp_path) -> None:
    with pytest.raises(ReportNotFoundError, match="nowhere"):
        load_corpus(tmp_path / "nowhere")
    with pytest.raises(ReportNotFoundError, match=r"gone\.txt"):
        load_corpus([SEED_PATHS[0], tmp_path / "gone.txt"])
    corpus = load_corpus([SEED_PATHS[0], tmp_path / "gone.txt"], errors="skip")
    assert corpus.skipped["error"].tolist() == ["ReportNotFoundError"]


def test_nothing_readable(tmp_path) -> None:
    with pytest.raises(NoReportsError, match="no readable report"):
        load_corpus(tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(NoReportsError, match=r"1 unreadable.*empty\.txt"):
        load_corpus(tmp_path, errors="skip")


@pytest.mark.skipif(os.name == "nt", reason="needs POSIX symlinks")
def test_symlinked_folder_loop_is_not_followed(folder) -> None:
    (folder / "sub" / "back").symlink_to(folder, target_is_directory=True)
    assert len(load_corpus(folder)) == 3


def test_duplicate_stems_get_path_ids(tmp_path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "报告.txt").write_text(REPORT, encoding="utf-8")
    page = "<p>" + REPORT.replace("\n", "</p><p>") + "</p>"
    (tmp_path / "a" / "报告.html").write_text(page, encoding="utf-8")
    (tmp_path / "报告.txt").write_text(REPORT, encoding="utf-8")
    corpus = load_corpus(tmp_path, duplicates="keep")  # the same text four times
    assert corpus.ids == ["a/报告.html", "a/报告.txt", "b/报告.txt", "报告.txt"]
    assert load_corpus(tmp_path / "b").ids == ["报告"]


def test_corpus_rejects_duplicate_ids() -> None:
    report = Report.from_text(REPORT, id="x")
    with pytest.raises(ArgumentError, match="repeated: x"):
        Corpus([report, report])


# --- sidecar metadata ----------------------------------------------------------------------------


def test_sidecar_csv_by_file_name_wins(tmp_path) -> None:
    sidecar = tmp_path / "meta.csv"
    sidecar.write_text(
        "file,url,report_year,jurisdiction\n"
        f"{SEED_PATHS[0].name},https://example.invalid/a,2021,江夏\n"
        f"{SEED_PATHS[1].name},https://example.invalid/b,,\n",
        encoding="utf-8",
    )
    corpus = load_corpus(SEED_PATHS[:2], metadata=sidecar)
    table = corpus.reports
    assert list(table.columns[-1:]) == ["url"]
    first, second = SEED_PATHS[0].stem, SEED_PATHS[1].stem
    assert table.loc[first, "url"] == "https://example.invalid/a"
    assert table.loc[first, "report_year"] == 2021
    assert table.loc[first, "jurisdiction"] == "江夏"
    assert table.loc[second, "report_year"] == 2023  # empty cell: extracted value kept
    assert corpus[first].provenance["report_year"] == "sidecar"
    assert corpus[second].provenance["report_year"] == "title"


def test_sidecar_dataframe_by_id() -> None:
    sidecar = pd.DataFrame({"id": [SEED_IDS[4]], "notes": ["checked"], "title": ["人工标题"]})
    corpus = load_corpus(SEEDS, metadata=sidecar)
    assert corpus.reports.loc[SEED_IDS[4], "title"] == "人工标题"
    assert corpus.reports.loc[SEED_IDS[4], "notes"] == "checked"
    assert pd.isna(corpus.reports.loc[SEED_IDS[0], "notes"])


@pytest.mark.parametrize(
    ("column", "value"), [("report_year", "二〇二二"), ("publish_date", "not a date")]
)
def test_sidecar_bad_value_names_report_and_column(column: str, value: str) -> None:
    sidecar = pd.DataFrame({"id": [SEED_IDS[0]], column: [value]})
    with pytest.raises(ArgumentError, match=f"{SEED_IDS[0]}.*{column}"):
        load_corpus(SEEDS, metadata=sidecar)


def test_sidecar_without_key_column() -> None:
    with pytest.raises(ArgumentError, match="id, file, filename"):
        load_corpus(SEEDS, metadata=pd.DataFrame({"url": ["x"]}))


# --- display and progress ---------------------------------------------------------------------


def test_repr_html(seed_corpus) -> None:
    shown = seed_corpus._repr_html_()
    assert "Corpus of 5 reports" in shown
    assert "江夏区" in shown


def test_progress_bar_forced_on_and_off(capsys) -> None:
    load_corpus(SEED_PATHS[:1], progress=True)
    assert "reports" in capsys.readouterr().err
    load_corpus(SEED_PATHS[:1], progress=False)
    assert capsys.readouterr().err == ""


def test_top_level_name() -> None:
    assert lgk.load_corpus is load_corpus
    assert lgk.Corpus is Corpus
