"""A place against its own past: panels, recurring problems, plans followed.

- :func:`panel` — the reports of each place and issuer ordered by year, gaps shown.
- :func:`recurring_problems` — each problem of year t matched to the closest problem the
  same place admitted in an earlier year: ``recurring`` when the score reaches the
  threshold, else ``new``; problems of a report that the place's next report no longer
  matches are ``dropped``.
- :func:`plans_followed` — each plan of year t−1 matched to the closest sentence of the
  same place's year-t achievements.

Scores are cosines of character 2-3-gram TF-IDF vectors (as :func:`lawgovkit.problems.
plan_response`), fitted on the texts compared; every match carries its score. The default
thresholds were set on the development set of 527 local government work reports (see
``benchmarks/accuracy/README.md``): each is the 95th percentile of the best score a text
gets against the same kind of texts of *another* place in the same year, so a score at or
above it is reached by chance in about one case in twenty.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from lawgovkit.errors import ArgumentError
from lawgovkit.tfidf import tfidf_matrix

__all__ = [
    "PANEL_COLUMNS",
    "PLANS_FOLLOWED_THRESHOLD",
    "RECURRING_THRESHOLD",
    "achievement_passages",
    "panel",
    "plans_followed",
    "recurring_problems",
]

#: Default score from which a problem counts as the same as an earlier one (see module).
RECURRING_THRESHOLD = 0.17
#: Default score from which a plan counts as reported done next year (see module).
PLANS_FOLLOWED_THRESHOLD = 0.18
PANEL_COLUMNS = ("report_year", "report_id", "status", "n_years", "first_year", "last_year")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_MIN_PASSAGE = 8  # characters: shorter pieces (a heading number, 一是) are no passage


def _check_threshold(threshold: float) -> float:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise ArgumentError(f"threshold must be a number from 0 to 1, not {threshold!r}")
    if not 0.0 <= threshold <= 1.0:
        raise ArgumentError(f"threshold must be from 0 to 1 (a cosine), not {threshold}")
    return float(threshold)


def _dated(corpus: Any, by: Sequence[str]) -> pd.DataFrame:
    """report_id, the ``by`` columns and report_year of every report that has them all."""
    reports = corpus.reports
    unknown = [c for c in by if c not in reports.columns]
    if unknown:
        raise ArgumentError(
            f"by: no column {', '.join(map(repr, unknown))} in corpus.reports "
            f"(columns: {', '.join(reports.columns)})"
        )
    table = reports[[*by, "report_year"]].reset_index(names="report_id")
    known = table[list(by)].notna().all(axis=1) & table["report_year"].notna()
    table = table[known].copy()
    table["report_year"] = table["report_year"].astype(int)
    return table.sort_values([*by, "report_year", "report_id"], kind="stable")


def _dated_statements(corpus: Any, kind: str, by: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The dated reports (:func:`_dated`) and their ``kind`` statements (``"problems"`` or
    ``"plans"``: report_id, n, text and the ``by`` columns and report_year of the report),
    sorted by place, year, report and n."""
    dated = _dated(corpus, by)
    rows = getattr(corpus, kind)
    if not len(rows):
        rows = pd.DataFrame(columns=["report_id", "n", "text"])
    rows = rows[["report_id", "n", "text"]].merge(dated, on="report_id")
    rows = rows.sort_values([*by, "report_year", "report_id", "n"], kind="stable")
    return dated, rows.reset_index(drop=True)


def panel(corpus: Any, by: Sequence[str] = ("jurisdiction", "body")) -> pd.DataFrame:
    """The reports of each place ordered by year, with the missing years shown.

    Parameters
    ----------
    corpus : Corpus
    by : sequence of str
        Columns of ``corpus.reports`` that make a place (default: jurisdiction and body,
        so a district government and its justice bureau are two series).

    Returns
    -------
    DataFrame
        Columns ``by`` + :data:`PANEL_COLUMNS`, one row per report and one per year
        missing between a place's first and last report (``status`` ``gap``, report_id
        None). ``status`` is ``report``, ``gap`` or ``undated`` (a report whose year or
        place is unknown, listed last with report_year missing, so nothing is left out).
        ``n_years`` counts the years with a report. Sorted by place, year, report_id.

    Examples
    --------
    >>> import lawgovkit as lgk
    >>> def make(y):
    ...     text = f"江夏区{y}年度法治政府建设情况报告\\n{y}年,推进依法行政。"
    ...     return lgk.Report.from_text(text, id=f"r{y}")
    >>> table = lgk.panel(lgk.Corpus([make(2020), make(2022)]))
    >>> table[["report_year", "report_id", "status"]].values.tolist()
    [[2020, 'r2020', 'report'], [2021, None, 'gap'], [2022, 'r2022', 'report']]
    """
    by = list(by)
    dated = _dated(corpus, by)
    rows = []
    for key, group in dated.groupby(by, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        years = sorted(set(group["report_year"]))
        first, last = years[0], years[-1]
        for year in range(first, last + 1):
            ids = group.loc[group["report_year"] == year, "report_id"].tolist()
            for report_id in ids or [None]:
                status = "report" if report_id is not None else "gap"
                rows.append((*key, year, report_id, status, len(years), first, last))
    undated = sorted(set(corpus.reports.index) - set(dated["report_id"]))
    reports = corpus.reports
    for report_id in undated:
        key = tuple(reports.at[report_id, c] for c in by)
        rows.append((*key, None, report_id, "undated", 0, None, None))
    table = pd.DataFrame(rows, columns=[*by, *PANEL_COLUMNS])
    for column in ("report_year", "first_year", "last_year"):
        table[column] = pd.array(table[column].tolist(), dtype="Int64")
    table["report_id"] = table["report_id"].astype(object).where(table["report_id"].notna(), None)
    return table.reset_index(drop=True)


def _vectors(texts: list[str]) -> sparse.csr_matrix:
    """Rows of L2-normalised character TF-IDF for ``texts`` (a text without letters: 0)."""
    if not texts:
        return sparse.csr_matrix((0, 1))
    units = pd.DataFrame({"id": [str(i) for i in range(len(texts))], "text": texts})
    fitted = tfidf_matrix(units, "char")
    if not fitted.ids:
        return sparse.csr_matrix((len(texts), 1))
    # the fitted rows are those with text; the others stay zero
    rows = np.array([int(i) for i in fitted.ids])
    matrix = sparse.csr_matrix(fitted.matrix).tocoo()
    full = sparse.csr_matrix(
        (matrix.data, (rows[matrix.row], matrix.col)), shape=(len(texts), matrix.shape[1])
    )
    full.sort_indices()
    return full


def _best(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's best column (the first among ties) and its score, clipped to [0, 1]."""
    choice = scores.argmax(axis=1)
    return choice, np.clip(scores[np.arange(len(scores)), choice], 0.0, 1.0)


def recurring_problems(
    corpus: Any,
    threshold: float = RECURRING_THRESHOLD,
    by: Sequence[str] = ("jurisdiction", "body"),
) -> pd.DataFrame:
    """Whether each place admits the same problems year after year.

    Each problem of a report is compared with every problem the same place admitted in an
    earlier year; the closest (the most recent year among equal scores) is its match.

    Parameters
    ----------
    corpus : Corpus
        Needs ``problems`` and the ``by`` columns and report_year in ``reports``.
    threshold : float
        Score from which a problem counts as the earlier one again (default
        :data:`RECURRING_THRESHOLD`, set on the development set; see the module).
    by : sequence of str
        The columns that make a place.

    Returns
    -------
    DataFrame
        Columns ``by`` + report_id, report_year, problem_n, problem, label, score,
        matched_report_id, matched_year, matched_n, matched_text, years_apart. ``label``:
        ``recurring`` (score ≥ threshold), ``new`` (below), ``first`` (the place's
        earliest report: nothing to compare with; no match), or ``dropped`` (a problem
        of this report that no problem of the place's next report matches; the match
        columns then show the closest problem of that next report). ``years_apart`` is
        the distance in years between the two reports. Sorted by place, year, report,
        label and problem_n. Reports without a year or place are left out (see
        :func:`panel`).

    Examples
    --------
    >>> import lawgovkit as lgk
    >>> def make(y, problem):
    ...     text = f"江夏区{y}年度法治政府建设情况报告\\n一、存在的问题\\n一是{problem}。"
    ...     return lgk.Report.from_text(text + "\\n二、下一步计划\\n加强培训。", id=f"r{y}")
    >>> corpus = lgk.Corpus([make(2021, "执法人员素质不高"), make(2022, "执法人员素质仍然不高")])
    >>> table = lgk.recurring_problems(corpus)
    >>> table[["report_year", "label", "matched_year", "years_apart"]].values.tolist()
    [[2021, 'first', <NA>, <NA>], [2022, 'recurring', 2021, 1]]
    """
    threshold = _check_threshold(threshold)
    by = list(by)
    _, problems = _dated_statements(corpus, "problems", by)
    vectors = _vectors(problems["text"].fillna("").tolist())
    rows: list[tuple] = []
    for key, group in problems.groupby(by, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        years = sorted(set(group["report_year"]))
        for position, year in enumerate(years):
            current = group[group["report_year"] == year]
            earlier = group[group["report_year"] < year].iloc[::-1]  # most recent first
            rows.extend(_matched(key, current, earlier, vectors, threshold, "recurring", "new"))
            if position + 1 < len(years):
                following = group[group["report_year"] == years[position + 1]]
                dropped = _matched(key, current, following, vectors, threshold, None, "dropped")
                rows.extend(r for r in dropped if r[len(key) + 4] == "dropped")
    columns = [*by, "report_id", "report_year", "problem_n", "problem", "label", "score"]
    columns += ["matched_report_id", "matched_year", "matched_n", "matched_text", "years_apart"]
    table = pd.DataFrame(rows, columns=columns)
    for column in ("report_year", "problem_n", "matched_year", "matched_n", "years_apart"):
        table[column] = pd.array(table[column].tolist(), dtype="Int64")
    table["score"] = table["score"].astype(float)
    order = {"first": 0, "new": 1, "recurring": 2, "dropped": 3}
    table = table.sort_values(
        [*by, "report_year", "report_id", "label", "problem_n"],
        key=lambda s: s.map(order) if s.name == "label" else s,
        kind="stable",
    )
    return table.reset_index(drop=True)


def _matched(
    key: tuple,
    current: pd.DataFrame,
    others: pd.DataFrame,
    vectors: sparse.csr_matrix,
    threshold: float,
    above: str | None,
    below: str,
) -> list[tuple]:
    if not len(others):
        return [
            (
                *key,
                r.report_id,
                r.report_year,
                r.n,
                r.text,
                "first",
                np.nan,
                None,
                None,
                None,
                None,
                None,
            )
            for r in current.itertuples()
        ]
    scores = (vectors[current.index.to_numpy()] @ vectors[others.index.to_numpy()].T).toarray()
    choice, values = _best(scores)
    rows = []
    for r, pick, value in zip(current.itertuples(), choice, values, strict=True):
        m = others.iloc[pick]
        label = above if value >= threshold else below
        rows.append(
            (
                *key,
                r.report_id,
                r.report_year,
                r.n,
                r.text,
                label,
                float(value),
                m["report_id"],
                int(m["report_year"]),
                int(m["n"]),
                m["text"],
                abs(int(r.report_year) - int(m["report_year"])),
            )
        )
    return rows


def achievement_passages(corpus: Any) -> pd.DataFrame:
    """The sentences of every report's achievements sections: report_id, start, text.

    A sentence ends at 。！？；, or a line break; pieces shorter than 8 characters (a
    heading number, 一是) are left out. ``start`` is the offset in ``report.text``.

    Examples
    --------
    >>> import lawgovkit as lgk
    >>> text = "江夏区2023年度法治政府建设情况报告\\n一、主要成效\\n办理法律援助案件602件。培训。"
    >>> r = lgk.Report.from_text(text, id="a")
    >>> achievement_passages(lgk.Corpus([r]))["text"].tolist()
    ['办理法律援助案件602件。']
    """
    sections = corpus.sections
    rows = []
    if len(sections):
        parts = sections[sections["role"] == "achievements"]
        for report_id, start, text in zip(
            parts["report_id"], parts["start"], parts["text"], strict=True
        ):
            begin = 0
            for match in [*_SENTENCE_END.finditer(text), None]:
                end = match.end() if match else len(text)
                piece = text[begin:end].strip()
                if len(piece) >= _MIN_PASSAGE:
                    rows.append((report_id, int(start) + begin, piece))
                begin = end
    return pd.DataFrame(rows, columns=["report_id", "start", "text"])


def plans_followed(
    corpus: Any,
    threshold: float = PLANS_FOLLOWED_THRESHOLD,
    by: Sequence[str] = ("jurisdiction", "body"),
) -> pd.DataFrame:
    """Which plans of year t−1 the same place reports as achieved in year t.

    Each plan of a report is compared with every achievements sentence of the same
    place's report on the following year (:func:`achievement_passages`).

    Parameters
    ----------
    corpus : Corpus
    threshold : float
        Score from which a plan counts as reported done (default
        :data:`PLANS_FOLLOWED_THRESHOLD`, set on the development set; see the module).
    by : sequence of str
        The columns that make a place.

    Returns
    -------
    DataFrame
        Columns ``by`` + report_id, report_year (the plan's report), plan_n, plan,
        next_report_id, next_year, passage (the best sentence), passage_start (its offset
        in that report's text), score, followed (score ≥ threshold; missing when the place
        has no report on the next year, the other columns then missing too). Sorted by
        place, year, report_id, plan_n.

    Examples
    --------
    >>> import lawgovkit as lgk
    >>> head = "江夏区{}年度法治政府建设情况报告\\n一、{}\\n"
    >>> plan, done = "全面推行行政执法公示制度。", "全面推行行政执法公示制度,公示信息1200条。"
    >>> a = lgk.Report.from_text(head.format(2022, "下一步计划") + plan, id="a")
    >>> b = lgk.Report.from_text(head.format(2023, "主要成效") + done, id="b")
    >>> table = lgk.plans_followed(lgk.Corpus([a, b]))
    >>> table[["report_id", "next_report_id", "followed"]].values.tolist()
    [['a', 'b', True]]
    """
    threshold = _check_threshold(threshold)
    by = list(by)
    dated, plans = _dated_statements(corpus, "plans", by)
    passages = achievement_passages(corpus).merge(dated, on="report_id")
    # only the reports that follow a report with plans are compared
    wanted = set(
        map(
            tuple,
            plans[[*by, "report_year"]]
            .assign(report_year=plans["report_year"] + 1)
            .itertuples(index=False),
        )
    )
    keep = [tuple(row) in wanted for row in passages[[*by, "report_year"]].itertuples(index=False)]
    passages = passages[np.array(keep, dtype=bool)]
    passages = passages.sort_values(["report_id", "start"], kind="stable").reset_index(drop=True)
    texts = plans["text"].fillna("").tolist() + passages["text"].tolist()
    vectors = _vectors(texts)
    plan_vectors, passage_vectors = vectors[: len(plans)], vectors[len(plans) :]
    by_place = {
        (key if isinstance(key, tuple) else (key,)): group
        for key, group in passages.groupby(by, sort=True)
    }
    rows = []
    for key, group in plans.groupby(by, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        candidates = by_place.get(key, passages.iloc[0:0])
        for year, current in group.groupby("report_year", sort=True):
            following = candidates[candidates["report_year"] == year + 1]
            if not len(following):
                rows.extend(
                    (
                        *key,
                        r.report_id,
                        r.report_year,
                        r.n,
                        r.text,
                        None,
                        None,
                        None,
                        None,
                        np.nan,
                        None,
                    )
                    for r in current.itertuples()
                )
                continue
            scores = (
                plan_vectors[current.index.to_numpy()]
                @ passage_vectors[following.index.to_numpy()].T
            )
            choice, values = _best(scores.toarray())
            for r, pick, value in zip(current.itertuples(), choice, values, strict=True):
                m = following.iloc[pick]
                rows.append(
                    (
                        *key, r.report_id, r.report_year, r.n, r.text, m["report_id"],
                        year + 1, m["text"], int(m["start"]), float(value),
                        bool(value >= threshold),
                    )
                )  # fmt: skip
    columns = [*by, "report_id", "report_year", "plan_n", "plan", "next_report_id", "next_year"]
    table = pd.DataFrame(rows, columns=[*columns, "passage", "passage_start", "score", "followed"])
    for column in ("report_year", "plan_n", "next_year", "passage_start"):
        table[column] = pd.array(table[column].tolist(), dtype="Int64")
    table["score"] = table["score"].astype(float)
    table["followed"] = pd.array(table["followed"].tolist(), dtype="boolean")
    return table.reset_index(drop=True)
