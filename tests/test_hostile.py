"""Hostile input never hangs, crashes or exhausts memory (issue 22).

Every hostile file of :data:`tests.hostile.HOSTILE` (a named pipe, a socket, symlinks to
``/dev/zero`` and ``/dev/urandom``, a file past the size limit, .docx zip bombs and lying
archives, XML nested 100,000 deep, PDFs drawing 1.5 million glyphs or inflating to 100 MB,
an encrypted PDF, HTML nested 100,000 deep) is read in a forked child under an
address-space limit and a timeout (:func:`tests.bounded.run_bounded`): it must end in
seconds with a named error (or, for deep HTML, the text), never a hang, a raw exception or
``MemoryError``. A folder mixing them all with the seeds loads the seeds exactly as a folder
of the seeds alone does, and lists every other file with its reason.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import pandas as pd
import pytest

import lawgovkit as lgk
from lawgovkit._limits import _string_bytes, max_file_bytes
from lawgovkit.errors import (
    ArgumentError,
    EncodingError,
    LimitExceededError,
    ReportNotFoundError,
)
from lawgovkit.readers import decode_bytes, read_document
from tests.bounded import run_bounded
from tests.hostile import HOSTILE, raw_pdf

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="pipes, devices and fork: Linux only"
)


def _read(path: Path):
    """What reading one file gives: the start of its text."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lgk.load_report(path).text[:40]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused_by_name_within_bounds(tmp_path, name) -> None:
    build, error, phrase = HOSTILE[name]
    path = build(tmp_path)
    outcome = run_bounded(_read, path, timeout=60)
    if error is None:
        assert outcome == "2023年,我区推进依法行政。\n"
        return
    assert outcome[0] == "raised", outcome
    assert outcome[1] == error
    assert str(path) in outcome[2] and phrase in outcome[2], outcome[2]


def _load_mixed(folder: Path, cache: str | bool, n_jobs: int):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = lgk.load_corpus(
            folder, errors="skip", cache=cache, n_jobs=n_jobs, duplicates="keep"
        )  # copies kept: this test is about hostile files
    tables = {name: getattr(corpus, name) for name in ("sections", "problems", "plans")}
    return corpus.reports.drop(columns=["path"]), tables, corpus.skipped


@pytest.fixture(scope="module")
def seeds_alone(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seeds")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    return _load_mixed(folder, False, 1)


@pytest.mark.parametrize(("cache", "n_jobs"), [(False, 1), (True, 1), (True, 2)])
def test_hostile_mixed_folder_loads_the_good_reports_exactly(
    tmp_path, seeds_alone, cache, n_jobs
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    built = {name: build(folder) for name, (build, _, _) in HOSTILE.items()}
    loads = {path.stem for name, path in built.items() if HOSTILE[name][1] is None}
    cache_dir = str(tmp_path / "cache") if cache else False
    good_reports, good_tables, _ = seeds_alone
    for _ in range(2 if cache else 1):  # the second run reads the cache
        reports, tables, skipped = run_bounded(_load_mixed, folder, cache_dir, n_jobs, timeout=120)
        assert set(reports.index) == set(good_reports.index) | loads
        pd.testing.assert_frame_equal(reports.loc[good_reports.index], good_reports)
        for name, table in good_tables.items():
            got = tables[name][tables[name]["report_id"].isin(good_reports.index)]
            # values exactly; a column's dtype may follow the other reports (all-None column)
            pd.testing.assert_frame_equal(
                got.reset_index(drop=True), table, obj=name, check_dtype=False
            )
        listed = {Path(path).name: (error, message) for path, error, message in skipped.values}
        refused = {name: v for name, v in HOSTILE.items() if v[1] is not None}
        assert sorted(listed) == sorted(built[name].name for name in refused)
        for name, (_, error, phrase) in refused.items():
            assert listed[built[name].name][0] == error, name
            assert phrase in listed[built[name].name][1], name


def test_hostile_size_limit_is_configurable(tmp_path, monkeypatch) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(SEEDS.joinpath("000_83b981cfa8576200.txt").read_bytes())
    size = path.stat().st_size
    with pytest.raises(LimitExceededError, match="larger than the size limit"):
        read_document(path, max_file_mb=size / 2 / 2**20)
    assert read_document(path, max_file_mb=size / 2**20).text
    monkeypatch.setenv("LAWGOVKIT_MAX_FILE_MB", str(size / 2 / 2**20))
    with pytest.raises(LimitExceededError, match=r"r\.txt: the file is"):
        lgk.load_report(path)
    small = tmp_path / "small.txt"
    small.write_text(
        "某县2023年度法治政府建设情况报告\n一、主要举措\n依法行政。\n", encoding="utf-8"
    )
    corpus = lgk.load_corpus([path, small], errors="skip")
    assert corpus.ids == ["small"]
    assert corpus.skipped["error"].tolist() == ["LimitExceededError"]
    monkeypatch.setenv("LAWGOVKIT_MAX_FILE_MB", "lots")
    with pytest.raises(ArgumentError, match="LAWGOVKIT_MAX_FILE_MB"):
        max_file_bytes()
    with pytest.raises(ArgumentError, match="max_file_mb"):
        max_file_bytes(-1)


def test_hostile_pdf_page_count_is_bounded(tmp_path) -> None:
    path = tmp_path / "pages.pdf"
    pdf = raw_pdf(b"BT /F1 12 Tf 72 700 Td (Rule of law) Tj ET", pages=2)
    path.write_bytes(pdf.replace(b"/Count 2", b"/Count 99999999"))
    with pytest.raises(LimitExceededError, match="pages"):
        read_document(path)


def test_hostile_pdf_of_real_size_still_reads(tmp_path) -> None:
    path = tmp_path / "ok.pdf"
    path.write_bytes(raw_pdf(b"BT /F1 12 Tf 72 700 Td (Rule of law report) Tj ET", pages=3))
    assert read_document(path).text.count("Rule of law report") == 3


def test_hostile_string_bytes_counts_literal_and_hex_strings() -> None:
    assert _string_bytes(b"BT (abc) Tj <0041 0042> Tj (a\\)b) Tj ET") == 3 + 4 + 4
    assert _string_bytes(b"<< /Type /Page >> 1 0 0 1 0 0 cm") == 0
    assert _string_bytes(b"(" * 100_000) == 0  # unbalanced: linear, nothing shown


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    ["一丁七万丈三上下不与丐丑专且世丘丙业丛东两严", "依法行政水平不断提升法治政府建设取得成效"],
    ids=["with-nul-bytes", "without-nul-bytes"],
)
def test_hostile_utf16_without_bom_of_only_chinese_is_read(text, encoding) -> None:
    assert decode_bytes(text.encode(encoding)) == (text, encoding)


def test_hostile_wrong_type_of_encoding_is_an_argument_error(tmp_path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("二、存在的问题", encoding="utf-8")
    with pytest.raises(ArgumentError, match="encoding=5"):
        read_document(path, encoding=5)
    with pytest.raises(EncodingError, match="unknown encoding"):
        read_document(path, encoding="no-such-codec")


def _load_as_nobody(folder: Path):
    """In a forked child: drop root's privileges, then load with errors skip and raise."""
    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
    corpus = lgk.load_corpus(folder, errors="skip", cache=False)
    try:
        lgk.load_corpus(folder, cache=False)
    except ReportNotFoundError as error:
        raised = str(error)
    else:
        raised = None
    return corpus.ids, corpus.skipped, raised


def test_hostile_unreadable_subfolder_is_listed_and_raises(seed_corpus) -> None:
    """As a non-root user (root reads every folder): a forked child drops its privileges
    (the modules it needs are loaded before, by ``seed_corpus``)."""
    folder = Path(tempfile.mkdtemp(prefix="lawgovkit-unreadable-"))
    try:
        folder.chmod(0o755)
        (folder / "locked").mkdir()
        shutil.copy(SEEDS / "000_83b981cfa8576200.txt", folder / "a.txt")
        shutil.copy(SEEDS / "001_2d79ba7f75ecd2c2.txt", folder / "locked" / "b.txt")
        (folder / "a.txt").chmod(0o644)
        (folder / "locked").chmod(0o000)
        ids, skipped, raised = run_bounded(_load_as_nobody, folder, timeout=60)
    finally:
        (folder / "locked").chmod(0o755)
        shutil.rmtree(folder)
    assert ids == ["a"]
    assert [Path(p).name for p in skipped["path"]] == ["locked"]
    assert skipped["error"].tolist() == ["ReportNotFoundError"]
    assert "folder that cannot be read (Permission denied)" in skipped["message"][0]
    assert raised is not None and "locked" in raised and "Permission denied" in raised


def test_hostile_several_folders_and_repeated_paths_are_read_once(tmp_path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    shutil.copy(SEEDS / "000_83b981cfa8576200.txt", first / "x.txt")
    shutil.copy(SEEDS / "001_2d79ba7f75ecd2c2.txt", second / "y.txt")
    corpus = lgk.load_corpus([first, second, first, first / "x.txt"])
    assert corpus.ids == ["x", "y"]
    assert pd.Series(corpus.reports["path"]).str.endswith(("x.txt", "y.txt")).all()
