"""The repository's packaging: dependencies declared alike for pip and conda, seeds intact."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_PATHS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")

# conda-forge names that differ from PyPI's (none so far)
CONDA_TO_PYPI: dict[str, str] = {}
NOT_PACKAGES = {"python", "pip", "-e"}


def _name(requirement: str) -> str:
    name = re.split(r"[\s<>=!~;\[]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_dependencies(text: str) -> set[str]:
    """Every third-party distribution pyproject names, runtime and extras (not itself)."""
    project = tomllib.loads(text)["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    names = {_name(r) for r in requirements}
    names.discard(_name(project["name"]))
    return names


def environment_dependencies(text: str) -> set[str]:
    """Every package environment.yml names, conda and pip sections alike."""
    names = set()
    _, _, dependencies = text.partition("\ndependencies:")
    for line in dependencies.splitlines():
        match = re.match(r"^\s*-\s+([^#\s][^#]*)", line)
        if not match or match.group(1).strip().endswith(":"):
            continue
        requirement = match.group(1).strip()
        if requirement.startswith("-e") or requirement.startswith("pip:"):
            continue
        name = _name(CONDA_TO_PYPI.get(_name(requirement), requirement))
        if name not in NOT_PACKAGES:
            names.add(name)
    return names


def drift(pyproject_text: str, environment_text: str) -> tuple[set[str], set[str]]:
    """(only in pyproject, only in environment.yml)."""
    ours = pyproject_dependencies(pyproject_text)
    theirs = environment_dependencies(environment_text)
    return ours - theirs, theirs - ours


def test_pyproject_and_environment_name_the_same_dependencies():
    only_pyproject, only_environment = drift(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"),
        (ROOT / "environment.yml").read_text(encoding="utf-8"),
    )
    assert not only_pyproject, f"in pyproject.toml but not environment.yml: {only_pyproject}"
    assert not only_environment, f"in environment.yml but not pyproject.toml: {only_environment}"


@pytest.mark.parametrize("where", ["pyproject", "environment"])
def test_drift_check_catches_a_dependency_added_to_one_file_only(where):
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    environment = (ROOT / "environment.yml").read_text(encoding="utf-8")
    if where == "pyproject":
        pyproject = pyproject.replace('"jieba>=0.42",', '"jieba>=0.42",\n    "lxml>=5",')
        assert drift(pyproject, environment) == ({"lxml"}, set())
    else:
        environment = environment.replace("  - jieba>=0.42\n", "  - jieba>=0.42\n  - lxml>=5\n")
        assert drift(pyproject, environment) == (set(), {"lxml"})


def test_seeds_are_byte_identical_to_shared_seeds():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    theirs = sorted(p.name for p in shared.iterdir() if p.is_file())
    assert [p.name for p in SEED_PATHS] == theirs
    for path in SEED_PATHS:
        assert path.read_bytes() == (shared / path.name).read_bytes(), path.name


def test_package_ships_type_marker_and_data():
    import lawgovkit

    package = Path(lawgovkit.__file__).parent
    assert (package / "py.typed").is_file()
    assert (package / "data").is_dir()
