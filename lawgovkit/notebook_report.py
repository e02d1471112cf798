"""The main job: run the analysis notebooks on a corpus and write a browsable report folder.

:func:`write_report` loads the corpus once (so ``errors="skip"`` applies to everything),
writes its tables as CSV, executes every analysis notebook with the corpus injected as a
parameter (as papermill does: a cell tagged ``injected-parameters`` after the one tagged
``parameters``), converts each executed notebook to a self-contained HTML page and writes an
``index.html`` linking them (running one notebook: :mod:`lawgovkit.notebook_run`).
Everything is written into a temporary folder beside the output folder and renamed into
place at the end, so a failure never leaves a half-written report.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lawgovkit._spreadsheet import spreadsheet_safe
from lawgovkit.errors import LawgovkitError, NoReportsError
from lawgovkit.notebook_run import (
    find_notebooks,
    inject_parameters,
    notebook_html,
    notebook_title,
    run_notebook,
)
from lawgovkit.webfont import embed_cjk_font

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from lawgovkit.corpus import Corpus

__all__ = [
    "INDEX_COLUMNS",
    "NotebookPage",
    "corpus_parameter",
    "index_html",
    "kernel_folder",
    "write_report",
    "write_tables",
]

#: Marks an ``index.html`` as ours: only such a folder (or an empty one) is ever replaced.
GENERATOR = "lawgovkit report"
#: Columns of ``corpus.reports`` shown in the summary table of ``index.html``, in order.
INDEX_COLUMNS = (
    "title",
    "jurisdiction",
    "province",
    "city",
    "level",
    "body",
    "report_year",
    "plan_year",
    "publish_date",
    "n_chars",
)
#: The tables written as CSV (file stem -> Corpus attribute); ``similarity.csv``,
#: ``passages.csv`` and ``reuse.csv`` are added.
CORPUS_TABLES = ("reports", "sections", "problems", "plans", "claims")
#: Tables over time (file stem -> function of the corpus in the ``lawgovkit`` namespace).
PANEL_TABLES = ("panel", "recurring_problems", "plans_followed", "timeliness")
#: The CSV files are UTF-8 with a byte-order mark, so spreadsheet programs show the Chinese.
CSV_ENCODING = "utf-8-sig"


@dataclass(frozen=True)
class NotebookPage:
    """One executed notebook in the report: its source file, HTML page and title."""

    source: Path
    page: str
    title: str


def corpus_parameter(paths: Sequence[str | Path], cwd: str | Path) -> str | list[str]:
    """The value given to a notebook's ``CORPUS``: the paths relative to the kernel's folder.

    Relative paths keep the machine's folder names out of the report pages. One path is
    given as a string (as in the notebooks' default ``CORPUS = "../seeds"``), several as a
    list.

    Examples
    --------
    >>> corpus_parameter(["/data/reports"], "/data")
    'reports'
    >>> corpus_parameter(["/data/a/x.txt", "/data/b/y.txt"], "/data")
    ['a/x.txt', 'b/y.txt']
    """
    base = os.path.abspath(cwd)
    relative = [Path(os.path.relpath(os.path.abspath(p), base)).as_posix() for p in paths]
    return relative[0] if len(relative) == 1 else relative


def kernel_folder(paths: Sequence[str | Path]) -> Path:
    """The folder the notebooks run in: the deepest folder holding every input path.

    Examples
    --------
    >>> kernel_folder(["/data/reports"]).as_posix()
    '/data'
    >>> kernel_folder(["/data/a/x.txt", "/data/b/y.txt"]).as_posix()
    '/data'
    """
    parents = [os.path.dirname(os.path.abspath(p)) for p in paths]
    return Path(os.path.commonpath(parents))


def write_tables(corpus: Corpus, folder: Path, *, raw_csv: bool = False) -> dict[str, int]:
    """Write the corpus tables and the report similarity matrix as CSV files in ``folder``.

    Text cells a spreadsheet would run as formulas begin with an apostrophe unless
    ``raw_csv`` (see :mod:`lawgovkit._spreadsheet`).

    Returns
    -------
    dict
        File name -> number of rows, in the order written.
    """
    import lawgovkit as lgk

    tables: dict[str, pd.DataFrame] = {name: getattr(corpus, name) for name in CORPUS_TABLES}
    tables["similarity"] = lgk.similarity_matrix(corpus, unit="report")
    tables.update({name: getattr(lgk, name)(corpus) for name in PANEL_TABLES})
    tables["indicators"] = lgk.indicator_table(corpus)
    tables["passages"] = lgk.shared_passages(corpus)  # notebook 05
    tables["reuse"] = lgk.reuse_summary(corpus)
    written = {}
    for name, table in tables.items():
        keep_index = name in {"reports", "similarity", "indicators"}
        shown = table if raw_csv else spreadsheet_safe(table)
        shown.to_csv(folder / f"{name}.csv", index=keep_index, encoding=CSV_ENCODING)
        written[f"{name}.csv"] = len(table)
    return written


def index_html(
    corpus: Corpus,
    pages: Sequence[NotebookPage],
    tables: dict[str, int],
    corpus_label: str,
) -> str:
    """The report's front page: the corpus table, links to the notebook pages and CSV files."""
    import lawgovkit

    reports = corpus.reports
    summary = reports[[c for c in INDEX_COLUMNS if c in reports.columns]].copy()
    for role in ("problems", "plans"):
        counts = getattr(corpus, role).groupby("report_id").size()
        summary[role] = counts.reindex(summary.index, fill_value=0).astype(int)
    summary.index.name = "id"
    table = _missing_as_dash(summary.reset_index()).to_html(
        index=False, escape=True, border=0, classes="reports"
    )
    notebook_items = "\n".join(
        f'<li><a href="{html.escape(p.page)}">{html.escape(p.title)}</a></li>' for p in pages
    )
    table_items = "\n".join(
        f'<li><a href="{html.escape(name)}">{html.escape(name)}</a> ({rows} rows)</li>'
        for name, rows in tables.items()
    )
    skipped = _skipped_html(getattr(corpus, "skipped", None))
    return embed_cjk_font(
        INDEX_TEMPLATE.format(
            generator=GENERATOR,
            n=len(reports),
            corpus=html.escape(corpus_label),
            table=table,
            notebooks=notebook_items,
            tables=table_items,
            skipped=skipped,
            version=html.escape(lawgovkit.__version__),
        )
    )


def _missing_as_dash(table: pd.DataFrame) -> pd.DataFrame:
    """Missing values (None, NaN, NaT, NA) shown as a dash (the report does not say), dates
    without a time of day as dates."""
    import pandas as pd

    def shown(value: Any) -> Any:
        missing = value is None or (pd.api.types.is_scalar(value) and pd.isna(value))
        if missing:
            return "—"
        if isinstance(value, pd.Timestamp) and value == value.normalize():
            return value.date().isoformat()
        return value

    return table.astype(object).apply(lambda column: column.map(shown))


def _skipped_html(skipped: pd.DataFrame | None) -> str:
    if skipped is None or len(skipped) == 0:
        return ""
    rows = "\n".join(
        f"<li>{html.escape(Path(str(row.get('path', ''))).name)}: "
        f"{html.escape(str(row.get('message', '')))}</li>"
        for row in skipped.to_dict("records")
    )
    return f"<h2>Files left out</h2>\n<ul>\n{rows}\n</ul>"


INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="generator" content="{generator}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>法治政府建设年度报告比较 · lawgovkit report</title>
<style>
body {{ font-family: "lawgovkit CJK", "Noto Sans CJK SC", "Source Han Sans SC",
  "PingFang SC", "Microsoft YaHei", sans-serif;
  margin: 2em auto; max-width: 75em; padding: 0 1em; }}
table.reports {{ border-collapse: collapse; font-size: 0.9em; }}
table.reports th, table.reports td {{ border-bottom: 1px solid #ddd; padding: 0.3em 0.6em;
  text-align: left; vertical-align: top; }}
</style>
</head>
<body>
<h1>法治政府建设年度报告比较</h1>
<p>{n} reports from <code>{corpus}</code>, analysed by lawgovkit {version}.</p>
<h2>Reports</h2>
{table}
<h2>Analyses</h2>
<ul>
{notebooks}
</ul>
<h2>Tables (CSV, UTF-8)</h2>
<ul>
{tables}
</ul>
{skipped}
</body>
</html>
"""


def write_report(
    paths: Sequence[str | Path],
    out: str | Path,
    *,
    errors: str = "raise",
    notebooks: str | Path | None = None,
    timeout: int = 600,
    progress: Callable[[str], None] | None = None,
    raw_csv: bool = False,
) -> Path:
    """Run the analysis notebooks on a corpus and write the report folder ``out``.

    Parameters
    ----------
    paths : sequence of str or Path
        Report files and folders of reports, as given to :func:`lawgovkit.load_corpus`.
    out : str or Path
        The folder to write: ``index.html``, one HTML page per notebook, and
        ``reports.csv``, ``sections.csv``, ``problems.csv``, ``plans.csv``,
        ``claims.csv``, ``similarity.csv``, ``panel.csv``, ``recurring_problems.csv``,
        ``plans_followed.csv``, ``timeliness.csv``, ``indicators.csv``, ``passages.csv``,
        ``reuse.csv``. An existing report folder there is replaced, only on success.
    errors : {"raise", "warn", "skip"}
        What to do with a file that cannot be read (see :func:`lawgovkit.load_corpus`);
        the notebooks then run on the files that loaded.
    notebooks : str or Path, optional
        A folder of notebooks to run instead of the ones shipped with lawgovkit.
    timeout : int
        Seconds one notebook cell may run.
    progress : callable, optional
        Called with one line of text per step (e.g. ``print`` to stderr).
    raw_csv : bool
        Write CSV text cells as they are, even those a spreadsheet would run as formulas
        (by default they begin with an apostrophe; see :mod:`lawgovkit._spreadsheet`).

    Returns
    -------
    Path
        The report folder.

    Raises
    ------
    LawgovkitError
        On unreadable input (with ``errors="raise"``), a notebook that fails, or an ``out``
        that exists and is not a report folder; ``out`` is then left as it was.

    Examples
    --------
    >>> write_report(["seeds"], "build/report")  # doctest: +SKIP
    PosixPath('build/report')
    """
    import lawgovkit as lgk

    say = progress or (lambda line: None)
    out = Path(out)
    _check_outside_inputs(out, paths)
    _check_replaceable(out)
    sources = find_notebooks(notebooks)
    say(f"loading {len(paths)} path(s)")
    corpus = lgk.load_corpus(_corpus_source(paths), errors=errors)
    if len(corpus) == 0:
        raise NoReportsError("no readable report", path=", ".join(map(str, paths)))
    for row in corpus.skipped.to_dict("records"):
        path, message = str(row["path"]), " ".join(str(row["message"]).split())
        say(f"skipped {message if path in message else f'{path}: {message}'}")
    inputs = _loaded_paths(corpus, paths)
    cwd = kernel_folder(inputs)
    parameter = corpus_parameter(inputs, cwd)
    label = parameter if isinstance(parameter, str) else f"{len(parameter)} files"

    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    work.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the report is an ordinary folder
    try:
        tables = write_tables(corpus, work, raw_csv=raw_csv)
        pages = []
        for number, source in enumerate(sources, start=1):
            say(f"[{number}/{len(sources)}] running {source.name}")
            pages.append(_render(source, work, {"CORPUS": parameter}, cwd, timeout))
        (work / "index.html").write_text(index_html(corpus, pages, tables, label), encoding="utf-8")
        _replace(out, work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    say(f"wrote {out / 'index.html'}")
    return out


def _corpus_source(paths: Sequence[str | Path]) -> Any:
    return str(paths[0]) if len(paths) == 1 else [str(p) for p in paths]


def _loaded_paths(corpus: Corpus, paths: Sequence[str | Path]) -> list[str]:
    """The inputs the notebooks get: as given, or only the loaded files when some were left out."""
    skipped = getattr(corpus, "skipped", None)
    if skipped is None or len(skipped) == 0:
        return [str(p) for p in paths]
    return sorted(str(p) for p in corpus.reports["path"])


def _render(
    source: Path, folder: Path, parameters: dict[str, Any], cwd: Path, timeout: int
) -> NotebookPage:
    import nbformat

    notebook = nbformat.read(source, as_version=4)
    executed = run_notebook(
        inject_parameters(notebook, parameters), cwd=cwd, name=source.name, timeout=timeout
    )
    title = notebook_title(executed, source.stem)
    page = f"{source.stem}.html"
    (folder / page).write_text(notebook_html(executed, title), encoding="utf-8")
    return NotebookPage(source=source, page=page, title=title)


def _check_outside_inputs(out: Path, paths: Sequence[str | Path]) -> None:
    """Refuse an output folder inside an input folder: the next run would read the pages."""
    target = Path(os.path.abspath(out))
    for path in paths:
        folder = Path(os.path.abspath(path))
        if folder.is_dir() and (target == folder or folder in target.parents):
            raise LawgovkitError(
                f"the output folder is inside the corpus folder {path}; choose another place",
                path=out,
            )


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _check_replaceable(out: Path) -> None:
    """Refuse to replace anything but an empty folder or an earlier report."""
    if not out.exists():
        return
    if not out.is_dir():
        raise LawgovkitError("exists and is not a folder; not replacing it", path=out)
    if not any(out.iterdir()):
        return
    index = out / "index.html"
    marker = f'<meta name="generator" content="{GENERATOR}">'
    if not (index.is_file() and marker in index.read_text(encoding="utf-8", errors="replace")):
        raise LawgovkitError(
            "exists and is not a lawgovkit report folder; not replacing it", path=out
        )


def _replace(out: Path, work: Path) -> None:
    """Move the finished ``work`` folder to ``out``, replacing an earlier report there."""
    _check_replaceable(out)
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
        old.rmdir()
        out.rename(old)
        try:
            work.rename(out)
        except OSError:
            old.rename(out)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        work.rename(out)
