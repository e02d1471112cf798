"""Pictures of the comparisons, with Chinese that renders on any machine.

Each function takes ``ax=None`` (a new figure when None) and returns the Figure; none calls
``show()``. Figures are made with :class:`matplotlib.figure.Figure`, not pyplot, so a
notebook shows each once (as the cell's value) and nothing accumulates in pyplot's state.

Chinese needs a CJK font, and many machines (CI, fresh servers) have none. The package
depends on ``noto-cjk-sans-otc`` (SIL Open Font License 1.1), which ships
NotoSansCJK-Regular.ttc; :func:`use_chinese_font` registers it with matplotlib once and
returns the settings that make text use it, with DejaVu Sans as fallback for Latin text.
Every plot here applies them through :func:`chinese_font` and names the font families
explicitly on its texts, so a saved or re-drawn figure keeps them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from lawgovkit._data import read_json
from lawgovkit.sections import ROLES

__all__ = [
    "FONT_FAMILIES",
    "chinese_font",
    "dendrogram",
    "heatmap",
    "problem_categories",
    "role_shares",
    "theme_coverage",
    "use_chinese_font",
]

FONT_FAMILIES = ["Noto Sans CJK SC", "DejaVu Sans"]
ROLE_ORDER = list(ROLES)
ROLE_LABELS: dict[str, str] = dict(read_json("roles.json")["labels"])


@cache
def use_chinese_font() -> dict[str, Any]:
    """Register the bundled Noto Sans CJK font (once) and return the rc settings using it.

    Returns
    -------
    dict
        ``font.family`` = ``["Noto Sans CJK SC", "DejaVu Sans"]`` and
        ``axes.unicode_minus`` = False; pass to ``matplotlib.rc_context`` or
        ``matplotlib.rcParams.update`` to use it in your own figures.

    Examples
    --------
    >>> use_chinese_font()["font.family"]
    ['Noto Sans CJK SC', 'DejaVu Sans']
    """
    import noto_cjk_sans_otc
    from matplotlib import font_manager

    names = {font.name for font in font_manager.fontManager.ttflist}
    if FONT_FAMILIES[0] not in names:
        font_manager.fontManager.addfont(str(noto_cjk_sans_otc.FONT_PATH))
    return {"font.family": list(FONT_FAMILIES), "axes.unicode_minus": False}


@contextmanager
def chinese_font() -> Iterator[None]:
    """A context in which matplotlib text uses the bundled CJK font.

    Examples
    --------
    >>> with chinese_font():
    ...     fig = Figure()
    ...     _ = fig.suptitle("行政复议")
    """
    with mpl.rc_context(use_chinese_font()):
        yield


def _figure_and_axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def _size(n_rows: int, n_cols: int) -> tuple[float, float]:
    return (min(3 + 0.55 * n_cols, 14), min(2 + 0.4 * n_rows, 14))


def _labels(index: pd.Index, labels: Mapping[str, str] | None) -> list[str]:
    labels = labels or {}
    return [str(labels.get(label, label)) for label in index]


def _annotate(ax: Axes, image: Any, values: np.ndarray, fmt: str) -> None:
    """Write each finite value in its cell, dark on light cells and light on dark ones
    (judged by the luminance of the cell's colour, so any colour map reads)."""
    for (i, j), value in np.ndenumerate(values):
        if np.isfinite(value):
            red, green, blue, _ = image.cmap(image.norm(value))
            light = 0.299 * red + 0.587 * green + 0.114 * blue > 0.5
            colour = "black" if light else "white"
            ax.text(j, i, format(value, fmt), ha="center", va="center", fontsize=7, color=colour)


def heatmap(
    matrix: pd.DataFrame,
    ax: Axes | None = None,
    annot: bool = True,
    labels: Mapping[str, str] | None = None,
    title: str | None = "相似度",
    fmt: str = ".2f",
    cmap: str = "viridis",
) -> Figure:
    """A labelled heatmap of a matrix (e.g. :func:`lawgovkit.similarity_matrix`).

    Parameters
    ----------
    matrix : DataFrame
        Values to show; index and columns label the rows and columns.
    ax : Axes, optional
        Where to draw; a new figure when None.
    annot : bool
        Write each value in its cell (only when the matrix has at most 20 rows and columns).
    labels : mapping, optional
        Display names for the ids, e.g. ``corpus.reports["jurisdiction"].to_dict()``.
    title, fmt, cmap
        Title (None for none), number format of the annotations, colour map.

    Returns
    -------
    Figure

    Examples
    --------
    >>> names = ["江夏区", "綦江区"]
    >>> m = pd.DataFrame([[1, .3], [.3, 1]], index=names, columns=names)
    >>> heatmap(m).axes[0].get_title()
    '相似度'
    """
    with chinese_font():
        fig, ax = _figure_and_axes(ax, _size(*matrix.shape))
        values = matrix.to_numpy(dtype=float)
        image = ax.imshow(values, cmap=cmap, aspect="auto")
        ax.set_xticks(range(matrix.shape[1]), _labels(matrix.columns, labels), rotation=60)
        ax.set_yticks(range(matrix.shape[0]), _labels(matrix.index, labels))
        ax.tick_params(labelsize=8)
        if annot and max(matrix.shape) <= 20:
            _annotate(ax, image, values, fmt)
        fig.colorbar(image, ax=ax, shrink=0.8)
        if title:
            ax.set_title(title)
    return fig


def theme_coverage(
    coverage: pd.DataFrame,
    ax: Axes | None = None,
    labels: Mapping[str, str] | None = None,
    annot: bool = True,
) -> Figure:
    """Report × theme coverage (:func:`lawgovkit.theme_coverage`) as a heatmap in percent.

    Parameters
    ----------
    coverage : DataFrame
        Reports as rows, themes as columns, shares in [0, 1].
    ax : Axes, optional
        Where to draw.
    labels : mapping, optional
        Display names for the report ids.
    annot : bool
        Write the percentages in the cells.

    Returns
    -------
    Figure

    Examples
    --------
    >>> cov = pd.DataFrame({"行政执法": [.1, .2], "普法": [.05, 0]}, index=["a", "b"])
    >>> theme_coverage(cov).axes[0].get_title()
    '主题覆盖(占全文%)'
    """
    return heatmap(
        coverage * 100,
        ax=ax,
        annot=annot,
        labels=labels,
        title="主题覆盖(占全文%)",
        fmt=".0f",
        cmap="YlGnBu",
    )


def _stacked_bars(table: pd.DataFrame, ax: Axes | None, title: str, xlabel: str) -> Figure:
    with chinese_font():
        fig, ax = _figure_and_axes(ax, (7, min(2 + 0.45 * len(table), 14)))
        left = np.zeros(len(table))
        colours = mpl.colormaps["tab20"].resampled(max(len(table.columns), 1))
        for k, column in enumerate(table.columns):
            values = table[column].to_numpy(dtype=float)
            ax.barh(range(len(table)), values, left=left, label=str(column), color=colours(k))
            left += values
        ax.set_yticks(range(len(table)), [str(label) for label in table.index])
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return fig


def problem_categories(
    problems: Any, ax: Axes | None = None, labels: Mapping[str, str] | None = None
) -> Figure:
    """How many problems of each category each report admits (stacked bars).

    Parameters
    ----------
    problems : Corpus or DataFrame
        A corpus, or its ``problems`` table (report_id, text, category). Missing
        categories are filled with :func:`lawgovkit.problems.categorize_problems`.
    ax : Axes, optional
        Where to draw.
    labels : mapping, optional
        Display names for the report ids.

    Returns
    -------
    Figure

    Examples
    --------
    >>> table = pd.DataFrame({"report_id": ["a", "a", "b"],
    ...                       "text": ["人员不足", "复议纠错率高", "普法不够"]})
    >>> len(problem_categories(table).axes[0].patches) > 0
    True
    """
    from lawgovkit.taxonomy import categorize_problems
    from lawgovkit.taxonomy import problem_categories as taxonomy

    table = problems if isinstance(problems, pd.DataFrame) else problems.problems
    categories = table["category"] if "category" in table.columns else None
    if categories is None or categories.isna().any():
        categories = pd.Series(categorize_problems(table["text"].fillna("")), index=table.index)
    names = taxonomy().set_index("key")["label"]
    counts = pd.crosstab(table["report_id"], categories.map(lambda k: names.get(k, k)))
    ordered = [label for label in names if label in counts.columns]
    counts = counts[ordered + [c for c in counts.columns if c not in ordered]]
    counts.index = _labels(counts.index, labels)
    return _stacked_bars(counts, ax, "承认的问题类别", "问题数")


def role_shares(
    corpus: Any, ax: Axes | None = None, labels: Mapping[str, str] | None = None
) -> Figure:
    """Share of each report's text in each role (achievements, problems, plans ...).

    Parameters
    ----------
    corpus : Corpus or DataFrame
        A corpus, or its ``sections`` table (report_id, role, text).
    ax : Axes, optional
        Where to draw.
    labels : mapping, optional
        Display names for the report ids.

    Returns
    -------
    Figure

    Examples
    --------
    >>> sections = pd.DataFrame({"report_id": ["a", "a"], "role": ["achievements", "problems"],
    ...                          "text": ["成效" * 9, "不足"]})
    >>> len(role_shares(sections).axes[0].patches)
    2
    """
    sections = corpus if isinstance(corpus, pd.DataFrame) else corpus.sections
    chars = sections.assign(n=sections["text"].fillna("").str.len())
    table = chars.pivot_table(index="report_id", columns="role", values="n", aggfunc="sum")
    table = table.fillna(0)
    table = table.div(table.sum(axis=1).where(lambda s: s > 0), axis=0).fillna(0)
    roles = [role for role in ROLE_ORDER if role in table.columns]
    table = table[roles + [r for r in table.columns if r not in roles]]
    table.columns = [ROLE_LABELS.get(role, role) for role in table.columns]
    table.index = _labels(table.index, labels)
    return _stacked_bars(table * 100, ax, "各部分篇幅", "占全文 %")


def dendrogram(
    matrix: pd.DataFrame,
    ax: Axes | None = None,
    labels: Mapping[str, str] | None = None,
    method: str = "average",
) -> Figure:
    """Hierarchical clustering of a similarity matrix (distance = 1 - similarity).

    Parameters
    ----------
    matrix : DataFrame
        A square similarity matrix with values in [0, 1].
    ax : Axes, optional
        Where to draw.
    labels : mapping, optional
        Display names for the ids.
    method : str
        Linkage method of :func:`scipy.cluster.hierarchy.linkage` (average by default).

    Returns
    -------
    Figure

    Examples
    --------
    >>> m = pd.DataFrame([[1, .8, .1], [.8, 1, .2], [.1, .2, 1]],
    ...                  index=list("abc"), columns=list("abc"))
    >>> dendrogram(m).axes[0].get_title()
    '聚类(1 - 相似度)'
    """
    from scipy.cluster import hierarchy
    from scipy.spatial.distance import squareform

    with chinese_font():
        fig, ax = _figure_and_axes(ax, (7, min(1.5 + 0.35 * len(matrix), 14)))
        distance = 1 - matrix.to_numpy(dtype=float)
        distance = np.clip((distance + distance.T) / 2, 0, None)
        np.fill_diagonal(distance, 0)
        if len(matrix) >= 2:
            tree = hierarchy.linkage(squareform(distance, checks=False), method=method)
            hierarchy.dendrogram(
                tree,
                ax=ax,
                labels=_labels(matrix.index, labels),
                orientation="left",
                color_threshold=0,
                above_threshold_color="0.3",
            )
        ax.set_xlabel("1 - 相似度")
        ax.set_title("聚类(1 - 相似度)")
    return fig
