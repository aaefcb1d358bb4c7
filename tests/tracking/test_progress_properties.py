"""The progress curves against their definition, task by task and date by date.

A task adds its weight × the share of its working days done by the end of a date (linear over
its working days; a task without length counts whole from its day on). The curves are summed
without a tasks × dates matrix (so a 6 000-task schedule over decades stays small): here a
plain double loop over tasks and dates checks them on random schedules with holidays.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tracking.calendar import WorkCalendar
from tracking.progress import Weights, actual_progress_curve, planned_progress

CAL = WorkCalendar((5, 6), ["2026-05-01", "2026-07-30", "2026-11-18"])
ORIGIN = pd.Timestamp("2026-01-05")


def by_definition(starts, finishes, weights, dates) -> list[float]:
    """Σ weight × done / length, one task and one date at a time."""
    curve = []
    for date in dates:
        (day,) = CAL.day_index([date], side="finish")
        total = 0.0
        for start, finish, weight in zip(starts, finishes, weights, strict=True):
            if pd.isna(start) or pd.isna(finish):
                continue
            (first,) = CAL.day_index([start], side="start")
            (last,) = CAL.day_index([finish], side="finish")
            length = last - first + 1
            if length > 0:
                total += weight * min(max(day - first + 1, 0), length) / length
            else:
                total += weight * (day >= first)
        curve.append(total * 100)
    return curve


tasks = st.lists(
    st.tuples(
        st.integers(0, 200),  # start, days after ORIGIN
        st.integers(-3, 60),  # finish − start, days (negative: a finish before the start)
        st.floats(0, 1),  # weight
        st.booleans(),  # dated
    ),
    min_size=1,
    max_size=25,
)
date_offsets = st.lists(st.integers(-30, 300), min_size=1, max_size=12)


def frame(rows) -> tuple[pd.DataFrame, Weights]:
    starts = [ORIGIN + pd.Timedelta(days=s) if dated else pd.NaT for s, _, _, dated in rows]
    finishes = [ORIGIN + pd.Timedelta(days=s + d) if dated else pd.NaT for s, d, _, dated in rows]
    schedule = pd.DataFrame(
        {
            "task_id": [f"T{i}" for i in range(len(rows))],
            "start": pd.Series(starts, dtype="datetime64[us]"),
            "finish": pd.Series(finishes, dtype="datetime64[us]"),
            "baseline_start": pd.Series(starts, dtype="datetime64[us]"),
            "baseline_finish": pd.Series(finishes, dtype="datetime64[us]"),
        }
    )
    weights = Weights(pd.Series([w for _, _, w, _ in rows], dtype="float64"), "test")
    return schedule, weights


@settings(max_examples=150, deadline=None)
@given(tasks, date_offsets)
def test_planned_curve_is_the_weighted_share_of_working_days_done(rows, offsets):
    schedule, weights = frame(rows)
    dates = pd.DatetimeIndex(sorted({ORIGIN + pd.Timedelta(days=o) for o in offsets}))
    curve = planned_progress(schedule, CAL, weights, dates)
    expected = by_definition(schedule["start"], schedule["finish"], weights.values, dates)
    np.testing.assert_allclose(curve.to_numpy(), expected, rtol=1e-9, atol=1e-9)


@settings(max_examples=150, deadline=None)
@given(tasks, date_offsets, st.integers(0, 250))
def test_actual_curve_runs_from_actual_starts_to_finishes_or_the_status_date(
    rows, offsets, status_offset
):
    schedule, weights = frame(rows)
    status = ORIGIN + pd.Timedelta(days=status_offset)
    percents = [(37 * i) % 101 for i in range(len(rows))]
    schedule = schedule.assign(
        actual_start=schedule["start"].where(schedule["start"] <= status),
        actual_finish=schedule["finish"].where(schedule["finish"] <= status),
        percent_complete=pd.Series(percents, dtype="float64"),
    )
    dates = pd.DatetimeIndex(sorted({ORIGIN + pd.Timedelta(days=o) for o in offsets}))
    curve = actual_progress_curve(schedule, CAL, weights, status, dates)

    end = schedule["actual_finish"].fillna(status).where(schedule["actual_start"].notna())
    end = end.where(end.isna() | (end >= schedule["actual_start"]), schedule["actual_start"])
    earned = weights.values * schedule["percent_complete"] / 100
    expected = np.array(by_definition(schedule["actual_start"], end, earned, dates))
    # a task with progress but no actual start counts whole from the status date
    undated = schedule["actual_start"].isna() & (schedule["percent_complete"] > 0)
    expected += earned[undated].sum() * 100 * (dates >= status)
    expected[dates > status] = np.nan
    np.testing.assert_allclose(curve.to_numpy(), expected, rtol=1e-9, atol=1e-9)
