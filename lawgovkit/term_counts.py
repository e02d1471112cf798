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

import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from itertools import chain, pairwise
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np
import pandas as pd

from lawgovkit._store import Numbering
from lawgovkit.tokenize import _PLANE_15_LEAD, Tokenizer, _keyed

__all__ = ["DENSE_KEYS", "Bags", "Vocabulary", "bags", "summed"]

# Sums over at most this many keys are made in a dense array (np.bincount); beyond it, by
# hashing the keys (pandas' factorize): 4 million counts take 32 MB for a moment.
DENSE_KEYS = 1 << 22
# Counting each text's terms sums this many (text, term) cells at a time (2 MB of counts)
_CHUNK_CELLS = 1 << 18


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
        number = self[word] = len(self)  # as Numbering does (a call less for each new word)
        return number

    def codes(self, words: Iterable[str], count: int = -1) -> np.ndarray:
        """The codes of ``words`` (new words get new codes); ``count``: how many there are,
        when known (:meth:`~lawgovkit._store.Numbering.numbers`)."""
        if count >= 0:
            return self.numbers(words, count)
        return np.fromiter(map(self.__getitem__, words), dtype=np.int64)

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
        lengths = np.fromiter((len(c) for c, _ in parts), dtype=np.int64, count=len(parts))
        codes = np.concatenate([c for c, _ in parts] or [np.empty(0, np.int32)])
        counts = np.concatenate([n for _, n in parts] or [np.empty(0, np.int32)])
        self._set(lengths, codes, counts, vocabulary)

    def _set(self, lengths, codes, counts, vocabulary: Vocabulary) -> None:
        self.lengths = lengths
        self.codes, self.counts = codes.astype(np.int64), counts.astype(np.int64)
        self.vocabulary = vocabulary

    @classmethod
    def _joined(cls, lengths, codes, counts, vocabulary: Vocabulary) -> Bags:
        """The bags whose concatenated codes and counts are given (not copied into parts)."""
        bags = cls.__new__(cls)
        bags._set(lengths, codes, counts, vocabulary)
        return bags


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


class _Positions:
    """``texts[places[i]]`` as item ``i`` (read only when asked for)."""

    __slots__ = ("_places", "_texts")

    def __init__(self, texts: Any, places: list[int]) -> None:
        self._texts, self._places = texts, places

    def __getitem__(self, i: int) -> str:
        return self._texts[self._places[i]]

    def __len__(self) -> int:
        return len(self._places)


def _arrow_keys(series: pd.Series) -> list[tuple[bytes, bool]] | None:
    """:func:`~lawgovkit.tokenize._keyed` of each text of a Series of Arrow strings (pandas
    3's default), from the UTF-8 Arrow stores: no Python str made, no text encoded (making
    the strs of 1,000 reports took 18 ms). None for another Series or one with a missing
    value."""
    if getattr(series.dtype, "storage", None) != "pyarrow":
        return None
    import pyarrow as pa

    chunked = pa.chunked_array(pa.array(series.array))
    kind = chunked.type
    if chunked.null_count or not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return None
    keyed: list[tuple[bytes, bool]] = []
    width = np.int64 if pa.types.is_large_string(kind) else np.int32
    for chunk in chunked.chunks:
        _, offsets, data = chunk.buffers()
        ends = np.frombuffer(offsets, dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1]
        view = memoryview(data) if data is not None else memoryview(b"")
        raw = np.frombuffer(view, dtype=np.uint8)
        # whether each text holds the lead byte of a plane-15 character (as _keyed says)
        leads = np.flatnonzero(raw == _PLANE_15_LEAD[0])
        wide = np.searchsorted(leads, ends[1:]) > np.searchsorted(leads, ends[:-1])
        for start, end, has in zip(
            ends[:-1].tolist(), ends[1:].tolist(), wide.tolist(), strict=True
        ):
            keyed.append((hashlib.sha256(view[start:end]).digest()[:16], has))
    return keyed


def bags(tokenizer: Tokenizer, texts: Sequence[str] | pd.Series) -> Bags:
    """Each text's distinct terms and their counts under ``tokenizer``.

    Texts whose counts are not in memory are tokenized together
    (:meth:`~lawgovkit.Tokenizer.tokenize_many`, its cache and workers) and counted.
    ``texts`` may be a Series: one of Arrow strings is hashed as stored, and a text is
    made a Python str only when it has to be segmented.

    Examples
    --------
    >>> tok = Tokenizer(backend="jieba")
    >>> b = bags(tok, ["行政复议 普法 行政复议", "", "普法"])
    >>> b.lengths.tolist(), b.vocabulary.terms(b.codes).tolist(), b.counts.tolist()
    ([2, 0, 1], ['行政复议', '普法', '普法'], [2, 1, 1])
    """
    memory = _memory(tokenizer)
    # the tokenizer's own keys: one hash a text
    keyed = _arrow_keys(texts) if isinstance(texts, pd.Series) else None
    if keyed is None:
        texts = texts.tolist() if isinstance(texts, pd.Series) else texts
        keyed = [_keyed(text) for text in texts]
    else:
        texts = texts.iat  # by position, each made a Python str only when read
    found: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}
    missing: dict[bytes, tuple[int, bool]] = {}  # each text not in memory, once: where
    for i, (key, wide) in enumerate(keyed):
        bag = memory.bags.get(key)
        if bag is not None:
            found[key] = bag
            memory.bags.move_to_end(key)
        elif key not in found and key not in missing:
            missing[key] = (i, wide)
    if missing:
        places = [i for i, _ in missing.values()]
        tokens = tokenizer._many(
            _Positions(texts, places),
            [(key, wide) for key, (_, wide) in missing.items()],
            copies=False,
        )
        parts, joined = _counted(tokens, memory.vocabulary)
        new = dict(zip(missing, parts, strict=True))
        found.update(new)
        memory.bags.update(new)
        while len(memory.bags) > memory.size:
            memory.bags.popitem(last=False)
        if len(missing) == len(keyed):  # every text new, each once, in order: as counted
            return Bags._joined(*joined, memory.vocabulary)
    return Bags([found[key] for key, _ in keyed], memory.vocabulary)


def _counted(token_lists: list[Sequence[str]], vocabulary: Vocabulary) -> tuple[list, tuple]:
    """Each token list's distinct codes (ascending) and counts, and the same joined:
    (lengths, codes, counts)."""
    n = len(token_lists)
    if not n:
        return [], (np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int32))
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=n)
    codes = vocabulary.codes(chain.from_iterable(token_lists), int(lengths.sum()))
    size = len(vocabulary.words)
    # (text, code) cells summed a few texts at a time when a text's cells fit a cache-sized
    # array many times over: one array of every text's cells is written and scanned whole
    step = _CHUNK_CELLS // max(size, 1)
    step = step if step >= 8 else n
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    sizes, codes_of, counts_of = [], [], []  # each chunk's: distinct terms a text, the terms
    for first in range(0, n, step):
        last = min(n, first + step)
        keys = np.repeat(np.arange(last - first, dtype=np.int64), lengths[first:last]) * size
        keys += codes[bounds[first] : bounds[last]]
        distinct, counts = summed(keys, None, (last - first) * size)
        text, code = np.divmod(distinct, size)
        sizes.append(np.bincount(text, minlength=last - first))
        codes_of.append(code.astype(np.int32))
        counts_of.append(counts.astype(np.int32))
    distinct_sizes = np.concatenate(sizes)
    code, counts = np.concatenate(codes_of), np.concatenate(counts_of)
    edges = [0, *np.cumsum(distinct_sizes).tolist()]
    parts = [(code[a:b], counts[a:b]) for a, b in pairwise(edges)]
    return parts, (distinct_sizes, code, counts)
