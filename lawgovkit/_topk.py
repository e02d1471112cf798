"""Each row's ``k`` largest dot products with the other rows, exactly, without an N×N matrix.

The kernel of :func:`lawgovkit.similarity.top_k_similar` and of
:func:`lawgovkit.distributed.top_k_dask`. It works in two steps:

1. **Screening in float32.** The rows are taken in blocks, and each pair of blocks is
   multiplied once (the upper triangle: block ``(I, J)`` serves the rows of ``I`` by its
   rows and the rows of ``J`` by its columns). The terms most rows use are a dense float32
   array multiplied by BLAS; the others a sparse float32 product added in. Each computed
   value ``s~`` is within ``delta_i = gamma(m) * |x_i| * max|x|`` of the exact dot product
   ``s`` (``gamma(m) = m u / (1 - m u)``, ``u = 2**-24``, ``m`` the most non-zeros of any row
   plus 4: the standard bound of a float32 dot product in any order of summation, with or
   without fused multiply-adds, the rounding of the inputs to float32 and of the two parts'
   sum included; plus a term for underflow). So if ``t`` is the ``k``-th largest screened
   value of a row, the exact ``k``-th largest is at least ``t - delta_i``, and every row of
   the exact top ``k`` has a screened value of at least ``t - 2 delta_i``: those are the
   candidates. Each row keeps the values above its running threshold (its ``k``-th best so
   far less ``2 delta_i``); a block's diagonal pair is screened first to start them high.
   Pairs of blocks run side by side on as many threads as BLAS had, each product on one.
2. **Scoring in float64.** Every candidate's dot product is computed exactly as a sparse
   product does it (:func:`exact_scores`: the products of the shared terms added in the
   order of the terms, from 0; symmetric bit for bit, so a pair both rows want is scored
   once), and the best ``k`` are taken by score, then by the lower row number. A row whose
   ``k``-th screened value is within ``4 delta_i`` of 0 (it shares little with any row: an
   empty row, or rare terms only) is scored against every row the same way
   (:func:`_exact_rows`).

The result is therefore the same whatever the blocks, their order or the split of the rows
between processes: bit for bit, and equal scores for equal rows. Scores are the float64 dot
products summed in the terms' order, so they may differ from another order of summation
(BLAS's, as before issue 20) in the last bits: by at most 4.3e-15 on 10,000 and 30,000
generated reports' TF-IDF rows (and the first 2,000 of 100,000), 7.9e-15 on real reports'
character n-grams, with the same neighbours.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np
from scipy import sparse

__all__ = ["best_of_all", "exact_scores", "top_k_rows"]

# Terms used by at least this share of the rows are multiplied as a dense float32 array (at
# most _DENSE_MAX_VALUES values): BLAS is many times faster per product than a sparse product.
_DENSE_DF = 1 / 32
_DENSE_MAX_VALUES = 2**28
# The unit roundoff of float32, and the smallest float32 subnormal's half (underflow).
_U32 = 2.0**-24
_UNDERFLOW = 2.0**-150
# Values whose products could overflow float32 are not screened (every row scored exactly).
_MAX_SCREENED = 2.0**40
# Rows converted to the dense float32 array at once.
_CONVERTED_ROWS = 4096
# A block's k-th largest values are first found among this many of its columns (at least).
_START_COLUMNS = 512
# A block's pool of candidates is pruned (thresholds raised) once it holds this many per row.
_POOL_PER_ROW = 8
# exact_scores: its first rows as a dense float64 block of at most this many values (2 MB),
# and pairs scored at once.
_DENSE_ROWS_VALUES = 2**18
_PAIRS_AT_ONCE = 1024
_EXACT_BLOCK_VALUES = 2**24


def top_k_rows(
    rows: sparse.csr_matrix, k: int, block_size: int, start: int, stop: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each of the rows ``start`` to ``stop``'s ``k`` largest dot products with the other
    rows (0 < k < N), best first, ties by the lower row number: the same, bit for bit,
    whatever ``block_size`` and however the rows are split into ranges.

    Parameters
    ----------
    rows : csr_matrix of float64, shape (N, terms)
    k : int
        Neighbours per row, ``0 < k < N``.
    block_size : int
        Rows per block of the screening (memory: about ``block_size ** 2`` float32 values).
    start, stop : int
        The rows whose neighbours are wanted.

    Returns
    -------
    neighbours : ndarray of intp, shape (stop - start, k)
    scores : ndarray of float64, same shape

    Examples
    --------
    >>> m = sparse.csr_matrix(np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]]))
    >>> neighbours, scores = top_k_rows(m, 1, 2, 0, 3)
    >>> neighbours.ravel().tolist(), scores.ravel().tolist()
    ([1, 0, 1], [0.8, 0.8, 0.6])
    """
    rows = _canonical(rows)
    n = rows.shape[0]
    size = max(1, int(block_size))
    mine = [(a, min(a + size, stop)) for a in range(start, stop, size)]
    before = [(a, min(a + size, start)) for a in range(0, start, size)]
    after = [(a, min(a + size, n)) for a in range(stop, n, size)]
    run = _Run(_Screen(rows, k), before + mine + after, range(len(before), len(before) + len(mine)))
    with _blas_threads() as threads:
        run.compute(min(threads, len(run.pairs) + 1))
    return run.neighbours, run.scores


class _Run:
    """The work of one :func:`top_k_rows`: the blocks of rows (``columns``; ``own`` are
    those whose neighbours are wanted), their pools, the results.

    Each own block is screened against itself, then against every other block once (an
    own block ``c`` after ``b`` serves both by rows and by columns); a block is finished
    (its candidates scored) once no screening involving it is left. With several threads
    the screenings run side by side, each multiplication on one BLAS thread.
    """

    def __init__(self, screen: _Screen, columns: list[tuple[int, int]], own: range) -> None:
        self.screen, self.columns, self.own = screen, columns, own
        k = screen.k
        self.start = columns[own[0]][0] if len(own) else 0
        size = sum(b - a for a, b in (columns[i] for i in own))
        self.neighbours = np.zeros((size, k), dtype=np.intp)
        self.scores = np.zeros((size, k), dtype=float)
        self.pools = {b: _Pool(screen, *columns[b], k) for b in own}
        self.pairs = [
            (b, c)
            for b in own
            for c in range(len(columns))
            if screen.usable and c != b and not (c in own and c < b)
        ]
        # screenings left before each own block can be finished
        self.left = {b: 0 for b in own}
        for b, c in self.pairs:
            self.left[b] += 1
            if c in own:
                self.left[c] += 1
        self.lock = threading.Lock()
        # pairs scored by a finished block, for the own blocks to come; each row's block
        self.known: dict[int, list] = {}
        self.finished: set[int] = set()
        self.block_of = np.repeat(
            np.arange(len(columns)), [last - first for first, last in columns]
        ).astype(np.int32)

    def compute(self, threads: int) -> None:
        if threads <= 1:
            for b in self.own:
                self.diagonal(b)
            for b, c in self.pairs:
                self.pair(b, c)
            for b in self.own:
                self.finish(b)
            return
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(self.diagonal, self.own))  # every threshold started first
            ready = [b for b in self.own if self.left[b] == 0]
            futures = [pool.submit(self.finish, b) for b in ready]

            def pair_then_finish(b: int, c: int) -> None:
                self.pair(b, c)
                with self.lock:
                    done = []
                    for block in (b, c) if c in self.own else (b,):
                        self.left[block] -= 1
                        if self.left[block] == 0:
                            done.append(block)
                for block in done:
                    self.finish(block)

            futures += [pool.submit(pair_then_finish, b, c) for b, c in self.pairs]
            for future in futures:
                future.result()

    def diagonal(self, b: int) -> None:
        if self.screen.usable:
            values = self.screen.block(self.columns[b], self.columns[b])
            np.fill_diagonal(values, -np.inf)
            self.pools[b].start_thresholds(values)
            self.pools[b].add_rows(values, self.columns[b])

    def pair(self, b: int, c: int) -> None:
        values = self.screen.block(self.columns[b], self.columns[c])
        self.pools[b].add_rows(values, self.columns[c])
        if c in self.own:
            self.pools[c].add_columns(values, self.columns[b])

    def finish(self, b: int) -> None:
        """Block ``b``'s neighbours; its pairs' scores kept for the own blocks not finished
        (their rows' candidates are often these rows: the same pairs the other way round)."""
        first, last = self.columns[b]
        with self.lock:
            known = self.known.pop(b, [])
        neighbours, scores, (row, other, score) = self.pools[b].finish(known)
        self.neighbours[first - self.start : last - self.start] = neighbours
        self.scores[first - self.start : last - self.start] = scores
        self.pools[b] = None  # its memory freed
        owner = self.block_of[other]
        with self.lock:
            self.finished.add(b)
            for c in np.unique(owner).tolist():
                if c in self.own and c not in self.finished:
                    mine = owner == c
                    part = (other[mine] - self.columns[c][0], row[mine], score[mine])
                    self.known.setdefault(c, []).append(part)


_LIMITING = threading.Lock()
_LIMITED: list = []  # while any run holds BLAS to one thread: [the limiter, runs holding it]


@contextmanager
def _blas_threads() -> Iterator[int]:
    """BLAS held to one thread meanwhile; yields how many threads it had, the threads to
    run side by side instead (one when another run already holds it: runs called side by
    side, as Dask's threads call them, share one limit, lifted by the last to end).
    Without threadpoolctl: one, BLAS untouched."""
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn requires it
        yield 1
        return
    with _LIMITING:
        if _LIMITED:
            had = 1
            _LIMITED[1] += 1
        else:
            blas = [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]
            had = max([1, *blas])
            _LIMITED[:] = [threadpool_limits(limits=1, user_api="blas"), 1]
    try:
        yield had
    finally:
        with _LIMITING:
            _LIMITED[1] -= 1
            if _LIMITED[1] == 0:
                _LIMITED.pop(1)
                _LIMITED.pop().restore_original_limits()


def _canonical(rows: sparse.csr_matrix) -> sparse.csr_matrix:
    """The rows with sorted, unique column indices (the order of summation depends on it)."""
    if rows.has_canonical_format:
        return rows
    rows = rows.copy()
    rows.sum_duplicates()
    return rows


class _Screen:
    """The float32 copy of the rows (dense frequent terms, sparse rare ones) and the bound
    ``delta`` of each row's screened values."""

    def __init__(self, rows: sparse.csr_matrix, k: int) -> None:
        self.rows, self.k = rows, k
        n, n_terms = rows.shape
        data = rows.data
        lengths = np.diff(rows.indptr)
        # each row's sum of squares (a trailing 0: reduceat of an empty last row stays in
        # bounds; empty rows' values are replaced)
        squares = np.add.reduceat(np.r_[data * data, 0.0], rows.indptr[:-1]) if n else np.zeros(0)
        norms = np.where(lengths > 0, np.sqrt(squares), 0.0)
        largest = float(np.abs(data).max()) if len(data) else 0.0
        m = int(lengths.max(initial=0)) + 4
        self.usable = bool(
            n > 1 and np.isfinite(data).all() and largest <= _MAX_SCREENED and m * _U32 < 0.01
        )
        self.empty = lengths == 0
        self.delta = np.zeros(n)
        if not self.usable:
            return
        gamma = m * _U32 / (1 - m * _U32)
        # the norms themselves are rounded: a generous factor covers them
        self.delta = (
            gamma * norms * float(norms.max(initial=0.0)) + m * _UNDERFLOW * (2 * largest + 1) ** 2
        ) * (1 + 2.0**-10)
        frequency = np.bincount(rows.indices, minlength=n_terms)
        order = np.argsort(-frequency, kind="stable")
        limit = min(n_terms, _DENSE_MAX_VALUES // max(n, 1))
        dense = order[:limit][frequency[order[:limit]] >= max(2, n * _DENSE_DF)]
        mask = np.zeros(n_terms, dtype=bool)
        mask[dense] = True
        common = np.flatnonzero(mask)
        self.common = np.empty((n, len(common)), dtype=np.float32)
        for a in range(0, n, _CONVERTED_ROWS):  # by parts: no float64 copy of it all
            part = rows[a : a + _CONVERTED_ROWS][:, common].astype(np.float32)
            part.toarray(out=self.common[a : a + _CONVERTED_ROWS])
        rare = rows[:, np.flatnonzero(~mask)].astype(np.float32).tocsr()
        self.rare = rare if rare.nnz else None
        self._rare_t: dict[tuple[int, int], sparse.csr_matrix] = {}

    def block(self, these: tuple[int, int], those: tuple[int, int]) -> np.ndarray:
        """The screened values of rows ``these`` against rows ``those`` (float32)."""
        (a, b), (c, d) = these, those
        values = self.common[a:b] @ self.common[c:d].T
        if self.rare is not None:
            key = (c, d)
            if key not in self._rare_t:
                self._rare_t[key] = self.rare[c:d].T.tocsr()
            product = self.rare[a:b] @ self._rare_t[key]
            if product.nnz > values.size // 16:  # most pairs share a rare term: add densely
                values += product.toarray()
            else:
                product = product.tocoo()
                values[product.row, product.col] += product.data
        return values


class _Pool:
    """One block's rows: their candidates (row, column, screened value) and thresholds."""

    def __init__(self, screen: _Screen, first: int, last: int, k: int) -> None:
        self.screen, self.first, self.last, self.k = screen, first, last, k
        size = last - first
        self.delta = screen.delta[first:last]
        self.kth = np.full(size, -np.inf)  # each row's k-th largest kept value
        self.threshold = np.empty(size, dtype=np.float32)
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.held = 0
        self.limit = max(_POOL_PER_ROW * k * size, 4096)
        self.lock = threading.Lock()
        self._raise(np.arange(size))

    def _raise(self, local: np.ndarray) -> None:
        """The thresholds of rows ``local`` from their k-th values: max(2 delta, kth - 2 delta),
        rounded down to float32 (so a comparison in float32 never drops a candidate)."""
        if not self.screen.usable:
            self.threshold[local] = np.inf
            return
        delta = self.delta[local]
        wanted = np.maximum(2 * delta, self.kth[local] - 2 * delta)
        low = wanted.astype(np.float32)
        over = low.astype(float) > wanted
        low[over] = np.nextafter(low[over], np.float32(-np.inf))
        low[self.screen.empty[self.first + local]] = np.inf  # an empty row: scored exactly
        self.threshold[local] = low

    def start_thresholds(self, values: np.ndarray) -> None:
        """The block with itself (diagonal -inf): each row's k-th largest among the first
        columns (a lower bound of its k-th largest) as its start."""
        sample = values[:, : max(_START_COLUMNS, 8 * self.k)]
        if sample.shape[1] - 1 >= self.k:
            self.kth = np.partition(sample, -self.k, axis=1)[:, -self.k].astype(float)
            self._raise(np.arange(self.last - self.first))

    def add_rows(self, values: np.ndarray, other: tuple[int, int]) -> None:
        """Candidates from ``values`` (these rows × rows ``other``) by row."""
        local, column = np.divmod(
            np.flatnonzero(values >= self.threshold[:, None]), values.shape[1]
        )
        self._add(local, column + other[0], values[local, column])

    def add_columns(self, values: np.ndarray, other: tuple[int, int]) -> None:
        """Candidates from ``values`` (rows ``other`` × these rows) by column."""
        row, local = np.divmod(np.flatnonzero(values >= self.threshold[None, :]), values.shape[1])
        self._add(local, row + other[0], values[row, local])

    def _add(self, local: np.ndarray, column: np.ndarray, value: np.ndarray) -> None:
        if len(local):
            with self.lock:
                self.parts.append((local.astype(np.int32), column.astype(np.int32), value))
                self.held += len(local)
                if self.held > self.limit:
                    self._prune()

    def _prune(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Raise each row's threshold to its k-th largest value kept, drop what falls under."""
        if not self.parts:
            empty = np.zeros(0, dtype=np.int32)
            return empty, empty, np.zeros(0, dtype=np.float32)
        local, column, value = (np.concatenate(part) for part in zip(*self.parts, strict=True))
        # one sort of 64-bit keys: the row above, the value's bits below (in an order that
        # sorts as the values do, descending)
        keys = np.sort((local.astype(np.uint64) << np.uint64(32)) | _descending_bits(value))
        rows = (keys >> np.uint64(32)).astype(np.intp)
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        counts = np.diff(np.r_[starts, len(rows)])
        full = starts[counts >= self.k]
        rows, kth = rows[full], _value_of(keys[full + self.k - 1])
        self.kth[rows] = np.maximum(self.kth[rows], kth)
        self._raise(rows)
        keep = value >= self.threshold[local]
        local, column, value = local[keep], column[keep], value[keep]
        self.parts = [(local, column, value)]
        self.held = len(local)
        self.limit = max(self.limit, 2 * self.held)
        return local, column, value

    def finish(
        self, known: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
    ) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """The rows' neighbours and exact scores, once every column has been screened, and
        the pairs scored (row, other row, score). ``known``: pairs (local row, other row,
        score) already scored the other way round (a score is symmetric, bit for bit)."""
        size, k, rows = self.last - self.first, self.k, self.screen.rows
        local, column, _ = self._prune()
        neighbours = np.zeros((size, k), dtype=np.intp)
        scores = np.zeros((size, k), dtype=float)
        strong = self.kth > 4 * self.delta
        if not self.screen.usable:
            strong[:] = False
        strong &= ~self.screen.empty[self.first : self.last]
        chosen = strong[local]
        local, column = local[chosen], column[chosen]
        by_row = np.argsort(local, kind="stable")
        local, column = local[by_row], column[by_row]
        exact = np.zeros(len(local))
        todo = np.ones(len(local), dtype=bool)
        if known and len(local):
            n = rows.shape[0]
            known_local, known_column, known_score = (
                np.concatenate(part) for part in zip(*known, strict=True)
            )
            known_keys = known_local.astype(np.int64) * n + known_column
            by_key = np.argsort(known_keys)
            known_keys, known_score = known_keys[by_key], known_score[by_key]
            keys = local.astype(np.int64) * n + column
            at = np.minimum(np.searchsorted(known_keys, keys), len(known_keys) - 1)
            hit = known_keys[at] == keys
            exact[hit], todo = known_score[at[hit]], ~hit
        exact[todo] = exact_scores(
            rows, local[todo].astype(np.intp) + self.first, column[todo].astype(np.intp)
        )
        scored = (local[todo] + self.first, column[todo], exact[todo])
        order = np.lexsort((column, -exact, local))
        local, column, exact = local[order], column[order], exact[order]
        starts = np.flatnonzero(np.r_[True, local[1:] != local[:-1]]) if len(local) else local
        if len(starts):
            take = (starts[:, None] + np.arange(k)).ravel()
            where = local[starts]
            neighbours[where] = column[take].reshape(-1, k)
            scores[where] = exact[take].reshape(-1, k)
        weak = np.flatnonzero(~strong)
        if len(weak):
            neighbours[weak], scores[weak] = _exact_rows(rows, weak + self.first, k)
        return neighbours, scores, scored


def _descending_bits(value: np.ndarray) -> np.ndarray:
    """float32 values as uint32 (in uint64) whose ascending order is the values' descending
    order."""
    bits = value.astype(np.float32).view(np.uint32)
    ascending = np.where(bits >> 31, ~bits, bits | np.uint32(2**31))
    return (np.uint32(2**32 - 1) - ascending).astype(np.uint64)


def _value_of(keys: np.ndarray) -> np.ndarray:
    """The float32 values (as float64) back from the low halves of :func:`_prune`'s keys."""
    ascending = np.uint32(2**32 - 1) - (keys & np.uint64(2**32 - 1)).astype(np.uint32)
    bits = np.where(ascending >> 31, ascending ^ np.uint32(2**31), ~ascending)
    return bits.astype(np.uint32).view(np.float32).astype(float)


def exact_scores(rows: sparse.csr_matrix, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The dot products of rows ``first[i]`` and ``second[i]`` in float64, summed as a sparse
    product sums them (the shared terms' products in the terms' order, from 0): the same
    value as ``(rows @ rows.T)[first[i], second[i]]``, and as ``[second[i], first[i]]``.

    ``first`` must be sorted (the pairs are taken by runs of it).

    Examples
    --------
    >>> m = sparse.csr_matrix(np.array([[0.6, 0.8, 0.0], [0.0, 0.6, 0.8]]))
    >>> exact_scores(m, np.array([0, 0, 1]), np.array([1, 0, 0])).tolist()
    [0.48, 1.0, 0.48]
    """
    result = np.zeros(len(first), dtype=float)
    if not len(first):
        return result
    n_terms = rows.shape[1]
    ones = np.ones(n_terms)
    # the first rows as a dense float64 block of at most _DENSE_ROWS_VALUES values (it
    # stays in the cache while its pairs are scored), their pairs by batches
    chunk = max(1, _DENSE_ROWS_VALUES // max(n_terms, 1))
    edges = np.searchsorted(first, np.arange(first[0], first[-1] + chunk + 1, chunk))
    for lo, hi in itertools.pairwise(edges):
        if lo == hi:
            continue
        base = first[lo]
        dense = rows[base : first[hi - 1] + 1].toarray().ravel()
        for a in range(lo, hi, _PAIRS_AT_ONCE):
            b = min(hi, a + _PAIRS_AT_ONCE)
            other = rows[second[a:b]]
            at = np.repeat((first[a:b] - base) * n_terms, np.diff(other.indptr))
            at += other.indices
            products = other.data * dense[at]
            summed = sparse.csr_matrix((products, other.indices, other.indptr), shape=other.shape)
            result[a:b] = summed @ ones  # each row's products added in order, from 0
    return result


def _exact_rows(
    rows: sparse.csr_matrix, which: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``which`` against every row, each value as :func:`exact_scores` gives it."""
    n = rows.shape[0]
    neighbours = np.zeros((len(which), k), dtype=np.intp)
    scores = np.zeros((len(which), k), dtype=float)
    terms = np.unique(rows[which].indices)
    transposed = rows[:, terms].T.tocsr()
    step = max(1, _EXACT_BLOCK_VALUES // max(n, 1))
    for a in range(0, len(which), step):
        part = which[a : a + step]
        # sparse product: each value summed over the terms in order, from 0; negated exactly
        mine = rows[part][:, terms]
        mine = sparse.csr_matrix((-mine.data, mine.indices, mine.indptr), shape=mine.shape)
        negated = (mine @ transposed).toarray()
        negated[np.arange(len(part)), part] = np.inf  # not itself
        neighbours[a : a + step], scores[a : a + step] = best_of_all(negated, k)
    return neighbours, scores


def best_of_all(negated: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` largest values, by value descending then column ascending, from
    the values negated (so: the ``k`` smallest of ``negated``, ties by the lower column);
    the values come back un-negated. Selected among all of each row's values
    (``argpartition``), then the ties at the boundary settled.

    Examples
    --------
    >>> best_of_all(-np.array([[0.5, 0.9, 0.5, 0.1]]), 2)[0].tolist()
    [[1, 0]]
    """
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
