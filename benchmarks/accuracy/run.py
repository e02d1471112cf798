"""Accuracy harness: score lawgovkit on the gold annotations and run the whole-corpus
checks.

Loads the development set (``../shared/corpora/local-work-reports`` from the repository
root, or under the folder named by the environment variable ``LAWGOVKIT_CORPORA``: every
report for the checks, or with ``--sample`` only the documents of
``sample.tsv``), the seeds and the structure fixtures once, then calls every
``score_*.py`` module beside this file: ``score(reports, gold_dir)`` gives rows (field, n,
correct, score) and ``checks(reports)`` rows (check, n_docs, n_failing, examples). Prints a
table and writes one JSON line (to stdout, or appended to ``--out``).

Usage: ``python benchmarks/accuracy/run.py [--sample] [--out FILE]`` (``make accuracy``).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# the folder LAWGOVKIT_CORPORA names, else ../shared/corpora beside the checkout (or
# beside the folder of worktrees holding it), as in tests/conftest.py
_BESIDE = [base / "shared" / "corpora" for base in (ROOT.parent, ROOT.parent.parent)]
CORPORA = Path(
    os.environ.get("LAWGOVKIT_CORPORA")
    or next((folder for folder in _BESIDE if folder.is_dir()), _BESIDE[0])
)
CORPUS = CORPORA / "local-work-reports"
FIXTURES = ("seeds", "tests/fixtures/structure")


def sample_names() -> list[str]:
    with (HERE / "sample.tsv").open(encoding="utf-8") as handle:
        return [row["file"] for row in csv.DictReader(handle, delimiter="\t")]


def load(sample: bool) -> dict:
    """file name (or repository path for seeds and fixtures) → Report."""
    from lawgovkit import load_report

    reports = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if CORPUS.is_dir():
            names = sample_names() if sample else sorted(p.name for p in CORPUS.glob("*.txt"))
            for name in names:
                reports[name] = load_report(CORPUS / name)
        for folder in FIXTURES:
            for path in sorted((ROOT / folder).glob("*.txt")):
                reports[f"{folder}/{path.name}"] = load_report(path)
    return reports


def scorers() -> list:
    modules = []
    for path in sorted(HERE.glob("score_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules.append(module)
    return modules


def run(sample: bool = False) -> dict:
    """Scores and checks as one record."""
    reports = load(sample)
    record: dict = {"documents": len(reports), "sample": sample, "scores": [], "checks": []}
    for module in scorers():
        for row in module.score(reports, HERE):
            record["scores"].append({"module": module.__name__, **row})
        for row in module.checks(reports):
            record["checks"].append({"module": module.__name__, **row})
    return record


def _commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return None
    return out.stdout.strip() or None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", action="store_true", help="only the gold sample")
    parser.add_argument("--out", type=Path, help="append the JSON line to this file")
    args = parser.parse_args(argv)
    record = {"commit": _commit(), **run(args.sample)}
    print(f"{'module':<18} {'field':<22} {'n':>6} {'correct':>8} {'score':>7}")
    for row in record["scores"]:
        print(
            f"{row['module']:<18} {row['field']:<22} {row['n']:>6} {row['correct']:>8}"
            f" {row['score']:>7.3f}"
        )
    print(f"\n{'module':<18} {'check':<32} {'docs':>6} {'failing':>8}  examples")
    for row in record["checks"]:
        print(
            f"{row['module']:<18} {row['check']:<32} {row['n_docs']:>6} {row['n_failing']:>8}"
            f"  {', '.join(row['examples'])}"
        )
    line = json.dumps(record, ensure_ascii=False)
    if args.out:
        with args.out.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    else:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
