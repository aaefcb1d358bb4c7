"""Physical progress: task weights, the planned S-curve from the baseline, the actual % and
the earned-schedule forecast.

Every function takes the canonical schedule frame (``loaders.schema.SCHEDULE``) and returns new
objects; nothing reads settings or globals.

Summary rows (a lot, a phase, the project: ``tracking.outline``) weigh nothing: their dates and %
are their children's rolled up, and counting them would count each lot twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from loaders.schema import BUDGET_LINES, SCHEDULE
from tracking.calendar import WorkCalendar
from tracking.outline import summary_rows
from tracking.unavailable import BEFORE_START, NO_PROGRESS

WeightBasis = Literal["weight", "budget", "duration"]
PlanSource = Literal["baseline", "current"]


@dataclass(frozen=True)
class Weights:
    """The share of each task in the project's physical progress."""

    values: pd.Series  # indexed like the schedule, sums to 1 (0 for milestones and summaries)
    basis: WeightBasis


def plan_dates(schedule: pd.DataFrame) -> tuple[pd.Series, pd.Series, PlanSource]:
    """The dates the plan is measured against: the baseline where the file has one for every
    task (summary rows aside: a tool may leave a phase's baseline blank), else the current
    dates (and the caller should say so)."""
    baseline_start = schedule[SCHEDULE.baseline_start]
    baseline_finish = schedule[SCHEDULE.baseline_finish]
    tasks = ~summary_rows(schedule)
    if tasks.any() and baseline_start[tasks].notna().all() and baseline_finish[tasks].notna().all():
        start = baseline_start.fillna(schedule[SCHEDULE.start])
        finish = baseline_finish.fillna(schedule[SCHEDULE.finish])
        return start, finish, "baseline"
    start = baseline_start.fillna(schedule[SCHEDULE.start])
    finish = baseline_finish.fillna(schedule[SCHEDULE.finish])
    source: PlanSource = "baseline" if baseline_start.notna().any() else "current"
    return start, finish, source


def task_weights(
    schedule: pd.DataFrame, calendar: WorkCalendar, budget_lines: pd.DataFrame | None = None
) -> Weights:
    """Weights from the ``weight`` column when given, else from the budget of each task's budget
    line (split over that line's tasks by planned duration), else from planned durations.
    Milestones and summary rows weigh 0 (a summary's work is its children's, counted once)."""
    start, finish, _source = plan_dates(schedule)
    milestone = schedule[SCHEDULE.milestone].fillna(False).astype(bool) | summary_rows(schedule)
    durations = pd.Series(calendar.durations(start, finish), index=schedule.index).fillna(0.0)
    durations = durations.where(~milestone, 0.0)

    explicit = schedule[SCHEDULE.weight]
    if explicit.notna().any() and explicit.fillna(0).sum() > 0:
        raw = explicit.fillna(0.0).clip(lower=0).where(~milestone, 0.0)
        basis: WeightBasis = "weight"
    elif budget_lines is not None and _budget_covers(schedule, budget_lines, milestone):
        line_budget = budget_lines.set_index(BUDGET_LINES.line_id)[BUDGET_LINES.amount]
        line = schedule[SCHEDULE.budget_line]
        line_duration = durations.groupby(line).transform("sum")
        share = (durations / line_duration.replace(0, np.nan)).fillna(0.0)
        raw = share * line.map(line_budget).astype(float).fillna(0.0)
        basis = "budget"
    else:
        raw = durations
        basis = "duration"
    total = raw.sum()
    values = raw / total if total > 0 else raw * 0.0
    return Weights(values.astype(float), basis)


def _budget_covers(
    schedule: pd.DataFrame, budget_lines: pd.DataFrame, milestone: pd.Series
) -> bool:
    """True when every task that is not a milestone (nor a summary) names a known budget line."""
    lines = schedule.loc[~milestone, SCHEDULE.budget_line]
    known = set(budget_lines[BUDGET_LINES.line_id].dropna())
    return bool(len(lines)) and lines.notna().all() and lines.isin(known).all()


def _elapsed_fraction(
    calendar: WorkCalendar, start: pd.Series, finish: pd.Series, dates: pd.DatetimeIndex
) -> np.ndarray:
    """Tasks × dates matrix: the share of each task's working days done by the end of each date
    (linear over working days; a zero-day task counts as done from its date on)."""
    valid = start.notna() & finish.notna()
    first = np.zeros(len(start), dtype="int64")
    last = np.zeros(len(start), dtype="int64")
    if valid.any():
        first[valid.to_numpy()] = calendar.day_index(start[valid], side="start")
        last[valid.to_numpy()] = calendar.day_index(finish[valid], side="finish")
    day = calendar.day_index(dates, side="finish")  # working days completed by each date
    length = np.maximum(last - first + 1, 0)
    done = np.clip(day[None, :] - first[:, None] + 1, 0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(
            length[:, None] > 0,
            np.minimum(done, length[:, None]) / np.maximum(length[:, None], 1),
            (day[None, :] >= first[:, None]).astype(float),
        )
    fraction[~valid.to_numpy(), :] = 0.0
    return fraction


def _weighted_elapsed(
    calendar: WorkCalendar,
    start: pd.Series,
    finish: pd.Series,
    dates: pd.DatetimeIndex,
    weights: np.ndarray,
) -> np.ndarray:
    """``weights @ _elapsed_fraction(...)`` without the tasks × dates matrix: each task adds a
    ramp of ``weight / length`` per working day from its first to its last day (a step of its
    weight on its day when it has no length), summed as two cumulative sums over the working
    days the tasks and dates span. Memory and time grow with tasks + days, not tasks × dates."""
    day = calendar.day_index(dates, side="finish")
    valid = (start.notna() & finish.notna()).to_numpy() & (weights != 0)
    if not valid.any() or not len(day):
        return np.zeros(len(day))
    first = calendar.day_index(start[valid], side="start")
    last = calendar.day_index(finish[valid], side="finish")
    weight = weights[valid].astype(float)
    length = np.maximum(last - first + 1, 0)
    low = int(min(first.min(), day.min()))
    size = int(max(last.max(), day.max(), first.max())) - low + 2
    slope = np.zeros(size)  # the change of the daily increment
    step = np.zeros(size)  # one-off increments (tasks without length)
    ramp = length > 0
    per_day = weight[ramp] / length[ramp]
    np.add.at(slope, first[ramp] - low, per_day)
    np.add.at(slope, last[ramp] - low + 1, -per_day)
    np.add.at(step, first[~ramp] - low, weight[~ramp])
    cumulative = np.cumsum(np.cumsum(slope) + step)
    return cumulative[np.clip(day - low, 0, None)] * (day >= low)


def planned_progress(
    schedule: pd.DataFrame, calendar: WorkCalendar, weights: Weights, dates
) -> pd.Series:
    """Planned cumulative physical progress (0–100) at each date, from the plan dates."""
    dates = pd.DatetimeIndex(pd.to_datetime(dates))
    start, finish, _source = plan_dates(schedule)
    curve = _weighted_elapsed(calendar, start, finish, dates, weights.values.to_numpy()) * 100
    return pd.Series(curve, index=dates, name="planned")


def actual_progress(schedule: pd.DataFrame, weights: Weights) -> float:
    """Actual physical progress (0–100): the weighted mean of % complete."""
    percent = schedule[SCHEDULE.percent_complete].fillna(0.0)
    return float((weights.values * percent).sum())


def actual_progress_curve(
    schedule: pd.DataFrame, calendar: WorkCalendar, weights: Weights, status_date, dates
) -> pd.Series:
    """The actual curve reconstructed from actual dates: each task is taken to have progressed
    linearly from its actual start to its actual finish (or to the status date for tasks in
    progress). Dates after the status date are NaN. Ends on ``actual_progress``."""
    status = pd.Timestamp(status_date)
    dates = pd.DatetimeIndex(pd.to_datetime(dates))
    percent = schedule[SCHEDULE.percent_complete].fillna(0.0).to_numpy() / 100
    actual_start = schedule[SCHEDULE.actual_start]
    end = (
        schedule[SCHEDULE.actual_finish]
        .where(schedule[SCHEDULE.actual_finish].notna(), status)
        .where(actual_start.notna())
    )
    end = end.where(end.isna() | (end >= actual_start), actual_start)
    earned = weights.values.to_numpy() * percent
    curve = _weighted_elapsed(calendar, actual_start, end, dates, earned)
    # a task with progress but no actual start counts from the status date only
    undated = actual_start.isna().to_numpy() & (percent > 0)
    curve = (curve + earned[undated].sum() * (dates >= status)) * 100
    series = pd.Series(curve, index=dates, name="actual")
    return series.where(dates <= status)


@dataclass(frozen=True)
class EarnedSchedule:
    """Earned-schedule measures, in working days from the plan start."""

    plan_start: pd.Timestamp
    planned_finish: pd.Timestamp
    actual_time: int  # AT: working days from the plan start to the status date (or réception)
    earned_schedule: float  # ES: when the plan reached today's actual progress
    spi_t: float | None  # ES / AT; None before the start or before any progress (``reason``)
    forecast_finish: pd.Timestamp | None  # plan start + planned duration / SPI(t)
    schedule_variance_days: float  # ES − AT (negative: behind)
    #: why SPI(t) and its forecast are not available (``tracking.unavailable``)
    reason: str | None = None


def earned_schedule(
    schedule: pd.DataFrame,
    calendar: WorkCalendar,
    weights: Weights,
    status_date,
    finished_on=None,
) -> EarnedSchedule:
    """Earned schedule (Lipke): the time at which the planned curve reached the progress
    actually achieved, compared with the time elapsed. ``finished_on`` (the réception, when
    the works are done) ends the time elapsed: a finished project does not keep slipping.
    SPI(t) is ``None`` before the plan starts (``before_start``) and while nothing has been
    achieved (``no_progress``: 0 would read as "stopped", not "not measured yet")."""
    start, finish, _source = plan_dates(schedule)
    plan_start, plan_finish = start.min(), finish.max()
    first = int(calendar.day_index([plan_start], side="start")[0])
    last = int(calendar.day_index([plan_finish], side="finish")[0])
    measured_to = pd.Timestamp(status_date)
    if finished_on is not None and pd.notna(finished_on):
        measured_to = min(measured_to, pd.Timestamp(finished_on))
    status_index = int(calendar.day_index([measured_to], side="finish")[0])
    actual_time = status_index - first + 1
    planned_duration = last - first + 1
    days = pd.DatetimeIndex(calendar.date_at_index(np.arange(first, last + 1)))
    curve = planned_progress(schedule, calendar, weights, days).to_numpy()
    achieved = actual_progress(schedule, weights)
    # ES = number of whole days whose planned value is reached, plus the interpolated share
    reached = int(np.searchsorted(curve, achieved + 1e-9, side="left"))
    if reached >= len(curve):
        earned = float(planned_duration)
    else:
        before = curve[reached - 1] if reached > 0 else 0.0
        step = curve[reached] - before
        earned = reached + ((achieved - before) / step if step > 0 else 0.0)
    if actual_time <= 0:
        return EarnedSchedule(
            plan_start, plan_finish, actual_time, earned, None, None, 0.0, BEFORE_START
        )
    if achieved <= 0:
        return EarnedSchedule(
            plan_start, plan_finish, actual_time, 0.0, None, None, -actual_time, NO_PROGRESS
        )
    spi_t = earned / actual_time
    forecast_days = int(np.ceil(planned_duration / spi_t))
    forecast = calendar.add_working_days(plan_start, forecast_days - 1)
    return EarnedSchedule(
        plan_start, plan_finish, actual_time, earned, spi_t, forecast, earned - actual_time
    )


def progress_dates(start, finish, status_date=None, freq: str = "W-FRI") -> pd.DatetimeIndex:
    """Weekly dates (Fridays) covering ``start`` .. ``finish`` plus the status date itself."""
    dates = pd.date_range(pd.Timestamp(start), pd.Timestamp(finish), freq=freq)
    extra = [pd.Timestamp(start), pd.Timestamp(finish)]
    if status_date is not None:
        extra.append(pd.Timestamp(status_date))
    return dates.append(pd.DatetimeIndex(extra)).unique().sort_values()
