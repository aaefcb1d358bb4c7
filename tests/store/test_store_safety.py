"""A history database that is damaged, foreign, full or read-only says so in the reader's
language, with what to do; nothing half-written is left; an unreadable snapshot is named.

Real SQLite files throughout. The failures are real where the system allows it as root (the
tests may run as root, where ``chmod`` stops nothing): a non-SQLite or truncated file, garbage
written over pages, ``PRAGMA max_page_count`` for a full disk, SQLite's ``mode=ro`` for a
read-only file, a folder or a regular file where a folder should be. Messages SQLite raises
without a code (another engine, a driver) are injected on a real connection.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import store.snapshots as snapshots
from loaders import LOADERS
from store import (
    CorruptStoreError,
    SQLiteSnapshotStore,
    StoreAccessError,
    StoreError,
    UnreadableSnapshotError,
    import_bytes,
    store_error_message,
)
from store.current import current_tables
from store.snapshots import encode_frame
from tests.store.helpers import counts


@pytest.fixture
def db(sqlite_db) -> Path:
    """SQLite only: these tests damage, lock and fill the SQLite file itself (the store on
    PostgreSQL is refused or reached in tests/store/test_postgres.py)."""
    return sqlite_db


ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SCHEDULE = DATA / "planning_travaux.xlsx"
FINANCE = DATA / "suivi_financier.xlsx"
WEEK_45 = DATA / "history" / "2026-11-13" / "planning_travaux.xlsx"

RESTORE_FR = "Restaurez ce fichier depuis une sauvegarde, ou faites pointer la variable TRACKER_DB"
RESTORE_EN = "Restore this file from a backup, or point the TRACKER_DB variable"


def two_schedules(db: Path, layout: str = "columns") -> SQLiteSnapshotStore:
    """Snapshot 1: the schedule of 13/11/2026; 2: the one of 20/11/2026 (69 tasks each),
    stored in ``layout`` (``"rows"``: as schemas 1-3 stored them, one JSON text per row)."""
    store = SQLiteSnapshotStore(db)
    store.layout = layout
    assert import_bytes(store, "schedule", "planning_s46.xlsx", WEEK_45.read_bytes(), "N").stored
    assert import_bytes(store, "schedule", SCHEDULE.name, SCHEDULE.read_bytes(), "Karim").stored
    return store


def sql(db: Path, statement: str, *params) -> None:
    with sqlite3.connect(db) as con:
        con.execute(statement, params)


# --- refused at open ------------------------------------------------------------------------


def test_a_file_that_is_not_sqlite_is_refused_and_left_as_it_was(db):
    db.write_bytes(b"Nom;Montant\nA;1\n" * 200)
    with pytest.raises(CorruptStoreError) as raised:
        SQLiteSnapshotStore(db)
    assert raised.value.message("fr") == (
        f"Le fichier {db} n'est pas une base de l'historique des imports (ce n'est pas une base"
        f" SQLite). {RESTORE_FR} vers une autre base."
    )
    assert raised.value.message("en").startswith(f"The file {db} is not an import-history")
    assert RESTORE_EN in raised.value.message("en")
    assert db.read_bytes() == b"Nom;Montant\nA;1\n" * 200
    assert str(raised.value) == raised.value.message("fr")  # what a log or a CLI prints


@pytest.mark.parametrize("kept", [0.5, 0.9, 2 * 4096, 60], ids=["half", "90%", "2-pages", "60B"])
def test_a_truncated_database_is_refused(db, kept):
    two_schedules(db)
    data = db.read_bytes()
    db.write_bytes(data[: int(len(data) * kept) if kept < 1 else int(kept)])
    with pytest.raises(CorruptStoreError) as raised:
        SQLiteSnapshotStore(db)
    french = raised.value.message("fr")
    assert str(db) in french and RESTORE_FR in french
    assert "endommagée" in french or "n'est pas une base" in french
    assert "damaged" in raised.value.message("en") or "not an import" in raised.value.message("en")


def test_garbage_over_pages_in_the_middle_is_found_by_quick_check(db):
    two_schedules(db)
    data = bytearray(db.read_bytes())
    middle = (len(data) // 2 // 4096) * 4096
    data[middle : middle + 3 * 4096] = b"\xa5" * (3 * 4096)  # three whole pages overwritten
    db.write_bytes(bytes(data))
    with pytest.raises(CorruptStoreError) as raised:
        SQLiteSnapshotStore(db)
    assert raised.value.message("fr") == (
        f"La base de l'historique {db} est endommagée (fichier tronqué ou altéré) : elle n'a pas"
        f" été lue. {RESTORE_FR} vers une autre base."
    )
    assert raised.value.message("en") == (
        f"The history database {db} is damaged (truncated or altered file): it was not read."
        f" {RESTORE_EN} to another database."
    )


def test_another_applications_database_is_refused_and_not_written_to(db):
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE clients (id INTEGER PRIMARY KEY, nom TEXT)")
        con.execute("INSERT INTO clients (nom) VALUES ('Atlas')")
    with pytest.raises(CorruptStoreError) as raised:
        SQLiteSnapshotStore(db)
    assert raised.value.message("fr").startswith(
        f"Le fichier {db} est la base d'une autre application (tables : clients)"
    )
    assert "rien n'y a été écrit" in raised.value.message("fr")
    assert "another application's database (tables: clients)" in raised.value.message("en")
    with sqlite3.connect(db) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert tables == ["clients"]
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched to WAL
        assert con.execute("PRAGMA user_version").fetchone()[0] == 0


def test_a_history_missing_a_table_is_refused_not_recreated_empty(db):
    two_schedules(db)
    sql(db, "DROP TABLE snapshot_rows")
    with pytest.raises(CorruptStoreError) as raised:
        SQLiteSnapshotStore(db)
    assert "est incomplète (il y manque : snapshot_rows)" in raised.value.message("fr")
    assert "is incomplete (missing: snapshot_rows)" in raised.value.message("en")
    with sqlite3.connect(db) as con:
        found = con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'snapshot_rows'")
        assert found.fetchone()[0] == 0


def test_a_database_from_a_newer_version_is_refused(db):
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA user_version=99")
    with pytest.raises(CorruptStoreError) as raised:
        SQLiteSnapshotStore(db)
    assert "écrite par une version plus récente de l'application (schéma 99)" in str(raised.value)
    assert "written by a newer version of the application (schema 99)" in raised.value.message("en")


def test_a_folder_named_as_the_database_is_refused(tmp_path):
    with pytest.raises(StoreAccessError) as raised:
        SQLiteSnapshotStore(tmp_path)
    assert raised.value.message("fr") == (
        f"{tmp_path} est un dossier, pas une base de l'historique : faites pointer la variable"
        " TRACKER_DB (ou --db) vers un fichier, par exemple var/tracker.sqlite."
    )
    assert raised.value.message("en").startswith(f"{tmp_path} is a folder, not a history")


def test_a_pipe_named_as_the_database_is_refused_without_waiting_on_it(tmp_path):
    fifo = tmp_path / "history.sqlite"
    os.mkfifo(fifo)
    with pytest.raises(StoreAccessError) as raised:
        SQLiteSnapshotStore(fifo)
    assert raised.value.message("fr").startswith(f"{fifo} n'est pas un fichier ordinaire")
    assert raised.value.message("en").startswith(f"{fifo} is not a regular file")


def test_a_folder_that_cannot_be_created_is_a_message(tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(StoreAccessError) as raised:
        SQLiteSnapshotStore(blocker / "history.sqlite")
    assert raised.value.message("fr").startswith(
        f"Impossible d'ouvrir la base de l'historique {blocker / 'history.sqlite'} : vérifiez"
    )
    assert raised.value.message("en").startswith("Cannot open the history database")


class CountingStore(SQLiteSnapshotStore):
    """Counts the ``PRAGMA quick_check`` its connections run."""

    checks = 0

    def _configure(self, con):
        def trace(statement):
            if statement.startswith("PRAGMA quick_check"):
                type(self).checks += 1

        con.set_trace_callback(trace)


def test_quick_check_runs_once_per_process_and_file_state(db):
    CountingStore.checks = 0
    snapshots._VERIFIED.clear()
    two_schedules(db)  # a new file: nothing to check yet
    assert CountingStore.checks == 0
    CountingStore(db)
    CountingStore(db)
    assert CountingStore.checks == 1  # the second open finds the same file: no second read
    import_bytes(CountingStore(db), "finance", FINANCE.name, FINANCE.read_bytes(), "N")
    CountingStore(db)
    assert CountingStore.checks == 2  # written since: checked again


# --- a full disk, a read-only file: nothing stored, said so ------------------------------------


class FullDisk(SQLiteSnapshotStore):
    """A disk with room for two more pages: SQLite's own "database or disk is full"."""

    def _configure(self, con):
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {pages + 2}")


def test_a_full_disk_stores_nothing_and_says_so(db):
    two_schedules(db)
    before = counts(db)
    full = FullDisk(db)
    with pytest.raises(StoreAccessError) as raised:
        import_bytes(full, "finance", FINANCE.name, FINANCE.read_bytes(), "Nadia")
    assert raised.value.message("fr") == (
        f"Le disque de la base de l'historique {db} est plein : rien n'a été enregistré, les"
        " données déjà importées sont intactes. Libérez de la place sur ce disque, puis"
        " recommencez."
    )
    assert raised.value.message("en").startswith(f"The disk of the history database {db} is full")
    assert "cannot rollback" not in str(raised.value) + raised.value.message("en")
    assert counts(db) == before
    roomy = SQLiteSnapshotStore(db)
    assert roomy.integrity_check() == "ok"
    result = import_bytes(roomy, "finance", FINANCE.name, FINANCE.read_bytes(), "Nadia")
    assert (result.status, result.snapshot_id) == ("stored", 3)


def test_a_read_only_database_is_read_but_stores_nothing(db):
    two_schedules(db)
    before = counts(db)
    read_only = SQLiteSnapshotStore(db, read_only=True)
    assert [i.id for i in read_only.list()] == [2, 1]
    assert len(current_tables(read_only).frames["schedule"]) == 69
    with pytest.raises(StoreAccessError) as raised:
        import_bytes(read_only, "finance", FINANCE.name, FINANCE.read_bytes(), "Nadia")
    assert raised.value.message("fr").startswith(
        f"La base de l'historique {db} est en lecture seule (fichier, dossier ou disque protégé"
        " en écriture) : rien n'a été enregistré."
    )
    assert "is read-only" in raised.value.message("en")
    with pytest.raises(StoreAccessError, match="lecture seule"):
        read_only.withdraw(2, "Karim", "erreur")
    assert counts(db) == before
    assert not SQLiteSnapshotStore(db).get(2).withdrawn


def failing_connection(message: str, auto_rollback: bool):
    """A real connection whose COMMIT fails with ``message``, SQLite having (as for a full
    disk) already rolled the transaction back by itself when ``auto_rollback``."""

    class Failing(sqlite3.Connection):
        def execute(self, statement, *args):
            if statement == "COMMIT" and self.in_transaction:
                if auto_rollback:
                    super().execute("ROLLBACK")
                raise sqlite3.OperationalError(message)
            return super().execute(statement, *args)

    return Failing


@pytest.mark.parametrize(
    ("sqlite_message", "french", "english"),
    [
        ("database or disk is full", "est plein : rien n'a été enregistré", "is full"),
        ("attempt to write a readonly database", "est en lecture seule", "is read-only"),
        ("unable to open database file", "Impossible d'ouvrir la base", "Cannot open the"),
        ("disk I/O error", "erreur de lecture ou d'écriture", "read or write error"),
    ],
)
@pytest.mark.parametrize("auto_rollback", [True, False], ids=["sqlite-rolled-back", "open"])
def test_a_failed_commit_is_reported_as_what_it_is(
    db, monkeypatch, sqlite_message, french, english, auto_rollback
):
    two_schedules(db)
    before = counts(db)
    store = SQLiteSnapshotStore(db)
    factory = failing_connection(sqlite_message, auto_rollback)
    monkeypatch.setattr(sqlite3, "connect", functools.partial(sqlite3.connect, factory=factory))
    with pytest.raises(StoreError) as raised:
        import_bytes(store, "finance", FINANCE.name, FINANCE.read_bytes(), "Nadia")
    assert french in raised.value.message("fr") and english in raised.value.message("en")
    assert "rollback" not in raised.value.message("fr") + raised.value.message("en")
    assert sqlite_message not in raised.value.message("fr")
    monkeypatch.undo()
    assert counts(db) == before


def test_store_error_message_words_a_raw_sqlite_error_for_the_pages(db):
    raw = sqlite3.OperationalError("database or disk is full")
    assert store_error_message(raw, "en", db).startswith(f"The disk of the history database {db}")
    assert store_error_message(raw, "fr", db).startswith("Le disque de la base de l'historique")
    refused = StoreAccessError("store_safety.error.read_only", db=str(db))
    assert store_error_message(refused, "en") == refused.message("en")


# --- a snapshot that does not read back is named -----------------------------------------------


def test_undecodable_rows_name_the_snapshot_and_withdrawing_it_restores_the_data(db):
    store = two_schedules(db, "rows")  # a history stored before schema 4 (damaged batches:
    # tests/store/test_columnar.py)
    sql(
        db,
        "UPDATE snapshot_rows SET data = '{\"task_id\": ' WHERE snapshot_id = 2 AND position = 3",
    )
    with pytest.raises(UnreadableSnapshotError) as raised:
        store.get(2)
    error = raised.value
    assert (error.snapshot_id, error.file, error.kind) == (2, "planning_travaux.xlsx", "schedule")
    assert error.message("fr") == (
        f"L'instantané n° 2 (« planning_travaux.xlsx », planning) de la base {db} ne peut pas être"
        " relu : des lignes du tableau « planning » sont illisibles. Retirez-le de l'historique"
        " (python -m store withdraw 2 --why « illisible »), les données en usage reviendront"
        " alors à l'instantané précédent ; ou restaurez la base depuis une sauvegarde."
    )
    assert error.message("en").startswith(
        "Snapshot no. 2 (“planning_travaux.xlsx”, schedule) of the database"
    )
    with pytest.raises(UnreadableSnapshotError):  # the data in use is not served without it
        current_tables(store)
    store.withdraw(2, "Karim", "illisible")
    current = current_tables(store)
    assert current.snapshots["schedule"].id == 1
    assert current.status_date == dt.date(2026, 11, 13)
    assert len(current.frames["schedule"]) == 69


@pytest.mark.parametrize(
    ("damage", "french", "english"),
    [
        (
            "DELETE FROM snapshot_rows WHERE snapshot_id = 2 AND position = 68",
            "le tableau « planning » compte 68 lignes au lieu de 69",
            "the table “schedule” holds 68 rows instead of 69",
        ),
        (
            "DELETE FROM snapshot_tables WHERE snapshot_id = 2",
            "le tableau « planning » manque",
            "the table “schedule” is missing",
        ),
        (
            'UPDATE snapshot_tables SET columns = \'[["name", "int64"]]\' WHERE snapshot_id = 2',
            "des lignes du tableau « planning » sont illisibles",
            "rows of the table “schedule” cannot be read",
        ),
    ],
    ids=["row-missing", "table-missing", "dtype-manifest"],
)
def test_each_kind_of_damage_to_a_snapshot_is_named(db, damage, french, english):
    store = two_schedules(db, "rows")
    sql(db, damage)
    with pytest.raises(UnreadableSnapshotError) as raised:
        store.get(2)
    assert f"ne peut pas être relu : {french}." in raised.value.message("fr")
    assert f"cannot be read back: {english}." in raised.value.message("en")
    assert_frame_equal(store.frames(1)["schedule"], LOADERS["schedule"](WEEK_45).frame)


def test_original_bytes_missing_or_altered_are_named(db):
    store = two_schedules(db)
    sql(db, "UPDATE snapshot_files SET data = x'504b0304' WHERE snapshot_id = 2")
    with pytest.raises(UnreadableSnapshotError) as raised:
        store.file_bytes(2)
    assert "le fichier d'origine ne correspond plus à son empreinte SHA-256" in str(raised.value)
    sql(db, "DELETE FROM snapshot_files WHERE snapshot_id = 1")
    with pytest.raises(UnreadableSnapshotError) as raised:
        store.file_bytes(1)
    assert "the original file is missing" in raised.value.message("en")
    with pytest.raises(KeyError):
        store.file_bytes(99)  # an unknown id is not a damaged one
    assert [e.snapshot_id for e in store.unreadable_snapshots()] == [2, 1]


def test_a_snapshot_record_that_does_not_read_is_named_not_skipped(db):
    store = two_schedules(db)
    sql(db, "UPDATE snapshots SET status_date = '20/11/2026' WHERE id = 1")
    with pytest.raises(UnreadableSnapshotError) as raised:
        store.list()
    assert raised.value.snapshot_id == 1
    assert "sa fiche (dates, nombre de lignes) est illisible" in str(raised.value)


# --- a version-1 file is upgraded in place ----------------------------------------------------

#: the schema of version 1, as shipped before withdrawal existed
V1_SCHEMA = """
CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL, size_bytes INTEGER NOT NULL, imported_at TEXT NOT NULL,
    status_date TEXT NOT NULL, row_count INTEGER NOT NULL, imported_by TEXT NOT NULL,
    UNIQUE (kind, sha256)
);
CREATE INDEX snapshots_by_kind ON snapshots (kind, imported_at, id);
CREATE TABLE snapshot_files (
    snapshot_id INTEGER PRIMARY KEY REFERENCES snapshots (id) ON DELETE CASCADE,
    data BLOB NOT NULL
);
CREATE TABLE snapshot_tables (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    table_kind TEXT NOT NULL, ordinal INTEGER NOT NULL, row_count INTEGER NOT NULL,
    columns TEXT NOT NULL, sheet TEXT, header_row INTEGER, declared_date TEXT,
    columns_found TEXT NOT NULL DEFAULT '{}', warnings TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (snapshot_id, table_kind)
);
CREATE TABLE snapshot_rows (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    table_kind TEXT NOT NULL, position INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, table_kind, position)
) WITHOUT ROWID;
PRAGMA user_version = 1;
PRAGMA journal_mode = WAL;
"""


def version_1_store(db: Path) -> pd.DataFrame:
    """A version-1 file holding the sample schedule as snapshot 4 (ids 1-3 and 5 were taken
    by imports that the file no longer holds: the next id must be 6)."""
    frame = LOADERS["schedule"](SCHEDULE).frame
    encoded = encode_frame(frame)
    data = SCHEDULE.read_bytes()
    with sqlite3.connect(db) as con:
        con.executescript(V1_SCHEMA)
        con.execute(
            "INSERT INTO snapshots VALUES (4, 'schedule', ?, ?, ?,"
            " '2026-11-20T16:00:00.000000+00:00', '2026-11-20', ?, 'Nadia')",
            (SCHEDULE.name, snapshots.sha256_of(data), len(data), len(frame)),
        )
        con.execute("UPDATE sqlite_sequence SET seq = 5 WHERE name = 'snapshots'")
        con.execute("INSERT INTO snapshot_files VALUES (4, ?)", (data,))
        con.execute(
            "INSERT INTO snapshot_tables (snapshot_id, table_kind, ordinal, row_count, columns)"
            " VALUES (4, 'schedule', 0, ?, ?)",
            (len(frame), snapshots.json.dumps(encoded.columns)),
        )
        con.executemany(
            "INSERT INTO snapshot_rows VALUES (4, 'schedule', ?, ?)", enumerate(encoded.rows)
        )
    return frame


def test_a_version_1_database_is_upgraded_with_its_data_kept(db):
    frame = version_1_store(db)
    store = SQLiteSnapshotStore(db)
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == snapshots.SCHEMA_VERSION
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    (info,) = store.list()
    assert (info.id, info.name, info.imported_by, info.status_date) == (
        4,
        SCHEDULE.name,
        "Nadia",
        dt.date(2026, 11, 20),
    )
    assert not info.withdrawn and info.withdrawn_by is None
    assert_frame_equal(store.frames(4)["schedule"], frame)
    assert store.file_bytes(4) == SCHEDULE.read_bytes()
    again = import_bytes(store, "schedule", SCHEDULE.name, SCHEDULE.read_bytes(), "Karim")
    assert (again.status, again.duplicate_of) == ("duplicate", 4)
    store.withdraw(4, "Karim", "mauvais fichier")
    anew = import_bytes(store, "schedule", SCHEDULE.name, SCHEDULE.read_bytes(), "Karim")
    assert (anew.status, anew.snapshot_id) == ("stored", 6)  # no id reused
    assert SQLiteSnapshotStore(db).get(4).withdrawn_why == "mauvais fichier"
