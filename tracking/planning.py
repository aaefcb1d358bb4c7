"""Everything the Planning page, the briefing and the export say about time, computed once.

``planning_overview`` is the one computation path: the pages, the briefing and the workbook all
read their schedule figures from its result, so they always agree.

At the launch of works (no progress reported yet) the critical path takes progress at the last
date anything was recorded (``tracking.forecast.cpm_data_date``) and the project forecast is
``None`` with its reason; at completion the forecast is the réception provisoire.

A project file brings its calendars (``calendars``, the CALENDARS table of the snapshot): the
critical path follows each task's own calendar, the settings' calendar being the default one
(and the only one for a spreadsheet). Summary rows stay in every frame returned (the Gantt
groups by them) and count as no task (``tracking.outline``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loaders.project import ProjectSettings
from loaders.schema import SCHEDULE
from tracking.calendar import WorkCalendar
from tracking.checks import CheckResult, schedule_checks
from tracking.contracts import WorksContract, works_contract
from tracking.cpm import CPM, CpmResult, compute_critical_path
from tracking.forecast import (
    DELAY_CALENDAR_DAYS,
    FLOAT_TO_CONTRACT,
    FORECAST_FINISH,
    IS_LATE,
    PenaltyExposure,
    ProjectForecast,
    cpm_data_date,
    penalty_exposure,
    progress_reported,
    project_forecast,
    task_forecast,
)
from tracking.progress import (
    EarnedSchedule,
    Weights,
    actual_progress,
    actual_progress_curve,
    earned_schedule,
    plan_dates,
    planned_progress,
    progress_dates,
    task_weights,
)


def project_calendar(settings: ProjectSettings) -> WorkCalendar:
    return WorkCalendar(settings.weekend, settings.holiday_dates)


@dataclass(frozen=True)
class PlanningOverview:
    status_date: pd.Timestamp
    calendar: WorkCalendar
    cpm: CpmResult
    #: ``task_forecast``'s frame (forecast dates, delays, float on the network, critical, late)
    #: and ``FLOAT_TO_CONTRACT``, the float to the contractual end
    tasks: pd.DataFrame
    forecast: ProjectForecast
    weights: Weights
    plan_source: str  # "baseline" | "current"
    planned_percent: float  # at the status date, 0–100
    actual_percent: float
    planned_curve: pd.Series
    actual_curve: pd.Series
    earned: EarnedSchedule
    penalty: PenaltyExposure | None
    works_contract: WorksContract | None
    checks: list[CheckResult]
    #: a task (milestones aside) has progress or an actual finish
    progress_reported: bool = True
    #: the date the critical path took progress at (the status date once progress is reported)
    data_date: pd.Timestamp | None = None
    #: the project file's CALENDARS table the critical path followed (None: the settings')
    calendars: pd.DataFrame | None = None

    @property
    def critical_count(self) -> int:
        return int(self.tasks[CPM.is_critical].sum())

    @property
    def late_count(self) -> int:
        return int(self.tasks[IS_LATE].sum())

    @property
    def progress_gap(self) -> float:
        """Actual minus planned progress, in points (negative: behind)."""
        return self.actual_percent - self.planned_percent


def planning_overview(
    schedule: pd.DataFrame,
    settings: ProjectSettings,
    status_date,
    *,
    budget_lines: pd.DataFrame | None = None,
    contracts: pd.DataFrame | None = None,
    calendars: pd.DataFrame | None = None,
) -> PlanningOverview:
    """Every schedule figure at ``status_date``; ``calendars`` is the project file's CALENDARS
    table (``None`` for a spreadsheet), ``settings.progress_logic`` how out-of-sequence progress
    is scheduled (retained logic, P6's default, or progress override)."""
    status = pd.Timestamp(status_date)
    calendar = project_calendar(settings)
    contractual_end = pd.Timestamp(settings.contractual_end)
    _start, _finish, plan_source = plan_dates(schedule)
    data_date = cpm_data_date(schedule, _start.min(), status)
    # the loaders refused lags beyond the project's bound: the CPM keeps the same one
    max_lag = settings.read_limits.max_lag_days
    network = {
        "max_lag_days": max_lag,
        "calendars": calendars,
        "progress_logic": settings.progress_logic,
    }
    cpm = compute_critical_path(schedule, calendar, data_date, **network)
    tasks = task_forecast(schedule, cpm, calendar, status)
    forecast = project_forecast(
        schedule, tasks, settings.works_start, settings.contractual_end, status, cpm
    )
    weights = task_weights(schedule, calendar, budget_lines)
    curve_end = max(
        contractual_end,
        forecast.forecast_finish or contractual_end,
        _finish.max() if _finish.notna().any() else contractual_end,
    )
    curve_start = min(pd.Timestamp(settings.works_start), _start.min())
    dates = progress_dates(curve_start, curve_end, status)
    planned_curve = planned_progress(schedule, calendar, weights, dates)
    actual_curve = actual_progress_curve(schedule, calendar, weights, status, dates)
    planned_now = float(planned_progress(schedule, calendar, weights, [status]).iloc[0])
    contract = None
    if contracts is not None:
        contract = works_contract(contracts, schedule_lines(schedule))
    penalty = None
    if contract is not None and forecast.delay_vs_contract_days is not None:
        penalty = penalty_exposure(
            forecast.delay_vs_contract_days,
            contract.total,
            settings.penalty_rate_per_day,
            settings.penalty_cap,
        )
    cpm_with_deadline = compute_critical_path(
        schedule, calendar, data_date, deadline=contractual_end, **network
    )
    tasks = tasks.assign(
        **{
            FLOAT_TO_CONTRACT: cpm_with_deadline.tasks[CPM.total_float]
            if cpm_with_deadline.has_logic
            else pd.Series(pd.NA, index=schedule.index, dtype="Int64")
        }
    )
    checks = schedule_checks(
        schedule,
        cpm_with_deadline,
        calendar,
        status,
        long_task_days=settings.long_task_days,
        high_float_days=settings.high_float_days,
        contractual_end=contractual_end,
    )
    return PlanningOverview(
        status_date=status,
        calendar=calendar,
        cpm=cpm,
        tasks=tasks,
        forecast=forecast,
        weights=weights,
        plan_source=plan_source,
        planned_percent=planned_now,
        actual_percent=actual_progress(schedule, weights),
        planned_curve=planned_curve,
        actual_curve=actual_curve,
        earned=earned_schedule(
            schedule,
            calendar,
            weights,
            status,
            finished_on=forecast.reception_date if forecast.completed else None,
        ),
        penalty=penalty,
        works_contract=contract,
        checks=checks,
        progress_reported=progress_reported(schedule),
        data_date=data_date,
        calendars=calendars,
    )


def schedule_lines(schedule: pd.DataFrame) -> set[str]:
    """The budget lines the schedule's tasks belong to (the works chapters)."""
    lines = schedule[SCHEDULE.budget_line].dropna().astype("str").str.strip()
    return set(lines[lines != ""])


def late_and_critical_table(schedule: pd.DataFrame, overview: PlanningOverview) -> pd.DataFrame:
    """Tasks that are late or critical, most delayed first: the table under the Gantt (never a
    summary row: ``task_forecast`` marks none late or critical). Both
    floats: on the network (from the forecast finish, what makes a task critical) and to the
    contractual end (negative when the task cannot finish in time, the "negative float"
    check)."""
    tasks = overview.tasks
    frame = pd.DataFrame(
        {
            SCHEDULE.task_id: schedule[SCHEDULE.task_id],
            SCHEDULE.name: schedule[SCHEDULE.name],
            SCHEDULE.lot: schedule[SCHEDULE.lot],
            SCHEDULE.baseline_finish: schedule[SCHEDULE.baseline_finish],
            FORECAST_FINISH: tasks[FORECAST_FINISH],
            DELAY_CALENDAR_DAYS: tasks[DELAY_CALENDAR_DAYS],
            CPM.total_float: tasks[CPM.total_float],
            FLOAT_TO_CONTRACT: tasks[FLOAT_TO_CONTRACT],
            SCHEDULE.percent_complete: schedule[SCHEDULE.percent_complete],
            CPM.is_critical: tasks[CPM.is_critical],
            IS_LATE: tasks[IS_LATE],
            SCHEDULE.comment: schedule[SCHEDULE.comment],
        }
    )
    selected = frame[frame[IS_LATE] | frame[CPM.is_critical]]
    return selected.sort_values(
        [DELAY_CALENDAR_DAYS, CPM.total_float], ascending=[False, True], na_position="last"
    ).reset_index(drop=True)
