"""The problems a report admits and the measures it plans, one :class:`Statement` each.

:func:`statements` gives one row per problem admitted (or per measure planned): the
sub-sections of a problems section, else the items of its first enumeration
(:func:`lawgovkit.items.find_items`), else the clauses of a one-sentence list
(``…比如:A,B等。``), else its paragraphs. The sentence that introduces them
(``一年来,…取得了一定成绩,但仍存在以下不足:``) is never part of a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lawgovkit._data import read_json
from lawgovkit.items import CLAUSE_END, LINE_BREAK, TRIM, Item, list_closers, pieces, trimmed
from lawgovkit.sections import Section, heading_role, opening_phrase_end, opens_a_part

__all__ = ["Statement", "statements"]


@dataclass(frozen=True)
class Statement:
    """One admitted problem or planned measure."""

    n: int
    text: str
    section_id: str
    start: int
    end: int


@cache
def _clause_grammar() -> tuple[re.Pattern[str], str, str, re.Pattern[str]]:
    data = read_json("roles.json")["clause_lists"]
    trailing = re.compile(f"(?:{data['trailing_drop']})$")
    return (
        re.compile(data["introducers"]),
        data["clause_separators"],
        data["weak_separators"],
        trailing,
    )


def _paragraph_end(text: str, position: int, hi: int) -> int:
    match = LINE_BREAK.search(text, position, hi)
    return match.start() if match else hi


@cache
def _not_statements() -> dict[str, re.Pattern[str]]:
    data = read_json("roles.json")["not_statements"]
    return {role: re.compile(p) for role, p in data.items() if not role.startswith("_")}


def _subtree_end(sections: list[Section], index: int, role: str) -> int:
    """End of section ``index`` together with its following descendants of the same role."""
    head = sections[index]
    end = head.end
    for position in range(index + 1, len(sections)):
        section = sections[position]
        inside = section.section_id.startswith((head.section_id + "/", head.section_id + "#"))
        if not inside or section.role != role:
            break
        end = section.end
    return end


def _clause_statements(text: str, section: Section) -> list[tuple[int, int]]:
    """The clauses of a one-sentence list: ``…比如:A,B等。`` → A, B."""
    introducers = _clause_grammar()[0]
    match = introducers.search(text, section.body_start, section.end)
    if match is None:
        return []
    stop = match.end()
    while stop < section.end and text[stop] not in CLAUSE_END and text[stop] not in "\r\n":
        stop += 1
    if section.role == "problems":  # the sentences after the list state problems too
        return _problem_sentences(text, match.start(), _paragraph_end(text, stop, section.end))
    return _clauses(text, match.end(), stop)


def _clauses(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """The clauses of a list, cut at ``;`` when it has one, else at ``,``; a closing
    ``等`` dropped."""
    _, strong, weak, trailing = _clause_grammar()
    has_strong = any(ch in strong for ch in text[start:stop])
    spans = []
    for a, b in pieces(text, start, stop, strong if has_strong else weak):
        cut = trailing.search(text, a, b)
        if cut is None or cut.start() > a:  # a clause that is only 等等 closes the list
            spans.append(trimmed(text, a, cut.start() if cut else b))
    return [(a, b) for a, b in spans if b > a]


def _without_closing_etc(text: str, a: int, b: int) -> tuple[int, int]:
    """``a, b`` without a last clause that is only ``等等`` (``…仍需加强,等等。``)."""
    trailing = _clause_grammar()[3]
    end = b
    while end > a and text[end - 1] in CLAUSE_END:
        end -= 1
    comma = max(text.rfind(",", a, end), text.rfind("，", a, end))
    if comma > a and trailing.fullmatch(text, comma + 1, end):
        return trimmed(text, a, comma)
    return a, b


def _problem_sentences(
    text: str, start: int, stop: int, one_sentence_clauses: bool = True
) -> list[tuple[int, int]]:
    """The problems an admission paragraph states from ``start``: one per sentence (or
    per ``;`` clause) after any introducer (``主要是:``), up to the response (``对此,我们
    将…``); a paragraph that states them all in one sentence (or lists them after an
    introducer) gives one per clause when ``one_sentence_clauses``."""
    introducers, strong, _, _ = _clause_grammar()
    sentences = _until_closer(text, pieces(text, start, stop, CLAUSE_END))
    spans: list[tuple[int, int]] = []
    for k, (a, b) in enumerate(sentences):
        match = introducers.search(text, a, b)
        lo = match.end() if match is not None else a
        if match is None and k == 0:  # 我们也清醒地认识到,A;B。: A, B
            lo = _after_admitting(text, a, b)
        alone = len(sentences) == 1 and (one_sentence_clauses or match is not None)
        if alone or any(ch in strong for ch in text[lo:b]):
            spans.extend(_clauses(text, lo, b))
        elif lo < b:
            spans.append(trimmed(text, lo, b))
    return [(a, b) for a, b in spans if b > a]


def _lead_clauses(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """The problems of an admission stated in its one sentence (``我们也清醒地认识到,A,B,C。``):
    its clauses after the words that admit them."""
    _, strong, _, _ = _clause_grammar()
    start = _after_admitting(text, start, stop)
    if any(ch in strong for ch in text[start:stop]):
        return pieces(text, start, stop, strong)
    return _clauses(text, start, stop)


def _after_admitting(text: str, start: int, stop: int) -> int:
    """Where the problems of an admission sentence begin: after the run of words (cut at
    commas) at its start that admit them and state none (``在肯定成绩的同时,我们也清醒地
    认识到,``: ``admitting_words`` in ``roles.json``)."""
    admitting = _admitting_words()
    begin = start
    for c, d in pieces(text, start, stop, ",，"):
        if not admitting.search(text[c:d]):
            break
        begin = d
    while begin < stop and (text[begin] in ",，" or text[begin].isspace()):
        begin += 1
    return begin


@cache
def _admitting_words() -> re.Pattern[str]:
    return re.compile(read_json("roles.json")["admitting_words"]["pattern"])


def _closed_admission(
    text: str, lead: tuple[int, int], first: tuple[int, int], end: int
) -> list[tuple[int, int]]:
    """The problems of an admission paragraph that states them and closes with the
    response (``…A。B。对此,我们将…``): what follows it (the lessons, the outlook) is
    not a problem. Empty when the paragraph does not close so."""
    if first[0] >= _paragraph_end(text, lead[0], end):
        return []  # the lead sentence is the whole paragraph
    sentences = pieces(text, first[0], first[1], ";；。！？!?")
    kept = _until_closer(text, sentences)
    return kept if 0 < len(kept) < len(sentences) else []


def _until_closer(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans before the first that turns to the causes or the response
    (``对此,我们将…``, ``究其原因…``)."""
    closers = list_closers("problems")
    for k, (a, b) in enumerate(spans):
        if closers.match(text, a, b):
            return spans[:k]
    return spans


def _introduces(text: str, span: tuple[int, int], role: str) -> bool:
    """Whether a paragraph introduces the ones after it (ends with a colon, or says
    ``但仍存在一些不足`` / ``下一步,我局将`` rather than stating a problem or measure)."""
    a, b = span
    return text[b - 1 : b] in (":", "：") or opens_a_part(text, a, b, role)


def _paragraph_statements(text: str, section: Section) -> list[tuple[int, int]]:
    """The paragraphs of a section, its opening transition sentence left out; a single
    paragraph of ``;``-separated measures gives one span per measure."""
    lo = section.body_start
    opening = section.heading is None  # a part split off at a transition: skip that sentence
    lead = None
    if opening:
        i = lo
        while i < section.end and text[i] not in CLAUSE_END + ":：\r\n":
            i += 1
        if text[i + 1 : section.end].strip(TRIM + "。"):
            lead = (lo, i)
            lo, opening = i + 1, False
    spans = []
    start = lo
    for match in LINE_BREAK.finditer(text, lo, section.end):
        spans.append(trimmed(text, start, match.start()))
        start = match.end()
    spans.append(trimmed(text, start, section.end))
    spans = [(a, b) for a, b in spans if text[a:b].strip(TRIM + "。")]
    if section.role == "problems":  # a paragraph of response (对此,我们将…) and those after
        spans = _until_closer(text, spans)
        if not spans and lead is not None:  # 我们也清醒地认识到,A,B。对此,我们将…
            return _lead_clauses(text, *lead)
    if section.role == "problems" and lead is not None and len(spans) > 1:
        own = _closed_admission(text, lead, spans[0], section.end)
        if own:
            return own
    if len(spans) > 1 and _introduces(text, spans[0], section.role):
        spans = spans[1:]
    scene = _not_statements().get(f"{section.role}_paragraphs")
    if scene is not None and len(spans) > 1:  # 今后五年是…关键时期: not itself a plan, nor
        kept = [  # a paragraph introducing the next ones (我们要采取以下措施:)
            (a, b) for a, b in spans if not scene.match(text, a, b) and text[b - 1] not in ":："
        ]
        spans = kept or spans
    if len(spans) > 1:
        return spans
    a, b = spans[0] if spans else trimmed(text, section.body_start, section.end)
    if opening:  # "下一步,我镇将继续…": the measures begin after the transition phrase
        a = opening_phrase_end(text, a, b, section.role)
    if section.role == "problems":  # an admission paragraph: one problem per sentence
        found = _problem_sentences(text, a, b, one_sentence_clauses=section.heading is None)
        if not found and lead is not None:  # the problems are clauses of the lead sentence
            return _lead_clauses(text, *lead)
    else:
        found = pieces(text, a, b, ";；")
    return found if len(found) > 1 else [(a, b)]


class _Tree:
    """One report's sections, indexed for :func:`_collect`, and the role looked for.

    A plain object, not a closure over the locals of :func:`statements`: a nested function
    that calls itself is a reference cycle, which keeps the report's sections and items
    alive until the cyclic collector runs (tested in ``tests/test_parallel.py``).
    """

    __slots__ = ("children_of", "excluded", "index_of", "items_of", "role", "sections", "text")

    def __init__(self, text: str, sections: list[Section], items: list[Item], role: str):
        self.text = text
        self.sections = sections
        self.role = role
        self.index_of = {section.section_id: i for i, section in enumerate(sections)}
        self.children_of: dict[str, list[Section]] = {}
        for section in sections:
            if section.parent_id is not None and section.heading is not None:
                self.children_of.setdefault(section.parent_id, []).append(section)
        self.items_of: dict[str, list[Item]] = {}
        for item in items:
            self.items_of.setdefault(item.section_id, []).append(item)
        self.excluded = _not_statements().get(role)


def _collect(tree: _Tree, root: Section, spans: list[tuple[str, int, int]]) -> None:
    """Append the spans of the statements under ``root`` (a section of the role)."""
    text, role, excluded = tree.text, tree.role, tree.excluded
    children = [s for s in tree.children_of.get(root.section_id, ()) if s.role == role]
    for child in children:
        if heading_role(child.heading or "", child.level) == role:
            _collect(tree, child, spans)  # a part heading (``(一)存在的问题``), not a statement
        elif excluded is not None and excluded.search(child.heading or ""):
            continue  # ``(二)原因分析`` under the problems
        else:
            end = _subtree_end(tree.sections, tree.index_of[child.section_id], role)
            a, b = trimmed(text, child.words_start, end)
            spans.append((child.section_id, a, b))
    if children:
        return
    own = tree.items_of.get(root.section_id, [])
    if own:
        head = min(own, key=lambda item: item.start)
        stop = head.end  # the first enumeration only, or for an admission listing its
        if role == "problems" and all(i.family == "clauses" for i in own):
            stop = _paragraph_end(text, head.start, root.end)  # problems in two lists,
        spans.extend(  # every list of its paragraph
            (root.section_id, i.start, i.end)
            for i in own
            if i.series == head.series or (i.start < stop and i.family == "clauses")
        )
        return
    found = _clause_statements(text, root) or _paragraph_statements(text, root)
    spans.extend((root.section_id, a, b) for a, b in found if b > a)


def statements(text: str, sections: list[Section], items: list[Item], role: str) -> list[Statement]:
    """One row per problem admitted (``role="problems"``) or measure planned (``"plans"``).

    For each part of the report with that role (a section whose parent has another role):
    its sub-sections if it has any, else the items of its first enumeration, else the
    clauses of a one-sentence list, else its paragraphs.

    Parameters
    ----------
    text : str
        The report's text.
    sections : list of Section
        Its sections (from :func:`lawgovkit.sections.build_sections`).
    items : list of Item
        Their items (from :func:`find_items`).
    role : str
        ``"problems"`` or ``"plans"`` (any role works).

    Returns
    -------
    list of Statement
        Numbered from 1 in text order.

    Examples
    --------
    >>> from lawgovkit.sections import build_sections
    >>> text = "一、工作情况\\n做了很多。但仍存在以下不足:人手少,经费紧张等。"
    >>> sections = list(build_sections(text))
    >>> from lawgovkit.items import find_items
    >>> items = [i for s in sections for i in find_items(text, s)]
    >>> [s.text for s in statements(text, sections, items, "problems")]
    ['人手少', '经费紧张']
    """
    tree = _Tree(text, sections, items, role)
    spans: list[tuple[str, int, int]] = []
    by_id = {section.section_id: section for section in sections}
    for root in sections:
        parent = by_id.get(root.parent_id) if root.parent_id else None
        if root.role == role and (parent is None or parent.role != role):
            _collect(tree, root, spans)
    spans = [(section_id, *_without_closing_etc(text, a, b)) for section_id, a, b in spans]
    return [
        Statement(n, text[a:b], section_id, a, b)
        for n, (section_id, a, b) in enumerate(spans, start=1)
    ]
