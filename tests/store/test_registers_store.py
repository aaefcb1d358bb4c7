"""The registers in the history, on both engines: each save a version with its author and
time, versions that make no weekly situation of their own, the version in force at each
situation, a refused edit that stores nothing, and the command line's import."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from exports.registers_file import record_registers, registers_workbook
from loaders.schema import ACTIONS
from store import check_bytes, store_checked
from store.current import current_tables, tables_of, weekly_situations
from tests.loaders.builders import xlsx_bytes
from tests.store.helpers import counts, raw_execute

ROOT = Path(__file__).resolve().parents[2]
SCHEDULE_HEADER = ["N°", "Désignation", "Début prévu", "Fin prévue", "% réalisé"]


def schedule_file(day: dt.date) -> bytes:
    return xlsx_bytes(
        [
            [f"Situation au {day:%d/%m/%Y}"],
            SCHEDULE_HEADER,
            ["T1", "Terrassements", dt.date(2026, 2, 16), dt.date(2026, 3, 13), 100],
            ["T2", "Gros œuvre", dt.date(2026, 3, 16), dt.date(2026, 6, 26), 40 + day.day],
        ]
    )


def register_frames(status: str, due: str = "2026-11-06") -> dict[str, pd.DataFrame]:
    return {
        "actions": pd.DataFrame(
            [
                {
                    "action_id": "A-01",
                    "action": "Transmettre le planning recalé",
                    "owner": "Entreprise",
                    "due_date": pd.Timestamp(due),
                    "status": status,
                    "opened_date": pd.Timestamp("2026-10-16"),
                }
            ]
        )
    }


def import_schedule(store, day: dt.date) -> int:
    checked = check_bytes("schedule", f"planning_{day}.xlsx", schedule_file(day), "fr")
    assert checked.accepted, checked.problems
    when = dt.datetime.combine(day, dt.time(17))
    return store_checked(store, checked, "test", when).snapshot_id


def import_register(store, frames, day: dt.date, when: dt.datetime) -> int:
    data = registers_workbook(frames, "fr", status_date=day)
    checked = check_bytes("registers", f"registres_{day}.xlsx", data, "fr")
    assert checked.accepted, [p.message for p in checked.problems]
    return store_checked(store, checked, "secrétariat COPIL", when).snapshot_id


def test_register_versions_make_no_situation_and_each_situation_uses_the_one_in_force(store):
    """Schedules at 13/11 and 20/11; registers recorded on 10/11 (open) and 25/11 (done):
    two situations, not four; the 13/11 one holds the 10/11 version; the latest one the
    latest version, recorded after its status date."""
    import_schedule(store, dt.date(2026, 11, 13))
    import_schedule(store, dt.date(2026, 11, 20))
    first = import_register(
        store, register_frames("open"), dt.date(2026, 11, 10), dt.datetime(2026, 11, 10, 9)
    )
    second = import_register(
        store, register_frames("done"), dt.date(2026, 11, 25), dt.datetime(2026, 11, 25, 9)
    )
    situations = weekly_situations(store)
    assert [s.status_date for s in situations] == [dt.date(2026, 11, 13), dt.date(2026, 11, 20)]
    assert situations[0].snapshots["registers"] == first
    assert situations[1].snapshots["registers"] == second
    latest = current_tables(store)
    assert latest.status_date == dt.date(2026, 11, 20)
    assert latest.frames["actions"].loc[0, "status"] == "done"
    earlier = tables_of(store, situations[0])
    assert earlier.frames["actions"].loc[0, "status"] == "open"


def test_a_situation_before_any_register_has_none(store):
    import_schedule(store, dt.date(2026, 11, 6))
    import_schedule(store, dt.date(2026, 11, 20))
    import_register(
        store, register_frames("open"), dt.date(2026, 11, 10), dt.datetime(2026, 11, 10, 9)
    )
    first, latest = weekly_situations(store)
    assert "registers" not in first.snapshots
    assert "registers" in latest.snapshots


def test_an_edit_is_recorded_as_a_version_with_its_author_and_a_bad_one_stores_nothing(db, store):
    import_schedule(store, dt.date(2026, 11, 20))
    done = record_registers(
        store, register_frames("open"), recorded_by="n.benali@arep.ma", today=dt.date(2026, 11, 27)
    )
    assert done.status == "stored"
    info = store.list("registers")[0]
    assert (info.imported_by, info.status_date) == ("n.benali@arep.ma", dt.date(2026, 11, 27))
    before = counts(db)
    # closed the day before it was opened: refused by the loaders, nothing stored
    bad = register_frames("done")
    bad["actions"] = bad["actions"].assign(closed_date=pd.Timestamp("2026-10-15"))
    refused = record_registers(store, bad, recorded_by="n.benali@arep.ma")
    assert refused.status == "rejected"
    problem = next(p for p in refused.problems if p.severity == "error")
    assert (problem.code, problem.sheet, problem.row) == ("finish_before_start", "Actions", 5)
    assert counts(db) == before
    assert current_tables(store).frames["actions"].loc[0, "status"] == "open"
    trail = raw_execute(db, "SELECT action, actor FROM audit_log ORDER BY id")
    assert trail[-1] == ("import_refused", "n.benali@arep.ma")


def test_the_same_register_saved_again_the_same_day_is_not_a_new_version(store):
    import_schedule(store, dt.date(2026, 11, 20))
    day = dt.date(2026, 11, 27)
    first = record_registers(store, register_frames("open"), recorded_by="a", today=day)
    again = record_registers(store, register_frames("open"), recorded_by="a", today=day)
    assert (first.status, again.status) == ("stored", "duplicate")
    assert len(store.list("registers")) == 1


def test_the_command_line_imports_the_sample_registers(tmp_path):
    db = tmp_path / "h.sqlite"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "store",
            "import",
            str(ROOT / "data" / "registres_copil.xlsx"),
            "--kind",
            "registers",
            "--by",
            "test",
            "--db",
            str(db),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "20/11/2026" in done.stdout
    rows = raw_execute(db, "SELECT kind, row_count FROM snapshots")
    assert rows == [("registers", 5 + 8 + 12)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_register_written_in_either_language_stores_the_same_codes(store, lang):
    import_schedule(store, dt.date(2026, 11, 20))
    record_registers(store, register_frames("open"), lang=lang, recorded_by="x")
    frame = current_tables(store).frames["actions"]
    assert frame.loc[0, ACTIONS.status] == "open"
    assert frame.loc[0, ACTIONS.due_date] == pd.Timestamp("2026-11-06")
