"""How alike reports are: cosine similarity of TF-IDF vectors, by report or by part.

:func:`similarity_matrix` gives the labelled square matrix of a corpus's units
(:func:`lawgovkit.units.text_units`: reports, problems, plans, sections or a theme's
passages; or a DataFrame of units), :func:`most_similar` one unit's (or every unit's)
nearest neighbours, :func:`top_k_similar` every row's neighbours without building the N×N
matrix, and :func:`similar_pairs` the most similar pairs of a matrix. The TF-IDF fit is
:func:`lawgovkit.tfidf.tfidf_matrix`.

Units without text (a report with no plans) are left out of the matrix and said so: a
``warnings.warn`` naming them, and ``matrix.attrs["left_out"]``. They never get zero rows.

:func:`top_k_similar` keeps its result on disk for 200 rows or more (keyed by the
matrix's bytes, ``k`` and the block size; see :mod:`lawgovkit.cache` for the policy), so a
re-run on unchanged input reads it back. ``LAWGOVKIT_CACHE=off`` turns it off.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from lawgovkit import _store
from lawgovkit._store import Key
from lawgovkit.errors import ArgumentError
from lawgovkit.tfidf import TfidfUnits, tfidf_matrix
from lawgovkit.tokenize import Tokenizer
from lawgovkit.units import UNITS, text_units, warn_left_out

__all__ = [
    "UNITS",
    "TfidfUnits",
    "most_similar",
    "similar_pairs",
    "similarity_matrix",
    "text_units",
    "tfidf_matrix",
    "top_k_similar",
    "warn_left_out",
]

# top_k_similar: how many similarities one block of rows may hold (2**24 floats = 128 MB),
# and the document frequency (share of rows) from which a term's column is multiplied as a
# dense array (BLAS) rather than as sparse entries.
_BLOCK_VALUES = 2**24
_DENSE_DF = 1 / 32
_DENSE_MAX_VALUES = 2**28  # at most 2 GB of dense columns


def similarity_matrix(
    corpus: Any,
    unit: str = "report",
    analyzer: str = "word",
    tokenizer: Tokenizer | None = None,
    **tfidf_kwargs: Any,
) -> pd.DataFrame:
    """Cosine similarity of the units' TF-IDF vectors, as a labelled square DataFrame.

    Parameters
    ----------
    corpus : Corpus or DataFrame
        A corpus, or a DataFrame of units (``id``, ``text``).
    unit : str
        ``"report"``, ``"problems"``, ``"plans"``, ``"section"`` or ``"theme:<name>"``
        (see :func:`text_units`).
    analyzer : {"word", "char"}
        Word tokens (domain-aware) or character 2-3-grams (robust to segmentation).
    tokenizer : Tokenizer, optional
        E.g. ``Tokenizer(officialese=True)`` to drop officialese; default shared tokenizer.
    **tfidf_kwargs
        Passed to scikit-learn's ``TfidfVectorizer`` (``sublinear_tf=True``, ``min_df=2`` ...).

    Returns
    -------
    DataFrame
        Index and columns are the unit ids (report ids; ``"report_id:section_id"`` for
        sections), symmetric, ones on the diagonal, values in [0, 1].
        ``attrs["left_out"]`` lists the units left out for lack of text (also warned).

    Examples
    --------
    >>> units = pd.DataFrame({"id": ["a", "b"], "text": ["加强行政复议", "加强人民调解"]})
    >>> similarity_matrix(units).round(2).to_numpy().tolist()
    [[1.0, 0.34], [0.34, 1.0]]
    """
    fitted = tfidf_matrix(text_units(corpus, unit), analyzer, tokenizer, **tfidf_kwargs)
    warn_left_out(fitted.left_out, unit)
    values = (fitted.matrix @ fitted.matrix.T).toarray()
    values = np.clip((values + values.T) / 2, 0.0, 1.0)
    np.fill_diagonal(values, 1.0)
    matrix = pd.DataFrame(values, index=fitted.ids, columns=fitted.ids)
    matrix.index.name = matrix.columns.name = "id"
    matrix.attrs["left_out"] = fitted.left_out
    matrix.attrs["unit"] = unit
    return matrix


def most_similar(
    corpus: Any,
    report_id: str | None = None,
    k: int = 5,
    unit: str = "report",
    analyzer: str = "word",
    tokenizer: Tokenizer | None = None,
    **tfidf_kwargs: Any,
) -> pd.DataFrame:
    """The ``k`` units most similar to one (or to each), best first.

    For one unit only its row of similarities is computed; for all of them
    (``report_id=None``) :func:`top_k_similar` works through the rows in blocks, so neither
    builds the N×N matrix and both stay cheap on a large corpus.

    Parameters
    ----------
    corpus : Corpus or DataFrame
        As for :func:`similarity_matrix`.
    report_id : str, optional
        The unit to compare (a report id; ``"report_id:section_id"`` for sections); None
        gives the neighbours of every unit.
    k : int
        How many neighbours.
    unit, analyzer, tokenizer, **tfidf_kwargs
        As for :func:`similarity_matrix`.

    Returns
    -------
    DataFrame
        Columns ``report_id``, ``other``, ``similarity``; sorted by similarity descending,
        then ``other`` (for every unit: grouped by ``report_id`` in unit order, each group
        sorted so).

    Examples
    --------
    >>> units = pd.DataFrame({"id": ["a", "b", "c"],
    ...                       "text": ["行政复议案件", "行政复议规范化", "法律援助"]})
    >>> most_similar(units, "a", k=2)["other"].tolist()
    ['b', 'c']
    >>> most_similar(units, k=1)[["report_id", "other"]].values.tolist()
    [['a', 'b'], ['b', 'a'], ['c', 'a']]
    """
    fitted = tfidf_matrix(text_units(corpus, unit), analyzer, tokenizer, **tfidf_kwargs)
    warn_left_out(fitted.left_out, unit)
    if report_id is None:
        neighbours, scores = top_k_similar(fitted.matrix, k)
        ids = np.asarray(fitted.ids, dtype=object)
        return pd.DataFrame(
            {
                "report_id": np.repeat(ids, neighbours.shape[1]),
                "other": ids[neighbours.ravel()] if len(ids) else [],
                "similarity": np.clip(scores.ravel(), 0.0, 1.0),
            }
        )
    if report_id not in fitted.ids:
        reason = "has no text for this unit" if report_id in fitted.left_out else "is unknown"
        known = ", ".join(fitted.ids[:10]) + (" ..." if len(fitted.ids) > 10 else "")
        raise ArgumentError(f"{report_id!r} {reason} (unit {unit!r}); known ids: {known}")
    row = fitted.ids.index(report_id)
    scores = (fitted.matrix @ fitted.matrix[row].T).toarray().ravel()
    table = pd.DataFrame({"report_id": report_id, "other": fitted.ids, "similarity": scores})
    table = table[table["other"] != report_id]
    table["similarity"] = table["similarity"].clip(0.0, 1.0)
    table = table.sort_values(["similarity", "other"], ascending=[False, True], kind="stable")
    return table.head(k).reset_index(drop=True)


def top_k_similar(
    matrix: Any, k: int = 10, *, block_size: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` most similar other rows, without building the N×N matrix.

    The rows are taken in blocks; each block's similarities to all rows are computed (the
    terms most rows share as a dense product, the rare ones as a sparse one), the best
    ``k`` are kept and the block is dropped. Memory stays at one block of
    ``block_size × N`` values plus the matrix.

    The result is kept on disk for a matrix of 200 rows or more (see the module's
    docstring): the same matrix (the same bytes), ``k`` and block size again read it back.

    Parameters
    ----------
    matrix : sparse matrix or array, shape (N, terms)
        Rows L2-normalised (as :func:`tfidf_matrix` gives), so the dot product is the
        cosine.
    k : int
        Neighbours per row; fewer when there are fewer other rows.
    block_size : int, optional
        Rows per block; by default as many as keep a block under 2**24 values (128 MB).
        It does not change the neighbours, but a block of one row can change the last bit
        of a score (BLAS multiplies a single row another way).

    Returns
    -------
    neighbours : ndarray of int, shape (N, min(k, N - 1))
        Row numbers of the neighbours, best first; ties broken by the lower row number.
    similarities : ndarray of float, same shape
        Their dot products.

    Examples
    --------
    >>> m = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> neighbours, scores = top_k_similar(m, k=1)
    >>> neighbours.ravel().tolist(), scores.ravel().round(2).tolist()
    ([1, 0, 1], [0.8, 0.8, 0.6])
    """
    rows, k, block_size = top_k_arguments(matrix, k, block_size)
    n = rows.shape[0]
    if n == 0 or k == 0:
        return np.zeros((n, k), dtype=np.intp), np.zeros((n, k), dtype=float)
    store = _store.array_store() if n >= _store.MIN_STORED else None
    if store is None:
        return _top_k(rows, k, block_size)
    key = Key("top_k").data({"shape": list(rows.shape), "k": k, "block_size": block_size})
    key = key.array(rows.data).array(rows.indices).array(rows.indptr).hexdigest()
    entry = store.get(key)
    if entry is not None:
        neighbours, scores = entry[0].get("neighbours"), entry[0].get("scores")
        if (
            neighbours is not None
            and scores is not None
            and neighbours.shape == scores.shape == (n, k)
            and neighbours.dtype == np.intp
            and scores.dtype == float
            and (n == 0 or (neighbours.min() >= 0 and neighbours.max() < n))
            and not np.isnan(scores).any()
        ):
            return neighbours, scores
    neighbours, scores = _top_k(rows, k, block_size)
    store.put(key, {"neighbours": neighbours, "scores": scores})
    return neighbours, scores


def _top_k(rows: sparse.csr_matrix, k: int, block_size: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`top_k_similar` computed, for 0 < k < N: :func:`top_k_rows` over every row."""
    return top_k_rows(rows, k, block_size, 0, rows.shape[0])


def top_k_arguments(
    matrix: Any, k: int, block_size: int | None
) -> tuple[sparse.csr_matrix, int, int]:
    """The rows as a sparse float matrix, ``k`` cut to the other rows there are, and the
    block size (by default as many rows as keep a block under 2**24 values), checked.

    Examples
    --------
    >>> rows, k, block_size = top_k_arguments(np.eye(3), 5, None)
    >>> rows.shape, k, block_size
    ((3, 3), 2, 5592405)
    """
    if k < 0:
        raise ArgumentError(f"k must be a positive number of neighbours, not {k}")
    rows = sparse.csr_matrix(matrix, dtype=float)
    n = rows.shape[0]
    k = min(int(k), max(n - 1, 0))
    if block_size is None:
        block_size = max(1, _BLOCK_VALUES // max(n, 1))
    return rows, k, int(block_size)


def top_k_rows(
    rows: sparse.csr_matrix, k: int, block_size: int, start: int, stop: int
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`top_k_similar` of the rows ``start`` to ``stop`` only (for 0 < k < N), the
    blocks starting where a whole run's blocks start (multiples of ``block_size``), so that
    any split of the rows into such ranges gives the whole run's result bit for bit (the
    Dask path, :func:`lawgovkit.distributed.top_k_dask`, computes ranges on workers).

    Each block holds the similarities negated: ``-a @ b`` is exactly ``-(a @ b)`` (IEEE
    rounding is symmetric), and ``partition`` finds the smallest values directly, so
    no block is negated or copied. The rare columns' products are added into the dense
    product at their non-zeros (``x + y == y + x`` exactly), rather than spread into a
    dense array first.

    Examples
    --------
    >>> m = sparse.csr_matrix(np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]]))
    >>> top_k_rows(m, 1, 1, 1, 3)[0].ravel().tolist()
    [0, 1]
    """
    neighbours = np.zeros((stop - start, k), dtype=np.intp)
    scores = np.zeros((stop - start, k), dtype=float)
    common, rare = _split_columns(rows)
    rare_t = rare.T.tocsr()
    for first in range(start, stop, block_size):
        last = min(stop, first + block_size)
        part = rare[first:last]
        part = sparse.csr_matrix((-part.data, part.indices, part.indptr), shape=part.shape)
        product = part @ rare_t
        if common is None:
            block = product.toarray()
        else:
            block = -common[first:last] @ common.T
            product = product.tocoo()
            block[product.row, product.col] += product.data
        block[np.arange(last - first), np.arange(first, last)] = np.inf  # not itself
        found = _best_of_all(block, k)
        neighbours[first - start : last - start], scores[first - start : last - start] = found
    return neighbours, scores


def _split_columns(rows: sparse.csr_matrix) -> tuple[np.ndarray | None, sparse.csr_matrix]:
    """The columns most rows use, as a dense array (None if none), and the others, sparse.

    A term found in many rows costs as much as a dense column in a sparse product, and a
    dense product (BLAS) is many times faster per value.
    """
    n, n_terms = rows.shape
    frequency = np.bincount(rows.indices, minlength=n_terms)
    order = np.argsort(-frequency, kind="stable")
    limit = min(n_terms, _DENSE_MAX_VALUES // max(n, 1))
    dense = order[:limit][frequency[order[:limit]] >= max(2, n * _DENSE_DF)]
    if len(dense) == 0:
        return None, rows
    mask = np.zeros(n_terms, dtype=bool)
    mask[dense] = True
    common = rows[:, np.flatnonzero(mask)].toarray()
    rare = rows[:, np.flatnonzero(~mask)].tocsr()
    return common, rare


def _best_of_all(negated: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` largest values, by value descending then column ascending, from
    the values negated (so: the ``k`` smallest of ``negated``, ties by the lower column);
    the values come back un-negated. Selected among all of each row's values
    (``argpartition``), then the ties at the boundary settled."""
    chosen = np.argpartition(negated, k - 1, axis=1)[:, :k]
    values = np.take_along_axis(negated, chosen, axis=1)
    kth = values.max(axis=1)
    # a tie at the boundary: argpartition picked some of the equal values arbitrarily
    tied = np.flatnonzero(np.count_nonzero(negated <= kth[:, None], axis=1) > k)
    for row in tied:
        candidates = np.flatnonzero(negated[row] <= kth[row])
        chosen[row] = candidates[np.lexsort((candidates, negated[row, candidates]))][:k]
    values = np.take_along_axis(negated, chosen, axis=1)
    order = np.lexsort((chosen, values), axis=1)
    # 0.0 - x rather than -x: a similarity of 0 is 0.0, never -0.0
    return np.take_along_axis(chosen, order, axis=1), 0.0 - np.take_along_axis(
        values, order, axis=1
    )


def similar_pairs(matrix: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` most similar pairs of a similarity matrix (each pair once, no self-pairs).

    Parameters
    ----------
    matrix : DataFrame
        A square labelled matrix such as :func:`similarity_matrix` returns.
    n : int
        How many pairs.

    Returns
    -------
    DataFrame
        Columns ``a``, ``b``, ``similarity``; sorted by similarity descending, then a, b.

    Examples
    --------
    >>> m = pd.DataFrame([[1, .2, .7], [.2, 1, .1], [.7, .1, 1]],
    ...                  index=list("xyz"), columns=list("xyz"))
    >>> similar_pairs(m, n=2).values.tolist()
    [['x', 'z', 0.7], ['x', 'y', 0.2]]
    """
    labels = [str(label) for label in matrix.index]
    rows, cols = np.triu_indices(len(labels), k=1)
    values = matrix.to_numpy(dtype=float)[rows, cols]
    pairs = pd.DataFrame(
        {
            "a": [labels[i] for i in rows],
            "b": [labels[j] for j in cols],
            "similarity": values,
        }
    )
    pairs = pairs.sort_values(["similarity", "a", "b"], ascending=[False, True, True])
    return pairs.head(n).reset_index(drop=True)
