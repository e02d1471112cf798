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
from lawgovkit._topk import top_k_rows
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

# top_k_similar: rows per block of the screening (a block pair is 2048 × 2048 float32 values,
# 16 MB; see lawgovkit._topk).
_BLOCK_ROWS = 2048


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

    The rows are taken in blocks and each pair of blocks is screened once in float32 (the
    terms most rows share as a dense BLAS product, the rare ones as a sparse one); the rows
    within a proven rounding bound of each row's ``k``-th best are then scored exactly in
    float64 and the best ``k`` kept (:mod:`lawgovkit._topk`). Memory stays at the matrix,
    a float32 copy of its frequent terms' columns, one block pair and a few candidates
    per row.

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
        Rows per block of the screening; by default 2048 (a block pair is 16 MB). It
        changes neither the neighbours nor any bit of a score.

    Returns
    -------
    neighbours : ndarray of int, shape (N, min(k, N - 1))
        Row numbers of the neighbours, best first; ties broken by the lower row number.
    similarities : ndarray of float, same shape
        Their dot products in float64, the shared terms' products summed in the terms'
        order (as ``matrix @ matrix.T`` of scipy.sparse sums them): equal rows get equal
        scores, so their ties go to the lower row number.

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
    block size (by default 2048 rows), checked.

    Examples
    --------
    >>> rows, k, block_size = top_k_arguments(np.eye(3), 5, None)
    >>> rows.shape, k, block_size
    ((3, 3), 2, 2048)
    """
    if k < 0:
        raise ArgumentError(f"k must be a positive number of neighbours, not {k}")
    rows = sparse.csr_matrix(matrix, dtype=float)
    n = rows.shape[0]
    k = min(int(k), max(n - 1, 0))
    if block_size is None:
        block_size = _BLOCK_ROWS
    if int(block_size) < 1:
        raise ArgumentError(f"block_size must be a positive number of rows, not {block_size}")
    return rows, k, int(block_size)


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
