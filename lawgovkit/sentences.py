"""Sentences and enumerated items: the units themes and dictionaries are assigned to.

The boundaries are genre knowledge kept with the theme taxonomy (``sentence_end`` and
``item_start`` of ``data/themes.json``): a sentence ends after 。；！？ or a line break, and
an enumerated item (一是 / 第二、/ (三) / 首先) starts a new one even without punctuation.
"""

from __future__ import annotations

import itertools
import re
from functools import cache

from lawgovkit.taxonomy import theme_data

__all__ = ["split_sentences"]


@cache
def _boundaries() -> tuple[re.Pattern[str], re.Pattern[str]]:
    taxonomy = theme_data()
    return re.compile(taxonomy["sentence_end"]), re.compile(taxonomy["item_start"])


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences and enumerated items of ``text``.

    A sentence ends after 。；！？ or a line break; an item starts at 一是 / 第二、/ (三) /
    首先 even without punctuation before it, when it follows a non-Chinese character
    (``覆盖率100%二是``). Spans exclude surrounding whitespace; empty ones are dropped.

    Examples
    --------
    >>> text = "一是设立复议中心;二是调解纠纷。覆盖率100%三是普法"
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['一是设立复议中心;', '二是调解纠纷。', '覆盖率100%', '三是普法']
    """
    sentence_end, item_start = _boundaries()
    cuts = {0, len(text)}
    cuts.update(match.end() for match in sentence_end.finditer(text))
    cuts.update(match.start() for match in item_start.finditer(text))
    spans = []
    points = sorted(cuts)
    for start, end in itertools.pairwise(points):
        piece = text[start:end]
        stripped = piece.strip()
        if stripped and re.search(r"[^\W_]", stripped):
            offset = start + (len(piece) - len(piece.lstrip()))
            spans.append((offset, offset + len(stripped)))
    return spans
