"""The snapshot history: every accepted import, kept whole, behind a small interface.

A snapshot is one accepted *file* (``schedule``, ``finance`` or ``floor-areas``) with the
canonical tables its loaders produced (the finance workbook holds three: budget, contracts,
spending), the original bytes and who imported it when. ``SnapshotStore`` is the interface the
app and the command line use; ``SQLiteSnapshotStore`` serves it from one SQLite file. Another
SQL engine (a multi-user server) only has to implement the same handful of methods.

Schema (SQLite, ``PRAGMA user_version`` = ``SCHEMA_VERSION``)::

    snapshots(id INTEGER PRIMARY KEY AUTOINCREMENT,      -- ids are never reused
              kind, file_name, sha256, size_bytes,
              imported_at TEXT,                           -- UTC ISO 8601, fixed width: sorts
              status_date TEXT,                           -- ISO date
              row_count, imported_by,
              UNIQUE (kind, sha256))                      -- identical bytes stored once per kind
    snapshot_files(snapshot_id PK -> snapshots, data BLOB)            -- the file as uploaded
    snapshot_tables(snapshot_id -> snapshots, table_kind, ordinal, row_count,
                    columns TEXT,        -- JSON [[name, dtype], ...] in frame order
                    sheet, header_row, declared_date, columns_found, warnings (JSON))
    snapshot_rows(snapshot_id, table_kind, position,      -- 0-based row of the frame
                  data TEXT)             -- JSON object {column: value} of the canonical row

Rows are JSON objects so any engine (and ``json_extract`` in SQL) can read them without this
code: dates are ISO text (``2026-11-20``, or with the time when there is one), missing values
(NaN, NaT, NA) are ``null``. The ``columns`` manifest restores each column's exact dtype
(``str``, ``datetime64[us]``, ``float64``, ``bool``, ``Int64``, ``int64``…), so a snapshot read
back equals the loader's frame (the index is not kept: frames come back with a RangeIndex, as
the loaders build them).

Safety: one ``BEGIN IMMEDIATE`` transaction per import (all rows or none), WAL journal with
``synchronous=FULL`` (a committed import survives a power cut; a killed process leaves the last
committed state), a busy timeout so concurrent writers wait for each other, and the duplicate
check inside that transaction backed by the UNIQUE index.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import sqlite3
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.core.dtypes.dtypes import BaseMaskedDtype  # Int64, Float64…: no public base

from loaders.problems import LoadResult, Problem

#: the files a user keeps, and the tables each one holds (the finance workbook holds three)
FILE_KINDS = ("schedule", "finance", "floor-areas")
TABLES_OF_FILE: dict[str, tuple[str, ...]] = {
    "schedule": ("schedule",),
    "finance": ("budget", "contracts", "spending"),
    "floor-areas": ("floor-areas",),
}
#: kinds whose date says nothing about progress (the room schedule is a programme): a past
#: situation imported before the first one of these uses the earliest one known
PROGRAMME_KINDS = ("floor-areas",)

#: environment variable naming the database file (beats the path given by the settings)
DB_ENV = "TRACKER_DB"
ROOT = Path(__file__).resolve().parent.parent
#: the default database: under ``var/`` of the repository, which git ignores
DEFAULT_DB = ROOT / "var" / "tracker.sqlite"

SCHEMA_VERSION = 1
#: rows written per ``executemany`` inside the import transaction
BATCH_ROWS = 5000
#: seconds a writer waits for another one before giving up (``database is locked``)
BUSY_TIMEOUT_S = 60.0

#: test hooks (used only by tests/store/test_crash_safety.py): seconds to sleep after each
#: batch of rows inside the import transaction, and a file to which a line is appended after
#: each batch, so a test can kill the process at a known point of the write
PAUSE_ENV = "TRACKER_STORE_TEST_PAUSE"
SIGNAL_ENV = "TRACKER_STORE_TEST_SIGNAL"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS snapshots (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL,
    file_name   TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    size_bytes  INTEGER NOT NULL,
    imported_at TEXT    NOT NULL,
    status_date TEXT    NOT NULL,
    row_count   INTEGER NOT NULL,
    imported_by TEXT    NOT NULL,
    UNIQUE (kind, sha256)
);
CREATE INDEX IF NOT EXISTS snapshots_by_kind ON snapshots (kind, imported_at, id);
CREATE TABLE IF NOT EXISTS snapshot_files (
    snapshot_id INTEGER PRIMARY KEY REFERENCES snapshots (id) ON DELETE CASCADE,
    data        BLOB    NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshot_tables (
    snapshot_id   INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    table_kind    TEXT    NOT NULL,
    ordinal       INTEGER NOT NULL,
    row_count     INTEGER NOT NULL,
    columns       TEXT    NOT NULL,
    sheet         TEXT,
    header_row    INTEGER,
    declared_date TEXT,
    columns_found TEXT    NOT NULL DEFAULT '{}',
    warnings      TEXT    NOT NULL DEFAULT '[]',
    PRIMARY KEY (snapshot_id, table_kind)
);
CREATE TABLE IF NOT EXISTS snapshot_rows (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    table_kind  TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    data        TEXT    NOT NULL,
    PRIMARY KEY (snapshot_id, table_kind, position)
) WITHOUT ROWID;
"""


class StoreError(Exception):
    """The store cannot be used (a database written by a newer version, a bad path…)."""


# --- what the store hands out ---------------------------------------------------------------


@dataclass(frozen=True)
class SnapshotInfo:
    """One stored import, without its data."""

    id: int
    kind: str
    name: str
    sha256: str
    size: int
    #: when it was imported, timezone-aware, in the machine's local time
    imported_at: dt.datetime
    #: the date its figures stand at (declared by the file, else derived from its data)
    status_date: dt.date
    row_count: int
    imported_by: str
    #: table kind -> number of rows, in the file's table order
    tables: Mapping[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: dates and times as ISO text (the data of a ``Snapshot`` left out)."""
        data = {name: getattr(self, name) for name in SnapshotInfo.__dataclass_fields__}
        data["imported_at"] = self.imported_at.isoformat()
        data["status_date"] = self.status_date.isoformat()
        data["tables"] = dict(self.tables)
        return data


@dataclass(frozen=True, eq=False)  # compared as its SnapshotInfo: frames have no plain ==
class Snapshot(SnapshotInfo):
    """One stored import with its tables, rebuilt as the loaders returned them."""

    #: table kind -> LoadResult (frame, warnings, sheet, header row, declared date…)
    results: Mapping[str, LoadResult] = field(default_factory=dict)

    @property
    def frames(self) -> dict[str, pd.DataFrame]:
        return {table: result.frame for table, result in self.results.items()}

    @property
    def info(self) -> SnapshotInfo:
        data = {name: getattr(self, name) for name in SnapshotInfo.__dataclass_fields__}
        return SnapshotInfo(**data)


@dataclass(frozen=True)
class AddOutcome:
    """``stored`` False means the same bytes of that kind were already stored, as
    ``duplicate_of`` (``snapshot_id`` is then that snapshot too)."""

    stored: bool
    snapshot_id: int
    duplicate_of: int | None = None


@dataclass(frozen=True)
class Situation:
    """A status date and, for each file kind, the snapshot current at that date."""

    status_date: dt.date
    #: file kind -> snapshot id (kinds with no snapshot at that date are left out)
    snapshots: Mapping[str, int]


SnapshotList = list[SnapshotInfo]


# --- the interface --------------------------------------------------------------------------


class SnapshotStore(ABC):
    """The history of accepted imports. The current data is the latest snapshot of each kind
    (the most recent import); any earlier one can be read again whole.

    Implementations provide ``add``, ``get``, ``list``, ``find`` and ``file_bytes``; the
    rest is derived here from those, the same for every engine."""

    @abstractmethod
    def add(
        self,
        kind: str,
        name: str,
        data: bytes,
        tables: Mapping[str, pd.DataFrame | LoadResult],
        status_date: dt.date,
        imported_by: str,
        imported_at: dt.datetime | None = None,
    ) -> AddOutcome:
        """Store one accepted file with all its tables, or nothing (one transaction).
        ``tables`` must hold exactly the tables of ``kind`` (``TABLES_OF_FILE``). Identical
        bytes already stored for ``kind`` are not stored again: ``stored`` is then False."""

    @abstractmethod
    def get(self, snapshot_id: int) -> Snapshot:
        """The snapshot with its tables; ``KeyError`` for an unknown id."""

    @abstractmethod
    def list(self, kind: str | None = None) -> SnapshotList:
        """Every snapshot (of ``kind``), newest import first."""

    @abstractmethod
    def find(self, kind: str, sha256: str) -> SnapshotInfo | None:
        """The snapshot of ``kind`` holding bytes of this SHA-256, if any."""

    @abstractmethod
    def file_bytes(self, snapshot_id: int) -> bytes:
        """The file exactly as it was imported; ``KeyError`` for an unknown id."""

    def latest(self, kind: str) -> Snapshot | None:
        """The data in use for ``kind``: its most recent import."""
        _check_kind(kind)
        infos = self.list(kind)
        return self.get(infos[0].id) if infos else None

    def frames(self, snapshot_id: int) -> dict[str, pd.DataFrame]:
        """Table kind -> canonical frame of one snapshot."""
        return self.get(snapshot_id).frames

    def is_empty(self) -> bool:
        return not self.list()

    def situations(self) -> list[Situation]:
        """Every distinct status date, oldest first, with the snapshot of each kind current at
        that date: the one with the latest status date not after it (the latest import among
        equal dates). For a programme kind (floor areas) with none that early, the earliest.
        This is what rebuilding a past weekly situation needs."""
        infos = sorted(self.list(), key=lambda i: (i.status_date, i.imported_at, i.id))
        dates = sorted({info.status_date for info in infos})
        situations = []
        for day in dates:
            current: dict[str, int] = {}
            for kind in FILE_KINDS:
                of_kind = [i for i in infos if i.kind == kind]
                known = [i for i in of_kind if i.status_date <= day]
                if known:
                    current[kind] = known[-1].id
                elif of_kind and kind in PROGRAMME_KINDS:
                    current[kind] = of_kind[0].id
            situations.append(Situation(day, current))
        return situations

    def situation(self, status_date: dt.date) -> Situation | None:
        """The situation at ``status_date`` exactly, if one was recorded."""
        for situation in self.situations():
            if situation.status_date == status_date:
                return situation
        return None


# --- rows <-> JSON ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EncodedTable:
    """A frame made ready for storage: its dtype manifest and one JSON text per row."""

    columns: list[tuple[str, str]]
    rows: list[str]


def _check_kind(kind: str) -> None:
    if kind not in FILE_KINDS:
        raise ValueError(f"unknown file kind {kind!r} (expected one of {', '.join(FILE_KINDS)})")


def _dtype_tag(name: str, dtype: Any) -> str:
    """The text that restores ``dtype`` through ``pandas_dtype``; unknown dtypes refused."""
    if isinstance(dtype, pd.StringDtype):
        return str(dtype)  # "str" (NaN for missing, pandas 3 default) or "string" (pd.NA)
    if isinstance(dtype, pd.DatetimeTZDtype | pd.BooleanDtype):
        return str(dtype)
    if isinstance(dtype, BaseMaskedDtype):
        return str(dtype)
    if isinstance(dtype, np.dtype) and dtype.kind in "Mbiuf":
        return str(dtype)
    if isinstance(dtype, np.dtype) and dtype.kind == "O":
        return "object"
    raise TypeError(f"column {name!r}: dtype {dtype} cannot be stored")


def _plain(value: Any) -> Any:
    """A value of an ``object`` column as JSON can hold it (missing -> None)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, dt.date | pd.Timestamp):
        return value.isoformat()
    return str(value)


def _encode_column(name: str, series: pd.Series, tag: str) -> list[Any]:
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype):
        return series.to_numpy(dtype=object, na_value=None).tolist()
    if isinstance(dtype, pd.DatetimeTZDtype):
        return [None if pd.isna(v) else v.isoformat() for v in series]
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        present = series.dropna()
        if (present == present.dt.normalize()).all():
            # dates without a time: short ISO dates, vectorised (the common case)
            return series.dt.strftime("%Y-%m-%d").to_numpy(dtype=object, na_value=None).tolist()
        return [None if pd.isna(v) else v.isoformat() for v in series]
    if isinstance(dtype, pd.BooleanDtype):
        return [None if v is pd.NA else bool(v) for v in series]
    if isinstance(dtype, BaseMaskedDtype):
        values = series.to_numpy(dtype=object, na_value=None).tolist()
        cast = float if dtype.kind == "f" else int
        return [None if v is None else cast(v) for v in values]
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        # NaN -> null; infinities are written as JSON's Infinity, read back by Python's json
        return [None if v != v else v for v in series.tolist()]
    if isinstance(dtype, np.dtype) and dtype.kind in "biu":
        return series.tolist()
    return [_plain(v) for v in series.tolist()]


def encode_frame(frame: pd.DataFrame) -> EncodedTable:
    """The frame's dtype manifest and rows as JSON objects ``{column: value}``."""
    names = list(frame.columns)
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"column names must be text, not {name!r}")
    if len(set(names)) != len(names):
        raise ValueError("column names must be unique")
    tags = [_dtype_tag(name, frame[name].dtype) for name in names]
    columns = [
        _encode_column(name, frame[name], tag) for name, tag in zip(names, tags, strict=True)
    ]
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    rows = [dumps(dict(zip(names, values, strict=True))) for values in zip(*columns, strict=True)]
    if not names:
        rows = ["{}"] * len(frame)
    return EncodedTable(list(zip(names, tags, strict=True)), rows)


def _decode_column(values: list[Any], tag: str) -> Any:
    if tag == "object":
        return pd.array(values, dtype=object)
    dtype = pd.api.types.pandas_dtype(tag)
    if isinstance(dtype, pd.DatetimeTZDtype):
        parsed = pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601", utc=True)
        return parsed.dt.tz_convert(dtype.tz).astype(dtype).array
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        parsed = pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601")
        return parsed.astype(dtype).array
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        return np.array([np.nan if v is None else v for v in values], dtype=dtype)
    if isinstance(dtype, np.dtype):
        return np.array(values, dtype=dtype)
    return pd.array(values, dtype=dtype)


def decode_frame(columns: list[tuple[str, str]], rows: list[str]) -> pd.DataFrame:
    """The inverse of ``encode_frame``: a frame with a RangeIndex and the stored dtypes."""
    records = [json.loads(text) for text in rows]
    data = {
        name: _decode_column([record.get(name) for record in records], tag) for name, tag in columns
    }
    return pd.DataFrame(data, index=pd.RangeIndex(len(records)))


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {**problem.as_dict(), "params": problem.params}


def _problem_from(data: dict[str, Any]) -> Problem:
    return Problem(
        data["severity"],
        data["code"],
        data["message"],
        data.get("sheet"),
        data.get("row"),
        data.get("column"),
        data.get("value"),
        data.get("file"),
        data.get("params") or {},
    )


# --- time and dates ---------------------------------------------------------------------------


def _utc_text(moment: dt.datetime) -> str:
    """Fixed-width UTC ISO text (sorts as time does). A naive time is local time."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _local_time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone()


def as_status_date(value: Any) -> dt.date:
    """A date from a date, datetime, Timestamp or ISO text."""
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _after_batch(batch: int) -> None:
    """Called inside the import transaction after each batch of rows: a no-op unless a test
    sets ``TRACKER_STORE_TEST_SIGNAL`` / ``TRACKER_STORE_TEST_PAUSE``."""
    signal = os.environ.get(SIGNAL_ENV)
    if signal:
        with open(signal, "a", encoding="utf-8") as handle:
            handle.write(f"batch {batch}\n")
            handle.flush()
            os.fsync(handle.fileno())
    pause = os.environ.get(PAUSE_ENV)
    if pause:
        time.sleep(float(pause))


# --- SQLite -----------------------------------------------------------------------------------


class SQLiteSnapshotStore(SnapshotStore):
    """The history in one SQLite file. A connection per call: safe from any thread (Streamlit
    runs each session in its own) and any number of processes."""

    def __init__(self, path: str | os.PathLike, timeout: float = BUSY_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._create_schema()

    def __repr__(self) -> str:
        return f"SQLiteSnapshotStore({str(self.path)!r})"

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # isolation_level=None: no implicit transactions, every BEGIN is written out below
        con = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            con.execute("PRAGMA synchronous=FULL")
            con.execute("PRAGMA foreign_keys=ON")
            yield con
        finally:
            con.close()

    @contextmanager
    def _transaction(self, con: sqlite3.Connection, mode: str = "") -> Iterator[None]:
        con.execute(f"BEGIN {mode}")
        try:
            yield
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    def _create_schema(self) -> None:
        with self._connect() as con:
            # checked without a lock first: opening the store never waits for an import
            if con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                return
            # WAL is a property of the file: set once, kept. Readers never block the writer,
            # and a killed writer leaves only uncommitted frames, ignored on the next open.
            if con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                con.execute("PRAGMA journal_mode=WAL")
            with self._transaction(con, "IMMEDIATE"):
                version = con.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.path} was written by a newer version (schema {version})"
                    )
                # one statement at a time: executescript would COMMIT the transaction
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        con.execute(statement)
                if version < SCHEMA_VERSION:
                    con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    # writing ----------------------------------------------------------------------------------

    def add(
        self,
        kind: str,
        name: str,
        data: bytes,
        tables: Mapping[str, pd.DataFrame | LoadResult],
        status_date: dt.date,
        imported_by: str,
        imported_at: dt.datetime | None = None,
    ) -> AddOutcome:
        _check_kind(kind)
        expected = TABLES_OF_FILE[kind]
        if set(tables) != set(expected):
            raise ValueError(f"a {kind} snapshot holds the tables {expected}, got {tuple(tables)}")
        imported_by = (imported_by or "").strip()
        if not imported_by:
            raise ValueError("imported_by is required: a name typed or the login")
        digest = sha256_of(data)
        day = as_status_date(status_date).isoformat()
        # encoded before the transaction, so the write lock is held only for the writing
        prepared = []
        for ordinal, table in enumerate(t for t in expected if t in tables):
            value = tables[table]
            result = value if isinstance(value, LoadResult) else LoadResult(frame=value)
            prepared.append((ordinal, table, result, encode_frame(result.frame)))
        row_count = sum(len(encoded.rows) for *_, encoded in prepared)

        with self._connect() as con:
            try:
                with self._transaction(con, "IMMEDIATE"):
                    existing = self._find_id(con, kind, digest)
                    if existing is not None:
                        return AddOutcome(False, existing, existing)
                    # taken once the write lock is held: import times follow the ids
                    moment = _utc_text(imported_at or dt.datetime.now(dt.UTC))
                    snapshot_id = con.execute(
                        "INSERT INTO snapshots (kind, file_name, sha256, size_bytes, imported_at,"
                        " status_date, row_count, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (kind, name, digest, len(data), moment, day, row_count, imported_by),
                    ).lastrowid
                    con.execute(
                        "INSERT INTO snapshot_files (snapshot_id, data) VALUES (?, ?)",
                        (snapshot_id, sqlite3.Binary(data)),
                    )
                    batch = 0
                    for ordinal, table, result, encoded in prepared:
                        self._insert_table(con, snapshot_id, ordinal, table, result, encoded)
                        for start in range(0, len(encoded.rows), BATCH_ROWS):
                            con.executemany(
                                "INSERT INTO snapshot_rows (snapshot_id, table_kind, position,"
                                " data) VALUES (?, ?, ?, ?)",
                                (
                                    (snapshot_id, table, start + offset, text)
                                    for offset, text in enumerate(
                                        encoded.rows[start : start + BATCH_ROWS]
                                    )
                                ),
                            )
                            batch += 1
                            _after_batch(batch)
            except sqlite3.IntegrityError:
                # a safety net: the check above runs under the write lock, so only a writer
                # that skipped it (another tool on the same file) meets the UNIQUE index
                existing = self._find_id(con, kind, digest)
                if existing is None:
                    raise
                return AddOutcome(False, existing, existing)
        return AddOutcome(True, int(snapshot_id), None)

    @staticmethod
    def _insert_table(
        con: sqlite3.Connection,
        snapshot_id: int,
        ordinal: int,
        table: str,
        result: LoadResult,
        encoded: EncodedTable,
    ) -> None:
        declared = result.declared_date
        con.execute(
            "INSERT INTO snapshot_tables (snapshot_id, table_kind, ordinal, row_count, columns,"
            " sheet, header_row, declared_date, columns_found, warnings)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                snapshot_id,
                table,
                ordinal,
                len(encoded.rows),
                json.dumps(encoded.columns, ensure_ascii=False),
                result.sheet,
                result.header_row,
                None
                if declared is None or pd.isna(declared)
                else as_status_date(declared).isoformat(),
                json.dumps(result.columns_found, ensure_ascii=False),
                json.dumps(
                    [_problem_json(p) for p in result.warnings], ensure_ascii=False, default=str
                ),
            ),
        )

    # reading ----------------------------------------------------------------------------------

    @staticmethod
    def _find_id(con: sqlite3.Connection, kind: str, digest: str) -> int | None:
        row = con.execute(
            "SELECT id FROM snapshots WHERE kind = ? AND sha256 = ?", (kind, digest)
        ).fetchone()
        return None if row is None else int(row[0])

    _INFO_COLUMNS = (
        "id, kind, file_name, sha256, size_bytes, imported_at, status_date, row_count, imported_by"
    )

    @staticmethod
    def _infos(con: sqlite3.Connection, where: str = "", params: tuple = ()) -> SnapshotList:
        rows = con.execute(
            f"SELECT {SQLiteSnapshotStore._INFO_COLUMNS} FROM snapshots {where}"
            " ORDER BY imported_at DESC, id DESC",
            params,
        ).fetchall()
        if not rows:
            return []
        ids = [row[0] for row in rows]
        counts: dict[int, dict[str, int]] = {i: {} for i in ids}
        placeholders = ",".join("?" * len(ids))
        for snapshot_id, table, count in con.execute(
            "SELECT snapshot_id, table_kind, row_count FROM snapshot_tables"
            f" WHERE snapshot_id IN ({placeholders}) ORDER BY snapshot_id, ordinal",
            ids,
        ):
            counts[snapshot_id][table] = count
        return [
            SnapshotInfo(
                id=row[0],
                kind=row[1],
                name=row[2],
                sha256=row[3],
                size=row[4],
                imported_at=_local_time(row[5]),
                status_date=dt.date.fromisoformat(row[6]),
                row_count=row[7],
                imported_by=row[8],
                tables=counts[row[0]],
            )
            for row in rows
        ]

    def list(self, kind: str | None = None) -> SnapshotList:
        with self._connect() as con:
            if kind is None:
                return self._infos(con)
            _check_kind(kind)
            return self._infos(con, "WHERE kind = ?", (kind,))

    def find(self, kind: str, sha256: str) -> SnapshotInfo | None:
        with self._connect() as con:
            found = self._infos(con, "WHERE kind = ? AND sha256 = ?", (kind, sha256))
        return found[0] if found else None

    def is_empty(self) -> bool:
        with self._connect() as con:
            return con.execute("SELECT 1 FROM snapshots LIMIT 1").fetchone() is None

    def latest(self, kind: str) -> Snapshot | None:
        _check_kind(kind)
        with self._connect() as con, self._transaction(con):
            row = con.execute(
                "SELECT id FROM snapshots WHERE kind = ? ORDER BY imported_at DESC, id DESC"
                " LIMIT 1",
                (kind,),
            ).fetchone()
            return None if row is None else self._snapshot(con, row[0])

    def get(self, snapshot_id: int) -> Snapshot:
        with self._connect() as con, self._transaction(con):  # one consistent read
            return self._snapshot(con, int(snapshot_id))

    def _snapshot(self, con: sqlite3.Connection, snapshot_id: int) -> Snapshot:
        infos = self._infos(con, "WHERE id = ?", (snapshot_id,))
        if not infos:
            raise KeyError(snapshot_id)
        info = infos[0]
        results: dict[str, LoadResult] = {}
        tables = con.execute(
            "SELECT table_kind, columns, sheet, header_row, declared_date, columns_found,"
            " warnings FROM snapshot_tables WHERE snapshot_id = ? ORDER BY ordinal",
            (snapshot_id,),
        ).fetchall()
        for table, columns, sheet, header_row, declared, found, warnings in tables:
            rows = [
                text
                for (text,) in con.execute(
                    "SELECT data FROM snapshot_rows WHERE snapshot_id = ? AND table_kind = ?"
                    " ORDER BY position",
                    (snapshot_id, table),
                )
            ]
            results[table] = LoadResult(
                frame=decode_frame([tuple(c) for c in json.loads(columns)], rows),
                warnings=[_problem_from(p) for p in json.loads(warnings)],
                kind=table,
                sheet=sheet,
                header_row=header_row,
                source_name=info.name,
                columns_found=json.loads(found),
                declared_date=None if declared is None else pd.Timestamp(declared),
            )
        fields = {name: getattr(info, name) for name in SnapshotInfo.__dataclass_fields__}
        return Snapshot(**fields, results=results)

    def file_bytes(self, snapshot_id: int) -> bytes:
        with self._connect() as con:
            row = con.execute(
                "SELECT data FROM snapshot_files WHERE snapshot_id = ?", (int(snapshot_id),)
            ).fetchone()
        if row is None:
            raise KeyError(snapshot_id)
        return bytes(row[0])

    def integrity_check(self) -> str:
        """``ok`` when SQLite finds the file sound (``PRAGMA integrity_check``)."""
        with self._connect() as con:
            return "\n".join(row[0] for row in con.execute("PRAGMA integrity_check"))


# --- opening ------------------------------------------------------------------------------------


def resolve_db_path(path: str | os.PathLike | None = None) -> Path:
    """``$TRACKER_DB`` if set, else ``path`` (from the settings), else ``var/tracker.sqlite``
    under the repository (outside the committed ``data/``; ``/var/`` is git-ignored)."""
    configured = os.environ.get(DB_ENV)
    if configured:
        return Path(configured)
    if path is not None:
        return Path(path)
    return DEFAULT_DB


def open_store(path: str | os.PathLike | None = None) -> SnapshotStore:
    """The snapshot store at ``resolve_db_path(path)``, created (empty) if absent."""
    return SQLiteSnapshotStore(resolve_db_path(path))
