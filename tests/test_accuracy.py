"""The accuracy harness on the gold sample: a regression guard, not a timed test.

Runs ``benchmarks/accuracy/run.py --sample`` (the 68 reports of ``sample.tsv``, the seeds
and the structure fixtures) when the development corpora sit beside the checkout
(``../shared/corpora``, or the folder in ``LAWGOVKIT_CORPORA``), and fails when a structure
score falls below the floor recorded in ``benchmarks/accuracy/recorded_structure.json`` or a
whole-corpus check fails on the sample.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "benchmarks" / "accuracy"


def _harness():
    spec = importlib.util.spec_from_file_location("accuracy_run", HARNESS / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def record():
    harness = _harness()
    if not harness.CORPUS.is_dir():
        pytest.skip("../shared/corpora/local-work-reports is not beside this checkout")
    return harness.run(sample=True)


def test_the_sample_and_its_gold_agree():
    gold = json.loads((HARNESS / "gold_structure.json").read_text(encoding="utf-8"))
    sample = _harness().sample_names()
    assert set(sample) <= set(gold), "every sample document is annotated"
    for name, fields in gold.items():
        if name.startswith("_"):
            continue
        assert set(fields) == {"parts", "problems_start", "problems_end", "problems", "plans"}
        for phrase in [k for k, _ in fields["parts"]] + fields["problems"] + fields["plans"]:
            assert len(phrase) <= 12, f"{name}: key phrases only ({phrase!r})"


def test_structure_scores_do_not_fall_below_the_recorded_floors(record):
    floors = json.loads((HARNESS / "recorded_structure.json").read_text(encoding="utf-8"))
    scores = {r["field"]: r["score"] for r in record["scores"] if r["module"] == "score_structure"}
    low = {
        f: (scores.get(f), floor)
        for f, floor in floors["scores"].items()
        if scores.get(f, 0) < floor
    }
    assert not low, f"below the recorded floor (score, floor): {low}"


def test_whole_corpus_checks_hold_on_the_sample(record):
    floors = json.loads((HARNESS / "recorded_structure.json").read_text(encoding="utf-8"))
    failing = {r["check"]: r for r in record["checks"] if r["module"] == "score_structure"}
    for check, allowed in floors["checks_failing"].items():
        assert failing[check]["n_failing"] <= allowed, failing[check]


def test_key_phrases():
    spec = importlib.util.spec_from_file_location("score_structure", HARNESS / "score_structure.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.key("（三）加快建设“数字政府”，提升效能") == "加快建设数字政府"
    assert module.key("二、2025年主要工作") == "2025年主要工"
    assert module.key("一是人手少") == "人手少"
    found = {
        "parts": [["2024年工作回", "achievements"], ["2025年工作安", "plans"]],
        "problems_start": "在肯定成绩的同时",
        "problems_end": "2025年工作安",
        "problems": ["人手少", "经费紧"],
        "plans": ["加快产业", "办好实事"],
    }
    gold = {
        **found,
        "problems": ["人手少", "经费紧", "基层弱"],
        "parts": [["2024年工作回", "plans"], ["2025年工作安", "plans"]],
    }
    compared = module.compare(gold, found)
    assert compared["problems"] == (3, 2) and compared["plans"] == (2, 2)
    assert compared["part_roles"] == (2, 1) and compared["problems_start"] == (1, 1)
