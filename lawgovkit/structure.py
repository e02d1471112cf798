"""A report's structure: sections, items, problems and plans, parsed from its text.

:func:`parse_structure` runs the heading grammar (:mod:`lawgovkit.headings`), the section
tree and roles (:mod:`lawgovkit.sections`), the enumerated items (:mod:`lawgovkit.items`)
and the problems and plans (:mod:`lawgovkit.statements`) over one report's cleaned text.
:meth:`Structure.to_frames` gives the tables ``corpus.sections``, ``corpus.items``,
``corpus.problems`` and ``corpus.plans`` are made of; :meth:`Structure.outline` the heading
tree as text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import cache

import pandas as pd

from lawgovkit._schema import END, REPORT_ID, START, Column, build
from lawgovkit.errors import LawgovkitError, ParseError
from lawgovkit.headings import find_headings
from lawgovkit.items import Item, find_items
from lawgovkit.sections import Section, build_sections
from lawgovkit.statements import Statement, statements

__all__ = [
    "ITEMS_SCHEMA",
    "ITEM_COLUMNS",
    "SECTIONS_SCHEMA",
    "SECTION_COLUMNS",
    "STATEMENTS_SCHEMA",
    "STATEMENT_COLUMNS",
    "TABLES",
    "Structure",
    "frames_of",
    "frames_of_rows",
    "parse_structure",
]

#: ``corpus.sections``: one row per section (see :class:`~lawgovkit.sections.Section`).
SECTIONS_SCHEMA = (
    REPORT_ID,
    Column("section_id", "object", 'path of heading numbers, e.g. "二/(三)/2"; "0" the preamble'),
    Column("parent_id", "object", "the enclosing section's id"),
    Column("level", "int64", "0 preamble or unheaded part, 1-4 the GB/T 9704 levels"),
    Column("number", "Int64", "the heading's numeral"),
    Column("heading", "object", "the heading's words without the marker"),
    Column("role", "object", "preamble, achievements, problems, leader_duty, plans, other"),
    START,
    END,
    Column("text", "object", "the section's own text; a report's texts re-join to it"),
)
#: ``corpus.items``: one row per enumerated item (see :class:`~lawgovkit.items.Item`).
ITEMS_SCHEMA = (
    REPORT_ID,
    Column("section_id", "object", "the section holding the item"),
    Column("role", "object", "that section's role"),
    Column("n", "int64", "the item's place in its enumeration, from 1"),
    Column("marker", "object", 'the marker as printed ("三是"); "" restored or a clause'),
    Column("text", "object", "the item's words after the marker"),
    START,
    END,
    Column("numbering_issue", "object", 'e.g. "missing 三是"; None when fine'),
)
#: ``corpus.problems`` and ``corpus.plans``: one row per problem admitted or measure planned.
STATEMENTS_SCHEMA = (
    REPORT_ID,
    Column("n", "int64", "order within the report, from 1"),
    Column("text", "object", "the statement"),
    Column("section_id", "object", "the section it is in"),
    Column("category", "object", "problems: a problem category key; plans: the main theme"),
    START,
    END,
)
SECTION_COLUMNS = tuple(c.name for c in SECTIONS_SCHEMA)
ITEM_COLUMNS = tuple(c.name for c in ITEMS_SCHEMA)
STATEMENT_COLUMNS = tuple(c.name for c in STATEMENTS_SCHEMA)
#: Each table's schema, and the record class its rows are stored as.
TABLES = {
    "sections": (SECTIONS_SCHEMA, Section),
    "items": (ITEMS_SCHEMA, Item),
    "problems": (STATEMENTS_SCHEMA, Statement),
    "plans": (STATEMENTS_SCHEMA, Statement),
}
_OUTLINE_PREVIEW = 24
_MARKER_WORD_ENDS = "分章篇"  # ``第一部分`` is followed by a space, ``一、`` is not


@dataclass(frozen=True)
class Structure:
    """The parsed structure of one report's text.

    Attributes
    ----------
    sections : tuple of Section
        In text order, covering the text exactly.
    items : tuple of Item
        Enumerated items, section by section.
    problems, plans : tuple of Statement
        One per problem admitted / measure planned, numbered from 1.
    numbering_issues : tuple of str
        Every repaired or odd number, as ``"<section_id>: <what>"``.
    """

    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    problems: tuple[Statement, ...]
    plans: tuple[Statement, ...]
    numbering_issues: tuple[str, ...]

    def to_frames(self, report_id: str) -> dict[str, pd.DataFrame]:
        """The structure as tables, one row per section, item, problem and plan.

        Parameters
        ----------
        report_id : str
            Value of the ``report_id`` column.

        Returns
        -------
        dict of str to DataFrame
            Keys ``"sections"``, ``"items"``, ``"problems"``, ``"plans"``; columns as in
            :data:`SECTION_COLUMNS`, :data:`ITEM_COLUMNS`, :data:`STATEMENT_COLUMNS`
            (``category`` is None, filled by the analysis).

        Examples
        --------
        >>> frames = parse_structure("一、存在的问题\\n一是人手少;二是经费少。").to_frames("x")
        >>> frames["problems"][["n", "text"]].to_dict("records")
        [{'n': 1, 'text': '人手少'}, {'n': 2, 'text': '经费少。'}]
        """
        return frames_of([(report_id, self)])

    def to_rows(self, text: str | None = None) -> dict[str, list]:
        """The structure as JSON-able rows: each record as the list of its field values,
        in field order (``numbering_issues`` as they are). With the report's ``text``, a
        record's text equal to its slice of it is left out (None), so it is not kept twice.

        What the on-disk cache keeps and a worker process sends back (as one JSON string:
        a tenth of the time of pickling the records); :meth:`from_rows` builds it again,
        and :func:`frames_of_rows` builds the tables from the rows directly.

        Examples
        --------
        >>> text = "一、存在的问题\\n一是人手少;二是经费少。"
        >>> rows = parse_structure(text).to_rows(text)
        >>> rows["problems"]
        [[1, None, '一', 10, 13], [2, None, '一', 16, 20]]
        >>> Structure.from_rows(rows, text) == parse_structure(text)
        True
        """
        rows: dict[str, list] = {name: _rows(getattr(self, name), text) for name in TABLES}
        rows["numbering_issues"] = list(self.numbering_issues)
        return rows

    @classmethod
    def from_rows(cls, rows: str | dict, text: str) -> Structure:
        """The structure :meth:`to_rows` gave (or that as a JSON string), for ``text``.

        Raises KeyError, TypeError, ValueError or IndexError for rows of the wrong shape.
        """
        if isinstance(rows, str):
            rows = json.loads(rows)
        if not isinstance(rows, dict):
            raise ValueError("structure rows must be a JSON object")
        built = {}
        for name, (_, record) in TABLES.items():
            width, where, start, end = _row_shape(record)
            records = []
            for row in rows[name]:
                if len(row) != width:
                    raise ValueError(f"a {record.__name__} row of {len(row)} values, not {width}")
                if row[where] is None:
                    row = list(row)
                    row[where] = text[row[start] : row[end]]
                records.append(record(*row))  # the fields in order (positionally: quicker)
            built[name] = tuple(records)
        return cls(**built, numbering_issues=tuple(rows["numbering_issues"]))

    def outline(self) -> str:
        """The heading tree as indented text, with each section's role and length.

        Examples
        --------
        >>> print(parse_structure("报告\\n一、工作情况\\n好。\\n二、存在的问题\\n少。").outline())
        [preamble] 3 chars
        一、工作情况 [achievements] 10 chars
        二、存在的问题 [problems] 10 chars
        """
        lines = []
        depth: dict[str, int] = {}
        for section in self.sections:
            parent_depth = depth.get(section.parent_id, -1) if section.parent_id else -1
            depth[section.section_id] = parent_depth + 1
            indent = "  " * depth[section.section_id]
            if section.level == 0 and section.heading is None and "#" not in section.section_id:
                label = ""
            elif section.heading is None:
                preview = section.text.strip()[:_OUTLINE_PREVIEW].replace("\n", " ")
                label = f"↳ {preview}…"
            else:
                marker = section.text[: section.words_start - section.start].strip()
                gap = " " if marker[-1:] in _MARKER_WORD_ENDS else ""
                label = f"{marker}{gap}{section.heading}"
            tag = f"[{section.role}] {len(section.text)} chars"
            lines.append(f"{indent}{label} {tag}" if label else f"{indent}{tag}")
        return "\n".join(lines)


def frames_of(parsed: Iterable[tuple[str, Structure]]) -> dict[str, pd.DataFrame]:
    """The structures of many reports as four tables (what :meth:`Structure.to_frames` gives
    for one, the reports' rows one after another), each built in one go.

    Parameters
    ----------
    parsed : iterable of (report_id, Structure)

    Returns
    -------
    dict of str to DataFrame
        As :meth:`Structure.to_frames`.

    Examples
    --------
    >>> one = parse_structure("一、存在的问题\\n一是人手少;二是经费少。")
    >>> frames = frames_of([("a", one), ("b", one)])
    >>> frames["problems"]["report_id"].tolist()
    ['a', 'a', 'b', 'b']
    """
    return frames_of_rows((report_id, "", s.to_rows()) for report_id, s in parsed)


def frames_of_rows(
    reports: Iterable[tuple[str, str, dict]], names: Iterable[str] = tuple(TABLES)
) -> dict[str, pd.DataFrame]:
    """The tables ``names`` (of :data:`TABLES`; all four by default) from each report's id,
    text and structure rows (:meth:`Structure.to_rows`), without building the records; a
    text left out of a row (None) is its slice of the report's text.

    Raises KeyError, TypeError, ValueError or IndexError for rows of the wrong shape.
    """
    wanted = {name: TABLES[name] for name in names}
    gathered: dict[str, list[list]] = {name: [] for name in wanted}
    owners: dict[str, list[str]] = {name: [] for name in wanted}
    same: dict = {}  # one object for each value of the fields that repeat (see _SHARED)
    for report_id, text, rows in reports:
        for name, (_, cls) in wanted.items():
            records = rows[name]
            width, where, start, end = _row_shape(cls)
            shared = _shared_fields(cls)
            for row in records:
                if len(row) != width:
                    raise ValueError(f"a {cls.__name__} row of {len(row)} values, not {width}")
                row = list(row)
                if row[where] is None:
                    row[where] = text[row[start] : row[end]]
                for i in shared:
                    row[i] = same.setdefault(row[i], row[i])
                gathered[name].append(row)
            owners[name].extend([report_id] * len(records))
    frames = {}
    for name, (schema, cls) in wanted.items():
        field_names = _field_names(cls)
        if gathered[name]:
            columns = dict(zip(field_names, zip(*gathered[name], strict=True), strict=True))
        else:
            columns = {field: () for field in field_names}
        columns["report_id"] = owners[name]
        frames[name] = build(columns, schema)
    return frames


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


# Fields whose values repeat from row to row and report to report (一/(二), 二, achievements),
# held once each in the tables: reading the rows makes a string for every row (100,000
# reports: about 300 MB of them).
_SHARED = frozenset({"section_id", "parent_id", "role", "marker", "numbering_issue"})


@cache
def _shared_fields(cls: type) -> tuple[int, ...]:
    return tuple(i for i, name in enumerate(_field_names(cls)) if name in _SHARED)


@cache
def _row_shape(cls: type) -> tuple[int, int, int, int]:
    """A record class's number of fields and the places of ``text``, ``start``, ``end``."""
    names = _field_names(cls)
    return len(names), names.index("text"), names.index("start"), names.index("end")


def _rows(records: tuple, text: str | None) -> list[list]:
    """Records as lists of field values; a ``text`` equal to its slice of the report's
    ``text`` is stored as None (the slice rebuilds it)."""
    if not records:
        return []
    _, where, _, _ = _row_shape(type(records[0]))
    names = _field_names(type(records[0]))
    rows = []
    for record in records:
        row = [getattr(record, name) for name in names]
        if text is not None and row[where] == text[record.start : record.end]:
            row[where] = None
        rows.append(row)
    return rows


def parse_structure(text: str, *, report_year: int | None = None) -> Structure:
    """Parse a report's cleaned text into sections, items, problems and plans.

    Parameters
    ----------
    text : str
        The cleaned text of one report.
    report_year : int, optional
        The year reported on; read from the text's opening when not given.

    Returns
    -------
    Structure

    Raises
    ------
    ParseError
        When ``text`` is not a string, or (a bug) the parse goes wrong; never any other
        exception.

    Examples
    --------
    >>> s = parse_structure("2023年度报告\\n一、工作情况\\n好。\\n二、下一步打算\\n一是学;二是做。")
    >>> [sec.role for sec in s.sections], len(s.plans)
    (['preamble', 'achievements', 'plans'], 2)
    """
    if not isinstance(text, str):
        raise ParseError(f"text must be a str, not {type(text).__name__}")
    try:
        return _parse(text, _year(report_year))
    except LawgovkitError:
        raise
    except Exception as error:  # a bug must not surface as an arbitrary exception
        raise ParseError(f"could not parse the structure: {error!r}") from error


def _year(value: object) -> int | None:
    """``report_year`` as an int; None for None or a missing value (NaN, pd.NA)."""
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise ParseError(f"report_year must be a year such as 2023, not {value!r}") from None


def _parse(text: str, report_year: int | None) -> Structure:
    sections = list(build_sections(text, report_year))
    items: list[Item] = []
    for section in sections:
        found = find_items(text, section, items[-1].series + 1 if items else 0)
        items.extend(found)
    headed = {s.start: s.section_id for s in sections if s.number is not None}
    issues = [
        f"{headed[h.start]}: heading {h.numbering_issue}"
        for h in find_headings(text)
        if h.numbering_issue and h.start in headed
    ]
    issues.extend(f"{i.section_id}: {i.numbering_issue}" for i in items if i.numbering_issue)
    return Structure(
        sections=tuple(sections),
        items=tuple(items),
        problems=tuple(statements(text, sections, items, "problems")),
        plans=tuple(statements(text, sections, items, "plans")),
        numbering_issues=tuple(issues),
    )
