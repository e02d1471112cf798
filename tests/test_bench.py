"""The benchmark (benchmarks/bench_pipeline.py) at a small size, so it cannot rot: it runs,
its JSON line has the keys and sane values, and its generated reports are distinct and
parse. Timings are not checked."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from functools import cache

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "benchmarks" / "bench_pipeline.py"
KEYS = (
    "reports",
    "total_s",
    "peak_rss_mb",
    "tokenize_speedup",
    "speedup_vs_naive",
    "warm_ratio",
)


@cache
def _bench():
    spec = importlib.util.spec_from_file_location("bench_pipeline", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    """One run of the benchmark on 200 reports, as a user would start it."""
    scratch = tmp_path_factory.mktemp("bench")
    command = [
        sys.executable,
        str(SCRIPT),
        "--reports",
        "200",
        "--token-texts",
        "50",
        "--curve-max-kb",
        "100",
        "--corpus",
        str(scratch / "corpus"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_prints_a_table_and_a_json_line(small_run):
    assert "total" in small_run and "peak memory" in small_run
    result = json.loads(small_run.strip().splitlines()[-1])
    assert set(KEYS) <= set(result)
    assert result["reports"] == result["distinct"] == 200
    for key in (
        "total_s",
        "peak_rss_mb",
        "tokenize_speedup",
        "tokenize_speedup_one_process",
        "speedup_vs_naive",
        "warm_ratio",
    ):
        assert result[key] > 0, key
    assert result["warm_ratio"] < 5
    assert set(result["stages_s"]) >= {"load", "sections", "tokenize", "tfidf", "top_k"}
    assert result["reports_without_problems"] == result["reports_without_plans"] == 0
    assert result["parse_curve"] and result["parse_curve"][0]["sections"] > 1


def test_generated_reports_are_distinct_and_have_problems_and_plans():
    import lawgovkit as lgk

    texts = _bench().generate_corpus(40, seed=3)
    assert len(set(texts)) == len(texts)
    assert texts == _bench().generate_corpus(40, seed=3)  # deterministic
    for i, text in enumerate(texts):
        report = lgk.Report.from_text(text, id=f"g{i}")
        roles = set(report.sections["role"])
        assert {"achievements", "problems", "plans"} <= roles, (i, roles)
        assert len(report.problems) and len(report.plans)
        assert report.meta["jurisdiction"] is not None
        assert report.meta["report_year"] is not None


def test_a_long_generated_report_parses():
    import lawgovkit as lgk

    text = _bench().long_report(300_000)  # about 1 MB of UTF-8
    report = lgk.Report.from_text(text, id="long")
    assert len(text.encode("utf-8")) > 800_000
    assert "".join(report.sections["text"]) == report.text
    assert len(report.problems) == 4 and len(report.plans) == 4
