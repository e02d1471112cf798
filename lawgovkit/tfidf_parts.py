"""TF-IDF fitted part by part: the pieces a cluster computes, each on its own part of the units.

A part's texts are analysed once into counts over the part's own terms
(:func:`analysed_counts`); the parts' terms are merged into the corpus vocabulary, sorted as
scikit-learn sorts it, with each term's rank in the order it first occurs (:func:`corpus_terms`);
each part's counts are renumbered to the corpus's columns, each row's entries in the order a
whole-corpus fit stores them (:func:`remapped`); their document frequencies are summed
(:func:`document_frequency`) and each part weighted and normalised by scikit-learn's own
transformer (:func:`weighted`). Put together in order, the parts are
:func:`lawgovkit.tfidf.tfidf_matrix`'s matrix bit for bit; :func:`lawgovkit.distributed.tfidf_dask`
runs them on Dask.

Examples
--------
>>> parts = [analysed_counts(t, "word", None) for t in (["行政复议案件"], ["依法行政", "。"])]
>>> vocabulary, rank = corpus_terms([terms for _, terms, _ in parts])
>>> vocabulary.tolist()
['依法行政', '案件', '行政复议']
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse

__all__ = ["analysed_counts", "corpus_terms", "document_frequency", "remapped", "weighted"]


def analysed_counts(
    texts: list[str], analyzer: str, tokenizer: Any
) -> tuple[list[bool], np.ndarray, sparse.csr_matrix]:
    """One partition's texts analysed once: which have tokens, the partition's own terms
    in the order they first occur, and its count matrix over them (rows: the texts with
    tokens)."""
    from lawgovkit.tfidf import _vectorizer

    analyze = _vectorizer(analyzer, tokenizer).build_analyzer()
    vocabulary: dict[str, int] = {}
    number = vocabulary.setdefault
    has_text, codes, lengths = [], [], []
    for text in texts:
        tokens = analyze(text) if isinstance(text, str) and text.strip() else []
        has_text.append(bool(tokens))
        if tokens:
            codes.extend(number(token, len(vocabulary)) for token in tokens)
            lengths.append(len(tokens))
    rows = np.repeat(np.arange(len(lengths)), lengths)
    counts = sparse.csr_matrix(
        (np.ones(len(codes), dtype=np.int64), (rows, np.asarray(codes, dtype=np.int64))),
        shape=(len(lengths), len(vocabulary)),
    )
    counts.sum_duplicates()
    return has_text, np.array(list(vocabulary), dtype=str), counts


def corpus_terms(partition_terms: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The corpus vocabulary (sorted, scikit-learn's column order) and each term's rank in
    the order the terms first occur in the corpus (the order scikit-learn numbers them
    while counting, which decides the order of a row's entries and so of its norm's sum)."""
    every = np.concatenate(partition_terms) if partition_terms else np.zeros(0, dtype=str)
    vocabulary, first = np.unique(every, return_index=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return vocabulary, rank


def remapped(
    counts: sparse.csr_matrix, columns: np.ndarray, rank: np.ndarray, n_terms: int
) -> sparse.csr_matrix:
    """A partition's counts renumbered to the corpus's columns, each row's entries in the
    order a fit on the whole corpus stores them (by the terms' first occurrence)."""
    counts = counts.tocsr()
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    order = np.lexsort((rank[counts.indices], rows))
    # float64 counts, as the vectorizer counts (converting them later re-sorts the rows)
    return sparse.csr_matrix(
        (counts.data[order].astype(np.float64), columns[counts.indices[order]], counts.indptr),
        shape=(counts.shape[0], n_terms),
    )


def weighted(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """TF-IDF of a partition's counts, by scikit-learn's own transformer (so each row is
    weighted and normalised exactly as a fit on the whole corpus would)."""
    from sklearn.feature_extraction.text import TfidfTransformer

    if counts.shape[0] == 0:  # a partition without text: no rows to weight
        return sparse.csr_matrix((0, len(idf)), dtype=np.float64)
    transformer = TfidfTransformer()
    transformer.idf_ = idf
    return sparse.csr_matrix(transformer.transform(counts))


def document_frequency(matrix: sparse.csr_matrix, n_terms: int) -> np.ndarray:
    """How many rows hold each term (the counts are never zero where stored)."""
    return np.bincount(matrix.indices, minlength=n_terms)
