"""The data in use, rebuilt from the history: the latest situation, the one current at a date,
the seeded store the app and the export open; and the store knowing rows, not figures."""

from __future__ import annotations

import ast
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from pandas.testing import assert_frame_equal

from loaders import LOADERS, load_project
from store import DB_ENV, SQLiteSnapshotStore, check_bytes, store_checked
from store.current import (
    CurrentTables,
    current_tables,
    open_seeded_store,
    situation_at,
    weekly_situations,
)
from views.key_figures import key_figures
from views.situation import situation_of

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SETTINGS = load_project(DATA / "project.toml")
NOV_13, NOV_20 = dt.date(2026, 11, 13), dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> SQLiteSnapshotStore:
    """The sample history (six weekly situations), as the app seeds it on first use."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(DB_ENV, raising=False)
        store = open_seeded_store(SETTINGS, tmp_path_factory.mktemp("current") / "t.sqlite")
    assert len(store.list()) == 15
    return store


def test_the_latest_situation_is_the_files_of_data(seeded):
    current = current_tables(seeded)
    assert current.status_date == NOV_20
    assert {kind: info.id for kind, info in current.snapshots.items()} == {
        "schedule": 12,
        "finance": 13,
        "floor-areas": 14,
        "registers": 15,
    }
    assert list(current.frames) == [
        "schedule",
        "budget",
        "contracts",
        "spending",
        "floor-areas",
        "decisions",
        "actions",
        "risks",
    ]
    schedule = LOADERS["schedule"](DATA / "planning_travaux.xlsx")
    assert_frame_equal(current.frames["schedule"], schedule.frame)
    assert current.snapshots["finance"].name == "suivi_financier.xlsx"
    # the loaders' warnings come back with the tables (a totals row skipped in each sheet)
    assert [p.code for p in current.results["spending"].warnings] == ["totals_row"]
    assert current.results["budget"].header_row == 5
    assert current.key == (
        NOV_20,
        (("schedule", 12), ("finance", 13), ("floor-areas", 14), ("registers", 15)),
    )


@pytest.mark.parametrize(
    ("at", "status", "schedule_id", "finance_id"),
    [
        (NOV_13, NOV_13, 10, 11),  # a situation's own date
        (dt.date(2026, 11, 17), NOV_13, 10, 11),  # between two weeks: the earlier one
        (dt.date(2026, 10, 16), dt.date(2026, 10, 16), 1, 2),  # the first week
        (dt.date(2027, 3, 1), NOV_20, 12, 13),  # after the last one: the last one
    ],
)
def test_a_date_picks_the_situation_current_at_that_date(
    seeded, at, status, schedule_id, finance_id
):
    tables = current_tables(seeded, at=at)
    assert tables.status_date == status
    assert tables.snapshots["schedule"].id == schedule_id
    assert tables.snapshots["finance"].id == finance_id
    # the room schedule is a programme: the only one there is, whatever the week
    assert tables.snapshots["floor-areas"].id == 14
    assert_frame_equal(tables.frames["spending"], seeded.get(finance_id).frames["spending"])


def test_a_past_week_has_its_own_figures(seeded):
    before, after = current_tables(seeded, at=NOV_13), current_tables(seeded)
    paid = {
        tables.status_date: key_figures(
            situation_of(SETTINGS, tables.status_date, tables.frames)
        ).paid
        for tables in (before, after)
    }
    assert paid[NOV_13] == pytest.approx(6_806_293.34)
    assert paid[NOV_20] == pytest.approx(8_369_960.77)


def test_a_date_before_the_history_or_an_empty_store_gives_no_tables(seeded, tmp_path):
    early = current_tables(seeded, at=dt.date(2025, 1, 1))
    assert early.empty and early.frames == {} and early.status_date == dt.date(2025, 1, 1)
    assert situation_at(seeded, dt.date(2025, 1, 1)) is None
    empty = current_tables(SQLiteSnapshotStore(tmp_path / "empty.sqlite"))
    assert empty == CurrentTables(dt.date.today())


def test_open_seeded_store_honours_tracker_db_and_seeds_once(tmp_path, monkeypatch):
    named = tmp_path / "named.sqlite"
    monkeypatch.setenv(DB_ENV, str(named))
    store = open_seeded_store(SETTINGS)
    assert store.path == named
    assert len(store.list()) == 15
    again = open_seeded_store(SETTINGS)
    assert len(again.list()) == 15
    assert current_tables(again).status_date == NOV_20


def test_a_path_given_to_open_seeded_store_is_used_whatever_tracker_db_says(tmp_path, monkeypatch):
    """A command line's ``--db`` names exactly the file to use."""
    monkeypatch.setenv(DB_ENV, str(tmp_path / "environment.sqlite"))
    store = open_seeded_store(SETTINGS, tmp_path / "given.sqlite")
    assert store.path == tmp_path / "given.sqlite" and len(store.list()) == 15
    assert not (tmp_path / "environment.sqlite").exists()


def test_a_corrected_file_for_the_same_date_becomes_the_data_in_use(seeded, tmp_path):
    store = SQLiteSnapshotStore(tmp_path / "t.sqlite")
    sample = (DATA / "planning_travaux.xlsx").read_bytes()
    store_checked(store, check_bytes("schedule", "planning.xlsx", sample), "test")
    book = openpyxl.load_workbook(io.BytesIO(sample))
    book["Planning"]["J60"] = 0.5  # another % on one row, same "Situation au 20/11/2026"
    buffer = io.BytesIO()
    book.save(buffer)
    result = store_checked(
        store, check_bytes("schedule", "planning_corrige.xlsx", buffer.getvalue()), "test"
    )
    assert result.status == "stored"
    current = current_tables(store)
    assert current.status_date == NOV_20
    assert current.snapshots["schedule"].name == "planning_corrige.xlsx"


def test_a_room_schedule_imported_later_joins_the_week_of_the_progress_files(seeded, tmp_path):
    store = SQLiteSnapshotStore(tmp_path / "t.sqlite")
    for kind, path in (
        ("schedule", DATA / "planning_travaux.xlsx"),
        ("finance", DATA / "suivi_financier.xlsx"),
        ("floor-areas", DATA / "programme_surfaces.xlsx"),
    ):
        store_checked(store, check_bytes(kind, path.name, path.read_bytes()), "test")
    rooms = "N° local;Désignation;Type de local;Surface (m²)\r\nR1;Bureau 1;Bureau start-up;15\r\n"
    later = check_bytes("floor-areas", "surfaces.csv", rooms.encode(), today=dt.date(2026, 11, 26))
    assert later.status_date == dt.date(2026, 11, 26)  # nothing declared: the day of import
    stored = store_checked(store, later, "test")
    assert [s.status_date for s in store.situations()] == [NOV_20, dt.date(2026, 11, 26)]
    # a room schedule says nothing about progress: still the week of 20/11, with the new rooms
    assert [s.status_date for s in weekly_situations(store)] == [NOV_20]
    current = current_tables(store)
    assert current.status_date == NOV_20
    assert current.snapshots["floor-areas"].id == stored.snapshot_id
    assert len(current.frames["floor-areas"]) == 1


def test_a_capped_report_ends_each_sheet_with_how_many_more_were_found():
    """A 600-task schedule whose every start is unreadable, checked with a cap of 20 problems:
    rows listed in order, then the line saying how many more, not above them."""
    import io

    import openpyxl

    from loaders.limits import ReadLimits
    from store import check_bytes

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Planning"
    sheet.append(["N°", "Tâche", "Début", "Fin", "% réalisé"])
    for index in range(600):
        sheet.append([f"T{index}", "Coulage", "le 3 du mois", "20/03/2026", 0])
    buffer = io.BytesIO()
    book.save(buffer)
    checked = check_bytes(
        "schedule", "planning.xlsx", buffer.getvalue(), limits=ReadLimits(max_problems=20)
    )
    assert not checked.accepted
    rows = [p.row for p in checked.problems if p.code == "bad_date"]
    assert rows == list(range(2, 2 + len(rows))) and 0 < len(rows) <= 20
    last = checked.problems[-1]
    assert last.code == "more_problems" and last.sheet == "Planning"
    assert str(600 - len(checked.problems) + 1) in last.message


def test_no_module_of_the_store_imports_the_domain():
    """The store keeps rows and snapshots; figures are the domain's (``tracking/``) and
    the views'. An import of ``tracking`` anywhere under ``store/`` would undo that."""
    offenders = []
    for path in sorted((ROOT / "store").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}" for n in names if n == "tracking" or n.startswith("tracking.")
            ]
    assert offenders == []
