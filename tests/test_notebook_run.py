"""Running one notebook: finding the shipped ones, injecting parameters, executing, rendering."""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser

import nbformat
import pytest

from lawgovkit.errors import LawgovkitError, NotebookError
from lawgovkit.notebook_run import (
    find_notebooks,
    inject_parameters,
    notebook_html,
    notebook_title,
    run_notebook,
)
from tests.conftest import ROOT

new_code = nbformat.v4.new_code_cell
new_markdown = nbformat.v4.new_markdown_cell
PARAMETERS = {"tags": ["parameters"]}
FAILED_CELL = r"^bad\.ipynb: cell 3 \(`1 / 0`\) failed: ZeroDivisionError"

TITLE_CELL = "# 法治政府建设报告概览\n\n本笔记本回答:各地报告讲了什么?"
PLOT_CELL = (
    "import matplotlib.pyplot as plt\n"
    "fig, ax = plt.subplots(figsize=(2, 1))\n"
    "ax.bar(['a', 'b'], [3, 5])\n"
    "plt.show()"
)


def tiny_notebook(*cells) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=list(cells))


def sources(notebook) -> list[str]:
    return [cell.source for cell in notebook.cells]


def outputs_text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs)


# Injecting parameters ---------------------------------------------------------------------


def test_injected_cell_follows_the_parameters_cell_and_overrides_it():
    notebook = tiny_notebook(
        new_markdown(TITLE_CELL),
        new_code('CORPUS = "../seeds"', metadata=PARAMETERS),
        new_code("print(CORPUS)"),
    )
    injected = inject_parameters(notebook, {"CORPUS": ["报告/甲.txt", "报告/乙.txt"]})
    assert sources(injected)[:2] == sources(notebook)[:2]
    assert injected.cells[2].metadata.tags == ["injected-parameters"]
    assert "CORPUS = ['报告/甲.txt', '报告/乙.txt']" in injected.cells[2].source
    assert sources(injected)[3] == "print(CORPUS)"


def test_injection_leaves_the_original_notebook_alone():
    notebook = tiny_notebook(new_code('CORPUS = "../seeds"', metadata=PARAMETERS))
    inject_parameters(notebook, {"CORPUS": "x"})
    assert len(notebook.cells) == 1


def test_without_a_parameters_cell_the_parameters_go_first():
    notebook = tiny_notebook(new_markdown(TITLE_CELL), new_code("print(CORPUS)"))
    injected = inject_parameters(notebook, {"CORPUS": "reports"})
    assert injected.cells[0].source.endswith("CORPUS = 'reports'")
    assert sources(injected)[1:] == sources(notebook)


def test_only_the_first_parameters_cell_counts():
    notebook = tiny_notebook(
        new_code("A = 1", metadata=PARAMETERS),
        new_code("B = 2", metadata=PARAMETERS),
    )
    injected = inject_parameters(notebook, {"A": 3})
    assert sources(injected) == ["A = 1", injected.cells[1].source, "B = 2"]
    assert injected.cells[1].source.endswith("A = 3")


# Titles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ([new_markdown(TITLE_CELL)], "法治政府建设报告概览"),
        ([new_code("# 注释不是标题"), new_markdown("说明\n## 相似度")], "相似度"),
        ([new_markdown("没有标题的说明")], "04_similarity"),
        ([new_markdown("#   ")], "04_similarity"),
        ([], "04_similarity"),
    ],
)
def test_notebook_title_is_the_first_markdown_heading(cells, expected):
    assert notebook_title(tiny_notebook(*cells), "04_similarity") == expected


# Finding notebooks -------------------------------------------------------------------------


def test_notebooks_in_a_folder_come_in_numbered_order(tmp_path):
    for name in ["02_b.ipynb", "01_a.ipynb", ".hidden.ipynb", "notes.txt"]:
        (tmp_path / name).write_text("{}", encoding="utf-8")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "01_a-checkpoint.ipynb").write_text("{}")
    assert [p.name for p in find_notebooks(tmp_path)] == ["01_a.ipynb", "02_b.ipynb"]


def test_a_missing_notebook_folder_is_named(tmp_path):
    with pytest.raises(LawgovkitError, match=r"nowhere.*notebook folder not found"):
        find_notebooks(tmp_path / "nowhere")


def test_a_folder_without_notebooks_is_an_error(tmp_path):
    with pytest.raises(LawgovkitError, match=r"no analysis notebooks \(\*\.ipynb\)"):
        find_notebooks(tmp_path)


def test_the_shipped_notebooks_are_the_repository_notebooks():
    ours = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not ours:
        pytest.skip("notebooks/ holds no notebook yet")
    found = find_notebooks()
    assert [p.name for p in found] == [p.name for p in ours]
    assert all(p.read_bytes() == q.read_bytes() for p, q in zip(found, ours, strict=True))


# Running -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """A tiny notebook run once: parameters, the kernel's interpreter and folder, a figure."""
    folder = tmp_path_factory.mktemp("kernel home")
    notebook = tiny_notebook(
        new_markdown(TITLE_CELL),
        new_code('CORPUS = "../seeds"', metadata=PARAMETERS),
        new_code("import os, sys\nprint(CORPUS)\nprint(sys.executable)\nprint(os.getcwd())"),
        new_code(PLOT_CELL),
    )
    injected = inject_parameters(notebook, {"CORPUS": "报告"})
    return folder, injected, run_notebook(injected, cwd=folder, name="tiny.ipynb", timeout=120)


def test_run_uses_the_injected_corpus_this_python_and_the_given_folder(executed):
    folder, _, result = executed
    lines = outputs_text(result.cells[3]).splitlines()
    assert lines == ["报告", sys.executable, str(folder)]


def test_run_returns_a_copy_and_leaves_the_input_unexecuted(executed):
    _, injected, result = executed
    assert all(not cell.get("outputs") for cell in injected.cells if cell.cell_type == "code")
    assert sources(result) == sources(injected)


def test_run_keeps_figures_inline(executed):
    _, _, result = executed
    assert any("image/png" in o.get("data", {}) for o in result.cells[4].outputs)


def test_a_failing_cell_names_the_notebook_the_cell_and_the_error(tmp_path):
    notebook = tiny_notebook(
        new_markdown(TITLE_CELL), new_code("x = 1"), new_code("1 / 0"), new_code("y = 2")
    )
    with pytest.raises(NotebookError, match=FAILED_CELL):
        run_notebook(notebook, cwd=tmp_path, name="bad.ipynb", timeout=60)


# Rendering ---------------------------------------------------------------------------------


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.scripts: list[dict] = []
        self.images: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in_title = True
        elif tag == "script":
            self.scripts.append(attrs)
        elif tag == "img":
            self.images.append(attrs.get("src", ""))

    def handle_endtag(self, tag):
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data


@pytest.fixture(scope="module")
def page(executed):
    _, _, result = executed
    parser = PageParser()
    html = notebook_html(result, "法治政府建设报告概览")
    parser.feed(html)
    return html, parser


def test_page_is_titled_and_holds_the_outputs(page):
    html, parser = page
    assert parser.title.strip() == "法治政府建设报告概览"
    assert "本笔记本回答" in html
    assert "报告" in html


def test_page_is_self_contained(page):
    _, parser = page
    assert parser.images and all(src.startswith("data:image/png;base64,") for src in parser.images)
    assert not [s for s in parser.scripts if s.get("src")], "no script loaded from elsewhere"


def test_page_shows_no_folder_of_this_machine_but_what_the_notebook_printed(executed, page):
    folder, _, _ = executed
    html, _ = page
    # the test notebook printed its folder on purpose; nothing else may name a local path
    printed = {re.escape(str(folder)), re.escape(sys.executable)}
    leftover = re.sub("|".join(printed), "", html)
    assert str(ROOT) not in leftover
    assert str(folder.parent) not in leftover
