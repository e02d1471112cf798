"""How the ``lawgovkit`` command prints a table: for people on a terminal (texts cut to one
line, wide CJK characters aligned), as CSV (cells a spreadsheet would run as formulas
neutralised) or as JSON records."""

from __future__ import annotations

import json
import math
import shutil
import sys
from typing import Any

import pandas as pd

__all__ = ["TABLE_CELL_CHARS", "display_width", "escaped", "print_table"]

#: Longest text shown in one cell of a terminal table (csv and json give the full text).
TABLE_CELL_CHARS = 36


def escaped(text: str) -> str:
    """``text`` printable in UTF-8: the bytes of a file name that is not valid UTF-8 (which
    Python holds as lone surrogates) written as ``\\xNN`` escapes."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # other lone surrogates
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def display_width(text: str) -> int:
    """Columns a text takes on a terminal (wide CJK characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def print_table(
    table: pd.DataFrame, fmt: str | None, *, decimals: int | None = None, raw_csv: bool = False
) -> None:
    """Print ``table`` in ``fmt``; a labelled index (report ids) becomes the first column.
    CSV cells a spreadsheet would run as formulas begin with an apostrophe unless
    ``raw_csv`` (see :mod:`lawgovkit._spreadsheet`); names that are not UTF-8 are escaped."""
    from lawgovkit._spreadsheet import spreadsheet_safe

    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    if decimals is not None:
        table = table.round(decimals)
    flat = _flat(table)
    if fmt == "csv":
        sys.stdout.write(escaped((flat if raw_csv else spreadsheet_safe(flat)).to_csv(index=False)))
    elif fmt == "json":
        records = [{str(k): _json_value(v) for k, v in row.items()} for row in _rows(flat)]
        sys.stdout.write(escaped(json.dumps(records, ensure_ascii=False, indent=1)) + "\n")
    else:
        sys.stdout.write(escaped(_terminal_table(flat)) + "\n")
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
