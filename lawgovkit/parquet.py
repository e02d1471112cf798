"""Corpus tables as a Parquet dataset, and a corpus of tables only.

- :func:`to_parquet` writes a corpus's tables (``reports``, ``sections``, ``items``,
  ``problems``, ``plans``, ``skipped``) as a Parquet dataset, one folder per table,
  partitioned by province and report year in the hive layout (pandas, Dask, DuckDB, Polars
  and R's arrow read it as it is).
- :func:`read_parquet` reads such a dataset back as a :class:`TableCorpus`: the tables with
  the dtypes of :func:`lawgovkit.load_corpus`'s, no :class:`~lawgovkit.report.Report`
  objects, accepted by every analysis function that reads only tables.

:mod:`lawgovkit.distributed` builds the same tables on a Dask cluster and writes them
partition by partition with the functions here.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lawgovkit._version import __version__
from lawgovkit.errors import ArgumentError, ReportNotFoundError

__all__ = [
    "PARTITION_ON",
    "TABLES",
    "TableCorpus",
    "finish_dataset",
    "is_partitioned",
    "keyed_table",
    "partition_keys",
    "prepare_dataset",
    "read_parquet",
    "table_meta",
    "to_parquet",
    "write_keyed",
    "write_table",
]

#: The tables a corpus has, in the order they are written.
TABLES = ("reports", "sections", "items", "problems", "plans", "skipped")
#: The columns of ``reports`` a dataset is partitioned by, by default.
PARTITION_ON = ("province", "report_year")
_HIVE_MISSING = "__HIVE_DEFAULT_PARTITION__"


def table_meta() -> dict[str, pd.DataFrame]:
    """Empty tables with the columns and dtypes of a loaded corpus (``reports`` with its
    ``id`` as a column), to read Parquet back into and to give Dask as ``meta``."""
    return {name: table.copy() for name, table in _table_meta().items()}


@functools.cache
def _table_meta() -> dict[str, pd.DataFrame]:
    from lawgovkit.corpus import Corpus
    from lawgovkit.report import Report

    text = (
        "某区2023年度法治政府建设情况报告\n一、主要举措\n推进依法行政。\n"
        "二、存在的问题\n一是不足。\n三、下一步工作\n一是加强。"
    )
    corpus = Corpus([Report.from_text(text, id="x")])
    tables = {
        "reports": corpus.reports.reset_index(),
        "sections": corpus.sections,
        "items": corpus.items,
        "problems": corpus.problems,
        "plans": corpus.plans,
        "skipped": corpus.skipped,
    }
    return {name: table.iloc[:0] for name, table in tables.items()}


# --------------------------------------------------------------------------------------
# Tables in memory, from Parquet or computed


@dataclass(frozen=True)
class _Tables:
    reports: pd.DataFrame
    sections: pd.DataFrame
    items: pd.DataFrame
    problems: pd.DataFrame
    plans: pd.DataFrame
    skipped: pd.DataFrame


class TableCorpus:
    """A corpus of tables only (no :class:`~lawgovkit.report.Report` objects), as
    :func:`read_parquet` and :meth:`lawgovkit.distributed.DaskCorpus.compute` give it.

    It has the tables of a :class:`~lawgovkit.corpus.Corpus` — ``reports`` (index ``id``),
    ``sections``, ``items``, ``problems``, ``plans``, ``skipped`` — sorted as
    :func:`lawgovkit.load_corpus` sorts them, and is accepted by every analysis function
    that reads only tables. Asking it for a report's object (``corpus[id]``) says why it
    has none.
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        meta = table_meta()
        given = {name: tables.get(name) for name in TABLES}
        reports = given["reports"]
        if reports is None or not len(reports.columns):
            raise ArgumentError("a corpus of tables needs a reports table")
        if "id" not in reports.columns:
            reports = reports.rename_axis("id").reset_index()
        reports = _as_meta(reports, meta["reports"]).sort_values("id", kind="stable")
        ids = pd.Index(reports.pop("id").astype(object).tolist(), name="id", dtype=object)
        sorted_tables = {"reports": reports.set_axis(ids)}
        for name, keys in (
            ("sections", ["report_id", "start"]),
            ("items", ["report_id", "start"]),
            ("problems", ["report_id", "n"]),
            ("plans", ["report_id", "n"]),
            ("skipped", ["path"]),
        ):
            table = given[name]
            if table is None or not len(table.columns):
                table = meta[name]
            table = _as_meta(table, meta[name]).sort_values(keys, kind="stable")
            sorted_tables[name] = table.reset_index(drop=True)
        self._t = _Tables(**sorted_tables)

    reports = property(lambda self: self._t.reports.copy(), doc="One row per report.")
    sections = property(lambda self: self._t.sections.copy(), doc="One row per section.")
    items = property(lambda self: self._t.items.copy(), doc="One row per enumerated item.")
    problems = property(lambda self: self._t.problems.copy(), doc="One row per problem.")
    plans = property(lambda self: self._t.plans.copy(), doc="One row per planned measure.")
    skipped = property(lambda self: self._t.skipped.copy(), doc="Files left out, and why.")

    @property
    def ids(self) -> list[str]:
        """The report ids, sorted."""
        return list(self._t.reports.index)

    def __len__(self) -> int:
        return len(self._t.reports)

    def subset(self, ids: Any) -> TableCorpus:
        """The corpus of the reports ``ids`` only (their rows of every table; ``skipped``
        as it is), as :func:`lawgovkit.corpus.Corpus` built from those reports would be.

        Examples
        --------
        >>> from lawgovkit.corpus import Corpus
        >>> from lawgovkit.report import Report
        >>> text = "某区2023年度法治政府建设情况报告\\n一、主要举措\\n好。"
        >>> both = Corpus([Report.from_text(text, id=i) for i in "ab"])
        >>> tables = TableCorpus({n: getattr(both, n) for n in TABLES})
        >>> tables.subset(["b"]).ids, len(tables.subset(["b"]).sections) == len(both.sections) // 2
        (['b'], True)
        """
        keep = set(ids)
        tables: dict[str, pd.DataFrame] = {
            "reports": self._t.reports.loc[[i for i in self._t.reports.index if i in keep]]
            .rename_axis("id")
            .reset_index()
        }
        for name in ("sections", "items", "problems", "plans"):
            table = getattr(self._t, name)
            tables[name] = table[table["report_id"].isin(keep)]
        tables["skipped"] = self._t.skipped
        return TableCorpus(tables)

    def __contains__(self, report_id: object) -> bool:
        return report_id in self._t.reports.index

    def __getitem__(self, report_id: str) -> Any:
        raise TypeError(
            "a corpus read from tables has no Report objects; load the files with "
            "lawgovkit.load_corpus for report.outline(), report.structure and the like"
        )

    def __repr__(self) -> str:
        return f"<TableCorpus of {len(self)} reports, {len(self._t.skipped)} skipped>"


# --------------------------------------------------------------------------------------
# Parquet datasets


def _tables_of(corpus: Any) -> dict[str, Any]:
    if isinstance(corpus, Mapping):
        missing = [name for name in TABLES if name not in corpus]
        if missing:
            raise ArgumentError(f"the tables lack {', '.join(missing)}")
        return dict(corpus)
    tables = {name: getattr(corpus, name) for name in TABLES}
    tables["reports"] = tables["reports"].reset_index()
    return tables


def to_parquet(
    corpus: Any,
    folder: str | os.PathLike,
    *,
    partition_on: tuple[str, ...] = PARTITION_ON,
    overwrite: bool = False,
) -> Path:
    """Write a corpus's tables as a Parquet dataset: ``folder/<table>/`` per table.

    Parameters
    ----------
    corpus : Corpus, TableCorpus or dict of DataFrames
        The tables (:func:`lawgovkit.distributed.to_parquet` also takes a Dask corpus and
        writes it partition by partition on its workers).
    folder : str or Path
        The dataset's folder; it must not exist unless ``overwrite``.
    partition_on : tuple of str
        Columns of ``reports`` to partition by, in the hive layout
        (``reports/province=<name, URL-encoded>/report_year=2023/part-0.parquet``, a
        missing value as ``__HIVE_DEFAULT_PARTITION__``); the structure tables are
        partitioned the same way (their report's values joined on). Every group is a
        file of its own, so a corpus spread over many provinces and years makes many
        small files; ``()`` writes one file per table.
    overwrite : bool
        Replace an existing dataset.

    Returns
    -------
    Path
        The dataset's folder.

    Examples
    --------
    >>> import tempfile
    >>> from lawgovkit.report import Report
    >>> from lawgovkit.corpus import Corpus
    >>> text = "某区2023年度法治政府建设情况报告\\n一、主要举措\\n好。"
    >>> corpus = Corpus([Report.from_text(text, id="a")])
    >>> out = to_parquet(corpus, tempfile.mkdtemp() + "/ds")
    >>> sorted(p.name for p in out.iterdir())
    ['_lawgovkit.json', 'items', 'plans', 'problems', 'reports', 'sections', 'skipped']
    >>> read_parquet(out).reports.index.tolist()
    ['a']
    """
    tables = _tables_of(corpus)
    out, columns = prepare_dataset(folder, tables["reports"].columns, partition_on, overwrite)
    keys = partition_keys(tables["reports"], columns) if columns else None
    for name in TABLES:
        write_table(tables[name], keys, out / name, columns, name, 0)
    return finish_dataset(out, columns)


def prepare_dataset(
    folder: str | os.PathLike, columns: Any, partition_on: tuple[str, ...], overwrite: bool
) -> tuple[Path, tuple[str, ...]]:
    """The dataset's folder, emptied when ``overwrite``; the partition columns, checked."""
    out = Path(folder)
    if out.exists():
        if not overwrite:
            raise ArgumentError(f"{out}: exists; pass overwrite=True to replace it")
        shutil.rmtree(out)
    partition_on = tuple(partition_on)
    missing = [c for c in partition_on if c not in columns]
    if missing:
        raise ArgumentError(f"partition_on names no column of reports: {', '.join(missing)}")
    out.mkdir(parents=True)
    return out, partition_on


def finish_dataset(out: Path, columns: tuple[str, ...]) -> Path:
    """Each table that has no rows written as one empty file (so every reader finds its
    columns), then the dataset's description, last: a dataset without it is unfinished."""
    meta = table_meta()
    for name in TABLES:
        target = out / name
        if not any(target.rglob("*.parquet")):
            empty = meta[name].drop(
                columns=[c for c in columns if name != "reports"], errors="ignore"
            )
            if name == "reports":
                empty = empty.drop(columns=list(columns))
            _write_file(empty, target / "part-0.parquet")
    info = {"lawgovkit": __version__, "tables": list(TABLES), "partition_on": list(columns)}
    (out / "_lawgovkit.json").write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    return out


def partition_keys(reports: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """``report_id`` and the partition columns of each report."""
    keys = reports[["id", *columns]].rename(columns={"id": "report_id"})
    return keys.reset_index(drop=True)


def write_table(
    table: pd.DataFrame,
    keys: pd.DataFrame | None,
    target: Path,
    columns: tuple[str, ...],
    name: str,
    part: int,
) -> None:
    """One table (or one partition of it) into ``target`` as hive-partitioned Parquet.

    The structure tables get the partition columns of their report joined on
    (:func:`keyed_table`); the partition columns are then kept in the folder names only
    (``report_year=2023``), as hive datasets do, and a missing value is
    ``__HIVE_DEFAULT_PARTITION__``.
    """
    if keys is None or not columns or not is_partitioned(table, name):
        if len(table.columns):
            _write_file(table, Path(target) / f"part-{part}.parquet")
        return
    write_keyed(keyed_table(table, keys, name), target, columns, part)


def is_partitioned(table: pd.DataFrame, name: str) -> bool:
    """Whether the table is split by its reports' partition columns (not ``skipped``)."""
    return name == "reports" or "report_id" in table.columns


def keyed_table(table: pd.DataFrame, keys: pd.DataFrame, name: str) -> pd.DataFrame:
    """``table`` with its reports' partition columns (``keys``: ``report_id`` and those
    columns; ``reports`` has them already)."""
    if name == "reports":
        return table
    return table.merge(keys, on="report_id", how="left", sort=False)


def write_keyed(table: pd.DataFrame, target: Path, columns: tuple[str, ...], part: int) -> None:
    """A table holding its partition columns, one file per group of their values."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    basename = f"part-{part}.parquet"
    by = list(columns)
    if not len(table):
        return
    # one conversion to Arrow, then each group's rows written as a slice of it (converting
    # group by group cost ten times as much)
    groups = table.groupby(by, sort=True, dropna=False)
    number = groups.ngroup().to_numpy()
    order = np.argsort(number, kind="stable")
    data = table.drop(columns=by).iloc[order]
    arrow = pa.Table.from_pandas(data, schema=_arrow_schema(data), preserve_index=False)
    starts = np.searchsorted(number[order], np.arange(groups.ngroups + 1))
    keys_of = table[by].iloc[order[starts[:-1]]].itertuples(index=False, name=None)
    for i, values in enumerate(keys_of):
        folder = Path(target).joinpath(*map(_hive_segment, by, values))
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(arrow.slice(starts[i], starts[i + 1] - starts[i]), folder / basename)


def _hive_segment(column: str, value: Any) -> str:
    """``column=value`` as hive names a partition folder (the value URL-encoded, as
    pyarrow, Spark and DuckDB write it; a missing value as Hive's own marker)."""
    from urllib.parse import quote

    if value is None or pd.isna(value):
        return f"{column}={_HIVE_MISSING}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{column}={quote(str(value), safe='')}"


def _write_file(table: pd.DataFrame, file: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    file.parent.mkdir(parents=True, exist_ok=True)
    arrow = pa.Table.from_pandas(table, schema=_arrow_schema(table), preserve_index=False)
    pq.write_table(arrow, file)


def _arrow_schema(table: pd.DataFrame) -> Any:
    """The table's Arrow schema, a text column that holds only missing values (in this
    partition) typed as a string rather than as Arrow's null type, which the other
    partitions' strings would not merge with."""
    import pyarrow as pa

    schema = pa.Schema.from_pandas(table, preserve_index=False)
    for i, field in enumerate(schema):
        if pa.types.is_null(field.type):
            schema = schema.set(i, pa.field(field.name, pa.string()))
    return schema


def read_parquet(folder: str | os.PathLike) -> TableCorpus:
    """A Parquet dataset written by :func:`to_parquet` as a :class:`TableCorpus`.

    The partition columns come back from the folder names, with the dtypes the tables
    have in memory; the structure tables drop the ones that were joined on for the layout.

    Examples
    --------
    >>> tables = read_parquet("dataset/")  # doctest: +SKIP
    >>> lgk.similarity_matrix(tables)  # doctest: +SKIP
    """
    import pyarrow as pa
    import pyarrow.dataset as ds

    root = Path(folder)
    info_file = root / "_lawgovkit.json"
    if not (root / "reports").is_dir() or not info_file.is_file():
        raise ReportNotFoundError("not a lawgovkit Parquet dataset (no reports/ folder)", path=root)
    try:
        columns = tuple(json.loads(info_file.read_text(encoding="utf-8"))["partition_on"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ReportNotFoundError(f"unreadable {info_file.name} ({exc})", path=root) from exc
    meta = table_meta()
    tables = {}
    for name in TABLES:
        target = root / name
        files = sorted(target.rglob("*.parquet")) if target.is_dir() else []
        if not files:
            tables[name] = meta[name]
            continue
        # the partition values read as text (a column all missing has no type to infer),
        # then given the dtypes of the tables in memory
        keys = pa.schema([(column, pa.string()) for column in columns])
        partitioning = ds.partitioning(keys, flavor="hive") if columns else None
        dataset = ds.dataset(
            [str(f) for f in files],
            format="parquet",
            partitioning=partitioning,
            partition_base_dir=str(target),
        )
        table = dataset.to_table().to_pandas()
        if name != "reports":
            table = table.drop(columns=[c for c in columns if c not in meta[name]], errors="ignore")
        tables[name] = _as_meta(table, meta[name])
    return TableCorpus(tables)


def _as_meta(table: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """``table`` with the columns and dtypes of ``meta`` (extra columns kept after them)."""
    ordered = [c for c in meta.columns if c in table.columns]
    table = table[ordered + [c for c in table.columns if c not in meta.columns]]
    for column in ordered:
        dtype = meta[column].dtype
        if table[column].dtype != dtype:
            values = table[column]
            if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_numeric_dtype(values):
                values = pd.to_numeric(values)
            if dtype == np.dtype(object):
                values = values.astype(object).where(values.notna(), None)
            table[column] = values.astype(dtype)
    return table
