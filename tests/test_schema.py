"""Every corpus table follows its schema (column → dtype → missing value), whatever rows it
holds: on the seeds, on a corpus with missing values everywhere, on an empty corpus, and read
back from the on-disk tables cache. Missing text is None in an object column, always."""

from __future__ import annotations

import pandas as pd
import pytest

import lawgovkit as lgk
from lawgovkit._schema import DTYPES, Column, build, check, conform, describe
from lawgovkit.corpus import BOILERPLATE_SCHEMA, REPORTS_SCHEMA, SKIPPED_SCHEMA
from lawgovkit.duplicates import DUPLICATES_SCHEMA
from lawgovkit.structure import ITEMS_SCHEMA, SECTIONS_SCHEMA, STATEMENTS_SCHEMA

SCHEMAS = {
    "reports": REPORTS_SCHEMA,
    "sections": SECTIONS_SCHEMA,
    "items": ITEMS_SCHEMA,
    "problems": STATEMENTS_SCHEMA,
    "plans": STATEMENTS_SCHEMA,
    "skipped": SKIPPED_SCHEMA,
    "boilerplate": BOILERPLATE_SCHEMA,
    "duplicates": DUPLICATES_SCHEMA,
}

# Short real-looking reports whose tables hold missing values of every kind: no title, no
# place, no year, no date; a preamble (no heading, no number); items without issues; a plan
# with no theme; a problem with no category keyword.
SPARSE = [
    "一、工作情况\n做了一些工作。\n二、存在的问题\n一是人手少;二是经费紧张。\n三、下一步打算\n抓好落实。",
    "前言部分没有标题。\n(一)基本情况\n完成任务。",
    "某区2023年度法治政府建设情况报告\n发布日期:2024-01-05\n2023年,我区推进依法行政。\n"
    "一、主要举措\n一是完善制度;三是强化监督。\n二、存在的不足\n法治意识有待进一步加强。",
]


def _assert_schema(corpus) -> None:
    for name, schema in SCHEMAS.items():
        table = getattr(corpus, name)
        assert check(table, schema) == [], name
    assert corpus.reports.index.name == "id" and corpus.reports.index.dtype == object


def _sparse_corpus():
    with pytest.warns(lgk.errors.LawgovkitWarning):
        reports = [lgk.Report.from_text(t, id=f"r{i}") for i, t in enumerate(SPARSE)]
    return lgk.Corpus(reports)


def test_the_seeds_follow_the_schemas(seed_corpus):
    _assert_schema(seed_corpus)


def test_a_corpus_with_missing_values_follows_the_schemas():
    corpus = _sparse_corpus()
    _assert_schema(corpus)
    reports = corpus.reports
    assert reports.loc["r0", "title"] is None and reports.loc["r0", "jurisdiction"] is None
    assert reports.loc["r0", "report_year"] is pd.NA
    assert reports.loc["r0", "publish_date"] is pd.NaT
    assert reports.loc["r2", "publish_date"] == pd.Timestamp("2024-01-05")
    sections = corpus.sections
    preamble = sections[sections["section_id"] == "0"].iloc[0]
    assert preamble["heading"] is None and preamble["parent_id"] is None
    assert preamble["number"] is pd.NA
    assert sections["heading"].map(type).isin([str, type(None)]).all()
    items = corpus.items
    assert items["numbering_issue"].map(type).isin([str, type(None)]).all()
    assert items["numbering_issue"].isna().any() and items["numbering_issue"].notna().any()
    assert None in corpus.plans["category"].tolist()


def test_an_empty_corpus_has_every_column():
    corpus = lgk.Corpus([])
    _assert_schema(corpus)
    for name in SCHEMAS:
        assert len(getattr(corpus, name)) == 0


def test_tables_read_back_from_the_cache_follow_the_schemas(tmp_path, seeds_dir):
    cold = lgk.load_corpus(seeds_dir, cache=tmp_path)
    for name in ("sections", "items", "problems", "plans"):
        getattr(cold, name)
    warm = lgk.load_corpus(seeds_dir, cache=tmp_path)
    _assert_schema(warm)
    for name in SCHEMAS:
        pd.testing.assert_frame_equal(getattr(warm, name), getattr(cold, name))


def test_a_skipped_file_follows_the_schema(tmp_path, seeds_dir):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "a.txt").write_text(SPARSE[2], encoding="utf-8")
    with pytest.warns(lgk.errors.LawgovkitWarning):
        corpus = lgk.load_corpus(tmp_path, errors="warn", cache=False)
    assert corpus.skipped["error"].tolist() == ["EmptyFileError"]
    _assert_schema(corpus)


def test_the_schema_helpers():
    schema = [Column("id", "object"), Column("n", "Int64"), Column("x", "float64")]
    table = build({"id": ["a", float("nan")], "n": [None, 2], "x": [None, 1.5]}, schema)
    assert check(table, schema) == []
    assert table["id"].tolist() == ["a", None]
    wrong = pd.DataFrame({"id": pd.Series(["a", float("nan")], dtype=object), "n": [1, 2]})
    assert check(wrong, schema[:2]) == [
        "id: NaN where None is the missing value",
        "n: dtype int64, not Int64",
    ]
    assert check(conform(wrong, schema[:2]), schema[:2]) == []
    assert set(DTYPES) >= {c.dtype for s in SCHEMAS.values() for c in s}
    assert describe(schema).count("\n") == 2
    with pytest.raises(ValueError, match="dtype"):
        Column("y", "string")


def test_the_readme_table_reference_lists_every_schema():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name, schema in SCHEMAS.items():
        assert describe(schema) in readme, f"README's table reference is out of date: {name}"
