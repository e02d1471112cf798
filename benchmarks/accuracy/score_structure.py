"""Structure accuracy: roles of the level-1 parts, the problems' boundaries, each problem
and each plan, scored against ``gold_structure.json``; and whole-corpus checks.

The gold keys each document by its file name and holds short key phrases only: the first
characters of a part's heading (or of the sentence where an unheaded part begins), of each
problem and of each plan. A predicted item matches a gold phrase when its text, stripped of
spaces and numbering, starts with the phrase.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from lawgovkit.sections import heading_role

KEY_CHARS = 8
FIELDS = ("part_roles", "parts", "problems_start", "problems_end", "problems", "plans")
_NOISE = re.compile(r"[\s\u3000*#>“”\"'‘’]+")
_MARKER = re.compile(
    r"^(?:第[一二三四五六七八九十]{1,3}(?:部分|章|篇)|[一二三四五六七八九十]{1,3}[、.．]"
    r"|[(（][一二三四五六七八九十0-9０-９]{1,3}[)）]|[0-9０-９]{1,2}[.．、]"
    r"|[一二三四五六七八九十]{1,3}是|——)"
)


def key(text: str | None) -> str:
    """The key phrase of a heading or statement: its first characters, marker dropped."""
    words = _NOISE.sub("", text or "")
    while True:
        stripped = _MARKER.sub("", words, count=1)
        if stripped == words:
            break
        words = stripped
    return words.strip(",，:：。;；、")[:KEY_CHARS]


def _top(structure) -> list:
    return [s for s in structure.sections if s.parent_id is None and s.role != "preamble"]


def _section_key(section) -> str:
    return key(section.heading if section.heading is not None else section.text)


def predicted(structure) -> dict:
    """The fields of one parsed structure, as the gold writes them."""
    parts = [[_section_key(s), s.role] for s in _top(structure)]
    problems = [s for s in structure.sections if s.role == "problems"]
    start = end = None
    if problems:
        first = problems[0]
        start = _section_key(first)
        later = [s for s in structure.sections if s.start >= problems[-1].end]
        nxt = next((s for s in later if s.role != "problems"), None)
        end = _section_key(nxt) if nxt is not None else "END"
    return {
        "parts": parts,
        "problems_start": start,
        "problems_end": end,
        "problems": [key(p.text) for p in structure.problems],
        "plans": [key(p.text) for p in structure.plans],
    }


def _matched(gold: list[str], found: list[str]) -> int:
    """How many gold phrases a found phrase matches, each used once, in order."""
    count, j = 0, 0
    for phrase in gold:
        for k in range(j, len(found)):
            if found[k].startswith(phrase) or (found[k] and phrase.startswith(found[k])):
                count, j = count + 1, k + 1
                break
    return count


def compare(gold: dict, found: dict) -> dict[str, tuple[int, int]]:
    """(n, correct) per field for one document."""
    out: dict[str, tuple[int, int]] = {}
    gold_parts, found_parts = gold["parts"], found["parts"]
    found_roles = dict((k, r) for k, r in found_parts)
    out["part_roles"] = (
        len(gold_parts),
        sum(1 for k, r in gold_parts if found_roles.get(k) == r),
    )
    keys = [k for k, _ in found_parts]
    out["parts"] = (
        max(len(gold_parts), len(found_parts)),
        _matched([k for k, _ in gold_parts], keys),
    )
    for field in ("problems_start", "problems_end"):
        want, got = gold[field], found[field]
        ok = want == got or (bool(want) and bool(got) and (got.startswith(want)))
        out[field] = (1, int(ok))
    for field in ("problems", "plans"):
        n = max(len(gold[field]), len(found[field]))
        out[field] = (n, _matched(gold[field], found[field]))
    return out


def score(reports: dict, gold_dir: Path) -> list[dict]:
    """Rows (field, n, correct, score) over the documents of the gold."""
    gold = json.loads((gold_dir / "gold_structure.json").read_text(encoding="utf-8"))
    totals = {field: [0, 0] for field in FIELDS}
    for name, fields in gold.items():
        if name.startswith("_") or name not in reports:
            continue
        for field, (n, correct) in compare(fields, predicted(reports[name].structure)).items():
            totals[field][0] += n
            totals[field][1] += correct
    return [
        {"field": f, "n": n, "correct": c, "score": round(c / n, 4) if n else 1.0}
        for f, (n, c) in totals.items()
    ]


def _plans_heading(structure, report) -> bool:
    year = report.meta.get("report_year")
    return any(
        s.heading and s.parent_id is None and heading_role(s.heading, s.level, year) == "plans"
        for s in structure.sections
    )


_SENTENCE = re.compile("[^。！？!?]*[。！？!?]")
# A statement that answers the problems (对此,我们将… / 我们一定…) or points back at them
# (这些问题,有的由来已久…), or a closing 等等, is not itself a problem. Written here, apart
# from the package's own data, so that the check does not test the rule with itself.
_RESPONSE = re.compile(
    r"^(?:对此|我们也?(?:将|要|一定|必须|会)(?!.{0,8}(?:看到|认识|意识))"
    r"|(?:对|面对|针对|对于)?(?:这些|上述|以上)[^,，。]{0,6}[,，]|等等?$)"
)


def _states_problems(structure) -> bool:
    """Whether a problems section says more than an admission's lead and response (two
    sentences: 「我们也清醒地认识到…面临的问题和挑战。我们将…认真解决。」 names none)."""
    sections = [s for s in structure.sections if s.role == "problems"]
    sentences = sum(len(_SENTENCE.findall(s.text[s.body_start - s.start :])) for s in sections)
    return any(s.heading for s in sections) or sentences > 2


def _first(structure, role: str) -> int | None:
    """Where the first top-level part (or a part split off one) of ``role`` begins."""
    return next(
        (
            s.start
            for s in structure.sections
            if s.role == role and (s.parent_id is None or s.section_id.endswith(f"#{role}"))
        ),
        None,
    )


def checks(reports: dict) -> list[dict]:
    """Whole-corpus checks that need no gold: every document with a plans heading has
    plans; the sections re-join to the text; every document whose problems sections say
    more than an admission's lead and response has problems; no section is empty; the
    problems begin before the plans (the review, the admission, then the coming work); no
    problem is the response to the problems or a closing 等等."""
    failing: dict[str, list[str]] = {
        "plans_heading_has_plans": [],
        "sections_rejoin_text": [],
        "problems_section_has_problems": [],
        "no_empty_section": [],
        "problems_before_plans": [],
        "no_problem_is_a_response": [],
    }
    for name, report in sorted(reports.items()):
        structure = report.structure
        if _plans_heading(structure, report) and not structure.plans:
            failing["plans_heading_has_plans"].append(name)
        if "".join(s.text for s in structure.sections) != report.text:
            failing["sections_rejoin_text"].append(name)
        if _states_problems(structure) and not structure.problems:
            failing["problems_section_has_problems"].append(name)
        if any(_RESPONSE.match(p.text) for p in structure.problems):
            failing["no_problem_is_a_response"].append(name)
        if any(s.start >= s.end for s in structure.sections):
            failing["no_empty_section"].append(name)
        starts = {role: _first(structure, role) for role in ("problems", "plans")}
        if None not in starts.values() and starts["problems"] > starts["plans"]:
            failing["problems_before_plans"].append(name)
    return [
        {"check": check, "n_docs": len(reports), "n_failing": len(names), "examples": names[:5]}
        for check, names in failing.items()
    ]
