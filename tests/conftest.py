"""Shared fixtures: the seed reports that ship with the repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_PATHS = sorted(SEEDS.glob("*.txt"))
SEED_IDS = [p.stem for p in SEED_PATHS]


def _corpora() -> Path:
    """The folder of development corpora: the one the variable ``LAWGOVKIT_CORPORA`` names,
    else ``../shared/corpora`` beside the checkout (or beside the folder of worktrees
    holding it). Never in the repository; CI has none, so the tests reading it skip."""
    named = os.environ.get("LAWGOVKIT_CORPORA")
    if named:
        return Path(named)
    beside = [base / "shared" / "corpora" for base in (ROOT.parent, ROOT.parent.parent)]
    return next((folder for folder in beside if folder.is_dir()), beside[0])


#: The development corpora and the 527 local government work reports among them.
CORPORA = _corpora()
DEV_CORPUS = CORPORA / "local-work-reports"


@pytest.fixture(autouse=True)
def _own_report_cache(tmp_path_factory, monkeypatch):
    """Every test gets an empty on-disk report cache of its own (LAWGOVKIT_CACHE), so the
    suite neither reads nor fills the machine's ~/.cache/lawgovkit, and no test sees
    another's entries (subprocesses inherit the variable)."""
    monkeypatch.setenv("LAWGOVKIT_CACHE", str(tmp_path_factory.mktemp("lawgovkit-cache")))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_corpus():
    """The five seeds loaded once per test session (read-only: do not mutate)."""
    import lawgovkit as lgk

    return lgk.load_corpus(SEEDS)


@pytest.fixture(autouse=True)
def _quiet_machine():
    """The parallel paths size themselves to the cores other work leaves free (issue 22):
    tests see a quiet machine, so what they assert does not depend on the load of the
    machine running them (tests of that sizing patch it themselves). Not through
    ``monkeypatch``, which a test may undo."""
    from lawgovkit import _parallel

    real = _parallel._others_running
    _parallel._others_running = lambda: 0
    yield
    _parallel._others_running = real


class StoredEntry:
    """One report entry of a cache folder's database, read and written whole as bytes (as
    a test would a file)."""

    def __init__(self, store, key: str) -> None:
        self.store, self.name = store, key

    def read_bytes(self) -> bytes:
        return self.store.get(self.name)

    def write_bytes(self, data: bytes) -> None:
        assert self.store.put(self.name, data)


def stored_entries(root: Path) -> list[StoredEntry]:
    """The report entries of the cache folder ``root``, by key."""
    from lawgovkit.cache import ReportCache

    store = ReportCache(root).entries
    return [StoredEntry(store, key) for key in store.all_keys()]
