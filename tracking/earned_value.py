"""Earned value at the status date and over time (PMI / ANSI-748 formulas).

Scope and definitions (the page's help texts say the same):

- Earned value measures the budget lines that have tasks in the schedule (the works
  chapters). Lines without tasks (studies, equipment, provision) have no physical progress to
  measure: they are **left out** of BAC, PV, EV and AC and listed apart; the forecast at
  completion of the operation adds their own forecast (``tracking.spending``).
- **BAC** of a line = its budget. Each task gets a share of it by baseline duration (working
  days) within the line (``tracking.budget.task_budget``); milestones weigh nothing.
- **EV** (earned value) = Σ task budget × % complete: the line's budget × the weighted %
  complete of its tasks.
- **PV** (planned value) = Σ task budget × the share of the task's baseline duration elapsed
  at the date (linear over working days, as the planned S-curve of ``tracking.progress``).
- **AC** (actual cost) = émis: the décomptes issued on the line by the date (cost of the work
  certified, before retention). Décomptes follow the monthly attachements, so AC lags the
  works by up to a month.
- SV = EV − PV, CV = EV − AC, SPI = EV / PV, CPI = EV / AC; EAC = BAC / CPI (default), shown
  beside AC + (BAC − EV) (remaining work at budget rates) and AC + (BAC − EV) / (CPI × SPI);
  ETC = EAC − AC, VAC = BAC − EAC, TCPI = (BAC − EV) / (BAC − AC).

In the per-line frame a zero denominator gives NaN (the frame keeps numbers); in the totals
(``EarnedValue``) it gives ``None`` and a reason code (``tracking.unavailable``) every renderer
writes in words: "CPI available after the first décompte", "SPI available after the first
progress report", "works complete" for the TCPI.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loaders.schema import BUDGET_LINES, SCHEDULE, SPENDING
from tracking.budget import (
    ISSUED_CUMULATIVE,
    LINE_ID,
    TOLERANCE,
    issued_decomptes,
    line_codes,
    scheduled_lines,
    spending_curve,
    task_budget,
)
from tracking.calendar import WorkCalendar
from tracking.progress import (
    Weights,
    _elapsed_fraction,
    actual_progress_curve,
    plan_dates,
    planned_progress,
)
from tracking.unavailable import (
    BUDGET_SPENT,
    NO_EARNED_VALUE,
    NO_PROGRESS,
    NO_WORKS_DECOMPTE,
    NOTHING_PLANNED,
    WORKS_COMPLETE,
    finite,
    ratio,
)

#: columns of ``earned_value_lines`` and ``earned_value_series``
BAC = "bac"
PV = "pv"
EV = "ev"
AC = "ac"
SV = "sv"
CV = "cv"
SPI = "spi"
CPI = "cpi"
PERCENT_COMPLETE = "percent_complete"  # 0–100, EV / BAC
PERCENT_PLANNED = "percent_planned"  # 0–100, PV / BAC
TASK_COUNT = "task_count"


@dataclass(frozen=True)
class EarnedValue:
    """The earned-value figures at one date (MAD on the amounts' basis; indexes as ratios).

    An index or forecast that cannot be computed yet is ``None`` and ``reasons`` names why
    (``tracking.unavailable``): at the launch of works CPI, EAC, ETC and VAC wait for the
    first works décompte and SPI for the first progress report; at completion TCPI has no
    remaining work to measure."""

    bac: float
    pv: float
    ev: float
    ac: float
    sv: float
    cv: float
    spi: float | None
    cpi: float | None
    #: BAC / CPI: the remaining work costs what the work so far has cost
    eac: float | None
    #: AC + (BAC − EV): the remaining work at budget rates
    eac_at_budget: float
    #: AC + (BAC − EV) / (CPI × SPI): cost and schedule performance both carry on
    eac_cpi_spi: float | None
    etc: float | None
    vac: float | None
    #: CPI the remaining work needs to finish within BAC
    tcpi: float | None
    #: figure name -> reason code, for every figure that is ``None``
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def percent_complete(self) -> float | None:
        return ratio(self.ev, self.bac)

    @property
    def percent_planned(self) -> float | None:
        return ratio(self.pv, self.bac)

    def reason(self, name: str) -> str | None:
        """Why ``name`` (``cpi``, ``eac``…) is not available, ``None`` when it is."""
        return self.reasons.get(name)


def _cpi_reason(ev: float, ac: float) -> str | None:
    if ac <= 0:
        return NO_WORKS_DECOMPTE
    if ev <= 0:
        return NO_EARNED_VALUE  # costs issued, no progress measured: CPI 0, BAC / CPI infinite
    return None


def _spi_reason(ev: float, pv: float) -> str | None:
    if pv <= 0:
        return NOTHING_PLANNED
    if ev <= 0:
        return NO_PROGRESS
    return None


def earned_value(bac: float, pv: float, ev: float, ac: float) -> EarnedValue:
    """Every earned-value measure from the four amounts; ``None`` (with its reason) where a
    denominator is zero: nothing issued (CPI, EAC), nothing earned or planned (SPI), nothing
    left to do (TCPI)."""
    bac, pv, ev, ac = float(bac), float(pv), float(ev), float(ac)
    reasons: dict[str, str] = {}
    cpi_reason, spi_reason = _cpi_reason(ev, ac), _spi_reason(ev, pv)
    cpi = None if cpi_reason else ratio(ev, ac)
    spi = None if spi_reason else ratio(ev, pv)
    remaining = bac - ev
    eac = ratio(bac, cpi) if cpi else None
    eac_cpi_spi = ac + remaining / (cpi * spi) if cpi and spi else None
    if cpi_reason:
        reasons.update(dict.fromkeys(("cpi", "eac", "etc", "vac", "eac_cpi_spi"), cpi_reason))
    if spi_reason:
        reasons["spi"] = spi_reason
        reasons.setdefault("eac_cpi_spi", spi_reason)
    tcpi = None
    if remaining <= TOLERANCE:
        reasons["tcpi"] = WORKS_COMPLETE
    elif bac - ac <= 0:
        reasons["tcpi"] = BUDGET_SPENT  # finished over budget: no CPI can bring it back
    else:
        tcpi = ratio(remaining, bac - ac)
    return EarnedValue(
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        sv=ev - pv,
        cv=ev - ac,
        spi=spi,
        cpi=cpi,
        eac=eac,
        eac_at_budget=ac + remaining,
        eac_cpi_spi=finite(eac_cpi_spi),
        etc=None if eac is None else eac - ac,
        vac=None if eac is None else bac - eac,
        tcpi=tcpi,
        reasons=reasons,
    )


def task_percent(schedule: pd.DataFrame) -> pd.Series:
    """% complete of each task as a share (0–1); a missing value counts as not started."""
    return (schedule[SCHEDULE.percent_complete].fillna(0.0).clip(0, 100) / 100).astype(float)


def earned_value_lines(
    budget: pd.DataFrame,
    schedule: pd.DataFrame | None,
    spending: pd.DataFrame | None,
    calendar: WorkCalendar,
    status_date,
) -> pd.DataFrame:
    """One row per budget line that has tasks: BAC, PV, EV, AC at the status date, the
    variances and indexes, % complete and % planned (0–100), and the number of tasks."""
    columns = [LINE_ID, BUDGET_LINES.name, TASK_COUNT, BAC, PV, EV, AC]
    lines = scheduled_lines(schedule, budget)
    if not lines:
        empty = pd.DataFrame(columns=columns)
        return empty.assign(
            **{
                c: pd.Series(dtype=float)
                for c in (SV, CV, SPI, CPI, PERCENT_COMPLETE, PERCENT_PLANNED)
            }
        )
    status = pd.Timestamp(status_date).normalize()
    money = task_budget(schedule, budget, calendar)
    line = line_codes(schedule, SCHEDULE.budget_line)
    fraction = planned_fraction(schedule, calendar, status)
    earned = money * task_percent(schedule)
    planned_money = money * fraction
    issued = issued_decomptes(spending, status)
    ac = issued.groupby(line_codes(issued, SPENDING.budget_line))[SPENDING.amount].sum()

    selected = budget[budget[BUDGET_LINES.line_id].astype("str").isin(lines)]
    code = selected[BUDGET_LINES.line_id].astype("str")
    frame = pd.DataFrame(
        {
            LINE_ID: code.to_numpy(),
            BUDGET_LINES.name: selected[BUDGET_LINES.name].to_numpy(),
            TASK_COUNT: code.map(line.value_counts()).fillna(0).astype(int).to_numpy(),
            BAC: selected[BUDGET_LINES.amount].fillna(0.0).astype(float).to_numpy(),
            PV: code.map(planned_money.groupby(line).sum()).fillna(0.0).to_numpy(),
            EV: code.map(earned.groupby(line).sum()).fillna(0.0).to_numpy(),
            AC: code.map(ac).fillna(0.0).astype(float).to_numpy(),
        }
    )
    return frame.assign(
        **{
            SV: frame[EV] - frame[PV],
            CV: frame[EV] - frame[AC],
            SPI: (frame[EV] / frame[PV].where(frame[PV] != 0)).astype(float),
            CPI: (frame[EV] / frame[AC].where(frame[AC] != 0)).astype(float),
            PERCENT_COMPLETE: (100 * frame[EV] / frame[BAC].where(frame[BAC] != 0)).astype(float),
            PERCENT_PLANNED: (100 * frame[PV] / frame[BAC].where(frame[BAC] != 0)).astype(float),
        }
    )


def planned_fraction(schedule: pd.DataFrame, calendar: WorkCalendar, status_date) -> pd.Series:
    """The share of each task's plan (baseline) duration elapsed at the end of the date (0–1),
    linear over working days: the per-task terms of ``tracking.progress.planned_progress``
    (its private helper is reused on purpose, so PV per line and the S-curve never disagree)."""
    start, finish, _source = plan_dates(schedule)
    dates = pd.DatetimeIndex([pd.Timestamp(status_date).normalize()])
    return pd.Series(_elapsed_fraction(calendar, start, finish, dates)[:, 0], index=schedule.index)


def earned_value_totals(lines: pd.DataFrame) -> EarnedValue:
    """The measures of the whole earned-value scope (the sum of ``earned_value_lines``)."""
    return earned_value(
        float(lines[BAC].sum()),
        float(lines[PV].sum()),
        float(lines[EV].sum()),
        float(lines[AC].sum()),
    )


def earned_value_series(
    budget: pd.DataFrame,
    schedule: pd.DataFrame | None,
    spending: pd.DataFrame | None,
    calendar: WorkCalendar,
    status_date,
    dates,
) -> pd.DataFrame:
    """PV, EV and AC of the earned-value scope at each date. PV follows the baseline; EV is
    rebuilt from the actual dates (each task progressing linearly from its actual start to
    its actual finish, or to the status date, up to its % complete, as the actual S-curve of
    ``tracking.progress``); AC is the cumulative amount issued on the scope's lines. EV and
    AC are NaN after the status date."""
    dates = pd.DatetimeIndex(pd.to_datetime(dates))
    status = pd.Timestamp(status_date).normalize()
    lines = scheduled_lines(schedule, budget)
    if not lines:
        return pd.DataFrame({PV: np.nan, EV: np.nan, AC: np.nan}, index=dates)
    money = Weights(task_budget(schedule, budget, calendar), "budget")
    # the progress functions return Σ weight × share × 100: with task budgets as weights,
    # the amounts × 100
    planned = planned_progress(schedule, calendar, money, dates).to_numpy() / 100
    earned = actual_progress_curve(schedule, calendar, money, status, dates).to_numpy() / 100
    scope = None
    if spending is not None:
        scope = spending[line_codes(spending, SPENDING.budget_line).isin(lines)]
    actual = spending_curve(scope, status, dates)[ISSUED_CUMULATIVE].fillna(0.0).to_numpy()
    frame = pd.DataFrame({PV: planned, EV: earned, AC: actual}, index=dates)
    after = np.asarray(dates > status)
    frame.loc[after, [EV, AC]] = np.nan
    return frame


def excluded_lines(chain: pd.DataFrame, scheduled: list[str]) -> pd.DataFrame:
    """The rows of ``budget_chain`` left out of earned value (no task in the schedule)."""
    return chain[~chain[LINE_ID].isin(scheduled)].reset_index(drop=True)
