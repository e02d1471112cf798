"""The index behind :mod:`lawgovkit.reuse`: every window of ``k`` matching characters of
every report, which reports hold it, and the passages that follow from that.

How it works, without comparing all pairs of reports:

1. Each report's cleaned text becomes its matching characters (letters and digits in one
   canonical form, :func:`lawgovkit.shingles.matching_codes`), and every window of ``k`` of
   them gets a 64-bit hash.
2. All windows of all reports go through one hash table (pandas' factorize), which numbers
   the distinct windows; each report's distinct windows are listed (a small sort per
   report). Each distinct window gets ``df``, the number of reports holding it, and a
   signature of *which* reports hold it (the XOR of a random 64-bit number per report).
3. In each report, a run of consecutive windows held by the same reports (same signature,
   ``df`` >= 2) is one shared stretch. A stretch held by more reports lying between two
   stretches of the same reports (a stock phrase inside a copied paragraph) is absorbed
   into them. Stretches that overlap give the overlap to the one more reports share; what
   is left shorter than ``k`` characters is dropped. Each stretch, mapped back through the
   character offsets, is a passage: maximal, since the window before and the one after it
   are held by other reports (or none).

A character of a report is *shared* when a window covering it is held by another report:
:meth:`ReuseIndex.covered` gives that, for any choice of windows (held by two or more
reports, by a large share of them, by one other given report).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lawgovkit.shingles import matching_codes, window_hashes

__all__ = ["ReuseIndex"]


class ReuseIndex:
    """Windows of ``k`` matching characters of ``texts``, with who holds each.

    Parameters
    ----------
    texts : sequence of str
        The reports' cleaned texts (document ``i`` is ``texts[i]``).
    k : int
        Window length in matching characters (the shortest passage).
    """

    def __init__(self, texts: Sequence[str], k: int) -> None:
        self.k = k
        self.n_docs = len(texts)
        self.codes: list[np.ndarray] = []
        self.offsets: list[np.ndarray] = []
        for text in texts:
            codes, offsets = matching_codes(text)
            # most texts are all in the Basic Multilingual Plane: half the memory
            narrow = not len(codes) or int(codes.max()) < 0xD800
            self.codes.append(codes.astype(np.uint16) if narrow else codes)
            self.offsets.append(offsets.astype(np.int32))
        counts = np.array([max(len(c) - k + 1, 0) for c in self.codes], dtype=np.int64)
        #: window i of document d is number bounds[d] + i of the flat arrays
        self.bounds = np.concatenate([[0], np.cumsum(counts)])
        hashes = np.empty(int(self.bounds[-1]), dtype=np.uint64)
        for doc, codes in enumerate(self.codes):
            hashes[self.windows_of(doc)] = window_hashes(codes, k)
        #: per distinct window: reports holding it, and their signature; per window: which
        self.gram_df, self.gram_signature, self.gram = self._who_holds(hashes)

    @property
    def df(self) -> np.ndarray:
        """Per flat window: the number of reports holding it."""
        return self.gram_df[self.gram]

    def doc_of(self, windows: np.ndarray) -> np.ndarray:
        """The document of each flat window number."""
        return (np.searchsorted(self.bounds, windows, side="right") - 1).astype(np.int32)

    def _who_holds(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per distinct window (numbered by first appearance): df and holder signature;
        per window: its distinct window's number.

        One pass of a hash table over all windows (pandas' factorize), then one update
        per report: no sort of all windows together.
        """
        import pandas as pd

        gram, distinct = pd.factorize(hashes, sort=False)
        n_distinct = len(distinct)
        del distinct, hashes
        gram = gram.astype(np.int32 if n_distinct < 2**31 else np.int64)
        rng = np.random.default_rng(20261206)
        salts = rng.integers(1, 2**63, size=max(self.n_docs, 1), dtype=np.int64).astype(np.uint64)
        df = np.zeros(n_distinct, dtype=np.int32)
        signature = np.zeros(n_distinct, dtype=np.uint64)
        for doc in range(self.n_docs):
            # a fancy-indexed update applies once per distinct index, however often it
            # repeats: each distinct window of the report counts once
            held = gram[self.windows_of(doc)]
            df[held] += 1
            signature[held] ^= salts[doc]
        return df, signature, gram

    def df_of(self, doc: int) -> np.ndarray:
        """Per window of ``doc``: the number of reports holding it."""
        return self.gram_df[self.gram[self.windows_of(doc)]]

    def windows_of(self, doc: int) -> slice:
        return slice(int(self.bounds[doc]), int(self.bounds[doc + 1]))

    # -------------------------------------------------------------------------------------
    # Passages

    def passages_of(self, doc: int) -> tuple[list[int], list[int], list[int]]:
        """The shared stretches of one report, in order: matching-character starts, ends
        and the number of reports holding each."""
        grams = self.gram[self.windows_of(doc)]
        df, signature = self.gram_df[grams], self.gram_signature[grams]
        shared = df >= 2
        if not shared.any():
            return [], [], []
        change = np.flatnonzero((shared[1:] != shared[:-1]) | (signature[1:] != signature[:-1]))
        firsts = np.concatenate([[0], change + 1])
        lasts = np.concatenate([change, [len(df) - 1]])
        keep = shared[firsts]
        firsts, lasts = firsts[keep], lasts[keep]
        firsts, lasts, dfs = _absorb_inner(firsts, lasts, signature[firsts], df[firsts])
        return self._trimmed(firsts, lasts, dfs)

    def _trimmed(
        self, firsts: np.ndarray, lasts: np.ndarray, dfs: np.ndarray
    ) -> tuple[list[int], list[int], list[int]]:
        """Character spans of runs of windows; where two overlap, the overlap goes to the
        one more reports hold (to the first on a tie); spans left shorter than k dropped."""
        starts, ends = firsts.copy(), lasts + self.k
        overlap = firsts[1:] < ends[:-1]
        left_keeps = overlap & (dfs[:-1] >= dfs[1:])
        right_keeps = overlap & ~left_keeps
        starts[1:][left_keeps] = ends[:-1][left_keeps]
        ends[:-1][right_keeps] = firsts[1:][right_keeps]
        keep = ends - starts >= self.k
        return starts[keep].tolist(), ends[keep].tolist(), dfs[keep].tolist()

    # -------------------------------------------------------------------------------------
    # Coverage: which characters are shared

    def covered(self, doc: int, held: np.ndarray) -> np.ndarray:
        """Per matching character of ``doc``: whether a window in ``held`` covers it.

        ``held`` is a boolean per window of ``doc``.
        """
        n = len(self.codes[doc])
        marks = np.zeros(n + 1, dtype=np.int32)
        starts = np.flatnonzero(held)
        np.add.at(marks, starts, 1)
        np.add.at(marks, starts + self.k, -1)
        return np.cumsum(marks[:n]) > 0

    def held_with_others(self, doc: int, others: Sequence[int]) -> np.ndarray:
        """Per window of ``doc``: whether one of the documents ``others`` holds it too."""
        mine = self.gram[self.windows_of(doc)]
        if not len(others):
            return np.zeros(len(mine), dtype=bool)
        theirs = np.concatenate([self.gram[self.windows_of(o)] for o in others])
        return np.isin(mine, theirs)

    def held_in_group(self, group: np.ndarray) -> np.ndarray:
        """Per flat window: whether another document of the same group holds it.

        ``group`` gives each document a group number (-1: in no group).
        """
        result = np.zeros(len(self.gram), dtype=bool)
        candidates = np.flatnonzero(self.df >= 2)
        if not len(candidates):
            return result
        docs = self.doc_of(candidates)
        groups = group[docs]
        keep = groups >= 0
        candidates, docs, groups = candidates[keep], docs[keep], groups[keep]
        order = np.lexsort((docs, groups, self.gram[candidates]))
        candidates, docs = candidates[order], docs[order]
        key_gram, key_group = self.gram[candidates], groups[order]
        new_key = np.ones(len(candidates), dtype=bool)
        new_key[1:] = (key_gram[1:] != key_gram[:-1]) | (key_group[1:] != key_group[:-1])
        new_doc = new_key.copy()
        new_doc[1:] |= docs[1:] != docs[:-1]
        starts = np.flatnonzero(new_key)
        holders = np.add.reduceat(new_doc.astype(np.int32), starts)[np.cumsum(new_key) - 1]
        result[candidates[holders >= 2]] = True
        return result

    def pair_coverage(self, in_scope: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For every ordered pair (a, b) of documents sharing a window: the matching
        characters of ``a`` covered by windows (among those ``in_scope``, a boolean per
        flat window) that ``b`` holds anywhere.

        Returns arrays ``a``, ``b``, ``characters``. Work grows with the number of
        (window, other holder) pairs: fine for hundreds of reports, not meant for tens of
        thousands that share stock text.
        """
        windows = np.flatnonzero(self.df >= 2)
        if not len(windows):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        docs = self.doc_of(windows)
        grams = self.gram[windows]
        order = np.lexsort((docs, grams))
        windows, docs, grams = windows[order], docs[order], grams[order]
        new_gram = np.ones(len(windows), dtype=bool)
        new_gram[1:] = grams[1:] != grams[:-1]
        new_doc = new_gram.copy()
        new_doc[1:] |= docs[1:] != docs[:-1]
        # the distinct holders of each gram, in a flat list
        holder_doc = docs[new_doc]
        holder_first = np.flatnonzero(new_doc)
        gram_of_holder = np.cumsum(new_gram)[holder_first] - 1
        first_holder = np.searchsorted(gram_of_holder, np.arange(gram_of_holder[-1] + 1))
        n_holders = np.diff(np.append(first_holder, len(holder_doc)))
        group = np.cumsum(new_gram) - 1
        keep = in_scope[windows]
        windows, docs, group = windows[keep], docs[keep], group[keep]
        repeat = n_holders[group]
        a = np.repeat(docs, repeat)
        position = np.repeat(windows - self.bounds[docs], repeat)
        step = np.arange(len(a)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
        b = holder_doc[np.repeat(first_holder[group], repeat) + step]
        other = a != b
        a, b, position = a[other], b[other], position[other]
        order = np.lexsort((position, b, a))
        a, b, position = a[order], b[order], position[order]
        new_pair = np.ones(len(a), dtype=bool)
        new_pair[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        gap = np.full(len(a), self.k, dtype=np.int64)
        same = ~new_pair[1:]
        gap[:-1][same] = np.minimum(position[1:][same] - position[:-1][same], self.k)
        starts = np.flatnonzero(new_pair)
        return a[starts], b[starts], np.add.reduceat(gap, starts)


def _absorb_inner(
    firsts: np.ndarray, lasts: np.ndarray, signatures: np.ndarray, dfs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Join runs of windows of one report where a run held by more reports (a stock phrase)
    lies between two runs held by the same reports (a copied paragraph around it), all
    three contiguous: the paragraph stays one passage, held by the outer runs' reports.
    Repeated while joins make new such triples. Returns firsts, lasts and dfs."""
    while len(firsts) >= 3:
        contiguous = firsts[1:] == lasts[:-1] + 1  # run j and run j + 1 touch
        inner = (
            contiguous[:-1]
            & contiguous[1:]
            & (signatures[:-2] == signatures[2:])
            & (dfs[1:-1] > dfs[:-2])
        )
        if not inner.any():
            break
        joined = np.zeros(len(firsts) - 1, dtype=bool)  # run j + 1 joins run j's group
        where = np.flatnonzero(inner)
        joined[where] = joined[where + 1] = True
        heads = np.flatnonzero(np.concatenate([[True], ~joined]))
        tails = np.concatenate([heads[1:] - 1, [len(firsts) - 1]])
        firsts, lasts = firsts[heads], lasts[tails]
        signatures, dfs = signatures[heads], dfs[heads]
    return firsts, lasts, dfs
