"""Edge cases every stage of the works meets, on the current sample (``data/``, 20/11/2026) read
through the real loaders: an empty ledger, no contract, no links, 0 % everywhere, 100 %
everywhere, a single task. Each gives figures or ``None`` with a reason, never NaN or an error.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from loaders import (
    load_budget_lines,
    load_contracts,
    load_project,
    load_schedule,
    load_spending,
)
from tracking.forecast import IS_LATE, reception_date, works_completed
from tracking.situation import ProjectSituation, compute_situation

DATA = Path(__file__).resolve().parents[2] / "data"
STATUS = dt.date(2026, 11, 20)
T = pd.Timestamp


@cache
def sample() -> dict:
    settings = load_project(DATA / "project.toml")
    limits = settings.read_limits
    finance = settings.data_files["spending"]
    return {
        "settings": settings,
        "schedule": load_schedule(settings.data_files["schedule"], limits=limits).frame,
        "budget": load_budget_lines(finance, limits=limits).frame,
        "contracts": load_contracts(finance, limits=limits).frame,
        "spending": load_spending(finance, limits=limits).frame,
    }


def situation(**changes) -> ProjectSituation:
    tables = {k: v for k, v in sample().items() if k != "settings"} | changes
    return compute_situation(sample()["settings"], STATUS, **tables)


def header_only(headers: list[str]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(headers)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def floats_of(obj) -> list[float]:
    """Every float attribute of a dataclass (to check none is NaN or infinite)."""
    return [v for v in vars(obj).values() if isinstance(v, float)]


def test_empty_ledger_waits_for_the_first_decompte():
    """A décomptes sheet with its header only loads as "nothing yet"; with the works contract
    signed and 87 % of the works done, CPI, EAC and the forecast cost wait for a décompte."""
    ledger = load_spending(
        header_only(["N° décompte", "N° marché", "Date d'émission", "Montant TTC", "Retenue"])
    ).frame
    assert ledger.empty
    spending = situation(spending=ledger).spending
    assert spending.totals.issued == 0
    assert spending.totals.reason("payment_rate") == "no_decompte"
    assert spending.earned.cpi is None and spending.earned.reason("cpi") == "no_works_decompte"
    assert spending.earned.spi is not None  # progress is measured: SPI does not wait
    assert spending.forecast_at_completion is None
    assert spending.retention.reason == "no_decompte"
    assert spending.works_contract is not None and spending.penalty is not None
    assert all(math.isfinite(v) for v in floats_of(spending.totals))


def test_no_contract_signed_yet():
    contracts = load_contracts(
        header_only(["N° marché", "Type", "Titulaire", "Ligne budgétaire", "Montant TTC"])
    ).frame
    assert contracts.empty
    current = situation(contracts=contracts)
    spending = current.spending
    assert spending.totals.engaged == 0
    assert spending.totals.issue_rate is None
    assert spending.totals.reason("issue_rate") == "no_contract"
    assert spending.works_contract is None and spending.reason("works_contract") == "no_contract"
    assert spending.penalty is None and spending.reason("penalty") == "no_contract"
    assert spending.rules.empty
    assert current.financial_progress is None
    assert current.reason("financial_progress") == "no_contract"
    assert current.planning.works_contract is None


def test_no_links_forecasts_from_the_file_dates():
    """Without predecessors no critical path is invented: the forecast is the latest of the
    file's own dates, no task is critical."""
    schedule = sample()["schedule"].assign(predecessors=pd.NA)
    planning = situation(schedule=schedule).planning
    assert planning.forecast.source == "dates"
    assert planning.forecast.forecast_finish == schedule["finish"].max()
    assert planning.critical_count == 0
    assert (
        planning.forecast.delay_vs_contract_days
        == (schedule["finish"].max() - T("2026-12-16")).days
    )


def test_zero_percent_everywhere_is_behind_plan_without_a_forecast():
    """Nothing reported at 20/11/2026 while the plan is far ahead: no forecast, the rating is
    red on the progress gap alone, and the tasks whose baseline finish has passed are late."""
    schedule = sample()["schedule"].assign(
        percent_complete=0.0, actual_start=pd.NaT, actual_finish=pd.NaT
    )
    current = situation(schedule=schedule)
    planning = current.planning
    assert planning.actual_percent == 0 and planning.planned_percent > 80
    assert planning.forecast.forecast_finish is None and planning.forecast.reason == "no_progress"
    assert planning.earned.spi_t is None
    overdue = schedule["baseline_finish"] < T(STATUS)
    assert planning.tasks.loc[overdue, IS_LATE].all()
    time = current.rating("time")
    assert (time.color, time.reason) == ("red", "time_awaiting_progress")


def test_one_hundred_percent_everywhere_without_a_reception_milestone():
    """Every task done, no milestone named « réception provisoire »: the works finish on the
    latest actual finish, the delay is counted at that date."""
    schedule = sample()["schedule"]
    done = schedule.assign(
        percent_complete=100.0,
        actual_start=schedule["start"],
        actual_finish=schedule["finish"],
        name=schedule["name"].str.replace("Réception provisoire", "Fin des travaux"),
    )
    assert works_completed(done)
    assert reception_date(done) == done["finish"].max()
    forecast = situation(schedule=done).planning.forecast
    assert forecast.completed and forecast.forecast_finish == done["finish"].max()
    assert forecast.delay_vs_contract_days == (done["finish"].max() - T("2026-12-16")).days


@pytest.mark.parametrize(
    ("percent", "expected_reason"),
    [(0.0, "no_progress"), (40.0, None), (100.0, None)],
)
def test_a_single_task(percent, expected_reason):
    """One task (the structure's first floor slab) alone, at 0 %, under way, done."""
    schedule = sample()["schedule"]
    one = schedule[schedule["task_id"] == "T11"].assign(
        percent_complete=percent,
        actual_start=T("2026-05-11") if percent else pd.NaT,
        actual_finish=T("2026-06-26") if percent == 100 else pd.NaT,
        predecessors=pd.NA,
    )
    current = situation(schedule=one)
    planning = current.planning
    assert planning.actual_percent == pytest.approx(percent)
    assert planning.forecast.reason == expected_reason
    assert planning.forecast.completed == (percent == 100)
    assert len(planning.planned_curve) > 0
    assert all(r.reason for r in current.ratings)
    if percent == 100:
        assert planning.forecast.forecast_finish == T("2026-06-26")


def test_only_milestones_count_as_progress_when_there_is_nothing_else():
    schedule = sample()["schedule"]
    stones = schedule[schedule["milestone"]].assign(
        percent_complete=0.0, actual_start=pd.NaT, actual_finish=pd.NaT
    )
    planning = situation(schedule=stones).planning
    assert planning.forecast.reason == "no_progress"
    reached = stones.assign(
        percent_complete=stones["percent_complete"].where(stones["task_id"] != "T01", 100.0),
        actual_finish=stones["actual_finish"].where(stones["task_id"] != "T01", T("2026-02-16")),
    )
    assert situation(schedule=reached).planning.forecast.forecast_finish is not None
