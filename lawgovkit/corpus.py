"""Many reports: :class:`Corpus` and :func:`load_corpus`.

``corpus.reports`` is the table everything else joins on: one row per report, index the
report id (the file stem), the CONTRACT columns in CONTRACT order, then ``script``,
``encoding``, ``format``, ``is_report``, ``report_score`` and any sidecar columns.
``corpus.sections``/``items``/``problems``/``plans`` concatenate the reports' structure
tables; ``corpus.boilerplate`` lists the page chrome removed; ``corpus.skipped`` what
``errors="skip"``/``"warn"`` left out and why. Everything is sorted by report id, so the
same files give the same tables on every run.
"""

from __future__ import annotations

import contextlib
import json
import os
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from lawgovkit import duplicates as repeats
from lawgovkit._inputs import join_sidecar, read_sidecar, skip_unread, unread_files
from lawgovkit._parallel import alone, collector_paused, n_workers, surviving_runs
from lawgovkit._schema import REPORT_ID, Column, build, conform
from lawgovkit.errors import (
    ArgumentError,
    LawgovkitError,
    LawgovkitWarning,
    NoReportsError,
    printable,
    sendable,
)
from lawgovkit.metadata import METADATA_COLUMNS
from lawgovkit.readers import document_from_bytes, read_bytes, report_files
from lawgovkit.report import EXTRA_COLUMNS, Report, report_from_document
from lawgovkit.source_text import SourceText

__all__ = [
    "BOILERPLATE_COLUMNS",
    "BOILERPLATE_SCHEMA",
    "REPORTS_SCHEMA",
    "SKIPPED_COLUMNS",
    "SKIPPED_SCHEMA",
    "Corpus",
    "load_corpus",
]

#: ``corpus.reports``: one row per report, index ``id`` (the report id; dtype object);
#: sidecar columns follow (text as object, missing None).
REPORTS_SCHEMA = (
    Column("title", "object", "the report's own title, boilerplate removed"),
    Column("jurisdiction", "object", "the place as written, e.g. 江夏区"),
    Column("province", "object", "the enclosing province"),
    Column("city", "object", "the enclosing prefecture-level city (None for 直辖市 districts)"),
    Column("adcode", "object", "the 6-digit administrative division code"),
    Column("level", "object", "province, city, district, county or township"),
    Column("body", "object", "government, justice_bureau, department or party_committee"),
    Column("report_year", "Int64", "the year reported on"),
    Column("plan_year", "Int64", "the year planned for"),
    Column("publish_date", "datetime64[ns]", "the page's publication date"),
    Column("source", "object", "the publishing unit named on the page (来源), as written"),
    Column("n_chars", "Int64", "characters of the cleaned text"),
    Column("path", "object", "the file it came from"),
    Column("genre", "object", "rule_of_law_report, work_report or other"),
    Column("delivered_date", "datetime64[ns]", "the day a work report was delivered"),
    Column("script", "object", "simplified or traditional (what the source was written in)"),
    Column("encoding", "object", "the encoding the file was decoded with"),
    Column("format", "object", "txt, html, docx, pdf (text for Report.from_text)"),
    Column("is_report", "bool", "False for a text that does not look like such a report"),
    Column("report_score", "float64", "0-1, how report-like the text is"),
    Column("duplicate_of", "object", "the report it repeats (duplicates='keep'), else None"),
)
#: ``corpus.skipped``: the files ``errors="skip"``/``"warn"`` left out.
SKIPPED_SCHEMA = (
    Column("path", "object", "the file"),
    Column("error", "object", "the error's class name"),
    Column("message", "object", "the error's message, naming the file"),
)
#: ``corpus.boilerplate``: the page chrome removed from every report.
BOILERPLATE_SCHEMA = (
    REPORT_ID,
    Column("kind", "object", "what the line was (publish_info, navigation, ...)"),
    Column("text", "object", "the line as removed"),
    Column("line", "int64", "its line number in the normalised input"),
    Column("part", "object", "line (a whole line), start or end (glued to a line of text)"),
)
SKIPPED_COLUMNS = tuple(c.name for c in SKIPPED_SCHEMA)
BOILERPLATE_COLUMNS = tuple(c.name for c in BOILERPLATE_SCHEMA)
_ERRORS = ("raise", "warn", "skip")
_PROGRESS_MIN_FILES = 50
# Files to read and parse from which load_corpus spreads the work over processes (below it,
# starting them costs more than it saves), and how many files a process takes at a time.
_PARALLEL_MIN_FILES = 200
_CHUNK = 16


# The structure tables built together (Corpus._frame). The items, a third of the four's
# memory and the least asked for, wait until asked (100,000 reports: 1 GB less).
_FRAME_GROUPS = (("sections", "problems", "plans"), ("items",))


class Corpus:
    """Reports in a deterministic order (sorted by id), with tables over all of them.

    Parameters
    ----------
    reports : iterable of Report
        The reports; ids must be unique.
    skipped : DataFrame, optional
        Files left out (columns ``path``, ``error``, ``message``).
    tables_cache : (ReportCache, str), optional
        Where the structure tables are kept on disk and under which corpus key
        (:func:`load_corpus` gives it when every file was read through the cache): a re-run
        then need not rebuild them.

    Examples
    --------
    >>> text = "某区2023年度法治政府建设情况报告\\n2023年,我区推进依法行政。\\n一、主要举措\\n好。"
    >>> r = Report.from_text(text, id="b")
    >>> corpus = Corpus([r])
    >>> len(corpus), corpus["b"].meta["report_year"], list(corpus.reports.index)
    (1, 2023, ['b'])
    """

    def __init__(
        self,
        reports: Iterable[Report],
        skipped: pd.DataFrame | None = None,
        *,
        tables_cache: tuple[Any, str] | None = None,
        repeated: pd.DataFrame | None = None,
    ) -> None:
        ordered = sorted(reports, key=lambda r: r.id)
        ids = [r.id for r in ordered]
        duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
        if duplicates:
            raise ArgumentError(f"report ids must be unique; repeated: {', '.join(duplicates)}")
        self._reports = {r.id: r for r in ordered}
        if skipped is None:
            skipped = pd.DataFrame(columns=SKIPPED_COLUMNS)
        self._skipped = conform(skipped, SKIPPED_SCHEMA)
        self._tables_cache = tables_cache
        self._duplicates = repeated if repeated is not None else repeats.find_duplicates([])
        self._frames: dict[str, pd.DataFrame] = {}  # structure tables built, not yet sorted

    def __len__(self) -> int:
        return len(self._reports)

    def __iter__(self) -> Iterator[Report]:
        return iter(self._reports.values())

    def __getitem__(self, report_id: str) -> Report:
        try:
            return self._reports[report_id]
        except KeyError:
            shown = ", ".join(list(self._reports)[:5])
            raise KeyError(f"no report with id {report_id!r} (ids: {shown}...)") from None

    def __contains__(self, report_id: object) -> bool:
        return report_id in self._reports

    def __repr__(self) -> str:
        return f"<Corpus of {len(self)} reports, {len(self._skipped)} skipped>"

    @property
    def ids(self) -> list[str]:
        """The report ids, sorted."""
        return list(self._reports)

    @property
    def skipped(self) -> pd.DataFrame:
        """Files left out by ``errors="skip"``/``"warn"``: path, error (class name), message."""
        return self._skipped.copy()

    @property
    def duplicates(self) -> pd.DataFrame:
        """Reports repeating another (:func:`lawgovkit.duplicates.find_duplicates`)."""
        return self._duplicates.copy()

    @cached_property
    def _reports_table(self) -> pd.DataFrame:
        columns = [*METADATA_COLUMNS, *EXTRA_COLUMNS]
        extra: list[str] = []
        for report in self:
            extra.extend(k for k in report.meta if k not in columns and k not in extra)
        values = {k: [r.meta.get(k) for r in self] for k in [*columns, *extra]}
        values["duplicate_of"] = repeats.duplicate_of(self.ids, self._duplicates).tolist()
        index = pd.Index(self.ids, name="id", dtype=object)
        table = build(values, REPORTS_SCHEMA, index=index)
        for name in extra:  # sidecar columns: as read (text), missing None
            table[name] = build({name: values[name]}, [Column(name, "object")], index)[name]
        return table

    @property
    def reports(self) -> pd.DataFrame:
        """One row per report (see the module docstring for the columns)."""
        return self._reports_table.copy()

    def _frame(self, name: str) -> pd.DataFrame:
        """The structure table ``name``, unsorted, built with the rest of its group of
        :data:`_FRAME_GROUPS` from one reading of every report's rows (half the cost), and
        handed out once: the corpus keeps its sorted copy only."""
        frame = self._frames.pop(name, None)
        if frame is not None:
            return frame
        from lawgovkit.structure import frames_of_rows

        group = next(group for group in _FRAME_GROUPS if name in group)
        with collector_paused():  # rows by the hundred thousand, no cycles
            try:
                frames = frames_of_rows(((r.id, r.text, _stored_rows(r)) for r in self), group)
            except (KeyError, TypeError, ValueError, IndexError):  # damaged stored rows
                rows = ((r.id, r.text, r.structure.to_rows(r.text)) for r in self)
                frames = frames_of_rows(rows, group)
        frame = frames.pop(name)
        self._frames.update(frames)
        return frame

    def _concat(self, name: str, order: list[str]) -> pd.DataFrame:
        table = self._frame(name)
        keys = [k for k in order if k in table.columns]
        return table.sort_values(keys, kind="stable").reset_index(drop=True)

    def _cached_table(self, name: str, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """The table ``name``: from the on-disk cache when it has it, else built (and kept)."""
        if self._tables_cache is None or not len(self):
            return build()
        store, key = self._tables_cache
        texts = {r.id: r.text for r in self}
        table = store.get_table(key, name, texts)
        if table is None:
            table = build()
            store.put_table(key, name, table, texts)
        return table

    @cached_property
    def _sections(self) -> pd.DataFrame:
        return self._cached_table(
            "sections", lambda: self._concat("sections", ["report_id", "start"])
        )

    @cached_property
    def _items(self) -> pd.DataFrame:
        return self._cached_table("items", lambda: self._concat("items", ["report_id", "start"]))

    def _build_problems(self) -> pd.DataFrame:
        from lawgovkit.taxonomy import categorize_problems

        table = self._concat("problems", ["report_id", "n"])
        if "text" in table.columns:
            table["category"] = pd.Series(
                categorize_problems(table["text"].fillna("")), index=table.index, dtype=object
            )
        return table

    def _build_plans(self) -> pd.DataFrame:
        from lawgovkit.taxonomy import plan_themes

        table = self._concat("plans", ["report_id", "n"])
        if "text" in table.columns:
            table["category"] = pd.Series(
                plan_themes(table["text"].fillna("")), index=table.index, dtype=object
            )
        return table

    @cached_property
    def _problems(self) -> pd.DataFrame:
        return self._cached_table("problems", self._build_problems)

    @cached_property
    def _plans(self) -> pd.DataFrame:
        return self._cached_table("plans", self._build_plans)

    @property
    def sections(self) -> pd.DataFrame:
        """One row per section of every report, sorted by report_id and position."""
        return self._sections.copy()

    @property
    def items(self) -> pd.DataFrame:
        """One row per enumerated item of every report."""
        return self._items.copy()

    @property
    def problems(self) -> pd.DataFrame:
        """One row per admitted problem (report_id, n, text, section_id, category).

        ``category`` is a key of the problem taxonomy
        (:func:`lawgovkit.taxonomy.problem_categories`), ``"other"`` when no keyword fits.
        """
        return self._problems.copy()

    @property
    def plans(self) -> pd.DataFrame:
        """One row per planned measure (report_id, n, text, section_id, category).

        ``category`` is the plan's main theme (:func:`lawgovkit.taxonomy.plan_themes`), None
        when no theme keyword occurs in it.
        """
        return self._plans.copy()

    @cached_property
    def _claims(self) -> pd.DataFrame:
        from lawgovkit.indicators import claims

        return claims(self)

    @property
    def claims(self) -> pd.DataFrame:
        """One row per quantity stated (see :func:`lawgovkit.indicators.claims`)."""
        return self._claims.copy()

    @property
    def boilerplate(self) -> pd.DataFrame:
        """The page chrome removed from every report: report_id, kind, text, line, part."""
        rows = [(r.id, b.kind, b.text, b.line, b.part) for r in self for b in r.boilerplate]
        columns = zip(*rows, strict=True) if rows else [()] * len(BOILERPLATE_COLUMNS)
        return build(dict(zip(BOILERPLATE_COLUMNS, columns, strict=True)), BOILERPLATE_SCHEMA)

    def _repr_html_(self) -> str:
        shown = ["title", "jurisdiction", "level", "body", "report_year", "publish_date"]
        table = self.reports[shown].to_html(na_rep="—", max_rows=60)
        note = ""
        if len(self._skipped):
            note = f"<p>{len(self._skipped)} file(s) skipped: see <code>corpus.skipped</code>.</p>"
        return f"<div><p><strong>Corpus of {len(self)} reports</strong></p>{table}{note}</div>"


def _stored_rows(report: Report) -> dict:
    """A report's structure rows (:meth:`~lawgovkit.structure.Structure.to_rows`): its
    stored rows (ValueError when they are no JSON), else from its parsed structure."""
    if report.stored_rows is not None:
        return json.loads(report.stored_rows)
    return report.structure.to_rows(report.text)


def _progress(items: Iterable, total: int, progress: bool | None) -> Iterable:
    if progress is None:
        progress = total > _PROGRESS_MIN_FILES and not os.environ.get("CI")
    if not progress:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, total=total, desc="reports", unit="file")


# One file's outcome: the report (None when it failed), the error (None when it loaded; a
# LawgovkitError, whole from a worker too) and the warnings raised, (category, message).
_Outcome = tuple[Report | None, LawgovkitError | None, list[tuple[type[Warning], str]]]


def _load_one(path: Path, cache: Any = None, key: str | None = None) -> _Outcome:
    """Read, clean and parse one file (in this process or a worker); store it in the cache.

    Never raises for a bad file: the error comes back with the outcome. The report keeps
    its structure as rows (:meth:`Report.with_stored_rows`): what the cache stores, cheap
    to send back from a worker (a tenth of the time of pickling the records), and what the
    corpus tables are made of.
    """
    from lawgovkit.cache import report_entry

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            data = read_bytes(path)
            if cache is not None:  # the entry is keyed by the very bytes it is made from
                key = cache.key(data, path)
            document = document_from_bytes(data, path)
            report = report_from_document(document, path)
        except LawgovkitError as error:
            return None, error, [(w.category, str(w.message)) for w in caught]
        except Exception as exc:  # a bug, or a file beyond it: reported against the file
            bug = f"lawgovkit failed on it ({type(exc).__name__}: {exc}); please report it"
            return (
                None,
                LawgovkitError(bug, path=path),
                [(w.category, str(w.message)) for w in caught],
            )
        # parsed here, where it may run in parallel; a parse failure surfaces where the
        # structure is asked for, as before
        with contextlib.suppress(LawgovkitError):
            report = report.with_stored_rows()
    recorded = [(w.category, str(w.message)) for w in caught]
    # a text file's text as read stays in it (read again when asked for): the largest thing
    # a report would hold, and sent for nothing. It is the bytes decoded with the encoding
    # found, which decode_bytes gives again (not checked here: SourceText.of would)
    if document.format == "txt" and document.encoding is not None:
        report = report.with_source(SourceText.trusted(data, path, document.encoding))
    if cache is not None and key is not None:
        names = [(category.__name__, message) for category, message in recorded]
        cache.put(key, report_entry(report, names, data))
    return report, None, recorded


def _outcomes(
    paths: list[Path],
    cache: Any,
    keys: list[str | None],
    hits: dict[int, _Outcome],
    n_jobs: int | None,
    progress: bool | None,
) -> Iterator[_Outcome]:
    """The second pass: each file's outcome, in the order of ``paths``: the cache's where
    it had the file, otherwise read and parsed (by several processes when that pays)."""
    todo = [i for i in range(len(paths)) if i not in hits]
    workers = n_workers(n_jobs, len(todo), worth_it=len(todo) >= _PARALLEL_MIN_FILES)
    jobs = [(paths[i], cache, keys[i]) for i in todo]
    loaded = _load_shared(jobs, workers) if workers > 1 else (_load_one(*job) for job in jobs)
    try:
        for i in _progress(range(len(paths)), len(paths), progress):
            yield hits[i] if i in hits else next(loaded)
    finally:
        loaded.close()  # stops the worker processes when loading stops early
        if cache is not None:  # and this process's connection to the cache's entries
            cache.close()


def _load_shared(jobs: list[tuple[Path, Any, str | None]], workers: int) -> Iterator[_Outcome]:
    """The outcomes of ``jobs``, in order, loaded by this process and ``workers - 1``
    worker processes, in runs of ``_CHUNK`` files (see :func:`_parallel.surviving_runs`:
    the files of a run whose worker dies are read again each alone, and the one that kills
    its process is reported, by name, as the error of its outcome)."""
    runs = [jobs[i : i + _CHUNK] for i in range(0, len(jobs), _CHUNK)]
    for outcomes in surviving_runs(runs, _load_run, _load_run, workers, _load_alone):
        yield from outcomes


def _load_alone(run: list[tuple[Path, Any, str | None]]) -> list[_Outcome]:
    died = "the process reading this file died (out of memory, or killed): left out"
    outcomes = alone(_load_one, run)
    return [
        o or (None, LawgovkitError(died, path=j[0]), []) for o, j in zip(outcomes, run, strict=True)
    ]


def _load_run(run: list[tuple[Path, Any, str | None]]) -> list[_Outcome]:
    return [_sendable(_load_one(*job), job[0]) for job in run]


def _sendable(outcome: _Outcome, path: Path) -> _Outcome:
    """A worker's outcome the parent can receive (see :func:`~lawgovkit.errors.sendable`)."""
    report, error, recorded = outcome
    return report, None if error is None else sendable(error, path), recorded


def _unique_ids(reports: list[Report]) -> list[Report]:
    """Give reports sharing a stem ids from their paths, deterministically.

    The ids become the paths relative to the files' common folder, without the ending
    ("2022/report", "2023/report"), or with it when that still collides ("report.txt",
    "report.htm"). An id never holds an absolute path.
    """
    by_id: dict[str, list[Report]] = {}
    for report in reports:
        by_id.setdefault(report.id, []).append(report)
    result: list[Report] = []
    for same in by_id.values():
        if len(same) == 1:
            result.extend(same)
            continue
        paths = [Path(os.path.abspath(r.path or r.id)) for r in same]
        root = Path(os.path.commonpath([p.parent for p in paths]))
        relative = [p.relative_to(root) for p in paths]
        ids = [r.with_suffix("").as_posix() for r in relative]
        if len(set(ids)) < len(ids):
            ids = [r.as_posix() for r in relative]
        result.extend(r.replace(id=i) for r, i in zip(same, ids, strict=True))
    return result


def load_corpus(
    source: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    errors: str = "raise",
    metadata: str | os.PathLike | pd.DataFrame | None = None,
    progress: bool | None = None,
    cache: bool | str | os.PathLike | None = None,
    n_jobs: int | None = None,
    duplicates: str = "flag",
) -> Corpus:
    """Load every report a folder, glob or list of paths names.

    Parameters
    ----------
    source : str, Path or list of paths
        A folder (read recursively: .txt .text .html .htm .shtml .xhtml .docx .pdf, hidden
        files and symlinked folders skipped; every other file is listed in
        ``corpus.skipped`` with the reason, and a .doc, .wps or other office document
        raises with ``errors="raise"``), a glob (``"reports/**/*.html"``) or a list of
        files.
    errors : {"raise", "warn", "skip"}
        What a bad file does: stop loading (the error names the file), or be left out
        and listed in ``corpus.skipped`` (with a warning for ``"warn"``).
    metadata : str, Path or DataFrame, optional
        A sidecar table (CSV path or DataFrame) keyed by a column ``id`` (report id) or
        ``file``/``filename`` (file name); its other columns join ``corpus.reports`` and
        win over the extracted values (provenance ``"sidecar"``). A corrected
        ``jurisdiction`` re-derives ``province``, ``city``, ``adcode`` and ``level`` from
        the division table unless the row gives them (a township keeps the enclosing
        province and city read before); a row that matches no report warns, naming it.
    progress : bool, optional
        Show a progress bar; by default only for more than 50 files outside CI.
    cache : bool, str or Path, optional
        Reuse the reports loaded and parsed on an earlier run from the on-disk cache
        (:mod:`lawgovkit.cache`), keyed by each file's content: by default (None or True)
        the folder ``$LAWGOVKIT_CACHE`` names (``LAWGOVKIT_CACHE=off`` turns it off), else
        ``~/.cache/lawgovkit``; False for no cache; a path for that folder. Nothing is
        written beside the reports; the tables are the same with or without it.
    n_jobs : int, optional
        Processes to read and parse with, this one among them; -1 for one per core. By
        default several only on Linux and for 200 files or more (4,000 for the duplicates'
        signatures; elsewhere a new process re-imports the calling script, which must then
        guard its code with ``if __name__ == "__main__":``). The result does not depend on
        it.
    duplicates : {"flag", "keep", "drop"}
        The same report loaded twice (:mod:`lawgovkit.duplicates`), listed in
        ``corpus.duplicates``: left out with a warning naming them, left out, or kept
        (``corpus.reports.duplicate_of`` names the report each repeats).

    Returns
    -------
    Corpus

    Raises
    ------
    ReportNotFoundError
        The source does not exist (or, with errors="raise", a listed file does not).
    NoReportsError
        No readable report was found.
    ArgumentError
        ``errors`` is not one of "raise", "warn", "skip"; or the sidecar has no key column.

    Examples
    --------
    >>> corpus = load_corpus("seeds")  # doctest: +SKIP
    >>> corpus.reports.loc["000_83b981cfa8576200", "jurisdiction"]  # doctest: +SKIP
    '江夏区'
    """
    if errors not in _ERRORS:
        raise ArgumentError(f"errors={errors!r} is not one of {', '.join(map(repr, _ERRORS))}")
    if duplicates not in repeats.DUPLICATE_MODES:
        raise ArgumentError(f"duplicates={duplicates!r} is not one of {repeats.DUPLICATE_MODES}")
    paths, described = report_files(source)
    unread = skip_unread(unread_files(source), errors)
    from lawgovkit.cache import corpus_key, look_up, report_cache

    store = report_cache(cache)
    reports: list[Report] = []
    skipped: list[tuple[str, str, str]] = []
    keys, hits = look_up(paths, store)
    # The collector runs (pausing it saved nothing measurable): the .docx and .pdf readers'
    # libraries leave reference cycles, which only it frees.
    for path, (report, error, recorded) in zip(
        paths, _outcomes(paths, store, keys, hits, n_jobs, progress), strict=True
    ):
        for category, message in recorded:
            warnings.warn(message, category, stacklevel=2)
        if report is not None:
            reports.append(report)
            continue
        if errors == "raise":
            raise error
        skipped.append((printable(str(path)), type(error).__name__, str(error)))
        if errors == "warn":
            warnings.warn(f"skipped: {error}", LawgovkitWarning, stacklevel=2)
    for row in unread:
        skipped.append(row)
        if errors == "warn":
            warnings.warn(f"skipped: {row[2]}", LawgovkitWarning, stacklevel=2)
    if not reports:
        reasons = f" ({len(skipped)} unreadable: see the errors)" if skipped else ""
        detail = "; ".join(message for _, _, message in skipped[:3])
        raise NoReportsError(
            f"no readable report found{reasons}" + (f": {detail}" if detail else ""),
            path=described,
        )
    reports = _unique_ids(reports)
    sidecar = None if metadata is None else read_sidecar(metadata)
    if sidecar is not None:
        reports = join_sidecar(reports, sidecar)
    stored = store is not None and None not in keys  # every file read through the cache
    found = (store, corpus_key(keys, errors, sidecar)) if stored else None
    reports, repeated = repeats.set_aside(reports, duplicates, cache=found, n_jobs=n_jobs)
    if duplicates == "flag" and len(repeated):
        warnings.warn(
            f"duplicates left out: {repeats.describe(repeated)}", LawgovkitWarning, stacklevel=2
        )
    table = pd.DataFrame(skipped, columns=SKIPPED_COLUMNS)
    tables_cache = (store, corpus_key([*keys, duplicates], errors, sidecar)) if stored else None
    return Corpus(
        reports,
        skipped=table.sort_values("path", kind="stable").reset_index(drop=True),
        tables_cache=tables_cache,
        repeated=repeated,
    )
