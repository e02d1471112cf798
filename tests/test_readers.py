"""Tests for lawgovkit.readers: bytes → text in every encoding and format, bad files refused."""

from __future__ import annotations

import builtins
import codecs
import re
from pathlib import Path

import opencc
import pytest

from lawgovkit.errors import (
    BinaryFileError,
    EmptyFileError,
    EncodingError,
    LawgovkitError,
    MissingExtraError,
    ReportNotFoundError,
    UnsupportedFormatError,
)
from lawgovkit.readers import decode_bytes, html_to_text, read_document

TEXT = (
    "某县2022年度法治政府建设情况报告\n"
    "2022年,我县深入推进依法行政,法治政府建设取得新成效。\n"
    "一、主要举措和成效\n"
    "(一)规范行政执法。全面落实行政执法三项制度,评查案卷120卷。\n"
    "二、存在的问题\n"
    "一是执法力量薄弱;二是普法形式单一。\n"
)
TRADITIONAL = opencc.OpenCC("s2t").convert(TEXT)

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>某县报告_某县人民政府</title>
<style>p {{ text-indent: 2em; }}</style>
<script>var menu = "首页"; function go() {{ location.href = "/"; }}</script></head>
<body>
<div class="header">某县人民政府门户网站</div>
<nav><a href="/">首页</a> <a href="/zwgk/">政务公开</a></nav>
<div id="main-menu"><ul><li>机构概况</li><li>政务服务</li></ul></div>
<div class="article">
{paragraphs}
</div>
<div class="bdsharebuttonbox">分享到:微信</div>
<footer>版权所有 某县人民政府</footer>
<!-- 统计代码 -->
</body></html>
"""


def _page(text: str, charset: str = "utf-8") -> str:
    paragraphs = "\n".join(f"<p>{line}</p>" for line in text.strip().split("\n"))
    return PAGE.format(charset=charset, paragraphs=paragraphs)


# --- encodings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "expected_encoding"),
    [
        (TEXT, "utf-8", "utf-8"),
        (TEXT, "utf-8-sig", "utf-8-sig"),
        (TEXT, "gbk", "gb18030"),
        (TEXT, "gb18030", "gb18030"),
        (TEXT, "gb2312", "gb18030"),
        (TRADITIONAL, "big5", "big5hkscs"),
        (TEXT, "utf-16", "utf-16"),
        (TEXT, "utf-16-le", "utf-16-le"),
        (TEXT, "utf-16-be", "utf-16-be"),
        (TEXT, "utf-32", "utf-32"),
        ("二、存在的问题\n", "gbk", "gb18030"),
        ("二、存在的問題\n", "big5", "big5hkscs"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "gbk",
        "gb18030",
        "gb2312",
        "big5",
        "utf16-bom",
        "utf16le-no-bom",
        "utf16be-no-bom",
        "utf32",
        "short-gbk",
        "short-big5",
    ],
)
def test_decode_detects_encoding(text: str, encoding: str, expected_encoding: str) -> None:
    decoded, used = decode_bytes(text.encode(encoding))
    assert decoded == text
    assert used == expected_encoding


def test_decode_gb18030_only_characters() -> None:
    text = "䶮依法行政€\n"  # outside GBK: a GB18030 four-byte sequence
    assert decode_bytes(text.encode("gb18030")) == (text, "gb18030")


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_decode_line_endings(ending: str) -> None:
    decoded, _ = decode_bytes(TEXT.replace("\n", ending).encode("gbk"))
    assert decoded == TEXT


def test_decode_given_encoding_is_used_strictly() -> None:
    data = TEXT.encode("gbk")
    assert decode_bytes(data, encoding="gbk") == (TEXT, "gbk")
    with pytest.raises(EncodingError, match=r"r\.txt: bytes .* cannot be decoded as utf-8"):
        decode_bytes(data, encoding="utf-8", path="r.txt")
    with pytest.raises(EncodingError, match="unknown encoding 'no-such'"):
        decode_bytes(data, encoding="no-such", path="r.txt")


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"", EmptyFileError, "empty"),
        (b" \r\n\t \n", EmptyFileError, "whitespace"),
        (codecs.BOM_UTF8 + b"  \n", EmptyFileError, "whitespace"),
        ("\u3000\u3000\n".encode("utf-16"), EmptyFileError, "whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", BinaryFileError, "PNG image"),
        (b"PK\x03\x04\x14\x00" + bytes(range(256)), BinaryFileError, "ZIP archive"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", BinaryFileError, "JPEG"),
        (b"%PDF-1.7\n%\xe2\xe3", BinaryFileError, "PDF"),
        (bytes(range(256)) * 8, BinaryFileError, "NUL bytes"),
        (TEXT.encode("utf-8")[:-2], EncodingError, "truncated"),
        (
            TEXT.encode("utf-8")[:30] + b"\xff" + TEXT.encode("utf-8")[30:],
            EncodingError,
            "not valid UTF-8 .* rest of the file is",
        ),
        (bytes(range(128, 256)) * 8, EncodingError, "no supported encoding|unexpected characters"),
    ],
    ids=[
        "empty",
        "whitespace",
        "bom-whitespace",
        "utf16-ideographic-space",
        "png",
        "zip",
        "jpeg",
        "pdf-as-text",
        "nul-bytes",
        "truncated-utf8",
        "one-bad-byte-in-utf8",
        "high-bytes-noise",
    ],
)
def test_decode_bad_bytes(data: bytes, error: type, message: str) -> None:
    with pytest.raises(error, match=f"^bad\\.txt: .*(?:{message})"):
        decode_bytes(data, path="bad.txt")


# --- HTML -------------------------------------------------------------------------------------


def test_html_main_text_only() -> None:
    text = html_to_text(_page(TEXT))
    assert text == TEXT.strip()


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>依法<b>行政</b>。</p><p>二、问题</p>", "依法行政。\n二、问题"),
        ("<div>第一行<br>第二行<br/>第三行</div>", "第一行\n第二行\n第三行"),
        ("<p>法治\n  政府建设</p>", "法治政府建设"),
        ("<p>Rule of\n law</p>", "Rule of law"),
        (
            "<p>发布日期:2023-03-15&nbsp;&nbsp;来源:区司法局</p>",
            "发布日期:2023-03-15  来源:区司法局",
        ),
        ("<table><tr><td>索引号:</td><td>0001</td></tr></table>", "索引号:\n0001"),
        ("<p>正文。</p><script>document.write('广告')</script>", "正文。"),
        ("<p>正文。</p><!-- 注释 --><style>p{}</style>", "正文。"),
        ("<div class='breadcrumb'>首页>政务</div><p>正文。</p>", "正文。"),
        ("<div id='share'>分享到</div><p>正文。</p>", "正文。"),
        ("<!DOCTYPE html><p>正文。</p>", "正文。"),
        ("<form id='form1'><div class='header'>网站</div><p>正文。</p></form>", "正文。"),
        ("<article><header><h1>某区报告</h1></header><p>正文。</p></article>", "某区报告\n正文。"),
        ("<div class='article-header'><h2>标题</h2><p>日期</p></div>", "标题\n日期"),
    ],
    ids=[
        "inline-tags-join",
        "br-breaks",
        "source-newline-between-chinese",
        "source-newline-between-latin",
        "nbsp",
        "table-cells",
        "script",
        "comment-style",
        "breadcrumb-class",
        "share-id",
        "doctype",
        "page-wide-form",
        "article-header-tag",
        "article-header-class",
    ],
)
def test_html_to_text(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


def test_html_external_entities_are_not_expanded(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    page = f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]><p>正文&x;。</p>'
    assert "SECRET" not in html_to_text(page)


# --- files ------------------------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["utf-8", "gbk", "gb18030"])
def test_read_html_page(tmp_path, charset: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(_page(TEXT, charset).encode(charset))
    document = read_document(path)
    assert document.text == TEXT.strip()
    assert document.format == "html"


def test_read_html_saved_as_txt_is_read_as_html(tmp_path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(codecs.BOM_UTF8 + _page(TEXT).encode("utf-8"))
    assert read_document(path).format == "html"
    assert read_document(path).text == TEXT.strip()


def test_read_unknown_extension_as_text(tmp_path) -> None:
    path = tmp_path / "report.md"
    path.write_bytes(TEXT.encode("gb18030"))
    assert read_document(path).text == TEXT


def test_read_docx(tmp_path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in TEXT.strip().split("\n"):
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "指标"
    table.rows[0].cells[1].text = "100%"
    path = tmp_path / "report.docx"
    document.save(str(path))
    read = read_document(path)
    assert read.format == "docx"
    assert read.text == TEXT + "指标\t100%"


def test_read_pdf(tmp_path) -> None:
    pytest.importorskip("pdfplumber")
    from tests.forms import write_pdf

    text = TEXT.replace("某县", "新晃县")  # the test font has no glyph for 某
    path = write_pdf(text, tmp_path / "report.pdf", wrap=False)
    read = read_document(path)
    assert read.format == "pdf"
    lines = [line.strip() for line in read.text.split("\n") if line.strip()]
    assert lines == text.strip().split("\n")


def test_read_pdf_rejoins_wrapped_lines(tmp_path) -> None:
    pytest.importorskip("pdfplumber")
    from tests.forms import write_pdf

    long_line = "全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度。" * 4
    text = f"一、主要举措\n{long_line}\n二、存在的问题\n执法力量薄弱。\n" * 3
    path = write_pdf(text, tmp_path / "wrapped.pdf", wrap=True)
    assert read_document(path).text == text.strip()


def test_read_pdf_without_text_layer(tmp_path) -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(UnsupportedFormatError, match=r"scan\.pdf: .*no text layer"):
        read_document(path)


@pytest.mark.parametrize(
    ("name", "data", "error", "message"),
    [
        ("broken.docx", b"PK\x03\x04 not really a zip", UnsupportedFormatError, "not a readable"),
        ("broken.pdf", b"%PDF-1.4\n garbage", UnsupportedFormatError, "not a readable|no text"),
        ("empty.html", b"<html><body><script>x()</script></body></html>", EmptyFileError, ""),
        ("empty.txt", b"", EmptyFileError, "empty"),
    ],
)
def test_read_bad_files(tmp_path, name: str, data: bytes, error: type, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error, match=re.escape(name) + ".*" + f"(?:{message})"):
        read_document(path)


def test_read_missing_file_and_folder(tmp_path) -> None:
    with pytest.raises(ReportNotFoundError, match=r"nope\.txt: no such file"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(ReportNotFoundError, match="folder"):
        read_document(tmp_path)


@pytest.mark.parametrize(
    ("suffix", "module", "extra"), [(".docx", "docx", "docx"), (".pdf", "pdfplumber", "pdf")]
)
def test_missing_extra_names_it(tmp_path, monkeypatch, suffix, module, extra) -> None:
    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name == module or name.startswith(module + "."):
            raise ImportError(f"No module named {module!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    path = tmp_path / f"r{suffix}"
    path.write_bytes(b"x")
    with pytest.raises(MissingExtraError, match=re.escape(f"pip install 'lawgovkit[{extra}]'")):
        read_document(path)


def test_every_reader_error_is_a_lawgovkit_error() -> None:
    for error in (EmptyFileError, BinaryFileError, EncodingError, UnsupportedFormatError):
        assert issubclass(error, LawgovkitError)


def test_read_document_accepts_str_paths(tmp_path) -> None:
    path = tmp_path / "名称 有空格.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert read_document(str(path)).text == TEXT
    assert Path(str(path)).exists()
