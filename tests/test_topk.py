"""The exact top-k kernel (lawgovkit._topk): float32 screening within a proven bound, then
float64 scores of the candidates. Checked against a brute-force dense reference on small
random matrices (ties, empty rows, duplicate rows, rare terms only, negative values, k ≥ N),
against the kernel it replaced on real-looking TF-IDF matrices, and for the properties the
Dask path relies on (any split of the rows, any block size: the same bits)."""

from __future__ import annotations

import importlib.util
import itertools
from functools import cache

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from lawgovkit import _topk
from lawgovkit.similarity import text_units, tfidf_matrix, top_k_similar
from tests.conftest import DEV_CORPUS, ROOT


@cache
def _benchmark(name: str):
    """The script benchmarks/<name>.py as a module (bench_topk's ``old_top_k`` is the
    kernel before issue 20)."""
    path = ROOT / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _reference(values: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Brute force: scipy's sparse product (each value summed over the shared terms in
    order), every row sorted by (-similarity, column), itself left out."""
    matrix = sparse.csr_matrix(values)
    product = (matrix @ matrix.T).toarray()
    k = min(k, len(values) - 1)
    neighbours = [
        sorted((j for j in range(len(values)) if j != row), key=lambda j: (-product[row, j], j))[:k]
        for row in range(len(values))
    ]
    neighbours = np.array(neighbours, dtype=np.intp).reshape(len(values), k)
    return neighbours, np.take_along_axis(product, neighbours, axis=1)


def _normalised(values: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(values, axis=1, keepdims=True)
    return values / np.where(norms > 0, norms, 1)


def _random(seed: int, n: int = 40, terms: int = 30, density: float = 0.3) -> np.ndarray:
    """Rows of random weights, some of the awkward kinds mixed in."""
    rng = np.random.default_rng(seed)
    values = rng.random((n, terms)) * (rng.random((n, terms)) < density)
    values[:, 0] = rng.random(n)  # a term every row has: the dense path
    values[3] = values[17]  # duplicate rows: equal scores, the lower row first
    values[25] = values[17]
    values[5] = 0.0  # an empty row: every score 0, its neighbours the first rows
    values[:, -1] = 0.0
    values[8] = 0.0
    values[8, -1] = 1.0  # a row of a term no other row has: every score 0 too
    values[11] = np.round(values[11], 1)  # round weights: more exact ties
    values[12] = values[11] * 2  # the same direction, another length
    return _normalised(values)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("k", [1, 4, 39, 60])
def test_equals_the_brute_force_reference(seed, k):
    values = _random(seed)
    expected_neighbours, expected_scores = _reference(values, k)
    for block_size in (None, 1, 7, 16, 64):
        neighbours, scores = top_k_similar(sparse.csr_matrix(values), k, block_size=block_size)
        assert neighbours.tolist() == expected_neighbours.tolist(), block_size
        # the very values of the sparse product, bit for bit
        assert scores.tobytes() == expected_scores.tobytes(), block_size
    if k < len(values) - 1:
        # the duplicate rows tie: the lower row number first (unless both are beyond k)
        row = 0
        listed = [j for j in neighbours[row] if j in (3, 17, 25)]
        assert listed == sorted(listed)


def test_an_empty_row_has_the_first_rows_as_neighbours_at_zero():
    values = _random(1)
    neighbours, scores = top_k_similar(values, k=4)
    assert neighbours[5].tolist() == [0, 1, 2, 3]
    assert scores[5].tolist() == [0.0, 0.0, 0.0, 0.0]
    assert not np.signbit(scores[5]).any()  # 0.0, never -0.0


@pytest.mark.parametrize("density", [0.02, 0.1, 0.5, 1.0])
def test_sparse_dense_and_negative_matrices(density):
    rng = np.random.default_rng(7)
    values = rng.random((50, 80)) * (rng.random((50, 80)) < density)
    signed = values * np.where(rng.random(values.shape) < 0.3, -1, 1)
    for matrix in (_normalised(values), _normalised(signed), values * 3.0):
        neighbours, scores = top_k_similar(matrix, k=5, block_size=8)
        expected_neighbours, expected_scores = _reference(matrix, 5)
        assert neighbours.tolist() == expected_neighbours.tolist()
        np.testing.assert_array_equal(scores, expected_scores)


def test_values_too_large_for_float32_are_scored_exactly():
    values = _random(2) * 1e30  # products would overflow float32: no screening
    neighbours, scores = top_k_similar(values, k=3)
    expected_neighbours, expected_scores = _reference(values, 3)
    assert neighbours.tolist() == expected_neighbours.tolist()
    np.testing.assert_array_equal(scores, expected_scores)


@pytest.mark.parametrize(("n", "k", "shape"), [(0, 3, (0, 0)), (1, 3, (1, 0)), (2, 5, (2, 1))])
def test_fewer_rows_than_k(n, k, shape):
    neighbours, scores = top_k_similar(_random(0)[:n], k=k)
    assert neighbours.shape == scores.shape == shape


def test_any_split_of_the_rows_and_any_block_size_gives_the_same_bits():
    values = sparse.csr_matrix(_random(3, n=90, terms=40))
    whole = _topk.top_k_rows(values, 6, 16, 0, 90)
    for block_size, cuts in ((16, (0, 16, 48, 90)), (5, (0, 37, 38, 90)), (200, (0, 61, 90))):
        parts = [_topk.top_k_rows(values, 6, block_size, a, b) for a, b in itertools.pairwise(cuts)]
        assert np.array_equal(np.vstack([p[0] for p in parts]), whole[0])
        assert np.vstack([p[1] for p in parts]).tobytes() == whole[1].tobytes()


def test_threads_side_by_side_give_the_one_thread_result():
    values = _topk._canonical(sparse.csr_matrix(_random(4, n=120, terms=50)))
    blocks = [(a, min(a + 16, 120)) for a in range(0, 120, 16)]
    results = []
    for threads in (1, 2, 3):
        run = _topk._Run(_topk._Screen(values, 5), blocks, range(len(blocks)))
        run.compute(threads)
        results.append((run.neighbours, run.scores))
    for neighbours, scores in results[1:]:
        assert np.array_equal(neighbours, results[0][0])
        assert scores.tobytes() == results[0][1].tobytes()


def test_blas_threads_are_given_back():
    threadpoolctl = pytest.importorskip("threadpoolctl")

    def blas() -> list[int]:
        return [
            i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"
        ]

    before = blas()
    with _topk._blas_threads() as threads:
        assert threads == max([1, *before])
        assert set(blas()) <= {1}
        with _topk._blas_threads() as inner:
            assert inner == 1  # another run holds the limit: no threads of its own
        assert set(blas()) <= {1}
    assert blas() == before


def test_screened_values_stay_within_the_bound():
    """|s~ - s| <= delta_i for every pair, where the bound is tightest: many terms."""
    rng = np.random.default_rng(5)
    values = _normalised(rng.random((64, 3000)) * (rng.random((64, 3000)) < 0.5))
    matrix = sparse.csr_matrix(values)
    screen = _topk._Screen(matrix, 3)
    assert screen.usable and screen.common.shape[1] > 0
    screened = screen.block((0, 64), (0, 64)).astype(float)
    exact = (matrix @ matrix.T).toarray()
    assert (np.abs(screened - exact) <= screen.delta[:, None]).all()
    assert np.abs(screened - exact).max() > 0  # float32 did round: the bound is not idle


def test_the_screen_does_the_work_and_the_exact_path_only_the_weak_rows(monkeypatch):
    values = _random(6, n=60)
    scored_exactly = []
    whole_rows = _topk._exact_rows

    def watched(rows, which, k):
        scored_exactly.extend(which.tolist())
        return whole_rows(rows, which, k)

    monkeypatch.setattr(_topk, "_exact_rows", watched)
    neighbours, _ = top_k_similar(values, k=3, block_size=16)
    assert sorted(scored_exactly) == [5, 8]  # the empty row, the row sharing no term
    assert neighbours.tolist() == _reference(values, 3)[0].tolist()


def test_exact_scores_are_the_sparse_product_bit_for_bit():
    matrix = sparse.csr_matrix(_random(8, n=30, terms=25))
    first, second = np.meshgrid(np.arange(30), np.arange(30), indexing="ij")
    scores = _topk.exact_scores(matrix, first.ravel(), second.ravel())
    assert scores.tobytes() == (matrix @ matrix.T).toarray().ravel().tobytes()


def test_unsorted_column_indices_give_the_sorted_result():
    values = sparse.csr_matrix(_random(9))
    shuffled = values.copy()
    rng = np.random.default_rng(0)
    for row in range(shuffled.shape[0]):
        a, b = shuffled.indptr[row], shuffled.indptr[row + 1]
        order = rng.permutation(b - a) + a
        shuffled.indices[a:b], shuffled.data[a:b] = shuffled.indices[order], shuffled.data[order]
    shuffled.has_sorted_indices = False
    got = top_k_similar(shuffled, k=4)
    expected = top_k_similar(values, k=4)
    assert np.array_equal(got[0], expected[0]) and got[1].tobytes() == expected[1].tobytes()
    assert shuffled.indices[: shuffled.indptr[1]].tolist() != sorted(
        shuffled.indices[: shuffled.indptr[1]].tolist()
    )  # the caller's matrix is left as it was


@pytest.mark.parametrize("analyzer", ["word", "char"])
def test_a_fitted_matrix_is_read_as_it_is(seed_corpus, analyzer):
    """tfidf_matrix stores each row's terms in column order, so top-k reads the matrix
    itself: no sorted copy of it (600 MB at 100,000 reports)."""
    matrix = tfidf_matrix(text_units(seed_corpus, "section"), analyzer).matrix
    assert _topk._canonical(matrix) is matrix


def _old_and_new(fitted, k: int) -> None:
    old = _benchmark("bench_topk").old_top_k(fitted.matrix, k)
    new = top_k_similar(fitted.matrix, k=k)
    assert np.array_equal(new[0], old[0])
    np.testing.assert_allclose(new[1], old[1], rtol=0, atol=1e-12)


@pytest.mark.parametrize(("unit", "analyzer"), [("report", "word"), ("section", "char")])
def test_the_seeds_get_the_neighbours_of_the_kernel_before(seed_corpus, unit, analyzer):
    fitted = tfidf_matrix(text_units(seed_corpus, unit), analyzer)
    _old_and_new(fitted, k=3)


def test_generated_reports_get_the_neighbours_of_the_kernel_before():
    texts = _benchmark("bench_pipeline").generate_corpus(400, seed=11)
    units = pd.DataFrame({"id": [f"r{i:04d}" for i in range(len(texts))], "text": texts})
    _old_and_new(tfidf_matrix(units), k=10)


def test_a_pair_is_scored_once_when_both_rows_want_it(monkeypatch):
    """A block finished later takes the scores of its pairs with rows finished before from
    them (scores are symmetric bit for bit) instead of scoring them again."""
    values = _random(10, n=90, terms=40)
    reused, scored = [], []
    finishing, scoring = _topk._Pool.finish, _topk.exact_scores

    def finish(pool, known):
        reused.append(sum(len(part[0]) for part in known))
        return finishing(pool, known)

    def exact(rows, first, second):
        scored.append(len(first))
        return scoring(rows, first, second)

    monkeypatch.setattr(_topk._Pool, "finish", finish)
    monkeypatch.setattr(_topk, "exact_scores", exact)
    neighbours, scores = top_k_similar(values, k=5, block_size=16)
    assert reused[0] == 0 and sum(reused) > 0
    assert sum(scored) < 90 * 5  # fewer than one scoring per (row, neighbour)
    expected = _reference(values, 5)
    assert neighbours.tolist() == expected[0].tolist()
    assert scores.tobytes() == expected[1].tobytes()


@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="no development corpus here")
def test_real_reports_get_the_neighbours_of_the_kernel_before():
    """The development corpus's reports, split in paragraphs (a sample of 3,000): real
    TF-IDF rows, many rare terms, near-duplicate boilerplate."""
    paragraphs = []
    for path in sorted(DEV_CORPUS.glob("*.txt"))[::4]:
        text = path.read_text(encoding="utf-8", errors="replace")
        paragraphs += [line for line in text.splitlines() if len(line) > 30]
    paragraphs = paragraphs[:3000]
    units = pd.DataFrame({"id": [f"p{i}" for i in range(len(paragraphs))], "text": paragraphs})
    _old_and_new(tfidf_matrix(units), k=10)


def test_the_benchmark_script_runs(tmp_path):
    """benchmarks/bench_topk.py at a small size, as a user starts it (timings unchecked)."""
    import json
    import subprocess
    import sys

    script = str(ROOT / "benchmarks" / "bench_topk.py")
    saved = tmp_path / "m.npz"

    def run(*arguments: str) -> dict:
        done = subprocess.run(
            [sys.executable, script, *arguments],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert run("build", "--reports", "80", "--out", str(saved))["rows"] == 80
    compared = run("compare", str(saved), "--rounds", "1")
    assert compared["same_neighbours"] and compared["max_score_difference"] < 1e-12
    checked = run("run", "--matrix", str(saved), "--check-rows", "30")
    assert checked["same_neighbours"] and checked["checked_rows"] == 30
