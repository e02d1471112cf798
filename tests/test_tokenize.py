"""Tests of lawgovkit.tokenize: domain terms whole, filters, cache, pickling, sklearn."""

from __future__ import annotations

import concurrent.futures
import os
import pickle
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

import lawgovkit.tokenize as tokenize_module
from lawgovkit._matching import TermMatcher
from lawgovkit._patterns import words_pattern
from lawgovkit.errors import ArgumentError, LawgovkitError
from lawgovkit.report import load_report
from lawgovkit.tokenize import Tokenizer, default_tokenizer, domain_words
from tests.conftest import SEED_PATHS

BOTH = ["jieba", "rjieba"]

ISSUE_TERMS = [
    "法治政府",
    "行政复议",
    "行政应诉",
    "出庭应诉率",
    "行政执法",
    "三项制度",
    "双随机、一公开",
    "放管服",
    "证照分离",
    "告知承诺制",
    "首违不罚",
    "合法性审查",
    "重大行政决策",
    "规范性文件",
    "公职律师",
    "法律顾问",
    "人民调解",
    "枫桥经验",
    "八五普法",
    "谁执法谁普法",
    "法律援助",
    "公证",
    "社区矫正",
    "安置帮教",
    "营商环境",
    "综合行政执法",
    "习近平法治思想",
]

SENTENCE = "2022年共办理行政复议案件102件,行政机关负责人出庭应诉率达96%。"
OFFICIALESE = "深入推进严格规范公正文明执法,进一步加强行政复议工作。"


@pytest.fixture(scope="module", params=BOTH)
def tok(request):
    return Tokenizer(backend=request.param)


def test_word_list_is_large_and_holds_the_issue_terms():
    words = domain_words()
    assert len(words) >= 300
    assert set(ISSUE_TERMS) <= set(words)


@pytest.mark.parametrize("backend", BOTH)
def test_every_domain_term_is_one_token(backend):
    tok = Tokenizer(backend=backend)
    split = [w for w in domain_words() if tok.segment(w) != [w] or tok(w) != [w]]
    assert split == []


@pytest.mark.parametrize("backend", BOTH)
def test_every_domain_term_stays_whole_in_a_sentence(backend):
    tok = Tokenizer(backend=backend)
    split = [w for w in domain_words() if w not in tok.segment(f"进一步{w}的工作")]
    assert split == []


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("全面推行“双随机、一公开”监管", "双随机、一公开"),
        ("负责人出庭应诉率达100%", "出庭应诉率"),
        ("落实谁执法谁普法责任", "谁执法谁普法"),
        ("坚持和发展新时代枫桥经验", "枫桥经验"),
        ("深化放管服改革", "放管服"),
    ],
)
def test_terms_stay_whole_inside_sentences(tok, text, term):
    assert any(term in token for token in tok(text))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("探索建立法治督察机制", ["建立", "法治督察"]),  # not 建 / 立法 / 治
        ("完善诉讼与仲裁衔接", ["诉讼", "仲裁"]),
    ],
)
def test_short_terms_do_not_cut_across_words(tok, text, words):
    tokens = tok(text)
    assert all(word in tokens for word in words)


def test_numbers_dates_punctuation_dropped_by_default(tok):
    tokens = tok(SENTENCE)
    assert tokens == ["办理", "行政复议", "案件", "行政机关负责人", "出庭应诉率"]


def test_keep_numbers_keeps_them():
    tokens = Tokenizer(backend="jieba", keep_numbers=True)(SENTENCE)
    assert "102" in tokens
    assert "," not in tokens


def test_officialese_true_drops_officialese_false_keeps():
    kept = Tokenizer(backend="jieba")(OFFICIALESE)
    dropped = Tokenizer(backend="jieba", officialese=True)(OFFICIALESE)
    assert {"深入", "推进", "进一步", "加强"} <= set(kept)
    assert not {"深入", "推进", "进一步", "加强"} & set(dropped)
    assert "行政复议" in dropped


def test_drop_officialese_alias_and_contradiction():
    assert Tokenizer(backend="jieba", drop_officialese=True).officialese is True
    with pytest.raises(ArgumentError, match="contradict"):
        Tokenizer(backend="jieba", officialese=True, drop_officialese=False)


def test_stopwords_switch():
    assert "的" in Tokenizer(backend="jieba", stopwords=False)("依法行政的能力")
    assert "的" not in Tokenizer(backend="jieba")("依法行政的能力")


def test_min_chars_drops_single_characters():
    text = "党的组织领导不断加强,牵头抓总作用"
    assert any(len(t) == 1 for t in Tokenizer(backend="jieba")(text))
    assert all(len(t) >= 2 for t in Tokenizer(backend="jieba", min_chars=2)(text))


def test_user_words_are_protected():
    tok = Tokenizer(backend="jieba", user_words=["法指针平台"])
    assert "法指针平台" in tok("依托法指针平台实现律师在线服务")


@pytest.mark.parametrize(("bad", "match"), [("spacy", "unknown tokenizer backend"), ("", "jieba")])
def test_unknown_backend(bad, match):
    with pytest.raises(ArgumentError, match=match):
        Tokenizer(backend=bad)


def test_non_string_input():
    with pytest.raises(LawgovkitError, match="expects a str"):
        Tokenizer(backend="jieba")(None)


def _count_backend_calls(tok):
    """Wrap ``tok``'s backend; the returned list gets the text of every call."""
    calls = []
    backend = tok._load_backend()

    def counting(text):
        calls.append(text)
        return backend(text)

    tok._segmenter = counting
    return calls


def test_same_text_twice_segments_once():
    tok = Tokenizer(backend="jieba")
    calls = _count_backend_calls(tok)
    first = tok(SENTENCE)
    first.append("mutated")  # the caller's list is a copy
    assert tok(SENTENCE) == tok(SENTENCE) != first
    assert len(calls) == 1  # one backend call per text, however many terms it holds
    assert tok.cache_info() == {"hits": 2, "misses": 1, "size": 1}


def test_cache_is_bounded():
    tok = Tokenizer(backend="jieba", cache_size=2)
    for text in ["行政复议", "人民调解", "法律援助"]:
        tok(text)
    assert tok.cache_info()["size"] == 2


@pytest.mark.parametrize("backend", BOTH)
def test_pickles_and_rebuilds_backend(backend):
    tok = Tokenizer(backend=backend, officialese=True, user_words=["法指针"])
    tok(SENTENCE)
    clone = pickle.loads(pickle.dumps(tok))
    assert clone(OFFICIALESE) == tok(OFFICIALESE)
    assert clone.cache_info()["size"] == 1  # built afresh, then used once
    assert repr(clone) == repr(tok)


def test_works_in_tfidf_vectorizer(tok):
    docs = ["加强行政复议规范化建设", "推进人民调解组织建设", "行政复议和人民调解"]
    vec = TfidfVectorizer(tokenizer=tok, token_pattern=None, lowercase=False)
    matrix = vec.fit_transform(docs)
    assert matrix.shape[0] == 3
    assert {"行政复议", "人民调解"} <= set(vec.get_feature_names_out())


def test_vectorizer_with_tokenizer_clones_and_pickles():
    from sklearn.base import clone

    vec = TfidfVectorizer(tokenizer=Tokenizer(backend="jieba"), token_pattern=None)
    copy = pickle.loads(pickle.dumps(clone(vec)))
    assert "行政复议" in copy.fit(["加强行政复议工作", "人民调解"]).vocabulary_


def test_jieba_prints_nothing_while_loading(capfd):
    from lawgovkit.tokenize import _segmenter

    _segmenter.cache_clear()
    Tokenizer(backend="jieba")("加强行政复议工作")
    out, err = capfd.readouterr()
    assert "prefix dict" not in out + err
    assert out + err == ""


def test_equal_tokenizers_share_one_backend():
    a, b = Tokenizer(backend="jieba"), Tokenizer(backend="jieba", officialese=True)
    a("行政复议")
    b("行政复议")
    assert a._segmenter is b._segmenter
    assert Tokenizer(backend="jieba", user_words=["法指针"])._load_backend() is not a._segmenter


def test_default_tokenizer_is_shared():
    assert default_tokenizer() is default_tokenizer()
    mine = Tokenizer(backend="jieba")
    assert default_tokenizer(mine) is mine


PERMISSIVE = Tokenizer(backend="jieba", stopwords=False, keep_numbers=True)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="行政复议法治政府调解的了,。、 2023年%“”abc双随机一公开", max_size=40))
def test_segments_rejoin_and_tokens_are_in_order(text):
    tok = PERMISSIVE
    assert "".join(tok.segment(text)) == text
    position = 0
    for token in tok(text):
        assert token.strip() == token != ""
        position = text.index(token, position) + len(token)


def _spans(pieces):
    spans, position = set(), 0
    for piece in pieces:
        spans.add((position, position + len(piece)))
        position += len(piece)
    return spans


def test_backends_agree_on_the_seeds():
    jieba_tok, rjieba_tok = Tokenizer(backend="jieba"), Tokenizer(backend="rjieba")
    same = total = 0
    for path in SEED_PATHS:
        text = path.read_text(encoding="utf-8")
        a, b = _spans(jieba_tok.segment(text)), _spans(rjieba_tok.segment(text))
        same += len(a & b)
        total += max(len(a), len(b))
    share = same / total
    print(f"jieba and rjieba agree on {share:.2%} of tokens on the seeds")
    assert share >= 0.995


# --- one backend call per text: protected terms as placeholders -------------------------

TERMS = ["行政复议", "双随机、一公开", "互联网+政务服务", "综合行政执法", "法治政府"]
# term fragments, punctuation, whitespace (\r\n), digits, Latin, full-width and plane-15
# characters (which the placeholders come from, so the text is cut gap by gap)
PIECES = st.one_of(
    st.sampled_from(TERMS),
    st.text(
        alphabet="行政复议法治府执综合的了,。、+ 2023年%“”abc双随机一公开"
        "\r\n\t．_-２\U000f0000\U000f0001",
        max_size=6,
    ),
)
TEXTS = st.lists(PIECES, max_size=10).map("".join)
TOKENIZERS = {backend: Tokenizer(backend=backend, stopwords=False) for backend in BOTH}


@pytest.mark.parametrize("backend", BOTH)
@settings(max_examples=150, deadline=None)
@given(text=TEXTS)
def test_one_call_gives_the_pieces_of_a_call_per_gap(backend, text):
    tok = TOKENIZERS[backend]
    pieces = tok._segment_gaps(text)
    assert tok.segment(text) == pieces
    assert list(tok._tokenize(text)) == [p for p in pieces if tok._judge(p)]


@pytest.mark.parametrize("backend", BOTH)
def test_text_holding_placeholder_characters_is_cut_gap_by_gap(backend):
    tok = Tokenizer(backend=backend)
    code = chr(tokenize_module._PLACEHOLDER_BASE + tok._protect.terms.index("行政复议"))
    text = f"办理{code}行政复议案件{code}"
    assert tok._coded_pieces(text) is None
    assert tok.segment(text) == ["办理", code, "行政复议", "案件", code]
    assert tok(text) == ["办理", "行政复议", "案件"]


def test_without_placeholders_terms_are_still_protected(monkeypatch):
    monkeypatch.setattr(tokenize_module, "_PLACEHOLDER_END", tokenize_module._PLACEHOLDER_BASE)
    tok = Tokenizer(backend="jieba")
    assert tok._replace is None
    assert tok(SENTENCE) == Tokenizer(backend="jieba")(SENTENCE)
    assert tok.segment("落实“双随机、一公开”监管") == ["落实", "“", "双随机、一公开", "”", "监管"]


@settings(max_examples=100, deadline=None)
@given(
    words=st.lists(st.text(alphabet="abc、+", min_size=1, max_size=5), min_size=1, max_size=8),
    text=st.text(alphabet="abc、+x", max_size=30),
)
def test_protect_pattern_finds_the_longest_terms_like_an_alternation(words, text):
    longest_first = sorted(set(words), key=lambda w: (-len(w), w))
    expected = re.compile("(" + "|".join(map(re.escape, longest_first)) + ")").split(text)
    pattern = words_pattern(longest_first, capture=True)
    assert re.compile(pattern).split(text) == expected
    # the tokenizer's matcher (an Aho-Corasick automaton) cuts the same way
    assert TermMatcher(words, automaton=True).split(text) == expected


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(
        st.text(alphabet="法治a、\U0001f4a9", min_size=1, max_size=4), min_size=1, max_size=8
    ),
    # 픀 (U+D500) and 뭬 (U+BB6C) put 法治's UTF-16 (D5 6C BB 6C) at an odd byte offset
    text=st.text(alphabet="法治a、\U0001f4a9x\ud800\udfff픀뭬l", max_size=30),
    wide=st.booleans(),
)
def test_the_automaton_replaces_terms_as_the_regex_does(words, text, wide):
    """The automaton (which reads UTF-16 and, where that could mislead it, UTF-8 between
    lone surrogates) and the regex (which reads characters) give the same text, astral
    characters, lone surrogates and placeholders of either block included."""
    automaton, regex = TermMatcher(words, automaton=True), TermMatcher(words, automaton=False)
    assert automaton.terms == regex.terms
    placeholders = tuple(chr((0xF0000 if wide else 0xE000) + i) for i in range(len(words)))
    assert automaton.replaced(text, placeholders) == regex.replaced(text, placeholders)


def test_a_match_at_an_odd_byte_offset_of_the_utf16_is_not_taken():
    # 00 D5 | 6C BB | 6C 00: bytes 1-4 are 法治's UTF-16, across three other characters
    matcher = TermMatcher(["法治", "法治政府"], automaton=True)
    replace = matcher.replacer(["A", "B"])
    assert replace("픀뭬l") is None
    assert replace("픀뭬l法治政府") == "픀뭬lB"
    assert replace("法治，픀뭬l法治") == "A，픀뭬lA"
    assert replace("行政\ud800法治") == "行政\ud800A"  # a lone surrogate
    assert replace("\U0001f4a9法治\U0001f4a9") == "\U0001f4a9A\U0001f4a9"


def test_protected_terms_are_found_around_lone_surrogates():
    matcher = Tokenizer(backend="jieba")._protect
    text = "行政\ud800复议，综合行政执法\udfff改革"
    assert matcher.split(text) == ["行政\ud800复议，", "综合行政执法", "\udfff改革"]
    assert matcher.findall(text) == ["综合行政执法"]


def test_protect_pattern_without_terms_never_matches():
    pattern = re.compile(words_pattern([], capture=True))
    assert pattern.split("行政复议") == ["行政复议"]


# --- remember --------------------------------------------------------------------------


def test_remember_primes_the_cache():
    tok = Tokenizer(backend="jieba")
    calls = _count_backend_calls(tok)
    tok.remember(SENTENCE, iter(["办理", "行政复议"]))
    first = tok(SENTENCE)
    assert first == ["办理", "行政复议"]
    first.append("mutated")  # the caller's list is a copy
    assert tok(SENTENCE) == ["办理", "行政复议"]
    assert calls == []
    assert tok.cache_info() == {"hits": 2, "misses": 0, "size": 1}


def test_remember_tokens_from_another_tokenizer_are_served_as_computed():
    worker, main = Tokenizer(backend="jieba"), Tokenizer(backend="jieba")
    main.remember(OFFICIALESE, worker(OFFICIALESE))
    assert main(OFFICIALESE) == Tokenizer(backend="jieba")(OFFICIALESE)
    assert main.cache_info()["misses"] == 0


def test_remember_replaces_and_is_bounded():
    tok = Tokenizer(backend="jieba", cache_size=2)
    tok("行政复议")
    tok.remember("行政复议", ["复议"])
    assert tok("行政复议") == ["复议"]
    for text in ["人民调解", "法律援助"]:
        tok.remember(text, [text])
    assert tok.cache_info()["size"] == 2
    assert tok("法律援助") == ["法律援助"]


@pytest.mark.parametrize(
    ("text", "tokens", "match"),
    [(None, [], "expects a str"), ("行政复议", "行政复议", "not one str"), ("a", ["a", 1], "int")],
)
def test_remember_checks_its_arguments(text, tokens, match):
    with pytest.raises(ArgumentError, match=match):
        Tokenizer(backend="jieba").remember(text, tokens)


# --- fingerprint -----------------------------------------------------------------------


def test_fingerprint_is_hex_and_equal_for_equal_settings():
    a = Tokenizer(backend="jieba", officialese=True, user_words=["法指针"])
    b = Tokenizer(backend="jieba", drop_officialese=True, user_words=("法指针",), cache_size=9)
    assert a.fingerprint == b.fingerprint
    assert re.fullmatch("[0-9a-f]{32}", a.fingerprint)
    assert pickle.loads(pickle.dumps(a)).fingerprint == a.fingerprint


@pytest.mark.parametrize(
    "change",
    [
        {"backend": "rjieba"},
        {"officialese": True},
        {"stopwords": False},
        {"keep_numbers": True},
        {"min_chars": 2},
        {"user_words": ["法指针"]},
    ],
)
def test_fingerprint_changes_with_every_setting(change):
    base = {"backend": "jieba"}
    assert Tokenizer(**base).fingerprint != Tokenizer(**{**base, **change}).fingerprint


def test_fingerprint_of_auto_is_that_of_the_backend_used():
    auto = Tokenizer(backend="auto")
    assert auto.fingerprint == Tokenizer(backend=auto.backend_name).fingerprint


@pytest.mark.parametrize("name", ["stopwords.txt", "officialese.txt", "domain_words.txt"])
def test_fingerprint_changes_with_the_word_lists(monkeypatch, name):
    tok = Tokenizer(backend="jieba", officialese=True)
    before = tok.fingerprint
    read_lines = tokenize_module.read_lines

    def edited(file):
        return (*read_lines(file), "新词 3") if file == name else read_lines(file)

    monkeypatch.setattr(tokenize_module, "read_lines", edited)
    assert tok.fingerprint != before


def test_fingerprint_ignores_lists_not_used(monkeypatch):
    tok = Tokenizer(backend="jieba", stopwords=False)  # officialese kept too
    before = tok.fingerprint
    read_lines = tokenize_module.read_lines
    unused = ("stopwords.txt", "officialese.txt")

    def edited(file):
        return read_lines(file) + (("新词",) if file in unused else ())

    monkeypatch.setattr(tokenize_module, "read_lines", edited)
    assert tok.fingerprint == before


def test_fingerprint_is_the_same_in_another_process():
    settings = "backend='jieba', min_chars=2, user_words=['法指针']"
    code = f"from lawgovkit.tokenize import Tokenizer; print(Tokenizer({settings}).fingerprint)"
    env = {**os.environ, "PYTHONHASHSEED": "123"}  # str hashes differ from this process's
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert (
        run.stdout.strip()
        == Tokenizer(backend="jieba", min_chars=2, user_words=["法指针"]).fingerprint
    )


# --- batches kept on disk ---------------------------------------------------------------


def _batch(n: int) -> list[str]:
    return [f"第{i}次全面推进行政复议体制改革,落实“双随机、一公开”监管。" for i in range(n)] + [""]


def _stored(root) -> list:
    return sorted(root.glob("arrays/*/*.npz"))


def test_a_large_batch_is_read_back_from_disk(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("LAWGOVKIT_CACHE", str(tmp_path))
    texts = _batch(250)
    tokenizer = Tokenizer(backend="jieba")
    first = tokenizer.tokenize_many(texts)
    assert len(_stored(tmp_path)) == 1
    assert all(type(tokens) is list for tokens in first)  # the caller's own lists
    first[3].append("改过")
    assert tokenizer(texts[3]) == first[3][:-1]
    first[3].pop()
    again = Tokenizer(backend="jieba")
    calls = []
    monkeypatch.setattr(again, "_tokenize", lambda text: calls.append(text) or ())
    assert again.tokenize_many(texts) == first
    assert calls == []  # nothing segmented
    assert again(texts[3]) == first[3]  # and the in-memory cache is primed
    assert again.cache_info()["misses"] == 0


def test_other_settings_or_texts_do_not_share_a_batch(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("LAWGOVKIT_CACHE", str(tmp_path))
    texts = _batch(250)
    plain = Tokenizer(backend="jieba").tokenize_many(texts)
    dropped = Tokenizer(backend="jieba", officialese=True).tokenize_many(texts)
    assert dropped != plain and len(_stored(tmp_path)) == 2
    Tokenizer(backend="jieba").tokenize_many(texts[:-2])
    assert len(_stored(tmp_path)) == 3


def test_small_batches_and_an_off_cache_write_nothing(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("LAWGOVKIT_CACHE", str(tmp_path))
    Tokenizer(backend="jieba").tokenize_many(_batch(50))
    assert _stored(tmp_path) == []
    monkeypatch.setenv("LAWGOVKIT_CACHE", "off")
    Tokenizer(backend="jieba").tokenize_many(_batch(250))
    assert _stored(tmp_path) == []


def test_a_batch_the_memory_holds_whole_needs_no_disk(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("LAWGOVKIT_CACHE", str(tmp_path))
    texts = _batch(250)
    tok = Tokenizer(backend="jieba")
    expected = [tok(text) for text in texts]  # one at a time: nothing stored
    monkeypatch.setattr(tokenize_module._store, "array_store", lambda: pytest.fail("disk"))
    assert tok.tokenize_many(texts) == expected
    assert tok.cache_info()["misses"] == len(set(texts))  # each segmented once, above
    assert _stored(tmp_path) == []


def test_a_damaged_batch_is_segmented_again(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("LAWGOVKIT_CACHE", str(tmp_path))
    texts = _batch(250)
    first = Tokenizer(backend="jieba").tokenize_many(texts)
    (entry,) = _stored(tmp_path)
    entry.write_bytes(entry.read_bytes()[:200])
    assert Tokenizer(backend="jieba").tokenize_many(texts) == first


# --- segmenting in worker processes -----------------------------------------------------


def _seed_sentences() -> list[str]:
    """Each seed report's sentences: real text, with repeats, empties and odd characters."""
    sentences = []
    for path in SEED_PATHS:
        text = load_report(path).text
        sentences.extend(re.split(r"(?<=[。;;!?])", text)[:60])
    return [*sentences, "", "   ", "2023年", "法\U000f0001治", sentences[0]]


@pytest.mark.parametrize("share", ["shared", "workers only"])
@pytest.mark.parametrize("backend", ["jieba", "rjieba"])
def test_worker_processes_give_the_tokens_of_one_process(backend, share, monkeypatch) -> None:
    monkeypatch.setenv("LAWGOVKIT_CACHE", "off")
    monkeypatch.setattr(tokenize_module, "_RUN_CHARS", 500)  # many runs to share out
    if share == "workers only":  # this process withdraws no run: the workers do them all
        monkeypatch.setattr(concurrent.futures.Future, "cancel", lambda future: False)
    texts = _seed_sentences()
    alone = Tokenizer(backend=backend, min_chars=2)
    expected = alone.tokenize_many(texts, n_jobs=1)
    spread = Tokenizer(backend=backend, min_chars=2)
    spread(texts[5])  # a text already cached is not sent to a worker
    received = spread.tokenize_many(texts, n_jobs=2)
    assert received == expected
    # one string per word, whichever run and process it came from (each run unpickled its own)
    words = {id(word): word for tokens in received for word in tokens}
    assert len(words) == len(set(words.values()))
    assert spread.cache_info() == {**alone.cache_info(), "hits": alone.cache_info()["hits"] + 1}
    assert [spread(t) for t in texts] == expected  # every text is cached now


def test_worker_processes_start_only_when_it_pays(monkeypatch) -> None:
    monkeypatch.setenv("LAWGOVKIT_CACHE", "off")

    def asked(*args, **kwargs):
        raise RuntimeError("a process pool was asked for")

    monkeypatch.setattr(tokenize_module, "surviving_runs", asked)
    texts = _batch(300)  # 9,000 characters: too few to pay for processes
    assert Tokenizer(backend="jieba").tokenize_many(texts) == Tokenizer(
        backend="jieba"
    ).tokenize_many(texts, n_jobs=1)
    with pytest.raises(RuntimeError, match="pool was asked"):
        Tokenizer(backend="jieba").tokenize_many(texts, n_jobs=2)
    if sys.platform.startswith("linux"):  # elsewhere only an explicit n_jobs starts them
        monkeypatch.setattr(tokenize_module, "_PARALLEL_MIN_CHARS", 9_000)
        monkeypatch.setattr(os, "cpu_count", lambda: 2)
        with pytest.raises(RuntimeError, match="pool was asked"):
            Tokenizer(backend="jieba").tokenize_many(texts)


@pytest.mark.parametrize("n_jobs", [0, -2, 1.5, "2"])
def test_tokenize_many_checks_n_jobs(n_jobs) -> None:
    with pytest.raises(ArgumentError, match="n_jobs"):
        Tokenizer(backend="jieba").tokenize_many(["行政复议"], n_jobs=n_jobs)


def test_tokenize_many_names_a_text_that_is_no_str() -> None:
    with pytest.raises(ArgumentError, match="got int"):
        Tokenizer(backend="jieba").tokenize_many(["行政复议", 3])


def test_a_lone_surrogate_does_not_break_the_cache_key():
    # such texts come from files read with errors="surrogateescape"
    tok = Tokenizer(backend="jieba")
    assert tok("行政\udc80复议") == tok("行政\udc80复议") == ["行政", "复议"]
    assert tok.cache_info()["hits"] == 1


@pytest.mark.parametrize("odd", ["", "\U000c0000", "\U000f0001", "\U000fffff", "\udc80"])
def test_the_plane_15_check_from_the_utf8_bytes_agrees_with_a_scan(odd):
    tok = Tokenizer(backend="jieba")
    text = f"全面推进行政复议体制改革{odd},落实“双随机、一公开”监管。"
    _, wide = tokenize_module._keyed(text)
    assert wide == (odd[:1] >= "\U000c0000")  # a 4-byte UTF-8 character led by 0xF3
    assert tok(text) == list(tok._tokenize(text, wide=True))  # as if every text were scanned


@pytest.mark.parametrize("backend", BOTH)
def test_tokenizing_does_not_grow_the_text(backend):
    # a Rust extension reading a str leaves its UTF-8 inside it (3 bytes a character more
    # for the text's life): the tokenizer hands them copies
    with_terms, without = "依法办理行政复议案件。" * 50, "办理" * 300
    sizes = sys.getsizeof(with_terms), sys.getsizeof(without)
    tok = Tokenizer(backend=backend)
    tok(with_terms), tok(without), tok.segment(without)
    tok.tokenize_many([with_terms + "。", without + "。"], n_jobs=1)
    TermMatcher(["行政复议"], automaton=True).findall(with_terms)
    assert (sys.getsizeof(with_terms), sys.getsizeof(without)) == sizes


@pytest.mark.parametrize("backend", BOTH)
def test_a_lone_surrogate_is_a_piece_by_itself_with_either_backend(backend):
    # Rust strings cannot hold one: rjieba is given the runs between them
    tok = Tokenizer(backend=backend)
    text = "行政\ud800复议，综合行政执法\udfff改革"
    assert tok.segment(text) == ["行政", "\ud800", "复议", "，", "综合行政执法", "\udfff", "改革"]
    assert tok(text) == ["行政", "复议", "综合行政执法", "改革"]
