"""Helpers of the store tests that read the database behind the store's back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

#: the store's tables of snapshots, each counted by ``counts``
SNAPSHOT_TABLES = ("snapshots", "snapshot_files", "snapshot_tables", "snapshot_rows")


def counts(db: Path) -> dict[str, int]:
    """Rows of every snapshot table of the database, read with plain sqlite3."""
    with sqlite3.connect(db) as con:
        return {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in SNAPSHOT_TABLES
        }
