"""The report job: notebooks run on a corpus, pages, CSV tables, and a folder written atomically."""

from __future__ import annotations

import html
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from lawgovkit.errors import LawgovkitError, NotebookError
from lawgovkit.notebook_report import (
    CORPUS_TABLES,
    FORMATS,
    GENERATOR,
    NEEDS_REPORTS,
    PANEL_TABLES,
    TABLE_ORDER,
    _check_replaceable,
    corpus_parameter,
    kernel_folder,
    write_report,
)
from tests.conftest import ROOT, SEED_PATHS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")

# what write_tables writes whichever notebooks run (notebook 05 itself writes reuse_matrix)
WRITTEN = {"inputs_flagged", "similarity", *CORPUS_TABLES, *PANEL_TABLES, *NEEDS_REPORTS} - {
    "reuse_matrix"
}
TABLE_FILES = [  # what write_tables writes, in the index's order
    f"tables/{name}.{ext}" for name in TABLE_ORDER if name in WRITTEN for ext in FORMATS
]
PARAMETERS = {"tags": ["parameters"]}
FAILED_CELL = r"^02_bad\.ipynb: cell 3 \(`1 / 0`\) failed: ZeroDivisionError"
LOAD_CELL = (
    "import lawgovkit as lgk\ncorpus = lgk.load_corpus(CORPUS)\nprint('报告数', len(corpus))"
)


def tiny_notebook(title: str, *code: str) -> nbformat.NotebookNode:
    cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\n这一页回答一个问题。")]
    cells.append(nbformat.v4.new_code_cell('CORPUS = "../seeds"', metadata=PARAMETERS))
    cells += [nbformat.v4.new_code_cell(source) for source in code]
    return nbformat.v4.new_notebook(cells=cells)


def write_notebooks(folder: Path, notebooks: dict[str, nbformat.NotebookNode]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, notebook in notebooks.items():
        nbformat.write(notebook, folder / name)
    return folder


@pytest.fixture
def two_seeds(tmp_path) -> Path:
    """A folder holding copies of two seed reports."""
    folder = tmp_path / "两份报告"
    folder.mkdir()
    for path in SEED_PATHS[:2]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
def tiny_notebooks(tmp_path) -> Path:
    return write_notebooks(
        tmp_path / "notebooks",
        {
            "01_overview.ipynb": tiny_notebook("概览", LOAD_CELL),
            "02_problems.ipynb": tiny_notebook(
                "问题", LOAD_CELL, "print(corpus.problems.shape[1])"
            ),
        },
    )


class IndexParser(HTMLParser):
    """The links and table cells of an index page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.cells: list[str] = []
        self.generator = None
        self._in_cell = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs["href"])
        elif tag in {"td", "th"}:
            self._in_cell = True
            self.cells.append("")
        elif tag == "meta" and attrs.get("name") == "generator":
            self.generator = attrs.get("content")

    def handle_endtag(self, tag):
        if tag in {"td", "th"}:
            self._in_cell = False

    def handle_data(self, data):
        if self._in_cell:
            self.cells[-1] += data.strip()


def parse_index(folder: Path) -> IndexParser:
    parser = IndexParser()
    parser.feed((folder / "index.html").read_text(encoding="utf-8"))
    return parser


def leftovers(folder: Path) -> list[str]:
    """Temporary folders a report run may have left beside its output."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# Where the notebooks run and what they are told -----------------------------------------


@pytest.mark.parametrize(
    ("paths", "folder", "parameter"),
    [
        (["/data/seeds"], "/data", "seeds"),
        (["/data/seeds/"], "/data", "seeds"),
        (["/data/甲/x.txt", "/data/乙/y.txt"], "/data", ["甲/x.txt", "乙/y.txt"]),
        (["/data/a/x.txt", "/data/a/y.txt"], "/data/a", ["x.txt", "y.txt"]),
        (["/data/a", "/other/b.txt"], "/", ["data/a", "other/b.txt"]),
    ],
)
def test_notebooks_run_beside_the_inputs_and_get_relative_paths(paths, folder, parameter):
    assert kernel_folder(paths).as_posix() == folder
    assert corpus_parameter(paths, folder) == parameter


# Writing the report ------------------------------------------------------------------------


@pytest.fixture
def report(tmp_path, two_seeds, tiny_notebooks):
    pytest.importorskip("lawgovkit.corpus", reason="the loaders have not landed yet")
    lines: list[str] = []
    out = write_report(
        [two_seeds], tmp_path / "out" / "report", notebooks=tiny_notebooks, progress=lines.append
    )
    return out, lines


def test_index_links_every_notebook_page_and_table(report):
    out, _ = report
    index = parse_index(out)
    assert index.links == ["01_overview.html", "02_problems.html", *TABLE_FILES]
    assert all((out / link).is_file() for link in index.links)
    assert index.generator == GENERATOR


def test_index_lists_the_reports(report):
    out, _ = report
    cells = parse_index(out).cells
    for path in SEED_PATHS[:2]:
        assert path.stem in cells
    assert not any(p.stem in cells for p in SEED_PATHS[2:])
    assert not {"None", "nan", "NaT", "<NA>"} & set(cells), "what a report does not say: —"


def test_pages_hold_what_the_notebooks_computed_on_the_given_corpus(report):
    out, _ = report
    page = (out / "01_overview.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "报告数 2" in text
    assert "CORPUS = '两份报告'" not in text, "code is hidden unless asked for"
    assert "load_corpus" not in text
    assert str(out.parent.parent) not in page, "no folder of this machine in a page"


def test_show_code_keeps_the_code_on_the_pages(tmp_path, two_seeds, tiny_notebooks):
    out = write_report([two_seeds], tmp_path / "r", notebooks=tiny_notebooks, show_code=True)
    page = (out / "01_overview.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "CORPUS = '两份报告'" in text and "load_corpus" in text


def test_every_page_embeds_the_cjk_glyphs_it_shows(report):
    """A reader without a CJK font still sees the Chinese of the pages, not boxes."""
    from lawgovkit.webfont import FAMILY, cjk_characters

    out, _ = report
    for name in ("index.html", "01_overview.html", "02_problems.html"):
        page = (out / name).read_text(encoding="utf-8")
        assert cjk_characters(page), name
        assert "@font-face" in page and FAMILY in page, name


def test_tables_are_written_as_csv_and_parquet_that_read_back(report):
    out, _ = report
    for read in (pd.read_csv, pd.read_parquet):
        suffix = "csv" if read is pd.read_csv else "parquet"
        reports = read(out / "tables" / f"reports.{suffix}")
        assert sorted(reports["id"]) == [p.stem for p in SEED_PATHS[:2]]
        for name in ("sections", "problems", "plans", "claims", "panel", "timeliness"):
            assert "report_id" in read(out / "tables" / f"{name}.{suffix}").columns
        assert read(out / "tables" / f"inputs_flagged.{suffix}").empty
        similarity = read(out / "tables" / f"similarity.{suffix}").set_index("id")
        assert similarity.shape == (2, 2)
        assert list(similarity.columns) == list(similarity.index)
        indicators = read(out / "tables" / f"indicators.{suffix}")
        assert sorted(indicators.iloc[:, 0]) == sorted(reports["id"])


def test_progress_says_one_line_per_notebook(report):
    _, lines = report
    running = [line for line in lines if line.startswith("[")]
    assert running == ["[1/2] running 01_overview.ipynb", "[2/2] running 02_problems.ipynb"]


def test_no_temporary_folder_is_left_beside_the_report(report):
    out, _ = report
    assert leftovers(out.parent) == []


def test_a_second_run_replaces_an_earlier_report(report, two_seeds, tiny_notebooks):
    out, _ = report
    (out / "stale.txt").write_text("from the first run", encoding="utf-8")
    write_report([two_seeds], out, notebooks=tiny_notebooks)
    assert not (out / "stale.txt").exists()
    assert (out / "index.html").is_file()
    assert leftovers(out.parent) == []


def test_a_failing_notebook_leaves_an_earlier_report_as_it_was(report, two_seeds, tmp_path):
    out, _ = report
    before = sorted(p.name for p in out.iterdir())
    broken = write_notebooks(
        tmp_path / "broken",
        {"01_ok.ipynb": tiny_notebook("好"), "02_bad.ipynb": tiny_notebook("坏", "1 / 0")},
    )
    with pytest.raises(NotebookError, match=FAILED_CELL):
        write_report([two_seeds], out, notebooks=broken)
    assert sorted(p.name for p in out.iterdir()) == before
    assert leftovers(out.parent) == []


def test_a_failing_notebook_writes_no_folder(two_seeds, tmp_path):
    pytest.importorskip("lawgovkit.corpus", reason="the loaders have not landed yet")
    broken = write_notebooks(tmp_path / "broken", {"01_bad.ipynb": tiny_notebook("坏", "1 / 0")})
    out = tmp_path / "out"
    with pytest.raises(NotebookError):
        write_report([two_seeds], out, notebooks=broken)
    assert not out.exists()
    assert leftovers(tmp_path) == []


def test_with_errors_skip_the_notebooks_get_only_the_files_that_loaded(
    two_seeds, tiny_notebooks, tmp_path
):
    pytest.importorskip("lawgovkit.corpus", reason="the loaders have not landed yet")
    (two_seeds / "扫描件.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    lines: list[str] = []
    out = write_report(
        [two_seeds],
        tmp_path / "out",
        errors="skip",
        notebooks=tiny_notebooks,
        progress=lines.append,
    )
    assert any(line.startswith("flagged") and "扫描件.txt" in line for line in lines)
    page = html.unescape(re.sub(r"<[^>]+>", "", (out / "01_overview.html").read_text("utf-8")))
    assert "报告数 2" in page
    assert "扫描件.txt" not in page
    assert "扫描件.txt" in (out / "index.html").read_text(encoding="utf-8")


def test_an_output_folder_inside_the_corpus_is_refused(two_seeds, tiny_notebooks):
    with pytest.raises(LawgovkitError, match="inside the corpus folder"):
        write_report([two_seeds], two_seeds / "report", notebooks=tiny_notebooks)
    assert not (two_seeds / "report").exists()


# What may be replaced ----------------------------------------------------------------------


def test_a_folder_that_is_not_a_report_is_never_replaced(tmp_path):
    (tmp_path / "thesis.docx").write_text("years of work", encoding="utf-8")
    with pytest.raises(LawgovkitError, match="not a lawgovkit report folder; not replacing"):
        _check_replaceable(tmp_path)


def test_a_file_is_never_replaced(tmp_path):
    target = tmp_path / "report"
    target.write_text("", encoding="utf-8")
    with pytest.raises(LawgovkitError, match="not a folder; not replacing"):
        _check_replaceable(target)


@pytest.mark.parametrize("index", [None, f'<meta name="generator" content="{GENERATOR}">'])
def test_an_empty_folder_or_an_earlier_report_may_be_replaced(tmp_path, index):
    if index is not None:
        (tmp_path / "index.html").write_text(index, encoding="utf-8")
    _check_replaceable(tmp_path)
    _check_replaceable(tmp_path / "not yet there")


def test_a_refused_output_folder_fails_before_any_work(tmp_path, two_seeds, tiny_notebooks):
    (tmp_path / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(LawgovkitError, match="not replacing"):
        write_report([two_seeds], tmp_path, notebooks=tiny_notebooks)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt", "notebooks", "两份报告"]


# The real notebooks and the wheel ----------------------------------------------------------


def test_the_real_notebooks_run_on_two_seeds(tmp_path, two_seeds):
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not notebooks:
        pytest.skip("notebooks/ holds no notebook yet")
    out = write_report([two_seeds], tmp_path / "report")
    index = parse_index(out)
    pages = [link for link in index.links if link.endswith(".html")]
    assert pages == [f"{p.stem}.html" for p in notebooks]
    assert all((out / page).is_file() for page in pages)
    assert {p.stem for p in SEED_PATHS[:2]} <= set(index.cells)


def test_the_wheel_ships_every_package_and_the_notebooks():
    """`packages` is an explicit list (find cannot see notebooks/): nothing may be missing."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    on_disk = {
        ".".join(p.relative_to(ROOT).parts)
        for p in [ROOT / "lawgovkit", *(ROOT / "lawgovkit").rglob("*")]
        if p.is_dir() and p.name != "__pycache__" and "__pycache__" not in p.parts
    }
    assert on_disk <= set(setuptools["packages"]) - {"lawgovkit.notebooks"}
    assert setuptools["package-dir"] == {"lawgovkit.notebooks": "notebooks"}
    assert "*.ipynb" in setuptools["package-data"]["lawgovkit.notebooks"]


def test_include_all_keeps_copies_and_the_pages_say_so(tmp_path, two_seeds):
    shutil.copy(SEED_PATHS[0], two_seeds / "副本.txt")
    params = 'CORPUS = "../seeds"\nINCLUDE_ALL = False\nERRORS = "skip"'
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# 范围"),
            nbformat.v4.new_code_cell(params, metadata=PARAMETERS),
            nbformat.v4.new_code_cell(
                "from lawgovkit.notebook_setup import start\n"
                "study = start(CORPUS, include_all=INCLUDE_ALL, errors=ERRORS)\n"
                "print('分析', len(study.corpus))"
            ),
        ]
    )
    folder = write_notebooks(tmp_path / "nb", {"01_scope.ipynb": notebook})
    for include_all, analysed in ((False, 2), (True, 3)):
        out = write_report(
            [two_seeds], tmp_path / f"r{include_all}", notebooks=folder, include_all=include_all
        )
        page = html.unescape(re.sub(r"<[^>]+>", "", (out / "01_scope.html").read_text("utf-8")))
        assert f"分析 {analysed}" in page
        index = html.unescape(re.sub(r"<[^>]+>", "", (out / "index.html").read_text("utf-8")))
        assert "副本.txt" in index
        if include_all:
            assert "All 3 reports read are analysed, the flagged ones included" in index
        else:
            assert "2 of the 3 reports read are analysed" in index
        flagged = pd.read_parquet(out / "tables" / "inputs_flagged.parquet")
        assert flagged["analysed"].tolist() == [include_all]


def test_the_report_command_takes_the_new_options():
    from lawgovkit.cli import build_parser

    args = build_parser().parse_args(
        ["report", "seeds", "--out", "x", "--show-code", "--include-all", "--format", "dta"]
    )
    assert args.show_code and args.include_all and args.format == "dta"
    args = build_parser().parse_args(["report", "seeds", "--out", "x"])
    assert not args.show_code and not args.include_all and args.format == "csv"
