"""The snapshot store on each engine (a real SQLite file, a real PostgreSQL database: the
``db`` fixture of tests/store/conftest.py): what goes in comes back equal, dtypes included;
identical bytes are stored once; a refused or failed import changes nothing; a database of a
newer version or of another application is refused untouched."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import sqlite3
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import store.snapshots as snapshots
from loaders import LOADERS
from store import (
    DEFAULT_DB,
    CorruptStoreError,
    SQLiteSnapshotStore,
    check_bytes,
    detect_file_kind,
    import_bytes,
    is_server_url,
    open_store,
    open_store_at,
    resolve_db_path,
)
from store.snapshots import decode_frame, encode_frame
from tests.store.helpers import INTEGRITY_ERRORS, counts, raw_execute

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SAMPLES = {
    "schedule": DATA / "planning_travaux.xlsx",
    "finance": DATA / "suivi_financier.xlsx",
    "floor-areas": DATA / "programme_surfaces.xlsx",
}
TABLES = {
    "schedule": ("schedule",),
    "finance": ("budget", "contracts", "spending"),
    "floor-areas": ("floor-areas",),
}
SAMPLE_ROWS = {"schedule": 69, "budget": 22, "contracts": 22, "spending": 78, "floor-areas": 71}
NOV_20 = dt.date(2026, 11, 20)


def stored(db) -> dict[str, int]:
    """``counts`` with the Arrow batches of schema 4 (tables stored column-wise)."""
    batches = raw_execute(db, "SELECT count(*) FROM snapshot_batches")[0][0]
    return {**counts(db), "snapshot_batches": batches}


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BUDGET = [
    ["Code", "Désignation", "Budget TTC"],
    ["TR-01", "Gros œuvre", 1_000_000],
    ["TR-02", "Électricité", 250_000],
]
CONTRACTS = [
    ["N° marché", "Type", "Marché initial", "Titulaire", "Ligne budgétaire", "Montant TTC"],
    ["M 01/2026", "Marché", None, "Entreprise A", "TR-01", 900_000],
    ["AV 1", "Avenant", None, "Entreprise A", "TR-01", 50_000],  # no parent: an error
]
SPENDING = [
    ["Date d'émission", "Montant TTC", "N° marché", "Date de paiement"],
    [dt.datetime(2026, 3, 31), 120_000, "M 01/2026", dt.datetime(2026, 5, 12)],
]


# --- the round trip -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_each_sample_file_comes_back_equal_to_the_loaders_frames(store, kind):
    path = SAMPLES[kind]
    result = import_bytes(store, kind, path.name, path.read_bytes(), "Nadia")
    assert result.status == "stored" and result.snapshot_id == 1
    snapshot = store.get(1)
    assert list(snapshot.frames) == list(TABLES[kind])
    for table in TABLES[kind]:
        expected = LOADERS[table](path)
        back = snapshot.results[table]
        assert_frame_equal(back.frame, expected.frame, check_exact=True)
        assert len(back.frame) == SAMPLE_ROWS[table]
        assert back.sheet == expected.sheet and back.header_row == expected.header_row == 5
        assert back.declared_date == expected.declared_date == pd.Timestamp(NOV_20)
        assert back.columns_found == expected.columns_found
        assert [(p.code, p.row, p.message) for p in back.warnings] == [
            (p.code, p.row, p.message) for p in expected.warnings
        ]
    assert_frame_equal(store.frames(1)[TABLES[kind][0]], snapshot.frames[TABLES[kind][0]])


def test_contract_frames_keep_their_dtypes(store):
    path = SAMPLES["finance"]
    import_bytes(store, "finance", path.name, path.read_bytes(), "Nadia")
    contracts = store.latest("finance").frames["contracts"]
    assert contracts["is_amendment"].dtype == np.dtype(bool)
    assert contracts["is_amendment"].sum() == 1
    assert contracts["source_row"].dtype == np.dtype("int64")
    assert contracts["source_row"].iloc[0] == 6
    assert contracts["signed_date"].dtype == np.dtype("datetime64[us]")
    assert contracts["contract_id"].dtype == "str"
    assert contracts["amount"].dtype == np.dtype("float64")
    spending = store.latest("finance").frames["spending"]
    assert (
        spending["paid_date"].isna().sum()
        == LOADERS["spending"](path).frame["paid_date"].isna().sum()
    )


def test_every_supported_dtype_survives_the_json_rows():
    frame = pd.DataFrame(
        {
            "text": pd.array(["a", None, "", 'é « guillemets » ; "x"'], dtype="str"),
            "nullable_text": pd.array(["a", None, "b", "c"], dtype="string"),
            "day": pd.to_datetime(["2026-11-20", None, "2026-02-16", "1999-12-31"]).astype(
                "datetime64[us]"
            ),
            "moment": pd.to_datetime(
                ["2026-11-20 08:30:00.000123", None, "2026-02-16", "2026-01-01 23:59:59"],
                format="ISO8601",
            ).astype("datetime64[us]"),
            "aware": pd.to_datetime(
                ["2026-11-20 08:30", None, "2026-02-16", "2026-01-01"], format="ISO8601"
            ).tz_localize("Africa/Casablanca"),
            "number": [1.5, np.nan, -0.0, 1e-300],
            "whole": np.array([1, 2, 3, 2**53], dtype="int64"),
            "maybe_whole": pd.array([1, None, 3, -4], dtype="Int64"),
            "flag": [True, False, True, False],
            "maybe_flag": pd.array([True, None, False, True], dtype="boolean"),
            "mixed": pd.array(["x", 1, None, 2.5], dtype=object),
        }
    )
    encoded = encode_frame(frame)
    assert encoded.columns[0] == ("text", "str")
    assert dict(encoded.columns)["day"] == "datetime64[us]"
    assert dict(encoded.columns)["maybe_whole"] == "Int64"
    assert encoded.rows[1].startswith('{"text":null,')
    assert '"day":"2026-11-20"' in encoded.rows[0]  # dates without a time: short ISO
    assert_frame_equal(decode_frame(encoded.columns, encoded.rows), frame, check_exact=True)


def test_an_empty_table_keeps_its_columns_and_dtypes():
    frame = pd.DataFrame(
        {
            "name": pd.array([], dtype="str"),
            "day": pd.Series([], dtype="datetime64[us]"),
            "amount": pd.Series([], dtype="float64"),
            "flag": pd.Series([], dtype=bool),
        }
    )
    encoded = encode_frame(frame)
    assert encoded.rows == []
    assert_frame_equal(decode_frame(encoded.columns, encoded.rows), frame)


def test_a_dtype_that_cannot_be_stored_is_refused_before_writing(store, db):
    frame = pd.DataFrame({"span": pd.to_timedelta([1, 2], unit="D")})
    with pytest.raises(TypeError, match="span"):
        store.add("schedule", "x.csv", b"x", {"schedule": frame}, NOV_20, "Nadia")
    assert counts(db)["snapshots"] == 0


# --- what a snapshot records ----------------------------------------------------------------


def test_a_snapshot_records_its_file_and_who_imported_it_when(store):
    data = SAMPLES["finance"].read_bytes()
    when = dt.datetime(2026, 11, 20, 17, 30, tzinfo=dt.UTC)
    result = import_bytes(store, None, "suivi S47.xlsx", data, "  Nadia B.  ", imported_at=when)
    assert (result.kind, result.status, result.snapshot_id) == ("finance", "stored", 1)
    assert result.rows == {"budget": 22, "contracts": 22, "spending": 78}
    assert [p.code for p in result.warnings] == ["totals_row"] * 3
    info = store.list()[0]
    assert info.id == 1 and info.kind == "finance" and info.name == "suivi S47.xlsx"
    assert info.sha256 == hashlib.sha256(data).hexdigest() and info.size == len(data)
    assert info.imported_at == when and info.imported_at.tzinfo is not None
    assert info.status_date == NOV_20
    assert info.row_count == 122
    assert info.imported_by == "Nadia B."
    assert dict(info.tables) == {"budget": 22, "contracts": 22, "spending": 78}
    assert store.file_bytes(1) == data
    assert info.as_dict()["imported_at"] == "2026-11-20T17:30:00+00:00"
    assert info.as_dict()["status_date"] == "2026-11-20"


def test_the_status_date_is_derived_from_the_data_when_the_file_declares_none(store):
    csv = (
        "N°;Tâche;Début;Fin;% réalisé;Début réel;Fin réelle\r\n"
        "T1;Terrassement;02/03/2026;13/03/2026;100;02/03/2026;12/03/2026\r\n"
        "T2;Fondations;16/03/2026;10/04/2026;40;17/03/2026;\r\n"
    ).encode()
    result = import_bytes(store, None, "planning.csv", csv, "Nadia")
    assert result.kind == "schedule" and result.status == "stored"
    assert result.status_date == dt.date(2026, 3, 17)  # the latest actual date
    assert store.get(result.snapshot_id).results["schedule"].declared_date is None


def test_imported_by_is_required(store, db):
    with pytest.raises(ValueError, match="imported_by"):
        import_bytes(store, "schedule", "p.xlsx", SAMPLES["schedule"].read_bytes(), "  ")
    assert counts(db)["snapshots"] == 0


def test_unknown_ids_raise_key_error(store):
    with pytest.raises(KeyError):
        store.get(7)
    with pytest.raises(KeyError):
        store.file_bytes(7)


# --- nothing is lost ------------------------------------------------------------------------


def test_identical_bytes_are_recognised_and_not_stored_twice(store, db):
    data = SAMPLES["schedule"].read_bytes()
    first = import_bytes(store, "schedule", "planning.xlsx", data, "Nadia")
    before = stored(db)
    again = import_bytes(store, "schedule", "planning (copie).xlsx", data, "Karim")
    detected = import_bytes(store, None, "planning v2.xlsx", data, "Karim")
    assert (first.status, first.snapshot_id) == ("stored", 1)
    for result in (again, detected):
        assert result.status == "duplicate" and not result.stored and result.accepted
        assert result.duplicate_of == 1 and result.snapshot_id == 1
        assert result.rows == {"schedule": 69} and result.status_date == NOV_20
    assert (
        stored(db)
        == before
        == {
            "snapshots": 1,
            "snapshot_files": 1,
            "snapshot_tables": 1,
            "snapshot_rows": 0,  # the row layout of schemas 1-3: read, no longer written
            "snapshot_batches": 1,  # 69 rows: one Arrow batch
        }
    )
    assert [i.imported_by for i in store.list()] == ["Nadia"]


def test_the_unique_index_refuses_the_same_bytes_twice_for_a_kind(store, db):
    import_bytes(store, "schedule", "p.xlsx", SAMPLES["schedule"].read_bytes(), "Nadia")
    with pytest.raises(INTEGRITY_ERRORS):
        raw_execute(
            db,
            "INSERT INTO snapshots (kind, file_name, sha256, size_bytes, imported_at,"
            " status_date, row_count, imported_by)"
            " SELECT kind, 'other', sha256, 1, imported_at, status_date, 0, 'x' FROM snapshots",
        )
    assert counts(db)["snapshots"] == 1


def test_a_rejected_file_changes_nothing(store, db):
    import_bytes(store, "finance", "suivi.xlsx", SAMPLES["finance"].read_bytes(), "Nadia")
    before, listed = counts(db), store.list()
    bad = xlsx({"Budget": BUDGET, "Marchés": CONTRACTS, "Décomptes": SPENDING})
    result = import_bytes(store, None, "suivi faux.xlsx", bad, "Nadia")
    assert result.kind == "finance" and result.status == "rejected" and not result.accepted
    assert result.snapshot_id is None and result.rows == {}
    assert [p.code for p in result.errors] == ["amendment_without_parent"]
    assert result.errors[0].row == 3 and result.errors[0].sheet == "Marchés"
    assert result.tables[result.problems.index(result.errors[0])] == "contracts"
    assert counts(db) == before
    assert store.list() == listed and store.latest("finance").id == 1


def test_a_finance_workbook_missing_a_table_is_rejected_whole(store, db):
    without_spending = xlsx({"Budget": BUDGET, "Marchés": CONTRACTS[:2]})
    result = import_bytes(store, "finance", "budget seul.xlsx", without_spending, "Nadia")
    assert result.status == "rejected"
    assert {result.tables[i] for i, p in enumerate(result.problems) if p.is_error} == {"spending"}
    assert counts(db)["snapshots"] == 0 and store.is_empty()


def test_an_import_that_fails_midway_stores_no_row(store, db, monkeypatch):
    import_bytes(store, "schedule", "p.xlsx", SAMPLES["schedule"].read_bytes(), "Nadia")
    before = stored(db)
    rows = 2 * snapshots.BATCH_ROWS + 100  # three batches
    frame = pd.DataFrame({"name": pd.array([f"T{i}" for i in range(rows)], dtype="str")})

    def fail_on_second_batch(batch: int) -> None:
        if batch == 2:
            raise RuntimeError("disk pulled out")

    monkeypatch.setattr(snapshots, "after_batch", fail_on_second_batch)
    with pytest.raises(RuntimeError, match="disk pulled out"):
        store.add("schedule", "big.csv", b"big", {"schedule": frame}, NOV_20, "Nadia")
    assert stored(db) == before
    assert [i.id for i in store.list()] == [1]

    monkeypatch.setattr(snapshots, "after_batch", None)
    outcome = store.add("schedule", "big.csv", b"big", {"schedule": frame}, NOV_20, "Nadia")
    assert (outcome.stored, outcome.snapshot_id, outcome.duplicate_of) == (True, 2, None)
    assert stored(db)["snapshot_batches"] == before["snapshot_batches"] + 3
    assert_frame_equal(store.frames(2)["schedule"], frame)


def test_add_refuses_a_snapshot_without_every_table_of_its_kind(store, db):
    budget = LOADERS["budget"](SAMPLES["finance"]).frame
    with pytest.raises(ValueError, match="budget"):
        store.add("finance", "f.xlsx", b"f", {"budget": budget}, NOV_20, "Nadia")
    with pytest.raises(ValueError, match="unknown file kind"):
        store.add("spending", "f.xlsx", b"f", {"spending": budget}, NOV_20, "Nadia")
    assert counts(db)["snapshots"] == 0


# --- current data, history, situations ------------------------------------------------------


def frame_of(kind: str) -> dict[str, pd.DataFrame]:
    return {table: pd.DataFrame({"n": [len(kind)]}) for table in TABLES[kind]}


def test_latest_is_the_most_recent_import_and_list_is_newest_first(store):
    assert store.is_empty() and store.latest("schedule") is None and store.list() == []
    base = dt.datetime(2026, 11, 1, 9, 0)
    for day, (kind, data) in enumerate(
        [("schedule", b"s1"), ("finance", b"f1"), ("schedule", b"s2"), ("floor-areas", b"a1")]
    ):
        store.add(
            kind, f"{kind}.xlsx", data, frame_of(kind), NOV_20, "N", base + dt.timedelta(days=day)
        )
    assert not store.is_empty()
    assert [i.id for i in store.list()] == [4, 3, 2, 1]
    assert [i.id for i in store.list("schedule")] == [3, 1]
    assert store.latest("schedule").id == 3 and store.file_bytes(3) == b"s2"
    assert store.latest("finance").id == 2 and store.latest("floor-areas").id == 4
    assert store.list()[0].imported_at == (base + dt.timedelta(days=3)).astimezone()
    with pytest.raises(ValueError):
        store.list("spending")


def test_situations_give_the_snapshot_of_each_kind_current_at_each_date(store):
    added = [
        ("schedule", b"s1", dt.date(2026, 10, 16)),
        ("finance", b"f1", dt.date(2026, 10, 16)),
        ("schedule", b"s2", dt.date(2026, 10, 23)),
        ("schedule", b"s3", dt.date(2026, 10, 30)),
        ("finance", b"f3", dt.date(2026, 10, 30)),
        ("floor-areas", b"a", dt.date(2026, 10, 30)),
        ("schedule", b"s3 fixed", dt.date(2026, 10, 30)),  # a correction of the same week
    ]
    for kind, data, day in added:
        store.add(kind, f"{kind}.xlsx", data, frame_of(kind), day, "N")
    situations = store.situations()
    assert [s.status_date for s in situations] == [
        dt.date(2026, 10, 16),
        dt.date(2026, 10, 23),
        dt.date(2026, 10, 30),
    ]
    # floor areas are a programme: known from 30/10, they stand in for the earlier weeks
    assert [dict(s.snapshots) for s in situations] == [
        {"schedule": 1, "finance": 2, "floor-areas": 6},
        {"schedule": 3, "finance": 2, "floor-areas": 6},
        {"schedule": 7, "finance": 5, "floor-areas": 6},
    ]
    assert store.situation(dt.date(2026, 10, 23)).snapshots["schedule"] == 3
    assert store.situation(dt.date(2026, 10, 24)) is None


# --- kinds, paths, the file itself ----------------------------------------------------------


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_the_file_kind_is_detected_from_the_headers(kind):
    path = SAMPLES[kind]
    assert detect_file_kind(path.read_bytes(), path.name) == kind


def test_a_ledger_alone_is_taken_for_a_finance_workbook_and_refused_incomplete(store):
    csv = "Date d'émission;Montant TTC;N° marché\r\n31/03/2026;120 000,00;M 01/2026\r\n"
    checked = check_bytes(None, "decomptes.csv", csv.encode())
    assert checked.kind == "finance" and not checked.accepted
    failing = {checked.tables[i] for i, p in enumerate(checked.problems) if p.is_error}
    assert failing == {"budget", "contracts"}
    assert store.is_empty()


def test_a_file_of_no_known_kind_is_rejected_with_one_problem(store):
    result = import_bytes(store, None, "notes.csv", b"a;b\r\n1;2\r\n", "Nadia")
    assert result.status == "rejected" and result.kind is None
    assert [p.code for p in result.problems] == ["unknown_kind"]
    assert "notes.csv" in result.problems[0].message
    not_a_sheet = import_bytes(store, None, "photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "N")
    assert not_a_sheet.status == "rejected" and not_a_sheet.errors
    assert store.is_empty()


def test_the_database_path_comes_from_the_environment_then_the_settings(monkeypatch, tmp_path):
    assert resolve_db_path() == DEFAULT_DB == ROOT / "var" / "tracker.sqlite"
    assert resolve_db_path(tmp_path / "setting.sqlite") == tmp_path / "setting.sqlite"
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "env.sqlite"))
    assert resolve_db_path(tmp_path / "setting.sqlite") == tmp_path / "env.sqlite"
    opened = open_store(tmp_path / "setting.sqlite")
    assert opened.path == tmp_path / "env.sqlite" and (tmp_path / "env.sqlite").exists()
    assert not (tmp_path / "setting.sqlite").exists()


def test_the_database_is_a_wal_file_that_a_second_store_reads(sqlite_db):
    store = SQLiteSnapshotStore(sqlite_db)
    import_bytes(store, "schedule", "p.xlsx", SAMPLES["schedule"].read_bytes(), "Nadia")
    with sqlite3.connect(sqlite_db) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA user_version").fetchone()[0] == snapshots.SCHEMA_VERSION
    reopened = SQLiteSnapshotStore(sqlite_db)
    assert [i.id for i in reopened.list()] == [1]
    assert reopened.integrity_check() == "ok"


def test_a_second_store_on_the_same_database_reads_what_the_first_wrote(store, db):
    """Two app servers on one database: what one imports, the other lists and reads."""
    import_bytes(store, "schedule", "p.xlsx", SAMPLES["schedule"].read_bytes(), "Nadia")
    other = open_store_at(db)
    assert [(i.id, i.imported_by) for i in other.list()] == [(1, "Nadia")]
    assert len(other.latest("schedule").frames["schedule"]) == SAMPLE_ROWS["schedule"]
    assert (
        import_bytes(other, "schedule", "p.xlsx", SAMPLES["schedule"].read_bytes(), "K").status
        == "duplicate"
    )


def test_a_database_from_a_newer_version_is_refused(db):
    open_store_at(db)  # created at the current version
    if is_server_url(db):
        raw_execute(db, "UPDATE store_schema SET version = 99")
    else:
        raw_execute(db, "PRAGMA user_version=99")
    before = counts(db)
    with pytest.raises(CorruptStoreError) as caught:
        open_store_at(db)
    assert caught.value.key == "store_safety.error.newer"
    assert "newer version" in caught.value.message("en") and "99" in caught.value.message("en")
    assert counts(db) == before


def test_a_database_of_another_application_is_refused_and_left_as_it_is(db):
    raw_execute(db, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount NUMERIC)")
    with pytest.raises(CorruptStoreError) as caught:
        open_store_at(db)
    assert "invoices" in caught.value.message("fr")
    tables = (
        raw_execute(
            db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )
        if is_server_url(db)
        else raw_execute(db, "SELECT name FROM sqlite_master WHERE type = 'table'")
    )
    assert [t[0] for t in tables] == ["invoices"]
