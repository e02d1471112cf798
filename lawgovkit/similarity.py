"""How alike reports are: cosine similarity of TF-IDF vectors, by report or by part.

Two layers. :func:`text_units` turns a corpus into a table of units (``id``, ``report_id``,
``text``): whole reports, each report's problems or plans, sections, or each report's
passages on a theme. :func:`similarity_matrix`, :func:`most_similar` and
:func:`tfidf_matrix` work on that table, so they also accept such a DataFrame directly.

Units without text (a report with no plans) are left out of the matrix and said so: a
``warnings.warn`` naming them, and ``matrix.attrs["left_out"]``. They never get zero rows.

The two costly steps keep their results on disk (:mod:`lawgovkit.arrays`, in the cache
folder next to the report cache), so a re-run on unchanged input reads them back instead of
computing them again: :func:`tfidf_matrix` (keyed by the units' ids and texts in order, the
analyzer, every ``TfidfVectorizer`` option and the tokenizer's settings) and
:func:`top_k_similar` (keyed by the matrix's bytes, ``k`` and the block size). What is read
back is exactly what computing gives. Inputs of fewer than ``_CACHE_MIN_ROWS`` (200) units
or rows never touch the disk (computing them is quicker than reading), nor do options that
are not plain data (a function as preprocessor, a tokenizer that is not a
:class:`~lawgovkit.tokenize.Tokenizer`). ``LAWGOVKIT_CACHE=off`` turns the cache off.
"""

from __future__ import annotations

import json
import os
import re
import sys
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import chain, pairwise
from typing import Any

import numpy as np
import pandas as pd
import sklearn
from scipy import sparse
from sklearn.feature_extraction import text as sklearn_text
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

from lawgovkit._parallel import free_cores
from lawgovkit.arrays import ArrayStore, Key, array_store
from lawgovkit.errors import ArgumentError, LawgovkitWarning
from lawgovkit.tokenize import Tokenizer, _backend_version, default_tokenizer

__all__ = [
    "UNITS",
    "TfidfUnits",
    "most_similar",
    "similar_pairs",
    "similarity_matrix",
    "text_units",
    "tfidf_matrix",
    "top_k_similar",
    "warn_left_out",
]

UNITS = ("report", "problems", "plans", "section", "theme:<name>")
ANALYZERS = ("word", "char")
# For analyzer="char": only letters count (digits, punctuation and spaces say nothing of
# wording), and character bigrams and trigrams are the units unless ngram_range is given.
_NOT_LETTER = re.compile(r"[\W\d_]+")
_CHAR_DEFAULTS = {"ngram_range": (2, 3)}
# top_k_similar: how many similarities one block of rows may hold (2**24 floats = 128 MB),
# and the document frequency (share of rows) from which a term's column is multiplied as a
# dense array (BLAS) rather than as sparse entries.
_BLOCK_VALUES = 2**24
_DENSE_DF = 1 / 32
_DENSE_MAX_VALUES = 2**28  # at most 2 GB of dense columns
# Threads picking each block's best (numpy releases the GIL while it selects and sorts);
# the work is memory-bound, so more than a few do not help. Blocks of fewer values are
# done in one thread: starting threads (about half a millisecond) would cost more.
_MAX_THREADS = 4
_THREADS_MIN_VALUES = 2**18
# Fewer units (tfidf_matrix) or rows (top_k_similar) than this are computed every time:
# a few milliseconds, less than hashing, reading or writing an entry, and a notebook or a
# test on a handful of reports leaves nothing on disk.
_CACHE_MIN_ROWS = 200
# A TF-IDF fit counts the tokens of this many at once: the chunk's token lists are held
# meanwhile (a character n-gram is a str of its own, ~80 bytes), so about 100 MB at most.
_COUNT_CHUNK_TOKENS = 2**20


def _report_texts(corpus: Any) -> pd.Series:
    """Each report's cleaned text, from its sections (which re-join to it), in corpus order."""
    sections = corpus.sections
    ids = list(corpus.reports.index)
    if len(sections) == 0:
        return pd.Series([""] * len(ids), index=ids, dtype=object)
    ordered = sections.sort_values(["report_id", "start"], kind="stable")
    joined = ordered.groupby("report_id", sort=False)["text"].agg(lambda s: "".join(s))
    return joined.reindex(ids).fillna("").astype(object)


def _joined_by_report(corpus: Any, table: pd.DataFrame) -> pd.Series:
    """The texts of ``table`` (problems, plans, passages) joined per report, one a line."""
    ids = list(corpus.reports.index)
    if len(table) == 0:
        return pd.Series([""] * len(ids), index=ids, dtype=object)
    joined = table.groupby("report_id", sort=False)["text"].agg(lambda s: "\n".join(s))
    return joined.reindex(ids).fillna("").astype(object)


def text_units(corpus: Any, unit: str = "report") -> pd.DataFrame:
    """The units a comparison works on, one row each: ``id``, ``report_id``, ``text``.

    Parameters
    ----------
    corpus : Corpus or DataFrame
        A corpus, or a DataFrame that already has ``id`` and ``text`` columns (returned as is,
        with ``report_id`` defaulting to ``id``).
    unit : str
        ``"report"`` (the cleaned text), ``"problems"`` / ``"plans"`` (each report's admitted
        problems / planned measures, joined), ``"section"`` (each section; id
        ``"report_id:section_id"``) or ``"theme:<name>"`` (each report's sentences on the
        theme, see :func:`lawgovkit.themes.theme_passages`).

    Returns
    -------
    DataFrame
        Columns ``id``, ``report_id``, ``text``; a report with nothing for the unit has an
        empty text (the comparison functions leave it out and say so).

    Examples
    --------
    >>> units = pd.DataFrame({"id": ["a", "b"], "text": ["行政复议", "人民调解"]})
    >>> list(text_units(units).columns)
    ['id', 'report_id', 'text']
    """
    if isinstance(corpus, pd.DataFrame):
        if not {"id", "text"} <= set(corpus.columns):
            raise ArgumentError(
                f"a DataFrame of units needs columns 'id' and 'text'; got {list(corpus.columns)}"
            )
        units = corpus.copy()
        if "report_id" not in units.columns:
            units["report_id"] = units["id"]
        units["text"] = units["text"].fillna("").astype(str)
        others = [c for c in units.columns if c not in ("id", "report_id", "text")]
        return units[["id", "report_id", "text", *others]].reset_index(drop=True)
    if unit == "report":
        texts = _report_texts(corpus)
    elif unit in ("problems", "plans"):
        texts = _joined_by_report(corpus, getattr(corpus, unit))
    elif unit == "section":
        sections = corpus.sections
        ids = sections["report_id"].astype(str) + ":" + sections["section_id"].astype(str)
        return pd.DataFrame(
            {
                "id": ids.to_numpy(),
                "report_id": sections["report_id"].to_numpy(),
                "text": sections["text"].fillna("").astype(str).to_numpy(),
            }
        )
    elif isinstance(unit, str) and unit.startswith("theme:"):
        from lawgovkit.themes import theme_passages

        passages = theme_passages(corpus, unit.removeprefix("theme:"))
        texts = _joined_by_report(corpus, passages.rename(columns={"sentence": "text"}))
    else:
        raise ArgumentError(f"unknown unit {unit!r}; expected one of {UNITS}")
    return pd.DataFrame({"id": texts.index, "report_id": texts.index, "text": texts.to_numpy()})


@dataclass(frozen=True)
class TfidfUnits:
    """A fitted TF-IDF matrix of units: rows ``ids``, L2-normalised, sparse."""

    ids: list[str]
    matrix: sparse.csr_matrix
    vectorizer: TfidfVectorizer
    left_out: list[str]


def _vectorizer(analyzer: str, tokenizer: Tokenizer | None, **kwargs: Any) -> TfidfVectorizer:
    if analyzer == "word":
        options = {"tokenizer": default_tokenizer(tokenizer), "token_pattern": None}
        return TfidfVectorizer(**{**options, "lowercase": False, **kwargs})
    if analyzer == "char":
        options = {"analyzer": "char", "preprocessor": _letters_only, **_CHAR_DEFAULTS}
        return TfidfVectorizer(**{**options, **kwargs})
    raise ArgumentError(f"unknown analyzer {analyzer!r}; expected one of {ANALYZERS}")


def _letters_only(text: str) -> str:
    return _NOT_LETTER.sub("", text)


def tfidf_matrix(
    units: pd.DataFrame,
    analyzer: str = "word",
    tokenizer: Tokenizer | None = None,
    **tfidf_kwargs: Any,
) -> TfidfUnits:
    """Fit TF-IDF on the units that have text; list the ones left out.

    The result is kept on disk (see the module's docstring): called again on the same
    units (same ids and texts in the same order) with the same options and an equally
    configured tokenizer, it is read back, without tokenizing anything. What comes back is
    equal to a fit: the same ``ids``, ``left_out`` and matrix (data, indices, indptr,
    shape) and a fitted ``vectorizer`` (same ``vocabulary_`` and ``idf_``) whose
    ``transform`` gives the same as the fitted one. A fit that raised a warning is not
    kept, so reading back never hides one.

    Parameters
    ----------
    units : DataFrame
        Columns ``id`` and ``text`` (see :func:`text_units`).
    analyzer : {"word", "char"}
        Words from the :class:`~lawgovkit.tokenize.Tokenizer`, or character 2-3-grams.
    tokenizer : Tokenizer, optional
        Defaults to the package's shared tokenizer.
    **tfidf_kwargs
        Passed to :class:`sklearn.feature_extraction.text.TfidfVectorizer`.

    Returns
    -------
    TfidfUnits
        ``ids`` (row labels), ``matrix``, ``vectorizer`` and ``left_out`` (ids without text).

    Examples
    --------
    >>> units = pd.DataFrame({"id": ["a", "b", "c"], "text": ["行政复议", "行政复议案件", "。"]})
    >>> fitted = tfidf_matrix(units)
    >>> fitted.ids, fitted.left_out
    (['a', 'b'], ['c'])
    """
    vectorizer = _vectorizer(analyzer, tokenizer, **tfidf_kwargs)
    store = array_store() if len(units) >= _CACHE_MIN_ROWS else None
    key = None if store is None else _tfidf_key(units, analyzer, vectorizer)
    if store is not None and key is not None:
        cached = _tfidf_read(store, key, units, vectorizer)
        if cached is not None:
            return cached
    _prime_tokens(units, vectorizer)
    # Warnings are held back while fitting, to know whether there were any, then given
    # as they were (the user's filters apply then).
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fitted, has_text = _tfidf_fit(units, vectorizer)
    for warning in caught:
        warnings.warn_explicit(
            warning.message,
            warning.category,
            warning.filename,
            warning.lineno,
            module=_module_of(warning.filename),
        )
    if store is not None and key is not None and not caught and fitted.ids:
        _tfidf_write(store, key, fitted, has_text)
    return fitted


def _prime_tokens(units: pd.DataFrame, vectorizer: TfidfVectorizer) -> None:
    """Tokenize the texts a fit will read in one batch first, when that is sure to pay.

    :meth:`Tokenizer.tokenize_many` may segment in worker processes and keeps a batch on
    disk; the fit then finds every text's tokens in the tokenizer's memory cache. This
    is done only when the fit hands the texts as they are to a
    :class:`~lawgovkit.tokenize.Tokenizer` (word analyzer, no preprocessing), for 200
    texts or more (fewer are not worth a batch) and no more than the cache holds (else
    the first would be evicted before the fit reads them, and segmented twice). It is
    not done when the texts were tokenized already (a benchmark or notebook calling
    ``tokenize_many`` first), as told by the first, middle and last texts being cache
    hits: a second batch would hash every text again and read the batch back from disk
    for nothing.
    """
    tokenizer = vectorizer.tokenizer
    as_they_are = (
        vectorizer.analyzer == "word"
        and vectorizer.preprocessor is None
        and not vectorizer.lowercase
        and not vectorizer.strip_accents
        and vectorizer.input == "content"
    )
    if not (as_they_are and isinstance(tokenizer, Tokenizer)):
        return
    texts = [text for text in units["text"] if isinstance(text, str) and text.strip()]
    if not _CACHE_MIN_ROWS <= len(texts) <= tokenizer.cache_size:
        return
    hits = tokenizer.cache_info()["hits"]
    probes = {0, len(texts) // 2, len(texts) - 1}
    for i in probes:
        tokenizer(texts[i])
    if tokenizer.cache_info()["hits"] - hits < len(probes):
        tokenizer.tokenize_many(texts)


def _tfidf_fit(units: pd.DataFrame, vectorizer: TfidfVectorizer) -> tuple[TfidfUnits, list[bool]]:
    """Fit ``vectorizer`` on the units that have text; also which units have text.

    Each text is analysed once: the fit is handed the tokens as they are found (the
    instance attribute hides ``build_analyzer`` for this one fit, so the fit counts them
    as they are), and the texts without any are skipped on the way. Analysing every text
    beforehand to find those, as a separate pass, made the whole 15% (words, tokens
    cached) to 25% (character n-grams) slower; holding every text's tokens instead would
    cost gigabytes of n-grams. Afterwards the vectorizer is as if fitted on the texts (its
    ``transform`` analyses raw texts).

    The tokens are counted by :func:`_count_vocab` (numpy) instead of scikit-learn's
    loop over every token in Python; everything else (sorting the terms, ``min_df``,
    ``max_df``, ``max_features``, ``binary``, the weighting) is scikit-learn's own.
    """
    analyze = vectorizer.build_analyzer()
    has_text: list[bool] = []

    def analysed() -> Iterator[Any]:
        for text in units["text"]:
            tokens = analyze(text) if text.strip() else ()
            has_text.append(bool(tokens))
            if has_text[-1]:
                yield tokens

    documents = analysed()
    first = next(documents, None)
    if first is not None:
        vectorizer.build_analyzer = lambda: _as_analysed  # type: ignore[method-assign]
        vectorizer._count_vocab = _count_vocab_of(vectorizer)  # type: ignore[method-assign]
        try:
            matrix = sparse.csr_matrix(vectorizer.fit_transform(chain([first], documents)))
        finally:
            del vectorizer.build_analyzer, vectorizer._count_vocab
    else:
        matrix = sparse.csr_matrix((0, 0))
    if len(has_text) != len(units):  # the fit stopped reading early: never expected
        raise RuntimeError("TF-IDF did not read every text")
    left_out = [str(i) for i in units.loc[[not h for h in has_text], "id"]]
    ids = [str(i) for i in units.loc[has_text, "id"]]
    return TfidfUnits(ids, matrix, vectorizer, left_out), has_text


def _count_vocab_of(vectorizer: TfidfVectorizer) -> Any:
    """A stand-in for ``vectorizer._count_vocab`` during one fit on analysed documents:
    :func:`_count_vocab`, or scikit-learn's own for a fixed vocabulary (``vocabulary=``)."""

    def count_vocab(documents: Iterable[Any], fixed_vocab: bool) -> tuple[dict, Any]:
        if fixed_vocab:
            return type(vectorizer)._count_vocab(vectorizer, documents, fixed_vocab)
        return _count_vocab(documents, vectorizer.dtype)

    return count_vocab


def _count_vocab(documents: Iterable[Any], dtype: Any) -> tuple[dict, Any]:
    """The vocabulary and counts matrix ``CountVectorizer._count_vocab`` gives for
    documents already analysed (token lists) and no fixed vocabulary, bit for bit.

    The terms are numbered as scikit-learn numbers them, by a ``defaultdict`` that gives
    each new token the next number, in the order the tokens come, but looked up by
    ``map`` in C rather than by a Python loop; numpy then counts each document's terms.
    The matrix is built as scikit-learn builds it (counts as C ints, 32-bit indices
    unless there are more than 2**31 - 1 non-zeros, ``dtype``, sorted indices).
    """
    vocabulary: defaultdict = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    number = vocabulary.__getitem__
    terms, counts, sizes = [], [], []
    for chunk in _chunks(documents, _COUNT_CHUNK_TOKENS):
        lengths = np.fromiter(map(len, chunk), dtype=np.int64, count=len(chunk))
        total = int(lengths.sum())
        codes = np.fromiter(map(number, chain.from_iterable(chunk)), np.int64, count=total)
        chunk_terms, chunk_counts, chunk_sizes = _count_rows(codes, lengths, len(vocabulary))
        terms.append(chunk_terms)
        counts.append(chunk_counts)
        sizes.append(chunk_sizes)
    vocabulary = dict(vocabulary)
    if not vocabulary:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    row_sizes = np.concatenate(sizes) if sizes else np.zeros(0, dtype=np.int64)
    nnz = int(row_sizes.sum())
    if nnz > np.iinfo(np.int32).max:
        if np.dtype(np.intp).itemsize == 4:
            raise ValueError(
                f"sparse CSR array has {nnz} non-zero elements and requires 64 bit "
                "indexing, which is unsupported with 32 bit Python."
            )
        index_dtype: Any = np.int64
    else:
        index_dtype = np.int32
    indptr = np.zeros(len(row_sizes) + 1, dtype=index_dtype)
    np.cumsum(row_sizes, out=indptr[1:])
    indices = np.concatenate([np.zeros(0, np.int64), *terms]).astype(index_dtype)
    values = np.concatenate([np.zeros(0, np.int64), *counts]).astype(np.intc)
    shape = (len(row_sizes), len(vocabulary))
    # as the installed scikit-learn builds it: a csr_array given the sparse API its
    # config asks for (newer versions), else a csr_matrix (older ones)
    align = getattr(sklearn_text, "_align_api_if_sparse", None)
    build = sparse.csr_matrix if align is None else sparse.csr_array
    matrix = build((values, indices, indptr), shape=shape, dtype=dtype)
    matrix.sort_indices()
    return vocabulary, (matrix if align is None else align(matrix))


def _chunks(documents: Iterable[Any], size: int) -> Iterator[list]:
    """The documents (token lists) in lists of about ``size`` tokens."""
    chunk: list = []
    held = 0
    for document in documents:
        tokens = document if isinstance(document, (list, tuple)) else list(document)
        chunk.append(tokens)
        held += len(tokens)
        if held >= size:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


def _count_rows(
    codes: np.ndarray, lengths: np.ndarray, n_terms: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each document's distinct term numbers (ascending) and their counts, and how many
    each document has, from the term numbers of its tokens (``lengths`` per document)."""
    rows = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    # The rows come in order, so a stable sort (timsort) only sorts within each row's
    # run: three times quicker than the default sort here.
    keys = np.sort(rows * n_terms + codes, kind="stable")
    starts = np.flatnonzero(np.diff(keys, prepend=-1))
    counts = np.diff(starts, append=len(keys))
    rows, terms = np.divmod(keys[starts], n_terms)
    return terms, counts, np.bincount(rows, minlength=len(lengths))


def _module_of(filename: str) -> str | None:
    """The name of the imported module whose file this is (what ``warnings`` filters on)."""
    for name, module in list(sys.modules.items()):
        if getattr(module, "__file__", None) == filename:
            return name
    return None


def _as_analysed(tokens: Any) -> Any:
    return tokens


def _tokenizer_identity(tokenizer: Any) -> list | None:
    """What a tokenizer's tokens depend on, as data; None when that cannot be told.

    ``tokenizer.fingerprint`` when it has one (a string), else, for a plain
    :class:`Tokenizer`, its settings (repr), its backend and the backend's version. Its
    word lists are lawgovkit's data files, which the store's keys cover anyway.
    """
    kind = f"{type(tokenizer).__module__}.{type(tokenizer).__qualname__}"
    try:
        mark = getattr(tokenizer, "fingerprint", None)
        if callable(mark):
            mark = mark()
    except Exception:  # e.g. a backend that is not installed: the fit will say so
        return None
    if isinstance(mark, str):
        return [kind, mark]
    if type(tokenizer) is Tokenizer:
        backend = tokenizer.backend_name
        return [kind, repr(tokenizer), backend, _backend_version(backend)]
    return None


class _NotData(Exception):
    """An option that is not plain data (a function, an object): no caching."""


def _as_data(value: Any) -> Any:
    """``value`` as JSON-able data tagged with its type (``1``, ``1.0`` and ``True`` mean
    different things to scikit-learn); raises _NotData for anything else."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)):
        plain = value.item() if isinstance(value, np.generic) else value
        return {type(plain).__name__: plain}
    if isinstance(value, (list, tuple)):
        return {type(value).__name__: [_as_data(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        items = [_as_data(v) for v in value]
        return {"set": sorted(items, key=lambda v: json.dumps(v, sort_keys=True))}
    if isinstance(value, dict):  # in its order, as scikit-learn keeps it
        return {"dict": [[_as_data(k), _as_data(v)] for k, v in value.items()]}
    if isinstance(value, type) and (value in (bool, int, float) or issubclass(value, np.generic)):
        return {"dtype": np.dtype(value).str}  # dtype=np.float64
    if isinstance(value, np.dtype):
        return {"dtype": value.str}
    raise _NotData(type(value).__name__)


def _tfidf_key(units: pd.DataFrame, analyzer: str, vectorizer: TfidfVectorizer) -> str | None:
    """The store key of a fit, or None when it is not to be cached.

    The vectorizer's parameters are all of its options (scikit-learn's and ours); the
    tokenizer and preprocessor are lawgovkit's own (their code is in the key through
    lawgovkit's fingerprint), any other function means no caching.
    """
    options: dict[str, Any] = {}
    try:
        for name, value in vectorizer.get_params(deep=False).items():
            if name == "tokenizer" and value is not None:
                options[name] = _tokenizer_identity(value)
                if options[name] is None:
                    return None
            elif name == "preprocessor" and value is _letters_only:
                options[name] = "lawgovkit.similarity._letters_only"
            else:
                options[name] = _as_data(value)
    except _NotData:
        return None
    key = Key("tfidf").data(
        {"analyzer": analyzer, "options": options, "sklearn": sklearn.__version__}
    )
    key.data(len(units))
    for unit_id, text in zip(units["id"], units["text"], strict=True):
        if not isinstance(text, str):
            return None  # the fit raises its own error
        key.text(str(unit_id)).text(text)
    return key.hexdigest()


# Fitted attributes a TfidfVectorizer may have, and how each is kept: any other means the
# fit is not cached (a scikit-learn version that fits differently).
_VECTORIZER_FITTED = {"vocabulary_", "fixed_vocabulary_", "stop_words_"}
_TRANSFORMER_FITTED = {"idf_", "n_features_in_"}


def _fitted(estimator: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(estimator).items() if k.endswith("_") and k[0] != "_"}


def _tfidf_write(store: ArrayStore, key: str, fitted: TfidfUnits, has_text: list[bool]) -> None:
    vectorizer = fitted.vectorizer
    transformer = getattr(vectorizer, "_tfidf", None)
    if type(transformer) is not TfidfTransformer:
        return
    own, its = _fitted(vectorizer), _fitted(transformer)
    if not (set(own) <= _VECTORIZER_FITTED and set(its) <= _TRANSFORMER_FITTED):
        return
    vocabulary = own["vocabulary_"]
    matrix = fitted.matrix
    arrays = {
        "kept": np.array(has_text, dtype=bool),
        "data": matrix.data,
        "indices": matrix.indices,
        "indptr": matrix.indptr,
        "shape": np.array(matrix.shape, dtype=np.int64),
        "vocabulary": np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary)),
    }
    if "idf_" in its:
        arrays["idf_"] = its["idf_"]
    meta = {
        "terms": list(vocabulary),  # in the dict's own order
        "fixed_vocabulary_": bool(own["fixed_vocabulary_"]),
        "n_features_in_": int(its["n_features_in_"]) if "n_features_in_" in its else None,
    }
    if "stop_words_" in own:
        meta["stop_words_"] = sorted(own["stop_words_"])
    store.put(key, arrays, meta)


def _tfidf_read(
    store: ArrayStore, key: str, units: pd.DataFrame, vectorizer: TfidfVectorizer
) -> TfidfUnits | None:
    """The fit stored under ``key``, on a vectorizer made for it; None if unusable."""
    entry = store.get(key)
    if entry is None:
        return None
    arrays, meta = entry
    try:
        kept = arrays["kept"]
        shape = tuple(int(n) for n in arrays["shape"])
        terms, values = meta["terms"], arrays["vocabulary"].tolist()
        if kept.dtype != bool or len(kept) != len(units) or len(terms) != len(values):
            return None
        if shape != (int(kept.sum()), len(terms)):
            return None
        # the stored arrays as they are (a constructor could narrow their index dtype)
        matrix = sparse.csr_matrix(shape, dtype=arrays["data"].dtype)
        matrix.data, matrix.indices = arrays["data"], arrays["indices"]
        matrix.indptr = arrays["indptr"]
        matrix.check_format(full_check=False)
        vectorizer.vocabulary_ = dict(zip(terms, values, strict=True))
        vectorizer.fixed_vocabulary_ = bool(meta["fixed_vocabulary_"])
        if "stop_words_" in meta:
            vectorizer.stop_words_ = set(meta["stop_words_"])
        transformer = TfidfTransformer(
            norm=vectorizer.norm,
            use_idf=vectorizer.use_idf,
            smooth_idf=vectorizer.smooth_idf,
            sublinear_tf=vectorizer.sublinear_tf,
        )
        if meta["n_features_in_"] is not None:
            transformer.n_features_in_ = int(meta["n_features_in_"])
        if "idf_" in arrays:
            if arrays["idf_"].shape != (len(terms),):
                return None
            transformer.idf_ = arrays["idf_"]
        vectorizer._tfidf = transformer
    except (KeyError, TypeError, ValueError):
        return None
    ids = [str(i) for i in units["id"]]
    return TfidfUnits(
        [i for i, k in zip(ids, kept, strict=True) if k],
        matrix,
        vectorizer,
        [i for i, k in zip(ids, kept, strict=True) if not k],
    )


def warn_left_out(left_out: list[str], unit: str) -> None:
    """Say which units a comparison leaves out for lack of text (a LawgovkitWarning)."""
    if left_out:
        warnings.warn(
            f"left out of the {unit!r} comparison for lack of text: {', '.join(left_out)}",
            LawgovkitWarning,
            stacklevel=3,
        )


def similarity_matrix(
    corpus: Any,
    unit: str = "report",
    analyzer: str = "word",
    tokenizer: Tokenizer | None = None,
    **tfidf_kwargs: Any,
) -> pd.DataFrame:
    """Cosine similarity of the units' TF-IDF vectors, as a labelled square DataFrame.

    Parameters
    ----------
    corpus : Corpus or DataFrame
        A corpus, or a DataFrame of units (``id``, ``text``).
    unit : str
        ``"report"``, ``"problems"``, ``"plans"``, ``"section"`` or ``"theme:<name>"``
        (see :func:`text_units`).
    analyzer : {"word", "char"}
        Word tokens (domain-aware) or character 2-3-grams (robust to segmentation).
    tokenizer : Tokenizer, optional
        E.g. ``Tokenizer(officialese=True)`` to drop officialese; default shared tokenizer.
    **tfidf_kwargs
        Passed to scikit-learn's ``TfidfVectorizer`` (``sublinear_tf=True``, ``min_df=2`` ...).

    Returns
    -------
    DataFrame
        Index and columns are the unit ids (report ids; ``"report_id:section_id"`` for
        sections), symmetric, ones on the diagonal, values in [0, 1].
        ``attrs["left_out"]`` lists the units left out for lack of text (also warned).

    Examples
    --------
    >>> units = pd.DataFrame({"id": ["a", "b"], "text": ["加强行政复议", "加强人民调解"]})
    >>> similarity_matrix(units).round(2).to_numpy().tolist()
    [[1.0, 0.34], [0.34, 1.0]]
    """
    fitted = tfidf_matrix(text_units(corpus, unit), analyzer, tokenizer, **tfidf_kwargs)
    warn_left_out(fitted.left_out, unit)
    values = (fitted.matrix @ fitted.matrix.T).toarray()
    values = np.clip((values + values.T) / 2, 0.0, 1.0)
    np.fill_diagonal(values, 1.0)
    matrix = pd.DataFrame(values, index=fitted.ids, columns=fitted.ids)
    matrix.index.name = matrix.columns.name = "id"
    matrix.attrs["left_out"] = fitted.left_out
    matrix.attrs["unit"] = unit
    return matrix


def most_similar(
    corpus: Any,
    report_id: str | None = None,
    k: int = 5,
    unit: str = "report",
    analyzer: str = "word",
    tokenizer: Tokenizer | None = None,
    **tfidf_kwargs: Any,
) -> pd.DataFrame:
    """The ``k`` units most similar to one (or to each), best first.

    For one unit only its row of similarities is computed; for all of them
    (``report_id=None``) :func:`top_k_similar` works through the rows in blocks, so neither
    builds the N×N matrix and both stay cheap on a large corpus.

    Parameters
    ----------
    corpus : Corpus or DataFrame
        As for :func:`similarity_matrix`.
    report_id : str, optional
        The unit to compare (a report id; ``"report_id:section_id"`` for sections); None
        gives the neighbours of every unit.
    k : int
        How many neighbours.
    unit, analyzer, tokenizer, **tfidf_kwargs
        As for :func:`similarity_matrix`.

    Returns
    -------
    DataFrame
        Columns ``report_id``, ``other``, ``similarity``; sorted by similarity descending,
        then ``other`` (for every unit: grouped by ``report_id`` in unit order, each group
        sorted so).

    Examples
    --------
    >>> units = pd.DataFrame({"id": ["a", "b", "c"],
    ...                       "text": ["行政复议案件", "行政复议规范化", "法律援助"]})
    >>> most_similar(units, "a", k=2)["other"].tolist()
    ['b', 'c']
    >>> most_similar(units, k=1)[["report_id", "other"]].values.tolist()
    [['a', 'b'], ['b', 'a'], ['c', 'a']]
    """
    fitted = tfidf_matrix(text_units(corpus, unit), analyzer, tokenizer, **tfidf_kwargs)
    warn_left_out(fitted.left_out, unit)
    if report_id is None:
        neighbours, scores = top_k_similar(fitted.matrix, k)
        ids = np.asarray(fitted.ids, dtype=object)
        return pd.DataFrame(
            {
                "report_id": np.repeat(ids, neighbours.shape[1]),
                "other": ids[neighbours.ravel()] if len(ids) else [],
                "similarity": np.clip(scores.ravel(), 0.0, 1.0),
            }
        )
    if report_id not in fitted.ids:
        reason = "has no text for this unit" if report_id in fitted.left_out else "is unknown"
        known = ", ".join(fitted.ids[:10]) + (" ..." if len(fitted.ids) > 10 else "")
        raise ArgumentError(f"{report_id!r} {reason} (unit {unit!r}); known ids: {known}")
    row = fitted.ids.index(report_id)
    scores = (fitted.matrix @ fitted.matrix[row].T).toarray().ravel()
    table = pd.DataFrame({"report_id": report_id, "other": fitted.ids, "similarity": scores})
    table = table[table["other"] != report_id]
    table["similarity"] = table["similarity"].clip(0.0, 1.0)
    table = table.sort_values(["similarity", "other"], ascending=[False, True], kind="stable")
    return table.head(k).reset_index(drop=True)


def top_k_similar(
    matrix: Any, k: int = 10, *, block_size: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` most similar other rows, without building the N×N matrix.

    The rows are taken in blocks; each block's similarities to all rows are computed (the
    terms most rows share as a dense product, the rare ones as a sparse one), the best
    ``k`` are kept (selected by threads, one per core up to four, each taking a share of
    the block's rows) and the block is dropped. Memory stays at one block of
    ``block_size × N`` values plus the matrix.

    The result is kept on disk for a matrix of 200 rows or more (see the module's
    docstring): the same matrix (the same bytes), ``k`` and block size again read it back.

    Parameters
    ----------
    matrix : sparse matrix or array, shape (N, terms)
        Rows L2-normalised (as :func:`tfidf_matrix` gives), so the dot product is the
        cosine.
    k : int
        Neighbours per row; fewer when there are fewer other rows.
    block_size : int, optional
        Rows per block; by default as many as keep a block under 2**24 values (128 MB).
        It does not change the neighbours, but a block of one row can change the last bit
        of a score (BLAS multiplies a single row another way).

    Returns
    -------
    neighbours : ndarray of int, shape (N, min(k, N - 1))
        Row numbers of the neighbours, best first; ties broken by the lower row number.
    similarities : ndarray of float, same shape
        Their dot products.

    Examples
    --------
    >>> m = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> neighbours, scores = top_k_similar(m, k=1)
    >>> neighbours.ravel().tolist(), scores.ravel().round(2).tolist()
    ([1, 0, 1], [0.8, 0.8, 0.6])
    """
    if k < 0:
        raise ArgumentError(f"k must be a positive number of neighbours, not {k}")
    rows = sparse.csr_matrix(matrix, dtype=float)
    n = rows.shape[0]
    k = min(int(k), max(n - 1, 0))
    if n == 0 or k == 0:
        return np.zeros((n, k), dtype=np.intp), np.zeros((n, k), dtype=float)
    if block_size is None:
        block_size = max(1, _BLOCK_VALUES // n)
    store = array_store() if n >= _CACHE_MIN_ROWS else None
    if store is None:
        return _top_k(rows, k, block_size)
    key = Key("top_k").data({"shape": list(rows.shape), "k": k, "block_size": block_size})
    key = key.array(rows.data).array(rows.indices).array(rows.indptr).hexdigest()
    entry = store.get(key)
    if entry is not None:
        neighbours, scores = entry[0].get("neighbours"), entry[0].get("scores")
        if (
            neighbours is not None
            and scores is not None
            and neighbours.shape == scores.shape == (n, k)
            and neighbours.dtype == np.intp
            and scores.dtype == float
        ):
            return neighbours, scores
    neighbours, scores = _top_k(rows, k, block_size)
    store.put(key, {"neighbours": neighbours, "scores": scores})
    return neighbours, scores


def _top_k(rows: sparse.csr_matrix, k: int, block_size: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`top_k_similar` computed, for 0 < k < N.

    Each block holds the similarities negated: ``-a @ b`` is exactly ``-(a @ b)`` (IEEE
    rounding is symmetric), and ``partition`` finds the smallest values directly, so
    no block is negated or copied. The rare columns' products are added into the dense
    product at their non-zeros (``x + y == y + x`` exactly), rather than spread into a
    dense array first.
    """
    n = rows.shape[0]
    neighbours = np.zeros((n, k), dtype=np.intp)
    scores = np.zeros((n, k), dtype=float)
    common, rare = _split_columns(rows)
    rare_t = rare.T.tocsr()
    threads = min(os.cpu_count() or 1, free_cores(), _MAX_THREADS)  # not on busy cores
    if min(block_size, n) * n < _THREADS_MIN_VALUES:
        threads = 1
    with ThreadPoolExecutor(threads) if threads > 1 else nullcontext() as pool:
        for start in range(0, n, block_size):
            stop = min(n, start + block_size)
            part = rare[start:stop]
            part = sparse.csr_matrix((-part.data, part.indices, part.indptr), shape=part.shape)
            product = part @ rare_t
            if common is None:
                block = product.toarray()
            else:
                block = -common[start:stop] @ common.T
                product = product.tocoo()
                block[product.row, product.col] += product.data
            block[np.arange(stop - start), np.arange(start, stop)] = np.inf  # not itself
            neighbours[start:stop], scores[start:stop] = _best_shared(pool, block, k, threads)
    return neighbours, scores


def _best_shared(
    pool: ThreadPoolExecutor | None, negated: np.ndarray, k: int, threads: int
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_best` of ``negated``, its rows shared out among ``threads`` threads of
    ``pool`` (a row's best depends on that row alone; numpy lets go of the GIL while it
    selects); without a pool, :func:`_best` in this thread."""
    if pool is None:
        return _best(negated, k)
    bounds = np.linspace(0, len(negated), threads + 1).astype(int)
    parts = [negated[a:b] for a, b in pairwise(bounds) if b > a]
    found = list(pool.map(_best, parts, [k] * len(parts)))
    return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])


def _split_columns(rows: sparse.csr_matrix) -> tuple[np.ndarray | None, sparse.csr_matrix]:
    """The columns most rows use, as a dense array (None if none), and the others, sparse.

    A term found in many rows costs as much as a dense column in a sparse product, and a
    dense product (BLAS) is many times faster per value.
    """
    n, n_terms = rows.shape
    frequency = np.bincount(rows.indices, minlength=n_terms)
    order = np.argsort(-frequency, kind="stable")
    limit = min(n_terms, _DENSE_MAX_VALUES // max(n, 1))
    dense = order[:limit][frequency[order[:limit]] >= max(2, n * _DENSE_DF)]
    if len(dense) == 0:
        return None, rows
    mask = np.zeros(n_terms, dtype=bool)
    mask[dense] = True
    common = rows[:, np.flatnonzero(mask)].toarray()
    rare = rows[:, np.flatnonzero(~mask)].tocsr()
    return common, rare


def _best(negated: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` largest values, by value descending then column ascending, from
    the values negated (so: the ``k`` smallest of ``negated``); the values come back
    un-negated.

    The ``k``-th smallest of a row's first columns is at least the row's ``k``-th
    smallest, so the values up to it hold the row's best: only they are sorted, by value
    then column, and the first ``k`` kept. Selecting in an eighth of the columns rather
    than in all takes less than half the time (10,000 columns, ``k`` = 10); the result
    is :func:`_best_of_all`'s, ties included. A bound that leaves too many values (many
    equal ones) or too few (NaN) means :func:`_best_of_all`.
    """
    n_rows, n_columns = negated.shape
    sample = min(n_columns, max(4 * k, n_columns // 8))
    bound = np.partition(negated[:, :sample], k - 1, axis=1)[:, k - 1]
    rows, columns = np.nonzero(negated <= bound[:, None])
    found = np.bincount(rows, minlength=n_rows)
    if len(rows) > negated.size // 8 or found.min(initial=k) < k:
        return _best_of_all(negated, k)
    values = negated[rows, columns]
    # rows come sorted, so each row's run keeps its place: it starts where found says
    order = np.lexsort((columns, values, rows))
    first = np.cumsum(found) - found
    chosen = order[first[:, None] + np.arange(k)]
    # 0.0 - x rather than -x: a similarity of 0 is 0.0, never -0.0
    return columns[chosen], 0.0 - values[chosen]


def _best_of_all(negated: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_best` by selecting among all of each row's values (``argpartition``)."""
    chosen = np.argpartition(negated, k - 1, axis=1)[:, :k]
    values = np.take_along_axis(negated, chosen, axis=1)
    kth = values.max(axis=1)
    # a tie at the boundary: argpartition picked some of the equal values arbitrarily
    tied = np.flatnonzero(np.count_nonzero(negated <= kth[:, None], axis=1) > k)
    for row in tied:
        candidates = np.flatnonzero(negated[row] <= kth[row])
        chosen[row] = candidates[np.lexsort((candidates, negated[row, candidates]))][:k]
    values = np.take_along_axis(negated, chosen, axis=1)
    order = np.lexsort((chosen, values), axis=1)
    # 0.0 - x rather than -x: a similarity of 0 is 0.0, never -0.0
    return np.take_along_axis(chosen, order, axis=1), 0.0 - np.take_along_axis(
        values, order, axis=1
    )


def similar_pairs(matrix: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` most similar pairs of a similarity matrix (each pair once, no self-pairs).

    Parameters
    ----------
    matrix : DataFrame
        A square labelled matrix such as :func:`similarity_matrix` returns.
    n : int
        How many pairs.

    Returns
    -------
    DataFrame
        Columns ``a``, ``b``, ``similarity``; sorted by similarity descending, then a, b.

    Examples
    --------
    >>> m = pd.DataFrame([[1, .2, .7], [.2, 1, .1], [.7, .1, 1]],
    ...                  index=list("xyz"), columns=list("xyz"))
    >>> similar_pairs(m, n=2).values.tolist()
    [['x', 'z', 0.7], ['x', 'y', 0.2]]
    """
    labels = [str(label) for label in matrix.index]
    rows, cols = np.triu_indices(len(labels), k=1)
    values = matrix.to_numpy(dtype=float)[rows, cols]
    pairs = pd.DataFrame(
        {
            "a": [labels[i] for i in rows],
            "b": [labels[j] for j in cols],
            "similarity": values,
        }
    )
    pairs = pairs.sort_values(["similarity", "a", "b"], ascending=[False, True, True])
    return pairs.head(n).reset_index(drop=True)
