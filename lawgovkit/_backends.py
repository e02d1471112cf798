"""The segmentation backends (jieba, rjieba): loaded once per word list, and their versions.

:class:`lawgovkit.Tokenizer` segments with what :func:`_segmenter` gives; tokens stored on
disk are keyed by :func:`backend_version` among other things.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import re
from collections.abc import Callable
from functools import cache, lru_cache, partial
from typing import Any

from lawgovkit.errors import MissingExtraError

__all__ = ["backend_version"]


@cache
def backend_version(name: str) -> str:
    """The installed version of the backend package ``name`` ("" when unknown)."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return ""


@lru_cache(maxsize=8)
def _segmenter(name: str, words: tuple[str, ...]) -> Any:
    """A private backend segmenter loaded with ``words``, shared by equal Tokenizers.

    Loading jieba's dictionary takes about a second; tokenizers with the same backend and
    word list (and their unpickled copies) reuse one segmenter, which is never modified
    after it is built.
    """
    if name == "rjieba":
        if importlib.util.find_spec("rjieba") is None:
            raise MissingExtraError(
                "backend 'rjieba' needs the rjieba package: pip install 'lawgovkit[fast]'"
            )
        import rjieba

        segmenter = rjieba.Jieba()
        for word in words:
            segmenter.add_word(word, None, None)
        return partial(_cut_rust, segmenter.cut)
    import jieba

    jieba.setLogLevel(logging.WARNING)  # never print "Building prefix dict ..."
    segmenter = jieba.Tokenizer()
    for word in words:
        segmenter.add_word(word)
    return segmenter.lcut


# A lone surrogate (U+D800-U+DFFF), which a Rust string cannot hold.
_SURROGATE = re.compile("([\ud800-\udfff])")


def _cut_rust(cut: Callable[[str], list[str]], text: str) -> list[str]:
    """``cut(text)``, or for a text holding a lone surrogate what jieba gives: the runs
    between them cut one by one, each surrogate a piece by itself (jieba splits its input
    at every character that is neither Han, ASCII alphanumeric nor whitespace).

    Examples
    --------
    >>> whole = lambda text: [text.encode("utf-8").decode()]  # refuses one, as Rust does
    >>> _cut_rust(whole, "法治\\ud800依法")
    ['法治', '\\ud800', '依法']
    """
    try:
        return cut(text)
    except UnicodeEncodeError:
        pieces: list[str] = []
        for i, part in enumerate(_SURROGATE.split(text)):
            if i % 2:
                pieces.append(part)
            elif part:
                pieces.extend(cut(part))
        return pieces
