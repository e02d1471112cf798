"""Run one analysis notebook: find the shipped notebooks, inject parameters, execute, render.

The notebooks ship inside the package as ``lawgovkit.notebooks`` (the repository's top-level
``notebooks/`` folder, mapped by ``pyproject.toml``); in a source checkout they are read from
that folder directly. A notebook runs in a fresh kernel of the current Python interpreter,
with its parameters injected as papermill does, and is rendered as a self-contained HTML
page. :mod:`lawgovkit.notebook_report` puts the pages together into a report.
"""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

from lawgovkit.errors import LawgovkitError, MissingExtraError, NotebookError
from lawgovkit.webfont import embed_cjk_font

#: The tag of the cell :func:`inject_parameters` adds (papermill's name for it).
INJECTED_TAG = "injected-parameters"

__all__ = [
    "accepted_parameters",
    "drop_stderr",
    "find_notebooks",
    "inject_parameters",
    "notebook_html",
    "notebook_title",
    "run_notebook",
]


def find_notebooks(directory: str | Path | None = None) -> list[Path]:
    """The analysis notebooks, in their numbered order.

    Parameters
    ----------
    directory : str or Path, optional
        A folder of ``.ipynb`` files to use instead of the ones shipped with lawgovkit.

    Returns
    -------
    list of Path
        The notebooks sorted by file name (``01_…``, ``02_…``). Checkpoint copies
        (``.ipynb_checkpoints``) and hidden files are left out.

    Raises
    ------
    LawgovkitError
        When the folder does not exist or holds no notebook.

    Examples
    --------
    >>> [p.name for p in find_notebooks()][:1]  # doctest: +SKIP
    ['01_corpus_overview.ipynb']
    """
    if directory is not None:
        folder = Path(directory)
        if not folder.is_dir():
            raise LawgovkitError("notebook folder not found", path=folder)
        candidates = [folder]
    else:
        candidates = _shipped_notebook_folders()
    for folder in candidates:
        notebooks = sorted(
            p for p in folder.glob("*.ipynb") if p.is_file() and not p.name.startswith(".")
        )
        if notebooks:
            return notebooks
    where = ", ".join(str(p) for p in candidates) or "the lawgovkit package"
    raise LawgovkitError(f"no analysis notebooks (*.ipynb) found in {where}")


def _shipped_notebook_folders() -> list[Path]:
    """Where the notebooks live: inside an installed wheel, else in the source checkout."""
    folders = []
    installed = Path(str(resources.files("lawgovkit") / "notebooks"))
    if installed.is_dir():
        folders.append(installed)
    # A checkout (plain or `pip install -e .`): the repository's top-level notebooks/ folder.
    # Only trusted when the folder above the package is lawgovkit's own project root.
    root = Path(__file__).resolve().parent.parent
    pyproject = root / "pyproject.toml"
    if (
        (root / "notebooks").is_dir()
        and pyproject.is_file()
        and 'name = "lawgovkit"' in pyproject.read_text(encoding="utf-8")
    ):
        folders.append(root / "notebooks")
    return folders


def inject_parameters(notebook: Any, parameters: dict[str, Any]) -> Any:
    """A copy of ``notebook`` with a cell assigning ``parameters`` after its parameters cell.

    As papermill does: the new code cell is tagged ``injected-parameters`` and placed right
    after the first cell tagged ``parameters`` (at the top when there is none), so the
    notebook's defaults stay visible and are overridden.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_code_cell('CORPUS = "../seeds"', metadata={"tags": ["parameters"]}),
    ...     nbformat.v4.new_code_cell("print(CORPUS)")])
    >>> print(inject_parameters(nb, {"CORPUS": "报告"}).cells[1].source)
    # Parameters injected by `lawgovkit report`
    CORPUS = '报告'
    """
    import nbformat

    result = nbformat.from_dict(notebook)
    lines = ["# Parameters injected by `lawgovkit report`"]
    lines += [f"{name} = {value!r}" for name, value in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [INJECTED_TAG]})
    tagged = [
        i
        for i, c in enumerate(result.cells)
        if "parameters" in c.get("metadata", {}).get("tags", [])
    ]
    position = tagged[0] + 1 if tagged else 0
    result.cells.insert(position, cell)
    return result


def run_notebook(
    notebook: Any,
    *,
    cwd: str | Path,
    name: str = "notebook",
    timeout: int = 600,
    env: dict[str, str] | None = None,
) -> Any:
    """Execute ``notebook`` in a fresh kernel of the current Python interpreter.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The notebook, parameters already injected.
    cwd : str or Path
        The kernel's working folder.
    name : str
        The notebook's name, used in error messages.
    timeout : int
        Seconds one cell may run before the run fails.
    env : dict, optional
        More environment variables for the kernel (e.g. where the report folder is).

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook (a copy; the input is left as it was).

    Raises
    ------
    NotebookError
        When a cell raises, times out, or the kernel dies: the message names the
        notebook, the cell and the error.
    """
    nbclient = _require("nbclient", "notebooks")
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    executed = nbformat.from_dict(notebook)
    client = nbclient.NotebookClient(
        executed,
        timeout=timeout,
        kernel_manager_class=_this_interpreter_kernel(),
        resources={"metadata": {"path": str(cwd)}},
    )
    try:
        client.execute(env={**_kernel_environment(), **(env or {})})
    except CellExecutionError as error:
        message = f"{_failed_cell(executed)} failed: {error.ename}: {error.evalue}"
        raise NotebookError(message, path=name) from error
    except CellTimeoutError as error:
        raise NotebookError(f"a cell ran longer than {timeout} s", path=name) from error
    except DeadKernelError as error:
        raise NotebookError("the Python kernel died while running it", path=name) from error
    return executed


def _failed_cell(notebook: Any) -> str:
    """Which cell failed: its number in the notebook as written (injected cells not counted)
    and its first line, e.g. ``cell 3 (`1 / 0`)``."""
    cells = [c for c in notebook.cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    for number, cell in enumerate(cells, start=1):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
            first = first if len(first) <= 60 else first[:59] + "…"
            return f"cell {number} (`{first}`)"
    return "a cell"


def _this_interpreter_kernel() -> type:
    """A kernel manager class that always starts an ipykernel of ``sys.executable``.

    Kernel specs installed elsewhere (``~/.local/share/jupyter/kernels``) may point at
    another Python; the report must run the notebooks with the lawgovkit that runs it.
    When both ends support it, the kernel's connection is encrypted (CurveZMQ).
    """
    _require("ipykernel", "notebooks")
    import zmq
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ThisInterpreterSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return KernelSpec(**get_kernel_dict())

    members: dict[str, Any] = {
        "_kernel_spec_manager_default": default("kernel_spec_manager")(
            lambda self: ThisInterpreterSpecs(parent=self)
        )
    }
    if "transport_encryption" in AsyncKernelManager.class_trait_names() and zmq.has("curve"):
        members["_transport_encryption_default"] = default("transport_encryption")(
            lambda self: "auto"
        )
    return type("ThisInterpreterKernel", (AsyncKernelManager,), members)


def _kernel_environment() -> dict[str, str]:
    """The kernel's environment: ours, with this lawgovkit importable when run from a checkout."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    if root not in {os.path.abspath(p) for p in _site_packages()}:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    # Figures must show inline whatever the caller's shell sets (MPLBACKEND=Agg is common).
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    return env


def _site_packages() -> list[str]:
    import site

    return [*site.getsitepackages(), site.getusersitepackages()]


def notebook_title(notebook: Any, default: str) -> str:
    """The text of the notebook's first Markdown heading, or ``default``.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 报告概览\\n问题")])
    >>> notebook_title(nb, "01")
    '报告概览'
    """
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip() or default
    return default


def notebook_html(notebook: Any, title: str, show_code: bool = True) -> str:
    """A self-contained HTML page of an executed notebook (images inline, no remote scripts,
    the CJK characters it uses embedded as a font subset: :mod:`lawgovkit.webfont`).

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook.
    title : str
        The page title.
    show_code : bool
        Keep the code cells; False shows only the prose and the outputs, without prompts.

    In the tables, text columns are aligned left and columns of numbers right.
    """
    _require("nbconvert", "notebooks")
    import jinja2
    from nbconvert import HTMLExporter

    template = (
        "{%- extends 'lab/index.html.j2' -%}\n"
        "{%- block html_head_js -%}{%- endblock html_head_js -%}\n"
        "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}\n"
        "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
    )
    exporter = HTMLExporter(
        extra_loaders=[jinja2.DictLoader({"lawgovkit_page.html.j2": template})],
        template_file="lawgovkit_page.html.j2",
        embed_images=True,
        language_code="zh",
        exclude_anchor_links=True,
        exclude_input=not show_code,
        exclude_input_prompt=not show_code,
        exclude_output_prompt=not show_code,
    )
    page, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    return embed_cjk_font(align_table_columns(page))


#: A cell of numbers: digits with signs, separators, a decimal point, a percent sign, or
#: the mark of a missing value.
_NUMBER = re.compile(r"^\s*(?:[-+−]?[\d,]*\.?\d+(?:e[-+]?\d+)?\s*%?|—|)\s*$", re.I)
_TABLE_STYLE = """<style>
.jp-RenderedHTMLCommon table.dataframe td, .jp-RenderedHTMLCommon table.dataframe th
  { text-align: left; vertical-align: top; }
.jp-RenderedHTMLCommon table.dataframe td.lgk-number,
.jp-RenderedHTMLCommon table.dataframe th.lgk-number { text-align: right; }
</style>
"""


def align_table_columns(page: str) -> str:
    """Mark the columns of numbers in each pandas table of ``page`` (class ``lgk-number``,
    right-aligned) and align every other column left.

    Examples
    --------
    >>> page = ("<head></head><table class='dataframe'><thead><tr><th>地区</th><th>n</th></tr>"
    ...         "</thead><tbody><tr><td>江夏区</td><td>3</td></tr></tbody></table>")
    >>> 'class="lgk-number">3<' in align_table_columns(page)
    True
    """
    from bs4 import BeautifulSoup

    if "dataframe" not in page:
        return page
    soup = BeautifulSoup(page, "html.parser")
    for table in soup.select("table.dataframe"):
        rows = [row.find_all(["td", "th"]) for row in table.select("tbody tr")]
        if not rows:
            continue
        width = max(len(r) for r in rows)
        numeric = []
        for j in range(width):
            cells = [r[j] for r in rows if j < len(r) and r[j].name == "td"]
            numeric.append(bool(cells) and all(_NUMBER.match(c.get_text()) for c in cells))
        header_rows = [row.find_all(["td", "th"]) for row in table.select("thead tr")]
        for row in rows + header_rows:
            offset = width - len(row)
            for j, cell in enumerate(row):
                if numeric[j + offset] and not (row in rows and cell.name == "th"):
                    cell["class"] = [*cell.get("class", []), "lgk-number"]
    if soup.head is not None:
        soup.head.append(BeautifulSoup(_TABLE_STYLE, "html.parser"))
    return str(soup)


def _require(module: str, extra: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise MissingExtraError(
            f"running the notebooks needs {module}: pip install 'lawgovkit[{extra}]'"
        ) from error


def accepted_parameters(notebook: Any, parameters: dict[str, Any]) -> dict[str, Any]:
    """The parameters the notebook's parameters cell names (CORPUS always): a notebook
    that knows no ``INCLUDE_ALL`` is not handed one."""
    cell = next(
        (c for c in notebook.cells if "parameters" in c.get("metadata", {}).get("tags", [])),
        None,
    )
    names = set(re.findall(r"^\s*([A-Z_][A-Z0-9_]*)\s*=", cell.source, re.M)) if cell else set()
    return {k: v for k, v in parameters.items() if k == "CORPUS" or k in names}


def drop_stderr(notebook: Any) -> int:
    """Take the standard-error outputs (warnings, progress bars) out of an executed
    notebook, in place; return how many lines were taken out."""
    lines = 0
    for cell in notebook.cells:
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                lines += len(str(output.get("text", "")).splitlines())
            else:
                kept.append(output)
        if "outputs" in cell:
            cell["outputs"] = kept
    return lines
