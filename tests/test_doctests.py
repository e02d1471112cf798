"""The one runner of every module's docstring examples (numpydoc ``Examples``).

Each module of the package is a case; an example must pass and must not warn. A module
without examples passes (there is nothing to run), so a new module needs no entry here.
"""

from __future__ import annotations

import doctest
import importlib
import warnings
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lawgovkit"
MODULES = sorted(
    f"lawgovkit.{path.stem}" if path.stem != "__init__" else "lawgovkit"
    for path in PACKAGE.glob("*.py")
    if path.stem != "__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an example must not warn
        result = doctest.testmod(
            module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, report=True
        )
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed"


def test_the_runner_sees_every_module():
    assert "lawgovkit.structure" in MODULES and "lawgovkit._store" in MODULES
    assert len(MODULES) == len(list(PACKAGE.glob("*.py"))) - 1
