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
    return folder


def test_errors_skip_lists_the_same_files(client, tmp_path):
    folder = _with_bad_files(tmp_path)
    expected = lgk.load_corpus(folder, cache=False, errors="skip")
    got = load_corpus_dask(folder, client=client, partition_size=3, errors="skip").compute()
    assert len(expected.skipped) == 2
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
