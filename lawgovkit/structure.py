"""A report's structure: sections, items, problems and plans, parsed from its text.

:func:`parse_structure` runs the heading grammar (:mod:`lawgovkit.headings`), the section
tree and roles (:mod:`lawgovkit.sections`), the enumerated items (:mod:`lawgovkit.items`)
and the problems and plans (:mod:`lawgovkit.statements`) over one report's cleaned text.
:meth:`Structure.to_frames` gives the tables ``corpus.sections``, ``corpus.items``,
``corpus.problems`` and ``corpus.plans`` are made of; :meth:`Structure.outline` the heading
tree as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lawgovkit.errors import LawgovkitError, ParseError
from lawgovkit.headings import find_headings
from lawgovkit.items import Item, find_items
from lawgovkit.sections import Section, build_sections
from lawgovkit.statements import Statement, statements

__all__ = [
    "ITEM_COLUMNS",
    "SECTION_COLUMNS",
    "STATEMENT_COLUMNS",
    "Structure",
    "frames_of",
    "parse_structure",
]

SECTION_COLUMNS = (
    "report_id",
    "section_id",
    "parent_id",
    "level",
    "number",
    "heading",
    "role",
    "start",
    "end",
    "text",
)
ITEM_COLUMNS = (
    "report_id",
    "section_id",
    "role",
    "n",
    "marker",
    "text",
    "start",
    "end",
    "numbering_issue",
)
STATEMENT_COLUMNS = ("report_id", "n", "text", "section_id", "category", "start", "end")
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
    sections: list[tuple] = []
    items: list[tuple] = []
    problems: list[tuple] = []
    plans: list[tuple] = []
    sizes: list[tuple[int, int, int, int]] = []  # each report's rows in each table
    for report_id, structure in parsed:
        sizes.append(
            (
                len(structure.sections),
                len(structure.items),
                len(structure.problems),
                len(structure.plans),
            )
        )
        sections.extend(
            (
                report_id,
                s.section_id,
                s.parent_id,
                s.level,
                s.number,
                s.heading,
                s.role,
                s.start,
                s.end,
                s.text,
            )
            for s in structure.sections
        )
        items.extend(
            (
                report_id,
                i.section_id,
                i.role,
                i.n,
                i.marker,
                i.text,
                i.start,
                i.end,
                i.numbering_issue,
            )
            for i in structure.items
        )
        for rows, statements_ in ((problems, structure.problems), (plans, structure.plans)):
            rows.extend(
                (report_id, s.n, s.text, s.section_id, None, s.start, s.end) for s in statements_
            )
    frames = {
        "sections": _frame(
            sections, SECTION_COLUMNS, ints=("level", "start", "end"), nullable_ints=("number",)
        ),
        "items": _frame(items, ITEM_COLUMNS, ints=("n", "start", "end")),
        "problems": _statement_frame(problems),
        "plans": _statement_frame(plans),
    }
    for position, name in enumerate(frames):
        _as_if_concatenated(frames[name], [size[position] for size in sizes])
    return frames


def _as_if_concatenated(frame: pd.DataFrame, sizes: list[int]) -> None:
    """Give ``frame``'s text columns the dtype and missing values they would have had if
    each report's rows had been a DataFrame of its own and these were concatenated.

    pandas infers a text column as ``str`` (missing values NaN) when it holds a string and
    as ``object`` (missing values None) when it holds nothing but None; concatenating the
    two gives ``object``. So a text column that is empty throughout some report's rows is
    ``object``, None in that report's rows, NaN in the other missing places.
    """
    starts = np.cumsum([0, *sizes[:-1]])[np.asarray(sizes) > 0]
    if len(frame) == 0 or len(starts) == 0:
        return
    lengths = np.diff([*starts, len(frame)])
    for column in frame.columns:
        if not isinstance(frame[column].dtype, pd.StringDtype):
            continue
        missing = frame[column].isna().to_numpy()
        if not missing.any():
            continue
        empty = np.add.reduceat(missing.astype(np.int64), starts) == lengths
        if not empty.any():
            continue
        values = frame[column].astype(object)
        values[np.repeat(empty, lengths)] = None
        frame[column] = values


def _frame(rows, columns, ints=(), nullable_ints=()) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns))
    for column in ints:
        frame[column] = frame[column].astype("int64")
    for column in nullable_ints:
        frame[column] = frame[column].astype("Int64")
    return frame


def _statement_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = _frame(rows, STATEMENT_COLUMNS, ints=("n", "start", "end"))
    frame["category"] = frame["category"].astype(object)
    return frame


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
