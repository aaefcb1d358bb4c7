"""What every store test shares: no database or settings from the environment (a developer's
``TRACKER_DB`` must never receive test imports), a fresh SQLite file per test and a store on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.snapshots import SQLiteSnapshotStore


@pytest.fixture(autouse=True)
def _no_db_from_the_environment(monkeypatch):
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.delenv("TRACKER_PROJECT", raising=False)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "history.sqlite"


@pytest.fixture
def store(db) -> SQLiteSnapshotStore:
    return SQLiteSnapshotStore(db)
