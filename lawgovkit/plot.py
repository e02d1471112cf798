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
    "DPI",
    "FONT_FAMILIES",
    "add_caption",
    "chinese_font",
    "cluster_order",
    "dendrogram",
    "heatmap",
    "keyness",
    "problem_categories",
    "role_shares",
    "save",
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


#: Resolution (dots per inch) of figures shown in a notebook, and of the files saved.
DPI, SAVE_DPI = 150, 300
#: At most this many tick labels on an axis of reports; beyond, every k-th is labelled.
MAX_LABELS = 50


def _figure_and_axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=size, dpi=DPI, layout="constrained")
    return fig, fig.add_subplot()


def _size(n_rows: int, n_cols: int) -> tuple[float, float]:
    """Inches for a grid: cells shrink as the grid grows, and the figure stops growing at a
    size a page still holds (labels are then thinned, see :func:`_ticks`)."""
    return (min(3.5 + 0.5 * n_cols, 11), min(2 + 0.4 * n_rows, 14))


def _labels(index: pd.Index, labels: Mapping[str, str] | None) -> list[str]:
    labels = labels or {}
    return [str(labels.get(label, label)) for label in index]


def _ticks(ax: Axes, axis: str, names: list[str], rotation: float = 0) -> None:
    """Label an axis of categories, every k-th one when there are more than MAX_LABELS
    (the axis title then says so)."""
    step = max(1, -(-len(names) // MAX_LABELS))
    positions = list(range(0, len(names), step))
    shown = [names[i] for i in positions]
    size = 8 if len(names) <= 30 else 7
    if axis == "x":
        ax.set_xticks(
            positions,
            shown,
            rotation=rotation,
            ha="right" if rotation else "center",
            rotation_mode="anchor",
            fontsize=size,
        )
    else:
        ax.set_yticks(positions, shown, fontsize=size)
    if step > 1:
        note = f"(共 {len(names)} 项,每 {step} 项标注一项)"
        setter = ax.set_xlabel if axis == "x" else ax.set_ylabel
        getter = ax.get_xlabel if axis == "x" else ax.get_ylabel
        setter(f"{getter()} {note}".strip(), fontsize=8)


def cluster_order(values: pd.DataFrame, similarity: bool = True) -> list[Any]:
    """The rows of ``values`` in the order of an average-linkage clustering, so that alike
    rows sit together (the leaves of the dendrogram, top to bottom).

    Parameters
    ----------
    values : DataFrame
        A square similarity matrix (``similarity=True``; distance = 1 - similarity) or a
        table whose rows are profiles (``similarity=False``; Euclidean distance).

    Returns
    -------
    list
        The index labels, reordered; unchanged for fewer than three rows.

    Examples
    --------
    >>> m = pd.DataFrame([[1, .1, .9], [.1, 1, .2], [.9, .2, 1]],
    ...                  index=list("abc"), columns=list("abc"))
    >>> cluster_order(m)
    ['b', 'c', 'a']
    """
    from scipy.cluster import hierarchy
    from scipy.spatial.distance import pdist, squareform

    if len(values) < 3:
        return list(values.index)
    data = np.nan_to_num(values.to_numpy(dtype=float))
    if similarity:
        distance = np.clip(1 - (data + data.T) / 2, 0, None)
        np.fill_diagonal(distance, 0)
        condensed = squareform(distance, checks=False)
    else:
        condensed = pdist(data)
    tree = hierarchy.linkage(condensed, method="average")
    leaves = hierarchy.leaves_list(hierarchy.optimal_leaf_ordering(tree, condensed))
    return [values.index[i] for i in leaves]


def _annotate(ax: Axes, image: Any, values: np.ndarray, fmt: str) -> None:
    """Write each finite value in its cell, dark on light cells and light on dark ones
    (judged by the luminance of the cell's colour, so any colour map reads)."""
    for (i, j), value in np.ndenumerate(values):
        if np.isfinite(value):
            red, green, blue, _ = image.cmap(image.norm(value))
            light = 0.299 * red + 0.587 * green + 0.114 * blue > 0.5
            colour = "black" if light else "white"
            ax.text(j, i, format(value, fmt), ha="center", va="center", fontsize=7, color=colour)


def _range_note(values: np.ndarray, fmt: str) -> str:
    finite = values[np.isfinite(values)]
    if not len(finite):
        return "无数值"
    low, high = format(finite.min(), fmt), format(finite.max(), fmt)
    return f"图中数值 {low}" if low == high else f"图中数值 {low}–{high}"


def heatmap(
    matrix: pd.DataFrame,
    ax: Axes | None = None,
    annot: bool = True,
    labels: Mapping[str, str] | None = None,
    title: str | None = "相似度",
    fmt: str = ".2f",
    cmap: str = "viridis",
    *,
    vmin: float | None = None,
    vmax: float | None = None,
    colorbar_label: str | None = None,
    order: str | None = None,
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
    vmin, vmax : float, optional
        The ends of the colour scale; by default the smallest and largest value. Fix them
        (0 and 1 for similarities) so a narrow band of values does not look like contrast.
    colorbar_label : str, optional
        What the colours measure; the range of the values shown is added to it.
    order : {None, "cluster"}
        ``"cluster"`` puts alike rows (and, for a square matrix, columns) next to each
        other (:func:`cluster_order`).

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
    square = matrix.shape[0] == matrix.shape[1] and list(matrix.index) == list(matrix.columns)
    if order == "cluster":
        rows = cluster_order(matrix, similarity=square)
        matrix = matrix.loc[rows, rows] if square else matrix.loc[rows]
    with chinese_font():
        fig, ax = _figure_and_axes(ax, _size(*matrix.shape))
        values = matrix.to_numpy(dtype=float)
        image = ax.imshow(
            values, cmap=cmap, aspect="auto", vmin=vmin, vmax=vmax, interpolation="nearest"
        )
        _ticks(ax, "x", _labels(matrix.columns, labels), rotation=60)
        _ticks(ax, "y", _labels(matrix.index, labels))
        if annot and max(matrix.shape) <= 20:
            _annotate(ax, image, values, fmt)
        bar = fig.colorbar(image, ax=ax, shrink=0.8)
        note = _range_note(values, fmt)
        bar.set_label(f"{colorbar_label}({note})" if colorbar_label else note, fontsize=8)
        if title:
            ax.set_title(title)
    return fig


def theme_coverage(
    coverage: pd.DataFrame,
    ax: Axes | None = None,
    labels: Mapping[str, str] | None = None,
    annot: bool = True,
    order: str | None = "auto",
) -> Figure:
    """Report × theme coverage (:func:`lawgovkit.theme_coverage`) as a heatmap in percent.

    The colour scale runs from 0 to the largest share shown, and its label states the range.

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
    order : {"auto", "cluster", None}
        Row order: ``"cluster"`` puts reports with alike profiles together; ``"auto"`` does
        so for more than ten reports and keeps the given order otherwise.

    Returns
    -------
    Figure

    Examples
    --------
    >>> cov = pd.DataFrame({"行政执法": [.1, .2], "普法": [.05, 0]}, index=["a", "b"])
    >>> theme_coverage(cov).axes[0].get_title()
    '主题覆盖(占全文%)'
    """
    if order == "auto":
        order = "cluster" if len(coverage) > 10 else None
    percent = coverage * 100
    top = float(np.nanmax(percent.to_numpy(dtype=float))) if percent.size else 0.0
    return heatmap(
        percent,
        ax=ax,
        annot=annot,
        labels=labels,
        title="主题覆盖(占全文%)",
        fmt=".0f",
        cmap="YlGnBu",
        vmin=0,
        vmax=max(top, 1e-9),
        colorbar_label="占全文 %,色阶 0 至最大值",
        order=order,
    )


def _stacked_bars(
    table: pd.DataFrame, ax: Axes | None, title: str, xlabel: str, counts: bool = False
) -> Figure:
    from matplotlib.ticker import MaxNLocator

    with chinese_font():
        height = min(2 + 0.3 * len(table), 14) if len(table) > 20 else 2 + 0.45 * len(table)
        fig, ax = _figure_and_axes(ax, (8, height))
        left = np.zeros(len(table))
        colours = mpl.colormaps["tab20"].resampled(max(len(table.columns), 1))
        for k, column in enumerate(table.columns):
            values = table[column].to_numpy(dtype=float)
            ax.barh(
                range(len(table)),
                values,
                left=left,
                label=str(column),
                color=colours(k),
                height=0.8,
            )
            left += values
        _ticks(ax, "y", [str(label) for label in table.index])
        ax.set_ylim(len(table) - 0.5, -0.5)
        ax.set_xlabel(xlabel)
        if counts:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
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
        A bar per report, its segments the number of problems in each category.

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
    return _stacked_bars(counts, ax, "承认的问题类别", "问题数", counts=True)


def role_shares(
    corpus: Any, ax: Axes | None = None, labels: Mapping[str, str] | None = None
) -> Figure:
    """Share of each report's text in each role (achievements, problems, plans ...).

    Parameters
    ----------
    corpus : Corpus or DataFrame
        A corpus, or its ``sections`` table (report_id, role, text).
    ax, labels
        As for :func:`problem_categories`.

    Returns
    -------
    Figure
        A bar per report, its segments the percent of its characters in each role.

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
    max_leaves: int = MAX_LABELS,
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
    max_leaves : int
        With more reports, the tree is cut to its last ``max_leaves`` joins; a leaf standing
        for several reports is labelled with their number in brackets, e.g. ``(12)``.

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

    leaves = min(len(matrix), max_leaves)
    with chinese_font():
        fig, ax = _figure_and_axes(ax, (8, min(1.5 + 0.3 * leaves, 14)))
        distance = 1 - matrix.to_numpy(dtype=float)
        distance = np.clip((distance + distance.T) / 2, 0, None)
        np.fill_diagonal(distance, 0)
        if len(matrix) >= 2:
            tree = hierarchy.linkage(squareform(distance, checks=False), method=method)
            cut = {"truncate_mode": "lastp", "p": max_leaves} if len(matrix) > max_leaves else {}
            hierarchy.dendrogram(
                tree,
                ax=ax,
                labels=_labels(matrix.index, labels),
                orientation="left",
                color_threshold=0,
                above_threshold_color="0.3",
                leaf_font_size=8,
                **cut,
            )
        title = "聚类(1 - 相似度)"
        if len(matrix) > max_leaves:
            ax.set_ylabel(
                f"共 {len(matrix)} 份报告,只画出最后 {max_leaves} 次合并;(n) 为合并的报告数",
                fontsize=8,
            )
        ax.set_xlabel("1 - 相似度")
        ax.set_title(title)
    return fig


def add_caption(fig: Figure, text: str) -> Figure:
    """Write a caption line under the figure (corpus, number of reports, version ...).

    It sits below the axes and is kept when the figure is shown or saved with a tight
    bounding box (as notebooks and :func:`save` do).

    Examples
    --------
    >>> fig = add_caption(Figure(), "语料 seeds · 5 份报告")
    >>> fig.texts[-1].get_text()
    '语料 seeds · 5 份报告'
    """
    with chinese_font():
        fig.text(
            0.0, -0.01, text, ha="left", va="top", fontsize=7, color="0.35", gid="lawgovkit-caption"
        )
    return fig


def save(
    fig: Figure, folder: Any, name: str, formats: tuple[str, ...] = ("png", "svg")
) -> list[Any]:
    """Save ``fig`` in ``folder`` as ``name.png`` (at SAVE_DPI) and ``name.svg``.

    Returns
    -------
    list of Path
        The files written.
    """
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with chinese_font(), mpl.rc_context({"svg.hashsalt": "lawgovkit", "svg.fonttype": "path"}):
        for fmt in formats:
            path = folder / f"{name}.{fmt}"
            metadata = {"Date": None} if fmt == "svg" else {}
            fig.savefig(path, dpi=SAVE_DPI, bbox_inches="tight", format=fmt, metadata=metadata)
            written.append(path)
    return written


def keyness(
    table: pd.DataFrame,
    group: str | None = None,
    n: int = 10,
    ax: Axes | None = None,
    reference_label: str | None = None,
) -> Figure:
    """A two-sided keyness plot: the group's top terms to the right, the reference's left.

    Parameters
    ----------
    table : DataFrame
        From :func:`lawgovkit.distinctive_terms` with ``sides="both"`` (with the default
        ``sides="over"`` only the right-hand side is drawn).
    group : str, optional
        Which group; needed when the table holds several.
    n : int
        Terms per side.
    ax : Axes, optional
        Where to draw.
    reference_label : str, optional
        What to call the reference (default: ``table.attrs["reference"]``).

    Returns
    -------
    Figure
        Horizontal bars of signed G²: the group's strongest terms at the top, the
        reference's at the bottom.

    Examples
    --------
    >>> table = pd.DataFrame({"group": ["甲"] * 3, "term": ["行政复议", "普法", "公证"],
    ...                       "g2": [12.0, 5.0, -8.0]})
    >>> fig = keyness(table)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['行政复议', '普法', '公证']
    """
    groups = list(dict.fromkeys(table["group"].astype(str)))
    if group is None:
        if len(groups) != 1:
            from lawgovkit.errors import ArgumentError

            raise ArgumentError(f"the table holds several groups; choose one of {groups}")
        group = groups[0]
    rows = table[table["group"].astype(str) == str(group)]
    over = rows[rows["g2"] > 0].nlargest(n, "g2")
    under = rows[rows["g2"] < 0].nsmallest(n, "g2")
    shown = pd.concat([over, under.iloc[::-1]])
    reference = reference_label or table.attrs.get("reference", "reference")
    with chinese_font():
        fig, ax = _figure_and_axes(ax, (7, min(2 + 0.32 * max(len(shown), 1), 14)))
        values = shown["g2"].to_numpy(dtype=float)
        colours = ["#c0392b" if v > 0 else "#2c6fbb" for v in values]
        ax.barh(range(len(shown)), values, color=colours)
        ax.set_yticks(range(len(shown)), shown["term"].astype(str).tolist())
        ax.invert_yaxis()
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlabel("G²(右:该组多用;左:参照多用)")
        ax.set_title(f"{group} 对 {reference}")
    return fig
