"""The same report loaded twice: saved as .txt and as .html, in UTF-8 and in GBK, copied.

Two reports are duplicates when their cleaned texts are the same once compared on their
matching characters (letters and digits, one form for width and script:
:mod:`lawgovkit.shingles`), or nearly the same: at least ``threshold`` (0.9) of their
distinct 15-character windows in common (Jaccard), and no conflict in what they say of
themselves (place, year). A report copied into the next year's report under a new year is
therefore not a duplicate: it is text reuse (:mod:`lawgovkit.reuse`).

Candidates come from MinHash with banding (32 minima of the windows' hashes in 8 bands of
4: pairs at Jaccard 0.9 meet in a band with probability 0.9998, pairs at 0.3 with 0.06),
each candidate pair then checked on its full window sets; no pair of reports is compared
otherwise. Of a group of duplicates, the report with the first id is kept; the others name
it in ``duplicate_of``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from functools import cache
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lawgovkit._parallel import n_workers, surviving_runs
from lawgovkit._schema import Column, build
from lawgovkit.shingles import matching_codes, window_hashes

if TYPE_CHECKING:  # pragma: no cover
    from lawgovkit.report import Report

__all__ = [
    "DUPLICATES_SCHEMA",
    "DUPLICATE_COLUMNS",
    "DUPLICATE_MODES",
    "describe",
    "duplicate_of",
    "find_duplicates",
    "set_aside",
]

#: :func:`find_duplicates` (and ``corpus.duplicates``): one row per duplicate, sorted by id.
DUPLICATES_SCHEMA = (
    Column("id", "object", "the report left out (or kept with duplicates='keep')"),
    Column("duplicate_of", "object", "the report it repeats: the first id of its group"),
    Column("similarity", "float64", "Jaccard of their 15-character windows (1.0: identical)"),
    Column("path", "object", "its file"),
)
DUPLICATE_COLUMNS = tuple(c.name for c in DUPLICATES_SCHEMA)
#: What ``load_corpus(..., duplicates=...)`` does with them.
DUPLICATE_MODES = ("keep", "flag", "drop")
#: Share of distinct windows two near-identical reports have in common (Jaccard).
THRESHOLD = 0.9
_WINDOW = 15
_BANDS, _ROWS = 8, 4
# Fields that, when both reports state them and they differ, make two texts two reports.
_IDENTITY = ("jurisdiction", "report_year")
# Each report's signature costs about 0.15 ms (its matching characters, windows and
# minima): from this many reports on they are made by several processes (forking one that
# holds the corpus costs about 0.07 s), in runs of _RUN_REPORTS texts. Made in the loading
# workers, interleaved with parsing, they cost 0.65 ms each (the hashing's arrays fall out
# of the CPU caches).
_PARALLEL_MIN_REPORTS = 4_000
_RUN_REPORTS = 500


def _sketch(windows: np.ndarray) -> tuple[int, ...]:
    """The band keys of one report's windows (empty for a very short text). The minima of
    the windows' salted hashes are those of the distinct windows: no need to sort them."""
    if not len(windows):
        return ()
    minima = np.bitwise_xor(windows[None, :], _salts()[:, None]).min(axis=1)
    return tuple(hash(tuple(minima[b * _ROWS : (b + 1) * _ROWS].tolist())) for b in range(_BANDS))


def _signature(text: str) -> tuple[bytes, tuple[int, ...]]:
    """A text's key for being the same report (its matching characters, hashed) and the
    band keys of its windows."""
    codes, _ = matching_codes(text)
    key = hashlib.blake2b(codes.tobytes(), digest_size=20).digest()
    return key, _sketch(window_hashes(codes, _WINDOW))


def _signature_run(texts: list[str]) -> list[tuple[bytes, tuple[int, ...]]]:
    return [_signature(text) for text in texts]


def _signatures(texts: list[str], n_jobs: int | None) -> Iterator[tuple[bytes, tuple[int, ...]]]:
    """Each text's :func:`_signature`, in order; by several processes for many texts (the
    band keys are hashes of int tuples: the same in every process)."""
    workers = n_workers(n_jobs, len(texts), worth_it=len(texts) >= _PARALLEL_MIN_REPORTS)
    if workers <= 1:
        return map(_signature, texts)
    runs = [texts[i : i + _RUN_REPORTS] for i in range(0, len(texts), _RUN_REPORTS)]
    # a run whose worker dies is made here
    made = surviving_runs(runs, _signature_run, _signature_run, workers, _signature_run)
    return chain.from_iterable(made)


@cache
def _salts() -> np.ndarray:
    salts = np.random.default_rng(17).integers(1, 2**63, _BANDS * _ROWS, dtype=np.int64)
    return salts.astype(np.uint64)


def _distinct_windows(text: str) -> np.ndarray:
    codes, _ = matching_codes(text)
    return np.unique(window_hashes(codes, _WINDOW))


def _compatible_pairs(
    members: list[int], identities: list[tuple[Any, ...]]
) -> Iterator[tuple[int, int]]:
    """The pairs ``(i, j)``, ``i < j``, of a band's ``members`` (ascending) whose identities
    (place, year: None where unknown) do not conflict: where both know a field, they agree.

    Members that know every field are grouped by it, so a band of many reports of other
    places and years costs no pair at all (a corpus of one template's reports fills
    bands with such).

    Examples
    --------
    >>> ids = [("甲区", 2023), ("乙区", 2023), ("甲区", 2023), (None, 2023), ("乙区", 2022)]
    >>> sorted(_compatible_pairs([0, 1, 2, 3, 4], ids))
    [(0, 2), (0, 3), (1, 3), (2, 3)]
    """
    whole: dict[tuple[Any, ...], list[int]] = {}
    partial: list[int] = []
    for i in members:
        identity = identities[i]
        if None in identity:
            partial.append(i)
        else:
            whole.setdefault(identity, []).append(i)
    for group in whole.values():
        for n, i in enumerate(group):
            for j in group[n + 1 :]:
                yield i, j
    unknown = set(partial)
    for p in partial:
        for i in members:
            if i == p or (i in unknown and i > p):  # each pair of partial members once
                continue
            if not _conflict(identities[p], identities[i]):
                yield min(i, p), max(i, p)


def _conflict(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return any(x is not None and y is not None and x != y for x, y in zip(a, b, strict=True))


def find_duplicates(
    reports: Sequence[Report], *, threshold: float = THRESHOLD, n_jobs: int | None = None
) -> pd.DataFrame:
    """The reports that repeat an earlier one (by id), and which.

    Parameters
    ----------
    reports : sequence of Report
    threshold : float
        Jaccard similarity of the distinct 15-character windows from which two texts
        that do not conflict on place or year count as the same report (1.0: identical
        matching characters only).
    n_jobs : int, optional
        Processes making the reports' signatures, as for :func:`lawgovkit.load_corpus`
        (None: several for 4,000 reports or more, on Linux).

    Returns
    -------
    DataFrame
        One row per duplicate, sorted by id: ``id``, ``duplicate_of`` (the first id of its
        group), ``similarity`` (Jaccard with it; 1.0 for the same matching characters),
        ``path``.

    Examples
    --------
    >>> from lawgovkit.report import Report
    >>> text = "某区2023年度法治政府建设情况报告\\n一、主要工作\\n推进严格规范公正文明执法。"
    >>> a = Report.from_text(text, id="a")
    >>> b = Report.from_text(text.replace("\\n", "\\r\\n").replace("。", "．"), id="b")
    >>> find_duplicates([b, a])[["id", "duplicate_of", "similarity"]].values.tolist()
    [['b', 'a', 1.0]]
    """
    ordered = sorted(reports, key=lambda r: r.id)
    exact: dict[bytes, int] = {}
    pairs: dict[tuple[int, int], float] = {}
    buckets: dict[tuple[int, int], list[int]] = {}
    for i, (key, sketch) in enumerate(_signatures([r.text for r in ordered], n_jobs)):
        if key in exact:
            pairs[(exact[key], i)] = 1.0
        else:
            exact[key] = i
        for band, value in enumerate(sketch):
            buckets.setdefault((band, value), []).append(i)
    # the windows of a report are computed again only if it is a candidate worth checking
    # (most reports are in none, and keeping every report's windows costs memory)
    windows: dict[int, np.ndarray] = {}

    def distinct(i: int) -> np.ndarray:
        if i not in windows:
            windows[i] = _distinct_windows(ordered[i].text)
        return windows[i]

    identities = [tuple(r.meta.get(f) for f in _IDENTITY) for r in ordered]
    checked: set[tuple[int, int]] = set()  # a pair meeting in several bands is checked once
    for members in buckets.values():
        for i, j in _compatible_pairs(members, identities):
            if (i, j) in checked or (i, j) in pairs:
                continue
            checked.add((i, j))
            jaccard = _jaccard(distinct(i), distinct(j))
            if jaccard >= threshold:
                pairs[(i, j)] = jaccard
    # groups (union-find); each duplicate names the first report of its group
    parent = list(range(len(ordered)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in sorted(pairs):
        a, b = root(i), root(j)
        parent[max(a, b)] = min(a, b)
    rows = []
    for i, report in enumerate(ordered):
        first = root(i)
        if first != i:
            if (first, i) in pairs:
                similarity = pairs[(first, i)]
            else:  # in the group through another member
                similarity = _jaccard(distinct(first), distinct(i))
            rows.append((report.id, ordered[first].id, round(similarity, 4), report.path))
    return build(
        {name: [row[i] for row in rows] for i, name in enumerate(DUPLICATE_COLUMNS)},
        DUPLICATES_SCHEMA,
    )


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / max(len(a) + len(b) - common, 1)


def set_aside(
    reports: Sequence[Report],
    mode: str,
    *,
    threshold: float = THRESHOLD,
    cache: tuple[Any, str] | None = None,
    n_jobs: int | None = None,
) -> tuple[list[Report], pd.DataFrame]:
    """The reports to keep in a corpus under ``mode``, and the duplicates table.

    ``keep``: every report; ``flag`` and ``drop``: the duplicates are left out (the first
    of each group stays). The caller warns for ``flag``. ``cache`` is where the table is
    kept on disk and under which key (a :class:`~lawgovkit.cache.ReportCache` and a key of
    everything the reports' ids, texts and metadata depend on): a re-run then finds no
    duplicates again. ``n_jobs``: see :func:`find_duplicates`.
    """
    table = None
    if cache is not None and threshold == THRESHOLD:
        store, key = cache
        texts = {r.id: r.text for r in reports}
        table = store.get_table(key, "duplicates", texts)
        if table is None:
            table = find_duplicates(reports, threshold=threshold, n_jobs=n_jobs)
            store.put_table(key, "duplicates", table, texts)
        else:  # the files' paths as given this time (the key knows them absolute only)
            paths = {r.id: r.path for r in reports}
            table["path"] = pd.Series([paths[i] for i in table["id"]], dtype=object)
    if table is None:
        table = find_duplicates(reports, threshold=threshold, n_jobs=n_jobs)
    if mode == "keep" or not len(table):
        return list(reports), table
    left_out = set(table["id"])
    return [r for r in reports if r.id not in left_out], table


def duplicate_of(ids: Sequence[str], table: pd.DataFrame) -> pd.Series:
    """The ``duplicate_of`` column of ``corpus.reports``: the report each id repeats, or None."""
    first = dict(zip(table["id"], table["duplicate_of"], strict=True))
    return pd.Series([first.get(i) for i in ids], index=ids, dtype=object)


def describe(table: pd.DataFrame) -> str:
    """One line naming each duplicate and the report it repeats.

    Examples
    --------
    >>> describe(pd.DataFrame({"id": ["b.html", "b_gbk"], "duplicate_of": ["b.txt", "b.txt"]}))
    'b.html (same report as b.txt), b_gbk (same report as b.txt)'
    """
    return ", ".join(
        f"{rid} (same report as {first})"
        for rid, first in zip(table["id"], table["duplicate_of"], strict=True)
    )
