"""The reading benchmark (benchmarks/bench_reading.py) at a small size, so it cannot rot: it
runs, and the rebuilt keyness gives the old tables while the regex and the automaton find
the same matches. Timings are not checked."""

from __future__ import annotations

import importlib.util

from tests.conftest import ROOT


def test_small_run_gives_the_old_tables_and_the_same_matches(capsys):
    spec = importlib.util.spec_from_file_location(
        "bench_reading", ROOT / "benchmarks" / "bench_reading.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.main(["--reports", "30", "--terms", "50", "400", "--repeats", "1"])
    assert result["reports"] == 30
    assert all(run["same_table"] for run in result["keyness"].values())
    assert [row["terms"] for row in result["matching"]] == [50, 400]
    assert all(row["same_matches"] for row in result["matching"])
    assert result["matching"][-1]["matches"] > 0
    assert "keyness on 30 generated reports" in capsys.readouterr().out
