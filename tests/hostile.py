"""Builders of hostile files for the reliability tests: what a careless download, a broken
disk or an attacker may leave in a folder of reports.

Each builder takes a folder and writes one file (or pipe, socket, symlink) into it, in the
test's ``tmp_path``; :data:`HOSTILE` lists them with the error a reader must answer with.
Nothing here is committed as a binary, and nothing large is ever held in memory: bombs are
written in chunks.
"""

from __future__ import annotations

import os
import socket
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

__all__ = ["HOSTILE", "deep_html", "raw_pdf"]

_CHUNK = b"\0" * (1 << 20)


def _fifo(folder: Path) -> Path:
    path = folder / "管道.txt"
    os.mkfifo(path)
    return path


def _socket(folder: Path) -> Path:
    path = folder / "sock.txt"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays
    return path


def _symlink_to(target: str, name: str) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.symlink_to(target)
        return path

    return write


def _docx_members(document_xml_writer: Callable[[zipfile.ZipFile], None], path: Path) -> Path:
    """A .docx whose ``word/document.xml`` the writer puts in; the rest is a real package."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        "schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
        '" Target="word/document.xml"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        document_xml_writer(archive)
    return path


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_bomb(folder: Path) -> Path:
    """A .docx whose document part inflates to 200 MB (about 200 KB on disk)."""

    def write(archive: zipfile.ZipFile) -> None:
        with archive.open("word/document.xml", "w", force_zip64=True) as stream:
            stream.write(f"<w:document {_W}><w:body><w:p><w:r><w:t>".encode())
            for _ in range(200):
                stream.write(_CHUNK)
            stream.write(b"</w:t></w:r></w:p></w:body></w:document>")

    return _docx_members(write, folder / "zip炸弹.docx")


def _docx_lying_sizes(folder: Path) -> Path:
    """A .docx whose document part holds 8 MB but declares 1,000 bytes (in both headers)."""
    path = _docx_members(
        lambda archive: archive.writestr(
            "word/document.xml",
            f"<w:document {_W}><w:body><w:p><w:r><w:t>".encode() + b"x" * (8 << 20) + b"</w:t>",
        ),
        folder / "谎报大小.docx",
    )
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
    data[info.header_offset + 22 : info.header_offset + 26] = (1000).to_bytes(4, "little")
    central = data.rfind(b"PK\x01\x02")
    while central != -1:
        name_length = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + name_length] == b"word/document.xml":
            data[central + 24 : central + 28] = (1000).to_bytes(4, "little")
            break
    else:
        raise AssertionError("the central directory entry was not found")
        central = data.rfind(b"PK\x01\x02", 0, central)
    path.write_bytes(bytes(data))
    return path


def _docx_deep(folder: Path) -> Path:
    """A .docx whose XML nests 100,000 elements deep."""

    def write(archive: zipfile.ZipFile) -> None:
        body = f"<w:document {_W}><w:body>" + "<w:p>" * 100_000 + "</w:p>" * 100_000
        archive.writestr("word/document.xml", body + "</w:body></w:document>")

    return _docx_members(write, folder / "深层嵌套.docx")


def raw_pdf(content: bytes, *, compress: bool = True, pages: int = 1) -> bytes:
    """A minimal PDF (Helvetica) whose ``pages`` pages each draw ``content``."""
    stream = zlib.compress(content, 9) if compress else content
    filters = b"/Filter /FlateDecode " if compress else b""
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(pages)).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(pages).encode() + b" >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 "
            b"3 0 R >> >> /Contents " + str(5 + 2 * i).encode() + b" 0 R >>"
        )
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" " + filters + b">>\nstream\n"
            b"" + stream + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _pdf_glyphs(folder: Path) -> Path:
    """A small PDF whose one page draws 1.5 million glyphs."""
    content = b"BT /F1 1 Tf 0 0 Td (" + b"A" * 1_500_000 + b") Tj ET"
    path = folder / "百万字形.pdf"
    path.write_bytes(raw_pdf(content))
    return path


def _pdf_content_bomb(folder: Path) -> Path:
    """A PDF whose page content inflates to 100 MB of spaces."""
    inflater = zlib.compressobj(9)
    stream = b"".join(inflater.compress(b" " * (1 << 20)) for _ in range(100)) + inflater.flush()
    path = folder / "内容炸弹.pdf"
    path.write_bytes(_pdf_with_stream(stream))
    return path


def _pdf_with_stream(stream: bytes) -> bytes:
    marker = b"Q" * 8
    pdf = raw_pdf(marker, compress=False)
    return pdf.replace(
        b"<< /Length 8 >>\nstream\n" + marker,
        b"<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n" + stream,
    )


def _pdf_encrypted(folder: Path) -> Path:
    """A PDF that opens only with a password."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Annual report on law-based government")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    path = folder / "加密.pdf"
    pdf.output(str(path))
    return path


def deep_html(levels: int, *, closed: bool) -> str:
    """A page whose report sentence sits ``levels`` ``<div>`` elements deep."""
    body = (
        "<div>" * levels
        + "<p>2023年,我区推进依法行政。</p>"
        + ("</div>" * levels if closed else "")
    )
    return f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>"


def _html_deep(closed: bool) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / f"深层网页{'闭合' if closed else '未闭合'}.html"
        path.write_text(deep_html(100_000, closed=closed), encoding="utf-8")
        return path

    return write


def _oversized(folder: Path) -> Path:
    """A 70 MB file (sparse: it takes no disk), past the default 64 MB limit."""
    path = folder / "超大.txt"
    with open(path, "wb") as stream:
        stream.truncate(70 << 20)
    return path


#: name: (builder, the error class the file is refused with, None when it loads, and a
#: phrase of the message)
HOSTILE: dict[str, tuple[Callable[[Path], Path], str | None, str]] = {
    "fifo": (_fifo, "NotRegularFileError", "named pipe"),
    "socket": (_socket, "NotRegularFileError", "socket"),
    "dev_zero": (_symlink_to("/dev/zero", "zero.txt"), "NotRegularFileError", "device"),
    "dev_urandom": (_symlink_to("/dev/urandom", "随机.txt"), "NotRegularFileError", "device"),
    "oversized": (_oversized, "LimitExceededError", "size limit"),
    "docx_bomb": (_docx_bomb, "LimitExceededError", "expands past"),
    "docx_lying_sizes": (_docx_lying_sizes, "UnsupportedFormatError", "not a readable .docx"),
    "docx_deep_xml": (_docx_deep, "UnsupportedFormatError", "not a readable .docx"),
    "pdf_glyphs": (_pdf_glyphs, "LimitExceededError", "glyphs"),
    "pdf_content_bomb": (_pdf_content_bomb, "LimitExceededError", "expands past"),
    "pdf_encrypted": (_pdf_encrypted, "UnsupportedFormatError", "encrypted PDF"),
    "html_deep_closed": (_html_deep(True), None, ""),
    "html_deep_unclosed": (_html_deep(False), None, ""),
}
