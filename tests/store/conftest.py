"""What every store test shares: no database or settings from the environment (a developer's
``TRACKER_DB`` must never receive test imports), and a fresh database per test on **each
engine**: ``db`` is a SQLite file's path, then the URL of a fresh database on the throw-away
PostgreSQL server of the session (``tests.postgres``); ``store`` is the store on it. A test
about SQLite files themselves (damage, WAL, permissions) asks for ``sqlite_db`` instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.snapshots import SnapshotStore, open_store_at

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(autouse=True)
def _no_db_from_the_environment(monkeypatch):
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.delenv("TRACKER_PROJECT", raising=False)


@pytest.fixture
def sqlite_db(tmp_path) -> Path:
    return tmp_path / "history.sqlite"


@pytest.fixture(params=ENGINES)
def db(request, tmp_path):
    """The database of the test: a SQLite file's path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        yield tmp_path / "history.sqlite"
        return
    server = request.getfixturevalue("postgres_server")
    url = server.new_database()
    try:
        yield url
    finally:
        server.drop_database(url)


@pytest.fixture
def store(db) -> SnapshotStore:
    opened = open_store_at(db)
    yield opened
    dispose = getattr(opened, "dispose", None)
    if dispose is not None:
        dispose()
