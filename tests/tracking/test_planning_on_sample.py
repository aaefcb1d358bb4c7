"""The planning figures on the bundled sample, checked against values worked out by hand
from the sample workbooks (scripts/make_sample_data.py documents how they were built)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from loaders import load_budget_lines, load_contracts, load_project, load_schedule
from tracking.planning import late_and_critical_table, planning_overview

DATA = Path(__file__).resolve().parents[2] / "data"
STATUS = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def overview():
    settings = load_project(DATA / "project.toml")
    schedule = load_schedule(DATA / "planning_travaux.xlsx").frame
    contracts = load_contracts(DATA / "suivi_financier.xlsx").frame
    budget = load_budget_lines(DATA / "suivi_financier.xlsx").frame
    return schedule, planning_overview(
        schedule, settings, STATUS, budget_lines=budget, contracts=contracts
    )


def test_forecast_finish_and_delay(overview):
    _schedule, result = overview
    assert result.forecast.contractual_end == pd.Timestamp("2026-12-16")
    assert result.forecast.forecast_finish == pd.Timestamp("2027-01-18")
    assert result.forecast.delay_vs_contract_days == 33  # 16/12/2026 -> 18/01/2027
    assert result.forecast.source == "cpm"


def test_penalty_is_one_per_thousand_of_the_works_contract_per_day(overview):
    _schedule, result = overview
    contract = result.works_contract
    # initial works contract + avenant n°1, from the Marchés sheet
    assert contract.total == pytest.approx(11_916_625.40 + 571_998.02)
    assert result.penalty.amount == pytest.approx(round(contract.total * 0.001 * 33, 2))
    assert not result.penalty.capped


def test_critical_path_ends_with_the_reception(overview):
    _schedule, result = overview
    assert result.cpm.has_logic
    assert result.cpm.critical_path[-1] == "T69"  # Réception provisoire
    assert "T52" in result.cpm.critical_path  # peinture intérieure drives the finish


def test_progress_behind_plan(overview):
    _schedule, result = overview
    assert 0 < result.actual_percent < result.planned_percent < 100
    assert result.progress_gap < -5  # several points behind at the status date


def test_late_table_lists_only_open_work_most_delayed_first(overview):
    schedule, result = overview
    table = late_and_critical_table(schedule, result)
    open_ids = set(schedule.loc[schedule["actual_finish"].isna(), "task_id"])
    assert set(table["task_id"]) <= open_ids
    delays = table["delay_calendar_days"].dropna().tolist()
    assert delays == sorted(delays, reverse=True)
