"""Planning-software files (MS Project .mpp and MSPDI, Primavera XER) through the store, on real
SQLite files: the schedule and its calendars come back as the loader gave them, the original
bytes are kept exactly, identical bytes are stored once, a spreadsheet schedule imported later
takes the project file's calendars out of the data in use, and a refused file changes nothing,
from ``import_bytes`` as from ``python -m store import``.

The expected frames come from ``load_schedule`` on the same bytes; the XER's task codes and
calendar names are also read straight from its TASK and CALENDAR tables (tab-separated text),
and the MSPDI file with its holiday and its worked Saturday is written here, so those values do
not depend on the loader under test.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import store as store_module
from loaders import load_schedule
from loaders.schema import CALENDARS, SCHEDULE
from store import check_bytes, import_bytes, open_store_at, store_checked
from store.current import current_tables
from tests.store.helpers import counts

ROOT = Path(__file__).resolve().parents[2]
SPREADSHEET_SCHEDULE = ROOT / "data" / "planning_travaux.xlsx"
NOV_20 = dt.date(2026, 11, 20)
#: the status date the P6 sample declares (PROJECT.last_recalc_date)
XER_STATUS = dt.date(2015, 2, 24)
XER = "percent-complete-8.4.xer"

#: real files, each with the scheduling rules its calendars must carry
PROJECT_FILES = {
    "task-links-project2016-mpp14.mpp": "msproject",
    "mpxj_sample.mpp": "msproject",
    XER: "primavera",
}


def loaded(data: bytes, name: str, lang: str = "fr"):
    """``load_schedule`` on ``data`` under the user's file name, as the store runs it."""
    source = io.BytesIO(data)
    source.name = name
    return load_schedule(source, lang=lang)


def xer_table(data: bytes, table: str) -> list[dict[str, str]]:
    """The records of one table of an XER file: ``%T name``, a ``%F`` line of field names, then
    one ``%R`` line per record, tab-separated."""
    records, fields, inside = [], None, False
    for line in data.decode("cp1252").splitlines():
        cells = line.split("\t")
        if cells[0] == "%T":
            inside = cells[1] == table
        elif inside and cells[0] == "%F":
            fields = cells[1:]
        elif inside and cells[0] == "%R":
            records.append(dict(zip(fields, cells[1:], strict=False)))
    return records


# --- an MSPDI file written here: a 5-day calendar with a holiday and a worked Saturday ---------


def _working_times(*spans: tuple[str, str]) -> str:
    times = "".join(
        f"<WorkingTime><FromTime>{a}:00</FromTime><ToTime>{b}:00</ToTime></WorkingTime>"
        for a, b in spans
    )
    return f"<WorkingTimes>{times}</WorkingTimes>"


#: MSPDI day types: 1 Sunday … 7 Saturday; Monday to Friday worked 08:00-12:00, 13:00-17:00
_WEEK = "".join(
    f"<WeekDay><DayType>{day}</DayType><DayWorking>{int(2 <= day <= 6)}</DayWorking>"
    + (_working_times(("08:00", "12:00"), ("13:00", "17:00")) if 2 <= day <= 6 else "")
    + "</WeekDay>"
    for day in range(1, 8)
)


def _exception(name: str, day: str, working: bool) -> str:
    times = _working_times(("08:00", "12:00")) if working else ""
    return (
        "<Exception><EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod>"
        f"<FromDate>{day}T00:00:00</FromDate><ToDate>{day}T23:59:00</ToDate></TimePeriod>"
        f"<Occurrences>1</Occurrences><Name>{name}</Name><Type>1</Type>"
        f"<DayWorking>{int(working)}</DayWorking>{times}</Exception>"
    )


def _task(uid: int, name: str, start: str, finish: str, days: int, level: int, **more) -> str:
    links = "".join(
        f"<PredecessorLink><PredecessorUID>{p}</PredecessorUID><Type>1</Type>"
        "<LinkLag>0</LinkLag><LagFormat>7</LagFormat></PredecessorLink>"
        for p in more.get("after", ())
    )
    return (
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name><Type>0</Type>"
        f"<OutlineLevel>{level}</OutlineLevel><Start>{start}T08:00:00</Start>"
        f"<Finish>{finish}T17:00:00</Finish><Duration>PT{days * 8}H0M0S</Duration>"
        f"<DurationFormat>7</DurationFormat><Milestone>0</Milestone>"
        f"<Summary>{int(more.get('summary', False))}</Summary>"
        "<PercentComplete>0</PercentComplete><ConstraintType>0</ConstraintType>"
        f"<CalendarUID>-1</CalendarUID>{links}</Task>"
    )


def mspdi(doctype: str = "") -> bytes:
    """A small MS Project XML: a summary over two linked tasks, the calendar ``Chantier`` with
    1 May 2026 off and Saturday 9 May 2026 worked, status date 4 May 2026."""
    tasks = (
        _task(0, "Projet", "2026-04-27", "2026-05-12", 12, 0, summary=True)
        + _task(1, "Gros œuvre", "2026-04-27", "2026-05-12", 12, 1, summary=True)
        + _task(2, "Fouilles", "2026-04-27", "2026-04-30", 4, 2)
        + _task(3, "Fondations", "2026-05-04", "2026-05-12", 7, 2, after=[2])
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"{doctype}"
        '<Project xmlns="http://schemas.microsoft.com/project"><SaveVersion>14</SaveVersion>'
        "<Name>chantier</Name><ScheduleFromStart>1</ScheduleFromStart>"
        "<StartDate>2026-04-27T08:00:00</StartDate><StatusDate>2026-05-04T17:00:00</StatusDate>"
        "<CalendarUID>1</CalendarUID><MinutesPerDay>480</MinutesPerDay>"
        "<MinutesPerWeek>2400</MinutesPerWeek><DaysPerMonth>20</DaysPerMonth>"
        "<Calendars><Calendar><UID>1</UID><Name>Chantier</Name><IsBaseCalendar>1</IsBaseCalendar>"
        f"<BaseCalendarUID>-1</BaseCalendarUID><WeekDays>{_WEEK}</WeekDays><Exceptions>"
        + _exception("Fête du travail", "2026-05-01", False)
        + _exception("Samedi rattrapé", "2026-05-09", True)
        + f"</Exceptions></Calendar></Calendars><Tasks>{tasks}</Tasks></Project>"
    ).encode()


# --- the round trip -----------------------------------------------------------------------------


@pytest.mark.realworld
@pytest.mark.parametrize("name", list(PROJECT_FILES))
def test_a_project_file_comes_back_equal_to_the_loaders_frame_with_its_calendars(
    realworld, store, name
):
    data = realworld(name).read_bytes()
    expected = loaded(data, name)
    rows = len(expected.frame)

    result = import_bytes(store, "schedule", name, data, "Nadia")

    assert (result.status, result.snapshot_id, result.rows) == ("stored", 1, {"schedule": rows})
    assert result.errors == []
    snapshot = store.get(1)
    back = snapshot.results["schedule"]
    assert_frame_equal(back.frame, expected.frame, check_exact=True)
    # the columns that make the schedule: ids, the summary rows, the dates, day by day
    for column in (SCHEDULE.task_id, SCHEDULE.unique_id, SCHEDULE.is_summary):
        assert back.frame[column].tolist() == expected.frame[column].tolist()
    for column in (SCHEDULE.start, SCHEDULE.finish):
        assert back.frame[column].dt.date.tolist() == expected.frame[column].dt.date.tolist()
    assert back.declared_date == expected.declared_date
    assert [p.code for p in back.warnings] == [p.code for p in expected.warnings]

    # the calendars come back with the schedule, not as rows of the snapshot's own
    calendars = back.tables["calendars"]
    assert_frame_equal(calendars, expected.tables["calendars"], check_exact=True)
    assert list(calendars.columns) == CALENDARS.names
    assert set(calendars["scheduling_rules"]) == {PROJECT_FILES[name]}
    assert calendars["work_week"].str.fullmatch("[01]{7}").all()
    assert snapshot.tables == {"schedule": rows} and snapshot.row_count == rows

    # the original bytes, exactly
    assert snapshot.sha256 == result.sha256 == hashlib.sha256(data).hexdigest()
    assert snapshot.size == len(data)
    assert store.file_bytes(1) == data

    # and the data in use is that schedule with those calendars
    current = current_tables(store)
    assert current.snapshots["schedule"].id == 1
    assert_frame_equal(current.frames["schedule"], expected.frame, check_exact=True)
    assert_frame_equal(current.frames["calendars"], expected.tables["calendars"])


@pytest.mark.realworld
def test_the_xer_values_are_those_of_its_own_tables(realworld, store):
    """Read independently of MPXJ: the activity codes of TASK, the calendar of CALENDAR."""
    data = realworld(XER).read_bytes()
    codes = [record["task_code"] for record in xer_table(data, "TASK")]
    calendars = {r["clndr_id"]: r["clndr_name"] for r in xer_table(data, "CALENDAR")}
    assert len(codes) == 12 and codes[0] == "A1000"

    result = import_bytes(store, None, XER, data, "Nadia")  # kind found from the bytes

    assert (result.kind, result.status, result.status_date) == ("schedule", "stored", XER_STATUS)
    back = store.get(result.snapshot_id).results["schedule"]
    assert back.frame[SCHEDULE.task_id].tolist() == codes
    assert not back.frame[SCHEDULE.is_summary].any()  # one WBS node: the project itself
    assert back.declared_date == pd.Timestamp(XER_STATUS)
    stored = back.tables["calendars"]
    assert dict(zip(stored["calendar_id"], stored["calendar_name"], strict=True)) == calendars
    assert stored[["work_week", "is_default", "scheduling_rules"]].values.tolist() == [
        ["1111100", True, "primavera"]
    ]


@pytest.mark.realworld
def test_mpxj_sample_keeps_its_summary_rows(realworld, store):
    data = realworld("mpxj_sample.mpp").read_bytes()
    result = import_bytes(store, None, "mpxj_sample.mpp", data, "Nadia")
    frame = store.get(result.snapshot_id).results["schedule"].frame
    summaries = frame.loc[frame[SCHEDULE.is_summary], SCHEDULE.name].tolist()
    assert summaries[:2] == ["First Task", "Recurring Task"]
    first = frame.iloc[0]
    assert (first[SCHEDULE.start], first[SCHEDULE.finish]) == (
        pd.Timestamp(2003, 1, 7),
        pd.Timestamp(2003, 3, 17),
    )


def test_calendar_exceptions_come_back_as_written(store):
    data = mspdi()

    result = import_bytes(store, "schedule", "chantier.xml", data, "Nadia")

    assert (result.status, result.rows) == ("stored", {"schedule": 3})
    assert result.status_date == dt.date(2026, 5, 4)  # the file's status date
    back = store.get(result.snapshot_id).results["schedule"]
    assert back.frame[SCHEDULE.task_id].tolist() == ["1", "2", "3"]
    assert back.frame[SCHEDULE.is_summary].tolist() == [True, False, False]
    assert back.frame[SCHEDULE.predecessors].tolist()[2] == "2"
    calendars = back.tables["calendars"]
    assert set(calendars["calendar_name"]) == {"Chantier"}
    assert set(calendars["work_week"]) == {"1111100"}
    assert set(calendars["scheduling_rules"]) == {"msproject"}
    exceptions = calendars[calendars["exception_start"].notna()]
    assert [
        (start.date(), finish.date(), working)
        for start, finish, working in exceptions[
            ["exception_start", "exception_finish", "exception_working"]
        ].itertuples(index=False)
    ] == [
        (dt.date(2026, 5, 1), dt.date(2026, 5, 1), False),
        (dt.date(2026, 5, 9), dt.date(2026, 5, 9), True),
    ]
    assert_frame_equal(calendars, loaded(data, "chantier.xml").tables["calendars"])
    assert store.file_bytes(result.snapshot_id) == data


@pytest.mark.realworld
def test_sp10_six_thousand_rows_and_its_bank_holidays_come_back(realworld, store):
    """The largest real file: 6 259 rows (3 994 activities under their WBS), five calendars.
    Through ``import_bytes``'s two halves, so that the file is read by MPXJ once: the frame
    ``check_bytes`` holds is the loader's, the one written."""
    data = gzip.decompress(realworld("SP10 - COST LOADED.xer.gz").read_bytes())
    checked = check_bytes("schedule", "SP10.xer", data)
    expected = checked.results["schedule"]
    # the frames are compared after the store has written them: keep copies of what was read
    expected_frame = expected.frame.copy()
    expected_calendars = expected.tables["calendars"].copy()

    result = store_checked(store, checked, "Nadia")

    assert result.status == "stored" and result.rows == {"schedule": 6259}
    assert (expected_frame[SCHEDULE.is_summary]).sum() == 6259 - 3994
    back = store.get(result.snapshot_id).results["schedule"]
    assert_frame_equal(back.frame, expected_frame, check_exact=True)
    calendars = back.tables["calendars"]
    assert_frame_equal(calendars, expected_calendars, check_exact=True)
    assert calendars["calendar_id"].nunique() == 5
    holidays = calendars[calendars["exception_start"].notna()]
    assert len(holidays) == 120 and not holidays["exception_working"].any()
    assert pd.Timestamp(2015, 12, 25) in set(holidays["exception_start"])
    assert set(calendars["scheduling_rules"]) == {"primavera"}
    assert store.file_bytes(result.snapshot_id) == data


# --- identical bytes ----------------------------------------------------------------------------


@pytest.mark.realworld
@pytest.mark.parametrize("name", ["task-links-project2016-mpp14.mpp", XER])
def test_the_same_project_file_again_is_a_duplicate_and_stores_nothing(
    realworld, store, db, monkeypatch, name
):
    data = realworld(name).read_bytes()
    first = import_bytes(store, "schedule", name, data, "Nadia")
    before, listed = counts(db), store.list()
    assert first.status == "stored" and before["snapshots"] == 1

    # detected from the bytes: parsed again, then recognised inside the write transaction
    detected = import_bytes(store, None, f"copie de {name}", data, "Karim")

    # with its kind: recognised from the SHA-256 before any parsing
    def no_parsing(*args, **kwargs):
        raise AssertionError("a duplicate of a known kind must not be parsed")

    monkeypatch.setattr(store_module, "check_bytes", no_parsing)
    again = import_bytes(store, "schedule", name, data, "Karim")

    for result in (detected, again):
        assert result.status == "duplicate" and not result.stored and result.accepted
        assert result.duplicate_of == result.snapshot_id == 1
        assert result.rows == first.rows and result.status_date == first.status_date
        assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert counts(db) == before
    assert store.list() == listed and [i.imported_by for i in listed] == ["Nadia"]


# --- a spreadsheet schedule after a project file -------------------------------------------------


@pytest.mark.realworld
def test_a_spreadsheet_schedule_imported_later_leaves_no_project_calendars_in_use(realworld, store):
    xer = import_bytes(store, "schedule", XER, realworld(XER).read_bytes(), "Nadia")
    assert "calendars" in current_tables(store).frames

    sheet = import_bytes(
        store, "schedule", SPREADSHEET_SCHEDULE.name, SPREADSHEET_SCHEDULE.read_bytes(), "Nadia"
    )

    assert (sheet.status, sheet.status_date) == ("stored", NOV_20)
    current = current_tables(store)
    assert current.status_date == NOV_20 and current.snapshots["schedule"].id == sheet.snapshot_id
    assert "calendars" not in current.frames
    assert "calendars" not in current.results["schedule"].tables
    assert_frame_equal(
        current.frames["schedule"], load_schedule(SPREADSHEET_SCHEDULE).frame, check_exact=True
    )
    # the week of the P6 file still reads with its own calendars
    past = current_tables(store, at=XER_STATUS)
    assert past.snapshots["schedule"].id == xer.snapshot_id
    assert set(past.frames["calendars"]["scheduling_rules"]) == {"primavera"}


# --- refused files ------------------------------------------------------------------------------


def _truncated_xer(data: bytes) -> bytes:
    return data[:1000]  # cut inside its first table (CURRTYPE): MPXJ fails on it


def _truncated_mpp(data: bytes) -> bytes:
    return data[: len(data) // 2]


REFUSED = {
    # case: (real file or None for the MSPDI written here, how it is damaged, kind, error code)
    "truncated xer": (XER, _truncated_xer, "schedule", "project_file_truncated"),
    "truncated mpp": ("mpxj_sample.mpp", _truncated_mpp, "schedule", "project_file_unreadable"),
    "mspdi with a doctype": (None, None, "schedule", "project_xml_entities"),
    "mspdi with a doctype, kind detected": (None, None, None, "project_xml_entities"),
}


@pytest.mark.realworld
@pytest.mark.parametrize("case", list(REFUSED))
def test_a_refused_project_file_stores_nothing_and_says_why(realworld, store, db, case):
    name, damage, kind, code = REFUSED[case]
    if name is None:
        data = mspdi(doctype='<!DOCTYPE Project [<!ENTITY boom "boom">]>\n')
        name = "chantier.xml"
    else:
        data = damage(realworld(name).read_bytes())
    in_use = import_bytes(store, "schedule", "chantier.xml", mspdi(), "Nadia")
    before, listed, key = counts(db), store.list(), current_tables(store).key

    result = import_bytes(store, kind, name, data, "Karim")

    assert result.status == "rejected" and not result.accepted and not result.stored
    assert result.snapshot_id is None and result.rows == {}
    assert [p.code for p in result.errors] == [code]
    assert result.errors[0].file == name and result.errors[0].message
    assert counts(db) == before and store.list() == listed
    assert current_tables(store).key == key
    assert current_tables(store).snapshots["schedule"].id == in_use.snapshot_id


@pytest.mark.realworld
@pytest.mark.parametrize("cut", ["before its TASK table", "after its sixth task"])
def test_a_truncated_xer_that_still_parses_is_refused(realworld, store, db, cut):
    """A P6 export cut short (a copy interrupted, an upload cut) still parses in MPXJ: the tables
    it reached are read, the rest is silently missing. Cut before the TASK table it gives a
    schedule of no task, cut between two activities a schedule of half of them; either would
    replace the schedule in use. An XER file ends with ``%E``; a spreadsheet schedule with no
    task is refused (``no_task``)."""
    data = realworld(XER).read_bytes()
    assert data.rstrip().endswith(b"%E")
    tasks = data.index(b"%T\tTASK")
    if cut == "before its TASK table":
        short = data[:tasks]
    else:
        records = [i + 1 for i in range(tasks, len(data)) if data.startswith(b"\n%R", i)]
        short = data[: records[6]]
    in_use = import_bytes(store, "schedule", "chantier.xml", mspdi(), "Nadia")
    before, listed = counts(db), store.list()

    result = import_bytes(store, "schedule", XER, short, "Karim")

    assert result.status == "rejected", (
        f"a truncated XER ({len(short)} of {len(data)} bytes) was {result.status}"
        f" with {result.rows} rows"
    )
    assert result.errors
    assert counts(db) == before and store.list() == listed
    assert current_tables(store).snapshots["schedule"].id == in_use.snapshot_id


# --- python -m store import -------------------------------------------------------------------


def run_store(*argv: str) -> subprocess.CompletedProcess:
    """``python -m store …`` in a process of its own (its own JVM), as a scheduled task runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TRACKER_DB", None)
    env.pop("TRACKER_PROJECT", None)
    return subprocess.run(
        [sys.executable, "-m", "store", *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.realworld
def test_the_command_line_imports_a_xer_then_refuses_a_bad_file_without_a_traceback(
    realworld, db, tmp_path
):
    path = realworld(XER)

    done = run_store("import", str(path), "--kind", "schedule", "--db", str(db), "--by", "cron")

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"Enregistré : « {XER} » (planning), instantané n° 1, situation au 24/02/2015.",
        "  planning : 12 lignes",
    ]
    assert "Traceback" not in done.stderr
    stored = open_store_at(db)
    assert stored.file_bytes(1) == path.read_bytes()
    calendars = stored.get(1).results["schedule"].tables["calendars"]
    assert set(calendars["scheduling_rules"]) == {"primavera"}

    again = run_store("import", str(path), "--kind", "schedule", "--db", str(db), "--by", "cron")
    assert again.returncode == 3 and "rien n'a été enregistré" in again.stdout

    truncated = tmp_path / "coupé.xer"
    truncated.write_bytes(path.read_bytes()[:1000])
    doctype = tmp_path / "entités.xml"
    doctype.write_bytes(mspdi(doctype='<!DOCTYPE Project [<!ENTITY boom "boom">]>\n'))
    for bad, says in ((truncated, "Primavera P6 XER est incomplet"), (doctype, "DOCTYPE")):
        refused = run_store("import", str(bad), "--kind", "schedule", "--db", str(db))
        assert refused.returncode == 1, (bad.name, refused.stdout, refused.stderr)
        lines = refused.stdout.splitlines()
        assert lines[0] == f"Refusé : « {bad.name} », 1 erreur. Rien n'a été enregistré."
        assert len(lines) == 2 and lines[1].split()[0] == "Erreur" and says in lines[1]
        assert "Traceback" not in refused.stdout + refused.stderr
        assert "Exception" not in refused.stderr
    assert [i.id for i in open_store_at(db).list()] == [1]
