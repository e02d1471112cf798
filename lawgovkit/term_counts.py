"""Each text's term counts, as integer codes of one vocabulary, made once per text.

Keyness compares term counts of groups of texts. Turning a text's tokens into counts (a
hash look-up per token) costs about what the whole comparison costs once the tokens are
known, so it is done once per text and tokenizer and kept, as the tokenizer keeps the
tokens: :func:`bags` gives each text's distinct terms (codes into a vocabulary that only
grows) with their counts, from memory for a text seen before. A later analysis of the same
texts (another grouping, another reference) starts from the counts.

The memory is one per :class:`~lawgovkit.Tokenizer` object (it goes with it), holds the
counts of up to ``tokenizer.cache_size`` texts (least recently used go first) and is keyed
by a hash of each text, like the tokenizer's own cache. It starts again when
:meth:`~lawgovkit.Tokenizer.remember` has put tokens in since (they may differ from those
counted for the same text).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from itertools import chain
from weakref import WeakKeyDictionary

import numpy as np
import pandas as pd

from lawgovkit._store import Numbering
from lawgovkit.tokenize import Tokenizer, _keyed

__all__ = ["DENSE_KEYS", "Bags", "Vocabulary", "bags", "summed"]

# Sums over at most this many keys are made in a dense array (np.bincount); beyond it, by
# hashing the keys (pandas' factorize): 4 million counts take 32 MB for a moment.
DENSE_KEYS = 1 << 22


class Vocabulary(Numbering):
    """A word → code mapping that gives a new word the next code when it is looked up,
    with the words in a list (``words[code]``).

    ``map(vocabulary.__getitem__, words)`` then runs in C for every word seen before.

    Examples
    --------
    >>> v = Vocabulary()
    >>> [v[w] for w in ["行政复议", "普法", "行政复议"]], v.words
    ([0, 1, 0], ['行政复议', '普法'])
    """

    __slots__ = ("words",)

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []

    def __missing__(self, word: str) -> int:
        self.words.append(word)
        return super().__missing__(word)

    def codes(self, words: Iterable[str], count: int = -1) -> np.ndarray:
        """The codes of ``words`` (new words get new codes)."""
        return np.fromiter(map(self.__getitem__, words), dtype=np.int64, count=count)

    def terms(self, codes: np.ndarray) -> np.ndarray:
        """The words of ``codes``, as an object array."""
        terms = np.empty(len(codes), dtype=object)
        terms[:] = [self.words[c] for c in codes.tolist()]
        return terms


class Bags:
    """The term counts of many texts, concatenated.

    Attributes
    ----------
    lengths : ndarray
        How many distinct terms each text has (0 for a text without tokens).
    codes, counts : ndarray
        Each text's distinct terms (ascending codes) and their counts, text after text.
    vocabulary : Vocabulary
        What the codes stand for.
    """

    __slots__ = ("codes", "counts", "lengths", "vocabulary")

    def __init__(self, parts: list[tuple[np.ndarray, np.ndarray]], vocabulary: Vocabulary):
        self.lengths = np.fromiter((len(c) for c, _ in parts), dtype=np.int64, count=len(parts))
        self.codes = np.concatenate([c for c, _ in parts] or [np.empty(0, np.int32)]).astype(
            np.int64
        )
        self.counts = np.concatenate([n for _, n in parts] or [np.empty(0, np.int32)]).astype(
            np.int64
        )
        self.vocabulary = vocabulary


class _Memory:
    """One tokenizer's vocabulary and the term counts of the texts it has seen."""

    __slots__ = ("bags", "remembered", "size", "vocabulary")

    def __init__(self, size: int, remembered: int) -> None:
        self.vocabulary = Vocabulary()
        self.bags: OrderedDict[bytes, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self.size = size
        self.remembered = remembered  # the tokenizer's remember() calls it counts after


_MEMORY: WeakKeyDictionary[Tokenizer, _Memory] = WeakKeyDictionary()


def _memory(tokenizer: Tokenizer) -> _Memory:
    memory = _MEMORY.get(tokenizer)
    if memory is None or memory.remembered != tokenizer.remembered:
        memory = _MEMORY[tokenizer] = _Memory(tokenizer.cache_size, tokenizer.remembered)
    return memory


def summed(
    keys: np.ndarray, weights: np.ndarray | None, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``keys`` (integers in ``range(size)``), ascending, and the sum of the
    ``weights`` (positive; None: 1 each) of each.

    Examples
    --------
    >>> distinct, sums = summed(np.array([5, 2, 5]), None, 8)
    >>> distinct.tolist(), sums.tolist()
    ([2, 5], [1, 2])
    """
    if size <= DENSE_KEYS:
        sums = np.bincount(keys, weights, minlength=size)
        distinct = np.flatnonzero(sums)
        return distinct, sums[distinct]
    codes, distinct = pd.factorize(keys, sort=True)
    return np.asarray(distinct, dtype=np.int64), np.bincount(codes, weights, len(distinct))


def bags(tokenizer: Tokenizer, texts: list[str]) -> Bags:
    """Each text's distinct terms and their counts under ``tokenizer``.

    Texts whose counts are not in memory are tokenized together
    (:meth:`~lawgovkit.Tokenizer.tokenize_many`, its cache and workers) and counted.

    Examples
    --------
    >>> tok = Tokenizer(backend="jieba")
    >>> b = bags(tok, ["行政复议 普法 行政复议", "", "普法"])
    >>> b.lengths.tolist(), b.vocabulary.terms(b.codes).tolist(), b.counts.tolist()
    ([2, 0, 1], ['行政复议', '普法', '普法'], [2, 1, 1])
    """
    memory = _memory(tokenizer)
    keyed = [_keyed(text) for text in texts]  # the tokenizer's own keys: one hash a text
    found: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}
    missing: dict[bytes, tuple[str, bool]] = {}  # each text not in memory, once
    for (key, wide), text in zip(keyed, texts, strict=True):
        bag = memory.bags.get(key)
        if bag is not None:
            found[key] = bag
            memory.bags.move_to_end(key)
        elif key not in found:
            missing[key] = (text, wide)
    if missing:
        tokens = tokenizer._many(
            [text for text, _ in missing.values()],
            [(key, wide) for key, (_, wide) in missing.items()],
            copies=False,
        )
        new = dict(zip(missing, _counted(tokens, memory.vocabulary), strict=True))
        found.update(new)
        memory.bags.update(new)
        while len(memory.bags) > memory.size:
            memory.bags.popitem(last=False)
    return Bags([found[key] for key, _ in keyed], memory.vocabulary)


def _counted(
    token_lists: list[Sequence[str]], vocabulary: Vocabulary
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each token list's distinct codes (ascending) and counts."""
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    codes = vocabulary.codes(chain.from_iterable(token_lists), int(lengths.sum()))
    size = len(vocabulary.words)
    keys = np.repeat(np.arange(len(token_lists), dtype=np.int64), lengths) * size + codes
    distinct, counts = summed(keys, None, len(token_lists) * size)
    text, code = np.divmod(distinct, size)
    ends = np.searchsorted(text, np.arange(1, len(token_lists)))
    return list(
        zip(
            np.split(code.astype(np.int32), ends),
            np.split(counts.astype(np.int32), ends),
            strict=True,
        )
    )
