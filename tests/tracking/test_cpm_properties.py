"""Random networks (Hypothesis): the critical path never raises, and on one calendar without a
deadline or constraints every float is ≥ 0, free float ≤ total float, early ≤ late, and a link
is kept by the early dates. Mixed calendars, summaries, milestones, lags in every unit, progress
and constraints: never raises, and every task gets its dates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.schema import CALENDARS, SCHEDULE
from tracking.calendar import WorkCalendar
from tracking.cpm import CONSTRAINT_TYPES, CPM, compute_critical_path

BASE = dt.date(2026, 2, 2)  # a Monday
CALENDAR = WorkCalendar((5, 6), [dt.date(2026, 2, 20), dt.date(2026, 3, 20)])
UNITS = ("", "d", "h", "w", "ed", "ew", "%")


@st.composite
def networks(draw, mixed: bool):
    n = draw(st.integers(1, 25))
    rows = []
    for i in range(n):
        offset = draw(st.integers(0, 40))
        length = draw(st.integers(0, 12))
        links = []
        for _ in range(draw(st.integers(0, 3))):
            if i == 0:
                break
            pred = draw(st.integers(0, i - 1)) if not mixed else draw(st.integers(0, n - 1))
            kind = draw(st.sampled_from(["FS", "SS", "FF", "SF"]))
            lag = draw(st.integers(-4, 6))
            unit = draw(st.sampled_from(UNITS)) if mixed else ""
            links.append(f"T{pred} {kind}{lag:+d}{unit}" if (lag or unit) else f"T{pred}{kind}")
        start = BASE + dt.timedelta(days=offset)
        row = {
            SCHEDULE.task_id: f"T{i}",
            SCHEDULE.start: pd.Timestamp(start),
            SCHEDULE.finish: pd.Timestamp(start + dt.timedelta(days=length)),
            SCHEDULE.predecessors: "; ".join(links) or None,
            SCHEDULE.milestone: length == 0 and draw(st.booleans()),
        }
        if mixed:
            row["calendar"] = draw(st.sampled_from(["5J", "7J", "6J", None]))
            row["is_summary"] = draw(st.integers(0, 9)) == 0
            row["summary_id"] = f"T{draw(st.integers(0, n - 1))}" if draw(st.booleans()) else None
            row["constraint_type"] = draw(st.sampled_from([None, *CONSTRAINT_TYPES]))
            row["constraint_date"] = pd.Timestamp(
                BASE + dt.timedelta(days=draw(st.integers(0, 60)))
            )
            row[SCHEDULE.percent_complete] = float(draw(st.sampled_from([0, 0, 30, 100])))
            row[SCHEDULE.actual_start] = (
                pd.Timestamp(start) if row[SCHEDULE.percent_complete] else pd.NaT
            )
            row["remaining_duration"] = draw(st.sampled_from([None, 0.0, 2.5]))
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in (SCHEDULE.start, SCHEDULE.finish):
        frame[column] = frame[column].astype("datetime64[us]")
    return frame


def calendars() -> pd.DataFrame:
    rows = [
        ("5J", "5J", "1111100", 8.0, True, None, None, None),
        ("7J", "7J", "1111111", 24.0, False, None, None, None),
        ("6J", "6J", "1111110", 7.0, False, pd.Timestamp(2026, 2, 21), None, True),
        ("6J", "6J", "1111110", 7.0, False, pd.Timestamp(2026, 2, 23), None, False),
    ]
    # a calendar from a spreadsheet: no tool rules
    return pd.DataFrame(rows, columns=list(CALENDARS.names)[:8])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(mixed=False))
def test_on_one_calendar_floats_are_never_negative(schedule):
    result = compute_critical_path(schedule, CALENDAR)
    tasks = result.tasks
    assert tasks[CPM.early_start].notna().all()
    assert (tasks[CPM.early_start] <= tasks[CPM.early_finish]).all()
    if result.has_logic:
        floats = tasks[CPM.total_float]
        assert floats.notna().all() and (floats >= 0).all()
        assert (tasks[CPM.free_float] <= floats).all() and (tasks[CPM.free_float] >= 0).all()
        assert (tasks[CPM.early_start] <= tasks[CPM.late_start]).all()
        assert (tasks[CPM.early_finish] <= tasks[CPM.late_finish]).all()
        assert floats.min() == 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(mixed=True), st.sampled_from(["retained", "override"]), st.booleans())
def test_anything_goes_and_nothing_raises(schedule, logic, with_status):
    status = pd.Timestamp(2026, 2, 16) if with_status else None
    result = compute_critical_path(
        schedule, CALENDAR, status, calendars=calendars(), progress_logic=logic
    )
    tasks = result.tasks
    assert len(tasks) == len(schedule)
    leaves = tasks[CPM.progress_state] != "summary"
    assert tasks.loc[leaves, CPM.early_start].notna().all()
    assert (tasks.loc[leaves, CPM.early_start] <= tasks.loc[leaves, CPM.early_finish]).all()
    assert not tasks.loc[~leaves, CPM.is_critical].any()
