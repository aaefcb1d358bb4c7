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
