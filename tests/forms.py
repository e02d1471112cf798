"""Builders of the awkward forms a report arrives in, for the reliability tests.

Each builder writes one form of a report's text into a folder and returns the path: other
encodings, line endings, full-width forms, traditional characters, a saved HTML page, a .docx,
a .pdf, and a file name with spaces and Chinese characters. Bad files (empty, binary,
truncated...) are built here too. Nothing here is committed as a binary: everything is made
in the test's ``tmp_path``.

The PDF forms need a CJK font fpdf2 can embed so that pdfminer reads the text back. The
package ``noto_cjk_sans_otc`` ships a CFF-flavoured collection (``.ttc``); fpdf2 embeds
CFF CID fonts with an embedded encoding CMap that pdfminer does not read (the text layer
comes back empty), so :func:`cjk_truetype_font` subsets the collection's Simplified
Chinese face to the characters needed and converts its outlines to TrueType with fontTools.
"""

from __future__ import annotations

import html
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import opencc

__all__ = [
    "BAD_BYTES",
    "FORMS",
    "Form",
    "canonical_script",
    "cjk_truetype_font",
    "to_fullwidth",
    "write_docx",
    "write_html_page",
    "write_pdf",
]

_S2TW = opencc.OpenCC("s2tw")
_S2T = opencc.OpenCC("s2t")
_T2S = opencc.OpenCC("t2s")

# Characters legacy encodings (GBK, Big5) lack, and the ordinary space a page would use.
_LEGACY_SPACES = str.maketrans({"\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u3000": " "})


def to_fullwidth(text: str) -> str:
    """Every printable ASCII character but the space as its full-width form (``1.``→``１．``)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def to_traditional(text: str, *, taiwan: bool = False) -> str:
    """``text`` in traditional characters (OpenCC s2t, or s2tw: the forms Big5 can encode)."""
    return (_S2TW if taiwan else _S2T).convert(text)


def canonical_script(text: str) -> str:
    """One spelling for simplified and traditional text, so the two forms compare equal.

    A round trip through traditional characters is not the identity (着 → 著 → 著), so both
    sides of a comparison go through the same trip: s2tw then t2s.
    """
    return _T2S.convert(_S2TW.convert(text))


def write_html_page(
    text: str, path: Path, *, charset: str = "utf-8", traditional: bool = False
) -> Path:
    """Save ``text`` as a government web page: head, menu, breadcrumb, article, footer, scripts.

    The chrome is in semantic elements (``<nav>``, ``<header>``, ``<footer>``, ``<script>``,
    ``<style>``, ``<noscript>``), as content management systems write it. ``traditional``:
    the whole page (chrome too) in traditional characters, as a Taiwan/Hong Kong mirror.
    """
    lines = text.split("\n")
    title = html.escape(next((line for line in lines if line.strip()), ""))
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta charset="{charset}">
<title>{title} - 人民政府门户网站</title>
<link rel="stylesheet" href="http://static.example.invalid/css/main.css">
<style>body {{ font-family: "宋体"; }} .nav a {{ color: #c00; }}</style>
<script>var menu = ["首页", "政务公开", "政策文件"]; document.title = "法治政府";</script>
</head>
<body>
<header><div class="logo">人民政府门户网站</div>
<div class="today">今天是2025年1月1日 星期三</div></header>
<nav class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li></ul></nav>
<div class="article">
{paragraphs}
</div>
<footer><p>主办单位:人民政府办公室 网站标识码:0000000000</p><p>ICP备00000000号</p></footer>
<noscript>您的浏览器不支持脚本</noscript>
<script src="http://stats.example.invalid/analytics.js"></script>
<script>console.log("法治政府建设年度报告");</script>
</body>
</html>
"""
    if traditional:
        page = to_traditional(page, taiwan=True)
    path.write_bytes(page.encode(charset))
    return path


def write_docx(text: str, path: Path) -> Path:
    """Save ``text`` as a Word document, one paragraph per line."""
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    document.save(str(path))
    return path


@cache
def cjk_truetype_font() -> Path:
    """A TrueType-outline CJK font fpdf2 embeds readably (see the module docstring).

    Built once per process from ``noto_cjk_sans_otc`` (Noto Sans CJK SC), subset to the
    seeds' and the reliability fixtures' characters in both scripts, ASCII and full-width
    ASCII; :func:`write_pdf` refuses text with a character the subset lacks.
    """
    import noto_cjk_sans_otc
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.subset import Options, Subsetter
    from fontTools.ttLib import TTFont, newTable

    here = Path(__file__).resolve().parent
    sources = sorted((here.parent / "seeds").glob("*.txt"))
    sources += sorted((here / "fixtures" / "reliability").glob("*.*"))
    text = "".join(p.read_text(encoding="utf-8") for p in sources)
    text += to_traditional(text) + to_traditional(text, taiwan=True)
    text += "".join(chr(c) for c in range(0x20, 0x7F)) + to_fullwidth(
        "".join(chr(c) for c in range(0x21, 0x7F))
    )
    font = TTFont(str(noto_cjk_sans_otc.FONT_PATH), fontNumber=2)  # 2 = Simplified Chinese
    options = Options()
    options.desubroutinize = True
    options.notdef_outline = True
    options.layout_features = []
    subsetter = Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)

    order = font.getGlyphOrder()
    outlines = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(outlines)
        outlines[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 2.0
    font["post"].extraNames = []
    font["post"].mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"
    out = Path(tempfile.mkdtemp(prefix="lawgovkit-font-")) / "NotoSansSC-subset.ttf"
    font.save(str(out))
    return out


def write_pdf(text: str, path: Path, *, wrap: bool) -> Path:
    """Save ``text`` as a PDF with a text layer.

    ``wrap=False``: a page wide enough that every paragraph stays on one line (the line
    structure of the text survives). ``wrap=True``: A4, paragraphs wrapped as a word
    processor prints them (a reader must rejoin the lines).
    """
    from fontTools.ttLib import TTFont
    from fpdf import FPDF

    lines = [line.replace("\u2002", " ").replace("\u00a0", " ") for line in text.split("\n")]
    covered = TTFont(str(cjk_truetype_font())).getBestCmap()
    missing = sorted({c for c in "".join(lines) if ord(c) not in covered and not c.isspace()})
    if missing:  # fpdf2 would drop them silently: the PDF form would not be the same text
        raise ValueError(f"the test font lacks {''.join(missing)!r}: add them to its subset")
    size = 6.0
    if wrap:
        pdf = FPDF(unit="pt", format="A4")
    else:
        width = min(14000.0, max(len(line) for line in lines) * size + 80)
        pdf = FPDF(unit="pt", format=(width, len(lines) * size * 1.6 + 80))
        pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.add_font("noto", "", str(cjk_truetype_font()))
    pdf.set_font("noto", size=size if not wrap else 10)
    for line in lines:
        if wrap:
            pdf.multi_cell(0, 14, line, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.cell(0, size * 1.6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


@dataclass(frozen=True)
class Form:
    """One form of a report: how to write it, and what may legitimately differ.

    Attributes
    ----------
    name : str
        The form's name, used as the test id.
    write : callable
        ``write(text, folder, stem) -> Path`` saves the text in this form.
    same_text : bool
        The cleaned text must equal the plain UTF-8 seed's exactly (byte-level forms);
        otherwise it must equal it once whitespace is ignored.
    traditional : bool
        The text went through traditional characters: compare via :func:`canonical_script`.
    """

    name: str
    write: Callable[[str, Path, str], Path]
    same_text: bool = True
    traditional: bool = False


def _encoded(encoding: str, suffix: str = ".txt", *, legacy: bool = False):
    def write(text: str, folder: Path, stem: str) -> Path:
        body = text.translate(_LEGACY_SPACES) if legacy else text
        path = folder / f"{stem}{suffix}"
        path.write_bytes(body.encode(encoding))
        return path

    return write


def _line_endings(newline: str):
    def write(text: str, folder: Path, stem: str) -> Path:
        path = folder / f"{stem}.txt"
        path.write_bytes(text.replace("\n", newline).encode("utf-8"))
        return path

    return write


def _mixed_newlines(text: str, folder: Path, stem: str) -> Path:
    endings = ("\r\n", "\n", "\r")
    parts = text.split("\n")
    mixed = "".join(part + endings[i % 3] for i, part in enumerate(parts[:-1])) + parts[-1]
    path = folder / f"{stem}.txt"
    path.write_bytes(mixed.encode("utf-8"))
    return path


def _indented(text: str, folder: Path, stem: str) -> Path:
    """Paragraphs indented with two ideographic spaces, trailing blanks, as pasted from Word."""
    lines = [f"\u3000\u3000{line}  \t" if line.strip() else line for line in text.split("\n")]
    path = folder / f"{stem}.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _html_saved_as_txt(text: str, folder: Path, stem: str) -> Path:
    """A saved page whose name says .txt: the content, not the name, says HTML."""
    return write_html_page(text, folder / f"{stem}.txt")


def _html_entities(text: str, folder: Path, stem: str) -> Path:
    """A page whose CMS wrote every non-ASCII character as a numeric character reference."""
    path = write_html_page(text, folder / f"{stem}.html")
    page = path.read_text(encoding="utf-8")
    path.write_bytes(page.encode("ascii", errors="xmlcharrefreplace"))
    return path


def _fullwidth(text: str, folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.txt"
    path.write_text(to_fullwidth(text), encoding="utf-8")
    return path


def _traditional_utf8(text: str, folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.txt"
    path.write_text(to_traditional(text), encoding="utf-8")
    return path


def _traditional_big5(text: str, folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.txt"
    path.write_bytes(to_traditional(text, taiwan=True).translate(_LEGACY_SPACES).encode("big5"))
    return path


def _spaced_name(text: str, folder: Path, stem: str) -> Path:
    path = folder / f"法治 报告 ({stem}) 副本.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _html_utf8(text: str, folder: Path, stem: str) -> Path:
    return write_html_page(text, folder / f"{stem}.html")


def _html_gbk(text: str, folder: Path, stem: str) -> Path:
    return write_html_page(text.translate(_LEGACY_SPACES), folder / f"{stem}.htm", charset="gbk")


def _html_traditional_big5(text: str, folder: Path, stem: str) -> Path:
    body = text.translate(_LEGACY_SPACES)
    return write_html_page(body, folder / f"{stem}.html", charset="big5", traditional=True)


def _docx(text: str, folder: Path, stem: str) -> Path:
    return write_docx(text, folder / f"{stem}.docx")


def _pdf_lines(text: str, folder: Path, stem: str) -> Path:
    return write_pdf(text, folder / f"{stem}.pdf", wrap=False)


def _pdf_a4(text: str, folder: Path, stem: str) -> Path:
    return write_pdf(text, folder / f"{stem}.pdf", wrap=True)


FORMS: tuple[Form, ...] = (
    Form("utf8_bom", _encoded("utf-8-sig")),
    Form("gb18030", _encoded("gb18030")),
    Form("gbk", _encoded("gbk", legacy=True), same_text=False),
    Form("utf16", _encoded("utf-16")),
    Form("utf16le_no_bom", _encoded("utf-16-le")),
    Form("utf16be_no_bom", _encoded("utf-16-be")),
    Form("crlf", _line_endings("\r\n")),
    Form("cr", _line_endings("\r")),
    Form("mixed_newlines", _mixed_newlines),
    Form("indented", _indented, same_text=False),
    Form("fullwidth", _fullwidth),
    Form("spaced_chinese_name", _spaced_name),
    Form("traditional_utf8", _traditional_utf8, traditional=True),
    Form("traditional_big5", _traditional_big5, same_text=False, traditional=True),
    Form("html_utf8", _html_utf8, same_text=False),
    Form("html_gbk", _html_gbk, same_text=False),
    Form("html_saved_as_txt", _html_saved_as_txt, same_text=False),
    Form("html_entities", _html_entities, same_text=False),
    Form("html_traditional_big5", _html_traditional_big5, same_text=False, traditional=True),
    Form("docx", _docx, same_text=False),
    Form("pdf_lines", _pdf_lines, same_text=False),
    Form("pdf_a4_wrapped", _pdf_a4, same_text=False),
)

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
ZIP_BYTES = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4
_SENTENCE = "2022年,我区深入推进法治政府建设,依法行政水平不断提升。\n".encode()

BAD_BYTES: dict[str, tuple[str, bytes]] = {
    # name: (file name, content)
    "empty": ("空文件.txt", b""),
    "whitespace": ("只有 空白.txt", b" \n\t\r\n   \n" + "\u3000\u3000\n".encode()),
    "png": ("扫描件.png.txt", PNG_BYTES * 20),
    "zip_as_txt": ("archive.txt", ZIP_BYTES),
    "nul_bytes": ("nul.txt", _SENTENCE[:30] + b"\x00" * 400 + _SENTENCE),
}


# Text-layout forms (issue 22): how copies of a report look once pasted out of a PDF or a
# web page. Each keeps every character of the report; the reader must give its results.

_CJK_CHAR = "\u3400-\u9fff"


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrapped(width: int, *, by_display: bool) -> Callable[[str, Path, str], Path]:
    """Lines hard-wrapped at ``width`` characters (or display columns, CJK counting two, as a
    PDF's text layer copies out), with an indent-free paragraph start, as pasted from a PDF."""

    def write(text: str, folder: Path, stem: str) -> Path:
        out: list[str] = []
        for line in text.split("\n"):
            current = ""
            for char in line:
                size = _display_width(current + char) if by_display else len(current) + 1
                if size > width:
                    out.append(current)
                    current = ""
                current += char
            out.append(current)
        path = folder / f"{stem}.txt"
        path.write_text("\n".join(out), encoding="utf-8")
        return path

    return write


def _page_breaks(text: str, folder: Path, stem: str) -> Path:
    """Every sixth long paragraph broken across a page: a blank line, a page number and a
    form feed inside it, between two Chinese characters mid-sentence."""
    import re

    out: list[str] = []
    n_long = 0
    page = 1
    for line in text.split("\n"):
        if len(line) >= 60:
            n_long += 1
            if n_long % 6 == 0:
                middle = len(line) // 2
                cut = next(
                    (
                        i
                        for i in range(middle, len(line) - 1)
                        if re.match(f"[{_CJK_CHAR}][{_CJK_CHAR}]", line[i - 1 : i + 1])
                    ),
                    None,
                )
                if cut is not None:
                    page += 1
                    out += [line[:cut], "", f"- {page} -", "\f" + line[cut:]]
                    continue
        out.append(line)
    path = folder / f"{stem}.txt"
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def _spaced(text: str, folder: Path, stem: str) -> Path:
    """A space between every two Chinese characters, as some PDF extractors write them."""
    import re

    spaced = re.sub(f"(?<=[{_CJK_CHAR}])(?=[{_CJK_CHAR}])", " ", text)
    path = folder / f"{stem}.txt"
    path.write_text(spaced, encoding="utf-8")
    return path


def _pasted_twice(text: str, folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.txt"
    path.write_text(text.rstrip("\n") + "\n\n" + text, encoding="utf-8")
    return path


def _comma_headings(text: str, folder: Path, stem: str) -> Path:
    """Level-1 heading numbers followed by 「，」 instead of 「、」."""
    import re

    path = folder / f"{stem}.txt"
    path.write_text(re.sub("(?m)^([一二三四五六七八九十]+)、", r"\1，", text), encoding="utf-8")
    return path


def _invisible_marks(text: str, folder: Path, stem: str) -> Path:
    """Bidi controls, zero-width characters and combining marks strewn through the text."""
    marks = ("\u200f", "\u202e", "\u202c", "\u200b", "\u0301", "\u2066", "\u2069", "\u0332")
    out = []
    for i, char in enumerate(text):
        out.append(char)
        if char != "\n" and i % 7 == 3:
            out.append(marks[(i // 7) % len(marks)])
    path = folder / f"{stem}.txt"
    path.write_text("".join(out), encoding="utf-8")
    return path


LAYOUT_FORMS: tuple[Form, ...] = (
    Form("hard_wrapped_chars", _wrapped(30, by_display=False), same_text=False),
    Form("hard_wrapped_pdf", _wrapped(70, by_display=True), same_text=False),
    Form("page_breaks", _page_breaks, same_text=False),
    Form("spaced_characters", _spaced, same_text=False),
    Form("pasted_twice", _pasted_twice, same_text=False),
    Form("comma_headings", _comma_headings, same_text=False),
    Form("invisible_marks", _invisible_marks, same_text=False),
)
