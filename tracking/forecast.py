"""Schedule forecast at the status date: task delays, the project finish against the contractual
end and the baseline, and the delay-penalty exposure of the CCAG-T rules in the settings.

Every stage of the works gives a sensible answer:

- before the first progress report (no task with progress or an actual finish, milestones
  aside: the OS de commencement is not progress) there is no forecast of the finish: it is
  ``None`` with the reason ``no_progress``, and the task forecasts follow the plan (nothing is
  "late" only because nothing was measured yet, see ``cpm_data_date``);
- once every task is done, the finish is the réception provisoire (its milestone's actual date,
  else the latest actual finish): the delay is the delay at réception, and the contract time
  consumed stops counting there.

Summary rows (``tracking.outline``) are never late, never critical, and take no part in the
project's finish, progress or completion: their own dates are their children's rolled up, and
their children are counted.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.schema import SCHEDULE
from tracking.calendar import WorkCalendar
from tracking.cpm import CPM, CpmResult
from tracking.outline import summary_rows
from tracking.unavailable import NO_DATES, NO_PROGRESS

#: columns of ``task_forecast``
FORECAST_START = "forecast_start"
FORECAST_FINISH = "forecast_finish"
DELAY_WORKING_DAYS = "delay_working_days"
DELAY_CALENDAR_DAYS = "delay_calendar_days"
IS_LATE = "is_late"
#: total float (working days) of the backward pass from the contractual end, added by
#: ``tracking.planning.planning_overview``; ``CPM.total_float`` is the float on the network
#: (from the forecast finish), never negative
FLOAT_TO_CONTRACT = "float_to_contract"


def task_forecast(
    schedule: pd.DataFrame, cpm: CpmResult | None, calendar: WorkCalendar, status_date
) -> pd.DataFrame:
    """Per task: forecast start and finish (the CPM's early dates when the file has logic, else
    the file's own dates, actual dates for finished work), the delay of the forecast finish
    against the baseline finish in working and calendar days, the total float, whether the task
    is critical, and ``is_late``: not finished, and forecast to finish after its baseline
    finish or already past it. A summary row is never late nor critical (its children are);
    its forecast dates are the CPM's span of its children when the CPM gives them."""
    status = pd.Timestamp(status_date)
    summary = summary_rows(schedule)
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
    is_late = ~done & ~summary & ((calendar_days > 0) | overdue)

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
        frame[CPM.is_critical] = cpm.tasks[CPM.is_critical].fillna(False).astype(bool) & ~summary
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
    return PenaltyExposure(
        delay_days=days,
        contract_amount=contract_amount,
        rate_per_day=rate_per_day,
        cap=cap,
        amount=round(min(uncapped, cap_amount), 2),
        cap_amount=round(cap_amount, 2),
        # half a centime of tolerance: 100 days at 0,7 ‰ is the 7 % cap, not beyond it
        capped=uncapped > cap_amount + 0.005,
        days_to_cap=penalty_days_to_cap(rate_per_day, cap),
    )


def penalty_days_to_cap(rate_per_day: float, cap: float) -> int:
    """Days of delay at which the penalties reach their cap: ``cap / rate`` rounded up to a
    whole day. The quotient of two decimal rates is not exact in binary (0,07 / 0,0007 gives
    100,00000000000001): a quotient within 1e-9 of a whole number is that number."""
    if rate_per_day <= 0:
        return 0
    quotient = cap / rate_per_day
    nearest = round(quotient)
    if math.isclose(quotient, nearest, rel_tol=1e-9, abs_tol=1e-9):
        return int(nearest)
    return math.ceil(quotient)


#: names of the milestone that marks the réception provisoire (compared without accents or case)
RECEPTION_NAMES = (
    "reception provisoire",
    "provisional acceptance",
    "practical completion",
    "substantial completion",
)


def _fold(text: object) -> str:
    if not isinstance(text, str):
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def _tasks(schedule: pd.DataFrame) -> pd.DataFrame:
    """Every row but the summaries (a phase's dates and % are its children's)."""
    return schedule[~summary_rows(schedule)]


def _work_tasks(schedule: pd.DataFrame) -> pd.DataFrame:
    """The tasks that carry work (milestones and summaries aside), or every task when all are
    milestones."""
    schedule = _tasks(schedule)
    milestone = schedule[SCHEDULE.milestone].fillna(False).astype(bool)
    return schedule if milestone.all() else schedule[~milestone]


def progress_reported(schedule: pd.DataFrame) -> bool:
    """True once a progress report has been recorded: a task (milestones aside) with some %
    or an actual finish. An actual start alone (the site set-up started on the OS) is not a
    measure of progress."""
    tasks = _work_tasks(schedule)
    percent = tasks[SCHEDULE.percent_complete].fillna(0.0)
    return bool(((percent > 0) | tasks[SCHEDULE.actual_finish].notna()).any())


def works_completed(schedule: pd.DataFrame) -> bool:
    """True when every task is done (100 % or an actual finish), summary rows aside."""
    schedule = _tasks(schedule)
    if schedule.empty:
        return False
    done = (schedule[SCHEDULE.percent_complete].fillna(0.0) >= 100) | schedule[
        SCHEDULE.actual_finish
    ].notna()
    return bool(done.all())


def reception_date(schedule: pd.DataFrame) -> pd.Timestamp | None:
    """The date of the réception provisoire: the actual finish of the milestone named so
    (``RECEPTION_NAMES``), else, once every task is done, the latest actual finish; ``None``
    before the réception."""
    schedule = _tasks(schedule)
    names = schedule[SCHEDULE.name].map(_fold)
    named = names.map(lambda n: any(word in n for word in RECEPTION_NAMES)).astype(bool)
    milestone = schedule[SCHEDULE.milestone].fillna(False).astype(bool)
    candidates = schedule[named & milestone] if (named & milestone).any() else schedule[named]
    reached = candidates[SCHEDULE.actual_finish].dropna()
    if len(reached):
        return pd.Timestamp(reached.max())
    if works_completed(schedule):
        latest = schedule[SCHEDULE.actual_finish].max()
        if pd.notna(latest):
            return pd.Timestamp(latest)
    return None


def cpm_data_date(schedule: pd.DataFrame, plan_start, status_date) -> pd.Timestamp:
    """The date the critical path takes progress at. Normally the status date; before the
    first progress report, the latest date anything was recorded (an actual start, the OS
    milestone), at least the plan start: nothing was measured after it, so not-started tasks
    keep their planned dates instead of all being pushed to the status date."""
    status = pd.Timestamp(status_date)
    if progress_reported(schedule):
        return status
    schedule = _tasks(schedule)
    recorded = [pd.Timestamp(plan_start)] if pd.notna(plan_start) else []
    for column in (SCHEDULE.actual_start, SCHEDULE.actual_finish):
        latest = schedule[column].max()
        if pd.notna(latest):
            recorded.append(pd.Timestamp(latest))
    return min(max(recorded), status) if recorded else status


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
    #: share of the contract period elapsed at the status date, or at the réception once the
    #: works are finished (0–1, may exceed 1)
    time_elapsed: float
    source: str  # "cpm" when the forecast comes from the logic, else "dates"
    #: why there is no forecast finish (``tracking.unavailable``): ``no_progress``, ``no_dates``
    reason: str | None = None
    #: every task is done
    completed: bool = False
    #: date of the réception provisoire (``reception_date``), None before it
    reception_date: pd.Timestamp | None = None


def project_forecast(
    schedule: pd.DataFrame,
    tasks: pd.DataFrame,
    works_start: dt.date,
    contractual_end: dt.date,
    status_date,
    cpm: CpmResult | None = None,
) -> ProjectForecast:
    """The project's forecast finish (latest task forecast finish) against the contractual end
    and the baseline finish; ``tasks`` is ``task_forecast``'s frame. Before the first progress
    report there is none (``reason`` says why); once every task is done it is the réception.
    Summary rows' own dates are left out: the finish is their children's."""
    status = pd.Timestamp(status_date)
    tasks = tasks[~summary_rows(schedule).reindex(tasks.index, fill_value=False)]
    schedule = _tasks(schedule)
    start, end = pd.Timestamp(works_start), pd.Timestamp(contractual_end)
    completed = works_completed(schedule)
    reception = reception_date(schedule)
    reason = None
    if completed:
        finish = reception
    elif len(schedule) and not progress_reported(schedule):
        finish, reason = None, NO_PROGRESS
    else:
        latest = tasks[FORECAST_FINISH].max() if len(tasks) else None
        finish = None if latest is None or pd.isna(latest) else pd.Timestamp(latest)
    if finish is None and reason is None:
        reason = NO_DATES
    baseline = schedule[SCHEDULE.baseline_finish].max() if len(schedule) else None
    baseline = None if baseline is None or pd.isna(baseline) else pd.Timestamp(baseline)
    period = max((end - start).days, 1)
    measured_to = min(status, reception) if completed and reception is not None else status
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
        time_elapsed=(measured_to - start).days / period,
        source="cpm" if cpm is not None and cpm.has_logic else "dates",
        reason=reason,
        completed=completed,
        reception_date=reception,
    )
