"""The same report loaded twice: found, named, and counted once."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lawgovkit as lgk
from lawgovkit import Report
from lawgovkit import duplicates as duplicates_module
from lawgovkit.duplicates import DUPLICATE_COLUMNS, find_duplicates
from lawgovkit.errors import ArgumentError, LawgovkitWarning
from tests.conftest import SEED_PATHS
from tests.forms import write_html_page

SEED = SEED_PATHS[0]


@pytest.fixture
def three_forms(tmp_path) -> Path:
    """One seed as UTF-8 .txt, as GBK .txt and as a saved .html page, in one folder."""
    text = SEED.read_text(encoding="utf-8")
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "报告.txt").write_text(text, encoding="utf-8")
    legacy = text.translate({0x2002: " ", 0x2003: " ", 0x3000: " ", 0xA0: " "})  # not in GBK
    (folder / "报告_gbk.txt").write_bytes(legacy.encode("gbk"))
    write_html_page(text, folder / "报告.html")
    return folder


def _load(folder: Path, mode: str):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = lgk.load_corpus(folder, duplicates=mode, cache=False)
    messages = [str(w.message) for w in caught if issubclass(w.category, LawgovkitWarning)]
    return corpus, [m for m in messages if "duplicate" in m]


def test_three_forms_of_one_seed_are_one_report_in_every_analysis(three_forms) -> None:
    corpus, messages = _load(three_forms, "flag")
    assert corpus.ids == ["报告.html"]  # the first id of the group stays
    assert len(corpus.reports) == 1 and corpus.reports["duplicate_of"].isna().all()
    assert set(corpus.sections["report_id"]) == set(corpus.problems["report_id"]) == {"报告.html"}
    assert lgk.similarity_matrix(corpus).shape == (1, 1)
    assert list(lgk.theme_coverage(corpus).index) == ["报告.html"]
    assert lgk.shared_passages(corpus).empty
    assert list(lgk.reuse_summary(corpus)["report_id"].unique()) == ["报告.html"]
    # the other two are named, in the warning and in corpus.duplicates
    assert len(messages) == 1
    assert "报告.txt (same report as 报告.html)" in messages[0]
    assert "报告_gbk (same report as 报告.html)" in messages[0]
    table = corpus.duplicates
    assert list(table.columns) == list(DUPLICATE_COLUMNS)
    assert table[["id", "duplicate_of"]].values.tolist() == [
        ["报告.txt", "报告.html"],
        ["报告_gbk", "报告.html"],
    ]
    assert table.loc[0, "similarity"] == 1.0 and 0.9 <= table.loc[1, "similarity"] <= 1.0


def test_keep_mode_keeps_them_with_duplicate_of(three_forms) -> None:
    corpus, messages = _load(three_forms, "keep")
    assert messages == []
    assert corpus.reports["duplicate_of"].to_dict() == {
        "报告.html": None,
        "报告.txt": "报告.html",
        "报告_gbk": "报告.html",
    }
    assert len(corpus.duplicates) == 2


def test_drop_mode_leaves_them_out_silently(three_forms) -> None:
    corpus, messages = _load(three_forms, "drop")
    assert corpus.ids == ["报告.html"] and messages == []
    assert list(corpus.duplicates["id"]) == ["报告.txt", "报告_gbk"]


def test_unknown_mode_is_named(three_forms) -> None:
    with pytest.raises(ArgumentError, match="duplicates='copy' is not one of"):
        lgk.load_corpus(three_forms, duplicates="copy")


def test_distinct_reports_have_no_duplicates(seed_corpus) -> None:
    assert seed_corpus.duplicates.empty
    assert seed_corpus.reports["duplicate_of"].isna().all()


BODY = (
    "一、主要工作\n全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度。"
    "深化行政复议体制改革,全年共受理行政复议案件一百二十件,依法纠错十一件。"
    "建立健全重大行政决策程序,严格落实公众参与专家论证风险评估合法性审查。"
    "二、存在的问题\n一是行政执法人员素质有待提高;二是法治宣传教育针对性不强。"
)


def _report(title: str, rid: str, body: str = BODY) -> Report:
    return Report.from_text(f"{title}\n{body}", id=rid)


def test_punctuation_width_and_line_endings_do_not_matter() -> None:
    a = _report("武汉市江夏区2023年法治政府建设情况报告", "a")
    fullwidth = BODY.replace(",", "，").replace("一百二十", "一百二十").replace("\n", "\r\n")
    b = _report("武汉市江夏区2023年法治政府建设情况报告", "b", fullwidth.replace("。", "．"))
    assert find_duplicates([a, b])[["id", "duplicate_of", "similarity"]].values.tolist() == [
        ["b", "a", 1.0]
    ]


def test_near_identical_with_a_few_characters_changed() -> None:
    text = SEED.read_text(encoding="utf-8")
    a = Report.from_text(text, id="a")
    b = Report.from_text(text.replace("法治", "法制", 2), id="b")
    found = find_duplicates([a, b])
    assert found["id"].tolist() == ["b"] and 0.9 <= found.loc[0, "similarity"] < 1.0
    assert find_duplicates([a, b], threshold=1.0).empty


def test_next_years_copy_is_reuse_not_a_duplicate() -> None:
    # the same text under another year is another report (copied: see lawgovkit.reuse)
    a = _report("武汉市江夏区2022年法治政府建设情况报告", "a")
    b = _report("武汉市江夏区2023年法治政府建设情况报告", "b")
    assert find_duplicates([a, b]).empty
    # another place, same year: also two reports
    c = _report("黄石市阳新县2022年法治政府建设情况报告", "c")
    assert find_duplicates([a, c]).empty


def test_groups_name_their_first_report() -> None:
    reports = [_report("武汉市江夏区2023年法治政府建设情况报告", i) for i in ("c", "a", "b")]
    found = find_duplicates(reports)
    assert found[["id", "duplicate_of"]].values.tolist() == [["b", "a"], ["c", "a"]]


def test_signatures_made_by_several_processes_give_the_same_table(monkeypatch) -> None:
    text = SEED.read_text(encoding="utf-8")
    reports = [
        Report.from_text(text, id="a"),
        Report.from_text(text.replace("法治", "法制", 2), id="b"),
    ]
    reports += [
        _report(f"武汉市江夏区{2000 + i}年法治政府建设情况报告", f"y{i:02d}") for i in range(24)
    ]
    reports += [_report("武汉市江夏区2030年法治政府建设情况报告", f"z{i}") for i in range(3)]
    alone = find_duplicates(reports, n_jobs=1)
    assert alone["id"].tolist() == ["b", "z1", "z2"]
    monkeypatch.setattr(duplicates_module, "_PARALLEL_MIN_REPORTS", 2)
    monkeypatch.setattr(duplicates_module, "_RUN_REPORTS", 3)
    shared_out = []
    original = duplicates_module.surviving_runs
    monkeypatch.setattr(
        duplicates_module,
        "surviving_runs",
        lambda runs, *rest: shared_out.append(len(runs)) or original(runs, *rest),
    )
    shared = find_duplicates(reports, n_jobs=2)
    assert shared_out == [10]  # 29 texts in runs of 3, shared with a worker process
    pd.testing.assert_frame_equal(shared, alone)


@pytest.mark.parametrize("mode", ["flag", "keep", "drop"])
def test_a_warm_load_takes_the_duplicates_from_the_cache(
    three_forms, tmp_path, monkeypatch, mode
) -> None:
    """The duplicates table is kept with the corpus tables: a re-run finds the same copies,
    names the files by the paths given this time, and computes no sketch."""
    import lawgovkit.duplicates as duplicates_module

    store = tmp_path / "cache"

    def load(source):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            corpus = lgk.load_corpus(source, duplicates=mode, cache=store)
        return corpus, [str(w.message) for w in caught if "duplicate" in str(w.message)]

    uncached, uncached_messages = _load(three_forms, mode)
    cold, cold_messages = load(three_forms)

    def no_sketches(*args, **kwargs):
        raise AssertionError("a warm load must take the duplicates from the cache")

    monkeypatch.setattr(duplicates_module, "find_duplicates", no_sketches)
    monkeypatch.chdir(three_forms.parent)  # the same files, named by a relative path
    warm, warm_messages = load(Path(three_forms.name))
    assert cold_messages == warm_messages == uncached_messages
    assert warm.ids == cold.ids == uncached.ids
    pd.testing.assert_frame_equal(cold.duplicates, uncached.duplicates, check_exact=True)
    paths = [str(Path(three_forms.name) / Path(p).name) for p in uncached.duplicates["path"]]
    relative = uncached.duplicates.assign(path=pd.Series(paths, dtype=object))
    pd.testing.assert_frame_equal(warm.duplicates, relative, check_exact=True)
    reports = warm.reports.drop(columns="path")
    pd.testing.assert_frame_equal(reports, uncached.reports.drop(columns="path"))


def test_a_stored_duplicates_table_naming_unknown_reports_is_a_miss(three_forms, tmp_path):
    import gzip
    import hashlib
    import json

    store = tmp_path / "cache"
    want = lgk.load_corpus(three_forms, duplicates="keep", cache=store).duplicates
    (path,) = (store / "tables").rglob("*-duplicates.json.gz")
    record = json.loads(gzip.decompress(path.read_bytes()).partition(b"\n")[2])
    record["columns"][1][2] = ["报告.html", "no such report"]  # duplicate_of
    payload = json.dumps(record, ensure_ascii=False).encode()
    digest = hashlib.blake2b(payload, digest_size=16).hexdigest().encode()
    path.write_bytes(gzip.compress(digest + b"\n" + payload))  # as a faulty writer would
    got = lgk.load_corpus(three_forms, duplicates="keep", cache=store).duplicates
    pd.testing.assert_frame_equal(got, want, check_exact=True)


@settings(max_examples=200, deadline=None)
@given(
    identities=st.lists(
        st.tuples(st.sampled_from([None, "甲区", "乙区"]), st.sampled_from([None, 2022, 2023])),
        max_size=12,
    )
)
def test_a_band_gives_every_pair_without_a_conflict_once(identities):
    members = list(range(len(identities)))
    expected = {
        (i, j)
        for i in members
        for j in members[i + 1 :]
        if not duplicates_module._conflict(identities[i], identities[j])
    }
    found = list(duplicates_module._compatible_pairs(members, identities))
    assert len(found) == len(set(found)) and set(found) == expected
