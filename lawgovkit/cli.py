"""The ``lawgovkit`` command: the corpus tables on the command line, and the report job.

Every command reads report files or folders of them (``PATH…``) the way
:func:`lawgovkit.load_corpus` does. Table commands print a table for people when standard
output is a terminal and CSV when it is piped or redirected, unless ``--format`` says
otherwise (``json`` prints records, UTF-8, not ``\\u``-escaped).

A user mistake (a missing path, an empty folder, an unreadable file) prints one line on
standard error and exits with status 1; a usage mistake exits with status 2. A traceback
means a bug in lawgovkit.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from lawgovkit import __version__
from lawgovkit.errors import ArgumentError, LawgovkitError, ReportNotFoundError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from lawgovkit.corpus import Corpus

__all__ = ["build_parser", "main"]

PROG = "lawgovkit"
FORMATS = ("table", "csv", "json")
ERROR_MODES = ("raise", "warn", "skip")
#: Longest text shown in one cell of a terminal table (csv and json give the full text).
TABLE_CELL_CHARS = 36

EXIT_OK, EXIT_FAILED_INPUT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

EXAMPLES = {
    "info": "example:\n  lawgovkit info seeds\n  lawgovkit info seeds --format csv > reports.csv",
    "outline": "example:\n  lawgovkit outline seeds/000_83b981cfa8576200.txt",
    "problems": (
        "example:\n  lawgovkit problems seeds\n"
        "  lawgovkit problems seeds --format json > problems.json"
    ),
    "plans": "example:\n  lawgovkit plans seeds --format csv > plans.csv",
    "similar": (
        "example:\n  lawgovkit similar seeds\n"
        "  lawgovkit similar seeds --unit problems --format csv\n"
        "  lawgovkit similar seeds --unit theme:矛盾纠纷化解"
    ),
    "report": (
        "example:\n  lawgovkit report seeds --out build/report\n"
        "  lawgovkit report 2023/*.txt 2024/ --out comparison --errors skip\n"
        "  lawgovkit report reports/ --out for-stata --format dta --include-all\n\n"
        "writes OUT/index.html (open it in a browser), one HTML page per analysis notebook,\n"
        "OUT/tables/ (every table as CSV and Parquet) and OUT/figures/ (PNG and SVG)"
    ),
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``lawgovkit`` command, one sub-parser per command."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Compare Chinese local governments' annual rule-of-law government "
        "reports (法治政府建设年度报告).",
        epilog="example:\n  lawgovkit report seeds --out build/report\n\n"
        "run `lawgovkit COMMAND --help` for a command's options and examples",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name,
            help=help,
            description=help,
            epilog=EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    info = command("info", "the reports table: place, level, issuing body, years, dates")
    problems = command("problems", "the problems each report admits, one row per problem")
    plans = command("plans", "the measures each report plans, one row per measure")
    similar = command("similar", "how similar the reports are: a labelled square matrix")
    for sub in (info, problems, plans, similar):
        _add_paths(sub)
        _add_errors(sub)
        sub.add_argument(
            "--format",
            choices=FORMATS,
            default=None,
            help="output format (default: table on a terminal, csv when piped)",
        )
    similar.add_argument(
        "--unit",
        default="report",
        help="what to compare: report (whole texts, default), problems, plans, "
        "or theme:NAME (e.g. theme:行政执法)",
    )

    outline = command("outline", "one report's heading tree, with each section's role")
    outline.add_argument("file", metavar="FILE", help="a report file")

    report = command(
        "report", "run the analysis notebooks on a corpus and write a browsable report"
    )
    _add_paths(report)
    report.add_argument("--out", required=True, metavar="DIR", help="the folder to write")
    _add_errors(report)
    report.add_argument(
        "--notebooks",
        metavar="DIR",
        help="run the notebooks in DIR instead of the ones shipped with lawgovkit",
    )
    report.add_argument(
        "--timeout", type=int, default=600, help="seconds one notebook cell may run (600)"
    )
    report.add_argument("--quiet", action="store_true", help="no progress lines")
    report.add_argument(
        "--show-code", action="store_true", help="keep the code cells on the pages (hidden)"
    )
    report.add_argument(
        "--include-all",
        action="store_true",
        help="analyse copies and texts that are not reports of the genre too (left out)",
    )
    report.add_argument(
        "--format",
        choices=("csv", "dta"),
        default="csv",
        help="tables as CSV and Parquet (csv, the default), or also as Stata files (dta)",
    )
    return parser


def _add_paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders")


def _add_errors(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--errors",
        choices=ERROR_MODES,
        default="raise",
        help="an unreadable file: stop (raise, default), or leave it out and carry on, "
        "saying so on stderr (warn: as it happens; skip: a list at the end)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``lawgovkit`` command with ``argv`` (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0 done, 1 failed input (one line on stderr says why),
        2 usage error.

    Examples
    --------
    >>> main(["outline", "no/such/report.txt"])
    1
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # --help, --version, or a usage error (already printed)
        return done.code if isinstance(done.code, int) else EXIT_USAGE
    _use_utf8(sys.stdout)
    try:
        COMMANDS[args.command](args)
    except BrokenPipeError:  # pragma: no cover - `lawgovkit problems seeds | head`
        # Python's advice (signal module docs): stdout to devnull, so exiting stays quiet
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except ArgumentError as error:
        return _fail(error, EXIT_USAGE)
    except (LawgovkitError, OSError) as error:
        return _fail(error, EXIT_FAILED_INPUT)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_OK


def _fail(error: BaseException, status: int) -> int:
    message = " ".join(str(error).split()) or type(error).__name__
    if isinstance(error, OSError) and not isinstance(error, LawgovkitError) and error.filename:
        message = f"{error.filename}: {error.strerror or message}"
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return status


def _use_utf8(stream: TextIO) -> None:
    """Print Chinese whatever the locale: switch a non-UTF-8 stdout to UTF-8."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    if encoding != "utf8" and hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8")


# Commands ---------------------------------------------------------------------------------


def _info(args: argparse.Namespace) -> None:
    _print_table(_load(args).reports, args.format)


def _problems(args: argparse.Namespace) -> None:
    _print_table(_load(args).problems, args.format)


def _plans(args: argparse.Namespace) -> None:
    _print_table(_load(args).plans, args.format)


def _similar(args: argparse.Namespace) -> None:
    import lawgovkit as lgk

    matrix = lgk.similarity_matrix(_load(args), unit=args.unit)
    _print_table(matrix, args.format, decimals=3)


def _outline(args: argparse.Namespace) -> None:
    import lawgovkit as lgk

    _check_paths([args.file])
    with _one_line_warnings():
        report = lgk.load_report(args.file)
    print(str(report.outline()).rstrip("\n"))


def _report(args: argparse.Namespace) -> None:
    from lawgovkit.notebook_report import write_report

    def progress(line: str) -> None:
        if not args.quiet:
            print(f"{PROG}: {line}", file=sys.stderr, flush=True)

    _check_paths(args.paths)
    with _one_line_warnings():
        write_report(
            args.paths,
            args.out,
            errors=args.errors,
            notebooks=args.notebooks,
            timeout=args.timeout,
            progress=progress,
            include_all=args.include_all,
            show_code=args.show_code,
            stata=args.format == "dta",
        )


COMMANDS: dict[str, Callable[[argparse.Namespace], None]] = {
    "info": _info,
    "outline": _outline,
    "problems": _problems,
    "plans": _plans,
    "similar": _similar,
    "report": _report,
}


def _check_paths(paths: Sequence[str]) -> None:
    """Name the first input that does not exist (a glob pattern is left to the loader)."""
    for path in paths:
        if not any(char in path for char in "*?[") and not os.path.lexists(path):
            raise ReportNotFoundError("no such file or folder", path=path)


def _load(args: argparse.Namespace) -> Corpus:
    """The corpus named by ``args.paths``; what was left out is listed on stderr."""
    import lawgovkit as lgk

    _check_paths(args.paths)
    source = args.paths[0] if len(args.paths) == 1 else list(args.paths)
    with _one_line_warnings():
        corpus = lgk.load_corpus(source, errors=args.errors)
    if args.errors == "skip":
        _list_skipped(corpus)
    return corpus


def _list_skipped(corpus: Corpus) -> None:
    skipped = getattr(corpus, "skipped", None)
    if skipped is None or len(skipped) == 0:
        return
    print(f"{PROG}: skipped {len(skipped)} file(s):", file=sys.stderr)
    for row in skipped.to_dict("records"):
        path, message = str(row.get("path")), " ".join(str(row.get("message", "")).split())
        print(f"  {message if path in message else f'{path}: {message}'}", file=sys.stderr)


class _one_line_warnings(warnings.catch_warnings):
    """Show each warning raised inside as one ``lawgovkit: warning: …`` line on stderr."""

    def __init__(self) -> None:
        super().__init__(record=True)

    def __enter__(self) -> list[warnings.WarningMessage]:
        caught = super().__enter__()
        warnings.simplefilter("default")
        self._caught = caught
        return caught

    def __exit__(self, *exc_info: object) -> None:
        super().__exit__(*exc_info)
        seen = set()
        for warning in self._caught or []:
            message = " ".join(str(warning.message).split())
            if message not in seen:
                seen.add(message)
                print(f"{PROG}: warning: {message}", file=sys.stderr)


# Output -----------------------------------------------------------------------------------


def _print_table(table: pd.DataFrame, fmt: str | None, *, decimals: int | None = None) -> None:
    """Print ``table`` in ``fmt``; a labelled index (report ids) becomes the first column."""
    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    if decimals is not None:
        table = table.round(decimals)
    flat = _flat(table)
    if fmt == "csv":
        sys.stdout.write(flat.to_csv(index=False))
    elif fmt == "json":
        records = [{str(k): _json_value(v) for k, v in row.items()} for row in _rows(flat)]
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(_terminal_table(flat) + "\n")
    sys.stdout.flush()


def _flat(table: pd.DataFrame) -> pd.DataFrame:
    """The table with its index as a first column ``id`` unless it is a plain row number."""
    import pandas as pd

    if isinstance(table.index, pd.RangeIndex) and table.index.name is None:
        return table.reset_index(drop=True)
    label = table.index.name or "id"
    return table.rename_axis(label).reset_index()


def _rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    return table.to_dict("records")


def _json_value(value: Any) -> Any:
    """A JSON-ready version of one cell: None for missing, ISO text for dates, plain numbers."""
    import pandas as pd

    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isinf(value):
        return None
    return value


def _terminal_table(table: pd.DataFrame) -> str:
    """A table for people: texts shortened to one line, wide (CJK) characters aligned,
    wrapped to the terminal's width (not wrapped when printed to a file or pipe)."""
    import pandas as pd

    if len(table) == 0:
        return f"(no rows) columns: {', '.join(map(str, table.columns))}"
    shown = table.copy()
    for column in shown.columns:
        if not pd.api.types.is_numeric_dtype(shown[column]):
            shown[column] = shown[column].astype(object).map(_short_cell)
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    with pd.option_context("display.unicode.east_asian_width", True):
        return shown.to_string(index=False, na_rep="—", line_width=width)


def _short_cell(value: Any) -> Any:
    """One cell for the terminal: missing as a dash, text on one line and shortened."""
    import pandas as pd

    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return "—"
    if not isinstance(value, str):
        return value
    text = " ".join(value.split())
    return text if len(text) <= TABLE_CELL_CHARS else text[: TABLE_CELL_CHARS - 1] + "…"
