"""Helpers of the store tests that read or change the database behind the store's back, with
the engine's own driver (sqlite3, psycopg), whatever the engine of the test (``db`` is a SQLite
path or a PostgreSQL URL)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import psycopg

from store.snapshots import is_server_url

#: the store's tables of snapshots, each counted by ``counts``: the rows of schemas 1-3 and the
#: Arrow batches of schema 4
SNAPSHOT_TABLES = (
    "snapshots",
    "snapshot_files",
    "snapshot_tables",
    "snapshot_rows",
    "snapshot_batches",
)
#: what either driver raises when a constraint refuses a row
INTEGRITY_ERRORS = (sqlite3.IntegrityError, psycopg.IntegrityError)


def raw_execute(db: Path | str, sql: str, params: tuple = ()) -> list[tuple[Any, ...]]:
    """One statement with ``?`` placeholders, committed, with the driver of ``db``'s engine;
    the rows it returns."""
    if is_server_url(db):
        with psycopg.connect(str(db), autocommit=True) as con:
            cursor = con.execute(sql.replace("?", "%s"), params or None)
            return list(cursor.fetchall()) if cursor.description else []
    with sqlite3.connect(db) as con:
        return list(con.execute(sql, params).fetchall())


def counts(db: Path | str) -> dict[str, int]:
    """Rows of every snapshot table of the database, read with the engine's plain driver."""
    return {
        table: raw_execute(db, f"SELECT count(*) FROM {table}")[0][0] for table in SNAPSHOT_TABLES
    }
