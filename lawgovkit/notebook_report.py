"""The main job: run the analysis notebooks on a corpus and write a browsable report folder.

:func:`write_report` loads the corpus once (so ``errors="skip"`` applies to everything),
writes its tables as CSV, executes every analysis notebook with the corpus injected as a
parameter (as papermill does: a cell tagged ``injected-parameters`` after the one tagged
``parameters``), converts each executed notebook to a self-contained HTML page and writes an
``index.html`` linking them (running one notebook: :mod:`lawgovkit.notebook_run`).
Written in a temporary folder beside the output folder, renamed into place at the end.
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

from lawgovkit.errors import LawgovkitError, NoReportsError
from lawgovkit.notebook_run import (
    accepted_parameters,
    drop_stderr,
    find_notebooks,
    inject_parameters,
    notebook_html,
    notebook_title,
    run_notebook,
)
from lawgovkit.notebook_setup import (
    FORMATS_VARIABLE,
    RAW_CSV_VARIABLE,
    REPORT_DIR_VARIABLE,
    analysed_corpus,
    doubtful_inputs,
    export_table,
    has_reports,
    is_dataset,
    load_corpus_or_dataset,
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
#: The corpus tables the report writes itself (the notebooks add their result tables).
CORPUS_TABLES = ("reports", "sections", "problems", "plans", "claims")
#: Tables over time (file stem -> function of the corpus in the ``lawgovkit`` namespace).
PANEL_TABLES = ("panel", "recurring_problems", "plans_followed", "timeliness")
#: The order tables are listed in on the index page (others follow by name).
TABLE_ORDER = (
    "inputs_flagged",
    "reports",
    "sections",
    "problems",
    "plans",
    "theme_coverage",
    "framing",
    "candour",
    "plan_response",
    "distinctive_terms",
    "similarity",
    "closest_pairs",
    "claims",
    "panel",
    "recurring_problems",
    "plans_followed",
    "timeliness",
    "timeliness_summary",
    "indicators",
    "passages",
    "reuse",
    "reuse_matrix",
)
#: The tables that need report objects: not written from a Parquet dataset (tables only).
NEEDS_REPORTS = ("claims", "indicators", "passages", "reuse", "reuse_matrix")
#: Table formats: always CSV and Parquet; ``dta`` (Stata) when asked.
FORMATS = ("csv", "parquet")


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


def write_tables(
    corpus: Corpus,
    folder: Path,
    doubtful: pd.DataFrame | None = None,
    formats: Sequence[str] = FORMATS,
    *,
    raw_csv: bool = False,
) -> dict[str, int]:
    """Write the corpus tables (and the flagged inputs) into ``folder/tables``.

    Each table is written in every format of ``formats`` (:func:`export_table`); the
    reports table keeps its id index as the column ``id``. Besides the corpus tables: the
    report similarity matrix, the tables over time (notebook 06) and of text reuse
    (notebook 05), so a report holds them whichever notebooks run. A corpus of tables read
    from a Parquet dataset has no report objects: the tables of :data:`NEEDS_REPORTS` are
    not written from it.

    Text cells a spreadsheet would run as formulas begin with an apostrophe unless
    ``raw_csv`` (see :mod:`lawgovkit._spreadsheet`).

    Returns
    -------
    dict
        Table name -> number of rows, in the order written.
    """
    import lawgovkit as lgk

    tables: dict[str, pd.DataFrame] = {}
    if doubtful is not None:
        tables["inputs_flagged"] = doubtful
    tables.update({n: getattr(corpus, n) for n in CORPUS_TABLES if hasattr(corpus, n)})
    tables["similarity"] = lgk.similarity_matrix(corpus, unit="report")
    tables.update({name: getattr(lgk, name)(corpus) for name in PANEL_TABLES})
    if has_reports(corpus):
        tables["indicators"] = lgk.indicator_table(corpus)
        tables["passages"] = lgk.shared_passages(corpus)  # notebook 05
        tables["reuse"] = lgk.reuse_summary(corpus)
    for name, table in tables.items():
        export_table(table, folder / "tables", name, formats, raw_csv=raw_csv)
    return {name: len(table) for name, table in tables.items()}


def table_files(folder: Path) -> dict[str, tuple[int, list[str]]]:
    """The tables in ``folder/tables``: name -> (rows, file names), in :data:`TABLE_ORDER`."""
    import pyarrow.parquet as pq

    found = {}
    for parquet in sorted((folder / "tables").glob("*.parquet")):
        files = sorted(p.name for p in parquet.parent.glob(f"{parquet.stem}.*"))
        found[parquet.stem] = (pq.ParquetFile(parquet).metadata.num_rows, files)
    rank = {name: i for i, name in enumerate(TABLE_ORDER)}
    return dict(sorted(found.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))


def index_html(
    corpus: Corpus,
    pages: Sequence[NotebookPage],
    tables: dict[str, tuple[int, list[str]]],
    corpus_label: str,
    *,
    doubtful: pd.DataFrame | None = None,
    include_all: bool = False,
    figures: Sequence[str] = (),
    not_written: Sequence[str] = (),
) -> str:
    """The report's front page: the reports analysed, the flagged inputs with the reason,
    links to the notebook pages, the tables (with their row counts; ``not_written`` named as
    tables a corpus read from a Parquet dataset cannot give) and the figures."""
    import lawgovkit

    analysed = analysed_corpus(corpus, include_all)
    reports = analysed.reports
    summary = reports[[c for c in INDEX_COLUMNS if c in reports.columns]].copy()
    for role in ("problems", "plans"):
        counts = getattr(analysed, role).groupby("report_id").size()
        summary[role] = counts.reindex(summary.index, fill_value=0).astype(int)
    summary.index.name = "id"
    table = _missing_as_dash(summary.reset_index()).to_html(
        index=False, escape=True, border=0, classes="reports"
    )
    notebook_items = "\n".join(
        f'<li><a href="{html.escape(p.page)}">{html.escape(p.title)}</a></li>' for p in pages
    )
    table_items = "\n".join(
        f"<li>{html.escape(name)} ({rows} {'row' if rows == 1 else 'rows'}): "
        + " · ".join(f'<a href="tables/{html.escape(f)}">{html.escape(f)}</a>' for f in files)
        + "</li>"
        for name, (rows, files) in tables.items()
    )
    figure_items = "\n".join(
        f'<li><a href="figures/{html.escape(f)}">{html.escape(f)}</a></li>' for f in figures
    )
    n_loaded = len(corpus)
    if include_all:
        scope = (
            f"All {n_loaded} reports read are analysed, the flagged ones included "
            "(<code>--include-all</code>)."
        )
    else:
        scope = (
            f"{len(reports)} of the {n_loaded} reports read are analysed: copies and texts "
            "that are not reports of the genre are left out (<code>--include-all</code> "
            "keeps them)."
        )
    if not_written:
        scope += (
            " The corpus was read from a Parquet dataset of tables, which keeps no report "
            "objects: the tables "
            + ", ".join(html.escape(name) for name in not_written)
            + " are not written (<code>lawgovkit report</code> on the report files gives them)."
        )
    return embed_cjk_font(
        INDEX_TEMPLATE.format(
            generator=GENERATOR,
            n=len(reports),
            corpus=html.escape(corpus_label),
            scope=scope,
            flagged=_flagged_html(doubtful),
            table=table,
            notebooks=notebook_items,
            tables=table_items or "<li>none</li>",
            figures=figure_items or "<li>none</li>",
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


def _flagged_html(doubtful: pd.DataFrame | None) -> str:
    import pandas as pd

    if doubtful is None or len(doubtful) == 0:
        return (
            "<p>No input was flagged: every file was read, none is a copy of another, "
            "and every one reads like a report of the genre.</p>"
        )
    rows = "\n".join(
        f"<tr><td>{html.escape(str(row['file']))}</td>"
        f"<td>{html.escape('—' if pd.isna(row['id']) else str(row['id']))}</td>"
        f"<td>{html.escape(str(row['reason']))}</td>"
        f"<td>{'yes' if row['analysed'] else 'no'}</td></tr>"
        for row in doubtful.to_dict("records")
    )
    return (
        '<table class="reports"><thead><tr><th>file</th><th>id</th><th>reason</th>'
        f"<th>analysed</th></tr></thead>\n<tbody>\n{rows}\n</tbody></table>"
    )


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
table.reports td:nth-child(2) {{ min-width: 16em; }}
code {{ font-family: "lawgovkit CJK", monospace; }}
</style>
</head>
<body>
<h1>法治政府建设年度报告比较</h1>
<p>{n} reports from <code>{corpus}</code>, analysed by lawgovkit {version}. {scope}</p>
<h2>Inputs flagged</h2>
{flagged}
<h2>Reports analysed</h2>
{table}
<h2>Analyses</h2>
<ul>
{notebooks}
</ul>
<h2>Tables (CSV in UTF-8 with BOM, Parquet, and Stata when asked)</h2>
<ul>
{tables}
</ul>
<h2>Figures (PNG at 300 dpi, SVG)</h2>
<ul>
{figures}
</ul>
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
    include_all: bool = False,
    show_code: bool = False,
    stata: bool = False,
    keep_notebooks: bool = False,
    raw_csv: bool = False,
) -> Path:
    """Run the analysis notebooks on a corpus and write the report folder ``out``.

    Parameters
    ----------
    paths : sequence of str or Path
        Report files and folders of reports, as given to :func:`lawgovkit.load_corpus`, or
        the folder of a Parquet dataset written by ``lawgovkit export`` (read as a corpus of
        tables; the parts that need report objects say so on the pages, and the tables of
        :data:`NEEDS_REPORTS` are not written).
    out : str or Path
        The folder to write: ``index.html``, one HTML page per notebook, ``tables/`` (every
        table as CSV and Parquet: the corpus tables, the flagged inputs, and each result
        table a notebook exports) and ``figures/`` (each figure as PNG at 300 dpi and SVG).
        An existing report folder there is replaced, only on success.
    errors : {"raise", "warn", "skip"}
        What to do with a file that cannot be read (see :func:`lawgovkit.load_corpus`);
        the notebooks then run on the files that loaded and list the others.
    notebooks : str or Path, optional
        A folder of notebooks to run instead of the ones shipped with lawgovkit.
    timeout : int
        Seconds one notebook cell may run.
    progress : callable, optional
        Called with one line of text per step (e.g. ``print`` to stderr).
    include_all : bool
        Keep copies and texts that are not reports of the genre in the analyses (by
        default each report counts once and non-reports are left out; both are listed).
    show_code : bool
        Keep the code cells on the pages (hidden by default).
    stata : bool
        Also write every table as a Stata file (``.dta``).
    keep_notebooks : bool
        Also keep the executed notebooks, in ``notebooks/`` of the report folder.
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
    say = progress or (lambda line: None)
    out = Path(out)
    _check_outside_inputs(out, paths)
    _check_replaceable(out)
    sources = find_notebooks(notebooks)
    say(f"loading {len(paths)} path(s)")
    corpus = load_corpus_or_dataset(_corpus_source(paths), errors=errors, progress=False)
    if len(corpus) == 0:
        raise NoReportsError("no readable report", path=", ".join(map(str, paths)))
    doubtful = doubtful_inputs(corpus, include_all)
    for row in doubtful.to_dict("records"):
        say(f"flagged {row['file']}: {row['reason']}")
    analysed = analysed_corpus(corpus, include_all)
    if len(analysed) == 0:
        raise NoReportsError(
            "no file reads like a report of the genre (--include-all analyses them anyway)",
            path=", ".join(map(str, paths)),
        )
    inputs = [str(p) for p in paths]
    cwd = kernel_folder(inputs)
    parameter = corpus_parameter(inputs, cwd)
    label = parameter if isinstance(parameter, str) else f"{len(parameter)} files"
    # A notebook that takes ERRORS loads the inputs as given and lists what it skips; one
    # that does not is given only the files that loaded.
    parameters = {"CORPUS": parameter, "INCLUDE_ALL": include_all, "ERRORS": errors}
    loaded_only = {"CORPUS": corpus_parameter(_loaded_paths(corpus, paths), cwd)}
    formats = (*FORMATS, "dta") if stata else FORMATS

    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    work.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the report is an ordinary folder
    environment = {REPORT_DIR_VARIABLE: str(work), FORMATS_VARIABLE: ",".join(formats)}
    if raw_csv:
        environment[RAW_CSV_VARIABLE] = "1"
    try:
        write_tables(analysed, work, doubtful, formats, raw_csv=raw_csv)
        pages = []
        for number, source in enumerate(sources, start=1):
            say(f"[{number}/{len(sources)}] running {source.name}")
            pages.append(
                _render(
                    source,
                    work,
                    parameters,
                    loaded_only,
                    cwd,
                    timeout,
                    environment,
                    show_code,
                    say,
                    keep_notebooks,
                )
            )
        figures = (
            sorted(p.name for p in (work / "figures").glob("*"))
            if (work / "figures").is_dir()
            else []
        )
        page = index_html(
            corpus,
            pages,
            table_files(work),
            label,
            doubtful=doubtful,
            include_all=include_all,
            figures=figures,
            not_written=() if has_reports(corpus) else NEEDS_REPORTS,
        )
        (work / "index.html").write_text(page, encoding="utf-8")
        _replace(out, work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    say(f"wrote {out / 'index.html'}")
    return out


def _corpus_source(paths: Sequence[str | Path]) -> Any:
    return str(paths[0]) if len(paths) == 1 else [str(p) for p in paths]


def _loaded_paths(corpus: Corpus, paths: Sequence[str | Path]) -> list[str]:
    """The inputs as given, or only the loaded files when some were left out."""
    skipped = getattr(corpus, "skipped", None)
    if skipped is None or len(skipped) == 0 or is_dataset(paths):
        return [str(p) for p in paths]
    return sorted(str(p) for p in corpus.reports["path"])


def _render(
    source: Path,
    folder: Path,
    parameters: dict[str, Any],
    loaded_only: dict[str, Any],
    cwd: Path,
    timeout: int,
    environment: dict[str, str],
    show_code: bool,
    say: Callable[[str], None],
    keep: bool = False,
) -> NotebookPage:
    import nbformat

    notebook = nbformat.read(source, as_version=4)
    accepted = accepted_parameters(notebook, parameters)
    if "ERRORS" not in accepted:
        accepted.update(loaded_only)
    executed = run_notebook(
        inject_parameters(notebook, accepted),
        cwd=cwd,
        name=source.name,
        timeout=timeout,
        env=environment,
    )
    if keep:
        (folder / "notebooks").mkdir(exist_ok=True)
        nbformat.write(executed, folder / "notebooks" / source.name)
    dropped = drop_stderr(executed)
    if dropped:
        say(f"{source.name}: {dropped} line(s) of warnings left off the page")
    title = notebook_title(executed, source.stem)
    page = f"{source.stem}.html"
    html_page = notebook_html(executed, title, show_code=show_code)
    (folder / page).write_text(html_page, encoding="utf-8")
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
