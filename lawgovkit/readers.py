"""A file → its decoded text, whatever the format and encoding.

:func:`read_document` reads ``.txt`` (and any other text file), ``.html``/``.htm``/
``.shtml``/``.xhtml`` (main text only: scripts, styles, menus, headers and footers
dropped; nothing is ever fetched),
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

from lawgovkit._limits import max_file_bytes, read_file
from lawgovkit._limits import reason as _reason
from lawgovkit.errors import (
    ArgumentError,
    BinaryFileError,
    EmptyFileError,
    EncodingError,
    LimitExceededError,
    ReportNotFoundError,
    UnsupportedFormatError,
)
from lawgovkit.htmltext import html_to_text
from lawgovkit.office import read_docx as _read_docx
from lawgovkit.office import read_pdf as _read_pdf

__all__ = [
    "READABLE_SUFFIXES",
    "UNREAD_DOCUMENT_SUFFIXES",
    "Document",
    "decode_bytes",
    "document_from_bytes",
    "html_to_text",
    "read_bytes",
    "read_document",
    "report_files",
]

#: File name endings :func:`read_document` knows; other endings are read as text.
READABLE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf")
_HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
#: Document formats a report may come in that lawgovkit does not read: a folder's such
#: files are listed in ``corpus.skipped`` (or raise, with ``errors="raise"``), never ignored.
UNREAD_DOCUMENT_SUFFIXES = {
    ".doc": "Word 97-2003",
    ".wps": "WPS Office",
    ".wpt": "WPS Office template",
    ".rtf": "RTF",
    ".odt": "OpenDocument text",
    ".ofd": "OFD",
    ".caj": "CAJ",
    ".xls": "Excel",
    ".xlsx": "Excel",
    ".et": "WPS spreadsheet",
    ".ppt": "PowerPoint",
    ".pptx": "PowerPoint",
    ".dps": "WPS presentation",
}

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
    holding more NULs names the byte order; the decoded text must then be plausible. Text
    of Chinese characters only has NULs where a character's code ends (LE: starts) in 00
    (一 is U+4E00): when the order the NULs suggest does not read, the other is tried, and
    taken when it reads as common Chinese characters.
    """
    sample = data[: 8000 - 8000 % 2] if len(data) > 8000 else data
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    name = "utf-16-le" if odd >= even else "utf-16-be"
    try:
        text = data.decode(name)
    except UnicodeDecodeError:
        text = ""
    if text and _plausible_share(text) >= 0.9:
        return name
    return _utf16_cjk(data)


def _utf16_cjk(data: bytes) -> str | None:
    """The UTF-16 byte order (without BOM) in which ``data`` reads as Chinese text, if any:
    decoded strictly, almost every character plausible, most of them CJK and common ones."""
    if len(data) % 2:
        return None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        sample = text[:20000]
        letters = [c for c in sample if not c.isspace()]
        n_cjk = len(_CJK.findall(sample))
        if (
            letters
            and n_cjk >= 0.5 * len(letters)
            and _plausible_share(text) >= 0.95
            and _common_share(text) >= 0.3
        ):
            return name
    return None


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
        return _finished(text, path), encoding
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
            return _finished(text, path), name
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BinaryFileError(f"this is {what}, not text", path=path)
    if b"\x00" in data:
        utf16 = _utf16_guess(data)
        if utf16 is None:
            raise BinaryFileError("the file holds NUL bytes: binary data, not text", path=path)
        return _finished(data.decode(utf16), path), utf16
    try:
        return _finished(data.decode("utf-8"), path), "utf-8"
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

    utf16 = _utf16_cjk(data)
    if utf16 is not None:  # Chinese text in UTF-16 without BOM (and without NUL bytes)
        return _finished(data.decode(utf16), path), utf16
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
            return _finished(text, path), name
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
    return _finished(text, path), name


def _finished(decoded: str, path: str | Path | None) -> str:
    """The text of decoded bytes, the same whichever way the encoding was found: so the
    bytes decoded again with the encoding found give the very same text (SourceText)."""
    return _nonempty(_unify_newlines(decoded).lstrip("\ufeff"), path)


def _nonempty(text: str, path: str | Path | None) -> str:
    if not text.strip():
        raise EmptyFileError("the file holds only whitespace", path=path)
    return text


def read_document(
    path: str | Path, *, encoding: str | None = None, max_file_mb: float | None = None
) -> Document:
    """Read a report file into a :class:`Document`.

    Only regular files are opened, up to a size limit; .docx and .pdf files are checked
    against bounds on expansion before they are parsed (see :mod:`lawgovkit._limits`).

    Parameters
    ----------
    path : str or Path
        A .txt, .html/.htm/.shtml/.xhtml, .docx or .pdf file (.doc, .wps and other office
        formats raise UnsupportedFormatError; other endings are read as text; a text
        file holding an HTML page is read as HTML).
    encoding : str, optional
        The encoding of a text/HTML file; detected when not given.
    max_file_mb : float, optional
        The size limit in megabytes: by default ``$LAWGOVKIT_MAX_FILE_MB``, else 64.

    Returns
    -------
    Document

    Raises
    ------
    ReportNotFoundError, EmptyFileError, BinaryFileError, EncodingError,
    UnsupportedFormatError, MissingExtraError, NotRegularFileError, LimitExceededError,
    ArgumentError

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "r.txt").write_bytes("二、存在的问题\\r\\n".encode("gb18030"))
    >>> read_document(folder / "r.txt")
    Document(text='二、存在的问题\\n', encoding='gb18030', format='txt')
    """
    if encoding is not None and not isinstance(encoding, str):
        raise ArgumentError(f"encoding={encoding!r} must be the name of an encoding, e.g. 'gbk'")
    return document_from_bytes(read_bytes(path, max_file_mb), path, encoding=encoding)


def read_bytes(path: str | Path, max_file_mb: float | None = None) -> bytes:
    """The bytes of a report file, as :func:`read_document` reads them (the same checks
    and errors), for :func:`document_from_bytes`."""
    path = Path(path)
    max_bytes = max_file_bytes(max_file_mb)
    if not os.path.lexists(path):
        raise ReportNotFoundError("no such file", path=path)
    if path.is_dir():
        try:
            os.scandir(path).close()
        except OSError as exc:
            raise ReportNotFoundError(
                f"a folder that cannot be read ({exc.strerror}): its reports are not loaded",
                path=path,
            ) from exc
        raise ReportNotFoundError("this is a folder, not a report file", path=path)
    return read_file(path, max_bytes=max_bytes)


def document_from_bytes(
    data: bytes, path: str | Path, *, encoding: str | None = None, max_file_mb: float | None = None
) -> Document:
    """The :class:`Document` of a file's bytes, already read (see :func:`read_document`);
    ``path`` says the format (its ending) and names the file in errors."""
    path, max_bytes = Path(path), max_file_bytes(max_file_mb)
    if len(data) > max_bytes:
        raise LimitExceededError(f"the file is past the size limit of {max_bytes} B", path=path)
    suffix = path.suffix.lower()
    if suffix in UNREAD_DOCUMENT_SUFFIXES:
        raise UnsupportedFormatError(_unread_reason(suffix), path=path)
    if suffix == ".docx":
        return Document(_nonempty_doc(_read_docx(data, path, max_bytes), path), None, "docx")
    if suffix == ".pdf":
        return Document(_nonempty_doc(_read_pdf(data, path), path), None, "pdf")
    if suffix in _HTML_SUFFIXES or _HTML_START.match(data[:512].lstrip(codecs.BOM_UTF8)):
        text, used = decode_bytes(data, encoding=encoding, path=path)
        try:
            main_text = html_to_text(text)
        except Exception as exc:  # html.parser may reject badly broken markup
            raise UnsupportedFormatError(
                f"the HTML cannot be parsed ({_reason(exc)})", path=path
            ) from exc
        return Document(_nonempty(main_text, path), used, "html")
    text, used = decode_bytes(data, encoding=encoding, path=path)
    return Document(text, used, "txt")


def _unread_reason(suffix: str) -> str:
    """Why a document of this ending is not read, and what to do."""
    kind = UNREAD_DOCUMENT_SUFFIXES[suffix]
    return (
        f"{kind} files ({suffix}) are not read: save the report as .docx, .pdf or .txt "
        "(e.g. with LibreOffice: soffice --headless --convert-to docx FILE)"
    )


def _nonempty_doc(text: str, path: Path) -> str:
    if not text.strip():
        raise EmptyFileError("the document holds no text", path=path)
    return _unify_newlines(text)


def _walk(folder: Path) -> list[Path]:
    """Report files under a folder: known endings, no hidden files, symlinked folders not
    followed (no loops); symlinked files are listed (they may dangle: reading says so).
    A folder that cannot be listed is listed itself, so that reading it says why (it is
    skipped or raises like an unreadable file, never left out unseen)."""
    found: list[Path] = []
    unreadable: list[OSError] = []
    for root, dirs, files in os.walk(folder, followlinks=False, onerror=unreadable.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(READABLE_SUFFIXES):
                found.append(Path(root) / name)
    found.extend(Path(error.filename) for error in unreadable if error.filename is not None)
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
    paths: list[Path] = []
    for item in source:  # folders in a list are read too; a path named twice is read once
        path = Path(os.fspath(item))
        paths.extend(_walk(path) if path.is_dir() else [path])
    seen: set[str] = set()
    unique = [p for p in paths if not (str(p) in seen or seen.add(str(p)))]
    return unique, f"{len(unique)} paths"
