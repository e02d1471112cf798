"""The front door: every public name resolves, and importing the package stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import lawgovkit as lgk


@pytest.mark.parametrize("name", lgk.__all__)
def test_every_public_name_resolves(name):
    assert getattr(lgk, name) is not None


def test_lazy_table_and_all_agree():
    assert set(lgk._PUBLIC) | set(lgk._SUBMODULES) | {"__version__"} == set(lgk.__all__)


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        lgk.nonsense  # noqa: B018


def test_import_does_not_load_heavy_libraries():
    code = (
        "import sys, lawgovkit; "
        "print(sorted(m for m in ('sklearn', 'jieba', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_public_function_is_shadowed_by_a_submodule():
    """Importing a submodule sets it as an attribute of the package: a module named like a
    public function (``lawgovkit/candour.py`` once was) would replace ``lgk.candour``."""
    import pkgutil

    modules = {info.name for info in pkgutil.iter_modules(lgk.__path__)}
    assert not (set(lgk._PUBLIC) & modules)


def test_public_functions_stay_callable_after_the_corpus_tables_are_built():
    code = (
        "import lawgovkit as lgk; corpus = lgk.load_corpus('seeds'); corpus.problems; "
        "corpus.plans; print(len(lgk.candour(corpus)), len(lgk.plan_response(corpus)))"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert out.stdout.split() == ["5", "16"]
