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

import dataclasses
import glob as globbing
import os
import warnings
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path

import pandas as pd

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
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ArgumentError(f"report ids must be unique; repeated: {', '.join(duplicates)}")
        self._reports = {r.id: r for r in ordered}
        self._skipped = skipped if skipped is not None else pd.DataFrame(columns=SKIPPED_COLUMNS)

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

    def _concat(self, name: str, order: list[str]) -> pd.DataFrame:
        frames = [getattr(r, name) for r in self]
        if not frames:
            return pd.DataFrame()
        non_empty = [f for f in frames if len(f)]
        table = pd.concat(non_empty or frames[:1], ignore_index=True)
        keys = [k for k in order if k in table.columns]
        return table.sort_values(keys, kind="stable").reset_index(drop=True)

    @cached_property
    def _sections(self) -> pd.DataFrame:
        return self._concat("sections", ["report_id", "start"])

    @cached_property
    def _items(self) -> pd.DataFrame:
        return self._concat("items", ["report_id", "start"])

    @cached_property
    def _problems(self) -> pd.DataFrame:
        from lawgovkit.candour import categorize_problems

        table = self._concat("problems", ["report_id", "n"])
        if "text" in table.columns:
            table["category"] = pd.Series(
                categorize_problems(table["text"].fillna("")), index=table.index, dtype=object
            )
        return table

    @cached_property
    def _plans(self) -> pd.DataFrame:
        from lawgovkit.themes import plan_themes

        table = self._concat("plans", ["report_id", "n"])
        if "text" in table.columns:
            table["category"] = pd.Series(
                plan_themes(table["text"].fillna("")), index=table.index, dtype=object
            )
        return table

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
        (:func:`lawgovkit.candour.problem_categories`), ``"other"`` when no keyword fits.
        """
        return self._problems.copy()

    @property
    def plans(self) -> pd.DataFrame:
        """One row per planned measure (report_id, n, text, section_id, category).

        ``category`` is the plan's main theme (:func:`lawgovkit.themes.plan_themes`), None
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


def _progress(paths: list[Path], progress: bool | None) -> Iterable[Path]:
    show = progress
    if show is None:
        show = len(paths) > _PROGRESS_MIN_FILES and not os.environ.get("CI")
    if not show:
        return paths
    from tqdm.auto import tqdm

    return tqdm(paths, desc="reports", unit="file")


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
        result.extend(dataclasses.replace(r, id=i) for r, i in zip(same, ids, strict=True))
    return result


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
    reports: list[Report] = []
    skipped: list[tuple[str, str, str]] = []
    for path in _progress(paths, progress):
        try:
            reports.append(load_report(path))
        except LawgovkitError as exc:
            if errors == "raise":
                raise
            skipped.append((str(path), type(exc).__name__, str(exc)))
            if errors == "warn":
                warnings.warn(f"skipped: {exc}", LawgovkitWarning, stacklevel=2)
    if not reports:
        reasons = f" ({len(skipped)} unreadable: see the errors)" if skipped else ""
        detail = "; ".join(message for _, _, message in skipped[:3])
        raise NoReportsError(
            f"no readable report found{reasons}" + (f": {detail}" if detail else ""),
            path=described,
        )
    reports = _unique_ids(reports)
    if metadata is not None:
        reports = _join_sidecar(reports, _read_sidecar(metadata))
    table = pd.DataFrame(skipped, columns=SKIPPED_COLUMNS)
    return Corpus(reports, skipped=table.sort_values("path", kind="stable").reset_index(drop=True))
