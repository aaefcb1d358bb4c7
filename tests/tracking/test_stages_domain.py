"""The launch and the completion of the works (``data/stages/``) through the real loaders and
every overview: what the dashboard must say at 0 % and at 100 %.

Launch, 20/02/2026, four days after the OS de commencement (16/02/2026): every task at 0 %, the
site set-up started on the OS, only the six studies contracts signed —
18 600 + 39 000 + 540 000 + 288 000 + 138 000 + 91 200 = 1 114 800 MAD — and no décompte.

Completion, 19/02/2027: every task done, réception provisoire on 18/01/2027, i.e. 15 + 18 = 33
calendar days after the contractual end (16/12/2026 = 16/02/2026 + 10 months); the works
contract 07/2026/AREP-RSK is 11 916 625,40 initial + 571 998,02 avenant = 12 488 623,42 MAD.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scripts import make_sample_data as sample
from tests.tracking.stage_data import STAGES, STAGES_DIR, load_stage, stage_situation
from tracking.forecast import IS_LATE
from tracking.unavailable import REASONS

T = pd.Timestamp
STUDIES_TOTAL = 18_600 + 39_000 + 540_000 + 288_000 + 138_000 + 91_200
WORKS_TOTAL = 11_916_625.40 + 571_998.02


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_has_its_settings_and_three_workbooks(stage):
    folder = STAGES_DIR / stage
    settings = load_stage(stage).settings
    assert settings.status_date == sample.STAGE_STATUS[stage]
    assert {key: path.parent for key, path in settings.data_files.items()} == {
        "schedule": folder,
        "spending": folder,
        "floor_areas": folder,
    }
    assert settings.envelope == 15_200_000 and settings.works_start == dt.date(2026, 2, 16)
    # the same settings as data/project.toml, the status date aside
    committed = (folder / "project.toml").read_text(encoding="utf-8")
    assert committed == sample.stage_settings_text(stage), (
        "data/project.toml changed: run python scripts/make_sample_data.py --stage all"
    )


# --- launch ----------------------------------------------------------------------------------


def test_launch_tables_are_the_start_of_works():
    tables = load_stage("launch")
    schedule = tables.frame("schedule")
    assert (schedule["percent_complete"].where(~schedule["milestone"], 0) == 0).all()
    started = schedule[schedule["actual_start"].notna()]
    assert started["task_id"].tolist() == ["T01", "T02"]  # the OS, the site set-up
    assert tables.frame("spending").empty  # the header-only décomptes sheet: "nothing yet"
    contracts = tables.frame("contracts")
    assert len(contracts) == 6 and contracts["amount"].sum() == STUDIES_TOTAL
    assert set(contracts["budget_line"]) == {"ET-01", "ET-02", "ET-03", "ET-04", "ET-05"}
    assert tables.frame("budget")["amount"].sum() == 15_200_000


def test_launch_has_no_forecast_before_the_first_progress_report():
    planning = stage_situation("launch").planning
    assert planning.actual_percent == 0
    assert 0 < planning.planned_percent < 5
    assert not planning.progress_reported
    assert planning.forecast.forecast_finish is None
    assert planning.forecast.delay_vs_contract_days is None
    assert planning.forecast.reason == "no_progress"
    assert planning.earned.spi_t is None and planning.earned.reason == "no_progress"
    # nothing is late merely because nothing was measured yet: the critical path takes
    # progress on 16/02, the last date anything was recorded (the OS, the set-up start)
    assert planning.data_date == T("2026-02-16")
    assert not planning.tasks[IS_LATE].any()
    assert planning.penalty is None and planning.works_contract is None


def test_launch_money_is_the_studies_contracts_and_nothing_issued():
    spending = stage_situation("launch").spending
    totals = spending.totals
    assert totals.engaged == STUDIES_TOTAL
    assert totals.issued == totals.paid == totals.retention_held == 0
    assert totals.issue_rate == 0
    assert totals.payment_rate is None and totals.reason("payment_rate") == "no_decompte"
    assert spending.earned.cpi is None and spending.earned.reason("cpi") == "no_works_decompte"
    assert spending.earned.spi is None and spending.earned.reason("spi") == "no_progress"
    assert spending.forecast_at_completion is None and spending.forecast_gap is None
    assert spending.reason("forecast_at_completion") == "no_works_decompte"
    assert spending.works_contract is None
    assert spending.reason("works_contract") == "no_works_contract"
    assert spending.retention.constituted == 0 and spending.retention.reason == "no_decompte"
    assert spending.overdue.empty and spending.alerts == []
    assert len(spending.rules) == 6


def test_launch_ratings_say_not_known_yet():
    situation = stage_situation("launch")
    ratings = {r.dimension: r for r in situation.ratings}
    assert (ratings["time"].color, ratings["time"].reason) == ("amber", "time_awaiting_progress")
    assert (ratings["cost"].color, ratings["cost"].reason) == ("amber", "cost_awaiting_forecast")
    assert ratings["scope"].color == "green"
    assert ratings["overall"].color == "amber"
    assert situation.reason("forecast_finish") == "no_progress"
    assert situation.reason("forecast_cost") == "no_works_decompte"
    assert situation.financial_progress == 0


# --- completion ------------------------------------------------------------------------------


def test_completion_tables_are_the_end_of_works():
    tables = load_stage("completion")
    schedule = tables.frame("schedule")
    assert (schedule["percent_complete"] == 100).all()
    assert schedule["actual_start"].notna().all() and schedule["actual_finish"].notna().all()
    ledger = tables.frame("spending")
    unpaid = ledger[ledger["paid_date"].isna()]
    # issued within the last 60 days: the last works DP (one row per chapter), the balance
    # notes of the studies after the réception, the equipment invoices
    assert set(zip(unpaid["reference"], unpaid["contract_id"], strict=True)) == {
        ("DP10", "07/2026/AREP-RSK"),
        ("Note d'honoraires n°12", "CA 02/2025/AREP-RSK"),
        ("Note d'honoraires n°13", "CA 02/2025/AREP-RSK"),
        ("Note d'honoraires n°7", "11/2025/AREP-RSK"),
        ("Note d'honoraires n°5", "16/2025/AREP-RSK"),
        ("Facture n°1", "24/2026/AREP-RSK"),
        ("Facture n°1", "31/2026/AREP-RSK"),
    }
    assert len(unpaid) == 11 and len(ledger) == 98
    assert stage_situation("completion").spending.overdue.empty


def test_at_completion_dp6_was_paid_late_and_its_interest_is_owed():
    """DP6 (issued 14/09/2026, due 13/11) was paid on 07/12/2026, 24 days late: nothing is
    overdue any more, but 1 794 411,30 × 3,5 % × 24 / 365 = 4 129,60 of interest is owed."""
    spending = stage_situation("completion").spending
    late = spending.payment_clock[spending.payment_clock["is_late"]]
    assert late["reference"].tolist() == ["DP6"] and late.iloc[0]["is_paid"]
    assert late.iloc[0]["days_late"] == 24
    assert spending.late_interest == pytest.approx(4129.60)
    assert stage_situation("launch").spending.late_interest == 0.0


def test_completion_forecast_is_the_reception():
    planning = stage_situation("completion").planning
    forecast = planning.forecast
    assert planning.actual_percent == pytest.approx(100)
    assert forecast.completed and forecast.reason is None
    assert forecast.reception_date == T("2027-01-18") == forecast.forecast_finish
    assert forecast.delay_vs_contract_days == 33
    # the contract time consumed stops at the réception: 336 of 303 days
    assert forecast.time_elapsed == pytest.approx((T("2027-01-18") - T("2026-02-16")).days / 303)
    assert planning.late_count == 0
    assert planning.earned.forecast_finish == T("2027-01-18")  # ES at completion: the finish


def test_completion_penalties_and_retention_by_hand():
    """Penalties: 33 days × 1/1000 × 12 488 623,42 = 412 124,57 (under the 8 % cap of
    999 089,87). Retention: 10 % of each works DP, capped at 7 % of the contract, reached:
    0,07 × 12 488 623,42 = 874 203,64, released at the réception définitive, twelve months
    after the réception provisoire: 18/01/2028."""
    spending = stage_situation("completion").spending
    assert spending.works_contract.total == pytest.approx(WORKS_TOTAL)
    assert spending.penalty.delay_days == 33
    assert spending.penalty.amount == pytest.approx(412_124.57, abs=0.01)
    assert not spending.penalty.capped
    retention = spending.retention
    assert retention.constituted == pytest.approx(round(0.07 * WORKS_TOTAL, 2), abs=0.01)
    assert retention.constituted == pytest.approx(874_203.64, abs=0.01)
    assert retention.reception_date == T("2027-01-18")
    assert retention.release_date == T("2028-01-18")
    assert retention.reason is None


def test_completion_final_cost_is_what_was_committed():
    """Works: EV = BAC, so EAC = BAC / CPI = AC = 12 488 623,42 (every DP issued). Other lines
    at their commitment: studies 1 114 800, furniture 686 400, IT 451 200, the provision
    nothing: 14 741 023,42, 458 976,58 under the envelope."""
    spending = stage_situation("completion").spending
    assert spending.earned.ev == spending.earned.bac
    assert spending.earned.eac == pytest.approx(WORKS_TOTAL)
    assert spending.earned.tcpi is None and spending.earned.reason("tcpi") == "works_complete"
    assert spending.forecast_at_completion == pytest.approx(
        WORKS_TOTAL + STUDIES_TOTAL + 686_400 + 451_200
    )
    assert spending.forecast_gap == pytest.approx(-458_976.58, abs=0.01)
    assert spending.totals.engaged == pytest.approx(spending.forecast_at_completion)


def test_completion_time_rating_is_the_delay_at_reception():
    ratings = {r.dimension: r for r in stage_situation("completion").ratings}
    assert ratings["time"].reason == "time_completed_late"
    assert ratings["time"].color == "red"  # 33 days > delay_days_red (30)
    assert ratings["time"].params["days"] == 33


@pytest.mark.parametrize("stage", STAGES)
def test_every_reason_given_is_a_known_code(stage):
    situation = stage_situation(stage)
    spending, planning = situation.spending, situation.planning
    given = {
        *spending.reasons.values(),
        *spending.totals.reasons.values(),
        *spending.earned.reasons.values(),
        planning.forecast.reason,
        planning.earned.reason,
        spending.retention.reason,
    } - {None}
    assert given <= set(REASONS)
