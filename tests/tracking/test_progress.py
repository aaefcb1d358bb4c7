"""Physical progress on a schedule small enough to check by hand.

Calendar: Saturday and Sunday off, no holiday. Plan: A 02/03–06/03/2026 (5 working days),
B 09/03–20/03 (10 working days), milestone M on 20/03. Weighted by duration, each planned
working day adds 1/15 of the project, so day k of the plan is k/15 done.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tracking.calendar import WorkCalendar
from tracking.progress import (
    actual_progress,
    actual_progress_curve,
    earned_schedule,
    planned_progress,
    task_weights,
)

CAL = WorkCalendar((5, 6), [])
T = pd.Timestamp


def schedule(**overrides) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "task_id": ["A", "B", "M"],
            "name": ["Fondations", "Structure", "Fin du gros œuvre"],
            "start": [T("2026-03-02"), T("2026-03-09"), T("2026-03-20")],
            "finish": [T("2026-03-06"), T("2026-03-20"), T("2026-03-20")],
            "baseline_start": [T("2026-03-02"), T("2026-03-09"), T("2026-03-20")],
            "baseline_finish": [T("2026-03-06"), T("2026-03-20"), T("2026-03-20")],
            "actual_start": [T("2026-03-02"), T("2026-03-09"), pd.NaT],
            "actual_finish": [T("2026-03-06"), pd.NaT, pd.NaT],
            "percent_complete": [100.0, 30.0, 0.0],
            "milestone": [False, False, True],
            "weight": [float("nan")] * 3,
            "budget_line": ["L1", "L2", None],
        }
    )
    return frame.assign(**overrides)


def test_weights_by_duration_by_default():
    weights = task_weights(schedule(), CAL)
    assert weights.basis == "duration"
    assert list(weights.values.round(4)) == [round(1 / 3, 4), round(2 / 3, 4), 0.0]


def test_weights_by_budget_line_when_every_task_has_one():
    budget = pd.DataFrame({"line_id": ["L1", "L2"], "amount": [300.0, 100.0]})
    weights = task_weights(schedule(), CAL, budget)
    assert weights.basis == "budget"
    assert list(weights.values) == [0.75, 0.25, 0.0]
    assert actual_progress(schedule(), weights) == pytest.approx(82.5)  # 75 + 25 × 30 %


def test_budget_weights_need_every_task_covered():
    budget = pd.DataFrame({"line_id": ["L1"], "amount": [300.0]})  # L2 unknown
    assert task_weights(schedule(), CAL, budget).basis == "duration"


def test_explicit_weights_win():
    weights = task_weights(schedule(weight=[1.0, 3.0, None]), CAL)
    assert weights.basis == "weight"
    assert list(weights.values) == [0.25, 0.75, 0.0]


def test_planned_curve_by_hand():
    weights = task_weights(schedule(), CAL)
    dates = [
        T("2026-02-27"),
        T("2026-03-04"),
        T("2026-03-06"),
        T("2026-03-13"),
        T("2026-03-14"),
        T("2026-03-20"),
    ]
    curve = planned_progress(schedule(), CAL, weights, dates)
    # before start 0; Wed 04/03 = day 3 -> 3/15; Fri 06/03 = 5/15; Fri 13/03 = 10/15;
    # Saturday adds nothing; Fri 20/03 = 15/15
    expected = [0, 20.0, 100 / 3, 200 / 3, 200 / 3, 100.0]
    assert list(curve.round(6)) == [round(v, 6) for v in expected]


def test_actual_progress_weighted():
    weights = task_weights(schedule(), CAL)
    assert actual_progress(schedule(), weights) == pytest.approx(160 / 3)  # 1/3 + 2/3 × 0.3


def test_actual_curve_is_rebuilt_from_actual_dates():
    weights = task_weights(schedule(), CAL)
    dates = [T("2026-03-04"), T("2026-03-11"), T("2026-03-13"), T("2026-03-16")]
    curve = actual_progress_curve(schedule(), CAL, weights, T("2026-03-13"), dates)
    # 04/03: A 3/5 done -> 0.6/3 = 20 %; 11/03: A + B at 3/5 of its 30 % -> 1/3 + 2/3 × 0.18
    assert curve.iloc[0] == pytest.approx(20.0)
    assert curve.iloc[1] == pytest.approx(100 / 3 + 12.0)
    assert curve.iloc[2] == pytest.approx(160 / 3)
    assert pd.isna(curve.iloc[3])  # after the status date


def test_earned_schedule_by_hand():
    weights = task_weights(schedule(), CAL)
    result = earned_schedule(schedule(), CAL, weights, T("2026-03-13"))
    # 53.33 % achieved = 8/15: the plan reached it after 8 working days; 10 have elapsed
    assert result.actual_time == 10
    assert result.earned_schedule == pytest.approx(8.0)
    assert result.spi_t == pytest.approx(0.8)
    assert result.schedule_variance_days == pytest.approx(-2.0)
    # 15 planned days / 0.8 = 18.75 -> 19th working day from 02/03 = Thursday 26/03
    assert result.forecast_finish == T("2026-03-26")


def test_earned_schedule_interpolates_between_days():
    weights = task_weights(schedule(), CAL)
    result = earned_schedule(
        schedule(percent_complete=[100.0, 25.0, 0.0]), CAL, weights, T("2026-03-13")
    )
    assert result.earned_schedule == pytest.approx(7.5)  # 50 % = 7.5 / 15


def test_no_progress_yet_gives_zero_without_dividing_by_zero():
    frame = schedule(
        percent_complete=[0.0, 0.0, 0.0], actual_start=[pd.NaT] * 3, actual_finish=[pd.NaT] * 3
    )
    weights = task_weights(frame, CAL)
    assert actual_progress(frame, weights) == 0.0
    before = earned_schedule(frame, CAL, weights, T("2026-02-27"))
    assert before.actual_time <= 0 and pd.isna(before.spi_t) and before.forecast_finish is None
