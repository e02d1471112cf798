"""A file → its decoded text, whatever the format and encoding.

:func:`read_document` reads ``.txt`` (and any other text file), ``.html``/``.htm`` (main
text only: scripts, styles, menus, headers and footers dropped; nothing is ever fetched),
``.docx`` (needs the ``docx`` extra) and ``.pdf`` with a text layer (needs the ``pdf``
extra). Bytes are decoded as UTF-8 (with or without BOM), UTF-16 (with or without BOM),
GB18030 (which also reads GBK and GB2312 files), Big5 and whatever else
charset-normalizer recognises, unless ``encoding=`` is given. Line endings become ``\\n``.

Bad files raise a specific :class:`~lawgovkit.errors.LawgovkitError` naming the file:
:class:`~lawgovkit.errors.EmptyFileError` (empty or whitespace only),
:class:`~lawgovkit.errors.BinaryFileError` (an image, an archive, NUL bytes),
:class:`~lawgovkit.errors.EncodingError` (bytes no supported encoding reads),
:class:`~lawgovkit.errors.UnsupportedFormatError` (a PDF without text, a broken .docx) and
:class:`~lawgovkit.errors.MissingExtraError` (python-docx or pdfplumber not installed).
"""

from __future__ import annotations

import codecs
import glob as globbing
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lawgovkit.errors import (
    ArgumentError,
    BinaryFileError,
    EmptyFileError,
    EncodingError,
    MissingExtraError,
    ReportNotFoundError,
    UnsupportedFormatError,
)

__all__ = [
    "READABLE_SUFFIXES",
    "Document",
    "decode_bytes",
    "html_to_text",
    "read_document",
    "report_files",
]

#: File name endings :func:`read_document` knows; other endings are read as text.
READABLE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".docx", ".pdf")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (an .xlsx/.docx/.zip under another name?)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"%PDF-", "a PDF file (rename it to .pdf)"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.doc/.xls: save it as .docx or .txt)"),
)
# Encodings charset-normalizer may name that GB18030 reads as a superset.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "hz", "euc_cn"}
_CJK_ENCODINGS = _GB_FAMILY | {"big5", "big5hkscs", "cp950", "utf_8", "utf_16", "utf_32"}
# Characters a Chinese report plausibly holds: CJK, ASCII, CJK punctuation, full width.
_PLAUSIBLE = re.compile(
    r"[\u0020-\u007e\s\u00a0-\u00bf\u2000-\u2bff\u3000-\u303f\u3400-\u9fff"
    r"\uf900-\ufaff\uff00-\uffef]"
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# The most frequent Chinese characters (simplified; traditional forms added by OpenCC),
# used only to choose between encodings that both decode the bytes.
_COMMON_HANZI = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
    "也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小"
    "物现实加量都两体制机当使点从业本去把性好应开合还因由其些然前外天政四日那社义事平形相"
    "全表间样与关各重新线内数正心反明看原又么利比或但质气第向道命此变条只没结解问意建月公"
    "无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老"
    "头基资边流路级少图山统接知较将组见计别手角期根论运农指几九区强放决西被干做必战先回则"
    "任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联认六"
    "共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报完类"
    "八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律且究观越织装影"
    "算低持音众书布复容须际商非验连断深难近千周委素技备半办青省列习响约支般史感劳便团往历"
    "市克何除消构府称太准精值号率族维划选标写存候亲快效院查江型按格养易置派层片始却专状育"
    "识适属包住调满县局照参红细引听该价严依督察执监审查纠纷调解"
)
_HTML_START = re.compile(rb"^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<meta\s)", re.I)


@dataclass(frozen=True)
class Document:
    """The decoded text of a file, with how it was read.

    Attributes
    ----------
    text : str
        The text, with ``\\n`` line endings.
    encoding : str or None
        The encoding used to decode the bytes (None for .docx/.pdf).
    format : str
        ``"txt"``, ``"html"``, ``"docx"`` or ``"pdf"``.
    """

    text: str
    encoding: str | None
    format: str


def _unify_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _utf16_guess(data: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when the bytes read as plausible UTF-16, else None.

    ASCII in UTF-16 puts its NUL byte after (LE) or before (BE) the letter, so the side
    holding more NULs names the byte order; the decoded text must then be plausible.
    """
    sample = data[: 8000 - 8000 % 2] if len(data) > 8000 else data
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    name = "utf-16-le" if odd >= even else "utf-16-be"
    try:
        text = data.decode(name)
    except UnicodeDecodeError:
        return None
    return name if _plausible_share(text) >= 0.9 else None


def _plausible_share(text: str) -> float:
    sample = text[:20000]
    return len(_PLAUSIBLE.findall(sample)) / len(sample) if sample else 1.0


def _common_share(text: str) -> float:
    """Share of CJK characters that are among the most common ones (either script)."""
    cjk = _CJK.findall(text[:20000])
    if not cjk:
        return 0.0
    common = _common_hanzi()
    return sum(ch in common for ch in cjk) / len(cjk)


@cache
def _common_hanzi() -> frozenset[str]:
    import opencc

    return frozenset(_COMMON_HANZI + opencc.OpenCC("s2t").convert(_COMMON_HANZI))


def _check_plausible(text: str, encoding: str, path: str | Path | None) -> None:
    if not text:
        return
    share = _plausible_share(text)
    if share < 0.9:
        raise EncodingError(
            f"decoding as {encoding} gives mostly unexpected characters "
            f"({share:.0%} plausible): the file's encoding is not a supported one; "
            "pass encoding= if you know it",
            path=path,
        )


def decode_bytes(
    data: bytes, *, encoding: str | None = None, path: str | Path | None = None
) -> tuple[str, str]:
    """Decode a file's bytes to text.

    Parameters
    ----------
    data : bytes
        The file's content.
    encoding : str, optional
        Use this encoding (strictly) instead of detecting one.
    path : str or Path, optional
        The file, named in error messages.

    Returns
    -------
    tuple of (str, str)
        The text (line endings ``\\n``) and the encoding used.

    Raises
    ------
    EmptyFileError, BinaryFileError, EncodingError

    Examples
    --------
    >>> decode_bytes("一、主要举措\\r\\n".encode("gbk"))
    ('一、主要举措\\n', 'gb18030')
    >>> decode_bytes("\\ufeff報告".encode("utf-8"))
    ('報告', 'utf-8-sig')
    """
    if not data.strip() or not data.strip(b"\x00\t\n\r \x0b\x0c"):
        raise EmptyFileError("the file is empty or holds only whitespace", path=path)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except LookupError as exc:
            raise EncodingError(f"unknown encoding {encoding!r}", path=path) from exc
        except UnicodeDecodeError as exc:
            raise EncodingError(
                f"bytes {exc.start}-{exc.end} cannot be decoded as {encoding}: {exc.reason}",
                path=path,
            ) from exc
        return _nonempty(_unify_newlines(text).lstrip("\ufeff"), path), encoding
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name)
            except UnicodeDecodeError as exc:
                raise EncodingError(
                    f"the file starts with a {name} byte-order mark but bytes "
                    f"{exc.start}-{exc.end} are not valid {name} ({exc.reason})",
                    path=path,
                ) from exc
            return _nonempty(_unify_newlines(text.lstrip("\ufeff")), path), name
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BinaryFileError(f"this is {what}, not text", path=path)
    if b"\x00" in data:
        utf16 = _utf16_guess(data)
        if utf16 is None:
            raise BinaryFileError("the file holds NUL bytes: binary data, not text", path=path)
        return _nonempty(_unify_newlines(data.decode(utf16)), path), utf16
    try:
        return _nonempty(_unify_newlines(data.decode("utf-8")), path), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            raise EncodingError(
                f"the file ends inside a multi-byte UTF-8 character at byte {exc.start} "
                "(a truncated download?)",
                path=path,
            ) from exc
        if _mostly_utf8(data):
            raise EncodingError(
                f"bytes {exc.start}-{exc.end} are not valid UTF-8 ({exc.reason}) although the "
                "rest of the file is: a corrupt file? Fix it or pass encoding=",
                path=path,
            ) from exc
    return _detect_and_decode(data, path)


def _mostly_utf8(data: bytes) -> bool:
    """True when only a few bytes spoil an otherwise UTF-8 text with Chinese in it."""
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    good = len(_CJK.findall(replaced))
    return good >= 20 and bad <= max(3, good // 1000)


def _detect_and_decode(data: bytes, path: str | Path | None) -> tuple[str, str]:
    """Decode non-UTF-8 bytes: GB18030 or Big5 when either reads them, else detection.

    GB18030 and Big5 both read most double-byte text without error, so the one whose
    characters are more often common Chinese characters wins (GB18030 on a tie).
    """
    import charset_normalizer

    candidates: dict[str, str] = {}
    for name in ("gb18030", "big5hkscs"):
        try:
            candidates[name] = data.decode(name)
        except UnicodeDecodeError:
            continue
    if candidates:
        name = max(candidates, key=lambda n: (_common_share(candidates[n]), n == "gb18030"))
        text = candidates[name]
        if _plausible_share(text) >= 0.9 and _common_share(text) >= 0.3:
            return _nonempty(_unify_newlines(text), path), name
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise EncodingError(
            "no supported encoding (UTF-8, UTF-16, GB18030/GBK, Big5...) decodes these bytes; "
            "the file may be truncated or corrupt; pass encoding= if you know it",
            path=path,
        )
    name = best.encoding.lower().replace("-", "_")
    if name in _GB_FAMILY:
        name = "gb18030"
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"bytes {exc.start}-{exc.end} cannot be decoded as {name}: {exc.reason}", path=path
        ) from exc
    _check_plausible(text, name, path)
    return _nonempty(_unify_newlines(text), path), name


def _nonempty(text: str, path: str | Path | None) -> str:
    if not text.strip():
        raise EmptyFileError("the file holds only whitespace", path=path)
    return text


# Never visible text.
_DROP_TAGS = (
    *("script", "style", "noscript", "template", "iframe", "object", "embed", "svg"),
    *("canvas", "head", "select", "button", "input", "textarea"),
)
# Usually page chrome, but some sites wrap the article in them (an article's <header>
# holds its title, ASP.NET pages put everything in one <form>): dropped only when they
# hold no heading and no sentence (see _holds_content).
_CHROME_TAGS = ("nav", "header", "footer", "aside", "form", "menu")
_BLOCK_TAGS = (
    *("address", "article", "blockquote", "body", "center", "dd", "details", "div", "dl"),
    *("dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr"),
    *("li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td"),
    *("tfoot", "th", "thead", "tr", "ul"),
)
_CHROME_ATTR = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumb|crumbs?|footer|foot|header|topbar|sidebar|"
    r"share|bdsharebuttonbox|copyright|banner)(?:$|[\s_-])",
    re.I,
)
_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")
# A line break in the page source between two Chinese characters is layout, not a space.
_CJK_GAP = re.compile(
    r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]*[\r\n][ \t\r\n]*(?=[\u3000-\u9fff\uff00-\uffef])"
)


def _holds_content(tag) -> bool:
    """True when an element holds a heading (h1-h3) or a sentence: not just chrome."""
    return tag.find(["h1", "h2", "h3"]) is not None or "。" in tag.get_text()


def html_to_text(html: str) -> str:
    """The main text of an HTML page: one block (paragraph, list item, cell) per line.

    Scripts and styles are dropped; so are ``<nav>``/``<header>``/``<footer>``/``<aside>``
    elements and elements whose class or id names a menu, breadcrumb, share bar, header or
    footer, unless they hold a heading (h1-h3) or a sentence (an article's own header).
    Nothing is fetched: the page is parsed by BeautifulSoup's ``html.parser`` only.

    Parameters
    ----------
    html : str
        The page source.

    Returns
    -------
    str
        The visible text, blocks separated by ``\\n``.

    Examples
    --------
    >>> page = "<nav>首页 > 政务公开</nav><p>一、主要举措</p><script>x()</script><p>正文。</p>"
    >>> html_to_text(page)
    '一、主要举措\\n正文。'
    """
    from bs4 import BeautifulSoup, CData, NavigableString

    soup = BeautifulSoup(html, "html.parser")
    # comments, doctypes, declarations, processing instructions: not visible text
    for node in soup.find_all(string=lambda s: type(s) not in (NavigableString, CData)):
        node.extract()
    for tag in soup.find_all(list(_DROP_TAGS)):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.attrs is None or tag.name in ("body", "html"):
            continue
        names = " ".join([*tag.get("class", []), tag.get("id", "") or ""])
        chrome = tag.name in _CHROME_TAGS or (names and _CHROME_ATTR.search(names))
        if chrome and not _holds_content(tag):
            tag.decompose()
    for pre in soup.find_all("pre"):
        pre.replace_with(NavigableString("\n" + pre.get_text().replace(" ", "\u00a0") + "\n"))
    for node in soup.find_all(string=True):
        collapsed = _HTML_SPACE.sub(" ", _CJK_GAP.sub("", str(node)))
        node.replace_with(NavigableString(collapsed))
    for br in soup.find_all("br"):
        br.replace_with(NavigableString("\n"))
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before(NavigableString("\n"))
        tag.insert_after(NavigableString("\n"))
    lines = (line.strip() for line in soup.get_text().replace("\u00a0", " ").split("\n"))
    return "\n".join(line for line in lines if line)


def _read_docx(path: Path) -> str:
    try:
        import docx
    except ImportError as exc:
        raise MissingExtraError(
            "reading .docx needs python-docx: pip install 'lawgovkit[docx]'", path=path
        ) from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise UnsupportedFormatError(f"not a readable .docx file ({exc})", path=path) from exc
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


def _read_pdf(path: Path) -> str:
    try:
        import pdfplumber
    except ImportError as exc:
        raise MissingExtraError(
            "reading .pdf needs pdfplumber: pip install 'lawgovkit[pdf]'", path=path
        ) from exc
    lines: list[tuple[str, bool]] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            for page in pdf.pages:
                lines.extend(_edge_lines(page.extract_text_lines()))
    except Exception as exc:  # pdfminer raises many kinds for a broken file
        raise UnsupportedFormatError(f"not a readable PDF file ({exc})", path=path) from exc
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


def read_document(path: str | Path, *, encoding: str | None = None) -> Document:
    """Read a report file into a :class:`Document`.

    Parameters
    ----------
    path : str or Path
        A .txt, .html/.htm, .docx or .pdf file (other endings are read as text; a text
        file holding an HTML page is read as HTML).
    encoding : str, optional
        The encoding of a text/HTML file; detected when not given.

    Returns
    -------
    Document

    Raises
    ------
    ReportNotFoundError, EmptyFileError, BinaryFileError, EncodingError,
    UnsupportedFormatError, MissingExtraError

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "r.txt").write_bytes("二、存在的问题\\r\\n".encode("gb18030"))
    >>> read_document(folder / "r.txt")
    Document(text='二、存在的问题\\n', encoding='gb18030', format='txt')
    """
    path = Path(path)
    if not path.exists():
        raise ReportNotFoundError("no such file", path=path)
    if path.is_dir():
        raise ReportNotFoundError("this is a folder, not a report file", path=path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return Document(_nonempty_doc(_read_docx(path), path), None, "docx")
    if suffix == ".pdf":
        return Document(_nonempty_doc(_read_pdf(path), path), None, "pdf")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReportNotFoundError(f"cannot be read ({exc.strerror})", path=path) from exc
    if suffix in (".html", ".htm") or _HTML_START.match(data[:512].lstrip(codecs.BOM_UTF8)):
        text, used = decode_bytes(data, encoding=encoding, path=path)
        try:
            main_text = html_to_text(text)
        except Exception as exc:  # html.parser may reject badly broken markup
            raise UnsupportedFormatError(f"the HTML cannot be parsed ({exc})", path=path) from exc
        return Document(_nonempty(main_text, path), used, "html")
    text, used = decode_bytes(data, encoding=encoding, path=path)
    return Document(text, used, "txt")


def _nonempty_doc(text: str, path: Path) -> str:
    if not text.strip():
        raise EmptyFileError("the document holds no text", path=path)
    return _unify_newlines(text)


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


def report_files(source: str | os.PathLike | Iterable) -> tuple[list[Path], str]:
    """The report files a source names (a folder, read recursively; a file; a glob; a list
    of paths), and a description of the source for messages.

    A folder gives the files with a readable ending (:data:`READABLE_SUFFIXES`), hidden
    files and folders skipped, symlinked folders not followed (no loops), in sorted order.

    Raises
    ------
    ReportNotFoundError
        The source does not exist.
    ArgumentError
        The source is bytes.

    Examples
    --------
    >>> report_files(["a.txt", "b.html"])
    ([PosixPath('a.txt'), PosixPath('b.html')], '2 paths')
    """
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
