"""Tests for lawgovkit.metadata and lawgovkit.places: the columns of corpus.reports."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lawgovkit as lgk
from lawgovkit.clean import clean
from lawgovkit.metadata import METADATA_COLUMNS, extract_metadata
from lawgovkit.places import find_places, resolve
from tests.conftest import SEEDS

PAGEHEADS = Path(__file__).resolve().parent / "fixtures" / "pageheads"
FIELDS = (
    "jurisdiction",
    "province",
    "city",
    "adcode",
    "level",
    "body",
    "report_year",
    "plan_year",
    "publish_date",
    "source",
    "title",
)

# The acceptance table of issue 3.
SEED_TABLE = {
    "000_83b981cfa8576200": (
        "江夏区",
        "湖北省",
        "武汉市",
        "420115",
        "district",
        "government",
        2022,
        2023,
        "2023-03-15",
        None,
        "江夏区2022年度法治政府建设工作报告",
    ),
    "001_2d79ba7f75ecd2c2": (
        "东昌府区",
        "山东省",
        "聊城市",
        "371502",
        "district",
        "government",
        2023,
        2024,
        None,
        None,
        "东昌府区2023年度法治政府建设情况报告",
    ),
    "002_7fc3ecd362da4398": (
        "武汉市",
        "湖北省",
        "武汉市",
        "420100",
        "city",
        "justice_bureau",
        2024,
        2025,
        "2025-03-27",
        "法治调研处",
        "市司法局关于2024年度法治政府建设情况的报告",
    ),
    "003_c1ce23b88eafd010": (
        "新晃侗族自治县",
        "湖南省",
        "怀化市",
        "431227",
        "county",
        "justice_bureau",
        2021,
        2022,
        "2022-03-01",
        "县司法局",
        "关于法治建设工作情况的汇报和2022年工作计划",
    ),
    "004_4d4e89313a1e219a": (
        "綦江区",
        "重庆市",
        None,
        "500110",
        "district",
        "justice_bureau",
        2022,
        2023,
        None,
        None,
        None,
    ),
}

# Real-looking page heads beyond the seeds (tests/fixtures/pageheads).
PAGEHEAD_TABLE = {
    "安福寺镇 2020 乡镇报告": (
        "安福寺镇",
        "湖北省",
        "宜昌市",
        None,
        "township",
        "government",
        2020,
        2021,
        "2021-03-29",
        "安福寺镇人民政府",
        "枝江市安福寺镇2020年度法治政府建设情况报告",
    ),
    "夷陵区应急管理局 两行标题": (
        "夷陵区",
        "湖北省",
        "宜昌市",
        "420506",
        "district",
        "department",
        2022,
        2023,
        "2023-03-01",
        "区应急管理局",
        "宜昌市夷陵区应急管理局关于2022年度法治政府建设情况的报告",
    ),
    "龍勝 繁體 縣級": (
        "龙胜各族自治县",
        "广西壮族自治区",
        "桂林市",
        "450328",
        "county",
        "government",
        2022,
        2023,
        "2023-03-20",
        "县司法局",
        "龙胜各族自治县2022年度法治政府建设情况报告",
    ),
    "宜昌市 依法治市办": (
        "宜昌市",
        "湖北省",
        "宜昌市",
        "420500",
        "city",
        "party_committee",
        2023,
        2024,
        "2024-02-28",
        "市委依法治市办",
        "中共宜昌市委全面依法治市委员会办公室关于2023年度法治建设工作情况的报告",
    ),
    "区教育局 地名在正文": (
        "朝阳区",
        "北京市",
        None,
        "110105",
        "district",
        "department",
        2022,
        2023,
        "2023-03-10",
        None,
        "区教育局2022年度法治政府建设工作报告",
    ),
    "朝阳区 同名无上下文": (
        "朝阳区",
        None,
        None,
        None,
        "district",
        "government",
        2022,
        2023,
        None,
        None,
        "朝阳区2022年度法治政府建设情况报告",
    ),
    "湖南省 省级 网页": (
        "湖南省",
        "湖南省",
        None,
        "430000",
        "province",
        "government",
        2016,
        2017,
        "2017-02-28",
        "省政府办公厅",
        "湖南省人民政府关于2016年法治政府建设情况的报告",
    ),
}


def _expected(values: tuple) -> dict:
    expected = dict(zip(FIELDS, values, strict=True))
    if expected["publish_date"] is not None:
        expected["publish_date"] = pd.Timestamp(expected["publish_date"])
    return expected


def _got(meta: dict) -> dict:
    return {field: meta[field] for field in FIELDS}


def _load(path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # none of these may look like a non-report
        return lgk.load_report(path)


@pytest.mark.parametrize("report_id", sorted(SEED_TABLE))
def test_seed_metadata(report_id: str) -> None:
    report = _load(SEEDS / f"{report_id}.txt")
    assert _got(report.meta) == _expected(SEED_TABLE[report_id])


def test_seed_corpus_table_is_exactly_the_acceptance_table(seed_corpus) -> None:
    table = seed_corpus.reports
    assert list(table.columns[: len(METADATA_COLUMNS)]) == list(METADATA_COLUMNS)
    for report_id, values in SEED_TABLE.items():
        row = table.loc[report_id]
        for field, value in _expected(values).items():
            if value is None:
                assert pd.isna(row[field]), (report_id, field)
            else:
                assert row[field] == value, (report_id, field)


@pytest.mark.parametrize("name", sorted(PAGEHEAD_TABLE))
def test_pagehead_metadata(name: str) -> None:
    (path,) = PAGEHEADS.glob(f"{name}.*")
    report = _load(path)
    assert _got(report.meta) == _expected(PAGEHEAD_TABLE[name])


def test_pagehead_province_page_as_gbk(tmp_path) -> None:
    source = (PAGEHEADS / "湖南省 省级 网页.html").read_text(encoding="utf-8")
    path = tmp_path / "province.html"
    path.write_bytes(source.replace('charset="utf-8"', 'charset="gbk"').encode("gbk"))
    report = _load(path)
    assert report.encoding == "gb18030"
    assert _got(report.meta) == _expected(PAGEHEAD_TABLE["湖南省 省级 网页"])


def test_pagehead_traditional_script_recorded() -> None:
    report = _load(PAGEHEADS / "龍勝 繁體 縣級.txt")
    assert report.script == "traditional"
    assert "建設" not in report.text


def test_pagehead_written_date_is_not_the_publish_date() -> None:
    report = _load(PAGEHEADS / "夷陵区应急管理局 两行标题.txt")
    assert report.meta["publish_date"] == pd.Timestamp("2023-03-01")  # not 成文日期 02-20
    kinds = {b.kind for b in report.boilerplate}
    assert {"index_block", "publish_info", "qr_code"} <= kinds


def test_pagehead_site_header_date_is_not_the_publish_date() -> None:
    report = _load(PAGEHEADS / "安福寺镇 2020 乡镇报告.txt")
    assert report.meta["publish_date"] == pd.Timestamp("2021-03-29")  # not 今天是2024年3月1日
    assert [b.kind for b in report.boilerplate][:2] == ["site_header", "breadcrumb"]


# --- provenance --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("report_id", "expected"),
    [
        (
            "000_83b981cfa8576200",
            {"jurisdiction": "title", "report_year": "title", "plan_year": "derived"},
        ),
        ("002_7fc3ecd362da4398", {"jurisdiction": "body", "plan_year": "body", "body": "title"}),
        (
            "003_c1ce23b88eafd010",
            {"report_year": "body", "plan_year": "title", "body": "boilerplate"},
        ),
        ("004_4d4e89313a1e219a", {"jurisdiction": "body", "adcode": "cpca", "body": "body"}),
    ],
)
def test_seed_provenance(report_id: str, expected: dict) -> None:
    provenance = _load(SEEDS / f"{report_id}.txt").provenance
    assert {k: provenance[k] for k in expected} == expected


def test_provenance_only_for_stated_fields() -> None:
    report = _load(SEEDS / "004_4d4e89313a1e219a.txt")
    assert "title" not in report.provenance
    assert "city" not in report.provenance
    assert "publish_date" not in report.provenance


# --- small texts: each rule -------------------------------------------------------------------


def _meta(text: str, chrome: str = "") -> dict:
    result = clean(chrome + text)
    meta, _ = extract_metadata(result.text, result.boilerplate)
    return meta


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        (
            "武汉市江夏区人民政府\n关于2022年度法治政府建设情况的报告\n正文。",
            "title",
            "武汉市江夏区人民政府关于2022年度法治政府建设情况的报告",
        ),
        ("2022年,我区推进依法行政。\n一、主要举措", "title", None),
        (
            "江夏区人民政府关于\n2022年度法治政府建设情况的报告\n正文。",
            "title",
            "江夏区人民政府关于2022年度法治政府建设情况的报告",
        ),
        ("江夏区法治政府建设\n一、主要举措\n正文。", "title", "江夏区法治政府建设"),
        (
            "江政发〔2023〕5号\n江夏区人民政府关于2022年度法治政府建设情况的报告\n正文。",
            "title",
            "江夏区人民政府关于2022年度法治政府建设情况的报告",
        ),
        ("江政发〔2023〕5号\n2022年,我区推进法治。\n某区2022年度报告", "title", None),
        (
            "法治政府建设\n江夏区2022年度法治政府建设工作报告\n正文。",
            "title",
            "江夏区2022年度法治政府建设工作报告",
        ),
        ("年度报告\n江夏区2022年度法治政府建设工作报告\n正文。", "jurisdiction", "江夏区"),
        (
            "江夏区人民政府关于2022年度法治政府\n建设情况的报告\n正文。",
            "title",
            "江夏区人民政府关于2022年度法治政府建设情况的报告",
        ),
        ("一、主要举措\n正文。", "title", None),
        ("某区2022年法治政府建设年度报告\n正文。", "report_year", 2022),
        (
            "关于法治建设工作情况的汇报和2022年工作计划\n现将我县2021年以来工作汇报如下:",
            "report_year",
            2021,
        ),
        ("关于法治建设工作情况的汇报\n正文。", "report_year", None),
        ("某区二〇二二年度法治政府建设情况报告\n正文。", "report_year", 2022),
        ("关于法治建设工作情况的汇报\n正文。", "plan_year", None),
        ("某区2022年度报告\n一、工作情况\n二、2023年工作打算", "plan_year", 2023),
        ("某区2022年度报告\n一、2022年工作情况\n二、下一步计划", "plan_year", 2023),
        ("某区2022年度报告\n二、2025年工作", "plan_year", 2025),
        (
            "湖北省武汉市江夏区人民政府关于2022年度法治政府建设情况的报告\n正文。",
            "jurisdiction",
            "江夏区",
        ),
        ("关于江夏区2022年度法治政府建设情况的报告\n正文。", "jurisdiction", "江夏区"),
        ("东湖新技术开发区2022年度报告\n正文。", "jurisdiction", "东湖新技术开发区"),
        ("东湖新技术开发区2022年度报告\n正文。", "level", None),
        ("武汉市东湖新技术开发区管委会2022年度报告\n正文。", "city", "武汉市"),
        ("武汉市东湖新技术开发区管委会2022年度报告\n正文。", "adcode", None),
        ("武汉市东湖新技术开发区管委会2022年度报告\n正文。", "body", "government"),
        ("江夏区人民政府关于2022年度法治政府建设情况的报告\n正文。", "body", "government"),
        ("江夏区司法局2022年度法治政府建设情况报告\n正文。", "body", "justice_bureau"),
        ("江夏区税务局2022年度法治政府建设情况报告\n正文。", "body", "department"),
        ("中共江夏区委依法治区办关于2022年度法治建设情况的报告\n正文。", "body", "party_committee"),
        ("江夏区纪家庙街道2022年度法治政府建设工作报告\n正文。", "level", "township"),
        ("江夏区纪家庙街道2022年度法治政府建设工作报告\n正文。", "city", "武汉市"),
        ("关于2022年度法治政府建设情况的报告\n正文。", "body", None),
        (
            "关于2022年度法治政府建设情况的报告\n正文。\n某区司法局\n2023年3月1日",
            "body",
            "justice_bureau",
        ),
        # the issuer naming itself in the opening formula: 现将…报告如下
        (
            "2024年,小营街道坚持以习近平法治思想为指导。现将小营街道办事处2024年法治政府"
            "建设年度报告如下:\n一、主要举措\n正文。",
            "body",
            "government",
        ),
        (
            "2023年,在区委的领导下,法治建设扎实推进。现将我局2023年度法治政府建设情况报告"
            "如下:\n一、主要举措\n正文。",
            "body",
            "department",
        ),
        ("2023年,法治建设扎实推进。现将有关情况报告如下:\n一、主要举措\n正文。", "body", None),
    ],
)
def test_metadata_rules(text: str, field: str, expected) -> None:
    assert _meta(text)[field] == expected


@pytest.mark.parametrize(
    ("chrome", "expected"),
    [
        ("发布日期:2023-03-15 17:26\n", "2023-03-15"),
        ("发布时间:2021/03/29 11:30:01\n", "2021-03-29"),
        ("发布日期:2023年3月15日\n", "2023-03-15"),
        ("日期:2017年02月28日 来源:区政府办\n", "2017-02-28"),
        ("2023-03-31 10:25 来源:区司法局\n", "2023-03-31"),
        ("发布时间:2023-03-30 09:12:33 | 来源:区司法局 | 作者:\n", "2023-03-30"),
        ("成文日期:2017年02月20日\n发布日期:2017年02月28日\n", "2017-02-28"),
        ("成文日期:2017年02月20日\n", None),
        ("今天是2023年3月15日 星期三\n", None),
        ("2023-03-15 09:00\n", "2023-03-15"),
        ("发布日期:2023-02-30\n", None),
    ],
    ids=[
        "iso-minutes",
        "slashes-seconds",
        "chinese",
        "chinese-zero-padded",
        "date-before-label",
        "bar-separated",
        "publication-beats-written",
        "written-only",
        "site-header",
        "bare-date-line",
        "impossible-date",
    ],
)
def test_publish_date(chrome: str, expected: str | None) -> None:
    meta = _meta("江夏区2022年度法治政府建设工作报告\n2022年,江夏区推进法治。\n", chrome=chrome)
    assert meta["publish_date"] == (None if expected is None else pd.Timestamp(expected))


def test_sentence_with_source_word_is_not_a_source() -> None:
    meta = _meta("江夏区2022年度报告\n来源于群众的意见,我们认真办理。\n")
    assert meta["source"] is None


def test_metadata_columns_and_n_chars() -> None:
    result = clean(SEEDS.joinpath("000_83b981cfa8576200.txt").read_text(encoding="utf-8"))
    meta, _ = extract_metadata(result.text, result.boilerplate, path="x.txt")
    assert tuple(meta) == METADATA_COLUMNS
    assert meta["n_chars"] == len(result.text)
    assert meta["path"] == "x.txt"


# --- places ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("湖北省武汉市江夏区人民政府", ["湖北省", "武汉市", "江夏区"]),
        ("新晃侗族自治县社会矛盾纠纷", ["新晃侗族自治县"]),
        ("全市全区城区建设", []),
        ("市中区", ["市中区"]),
        ("", []),
    ],
)
def test_find_places(text: str, expected: list[str]) -> None:
    assert [name for _, name in find_places(text)] == expected


def _places_trying_every_length(text: str) -> list[tuple[int, str]]:
    """find_places as first written: every length from 12 down at each name's last char."""
    from lawgovkit.places import _gazetteer, _last_chars

    found = []
    for match in _last_chars().finditer(text):
        end = match.end()
        for length in range(min(12, end), 1, -1):
            if text[end - length : end] in _gazetteer():
                found.append((end - length, text[end - length : end]))
                break
    kept: list[tuple[int, str]] = []
    for start, name in sorted(found, key=lambda m: (m[0], -len(m[1]))):
        if kept and start < kept[-1][0] + len(kept[-1][1]):
            if len(name) > len(kept[-1][1]) and start + len(name) > kept[-1][0]:
                kept[-1] = (start, name)
            continue
        kept.append((start, name))
    return kept


PLACE_PIECES = ["江夏区", "武汉市", "湖北省", "新晃侗族自治县", "市中区", "朝阳区", "北京市"]
PLACE_PIECES += ["全", "我", "区", "县", "市", "州", "城", "中", "新晃", "侗族", "自治", "武汉"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(PLACE_PIECES), max_size=14))
def test_find_places_finds_what_trying_every_length_finds(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert find_places(text) == _places_trying_every_length(text)


@pytest.mark.parametrize(
    ("name", "context", "expected"),
    [
        ("江夏区", (), ("湖北省", "武汉市", "420115", "district")),
        ("武汉市", (), ("湖北省", "武汉市", "420100", "city")),
        ("綦江区", (), ("重庆市", None, "500110", "district")),
        ("海淀区", (), ("北京市", None, "110108", "district")),
        ("湖南省", (), ("湖南省", None, "430000", "province")),
        ("新晃侗族自治县", (), ("湖南省", "怀化市", "431227", "county")),
        ("朝阳区", (), (None, None, None, "district")),
        ("朝阳区", ("北京市",), ("北京市", None, "110105", "district")),
        ("朝阳区", ("长春市",), ("吉林省", "长春市", "220104", "district")),
        ("某某镇", (), (None, None, None, "township")),
    ],
)
def test_resolve(name: str, context: tuple, expected: tuple) -> None:
    place = resolve(name, context)
    assert (place.province, place.city, place.adcode, place.level) == expected


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="〇零○一二三四五六七八九年度2 \n", max_size=30))
def test_years_in_chinese_numerals_become_digits_wherever_they_are(text):
    """The check that skips texts without such a year (from each 年) skips no year."""
    from lawgovkit.metadata import _CHINESE_YEAR, _arabic_years, _rules

    digits = _rules()["year_numerals"]
    plain = _CHINESE_YEAR.sub(lambda m: "".join(digits[c] for c in m.group(0)), text)
    assert _arabic_years(text) == plain
    assert _arabic_years("二〇二二年度，一二三四五年，一二三年") == "2022年度，一2345年，一二三年"
