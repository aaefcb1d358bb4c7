"""The snapshot history on a PostgreSQL server, for several app servers sharing one database.

``TRACKER_DB=postgresql://user:password@host:5432/tracker`` (or ``postgres://``, or a Unix
socket: ``postgresql://tracker@/tracker?host=/run/postgresql``) opens this store instead of the
SQLite file; every promise of ``store.snapshots`` holds the same way, through the same code
(``SQLSnapshotStore``: the queries are written once, with ``?`` placeholders):

* an import stores all its rows or none: one transaction, rolled back on any failure, and a
  killed process or a dropped connection leaves the previous state (the server aborts an
  uncommitted transaction);
* identical bytes are recognised: the duplicate check runs inside the writer's transaction,
  backed by the same partial UNIQUE index as SQLite's;
* two imports at once both land, in a defined order: a writer takes a transaction-level
  advisory lock (``pg_advisory_xact_lock``) before it checks and writes, so writers follow
  one another (ids and import times in the order they got the lock) and readers never wait;
* one consistent read per snapshot: ``REPEATABLE READ``.

The schema is the SQLite one in PostgreSQL's types (ids numbered under the writers' lock, as
SQLite numbers them; the file's bytes and the tables' Arrow batches in ``bytea``), with its
version in ``store_schema``; a database holding other tables, or written by a newer version, is
refused before anything is written, as a SQLite file is. Connections come from a SQLAlchemy pool (``pool_pre_ping``: a connection the server closed
is replaced, not handed out); SQLAlchemy also parses the URL and prints it without its
password, which is how every message names the database. The queries go to psycopg 3 directly.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.errors import UniqueViolation
from psycopg.pq import TransactionStatus
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from store.audit import POSTGRES_V3
from store.snapshots import (
    _SCHEMA,
    _TABLES,
    SCHEMA_VERSION,
    SNAPSHOT_BATCHES_TABLE,
    TABLES_OF_VERSION,
    CorruptStoreError,
    SQLSnapshotStore,
    StoreAccessError,
    StoreError,
)

logger = logging.getLogger(__name__)

#: the advisory lock every writer takes (any constant shared by the app's processes)
WRITER_LOCK = 7_300_2027
#: seconds a statement may wait for a lock or run before it is cancelled
STATEMENT_TIMEOUT_S = 120
CONNECT_TIMEOUT_S = 10

#: the Arrow batches of schema 4 (``store.snapshots``) in PostgreSQL's types. Their data is
#: compressed already: kept out of line as it is (``EXTERNAL``), not compressed again by TOAST
POSTGRES_V4 = [
    SNAPSHOT_BATCHES_TABLE.replace("snapshot_id INTEGER", "snapshot_id BIGINT").replace(
        "BLOB", "BYTEA"
    ),
    "ALTER TABLE snapshot_batches ALTER COLUMN data SET STORAGE EXTERNAL",
]
#: PostgreSQL's statements from one version to the next (``_PG_SCHEMA`` is version 2)
POSTGRES_MIGRATIONS = {3: POSTGRES_V3, 4: POSTGRES_V4}

_PG_SCHEMA = (
    _SCHEMA.replace(
        "id            INTEGER PRIMARY KEY AUTOINCREMENT",
        "id            BIGINT PRIMARY KEY",
    )
    .replace("snapshot_id INTEGER", "snapshot_id BIGINT")
    .replace("snapshot_id   INTEGER", "snapshot_id   BIGINT")
    .replace("BLOB", "BYTEA")
    .replace(") WITHOUT ROWID;", ");")
    + """;
CREATE TABLE IF NOT EXISTS store_schema (
    version INTEGER NOT NULL
)"""
)


def _driver_url(url: str) -> str:
    """The URL with SQLAlchemy's psycopg 3 driver named (``postgresql+psycopg://``; the
    schemes are ``SERVER_URL_SCHEMES``)."""
    return re.sub(r"^(postgres|postgresql)(\+psycopg)?://", "postgresql+psycopg://", url.strip())


def _pg_sql(sql: str) -> str:
    """``?`` placeholders (sqlite3's, used by the shared queries) as psycopg's ``%s``."""
    return sql.replace("?", "%s")


class _Connection:
    """A psycopg connection speaking like sqlite3's: ``execute`` / ``executemany`` with ``?``
    placeholders, ``in_transaction``."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Any = None) -> Any:
        return self.raw.execute(_pg_sql(sql), tuple(params) if params is not None else None)

    def executemany(self, sql: str, rows: Any) -> None:
        with self.raw.cursor() as cursor:
            cursor.executemany(_pg_sql(sql), rows)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE


class PostgresSnapshotStore(SQLSnapshotStore):
    """The history in a PostgreSQL database (see the module docstring). Opening it checks
    the server is reachable, the schema is ours and complete, and creates it in an empty
    database; any failure is a ``StoreError`` naming the database without its password."""

    def __init__(self, url: str, *, pool_size: int = 4) -> None:
        try:
            parsed = make_url(_driver_url(url))
        except Exception as error:  # sqlalchemy.exc.ArgumentError: not a URL at all
            raise StoreAccessError("store_safety.error.bad_url", db=url.split("@")[-1]) from error
        self.url = parsed
        self._label = parsed.render_as_string(hide_password=True)
        self.engine = create_engine(
            parsed,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
            isolation_level="AUTOCOMMIT",  # BEGIN … COMMIT written out, as with SQLite
            connect_args={
                "connect_timeout": CONNECT_TIMEOUT_S,
                "options": f"-c statement_timeout={STATEMENT_TIMEOUT_S * 1000}",
                "application_name": "tracker",
            },
        )
        self._create_schema()

    def __repr__(self) -> str:
        return f"PostgresSnapshotStore({self._label!r})"

    @property
    def label(self) -> str:  # type: ignore[override]
        return self._label

    def dispose(self) -> None:
        """Closes the pooled connections (a test dropping its database, a server stopping)."""
        self.engine.dispose()

    # the engine's side of SQLSnapshotStore -------------------------------------------------------

    _duplicate_errors = (UniqueViolation,)

    @contextmanager
    def _connect(self) -> Iterator[_Connection]:
        try:
            pooled = self.engine.raw_connection()
        except Exception as error:
            raise _store_error(error, self._label) from error
        try:
            yield _Connection(pooled.driver_connection)
        except psycopg.Error as error:
            pooled.invalidate()  # a broken connection never goes back to the pool
            raise _store_error(error, self._label) from error
        finally:
            pooled.close()

    @contextmanager
    def _transaction(self, con: _Connection, mode: str = "") -> Iterator[None]:
        """``"IMMEDIATE"``: a writer, after every other writer (the advisory lock, released at
        COMMIT or ROLLBACK); otherwise one consistent read."""
        if mode == "IMMEDIATE":
            begin = [("BEGIN", ()), ("SELECT pg_advisory_xact_lock(?)", (WRITER_LOCK,))]
        else:
            begin = [("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", ())]
        with self._committed(con, begin, psycopg.Error):
            yield

    @staticmethod
    def _insert_id(con: _Connection, sql: str, params: tuple) -> int:
        """The next snapshot id is the largest so far plus one, taken under the writers' lock:
        a rolled-back import leaves no gap (a sequence would: PostgreSQL never gives a
        sequence's value back), and ids are never reused since no snapshot is ever deleted;
        the numbers follow SQLite's ``AUTOINCREMENT`` exactly."""
        numbered = sql.replace("INSERT INTO snapshots (", "INSERT INTO snapshots (id, ", 1).replace(
            "VALUES (", "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM snapshots), ", 1
        )
        return int(con.execute(numbered + " RETURNING id", params).fetchone()[0])

    @staticmethod
    def _fetch_blobs(con: _Connection, sql: str, params: tuple) -> list[tuple]:
        """In PostgreSQL's binary format: each ``bytea`` as its bytes, not as hexadecimal text
        to decode (the batches of a 100 000-row ledger: 6 ms instead of 36)."""
        return con.raw.execute(_pg_sql(sql), tuple(params), binary=True).fetchall()

    @staticmethod
    def _insert_rows(con: _Connection, rows: Any) -> None:
        """A batch of rows by ``COPY … FROM STDIN``: 2,5× faster than one INSERT per row (a
        50 000-row ledger, scripts/bench_store.py), in the import's transaction all the same."""
        with (
            con.raw.cursor() as cursor,
            cursor.copy(
                "COPY snapshot_rows (snapshot_id, table_kind, position, data) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def _columns_of(self, con: _Connection, table: str) -> set[str]:
        rows = con.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ?",
            (table,),
        )
        return {row[0] for row in rows}

    def _index_names(self, con: _Connection) -> set[str]:
        rows = con.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        return {row[0] for row in rows}

    # the schema -----------------------------------------------------------------------------------

    def _version(self, con: _Connection) -> int | None:
        if con.execute("SELECT to_regclass('store_schema')").fetchone()[0] is None:
            return None
        row = con.execute("SELECT max(version) FROM store_schema").fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def _create_schema(self) -> None:
        with self._connect() as con:
            # checked without the lock first: opening the store never waits for an import
            if self._version(con) == SCHEMA_VERSION:
                self._check_tables(con, _TABLES)
                return
            with self._transaction(con, "IMMEDIATE"):
                version = self._version(con)
                if version == SCHEMA_VERSION:  # another server created it meanwhile
                    self._check_tables(con, _TABLES)
                    return
                self._refuse_foreign(con, version)
                if version is None:  # an empty database: version 2, then the migrations
                    for statement in _PG_SCHEMA.split(";"):
                        if statement.strip():
                            con.execute(statement)
                    con.execute("INSERT INTO store_schema (version) VALUES (2)")
                    version = 2
                else:
                    self._check_tables(con, TABLES_OF_VERSION[version])
                for target in range(version + 1, SCHEMA_VERSION + 1):
                    for statement in POSTGRES_MIGRATIONS[target]:
                        con.execute(statement)
                con.execute("UPDATE store_schema SET version = ?", (SCHEMA_VERSION,))
                self._check_tables(con, _TABLES)

    def _refuse_foreign(self, con: _Connection, version: int | None) -> None:
        """A newer version's database, or one holding another application's tables, is
        refused before anything is written to it."""
        if version is not None and version > SCHEMA_VERSION:
            raise CorruptStoreError("store_safety.error.newer", db=self._label, version=version)
        if version is not None and version not in TABLES_OF_VERSION:
            raise CorruptStoreError(
                "store_safety.error.incomplete", db=self._label, what=f"store_schema ({version})"
            )
        tables = sorted(
            row[0]
            for row in con.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema()"
            )
        )
        if version is None and tables:
            raise CorruptStoreError(
                "store_safety.error.foreign", db=self._label, tables=", ".join(tables)
            )


def _store_error(error: BaseException, label: str) -> StoreError:
    """The ``StoreError`` a reader is shown for a failure of the server or of the connection
    to it: by SQLSTATE class, never the server's English text (it is logged)."""
    if isinstance(error, StoreError):
        return error
    original = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's error
    state = getattr(original, "sqlstate", None) or _connection_state(str(original))
    logger.warning("store %s: %s (%s)", label, original, state or type(original).__name__)
    if state.startswith("28"):  # invalid authorization: a wrong user or password
        return StoreAccessError("store_safety.error.server_refused", db=label)
    if state == "3D000":  # the database does not exist
        return StoreAccessError("store_safety.error.no_database", db=label)
    if state == "42501":  # insufficient privilege: may not create or write the tables
        return StoreAccessError("store_safety.error.server_no_rights", db=label)
    if state.startswith("42P01") or state == "42703":  # a table or column missing
        return CorruptStoreError("store_safety.error.incomplete", db=label, what=state)
    if state.startswith("53"):  # insufficient resources: disk full, too many connections
        return StoreAccessError("store_safety.error.server_full", db=label)
    if state in ("57014", "55P03", "40P01"):  # cancelled (timeout), lock not available, deadlock
        return StoreAccessError("store_safety.error.locked", db=label)
    if isinstance(original, psycopg.OperationalError) or state.startswith(("08", "57")):
        return StoreAccessError("store_safety.error.server_unreachable", db=label)
    return StoreError("store_safety.error.other", db=label, code=state or type(original).__name__)


#: libpq reports a refused connection as text only (no SQLSTATE before the session exists):
#: the server's FATAL message, in English whatever the locale, read for its class
_CONNECTION_FAILURES = (
    (re.compile(r'FATAL:\s+database ".*" does not exist'), "3D000"),
    (re.compile(r"FATAL:\s+(password|\w+) authentication failed"), "28P01"),
    (re.compile(r'FATAL:\s+role ".*" does not exist'), "28000"),
    (re.compile(r"FATAL:\s+no pg_hba\.conf entry"), "28000"),
    (re.compile(r"FATAL:\s+(sorry, )?too many (connections|clients)"), "53300"),
)


def _connection_state(text: str) -> str:
    for pattern, state in _CONNECTION_FAILURES:
        if pattern.search(text):
            return state
    return ""
