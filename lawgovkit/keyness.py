"""Distinctive terms: the words a report, or a group of reports, uses more than a reference.

:func:`distinctive_terms` follows quanteda's ``textstat_keyness``: each term's count in a
group is set against its count in a reference in a 2×2 table (:mod:`lawgovkit.association`)
and scored by the log-likelihood G² (signed: positive when the term is over-represented in
the group), its p-value (χ², 1 degree of freedom), the Benjamini–Hochberg adjusted p-value
over every term tested for the group, and the log ratio (effect size, Hardie 2014). The
reference is the rest of the corpus, another group, another corpus, or the genre background
shipped in ``data/genre_background.tsv`` (:func:`genre_background`).

Each text is tokenized once (:meth:`lawgovkit.Tokenizer.tokenize_many`, shared with every
other analysis through the tokenizer's cache) and its terms counted once
(:mod:`lawgovkit.term_counts`, kept for the next keyness call with the same tokenizer);
the groups' counts are sums over integer codes (``np.bincount``); the filters of
``data/keyness.json`` (:data:`FILTERS`) keep single characters, numbers, place names and
the genre's stock words out of the tables unless asked for.
:func:`top_tfidf_terms` gives the highest TF-IDF terms of each document.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from lawgovkit._data import data_path
from lawgovkit.association import SMOOTHING, log_likelihood, log_ratio
from lawgovkit.errors import ArgumentError
from lawgovkit.term_counts import Vocabulary, bags, summed
from lawgovkit.term_filters import FILTERS, excluded_terms, stock_words
from lawgovkit.tfidf import tfidf_matrix
from lawgovkit.tokenize import Tokenizer, default_tokenizer
from lawgovkit.units import text_units, warn_left_out

__all__ = [
    "COLUMNS",
    "FILTERS",
    "SMOOTHING",
    "distinctive_terms",
    "excluded_terms",
    "genre_background",
    "keyness_table",
    "stock_words",
    "term_frequencies",
    "top_tfidf_terms",
]

COLUMNS = [
    "group",
    "term",
    "count_group",
    "count_rest",
    "reports_group",
    "g2",
    "p",
    "p_adj",
    "log_ratio",
]
_SIDES = ("over", "both")


def genre_background() -> pd.DataFrame:
    """The genre background: term frequencies of rule-of-law government reports.

    Read from ``data/genre_background.tsv``, whose header says what they were measured
    from (the five published reports in ``seeds/``, tokenized with the default
    :class:`~lawgovkit.Tokenizer`; only counts, no text). Used by
    ``distinctive_terms(..., reference="genre")``.

    Returns
    -------
    DataFrame
        Columns term, count (tokens), reports (in how many of the reports it occurs).

    Examples
    --------
    >>> background = genre_background()
    >>> list(background.columns), bool(background["count"].sum() > 5_000)
    (['term', 'count', 'reports'], True)
    """
    return pd.read_csv(
        data_path("genre_background.tsv"),
        sep="\t",
        comment="#",
        dtype={"term": str, "count": np.int64, "reports": np.int64},
        keep_default_na=False,
    )


def term_frequencies(corpus: Any, unit: str = "report", tokenizer: Tokenizer | None = None):
    """Each term's count and the number of reports it occurs in, over a whole corpus.

    How ``data/genre_background.tsv`` is made (from the seeds); also a way to keep the
    counts of a reference corpus without its texts.

    Returns
    -------
    DataFrame
        Columns term, count, reports; sorted by count descending, then term.

    Examples
    --------
    >>> units = pd.DataFrame({"id": ["a", "b"], "text": ["行政复议 行政复议", "行政复议 普法"]})
    >>> term_frequencies(units).values.tolist()
    [['行政复议', 3, 2], ['普法', 1, 1]]
    """
    units = text_units(corpus, unit)
    counted = bags(default_tokenizer(tokenizer), units["text"].tolist())
    size = len(counted.vocabulary.words)
    terms, counts = summed(counted.codes, counted.counts, size)
    # the distinct (report, term) pairs, then how many reports each term is in
    report, _ = pd.factorize(units["report_id"], use_na_sentinel=False)
    pairs = np.repeat(report.astype(np.int64), counted.lengths) * size + counted.codes
    present = summed(pairs, None, (int(report.max(initial=-1)) + 1) * size)[0] % size
    reports = np.bincount(present, minlength=size)[terms]
    table = pd.DataFrame(
        {
            "term": counted.vocabulary.terms(terms).tolist(),
            "count": counts.astype(np.int64).tolist(),
            "reports": reports.tolist(),
        }
    )
    return table.sort_values(["count", "term"], ascending=[False, True], ignore_index=True)


def _renumbered(vocabulary: Vocabulary, terms: np.ndarray, outside: tuple | None):
    """The terms in play numbered afresh (the vocabulary is shared with other calls):
    (their words, ``terms`` renumbered, the ``outside`` reference's counts by new number)."""
    size = len(vocabulary.words)
    used = np.bincount(terms, minlength=size) > 0
    if outside is not None:
        used |= np.bincount(outside[0], outside[1], minlength=size) > 0
    used = np.flatnonzero(used)
    number = np.zeros(size, dtype=np.int64)
    number[used] = np.arange(len(used))
    if outside is not None:
        outside = np.bincount(number[outside[0]], outside[1], minlength=len(used)).astype(float)
    return vocabulary.terms(used), number[terms], outside


def _dispersion(units, rows, pair_unit, pair_group, pair_term, n_terms, n_groups):
    """In how many distinct reports of its group each (group, term) entry occurs, in the
    order of the entries (ascending group * n_terms + term)."""
    report_ids = units["report_id"] if "report_id" in units.columns else units.index
    if report_ids.is_unique:  # one unit per report: each (unit, term) pair is a report's
        return summed(pair_group * n_terms + pair_term, None, n_groups * n_terms)[1]
    owner, _ = pd.factorize(pd.Series(list(zip(rows, report_ids, strict=True))))
    n_owners = int(owner.max()) + 1  # (group, report) pairs
    present = summed(owner[pair_unit] * n_terms + pair_term, None, n_owners * n_terms)[0]
    owner_group = np.zeros(n_owners, dtype=np.int64)
    owner_group[owner] = rows
    owner_of, term = np.divmod(present, n_terms)
    return summed(owner_group[owner_of] * n_terms + term, None, n_groups * n_terms)[1]


def keyness_table(
    units: pd.DataFrame,
    group: str = "group",
    n: int | None = 20,
    tokenizer: Tokenizer | None = None,
    min_count: int = 2,
    *,
    reference: Any = "rest",
    min_reports: int = 1,
    exclude: Iterable[str] = FILTERS,
    places: Iterable[str] = (),
    sides: str = "over",
) -> pd.DataFrame:
    """Keyness of each group's terms against a reference, from a DataFrame of units.

    Parameters
    ----------
    units : DataFrame
        Columns ``text``, the ``group`` column and optionally ``report_id`` (for the
        dispersion count; each unit is its own report otherwise).
    group : str
        The column holding each unit's group.
    n : int or None
        Terms kept per group (and side); None keeps all.
    tokenizer : Tokenizer, optional
        Defaults to the package's shared tokenizer.
    min_count : int
        Terms seen fewer times than this in the group (for terms under-represented: in
        the reference) are left out.
    reference : "rest", a group label, "genre" or DataFrame
        What each group is set against (see :func:`distinctive_terms`); a DataFrame is
        units of another corpus (column ``text``).
    min_reports : int
        Terms found in fewer of the group's reports are left out (dispersion).
    exclude, places
        The default filters, see :func:`excluded_terms`; ``exclude=()`` keeps every term.
    sides : {"over", "both"}
        ``"over"``: only terms over-represented in the group (g2 > 0); ``"both"``: also
        the terms over-represented in the reference (g2 < 0), ``n`` of each.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`: group, term, count_group, count_rest (the count in the
        reference), reports_group, g2, p, p_adj, log_ratio; sorted by group, then
        over-represented terms by g2 descending, then under-represented ones by g2
        ascending, then term. ``attrs["reference"]`` says what the reference was.

    Examples
    --------
    >>> units = pd.DataFrame({"group": ["甲", "甲", "乙"],
    ...     "text": ["行政复议 行政复议", "行政复议 人民调解", "人民调解 法律援助 法律援助"]})
    >>> keyness_table(units, n=1)[["group", "term", "count_group", "count_rest"]].values.tolist()
    [['乙', '法律援助', 2, 0], ['甲', '行政复议', 3, 0]]
    """
    tokenizer = default_tokenizer(tokenizer)
    # a missing text is empty (pandas 3 keeps it missing through astype(str); pandas 2
    # would make it the word "nan")
    counted = bags(tokenizer, units["text"].fillna("").astype(str))
    settings = (min_count, reference, min_reports, exclude, places, sides)
    return _keyness(units, counted, group, n, tokenizer, *settings)


def _keyness(
    units, counted, group, n, tokenizer, min_count, reference, min_reports, exclude, places, sides
) -> pd.DataFrame:
    """:func:`keyness_table`, the units' term counts (:func:`bags`) given."""
    if sides not in _SIDES:
        raise ArgumentError(f"sides must be one of {_SIDES}, not {sides!r}")
    has_text = counted.lengths > 0
    # the columns read below, without the texts (copying them costs more than the rest)
    units = units[[c for c in dict.fromkeys([group, "report_id"]) if c in units.columns]]
    units = units[has_text].reset_index(drop=True)
    labels = units[group].astype(str).to_numpy()
    groups = sorted(set(labels))
    external = None
    if isinstance(reference, pd.DataFrame):
        external = bags(tokenizer, reference["text"].fillna("").astype(str).tolist())
        described = "another corpus"
    elif reference is None or (isinstance(reference, str) and reference == "rest"):
        reference, described = "rest", "rest"
        if len(groups) < 2:
            raise ArgumentError(
                f"distinctive terms need at least two groups with text; found {groups}"
            )
    elif isinstance(reference, str) and reference == "genre":
        described = "genre background"
    elif str(reference) in groups:
        reference = described = str(reference)
        if len(groups) < 2:
            raise ArgumentError(f"no group to set against the reference group {reference!r}")
    else:
        raise ArgumentError(
            f"reference must be 'rest', 'genre', a corpus or one of the groups {groups}; "
            f"got {reference!r}"
        )
    if not groups:
        raise ArgumentError("distinctive terms need text; every unit is empty")
    position = {label: i for i, label in enumerate(groups)}
    rows = np.fromiter((position[label] for label in labels), dtype=np.int64, count=len(labels))
    # every (unit, term) pair of the units with text: its group, term and count
    pair_unit = np.repeat(np.arange(len(units)), counted.lengths[has_text])
    pair_group, pair_term, pair_count = rows[pair_unit], counted.codes, counted.counts
    outside = None  # the reference's terms and counts, when it is not in the corpus
    if external is not None:
        outside = (external.codes, external.counts)
    elif described == "genre background":
        background = genre_background()
        outside = (counted.vocabulary.codes(background["term"]), background["count"].to_numpy())
    vocabulary, pair_term, outside = _renumbered(counted.vocabulary, pair_term, outside)
    n_terms, n_groups = len(vocabulary), len(groups)
    # each group's terms: the (group, term) entries with a count, ascending
    entries, counts = summed(pair_group * n_terms + pair_term, pair_count, n_groups * n_terms)
    entry_group, entry_term = np.divmod(entries, n_terms)
    sizes = np.bincount(pair_group, pair_count, minlength=n_groups)
    spread = _dispersion(units, rows, pair_unit, pair_group, pair_term, n_terms, n_groups)

    if described == "rest":
        totals = np.bincount(pair_term, pair_count, minlength=n_terms)
        reference_counts = None
    elif outside is not None:
        reference_counts = outside
    else:
        in_reference = entry_group == position[reference]
        reference_counts = np.bincount(
            entry_term[in_reference], counts[in_reference], minlength=n_terms
        )
    reference_size = None if reference_counts is None else reference_counts.sum()
    own = position.get(reference, -1) if isinstance(reference, str) else -1
    dropped = excluded_terms(vocabulary, exclude, places)

    keep = (entry_group != own) & ~dropped[entry_term]
    parts = [(entry_group[keep], entry_term[keep], counts[keep], spread[keep])]
    if sides == "both":  # the terms of the reference a group lacks (its own included)
        in_reference = totals if reference_counts is None else reference_counts
        candidates = np.flatnonzero((in_reference > 0) & (in_reference >= min_count) & ~dropped)
        targets = np.array([g for g in range(n_groups) if g != own], dtype=np.int64)
        absent = (targets[:, None] * n_terms + candidates[None, :]).ravel()
        at = np.minimum(np.searchsorted(entries, absent), len(entries) - 1)
        absent = absent[entries[at] != absent]
        zeros = np.zeros(len(absent))
        parts.append((absent // n_terms, absent % n_terms, zeros, zeros))
    g_rows = np.concatenate([p[0] for p in parts]).astype(np.int64)
    t_cols = np.concatenate([p[1] for p in parts]).astype(np.int64)
    a = np.concatenate([p[2] for p in parts]).astype(float)
    dispersion = np.concatenate([p[3] for p in parts]).astype(np.int64)
    size_group = sizes[g_rows].astype(float)
    if reference_counts is None:
        b = totals[t_cols] - a
        size_reference = sizes.sum() - size_group
    else:
        b = reference_counts[t_cols]
        size_reference = np.full(len(a), float(reference_size))
    # which rows are tested, before any statistic is computed (most rows of a large
    # corpus are terms seen once in a group, below min_count)
    over = a * size_reference > b * size_group
    tested = over & (a >= min_count)
    if sides == "both":
        tested |= (a * size_reference < b * size_group) & (b >= min_count)
    g_rows, t_cols, a, b = g_rows[tested], t_cols[tested], a[tested], b[tested]
    size_group, size_reference = size_group[tested], size_reference[tested]
    dispersion = dispersion[tested]
    g2, p = log_likelihood(a, b, size_group, size_reference)
    ratio = log_ratio(a, b, size_group, size_reference)
    kept = (g2 > 0) & (dispersion >= min_reports)
    if sides == "both":
        kept |= g2 < 0
    g_rows, t_cols, a, b, dispersion, g2, p, ratio = (
        column[kept] for column in (g_rows, t_cols, a, b, dispersion, g2, p, ratio)
    )
    p_adj = _adjusted_by_group(g_rows, p)
    side = np.where(g2 > 0, 0, 1)
    terms = vocabulary[t_cols]
    rows = _ordered(g_rows, side, np.where(side == 0, -g2, g2), terms, n)
    table = pd.DataFrame(
        {
            "group": np.asarray(groups, dtype=object)[g_rows[rows]],
            "term": terms[rows],
            "count_group": a[rows].astype(np.int64),
            "count_rest": np.rint(b[rows]).astype(np.int64),
            "reports_group": dispersion[rows].astype(np.int64),
            "g2": g2[rows],
            "p": p[rows],
            "p_adj": p_adj[rows],
            "log_ratio": ratio[rows],
        }
    )
    table.attrs["reference"] = described
    return table


def _ordered(group, side, key, terms, n: int | None) -> np.ndarray:
    """The rows in the table's order (group, side, key, then term), the first ``n`` of each
    (group, side) (all for None). The numbers are sorted first; terms are compared only
    within the runs of equal numbers that reach a group's first ``n`` rows."""
    if n is None:
        _, rank = np.unique(terms, return_inverse=True)
        return np.lexsort((rank, key, side, group))
    order = np.lexsort((key, side, group))
    if not len(order):
        return order
    g, s, k = group[order], side[order], key[order]
    segment = np.r_[True, (g[1:] != g[:-1]) | (s[1:] != s[:-1])]  # each (group, side)
    run = segment | np.r_[True, k[1:] != k[:-1]]  # each run of equal keys in one
    position = np.arange(len(order)) - np.flatnonzero(segment)[np.cumsum(segment) - 1]
    starts_within = position[np.flatnonzero(run)][np.cumsum(run) - 1] < n
    chosen = order[starts_within]
    ranked = sorted(
        zip(
            group[chosen].tolist(),
            side[chosen].tolist(),
            key[chosen].tolist(),
            terms[chosen].tolist(),
            chosen.tolist(),
            strict=True,
        )
    )
    taken: dict[tuple[int, int], int] = {}
    rows = []
    for g_row, s_row, _, _, r in ranked:
        if taken.get((g_row, s_row), 0) < n:
            taken[(g_row, s_row)] = taken.get((g_row, s_row), 0) + 1
            rows.append(r)
    return np.asarray(rows, dtype=np.int64)


def _adjusted_by_group(groups: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values within each group, all groups at once
    (:func:`lawgovkit.association.benjamini_hochberg` per group, vectorised)."""
    adjusted = np.empty(len(p))
    if len(p) == 0:
        return adjusted
    codes, _ = pd.factorize(groups)
    order = np.lexsort((p, codes))  # by group, then p ascending
    sorted_codes, sorted_p = codes[order], p[order]
    sizes = np.bincount(codes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    rank = np.arange(len(p)) - starts[sorted_codes] + 1
    scaled = sorted_p * sizes[sorted_codes] / rank
    # the running minimum from each group's largest p down to its smallest: group by group
    # for a few groups, by pandas' grouped cummin for many
    if len(sizes) <= 64:
        ends = np.cumsum(sizes).tolist()
        backwards = np.empty(len(p))
        for start, end in zip([0, *ends[:-1]], ends, strict=True):
            backwards[start:end] = np.minimum.accumulate(scaled[start:end][::-1])[::-1]
    else:
        backwards = pd.Series(scaled[::-1]).groupby(sorted_codes[::-1]).cummin().to_numpy()[::-1]
    adjusted[order] = np.minimum(backwards, 1.0)
    return adjusted


def _groups(corpus: Any, units: pd.DataFrame, by: str | None, unit: str) -> pd.DataFrame:
    """``units`` with a ``group`` column for ``by``; units with no group left out (warned)."""
    if by is None:
        units["group"] = "corpus"
    elif by in ("report", "id"):
        units["group"] = units["report_id"] if by == "report" else units["id"]
    elif by in units.columns:
        units["group"] = units[by]
    elif not isinstance(corpus, pd.DataFrame) and by in (reports := corpus.reports).columns:
        units["group"] = units["report_id"].map(reports[by])
    else:
        columns = [] if isinstance(corpus, pd.DataFrame) else list(corpus.reports.columns)
        raise ArgumentError(f"cannot group by {by!r}; expected 'report' or one of {columns}")
    missing = units["group"].isna()
    if not missing.any():
        return units  # not copied: a copy of the texts costs more than the comparison
    warn_left_out([str(i) for i in units.loc[missing, "id"]], f"{unit} by {by}")
    return units[~missing]


def _corpus_places(corpus: Any) -> list[str]:
    """The places a corpus's reports are about (jurisdiction, city, province)."""
    reports = getattr(corpus, "reports", None)
    if not isinstance(reports, pd.DataFrame):
        return []
    columns = [c for c in ("jurisdiction", "city", "province") if c in reports.columns]
    return sorted({v for c in columns for v in reports[c].dropna() if isinstance(v, str)})


def distinctive_terms(
    corpus: Any,
    by: str | None = "report",
    unit: str = "report",
    n: int = 20,
    tokenizer: Tokenizer | None = None,
    min_count: int = 2,
    *,
    reference: Any = "rest",
    min_reports: int = 1,
    exclude: Iterable[str] = FILTERS,
    sides: str = "over",
) -> pd.DataFrame:
    """The terms each report, or each group of reports, uses distinctively (G² keyness).

    Parameters
    ----------
    corpus : Corpus or DataFrame
        A corpus, or a DataFrame of units (``id``, ``text`` and the ``by`` column).
    by : str or None
        ``"report"`` (each report is a group) or a column of ``corpus.reports``
        (``"province"``, ``"level"``, ``"body"``, ``"report_year"`` ...): each value's
        reports form a group; reports with no value are left out (warned). None: the whole
        corpus is one group, ``"corpus"`` (for a reference outside it).
    unit : str
        Which text: ``"report"``, ``"problems"``, ``"plans"``, ``"section"`` or
        ``"theme:<name>"``.
    n : int
        Terms per group (per side with ``sides="both"``).
    tokenizer : Tokenizer, optional
        E.g. ``Tokenizer(officialese=True)``; default the shared tokenizer.
    min_count : int
        Minimum count of a term in the group.
    reference : "rest", a group, Corpus, DataFrame or "genre"
        What each group is set against: ``"rest"`` (or None, the default) the other
        reports of the corpus; a value of the ``by`` column (e.g. ``"湖北省"``: each other
        group against that one); another corpus (a Corpus or DataFrame of units, the same
        ``unit`` of it); ``"genre"``: the genre background (:func:`genre_background`,
        counted with the default tokenizer: tokens yours keeps and it drops count 0 there).
    min_reports : int
        Dispersion: terms found in fewer of the group's reports are left out.
    exclude : iterable of str
        Filters, some of :data:`FILTERS` (all by default: single characters, numbers,
        place names including the corpus's own places in short form, the genre's stock
        words); ``exclude=()`` keeps every term. They choose which terms are shown; the
        statistics count every token.
    sides : {"over", "both"}
        ``"both"`` also lists the terms over-represented in the reference (g2 < 0), as
        :func:`lawgovkit.plot.keyness` draws.

    Returns
    -------
    DataFrame
        Columns group, term, count_group, count_rest (count in the reference),
        reports_group (dispersion), g2 (signed log-likelihood), p (χ², 1 df), p_adj
        (Benjamini–Hochberg over every term tested for the group), log_ratio (base 2,
        counts smoothed by 0.5); sorted by group then g2 descending.
        ``attrs["reference"]`` names the reference.

    Examples
    --------
    >>> units = pd.DataFrame({"id": ["a", "b"],
    ...     "text": ["行政复议 行政复议 行政复议 人民调解", "人民调解 法律援助 法律援助 法律援助"]})
    >>> distinctive_terms(units, n=1)[["group", "term"]].values.tolist()
    [['a', '行政复议'], ['b', '法律援助']]
    >>> other = pd.DataFrame({"id": ["x"], "text": ["人民调解 人民调解 法律援助"]})
    >>> distinctive_terms(units, by=None, reference=other, n=1)[["group", "term"]].values.tolist()
    [['corpus', '行政复议']]
    """
    units = _groups(corpus, text_units(corpus, unit), by, unit)
    tokenizer = default_tokenizer(tokenizer)
    texts = units["text"].reset_index(drop=True)
    counted = bags(tokenizer, texts)
    # the units with nothing but spaces (only those without tokens need reading)
    empty = np.flatnonzero(counted.lengths == 0).tolist()
    ids = units["id"].iloc[empty].tolist()
    warn_left_out(
        [str(i) for i, at in zip(ids, empty, strict=True) if not texts.iat[at].strip()], unit
    )
    places = _corpus_places(corpus)
    if (
        not isinstance(reference, (str, pd.DataFrame))
        and reference is not None
        and hasattr(reference, "sections")
    ):
        places += _corpus_places(reference)
        reference = text_units(reference, unit)
    elif isinstance(reference, pd.DataFrame):
        reference = text_units(reference, unit)
    try:
        return _keyness(
            units,
            counted,
            "group",
            n,
            tokenizer,
            min_count,
            reference,
            min_reports,
            exclude,
            places,
            sides,
        )
    except ArgumentError as error:
        raise ArgumentError(f"by={by!r}, unit={unit!r}: {error}") from None


def top_tfidf_terms(
    corpus: Any,
    n: int = 10,
    unit: str = "report",
    tokenizer: Tokenizer | None = None,
    **tfidf_kwargs: Any,
) -> pd.DataFrame:
    """The ``n`` terms with the highest TF-IDF weight in each document.

    The documents and their TF-IDF vectors are those of
    :func:`lawgovkit.similarity.similarity_matrix` for the same ``corpus``, ``unit``,
    ``tokenizer`` and ``tfidf_kwargs`` (word tokens); ``n`` is the number of terms kept
    per document.

    Returns
    -------
    DataFrame
        Columns id, rank (1 = highest), term, tfidf; documents in corpus order.

    Examples
    --------
    >>> units = pd.DataFrame({"id": ["a", "b"], "text": ["行政复议 人民调解", "人民调解 公证"]})
    >>> top_tfidf_terms(units, n=1)[["id", "term"]].values.tolist()
    [['a', '行政复议'], ['b', '公证']]
    """
    fitted = tfidf_matrix(text_units(corpus, unit), "word", tokenizer, **tfidf_kwargs)
    warn_left_out(fitted.left_out, unit)
    terms = fitted.vectorizer.get_feature_names_out()
    rows = []
    for i, doc_id in enumerate(fitted.ids):
        row = fitted.matrix.getrow(i)
        order = sorted(zip(-row.data, terms[row.indices], strict=True))[:n]
        rows.extend((doc_id, rank, term, -weight) for rank, (weight, term) in enumerate(order, 1))
    return pd.DataFrame(rows, columns=["id", "rank", "term", "tfidf"])
