"""A text file's ``raw_text`` stays in the file: load_corpus keeps where to read it again
(:class:`lawgovkit.source_text.SourceText`), not the text, and reading it back is checked."""

from __future__ import annotations

import codecs
import os
import pickle
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lawgovkit as lgk
from lawgovkit.errors import LawgovkitError, LawgovkitWarning, SourceChangedError
from lawgovkit.readers import decode_bytes
from lawgovkit.report import load_report
from lawgovkit.source_text import SourceText
from tests.conftest import SEED_PATHS

PAGE = (
    "<html><head><title>某县2023年度法治政府建设情况报告</title></head><body>"
    "<div class='nav'>首页 > 政务公开</div><h1>某县2023年度法治政府建设情况报告</h1>"
    "<p>2023年,我县推进依法行政。</p><p>一、主要举措</p><p>规范执法。</p></body></html>"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The seeds as read (UTF-8), one again as GBK with CRLF line ends, and a web page."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for seed in SEED_PATHS:
        shutil.copy(seed, folder / seed.name)
    text = SEED_PATHS[0].read_text(encoding="utf-8")
    (folder / "gbk_crlf.txt").write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    return folder


def _load(folder: Path, **kwargs) -> lgk.Corpus:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LawgovkitWarning)
        return lgk.load_corpus(folder, progress=False, duplicates="keep", **kwargs)


@pytest.mark.parametrize("cache", [False, True], ids=["uncached", "cached"])
def test_text_files_raw_text_is_read_again_and_equals_the_text_as_read(folder, tmp_path, cache):
    store = tmp_path / "store" if cache else False
    for _ in range(2 if cache else 1):  # cold, then warm (from the cache's entries)
        corpus = _load(folder, cache=store)
        for report in corpus:
            alone = load_report(report.path)
            assert report.raw_text == alone.raw_text
            assert report == alone
            if report.format == "txt":
                assert report.source is not None and report.source.path == report.path
            else:  # extracted text: held
                assert report.source is None and report.format == "html"
        assert corpus["gbk_crlf"].source.encoding == "gb18030"


def test_reports_sent_or_joined_keep_their_source(folder) -> None:
    sidecar = pd.DataFrame({"id": ["gbk_crlf"], "province": ["山西省"]})
    report = _load(folder, cache=False, metadata=sidecar)["gbk_crlf"]
    assert report.meta["province"] == "山西省"
    assert report.source is not None  # the sidecar's copy did not read the text back
    again = pickle.loads(pickle.dumps(report))
    assert again.source == report.source and again == report
    assert report.replace(id="x").source == report.source
    assert "raw_text" not in repr(report)


def test_a_changed_or_removed_file_raises_naming_it(folder) -> None:
    corpus = _load(folder, cache=False)
    path = folder / "gbk_crlf.txt"
    report = corpus["gbk_crlf"]
    data = path.read_bytes()
    path.write_bytes(data[:-2] + b"\r\n")  # as long, other bytes
    with pytest.raises(SourceChangedError, match=r"gbk_crlf\.txt: the file has changed"):
        _ = report.raw_text
    path.write_bytes(data + b"\r\n")  # longer
    with pytest.raises(SourceChangedError, match=r"gbk_crlf\.txt"):
        _ = report.raw_text
    path.unlink()
    with pytest.raises(SourceChangedError, match=r"gbk_crlf\.txt.*no such file"):
        _ = report.raw_text
    if hasattr(os, "mkfifo"):  # the name now a named pipe: never opened, not the file either
        os.mkfifo(path)
        with pytest.raises(SourceChangedError, match=r"gbk_crlf\.txt: the file has changed"):
            _ = report.raw_text
        path.unlink()
    path.write_bytes(data)  # the very bytes again: readable again
    assert report.raw_text == load_report(path).raw_text
    assert report.text  # the cleaned text is held: never read again


def test_source_only_for_text_that_is_the_bytes_decoded(tmp_path) -> None:
    path = tmp_path / "r.txt"
    data = "\ufeff一、主要举措\r\n规范执法。\r\n".encode("utf-16-le")
    path.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LawgovkitWarning)  # not a report: it does not matter
        report = load_report(path)
    source = SourceText.of(data, path, report.raw_text, report.encoding)
    assert source is not None and source.read() == report.raw_text
    assert SourceText.of(data, path, report.raw_text + "。", report.encoding) is None
    assert SourceText.of(data, path, report.raw_text, None) is None
    assert SourceText.of(data, path, report.raw_text, "ascii") is None  # does not decode


FORMS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8 BOM": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-16 BOM": lambda t: t.encode("utf-16"),
    "utf-16-le": lambda t: t.encode("utf-16-le"),
    "utf-32 BOM": lambda t: t.encode("utf-32"),
    "gb18030": lambda t: t.encode("gb18030"),
    "big5": lambda t: t.encode("big5hkscs", "replace"),
}


@settings(max_examples=60, deadline=None)
@given(
    body=st.text(st.sampled_from("一二三法治政府建設報告依法行政。,\r\n \ufeffAa1"), min_size=1),
    form=st.sampled_from(sorted(FORMS)),
)
def test_bytes_decoded_again_with_the_encoding_found_give_the_same_text(body, form) -> None:
    """What lets load_corpus keep a text file's source unchecked: decode_bytes gives the
    same text when told the encoding it found, whichever way it found it."""
    data = FORMS[form](body + "依法行政报告" * 4)
    try:
        text, used = decode_bytes(data)
    except LawgovkitError:
        return
    assert decode_bytes(data, encoding=used) == (text, used)
