"""Per-task calendars on one timeline, worked by hand on February 2026.

The project's calendar (``calendar``) rests on Saturday and Sunday. The project file's CALENDARS
table adds "5J" (Monday to Friday, the default), "7J" (every day) and "5J+S" (Monday to Friday,
Saturday 07/02 worked, Monday 09/02 a holiday)::

    Mon 02  Tue 03  Wed 04  Thu 05  Fri 06 | Sat 07  Sun 08
    Mon 09  Tue 10  Wed 11  Thu 12  Fri 13 | Sat 14  Sun 15
    Mon 16  Tue 17  Wed 18  Thu 19  Fri 20 | Sat 21  Sun 22
"""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.schema import CALENDARS, SCHEDULE
from tracking.calendar import WorkCalendar
from tracking.cpm import CPM, CpmProblem, compute_critical_path


def feb(day: int) -> pd.Timestamp:
    return pd.Timestamp(2026, 2, day)


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar(weekend_days=(5, 6))


def calendars_frame() -> pd.DataFrame:
    rows = [
        ("5J", "Semaine de 5 jours", "1111100", 8.0, True, None, None, None),
        ("7J", "Sept jours sur sept", "1111111", 8.0, False, None, None, None),
        ("5J+S", "Cinq jours et samedi 07", "1111100", 8.0, False, None, None, None),
        ("5J+S", "Cinq jours et samedi 07", "1111100", 8.0, False, feb(7), feb(7), True),
        ("5J+S", "Cinq jours et samedi 07", "1111100", 8.0, False, feb(9), feb(9), False),
    ]
    # a calendar from a spreadsheet: no tool rules
    return pd.DataFrame(rows, columns=list(CALENDARS.names)[:8])


def task(task_id, start, finish, predecessors=None, calendar=None, **extra) -> dict:
    return {
        SCHEDULE.task_id: task_id,
        SCHEDULE.start: feb(start),
        SCHEDULE.finish: feb(finish),
        SCHEDULE.predecessors: predecessors,
        "calendar": calendar,
        **extra,
    }


def frame(*rows: dict) -> pd.DataFrame:
    schedule = pd.DataFrame(list(rows))
    for column in (SCHEDULE.start, SCHEDULE.finish):
        schedule[column] = schedule[column].astype("datetime64[us]")
    schedule["calendar"] = schedule["calendar"].astype("str")
    if SCHEDULE.milestone not in schedule:
        schedule[SCHEDULE.milestone] = False
    return schedule


def dates(result, task_id):
    row = result.tasks.loc[result.tasks[CPM.task_id] == task_id].iloc[0]
    return row[CPM.early_start], row[CPM.early_finish]


def value(result, task_id, column):
    return result.tasks.loc[result.tasks[CPM.task_id] == task_id, column].iloc[0]


def test_a_7_day_task_after_a_5_day_one_starts_on_saturday(calendar):
    """A (5J) Mon 02 – Fri 06. B (7J, 3 days: its dates Mon 02 – Wed 04 count 3 days of 7J)
    FS A: Sat 07, Sun 08, Mon 09. C (5J, 2 days) FS B: Tue 10 – Wed 11."""
    schedule = frame(
        task("A", 2, 6, calendar="5J"),
        task("B", 2, 4, "A", calendar="7J"),
        task("C", 2, 3, "B", calendar="5J"),
    )
    result = compute_critical_path(schedule, calendar, calendars=calendars_frame())
    assert dates(result, "B") == (feb(7), feb(9))
    assert dates(result, "C") == (feb(10), feb(11))
    assert value(result, "B", CPM.duration) == 3
    assert result.critical_path == ["A", "B", "C"]


def test_a_lag_counts_on_the_predecessors_calendar(calendar):
    """FS+2 after A (7J) finishing Fri 06: Sat 07 and Sun 08 are the lag, B (5J) starts Mon 09.
    FS+2 after A2 (5J) finishing Fri 06: Mon 09 and Tue 10 are the lag, B2 starts Wed 11."""
    schedule = frame(
        task("A", 4, 6, calendar="7J"),
        task("B", 2, 2, "A FS+2d", calendar="5J"),
        task("A2", 4, 6, calendar="5J"),
        task("B2", 2, 2, "A2 FS+2d", calendar="5J"),
    )
    result = compute_critical_path(schedule, calendar, calendars=calendars_frame())
    assert dates(result, "B") == (feb(9), feb(9))
    assert dates(result, "B2") == (feb(11), feb(11))


@pytest.mark.parametrize(
    ("link", "start"),
    [
        ("A FS+16h", feb(11)),  # 16 h of an 8-hour day: 2 working days, Mon 09 and Tue 10
        ("A FS+1w", feb(16)),  # a week of 5J: 5 working days, Mon 09 – Fri 13
        ("A FS+2ed", feb(9)),  # 2 elapsed days: Sat 07 and Sun 08, Monday as with no lag
        ("A FS+3ed", feb(10)),  # 3 elapsed days end on Mon 09: B starts Tue 10
        ("A FS+4h", feb(10)),  # half a day, rounded away from zero: one day, Mon 09
        ("A FS+60%", feb(12)),  # 60 % of A's 5 days: 3 days, Mon 09 – Wed 11
    ],
)
def test_lag_units_become_working_days(calendar, link, start):
    """A (5J) Mon 02 – Fri 06, 5 days; B (5J, 1 day) after it with the lag of ``link``."""
    schedule = frame(task("A", 2, 6, calendar="5J"), task("B", 2, 2, link, calendar="5J"))
    result = compute_critical_path(schedule, calendar, calendars=calendars_frame())
    assert dates(result, "B") == (start, start)


def test_a_worked_saturday_and_a_holiday_of_the_tasks_calendar(calendar):
    """On 5J+S, A of 3 days from Fri 06: Fri 06, Sat 07 (worked), Tue 10 (Mon 09 is off). Its
    dates Mon 02 – Wed 04 give the 3 days. B (5J+S) FS A: Wed 11."""
    schedule = frame(
        task("A", 2, 4, calendar="5J+S", constraint_type="SNET", constraint_date=feb(6)),
        task("B", 2, 2, "A", calendar="5J+S"),
    )
    result = compute_critical_path(schedule, calendar, calendars=calendars_frame())
    assert dates(result, "A") == (feb(6), feb(10))
    assert dates(result, "B") == (feb(11), feb(11))


def test_floats_are_working_days_of_the_tasks_calendar(calendar):
    """The chain A (5J) Mon 02 – Fri 13 ends the project on Fri 13. B (7J, 1 day) on Sat 07
    without successor may finish by Fri 13: Sun 08 … Fri 13 is 6 days of 7J. C (5J, 1 day) on
    Mon 09: Tue 10 … Fri 13 is 4 days of 5J."""
    schedule = frame(
        task("A", 2, 13, calendar="5J"),
        task("B", 7, 7, calendar="7J"),
        task("C", 9, 9, "B SS", calendar="5J"),
    )
    result = compute_critical_path(schedule, calendar, calendars=calendars_frame())
    assert dates(result, "C") == (feb(9), feb(9))
    assert value(result, "B", CPM.total_float) == 6
    assert value(result, "C", CPM.total_float) == 4
    assert value(result, "B", CPM.late_finish) == feb(13)


def test_tasks_without_a_calendar_follow_the_files_default_else_the_project(calendar):
    """A names no calendar: the file's default is 5J here; B names one the file does not have:
    the default too. Without the CALENDARS frame, the project's calendar (Sat/Sun off) as well;
    with a frame that marks no default, the project's calendar — which here works Saturdays."""
    schedule = frame(task("A", 2, 6), task("B", 2, 2, "A", calendar="ZZ"))
    result = compute_critical_path(schedule, calendar, calendars=calendars_frame())
    assert dates(result, "B") == (feb(9), feb(9))
    saturdays = WorkCalendar(weekend_days=(6,))
    without_default = calendars_frame().assign(is_default=False)
    result = compute_critical_path(schedule, saturdays, calendars=without_default)
    assert dates(result, "A") == (feb(2), feb(6))
    assert dates(result, "B") == (feb(7), feb(7))


def test_a_one_day_task_on_a_day_off_is_reported_not_a_milestone(calendar):
    """T is not a milestone but its only day, Sat 07, is not worked: one day of work on the
    next working day, Mon 09, and the problem says so; U FS T follows on Tue 10."""
    schedule = frame(task("T", 7, 7, calendar="5J"), task("U", 9, 9, "T", calendar="5J"))
    result = compute_critical_path(schedule, calendar, calendars=calendars_frame())
    assert CpmProblem("no_working_day", ("T",), "07/02/2026") in result.problems
    assert value(result, "T", CPM.duration) == 1
    assert dates(result, "T") == (feb(9), feb(9))
    assert dates(result, "U") == (feb(10), feb(10))


def test_the_duration_column_wins_over_the_dates(calendar):
    """A's dates say 5 days, its ``duration`` 2.5: rounded up to 3 whole days (a started day
    takes its day on the Gantt), Mon 02 – Wed 04; B FS A on Thu 05."""
    schedule = frame(
        task("A", 2, 6, calendar="5J", duration=2.5), task("B", 2, 2, "A", calendar="5J")
    )
    result = compute_critical_path(schedule, calendar, calendars=calendars_frame())
    assert dates(result, "A") == (feb(2), feb(4))
    assert dates(result, "B") == (feb(5), feb(5))
