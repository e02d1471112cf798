"""Text reuse: passages reports share, how much of each report is found in another, and
how much of each report is the genre's stock text, copied from its own place or new.

Whole-report similarity cannot say that two reports share a copied paragraph. These
functions find the shared passages themselves, by exact matching of the reports'
*matching characters* (letters and digits, one form for full/half width and for simplified/
traditional characters, punctuation and spacing ignored:
:func:`lawgovkit.shingles.matching_codes`), so a passage is found wherever it lies in each
report, whatever the order of the paragraphs. No pair of reports is compared as a pair:
every window of ``min_chars`` characters of every report is hashed and sorted once
(:mod:`lawgovkit._reuse_index` says how), which scales to tens of thousands of reports.

- :func:`shared_passages`: one row per passage per report holding it (offsets into the
  report's cleaned text, its section and role), grouped by ``passage_id``;
- :func:`reuse_matrix`: the share of report A's text (or of one role's text) found in B;
- :func:`reuse_summary`: per report and role, the share shared with any other report, with
  other reports of the same place, that is boilerplate, and that repeats the same place's
  report of the year before.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lawgovkit._reuse_index import ReuseIndex
from lawgovkit._schema import Column, build
from lawgovkit.errors import ArgumentError
from lawgovkit.sections import ROLES

if TYPE_CHECKING:  # pragma: no cover
    from lawgovkit.corpus import Corpus

__all__ = [
    "PASSAGES_SCHEMA",
    "PASSAGE_COLUMNS",
    "SUMMARY_COLUMNS",
    "SUMMARY_SCHEMA",
    "boilerplate_reports",
    "reuse_matrix",
    "reuse_summary",
    "shared_passages",
]

#: :func:`shared_passages`: one row per passage per report holding it.
PASSAGES_SCHEMA = (
    Column("passage_id", "int64", "1, 2, ... by reports holding it, then length, then text"),
    Column("passage", "object", "the passage's matching characters (letters and digits)"),
    Column("n_chars", "int64", "characters of passage"),
    Column("n_reports", "int64", "reports holding the passage"),
    Column("kind", "object", "boilerplate or shared"),
    Column("report_id", "object", "the report"),
    Column("start", "int64", "offset of the passage in the report's cleaned text"),
    Column("end", "int64", "offset of its end"),
    Column("text", "object", "the passage as it stands in the report"),
    Column("section_id", "object", "the section where it starts"),
    Column("role", "object", "that section's role"),
)
#: :func:`reuse_summary`: one row per report and role.
SUMMARY_SCHEMA = (
    Column("report_id", "object", "the report"),
    Column("role", "object", "all, or a role"),
    Column("n_chars", "int64", "matching characters of that text"),
    Column("shared", "float64", "share held by another report"),
    Column("same_place", "float64", "share held by another report of the same place"),
    Column("boilerplate", "float64", "share in boilerplate passages"),
    Column("previous_id", "object", "the same place's report of the year before, else None"),
    Column("from_previous", "float64", "share found in it (NaN without one)"),
)
PASSAGE_COLUMNS = tuple(c.name for c in PASSAGES_SCHEMA)
SUMMARY_COLUMNS = tuple(c.name for c in SUMMARY_SCHEMA)
#: The shortest shared passage, in matching characters (letters and digits).
MIN_CHARS = 15
#: A passage held by at least this share of the corpus's reports (and by three) is boilerplate.
BOILERPLATE_SHARE = 0.2


def boilerplate_reports(n_reports: int, share: float = BOILERPLATE_SHARE) -> int:
    """How many reports must hold a passage for it to count as boilerplate.

    At least three reports and at least ``share`` of the corpus: a passage two reports
    share is a copy, not the genre's stock text.

    Examples
    --------
    >>> boilerplate_reports(5), boilerplate_reports(527), boilerplate_reports(10_000, 0.1)
    (3, 106, 1000)
    """
    return max(3, math.ceil(share * n_reports - 1e-9))


def _checked(min_chars: int, boilerplate: float, role: str | None = None) -> None:
    if isinstance(min_chars, bool) or not isinstance(min_chars, (int, np.integer)):
        raise ArgumentError(f"min_chars must be a whole number of characters, not {min_chars!r}")
    if min_chars < 2:
        raise ArgumentError(f"min_chars must be at least 2, not {min_chars}")
    if not 0 < boilerplate <= 1:
        raise ArgumentError(
            f"boilerplate must be a share of the reports in (0, 1], not {boilerplate}"
        )
    if role is not None and role not in ROLES:
        raise ArgumentError(f"role {role!r} is not one of {', '.join(ROLES)}")


class _Reuse:
    """A corpus's index with what the tables need: ids, sections, roles per character."""

    def __init__(self, corpus: Corpus, min_chars: int) -> None:
        reports = list(corpus)
        self.ids = [r.id for r in reports]
        self.texts = [r.text for r in reports]
        self.index = ReuseIndex(self.texts, min_chars)
        self.k = min_chars
        sections = corpus.sections if len(reports) else pd.DataFrame()
        # each report's sections as arrays (sections are sorted by report and start)
        self.sections: dict[str, tuple[np.ndarray, np.ndarray, list, list]] = {}
        if len(sections):
            rids = sections["report_id"].to_numpy()
            starts = sections["start"].to_numpy(dtype=np.int64)
            ends = sections["end"].to_numpy(dtype=np.int64)
            section_ids = sections["section_id"].tolist()
            roles = sections["role"].tolist()
            cuts = np.flatnonzero(rids[1:] != rids[:-1]) + 1
            for a, b in zip([0, *cuts.tolist()], [*cuts.tolist(), len(rids)], strict=True):
                self.sections[rids[a]] = (starts[a:b], ends[a:b], section_ids[a:b], roles[a:b])

    def role_of_chars(self, doc: int) -> np.ndarray:
        """Per matching character of ``doc``: the index in ROLES of its section's role."""
        offsets = self.index.offsets[doc]
        per_char = np.full(len(self.texts[doc]), ROLES.index("other"), dtype=np.int8)
        found = self.sections.get(self.ids[doc])
        if found is not None:
            for start, end, role in zip(
                found[0].tolist(), found[1].tolist(), found[3], strict=True
            ):
                per_char[start:end] = ROLES.index(role)
        return per_char[offsets]

    def windows_in(self, doc: int, in_role: np.ndarray) -> np.ndarray:
        """Per window of ``doc``: whether all its characters lie in ``in_role``."""
        counts = np.concatenate([[0], np.cumsum(in_role, dtype=np.int64)])
        n_windows = max(len(in_role) - self.k + 1, 0)
        return counts[self.k : self.k + n_windows] - counts[:n_windows] == self.k

    def sections_at(self, report_id: str, offsets: list[int]) -> list[tuple]:
        """The section (id, role) of ``report_id`` holding each character offset."""
        found = self.sections.get(report_id)
        if found is None or not len(found[0]):
            return [(None, None)] * len(offsets)
        where = np.maximum(np.searchsorted(found[0], offsets, side="right") - 1, 0).tolist()
        return [(found[2][i], found[3][i]) for i in where]


def shared_passages(
    corpus: Corpus, min_chars: int = MIN_CHARS, *, boilerplate: float = BOILERPLATE_SHARE
) -> pd.DataFrame:
    """Every passage two or more reports share, with where it lies in each.

    A passage is a maximal stretch of a report whose every window of ``min_chars``
    matching characters (letters and digits; punctuation, spacing, width and script
    ignored) is held by the same other reports: it ends where the reports holding it part.
    A stock phrase inside a copied paragraph does not cut the paragraph; two passages
    of one report never overlap. Found regardless of the order of paragraphs.

    Parameters
    ----------
    corpus : Corpus
        The reports (see :func:`lawgovkit.load_corpus`).
    min_chars : int
        The shortest passage, in matching characters (default 15).
    boilerplate : float
        Share of the corpus's reports (and at least three) that makes a passage
        ``boilerplate`` rather than ``shared`` (default 0.2).

    Returns
    -------
    DataFrame
        One row per passage per report holding it as a passage, sorted by passage_id,
        report_id, start: ``passage_id`` (1 = held by most reports), ``passage`` (the
        matching characters), ``n_chars`` (their number), ``n_reports`` (reports holding
        it), ``kind`` (``boilerplate`` or ``shared``), ``report_id``, ``start``/``end``
        (offsets into the report's cleaned text ``report.text``), ``text`` (the passage
        as it stands there), ``section_id`` and ``role`` (of the section where it starts).

    Examples
    --------
    >>> from lawgovkit import Corpus, Report
    >>> head = "{}2023年度法治政府建设情况报告\\n一、主要工作\\n"
    >>> a = Report.from_text(head.format("甲区") + "推行执法三项制度,规范执法。甲区另说。", id="a")
    >>> b = Report.from_text(head.format("乙县") + "乙县别说。推行执法三项制度；规范执法!", id="b")
    >>> table = shared_passages(Corpus([a, b]), min_chars=10)
    >>> table[["passage_id", "report_id", "start", "end", "n_reports", "kind"]].values.tolist()
    [[1, 'a', 2, 25, 2, 'shared'], [1, 'b', 2, 25, 2, 'shared'], [2, 'a', 26, 39, 2, 'shared'], \
[2, 'b', 31, 44, 2, 'shared']]
    >>> table["passage"].tolist()[2:]
    ['推行执法三项制度规范执法', '推行执法三项制度规范执法']
    >>> table["text"].tolist()[2:]
    ['推行执法三项制度,规范执法', '推行执法三项制度;规范执法']
    """
    _checked(min_chars, boilerplate)
    reuse = _Reuse(corpus, min_chars)
    index = reuse.index
    threshold = boilerplate_reports(len(reuse.ids), boilerplate)
    rows = []
    for doc, rid in enumerate(reuse.ids):
        firsts, lasts, dfs = index.passages_of(doc)
        if not firsts:
            continue
        codes, offsets, text = index.codes[doc], index.offsets[doc], reuse.texts[doc]
        matching = codes.astype(np.uint32).tobytes().decode("utf-32-le")
        starts = offsets[firsts].tolist()
        ends = (offsets[np.array(lasts) - 1] + 1).tolist()
        sections = reuse.sections_at(rid, starts)
        for a, b, df, start, end, (section_id, role) in zip(
            firsts, lasts, dfs, starts, ends, sections, strict=True
        ):
            rows.append((matching[a:b], df, rid, start, end, text[start:end], section_id, role))
    if not rows:
        return build({}, PASSAGES_SCHEMA)
    held: dict[str, int] = {}
    for row in rows:
        held[row[0]] = max(held.get(row[0], 0), row[1])
    ranked = sorted(held, key=lambda p: (-held[p], -len(p), p))
    number = {p: i for i, p in enumerate(ranked, start=1)}
    rows.sort(key=lambda r: (number[r[0]], r[2], r[3]))
    columns = list(zip(*rows, strict=True))
    passage = columns[0]
    n_reports = [held[p] for p in passage]
    table = {
        "passage_id": [number[p] for p in passage],
        "passage": passage,
        "n_chars": [len(p) for p in passage],
        "n_reports": n_reports,
        "kind": ["boilerplate" if n >= threshold else "shared" for n in n_reports],
        "report_id": columns[2],
        "start": columns[3],
        "end": columns[4],
        "text": columns[5],
        "section_id": columns[6],
        "role": columns[7],
    }
    return build(table, PASSAGES_SCHEMA)


def reuse_matrix(
    corpus: Corpus, role: str | None = None, *, min_chars: int = MIN_CHARS
) -> pd.DataFrame:
    """The share of each report's text (or of its text in one role) found in each other.

    Row A, column B: of A's matching characters (in sections of ``role``, when given),
    the share lying in a passage of at least ``min_chars`` that B also holds (anywhere in
    B). Not symmetric: a district that copies a page of its city's report has a high
    share in the city's column, the city a low one in the district's.

    Parameters
    ----------
    corpus : Corpus
    role : str, optional
        Only A's text in sections of this role (``problems``, ``plans``, ``achievements``,
        ``leader_duty``, ``preamble``, ``other``); None for the whole text.
    min_chars : int
        The shortest passage counted, in matching characters.

    Returns
    -------
    DataFrame
        Square, labelled by report id (index ``report_id``, columns the same ids); 1.0 on
        the diagonal; a row of NaN for a report with no text in ``role``. Work grows with
        the pairs of reports sharing text: meant for up to a few thousand reports.

    Examples
    --------
    >>> from lawgovkit import Corpus, Report
    >>> head = "{}2023年度法治政府建设情况报告\\n一、主要工作\\n"
    >>> a = Report.from_text(head.format("甲区") + "推行行政执法三项制度。", id="a")
    >>> b = Report.from_text(head.format("乙县") + "推行行政执法三项制度。另有一段内容。", id="b")
    >>> reuse_matrix(Corpus([a, b]), min_chars=10).round(2).values.tolist()
    [[1.0, 0.94], [0.79, 1.0]]
    """
    _checked(min_chars, BOILERPLATE_SHARE, role)
    reuse = _Reuse(corpus, min_chars)
    index = reuse.index
    n = len(reuse.ids)
    in_scope = np.ones(len(index.gram), dtype=bool)
    totals = np.array([len(c) for c in index.codes], dtype=np.float64)
    if role is not None:
        wanted = ROLES.index(role)
        for doc in range(n):
            in_role = reuse.role_of_chars(doc) == wanted
            totals[doc] = in_role.sum()
            in_scope[index.windows_of(doc)] = reuse.windows_in(doc, in_role)
    a, b, characters = index.pair_coverage(in_scope)
    values = np.zeros((n, n), dtype=np.float64)
    values[a, b] = characters
    with np.errstate(invalid="ignore", divide="ignore"):
        values = values / totals[:, None]
    np.fill_diagonal(values, 1.0)
    values[totals == 0, :] = np.nan
    labels = pd.Index(reuse.ids, name="report_id")
    return pd.DataFrame(values, index=labels, columns=pd.Index(reuse.ids))


def _place_groups(corpus: Corpus, ids: list[str]) -> tuple[np.ndarray, list, list]:
    """Per report: a place number (-1 when the report names no place), its body and year
    (the year reported on, else the year before the one planned for).

    A place is the adcode when known, else the jurisdiction with its province and city.
    """
    reports = corpus.reports.reindex(ids)
    keys = []
    for row in reports.itertuples():
        if isinstance(row.adcode, str) and row.adcode:
            keys.append(("adcode", row.adcode))
        elif isinstance(row.jurisdiction, str) and row.jurisdiction:
            keys.append(("name", row.province, row.city, row.jurisdiction))
        else:
            keys.append(None)
    numbers: dict[tuple, int] = {}
    group = np.array([-1 if k is None else numbers.setdefault(k, len(numbers)) for k in keys])
    # the year reported on; else the year before the one planned for (a work report's
    # title year is the year it plans)
    years = [
        int(y) if not pd.isna(y) else (None if pd.isna(p) else int(p) - 1)
        for y, p in zip(reports["report_year"], reports["plan_year"], strict=True)
    ]
    bodies = [b if isinstance(b, str) else None for b in reports["body"]]
    return group.astype(np.int64), bodies, years


def reuse_summary(
    corpus: Corpus, *, min_chars: int = MIN_CHARS, boilerplate: float = BOILERPLATE_SHARE
) -> pd.DataFrame:
    """Per report and role: how much of its text is shared, and with whom.

    Parameters
    ----------
    corpus : Corpus
    min_chars : int
        The shortest passage counted, in matching characters.
    boilerplate : float
        Share of the reports (and at least three) holding a passage that makes it
        boilerplate (as in :func:`shared_passages`).

    Returns
    -------
    DataFrame
        One row per report and role, sorted by report_id then role (``all`` first, then
        the roles in their order; a role the report lacks has no row): ``report_id``,
        ``role``, ``n_chars`` (matching characters of that text), ``shared`` (share held
        by another report), ``same_place`` (share held by another report of the same
        place: same adcode, or same jurisdiction, province and city), ``boilerplate``
        (share in boilerplate passages), ``previous_id`` (the same place's report of the
        year before, by the same kind of body where both say; the one repeating most when
        there are several; None when there is none; a report's year is the year it
        reports on, else the year before the one it plans for) and ``from_previous`` (the
        share found in it; NaN without one). A role's text counts what lies wholly in its sections.

    Examples
    --------
    >>> from lawgovkit import Corpus, Report
    >>> head = "武汉市江夏区{}年法治政府建设情况报告\\n一、主要工作\\n推行行政执法三项制度。"
    >>> old = Report.from_text(head.format(2022), id="old")
    >>> new = Report.from_text(head.format(2023) + "新的内容写在这里。", id="new")
    >>> table = reuse_summary(Corpus([old, new]), min_chars=10)
    >>> whole = table[table["role"] == "all"].round(2)
    >>> whole[["report_id", "previous_id", "from_previous"]].values.tolist()
    [['new', 'old', 0.59], ['old', None, nan]]
    """
    _checked(min_chars, boilerplate)
    reuse = _Reuse(corpus, min_chars)
    index, ids = reuse.index, reuse.ids
    threshold = boilerplate_reports(len(ids), boilerplate)
    group, bodies, years = _place_groups(corpus, ids) if ids else (np.zeros(0, int), [], [])
    same_place = index.held_in_group(group)
    rows = []
    for doc, rid in enumerate(ids):
        span = index.windows_of(doc)
        df = index.df_of(doc)
        previous_id, from_previous = _previous(reuse, doc, group, bodies, years)
        roles = reuse.role_of_chars(doc)
        scopes = [("all", np.ones(len(roles), dtype=bool))]
        scopes += [(name, roles == i) for i, name in enumerate(ROLES) if (roles == i).any()]
        for name, in_role in scopes:
            windows = reuse.windows_in(doc, in_role)
            n_chars = int(in_role.sum())

            held = [df >= 2, same_place[span], df >= threshold, from_previous]
            shares = [
                float("nan")
                if h is None or not n_chars
                else float(index.covered(doc, h & windows)[in_role].sum() / n_chars)
                for h in held
            ]
            rows.append((rid, name, n_chars, *shares[:3], previous_id, shares[3]))
    rows.sort(key=lambda row: row[0])  # stable: roles stay in their order
    return build(
        {name: [row[i] for row in rows] for i, name in enumerate(SUMMARY_COLUMNS)},
        SUMMARY_SCHEMA,
    )


def _previous(
    reuse: _Reuse, doc: int, group: np.ndarray, bodies: list, years: list
) -> tuple[str | None, np.ndarray | None]:
    """The same place's report of the year before (same body), and which of ``doc``'s
    windows it holds; the one holding most when there are several."""
    if group[doc] < 0 or years[doc] is None:
        return None, None
    candidates = [
        other
        for other in range(len(reuse.ids))
        if group[other] == group[doc]
        and years[other] == years[doc] - 1
        and (bodies[other] is None or bodies[doc] is None or bodies[other] == bodies[doc])
    ]
    best: tuple[float, str, np.ndarray] | None = None
    for other in sorted(candidates, key=lambda o: reuse.ids[o]):
        held = reuse.index.held_with_others(doc, [other])
        score = float(reuse.index.covered(doc, held).sum())
        if best is None or score > best[0]:
            best = (score, reuse.ids[other], held)
    return (None, None) if best is None else (best[1], best[2])
