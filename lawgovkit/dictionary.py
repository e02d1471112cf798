"""User dictionaries: a researcher's own coding scheme, counted in every report.

A :class:`Dictionary` maps categories to terms (政策工具 → 供给型: [...], or the indicators
of the 法治政府建设示范指标体系), optionally with a weight per term and a threshold. Terms are
found in the cleaned text itself, the longest at each point and left to right, the way the
tokenizer protects its domain terms, so a term of several words (``法治政府建设示范创建``)
is counted whole however jieba would cut it; :meth:`Dictionary.tokenizer` gives a
:class:`~lawgovkit.Tokenizer` that keeps them whole too. Large dictionaries are matched with
an Aho–Corasick automaton (:mod:`lawgovkit._matching`).

:func:`dictionary_coverage` counts them per report, section or role: term occurrences,
and the share of the text in sentences where a category's terms weigh at least the
threshold. The bundled themes are such a dictionary (:meth:`Dictionary.themes`), so
:func:`lawgovkit.theme_coverage` is ``dictionary_coverage`` with it.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lawgovkit._data import read_json
from lawgovkit._matching import TermMatcher
from lawgovkit.errors import ArgumentError, DictionaryError, LawgovkitWarning
from lawgovkit.sentences import split_sentences
from lawgovkit.tokenize import Tokenizer

__all__ = ["UNITS", "Dictionary", "dictionary_coverage"]

UNITS = ("report", "section", "role")


@lru_cache(maxsize=65_536)
def _normalised(term: str) -> str:
    """A term in the form of the cleaned text (half-width, simplified characters)."""
    from lawgovkit.clean import normalise, simplify

    return simplify(normalise(term))[0].strip()


class Dictionary:
    """Categories of terms, with weights, to count in reports.

    Parameters
    ----------
    categories : mapping of category -> mapping of term -> weight
        In the order tables show them. Terms are normalised like the cleaned text
        (full-width letters and digits to half-width, traditional to simplified).
    threshold : float
        A sentence is on a category when the weights of its terms found there sum to at
        least this (1 by default: any one term of weight 1).
    name, about : str
        What the dictionary is and where it comes from (shown in its repr).

    Examples
    --------
    >>> d = Dictionary.from_dict({"复议": ["行政复议", "复议委员会"], "普法": ["普法"]})
    >>> d.scores("行政复议委员会开展普法")
    {'复议': 1.0, '普法': 1.0}
    >>> d.categories_of("加强普法宣传")
    ('普法',)
    """

    def __init__(
        self,
        categories: Mapping[str, Mapping[str, float]],
        threshold: float = 1.0,
        name: str = "dictionary",
        about: str = "",
    ) -> None:
        self.categories: dict[str, dict[str, float]] = {}
        for category, terms in categories.items():
            if not isinstance(category, str) or not category:
                raise DictionaryError(f"{name}: a category name must be a non-empty string")
            weights: dict[str, float] = {}
            for term, weight in terms.items():
                if not isinstance(term, str) or not _normalised(term):
                    raise DictionaryError(f"{name}: empty or non-text term {term!r} in {category}")
                try:
                    weights[_normalised(term)] = float(weight)
                except (TypeError, ValueError):
                    raise DictionaryError(
                        f"{name}: weight of {term!r} in {category} must be a number, not {weight!r}"
                    ) from None
            self.categories[category] = weights
        if not self.categories:
            raise DictionaryError(f"{name}: no categories")
        self.threshold = float(threshold)
        self.name = name
        self.about = about
        self._by_term: dict[str, list[tuple[str, float]]] = {}
        for category, weights in self.categories.items():
            for term, weight in weights.items():
                self._by_term.setdefault(term, []).append((category, weight))

    @classmethod
    def from_dict(
        cls, mapping: Mapping[str, Any], *, threshold: float = 1.0, name: str = "dictionary"
    ) -> Dictionary:
        """A dictionary from ``{category: [terms]}`` or ``{category: {term: weight}}``.

        Keys starting with ``_`` are notes, except ``_threshold`` (the threshold) and
        ``_about`` (the provenance).

        Examples
        --------
        >>> d = Dictionary.from_dict({"_about": "示例", "供给型": ["法律援助", "公共法律服务"],
        ...                           "需求型": {"政府购买服务": 1, "购买": 0.5}})
        >>> d.labels, d.about, len(d.terms)
        (['供给型', '需求型'], '示例', 4)
        """
        if not isinstance(mapping, Mapping):
            raise DictionaryError(f"{name}: expected a mapping of category -> terms")
        categories: dict[str, dict[str, float]] = {}
        for key, value in mapping.items():
            if isinstance(key, str) and key.startswith("_"):
                continue
            if isinstance(value, str):
                value = [value]
            if isinstance(value, Mapping):
                categories[str(key)] = dict(value)
            elif isinstance(value, Iterable):
                categories[str(key)] = dict.fromkeys(value, 1.0)
            else:
                raise DictionaryError(
                    f"{name}: category {key!r} needs a list of terms or a term -> weight map, "
                    f"not {type(value).__name__}"
                )
        threshold = mapping.get("_threshold", threshold)
        return cls(categories, threshold=threshold, name=name, about=str(mapping.get("_about", "")))

    @classmethod
    def from_yaml(cls, path: str | Path) -> Dictionary:
        """A dictionary from a YAML file: categories as keys, lists of terms as values.

        Example file::

            _about: 政策工具, after Rothwell & Zegveld (1985)
            供给型: [法律援助, 公共法律服务, 法治宣传教育]
            环境型:
              - 法治政府建设示范创建
              - 考核评价
            需求型: {政府购买服务: 1, 购买: 0.5}

        Raises
        ------
        DictionaryError
            A missing or unreadable file, invalid YAML, or a structure other than the
            above (the message names the file).

        Examples
        --------
        >>> import tempfile, os
        >>> with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False,
        ...                                  encoding="utf-8") as fh:
        ...     _ = fh.write("环境型:\\n  - 法治政府建设示范创建\\n")
        >>> Dictionary.from_yaml(fh.name).terms
        ('法治政府建设示范创建',)
        >>> os.remove(fh.name)
        """
        import yaml

        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise DictionaryError(f"{path}: no such dictionary file") from None
        except (OSError, UnicodeDecodeError) as error:
            raise DictionaryError(f"{path}: cannot read the dictionary: {error}") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise DictionaryError(f"{path}: not valid YAML: {error}") from None
        return cls.from_dict(data if data is not None else {}, name=str(path))

    @classmethod
    def themes(cls) -> Dictionary:
        """The bundled theme taxonomy (``data/themes.json``) as a dictionary.

        Keywords weigh 1, weak keywords 0.5, with the taxonomy's threshold. Built once
        per process and shared: do not modify it.

        Examples
        --------
        >>> Dictionary.themes().categories_of("深化行政复议体制改革")
        ('矛盾纠纷化解',)
        """
        return _themes()

    @property
    def labels(self) -> list[str]:
        """The categories, in order."""
        return list(self.categories)

    @property
    def terms(self) -> tuple[str, ...]:
        """Every term once, in order of first listing."""
        return tuple(self._by_term)

    @cached_property
    def matcher(self) -> TermMatcher:
        """The :class:`~lawgovkit._matching.TermMatcher` of the terms."""
        return TermMatcher(self.terms)

    def tokenizer(self, **kwargs: Any) -> Tokenizer:
        """A :class:`~lawgovkit.Tokenizer` that keeps every term of the dictionary whole.

        Examples
        --------
        >>> d = Dictionary.from_dict({"改革": ["行政复议体制改革"]})
        >>> Tokenizer(backend="jieba")("深化行政复议体制改革")
        ['深化', '行政复议', '体制改革']
        >>> d.tokenizer(backend="jieba")("深化行政复议体制改革")
        ['深化', '行政复议体制改革']
        """
        extra = tuple(kwargs.pop("user_words", ()))
        return Tokenizer(user_words=extra + self.terms, **kwargs)

    def scores(self, text: str) -> dict[str, float]:
        """Sum of the weights of the terms found in ``text``, per category found."""
        found: dict[str, float] = {}
        by_term = self._by_term
        for term in self.matcher.findall(text):
            for category, weight in by_term[term]:
                found[category] = found.get(category, 0.0) + weight
        return {label: found[label] for label in self.categories if label in found}

    def categories_of(self, text: str) -> tuple[str, ...]:
        """The categories whose terms in ``text`` weigh at least the threshold."""
        return tuple(c for c, score in self.scores(text).items() if score >= self.threshold)

    def term_counts(self, corpus: Any, roles: Iterable[str] | None = None) -> pd.DataFrame:
        """How often each term occurs in the corpus (0 for a term never found).

        Returns
        -------
        DataFrame
            Columns category, term, count, reports (in how many reports); in dictionary
            order (a term listed under two categories has a row in each).

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> sections = pd.DataFrame({"report_id": ["r"], "section_id": ["一"],
        ...     "role": ["plans"], "start": [0], "text": ["深化行政复议。加强行政复议。"]})
        >>> corpus = SimpleNamespace(reports=pd.DataFrame(index=["r"]), sections=sections)
        >>> d = Dictionary.from_dict({"复议": ["行政复议", "复议委员会"]})
        >>> d.term_counts(corpus).values.tolist()
        [['复议', '行政复议', 2, 1], ['复议', '复议委员会', 0, 0]]
        """
        counts: dict[str, int] = dict.fromkeys(self.terms, 0)
        reports: dict[str, set] = {term: set() for term in self.terms}
        for report_id, text in _section_texts(corpus, roles):
            for term in self.matcher.findall(text):
                counts[term] += 1
                reports[term].add(report_id)
        rows = [
            (category, term, counts[term], len(reports[term]))
            for category, weights in self.categories.items()
            for term in weights
        ]
        return pd.DataFrame(rows, columns=["category", "term", "count", "reports"])

    def __repr__(self) -> str:
        return (
            f"Dictionary({self.name!r}: {len(self.categories)} categories, "
            f"{len(self.terms)} terms, threshold {self.threshold:g})"
        )


@cache
def _themes() -> Dictionary:
    taxonomy = read_json("themes.json")
    weights = {}
    for theme in taxonomy["themes"]:
        words = dict.fromkeys(theme.get("weak_keywords", []), 0.5)
        words.update(dict.fromkeys(theme["keywords"], 1.0))
        weights[theme["name"]] = words
    return Dictionary(
        weights, threshold=float(taxonomy["threshold"]), name="themes", about=taxonomy["_about"]
    )


def _section_texts(corpus: Any, roles: Iterable[str] | None) -> Iterable[tuple[str, str]]:
    sections = corpus.sections
    if roles is not None:
        sections = sections[sections["role"].isin(list(roles))]
    return zip(sections["report_id"], sections["text"].fillna(""), strict=True)


_KEYS = {"report": ["report_id"], "section": ["report_id", "section_id", "role"]}
_KEYS["role"] = ["report_id", "role"]


def dictionary_coverage(
    corpus: Any,
    dictionary: Dictionary,
    unit: str = "report",
    *,
    roles: Iterable[str] | None = None,
    warn_unused: bool = True,
) -> pd.DataFrame:
    """How much of each report, section or role each category of ``dictionary`` covers.

    Each section is cut into sentences and enumerated items
    (:func:`lawgovkit.sentences.split_sentences`); a sentence is on a category when the
    weights of the category's terms found in it sum to at least the dictionary's
    threshold (a sentence can be on several).

    Parameters
    ----------
    corpus : Corpus
        Needs ``reports`` (index = report id) and ``sections``.
    dictionary : Dictionary
        E.g. :meth:`Dictionary.from_yaml`, or :meth:`Dictionary.themes`.
    unit : {"report", "section", "role"}
        One row per report, per section, or per report and role, for each category.
    roles : iterable of str, optional
        Only sections of these roles count (shares are then of the text in them).
    warn_unused : bool
        Warn (LawgovkitWarning) when terms of the dictionary never occur.

    Returns
    -------
    DataFrame
        Columns: the unit's keys (report_id; report_id, section_id, role; or report_id,
        role), then category, matches (occurrences of the category's terms), sentences
        (sentences on the category), chars (characters of those sentences), share (chars
        / characters of the unit; 0 for a unit with no text). Every unit has a row for
        every category; units in corpus and text order (roles in their order in
        the report), categories in dictionary order. ``attrs["unused_terms"]`` lists
        the terms never found (see :meth:`Dictionary.term_counts`).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> sections = pd.DataFrame({"report_id": ["r"], "section_id": ["一"], "role": ["plans"],
    ...     "start": [0], "text": ["开展法治政府建设示范创建。加强普法。"]})
    >>> corpus = SimpleNamespace(reports=pd.DataFrame(index=["r"]), sections=sections)
    >>> d = Dictionary.from_dict({"示范创建": ["法治政府建设示范创建"], "复议": ["行政复议"]})
    >>> table = dictionary_coverage(corpus, d, warn_unused=False)
    >>> table[["category", "matches", "chars"]].values.tolist()
    [['示范创建', 1, 13], ['复议', 0, 0]]
    >>> table.attrs["unused_terms"]
    ['行政复议']
    """
    if not isinstance(dictionary, Dictionary):
        raise ArgumentError(
            f"dictionary must be a lawgovkit Dictionary (Dictionary.from_yaml / from_dict), "
            f"not {type(dictionary).__name__}"
        )
    if unit not in UNITS:
        raise ArgumentError(f"unknown unit {unit!r}; expected one of {UNITS}")
    labels = dictionary.labels
    ids = list(corpus.reports.index)
    sections = corpus.sections
    if roles is not None:
        sections = sections[sections["role"].isin(list(roles))]
    order = {report_id: i for i, report_id in enumerate(ids)}
    sections = sections[sections["report_id"].isin(order)]
    sections = sections.assign(_order=sections["report_id"].map(order))
    sections = sections.sort_values(["_order", "start"], kind="stable")
    keys = _KEYS[unit]
    units: dict[tuple, list[int]] = {}  # unit key -> [characters, then per category 3 counts]
    if unit == "report":
        for report_id in ids:
            units[(report_id,)] = [0] * (1 + 3 * len(labels))
    position = {label: i for i, label in enumerate(labels)}
    found_terms: set[str] = set()
    by_term = dictionary._by_term
    matcher, threshold = dictionary.matcher, dictionary.threshold
    columns = [sections[k] for k in keys] + [sections["text"].fillna("")]
    for *key, text in zip(*columns, strict=True):
        row = units.setdefault(tuple(key), [0] * (1 + 3 * len(labels)))
        row[0] += len(text)
        for s, e in split_sentences(text):
            scores = [0.0] * len(labels)
            for term in matcher.findall(text[s:e]):
                found_terms.add(term)
                for category, weight in by_term[term]:
                    i = position[category]
                    scores[i] += weight
                    row[1 + 3 * i] += 1
            for i, score in enumerate(scores):
                if score >= threshold and score > 0:
                    row[2 + 3 * i] += 1
                    row[3 + 3 * i] += e - s
    records = []
    for key, row in units.items():
        for i, label in enumerate(labels):
            chars = row[3 + 3 * i]
            share = chars / row[0] if row[0] > 0 else 0.0
            records.append((*key, label, row[1 + 3 * i], row[2 + 3 * i], chars, share))
    table = pd.DataFrame(
        records, columns=[*keys, "category", "matches", "sentences", "chars", "share"]
    )
    for column in ("matches", "sentences", "chars"):
        table[column] = table[column].astype(np.int64)
    table["share"] = table["share"].astype(float)
    unused = [term for term in dictionary.terms if term not in found_terms]
    table.attrs["unused_terms"] = unused
    if unused and warn_unused:
        shown = ", ".join(unused[:10]) + (" ..." if len(unused) > 10 else "")
        warnings.warn(
            f"{len(unused)} of the {len(dictionary.terms)} terms of {dictionary.name} never "
            f"occur in these {unit}s: {shown}",
            LawgovkitWarning,
            stacklevel=2,
        )
    return table
