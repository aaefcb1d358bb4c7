"""Tables stored column-wise (schema 4: Arrow batches in ``snapshot_batches``) on each engine
(the ``db`` fixture of tests/store/conftest.py): every dtype a frame can hold comes back
exactly, values and dtypes, across batch boundaries (by hand and property-based); a history
written row-wise before (schemas 1-3) still reads back identically, beside new snapshots, and
is upgraded in place; a damaged batch is named by ``UnreadableSnapshotError`` (never read as
other figures, never a traceback), and one over ``MAX_TABLE_BYTES`` is refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

import store.snapshots as snapshots
from loaders import LOADERS
from store import CorruptStoreError, UnreadableSnapshotError, import_bytes, open_store_at
from store.__main__ import main
from store.current import current_tables
from store.snapshots import (
    BATCH_ROWS,
    decode_columns,
    decode_frame,
    encode_columns,
    encode_frame,
    is_server_url,
)
from tests.store.helpers import counts, raw_execute

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SCHEDULE = DATA / "planning_travaux.xlsx"
WEEK_45 = DATA / "history" / "2026-11-13" / "planning_travaux.xlsx"
FINANCE = DATA / "suivi_financier.xlsx"
NOV_20 = dt.date(2026, 11, 20)
ISO = "ISO8601"


def every_dtype() -> pd.DataFrame:
    """Four rows of each dtype a loader or a user's frame may hold, with their edge values:
    missing ones of every kind, -0.0, infinities, a NaN held as a value of a Float64 column
    (not a missing one), 2**63 - 1, nanoseconds, a fixed UTC offset, text with quotes."""
    return pd.DataFrame(
        {
            "text": pd.array(["a", None, "", 'é « guillemets » ; "x"\n'], dtype="str"),
            "nullable_text": pd.array(["a", None, "b", "ج"], dtype="string"),
            "day": pd.to_datetime(["2026-11-20", None, "2026-02-16", "1999-12-31"]).astype(
                "datetime64[us]"
            ),
            "moment": pd.to_datetime(
                ["2026-11-20 08:30:00.000123", None, "2026-02-16", "2026-01-01 23:59:59"],
                format=ISO,
            ).astype("datetime64[us]"),
            "nanos": pd.to_datetime(
                ["2026-01-01 00:00:00.000000001", None, "1970-01-01", "2262-01-01"], format=ISO
            ),
            "seconds": pd.Series(
                pd.to_datetime(["2026-01-01", None, "1700-01-01", "2200-01-01"], format=ISO)
            ).astype("datetime64[s]"),
            "aware": pd.to_datetime(
                ["2026-11-20 08:30", None, "2026-02-16", "2026-01-01"], format=ISO
            ).tz_localize("Africa/Casablanca"),
            "offset": pd.to_datetime(
                [
                    "2026-01-01 10:00+01:00",
                    None,
                    "2026-03-29 02:30+01:00",
                    "2026-12-31 23:59+01:00",
                ],
                format=ISO,
            ),
            "number": [1.5, np.nan, -0.0, 1e-300],
            "extreme": [np.inf, -np.inf, 5e-324, 1.7976931348623157e308],
            "single": np.array([1.5, np.nan, -0.0, np.inf], dtype="float32"),
            "whole": np.array([1, 2, -(2**63), 2**63 - 1], dtype="int64"),
            "byte": np.array([0, 255, 3, 4], dtype="uint8"),
            "maybe_whole": pd.array([1, None, 3, 2**63 - 1], dtype="Int64"),
            "maybe_number": pd.arrays.FloatingArray(
                np.array([np.nan, 1.0, -0.0, np.inf]), np.array([False, True, False, False])
            ),
            "flag": [True, False, True, False],
            "maybe_flag": pd.array([True, None, False, True], dtype="boolean"),
            "mixed": pd.array(["x", 1, None, 2.5], dtype=object),
            "nothing": pd.array([None] * 4, dtype="str"),
        }
    )


def assert_exactly_equal(back: pd.DataFrame, frame: pd.DataFrame) -> None:
    """Equal values, masks and dtypes (their full repr: storage, unit, zone), and the sign of
    every zero (``assert_frame_equal`` takes -0.0 for 0.0)."""
    assert_frame_equal(back, frame, check_exact=True)
    assert [repr(back[c].dtype) for c in back] == [repr(frame[c].dtype) for c in frame]
    for column in frame:
        if frame[column].dtype.kind == "f":
            signs = [
                np.signbit(f[column].to_numpy(dtype=float, na_value=0.0)) for f in (back, frame)
            ]
            assert (signs[0] == signs[1]).all(), column


def round_trip(frame: pd.DataFrame) -> pd.DataFrame:
    encoded = encode_columns(frame)
    return decode_columns(encoded.columns, [(n, data) for _, n, data in encoded.batches])


def batches(db, snapshot_id: int) -> list[tuple]:
    """(table, position, rows, sha256, data) of each stored batch of a snapshot."""
    found = raw_execute(
        db,
        "SELECT table_kind, position, row_count, sha256, data FROM snapshot_batches"
        " WHERE snapshot_id = ? ORDER BY table_kind, position",
        (snapshot_id,),
    )
    return [(t, p, n, digest, bytes(data)) for t, p, n, digest, data in found]


# --- the encoding ----------------------------------------------------------------------------


def test_every_dtype_comes_back_exactly_from_the_arrow_batches():
    frame = every_dtype()
    back = round_trip(frame)
    assert_exactly_equal(back, frame)
    # what the row layout loses, the columns keep: a NaN value of a Float64 column
    assert back["maybe_number"].isna().tolist() == [False, True, False, False]
    assert math.isnan(back["maybe_number"].to_numpy(dtype=float, na_value=0.0)[0])
    assert decode_frame(*_rows(frame))["maybe_number"].isna().tolist()[0]  # the rows: NA
    # the frame read back is an ordinary one: it can be changed in place
    back.loc[0, "byte"] = 7
    back.loc[1, "day"] = pd.Timestamp(2026, 1, 1)
    assert back.loc[0, "byte"] == 7


def _rows(frame: pd.DataFrame) -> tuple:
    encoded = encode_frame(frame)
    return encoded.columns, encoded.rows


def test_a_frame_is_cut_into_batches_of_batch_rows(monkeypatch):
    monkeypatch.setattr(snapshots, "BATCH_ROWS", 3)
    frame = pd.concat([every_dtype()] * 5, ignore_index=True)  # 20 rows: 3+3+3+3+3+3+2
    encoded = encode_columns(frame)
    assert [(start, rows) for start, rows, _ in encoded.batches] == [
        (0, 3),
        (3, 3),
        (6, 3),
        (9, 3),
        (12, 3),
        (15, 3),
        (18, 2),
    ]
    # each batch is a plain Arrow IPC stream that any Arrow reader opens
    first = pa.ipc.open_stream(encoded.batches[0][2]).read_all()
    assert first.column_names == list(frame.columns) and first.num_rows == 3
    assert first.column("text").to_pylist() == ["a", None, ""]
    assert_exactly_equal(round_trip(frame), frame)


def test_mixed_values_come_back_as_the_row_layout_gave_them():
    """An ``object`` column holds what JSON can (``_plain``): a date as its ISO text, as the
    rows always did; nothing else changes."""
    frame = pd.DataFrame(
        {"mixed": pd.array([dt.date(2026, 11, 20), 3, None, True, 1.5, "x"], dtype=object)}
    )
    back = round_trip(frame)
    assert back["mixed"].tolist() == ["2026-11-20", 3, None, True, 1.5, "x"]
    assert_frame_equal(back, decode_frame(*_rows(frame)), check_exact=True)


def test_a_frame_without_columns_keeps_its_rows_and_an_empty_one_its_dtypes():
    assert round_trip(pd.DataFrame(index=range(7))).shape == (7, 0)
    empty = every_dtype().iloc[:0].reset_index(drop=True)
    encoded = encode_columns(empty)
    assert encoded.batches == [] and encoded.row_count == 0
    assert_exactly_equal(round_trip(empty), empty)


def test_the_sample_ledger_takes_far_less_room_in_batches_than_in_rows():
    """78 décomptes: already a third of their JSON rows' size, compressed whole columns at a
    time (scripts/bench_store.py measures a 100 000-row ledger)."""
    spending = LOADERS["spending"](FINANCE).frame
    in_rows = sum(len(text.encode()) for text in encode_frame(spending).rows)
    in_batches = sum(len(data) for *_, data in encode_columns(spending).batches)
    assert in_batches * 3 < in_rows


#: the dtypes drawn by the property below, each with the values it may hold
_INT64 = st.integers(-(2**63), 2**63 - 1)
_MICROS = st.integers(-8_000_000_000_000_000, 9_000_000_000_000_000)  # years 1716-2255
_TEXT = st.text(max_size=8)


def _values(draw, rows: int, values) -> list:
    return draw(st.lists(values, min_size=rows, max_size=rows))


def _with_nat(ints: list) -> np.ndarray:
    return np.array([np.iinfo("int64").min if v is None else v for v in ints], dtype="int64")


def _column(draw, kind: str, rows: int):
    maybe = st.none
    if kind in ("str", "string"):
        return pd.array(_values(draw, rows, st.one_of(maybe(), _TEXT)), dtype=kind)
    if kind in ("float64", "float32"):
        width = 64 if kind == "float64" else 32
        return np.array(_values(draw, rows, st.floats(width=width)), dtype=kind)
    if kind == "int64":
        return np.array(_values(draw, rows, _INT64), dtype="int64")
    if kind == "uint8":
        return np.array(_values(draw, rows, st.integers(0, 255)), dtype="uint8")
    if kind == "bool":
        return np.array(_values(draw, rows, st.booleans()), dtype=bool)
    if kind == "Int64":
        return pd.array(_values(draw, rows, st.one_of(maybe(), _INT64)), dtype="Int64")
    if kind == "Float64":  # values and mask drawn apart: a NaN may be a value, not a missing
        values = np.array(_values(draw, rows, st.floats()), dtype="float64")
        mask = np.array(_values(draw, rows, st.booleans()), dtype=bool)
        return pd.arrays.FloatingArray(values, mask)
    if kind == "boolean":
        return pd.array(_values(draw, rows, st.one_of(maybe(), st.booleans())), dtype="boolean")
    if kind.startswith("datetime64"):
        instants = _with_nat(_values(draw, rows, st.one_of(maybe(), _MICROS)))
        naive = instants.view("datetime64[us]")
        if kind == "datetime64[ns]":
            return naive.astype("datetime64[ns]")
        if kind == "datetime64[us]":
            return naive
        zone = kind.split(", ")[1].rstrip("]")
        return pd.DatetimeIndex(naive).tz_localize("UTC").tz_convert(zone)
    assert kind == "object"
    json_values = st.one_of(
        maybe(),
        st.booleans(),
        st.integers(-(2**53), 2**53),
        st.floats(allow_nan=False),
        _TEXT,
    )
    return pd.array(_values(draw, rows, json_values), dtype=object)


KINDS = (
    "str",
    "string",
    "float64",
    "float32",
    "int64",
    "uint8",
    "bool",
    "Int64",
    "Float64",
    "boolean",
    "datetime64[us]",
    "datetime64[ns]",
    "datetime64[us, UTC]",
    "datetime64[us, Africa/Casablanca]",
    "object",
)


@settings(max_examples=300, deadline=None, database=None)
@given(data=st.data())
def test_any_frame_of_these_dtypes_comes_back_exactly(data):
    rows = data.draw(st.integers(0, 11), label="rows")
    kinds = data.draw(st.lists(st.sampled_from(KINDS), max_size=6), label="kinds")
    frame = pd.DataFrame(
        {f"c{i} {kind}": _column(data.draw, kind, rows) for i, kind in enumerate(kinds)},
        index=pd.RangeIndex(rows),
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(snapshots, "BATCH_ROWS", 4)  # batch boundaries inside most frames
        encoded = encode_columns(frame)
        assert sum(n for _, n, _ in encoded.batches) == rows
        assert_exactly_equal(round_trip(frame), frame)


# --- through the store, on each engine -------------------------------------------------------


def big_every_dtype() -> pd.DataFrame:
    """``every_dtype`` grown past two batches: 2 × BATCH_ROWS + 8 rows."""
    copies = (2 * BATCH_ROWS + 8) // 4
    return pd.concat([every_dtype()] * copies, ignore_index=True)


def test_a_new_snapshot_is_stored_in_arrow_batches_and_comes_back_exactly(store, db):
    frame = big_every_dtype()
    outcome = store.add("schedule", "every.csv", b"every", {"schedule": frame}, NOV_20, "Nadia")
    assert outcome.stored

    stored = batches(db, outcome.snapshot_id)
    assert [(t, p, n) for t, p, n, _, _ in stored] == [
        ("schedule", 0, BATCH_ROWS),
        ("schedule", BATCH_ROWS, BATCH_ROWS),
        ("schedule", 2 * BATCH_ROWS, 8),
    ]
    assert all(hashlib.sha256(data).hexdigest() == digest for *_, digest, data in stored)
    assert counts(db)["snapshot_rows"] == 0  # nothing in the row layout
    last = pa.ipc.open_stream(stored[-1][4]).read_all()
    assert (last.num_rows, last.column_names) == (8, list(frame.columns))

    # read by another store on the same database (another app server): exactly the frame
    back = open_store_at(db).get(outcome.snapshot_id)
    assert back.tables == {"schedule": len(frame)} and back.row_count == len(frame)
    assert_exactly_equal(back.frames["schedule"], frame)


# --- the history written before ----------------------------------------------------------------


def test_a_snapshot_written_row_wise_still_reads_back_beside_new_ones(db):
    old = open_store_at(db)
    old.layout = "rows"  # the writer of schemas 1-3, kept for this test and the benchmark
    assert import_bytes(old, "finance", FINANCE.name, FINANCE.read_bytes(), "Nadia").stored
    assert import_bytes(old, "schedule", WEEK_45.name, WEEK_45.read_bytes(), "Nadia").stored
    assert counts(db)["snapshot_rows"] == 122 + 69 and batches(db, 1) == batches(db, 2) == []

    store = open_store_at(db)
    assert import_bytes(store, "schedule", SCHEDULE.name, SCHEDULE.read_bytes(), "Karim").stored
    assert [t for t, *_ in batches(db, 3)] == ["schedule"]
    assert counts(db)["snapshot_rows"] == 122 + 69  # the new one wrote no row

    for table in ("budget", "contracts", "spending"):
        assert_exactly_equal(store.frames(1)[table], LOADERS[table](FINANCE).frame)
    assert_exactly_equal(store.frames(2)["schedule"], LOADERS["schedule"](WEEK_45).frame)
    assert_exactly_equal(store.frames(3)["schedule"], LOADERS["schedule"](SCHEDULE).frame)
    assert store.unreadable_snapshots() == []
    current = current_tables(store)
    assert {kind: s.id for kind, s in current.snapshots.items()} == {"finance": 1, "schedule": 3}


def _back_to_version_3(db) -> None:
    """The database as version 3 wrote it: no batches table, version 3."""
    raw_execute(db, "DROP TABLE snapshot_batches")
    if is_server_url(db):
        raw_execute(db, "UPDATE store_schema SET version = 3")
    else:
        raw_execute(db, "PRAGMA user_version = 3")


def _counts_of_version_3(db) -> dict[str, int]:
    """Rows of each snapshot table a version-3 database has (no ``snapshot_batches``)."""
    tables = ("snapshots", "snapshot_files", "snapshot_tables", "snapshot_rows")
    return {table: raw_execute(db, f"SELECT count(*) FROM {table}")[0][0] for table in tables}


def _version(db) -> int:
    if is_server_url(db):
        return raw_execute(db, "SELECT version FROM store_schema")[0][0]
    return raw_execute(db, "PRAGMA user_version")[0][0]


def test_a_version_3_database_is_upgraded_in_place_and_its_rows_read_back(db):
    old = open_store_at(db)
    old.layout = "rows"
    import_bytes(old, "schedule", WEEK_45.name, WEEK_45.read_bytes(), "Nadia")
    import_bytes(old, "finance", FINANCE.name, FINANCE.read_bytes(), "Nadia")
    dispose = getattr(old, "dispose", None)
    if dispose is not None:
        dispose()
    _back_to_version_3(db)
    before = _counts_of_version_3(db)

    upgraded = open_store_at(db)

    assert _version(db) == snapshots.SCHEMA_VERSION == 4
    assert _counts_of_version_3(db) == before and batches(db, 1) == []
    assert [(i.id, i.kind) for i in upgraded.list()] == [(2, "finance"), (1, "schedule")]
    assert_exactly_equal(upgraded.frames(1)["schedule"], LOADERS["schedule"](WEEK_45).frame)
    assert_exactly_equal(upgraded.frames(2)["spending"], LOADERS["spending"](FINANCE).frame)
    assert [(e.action, e.snapshot_id) for e in upgraded.audit()] == [
        ("import_stored", 2),
        ("import_stored", 1),
    ]  # the trail of version 3 is kept
    again = import_bytes(upgraded, "schedule", WEEK_45.name, WEEK_45.read_bytes(), "Karim")
    assert (again.status, again.duplicate_of) == ("duplicate", 1)
    new = import_bytes(upgraded, "schedule", SCHEDULE.name, SCHEDULE.read_bytes(), "Karim")
    assert new.snapshot_id == 3 and [t for t, *_ in batches(db, 3)] == ["schedule"]
    assert counts(db)["snapshot_rows"] == before["snapshot_rows"]


def test_a_version_4_database_without_its_batches_table_is_refused(db):
    open_store_at(db)
    raw_execute(db, "DROP TABLE snapshot_batches")
    with pytest.raises(CorruptStoreError) as caught:
        open_store_at(db)
    assert caught.value.key == "store_safety.error.incomplete"
    assert "snapshot_batches" in caught.value.message("en")


# --- damage ------------------------------------------------------------------------------------


def two_schedules(db):
    """Snapshot 1: the schedule of 13/11/2026; 2: the one of 20/11/2026 (69 tasks each, one
    batch each)."""
    store = open_store_at(db)
    assert import_bytes(store, "schedule", "planning_s46.xlsx", WEEK_45.read_bytes(), "N").stored
    assert import_bytes(store, "schedule", SCHEDULE.name, SCHEDULE.read_bytes(), "Karim").stored
    return store


def set_batch(db, snapshot_id: int, data: bytes, digest: str | None = None) -> None:
    """Replaces the first batch of a snapshot (with the SHA-256 of ``data`` when ``digest`` is
    ``"match"``: a forger's, or a bug's, not a flipped bit)."""
    raw_execute(
        db,
        "UPDATE snapshot_batches SET data = ?, sha256 = coalesce(?, sha256)"
        " WHERE snapshot_id = ? AND position = 0",
        (data, hashlib.sha256(data).hexdigest() if digest == "match" else None, snapshot_id),
    )


def flipped(data: bytes) -> bytes:
    """One bit flipped near the end of the stream, in the data of its last columns."""
    return data[:-200] + bytes([data[-200] ^ 0x01]) + data[-199:]


def other_table() -> bytes:
    return encode_columns(pd.DataFrame({"task_id": pd.array(["x"] * 69, dtype="str")})).batches[0][
        2
    ]


UNDECODABLE = (
    "des lignes du tableau « planning » sont illisibles",
    "rows of the table “schedule” cannot be read",
)


#: each damage, with what the reader is told of it (French, English)
DAMAGES = [
    ("flipped bit", *UNDECODABLE),
    ("garbage with its digest", *UNDECODABLE),
    ("another table's batch with its digest", *UNDECODABLE),
    ("truncated with its digest", *UNDECODABLE),
    (
        "batch deleted",
        "le tableau « planning » compte 0 ligne au lieu de 69",
        "the table “schedule” holds 0 rows instead of 69",
    ),
    (
        "rows of the batch changed",
        "le tableau « planning » compte 68 lignes au lieu de 69",
        "the table “schedule” holds 68 rows instead of 69",
    ),
    ("batch moved", *UNDECODABLE),
    ("manifest of another dtype", *UNDECODABLE),
]


@pytest.mark.parametrize(
    ("damage", "french", "english"), [pytest.param(*d, id=d[0]) for d in DAMAGES]
)
def test_each_kind_of_damage_to_a_batch_is_named(db, damage, french, english):
    store = two_schedules(db)
    ((_, _, _, _, data),) = batches(db, 2)
    where = "WHERE snapshot_id = 2"
    if damage == "flipped bit":
        set_batch(db, 2, flipped(data))
    elif damage == "garbage with its digest":
        set_batch(db, 2, b"\xff\xff\xff\xff not an Arrow stream", "match")
    elif damage == "another table's batch with its digest":
        set_batch(db, 2, other_table(), "match")
    elif damage == "truncated with its digest":
        set_batch(db, 2, data[: len(data) // 2], "match")
    elif damage == "batch deleted":  # no batch left: read as rows, and there is none
        raw_execute(db, f"DELETE FROM snapshot_batches {where}")
    elif damage == "rows of the batch changed":
        raw_execute(db, f"UPDATE snapshot_batches SET row_count = 68 {where}")
    elif damage == "batch moved":
        raw_execute(db, f"UPDATE snapshot_batches SET position = 1 {where}")
    else:
        raw_execute(
            db,
            "UPDATE snapshot_tables SET columns = ? WHERE snapshot_id = 2",
            ('[["task_id", "int64"]]',),
        )
    with pytest.raises(UnreadableSnapshotError) as raised:
        store.get(2)
    error = raised.value
    assert (error.snapshot_id, error.file, error.kind) == (2, SCHEDULE.name, "schedule")
    assert french in error.message("fr") and english in error.message("en")
    assert [e.snapshot_id for e in store.unreadable_snapshots()] == [2]
    assert_exactly_equal(store.frames(1)["schedule"], LOADERS["schedule"](WEEK_45).frame)
    # withdrawing it brings the data in use back to the previous snapshot
    store.withdraw(2, "Karim", "illisible")
    assert current_tables(store).snapshots["schedule"].id == 1


def test_a_batch_that_is_not_binary_is_named_not_raised(sqlite_db):
    """SQLite keeps whatever type a statement writes: text where the batch was."""
    store = two_schedules(sqlite_db)
    raw_execute(sqlite_db, "UPDATE snapshot_batches SET data = 'abc' WHERE snapshot_id = 2")
    with pytest.raises(UnreadableSnapshotError) as raised:
        store.get(2)
    assert UNDECODABLE[1] in raised.value.message("en")


def test_a_table_over_the_size_limit_is_refused_before_it_is_fetched(db, monkeypatch, caplog):
    store = two_schedules(db)
    ((_, _, _, _, data),) = batches(db, 2)
    monkeypatch.setattr(snapshots, "MAX_TABLE_BYTES", len(data) - 1)
    caplog.set_level(logging.ERROR, logger="store.snapshots")
    with pytest.raises(UnreadableSnapshotError) as raised:
        store.get(2)
    assert raised.value.snapshot_id == 2
    # its size is the database's (``length(data)``): the batch itself was never fetched
    assert f"{len(data)} bytes of batches, over the limit of {len(data) - 1}" in caplog.text
    monkeypatch.setattr(snapshots, "MAX_TABLE_BYTES", len(data))
    assert len(store.get(2).frames["schedule"]) == 69


def test_the_check_command_names_a_snapshot_whose_batch_is_damaged(capsys, db):
    two_schedules(db)
    ((_, _, _, _, data),) = batches(db, 1)
    set_batch(db, 1, flipped(data))
    assert main(["check", "--db", str(db), "--lang", "en"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "1 unreadable snapshot:"
    assert lines[1].startswith("  Snapshot no. 1 (“planning_s46.xlsx”, schedule) of the database")
    assert UNDECODABLE[1] in lines[1]
