"""Forecast, penalties and schedule checks on a five-task schedule worked out by hand.

Calendar Monday–Friday, no holiday; status date Friday 13/03/2026; contractual end 27/03/2026.
A 02/03–06/03 done; B 09/03–20/03 in progress at 40 % (baseline 09/03–13/03); C after B,
10 days (baseline 16/03–27/03); D after B with 2 days of lag, 5 days (baseline 16/03–20/03);
M, the réception milestone, after C and D (baseline 27/03).
Forward pass: B finishes 20/03 (6 days left from 13/03), C 23/03–03/04, D 25/03–31/03, M 03/04.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tracking.calendar import WorkCalendar
from tracking.checks import schedule_checks
from tracking.cpm import compute_critical_path
from tracking.forecast import penalty_exposure, project_forecast, task_forecast

CAL = WorkCalendar((5, 6), [])
T = pd.Timestamp
STATUS = T("2026-03-13")
NaT = pd.NaT


def schedule(**overrides) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "task_id": ["A", "B", "C", "D", "M"],
            "name": ["Terrassements", "Fondations", "Structure", "Réseaux", "Réception provisoire"],
            "lot": ["GO"] * 4 + ["Réception"],
            "start": [
                T("2026-03-02"),
                T("2026-03-09"),
                T("2026-03-23"),
                T("2026-03-25"),
                T("2026-04-03"),
            ],
            "finish": [
                T("2026-03-06"),
                T("2026-03-20"),
                T("2026-04-03"),
                T("2026-03-31"),
                T("2026-04-03"),
            ],
            "baseline_start": [
                T("2026-03-02"),
                T("2026-03-09"),
                T("2026-03-16"),
                T("2026-03-16"),
                T("2026-03-27"),
            ],
            "baseline_finish": [
                T("2026-03-06"),
                T("2026-03-13"),
                T("2026-03-27"),
                T("2026-03-20"),
                T("2026-03-27"),
            ],
            "actual_start": [T("2026-03-02"), T("2026-03-09"), NaT, NaT, NaT],
            "actual_finish": [T("2026-03-06"), NaT, NaT, NaT, NaT],
            "percent_complete": [100.0, 40.0, 0.0, 0.0, 0.0],
            "predecessors": [None, "A", "B", "BFS+2", "C;D"],
            "milestone": [False, False, False, False, True],
        }
    )
    return frame.assign(**overrides)


def by_code(results):
    return {r.code: r for r in results}


def test_task_forecast_delays():
    frame = schedule()
    cpm = compute_critical_path(frame, CAL, STATUS)
    tasks = task_forecast(frame, cpm, CAL, STATUS).set_index("task_id")
    assert tasks.loc["C", "forecast_start"] == T("2026-03-23")
    assert tasks.loc["C", "forecast_finish"] == T("2026-04-03")
    assert tasks.loc["C", "delay_calendar_days"] == 7  # 27/03 -> 03/04
    assert tasks.loc["C", "delay_working_days"] == 5
    assert tasks.loc["D", "forecast_finish"] == T("2026-03-31")
    assert tasks.loc["B", "is_late"]  # baseline finish 13/03 passed, not finished
    assert not tasks.loc["A", "is_late"]
    assert tasks.loc["D", "total_float"] == 3  # 01/04, 02/04, 03/04
    assert list(tasks.index[tasks["is_critical"]]) == ["B", "C", "M"]


def test_project_forecast_and_penalties():
    frame = schedule()
    cpm = compute_critical_path(frame, CAL, STATUS)
    tasks = task_forecast(frame, cpm, CAL, STATUS)
    forecast = project_forecast(
        frame, tasks, T("2026-02-27").date(), T("2026-03-27").date(), STATUS, cpm
    )
    assert forecast.forecast_finish == T("2026-04-03")
    assert forecast.delay_vs_contract_days == 7
    assert forecast.delay_vs_baseline_days == 7
    assert forecast.source == "cpm"
    assert forecast.time_elapsed == pytest.approx(14 / 28)  # 27/02 -> 13/03 of 27/02 -> 27/03
    penalty = penalty_exposure(forecast.delay_vs_contract_days, 12_000_000, 0.001, 0.08)
    assert penalty.amount == 84_000.0  # 12 M × 1/1000 × 7 days
    assert not penalty.capped


def test_penalties_are_capped():
    penalty = penalty_exposure(100, 12_000_000, 0.001, 0.08)
    assert (penalty.amount, penalty.capped, penalty.days_to_cap) == (960_000.0, True, 80)
    assert penalty_exposure(-5, 12_000_000, 0.001, 0.08).amount == 0.0


@pytest.mark.parametrize(
    ("cap", "rate", "days"),
    [
        # 7 % / 0,7 ‰ = 100 days exactly (in binary 100,00000000000001: not 101)
        (0.07, 0.0007, 100),
        (0.08, 0.001, 80),  # 8 % at 1 ‰: 80 days
        (0.10, 0.001, 100),  # older CPS, 10 % at 1 ‰
        (0.07, 0.001, 70),  # 7 % at 1 ‰: 70 days
        (0.08, 0.0007, 115),  # 114,29 days: the cap is reached during the 115th day
        (0.10, 0.003, 34),  # 33,33 days -> 34
    ],
)
def test_days_to_the_penalty_cap(cap, rate, days):
    assert penalty_exposure(0, 1_000_000, rate, cap).days_to_cap == days


def test_the_penalty_at_exactly_the_cap_is_not_beyond_it():
    """100 days at 0,7 ‰ of 1 000 000 = 70 000 = the 7 % cap: reached, not exceeded."""
    penalty = penalty_exposure(100, 1_000_000, 0.0007, 0.07)
    assert (penalty.amount, penalty.cap_amount, penalty.capped) == (70_000.0, 70_000.0, False)
    assert penalty_exposure(101, 1_000_000, 0.0007, 0.07).capped


def test_forecast_without_logic_uses_the_file_dates():
    frame = schedule(predecessors=[None] * 5)
    cpm = compute_critical_path(frame, CAL, STATUS)
    tasks = task_forecast(frame, cpm, CAL, STATUS)
    forecast = project_forecast(
        frame, tasks, T("2026-02-27").date(), T("2026-03-27").date(), STATUS, cpm
    )
    assert forecast.source == "dates"
    assert forecast.forecast_finish == T("2026-04-03")
    assert not tasks["is_critical"].any()


def test_checks_by_hand():
    frame = schedule()
    cpm = compute_critical_path(frame, CAL, STATUS)
    results = by_code(schedule_checks(frame, cpm, CAL, STATUS, contractual_end=T("2026-03-27")))
    assert results["missing_logic"].count == 0 and results["missing_logic"].passed
    assert results["leads"].count == 0
    assert (results["lags"].count, results["lags"].population) == (1, 5)
    assert results["lags"].task_ids == ("D",) and results["lags"].passed is False
    assert results["relationship_types"].value == 1.0 and results["relationship_types"].passed
    assert results["negative_float"].passed and results["high_float"].passed
    assert results["invalid_dates"].count == 0
    assert (results["missed_tasks"].count, results["missed_tasks"].population) == (1, 2)
    assert results["bei"].value == 0.5 and results["bei"].task_ids == ("B",)
    assert results["critical_path_test"].passed
    # 16 working days left (13/03 -> 03/04), 5 beyond the contractual end: (16 - 5) / 16
    assert results["cpli"].value == pytest.approx(11 / 16)
    assert results["cpli"].passed is False


def test_long_tasks_and_invalid_dates():
    frame = schedule(actual_start=[T("2026-03-02"), T("2026-03-09"), T("2026-03-20"), NaT, NaT])
    cpm = compute_critical_path(frame, CAL, STATUS)
    results = by_code(schedule_checks(frame, cpm, CAL, STATUS, long_task_days=8))
    assert results["long_tasks"].task_ids == ("C",)  # 10 baseline days > 8
    assert results["long_tasks"].population == 3  # B, C, D: incomplete, not milestones
    assert "C" in results["invalid_dates"].task_ids  # actual start after the status date


def test_negative_float_against_the_contractual_end():
    frame = schedule()
    cpm = compute_critical_path(frame, CAL, STATUS, deadline=T("2026-03-27"))
    results = by_code(schedule_checks(frame, cpm, CAL, STATUS))
    assert set(results["negative_float"].task_ids) == {"B", "C", "D", "M"}
    assert results["negative_float"].passed is False


def test_checks_without_logic_are_not_applicable():
    frame = schedule(predecessors=[None] * 5)
    cpm = compute_critical_path(frame, CAL, STATUS)
    results = by_code(schedule_checks(frame, cpm, CAL, STATUS))
    assert results["missing_logic"].count == 4  # every incomplete task
    assert results["leads"].passed is None
    assert results["critical_path_test"].passed is None


def test_finished_late_work_is_history_not_a_late_task():
    frame = schedule(actual_finish=[T("2026-03-09"), NaT, NaT, NaT, NaT])
    cpm = compute_critical_path(frame, CAL, STATUS)
    tasks = task_forecast(frame, cpm, CAL, STATUS).set_index("task_id")
    assert tasks.loc["A", "delay_calendar_days"] == 3  # finished Monday 09/03, baseline 06/03
    assert not tasks.loc["A", "is_late"]
    assert tasks.loc["C", "is_late"] and tasks.loc["D", "is_late"]  # forecast after baseline
