"""Bad input gets a clear answer: a specific error naming the file, or a flagged report.

Covers issue 9's failure behaviour and safety lines:

- each bad file (empty, whitespace only, binary, truncated, undecodable, broken .docx, a PDF
  without text, a missing extra) raises a specific :class:`~lawgovkit.errors.LawgovkitError`
  subclass whose message names the file and the cause;
- ``load_corpus(..., errors="skip"|"warn")`` keeps going and lists each in ``corpus.skipped``;
- texts that are not reports (an error page, a news item) load with a warning and
  ``is_report`` False;
- loading never fetches or executes anything (URLs and external entities in HTML and .docx);
  nothing in the package uses pickle for caching;
- a file named like an option (``-rf.txt``), symlinks out of the folder and symlink loops
  are handled as decided below.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import warnings
import zipfile
from pathlib import Path

import pytest

import lawgovkit as lgk
from lawgovkit.errors import (
    BinaryFileError,
    EmptyFileError,
    EncodingError,
    LawgovkitError,
    MissingExtraError,
    NoReportsError,
    ReportNotFoundError,
    UnsupportedFormatError,
)
from tests.forms import BAD_BYTES, write_docx, write_html_page, write_pdf

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reliability"
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_83b981cfa8576200.txt"

REPORT = (
    "某县2023年度法治政府建设情况报告\n"
    "2023年,我县深入推进依法行政,法治政府建设取得新成效。\n"
    "一、主要举措和成效\n"
    "(一)规范行政执法。全面落实行政执法三项制度。\n"
    "二、存在的问题\n"
    "一是执法力量薄弱;二是普法形式单一。\n"
    "三、下一步工作安排\n"
    "一是加强执法队伍建设;二是创新普法方式。\n"
)
NEWS_404 = FIXTURES / "404 页面不存在.html"
NEWS_ITEM = FIXTURES / "新闻 区司法局开展宪法宣传周活动.txt"
NO_HEADINGS = FIXTURES / "某镇2023年度法治政府建设情况报告 无标题层级.txt"
NO_PROBLEMS = FIXTURES / "某区应急管理局2023年度法治政府建设工作报告 无问题部分.txt"
CMS_PAGE = FIXTURES / "夷陵区 法治政府建设报告 网页.html"
TRADITIONAL_PAGE = FIXTURES / "南海區 法治政府建設報告 繁體.html"

PROBLEMS_COLUMNS = ["report_id", "n", "text", "section_id", "category"]
SKIPPED_COLUMNS = ["path", "error", "message"]


def _named(path: Path) -> str:
    """A ``match=`` pattern: the file's name must appear in the message."""
    return re.escape(path.name)


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _load_quietly(path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lgk.load_report(path)


# --- each bad file: a specific error naming the file and the cause ---------------------------

BAD_FILE_CASES = [
    pytest.param("empty", EmptyFileError, "empty", id="empty"),
    pytest.param("whitespace", EmptyFileError, "whitespace", id="whitespace-only"),
    pytest.param("png", BinaryFileError, "PNG", id="png-bytes"),
    pytest.param("zip_as_txt", BinaryFileError, "ZIP", id="zip-named-txt"),
    pytest.param("nul_bytes", BinaryFileError, "NUL", id="nul-bytes"),
]


@pytest.mark.parametrize(("name", "error", "cause"), BAD_FILE_CASES)
def test_bad_file_raises_specific_error(tmp_path, name, error, cause) -> None:
    file_name, data = BAD_BYTES[name]
    path = _write(tmp_path, file_name, data)
    with pytest.raises(error, match=_named(path)) as info:
        lgk.load_report(path)
    assert re.search(cause, str(info.value), flags=re.IGNORECASE)
    assert info.value.path == str(path)


TRUNCATED_CASES = [
    pytest.param("utf-8", id="utf8"),
    pytest.param("gb18030", id="gb18030"),
    pytest.param("big5", id="big5"),
]


@pytest.mark.parametrize("encoding", TRUNCATED_CASES)
def test_bad_truncated_multibyte_sequence_raises_encoding_error(tmp_path, encoding) -> None:
    """A download cut inside a character: an error, not a silently mangled last line.

    Decision: the file is refused (EncodingError) rather than decoded with a replacement
    character or, worse, detected as some other encoding and read as mojibake.
    """
    text = "縣政府法治政府建設報告\n依法行政水平不斷提升。" if encoding == "big5" else REPORT
    data = text.rstrip("\n").encode(encoding)[:-1]  # cut inside the last character
    path = _write(tmp_path, f"截断 {encoding}.txt", data)
    with pytest.raises(EncodingError, match=_named(path)):
        lgk.load_report(path)


def test_bad_undecodable_bytes_raise_encoding_error(tmp_path) -> None:
    """Bytes no supported encoding reads (0xFF is invalid in UTF-8, GB18030 and Big5)."""
    data = REPORT.encode("utf-8").replace("。".encode(), b"\xff\xfe\xff\x80")
    path = _write(tmp_path, "坏字节.txt", data + b"\xff")
    with pytest.raises(EncodingError, match=_named(path)):
        lgk.load_report(path)


def test_bad_wrong_encoding_argument_raises_encoding_error(tmp_path) -> None:
    path = _write(tmp_path, "gbk.txt", REPORT.encode("gbk"))
    with pytest.raises(EncodingError, match=_named(path)):
        lgk.load_report(path, encoding="utf-8")
    with pytest.raises(EncodingError, match="no-such-codec"):
        lgk.load_report(path, encoding="no-such-codec")


def test_bad_missing_file_raises_report_not_found(tmp_path) -> None:
    path = tmp_path / "不存在 的报告.txt"
    with pytest.raises(ReportNotFoundError, match=_named(path)):
        lgk.load_report(path)
    with pytest.raises(ReportNotFoundError, match=_named(path)):
        lgk.load_corpus(path)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        pytest.param("旧格式.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), id="ole-doc"),
        pytest.param("报告.docx", b"PK\x03\x04 this is not really a zip archive", id="broken-docx"),
        pytest.param("报告.pdf", b"%PDF-1.4\n% broken\n", id="broken-pdf"),
    ],
)
def test_bad_unreadable_format_raises_lawgovkit_error(tmp_path, name, data) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises((UnsupportedFormatError, BinaryFileError), match=_named(path)):
        lgk.load_report(path)


def test_bad_pdf_without_text_layer_says_so(tmp_path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60)  # a scan: drawing, no text
    path = tmp_path / "扫描 件.pdf"
    pdf.output(str(path))
    with pytest.raises(UnsupportedFormatError, match=_named(path)) as info:
        lgk.load_report(path)
    assert "text" in str(info.value)


@pytest.mark.parametrize(
    ("module", "extra", "suffix"),
    [pytest.param("docx", "docx", ".docx", id="docx"), pytest.param("pdfplumber", "pdf", ".pdf")],
)
def test_bad_missing_extra_names_the_extra(tmp_path, monkeypatch, module, extra, suffix) -> None:
    path = tmp_path / f"报告{suffix}"
    if suffix == ".docx":
        write_docx(REPORT, path)
    else:
        write_pdf(REPORT, path, wrap=False)
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    with pytest.raises(MissingExtraError, match=_named(path)) as info:
        lgk.load_report(path)
    assert f"lawgovkit[{extra}]" in str(info.value)


# --- corpus: errors="skip" / "warn" keep going and list what they left out ------------------


@pytest.fixture
def mixed_folder(tmp_path) -> tuple[Path, list[Path]]:
    """Two seeds and every bad file of BAD_BYTES in one folder."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(seed, folder / seed.name)
    bad = [_write(folder, file_name, data) for file_name, data in BAD_BYTES.values()]
    return folder, sorted(bad)


def test_bad_files_skipped_are_listed(mixed_folder) -> None:
    folder, bad = mixed_folder
    corpus = lgk.load_corpus(folder, errors="skip")
    assert sorted(corpus.reports.index) == sorted(p.stem for p in SEEDS.glob("*.txt"))[:2]
    skipped = corpus.skipped
    assert list(skipped.columns) == SKIPPED_COLUMNS
    assert sorted(Path(p).name for p in skipped["path"]) == sorted(p.name for p in bad)
    for row in skipped.itertuples():
        assert Path(row.path).name in row.message
        assert row.error in {"EmptyFileError", "BinaryFileError", "EncodingError"}


def test_bad_files_warned_are_listed_and_warned(mixed_folder) -> None:
    folder, bad = mixed_folder
    with pytest.warns(Warning) as record:
        corpus = lgk.load_corpus(folder, errors="warn")
    messages = " ".join(str(w.message) for w in record)
    for path in bad:
        assert path.name in messages
    assert len(corpus) == 2
    assert len(corpus.skipped) == len(bad)


def test_bad_files_raise_by_default(mixed_folder) -> None:
    folder, bad = mixed_folder
    names = "|".join(re.escape(p.name) for p in bad)
    with pytest.raises(LawgovkitError, match=names):
        lgk.load_corpus(folder)


def test_bad_skip_lists_missing_paths_of_a_list(tmp_path) -> None:
    missing = tmp_path / "缺失.txt"
    corpus = lgk.load_corpus([SEED, missing], errors="skip")
    assert list(corpus.reports.index) == [SEED.stem]
    assert [Path(p).name for p in corpus.skipped["path"]] == [missing.name]
    assert corpus.skipped["error"].tolist() == ["ReportNotFoundError"]


def test_bad_good_corpus_has_empty_skipped_with_columns() -> None:
    corpus = lgk.load_corpus([SEED])
    assert corpus.skipped.empty
    assert list(corpus.skipped.columns) == SKIPPED_COLUMNS


def test_bad_errors_argument_is_checked() -> None:
    with pytest.raises(LawgovkitError, match="ignore"):
        lgk.load_corpus([SEED], errors="ignore")


def test_bad_folder_without_reports_raises_no_reports(tmp_path) -> None:
    (tmp_path / "notes.xyz-not-a-report").mkdir()
    with pytest.raises(NoReportsError, match=re.escape(tmp_path.name)):
        lgk.load_corpus(tmp_path)


# --- texts that are not reports: a warning and a flag, not a silent parse -------------------


@pytest.mark.parametrize("path", [NEWS_404, NEWS_ITEM], ids=["404-page", "news-item"])
def test_bad_not_a_report_loads_with_warning_and_flag(path) -> None:
    with pytest.warns(Warning, match=re.escape(path.stem)):
        report = lgk.load_report(path)
    assert report.is_report is False
    assert report.report_score < 0.5
    seeds_scores = [_load_quietly(seed).report_score for seed in sorted(SEEDS.glob("*.txt"))]
    assert report.report_score < min(seeds_scores)


def test_bad_not_a_report_from_text_warns() -> None:
    text = "通知\n定于下周一上午9时召开全体干部大会,请准时参加。\n办公室\n"
    with pytest.warns(Warning, match="notice"):
        report = lgk.Report.from_text(text, id="notice")
    assert report.is_report is False


def test_bad_report_without_headings_still_finds_its_parts() -> None:
    report = _load_quietly(NO_HEADINGS)
    assert report.is_report
    assert "".join(report.sections["text"]) == report.text
    roles = set(report.sections["role"])
    assert {"problems", "plans"} <= roles
    problems = report.problems["text"].tolist()
    assert len(problems) == 3  # "以下不足:A,B,C。"
    assert "法治宣传形式比较单一" in problems[2]
    assert not any("下一步" in text for text in problems)
    assert len(report.plans) == 3  # three measures separated by ";"


def test_bad_report_without_problems_part_has_empty_problems() -> None:
    report = _load_quietly(NO_PROBLEMS)
    assert report.is_report
    assert report.meta["report_year"] == 2023
    assert report.meta["plan_year"] == 2024
    assert "problems" not in set(report.sections["role"])
    assert report.problems.empty
    assert list(report.problems.columns)[: len(PROBLEMS_COLUMNS)] == PROBLEMS_COLUMNS
    assert len(report.plans) == 3


# --- saved web pages ------------------------------------------------------------------------

PAGE_CHROME = (
    "网站首页",
    "无障碍",
    "走进夷陵",
    "互动交流",
    "分享到",
    "打印本页",
    "网站标识码",
    "版权所有",
)
PAGE_CODE = ("_hmt", "doZoom", "text-indent", "function", "document.write", "jquery")


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_bad_cms_page_keeps_only_the_report(tmp_path, charset) -> None:
    source = CMS_PAGE.read_text(encoding="utf-8")
    path = tmp_path / f"网页 {charset}.html"
    path.write_bytes(source.replace("charset=utf-8", f"charset={charset}").encode(charset))
    report = _load_quietly(path)
    for chrome in PAGE_CHROME + PAGE_CODE:
        assert chrome not in report.text, chrome
    assert report.meta["title"] == "夷陵区2023年度法治政府建设情况报告"
    assert report.meta["jurisdiction"] == "夷陵区"
    assert report.meta["report_year"] == 2023
    assert str(report.meta["publish_date"])[:10] == "2024-03-22"
    assert report.meta["source"] == "区司法局"
    assert len(report.problems) == 3
    assert len(report.plans) == 3


def test_bad_traditional_page_is_simplified_and_recorded() -> None:
    report = _load_quietly(TRADITIONAL_PAGE)
    assert report.script == "traditional"
    assert "法治政府建设" in report.text
    assert "建設" not in report.text
    assert report.meta["jurisdiction"] == "南海区"
    assert report.meta["city"] == "佛山市"
    assert report.meta["report_year"] == 2022
    assert len(report.problems) == 2
    assert len(report.plans) == 3


# --- safety: nothing fetched, nothing executed, no pickle -----------------------------------


@pytest.fixture
def no_network_or_processes(monkeypatch) -> list[str]:
    """Record (and refuse) every attempt to open a connection or start a process."""
    calls: list[str] = []

    def refuse(name):
        def refused(*args, **kwargs):
            calls.append(f"{name}{args[1:2]}")
            raise OSError(f"test: {name} is not allowed while loading")

        return refused

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(subprocess, "Popen", refuse("subprocess.Popen"))
    monkeypatch.setattr(os, "system", refuse("os.system"))
    return calls


def _hostile_html(secret: Path) -> str:
    return f"""<?xml version="1.0"?>
<?xml-stylesheet type="text/xsl" href="http://evil.example.invalid/x.xsl"?>
<!DOCTYPE html [
  <!ENTITY leak SYSTEM "file://{secret}">
  <!ENTITY remote SYSTEM "http://evil.example.invalid/entity">
]>
<html><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0; url=http://evil.example.invalid/">
<base href="http://evil.example.invalid/">
<link rel="stylesheet" href="http://evil.example.invalid/a.css">
<script src="http://evil.example.invalid/a.js"></script>
<script>fetch("http://evil.example.invalid/beacon"); document.body.innerHTML = "已篡改";</script>
</head><body>
<iframe src="http://evil.example.invalid/frame"></iframe>
<p>某县2023年度法治政府建设情况报告</p>
<p>2023年,我县深入推进依法行政。&leak;&remote;<img src="http://evil.example.invalid/p.png"></p>
<object data="http://evil.example.invalid/o.swf"></object>
<p>二、存在的问题</p><p>一是执法力量薄弱;二是普法形式单一。</p>
</body></html>
"""


def test_bad_hostile_html_fetches_and_runs_nothing(tmp_path, no_network_or_processes) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-MARKER-42", encoding="utf-8")
    path = tmp_path / "hostile.html"
    path.write_text(_hostile_html(secret), encoding="utf-8")
    report = _load_quietly(path)
    assert no_network_or_processes == []
    assert "SECRET-MARKER-42" not in report.raw_text + report.text
    assert "已篡改" not in report.text
    assert "fetch(" not in report.text
    assert "依法行政" in report.text


ATTACHED_TEMPLATE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
)


def _hostile_docx(path: Path, secret: Path) -> Path:
    """A .docx with external relationships (image, hyperlink) and an external entity."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE

    document = docx.Document()
    for line in REPORT.split("\n"):
        document.add_paragraph(line)
    part = document.part
    part.relate_to("http://evil.example.invalid/t.png", RELATIONSHIP_TYPE.IMAGE, is_external=True)
    part.relate_to("http://evil.example.invalid/", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    part.relate_to(
        "http://evil.example.invalid/c.htm", RELATIONSHIP_TYPE.A_F_CHUNK, is_external=True
    )
    part.relate_to("http://evil.example.invalid/template.dotm", ATTACHED_TEMPLATE, is_external=True)
    plain = path.with_suffix(".plain.docx")
    document.save(str(plain))
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                doctype = (
                    f'<!DOCTYPE w:document [<!ENTITY leak SYSTEM "file://{secret}">'
                    '<!ENTITY remote SYSTEM "http://evil.example.invalid/e">]>'
                ).encode()
                head, rest = data.split(b"?>", 1)
                data = head + b"?>" + doctype + rest.replace(b"</w:t>", b"&leak;&remote;</w:t>", 1)
            dst.writestr(item, data)
    plain.unlink()
    return path


def test_bad_hostile_docx_fetches_nothing(tmp_path, no_network_or_processes) -> None:
    """Decision: a .docx with an entity declaration either loads without resolving it or is
    refused with a LawgovkitError naming the file; external relationships are never followed."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-MARKER-42", encoding="utf-8")
    path = _hostile_docx(tmp_path / "外部 关系.docx", secret)
    try:
        report = _load_quietly(path)
    except LawgovkitError as exc:
        assert path.name in str(exc)
    else:
        assert "SECRET-MARKER-42" not in report.raw_text
        assert "执法力量薄弱" in report.text
    assert no_network_or_processes == []


def test_bad_docx_with_external_relationships_only_loads(tmp_path, no_network_or_processes):
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE

    document = docx.Document()
    for line in REPORT.split("\n"):
        document.add_paragraph(line)
    document.part.relate_to(
        "http://evil.example.invalid/t.png", RELATIONSHIP_TYPE.IMAGE, is_external=True
    )
    path = tmp_path / "外链.docx"
    document.save(str(path))
    report = _load_quietly(path)
    assert "二是普法形式单一" in report.text
    assert no_network_or_processes == []


def test_bad_seed_corpus_loads_offline(no_network_or_processes) -> None:
    corpus = lgk.load_corpus(SEEDS)
    corpus.problems  # noqa: B018 - parsing happens lazily: run it under the guard too
    assert no_network_or_processes == []


PICKLE_USE = re.compile(
    r"^\s*(import|from)\s+(pickle|cPickle|shelve|marshal|dill|cloudpickle|joblib)\b"
    r"|\.(read|to)_pickle\(|pickle\.loads?\(",
    flags=re.MULTILINE,
)


def test_bad_caches_are_not_pickle() -> None:
    """Loading a cache must never unpickle (a shared cache file could run code).

    No module of the package imports pickle-like serialisers or reads pickles; any cache
    the package keeps is in a data format (JSON, Parquet).
    """
    package = Path(lgk.__file__).parent
    offenders = [
        path.name
        for path in sorted(package.rglob("*.py"))
        if PICKLE_USE.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# --- file names and links -------------------------------------------------------------------


def test_bad_option_like_file_name_loads_as_a_file(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    path = folder / "-rf.txt"
    path.write_text(REPORT, encoding="utf-8")
    monkeypatch.chdir(folder)
    report = _load_quietly(Path("-rf.txt"))
    assert report.id == "-rf"
    assert report.meta["report_year"] == 2023
    assert list(lgk.load_corpus(folder).reports.index) == ["-rf"]
    assert path.exists()


def test_bad_option_like_file_name_on_command_line(tmp_path) -> None:
    pytest.importorskip("lawgovkit.cli", reason="the command line is not written yet")
    (tmp_path / "-rf.txt").write_text(REPORT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "lawgovkit", "info", "--format", "csv", "--", "-rf.txt"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "-rf" in done.stdout
    assert (tmp_path / "-rf.txt").exists()


@pytest.mark.parametrize("name", [name for name in BAD_BYTES])
def test_bad_file_on_command_line_is_one_line(tmp_path, name) -> None:
    pytest.importorskip("lawgovkit.cli", reason="the command line is not written yet")
    file_name, data = BAD_BYTES[name]
    _write(tmp_path, file_name, data)
    done = subprocess.run(
        [sys.executable, "-m", "lawgovkit", "info", file_name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert file_name in done.stderr


def _load_in_thread(*args, **kwargs):
    """load_corpus in a thread: a symlink loop must not hang the test session."""
    result: dict = {}

    def run():
        try:
            result["corpus"] = lgk.load_corpus(*args, **kwargs)
        except BaseException as exc:  # reported to the test below
            result["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "load_corpus did not return: it follows a symlink loop"
    if "error" in result:
        raise result["error"]
    return result["corpus"]


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="needs POSIX symlinks")
def test_bad_symlink_loops_do_not_hang_or_duplicate(tmp_path) -> None:
    """Decision: folder walking does not follow symlinked folders (no loop, no duplicates);
    a file symlink that loops or dangles cannot be read and is listed in corpus.skipped."""
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SEED, folder / SEED.name)
    (folder / "sub" / "back").symlink_to(folder, target_is_directory=True)
    (folder / "self").symlink_to(folder / "self")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    corpus = _load_in_thread(folder, errors="skip")
    assert list(corpus.reports.index) == [SEED.stem]
    skipped = sorted(Path(p).name for p in corpus.skipped["path"])
    assert skipped == ["dangling.txt", "loop.txt", "self"]  # "self": no report file type
    names = corpus.skipped["path"].map(lambda p: Path(p).name)
    errors = dict(zip(names, corpus.skipped["error"], strict=True))
    assert errors == {
        "dangling.txt": "ReportNotFoundError",
        "loop.txt": "ReportNotFoundError",
        "self": "UnsupportedFormatError",
    }


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="needs POSIX symlinks")
def test_bad_symlink_out_of_the_folder_is_read_once(tmp_path) -> None:
    """Decision: a file symlink in the folder is a file the researcher put there, so it is
    read (the corpus is what the folder shows), under the link's own name and path; the
    same file reached twice (the original and a link) is two entries only if both are in
    the folder, each with its own id: nothing is silently dropped or merged."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    target = outside / "其他 报告.txt"
    target.write_text(REPORT, encoding="utf-8")
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / "linked.txt").symlink_to(target)
    corpus = _load_in_thread(folder)
    assert sorted(corpus.reports.index) == sorted([SEED.stem, "linked"])
    assert Path(corpus.reports.loc["linked", "path"]).name == "linked.txt"
    assert corpus.skipped.empty


def test_bad_html_page_writer_round_trips(tmp_path) -> None:
    """The page builder used by the metamorphic tests keeps the report's lines."""
    path = write_html_page(REPORT, tmp_path / "page.html")
    report = _load_quietly(path)
    for line in REPORT.strip().split("\n"):
        assert line in report.text


# --- huge and pathological single-line files ------------------------------------------------

HUGE_LINES = {
    # name: one line of about 2 MB (no newline at all)
    "report_sentences": "2022年,我区推进依法行政,一是加强执法;二是创新普法;三是化解纠纷。" * 50_000,
    "open_brackets": "(一" * 700_000,
    "enumeration_markers": "一是是" * 700_000,
    "arabic_markers": "1.2、(3)" * 300_000,
    "chrome_words": "字号 大 中 小 打印 " * 200_000,
}


def _in_thread(function, *args):
    """Run ``function(*args)`` with a hang guard: a regex that backtracks must not stall CI."""
    result: dict = {}

    def run():
        try:
            result["value"] = function(*args)
        except BaseException as exc:  # re-raised in the test
            result["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(600)
    assert not thread.is_alive(), "did not return: catastrophic backtracking or a loop?"
    if "error" in result:
        raise result["error"]
    return result["value"]


def _load_and_parse(path: Path):
    report = _load_quietly(path)
    return report, report.sections, report.problems, report.plans


@pytest.mark.parametrize("name", sorted(HUGE_LINES))
def test_bad_huge_single_line_file_loads_and_parses(tmp_path, name) -> None:
    line = HUGE_LINES[name]
    path = tmp_path / f"一行 {name}.txt"
    path.write_text(line, encoding="utf-8")
    assert path.stat().st_size > 1_500_000
    try:
        report, sections, _problems, _plans = _in_thread(_load_and_parse, path)
    except LawgovkitError as exc:  # refusing is allowed, if it says which file
        assert path.name in str(exc)
        return
    assert "".join(sections["text"]) == report.text
    assert report.meta["n_chars"] == len(report.text)
    assert len(report.text) > 0.5 * len(line.replace(" ", ""))


def test_bad_loading_writes_nothing_next_to_the_reports(tmp_path) -> None:
    """No cache or index file appears in the corpus folder (it may be read-only, shared)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(seed, folder / seed.name)
    before = sorted(p.name for p in folder.rglob("*"))
    corpus = lgk.load_corpus(folder)
    corpus.problems  # noqa: B018 - parsing happens lazily
    assert sorted(p.name for p in folder.rglob("*")) == before


@pytest.mark.parametrize(
    "names",
    [
        pytest.param(("2022/report.txt", "2023/report.txt", "report.html"), id="subfolders"),
        pytest.param(("report.txt", "report.htm", "a/report.txt"), id="same-folder"),
    ],
)
def test_bad_files_sharing_a_stem_are_all_kept(tmp_path, names) -> None:
    """Researchers save the same report as page and text, or one file name per year folder:
    every file is loaded under its own id (nothing merged or dropped), and an id never
    holds the machine's absolute path (tables must not depend on where the corpus lives)."""
    folder = tmp_path / "corpus"
    seeds = sorted(SEEDS.glob("*.txt"))
    for name, seed in zip(names, seeds[: len(names)], strict=True):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".txt":
            shutil.copy(seed, path)
        else:
            write_html_page(seed.read_text(encoding="utf-8"), path)
    corpus = lgk.load_corpus(folder)
    ids = list(corpus.reports.index)
    assert len(set(ids)) == len(names)
    assert sorted(Path(p).relative_to(folder).as_posix() for p in corpus.reports["path"]) == sorted(
        names
    )
    assert not any(str(tmp_path) in report_id for report_id in ids)


def test_bad_not_a_report_in_a_corpus_is_loaded_flagged_and_warned(tmp_path) -> None:
    """In a corpus, a page that is not a report is kept (not skipped), flagged, and warned."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    shutil.copy(NEWS_ITEM, folder / NEWS_ITEM.name)
    shutil.copy(NEWS_404, folder / NEWS_404.name)
    with pytest.warns(Warning) as record:
        corpus = lgk.load_corpus(folder)
    messages = " ".join(str(w.message) for w in record)
    assert NEWS_ITEM.stem in messages
    assert NEWS_404.stem in messages
    flags = corpus.reports["is_report"].to_dict()
    assert flags == {SEED.stem: True, NEWS_ITEM.stem: False, NEWS_404.stem: False}
    assert corpus.skipped.empty


CHROME_LOOKALIKES = (
    "来源于群众的意见建议全部得到及时办理。",
    "扫码即可申请法律援助,全年扫码咨询3000人次。",
    "下载“法治江夏”APP的群众达到5万人。",
    "打印本页内容的要求已写入政务公开制度。",
    "索引号管理规范,政府信息公开目录动态更新。",
    "发布日期前须完成规范性文件合法性审查。",
    "分享到各村的法律顾问名单已全部公开。",
    "当前位置管理系统上线后,执法车辆调度效率提高30%。",
    "字号、字体统一的执法文书模板已在全区推广。",
    "关闭窗口期前完成全部整改任务。",
    "大中小学法治教育实现全覆盖。",
    "责任编辑制度在区融媒体中心全面落实。",
)


@pytest.mark.parametrize("sentence", CHROME_LOOKALIKES)
def test_bad_chrome_lookalike_content_stays_in_the_text(sentence) -> None:
    """A sentence that merely contains a chrome word is content, not page chrome."""
    text = REPORT.replace("(一)规范行政执法。", f"(一)规范行政执法。\n{sentence}\n")
    report = lgk.Report.from_text(text, id="lookalike")
    assert sentence in report.text
    assert not any(sentence in record.text for record in report.boilerplate)


def test_bad_glob_characters_in_file_names_are_literal(tmp_path) -> None:
    """A file named with glob characters ("[2023]", "*", "?") is a file, however it is given."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    path = folder / "报告[2023] (副本)*?.txt"
    shutil.copy(SEED, path)
    for source in ([str(path)], [path], str(path), folder, str(folder)):
        corpus = lgk.load_corpus(source)
        assert list(corpus.reports.index) == [path.stem], source
        assert corpus.reports["path"].tolist() == [str(path)], source
    assert _load_quietly(str(path)).id == path.stem
