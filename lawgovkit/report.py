"""One report: :class:`Report`, :func:`load_report` and :meth:`Report.from_text`.

A :class:`Report` holds the text as read (``raw_text``), the cleaned text (``text``: what
the sections cover), the page chrome removed from it (``boilerplate``), its metadata
(``meta``, the report's row of ``corpus.reports``) and where each field came from
(``provenance``). Its structure (sections, items, problems, plans) is parsed on first use
by :func:`lawgovkit.structure.parse_structure`.

A text that does not look like a rule-of-law government report (a notice, a news item, an
error page) still loads, with ``is_report`` False and a
:class:`~lawgovkit.errors.LawgovkitWarning`; ``report_score`` (0-1) says how report-like
it is.
"""

from __future__ import annotations

import contextlib
import html
import math
import re
import warnings
from dataclasses import dataclass, field
from functools import cache, cached_property
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from lawgovkit._data import read_json
from lawgovkit.clean import Boilerplate, clean
from lawgovkit.errors import EmptyFileError, LawgovkitWarning, ParseError, printable
from lawgovkit.metadata import METADATA_COLUMNS, extract_metadata
from lawgovkit.readers import read_document

if TYPE_CHECKING:  # pragma: no cover
    from lawgovkit.structure import Structure

__all__ = ["EXTRA_COLUMNS", "Report", "load_report"]

#: Columns of ``corpus.reports`` after the CONTRACT ones: how the file was read.
EXTRA_COLUMNS = ("script", "encoding", "format", "is_report", "report_score")


@cache
def _signals() -> dict[str, Any]:
    data = read_json("metadata.json")["report_signals"]
    return {
        "words": re.compile(data["words"]),
        "words_full": data["words_full"],
        "headings": re.compile(data["headings"], re.M),
        "headings_full": data["headings_full"],
        "title": re.compile(data["title"]),
        "length_full": data["length_full"],
        "weights": data["weights"],
        "threshold": data["threshold"],
    }


def report_score(text: str, title: str | None) -> float:
    """How much a cleaned text looks like a rule-of-law government report, from 0 to 1.

    A weighted sum of four signals, each capped at 1 (weights and patterns in
    ``metadata.json``): genre words (法治政府, 依法行政, 法治建设...), GB/T 9704 headings,
    a report title (年度/报告 with 法治/依法), and length.

    Examples
    --------
    >>> report_score("通知\\n定于下周一召开大会。\\n", None) < 0.5
    True
    """
    s = _signals()
    parts = {
        "words": min(1.0, _count(s["words"], text, s["words_full"]) / s["words_full"]),
        "headings": min(1.0, _count(s["headings"], text, s["headings_full"]) / s["headings_full"]),
        "title": 1.0 if title and s["title"].search(title) else 0.0,
        "length": min(1.0, len(text) / s["length_full"]),
    }
    return round(sum(s["weights"][k] * v for k, v in parts.items()), 3)


def _count(pattern: re.Pattern[str], text: str, full: float) -> int:
    """The number of matches of ``pattern`` in ``text``, counted no further than ``full``
    (rounded up): the signal is full there, and the rest of the text need not be read."""
    return sum(1 for _ in islice(pattern.finditer(text), math.ceil(full)))


@dataclass(frozen=True, eq=True)
class Report:
    """One report: its texts, removed chrome, metadata and (lazily) structure.

    Attributes
    ----------
    id : str
        The file stem (or the id given to :meth:`from_text`).
    path : str or None
        The file it came from.
    raw_text : str
        The text as read: decoded, and for HTML/.docx/.pdf the extracted text.
    text : str
        The cleaned text (normalised, simplified, chrome removed): what sections cover.
    boilerplate : tuple of Boilerplate
        The page chrome removed, with its line number in the normalised input.
    meta : dict
        The report's row of ``corpus.reports`` (CONTRACT columns, then script, encoding,
        format, is_report, report_score, and any sidecar columns).
    provenance : dict
        Field → ``"title"``, ``"body"``, ``"boilerplate"``, ``"cpca"``, ``"sidecar"`` or
        ``"derived"``.
    script : str
        ``"simplified"`` or ``"traditional"`` (what the source was written in).
    encoding : str or None
        The encoding the file was decoded with.
    format : str
        ``"txt"``, ``"html"``, ``"docx"``, ``"pdf"`` (or ``"text"`` for from_text).
    is_report : bool
        False for a text that does not look like such a report.
    report_score : float
        0-1, how report-like the text is.
    warnings : tuple of str
        Doubts raised while loading (also issued as LawgovkitWarning).

    Examples
    --------
    >>> text = "某区2023年度法治政府建设情况报告\\n2023年,我区推进依法行政。\\n一、主要举措\\n好。"
    >>> r = Report.from_text(text, id="x")
    >>> r.meta["report_year"], r.script, r.is_report
    (2023, 'simplified', True)
    """

    id: str
    path: str | None
    raw_text: str = field(repr=False)
    text: str = field(repr=False)
    boilerplate: tuple[Boilerplate, ...] = field(repr=False)
    meta: dict = field(repr=False)
    provenance: dict = field(repr=False)
    script: str = "simplified"
    encoding: str | None = None
    format: str = "text"
    is_report: bool = True
    report_score: float = 1.0
    warnings: tuple[str, ...] = field(default=(), repr=False)

    def __hash__(self) -> int:
        return hash((self.id, self.path, self.text))

    @classmethod
    def from_text(
        cls,
        text: str,
        id: str = "report",
        path: str | Path | None = None,
        *,
        encoding: str | None = None,
        format: str = "text",
    ) -> Report:
        """Build a report from its text (no file needed).

        Parameters
        ----------
        text : str
            The report's text as read (page chrome and any width or script welcome).
        id : str
            Its id.
        path : str or Path, optional
            The file it came from, if any.
        encoding, format : str, optional
            How the file was read (set by :func:`load_report`).

        Returns
        -------
        Report

        Raises
        ------
        EmptyFileError
            When the text holds nothing but whitespace and chrome.

        Examples
        --------
        >>> text = "市司法局关于2024年度法治政府建设情况的报告\\n发布日期:2025-03-27\\n正文。"
        >>> r = Report.from_text(text, id="r")
        >>> r.meta["body"], str(r.meta["publish_date"].date()), r.boilerplate[0].kind
        ('justice_bureau', '2025-03-27', 'publish_info')
        """
        if not isinstance(text, str):
            raise ParseError(f"text expected, {type(text).__name__} received", path=path or id)
        where = str(path) if path is not None else id
        cleaned = clean(text)
        if not cleaned.text.strip():
            what = "only page chrome" if cleaned.boilerplate else "nothing but whitespace"
            raise EmptyFileError(f"the text holds {what}", path=where)
        if any(b.kind == "repeated_copy" for b in cleaned.boilerplate):
            warnings.warn(
                f"{where}: the report is pasted twice in the file: read once "
                "(the second copy is in report.boilerplate, kind repeated_copy)",
                LawgovkitWarning,
                stacklevel=2,
            )
        meta, provenance = extract_metadata(
            cleaned.text, cleaned.boilerplate, path=None if path is None else str(path)
        )
        score = report_score(cleaned.text, meta["title"])
        is_report = score >= _signals()["threshold"]
        doubts: tuple[str, ...] = ()
        if not is_report:
            doubt = (
                f"{where}: does not look like a rule-of-law government report "
                f"(report_score {score:.2f}): loaded with is_report=False"
            )
            doubts = (doubt,)
            warnings.warn(doubt, LawgovkitWarning, stacklevel=2)
        meta.update(
            script=cleaned.script,
            encoding=encoding,
            format=format,
            is_report=is_report,
            report_score=score,
        )
        return cls(
            id=str(id),
            path=None if path is None else str(path),
            raw_text=text,
            text=cleaned.text,
            boilerplate=cleaned.boilerplate,
            meta=meta,
            provenance=provenance,
            script=cleaned.script,
            encoding=encoding,
            format=format,
            is_report=is_report,
            report_score=score,
            warnings=doubts,
        )

    @cached_property
    def structure(self) -> Structure:
        """The parsed structure (sections, items, problems, plans), built on first use."""
        from lawgovkit.structure import parse_structure

        stored = self.__dict__.pop("_stored_structure", None)
        if stored is not None:  # read from the on-disk cache; records built only now
            from lawgovkit.cache import structure_from_rows

            with contextlib.suppress(KeyError, TypeError, ValueError, IndexError):
                return structure_from_rows(stored, self.text)
        return parse_structure(self.text, report_year=self.meta.get("report_year"))

    @cached_property
    def _frames(self) -> dict[str, pd.DataFrame]:
        return self.structure.to_frames(self.id)

    @property
    def sections(self) -> pd.DataFrame:
        """One row per section (CONTRACT columns); texts re-join to :attr:`text`."""
        return self._frames["sections"]

    @property
    def items(self) -> pd.DataFrame:
        """One row per enumerated item (一是…, (一)…, 1. …)."""
        return self._frames["items"]

    @property
    def problems(self) -> pd.DataFrame:
        """One row per admitted problem."""
        return self._frames["problems"]

    @property
    def plans(self) -> pd.DataFrame:
        """One row per planned measure."""
        return self._frames["plans"]

    def outline(self) -> str:
        """The heading tree as text, with each section's role."""
        return self.structure.outline()

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(str(k))}</th>"
            f"<td style='text-align:left'>{html.escape(_shown(v))}</td></tr>"
            for k, v in self.meta.items()
        )
        try:
            outline = html.escape(self.outline())
        except Exception as exc:  # the display must not fail; say why the outline is missing
            outline = html.escape(f"(no outline: {exc})")
        return (
            f"<div><strong>Report {html.escape(self.id)}</strong>"
            f"<table>{rows}</table><pre>{outline}</pre></div>"
        )


def _shown(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return "—"
    if isinstance(value, pd.Timestamp):
        return str(value.date())
    return str(value)


def load_report(
    path: str | Path, *, encoding: str | None = None, max_file_mb: float | None = None
) -> Report:
    """Read one report file (.txt, .html/.htm, .docx, .pdf) into a :class:`Report`.

    Parameters
    ----------
    path : str or Path
        The file; its stem becomes the report's id.
    encoding : str, optional
        The text encoding; detected when not given.
    max_file_mb : float, optional
        The size limit in megabytes (see :func:`lawgovkit.readers.read_document`): by
        default ``$LAWGOVKIT_MAX_FILE_MB``, else 64.

    Returns
    -------
    Report

    Raises
    ------
    LawgovkitError
        A specific subclass naming the file: ReportNotFoundError, EmptyFileError,
        BinaryFileError, EncodingError, UnsupportedFormatError, MissingExtraError,
        NotRegularFileError (a pipe, socket or device), LimitExceededError (too large).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "r1.txt"
    >>> text = "某县2022年度法治政府建设情况报告\\r\\n一、主要举措\\r\\n"
    >>> _ = path.write_bytes(text.encode("gbk"))
    >>> report = load_report(path)
    >>> report.id, report.encoding, report.meta["jurisdiction"]
    ('r1', 'gb18030', None)
    """
    document = read_document(path, encoding=encoding, max_file_mb=max_file_mb)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = Report.from_text(
            document.text,
            id=printable(Path(path).stem),
            path=printable(str(path)),
            encoding=document.encoding,
            format=document.format,
        )
    for warning in caught:
        warnings.warn(warning.message, warning.category, stacklevel=2)
    return report


def _meta_columns() -> tuple[str, ...]:
    return (*METADATA_COLUMNS, *EXTRA_COLUMNS)
