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
import dataclasses
import html
import json
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from lawgovkit.clean import Boilerplate, clean
from lawgovkit.errors import EmptyFileError, LawgovkitWarning, ParseError, printable
from lawgovkit.genre import is_report_like, report_score
from lawgovkit.metadata import extract_metadata
from lawgovkit.readers import Document, read_document
from lawgovkit.source_text import SourceText

if TYPE_CHECKING:  # pragma: no cover
    from lawgovkit.structure import Structure

__all__ = ["EXTRA_COLUMNS", "Report", "load_report", "report_score"]

#: Columns of ``corpus.reports`` after the CONTRACT ones: how the file was read.
EXTRA_COLUMNS = ("script", "encoding", "format", "is_report", "report_score")


class _RawText:
    """``Report.raw_text``: the text itself, or a :class:`~lawgovkit.source_text.SourceText`
    read again (and checked) each time it is asked for. A data descriptor, so the field
    keeps its place among the dataclass's fields and its name in ``__init__``."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = f"_{name}"

    def __get__(self, report: Report | None, owner: type | None = None) -> str:
        if report is None:
            raise AttributeError("raw_text has no default")  # a required field
        value = getattr(report, self._slot)
        return value if isinstance(value, str) else value.read()

    def __set__(self, report: Report, value: str | SourceText) -> None:
        object.__setattr__(report, self._slot, value)


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
        The text as read: decoded, and for HTML/.docx/.pdf the extracted text. For a text
        file loaded by :func:`lawgovkit.load_corpus` it is not kept in memory but read
        from the file again when asked for (see :attr:`source`); a file changed since
        raises :class:`~lawgovkit.errors.SourceChangedError`.
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
    stored_rows : str or None
        Internal, keyword only: the parsed structure as the JSON rows of
        :meth:`lawgovkit.structure.Structure.to_rows`, when the report was loaded by
        :func:`lawgovkit.load_corpus` (from the on-disk cache, a worker process or this
        one). :attr:`structure` is then built from them on first use instead of parsing
        the text again, and the corpus tables are made from them directly. None for a
        report whose structure is parsed on first use. Not part of equality, repr or hash;
        kept by ``dataclasses.replace``.

    Examples
    --------
    >>> text = "某区2023年度法治政府建设情况报告\\n2023年,我区推进依法行政。\\n一、主要举措\\n好。"
    >>> r = Report.from_text(text, id="x")
    >>> r.meta["report_year"], r.script, r.is_report
    (2023, 'simplified', True)
    """

    id: str
    path: str | None
    raw_text: str = _RawText()  # type: ignore[assignment]  # (not in the repr)
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
    stored_rows: str | None = field(default=None, repr=False, compare=False, kw_only=True)

    def __hash__(self) -> int:
        return hash((self.id, self.path, self.text))

    def __repr__(self) -> str:
        # the dataclass's, written out: it would show raw_text (and read it from its file)
        shown = (f for f in dataclasses.fields(self) if f.repr and f.name != "raw_text")
        return f"Report({', '.join(f'{f.name}={getattr(self, f.name)!r}' for f in shown)})"

    @property
    def source(self) -> SourceText | None:
        """The file :attr:`raw_text` is read from when asked for; None when it is held in
        memory."""
        held = self._raw_text  # type: ignore[attr-defined]  # _RawText's slot
        return None if isinstance(held, str) else held

    def replace(self, **changes: Any) -> Report:
        """A copy with ``changes`` (as :func:`dataclasses.replace`), :attr:`raw_text` left
        where it is (in memory or in its file) unless ``raw_text`` is among them."""
        changes.setdefault("raw_text", self._raw_text)  # type: ignore[attr-defined]
        return dataclasses.replace(self, **changes)

    def with_source(self, source: SourceText | None) -> Report:
        """This report with :attr:`raw_text` left in ``source`` (read again when asked
        for), or itself when ``source`` is None. ``source`` must read back to
        :attr:`raw_text` (:meth:`SourceText.of` checks it).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "r.txt"
        >>> data = "某区2023年度法治政府建设情况报告\\n一、主要举措\\n".encode()
        >>> _ = path.write_bytes(data)
        >>> r = load_report(path)
        >>> light = r.with_source(SourceText.of(data, path, r.raw_text, r.encoding))
        >>> light.source is not None, light.raw_text == r.raw_text, light == r
        (True, True, True)
        """
        return self if source is None else self.replace(raw_text=source)

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
        score = report_score(cleaned.text, meta["title"], meta.get("genre"))
        is_report = is_report_like(score)
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
        """The parsed structure (sections, items, problems, plans), built on first use:
        from :attr:`stored_rows` when the report has them (rows of the wrong shape are
        ignored), else by parsing the text."""
        from lawgovkit.structure import Structure, parse_structure

        if self.stored_rows is not None:
            with contextlib.suppress(KeyError, TypeError, ValueError, IndexError):
                return Structure.from_rows(self.stored_rows, self.text)
        return parse_structure(self.text, report_year=self.meta.get("report_year"))

    def with_stored_rows(self) -> Report:
        """This report, its structure parsed (if not yet) and kept as :attr:`stored_rows`:
        what :func:`lawgovkit.load_corpus` caches and sends between processes.

        Examples
        --------
        >>> text = "某区2023年度法治政府建设情况报告\\n一、存在的问题\\n人手少。"
        >>> r = Report.from_text(text, id="x")
        >>> stored = r.with_stored_rows()
        >>> stored == r, stored.stored_rows is not None, stored.structure == r.structure
        (True, True, True)
        """
        if self.stored_rows is not None:
            return self
        # compact and ASCII (headings as \u escapes): one byte a character in memory, where
        # a single Chinese character makes the whole string two (a quarter smaller overall)
        rows = json.dumps(self.structure.to_rows(self.text), separators=(",", ":"))
        return self.replace(stored_rows=rows)

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
    return report_from_document(
        read_document(path, encoding=encoding, max_file_mb=max_file_mb), path
    )


def report_from_document(document: Document, path: str | Path) -> Report:
    """The :class:`Report` of a file read as ``document`` (see :func:`load_report`)."""
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
