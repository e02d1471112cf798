"""Bounds on what reading one file may cost: which files are opened at all, how many bytes
are read, how far an archive or a PDF's content may expand.

A report is a few hundred kilobytes; the bounds below are far above any real one and far
below what would exhaust a machine. Each refusal is a :class:`~lawgovkit.errors.LawgovkitError`
naming the file and the bound:

- Only regular files are opened (a named pipe would block for ever, a device such as
  ``/dev/zero`` never ends; symlinks are followed to see what they point to):
  :class:`~lawgovkit.errors.NotRegularFileError`.
- A file larger than the size limit is refused before a byte is read
  (:class:`~lawgovkit.errors.LimitExceededError`). The limit is 64 MB, or
  ``$LAWGOVKIT_MAX_FILE_MB`` megabytes when that is set, or what ``max_file_mb=`` says.
- A .docx (a ZIP archive) may hold at most :data:`MAX_ZIP_MEMBERS` parts, and expand to at
  most the size limit in all: the sizes the archive declares are checked before anything is
  inflated, and Python's zipfile never inflates a part past its declared size.
- A PDF's pages are checked before their text is extracted: each page's content (with the
  forms it draws) may expand to at most :data:`MAX_PDF_PAGE_CONTENT` bytes and show at most
  :data:`MAX_PDF_PAGE_STRING_BYTES` bytes of text strings, the whole document at most
  :data:`MAX_PDF_STRING_BYTES` (a glyph takes one or two bytes; a dense real page shows
  about five thousand).
"""

from __future__ import annotations

import os
import re
import stat
import zlib
from pathlib import Path
from typing import Any

from lawgovkit.errors import (
    ArgumentError,
    LimitExceededError,
    NotRegularFileError,
    ReportNotFoundError,
    UnsupportedFormatError,
)

__all__ = [
    "DEFAULT_MAX_FILE_MB",
    "MAX_PDF_PAGES",
    "MAX_PDF_PAGE_CONTENT",
    "MAX_PDF_PAGE_STRING_BYTES",
    "MAX_PDF_STRING_BYTES",
    "MAX_ZIP_MEMBERS",
    "PdfBudget",
    "check_zip",
    "max_file_bytes",
    "read_file",
    "reason",
]

#: The size limit of one file, in megabytes, unless ``$LAWGOVKIT_MAX_FILE_MB`` says otherwise.
DEFAULT_MAX_FILE_MB = 64
#: Parts a .docx archive may hold (a real one holds a few dozen).
MAX_ZIP_MEMBERS = 10_000
#: Pages a PDF may declare (a report has a few dozen).
MAX_PDF_PAGES = 10_000
#: Bytes one PDF page's content streams (and the forms it draws) may expand to.
MAX_PDF_PAGE_CONTENT = 16 * 1024 * 1024
#: Bytes of text strings one PDF page may show (one or two per glyph).
MAX_PDF_PAGE_STRING_BYTES = 200_000
#: Bytes of text strings a whole PDF may show.
MAX_PDF_STRING_BYTES = 16 * 1024 * 1024

_MB = 1024 * 1024
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def max_file_bytes(max_file_mb: float | None = None) -> int:
    """The size limit of one file in bytes: ``max_file_mb`` megabytes when given, else
    ``$LAWGOVKIT_MAX_FILE_MB``, else :data:`DEFAULT_MAX_FILE_MB`.

    Examples
    --------
    >>> max_file_bytes(1)
    1048576
    """
    source = "max_file_mb"
    value: Any = max_file_mb
    if value is None:
        value = os.environ.get("LAWGOVKIT_MAX_FILE_MB") or DEFAULT_MAX_FILE_MB
        source = "LAWGOVKIT_MAX_FILE_MB"
    try:
        megabytes = float(value)
    except (TypeError, ValueError):
        megabytes = float("nan")
    if not megabytes > 0 or megabytes == float("inf"):
        raise ArgumentError(f"{source}={value!r} must be a positive number of megabytes")
    return int(megabytes * _MB)


def reason(exc: BaseException) -> str:
    """An exception's message on one line, or its class name when the message is empty."""
    return " ".join(str(exc).split()) or type(exc).__name__


def _describe(mode: int) -> str:
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _megabytes(n: int) -> str:
    return f"{n / _MB:.3g} MB"


def read_file(path: str | Path, *, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` bytes.

    What the path names (through symlinks) is checked before it is opened: a named pipe,
    socket or device is never opened, a file larger than the limit never read. The file is
    opened without blocking and checked again (it may have been replaced in between), and
    no more than ``max_bytes + 1`` bytes are ever read (it may have grown).

    Raises
    ------
    NotRegularFileError, LimitExceededError, ReportNotFoundError
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        reason = "no such file" if isinstance(exc, FileNotFoundError) else "cannot be read"
        raise ReportNotFoundError(f"{reason} ({exc.strerror})", path=path) from exc
    _check_regular(info, path, max_bytes)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ReportNotFoundError(f"cannot be read ({exc.strerror})", path=path) from exc
    with os.fdopen(fd, "rb") as stream:
        _check_regular(os.fstat(fd), path, max_bytes)
        try:
            data = stream.read(max_bytes + 1)
        except OSError as exc:
            raise ReportNotFoundError(f"cannot be read ({exc.strerror})", path=path) from exc
    if len(data) > max_bytes:
        raise LimitExceededError(
            f"the file grew past the size limit of {_megabytes(max_bytes)} while it was read",
            path=path,
        )
    return data


def _check_regular(info: os.stat_result, path: str | Path, max_bytes: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise ReportNotFoundError("this is a folder, not a report file", path=path)
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFileError(
            f"not a regular file: {_describe(info.st_mode)}, never opened", path=path
        )
    if info.st_size > max_bytes:
        raise LimitExceededError(
            f"the file is {_megabytes(info.st_size)}, larger than the size limit of "
            f"{_megabytes(max_bytes)} (max_file_mb= or $LAWGOVKIT_MAX_FILE_MB raise it)",
            path=path,
        )


def check_zip(
    path: str | Path, *, max_bytes: int, what: str = ".docx", data: bytes | None = None
) -> None:
    """Refuse an archive whose parts would expand past ``max_bytes`` in all, before any is
    inflated. Python's zipfile never inflates a part past the size the archive declares for
    it (a part that holds more fails its check), so the declared sizes bound the real ones.

    ``data``: the archive's bytes, already read (else the file ``path`` is opened).

    Raises
    ------
    UnsupportedFormatError, LimitExceededError
    """
    import io
    import zipfile

    try:
        with zipfile.ZipFile(path if data is None else io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        reason = str(exc) or type(exc).__name__
        raise UnsupportedFormatError(
            f"not a readable {what} file (not a ZIP archive: {reason})", path=path
        ) from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise LimitExceededError(
            f"the {what} archive holds {len(members)} parts, more than {MAX_ZIP_MEMBERS}",
            path=path,
        )
    total = 0
    for member in members:
        total += member.file_size
        if total > max_bytes:
            raise LimitExceededError(
                f"the {what} archive expands past {_megabytes(max_bytes)} "
                f"(part {member.filename!r} declares {_megabytes(member.file_size)})",
                path=path,
            )


class PdfBudget:
    """What a PDF's pages may still cost; :meth:`check_page` before a page is read."""

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self.strings = 0

    def check_pages(self, document: Any) -> None:
        """Refuse a document (a pdfminer ``PDFDocument``) of more than :data:`MAX_PDF_PAGES`
        pages, by the count its page tree declares, before the pages are listed."""
        from pdfminer.pdftypes import resolve1

        pages = resolve1(document.catalog.get("Pages")) if document.catalog else None
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
        if isinstance(count, int) and count > MAX_PDF_PAGES:
            raise LimitExceededError(
                f"the PDF declares {count:,} pages, more than {MAX_PDF_PAGES:,}", path=self.path
            )

    def check_page(self, page: Any, number: int) -> None:
        """Refuse page ``number`` (1-based; a pdfminer ``PDFPage``) when its content would
        expand or show past the bounds (see the module docstring)."""
        content = 0
        strings = 0
        for data in _page_streams(page, self.path, number):
            content += len(data)
            if content > MAX_PDF_PAGE_CONTENT:
                raise LimitExceededError(
                    f"PDF page {number}'s content expands past "
                    f"{_megabytes(MAX_PDF_PAGE_CONTENT)}: not a text page",
                    path=self.path,
                )
            strings += _string_bytes(data)
        if strings > MAX_PDF_PAGE_STRING_BYTES:
            raise LimitExceededError(
                f"PDF page {number} draws about {strings:,} glyphs, more than "
                f"{MAX_PDF_PAGE_STRING_BYTES:,} (a dense page of text draws about 5,000)",
                path=self.path,
            )
        self.strings += strings
        if self.strings > MAX_PDF_STRING_BYTES:
            raise LimitExceededError(
                f"the PDF draws more than {MAX_PDF_STRING_BYTES:,} glyphs by page {number}",
                path=self.path,
            )


def _page_streams(page: Any, path: str | Path, number: int) -> list[bytes]:
    """The decoded content streams of a page and of the forms (XObjects) it may draw."""
    from pdfminer.pdftypes import PDFStream, resolve1

    streams: list[Any] = []
    seen: set[int] = set()
    contents = page.contents if isinstance(page.contents, list) else [page.contents]
    pending = [resolve1(c) for c in contents]
    pending += _forms(resolve1(page.resources) if page.resources else None)
    found: list[bytes] = []
    while pending:
        stream = pending.pop()
        if not isinstance(stream, PDFStream) or id(stream) in seen:
            continue
        seen.add(id(stream))
        streams.append(stream)
        found.append(_bounded_data(stream, path, number))
        pending += _forms(resolve1(stream.get("Resources")))
    return found


def _forms(resources: Any) -> list[Any]:
    from pdfminer.pdftypes import PDFStream, resolve1

    if not isinstance(resources, dict):
        return []
    xobjects = resolve1(resources.get("XObject"))
    if not isinstance(xobjects, dict):
        return []
    forms = []
    for value in xobjects.values():
        stream = resolve1(value)
        if isinstance(stream, PDFStream) and getattr(stream.get("Subtype"), "name", "") == "Form":
            forms.append(stream)
    return forms


def _bounded_data(stream: Any, path: str | Path, number: int) -> bytes:
    """A stream's decoded bytes, inflating at most :data:`MAX_PDF_PAGE_CONTENT` + 1 bytes."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE

    if stream.data is not None:
        return stream.data
    data = stream.rawdata or b""
    if stream.decipher and stream.objid is not None and stream.genno is not None:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    for name, _params in stream.get_filters():
        if name in LITERALS_FLATE_DECODE:
            inflater = zlib.decompressobj()
            try:
                data = inflater.decompress(data, MAX_PDF_PAGE_CONTENT + 1)
            except zlib.error:
                return b""  # pdfminer reads what it can of a corrupt stream
            if len(data) > MAX_PDF_PAGE_CONTENT:
                raise LimitExceededError(
                    f"PDF page {number}'s content expands past "
                    f"{_megabytes(MAX_PDF_PAGE_CONTENT)}: not a text page",
                    path=path,
                )
        else:  # other filters (rare in content streams) are left to pdfminer
            return data
    return data


def _string_bytes(data: bytes) -> int:
    """About how many bytes of text strings a content stream shows: the bytes inside
    literal strings ``(...)`` and half the digits of hex strings ``<...>``.

    Examples
    --------
    >>> _string_bytes(b"BT /F1 12 Tf (Hello) Tj [<0041 0042> -20 (ab)] TJ ET << /A 1 >>")
    11
    """
    literal = sum(len(m) - 2 for m in _LITERAL.findall(data))
    digits = sum(len(m) - 2 - sum(m.count(c) for c in b" \t\r\n") for m in _HEX.findall(data))
    return literal + digits // 2


# Possessive repeats: a failed match stops at the next parenthesis or non-hex byte, so the
# scan stays linear however the stream is made.
_LITERAL = re.compile(rb"\((?:[^()\\]|\\.)*+\)", re.S)
_HEX = re.compile(rb"<(?!<)[0-9A-Fa-f \t\r\n]*+>")
