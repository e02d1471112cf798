"""lawgovkit: compare Chinese local governments' rule-of-law government reports.

The pipeline, in layers (each imports only from the layers below; see docs/ARCHITECTURE.md):
text (:mod:`lawgovkit.readers`, :mod:`lawgovkit.clean`, :mod:`lawgovkit.metadata`) →
structure (:mod:`lawgovkit.headings`, :mod:`lawgovkit.sections`, :mod:`lawgovkit.items`,
:mod:`lawgovkit.statements`) → documents (:mod:`lawgovkit.report`, :mod:`lawgovkit.corpus`)
→ tokens (:mod:`lawgovkit.tokenize`) → comparison (:mod:`lawgovkit.similarity`,
:mod:`lawgovkit.keyness`, :mod:`lawgovkit.themes`, :mod:`lawgovkit.problems`,
:mod:`lawgovkit.framing`) → pictures (:mod:`lawgovkit.plot`).

The public names below are imported on first use, so ``import lawgovkit`` stays quick
(scikit-learn, jieba and matplotlib load only when an analysis needs them).

>>> import lawgovkit as lgk
>>> text = "某区2023年度法治政府建设情况报告\\n一、主要举措\\n正文。"
>>> report = lgk.Report.from_text(text, id="x")
>>> report.meta["report_year"]
2023
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from lawgovkit._version import __version__

_PUBLIC = {
    "Report": "lawgovkit.report",
    "load_report": "lawgovkit.report",
    "Corpus": "lawgovkit.corpus",
    "load_corpus": "lawgovkit.corpus",
    "Tokenizer": "lawgovkit.tokenize",
    "similarity_matrix": "lawgovkit.similarity",
    "most_similar": "lawgovkit.similarity",
    "distinctive_terms": "lawgovkit.keyness",
    "theme_coverage": "lawgovkit.themes",
    "theme_passages": "lawgovkit.themes",
    "compare_framing": "lawgovkit.framing",
    "candour": "lawgovkit.problems",
    "plan_response": "lawgovkit.problems",
    "LawgovkitError": "lawgovkit.errors",
    "kwic": "lawgovkit.concordance",
    "collocations": "lawgovkit.collocation",
    "Dictionary": "lawgovkit.dictionary",
    "dictionary_coverage": "lawgovkit.dictionary",
    "claims": "lawgovkit.indicators",
    "indicator_table": "lawgovkit.indicators",
    "panel": "lawgovkit.panels",
    "recurring_problems": "lawgovkit.panels",
    "plans_followed": "lawgovkit.panels",
    "timeliness": "lawgovkit.deadlines",
    "timeliness_summary": "lawgovkit.deadlines",
    "shared_passages": "lawgovkit.reuse",
    "reuse_matrix": "lawgovkit.reuse",
    "reuse_summary": "lawgovkit.reuse",
}
_SUBMODULES = ("plot", "errors")

__all__ = [
    "Corpus",
    "Dictionary",
    "LawgovkitError",
    "Report",
    "Tokenizer",
    "__version__",
    "candour",
    "claims",
    "collocations",
    "compare_framing",
    "dictionary_coverage",
    "distinctive_terms",
    "errors",
    "indicator_table",
    "kwic",
    "load_corpus",
    "load_report",
    "most_similar",
    "panel",
    "plan_response",
    "plans_followed",
    "plot",
    "recurring_problems",
    "reuse_matrix",
    "reuse_summary",
    "shared_passages",
    "similarity_matrix",
    "theme_coverage",
    "theme_passages",
    "timeliness",
    "timeliness_summary",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from lawgovkit import errors, plot
    from lawgovkit.collocation import collocations
    from lawgovkit.concordance import kwic
    from lawgovkit.corpus import Corpus, load_corpus
    from lawgovkit.deadlines import timeliness, timeliness_summary
    from lawgovkit.dictionary import Dictionary, dictionary_coverage
    from lawgovkit.errors import LawgovkitError
    from lawgovkit.framing import compare_framing
    from lawgovkit.indicators import claims, indicator_table
    from lawgovkit.keyness import distinctive_terms
    from lawgovkit.panels import panel, plans_followed, recurring_problems
    from lawgovkit.problems import candour, plan_response
    from lawgovkit.report import Report, load_report
    from lawgovkit.reuse import reuse_matrix, reuse_summary, shared_passages
    from lawgovkit.similarity import most_similar, similarity_matrix
    from lawgovkit.themes import theme_coverage, theme_passages
    from lawgovkit.tokenize import Tokenizer


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"lawgovkit.{name}")
    else:
        raise AttributeError(f"module 'lawgovkit' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
