"""Tests for lawgovkit.report: Report.from_text, load_report, and the metamorphic forms.

Metamorphic (issue 3 acceptance): every seed saved as GBK, as UTF-8 with BOM, with CRLF
line endings, with full-width brackets and digits, in traditional characters, or wrapped in
an HTML page with a menu and a script gives the same cleaned text (after simplification)
and the same metadata as the plain UTF-8 seed. The variants are made here from the seeds.
"""

from __future__ import annotations

import html
import unicodedata
import warnings
from pathlib import Path

import opencc
import pytest

import lawgovkit as lgk
from lawgovkit.errors import EmptyFileError, LawgovkitError, LawgovkitWarning, ParseError
from lawgovkit.metadata import METADATA_COLUMNS
from lawgovkit.report import EXTRA_COLUMNS, Report, load_report
from tests.conftest import SEED_PATHS

S2T = opencc.OpenCC("s2t")
SEED_IDS = [p.stem[:3] for p in SEED_PATHS]

REPORT = (
    "某区2023年度法治政府建设情况报告\n"
    "2023年,我区深入推进依法行政,法治政府建设取得新成效。\n"
    "一、主要举措和成效\n"
    "(一)规范行政执法。全面落实行政执法三项制度。\n"
    "二、存在的问题\n"
    "一是执法力量薄弱;二是普法形式单一。\n"
    "三、下一步工作安排\n"
    "一是加强执法队伍建设;二是创新普法方式。\n"
)
NOTICE = "通知\n定于下周一上午9时召开全体干部大会,请准时参加。\n办公室\n"


# --- forms of a seed --------------------------------------------------------------------------


def _gbk_bytes(text: str) -> bytes:
    """GBK, with the few characters GBK lacks (e.g. U+2002) written as their NFKC form."""
    return "".join(
        ch if _encodable(ch, "gbk") else unicodedata.normalize("NFKC", ch) for ch in text
    ).encode("gbk")


def _encodable(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _fullwidth(text: str) -> str:
    """ASCII letters, digits and punctuation as their full-width forms (（一）, １．)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _html_page(text: str) -> str:
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line)
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>报告</title>'
        "<script>var nav = '首页'; function menu() { return '政务公开'; }</script>"
        "<style>.menu li { float: left; }</style></head><body>"
        '<ul class="menu"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li></ul>'
        '<div class="article">\n' + paragraphs + "\n</div>"
        '<div class="footer">版权所有 某区人民政府</div></body></html>'
    )


FORMS = {
    "gbk": ("report.txt", _gbk_bytes),
    "utf8_bom": ("report.txt", lambda t: "\ufeff".encode() + t.encode("utf-8")),
    "crlf": ("report.txt", lambda t: t.replace("\n", "\r\n").encode("utf-8")),
    "fullwidth": ("report.txt", lambda t: _fullwidth(t).encode("utf-8")),
    "traditional": ("report.txt", lambda t: S2T.convert(t).encode("utf-8")),
    "html": ("report.html", lambda t: _html_page(t).encode("utf-8")),
}
HOW_READ = ("script", "encoding", "format", "path")


def _quiet_load(path: Path) -> Report:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_report(path)


def _comparable(meta: dict) -> dict:
    return {k: v for k, v in meta.items() if k not in HOW_READ}


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("seed", SEED_PATHS, ids=SEED_IDS)
def test_metamorphic_seed_form_same_text_and_metadata(seed: Path, form: str, tmp_path) -> None:
    baseline = _quiet_load(seed)
    name, make = FORMS[form]
    path = tmp_path / name
    path.write_bytes(make(seed.read_text(encoding="utf-8")))
    report = _quiet_load(path)
    assert report.text == baseline.text
    assert _comparable(report.meta) == _comparable(baseline.meta)
    assert report.provenance == baseline.provenance
    assert [(b.kind, b.text) for b in report.boilerplate] == [
        (b.kind, b.text) for b in baseline.boilerplate
    ]
    assert report.script == ("traditional" if form == "traditional" else "simplified")


@pytest.mark.parametrize("seed", SEED_PATHS, ids=SEED_IDS)
def test_metamorphic_seed_form_records_how_it_was_read(seed: Path, tmp_path) -> None:
    expected = {
        "gbk": ("gb18030", "txt"),
        "utf8_bom": ("utf-8-sig", "txt"),
        "html": ("utf-8", "html"),
    }
    for form, (encoding, file_format) in expected.items():
        name, make = FORMS[form]
        path = tmp_path / f"{form}-{name}"
        path.write_bytes(make(seed.read_text(encoding="utf-8")))
        report = _quiet_load(path)
        assert (report.encoding, report.format) == (encoding, file_format)
        assert (report.meta["encoding"], report.meta["format"]) == (encoding, file_format)


# --- from_text / load_report --------------------------------------------------------------------


def test_from_text_needs_no_file() -> None:
    report = Report.from_text(REPORT, id="x")
    assert report.id == "x"
    assert report.path is None
    assert report.raw_text == REPORT
    assert report.text == REPORT
    assert report.is_report
    assert report.meta["report_year"] == 2023
    assert report.meta["path"] is None
    assert tuple(report.meta) == (*METADATA_COLUMNS, *EXTRA_COLUMNS)


def test_from_text_not_a_report_warns_and_flags() -> None:
    with pytest.warns(LawgovkitWarning, match="notice: does not look like"):
        report = Report.from_text(NOTICE, id="notice")
    assert report.is_report is False
    assert report.report_score < 0.5
    assert report.warnings and "notice" in report.warnings[0]
    assert report.meta["is_report"] is False


def test_report_score_orders_reports_above_other_texts() -> None:
    seeds = [_quiet_load(p).report_score for p in SEED_PATHS]
    with pytest.warns(LawgovkitWarning):
        notice = Report.from_text(NOTICE, id="n").report_score
    assert notice < 0.5 <= min(seeds)
    assert all(0.0 <= s <= 1.0 for s in [*seeds, notice])


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "whitespace"), ("  \n\u3000\n", "whitespace"), ("【打印】【关闭】\n字号:", "chrome")],
)
def test_from_text_empty(text: str, message: str) -> None:
    with pytest.raises(EmptyFileError, match=f"^e: .*{message}"):
        Report.from_text(text, id="e")


def test_from_text_rejects_bytes() -> None:
    with pytest.raises(ParseError, match="text expected, bytes received"):
        Report.from_text(REPORT.encode(), id="b")


def test_load_report_id_is_the_stem(tmp_path) -> None:
    path = tmp_path / "某区 2023 报告.v2.txt"
    path.write_bytes(REPORT.encode("gb18030"))
    report = load_report(path)
    assert report.id == "某区 2023 报告.v2"
    assert report.path == str(path)
    assert report.meta["path"] == str(path)
    assert report.encoding == "gb18030"


def test_load_report_warns_with_the_file_name(tmp_path) -> None:
    path = tmp_path / "会议通知.txt"
    path.write_text(NOTICE, encoding="utf-8")
    with pytest.warns(LawgovkitWarning, match="会议通知"):
        report = load_report(path)
    assert not report.is_report


def test_load_report_given_encoding(tmp_path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(REPORT.encode("gbk"))
    assert load_report(path, encoding="gbk").text == REPORT
    with pytest.raises(LawgovkitError, match=r"r\.txt"):
        load_report(path, encoding="utf-8")


def test_top_level_names() -> None:
    assert lgk.Report is Report
    assert lgk.load_report is load_report


# --- the report record --------------------------------------------------------------------------


def test_report_is_frozen_and_hashable() -> None:
    report = Report.from_text(REPORT, id="x")
    with pytest.raises(AttributeError):
        report.text = "changed"  # type: ignore[misc]
    assert hash(report) == hash(Report.from_text(REPORT, id="x"))
    assert report == Report.from_text(REPORT, id="x")
    assert report != Report.from_text(REPORT, id="y")


def test_report_structure_is_lazy_and_covers_the_text() -> None:
    pytest.importorskip("lawgovkit.structure")
    report = Report.from_text(REPORT, id="x")
    assert "structure" not in report.__dict__
    sections = report.sections
    assert "".join(sections["text"]) == report.text
    assert set(sections["report_id"]) == {"x"}
    assert report.structure is report.structure
    for frame in (report.items, report.problems, report.plans):
        assert set(frame["report_id"]) <= {"x"}
    assert "category" in report.problems.columns
    assert "category" in report.plans.columns
    assert isinstance(report.outline(), str)


@pytest.mark.parametrize("seed", SEED_PATHS, ids=SEED_IDS)
def test_seed_sections_rejoin_to_text(seed: Path) -> None:
    pytest.importorskip("lawgovkit.structure")
    report = _quiet_load(seed)
    assert "".join(report.sections["text"]) == report.text
    assert report.text.startswith(report.meta["title"] or "")


def test_repr_html_shows_meta_escaped() -> None:
    report = Report.from_text("<b>某区</b>2023年度法治政府建设情况报告\n" + REPORT[17:], id="x<y>")
    shown = report._repr_html_()
    assert "x&lt;y&gt;" in shown
    assert "<b>某区</b>" not in shown
    assert "report_year" in shown and "2023" in shown


def test_repr_is_short() -> None:
    report = Report.from_text(REPORT, id="x")
    assert repr(report).startswith("Report(id='x'")
    assert len(repr(report)) < 300
