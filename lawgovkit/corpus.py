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
import dataclasses
import glob as globbing
import os
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from lawgovkit._parallel import collector_paused, n_workers, shared_runs
from lawgovkit.errors import (
    ArgumentError,
    LawgovkitError,
    LawgovkitWarning,
    NoReportsError,
    ReportNotFoundError,
)
from lawgovkit.metadata import METADATA_COLUMNS
from lawgovkit.readers import READABLE_SUFFIXES
from lawgovkit.report import EXTRA_COLUMNS, Report, load_report

__all__ = ["BOILERPLATE_COLUMNS", "SKIPPED_COLUMNS", "Corpus", "load_corpus"]

SKIPPED_COLUMNS = ("path", "error", "message")
BOILERPLATE_COLUMNS = ("report_id", "kind", "text", "line", "part")
_ERRORS = ("raise", "warn", "skip")
_PROGRESS_MIN_FILES = 50
# Files to read and parse from which load_corpus spreads the work over processes (below it,
# starting them costs more than it saves), and how many files a process takes at a time.
_PARALLEL_MIN_FILES = 200
_CHUNK = 16
_SIDECAR_KEYS = ("id", "file", "filename")


class Corpus:
    """Reports in a deterministic order (sorted by id), with tables over all of them.

    Parameters
    ----------
    reports : iterable of Report
        The reports; ids must be unique.
    skipped : DataFrame, optional
        Files left out (columns ``path``, ``error``, ``message``).

    Examples
    --------
    >>> text = "某区2023年度法治政府建设情况报告\\n2023年,我区推进依法行政。\\n一、主要举措\\n好。"
    >>> r = Report.from_text(text, id="b")
    >>> corpus = Corpus([r])
    >>> len(corpus), corpus["b"].meta["report_year"], list(corpus.reports.index)
    (1, 2023, ['b'])
    """

    def __init__(self, reports: Iterable[Report], skipped: pd.DataFrame | None = None) -> None:
        ordered = sorted(reports, key=lambda r: r.id)
        ids = [r.id for r in ordered]
        duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
        if duplicates:
            raise ArgumentError(f"report ids must be unique; repeated: {', '.join(duplicates)}")
        self._reports = {r.id: r for r in ordered}
        self._skipped = skipped if skipped is not None else pd.DataFrame(columns=SKIPPED_COLUMNS)
        # (ReportCache, corpus key) when load_corpus read every file through the cache: the
        # structure tables are then kept on disk too, so a re-run need not rebuild them
        self._tables_cache: tuple[Any, str] | None = None

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

    @cached_property
    def _reports_table(self) -> pd.DataFrame:
        columns = [*METADATA_COLUMNS, *EXTRA_COLUMNS]
        extra: list[str] = []
        for report in self:
            extra.extend(k for k in report.meta if k not in columns and k not in extra)
        rows = [{k: r.meta.get(k) for k in [*columns, *extra]} for r in self]
        table = pd.DataFrame(rows, columns=[*columns, *extra], index=pd.Index(self.ids, name="id"))
        for column in ("report_year", "plan_year", "n_chars"):
            table[column] = pd.array(table[column].tolist(), dtype="Int64")
        table["publish_date"] = pd.to_datetime(table["publish_date"])
        table["is_report"] = table["is_report"].astype(bool)
        table["report_score"] = table["report_score"].astype(float)
        for column in (*METADATA_COLUMNS[:7], "source"):
            table[column] = table[column].astype(object).where(table[column].notna(), None)
        return table

    @property
    def reports(self) -> pd.DataFrame:
        """One row per report (see the module docstring for the columns)."""
        return self._reports_table.copy()

    @cached_property
    def _structure_frames(self) -> dict[str, pd.DataFrame]:
        """Every report's structure as four tables, built in one go (not report by report:
        ten thousand small DataFrames cost far more than one large one)."""
        from lawgovkit.structure import frames_of

        with collector_paused():  # records and rows by the hundred thousand, no cycles
            return frames_of([(r.id, _structure_for_tables(r)) for r in self])

    def _concat(self, name: str, order: list[str]) -> pd.DataFrame:
        if not len(self):
            return pd.DataFrame()
        table = self._structure_frames[name]
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

    @property
    def boilerplate(self) -> pd.DataFrame:
        """The page chrome removed from every report: report_id, kind, text, line, part."""
        rows = [(r.id, b.kind, b.text, b.line, b.part) for r in self for b in r.boilerplate]
        return pd.DataFrame(rows, columns=BOILERPLATE_COLUMNS)

    def _repr_html_(self) -> str:
        shown = ["title", "jurisdiction", "level", "body", "report_year", "publish_date"]
        table = self.reports[shown].to_html(na_rep="—", max_rows=60)
        note = ""
        if len(self._skipped):
            note = f"<p>{len(self._skipped)} file(s) skipped: see <code>corpus.skipped</code>.</p>"
        return f"<div><p><strong>Corpus of {len(self)} reports</strong></p>{table}{note}</div>"


def _structure_for_tables(report: Report) -> Any:
    """What the corpus tables read of a report's structure: the structure itself when it
    is built, else, for a report from the cache or a worker process, its stored rows as
    light records (the tables read only their fields; ``report.structure`` still builds
    the real records when asked for)."""
    from lawgovkit.cache import structure_from_rows

    stored = report.__dict__.get("_stored_structure")
    if stored is not None and "structure" not in report.__dict__:
        with contextlib.suppress(KeyError, TypeError, ValueError, IndexError):
            return structure_from_rows(stored, report.text, light=True)
    return report.structure  # damaged rows: parsed again


def _walk(folder: Path) -> list[Path]:
    """Report files under a folder: known endings, no hidden files, symlinked folders not
    followed (no loops); symlinked files are listed (they may dangle: reading says so)."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(READABLE_SUFFIXES):
                found.append(Path(root) / name)
    return found


def _paths(source: str | os.PathLike | Iterable) -> tuple[list[Path], str]:
    """The files a source names, and a description for messages."""
    if isinstance(source, (str, os.PathLike)):
        text = os.fspath(source)
        path = Path(text)
        if path.is_dir():
            return _walk(path), str(path)
        if path.exists() or os.path.lexists(path):
            return [path], str(path)
        if globbing.has_magic(text):
            matches = sorted(Path(p) for p in globbing.glob(text, recursive=True))
            files: list[Path] = []
            for match in matches:
                files.extend(_walk(match) if match.is_dir() else [match])
            return files, text
        raise ReportNotFoundError("no such file or folder", path=path)
    if isinstance(source, bytes):
        raise ArgumentError("source must be a folder, a glob or a list of paths, not bytes")
    paths = [Path(os.fspath(p)) for p in source]
    return paths, f"{len(paths)} paths"


def _progress(items: Iterable, total: int, progress: bool | None) -> Iterable:
    show = progress
    if show is None:
        show = total > _PROGRESS_MIN_FILES and not os.environ.get("CI")
    if not show:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, total=total, desc="reports", unit="file")


# One file's outcome: the report (None when it failed), the error (None when it loaded; from
# a worker process its class name and message, since an exception with keyword arguments
# does not always unpickle) and the warnings loading raised, as (category, message), to be
# issued in file order.
_Outcome = tuple[Any, Exception | tuple[str, str] | None, list[tuple[type[Warning], str]]]


def _load_one(
    path: Path, cache: Any = None, key: str | None = None, *, to_send: bool = False
) -> _Outcome:
    """Read, clean and parse one file (in this process or a worker); store it in the cache.

    Never raises for a bad file: the error comes back with the outcome. ``to_send``
    (in a worker process) makes the outcome cheap to send back: the structure as the cache
    stores it (one JSON string, built again in the parent when it is asked for) instead of
    thousands of records to pickle (ten times slower), the error as its class name and
    message.
    """
    from lawgovkit.cache import report_entry, stored_structure

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            report = load_report(path)
        except LawgovkitError as error:
            recorded = [(w.category, str(w.message)) for w in caught]
            return None, ((type(error).__name__, str(error)) if to_send else error), recorded
        # parsed here, where it may run in parallel; a parse failure surfaces where the
        # structure is asked for, as before
        with contextlib.suppress(LawgovkitError):
            _ = report.structure
    recorded = [(w.category, str(w.message)) for w in caught]
    stored = None
    if cache is not None and key is not None:
        names = [(category.__name__, message) for category, message in recorded]
        entry = report_entry(report, names)
        cache.put(key, entry)
        stored = entry.get("structure")
    if to_send:
        stored = stored or stored_structure(report)
        if stored is not None:
            del report.__dict__["structure"]
            report.__dict__["_stored_structure"] = stored
    return report, None, recorded


def _from_cache(path: Path, cache: Any) -> tuple[_Outcome | None, str | None]:
    """The cached outcome of ``path`` (None on a miss) and its cache key (None if unread)."""
    from lawgovkit.cache import report_from_entry

    try:
        key = cache.key(path.read_bytes(), path)
    except OSError:
        return None, None  # unreadable: loading says why
    entry = cache.get(key)
    if entry is None:
        return None, key
    try:
        report, names = report_from_entry(entry, path.stem, str(path))
    except (KeyError, TypeError, ValueError, IndexError):
        return None, key  # an entry of another shape: rebuilt
    categories = {"LawgovkitWarning": LawgovkitWarning}
    recorded = [(categories.get(name, UserWarning), message) for name, message in names]
    return (report, None, recorded), key


def _outcomes(
    paths: list[Path],
    cache: Any,
    n_jobs: int | None,
    progress: bool | None,
    keys: list[str | None],
) -> Iterator[_Outcome]:
    """Each file's outcome, in the order of ``paths``: from the cache where it has the file,
    otherwise read and parsed (by several processes when that pays). ``keys`` is filled
    with each file's cache key (None when there is no cache or the file is unreadable)."""
    cached: dict[int, _Outcome] = {}
    keys[:] = [None] * len(paths)
    if cache is not None:
        for i, path in enumerate(paths):
            hit, keys[i] = _from_cache(path, cache)
            if hit is not None:
                cached[i] = hit
    todo = [i for i in range(len(paths)) if i not in cached]
    workers = n_workers(n_jobs, len(todo), worth_it=len(todo) >= _PARALLEL_MIN_FILES)
    jobs = [(paths[i], cache, keys[i]) for i in todo]
    loaded = _load_shared(jobs, workers) if workers > 1 else (_load_one(*job) for job in jobs)
    try:
        for i in _progress(range(len(paths)), len(paths), progress):
            yield cached[i] if i in cached else next(loaded)
    finally:
        loaded.close()  # stops the worker processes when loading stops early


def _load_shared(jobs: list[tuple[Path, Any, str | None]], workers: int) -> Iterator[_Outcome]:
    """The outcomes of ``jobs``, in order, loaded by this process and ``workers - 1``
    worker processes, in runs of ``_CHUNK`` files (see :func:`_parallel.shared_runs`)."""
    runs = [jobs[i : i + _CHUNK] for i in range(0, len(jobs), _CHUNK)]
    for outcomes in shared_runs(runs, _load_run_here, _load_run, workers):
        yield from outcomes


def _load_run_here(run: list[tuple[Path, Any, str | None]]) -> list[_Outcome]:
    return [_load_one(*job) for job in run]


def _load_run(run: list[tuple[Path, Any, str | None]]) -> list[_Outcome]:
    return [_load_one(*job, to_send=True) for job in run]


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
        result.extend(_renamed(r, i) for r, i in zip(same, ids, strict=True))
    return result


def _renamed(report: Report, report_id: str) -> Report:
    """``report`` with another id, keeping its parsed (or cached) structure."""
    renamed = dataclasses.replace(report, id=report_id)
    for name in ("structure", "_stored_structure"):
        if name in report.__dict__:
            renamed.__dict__[name] = report.__dict__[name]
    return renamed


def _read_sidecar(metadata: str | os.PathLike | pd.DataFrame) -> pd.DataFrame:
    if isinstance(metadata, pd.DataFrame):
        table = metadata.copy()
    else:
        path = Path(metadata)
        if not path.exists():
            raise ReportNotFoundError("no such metadata file", path=path)
        try:
            table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (ValueError, UnicodeDecodeError) as exc:
            raise ArgumentError(f"{path}: not a readable CSV file ({exc})") from exc
    key = next((k for k in _SIDECAR_KEYS if k in table.columns), None)
    if key is None:
        raise ArgumentError(
            f"the metadata table needs a column named one of {', '.join(_SIDECAR_KEYS)} "
            f"(it has: {', '.join(map(str, table.columns))})"
        )
    ids = table[key].astype(str).map(lambda s: Path(s).stem if key != "id" else s)
    return table.drop(columns=[key]).set_index(pd.Index(ids, name="id"))


def _join_sidecar(reports: list[Report], sidecar: pd.DataFrame) -> list[Report]:
    joined: list[Report] = []
    integer_fields = {"report_year", "plan_year", "n_chars"}
    for report in reports:
        if report.id not in sidecar.index:
            joined.append(report)
            continue
        row = sidecar.loc[report.id]
        if isinstance(row, pd.DataFrame):
            row = row.iloc[0]
        meta, origin = dict(report.meta), dict(report.provenance)
        for column, value in row.items():
            if value is None or (isinstance(value, str) and value == "") or pd.isna(value):
                continue
            try:
                if column in integer_fields:
                    value = int(value)
                elif column == "publish_date":
                    value = pd.Timestamp(value)
            except (TypeError, ValueError) as exc:
                raise ArgumentError(
                    f"metadata for {report.id!r}: {column}={value!r} is not a valid "
                    f"{'year/number' if column in integer_fields else 'date'} ({exc})"
                ) from exc
            meta[column], origin[column] = value, "sidecar"
        joined.append(dataclasses.replace(report, meta=meta, provenance=origin))
    return joined


def load_corpus(
    source: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    errors: str = "raise",
    metadata: str | os.PathLike | pd.DataFrame | None = None,
    progress: bool | None = None,
    cache: bool | str | os.PathLike | None = None,
    n_jobs: int | None = None,
) -> Corpus:
    """Load every report a folder, glob or list of paths names.

    Parameters
    ----------
    source : str, Path or list of paths
        A folder (read recursively: .txt .text .html .htm .docx .pdf, hidden files and
        symlinked folders skipped), a glob (``"reports/**/*.html"``) or a list of files.
    errors : {"raise", "warn", "skip"}
        What a bad file does: stop loading (the error names the file), or be left out
        and listed in ``corpus.skipped`` (with a warning for ``"warn"``).
    metadata : str, Path or DataFrame, optional
        A sidecar table (CSV path or DataFrame) keyed by a column ``id`` (report id) or
        ``file``/``filename`` (file name); its other columns join ``corpus.reports`` and
        win over the extracted values (provenance ``"sidecar"``).
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
        default several only on Linux and for 200 files or more (elsewhere a new process
        re-imports the calling script, which must then guard its code with
        ``if __name__ == "__main__":``). The result does not depend on it.

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
    paths, described = _paths(source)
    from lawgovkit.cache import report_cache

    store = report_cache(cache)
    reports: list[Report] = []
    skipped: list[tuple[str, str, str]] = []
    keys: list[str | None] = []
    # each report is many objects, none of them in a reference cycle
    with collector_paused():
        for path, (report, error, recorded) in zip(
            paths, _outcomes(paths, store, n_jobs, progress, keys), strict=True
        ):
            for category, message in recorded:
                warnings.warn(message, category, stacklevel=2)
            if error is None:
                reports.append(report)
                continue
            if isinstance(error, tuple):  # from a worker process
                name, message = error
                if errors == "raise":
                    load_report(path)  # raises the same error, with its class and fields
                    raise LawgovkitError(message)
            else:
                name, message = type(error).__name__, str(error)
                if errors == "raise":
                    raise error
            skipped.append((str(path), name, message))
            if errors == "warn":
                warnings.warn(f"skipped: {message}", LawgovkitWarning, stacklevel=2)
    if not reports:
        reasons = f" ({len(skipped)} unreadable: see the errors)" if skipped else ""
        detail = "; ".join(message for _, _, message in skipped[:3])
        raise NoReportsError(
            f"no readable report found{reasons}" + (f": {detail}" if detail else ""),
            path=described,
        )
    reports = _unique_ids(reports)
    sidecar = None if metadata is None else _read_sidecar(metadata)
    if sidecar is not None:
        reports = _join_sidecar(reports, sidecar)
    table = pd.DataFrame(skipped, columns=SKIPPED_COLUMNS)
    corpus = Corpus(
        reports, skipped=table.sort_values("path", kind="stable").reset_index(drop=True)
    )
    if store is not None and None not in keys:
        from lawgovkit.cache import corpus_key

        corpus._tables_cache = (store, corpus_key(keys, errors, sidecar))
    return corpus
