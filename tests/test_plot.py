"""Tests of lawgovkit.plot: each plot returns a Figure, Chinese renders, no glyph warning."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from lawgovkit import plot

NAMES = ["江夏区", "东昌府区", "綦江区"]
MATRIX = pd.DataFrame(
    [[1.0, 0.42, 0.31], [0.42, 1.0, 0.27], [0.31, 0.27, 1.0]], index=NAMES, columns=NAMES
)
COVERAGE = pd.DataFrame(
    {"行政执法": [0.13, 0.2, 0.1], "矛盾纠纷化解": [0.14, 0.1, 0.24], "普法": [0.09, 0.0, 0.13]},
    index=NAMES,
)
PROBLEMS = pd.DataFrame(
    {
        "report_id": ["江夏区", "江夏区", "綦江区"],
        "text": ["执法人员专业素质参差不齐", "行政复议纠错率偏高", "法治宣传针对性不强"],
        "category": [None, None, None],
    }
)
SECTIONS = pd.DataFrame(
    {
        "report_id": ["江夏区"] * 3,
        "role": ["achievements", "problems", "plans"],
        "text": ["成效" * 40, "不足" * 5, "计划" * 10],
    }
)

KEYNESS = pd.DataFrame(
    {
        "group": ["district"] * 4 + ["county"],
        "term": ["行政复议", "诉源治理", "普法", "公证", "调解"],
        "g2": [14.2, 6.1, -9.3, -2.2, 3.0],
    }
)


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


CASES = [
    ("heatmap", lambda: plot.heatmap(MATRIX)),
    ("heatmap-negative", lambda: plot.heatmap(MATRIX - 0.5, title="差值 −0.5")),
    ("theme_coverage", lambda: plot.theme_coverage(COVERAGE)),
    ("problem_categories", lambda: plot.problem_categories(PROBLEMS)),
    ("role_shares", lambda: plot.role_shares(SECTIONS)),
    ("dendrogram", lambda: plot.dendrogram(MATRIX)),
    ("keyness", lambda: plot.keyness(KEYNESS, group="district")),
]


@pytest.mark.parametrize(("name", "draw"), CASES, ids=[c[0] for c in CASES])
def test_renders_chinese_without_any_warning(name, draw):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = draw()
        png = _png(fig)
    assert isinstance(fig, Figure)
    assert png.startswith(b"\x89PNG")
    assert len(png) < 150_000


def test_figure_keeps_the_font_when_saved_outside_the_context():
    fig = plot.heatmap(MATRIX)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _png(fig)  # drawn after chinese_font() has exited


def test_draws_into_a_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert plot.heatmap(MATRIX, ax=ax) is fig
    assert [t.get_text() for t in ax.get_yticklabels()] == NAMES


def test_labels_mapping_renames_ticks():
    fig = plot.heatmap(MATRIX, labels={"江夏区": "武汉·江夏"})
    assert fig.axes[0].get_yticklabels()[0].get_text() == "武汉·江夏"


def test_use_chinese_font_registers_noto():
    from matplotlib import font_manager

    settings = plot.use_chinese_font()
    assert settings["font.family"][0] == "Noto Sans CJK SC"
    found = font_manager.findfont("Noto Sans CJK SC", fallback_to_default=False)
    assert found.endswith(".ttc")


def test_problem_categories_uses_taxonomy_labels():
    fig = plot.problem_categories(PROBLEMS)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "复议应诉结果" in legend


def test_role_shares_sum_to_100():
    fig = plot.role_shares(SECTIONS)
    widths = [patch.get_width() for patch in fig.axes[0].patches]
    assert sum(widths) == pytest.approx(100)


def test_on_the_seed_corpus(seed_corpus):
    import lawgovkit as lgk

    names = seed_corpus.reports["jurisdiction"].to_dict()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fig in (
            plot.heatmap(lgk.similarity_matrix(seed_corpus), labels=names),
            plot.theme_coverage(lgk.theme_coverage(seed_corpus), labels=names),
            plot.problem_categories(seed_corpus, labels=names),
            plot.role_shares(seed_corpus, labels=names),
        ):
            assert len(_png(fig)) < 150_000


@pytest.mark.parametrize("cmap", ["viridis", "YlGnBu", "Greys"])
def test_heatmap_numbers_are_dark_on_light_cells_and_light_on_dark(cmap):
    fig = plot.heatmap(MATRIX, cmap=cmap)
    texts = {t.get_text(): t.get_color() for t in fig.axes[0].texts}
    image = fig.axes[0].images[0]
    for value in (0.27, 1.0):
        red, green, blue, _ = image.cmap(image.norm(value))
        light = 0.299 * red + 0.587 * green + 0.114 * blue > 0.5
        assert texts[format(value, ".2f")] == ("black" if light else "white")
    # viridis runs from dark purple (low) to yellow (high)
    if cmap == "viridis":
        assert (texts["0.27"], texts["1.00"]) == ("white", "black")


# Figures fit for a paper -------------------------------------------------------------------


def test_figures_are_drawn_at_150_dpi():
    assert plot.heatmap(MATRIX).dpi == 150


def test_count_axes_have_integer_ticks():
    table = pd.DataFrame(
        {"report_id": ["a", "a", "b"], "text": ["人员不足", "复议纠错率高", "普法不够"]}
    )
    fig = plot.problem_categories(table)
    fig.canvas.draw()
    ticks = fig.axes[0].get_xticks()
    assert len(ticks) and all(float(t).is_integer() for t in ticks)


def test_colour_bars_are_labelled_with_the_range_shown():
    fig = plot.heatmap(MATRIX * 0 + 0.4, vmin=0, vmax=1, colorbar_label="余弦相似度")
    label = fig.axes[1].get_ylabel()
    assert label.startswith("余弦相似度") and "0.40" in label
    image = fig.axes[0].images[0]
    assert image.norm.vmin == 0 and image.norm.vmax == 1, "a narrow band keeps the fixed scale"


def test_a_large_matrix_thins_its_labels_and_says_so():
    ids = [f"报告{i:03d}" for i in range(200)]
    rng = np.random.default_rng(0)
    values = rng.random((200, 200))
    matrix = pd.DataFrame((values + values.T) / 2, index=ids, columns=ids)
    fig = plot.heatmap(matrix, order="cluster")
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) <= plot.MAX_LABELS
    assert "每 4 项标注一项" in ax.get_ylabel()
    width, height = fig.get_size_inches()
    assert width <= 11 and height <= 14


def test_clustered_order_puts_alike_reports_together():
    ids = list("abcd")
    matrix = pd.DataFrame(
        [[1, 0.1, 0.9, 0.1], [0.1, 1, 0.1, 0.9], [0.9, 0.1, 1, 0.1], [0.1, 0.9, 0.1, 1]],
        index=ids,
        columns=ids,
    )
    order = plot.cluster_order(matrix)
    assert abs(order.index("a") - order.index("c")) == 1
    assert abs(order.index("b") - order.index("d")) == 1


def test_a_dendrogram_of_many_reports_is_cut_to_its_last_joins():
    ids = [f"r{i}" for i in range(80)]
    rng = np.random.default_rng(1)
    values = rng.random((80, 80))
    matrix = pd.DataFrame((values + values.T) / 2, index=ids, columns=ids)
    matrix = matrix.mask(np.eye(80, dtype=bool), 1.0)
    fig = plot.dendrogram(matrix)
    assert len(fig.axes[0].get_yticklabels()) == plot.MAX_LABELS


def test_saved_figures_carry_the_caption(tmp_path):
    fig = plot.add_caption(plot.heatmap(MATRIX), "语料:测试 · 2 份报告")
    png, svg = plot.save(fig, tmp_path, "图")
    from PIL import Image

    with Image.open(png) as image:
        assert round(image.info["dpi"][0]) == 300
    assert "lawgovkit-caption" in svg.read_text(encoding="utf-8")


def test_keyness_two_sided_in_order():
    fig = plot.keyness(KEYNESS, group="district", n=1)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["行政复议", "普法"]
    widths = [patch.get_width() for patch in ax.patches]
    assert widths == [14.2, -9.3]


def test_keyness_needs_a_group_when_there_are_several():
    from lawgovkit.errors import ArgumentError

    with pytest.raises(ArgumentError, match="choose one of"):
        plot.keyness(KEYNESS)


def test_keyness_on_the_seeds(seed_corpus):
    import lawgovkit as lgk

    table = lgk.distinctive_terms(seed_corpus, by="body", sides="both", n=8)
    fig = plot.keyness(table, group="justice_bureau")
    assert len(fig.axes[0].patches) == 16
