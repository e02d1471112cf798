"""The segmentation backends (jieba, rjieba): loaded once per word list, and their versions.

:class:`lawgovkit.Tokenizer` segments with what :func:`_segmenter` gives; tokens stored on
disk are keyed by :func:`backend_version` among other things.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
from functools import cache, lru_cache
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
        return segmenter.cut
    import jieba

    jieba.setLogLevel(logging.WARNING)  # never print "Building prefix dict ..."
    segmenter = jieba.Tokenizer()
    for word in words:
        segmenter.add_word(word)
    return segmenter.lcut
