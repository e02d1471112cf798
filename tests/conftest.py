"""Shared fixtures: the seed reports that ship with the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_PATHS = sorted(SEEDS.glob("*.txt"))
SEED_IDS = [p.stem for p in SEED_PATHS]


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_corpus():
    """The five seeds loaded once per test session (read-only: do not mutate)."""
    import lawgovkit as lgk

    return lgk.load_corpus(SEEDS)
