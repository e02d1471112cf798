"""How reports frame one theme: :func:`compare_framing` puts a theme's passages side by side,
says how alike they are and which words are each report's own.

It combines :func:`lawgovkit.themes.theme_passages`, :func:`lawgovkit.similarity_matrix`
and :func:`lawgovkit.distinctive_terms` on one table of units (each report's sentences on
the theme), built once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from lawgovkit.keyness import distinctive_terms
from lawgovkit.similarity import similarity_matrix
from lawgovkit.taxonomy import resolve_theme
from lawgovkit.themes import theme_passages
from lawgovkit.units import text_units

__all__ = ["Framing", "compare_framing"]


@dataclass(frozen=True)
class Framing:
    """How reports frame one theme: their passages, how alike they are, their own words."""

    theme: str
    passages: pd.DataFrame
    similarity: pd.DataFrame
    terms: pd.DataFrame

    def _repr_html_(self) -> str:
        return (
            f"<h4>{self.theme}: similarity of the reports' passages</h4>"
            + self.similarity.round(3).to_html()
            + f"<h4>{self.theme}: distinctive terms</h4>"
            + self.terms.round(3).to_html(index=False)
        )


def compare_framing(corpus: Any, theme: str, n: int = 10, **kwargs: Any) -> Framing:
    """Compare how the reports write about one theme.

    Parameters
    ----------
    corpus : Corpus
        The reports to compare.
    theme : str
        A theme name or key (see :func:`theme_names`).
    n : int
        Distinctive terms per report.
    **kwargs
        Passed to :func:`lawgovkit.keyness.distinctive_terms` (``tokenizer``, ``min_count``).

    Returns
    -------
    Framing
        ``.passages`` (:func:`theme_passages`), ``.similarity`` (report × report cosine
        similarity of the passages; reports with none are left out, see ``attrs``) and
        ``.terms`` (each report's distinctive terms within the theme, G² keyness).

    Examples
    --------
    >>> framing = compare_framing(corpus, "矛盾纠纷化解")  # doctest: +SKIP
    >>> framing.similarity  # doctest: +SKIP
    """
    name = resolve_theme(theme)
    unit = f"theme:{name}"
    units = text_units(corpus, unit)  # built once, for both comparisons
    tokenizer = kwargs.get("tokenizer")
    return Framing(
        theme=name,
        passages=theme_passages(corpus, name),
        similarity=similarity_matrix(units, unit=unit, tokenizer=tokenizer),
        terms=distinctive_terms(units, by="report", unit=unit, n=n, **kwargs),
    )
