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
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from lawgovkit import __version__
from lawgovkit.cli_tables import display_width, escaped, print_table
from lawgovkit.errors import ArgumentError, LawgovkitError, ReportNotFoundError

if TYPE_CHECKING:  # pragma: no cover
    from lawgovkit.corpus import Corpus

__all__ = ["build_parser", "main"]

PROG = "lawgovkit"
FORMATS = ("table", "csv", "json")
PANEL_VIEWS = ("panel", "recurring", "plans", "timeliness")
ERROR_MODES = ("raise", "warn", "skip")

EXIT_OK, EXIT_FAILED_INPUT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_TERMINATED = 143

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
    "kwic": (
        "example:\n  lawgovkit kwic 行政复议 seeds\n"
        "  lawgovkit kwic 人员 seeds --role problems --window 10\n"
        "  lawgovkit kwic '行政复议.{0,4}案件' seeds --regex --format csv > kwic.csv"
    ),
    "export": (
        "example:\n  lawgovkit export seeds --to build/dataset\n"
        "  lawgovkit export reports/ --to dataset --scheduler local --errors skip\n"
        "  lawgovkit export reports/ --to dataset --scheduler tcp://10.0.0.5:8786\n\n"
        "writes DIR/reports, DIR/sections, DIR/items, DIR/problems, DIR/plans, DIR/skipped as\n"
        "Parquet partitioned by province and report_year (pandas, Dask, DuckDB, Polars and\n"
        "R's arrow read it); `lawgovkit report DIR --out …` analyses such a dataset"
    ),
    "claims": (
        "example:\n  lawgovkit claims seeds\n  lawgovkit claims seeds --format csv > claims.csv"
    ),
    "panel": (
        "example:\n  lawgovkit panel seeds\n"
        "  lawgovkit panel reports/ --show recurring --format csv > recurring.csv\n"
        "  lawgovkit panel reports/ --show plans\n"
        "  lawgovkit panel seeds --show timeliness"
    ),
    "reuse": (
        "example:\n  lawgovkit reuse seeds\n"
        "  lawgovkit reuse seeds --role problems --format csv > passages.csv\n"
        "  lawgovkit reuse reports/ --show matrix --role problems\n"
        "  lawgovkit reuse reports/ --show summary --min-chars 20"
    ),
    "report": (
        "example:\n  lawgovkit report seeds --out build/report\n"
        "  lawgovkit report 2023/*.txt 2024/ --out comparison --errors skip\n"
        "  lawgovkit report reports/ --out for-stata --format dta --include-all\n"
        "  lawgovkit report dataset/ --out report   (a Parquet dataset of lawgovkit export)\n\n"
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
    claims = command("claims", "the numbers each report states, one row per quantity")
    panel = command("panel", "each place's reports by year: gaps, recurring problems, plans")
    panel.add_argument(
        "--show",
        choices=PANEL_VIEWS,
        default="panel",
        help="panel (reports by year, gaps shown; default), recurring (problems matched "
        "to earlier years), plans (plans matched to next year's achievements), "
        "timeliness (publish dates against deadlines)",
    )
    reuse = command("reuse", "passages the reports share (copied text, boilerplate)")
    for sub in (info, problems, plans, similar, claims, panel, reuse):
        _add_paths(sub)
        _add_errors(sub)
        sub.add_argument(
            "--format",
            choices=FORMATS,
            default=None,
            help="output format (default: table on a terminal, csv when piped)",
        )
        _add_raw_csv(sub)
    similar.add_argument(
        "--unit",
        default="report",
        help="what to compare: report (whole texts, default), problems, plans, "
        "or theme:NAME (e.g. theme:行政执法)",
    )

    kwic = command("kwic", "every occurrence of a word in the reports, with its context")
    kwic.add_argument("pattern", metavar="PATTERN", help="the word or phrase (see --regex)")
    _add_paths(kwic)
    kwic.add_argument(
        "--role",
        action="append",
        metavar="ROLE",
        help="only inside sections of this role (problems, plans, achievements, leader_duty, "
        "preamble, other); repeat for several",
    )
    kwic.add_argument("--window", type=int, default=20, help="context each side (20)")
    kwic.add_argument("--by", choices=("char", "token"), default="char", help="window unit")
    kwic.add_argument("--regex", action="store_true", help="PATTERN is a regular expression")
    _add_errors(kwic)
    kwic.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="output format (default: a concordance on a terminal, csv when piped)",
    )
    reuse.add_argument(
        "--show",
        choices=("passages", "matrix", "summary"),
        default="passages",
        help="passages: one row per shared passage per report (default); matrix: the share "
        "of each report found in each other; summary: per report and role, the share shared",
    )
    from lawgovkit.sections import ROLES

    reuse.add_argument(
        "--role",
        choices=ROLES,
        help="only text in sections of this role (e.g. problems)",
    )
    reuse.add_argument(
        "--min-chars",
        type=int,
        default=15,
        help="the shortest passage, in letters and digits (default 15)",
    )

    outline = command("outline", "one report's heading tree, with each section's role")
    outline.add_argument("file", metavar="FILE", help="a report file")

    export = command("export", "write the corpus tables as a Parquet dataset")
    _add_paths(export)
    export.add_argument("--to", required=True, metavar="DIR", help="the dataset folder to write")
    _add_errors(export)
    export.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="load on Dask: 'local' (a cluster on this machine) or a scheduler's address "
        "(tcp://host:8786); by default in this process",
    )
    export.add_argument(
        "--partition-size", type=int, default=200, help="files per Dask partition (200)"
    )
    export.add_argument(
        "--overwrite", action="store_true", help="replace the dataset folder if it exists"
    )

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
    _add_raw_csv(report)
    return parser


def _add_raw_csv(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--raw-csv",
        action="store_true",
        help="write CSV text cells exactly as they are; by default a cell beginning with "
        "= + - @ (which a spreadsheet would run as a formula) begins with an apostrophe",
    )


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
    previous = _catch_signals()
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
        _say(f"{PROG}: interrupted")
        return EXIT_INTERRUPTED
    except _Terminated:
        _say(f"{PROG}: terminated")
        return EXIT_TERMINATED
    finally:
        _restore_signals(previous)
    return EXIT_OK


class _Terminated(BaseException):
    """SIGTERM arrived (``kill``, ``timeout``): stop like Ctrl-C, saying so."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def _catch_signals() -> dict[int, Any]:
    """Ctrl-C raises KeyboardInterrupt even when the shell started us with SIGINT ignored
    (a background job), and SIGTERM stops the command the same way: the worker processes
    are stopped and the partial output is followed by a line on stderr and a non-zero
    status, never a silent exit 0. Only in the main thread (signals go nowhere else)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}
    previous = {
        signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler),
        signal.SIGTERM: signal.signal(signal.SIGTERM, _terminate),
    }
    return previous


def _restore_signals(previous: dict[int, Any]) -> None:
    import signal

    for signum, handler in previous.items():
        signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def _say(line: str) -> None:
    """One line on stderr, escaped."""
    print(escaped(line), file=sys.stderr)


def _fail(error: BaseException, status: int) -> int:
    message = " ".join(str(error).split()) or type(error).__name__
    if isinstance(error, OSError) and not isinstance(error, LawgovkitError) and error.filename:
        message = f"{error.filename}: {error.strerror or message}"
    _say(f"{PROG}: error: {message}")
    return status


def _use_utf8(stream: TextIO) -> None:
    """Print Chinese whatever the locale: switch a non-UTF-8 stdout to UTF-8."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    if encoding != "utf8" and hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8")


# Commands ---------------------------------------------------------------------------------


def _info(args: argparse.Namespace) -> None:
    print_table(_load(args).reports, args.format, raw_csv=args.raw_csv)


def _problems(args: argparse.Namespace) -> None:
    print_table(_load(args).problems, args.format, raw_csv=args.raw_csv)


def _plans(args: argparse.Namespace) -> None:
    print_table(_load(args).plans, args.format, raw_csv=args.raw_csv)


def _similar(args: argparse.Namespace) -> None:
    import lawgovkit as lgk

    matrix = lgk.similarity_matrix(_load(args), unit=args.unit)
    print_table(matrix, args.format, decimals=3, raw_csv=args.raw_csv)


def _kwic(args: argparse.Namespace) -> None:
    from lawgovkit.concordance import kwic

    table = kwic(_load(args), args.pattern, args.window, args.role, args.regex, args.by)
    if (args.format or ("table" if sys.stdout.isatty() else "csv")) != "table":
        print_table(table, args.format)
        return
    if table.empty:
        print(f"(no occurrence of {args.pattern!r})")
        return
    heads = [f"{r} {s} {role}" for r, s, role in table[["report_id", "section_id", "role"]].values]
    lefts = [" ".join(text.split("\n")) for text in table["left"]]
    head_width = max(map(_display_width, heads))
    left_width = max(map(_display_width, lefts))
    for head, before, row in zip(heads, lefts, table.itertuples(index=False), strict=True):
        head += " " * (head_width - display_width(head))
        before = " " * (left_width - display_width(before)) + before
        after = " ".join(row.right.split("\n"))
        print(f"{head}  {before}【{row.match}】{after}")


def _claims(args: argparse.Namespace) -> None:
    print_table(_load(args).claims, args.format)


def _panel(args: argparse.Namespace) -> None:
    import lawgovkit as lgk

    view = {
        "panel": lgk.panel,
        "recurring": lgk.recurring_problems,
        "plans": lgk.plans_followed,
        "timeliness": lgk.timeliness,
    }[args.show]
    print_table(view(_load(args)), args.format, decimals=3 if args.show != "timeliness" else None)


def _reuse(args: argparse.Namespace) -> None:
    import lawgovkit as lgk

    corpus = _load(args)
    if args.show == "matrix":
        table = lgk.reuse_matrix(corpus, role=args.role, min_chars=args.min_chars)
        print_table(table, args.format, decimals=3)
        return
    if args.show == "summary":
        table = lgk.reuse_summary(corpus, min_chars=args.min_chars)
    else:
        table = lgk.shared_passages(corpus, min_chars=args.min_chars)
    if args.role:
        table = table[table["role"] == args.role].reset_index(drop=True)
    print_table(table, args.format, decimals=3)


def _outline(args: argparse.Namespace) -> None:
    import lawgovkit as lgk

    _check_paths([args.file])
    with _one_line_warnings():
        report = lgk.load_report(args.file)
    print(escaped(str(report.outline()).rstrip("\n")))


def _report(args: argparse.Namespace) -> None:
    from lawgovkit.notebook_report import write_report

    def progress(line: str) -> None:
        if not args.quiet:
            print(escaped(f"{PROG}: {line}"), file=sys.stderr, flush=True)

    paths = _once(args.paths)
    _check_paths(paths)
    with _one_line_warnings():
        write_report(
            paths,
            args.out,
            errors=args.errors,
            notebooks=args.notebooks,
            timeout=args.timeout,
            progress=progress,
            include_all=args.include_all,
            show_code=args.show_code,
            stata=args.format == "dta",
            raw_csv=args.raw_csv,
        )


def _export(args: argparse.Namespace) -> None:
    from lawgovkit.distributed import to_parquet

    _check_paths(args.paths)
    if args.scheduler is None:
        corpus = _load(args)
        folder = to_parquet(corpus, args.to, overwrite=args.overwrite)
        print(f"{PROG}: wrote {folder} ({len(corpus)} reports)", file=sys.stderr)
        return
    folder = _export_on_dask(args)
    print(f"{PROG}: wrote {folder}", file=sys.stderr)


def _export_on_dask(args: argparse.Namespace) -> Any:
    """Load and write on a Dask cluster: a local one, or the scheduler at an address."""
    from dask.distributed import Client, LocalCluster

    from lawgovkit.distributed import load_corpus_dask, to_parquet

    source = args.paths[0] if len(args.paths) == 1 else list(args.paths)
    cluster = None
    if args.scheduler == "local":
        cluster = LocalCluster(processes=True, threads_per_worker=1, dashboard_address=None)
    client = Client(cluster or args.scheduler)
    try:
        with _one_line_warnings():
            tables = load_corpus_dask(
                source, client=client, partition_size=args.partition_size, errors=args.errors
            )
            folder = to_parquet(tables, args.to, overwrite=args.overwrite)
            del tables  # the loaded partitions, released before the cluster closes
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return folder


COMMANDS: dict[str, Callable[[argparse.Namespace], None]] = {
    "export": _export,
    "info": _info,
    "outline": _outline,
    "problems": _problems,
    "plans": _plans,
    "similar": _similar,
    "kwic": _kwic,
    "claims": _claims,
    "panel": _panel,
    "reuse": _reuse,
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

    paths = _once(args.paths)
    _check_paths(paths)
    source = paths[0] if len(paths) == 1 else paths
    with _one_line_warnings():
        corpus = lgk.load_corpus(source, errors=args.errors)
    if args.errors == "skip":
        _list_skipped(corpus)
    return corpus


def _once(paths: Sequence[str]) -> list[str]:
    """The paths, each once: a path given again (the same after normalisation) is dropped
    with a note on stderr."""
    seen: set[str] = set()
    unique: list[str] = []
    for path in paths:
        key = os.path.normpath(path)
        if key in seen:
            _say(f"{PROG}: note: {path} is given more than once: read once")
            continue
        seen.add(key)
        unique.append(path)
    return unique


def _list_skipped(corpus: Corpus) -> None:
    skipped = getattr(corpus, "skipped", None)
    if skipped is None or len(skipped) == 0:
        return
    _say(f"{PROG}: skipped {len(skipped)} file(s):")
    for row in skipped.to_dict("records"):
        path, message = str(row.get("path")), " ".join(str(row.get("message", "")).split())
        _say(f"  {message if path in message else f'{path}: {message}'}")


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
                _say(f"{PROG}: warning: {message}")


_display_width = display_width  # the name tests and older code used
