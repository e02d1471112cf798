"""Findings as sentences computed from results: what a table shows, and what it rests on.

A notebook states a finding about the corpus only through this module, never as written
prose: each helper takes a result (a count, a table) and returns a :class:`Finding`, a
Markdown sentence that shows in Jupyter and in the report pages, that says what the finding
rests on ("5 reports; 9 of 12 themes addressed by all"), and that keeps the values it states
(``finding.values``), so a test can compare each stated number with its own computation.
When a finding cannot be computed on the corpus (one report, no problems, no shared theme),
:func:`cannot` says so in a sentence instead.

The helpers are general: :func:`finding` builds any sentence from a template and named
values; :func:`count`, :func:`number`, :func:`share`, :func:`span` and :func:`names` format
values the same way everywhere.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "METADATA_KEY",
    "Finding",
    "cannot",
    "count",
    "finding",
    "names",
    "number",
    "plural",
    "rests_on",
    "share",
    "span",
]

#: The key of a finding's record in its output's metadata (read back by tests).
METADATA_KEY = "lawgovkit/finding"

_IRREGULAR = {
    "copy": "copies",
    "category": "categories",
    "body": "bodies",
    "reply": "replies",
    "quantity": "quantities",
}


@dataclass(frozen=True)
class Finding:
    """One stated finding: a Markdown sentence, its key, and the values it states.

    Attributes
    ----------
    key : str
        What kind of finding it is, e.g. ``"02.common_themes"``.
    text : str
        The Markdown sentence(s) shown.
    values : dict
        The values stated in ``text``, by name, as shown (rounded numbers, labels).
    computable : bool
        False when the sentence says the finding cannot be computed on this corpus.

    Examples
    --------
    >>> f = finding("demo", "{n}.", n=count(5, "report"))
    >>> f.text, f.values
    ('5 reports.', {'n': 5})
    """

    key: str
    text: str
    values: dict[str, Any] = field(default_factory=dict)
    computable: bool = True

    def _repr_markdown_(self) -> tuple[str, dict[str, Any]]:
        record = {"key": self.key, "values": _jsonable(self.values), "computable": self.computable}
        return self.text, {METADATA_KEY: record}

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


@dataclass(frozen=True)
class _Shown:
    """A value with the text it is shown as (what :func:`finding` fills in)."""

    value: Any
    text: str

    def __str__(self) -> str:
        return self.text


def plural(n: int, noun: str) -> str:
    """``noun`` in the plural unless ``n`` is 1.

    Examples
    --------
    >>> plural(1, "report"), plural(3, "report"), plural(2, "copy")
    ('report', 'reports', 'copies')
    """
    if n == 1:
        return noun
    return _IRREGULAR.get(noun, noun + "s")


def count(n: int, noun: str | None = None) -> _Shown:
    """A whole number, with its noun in the right number: ``5 reports``, ``1 report``.

    Examples
    --------
    >>> str(count(1, "theme")), str(count(12, "theme")), str(count(2345))
    ('1 theme', '12 themes', '2,345')
    """
    n = int(n)
    text = f"{n:,}" if noun is None else f"{n:,} {plural(n, noun)}"
    return _Shown(n, text)


def number(value: float, digits: int = 3) -> _Shown:
    """A decimal number rounded to ``digits`` places (what is stated is the rounded value).

    Examples
    --------
    >>> str(number(0.45461)), number(0.45461).value
    ('0.455', 0.455)
    """
    rounded = round(float(value), digits)
    return _Shown(rounded, f"{rounded:.{digits}f}")


def share(value: float, digits: int = 1) -> _Shown:
    """A share in [0, 1] shown in percent: ``0.2631`` → ``26.3 %`` (value 26.3).

    Examples
    --------
    >>> str(share(0.2631)), share(0.2631).value
    ('26.3 %', 26.3)
    """
    rounded = round(float(value) * 100, digits)
    return _Shown(rounded, f"{rounded:.{digits}f} %")


def span(low: float, high: float, digits: int = 3, percent: bool = False) -> _Shown:
    """A range ``low–high`` (one value when both round alike).

    Examples
    --------
    >>> str(span(0.3551, 0.4549)), span(0.3551, 0.4549).value
    ('0.355–0.455', (0.355, 0.455))
    >>> str(span(0.1, 0.1, digits=1, percent=True))
    '10.0 %'
    """
    scale = 100 if percent else 1
    a, b = round(float(low) * scale, digits), round(float(high) * scale, digits)
    unit = " %" if percent else ""
    text = f"{a:.{digits}f}{unit}" if a == b else f"{a:.{digits}f}–{b:.{digits}f}{unit}"
    return _Shown((a, b), text)


def names(items: Iterable[Any], limit: int = 6) -> _Shown:
    """Names joined with 、, the rest counted when more than ``limit``.

    Examples
    --------
    >>> str(names(["行政执法", "矛盾纠纷化解"]))
    '行政执法、矛盾纠纷化解'
    >>> str(names("甲乙丙丁", limit=2))
    '甲、乙 and 2 more'
    """
    items = [str(item) for item in items]
    text = "、".join(items[:limit])
    if len(items) > limit:
        text += f" and {len(items) - limit} more"
    return _Shown(items, text or "none")


def rests_on(**counts: int) -> str:
    """The clause saying what a finding rests on: ``(rests on 5 reports; 16 problems)``.

    Examples
    --------
    >>> rests_on(report=5, problem=16)
    '(rests on 5 reports; 16 problems)'
    """
    parts = [f"{int(n):,} {plural(int(n), noun.replace('_', ' '))}" for noun, n in counts.items()]
    return f"(rests on {'; '.join(parts)})"


def finding(key: str, template: str, **values: Any) -> Finding:
    """A finding made by filling ``template`` with ``values``.

    Values made by :func:`count`, :func:`number`, :func:`share`, :func:`span` or
    :func:`names` are shown as they format themselves and recorded as the value they
    state; any other value is shown with ``str`` and recorded as it is.

    Parameters
    ----------
    key : str
        The kind of finding (notebook number and a name), used by tests to recompute it.
    template : str
        A Markdown sentence with ``{name}`` fields.
    **values
        The values to fill in.

    Returns
    -------
    Finding

    Examples
    --------
    >>> f = finding("02.common", "{m} of {t} are addressed by all {n}.",
    ...             m=count(9), t=count(12, "theme"), n=count(5, "report"))
    >>> f.text, f.values["m"]
    ('9 of 12 themes are addressed by all 5 reports.', 9)
    """
    shown = {
        name: value.text if isinstance(value, _Shown) else str(value)
        for name, value in values.items()
    }
    recorded = {
        name: value.value if isinstance(value, _Shown) else value for name, value in values.items()
    }
    return Finding(key=key, text=template.format(**shown), values=recorded)


def cannot(key: str, what: str, why: str) -> Finding:
    """A sentence saying a finding cannot be computed on this corpus, and why.

    Examples
    --------
    >>> print(cannot("04.closest", "The closest pair", "the corpus holds one report"))
    The closest pair cannot be computed on this corpus: the corpus holds one report.
    """
    text = f"{what} cannot be computed on this corpus: {why}."
    return Finding(key=key, text=text, values={}, computable=False)


def _jsonable(value: Any) -> Any:
    """The value as JSON can hold it (numpy numbers as Python numbers, NaN as None)."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return None if math.isnan(float(value)) else float(value)
    return str(value)
