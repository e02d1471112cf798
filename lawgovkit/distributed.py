"""Corpora beyond one machine: the tables on Dask, Parquet datasets, TF-IDF and top-k by blocks.

The in-process path (:func:`lawgovkit.load_corpus`) reads, cleans and parses every file on
this machine and keeps the :class:`~lawgovkit.report.Report` objects. A national corpus
(10^5 reports a year, 10^6 over a decade) outgrows that. This module runs the *same*
per-file work on a Dask cluster, partition by partition, and keeps only the tables:

- :func:`load_corpus_dask` — files → ``reports``, ``sections``, ``items``, ``problems``,
  ``plans`` and ``skipped`` as Dask DataFrames (a :class:`DaskCorpus`). Each partition is
  loaded by :func:`lawgovkit.load_corpus` itself on a worker, so the rows are the rows of
  the in-process path.
- :func:`to_parquet` — those tables (or a :class:`~lawgovkit.corpus.Corpus`) written as a
  Parquet dataset, one folder per table, partitioned by province and report year (hive
  layout), readable by pandas, Dask, DuckDB, Polars and R's arrow.
- :func:`read_parquet` — the dataset back as a :class:`TableCorpus`, which the analysis
  functions accept wherever they read only tables (similarity, themes, keyness, candour,
  plan_response, ...).
- :func:`tfidf_blocks` and :func:`top_k_dask` — the TF-IDF matrix fitted over partitions
  (each partition tokenizes and counts its own texts once; the vocabularies are merged, so
  the vocabulary, idf and every row equal :func:`lawgovkit.similarity.tfidf_matrix`'s) and
  each row's ``k`` most similar computed block by block on the workers, never an N×N matrix.

Everything here needs the ``dask`` extra (``pip install 'lawgovkit[dask]'``); the rest of
the package never imports Dask.

Examples
--------
>>> from lawgovkit.distributed import load_corpus_dask  # doctest: +SKIP
>>> from dask.distributed import Client  # doctest: +SKIP
>>> client = Client("tcp://scheduler:8786")  # doctest: +SKIP
>>> corpus = load_corpus_dask("reports/", client=client, partition_size=200)  # doctest: +SKIP
>>> to_parquet(corpus, "dataset/")  # doctest: +SKIP
>>> tables = read_parquet("dataset/")  # doctest: +SKIP
>>> lgk.theme_coverage(tables)  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from lawgovkit import parquet
from lawgovkit.corpus import SKIPPED_COLUMNS, load_corpus
from lawgovkit.errors import ArgumentError, LawgovkitError, NoReportsError, ReportNotFoundError
from lawgovkit.parquet import (
    PARTITION_ON,
    TABLES,
    TableCorpus,
    finish_dataset,
    partition_keys,
    prepare_dataset,
    read_parquet,
    table_meta,
)
from lawgovkit.tfidf_parts import (
    analysed_counts,
    corpus_terms,
    document_frequency,
    remapped,
    weighted,
)

__all__ = [
    "TABLES",
    "DaskCorpus",
    "TableCorpus",
    "load_corpus_dask",
    "read_parquet",
    "to_parquet",
]

#: Files a partition holds by default: a few seconds of parsing, a few MB of tables.
PARTITION_SIZE = 200
# The tables keep the dtypes of the in-process schema: Dask would turn text columns into
# pyarrow strings (and None into <NA>) by default.
_KEEP_DTYPES = {"dataframe.convert-string": False}


def _dask() -> Any:
    try:
        import dask
        import dask.dataframe
    except ImportError as exc:  # pragma: no cover - the extra is installed in CI
        raise ImportError(
            "lawgovkit.distributed needs Dask: pip install 'lawgovkit[dask]'"
        ) from exc
    return dask


# --------------------------------------------------------------------------------------
# Loading: one partition of files -> its tables, by load_corpus itself


def _partitions(paths: list[Path], size: int) -> list[list[Path]]:
    return [paths[i : i + size] for i in range(0, len(paths), size)]


def load_partition(paths: list[str], errors: str = "raise") -> dict[str, pd.DataFrame]:
    """The tables of one partition of files, as :func:`lawgovkit.load_corpus` gives them.

    This is what each Dask task runs. The report cache is not used (workers of a cluster
    share no home folder) and the files are loaded in the worker's own process.

    Parameters
    ----------
    paths : list of str
        The partition's files.
    errors : {"raise", "warn", "skip"}
        As for :func:`lawgovkit.load_corpus`; a partition none of whose files loads gives
        empty tables and its files in ``skipped`` (``"raise"`` raises the first error).

    Returns
    -------
    dict of DataFrame
        ``reports`` (index ``id`` as a column, so partitions can be concatenated),
        ``sections``, ``items``, ``problems``, ``plans``, ``skipped``.

    Examples
    --------
    >>> tables = load_partition(["seeds/000_83b981cfa8576200.txt"])  # doctest: +SKIP
    >>> tables["reports"]["jurisdiction"].tolist()  # doctest: +SKIP
    ['江夏区']
    """
    import warnings

    with warnings.catch_warnings():
        # "warn" warns in the worker, where nobody reads it: skipped lists the files
        warnings.simplefilter("ignore")
        mode = "skip" if errors == "warn" else errors
        try:
            corpus = load_corpus(list(paths), errors=mode, cache=False, n_jobs=1, progress=False)
        except NoReportsError:
            if errors == "raise":
                raise
            return _skipped_only(paths)
    reports = corpus.reports.reset_index()
    return {
        "reports": reports,
        "sections": corpus.sections,
        "items": corpus.items,
        "problems": corpus.problems,
        "plans": corpus.plans,
        "skipped": corpus.skipped,
    }


def _skipped_only(paths: list[str]) -> dict[str, pd.DataFrame]:
    """A partition none of whose files loaded: each file's own error in ``skipped``."""
    from lawgovkit.report import load_report

    rows = []
    for path in paths:
        try:
            load_report(path)
        except LawgovkitError as error:
            rows.append((str(path), type(error).__name__, str(error)))
    empty = table_meta()
    skipped = pd.concat([empty["skipped"], pd.DataFrame(rows, columns=SKIPPED_COLUMNS)])
    return {**empty, "skipped": skipped.reset_index(drop=True)}


class DaskCorpus:
    """The tables of a corpus as Dask DataFrames (see :func:`load_corpus_dask`).

    Attributes ``reports``, ``sections``, ``items``, ``problems``, ``plans``, ``skipped``
    are lazy Dask DataFrames; :meth:`compute` brings them into this process as a
    :class:`TableCorpus`; :func:`to_parquet` writes them without doing so.
    """

    def __init__(self, tables: Mapping[str, Any], n_files: int) -> None:
        self._tables = dict(tables)
        self.n_files = n_files

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in TABLES:
            raise AttributeError(name)
        return self._tables[name]

    def __repr__(self) -> str:
        n = self._tables["reports"].npartitions
        return f"<DaskCorpus of {self.n_files} files in {n} partitions>"

    def compute(self) -> TableCorpus:
        """Every table computed (in one pass over the partitions) as a :class:`TableCorpus`."""
        dask = _dask()
        with dask.config.set(_KEEP_DTYPES):
            computed = dask.compute(*(self._tables[name] for name in TABLES))
        return TableCorpus(dict(zip(TABLES, computed, strict=True)))


def load_corpus_dask(
    source: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    client: Any = None,
    partition_size: int = PARTITION_SIZE,
    errors: str = "raise",
) -> DaskCorpus:
    """Load a corpus on a Dask cluster: every table a Dask DataFrame, built partition by
    partition by the in-process loader.

    Parameters
    ----------
    source : str, Path or list of paths
        As for :func:`lawgovkit.load_corpus`: a folder, a glob or a list of files. The
        files are listed here; the workers read them, so they must see the same paths
        (a shared file system, or the same folder on each machine).
    client : dask.distributed.Client, optional
        The cluster to run on; by default the current client if there is one, else Dask's
        default scheduler in this process.
    partition_size : int
        Files per partition (a task). Larger partitions mean fewer tasks and larger tables
        per task.
    errors : {"raise", "warn", "skip"}
        As for :func:`lawgovkit.load_corpus`: the first bad file raises (when the tables
        are computed), or bad files are left out and listed in ``skipped``.

    Returns
    -------
    DaskCorpus
        Its tables have the rows of :func:`lawgovkit.load_corpus`'s, partitioned in file
        order. With a client the files are loaded at once (each partition once, kept on the
        workers), and ``errors="raise"`` raises here the error of the first bad file in file
        order; without one, when a table is computed. Report ids are the file stems
        (use unique file names: two files with the same stem in different folders are not
        renamed as the in-process loader renames them, and raise).

    Raises
    ------
    ReportNotFoundError
        The source does not exist.
    NoReportsError
        It names no file a report can be read from.
    ArgumentError
        A bad ``errors`` or ``partition_size``, or two files with the same stem.

    Examples
    --------
    >>> corpus = load_corpus_dask("seeds", partition_size=2)  # doctest: +SKIP
    >>> corpus.reports.npartitions, len(corpus.compute().reports)  # doctest: +SKIP
    (3, 5)
    """
    dask = _dask()
    import dask.dataframe as dd

    from lawgovkit._inputs import skip_unread, unread_files
    from lawgovkit.readers import report_files

    if errors not in ("raise", "warn", "skip"):
        raise ArgumentError(f"errors={errors!r} is not one of 'raise', 'warn', 'skip'")
    if int(partition_size) < 1:
        raise ArgumentError(f"partition_size must be at least 1, not {partition_size}")
    paths, described = report_files(source)
    unread = skip_unread(unread_files(source), errors)  # listed in skipped, as in process
    if not paths:
        raise NoReportsError("no report file found", path=described)
    for path in paths:
        if not os.path.lexists(path) and errors == "raise":
            raise ReportNotFoundError("no such file", path=path)
    _check_unique_stems(paths)
    chunks = _partitions(paths, int(partition_size))
    load = dask.delayed(load_partition, pure=True)
    parts = [load([str(p) for p in chunk], errors) for chunk in chunks]
    if client is None:
        client = _current_client()
    if client is not None:
        parts = client.persist(parts)  # each partition loaded once, whichever table is asked
        if errors == "raise":
            _raise_first_error(parts)
    meta = table_meta()
    with dask.config.set(_KEEP_DTYPES):
        tables = {
            name: dd.from_delayed(
                [part[name] for part in parts], meta=meta[name], verify_meta=False
            )
            for name in TABLES
        }
        if unread:
            listed = pd.concat([meta["skipped"], pd.DataFrame(unread, columns=SKIPPED_COLUMNS)])
            tables["skipped"] = dd.concat(
                [tables["skipped"], dd.from_pandas(listed.reset_index(drop=True), npartitions=1)]
            )
    return DaskCorpus(tables, n_files=len(paths) + len(unread))


def to_parquet(
    corpus: Any,
    folder: str | os.PathLike,
    *,
    partition_on: tuple[str, ...] = PARTITION_ON,
    overwrite: bool = False,
) -> Path:
    """Write a corpus's tables as a Parquet dataset (see :func:`lawgovkit.parquet.to_parquet`
    for the layout); a :class:`DaskCorpus` is written partition by partition by its
    workers, never gathered here.

    Examples
    --------
    >>> to_parquet(load_corpus_dask("reports/"), "dataset/")  # doctest: +SKIP
    PosixPath('dataset')
    """
    if not isinstance(corpus, DaskCorpus):
        return parquet.to_parquet(corpus, folder, partition_on=partition_on, overwrite=overwrite)
    dask = _dask()
    out, partition_on = prepare_dataset(folder, corpus.reports.columns, partition_on, overwrite)
    with dask.config.set(_KEEP_DTYPES):
        keys = partition_keys(corpus.reports[["id", *partition_on]].compute(), partition_on)
        writes = []
        for name in TABLES:
            writes += _table_writes(getattr(corpus, name), keys, out / name, partition_on, name)
        dask.compute(*writes)
    return finish_dataset(out, partition_on)


def _table_writes(
    frame: Any, keys: pd.DataFrame, target: Path, columns: tuple[str, ...], name: str
) -> list[Any]:
    """The tasks writing one table: partitioned tables are first given their reports'
    partition columns and shuffled on them, so that each group of values lives in one
    partition and makes one file (written as it is, each partition of a table would make
    a file for every group it touches: tens of thousands of small files)."""
    dask = _dask()
    if not columns or not parquet.is_partitioned(frame._meta, name):
        write = dask.delayed(_write_plain)
        return [write(part, target, i) for i, part in enumerate(frame.to_delayed())]
    meta = parquet.keyed_table(frame._meta, keys.iloc[:0], name)
    keyed = frame.map_partitions(parquet.keyed_table, keys, name, meta=meta)
    keyed = keyed.shuffle(on=list(columns))
    write = dask.delayed(parquet.write_keyed)
    return [write(part, target, columns, i) for i, part in enumerate(keyed.to_delayed())]


def _write_plain(table: pd.DataFrame, target: Path, part: int) -> None:
    parquet.write_table(table, None, target, (), "", part)


def _raise_first_error(parts: list[Any]) -> None:
    """Wait for the partitions and raise the error of the first bad file in file order, as
    :func:`lawgovkit.load_corpus` does (workers meet errors in any order)."""
    from dask.distributed import futures_of, wait

    futures = [futures_of(part)[0] for part in parts]
    wait(futures)
    for future in futures:
        if future.status == "error":
            raise future.exception()


def _current_client() -> Any:
    try:
        from dask.distributed import get_client
    except ImportError:  # pragma: no cover
        return None
    try:
        return get_client()
    except ValueError:
        return None


def _check_unique_stems(paths: list[Path]) -> None:
    seen: dict[str, Path] = {}
    for path in paths:
        if path.stem in seen and seen[path.stem] != path:
            raise ArgumentError(
                f"two files give the report id {path.stem!r}: {seen[path.stem]} and {path}; "
                "load_corpus_dask keys reports by file name: rename one"
            )
        seen[path.stem] = path


def _units_pieces(units: Any, partition_size: int) -> list[Any]:
    """The units as pieces for the workers: delayed DataFrames with ``id`` and ``text``."""
    dask = _dask()
    if isinstance(units, DaskCorpus):
        make = dask.delayed(_report_units, pure=True)
        reports, sections = units.reports.to_delayed(), units.sections.to_delayed()
        return [make(r, s) for r, s in zip(reports, sections, strict=True)]
    if hasattr(units, "to_delayed"):  # a Dask DataFrame of units
        return list(units.to_delayed())
    if int(partition_size) < 1:
        raise ArgumentError(f"partition_size must be at least 1, not {partition_size}")
    frame = pd.DataFrame({"id": [str(i) for i in units["id"]], "text": list(units["text"])})
    bounds = range(0, max(len(frame), 1), int(partition_size))
    return [dask.delayed(frame.iloc[b : b + partition_size]) for b in bounds]


def _report_units(reports: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    """One partition's reports as units (:func:`lawgovkit.units.text_units`, ``"report"``)."""
    from lawgovkit.units import text_units

    if not len(reports.columns):
        return pd.DataFrame({"id": [], "report_id": [], "text": []})
    return text_units(TableCorpus({"reports": reports, "sections": sections}), "report")


def _analysed_piece(
    units: pd.DataFrame, analyzer: str, tokenizer: Any
) -> tuple[list[str], list[bool], np.ndarray, sparse.csr_matrix]:
    has_text, terms, counts = analysed_counts(list(units["text"]), analyzer, tokenizer)
    return [str(i) for i in units["id"]], has_text, terms, counts


def _head(piece: tuple) -> tuple:
    """What the client needs of an analysed piece: its ids, which have text, its terms."""
    return piece[:3]


def _remapped_piece(piece: tuple, columns: np.ndarray, rank: np.ndarray, n: int) -> Any:
    return remapped(piece[3], columns, rank, n)


def tfidf_dask(
    units: Any,
    *,
    client: Any = None,
    partition_size: int = 2_000,
    analyzer: str = "word",
    tokenizer: Any = None,
) -> Any:
    """TF-IDF of many units fitted over partitions on a Dask cluster.

    Each partition's texts are analysed once, on a worker, into counts over the
    partition's own terms, which stay on the worker; the terms of all partitions are
    merged here into the corpus vocabulary (sorted, as scikit-learn sorts it), each
    partition's counts renumbered to it on its worker, the document frequencies summed
    and the idf computed as scikit-learn computes it; the workers then weight and
    normalise their rows, and only the finished rows come back. Nothing is hashed: the
    vocabulary, ``idf_`` and every row (its values and the order of its entries) are
    those of :func:`lawgovkit.tfidf.tfidf_matrix` with the default options, bit for bit,
    when the units come in the same order.

    Parameters
    ----------
    units : DataFrame, Dask DataFrame or DaskCorpus
        Columns ``id`` and ``text`` (see :func:`lawgovkit.units.text_units`), in this
        process or as a Dask DataFrame; or a :class:`DaskCorpus`, whose reports' texts are
        put together from its sections on the workers (never gathered here).
    client : dask.distributed.Client, optional
        The cluster; by default the current client, else Dask's default scheduler.
    partition_size : int
        Units per task, for units given in this process.
    analyzer : {"word", "char"}
        As for :func:`lawgovkit.tfidf.tfidf_matrix`.
    tokenizer : Tokenizer, optional
        As for :func:`lawgovkit.tfidf.tfidf_matrix` (sent to the workers).

    Returns
    -------
    TfidfUnits
        ``ids``, ``matrix`` (gathered here), ``vectorizer`` (with the corpus's
        ``vocabulary_`` and ``idf_``) and ``left_out``.

    Examples
    --------
    >>> units = pd.DataFrame({"id": ["a", "b", "c"], "text": ["行政复议", "行政复议案件", "。"]})
    >>> fitted = tfidf_dask(units, partition_size=2)
    >>> fitted.ids, fitted.left_out, sorted(fitted.vectorizer.vocabulary_)
    (['a', 'b'], ['c'], ['案件', '行政复议'])
    """
    dask = _dask()
    from lawgovkit.tfidf import TfidfUnits, _vectorizer

    vectorizer = _vectorizer(analyzer, tokenizer)  # checks the analyzer, named as in process
    client = client or _current_client()
    persist = client.persist if client is not None else dask.persist
    analyse = dask.delayed(_analysed_piece, pure=True)
    pieces = [analyse(p, analyzer, tokenizer) for p in _units_pieces(units, partition_size)]
    pieces = list(persist(pieces) if client is not None else persist(*pieces))
    heads = dask.compute(*(dask.delayed(_head)(p) for p in pieces))
    vocabulary, rank = corpus_terms([terms for _, _, terms in heads])
    if not len(vocabulary):
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    remap = dask.delayed(_remapped_piece, pure=True)
    matrices = []
    for piece, (_, _, terms) in zip(pieces, heads, strict=True):
        columns = np.searchsorted(vocabulary, terms)
        matrices.append(remap(piece, columns, rank[columns], len(vocabulary)))
    matrices = list(persist(matrices) if client is not None else persist(*matrices))
    del pieces
    frequencies = dask.compute(
        *(dask.delayed(document_frequency)(m, len(vocabulary)) for m in matrices)
    )
    n_rows = sum(sum(flags) for _, flags, _ in heads)
    df = np.sum(frequencies, axis=0).astype(np.float64)
    df += 1.0  # scikit-learn's smooth_idf, as TfidfTransformer.fit computes it
    idf = np.log((n_rows + 1) / df) + 1.0
    weight = dask.delayed(weighted, pure=True)
    rows = dask.compute(*(weight(m, idf) for m in matrices))
    matrix = sparse.vstack(rows, format="csr") if rows else sparse.csr_matrix((0, 0))
    matrix.sort_indices()  # as tfidf_matrix gives it: each row's terms in column order
    vectorizer.vocabulary_ = {term: i for i, term in enumerate(vocabulary.tolist())}
    vectorizer.idf_ = idf  # scikit-learn's public setter (it checks the vocabulary's size)
    ids = [i for piece_ids, _, _ in heads for i in piece_ids]
    has_text = [flag for _, flags, _ in heads for flag in flags]
    kept = [i for i, flag in zip(ids, has_text, strict=True) if flag]
    left_out = [i for i, flag in zip(ids, has_text, strict=True) if not flag]
    return TfidfUnits(kept, matrix, vectorizer, left_out)


# --------------------------------------------------------------------------------------
# Top-k by blocks on the workers


def top_k_dask(
    matrix: Any,
    k: int = 10,
    *,
    client: Any = None,
    block_size: int | None = None,
    tasks: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` most similar other rows, computed block by block on a Dask cluster.

    The matrix is sent to the workers once; each task takes a run of whole blocks of rows
    (:func:`lawgovkit.similarity.top_k_rows`), so no N×N matrix exists anywhere and the
    result is :func:`lawgovkit.similarity.top_k_similar`'s bit for bit: the kernel screens
    in float32 and scores its candidates exactly, so neither the split of the rows nor the
    threads of BLAS change a neighbour or a score. A task screens its rows against every
    row (the pairs of blocks within its run once), so the tasks together do more products
    than one process does (which takes each pair of blocks once).

    Parameters
    ----------
    matrix : sparse matrix or array, shape (N, terms)
        Rows L2-normalised (as :func:`tfidf_dask` gives).
    k : int
        Neighbours per row; fewer when there are fewer other rows.
    client : dask.distributed.Client, optional
        The cluster; by default the current client, else Dask's default scheduler.
    block_size : int, optional
        Rows per block, as for :func:`~lawgovkit.similarity.top_k_similar`.
    tasks : int, optional
        Runs of blocks to hand out; by default four per worker (one per core without a
        cluster), so a slow worker does not hold up the rest.

    Returns
    -------
    neighbours, similarities : ndarray, shape (N, min(k, N - 1))
        As :func:`~lawgovkit.similarity.top_k_similar` returns them.

    Examples
    --------
    >>> m = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> neighbours, scores = top_k_dask(m, k=1, block_size=1)
    >>> neighbours.ravel().tolist(), scores.ravel().round(2).tolist()
    ([1, 0, 1], [0.8, 0.8, 0.6])
    """
    dask = _dask()
    from lawgovkit.similarity import top_k_arguments, top_k_rows

    rows, k, block_size = top_k_arguments(matrix, k, block_size)
    n = rows.shape[0]
    if n == 0 or k == 0:
        return np.zeros((n, k), dtype=np.intp), np.zeros((n, k), dtype=float)
    client = client or _current_client()
    if tasks is None:
        workers = len(client.scheduler_info()["workers"]) if client is not None else None
        tasks = 4 * (workers or os.cpu_count() or 1)
    blocks = list(range(0, n, block_size))
    runs = np.array_split(np.arange(len(blocks)), min(len(blocks), max(1, int(tasks))))
    bounds = [(blocks[r[0]], min(n, blocks[r[-1]] + block_size)) for r in runs if len(r)]
    if client is not None:
        shared = client.scatter(rows, broadcast=True, hash=False)
        futures = [
            client.submit(top_k_rows, shared, k, block_size, start, stop, pure=False)
            for start, stop in bounds
        ]
        results = client.gather(futures)
    else:
        compute = dask.delayed(top_k_rows, pure=True)
        results = dask.compute(*(compute(rows, k, block_size, a, b) for a, b in bounds))
    neighbours = np.concatenate([r[0] for r in results])
    scores = np.concatenate([r[1] for r in results])
    return neighbours, scores
