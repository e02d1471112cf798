"""CSV for spreadsheets: cells a spreadsheet would run as formulas are neutralised.

Report texts come from third-party web pages. A cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is run by Excel, LibreOffice and Google Sheets as a
formula when the CSV is opened (CSV injection), which can fetch URLs or run commands. The
CSV files lawgovkit writes (``lawgovkit report`` and the table commands' ``--format csv``)
therefore begin such text cells with an apostrophe, which spreadsheets show as text and do
not display; ``--raw-csv`` (``raw_csv=True``) writes them as they are. DataFrames, JSON and
Parquet always keep the text unchanged.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["FORMULA_STARTS", "spreadsheet_safe"]

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` whose text cells (and text index labels and column names) a
    spreadsheet would run as formulas begin with an apostrophe; numbers are untouched.

    Examples
    --------
    >>> table = pd.DataFrame({"text": ["=1+1", "依法行政", "@SUM(A1)"], "n": [1, -2, 3]})
    >>> spreadsheet_safe(table)["text"].tolist(), spreadsheet_safe(table)["n"].tolist()
    (["'=1+1", '依法行政', "'@SUM(A1)"], [1, -2, 3])
    """
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(_safe, na_action="ignore").astype(safe[column].dtype)
    if safe.index.dtype == object or pd.api.types.is_string_dtype(safe.index):
        safe.index = safe.index.map(_safe)
    safe.columns = [_safe(c) for c in safe.columns]
    return safe
