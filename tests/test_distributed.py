"""lawgovkit.distributed: the tables built on a Dask cluster (two worker processes started
inside the test run, no outside service) equal load_corpus's; Parquet datasets round-trip;
errors and skipped files behave as in process; TF-IDF and top-k equal the in-process ones."""

from __future__ import annotations

import importlib.util
import shutil
from functools import cache

import numpy as np
import pandas as pd
import pytest

import lawgovkit as lgk
from tests.conftest import ROOT, SEEDS

distributed = pytest.importorskip("dask.distributed")

from lawgovkit.distributed import (  # noqa: E402  (after the skip)
    TABLES,
    TableCorpus,
    load_corpus_dask,
    read_parquet,
    to_parquet,
)

FIXTURES = ROOT / "tests" / "fixtures" / "structure"
STRUCTURE_TABLES = ("sections", "items", "problems", "plans")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as c:
        yield c


@cache
def _bench():
    spec = importlib.util.spec_from_file_location(
        "bench_pipeline", ROOT / "benchmarks" / "bench_pipeline.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """300 generated reports, as the benchmark makes them."""
    folder = tmp_path_factory.mktemp("generated")
    _bench().write_corpus(_bench().generate_corpus(300, seed=7), folder)
    return folder


def assert_same_tables(got, expected) -> None:
    """Every table equal, dtypes included (the documented schema)."""
    pd.testing.assert_frame_equal(got.reports, expected.reports)
    for name in STRUCTURE_TABLES:
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name), obj=name)
    pd.testing.assert_frame_equal(
        got.skipped.reset_index(drop=True), expected.skipped.reset_index(drop=True)
    )


@pytest.mark.parametrize("source", ["seeds", "fixtures"])
def test_dask_tables_equal_load_corpus(client, source):
    folder = SEEDS if source == "seeds" else FIXTURES
    expected = lgk.load_corpus(folder, cache=False, errors="skip")
    got = load_corpus_dask(folder, client=client, partition_size=2, errors="skip").compute()
    assert isinstance(got, TableCorpus)
    assert_same_tables(got, expected)


def test_dask_tables_equal_load_corpus_on_300_generated_reports(client, generated):
    expected = lgk.load_corpus(generated, cache=False, n_jobs=1)
    dask_corpus = load_corpus_dask(generated, client=client, partition_size=64)
    assert dask_corpus.reports.npartitions == 5
    assert_same_tables(dask_corpus.compute(), expected)


def test_parquet_round_trip_from_dask_and_from_memory(client, tmp_path):
    expected = lgk.load_corpus(SEEDS, cache=False)
    from_dask = to_parquet(load_corpus_dask(SEEDS, client=client, partition_size=2), tmp_path / "a")
    from_memory = to_parquet(expected, tmp_path / "b")
    for folder in (from_dask, from_memory):
        assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == sorted(TABLES)
        assert any((folder / "reports").glob("province=*/report_year=*/*.parquet"))
        assert_same_tables(read_parquet(folder), expected)


def test_a_parquet_dataset_reads_back_in_plain_pyarrow(tmp_path):
    import pyarrow.dataset as ds

    folder = to_parquet(lgk.load_corpus(SEEDS, cache=False), tmp_path / "ds")
    table = ds.dataset(folder / "reports", partitioning="hive").to_table().to_pandas()
    assert sorted(table["id"]) == sorted(p.stem for p in SEEDS.glob("*.txt"))


def test_analyses_accept_a_table_corpus(tmp_path):
    corpus = lgk.load_corpus(SEEDS, cache=False)
    tables = read_parquet(to_parquet(corpus, tmp_path / "ds"))
    pd.testing.assert_frame_equal(lgk.theme_coverage(tables), lgk.theme_coverage(corpus))
    pd.testing.assert_frame_equal(lgk.similarity_matrix(tables), lgk.similarity_matrix(corpus))
    pd.testing.assert_frame_equal(lgk.candour(tables), lgk.candour(corpus))
    with pytest.raises(TypeError, match="no Report objects"):
        tables[corpus.ids[0]]


def _with_bad_files(tmp_path):
    folder = tmp_path / "mixed"
    shutil.copytree(SEEDS, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")  # not a report type
    return folder


def test_errors_skip_lists_the_same_files(client, tmp_path):
    folder = _with_bad_files(tmp_path)
    expected = lgk.load_corpus(folder, cache=False, errors="skip")
    got = load_corpus_dask(folder, client=client, partition_size=3, errors="skip").compute()
    assert len(expected.skipped) == 3
    assert_same_tables(got, expected)


def test_errors_raise_raises_the_same_error(client, tmp_path):
    folder = _with_bad_files(tmp_path)
    with pytest.raises(lgk.errors.LawgovkitError) as in_process:
        lgk.load_corpus(folder, cache=False)
    with pytest.raises(type(in_process.value)):
        load_corpus_dask(folder, client=client, partition_size=3).compute()


def test_a_partition_of_bad_files_only_gives_empty_tables(client, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"")
    shutil.copy(SEEDS / "000_83b981cfa8576200.txt", folder / "b.txt")
    got = load_corpus_dask(folder, client=client, partition_size=1, errors="skip").compute()
    assert list(got.reports.index) == ["b"]
    assert list(got.skipped["path"]) == [str(folder / "a.txt")]


def test_bad_arguments_are_named(tmp_path):
    with pytest.raises(lgk.errors.ArgumentError, match="errors="):
        load_corpus_dask(SEEDS, errors="ignore")
    with pytest.raises(lgk.errors.ArgumentError, match="partition_size"):
        load_corpus_dask(SEEDS, partition_size=0)
    with pytest.raises(lgk.errors.ReportNotFoundError):
        load_corpus_dask(tmp_path / "missing")
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    for sub in ("x", "y"):
        shutil.copy(SEEDS / "000_83b981cfa8576200.txt", tmp_path / sub / "same.txt")
    with pytest.raises(lgk.errors.ArgumentError, match="same"):
        load_corpus_dask(tmp_path)
    with pytest.raises(lgk.errors.ArgumentError, match="exists"):
        to_parquet(lgk.load_corpus(SEEDS, cache=False), tmp_path)
    with pytest.raises(lgk.errors.ReportNotFoundError, match="Parquet"):
        read_parquet(tmp_path)


def test_tables_are_sorted_like_load_corpus():
    corpus = lgk.load_corpus(SEEDS, cache=False)
    shuffled = {
        "reports": corpus.reports.reset_index().sample(frac=1, random_state=1),
        **{n: getattr(corpus, n).sample(frac=1, random_state=1) for n in STRUCTURE_TABLES},
        "skipped": corpus.skipped,
    }
    assert_same_tables(TableCorpus(shuffled), corpus)
    assert np.array_equal(TableCorpus(shuffled).ids, corpus.ids)


def _units(n: int, seed: int) -> pd.DataFrame:
    texts = [*_bench().generate_corpus(n, seed=seed), "。", ""]
    return pd.DataFrame({"id": [f"r{i:04d}" for i in range(len(texts))], "text": texts})


@pytest.mark.parametrize("analyzer", ["word", "char"])
def test_tfidf_over_partitions_is_the_in_process_fit_bit_for_bit(client, analyzer):
    from lawgovkit.distributed import tfidf_dask
    from lawgovkit.tfidf import tfidf_matrix

    units = _units(120, seed=3)
    expected = tfidf_matrix(units, analyzer=analyzer)
    got = tfidf_dask(units, client=client, partition_size=25, analyzer=analyzer)
    assert got.ids == expected.ids and got.left_out == expected.left_out == ["r0120", "r0121"]
    assert got.vectorizer.vocabulary_ == expected.vectorizer.vocabulary_
    assert np.array_equal(got.vectorizer.idf_, expected.vectorizer.idf_)
    for part in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(got.matrix, part), getattr(expected.matrix, part)), part
    # the fitted vectorizer transforms new text as the in-process one does
    new = ["行政复议案件办理", "依法行政"]
    assert (got.vectorizer.transform(new) != expected.vectorizer.transform(new)).nnz == 0


def test_top_k_on_the_workers_is_the_in_process_result(client):
    from lawgovkit.distributed import tfidf_dask, top_k_dask
    from lawgovkit.similarity import top_k_similar

    matrix = tfidf_dask(_units(300, seed=5), client=client).matrix
    expected = top_k_similar(matrix, k=7, block_size=32)
    got = top_k_dask(matrix, k=7, client=client, block_size=32)
    # bit for bit: the candidates' scores are exact whatever the split and BLAS's threads
    assert np.array_equal(got[0], expected[0])
    assert got[1].tobytes() == expected[1].tobytes()
    # Dask's default scheduler (threads in this process) likewise, and another block size
    same = top_k_dask(matrix, k=7, block_size=20, tasks=5)
    assert np.array_equal(same[0], expected[0])
    assert same[1].tobytes() == expected[1].tobytes()


def test_top_k_dask_edge_cases():
    from lawgovkit.distributed import top_k_dask

    neighbours, scores = top_k_dask(np.eye(3), k=5, block_size=2)
    assert neighbours.shape == scores.shape == (3, 2)
    assert top_k_dask(np.zeros((1, 4)), k=3)[0].shape == (1, 0)
    with pytest.raises(lgk.errors.ArgumentError, match="k must"):
        top_k_dask(np.eye(3), k=-1)


def test_tfidf_of_a_dask_corpus_is_built_on_the_workers(client, generated):
    from lawgovkit.distributed import tfidf_dask
    from lawgovkit.tfidf import tfidf_matrix
    from lawgovkit.units import text_units

    expected = tfidf_matrix(text_units(lgk.load_corpus(generated, cache=False, n_jobs=1)))
    got = tfidf_dask(load_corpus_dask(generated, client=client, partition_size=64), client=client)
    assert got.ids == expected.ids
    for part in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(got.matrix, part), getattr(expected.matrix, part)), part
