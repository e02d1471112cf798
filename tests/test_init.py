"""The front door: every public name resolves, and importing the package stays light."""

from __future__ import annotations

import subprocess
import sys

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
