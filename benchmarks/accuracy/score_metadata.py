"""Metadata accuracy: title, jurisdiction, level, years and genre scored against
``gold_metadata.json``; the page openings of ``tests/fixtures/pages`` scored against the
gold of their pages; and whole-corpus checks that need no gold.

Called by ``run.py`` (``make accuracy``): ``score(reports, gold_dir)`` gives rows (field, n,
correct, score), ``checks(reports)`` rows (check, n_docs, n_failing, examples). A title is
compared without its spaces (scraped titles space out their digits: 「2 0 1 4 年」).
"""

from __future__ import annotations

import contextlib
import json
import re
import warnings
from pathlib import Path

FIELDS = ("title", "jurisdiction", "level", "report_year", "plan_year", "genre")
PAGE_FIELDS = (*FIELDS, "province", "city", "body", "is_report")
ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "tests" / "fixtures" / "pages" / "snippets.json"
TITLE_MAX = 80
# Words of page chrome, and speaker-and-date notes, that never belong in a title.
CHROME_IN_TITLE = re.compile(
    r"无障碍|长者模式|关怀版|繁体|繁體|简体|登录|注册|Menu|MENU|主题分类|索引号|发布日期|发布时间"
    r"|来源[:：]|浏览次数|当前位置|您的位置|首页|字号|打印|门户网站|政府网$|原标题|^[—─-]"
    r"|\(\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
)
# Words that never make a place's name (结合街道, 全镇, 乡镇).
ORDINARY = re.compile(r"^(?:全|我|本|各|该|结合|根据|按照|推进|现[将就])|(?:乡镇|城镇|村镇)$")
GENRE_TITLE = re.compile(r"政府工作报告$|法治政府建设.{0,12}(?:报告|汇报|总结|情况)$")


def _same(field: str, gold, got) -> bool:
    if field == "title":
        return re.sub(r"\s+", "", gold or "") == re.sub(r"\s+", "", got or "")
    if got is not None and not isinstance(got, (str, bool)):
        with contextlib.suppress(TypeError, ValueError):
            got = int(got)
    return gold == got


def _rows(pairs: dict[str, list[bool]], prefix: str = "") -> list[dict]:
    rows = []
    for field, outcomes in pairs.items():
        if outcomes:
            n, correct = len(outcomes), sum(outcomes)
            share = round(correct / n, 4)
            rows.append({"field": prefix + field, "n": n, "correct": correct, "score": share})
    return rows


def _page_reports() -> dict:
    """The page openings written for the tests, as reports (URL → Report)."""
    from lawgovkit import Report

    if not SNIPPETS.is_file():
        return {}
    snippets = json.loads(SNIPPETS.read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            url: Report.from_text(text, id="page")
            for url, text in snippets.items()
            if not url.startswith("_")
        }


def score(reports: dict, gold_dir: Path) -> list[dict]:
    """Per field: how many gold documents (and gold pages) the extraction gets right."""
    gold = json.loads((Path(gold_dir) / "gold_metadata.json").read_text(encoding="utf-8"))
    outcomes: dict[str, list[bool]] = {field: [] for field in FIELDS}
    for name, fields in gold["documents"].items():
        report = reports.get(name)
        if report is None:
            continue
        for field in FIELDS:
            if field in fields:
                outcomes[field].append(_same(field, fields[field], report.meta.get(field)))
    rows = _rows(outcomes)
    pages = _page_reports()
    page_outcomes: dict[str, list[bool]] = {field: [] for field in PAGE_FIELDS}
    for url, fields in gold.get("pages", {}).items():
        report = pages.get(url)
        if report is None:
            continue
        meta = {**report.meta, "is_report": report.is_report}
        for field in PAGE_FIELDS:
            if field in fields:
                page_outcomes[field].append(_same(field, fields[field], meta.get(field)))
    return rows + _rows(page_outcomes, prefix="page_")


def _check(name: str, reports: dict, failing) -> dict:
    bad = sorted(key for key, report in reports.items() if failing(report))
    return {"check": name, "n_docs": len(reports), "n_failing": len(bad), "examples": bad[:3]}


def checks(reports: dict) -> list[dict]:
    """Whole-corpus checks of the metadata, on every report loaded (no gold needed)."""

    def title(r):
        return r.meta.get("title") or ""

    def years_disorder(r):
        ry, py = r.meta.get("report_year"), r.meta.get("plan_year")
        return ry is not None and py is not None and not 0 < py - ry <= 5

    def first_line_title_lost(r):
        first = r.raw_text.strip().split("\n", 1)[0].strip()
        return bool(GENRE_TITLE.search(first)) and not r.meta.get("title")

    def place_unplaced(r):
        return r.meta.get("jurisdiction") is not None and r.meta.get("level") is None

    def place_of_words(r):
        return bool(ORDINARY.search(r.meta.get("jurisdiction") or ""))

    return [
        _check(f"title at most {TITLE_MAX} characters", reports, lambda r: len(title(r)) > 80),
        _check("no chrome words in the title", reports, lambda r: CHROME_IN_TITLE.search(title(r))),
        _check("a report title on line 1 is the title", reports, first_line_title_lost),
        _check(
            "a title of the genre gives the genre",
            reports,
            lambda r: bool(GENRE_TITLE.search(title(r))) and r.meta.get("genre") == "other",
        ),
        _check(
            "reports of a genre are is_report",
            reports,
            lambda r: r.meta.get("genre") != "other" and not r.is_report,
        ),
        _check("plan year 1-5 years after the year reported on", reports, years_disorder),
        _check("a jurisdiction has a level", reports, place_unplaced),
        _check("no place made of ordinary words", reports, place_of_words),
    ]
