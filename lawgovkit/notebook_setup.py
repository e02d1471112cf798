"""What every analysis notebook does first: load the corpus, set doubtful inputs aside, and
prepare labels, tables and figures for a page.

A notebook's set-up is one line, ``study = start(CORPUS, include_all=INCLUDE_ALL)``. The
:class:`Study` it returns holds the loaded corpus and the one analysed (each report once,
non-reports left out unless ``include_all``), the doubtful inputs with the reason for each
(:func:`doubtful_inputs`), short display labels for the reports, and three helpers:
:meth:`Study.show` (a table for the page: one mark for a missing value, numbers rounded),
:meth:`Study.figure` (a caption line under the figure, and the figure saved as PNG and SVG
when the notebook runs inside ``lawgovkit report``) and :meth:`Study.export` (the table saved
as CSV and Parquet, and Stata when asked, in the same case).

``lawgovkit report`` tells the kernel where the report folder is through the environment
(:data:`REPORT_DIR_VARIABLE`, :data:`FORMATS_VARIABLE`), so no machine path is ever written
into a notebook or a page; run by hand, a notebook writes no file.
"""

from __future__ import annotations

import hashlib
import os
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

import pandas as pd

from lawgovkit import findings

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from lawgovkit.corpus import Corpus

__all__ = [
    "DOUBTFUL_COLUMNS",
    "FORMATS_VARIABLE",
    "MISSING",
    "RAW_CSV_VARIABLE",
    "REPORT_DIR_VARIABLE",
    "Study",
    "analysed_corpus",
    "corpus_name",
    "display_labels",
    "doubtful_inputs",
    "export_table",
    "has_reports",
    "is_dataset",
    "load_corpus_or_dataset",
    "load_options",
    "start",
]

#: The folder a notebook run by ``lawgovkit report`` writes its figures and tables into.
REPORT_DIR_VARIABLE = "LAWGOVKIT_REPORT_DIR"
#: The table formats it writes, comma-separated (csv, parquet, dta).
FORMATS_VARIABLE = "LAWGOVKIT_REPORT_FORMATS"
#: Set to 1: CSV text cells written as they are, even those a spreadsheet would run.
RAW_CSV_VARIABLE = "LAWGOVKIT_RAW_CSV"
#: The one mark of a missing value (the report does not say) in every table on a page.
MISSING = "—"
#: Columns of :func:`doubtful_inputs`.
DOUBTFUL_COLUMNS = ("id", "file", "reason", "analysed")
#: CSV files are UTF-8 with a byte-order mark, so spreadsheet programs show the Chinese.
CSV_ENCODING = "utf-8-sig"
#: The genre the analyses are about (``corpus.reports["genre"]``, when the loader gives it).
GENRE = "rule_of_law_report"
DATASET_MARKER = "_lawgovkit.json"  # marks the folder of a dataset of ``lawgovkit export``
#: Why a part of a page cannot be computed on a corpus read from a Parquet dataset.
NO_REPORT_TEXTS = (
    "it was read from a Parquet dataset of tables, which keeps no report objects (run "
    "`lawgovkit report` on the report files for this part)"
)
#: Stata's longest fixed-width text (bytes); longer text is stored as strL.
_STATA_STR_MAX = 2045


def load_options(**load: Any) -> dict[str, Any]:
    """Options for :func:`lawgovkit.load_corpus` that keep every report read in the corpus:
    copies are loaded too (``duplicates="keep"``, marked in ``duplicate_of``, where the
    loader knows copies), so :func:`analysed_corpus` can leave them out, or keep them, and
    :func:`doubtful_inputs` can list them.

    Examples
    --------
    >>> load_options(errors="skip")["errors"]
    'skip'
    """
    import inspect

    from lawgovkit.corpus import load_corpus

    if "duplicates" in inspect.signature(load_corpus).parameters:
        load.setdefault("duplicates", "keep")
    return load


def is_dataset(source: Any) -> bool:
    """Whether ``source`` is the folder of a Parquet dataset written by ``lawgovkit export``
    (:func:`lawgovkit.parquet.to_parquet`): it holds ``_lawgovkit.json`` and ``reports/``.

    Examples
    --------
    >>> import tempfile
    >>> is_dataset(tempfile.mkdtemp()), is_dataset(["a.txt", "b.txt"])
    (False, False)
    """
    if isinstance(source, (list, tuple)) and len(source) == 1:
        source = source[0]
    if not isinstance(source, (str, os.PathLike)):
        return False
    path = Path(source)
    return (path / DATASET_MARKER).is_file() and (path / "reports").is_dir()


def has_reports(corpus: Any) -> bool:
    """Whether ``corpus`` holds report objects (a :class:`~lawgovkit.corpus.Corpus`), not
    only tables (a :class:`~lawgovkit.parquet.TableCorpus` read from a dataset)."""
    from lawgovkit.parquet import TableCorpus

    return not isinstance(corpus, TableCorpus)


def load_corpus_or_dataset(source: Any, **load: Any) -> Any:
    """The corpus of ``source``: a Parquet dataset folder read as a
    :class:`~lawgovkit.parquet.TableCorpus`, anything else loaded with
    :func:`lawgovkit.load_corpus` and ``load`` (see :func:`load_options`).

    Examples
    --------
    >>> import tempfile, lawgovkit as lgk
    >>> from lawgovkit.parquet import to_parquet
    >>> report = lgk.Report.from_text("2023年法治政府建设报告\\n一、举措\\n依法行政。", id="a")
    >>> folder = to_parquet(lgk.Corpus([report]), tempfile.mkdtemp() + "/d")
    >>> dataset = load_corpus_or_dataset(folder)
    >>> dataset.ids, has_reports(dataset)
    (['a'], False)
    """
    if is_dataset(source):
        from lawgovkit.parquet import read_parquet

        return read_parquet(source[0] if isinstance(source, (list, tuple)) else source)
    from lawgovkit.corpus import load_corpus

    return load_corpus(source, **load_options(**load))


def doubtful_inputs(corpus: Corpus, include_all: bool = False) -> pd.DataFrame:
    """The inputs a reader should know about, one row each, with the reason.

    A file that could not be read (``corpus.skipped``); a text that is not a report of the
    genre (``is_report`` False, or a ``genre`` other than ``rule_of_law_report`` when the
    reports table has that column); a second copy of a report (``duplicate_of`` when the
    table has it, else the same cleaned text as an earlier report in id order; a corpus of
    tables, which keeps no texts, is checked by ``duplicate_of`` only).

    Parameters
    ----------
    corpus : Corpus
    include_all : bool
        Whether the analyses keep non-reports and copies (``analysed`` says so per row).

    Returns
    -------
    DataFrame
        Columns ``id`` (None for a file not read), ``file`` (the file name), ``reason`` and
        ``analysed`` (bool), sorted by file name.

    Examples
    --------
    >>> import lawgovkit as lgk
    >>> text = "关于2023年法治政府建设情况的报告\\n一、主要举措\\n依法行政,推进法治政府建设。"
    >>> c = lgk.Corpus([lgk.Report.from_text(text, id="a"), lgk.Report.from_text(text, id="b")])
    >>> doubtful_inputs(c)[["id", "reason"]].to_dict("records")
    [{'id': 'b', 'reason': 'the same text as a'}]
    """
    rows = []
    for row in corpus.skipped.to_dict("records"):
        message = _without_folders(" ".join(str(row.get("message", "")).split()))
        rows.append(
            {
                "id": None,
                "file": PurePath(str(row.get("path", ""))).name,
                "reason": f"not read: {message}",
                "analysed": False,
            }
        )
    for row in _left_out_copies(corpus):
        rows.append(row)
    for report_id, reason in _doubtful_reports(corpus).items():
        rows.append(
            {
                "id": report_id,
                "file": PurePath(str(corpus.reports.at[report_id, "path"] or report_id)).name,
                "reason": reason,
                "analysed": include_all,
            }
        )
    table = pd.DataFrame(rows, columns=list(DOUBTFUL_COLUMNS)).astype({"analysed": bool})
    return table.sort_values(["file", "reason"], kind="stable").reset_index(drop=True)


def _left_out_copies(corpus: Corpus) -> list[dict[str, Any]]:
    """Copies the loader left out of ``corpus`` (``corpus.duplicates``, when it has them)."""
    table = getattr(corpus, "duplicates", None)
    if not isinstance(table, pd.DataFrame) or table.empty or "id" not in table.columns:
        return []
    rows = []
    for row in table.to_dict("records"):
        if row["id"] in corpus:
            continue  # kept in the corpus: listed from duplicate_of
        rows.append(
            {
                "id": row["id"],
                "file": PurePath(str(row.get("path") or row["id"])).name,
                "reason": f"a copy of {row.get('duplicate_of')} (left out when loading)",
                "analysed": False,
            }
        )
    return rows


def _doubtful_reports(corpus: Corpus) -> dict[str, str]:
    """Report id -> why it is doubtful (non-reports first, then copies)."""
    reports = corpus.reports
    reasons: dict[str, str] = {}
    for report_id, row in reports.iterrows():
        genre = row.get("genre") if "genre" in reports.columns else None
        if isinstance(genre, str) and genre != GENRE:
            reasons[report_id] = f"not a rule-of-law report (genre: {genre})"
        elif not bool(row.get("is_report", True)):
            score = row.get("report_score")
            shown = f" (report_score {score:.2f})" if isinstance(score, float) else ""
            reasons[report_id] = f"does not read like a report of the genre{shown}"
    marked = {}
    if "duplicate_of" in reports.columns:
        marked = {k: v for k, v in reports["duplicate_of"].items() if isinstance(v, str)}
    for report_id, original in marked.items():
        reasons.setdefault(report_id, f"a copy of {original}")
    first: dict[str, str] = {}
    for report in corpus if has_reports(corpus) else ():  # the same cleaned text, marked or not
        digest = hashlib.sha1(report.text.encode("utf-8")).hexdigest()
        if report.text.strip() and digest in first and report.id not in marked:
            reasons.setdefault(report.id, f"the same text as {first[digest]}")
        first.setdefault(digest, report.id)
    return dict(sorted(reasons.items()))


def _without_folders(message: str) -> str:
    """A message with any folder part of a path taken out (no machine path on a page)."""
    return re.sub(r"(?:[A-Za-z]:)?(?:[\w.~-]*[/\\])+(?=[^/\\\s]+)", "", message)


def analysed_corpus(corpus: Corpus, include_all: bool = False) -> Corpus:
    """The corpus the analyses count: each report once, non-reports left out, unless
    ``include_all``. Files not read are never in a corpus.

    Examples
    --------
    >>> import lawgovkit as lgk
    >>> text = "关于2023年法治政府建设情况的报告\\n一、主要举措\\n依法行政,推进法治政府建设。"
    >>> c = lgk.Corpus([lgk.Report.from_text(text, id="a"), lgk.Report.from_text(text, id="b")])
    >>> analysed_corpus(c).ids, analysed_corpus(c, include_all=True).ids
    (['a'], ['a', 'b'])
    """
    from lawgovkit.corpus import Corpus

    if include_all:
        return corpus
    left_out = set(_doubtful_reports(corpus))
    if not left_out:
        return corpus
    if not has_reports(corpus):
        return corpus.subset([i for i in corpus.ids if i not in left_out])
    return Corpus([r for r in corpus if r.id not in left_out], skipped=corpus.skipped)


def display_labels(reports: pd.DataFrame, width: int = 16) -> dict[str, str]:
    """Short display names for report ids: the place and the year reported on; the id (cut
    to ``width`` characters) when the place is unknown; the id added when two would clash.

    Examples
    --------
    >>> t = pd.DataFrame({"jurisdiction": ["江夏区", None], "report_year": [2023, None]},
    ...                  index=["a", "某县报告"])
    >>> display_labels(t)
    {'a': '江夏区 2023', '某县报告': '某县报告'}
    """

    def short(text: str) -> str:
        return text if len(text) <= width else text[: width - 1] + "…"

    year = reports["report_year"].astype("Int64").astype("string").fillna("")
    named = (reports["jurisdiction"].astype("string") + " " + year).str.strip()
    labels = named.where(named.notna(), reports.index.to_series().map(short)).astype(object)
    clash = labels.duplicated(keep=False)
    labels[clash] = labels[clash] + " · " + labels.index[clash].map(short)
    return {str(k): str(v) for k, v in labels.items()}


def corpus_name(source: Any) -> str:
    """The corpus as named in captions: a folder's or file's name, else the number of files.

    Examples
    --------
    >>> corpus_name("../seeds"), corpus_name(["a.txt", "b.txt"])
    ('seeds', '2 files')
    """
    if isinstance(source, (str, os.PathLike)):
        return PurePath(os.fspath(source).rstrip("/\\") or ".").name or str(source)
    items = list(source)
    return corpus_name(items[0]) if len(items) == 1 else f"{len(items)} files"


def export_table(
    table: pd.DataFrame,
    folder: str | Path,
    name: str,
    formats: Iterable[str] = ("csv", "parquet"),
    raw_csv: bool | None = None,
) -> list[Path]:
    """Write ``table`` as ``name.csv`` (UTF-8 with BOM), ``name.parquet`` and, when asked,
    ``name.dta`` (Stata 118: Unicode, text longer than 2045 bytes as strL) in ``folder``.

    A labelled index (report ids) becomes the first column, so every format holds the same
    columns; read back with ``pd.read_csv(path)`` or ``pd.read_parquet(path)``.

    Returns
    -------
    list of Path
        The files written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    flat = _flat(table)
    written = []
    for fmt in formats:
        path = folder / f"{name}.{fmt}"
        if fmt == "csv":
            from lawgovkit._spreadsheet import spreadsheet_safe

            if raw_csv is None:
                raw_csv = os.environ.get(RAW_CSV_VARIABLE) == "1"
            shown = flat if raw_csv else spreadsheet_safe(flat)
            shown.to_csv(path, index=False, encoding=CSV_ENCODING)
        elif fmt == "parquet":
            flat.to_parquet(path, index=False, engine="pyarrow")
        elif fmt == "dta":
            stata, long_text = _stata_ready(flat)
            stata.to_stata(path, write_index=False, version=118, convert_strl=long_text)
        else:
            raise ValueError(f"unknown table format {fmt!r}; expected csv, parquet or dta")
        written.append(path)
    return written


def _flat(table: pd.DataFrame) -> pd.DataFrame:
    """The table with a labelled index as its first column(s) and string column names."""
    flat = table.copy()
    if not isinstance(flat.index, pd.RangeIndex) or any(flat.index.names):
        names = [n or ("id" if i == 0 else f"level_{i}") for i, n in enumerate(flat.index.names)]
        flat.index = flat.index.set_names(names)
        flat = flat.reset_index()
    flat.columns = [str(c) for c in flat.columns]
    return flat


def _stata_ready(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Stata's types: text as str (missing as ""), booleans as 0/1, lists joined, column
    names cut to Stata's 32 characters; which text columns need strL."""
    out, long_text, seen = pd.DataFrame(index=table.index), [], set()
    reserved = _stata_reserved_words()
    for column in table.columns:
        values = table[column]
        name = re.sub(r"\W", "_", column)[:32] or "column"
        if name in reserved or name[0].isdigit():
            name = f"_{name}"[:32]
        while name in seen:
            name = name[:30] + f"_{len(seen) % 100}"
        seen.add(name)
        if pd.api.types.is_bool_dtype(values):  # a missing value as Stata's missing number
            out[name] = values.astype("float64") if values.isna().any() else values.astype("int8")
        elif pd.api.types.is_float_dtype(values):
            out[name] = values.astype("float64")
        elif pd.api.types.is_datetime64_any_dtype(values):
            out[name] = values
        elif pd.api.types.is_integer_dtype(values):
            out[name] = values.astype("float64") if values.isna().any() else values
        else:
            text = values.map(_as_text).astype(object)
            out[name] = text
            longest = max((len(s.encode("utf-8")) for s in text), default=0)
            if longest > _STATA_STR_MAX:
                long_text.append(name)
    return out, long_text


def _stata_reserved_words() -> frozenset[str]:
    """The names Stata keeps for itself (pandas' list; a column is renamed ``_name``)."""
    try:
        from pandas.io.stata import StataParser

        return frozenset(StataParser().RESERVED_WORDS)
    except (ImportError, AttributeError, TypeError):  # pragma: no cover - pandas changed
        return frozenset({"end", "in", "if", "int", "long", "float", "double", "byte", "_n"})


def _as_text(value: Any) -> str:
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    if isinstance(value, (list, tuple, set)):
        return "、".join(map(str, value))
    return str(value)


@dataclass
class Study:
    """A notebook's corpus and helpers (made by :func:`start`).

    Attributes
    ----------
    loaded : Corpus
        Every report read.
    corpus : Corpus
        The reports analysed: each once, non-reports left out unless ``include_all``.
    doubtful : DataFrame
        :func:`doubtful_inputs` of ``loaded``.
    labels : dict
        Report id -> short display name (:func:`display_labels`).
    name : str
        The corpus as named in captions.
    include_all : bool
    """

    loaded: Corpus
    corpus: Corpus
    doubtful: pd.DataFrame
    labels: dict[str, str]
    name: str
    include_all: bool = False
    folder: Path | None = None
    formats: tuple[str, ...] = ("csv", "parquet")
    exported: dict[str, int] = field(default_factory=dict)

    @property
    def caption(self) -> str:
        """The line under every figure: corpus, number of reports, lawgovkit version."""
        from lawgovkit import __version__

        return f"语料:{self.name} · {len(self.corpus)} 份报告 · lawgovkit {__version__}"

    def scope(self) -> findings.Finding:
        """A sentence saying which reports the analyses count."""
        n, left = len(self.corpus), len(self.doubtful)
        if not left:
            return findings.finding(
                "scope",
                "Analysed: all {n} read; no input was flagged as a copy, a non-report "
                "or unreadable.",
                n=findings.count(n, "report"),
            )
        flagged = self.doubtful[self.doubtful["id"].notna()]
        unread = len(self.doubtful) - len(flagged)
        if self.include_all:
            template = (
                "Analysed: all {n} read, the {k} flagged as copies or non-reports included "
                "(`--include-all`); {u} not read. The list with reasons is in 01 and on the "
                "index page."
            )
        else:
            template = (
                "Analysed: {n}; {k} flagged as copies or non-reports left out, {u} not read "
                "(`lawgovkit report --include-all` keeps them). The list with reasons is in 01 "
                "and on the index page."
            )
        return findings.finding(
            "scope",
            template,
            n=findings.count(n, "report"),
            k=findings.count(len(flagged), "file"),
            u=findings.count(unread, "file"),
        )

    @property
    def has_reports(self) -> bool:
        """Whether the corpus holds report objects (not when read from a Parquet dataset)."""
        return has_reports(self.corpus)

    def subset(self, ids: Iterable[str]) -> Any:
        """The analysed corpus restricted to the reports ``ids`` (in corpus order)."""
        keep = set(ids)
        if not self.has_reports:
            return self.corpus.subset([i for i in self.corpus.ids if i in keep])
        from lawgovkit.corpus import Corpus

        return Corpus([r for r in self.corpus if r.id in keep])

    def without_reports(self, key: str, what: str) -> findings.Finding:
        """The sentence shown instead of a part that needs report objects the corpus of
        tables read from a Parquet dataset does not keep."""
        return findings.cannot(key, what, NO_REPORT_TEXTS)

    def show(self, table: pd.DataFrame | pd.Series, digits: int = 3) -> pd.DataFrame:
        """The table for a page: numbers rounded to ``digits``, dates as dates, and every
        missing value (None, NaN, NaT, NA) shown as :data:`MISSING`."""
        if isinstance(table, pd.Series):
            table = table.to_frame()
        shown = table.copy()
        for column in shown.columns:
            values = shown[column]
            if pd.api.types.is_float_dtype(values):
                shown[column] = values.round(digits).map(
                    lambda v: MISSING if pd.isna(v) else f"{v:.{digits}f}"
                )
            elif pd.api.types.is_datetime64_any_dtype(values):
                shown[column] = values.dt.strftime("%Y-%m-%d").astype(object)
        shown = shown.astype(object)
        return shown.where(shown.notna(), MISSING)

    def figure(self, fig: Figure, name: str) -> Figure:
        """Put the caption under ``fig``, save it when running in a report, return it."""
        from lawgovkit import plot

        plot.add_caption(fig, self.caption)
        if self.folder is not None:
            plot.save(fig, self.folder / "figures", name)
        return fig

    def export(self, name: str, table: pd.DataFrame) -> pd.DataFrame:
        """Save ``table`` as ``tables/name.*`` when running in a report; return it."""
        self.exported[name] = len(table)
        if self.folder is not None:
            export_table(table, self.folder / "tables", name, self.formats)
        return table


def _inline_figures() -> None:
    """In a Jupyter kernel: figures shown inline, as PNG (at the figures' own 150 dpi)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - the notebooks extra is not installed
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return
    shell.run_line_magic("matplotlib", "inline")
    shell.run_line_magic("config", "InlineBackend.figure_formats = ['png']")


def start(corpus: Any, include_all: bool = False, **load: Any) -> Study:
    """Load a corpus for a notebook and prepare the page (pandas display options, no
    warnings printed: the ones that matter are stated as doubtful inputs or sentences).

    Parameters
    ----------
    corpus : str, Path, list or Corpus
        What :func:`lawgovkit.load_corpus` takes, the folder of a Parquet dataset written
        by ``lawgovkit export`` (read as a corpus of tables: :func:`load_corpus_or_dataset`),
        or a corpus already loaded.
    include_all : bool
        Keep non-reports and copies in the analyses.
    **load
        More arguments for :func:`lawgovkit.load_corpus`; files that cannot be read are
        skipped and listed (``errors="skip"``) unless ``errors`` says otherwise.

    Returns
    -------
    Study
    """
    import lawgovkit as lgk

    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.width", 160)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.max_rows", 250)
    warnings.simplefilter("ignore")
    _inline_figures()
    loaded = isinstance(corpus, lgk.Corpus) or not has_reports(corpus)
    name = f"{len(corpus)} reports" if loaded else corpus_name(corpus)
    if not loaded:
        load.setdefault("errors", "skip")
        load.setdefault("progress", False)
        corpus = load_corpus_or_dataset(corpus, **load)
    folder = os.environ.get(REPORT_DIR_VARIABLE)
    formats = tuple(f for f in os.environ.get(FORMATS_VARIABLE, "csv,parquet").split(",") if f)
    analysed = analysed_corpus(corpus, include_all)
    return Study(
        loaded=corpus,
        corpus=analysed,
        doubtful=doubtful_inputs(corpus, include_all),
        labels=display_labels(corpus.reports),
        name=name,
        include_all=include_all,
        folder=Path(folder) if folder else None,
        formats=formats,
    )
