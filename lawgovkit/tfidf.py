"""TF-IDF of a table of units, fitted quickly and kept on disk.

:func:`tfidf_matrix` fits scikit-learn's :class:`~sklearn.feature_extraction.text.TfidfVectorizer`
on the units that have text (the others are listed in ``left_out``). Two things make it
quicker than a plain ``fit_transform``, and both are kept here, in this one module:

- each text is analysed once and its tokens counted by numpy (:func:`_count_vocab`)
  rather than by scikit-learn's loop over every token in Python. This rests on
  scikit-learn's private API (``CountVectorizer._count_vocab``, the fitted ``_tfidf``
  transformer), so it is used only on the scikit-learn versions it was tested with
  (:data:`SKLEARN_TESTED`) and when those names exist; on any other version the fit is
  the plain public ``fit_transform`` (the same result, slower), and nothing is stored;
- the fit is kept in the on-disk store (:mod:`lawgovkit._store`, see
  :mod:`lawgovkit.cache` for the policy), keyed by the units' ids and texts in order, the
  analyzer, every ``TfidfVectorizer`` option and the tokenizer's settings. What is read
  back is exactly what fitting gives. Inputs of fewer than 200 units never touch the disk,
  nor do options that are not plain data (a function as preprocessor, a tokenizer that is
  not a :class:`~lawgovkit.tokenize.Tokenizer`).
"""

from __future__ import annotations

import json
import re
import sys
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd
import sklearn
from scipy import sparse
from sklearn.feature_extraction import text as sklearn_text
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

from lawgovkit import _store
from lawgovkit._store import ArrayStore, Key
from lawgovkit.errors import ArgumentError
from lawgovkit.tokenize import Tokenizer, backend_version, default_tokenizer

__all__ = ["ANALYZERS", "SKLEARN_TESTED", "TfidfUnits", "tfidf_matrix"]

ANALYZERS = ("word", "char")
#: The scikit-learn versions (major, minor), from and up to, whose private API the quick
#: fit was checked against; on others :func:`tfidf_matrix` is a plain ``fit_transform``.
SKLEARN_TESTED = ((1, 3), (1, 9))
# For analyzer="char": only letters count (digits, punctuation and spaces say nothing of
# wording), and character bigrams and trigrams are the units unless ngram_range is given.
_NOT_LETTER = re.compile(r"[\W\d_]+")
_CHAR_DEFAULTS = {"ngram_range": (2, 3)}
# A TF-IDF fit counts the tokens of this many at once: the chunk's token lists are held
# meanwhile (a character n-gram is a str of its own, ~80 bytes), so about 100 MB at most.
_COUNT_CHUNK_TOKENS = 2**20


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

    The matrix is scikit-learn's ``fit_transform`` entry for entry, bit for bit, with each
    row's terms in column order (sorted indices, canonical CSR, as ``transform`` stores
    them; ``fit_transform`` leaves them in the order the terms were first seen).

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
    quick = uses_private_api()
    if not quick:
        return _plain_fit(units, vectorizer)[0]
    store = _store.array_store() if len(units) >= _store.MIN_STORED else None
    key = None if store is None else _tfidf_key(units, analyzer, vectorizer)
    if store is not None and key is not None:
        cached = _tfidf_read(store, key, units, vectorizer)
        if cached is not None:
            return cached
    batch = _prime_tokens(units, vectorizer)
    # Warnings are held back while fitting, to know whether there were any, then given
    # as they were (the user's filters apply then).
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fitted, has_text = _tfidf_fit(units, vectorizer, batch)
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


def uses_private_api() -> bool:
    """Whether the quick fit (and its on-disk store) is used: the installed scikit-learn is
    one of :data:`SKLEARN_TESTED` and still has the private names it relies on.

    Examples
    --------
    >>> isinstance(uses_private_api(), bool)
    True
    """
    try:
        version = tuple(int(part) for part in sklearn.__version__.split(".")[:2])
    except ValueError:  # e.g. a development version "1.10.dev0" still parses; "x.y" does not
        return False
    low, high = SKLEARN_TESTED
    return low <= version <= high and callable(
        getattr(sklearn_text.CountVectorizer, "_count_vocab", None)
    )


def _plain_fit(units: pd.DataFrame, vectorizer: TfidfVectorizer) -> tuple[TfidfUnits, list[bool]]:
    """The fit through scikit-learn's public API alone: the texts analysed once to find
    those with tokens, then a plain ``fit_transform`` of those (which analyses them again)."""
    analyze = vectorizer.build_analyzer()
    has_text = [bool(text.strip()) and bool(analyze(text)) for text in units["text"]]
    kept = [text for text, keep in zip(units["text"], has_text, strict=True) if keep]
    if kept:
        matrix = sparse.csr_matrix(vectorizer.fit_transform(kept))
        matrix.sort_indices()  # as the quick fit gives it (see _tfidf_fit)
    else:
        matrix = sparse.csr_matrix((0, 0))
    left_out = [str(i) for i in units.loc[[not h for h in has_text], "id"]]
    ids = [str(i) for i in units.loc[has_text, "id"]]
    return TfidfUnits(ids, matrix, vectorizer, left_out), has_text


def _prime_tokens(units: pd.DataFrame, vectorizer: TfidfVectorizer) -> list | None:
    """Tokenize the texts a fit will read in one batch first, when that is sure to pay.

    :meth:`Tokenizer.tokenize_many` may segment in worker processes and keeps a batch on
    disk; the fit then finds every text's tokens in the tokenizer's memory cache. This
    is done only when the fit hands the texts as they are to a
    :class:`~lawgovkit.tokenize.Tokenizer` (word analyzer, no preprocessing), for 200
    texts or more (fewer are not worth a batch). It is not done when the texts were
    tokenized already (a benchmark or notebook calling ``tokenize_many`` first), as told
    by the first, middle and last texts being cache hits: a second batch would hash every
    text again and read the batch back from disk for nothing.

    More texts than the cache holds would push the first out before the fit reads them:
    every text was then segmented again, one by one in this process (10,000 generated
    reports and a cache of 5,000 texts: 5.3 s instead of 1.7). Their tokens are returned
    instead, from one batch (the disk, the cache or the workers), for the fit to read in
    order (the tokens of each text with more than spaces), when the analyzer gives the
    tokenizer's tokens as they are (single words, no stop words); else None.
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
        return None
    texts = [text for text in units["text"] if isinstance(text, str) and text.strip()]
    if len(texts) > tokenizer.cache_size:
        if tuple(vectorizer.ngram_range) == (1, 1) and vectorizer.stop_words is None:
            return tokenizer.tokenize_many(texts)
        return None
    if len(texts) < _store.MIN_STORED:
        return None
    hits = tokenizer.cache_info()["hits"]
    probes = {0, len(texts) // 2, len(texts) - 1}
    for i in probes:
        tokenizer(texts[i])
    if tokenizer.cache_info()["hits"] - hits < len(probes):
        tokenizer.tokenize_many(texts)
    return None


def _tfidf_fit(
    units: pd.DataFrame, vectorizer: TfidfVectorizer, batch: list | None = None
) -> tuple[TfidfUnits, list[bool]]:
    """Fit ``vectorizer`` on the units that have text; also which units have text.

    ``batch``: the analysed tokens of the texts with words, in order, when
    :func:`_prime_tokens` gave them (each is dropped once read).

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
        read = 0
        for text in units["text"]:
            tokens: Any = ()
            if text.strip():
                if batch is None:
                    tokens = analyze(text)
                else:
                    tokens, batch[read] = batch[read], None
                    read += 1
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
        # each row's terms in column order, as ``transform`` gives them (the fit leaves
        # them in the order the terms were first seen): the values are the fit's, already
        # normalised; sorted here once, top-k and every reader need no sorted copy
        matrix.sort_indices()
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
        # held until the end in the matrix's own widths (100,000 reports: 40 million of
        # each, 640 MB at 64 bits); a term number needs 64 bits only past 2**31 terms
        terms.append(chunk_terms.astype(np.int32 if len(vocabulary) < 2**31 else np.int64))
        counts.append(chunk_counts.astype(np.intc))
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
    # each part let go once joined, the counts once the matrix has them in ``dtype``: fewer
    # copies of the numbers at once (at 30,000 reports the fit's peak was 1,413 MB, not 1,475)
    indices = np.concatenate([np.zeros(0, index_dtype), *terms]).astype(index_dtype, copy=False)
    terms.clear()
    values = np.concatenate([np.zeros(0, np.intc), *counts])
    counts.clear()
    shape = (len(row_sizes), len(vocabulary))
    # as the installed scikit-learn builds it: a csr_array given the sparse API its
    # config asks for (newer versions), else a csr_matrix (older ones)
    align = getattr(sklearn_text, "_align_api_if_sparse", None)
    build = sparse.csr_matrix if align is None else sparse.csr_array
    matrix = build((values, indices, indptr), shape=shape, dtype=dtype)
    del values
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
        return [kind, repr(tokenizer), backend, backend_version(backend)]
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
                options[name] = "lawgovkit.tfidf._letters_only"
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
        # every index in range and the values finite: scipy trusts a matrix's arrays, and
        # an index past the end read from a damaged or planted file would crash it
        matrix.check_format(full_check=True)
        matrix.sort_indices()  # stored sorted: this only checks (a damaged file: sorted)
        if not np.isfinite(matrix.data).all() or sorted(values) != list(range(len(values))):
            return None
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
            if arrays["idf_"].shape != (len(terms),) or not np.isfinite(arrays["idf_"]).all():
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
