"""Summary rows (a lot, a phase, the project) are no work: progress, forecast, checks and the
week-over-week comparison count the tasks only, on the two-lot schedule of
``tests.tracking.summaries`` (its docstring gives the dates).

Weights by planned duration: A 5, B 5, C 5, D 10 working days (25 in all) → A, B, C 0,2 and
D 0,4; the summaries' 30 + 10 + 10 days would add 50 more and count each lot twice.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from tests.tracking.summaries import STATUS, T, summary_settings, tasks_alone, with_summaries
from tracking.budget import task_budget
from tracking.calendar import WorkCalendar
from tracking.checks import schedule_checks
from tracking.compare import COMPARED, compare_schedules, milestone_trend
from tracking.cpm import compute_critical_path
from tracking.forecast import (
    FORECAST_FINISH,
    IS_LATE,
    cpm_data_date,
    progress_reported,
    project_forecast,
    task_forecast,
    works_completed,
)
from tracking.outline import ancestors, outline_levels, outline_order, summary_rows
from tracking.planning import late_and_critical_table, planning_overview
from tracking.progress import (
    actual_progress,
    actual_progress_curve,
    planned_progress,
    task_weights,
)

CAL = WorkCalendar((5, 6), [])
ROOT = Path(__file__).resolve().parents[2]
SUMMARIES = {"P", "GO", "CES"}


def by_id(frame: pd.DataFrame, column: str) -> dict:
    return dict(zip(frame["task_id"], frame[column], strict=True))


def test_summaries_weigh_nothing():
    weights = by_id(with_summaries().assign(w=task_weights(with_summaries(), CAL).values), "w")
    assert weights == pytest.approx(
        {"P": 0, "GO": 0, "A": 0.2, "B": 0.2, "CES": 0, "C": 0.2, "D": 0.4}
    )


def test_actual_progress_counts_each_lot_once():
    """A done (0,2 × 100) + B at 20 % (0,2 × 20) = 24 %: what the two lots' tasks alone give,
    whatever % the file rolled up on the summary rows."""
    frame = with_summaries()
    alone = tasks_alone()
    assert actual_progress(frame, task_weights(frame, CAL)) == pytest.approx(24.0)
    assert actual_progress(alone, task_weights(alone, CAL)) == pytest.approx(24.0)
    inflated = frame.assign(
        percent_complete=frame["percent_complete"].where(~frame["is_summary"], 100.0)
    )
    assert actual_progress(inflated, task_weights(inflated, CAL)) == pytest.approx(24.0)


def test_planned_and_actual_curves_are_the_tasks_curves():
    """At 11/03: A done (0,2) + 3 of B's 5 days (0,2 × 3/5 = 0,12) = 32 % planned; the actual
    curve ends on the 24 % of the tasks."""
    frame, alone = with_summaries(), tasks_alone()
    dates = [T("2026-03-06"), STATUS, T("2026-03-27")]
    planned = planned_progress(frame, CAL, task_weights(frame, CAL), dates)
    assert list(planned.round(6)) == [20.0, 32.0, 100.0]
    assert list(planned) == pytest.approx(
        list(planned_progress(alone, CAL, task_weights(alone, CAL), dates))
    )
    actual = actual_progress_curve(frame, CAL, task_weights(frame, CAL), STATUS, [STATUS])
    assert actual.iloc[0] == pytest.approx(24.0)


def test_budget_weights_need_no_budget_line_on_a_summary():
    """Every task names a line (L1 for the gros œuvre, L2 for the secondary trades), the summary
    rows none: the weights still come from the budget. L1 300 split 5:5 over A and B, L2 100
    split 5:10 over C and D → A 0,375, B 0,375, C 0,0833, D 0,1667."""
    lines = ["", "", "L1", "L1", "", "L2", "L2"]
    frame = with_summaries(budget_line=pd.Series(lines, dtype="str").replace("", pd.NA))
    budget = pd.DataFrame({"line_id": ["L1", "L2"], "amount": [300.0, 100.0]})
    weights = task_weights(frame, CAL, budget)
    assert weights.basis == "budget"
    assert by_id(frame.assign(w=weights.values), "w") == pytest.approx(
        {"P": 0, "GO": 0, "A": 0.375, "B": 0.375, "CES": 0, "C": 1 / 12, "D": 1 / 6}
    )


def forecast():
    frame = with_summaries()
    cpm = compute_critical_path(frame, CAL, STATUS)
    return frame, cpm, task_forecast(frame, cpm, CAL, STATUS)


def test_summaries_are_never_late_nor_critical():
    """B at 20 % has 4 days left from 11/03 (11, 12, 13, 16/03): finishes 16/03, 3 days after
    its baseline; C and D follow it and finish 23/03 and 30/03, 3 days late each. The late tasks
    are B, C, D; no summary, though CES's and P's file dates are behind their children's."""
    frame, _cpm, tasks = forecast()
    late = set(frame.loc[tasks[IS_LATE], "task_id"])
    assert late == {"B", "C", "D"}
    assert not tasks.loc[summary_rows(frame), "is_critical"].any()
    finish = by_id(frame.assign(f=tasks[FORECAST_FINISH]), "f")
    assert (finish["B"], finish["C"], finish["D"]) == (
        T("2026-03-16"),
        T("2026-03-23"),
        T("2026-03-30"),
    )


def test_project_finish_is_the_tasks_finish_not_the_summary_dates():
    """The project summary's own finish (10/04, not rescheduled) is left out: the forecast is D's
    30/03, the baseline finish the tasks' latest (D's 27/03), 3 days of delay."""
    frame, cpm, tasks = forecast()
    result = project_forecast(frame, tasks, dt.date(2026, 3, 2), dt.date(2026, 4, 2), STATUS, cpm)
    assert result.forecast_finish == T("2026-03-30")
    assert result.baseline_finish == T("2026-03-27")
    assert result.delay_vs_baseline_days == 3
    assert result.delay_vs_contract_days == -3


def test_completion_and_progress_reported_ignore_the_summaries():
    """A summary row marked 100 % by the file does not make the works done; a summary with a %
    alone is no progress report."""
    frame = with_summaries()
    every_task_done = frame.assign(
        percent_complete=frame["percent_complete"].where(frame["is_summary"], 100.0),
        actual_finish=frame["finish"].where(~frame["is_summary"]),
    )
    assert works_completed(every_task_done)
    summaries_done = frame.assign(
        percent_complete=frame["percent_complete"].where(~frame["is_summary"], 100.0)
    )
    assert not works_completed(summaries_done)
    nothing = frame.assign(
        percent_complete=frame["percent_complete"].where(frame["is_summary"], 0.0),
        actual_finish=pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]"),
    )
    assert not progress_reported(nothing)
    # before any report the CPM takes progress at the latest recorded date: 09/03 (B's start)
    assert cpm_data_date(nothing, T("2026-03-02"), STATUS) == T("2026-03-09")


def test_checks_count_tasks_only():
    """Open tasks B, C, D (A is done): 3, not 6 with P, GO and CES. Missing logic: C has no
    successor and is not the last task (D finishes later); D has a predecessor through its
    summary-level link (after GO) and is the last task. Long tasks beyond 6 days: D (10); the
    summaries' 30 and 10 days are not tasks. Invalid dates are measured over the 4 tasks."""
    frame, cpm, _tasks = forecast()
    checks = {
        c.code: c
        for c in schedule_checks(frame, cpm, CAL, STATUS, long_task_days=6, high_float_days=4)
    }
    assert (checks["missing_logic"].task_ids, checks["missing_logic"].population) == (("C",), 3)
    assert (checks["long_tasks"].task_ids, checks["long_tasks"].population) == (("D",), 3)
    assert checks["invalid_dates"].population == 4
    for check in checks.values():
        assert not SUMMARIES & set(check.task_ids), check.code
    assert checks["high_float"].population == 3


def test_a_link_to_a_summary_counts_as_logic_for_its_children():
    """Without D's link to its summary's sibling GO, D has no predecessor and is reported; a link
    from X to the summary CES gives both C and D a predecessor."""
    frame = with_summaries()
    unlinked = frame.assign(predecessors=frame["predecessors"].replace({"GO": pd.NA}))
    cpm = compute_critical_path(unlinked, CAL, STATUS)
    missing = {c.code: c for c in schedule_checks(unlinked, cpm, CAL, STATUS)}["missing_logic"]
    assert missing.task_ids == ("C", "D")
    via_summary = unlinked.assign(
        predecessors=unlinked["predecessors"].where(unlinked["task_id"] != "CES", "B")
    )
    assert ancestors(via_summary)["D"] == ["CES", "P"]
    cpm = compute_critical_path(via_summary, CAL, STATUS)
    missing = {c.code: c for c in schedule_checks(via_summary, cpm, CAL, STATUS)}["missing_logic"]
    assert missing.task_ids == ("C",)  # D has its predecessor through CES; C still no successor


def test_week_over_week_lists_the_slipped_task_not_its_summaries():
    """B's finish moved from 13/03 to 16/03; the file rolled it up to GO and P: the review lists
    B alone, +3 days, matched by id although the rows came in another order."""
    before = with_summaries()
    moved = before.assign(
        finish=before["finish"].mask(before["task_id"].isin(["B", "GO"]), T("2026-03-16")),
        percent_complete=before["percent_complete"].mask(before["task_id"] == "P", 25.0),
    )
    after = moved.iloc[::-1].reset_index(drop=True)
    changes = compare_schedules(before, after)
    assert list(changes["task_id"]) == ["B"]
    assert changes[COMPARED.finish_shift_days].tolist() == [3]


def test_a_summary_is_no_milestone_in_the_trend():
    frame, _cpm, tasks = forecast()
    flagged = frame.assign(milestone=frame["task_id"].isin(["CES", "D"]))
    trend = milestone_trend([(STATUS, flagged, tasks)])
    assert list(trend["task_id"]) == ["D"]


def test_outline_order_levels_and_parents():
    frame = with_summaries()
    shuffled = frame.iloc[[5, 2, 0, 6, 1, 4, 3]]  # C, A, P, D, GO, CES, B
    order = shuffled.loc[outline_order(shuffled), "task_id"].tolist()
    # parents first, each followed by its children in the order they came in
    assert order == ["P", "GO", "A", "B", "CES", "C", "D"]
    reversed_children = frame.iloc[[0, 4, 6, 5, 1, 3, 2]]  # P, CES, D, C, GO, B, A
    order = reversed_children.loc[outline_order(reversed_children), "task_id"].tolist()
    assert order == ["P", "CES", "D", "C", "GO", "B", "A"]
    no_levels = frame.assign(outline_level=float("nan"))
    assert outline_levels(no_levels).tolist() == [1, 2, 3, 3, 2, 3, 3]


def test_the_planning_overview_counts_tasks_only():
    """The whole path of the pages: works start 02/03/2026, one month → contractual end 02/04.
    Late tasks 3 (B, C, D), actual 24 %, planned 32 %, forecast finish 30/03; the table under
    the Gantt lists no summary."""
    settings = summary_settings()
    frame = with_summaries()
    overview = planning_overview(frame, settings, STATUS)
    assert overview.late_count == 3
    assert overview.actual_percent == pytest.approx(24.0)
    assert overview.planned_percent == pytest.approx(32.0)
    assert overview.forecast.forecast_finish == T("2026-03-30")
    listed = set(late_and_critical_table(frame, overview)["task_id"])
    assert listed >= {"B", "C", "D"} and not listed & SUMMARIES


def test_a_summary_naming_a_budget_line_gets_none_of_it():
    """GO names the line L1 like its tasks A and B (an export repeats it on the summary): L1's
    300 MAD is split over A and B by duration (5:5), 150 each, GO's 10 days take no share."""
    lines = ["", "L1", "L1", "L1", "", "", ""]
    frame = with_summaries(budget_line=pd.Series(lines, dtype="str").replace("", pd.NA))
    budget = pd.DataFrame({"line_id": ["L1"], "amount": [300.0]})
    money = by_id(frame.assign(m=task_budget(frame, budget, CAL)), "m")
    assert (money["GO"], money["A"], money["B"]) == (0.0, 150.0, 150.0)
