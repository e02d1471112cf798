"""The package's import layers: every import points down the pipeline, and none go round.

The layers are declared once, here (docs/ARCHITECTURE.md explains them). A module may
import from its own layer or from any layer below; never from a layer above, and never
round a cycle (within a layer either). Every import counts: at the top of a module, inside
a function, or for type checkers only. A new module must be added to ``LAYERS``.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "lawgovkit"

#: From the ground up. Module names are relative to the package (``__init__`` is the front door).
LAYERS: dict[str, tuple[str, ...]] = {
    "ground": (
        "_backends",
        "_data",
        "_limits",
        "_matching",
        "_parallel",
        "_patterns",
        "_schema",
        "_spreadsheet",
        "_store",
        "_topk",
        "_version",
        "arrays",
        "association",
        "errors",
    ),
    "text": (
        "clean",
        "genre",
        "htmltext",
        "layout",
        "metadata",
        "office",
        "places",
        "quantities",
        "readers",
        "shingles",
        "source_text",
    ),
    "structure": (
        "enumerations",
        "headings",
        "indicators",
        "items",
        "role_rules",
        "sections",
        "sentences",
        "statements",
        "structure",
        "taxonomy",
    ),
    "documents": ("_cache_checks", "_inputs", "cache", "corpus", "duplicates", "parquet", "report"),
    "tokens": ("tokenize",),
    "comparison": (
        "_reuse_index",
        "collocation",
        "concordance",
        "dictionary",
        "distributed",
        "deadlines",
        "framing",
        "keyness",
        "panels",
        "problems",
        "reuse",
        "similarity",
        "term_counts",
        "term_filters",
        "tfidf",
        "tfidf_parts",
        "themes",
        "units",
    ),
    "output": (
        "__init__",
        "__main__",
        "cli",
        "cli_tables",
        "findings",
        "notebook_report",
        "notebook_run",
        "notebook_setup",
        "plot",
        "webfont",
    ),
}

#: Imports that still point up or round a cycle while issue 14 lands step by step; each
#: step removes its own, and the list must end empty.
NOT_YET: set[tuple[str, str]] = set()

#: Old module paths kept for this release: the module's ``__getattr__`` imports the name
#: from its new home when it is asked for (never at import time), so these are not edges.
SHIMS: dict[str, set[str]] = {"themes": {"framing"}}


def _layer_of() -> dict[str, int]:
    return {module: i for i, modules in enumerate(LAYERS.values()) for module in modules}


def _modules() -> list[str]:
    return sorted(path.stem for path in PACKAGE.glob("*.py"))


def _imports(module: str, *, shims: bool = False) -> set[str]:
    """The package's modules ``module`` imports, anywhere in its code; with ``shims``, only
    those its module-level ``__getattr__`` imports, else all others."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    getattr_nodes = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__"
    ]
    inside = {id(n) for node in getattr_nodes for n in ast.walk(node)}
    modules = set(_modules())
    found: set[str] = set()
    for node in ast.walk(tree):
        if (id(node) in inside) != shims:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x / from .x import y
                base = node.module or ""
                names = [f"lawgovkit.{base}".rstrip(".")]
                if not base:
                    names = [f"lawgovkit.{alias.name}" for alias in node.names]
            elif node.module == "lawgovkit":
                names = [
                    f"lawgovkit.{a.name}" if a.name in modules else "lawgovkit" for a in node.names
                ]
            else:
                names = [node.module or ""]
        else:
            continue
        for name in names:
            if name == "lawgovkit":
                found.add("__init__")
            elif name.startswith("lawgovkit."):
                found.add(name.split(".")[1])
    found.discard(module)
    return found


def _graph() -> dict[str, set[str]]:
    return {module: _imports(module) for module in _modules()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_module_is_in_a_layer():
    layer_of = _layer_of()
    missing = [m for m in _modules() if m not in layer_of]
    assert not missing, f"add these modules to LAYERS in tests/test_layers.py: {missing}"
    gone = sorted(set(layer_of) - set(_modules()))
    assert not gone, f"LAYERS names modules that do not exist: {gone}"


def test_every_import_points_down():
    layer_of = _layer_of()
    names = list(LAYERS)
    upward = sorted(
        (module, other)
        for module, imported in _graph().items()
        for other in imported
        if layer_of.get(other, -1) > layer_of.get(module, len(names))
    )
    wrong = [pair for pair in upward if pair not in NOT_YET]
    shown = [f"{a} ({names[layer_of[a]]}) imports {b} ({names[layer_of[b]]})" for a, b in wrong]
    assert not wrong, "imports pointing up a layer:\n" + "\n".join(shown)


def test_no_import_cycle():
    graph = _graph()
    for module, other in NOT_YET:
        graph[module].discard(other)
    assert _cycles(graph) == []


def test_shims_only_re_export():
    for module in _modules():
        assert _imports(module, shims=True) == SHIMS.get(module, set()), module


def test_the_exceptions_still_exist():
    """An exception that no longer holds is struck off the list (it only shrinks)."""
    graph = _graph()
    stale = sorted((a, b) for a, b in NOT_YET if b not in graph.get(a, ()))
    assert not stale, f"remove from NOT_YET: {stale}"


def test_the_walk_finds_cycles_and_every_kind_of_import():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
    assert "_version" in _imports("__init__")  # a top-level import
    assert "errors" in _imports("__init__")  # under TYPE_CHECKING
    assert "notebook_report" in _imports("cli")  # inside a function


def test_no_module_is_over_600_lines():
    """A module that grows past this is doing two things: split it by what it owns."""
    long = {
        path.name: n
        for path in PACKAGE.glob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert long == {}
