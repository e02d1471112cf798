"""The command line under hostile names, repeated paths, formula-like cells and signals
(issue 22): escaped names, never a traceback; every path read once; CSV safe for
spreadsheets unless ``--raw-csv``; Ctrl-C and SIGTERM end with a line and status 130/143.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from lawgovkit._spreadsheet import spreadsheet_safe
from lawgovkit.cli import main
from tests.conftest import ROOT, SEED_PATHS

BAD_NAME = os.fsdecode(b"\xe6\x8a\xa5\xff\xfe")  # 报 + two bytes that are not UTF-8
FORMULA_REPORT = (
    '=HYPERLINK("http://example.invalid","x")某县2023年度法治政府建设情况报告\n'
    "2023年,我县深入推进依法行政。\n"
    "一、主要举措\n(一)规范执法。\n"
    "二、存在的问题\n@SUM(1+1)执法力量薄弱。\n+cmd|' /C calc'!A0普法形式单一。\n"
    "三、下一步工作安排\n-2+3加强队伍建设。\n"
)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def bad_named(tmp_path) -> Path:
    if sys.platform == "darwin":
        pytest.skip("macOS file systems refuse names that are not UTF-8")
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_PATHS[0], folder / f"{BAD_NAME}.txt")
    shutil.copy(SEED_PATHS[1], folder / "good.txt")
    return folder


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_cli_name_not_utf8_is_printed_escaped(capsys, bad_named, fmt) -> None:
    status, out, err = run(capsys, "info", bad_named, "--format", fmt)
    assert status == 0, err
    assert "Traceback" not in err
    shown = " ".join(r["id"] for r in json.loads(out)) if fmt == "json" else out
    assert "报\\xff\\xfe" in shown
    out.encode("utf-8")  # printable as UTF-8


def test_cli_name_not_utf8_in_an_error_and_an_outline(capsys, bad_named) -> None:
    (bad_named / f"{BAD_NAME}空.txt").write_bytes(b"")
    status, _, err = run(capsys, "info", bad_named, "--errors", "skip")
    assert status == 0 and "报\\xff\\xfe空.txt" in err
    status, _, err = run(capsys, "info", bad_named)
    assert status == 1 and "报\\xff\\xfe空.txt" in err and "Traceback" not in err
    status, out, _ = run(capsys, "outline", bad_named / f"{BAD_NAME}.txt")
    assert status == 0 and "[achievements]" in out


def test_cli_several_folders_are_all_read_and_a_repeat_once(capsys, tmp_path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    shutil.copy(SEED_PATHS[0], first / "x.txt")
    shutil.copy(SEED_PATHS[1], second / "y.txt")
    status, out, err = run(capsys, "info", first, second, f"{first}/", "--format", "csv")
    assert status == 0, err
    assert pd.read_csv(io.StringIO(out))["id"].tolist() == ["x", "y"]
    assert err.strip() == f"lawgovkit: note: {first}/ is given more than once: read once"


def test_cli_csv_neutralises_formulas_unless_raw(capsys, tmp_path) -> None:
    path = tmp_path / "formula.txt"
    path.write_text(FORMULA_REPORT, encoding="utf-8")
    _, out, _ = run(capsys, "problems", path, "--format", "csv")
    texts = pd.read_csv(io.StringIO(out))["text"].tolist()
    assert texts == ["'@SUM(1+1)执法力量薄弱。", "'+cmd|' /C calc'!A0普法形式单一。"]
    _, out, _ = run(capsys, "problems", path, "--format", "csv", "--raw-csv")
    assert pd.read_csv(io.StringIO(out))["text"].tolist()[0] == "@SUM(1+1)执法力量薄弱。"
    _, out, _ = run(capsys, "info", path, "--format", "csv")
    assert pd.read_csv(io.StringIO(out))["title"][0].startswith("'=HYPERLINK(")
    _, out, _ = run(capsys, "plans", path, "--format", "json")
    assert json.loads(out)[0]["text"] == "-2+3加强队伍建设。"  # JSON keeps the text


def test_spreadsheet_safe_leaves_numbers_and_plain_text() -> None:
    table = pd.DataFrame(
        {"t": ["=1", "依法", None, "a=b", "\t=1"], "n": [-1.5, 2, 3, 4, 5]},
        index=pd.Index(["=x", "y", "z", "w", "v"], name="id"),
    )
    safe = spreadsheet_safe(table)
    assert safe["t"].tolist()[:2] == ["'=1", "依法"] and safe["t"].isna().tolist()[2]
    assert safe["t"].tolist()[3:] == ["a=b", "'\t=1"]
    assert safe["n"].tolist() == table["n"].tolist()
    assert safe.index.tolist()[0] == "'=x" and safe.index.name == "id"
    assert table["t"].iloc[0] == "=1"  # the table itself is unchanged


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals to a child: Linux")
@pytest.mark.parametrize(
    ("signum", "status", "line"),
    [
        (signal.SIGINT, 130, "lawgovkit: interrupted"),
        (signal.SIGTERM, 143, "lawgovkit: terminated"),
    ],
)
def test_cli_interrupted_says_so_and_exits_non_zero(tmp_path, signum, status, line) -> None:
    """Started as a shell starts a background job (SIGINT ignored), interrupted while it
    loads: one line on stderr, status 130 (143 for SIGTERM), never a silent 0."""
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(2000):  # some ten seconds of loading: the signal comes in the middle
        shutil.copy(SEED_PATHS[i % len(SEED_PATHS)], folder / f"r{i:04}.txt")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LAWGOVKIT_CACHE": "off", "CI": "1"}
    child = subprocess.Popen(
        [sys.executable, "-m", "lawgovkit", "info", str(folder), "--format", "csv"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    time.sleep(2.5)  # imported and loading
    child.send_signal(signum)
    _, err = child.communicate(timeout=60)
    assert child.returncode == status, err
    assert err.strip().splitlines()[-1] == line
    assert "Traceback" not in err
