"""The ``lawgovkit`` command: tables for people and scripts, one-line errors, exit statuses."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lawgovkit.cli import build_parser, main
from tests.conftest import ROOT, SEED_IDS, SEED_PATHS, SEEDS

COMMANDS = [
    "info",
    "outline",
    "problems",
    "plans",
    "similar",
    "kwic",
    "export",
    "claims",
    "panel",
    "reuse",
    "report",
]
TABLE_COMMANDS = ["info", "problems", "plans", "similar", "claims", "panel", "reuse"]
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"

needs_corpus = pytest.mark.skipif(
    importlib.util.find_spec("lawgovkit.corpus") is None,
    reason="the loaders (lawgovkit.corpus) have not landed yet",
)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the command in-process: (exit status, stdout, stderr)."""
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def run_module(*argv: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run ``python -m lawgovkit`` in a child process, as a user would."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "lawgovkit", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def assert_one_line_error(err: str, *names: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("lawgovkit: error: ")
    for name in names:
        assert name in lines[0]


# Usage ---------------------------------------------------------------------------------------


def test_every_contract_command_exists():
    subcommands = build_parser()._subparsers._group_actions[0].choices
    assert sorted(subcommands) == sorted(COMMANDS)


def test_an_unknown_command_is_a_usage_error(capsys):
    status, out, err = run(capsys, "bogus")
    assert status == 2
    assert "invalid choice: 'bogus'" in err
    assert out == ""


def test_no_command_is_a_usage_error(capsys):
    status, _, err = run(capsys)
    assert status == 2
    assert "usage: lawgovkit" in err


def test_report_needs_an_output_folder(capsys):
    status, _, err = run(capsys, "report", SEEDS)
    assert status == 2
    assert "--out" in err


def test_an_unknown_format_is_a_usage_error(capsys):
    status, _, err = run(capsys, "info", SEEDS, "--format", "xlsx")
    assert status == 2
    assert "invalid choice: 'xlsx'" in err


def test_version(capsys):
    import lawgovkit

    status, out, _ = run(capsys, "--version")
    assert status == 0
    assert out.strip() == f"lawgovkit {lawgovkit.__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_help_shows_an_example(capsys, command):
    status, out, _ = run(capsys, command, "--help")
    assert status == 0
    example = out.split("example:", 1)[1]
    assert f"lawgovkit {command} " in example


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"lawgovkit {command}" in readme, f"README.md does not show `lawgovkit {command}`"


# Bad input: one line naming it, exit status 1 -------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_path_is_one_line_and_status_1(capsys, tmp_path, command):
    missing = tmp_path / "没有这个文件夹"
    extra = ["--out", tmp_path / "out"] if command == "report" else []
    extra = ["--to", tmp_path / "out"] if command == "export" else extra
    pattern = ["法治"] if command == "kwic" else []
    status, out, err = run(capsys, command, *pattern, missing, *extra)
    assert status == 1
    assert out == ""
    assert_one_line_error(err, str(missing), "no such file or folder")
    assert not (tmp_path / "out").exists()


@needs_corpus
def test_an_empty_folder_is_one_line_and_status_1(capsys, tmp_path):
    status, _, err = run(capsys, "info", tmp_path)
    assert status == 1
    assert_one_line_error(err, str(tmp_path))


@needs_corpus
def test_an_unreadable_file_is_named_and_status_1(capsys, tmp_path):
    picture = tmp_path / "扫描件.txt"
    picture.write_bytes(PNG_BYTES)
    status, out, err = run(capsys, "info", picture)
    assert status == 1
    assert out == ""
    assert_one_line_error(err, "扫描件.txt")


@pytest.fixture
def seed_and_picture(tmp_path) -> Path:
    """A folder with one seed report and one picture saved as .txt."""
    shutil.copy(SEED_PATHS[0], tmp_path / SEED_PATHS[0].name)
    (tmp_path / "扫描件.txt").write_bytes(PNG_BYTES)
    return tmp_path


@needs_corpus
def test_errors_raise_stops_at_the_unreadable_file(capsys, seed_and_picture):
    status, out, err = run(capsys, "info", seed_and_picture, "--format", "csv")
    assert status == 1
    assert out == ""
    assert_one_line_error(err, "扫描件.txt")


@needs_corpus
@pytest.mark.parametrize("mode", ["skip", "warn"])
def test_errors_skip_and_warn_carry_on_and_say_what_was_left_out(capsys, seed_and_picture, mode):
    status, out, err = run(capsys, "info", seed_and_picture, "--format", "csv", "--errors", mode)
    assert status == 0
    assert pd.read_csv(io.StringIO(out), index_col=0).index.tolist() == [SEED_IDS[0]]
    assert "Traceback" not in err
    assert any("扫描件.txt" in line for line in err.splitlines())


# Tables ----------------------------------------------------------------------------------------


@needs_corpus
def test_problems_as_csv_has_a_header_and_16_or_17_rows(capsys):
    status, out, _ = run(capsys, "problems", SEEDS, "--format", "csv")
    assert status == 0
    table = pd.read_csv(io.StringIO(out))
    assert len(table) in (16, 17)
    assert {"report_id", "n", "text", "section_id", "category"} <= set(table.columns)
    assert set(table["report_id"]) <= set(SEED_IDS)


@needs_corpus
def test_problems_as_json_are_records_in_plain_utf8(capsys):
    status, out, _ = run(capsys, "problems", SEEDS, "--format", "json")
    assert status == 0
    records = json.loads(out)
    assert isinstance(records, list) and len(records) in (16, 17)
    assert all(isinstance(r, dict) and r["text"] for r in records)
    assert "\\u" not in out, "Chinese is written as characters, not escapes"


@needs_corpus
def test_similar_problems_as_csv_is_a_labelled_five_by_five_matrix(capsys):
    status, out, _ = run(capsys, "similar", SEEDS, "--unit", "problems", "--format", "csv")
    assert status == 0
    matrix = pd.read_csv(io.StringIO(out), index_col=0)
    assert matrix.shape == (5, 5)
    assert sorted(matrix.index) == SEED_IDS
    assert list(matrix.columns) == list(matrix.index)
    assert ((matrix >= 0) & (matrix <= 1.0001)).all().all()


@needs_corpus
def test_an_unknown_unit_is_a_usage_error_naming_it(capsys):
    status, out, err = run(capsys, "similar", SEEDS, "--unit", "theme:不存在的主题")
    assert status == 2
    assert out == ""
    assert "不存在的主题" in err and "Traceback" not in err


@needs_corpus
def test_info_lists_the_reports_with_their_columns(capsys):
    status, out, _ = run(capsys, "info", *SEED_PATHS[:2], "--format", "json")
    assert status == 0
    records = json.loads(out)
    assert [r["id"] for r in records] == SEED_IDS[:2]
    assert {"title", "jurisdiction", "level", "body", "report_year"} <= set(records[0])


@needs_corpus
def test_csv_is_the_default_when_output_is_not_a_terminal(capsys):
    _, default, _ = run(capsys, "plans", SEED_PATHS[0])
    _, csv, _ = run(capsys, "plans", SEED_PATHS[0], "--format", "csv")
    assert default == csv


@needs_corpus
def test_table_format_keeps_each_row_on_one_line(capsys):
    status, out, _ = run(capsys, "problems", SEEDS, "--format", "table")
    assert status == 0
    lines = out.rstrip("\n").splitlines()
    assert len(lines) in (17, 18), "a header line and one line per problem"
    assert any("…" in line for line in lines), "long texts are shortened for the terminal"


@needs_corpus
def test_outline_prints_the_heading_tree(capsys):
    status, out, err = run(capsys, "outline", SEED_PATHS[0])
    assert status == 0, err
    assert len(out.strip().splitlines()) > 3


# Through `python -m lawgovkit` -----------------------------------------------------------------


def test_module_entry_point_unknown_command_exits_2():
    result = run_module("bogus")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_module_entry_point_missing_corpus_is_one_line(tmp_path):
    result = run_module("report", "/nonexistent", "--out", "x", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert_one_line_error(result.stderr, "/nonexistent")
    assert not (tmp_path / "x").exists()


@needs_corpus
def test_module_entry_point_prints_chinese_csv_whatever_the_locale(tmp_path):
    env_locale = {"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": ""}
    result = subprocess.run(
        [sys.executable, "-m", "lawgovkit", "info", str(SEED_PATHS[0]), "--format", "csv"],
        cwd=tmp_path,
        env={**os.environ, **env_locale, "PYTHONPATH": str(ROOT), "PYTHONUTF8": "0"},
        capture_output=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert "江夏区" in result.stdout.decode("utf-8")


# kwic -----------------------------------------------------------------------------------------


def test_kwic_as_csv_finds_every_occurrence_in_the_problems_role(capsys):
    import io

    import pandas as pd

    import lawgovkit as lgk

    status, out, _ = run(capsys, "kwic", "人员", SEEDS, "--role", "problems", "--format", "csv")
    assert status == 0
    table = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert list(table.columns) == [
        "report_id",
        "section_id",
        "role",
        "left",
        "match",
        "right",
        "offset",
    ]
    assert set(table["role"]) == {"problems"}
    expected = lgk.kwic(lgk.load_corpus(SEEDS), "人员", role="problems")
    assert len(table) == len(expected) > 0


def test_kwic_terminal_concordance_marks_the_match(capsys):
    status, out, _ = run(capsys, "kwic", "行政复议", SEEDS, "--window", "5", "--format", "table")
    assert status == 0
    lines = out.splitlines()
    from lawgovkit.cli import _display_width

    assert len(lines) == 38 and all("【行政复议】" in line for line in lines)
    assert len({_display_width(line[: line.index("【")]) for line in lines}) == 1  # aligned


def test_kwic_unknown_role_is_a_usage_error(capsys):
    status, _, err = run(capsys, "kwic", "法治", SEEDS, "--role", "problem")
    assert status == 2
    assert "unknown role" in err


def test_export_writes_a_parquet_dataset_in_process(capsys, tmp_path):
    from lawgovkit.parquet import read_parquet

    status, _, err = run(capsys, "export", SEEDS, "--to", tmp_path / "ds")
    assert status == 0, err
    assert "wrote" in err and "5 reports" in err
    assert len(read_parquet(tmp_path / "ds")) == 5
    status, _, err = run(capsys, "export", SEEDS, "--to", tmp_path / "ds")
    assert status == 2
    assert_one_line_error(err, "exists")


# reuse ---------------------------------------------------------------------------------------


def test_reuse_passages_as_csv(capsys) -> None:
    from lawgovkit.reuse import PASSAGE_COLUMNS

    status, out, _ = run(capsys, "reuse", SEEDS, "--format", "csv")
    assert status == 0
    table = pd.read_csv(io.StringIO(out))
    assert list(table.columns) == list(PASSAGE_COLUMNS)
    assert set(table["report_id"]) <= set(SEED_IDS) and len(table) > 0


def test_reuse_role_matrix_and_summary(capsys) -> None:
    status, out, _ = run(
        capsys, "reuse", SEEDS, "--show", "matrix", "--role", "problems", "--format", "json"
    )
    assert status == 0
    assert len(json.loads(out)) == len(SEED_IDS)
    status, out, _ = run(
        capsys, "reuse", SEEDS, "--show", "summary", "--role", "plans", "--format", "csv"
    )
    assert status == 0
    assert set(pd.read_csv(io.StringIO(out))["role"]) == {"plans"}


def test_reuse_unknown_role_is_a_usage_error(capsys) -> None:
    status, _, err = run(capsys, "reuse", SEEDS, "--role", "problem")
    assert status == 2 and "invalid choice: 'problem'" in err
