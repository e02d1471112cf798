"""Office documents to text: .docx (python-docx) and .pdf (pdfplumber), each read within the
bounds of :mod:`lawgovkit._limits` (archive sizes, XML depth, PDF content), a refusal naming
the file and the reason. :func:`lawgovkit.readers.read_document` calls them."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from lawgovkit._limits import PdfBudget, check_zip
from lawgovkit._limits import reason as _reason
from lawgovkit.errors import (
    LawgovkitError,
    MissingExtraError,
    UnsupportedFormatError,
)

__all__ = ["read_docx", "read_pdf"]


def read_docx(data: bytes, path: Path, max_bytes: int) -> str:
    try:
        import docx
    except ImportError as exc:
        raise MissingExtraError(
            "reading .docx needs python-docx: pip install 'lawgovkit[docx]'", path=path
        ) from exc
    check_zip(path, max_bytes=max_bytes, data=data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise UnsupportedFormatError(
            f"not a readable .docx file ({_reason(exc)})", path=path
        ) from exc
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if _is_tag(child, "p"):
            lines.append("".join(t.text or "" for t in child.iter() if _is_tag(t, "t")))
        elif _is_tag(child, "tbl"):
            for row in child.iter():
                if _is_tag(row, "tr"):
                    cells = [
                        "".join(t.text or "" for t in cell.iter() if _is_tag(t, "t"))
                        for cell in row
                        if _is_tag(cell, "tc")
                    ]
                    lines.append("\t".join(cells))
    return "\n".join(lines)


def _is_tag(element: Any, name: str) -> bool:
    """Whether an XML element has the local name ``name``; comments and processing
    instructions (whose ``tag`` is not a string) never do."""
    tag = element.tag
    return isinstance(tag, str) and tag.rsplit("}", 1)[-1] == name


def read_pdf(data: bytes, path: Path) -> str:
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError as exc:
        raise MissingExtraError(
            "reading .pdf needs pdfplumber: pip install 'lawgovkit[pdf]'", path=path
        ) from exc
    lines: list[tuple[str, bool]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            budget = PdfBudget(path)
            budget.check_pages(pdf.doc)
            for number, page in enumerate(pdf.pages, start=1):
                budget.check_page(page.page_obj, number)
                lines.extend(_edge_lines(page.extract_text_lines()))
                page.close()  # its objects are not kept for the pages after it
    except LawgovkitError:
        raise
    except Exception as exc:  # pdfminer raises many kinds for a broken file
        # pdfplumber wraps pdfminer's errors: look inside for an encryption error
        inner = next((a for a in exc.args if isinstance(a, BaseException)), exc)
        if isinstance(inner, PDFPasswordIncorrect) or isinstance(exc, PDFPasswordIncorrect):
            raise UnsupportedFormatError(
                "encrypted PDF: it opens only with a password; save a copy without one",
                path=path,
            ) from exc
        if isinstance(inner, PDFEncryptionError) or isinstance(exc, PDFEncryptionError):
            raise UnsupportedFormatError(
                f"encrypted PDF, in a scheme that cannot be read ({_reason(inner)})", path=path
            ) from exc
        raise UnsupportedFormatError(
            f"not a readable PDF file ({_reason(exc)})", path=path
        ) from exc
    paragraphs: list[str] = []
    for index, (text, _) in enumerate(lines):
        previous_at_edge = index > 0 and lines[index - 1][1]
        if previous_at_edge and paragraphs and not _PARAGRAPH_START.match(text):
            paragraphs[-1] += text.strip()
        else:
            paragraphs.append(text)
    text = "\n".join(paragraphs)
    if not text.strip():
        raise UnsupportedFormatError(
            "the PDF has no text layer (a scan?): run OCR on it first", path=path
        )
    return text


# A line that starts a new paragraph even after a full line: a GB/T 9704 heading number.
_PARAGRAPH_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d))"
)


def _edge_lines(lines: list[dict]) -> list[tuple[str, bool]]:
    """A page's lines, each with True when it reaches the right text edge (wrapped).

    Word processors wrap Chinese text anywhere, so a line that runs to the right edge
    (within two characters) continues on the next line. On a page where fewer than three
    lines reach the edge, lines were not wrapped (one paragraph per line): none is.
    """
    if not lines:
        return []
    right = max(line["x1"] for line in lines)
    flags = []
    for line in lines:
        chars = line.get("chars") or []
        size = max((c.get("width", 0) for c in chars), default=10.0) or 10.0
        flags.append(line["x1"] >= right - 2 * size)
    if sum(flags) < 3:
        flags = [False] * len(lines)
    return [(line["text"], flag) for line, flag in zip(lines, flags, strict=True)]
