"""Tests of lawgovkit.dictionary: user dictionaries, their coverage, the themes as one."""

from __future__ import annotations

import random
import warnings
from types import SimpleNamespace

import jieba
import pandas as pd
import pytest

import lawgovkit as lgk
from lawgovkit._matching import TermMatcher
from lawgovkit.dictionary import Dictionary, dictionary_coverage
from lawgovkit.errors import DictionaryError, LawgovkitWarning
from lawgovkit.themes import sentence_themes, theme_coverage, theme_names
from tests.conftest import DEV_CORPUS

POLICY_TOOLS = """\
_about: 政策工具 (test dictionary written for this test)
供给型:
  - 公共法律服务
  - 法律援助
环境型:
  - 法治政府建设示范创建
  - 考核评价
需求型: {政府购买服务: 1, 购买: 0.5}
"""
TEXT = (
    "开展法治政府建设示范创建活动,法治政府建设示范创建成效明显。\n"
    "健全公共法律服务体系,法律援助案件增加。\n政府购买服务5项。购买设备。"
)


def _corpus(texts: dict[str, str], role: str = "achievements") -> SimpleNamespace:
    sections = pd.DataFrame(
        {
            "report_id": list(texts),
            "section_id": ["一"] * len(texts),
            "role": [role] * len(texts),
            "start": [0] * len(texts),
            "text": list(texts.values()),
        }
    )
    return SimpleNamespace(reports=pd.DataFrame(index=list(texts)), sections=sections)


@pytest.fixture
def policy_tools(tmp_path) -> Dictionary:
    path = tmp_path / "tools.yaml"
    path.write_text(POLICY_TOOLS, encoding="utf-8")
    return Dictionary.from_yaml(path)


def test_a_multi_word_term_jieba_splits_is_counted_exactly(policy_tools):
    term = "法治政府建设示范创建"
    assert term not in jieba.lcut(TEXT)  # jieba cuts it into words
    table = dictionary_coverage(_corpus({"r": TEXT}), policy_tools, warn_unused=False)
    row = table.set_index("category").loc["环境型"]
    assert row["matches"] == TEXT.count(term) == 2
    assert row["sentences"] == 1
    counts = policy_tools.term_counts(_corpus({"r": TEXT})).set_index("term")["count"]
    assert counts[term] == 2 and counts["考核评价"] == 0
    assert term in policy_tools.tokenizer(backend="jieba")(TEXT)


def test_yaml_reads_lists_weights_and_notes(policy_tools):
    assert policy_tools.labels == ["供给型", "环境型", "需求型"]
    assert policy_tools.categories["需求型"] == {"政府购买服务": 1.0, "购买": 0.5}
    assert "政策工具" in policy_tools.about
    # 购买 alone weighs 0.5: below the threshold of 1
    assert policy_tools.categories_of("购买设备") == ()
    assert policy_tools.categories_of("政府购买服务") == ("需求型",)


def test_coverage_columns_units_and_shares(policy_tools):
    corpus = _corpus({"a": TEXT, "b": "无关内容。"})
    table = dictionary_coverage(corpus, policy_tools, warn_unused=False)
    assert list(table.columns) == [
        "report_id",
        "category",
        "matches",
        "sentences",
        "chars",
        "share",
    ]
    assert table["report_id"].tolist() == ["a"] * 3 + ["b"] * 3
    assert (table.loc[table["report_id"] == "b", ["matches", "share"]] == 0).all().all()
    supply = table.iloc[0]
    sentence = "健全公共法律服务体系,法律援助案件增加。"
    assert supply["chars"] == len(sentence) and supply["share"] == len(sentence) / len(TEXT)
    by_section = dictionary_coverage(corpus, policy_tools, unit="section", warn_unused=False)
    assert list(by_section.columns[:3]) == ["report_id", "section_id", "role"]
    by_role = dictionary_coverage(corpus, policy_tools, unit="role", warn_unused=False)
    assert by_role.groupby(["report_id", "role"]).size().tolist() == [3, 3]


def test_terms_that_never_occur_are_reported(policy_tools):
    with pytest.warns(LawgovkitWarning, match="1 of the 6 terms .* never occur.*考核评价"):
        table = dictionary_coverage(_corpus({"r": TEXT}), policy_tools)
    assert table.attrs["unused_terms"] == ["考核评价"]


def test_terms_are_normalised_like_the_text():
    d = Dictionary.from_dict({"复议": ["行政復議", "ＡＢＣ認證"]})
    assert d.terms == ("行政复议", "ABC认证")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("供给型: [法律援助", "not valid YAML"),
        ("- 法律援助\n- 公证\n", "mapping of category"),
        ("供给型: 3\n", "list of terms"),
        ("供给型: ['']\n", "empty or non-text term"),
        ("需求型: {购买: 很多}\n", "must be a number"),
        ("", "no categories"),
    ],
)
def test_bad_dictionary_files_name_the_file(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DictionaryError, match=message) as error:
        Dictionary.from_yaml(path)
    assert "bad.yaml" in str(error.value)


def test_missing_file():
    with pytest.raises(DictionaryError, match="no such dictionary file"):
        Dictionary.from_yaml("没有这个文件.yaml")


def test_bad_unit_and_bad_dictionary(policy_tools):
    with pytest.raises(lgk.LawgovkitError, match="unknown unit"):
        dictionary_coverage(_corpus({"r": TEXT}), policy_tools, unit="sentence")
    with pytest.raises(lgk.LawgovkitError, match="must be a lawgovkit Dictionary"):
        dictionary_coverage(_corpus({"r": TEXT}), {"a": ["b"]})


def _old_theme_coverage(corpus, roles=None) -> pd.DataFrame:
    """theme_coverage as it was before it went through dictionary_coverage (commit c9e3f3d)."""
    names = theme_names()
    ids = list(corpus.reports.index)
    sentences = sentence_themes(corpus)
    sections = corpus.sections
    if roles is not None:
        roles = list(roles)
        sentences = sentences[sentences["role"].isin(roles)]
        sections = sections[sections["role"].isin(roles)]
    lengths = sections.assign(n=sections["text"].fillna("").str.len())
    totals = lengths.groupby("report_id")["n"].sum().reindex(ids).fillna(0)
    exploded = sentences.assign(n=sentences["end"] - sentences["start"]).explode("themes")
    exploded = exploded.dropna(subset=["themes"])
    chars = exploded.pivot_table(index="report_id", columns="themes", values="n", aggfunc="sum")
    chars = chars.reindex(index=ids, columns=names).fillna(0.0)
    coverage = chars.div(totals.where(totals > 0), axis=0).fillna(0.0).astype(float)
    coverage.index.name, coverage.columns.name = "report_id", "theme"
    return coverage


@pytest.mark.parametrize("roles", [None, ["plans"], ["achievements", "problems"], ["other"]])
def test_theme_coverage_is_the_same_table_as_before_on_the_seeds(seed_corpus, roles):
    pd.testing.assert_frame_equal(
        theme_coverage(seed_corpus, roles=roles), _old_theme_coverage(seed_corpus, roles)
    )


@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="the development corpora are not here")
def test_theme_coverage_is_the_same_table_as_before_on_real_reports():
    paths = sorted(DEV_CORPUS.glob("*.txt"))
    sample = random.Random(19).sample(paths, 12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LawgovkitWarning)
        corpus = lgk.load_corpus(sample, cache=False)
    pd.testing.assert_frame_equal(theme_coverage(corpus), _old_theme_coverage(corpus))


def test_the_automaton_and_the_regex_find_the_same_matches():
    rng = random.Random(7)
    alphabet = "法治政府建设行政复议执法普法调解"
    for _ in range(40):
        terms = {"".join(rng.choices(alphabet, k=rng.randint(1, 5))) for _ in range(30)}
        text = "".join(rng.choices(alphabet + "。,", k=300))
        assert TermMatcher(terms, automaton=True).find(text) == TermMatcher(
            terms, automaton=False
        ).find(text)


def test_top_level_names():
    assert lgk.Dictionary is Dictionary and lgk.dictionary_coverage is dictionary_coverage
