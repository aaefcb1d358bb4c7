"""Schedule forecast at the status date: task delays, the project finish against the contractual
end and the baseline, and the delay-penalty exposure of the CCAG-T rules in the settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.schema import SCHEDULE
from tracking.calendar import WorkCalendar
from tracking.cpm import CPM, CpmResult

#: columns of ``task_forecast``
FORECAST_START = "forecast_start"
FORECAST_FINISH = "forecast_finish"
DELAY_WORKING_DAYS = "delay_working_days"
DELAY_CALENDAR_DAYS = "delay_calendar_days"
IS_LATE = "is_late"


def task_forecast(
    schedule: pd.DataFrame, cpm: CpmResult | None, calendar: WorkCalendar, status_date
) -> pd.DataFrame:
    """Per task: forecast start and finish (the CPM's early dates when the file has logic, else
    the file's own dates, actual dates for finished work), the delay of the forecast finish
    against the baseline finish in working and calendar days, the total float, whether the task
    is critical, and ``is_late``: not finished, and forecast to finish after its baseline
    finish or already past it."""
    status = pd.Timestamp(status_date)
    start = schedule[SCHEDULE.start]
    finish = schedule[SCHEDULE.finish]
    if cpm is not None and cpm.has_logic:
        start = cpm.tasks[CPM.early_start].where(cpm.tasks[CPM.early_start].notna(), start)
        finish = cpm.tasks[CPM.early_finish].where(cpm.tasks[CPM.early_finish].notna(), finish)
    start = schedule[SCHEDULE.actual_start].where(schedule[SCHEDULE.actual_start].notna(), start)
    finish = schedule[SCHEDULE.actual_finish].where(
        schedule[SCHEDULE.actual_finish].notna(), finish
    )

    baseline_finish = schedule[SCHEDULE.baseline_finish]
    calendar_days = (finish - baseline_finish).dt.days
    working = pd.Series(np.nan, index=schedule.index)
    both = finish.notna() & baseline_finish.notna()
    if both.any():
        later = calendar.day_index(finish[both], side="finish")
        planned = calendar.day_index(baseline_finish[both], side="finish")
        working[both] = later - planned
    done = schedule[SCHEDULE.actual_finish].notna() | (schedule[SCHEDULE.percent_complete] >= 100)
    overdue = baseline_finish.notna() & (baseline_finish < status)
    # late: work still to do that will finish after its baseline finish (or should be done);
    # finished work is history, counted by the "missed tasks" check
    is_late = ~done & ((calendar_days > 0) | overdue)

    frame = pd.DataFrame(
        {
            SCHEDULE.task_id: schedule[SCHEDULE.task_id],
            FORECAST_START: start.astype("datetime64[us]"),
            FORECAST_FINISH: finish.astype("datetime64[us]"),
            DELAY_WORKING_DAYS: working.astype("Int64"),
            DELAY_CALENDAR_DAYS: calendar_days.astype("Int64"),
            IS_LATE: is_late.fillna(False).astype(bool),
        },
        index=schedule.index,
    )
    if cpm is not None and cpm.has_logic:
        frame[CPM.total_float] = cpm.tasks[CPM.total_float]
        frame[CPM.is_critical] = cpm.tasks[CPM.is_critical].astype(bool)
    else:
        frame[CPM.total_float] = pd.Series(pd.NA, index=schedule.index, dtype="Int64")
        frame[CPM.is_critical] = False
    return frame


@dataclass(frozen=True)
class PenaltyExposure:
    """Pénalités de retard: ``rate_per_day`` of the contract amount per calendar day of delay,
    capped at ``cap`` of the contract amount."""

    delay_days: int
    contract_amount: float
    rate_per_day: float
    cap: float
    amount: float
    cap_amount: float
    capped: bool
    #: days of delay at which the cap is reached
    days_to_cap: int


def penalty_exposure(
    delay_days: int, contract_amount: float, rate_per_day: float, cap: float
) -> PenaltyExposure:
    days = max(int(delay_days), 0)
    cap_amount = contract_amount * cap
    uncapped = contract_amount * rate_per_day * days
    days_to_cap = int(np.ceil(cap / rate_per_day)) if rate_per_day > 0 else 0
    return PenaltyExposure(
        delay_days=days,
        contract_amount=contract_amount,
        rate_per_day=rate_per_day,
        cap=cap,
        amount=round(min(uncapped, cap_amount), 2),
        cap_amount=round(cap_amount, 2),
        capped=uncapped > cap_amount,
        days_to_cap=days_to_cap,
    )


@dataclass(frozen=True)
class ProjectForecast:
    status_date: pd.Timestamp
    works_start: pd.Timestamp
    contractual_end: pd.Timestamp
    baseline_finish: pd.Timestamp | None
    forecast_finish: pd.Timestamp | None
    #: forecast finish − contractual end, calendar days (penalties count calendar days)
    delay_vs_contract_days: int | None
    #: forecast finish − baseline finish, calendar days
    delay_vs_baseline_days: int | None
    #: share of the contract period elapsed at the status date (0–1, may exceed 1)
    time_elapsed: float
    source: str  # "cpm" when the forecast comes from the logic, else "dates"


def project_forecast(
    schedule: pd.DataFrame,
    tasks: pd.DataFrame,
    works_start: dt.date,
    contractual_end: dt.date,
    status_date,
    cpm: CpmResult | None = None,
) -> ProjectForecast:
    """The project's forecast finish (latest task forecast finish) against the contractual end
    and the baseline finish; ``tasks`` is ``task_forecast``'s frame."""
    status = pd.Timestamp(status_date)
    start, end = pd.Timestamp(works_start), pd.Timestamp(contractual_end)
    finish = tasks[FORECAST_FINISH].max() if len(tasks) else None
    finish = None if finish is None or pd.isna(finish) else pd.Timestamp(finish)
    baseline = schedule[SCHEDULE.baseline_finish].max() if len(schedule) else None
    baseline = None if baseline is None or pd.isna(baseline) else pd.Timestamp(baseline)
    period = max((end - start).days, 1)
    return ProjectForecast(
        status_date=status,
        works_start=start,
        contractual_end=end,
        baseline_finish=baseline,
        forecast_finish=finish,
        delay_vs_contract_days=None if finish is None else int((finish - end).days),
        delay_vs_baseline_days=None
        if finish is None or baseline is None
        else int((finish - baseline).days),
        time_elapsed=(status - start).days / period,
        source="cpm" if cpm is not None and cpm.has_logic else "dates",
    )
