"""Table schemas: for each column of a table, its dtype and what stands for a missing value.

Every table lawgovkit returns is built to its schema (:func:`build`) or made to follow it
(:func:`conform`), so its dtypes do not depend on the rows it happens to hold nor on the
pandas version. The rule for missing values, the same in every table:

- text (dtype ``object``): ``None`` (never NaN, never ``pd.NA``), on pandas 2 and 3 alike;
- whole numbers that may be missing (``Int64``): ``pd.NA``; those that may not (``int64``);
- real numbers (``float64``): NaN; dates (``datetime64[ns]``): NaT; flags (``bool``).

The README's table reference lists every table's schema.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["DTYPES", "END", "REPORT_ID", "START", "Column", "build", "check", "conform", "describe"]

#: The dtypes a column may have, and what stands for a missing value in each.
DTYPES: dict[str, str] = {
    "object": "None",
    "int64": "never missing",
    "Int64": "<NA>",
    "float64": "NaN",
    "bool": "never missing",
    "datetime64[ns]": "NaT",
}


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, dtype (a key of :data:`DTYPES`) and meaning."""

    name: str
    dtype: str
    meaning: str = ""

    def __post_init__(self) -> None:
        if self.dtype not in DTYPES:
            raise ValueError(f"column {self.name!r}: dtype {self.dtype!r} not in {list(DTYPES)}")


#: Columns many tables share.
REPORT_ID = Column("report_id", "object", "the report's id")
START = Column("start", "int64", "offset in the report's cleaned text")
END = Column("end", "int64", "offset after the end")


def _values(values: Any, dtype: str) -> Any:
    """``values`` (a sequence or Series) as an array of ``dtype`` with its missing value."""
    if dtype == "object":
        array = np.empty(len(values), dtype=object)
        try:
            array[:] = list(values)
        except ValueError:  # values that are sequences of one length: numpy spreads them
            for i, value in enumerate(values):
                array[i] = value
        array[pd.isna(array)] = None  # NaN, pd.NA and NaT too (a scan in C)
        return pd.Series(array, dtype=object, copy=False)  # a bare array would become str
    if dtype == "Int64":
        return pd.array(list(values), dtype="Int64")  # None, NaN and pd.NA become <NA>
    if dtype == "datetime64[ns]":
        return pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[ns]").array
    if dtype == "float64":
        return np.asarray([np.nan if _missing(v) else v for v in values], dtype=float)
    return np.asarray(values, dtype=dtype)


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value  # NaN


def build(
    columns: Mapping[str, Sequence], schema: Sequence[Column], index: pd.Index | None = None
) -> pd.DataFrame:
    """A table of the schema's columns, in its order, from each column's values.

    Examples
    --------
    >>> schema = [Column("id", "object"), Column("n", "Int64")]
    >>> table = build({"id": ["a", None], "n": [1, float("nan")]}, schema)
    >>> table["id"].tolist(), table["n"].tolist(), [str(t) for t in table.dtypes]
    (['a', None], [1, <NA>], ['object', 'Int64'])
    >>> list(build({}, schema).dtypes.astype(str))
    ['object', 'Int64']
    """
    n = len(index) if index is not None else len(next(iter(columns.values()), ()))
    if index is None:
        index = pd.RangeIndex(n)
    data = {c.name: _values(columns.get(c.name, [None] * n), c.dtype) for c in schema}
    return _frame(data, index, [c.name for c in schema])


def _frame(data: dict[str, Any], index: pd.Index, names: list[str]) -> pd.DataFrame:
    """A DataFrame of these columns (Series are given the index, positionally)."""
    for name, values in data.items():
        if isinstance(values, pd.Series):
            values.index = index
        else:
            data[name] = pd.Series(values, index=index, copy=False)
    return pd.DataFrame(data, index=index, columns=names, copy=False)


def conform(frame: pd.DataFrame, schema: Sequence[Column]) -> pd.DataFrame:
    """``frame`` with the schema's columns first, in order, each of its dtype and missing
    value (other columns follow as they are; text-like ones as object with None).

    Examples
    --------
    >>> frame = pd.DataFrame({"n": [1.0, None], "id": ["a", float("nan")]})
    >>> conform(frame, [Column("id", "object"), Column("n", "Int64")])["id"].tolist()
    ['a', None]
    """
    names = [c.name for c in schema]
    out = {c.name: _values(frame[c.name].tolist(), c.dtype) for c in schema}
    for name in frame.columns:
        if name not in out:
            series = frame[name]
            text_like = series.dtype == object or isinstance(series.dtype, pd.StringDtype)
            out[name] = _values(series.tolist(), "object") if text_like else series.array
            names.append(name)
    return _frame(out, frame.index, names)


def check(frame: pd.DataFrame, schema: Sequence[Column]) -> list[str]:
    """What in ``frame`` departs from the schema (an empty list when nothing does).

    Examples
    --------
    >>> check(pd.DataFrame({"id": ["a", float("nan")]}, dtype=object), [Column("id", "object")])
    ['id: NaN where None is the missing value']
    >>> check(pd.DataFrame({"id": ["a", None]}, dtype=object), [Column("id", "object")])
    []
    """
    problems = []
    names = [c.name for c in schema]
    if list(frame.columns[: len(names)]) != names:
        problems.append(f"columns {list(frame.columns)} do not start with {names}")
    for column in schema:
        if column.name not in frame.columns:
            continue
        series = frame[column.name]
        if str(series.dtype) != column.dtype:
            problems.append(f"{column.name}: dtype {series.dtype}, not {column.dtype}")
        elif column.dtype == "object":
            values = series.tolist()
            if any(isinstance(v, float) and v != v for v in values) or any(
                v is pd.NA or v is pd.NaT for v in values
            ):
                problems.append(f"{column.name}: NaN where None is the missing value")
    return problems


def describe(schema: Sequence[Column]) -> str:
    """The schema as the rows of a Markdown table (column, dtype, missing, meaning).

    Examples
    --------
    >>> print(describe([Column("n", "Int64", "how many")]))
    | n | Int64 | <NA> | how many |
    """
    return "\n".join(f"| {c.name} | {c.dtype} | {DTYPES[c.dtype]} | {c.meaning} |" for c in schema)
