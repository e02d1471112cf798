"""Acceptance of the report job: every notebook run on three corpora; every finding stated
in the pages checked against the same value computed here; every exported table read back
and compared with the library call that made it; figures written as files.

The corpora: the seeds; a folder made here from seeds, a copy of one saved as a web page, an
exact copy, a news item (not a report), an unreadable file and, when the development set is
beside the checkout, four government work reports from it; a two-report folder; and the seeds
exported as a Parquet dataset (``lawgovkit export``), whose report must write the same tables
as the seeds' and say which parts a corpus of tables cannot give.
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

import lawgovkit as lgk
from lawgovkit.findings import METADATA_KEY
from lawgovkit.notebook_report import NEEDS_REPORTS, TABLE_ORDER
from lawgovkit.notebook_run import find_notebooks
from lawgovkit.notebook_setup import NO_REPORT_TEXTS
from tests.conftest import DEV_CORPUS, ROOT, SEED_PATHS

pytest.importorskip("nbclient")
pytest.importorskip("pyarrow")
# The news item and the work reports load with a warning (not a report); they are listed.
pytestmark = pytest.mark.filterwarnings("ignore::lawgovkit.errors.LawgovkitWarning")

DEVELOPMENT_SET = DEV_CORPUS
WORK_REPORTS = ["lt_00e5714a24", "lt_0039aa032d"]  # one read as a report, one not (today)
NEWS_ITEM = (
    "本报讯 3月5日上午，区文化馆举办春季书画展开幕式，区领导出席并参观展览。"
    "展览为期一周，免费向市民开放。\n"
)
GENRE = "rule_of_law_report"
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def as_web_page(text: str) -> str:
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines())
    return (
        "<html><head><title>法治政府建设</title></head><body>"
        f"<div>首页 &gt; 政务公开</div>{body}<div>扫一扫在手机打开当前页</div></body></html>"
    )


def mixed_folder(folder: Path) -> Path:
    folder.mkdir()
    for path in SEED_PATHS[:3]:
        shutil.copy(path, folder / path.name)
    first = SEED_PATHS[0].read_text(encoding="utf-8")
    (folder / "江夏区网页版.html").write_text(as_web_page(first), encoding="utf-8")
    shutil.copy(SEED_PATHS[1], folder / "东昌府区 副本.txt")
    (folder / "书画展新闻.txt").write_text(NEWS_ITEM, encoding="utf-8")
    (folder / "扫描件.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    if DEVELOPMENT_SET.is_dir():
        for name in WORK_REPORTS:
            shutil.copy(DEVELOPMENT_SET / f"{name}.txt", folder / f"{name}.txt")
    return folder


def two_folder(folder: Path) -> Path:
    folder.mkdir()
    for path in SEED_PATHS[3:5]:
        shutil.copy(path, folder / path.name)
    return folder


def seeds_dataset(folder: Path) -> Path:
    from lawgovkit.parquet import to_parquet

    return to_parquet(lgk.load_corpus(ROOT / "seeds", progress=False), folder)


CORPORA = {"seeds": None, "mixed": mixed_folder, "two": two_folder, "dataset": seeds_dataset}
#: Findings that need report objects: a corpus read from a dataset says it cannot give them.
NEEDS_TEXTS = re.compile(r"01\.(chrome|outlines)|05\.|06\.(claims|indicator)")


class Run:
    """One report run on one corpus, and the corpus computed again here."""

    def __init__(self, name: str, folder: Path, out: Path) -> None:
        self.name, self.folder, self.out = name, folder, out
        from lawgovkit.notebook_setup import load_options

        files = ROOT / "seeds" if name == "dataset" else folder  # a dataset: the seeds it holds
        self.loaded = lgk.load_corpus(files, **load_options(errors="skip", progress=False))
        self.left_out = expected_left_out(self.loaded)
        self.corpus = lgk.Corpus([r for r in self.loaded if r.id not in self.left_out])
        self.labels = expected_labels(self.loaded.reports)
        self.notebooks = {
            p.stem: nbformat.read(p, as_version=4)
            for p in sorted((out / "notebooks").glob("*.ipynb"))
        }


def expected_left_out(corpus) -> dict[str, str]:
    """Non-reports and copies, worked out here from the reports table and the texts."""
    reports = corpus.reports
    left = {}
    for report_id, row in reports.iterrows():
        genre = row["genre"] if "genre" in reports.columns else None
        if (isinstance(genre, str) and genre != GENRE) or not row["is_report"]:
            left[report_id] = "not a report"
    if "duplicate_of" in reports.columns:
        copies = reports["duplicate_of"].dropna().index
    else:
        seen, copies = set(), []
        for report in corpus:
            digest = hashlib.sha1(report.text.encode()).hexdigest()
            if digest in seen:
                copies.append(report.id)
            seen.add(digest)
    for report_id in copies:
        left.setdefault(report_id, "copy")
    return left


def expected_labels(reports: pd.DataFrame) -> dict[str, str]:
    labels = {}
    for report_id, row in reports.iterrows():
        place, year = row["jurisdiction"], row["report_year"]
        if isinstance(place, str):
            labels[report_id] = place if pd.isna(year) else f"{place} {int(year)}"
        else:
            labels[report_id] = report_id if len(report_id) <= 16 else report_id[:15] + "…"
    counts = pd.Series(labels).value_counts()
    for report_id, label in list(labels.items()):
        if counts[label] > 1:
            short = report_id if len(report_id) <= 16 else report_id[:15] + "…"
            labels[report_id] = f"{label} · {short}"
    return labels


@pytest.fixture(scope="module", params=list(CORPORA))
def run(request, tmp_path_factory) -> Run:
    from lawgovkit.notebook_report import write_report

    base = tmp_path_factory.mktemp(f"corpus-{request.param}")
    make = CORPORA[request.param]
    folder = ROOT / "seeds" if make is None else make(base / "报告")
    out = write_report(
        [folder],
        base / "report",
        errors="skip",
        keep_notebooks=True,
        stata=request.param == "two",
    )
    return Run(request.param, folder, out)


# Findings ------------------------------------------------------------------------------


def stated_findings(notebook) -> list[tuple[str, dict]]:
    """(text, record) of every finding a notebook displayed."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("text/markdown", {}).get(METADATA_KEY)
            if record:
                found.append((output["data"]["text/markdown"], record))
    return found


def numbers_in(value) -> list[float]:
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers_in(v)]
    if isinstance(value, list | tuple):
        return [n for v in value for n in numbers_in(v)]
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int | float):
        return [float(value)]
    return [float(n.replace(",", "")) for n in NUMBER.findall(str(value))]


def close(a, b, places: int = 3) -> bool:
    if isinstance(a, list | tuple) or isinstance(b, list | tuple):
        return len(a) == len(b) and all(close(x, y, places) for x, y in zip(a, b, strict=True))
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return abs(float(a) - float(b)) <= 1.01 * 10**-places
    return a == b


def pct(share: float) -> float:
    return round(float(share) * 100, 1)


def off_diagonal(matrix: pd.DataFrame) -> np.ndarray:
    rows, cols = np.triu_indices(len(matrix), k=1)
    return matrix.to_numpy(dtype=float)[rows, cols]


def top_pair(matrix: pd.DataFrame) -> tuple[str, str, float]:
    best = None
    for i, a in enumerate(matrix.index):
        for j in range(i + 1, len(matrix)):
            value = float(matrix.iloc[i, j])
            if best is None or value > best[2]:
                best = (a, matrix.index[j], value)
    return best


def expected_finding(key: str, values: dict, run: Run) -> dict | None:
    """The values a finding must state, computed here; None when it must say it cannot."""
    corpus, labels = run.corpus, run.labels
    reports = corpus.reports
    n = len(corpus)
    if key == "scope":
        flagged = [r for r in run.loaded.ids if r in run.left_out]
        return {"n": n, "k": len(flagged), "u": len(run.loaded.skipped)}
    if key == "01.flagged":
        copies = sum(1 for v in run.left_out.values() if v == "copy")
        return {
            "k": len(run.left_out) + len(run.loaded.skipped),
            "c": copies,
            "r": len(run.left_out) - copies,
            "u": len(run.loaded.skipped),
            "a": 0,
        }
    if key == "01.composition":
        years = reports["report_year"].dropna().astype(int)
        levels = reports["level"].dropna().value_counts()
        bodies = reports["body"].dropna().value_counts()

        def listed(counts):
            return [f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

        return {
            "n": n,
            "ky": len(years),
            "years": [float(years.min()), float(years.max())],
            "kl": int(levels.sum()),
            "levels": listed(levels),
            "kb": int(bodies.sum()),
            "bodies": listed(bodies),
        }
    if key == "01.sizes":
        chars = reports["n_chars"].astype(int)
        with_problems = set(corpus.problems["report_id"])
        with_plans = set(corpus.plans["report_id"])
        return {
            "lo": int(chars.min()),
            "lo_name": labels[chars.idxmin()],
            "hi": int(chars.max()),
            "hi_name": labels[chars.idxmax()],
            "med": round(chars.median()),
            "p": len(with_problems),
            "n": n,
            "q": len(with_plans),
        }
    if key == "01.roles":
        sections = corpus.sections
        chars = sections.assign(c=sections["text"].str.len()).pivot_table(
            index="report_id", columns="role", values="c", aggfunc="sum"
        )
        chars = chars.reindex(index=reports.index).fillna(0)
        for role in ("achievements", "problems", "plans", "leader_duty"):
            if role not in chars:
                chars[role] = 0
        shares = chars.div(chars.sum(axis=1), axis=0)
        return {
            "n": n,
            "a": pct(shares["achievements"].median()),
            "p": pct(shares["problems"].median()),
            "pl": pct(shares["plans"].median()),
            "d": int((chars["leader_duty"] > 0).sum()),
            "np": int((chars["problems"] == 0).sum()),
            "npl": int((chars["plans"] == 0).sum()),
        }
    if key == "01.chrome":
        chrome = corpus.boilerplate
        if chrome.empty:
            return None
        return {"k": chrome["report_id"].nunique(), "n": n, "lines": len(chrome)}
    coverage = lgk.theme_coverage(corpus)
    names = list(coverage.columns)
    if key == "02.top_theme":
        first = coverage.idxmax(axis=1)[coverage.max(axis=1) > 0]
        if first.empty:
            return None
        tally = first.value_counts()
        top = min(tally[tally == tally.max()].index, key=names.index)
        return {
            "top": top,
            "k": int(tally[top]),
            "n": n,
            "span": [pct(coverage[top].min()), pct(coverage[top].max())],
        }
    if key == "02.common_themes":
        everywhere = [t for t in names if (coverage[t] > 0).all()]
        nowhere = [t for t in names if (coverage[t] == 0).all()]
        return {
            "m": len(everywhere),
            "t": len(names),
            "n": n,
            "common": everywhere,
            "z": len(nowhere),
            "none": nowhere,
        }
    if key == "02.passages":
        return {"theme": values["theme"], "k": len(lgk.theme_passages(corpus, values["theme"]))}
    if key == "02.framing":
        theme = values["theme"]
        subset = lgk.Corpus([corpus[i] for i in coverage.index if coverage.loc[i, theme] > 0])
        if len(subset) < 2:
            return None
        matrix = lgk.compare_framing(subset, theme, n=8).similarity
        pairs = off_diagonal(matrix)
        a, b, s = top_pair(matrix)
        return {
            "theme": theme,
            "k": len(matrix),
            "mean": round(pairs.mean(), 3),
            "span": [round(pairs.min(), 3), round(pairs.max(), 3)],
            "a": labels[a],
            "b": labels[b],
            "s": round(s, 3),
        }
    if key == "02.alone":
        if n < 2:
            return None
        alone = (coverage > 0) & ((coverage > 0).sum() == 1)
        return {"k": int(alone.any(axis=1).sum()), "n": n}
    return expected_problems_or_similarity(key, values, run)


def expected_problems_or_similarity(key: str, values: dict, run: Run) -> dict | None:
    from lawgovkit.problems import is_generic, is_specific, problem_categories
    from lawgovkit.similarity import similar_pairs

    corpus, labels, n = run.corpus, run.labels, len(run.corpus)
    problems = corpus.problems
    if key.startswith("03.") and problems.empty:
        return None
    if key == "03.counts":
        per = problems.groupby("report_id").size()
        return {
            "k": len(per),
            "n": n,
            "p": len(problems),
            "span": [float(per.min()), float(per.max())],
            "c": problems["category"].nunique(),
            "t": len(problem_categories()),
        }
    if key == "03.silent":
        silent = sorted(set(corpus.ids) - set(problems["report_id"]))
        return {"k": len(silent), "names": [labels[r] for r in silent]}
    if key == "03.candour":
        measures = lgk.candour(corpus)
        return {
            "p": len(problems),
            "s": int(problems["text"].map(is_specific).sum()),
            "g": int(problems["text"].map(is_generic).sum()),
            "c": int(measures["gives_causes"].fillna(False).astype(bool).sum()),
            "n": len(measures),
            "span": [pct(measures["problem_share"].min()), pct(measures["problem_share"].max())],
        }
    if key == "03.shared_categories":
        by = problems.groupby("category")["report_id"].nunique()
        return {"k": int((by >= 2).sum()), "c": len(by), "one": int((by == 1).sum())}
    if key == "03.closest_statements":
        if problems["report_id"].nunique() < 2:
            return None
        ids = problems["report_id"] + " #" + problems["n"].astype(str)
        table = pd.DataFrame(
            {"id": ids, "report_id": problems["report_id"], "text": problems["text"]}
        )
        matrix = lgk.similarity_matrix(table, analyzer="char")
        owner = dict(zip(ids, problems["report_id"], strict=True))
        best, near, pairs = None, 0, 0
        for i, a in enumerate(matrix.index):
            for j in range(i + 1, len(matrix)):
                b = matrix.index[j]
                if owner[a] == owner[b]:
                    continue
                value = float(matrix.iloc[i, j])
                pairs += 1
                near += value >= 0.8
                if best is None or value > best[0] + 1e-12:
                    best = (value, a, b)
        value, a, b = best

        def name(i):
            return f"{labels[owner[i]]} #{i.rsplit('#', 1)[1]}"

        return {
            "s": round(value, 3),
            "a": name(a),
            "b": name(b),
            "k": near,
            "m": pairs,
            "t": 0.8,
        }
    if key == "03.plan_response":
        response = lgk.plan_response(corpus)
        return {
            "p": len(response),
            "mean": round(response["similarity"].mean(), 3),
            "span": [
                round(response["similarity"].min(), 3),
                round(response["similarity"].max(), 3),
            ],
            "u": int(response["plan_n"].isna().sum()),
        }
    if key in {"04.report", "04.problems", "04.plans"}:
        unit = key.split(".")[1]
        matrix = lgk.similarity_matrix(corpus, unit=unit)
        if len(matrix) < 2:
            return None
        pairs = off_diagonal(matrix)
        top = similar_pairs(matrix, n=1).iloc[0]
        return {
            "n": len(matrix),
            "unit": unit,
            "m": len(pairs),
            "left": n - len(matrix),
            "span": [round(pairs.min(), 3), round(pairs.max(), 3)],
            "mean": round(pairs.mean(), 3),
            "a": labels[top.a],
            "b": labels[top.b],
            "s": round(top.similarity, 3),
            "k": int((pairs >= 0.9).sum()),
            "t": 0.9,
        }
    if key == "04.units":
        means = {}
        for name, kwargs in {
            "r": {"unit": "report"},
            "o": {"unit": "report", "tokenizer": lgk.Tokenizer(officialese=True)},
            "p": {"unit": "problems"},
            "pl": {"unit": "plans"},
        }.items():
            matrix = lgk.similarity_matrix(corpus, **kwargs)
            if len(matrix) < 2:
                return None
            means[name] = round(off_diagonal(matrix).mean(), 3)
        return means
    if key == "02.kwic":
        return {"term": values["term"], "k": len(lgk.kwic(corpus, values["term"], window=14))}
    if key == "03.formulas":
        from lawgovkit.problems import problem_data

        stock = "|".join(f"(?:{p})" for p in problem_data()["generic_patterns"])
        lines = lgk.kwic(corpus, stock, regex=True, role="problems", window=14)
        return {"k": len(lines), "r": lines["report_id"].nunique(), "m": min(len(lines), 30)}
    if key.startswith("05."):
        return expected_reuse(key, run)
    return expected_over_time(key, run)


MIN_CHARS = 15  # notebook 05's parameter


def expected_reuse(key: str, run: Run) -> dict | None:
    from lawgovkit.reuse import boilerplate_reports

    corpus, labels, n = run.corpus, run.labels, len(run.corpus)
    if n < 2:
        return None
    if key == "05.basis":
        return {"c": MIN_CHARS, "b": boilerplate_reports(n), "n": n}
    passages = lgk.shared_passages(corpus, min_chars=MIN_CHARS)
    summary = lgk.reuse_summary(corpus, min_chars=MIN_CHARS)
    whole = summary[summary["role"] == "all"].set_index("report_id")
    if key == "05.passages":
        if passages.empty:
            return {"n": n, "c": MIN_CHARS}
        one = passages.drop_duplicates("passage_id").set_index("passage_id").sort_index()
        widest = one[one["n_reports"] == one["n_reports"].max()].iloc[0]
        return {
            "k": len(one),
            "n": n,
            "b": int((one["kind"] == "boilerplate").sum()),
            "s": int((one["kind"] == "shared").sum()),
            "m": int(widest["n_reports"]),
            "c": int(widest["n_chars"]),
            "longest": int(one["n_chars"].max()),
        }
    if key == "05.shares":
        most = whole["shared"].idxmax()
        return {
            "med": pct(whole["shared"].median()),
            "b": pct(whole["boilerplate"].median()),
            "name": labels[most],
            "hi": pct(whole.loc[most, "shared"]),
            "n": len(whole),
        }
    if key == "05.matrix":
        matrix = lgk.reuse_matrix(corpus, min_chars=MIN_CHARS)
        best = None
        for a in sorted(matrix.index):
            for b in sorted(matrix.columns):
                if a != b and (best is None or matrix.loc[a, b] > best[0]):
                    best = (float(matrix.loc[a, b]), a, b)
        return {"s": pct(best[0]), "a": labels[best[1]], "b": labels[best[2]]}
    if key == "05.roles":
        parts = summary[summary["role"] != "all"].groupby("role")
        shared, reports = parts["shared"].mean(), parts["report_id"].nunique()
        if not {"problems", "achievements"} <= set(shared.index):
            return None
        return {
            "p": pct(shared["problems"]),
            "a": pct(shared["achievements"]),
            "k": int(reports["problems"]),
        }
    if key == "05.previous":
        followed = whole["from_previous"][whole["previous_id"].notna()]
        if followed.empty:
            return None
        return {
            "k": len(followed),
            "med": pct(followed.median()),
            "span": [pct(followed.min()), pct(followed.max())],
        }
    raise AssertionError(f"no expectation for the finding {key!r}: add one to this test")


def expected_over_time(key: str, run: Run) -> dict | None:
    from lawgovkit.panels import PLANS_FOLLOWED_THRESHOLD, RECURRING_THRESHOLD

    corpus, n = run.corpus, len(run.corpus)
    panel = lgk.panel(corpus)
    years = panel[panel["status"] == "report"].groupby(["jurisdiction", "body"])["report_year"]
    series = years.nunique()
    long_places = int((series >= 2).sum())
    if key == "06.panel":
        if series.empty:
            return None
        if not long_places:
            return {"m": len(series)}
        gaps = int((panel["status"] == "gap").sum())
        return {"k": long_places, "m": len(series), "longest": int(series.max()), "g": gaps}
    if key == "06.recurring":
        labels = lgk.recurring_problems(corpus)["label"]
        compared = labels[labels.isin(["new", "recurring"])]
        if not long_places or compared.empty:
            return None
        r = int((compared == "recurring").sum())
        return {"r": r, "c": len(compared), "s": pct(r / len(compared)), "t": RECURRING_THRESHOLD}
    if key == "06.followed":
        followed = lgk.plans_followed(corpus)["followed"]
        known = followed.dropna().astype(bool)
        if not long_places or known.empty:
            return None
        return {
            "f": int(known.sum()),
            "k": len(known),
            "s": pct(known.mean()),
            "t": PLANS_FOLLOWED_THRESHOLD,
            "u": int(followed.isna().sum()),
        }
    if key == "06.claims":
        claims = corpus.claims
        kinds = claims["kind"].value_counts()
        return {
            "q": len(claims),
            "r": claims["report_id"].nunique(),
            "n": n,
            "lv": int(kinds.get("level", 0)),
            "ch": int(kinds.get("change", 0)),
            "tg": int(kinds.get("target", 0)),
            "i": int(claims["indicator_name"].notna().sum()),
        }
    if key == "06.indicator":
        table = lgk.indicator_table(corpus).drop(columns=["jurisdiction", "body", "report_year"])
        stated = table.notna().sum()
        if stated.empty or stated.max() == 0:
            return None
        first = next(c for c in table.columns if stated[c] == stated.max())
        k, m = int(stated.max()), int((stated > 0).sum())
        return {"name": first, "k": k, "n": len(table), "m": m}
    if key == "06.timeliness":
        status = lgk.timeliness(corpus)["status"]
        return {
            "k": int(status.isin(["on_time", "late"]).sum()),
            "n": len(status),
            "o": int((status == "on_time").sum()),
            "l": int((status == "late").sum()),
            "u": int((status == "unknown").sum()),
        }
    raise AssertionError(f"no expectation for the finding {key!r}: add one to this test")


def test_every_notebook_ran_and_kept_its_outputs(run):
    assert sorted(run.notebooks) == [p.stem for p in find_notebooks()]


def test_every_stated_number_is_a_value_the_finding_records(run):
    for name, notebook in run.notebooks.items():
        for text, record in stated_findings(notebook):
            plain = re.sub(r"`[^`]*`", "", text)  # option names such as --include-all
            recorded = numbers_in(record["values"])
            for number in NUMBER.findall(plain):
                value = float(number.replace(",", ""))
                assert any(abs(value - r) < 1e-9 for r in recorded), (name, number, text)


def test_every_finding_agrees_with_the_value_computed_here(run):
    checked = 0
    for name, notebook in run.notebooks.items():
        for text, record in stated_findings(notebook):
            key = record["key"]
            if run.name == "dataset" and NEEDS_TEXTS.match(key):
                assert not record["computable"] and NO_REPORT_TEXTS in text, (key, text)
                continue
            expected = expected_finding(key, record["values"], run)
            if expected is None:
                assert not record["computable"], (name, key, text)
                continue
            assert record["computable"], (name, key, text)
            for field, value in expected.items():
                if field not in record["values"]:
                    assert value in (0, [], ""), (run.name, key, field, value, text)
                    continue
                stated = record["values"][field]
                places = (
                    1
                    if field in {"a", "p", "pl", "span"}
                    and key in {"01.roles", "02.top_theme", "03.candour"}
                    else 3
                )
                assert close(stated, value, places), (run.name, key, field, stated, value, text)
            checked += 1
    assert checked >= 20


def test_the_findings_that_cannot_be_computed_say_so(run):
    for notebook in run.notebooks.values():
        for text, record in stated_findings(notebook):
            if not record["computable"]:
                assert "cannot be computed on this corpus:" in text


def visible_text(page: str) -> str:
    page = re.sub(r"<style.*?</style>", "", page, flags=re.S)
    page = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", "", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_no_page_names_the_seeds_unless_the_corpus_is_the_seeds(run):
    for page in run.out.glob("*.html"):
        text = visible_text(page.read_text(encoding="utf-8"))
        if run.name != "seeds":
            assert "seed" not in text.lower(), page.name
        assert "Traceback" not in text and "Warning" not in text, page.name
        assert str(run.folder.parent) not in text, page.name


def test_one_mark_for_a_missing_value(run):
    for page in [*run.out.glob("[0-9][0-9]_*.html"), run.out / "index.html"]:
        text = visible_text(page.read_text(encoding="utf-8"))
        assert not re.search(r"\b(?:NaN|nan|NaT|None)\b|<NA>", text), page.name


def test_code_is_hidden_and_the_scope_is_stated(run):
    for page in run.out.glob("[0-9][0-9]_*.html"):
        text = visible_text(page.read_text(encoding="utf-8"))
        assert "import lawgovkit" not in text and "load_corpus(" not in text, page.name
        assert "Analysed:" in text, page.name
    index = visible_text((run.out / "index.html").read_text(encoding="utf-8"))
    assert f"{len(run.corpus)} of the {len(run.loaded)} reports read are analysed" in index


def test_flagged_inputs_are_listed_on_the_index_and_in_01(run):
    index = visible_text((run.out / "index.html").read_text(encoding="utf-8"))
    overview = visible_text((run.out / "01_corpus_overview.html").read_text(encoding="utf-8"))
    flagged = [Path(run.loaded.reports.at[r, "path"]).name for r in run.left_out]
    flagged += [Path(p).name for p in run.loaded.skipped["path"]]
    for name in flagged:
        assert name in index and name in overview, name
    if run.name == "mixed":
        assert {"江夏区网页版.html", "东昌府区 副本.txt", "书画展新闻.txt", "扫描件.txt"} <= set(
            flagged
        )


# Tables --------------------------------------------------------------------------------


def flat(table: pd.DataFrame) -> pd.DataFrame:
    from lawgovkit.notebook_setup import _flat

    return same_missing(_flat(table).reset_index(drop=True))


def same_missing(table: pd.DataFrame) -> pd.DataFrame:
    """Text columns as objects with None for a missing value (Parquet gives NaN or None)."""
    table = table.copy()
    for column in table.columns:
        values = table[column]
        if not (
            pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values)
        ):
            values = values.astype(object)
            table[column] = values.where(values.notna(), None)
    return table


def expected_tables(run: Run) -> dict[str, pd.DataFrame]:
    from lawgovkit.similarity import similar_pairs

    corpus = run.corpus
    tables = {name: getattr(corpus, name) for name in ("reports", "sections", "problems", "plans")}
    tables["theme_coverage"] = lgk.theme_coverage(corpus)
    tables["candour"] = lgk.candour(corpus).sort_index()
    tables["plan_response"] = (
        lgk.plan_response(corpus)
        .sort_values(["report_id", "problem_n"], kind="stable")
        .reset_index(drop=True)
    )
    similarity = lgk.similarity_matrix(corpus, unit="report")
    tables["similarity"] = similarity
    terms = lgk.distinctive_terms(corpus, by="report", n=10)
    tables["distinctive_terms"] = terms.sort_values(
        ["group", "g2", "term"], ascending=[True, False, True], kind="stable"
    ).reset_index(drop=True)
    matrices = {
        "report": similarity,
        "report, officialese dropped": lgk.similarity_matrix(
            corpus, unit="report", tokenizer=lgk.Tokenizer(officialese=True)
        ),
        "problems": lgk.similarity_matrix(corpus, unit="problems"),
        "plans": lgk.similarity_matrix(corpus, unit="plans"),
    }
    tables["closest_pairs"] = pd.concat(
        [similar_pairs(m, n=5).assign(unit=u) for u, m in matrices.items() if len(m) >= 2],
        ignore_index=True,
    )[["unit", "a", "b", "similarity"]]
    # notebook 06
    for name in ("panel", "recurring_problems", "plans_followed", "timeliness"):
        tables[name] = getattr(lgk, name)(corpus)
    tables["timeliness_summary"] = lgk.timeliness_summary(tables["timeliness"])
    if run.name == "dataset":
        return tables  # the tables of NEEDS_REPORTS cannot be computed from a dataset
    tables["claims"] = corpus.claims
    tables["indicators"] = lgk.indicator_table(corpus)
    # notebook 05
    tables["passages"] = lgk.shared_passages(corpus, min_chars=MIN_CHARS)
    tables["reuse"] = lgk.reuse_summary(corpus, min_chars=MIN_CHARS)
    tables["reuse_matrix"] = lgk.reuse_matrix(corpus, min_chars=MIN_CHARS)
    return tables


REQUIRED_TABLES = set(TABLE_ORDER)


def test_every_result_table_is_written_as_csv_and_parquet_and_listed(run):
    tables = run.out / "tables"
    index = visible_text((run.out / "index.html").read_text(encoding="utf-8"))
    required = REQUIRED_TABLES - set(NEEDS_REPORTS) if run.name == "dataset" else REQUIRED_TABLES
    for name in required:
        for ext in ("csv", "parquet"):
            assert (tables / f"{name}.{ext}").is_file(), f"{name}.{ext}"
        rows = len(pd.read_parquet(tables / f"{name}.parquet"))
        assert f"{name} ({rows} row" in index, name
    if run.name == "dataset":
        assert not any((tables / f"{name}.parquet").exists() for name in NEEDS_REPORTS)
        assert all(name in index for name in NEEDS_REPORTS), "the index says what is missing"


def test_each_table_read_back_equals_the_library_call(run):
    tables = run.out / "tables"
    for name, expected in expected_tables(run).items():
        expected = flat(expected)
        parquet = same_missing(pd.read_parquet(tables / f"{name}.parquet"))
        pd.testing.assert_frame_equal(
            parquet, expected, check_dtype=False, check_index_type=False, obj=name
        )
        csv = pd.read_csv(tables / f"{name}.csv", encoding="utf-8-sig")
        assert list(csv.columns) == list(expected.columns), name
        assert len(csv) == len(expected), name
        for column in expected.columns:
            if pd.api.types.is_float_dtype(expected[column]):
                np.testing.assert_allclose(
                    csv[column].to_numpy(float), expected[column].to_numpy(float), rtol=1e-9
                )


def test_the_framing_table_holds_each_focus_themes_pairs(run):
    from lawgovkit.similarity import similar_pairs

    framing = pd.read_parquet(run.out / "tables" / "framing.parquet")
    coverage = lgk.theme_coverage(run.corpus)
    for theme, rows in framing.groupby("theme"):
        subset = lgk.Corpus([run.corpus[i] for i in coverage.index if coverage.loc[i, theme] > 0])
        matrix = lgk.compare_framing(subset, theme, n=8).similarity
        expected = similar_pairs(matrix, n=len(matrix) ** 2)
        got = rows[["a", "b", "similarity"]].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected.reset_index(drop=True), check_dtype=False)


def test_stata_files_when_asked(run):
    dta = sorted((run.out / "tables").glob("*.dta"))
    if run.name != "two":
        assert dta == []
        return
    assert {p.stem for p in dta} >= REQUIRED_TABLES
    for path in dta:
        stata = pd.read_stata(path)
        parquet = pd.read_parquet(path.with_suffix(".parquet"))
        assert stata.shape == parquet.shape, path.name


# Figures -------------------------------------------------------------------------------


def test_figures_are_saved_as_png_at_300_dpi_and_svg_with_a_caption(run):
    from PIL import Image

    figures = run.out / "figures"
    pngs = sorted(figures.glob("*.png"))
    assert len(pngs) >= 5
    for png in pngs:
        assert png.with_suffix(".svg").is_file(), png.name
        with Image.open(png) as image:
            assert round(image.info["dpi"][0]) == 300, png.name
        assert "lawgovkit-caption" in png.with_suffix(".svg").read_text(encoding="utf-8")
