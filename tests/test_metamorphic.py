"""Metamorphic tests: the same report in any form gives the same result.

Every seed is written in every form of :data:`tests.forms.FORMS` (other encodings, line
endings, full-width forms, traditional characters, a saved HTML page, .docx, .pdf, a file
name with spaces and Chinese characters) and loaded; the result must match the plain UTF-8
seed's: the same metadata, the same text in each role, the same problems and plans.

What may legitimately differ, and how it is compared:

- ``path`` (another file) and the id (the file stem) always differ; they are not compared.
- Byte-level forms (encodings, line endings, full-width forms, the file name) must give the
  cleaned text exactly, hence also ``n_chars``.
- Forms that re-lay the text (HTML paragraphs, docx paragraphs, PDF lines, legacy encodings
  where a no-break space became a space) are compared with whitespace removed, and
  ``n_chars`` is not compared.
- Traditional forms are compared through one spelling (:func:`tests.forms.canonical_script`),
  because simplified → traditional → simplified is not the identity (着 → 著 → 著).
"""

from __future__ import annotations

import math
import re
import warnings
from functools import cache
from pathlib import Path

import pytest

import lawgovkit as lgk
from tests.conftest import DEV_CORPUS
from tests.forms import FORMS, LAYOUT_FORMS, Form, canonical_script

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_PATHS = sorted(SEEDS.glob("*.txt"))
# Two reports of our own beyond the seeds: one with no headings, one with no problems part.
OWN_PATHS = sorted(
    (Path(__file__).resolve().parent / "fixtures" / "reliability").glob("*报告*.txt")
)

# CONTRACT.md's corpus.reports columns a form must not change (path and n_chars: see above).
META_FIELDS = (
    "title",
    "jurisdiction",
    "province",
    "city",
    "adcode",
    "level",
    "body",
    "report_year",
    "plan_year",
    "publish_date",
    "source",
)
ROLES = ("preamble", "achievements", "problems", "leader_duty", "plans", "other")
_WHITESPACE = re.compile(r"\s+")


def _plain(value):
    """A metadata value as a plain comparable Python value (NaN/NaT/None → None)."""
    if value is None:
        return None
    try:
        if value != value:  # NaN, NaT
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def _text(value: str, *, exact: bool, traditional: bool) -> str:
    text = value if exact else _WHITESPACE.sub("", value)
    return canonical_script(text) if traditional else text


def summary(report, *, exact: bool = True, traditional: bool = False) -> dict:
    """What a form must not change: metadata, text per role, problems, plans."""

    def text(value) -> str:
        return _text(str(value), exact=exact, traditional=traditional)

    meta = {}
    for field in META_FIELDS:
        value = _plain(report.meta.get(field))
        meta[field] = text(value) if isinstance(value, str) else value
    sections = report.sections
    roles = {
        role: text("".join(sections.loc[sections["role"] == role, "text"].tolist()))
        for role in ROLES
    }
    order = [
        role
        for i, role in enumerate(sections["role"])
        if i == 0 or sections["role"].iloc[i - 1] != role
    ]
    return {
        "meta": meta,
        "role_order": order,
        "role_text": roles,
        "problems": [text(t) for t in report.problems["text"]],
        "plans": [text(t) for t in report.plans["text"]],
    }


@cache
def _baseline(path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lgk.load_report(path)


CASES = [
    pytest.param(seed, form, id=f"{label}-{form.name}")
    for label, seed in [(p.stem[:3], p) for p in SEED_PATHS]
    + [(f"own{i}", p) for i, p in enumerate(OWN_PATHS)]
    for form in FORMS + LAYOUT_FORMS
]


@pytest.mark.parametrize(("seed", "form"), CASES)
def test_metamorphic_form_gives_same_result(seed: Path, form: Form, tmp_path: Path) -> None:
    baseline = _baseline(seed)
    path = form.write(seed.read_text(encoding="utf-8"), tmp_path, seed.stem)
    report = lgk.load_report(path)

    exact = form.same_text
    want = summary(baseline, exact=exact, traditional=form.traditional)
    got = summary(report, exact=exact, traditional=form.traditional)
    assert got["meta"] == want["meta"]
    assert got["role_order"] == want["role_order"]
    assert got["role_text"] == want["role_text"]
    assert got["problems"] == want["problems"]
    assert got["plans"] == want["plans"]
    assert report.is_report
    assert report.script == ("traditional" if form.traditional else "simplified")
    assert _text(report.text, exact=exact, traditional=form.traditional) == _text(
        baseline.text, exact=exact, traditional=form.traditional
    )
    if exact:
        assert report.meta["n_chars"] == baseline.meta["n_chars"]


@pytest.mark.parametrize("seed", SEED_PATHS, ids=[p.stem[:3] for p in SEED_PATHS])
def test_metamorphic_baseline_keeps_raw_text(seed: Path) -> None:
    """The plain seed itself: raw_text is the file as read, the text is what sections cover."""
    report = _baseline(seed)
    assert report.raw_text == seed.read_text(encoding="utf-8").replace("\r\n", "\n")
    assert "".join(report.sections["text"]) == report.text
    assert report.meta["n_chars"] == len(report.text)


# Reports of the development corpus (tests.conftest.DEV_CORPUS; skipped without it): a
# seeded sample, in every text-layout form (issue 22). Its texts are read where they lie,
# never copied here.
CORPUS = DEV_CORPUS
CORPUS_SAMPLE = 6


def _corpus_sample() -> list[Path]:
    import random

    if not CORPUS.is_dir():
        return []
    paths = sorted(CORPUS.glob("*.txt"))
    return sorted(random.Random(22).sample(paths, min(CORPUS_SAMPLE, len(paths))))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the development corpus is not here")
@pytest.mark.parametrize("form", LAYOUT_FORMS, ids=[f.name for f in LAYOUT_FORMS])
def test_metamorphic_layout_forms_of_corpus_reports(form: Form, tmp_path: Path) -> None:
    for path in _corpus_sample():
        baseline = _baseline(path)
        copy = form.write(path.read_text(encoding="utf-8"), tmp_path, path.stem)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            report = lgk.load_report(copy)
        want, got = summary(baseline, exact=False), summary(report, exact=False)
        assert got == want, path.name
