"""Findings: sentences computed from results, with the values they state recorded."""

from __future__ import annotations

import pytest

from lawgovkit.findings import METADATA_KEY, cannot, count, finding, names, number, share, span


def test_a_finding_states_the_values_it_records():
    f = finding(
        "02.common_themes",
        "{m} of {t} are addressed by all {n}; the most room goes to {top} ({pct}).",
        m=count(1),
        t=count(12, "theme"),
        n=count(24, "report"),
        top=names(["行政执法"]),
        pct=share(0.3912),
    )
    assert f.text == (
        "1 of 12 themes are addressed by all 24 reports; the most room goes to 行政执法 (39.1 %)."
    )
    assert f.values == {"m": 1, "t": 12, "n": 24, "top": ["行政执法"], "pct": 39.1}
    assert f.computable


@pytest.mark.parametrize(
    ("n", "noun", "shown"),
    [
        (0, "report", "0 reports"),
        (1, "report", "1 report"),
        (2, "category", "2 categories"),
        (12345, "problem", "12,345 problems"),
    ],
)
def test_counts_agree_with_their_noun(n, noun, shown):
    assert str(count(n, noun)) == shown


def test_numbers_are_recorded_as_shown_rounded():
    assert number(0.99949).value == 0.999
    assert str(number(0.99951)) == "1.000"
    assert span(0.2, 0.2).text == "0.200"
    assert span(0.0351, 0.0729, digits=1, percent=True).value == (3.5, 7.3)


def test_markdown_display_carries_the_record_for_tests():
    f = finding("01.size", "{n}", n=count(2, "report"))
    text, metadata = f._repr_markdown_()
    assert text == "2 reports"
    assert metadata[METADATA_KEY] == {"key": "01.size", "values": {"n": 2}, "computable": True}


def test_numpy_and_missing_values_are_recorded_as_json_values():
    np = pytest.importorskip("numpy")
    f = finding("x", "{a} {b}", a=np.int64(3), b=float("nan"))
    _, metadata = f._repr_markdown_()
    assert metadata[METADATA_KEY]["values"] == {"a": 3, "b": None}


def test_a_finding_that_cannot_be_computed_says_why():
    f = cannot(
        "03.closest_statements",
        "The closest pair of problem statements",
        "only one report admits problems",
    )
    assert f.text.endswith("only one report admits problems.")
    assert not f.computable and f.values == {}


def test_long_lists_of_names_are_cut_and_counted():
    shown = names([f"区{i}" for i in range(10)], limit=3)
    assert str(shown) == "区0、区1、区2 and 7 more"
    assert len(shown.value) == 10
    assert str(names([])) == "none"
