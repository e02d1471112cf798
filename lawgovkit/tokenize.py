"""Domain-aware Chinese word segmentation for the reports.

:class:`Tokenizer` wraps jieba (or its Rust port rjieba) with three word lists kept under
``lawgovkit/data/``: the field's terms (``domain_words.txt``, each always one token), a
standard stopword list (``stopwords.txt``) and an optional list of officialese
(``officialese.txt``). Every domain term is added to the backend's dictionary, and the
longer ones (three characters or more, or holding punctuation such as ``双随机、一公开``)
are also protected before segmentation: the longest such term at each point is found (by
an Aho–Corasick automaton) and only the gaps are cut by the backend, in one call with each
term replaced by a placeholder character (``_PLACEHOLDER_BASE`` says why that gives the
same pieces), so both backends keep them whole and agree. Two-character terms are left to
the dictionary, since splitting on them blindly would cut across words (``建立法治`` is not
``建`` + ``立法`` + ``治``).

Every analysis in the package shares one default tokenizer (:func:`default_tokenizer`), so
each text is segmented once per process and the tokens are reused.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import re
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache, partial
from itertools import chain
from typing import Any

from lawgovkit import _store
from lawgovkit._backends import _segmenter, backend_version
from lawgovkit._data import read_lines
from lawgovkit._matching import TermMatcher, scratch_copy
from lawgovkit._parallel import collector_paused, n_workers, runs_of, surviving_runs
from lawgovkit.errors import ArgumentError

__all__ = ["BACKENDS", "Tokenizer", "backend_version", "default_tokenizer", "domain_words"]

BACKENDS = ("auto", "jieba", "rjieba")

# A token is dropped as a number or date when it is Arabic digits (ASCII or full-width) with
# separators and an optional unit of time or a percent sign (2022, 2023-03-15, 96%, 3月), or
# a single Chinese numeral (一, 三). Longer numerals (十四五, 八五) name plans and are kept.
_NUMBER = re.compile(
    r"[0-9０-９][0-9０-９.．,，:：/\-]*[%％‰]?[年月日号时分秒]?"
    r"|[〇零一二两三四五六七八九十百千万亿]"
)
# A token with no letter or digit is punctuation or whitespace.
_WORD_CHAR = re.compile(r"[^\W_]")
_NOT_WORD = re.compile(r"[\W_]")
# Domain terms this long (or holding punctuation) are cut out before segmentation.
_PROTECT_FROM = 3
# Cutting each gap between protected terms with its own backend call cost a call per term
# (a report holds a hundred or more). Instead each term found is replaced by a placeholder,
# one character per term taken from the Supplementary Private Use Area-A (plane 15), and the
# text is cut once. Both backends first split their input into blocks at every character
# that is neither Han (their ranges differ; neither holds plane 15), ASCII alphanumeric,
# one of +#&._%- nor whitespace; they cut each block on its own and emit such a character
# as a piece by itself. A placeholder is one, so cutting "gap1 <placeholder> gap2" gives
# the pieces of gap1, the placeholder, then the pieces of gap2: exactly the pieces of the
# separate calls. A text that already holds a plane-15 character is cut gap by gap.
_PLACEHOLDER_BASE = 0xF0000
_PLACEHOLDER_END = 0xFFFFE  # U+FFFFE and U+FFFFF are noncharacters
_PLANE_15 = re.compile("[\U000f0000-\U000fffff]")
# In UTF-8 every plane-15 character (and every other one from U+C0000) starts with this
# byte: a text whose encoding lacks it holds none, which saves a scan of the text.
_PLANE_15_LEAD = b"\xf3"
# Bump when a change to this module changes the tokens of some text (see ``fingerprint``).
_TOKENS_VERSION = 1


def domain_words() -> tuple[str, ...]:
    """The bundled domain terms, first column of ``data/domain_words.txt``, in file order.

    Examples
    --------
    >>> "行政复议" in domain_words()
    True
    """
    return tuple(dict.fromkeys(line.split()[0] for line in read_lines("domain_words.txt")))


class Tokenizer:
    """Segment Chinese text into words, keeping the field's terms whole.

    A callable ``str -> list[str]``, usable wherever scikit-learn takes a tokenizer::

        TfidfVectorizer(tokenizer=Tokenizer(), token_pattern=None, lowercase=False)

    Parameters
    ----------
    backend : {"auto", "jieba", "rjieba"}
        ``"jieba"`` uses a private ``jieba.Tokenizer`` (the global one is never touched);
        ``"rjieba"`` the Rust port (install the ``fast`` extra); ``"auto"`` picks rjieba when
        it is importable. Both are loaded with the same domain word list and the same
        protection of domain terms, so they agree on nearly all tokens.
    officialese : bool, default False
        ``True`` **drops** the officialese words of ``data/officialese.txt`` (坚持, 推进,
        加强, 进一步 ...), which swamp TF-IDF and keyness. ``False`` (the default) keeps them.
        ``drop_officialese`` is an unambiguous alias of this parameter.
    stopwords : bool, default True
        Drop the stopwords of ``data/stopwords.txt`` (function words, enumerators 一是 ...).
    keep_numbers : bool, default False
        Keep numbers and dates (2022年, 96%, 3月). Punctuation and whitespace are always dropped.
    user_words : iterable of str, optional
        Extra terms to keep whole, in addition to the bundled domain words.
    drop_officialese : bool, optional
        Alias of ``officialese``; giving both with different values is an error.
    min_chars : int, default 1
        Drop tokens shorter than this; ``min_chars=2`` removes the single characters
        (出, 率, 进 ...) that clutter keyness tables, at the cost of 县 / 市 / 镇.
    cache_size : int, default 50_000
        How many distinct texts keep their tokens in the cache (least recently used go first).

    Examples
    --------
    >>> tok = Tokenizer(backend="jieba")
    >>> tok("2022年共办理行政复议案件102件,出庭应诉率达96%。")
    ['办理', '行政复议', '案件', '出庭应诉率']
    >>> Tokenizer(backend="jieba", officialese=True)("深入推进综合行政执法改革")
    ['综合行政执法', '改革']
    """

    def __init__(
        self,
        backend: str = "auto",
        officialese: bool = False,
        stopwords: bool = True,
        keep_numbers: bool = False,
        user_words: Iterable[str] | None = None,
        *,
        drop_officialese: bool | None = None,
        min_chars: int = 1,
        cache_size: int = 50_000,
    ) -> None:
        if backend not in BACKENDS:
            raise ArgumentError(
                f"unknown tokenizer backend {backend!r}; expected one of {BACKENDS}"
            )
        if drop_officialese is not None and bool(drop_officialese) != bool(officialese):
            if officialese:
                raise ArgumentError(
                    "officialese=True and drop_officialese=False contradict each other "
                    "(drop_officialese is an alias of officialese)"
                )
            officialese = bool(drop_officialese)
        self.backend = backend
        self.officialese = bool(officialese)
        self.stopwords = bool(stopwords)
        self.keep_numbers = bool(keep_numbers)
        self.user_words = tuple(user_words or ())
        self.min_chars = int(min_chars)
        self.cache_size = int(cache_size)
        self._setup()

    @property
    def drop_officialese(self) -> bool:
        """Whether officialese words are dropped (the same as ``officialese``)."""
        return self.officialese

    @property
    def backend_name(self) -> str:
        """The backend actually used: ``"jieba"`` or ``"rjieba"``."""
        if self.backend != "auto":
            return self.backend
        return "rjieba" if importlib.util.find_spec("rjieba") is not None else "jieba"

    @property
    def words(self) -> tuple[str, ...]:
        """The protected terms: the domain word list plus ``user_words``."""
        return tuple(dict.fromkeys(domain_words() + self.user_words))

    def _setup(self) -> None:
        """Build what is not pickled: word sets, the protection pattern, the cache."""
        words = sorted(self.words, key=lambda w: (-len(w), w))
        protected = [w for w in words if len(w) >= _PROTECT_FROM or _NOT_WORD.search(w)]
        self._protect = _protection(tuple(protected))
        # each protected term's placeholder (see _PLACEHOLDER_BASE), put in by _replace and
        # taken back by _terms; neither when there are too many terms
        self._terms: dict[str, str] = {}  # placeholder -> its term
        self._replace: Callable[[str], str | None] | None = None  # text -> coded text
        if len(protected) <= _PLACEHOLDER_END - _PLACEHOLDER_BASE:
            codes = tuple(chr(_PLACEHOLDER_BASE + i) for i in range(len(protected)))
            self._terms = dict(zip(codes, self._protect.terms, strict=True))
            self._replace = self._protect.replacer(codes)
        dropped: set[str] = set()
        if self.stopwords:
            dropped.update(read_lines("stopwords.txt"))
        if self.officialese:
            dropped.update(read_lines("officialese.txt"))
        dropped.difference_update(words)  # a protected term is never dropped
        self._dropped = frozenset(dropped)
        # a function of the settings: a bound method in self._kept would be a reference cycle
        self._judge = partial(_judged, self.min_chars, self._dropped, self.keep_numbers)
        # piece -> itself (interned) if kept, "" if dropped; a placeholder -> its term or ""
        self._kept = _Verdicts(self._judge)
        self._kept.update((code, self._judge(w)) for code, w in self._terms.items())
        self._segmenter: Any = None
        self._cache: OrderedDict[bytes, tuple[str, ...]] = OrderedDict()
        self.cache_hits = 0
        self.cache_misses = 0
        self.remembered = 0  # calls of remember(): what was made from the tokens may be stale

    def _load_backend(self) -> Any:
        return _segmenter(self.backend_name, self.words)

    def segment(self, text: str) -> list[str]:
        """All pieces of ``text`` in order, punctuation and stopwords included.

        ``"".join(tok.segment(text)) == text`` always holds.

        Examples
        --------
        >>> Tokenizer(backend="jieba").segment("落实“双随机、一公开”监管")
        ['落实', '“', '双随机、一公开', '”', '监管']
        """
        coded = self._coded_pieces(text)
        if coded is None:
            return self._segment_gaps(text)
        # map(get, pieces, pieces) is get(piece, piece): placeholders back to their terms
        return list(filter(None, map(self._terms.get, coded, coded)))

    def _coded_pieces(self, text: str, wide: bool = True) -> list[str] | None:
        """The backend's pieces of ``text`` with each protected term as its placeholder.

        One backend call for the whole text (see ``_PLACEHOLDER_BASE``); None when the text
        already holds a plane-15 character, which could be taken for a placeholder.
        ``wide=False`` says it holds none (see ``_PLANE_15_LEAD``).
        """
        if self._segmenter is None:
            self._segmenter = self._load_backend()
        if self._replace is None or (wide and _PLANE_15.search(text)):
            return None
        coded = self._replace(text)
        return self._segmenter(scratch_copy(text) if coded is None else coded)

    def _segment_gaps(self, text: str) -> list[str]:
        """``segment`` with one backend call per gap between protected terms."""
        if self._segmenter is None:
            self._segmenter = self._load_backend()
        pieces: list[str] = []
        parts = self._protect.split(text)  # gap, term, gap, term, ..., gap
        for i, part in enumerate(parts):
            if i % 2:
                pieces.append(part)
            elif part:
                pieces.extend(self._segmenter(scratch_copy(part)))
        return [piece for piece in pieces if piece]

    def _tokenize(self, text: str, wide: bool = True) -> tuple[str, ...]:
        """The tokens of ``text``, uncached (``wide`` as for ``_coded_pieces``)."""
        coded = self._coded_pieces(text, wide)
        if coded is None:
            return tuple(filter(None, map(self._judge, self._segment_gaps(text))))
        # Each distinct piece is judged once, then looked up: map, filter and tuple run in C.
        return tuple(filter(None, map(self._kept.__getitem__, coded)))

    @staticmethod
    def _key(text: str) -> bytes:
        return _keyed(text)[0]

    def _store(self, key: bytes, tokens: tuple[str, ...]) -> None:
        self._cache[key] = tokens
        self._cache.move_to_end(key)
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def __call__(self, text: str) -> list[str]:
        """The tokens of ``text``: segmented, filtered, cached by the text's hash."""
        if not isinstance(text, str):
            raise ArgumentError(f"Tokenizer expects a str, got {type(text).__name__}")
        return list(self._cached(text, *_keyed(text)))

    def _cached(self, text: str, key: bytes, wide: bool) -> tuple[str, ...]:
        """The tokens of a text whose key and width (see :func:`_keyed`) are known, as the
        cache holds them (callers copy them before handing them out)."""
        tokens = self._cache.get(key)
        if tokens is not None:
            self.cache_hits += 1
            self._cache.move_to_end(key)
            return tokens
        self.cache_misses += 1
        tokens = self._tokenize(text, wide)
        self._store(key, tokens)
        return tokens

    def remember(self, text: str, tokens: Iterable[str]) -> None:
        """Put ``tokens`` in the token cache for ``text``, as if ``self(text)`` had made them.

        A later ``self(text)`` returns them without segmenting (a cache hit). Use it to
        prime the cache with tokens computed in worker processes or read from disk (check
        :attr:`fingerprint` first: tokens from other settings would be served as they are).
        Each call adds one to ``remembered``: the term counts kept from this tokenizer's
        tokens (:mod:`lawgovkit.term_counts`, for keyness) are made again after it.

        Parameters
        ----------
        text : str
            The text the tokens are of.
        tokens : iterable of str
            Its tokens, in order.

        Examples
        --------
        >>> tok = Tokenizer(backend="jieba")
        >>> tok.remember("行政复议案件", ["行政复议", "案件"])
        >>> tok("行政复议案件"), tok.cache_info()
        (['行政复议', '案件'], {'hits': 1, 'misses': 0, 'size': 1})
        """
        if not isinstance(text, str):
            raise ArgumentError(f"Tokenizer expects a str, got {type(text).__name__}")
        if isinstance(tokens, str):
            raise ArgumentError("tokens must be an iterable of str, not one str")
        stored = tuple(tokens)
        wrong = next((t for t in stored if not isinstance(t, str)), None)
        if wrong is not None:
            raise ArgumentError(f"tokens must be str, got {type(wrong).__name__}")
        self._store(self._key(text), tuple(sys.intern(str(t)) for t in stored))
        self.remembered += 1

    def tokenize_many(self, texts: Iterable[str], *, n_jobs: int | None = None) -> list[list[str]]:
        """The tokens of each text, in order (each text segmented once, then cached).

        Parameters
        ----------
        texts : iterable of str
            The texts.
        n_jobs : int, optional
            Processes to segment with, this one among them; -1 for one per core. By
            default several only on Linux, with more than one core, and for texts not yet
            in the cache that hold at least 3 million characters together (about 1,000
            reports): below that, starting processes costs more than it saves. The tokens
            do not depend on it.

        Examples
        --------
        >>> Tokenizer(backend="jieba").tokenize_many(["行政复议", "人民调解"])
        [['行政复议'], ['人民调解']]

        Notes
        -----
        A batch of 200 texts or more is also kept in the on-disk array store
        (:mod:`lawgovkit.cache` describes the policy; keyed by :attr:`fingerprint` and the
        texts in order), so
        re-running a notebook or a benchmark on an unchanged corpus reads the tokens back
        instead of segmenting again; ``LAWGOVKIT_CACHE=off`` turns that off.
        """
        texts = list(texts)
        wrong = next((t for t in texts if not isinstance(t, str)), None)
        if wrong is not None:
            raise ArgumentError(f"Tokenizer expects a str, got {type(wrong).__name__}")
        return self._many(texts, [_keyed(text) for text in texts], n_jobs)

    def _many(
        self,
        texts: Sequence[str],
        keyed: list[tuple[bytes, bool]],
        n_jobs: int | None = None,
        *,
        copies: bool = True,
    ) -> list:
        """:meth:`tokenize_many` of texts whose keys and widths (see :func:`_keyed`) are
        known. ``copies=False`` gives the cache's own tuples where it has them, for a
        caller that only reads them."""
        # a small batch segments quicker than a disk round trip; one the cache holds needs none
        store = None
        if len(texts) >= _store.MIN_STORED and not all(key in self._cache for key, _ in keyed):
            store = _store.array_store()
        if store is None:
            return self._tokens_of(texts, keyed, n_jobs, copies)
        import numpy as np

        # the batch's key: the settings and each text's own key (a hash of it), in order
        keys = [key for key, _ in keyed]
        joined = np.frombuffer(b"".join(keys), dtype=np.uint8)
        digest = _store.Key("tokens").text(self.fingerprint).array(joined).hexdigest()
        with collector_paused():
            stored = store.get_lists(digest, len(texts))
            if stored is not None:
                for key, tokens in zip(keys, stored, strict=True):
                    self._store(key, tuple(tokens))
                self.cache_hits += len(texts)
                return stored
        result = self._tokens_of(texts, keyed, n_jobs, copies=False)
        store.put_lists(digest, result)  # from the tuples: its codes are gone before the copies
        return list(map(list, result)) if copies else result

    def _tokens_of(
        self,
        texts: Sequence[str],
        keyed: list[tuple[bytes, bool]],
        n_jobs: int | None,
        copies: bool = True,
    ) -> list:
        """The tokens of each text (``keyed``: their keys and widths, see :func:`_keyed`):
        from the cache, else segmented (the texts the cache lacks in worker processes, when
        that pays), then cached. Lists, or with ``copies=False`` the cached tuples."""
        # each text the cache lacks, once: only these are read (see term_counts.bags)
        new: dict[bytes, str] = {}
        for i, (key, _) in enumerate(keyed):
            if key not in self._cache and key not in new:
                new[key] = texts[i]
        size = sum(map(len, new.values()))
        workers = n_workers(n_jobs, len(new), worth_it=size >= _PARALLEL_MIN_CHARS)
        segmented: dict[bytes, tuple[str, ...]] = {}
        if workers > 1:
            segmented = dict(
                zip(new, self._tokenize_in_workers(list(new.values()), workers), strict=True)
            )
        result = []
        with collector_paused():
            for i, (key, wide) in enumerate(keyed):
                tokens = segmented.pop(key, None)
                if tokens is not None:
                    self.cache_misses += 1
                    self._store(key, tokens)
                else:  # cached, or segmented here (a text pushed out meanwhile: read again)
                    text = new.get(key) or (texts[i] if key not in self._cache else "")
                    tokens = self._cached(text, key, wide)
                result.append(tokens)
            # copies made after the tuples, not among them: freed, they leave no holes there
            return list(map(list, result)) if copies else result

    def _tokenize_in_workers(self, texts: list[str], workers: int) -> list[tuple[str, ...]]:
        """The tokens of each text, segmented by ``workers`` processes (this one and
        ``workers - 1`` worker processes), in order.

        The texts are cut into runs (``_RUN_CHARS``) shared out by
        :func:`_parallel.surviving_runs`; a run whose worker died is segmented here. A
        worker's tokens are cheap to send back (interned, each word pickled once a run);
        here they are interned again: each run had its own copy of every word (165 MB at
        100,000)."""
        if self._segmenter is None:
            self._segmenter = self._load_backend()  # loaded once, before the processes fork
        runs = runs_of(texts, _RUN_CHARS, size=len)

        def here(run: list[str]) -> list[tuple[str, ...]]:
            return [self._tokenize(text) for text in run]

        segmented = surviving_runs(
            runs,
            here,
            _tokenize_run,
            workers,
            here,
            received=lambda run: [tuple(map(sys.intern, tokens)) for tokens in run],
            initializer=_start_worker,
            initargs=(self,),
        )
        return list(chain.from_iterable(segmented))

    @property
    def fingerprint(self) -> str:
        """A hex digest of everything that decides the tokens.

        The backend actually used and its version, the options (officialese, stopwords,
        keep_numbers, min_chars, user_words) and the contents of the word lists as used
        (the domain words, and the stopword and officialese lists when they are dropped).
        Equal in every process for equal settings (no salted ``hash()``); any change gives
        another one, so tokens stored under it (see :meth:`remember`) can be trusted.

        Examples
        --------
        >>> a = Tokenizer(backend="jieba")
        >>> a.fingerprint == Tokenizer(backend="jieba").fingerprint
        True
        >>> a.fingerprint == Tokenizer(backend="jieba", min_chars=2).fingerprint
        False
        >>> len(a.fingerprint)
        32
        """
        name = self.backend_name
        settings = {
            "tokens_version": _TOKENS_VERSION,
            "backend": name,
            "backend_version": backend_version(name),
            "officialese": self.officialese,
            "stopwords": self.stopwords,
            "keep_numbers": self.keep_numbers,
            "min_chars": self.min_chars,
            "user_words": list(self.user_words),
            "domain_words": list(domain_words()),
            "stopword_list": list(read_lines("stopwords.txt")) if self.stopwords else [],
            "officialese_list": list(read_lines("officialese.txt")) if self.officialese else [],
        }
        blob = json.dumps(settings, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.blake2b(blob, digest_size=16).hexdigest()

    def cache_info(self) -> dict[str, int]:
        """Hits, misses and current size of the token cache (like ``functools.lru_cache``)."""
        return {"hits": self.cache_hits, "misses": self.cache_misses, "size": len(self._cache)}

    def __getstate__(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "officialese": self.officialese,
            "stopwords": self.stopwords,
            "keep_numbers": self.keep_numbers,
            "user_words": self.user_words,
            "min_chars": self.min_chars,
            "cache_size": self.cache_size,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        vars(self).update(state)
        self._setup()  # the backend is rebuilt lazily on first use

    def __repr__(self) -> str:
        return (
            f"Tokenizer(backend={self.backend!r}, officialese={self.officialese}, "
            f"stopwords={self.stopwords}, keep_numbers={self.keep_numbers}, "
            f"user_words={list(self.user_words)!r}, min_chars={self.min_chars})"
        )


def _judged(min_chars: int, dropped: frozenset[str], keep_numbers: bool, piece: str) -> str:
    """The token ``piece`` gives: itself interned (the cache then holds one string per
    distinct word), or "" when it is dropped."""
    if len(piece) < min_chars or not _WORD_CHAR.search(piece) or piece in dropped:
        return ""
    return "" if not keep_numbers and _NUMBER.fullmatch(piece) else sys.intern(piece)


class _Verdicts(dict):
    """A memo ``piece -> token or ""`` that judges a piece the first time it is looked up.

    ``map(verdicts.__getitem__, pieces)`` then runs in C for every piece seen before.
    """

    __slots__ = ("_judge",)

    def __init__(self, judge: Any) -> None:
        super().__init__()
        self._judge = judge

    def __missing__(self, piece: str) -> str:
        token = self[piece] = self._judge(piece)
        return token


# tokenize_many segments in several processes when the texts it lacks hold this many
# characters; below, one process is as fast or faster (2 cores, rjieba: 2.8 million
# characters 0.41 s alone, 0.37-0.45 s with a worker).
_PARALLEL_MIN_CHARS = 3_000_000
# and hands them out in runs of about this many characters: small enough to share the work
# out evenly, large enough that sending one costs little beside segmenting it
_RUN_CHARS = 100_000


# The protected terms' matcher (an Aho–Corasick automaton), built once per list of terms
_protection = lru_cache(maxsize=16)(partial(TermMatcher, automaton=True))


def _keyed(text: str) -> tuple[bytes, bool]:
    """A text's cache key (a hash of its UTF-8: SHA-256, cut to 16 bytes; with the CPU's
    SHA instructions twice as fast as BLAKE2b) and whether it may hold a plane-15
    character (see ``_PLANE_15_LEAD``), from one encoding of it. The term counts of
    :mod:`lawgovkit.term_counts` are kept under the same key."""
    data = text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).digest()[:16], _PLANE_15_LEAD in data


# The tokenizer a worker process of ``tokenize_many`` segments with (set as it starts).
_WORKER_TOKENIZER: Tokenizer | None = None


def _start_worker(tokenizer: Tokenizer) -> None:
    global _WORKER_TOKENIZER
    _WORKER_TOKENIZER = tokenizer


def _tokenize_run(texts: list[str]) -> list[tuple[str, ...]]:
    """In a worker process: the tokens of a run of texts."""
    assert _WORKER_TOKENIZER is not None
    return [_WORKER_TOKENIZER._tokenize(text) for text in texts]


def default_tokenizer(tokenizer: Tokenizer | None = None, **settings: Any) -> Tokenizer:
    """``tokenizer`` itself, or else the package's shared ``Tokenizer(**settings)``: one
    per settings, so every analysis asking for the same reuses the same token cache.

    Examples
    --------
    >>> default_tokenizer() is default_tokenizer()
    True
    >>> default_tokenizer(officialese=True) is default_tokenizer(officialese=True)
    True
    """
    if tokenizer is not None:
        return tokenizer
    return _shared(tuple(sorted(settings.items())))


@cache
def _shared(settings: tuple[tuple[str, Any], ...]) -> Tokenizer:
    return Tokenizer(**dict(settings))
