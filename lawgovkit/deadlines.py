"""Were the reports published on time? Publish dates against the deadline of each issuer.

The deadlines are rules, not guesses: ``data/report_deadlines.json`` holds each national
rule (《法治政府建设实施纲要(2015—2020年)》, 《法治政府建设与责任落实督察工作规定》 of 2019), the
report years it covers, the date due for governments and for departments, and its source.

- :func:`timeliness` — per report: its publish date, the rule and deadline that apply to
  its issuer, days early or late, and a status; a report without a publish date, year or
  kind of issuer is ``unknown``, never guessed.
- :func:`timeliness_summary` — the same counted by level and body.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import pandas as pd

from lawgovkit._data import read_json

__all__ = ["TIMELINESS_COLUMNS", "deadline_rules", "timeliness", "timeliness_summary"]

TIMELINESS_COLUMNS = (
    "report_id",
    "jurisdiction",
    "level",
    "body",
    "issuer",
    "report_year",
    "publish_date",
    "rule",
    "deadline",
    "days_late",
    "status",
    "publish_deadline",
    "publish_days_late",
    "missing",
)
STATUSES = ("on_time", "late", "no_rule", "unknown")


@cache
def _rules() -> dict[str, Any]:
    return read_json("report_deadlines.json")


def deadline_rules() -> pd.DataFrame:
    """The deadline rules as a table: rule, name, document_number, in_effect, first_year,
    last_year, issuer, deadline (MM-DD of the following year), publish_deadline.

    Examples
    --------
    >>> rules = deadline_rules()
    >>> rules.loc[rules["rule"] == "supervision_2019", ["issuer", "deadline"]].values.tolist()
    [['department', '03-01'], ['government', '04-01']]
    """
    rows = []
    for rule in _rules()["rules"]:
        first, last = rule["report_years"]
        for issuer in sorted(rule["deadline"]):
            rows.append(
                (
                    rule["id"],
                    rule["name"],
                    rule["document_number"],
                    rule["in_effect"],
                    first,
                    last,
                    issuer,
                    "{:02d}-{:02d}".format(*rule["deadline"][issuer]),
                    "{:02d}-{:02d}".format(*rule["publish_deadline"][issuer]),
                )
            )
    columns = ["rule", "name", "document_number", "in_effect", "first_year", "last_year"]
    table = pd.DataFrame(rows, columns=[*columns, "issuer", "deadline", "publish_deadline"])
    for column in ("first_year", "last_year"):
        table[column] = pd.array(table[column].tolist(), dtype="Int64")
    return table


def _rule_for(year: int) -> dict[str, Any] | None:
    for rule in _rules()["rules"]:
        first, last = rule["report_years"]
        if year >= first and (last is None or year <= last):
            return rule
    return None


def timeliness(corpus: Any) -> pd.DataFrame:
    """Each report's publish date against the deadline that applies to its issuer.

    Parameters
    ----------
    corpus : Corpus
        Uses ``corpus.reports`` (jurisdiction, level, body, report_year, publish_date).

    Returns
    -------
    DataFrame
        One row per report, sorted by report_id; columns :data:`TIMELINESS_COLUMNS`.
        ``issuer`` is government or department (from ``body``); ``rule`` the id of the
        rule in force for the report year; ``deadline`` the date the report was due
        (governments 1 April, departments 1 March under the 2019 rule; 31 March for both
        under the 2015 outline); ``days_late`` the publish date minus the deadline in
        days (negative: early; 0: on the day, on time); ``status`` on_time, late,
        no_rule (a year before any national rule) or unknown; ``publish_deadline`` the
        date by which the rule requires the report to be public (1 April for both from
        2019) and ``publish_days_late`` against it; ``missing`` names what an unknown
        row lacks (publish_date, report_year, body).

    Examples
    --------
    >>> import lawgovkit as lgk
    >>> text = "江夏区2022年度法治政府建设工作报告\\n发布日期:2023-03-15 17:26\\n"
    >>> text += "2022年,我区推进依法行政。"
    >>> row = lgk.timeliness(lgk.Corpus([lgk.Report.from_text(text, id="a")])).iloc[0]
    >>> row["issuer"], str(row["deadline"].date()), int(row["days_late"]), row["status"]
    ('government', '2023-04-01', -17, 'on_time')
    """
    reports = corpus.reports
    issuers = _rules()["issuers"]
    rows = []
    for report_id, meta in reports.iterrows():
        year = meta["report_year"]
        published = meta["publish_date"]
        issuer = issuers.get(meta["body"]) if meta["body"] is not None else None
        missing = [
            name
            for name, absent in (
                ("publish_date", pd.isna(published)),
                ("report_year", pd.isna(year)),
                ("body", issuer is None),
            )
            if absent
        ]
        rule = None if pd.isna(year) else _rule_for(int(year))
        deadline = publish_deadline = pd.NaT
        days = publish_days = float("nan")
        if rule is not None and issuer is not None:
            month, day = rule["deadline"][issuer]
            deadline = pd.Timestamp(dt.date(int(year) + 1, month, day))
            month, day = rule["publish_deadline"][issuer]
            publish_deadline = pd.Timestamp(dt.date(int(year) + 1, month, day))
        if missing:
            status = "unknown"
        elif rule is None:
            status = "no_rule"
        else:
            day_published = pd.Timestamp(published).normalize()
            days = float((day_published - deadline).days)
            publish_days = float((day_published - publish_deadline).days)
            status = "on_time" if days <= 0 else "late"
        rows.append(
            (
                report_id,
                meta["jurisdiction"],
                meta["level"],
                meta["body"],
                issuer,
                year,
                published,
                None if rule is None else rule["id"],
                deadline,
                days,
                status,
                publish_deadline,
                publish_days,
                ",".join(missing) or None,
            )
        )
    table = pd.DataFrame(rows, columns=list(TIMELINESS_COLUMNS))
    table["missing"] = table["missing"].astype(object).where(table["missing"].notna(), None)
    table["report_year"] = pd.array(table["report_year"].tolist(), dtype="Int64")
    for column in ("publish_date", "deadline", "publish_deadline"):
        table[column] = pd.to_datetime(table[column])
    for column in ("days_late", "publish_days_late"):
        table[column] = pd.array(
            [None if pd.isna(v) else int(v) for v in table[column]], dtype="Int64"
        )
    return table.sort_values("report_id", kind="stable").reset_index(drop=True)


def timeliness_summary(corpus_or_table: Any) -> pd.DataFrame:
    """Timeliness counted by level and body.

    Parameters
    ----------
    corpus_or_table : Corpus or DataFrame
        A corpus, or the table :func:`timeliness` returned.

    Returns
    -------
    DataFrame
        One row per (level, body), missing values shown as ``"unknown"``; columns
        reports, on_time, late, no_rule, unknown (counts), share_on_time (on_time over
        on_time + late, NaN when none is known) and median_days_late. Sorted by level
        and body.

    Examples
    --------
    >>> import lawgovkit as lgk
    >>> text = "江夏区2022年度法治政府建设工作报告\\n发布日期:2023-03-15 17:26\\n"
    >>> text += "2022年,我区推进依法行政。"
    >>> summary = lgk.timeliness_summary(lgk.Corpus([lgk.Report.from_text(text, id="a")]))
    >>> summary[["level", "body", "reports", "on_time", "share_on_time"]].values.tolist()
    [['district', 'government', 1, 1, 1.0]]
    """
    table = (
        corpus_or_table
        if isinstance(corpus_or_table, pd.DataFrame)
        else timeliness(corpus_or_table)
    )
    table = table.assign(
        level=table["level"].fillna("unknown"), body=table["body"].fillna("unknown")
    )
    rows = []
    for (level, body), group in table.groupby(["level", "body"], sort=True):
        counts = group["status"].value_counts()
        known = int(counts.get("on_time", 0) + counts.get("late", 0))
        days = group["days_late"].dropna().astype(float)
        rows.append(
            (
                level,
                body,
                len(group),
                *(int(counts.get(s, 0)) for s in STATUSES),
                counts.get("on_time", 0) / known if known else float("nan"),
                float(days.median()) if len(days) else float("nan"),
            )
        )
    columns = ["level", "body", "reports", *STATUSES, "share_on_time", "median_days_late"]
    return pd.DataFrame(rows, columns=columns)
