"""Metadata accuracy on the development set: the gold of benchmarks/accuracy scored by
score_metadata.py must not fall below the recorded floors, and the whole-corpus checks
must hold, on the 68 sample documents with the seeds and fixtures (seconds). Skipped when
../shared/corpora is not beside the checkout (CI has no development set; the variable
LAWGOVKIT_CORPORA names another folder holding it, as for benchmarks/accuracy/run.py)."""

from __future__ import annotations

import csv
import importlib.util
import json
import warnings

import pytest

from tests.conftest import DEV_CORPUS, ROOT

ACCURACY = ROOT / "benchmarks" / "accuracy"
CORPUS = DEV_CORPUS

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpora is not beside this checkout"
)


def _scorer():
    spec = importlib.util.spec_from_file_location("score_metadata", ACCURACY / "score_metadata.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample_reports() -> dict:
    import lawgovkit as lgk

    with (ACCURACY / "sample.tsv").open(encoding="utf-8") as handle:
        names = [row["file"] for row in csv.DictReader(handle, delimiter="\t")]
    reports = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in names:
            reports[name] = lgk.load_report(CORPUS / name)
        for folder in ("seeds", "tests/fixtures/structure"):
            for path in sorted((ROOT / folder).glob("*.txt")):
                reports[f"{folder}/{path.name}"] = lgk.load_report(path)
    return reports


@pytest.fixture(scope="module")
def recorded() -> dict:
    return json.loads((ACCURACY / "recorded_metadata.json").read_text(encoding="utf-8"))


def test_metadata_scores_hold_their_floors(sample_reports, recorded) -> None:
    rows = {row["field"]: row for row in _scorer().score(sample_reports, ACCURACY)}
    assert set(recorded["scores"]) <= set(rows)
    for field, floor in recorded["scores"].items():
        assert rows[field]["score"] >= floor, (field, rows[field])
    for field in ("title", "jurisdiction", "level", "report_year", "plan_year", "genre"):
        assert rows[field]["n"] >= 68
        assert rows[field]["score"] >= 0.95


def test_metadata_checks_hold(sample_reports, recorded) -> None:
    rows = {row["check"]: row for row in _scorer().checks(sample_reports)}
    for check, most in recorded["checks_max_failing"].items():
        assert rows[check]["n_failing"] <= most, rows[check]
