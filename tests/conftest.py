"""Shared fixtures for the whole test suite."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

#: public real-world files (see its SOURCES.md), next to the repository, not inside it
REALWORLD_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "realworld"


def realworld_path(name: str) -> Path:
    """The path of ``../shared/realworld/<name>``; skips the test when the folder is absent."""
    if not REALWORLD_DIR.is_dir():
        pytest.skip("../shared/realworld not present (runs in CI and dev sessions)")
    return REALWORLD_DIR / name


@pytest.fixture
def realworld() -> Callable[[str], Path]:
    """``realworld("pmo_planning.xlsx")`` -> Path of that file in ``../shared/realworld``."""
    return realworld_path


@pytest.fixture(autouse=True, scope="session")
def _session_store(tmp_path_factory):
    """Every test that does not choose its own store gets one of the session, seeded from the
    sample, never the developer's var/tracker.sqlite."""
    import os

    if "TRACKER_DB" in os.environ:
        yield
        return
    os.environ["TRACKER_DB"] = str(tmp_path_factory.mktemp("store") / "tracker.sqlite")
    try:
        yield
    finally:
        os.environ.pop("TRACKER_DB", None)


@pytest.fixture(scope="session")
def postgres_server():
    """A throw-away PostgreSQL server for the session (``tests.postgres``), stopped at the end."""
    from tests.postgres import ThrowAwayPostgres

    server = ThrowAwayPostgres()
    try:
        yield server
    finally:
        server.stop()
