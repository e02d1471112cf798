"""Domain-aware Chinese word segmentation for the reports.

:class:`Tokenizer` wraps jieba (or its Rust port rjieba) with three word lists kept under
``lawgovkit/data/``: the field's terms (``domain_words.txt``, each always one token), a
standard stopword list (``stopwords.txt``) and an optional list of officialese
(``officialese.txt``). Every domain term is added to the backend's dictionary, and the
longer ones (three characters or more, or holding punctuation such as ``双随机、一公开``)
are also protected before segmentation: the text is split on the longest such term found
at each point and only the gaps are handed to the backend, so both backends keep them
whole and agree. Two-character terms are left to the dictionary, since splitting on them
blindly would cut across words (``建立法治`` is not ``建`` + ``立法`` + ``治``).

Every analysis in the package shares one default tokenizer (:func:`default_tokenizer`), so
each text is segmented once per process and the tokens are reused.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import re
import sys
from collections import OrderedDict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from lawgovkit._data import read_lines
from lawgovkit.errors import ArgumentError, MissingExtraError

__all__ = ["BACKENDS", "Tokenizer", "default_tokenizer", "domain_words"]

BACKENDS = ("auto", "jieba", "rjieba")

# A token is dropped as a number or date when it is Arabic digits (ASCII or full-width) with
# separators and an optional unit of time or a percent sign (2022, 2023-03-15, 96%, 3月),
# or a single Chinese numeral (一, 三). Multi-character numerals such as 十四五 or 八五 name
# plans and are kept.
_NUMBER = re.compile(
    r"[0-9０-９][0-9０-９.．,，:：/\-]*[%％‰]?[年月日号时分秒]?"
    r"|[〇零一二两三四五六七八九十百千万亿]"
)
# A token with no letter or digit is punctuation or whitespace.
_WORD_CHAR = re.compile(r"[^\W_]")
_NOT_WORD = re.compile(r"[\W_]")
# Domain terms this long (or holding punctuation) are cut out before segmentation.
_PROTECT_FROM = 3


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
        self._protect = re.compile(_trie_pattern(protected) or r"(?!)")
        dropped: set[str] = set()
        if self.stopwords:
            dropped.update(read_lines("stopwords.txt"))
        if self.officialese:
            dropped.update(read_lines("officialese.txt"))
        dropped.difference_update(words)  # a protected term is never dropped
        self._dropped = frozenset(dropped)
        self._kept: dict[str, str] = {}  # piece -> itself if kept, "" if dropped
        self._segmenter: Any = None
        self._cache: OrderedDict[bytes, tuple[str, ...]] = OrderedDict()
        self.cache_hits = 0
        self.cache_misses = 0

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
        if self._segmenter is None:
            self._segmenter = self._load_backend()
        pieces: list[str] = []
        position = 0
        for match in self._protect.finditer(text):
            if match.start() > position:
                pieces.extend(self._segmenter(text[position : match.start()]))
            pieces.append(match.group())
            position = match.end()
        if position < len(text):
            pieces.extend(self._segmenter(text[position:]))
        return [piece for piece in pieces if piece]

    def _keep(self, token: str) -> bool:
        if len(token) < self.min_chars or not _WORD_CHAR.search(token) or token in self._dropped:
            return False
        return self.keep_numbers or not _NUMBER.fullmatch(token)

    def _filter(self, pieces: list[str]) -> tuple[str, ...]:
        """The pieces kept as tokens; each distinct piece is judged once, then looked up.

        The memo maps a piece to its interned self (the cache then holds one string per
        distinct word) or to "" when it is dropped.
        """
        kept = self._kept
        found = [kept.get(piece) for piece in pieces]
        if None in found:
            for piece in pieces:
                if piece not in kept:
                    kept[piece] = sys.intern(piece) if self._keep(piece) else ""
            found = [kept[piece] for piece in pieces]
        return tuple(token for token in found if token)

    def __call__(self, text: str) -> list[str]:
        """The tokens of ``text``: segmented, filtered, cached by the text's hash."""
        if not isinstance(text, str):
            raise ArgumentError(f"Tokenizer expects a str, got {type(text).__name__}")
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        tokens = self._cache.get(key)
        if tokens is not None:
            self.cache_hits += 1
            self._cache.move_to_end(key)
            return list(tokens)
        self.cache_misses += 1
        tokens = self._filter(self.segment(text))
        self._cache[key] = tokens
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return list(tokens)

    def tokenize_many(self, texts: Iterable[str]) -> list[list[str]]:
        """The tokens of each text, in order (each text segmented once, then cached).

        Examples
        --------
        >>> Tokenizer(backend="jieba").tokenize_many(["行政复议", "人民调解"])
        [['行政复议'], ['人民调解']]
        """
        return [self(text) for text in texts]

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
        self.__dict__.update(state)
        self._setup()  # the backend is rebuilt lazily on first use

    def __repr__(self) -> str:
        return (
            f"Tokenizer(backend={self.backend!r}, officialese={self.officialese}, "
            f"stopwords={self.stopwords}, keep_numbers={self.keep_numbers}, "
            f"user_words={list(self.user_words)!r}, min_chars={self.min_chars})"
        )


def _trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, the longest one at each point.

    The words are arranged as a trie (``行政(?:复议|执法)``), so the engine follows one
    branch per character instead of trying thousands of alternatives at every position;
    a word that is a prefix of another is an optional tail, tried longest first, so the
    match is the same as an alternation sorted longest first.

    Examples
    --------
    >>> _trie_pattern(["行政复议", "行政执法", "行政"])
    '行政(?:复议|执法)?'
    >>> [m.group() for m in re.finditer(_trie_pattern(["ab", "abc"]), "abcab")]
    ['abc', 'ab']
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, dict]) -> str:
        children = sorted(node.items())
        branches = [re.escape(char) + pattern(child) for char, child in children if char]
        if not branches:
            return ""
        if len(branches) > 1:
            body = "(?:" + "|".join(branches) + ")"
        elif "" in node and len(branches[0]) > 1:
            body = "(?:" + branches[0] + ")"
        else:
            body = branches[0]
        # a word ends here and longer ones go on: the tail is optional
        return body + "?" if "" in node else body

    return pattern(trie)


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


_DEFAULT: Tokenizer | None = None


def default_tokenizer(tokenizer: Tokenizer | None = None) -> Tokenizer:
    """``tokenizer`` itself, or the package's shared default ``Tokenizer()`` when None.

    Sharing one instance means every analysis reuses the same token cache.

    Examples
    --------
    >>> default_tokenizer() is default_tokenizer()
    True
    """
    global _DEFAULT
    if tokenizer is not None:
        return tokenizer
    if _DEFAULT is None:
        _DEFAULT = Tokenizer()
    return _DEFAULT
