"""The money figures on the bundled sample, checked against sums worked out by hand from the
sample workbook (``scripts/make_sample_data.py`` documents how it was built).

Status date 20/11/2026. Committed: studies 1 114 800 + works contract 11 916 625,40 + avenant
n°1 571 998,02 + furniture 686 400 = 14 289 823,42. Issued: the 78 rows of the Décomptes sheet,
11 791 264,32, of which studies 839 700 and works 10 951 564,32. Paid: 8 369 960,77 gross; the
retention on issued décomptes, 874 203,64, is the 7 % cap of 12 488 623,42, of which 674 824,60
on the paid ones (DP6, 199 379,04 of retention, is unpaid).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from loaders import (
    load_budget_lines,
    load_contracts,
    load_project,
    load_schedule,
    load_spending,
)
from tracking.spending import envelope_breakdown, spending_overview

DATA = Path(__file__).resolve().parents[2] / "data"
STATUS = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def tables():
    finance = DATA / "suivi_financier.xlsx"
    return {
        "settings": load_project(DATA / "project.toml"),
        "budget": load_budget_lines(finance).frame,
        "contracts": load_contracts(finance).frame,
        "spending": load_spending(finance).frame,
        "schedule": load_schedule(DATA / "planning_travaux.xlsx").frame,
    }


@pytest.fixture(scope="module")
def overview(tables):
    return spending_overview(
        tables["budget"],
        tables["contracts"],
        tables["spending"],
        tables["settings"],
        STATUS,
        schedule=tables["schedule"],
    )


def test_the_chain(overview):
    totals = overview.totals
    assert totals.envelope == 15_200_000
    assert totals.engaged == pytest.approx(14_289_823.42)
    assert totals.issued == pytest.approx(11_791_264.32)
    assert totals.paid == pytest.approx(8_369_960.77)
    assert totals.retention_held == pytest.approx(674_824.60)
    assert totals.paid_net == pytest.approx(8_369_960.77 - 674_824.60)
    assert totals.to_commit == pytest.approx(910_176.58)
    assert totals.to_issue == pytest.approx(14_289_823.42 - 11_791_264.32)
    assert totals.to_pay == pytest.approx(11_791_264.32 - 8_369_960.77)
    assert totals.engagement_rate == pytest.approx(0.9401, abs=1e-4)
    assert totals.issue_rate == pytest.approx(0.8252, abs=1e-4)
    assert totals.payment_rate == pytest.approx(0.7098, abs=1e-4)


def test_every_dirham_of_the_envelope_is_somewhere(overview):
    breakdown = envelope_breakdown(overview.totals)
    assert breakdown["amount"].sum() == pytest.approx(15_200_000)
    assert breakdown["share"].sum() == pytest.approx(1.0)


def test_the_structure_line_is_over_budget_with_the_avenant(overview):
    chain = overview.chain.set_index("line_id")
    tr01 = chain.loc["TR-01"]
    assert tr01["engaged"] == pytest.approx(4_173_778.00 + 571_998.02)
    assert tr01["overrun"] == pytest.approx(4_745_776.02 - 4_340_000)
    assert chain["over_budget"].sum() == 1
    # IT equipment and the provision are not committed yet
    assert chain.loc[["EQ-02", "PR-01"], "engaged"].tolist() == [0, 0]
    assert chain["engaged"].sum() == pytest.approx(overview.totals.engaged)


def hand_earned_value(tables) -> tuple[float, float]:
    """EV and BAC recomputed from the sheets with numpy alone: per works line, budget × % done
    weighted by baseline working days (Saturday, Sunday and the holidays of the settings off)."""
    schedule, budget = tables["schedule"], tables["budget"]
    holidays = [h.date for h in tables["settings"].holidays]
    tasks = schedule[schedule["budget_line"].notna() & ~schedule["milestone"]]
    days = np.busday_count(
        tasks["baseline_start"].to_numpy().astype("datetime64[D]"),
        tasks["baseline_finish"].to_numpy().astype("datetime64[D]") + 1,
        weekmask="1111100",
        holidays=holidays,
    )
    tasks = tasks.assign(days=days)
    amounts = budget.set_index("line_id")["amount"]
    ev = bac = 0.0
    for line, group in tasks.groupby("budget_line"):
        share = (group["days"] * group["percent_complete"] / 100).sum() / group["days"].sum()
        ev += amounts[line] * share
        bac += amounts[line]
    return ev, bac


def test_earned_value_matches_a_hand_calculation(overview, tables):
    earned = overview.earned
    ev, bac = hand_earned_value(tables)
    assert earned.bac == pytest.approx(bac) == pytest.approx(12_392_000)  # the TR-xx lines
    assert earned.ev == pytest.approx(ev)
    assert earned.ac == pytest.approx(11_791_264.32 - 839_700)  # works décomptes only
    assert earned.cpi == pytest.approx(earned.ev / earned.ac)
    assert earned.spi == pytest.approx(earned.ev / earned.pv)
    assert earned.spi < 1  # behind the baseline, as the Planning page says
    assert earned.eac == pytest.approx(earned.bac / earned.cpi)
    # the series ends on the same figures at the status date
    at_status = overview.earned_series.loc[pd.Timestamp(STATUS)]
    assert at_status["ev"] == pytest.approx(earned.ev)
    assert at_status["pv"] == pytest.approx(earned.pv)
    assert at_status["ac"] == pytest.approx(earned.ac)


def test_lines_outside_earned_value(overview):
    excluded = overview.excluded.set_index("line_id")
    assert sorted(excluded.index) == sorted(
        ["ET-01", "ET-02", "ET-03", "ET-04", "ET-05", "EQ-01", "EQ-02", "PR-01"]
    )
    assert excluded.loc["EQ-02", "forecast"] == 480_000  # not committed: its budget
    assert excluded.loc["PR-01", "forecast"] == 0  # the provision covers overruns
    assert excluded.loc["ET-02", "forecast"] == 540_000  # committed


def test_forecast_at_completion(overview):
    # works: BAC / CPI is below the works contracts signed, which are the floor
    assert overview.eac_below_engaged
    assert overview.scope_engaged == pytest.approx(12_488_623.42)
    expected = 12_488_623.42 + 1_114_800 + 686_400 + 480_000
    assert overview.forecast_at_completion == pytest.approx(expected)
    assert overview.forecast_gap == pytest.approx(expected - 15_200_000)  # −430 176,58


def test_contract_rules(overview):
    rules = overview.rules.set_index("contract_id")
    works = rules.loc["07/2026/AREP-RSK"]
    assert works["total"] == pytest.approx(12_488_623.42)
    assert works["amendment_share"] == pytest.approx(0.048, abs=1e-6)
    assert not works["amendment_over_threshold"]
    assert works["retention"] == pytest.approx(874_203.64)
    assert works["retention_cap_amount"] == pytest.approx(874_203.64)  # 7 % of the total
    assert works["cap_reached"] and not works["over_cap"]
    assert works["retention_on_paid"] == pytest.approx(674_824.60)


def test_overdue_payment_is_dp6(overview):
    overdue = overview.overdue
    assert overdue["reference"].tolist() == ["DP6"]
    dp6 = overdue.iloc[0]
    assert dp6["date"] == pd.Timestamp("2026-09-14")
    assert (dp6["days_outstanding"], dp6["days_late"]) == (67, 7)
    assert dp6["amount"] == pytest.approx(1_993_790.34)
    assert dp6["source_rows"] == tuple(range(52, 61))
    assert len(dp6["budget_lines"]) == 9  # one décompte over nine budget lines


def test_late_payment_interest_on_the_sample(overview):
    """The sample ledger has no service date: every clock runs from the issue date. DP6 is
    the only décompte late (paid late or not): net due 1 993 790,34 − 199 379,04
    = 1 794 411,30, 7 days late, × 3,5 % × 7 / 365 = 1 204,47."""
    clock = overview.payment_clock
    assert len(clock) == 33 and set(clock["clock_from"]) == {"issue"}
    late = clock[clock["is_late"]]
    assert late["reference"].tolist() == ["DP6"]
    assert late.iloc[0]["net_due"] == pytest.approx(1_794_411.30)
    assert overview.overdue.iloc[0]["late_interest"] == pytest.approx(1204.47)
    assert overview.late_interest == pytest.approx(1204.47)
    assert overview.late_payment_rate == 0.035


def test_penalty_agrees_with_the_planning(overview):
    assert overview.penalty.delay_days == 33
    assert overview.penalty.amount == pytest.approx(round(12_488_623.42 * 0.001 * 33, 2))


def test_alerts(overview):
    assert [(a.code, a.subject) for a in overview.alerts] == [
        ("line_over_budget", "TR-01"),
        ("overdue_payment", "DP6"),
    ]


def test_cash_flow(overview):
    curve = overview.cash_flow
    status = pd.Timestamp(STATUS)
    assert curve.loc[status, "issued"] == pytest.approx(11_791_264.32)
    assert curve.loc[status, "paid"] == pytest.approx(8_369_960.77)
    assert curve["planned"].iloc[-1] == pytest.approx(15_200_000)
    assert curve.loc[pd.Timestamp("2026-12-16"), "planned"] == pytest.approx(15_200_000)
    assert curve["planned"].is_monotonic_increasing
    assert curve.loc[curve.index > status, "issued"].isna().all()


def test_cost_per_m2(overview):
    assert overview.cost_per_m2(overview.envelope) == pytest.approx(15_200_000 / 2027)


def test_amounts_excluding_vat(tables, overview):
    ht = spending_overview(
        tables["budget"],
        tables["contracts"],
        tables["spending"],
        tables["settings"],
        STATUS,
        schedule=tables["schedule"],
        basis="HT",
    )
    assert ht.basis == "HT" and ht.envelope == pytest.approx(15_200_000 / 1.2)
    assert ht.totals.engaged == pytest.approx(14_289_823.42 / 1.2, abs=0.1)
    assert ht.totals.engagement_rate == pytest.approx(overview.totals.engagement_rate, abs=1e-6)
    assert ht.earned.cpi == pytest.approx(overview.earned.cpi, abs=1e-6)


def test_without_schedule(tables):
    result = spending_overview(
        tables["budget"], tables["contracts"], tables["spending"], tables["settings"], STATUS
    )
    assert result.earned is None and result.penalty is None
    assert result.plan_source == "none"
    assert result.totals.engaged == pytest.approx(14_289_823.42)
    # every line is forecast at its commitment (or budget), the provision at nothing
    assert result.forecast_at_completion == pytest.approx(14_289_823.42 + 480_000)


def test_before_anything_happened(tables):
    """At a status date before the first contract, with no progress recorded: zeros, and
    ``None`` with its reason for what cannot be computed yet, no alert, no error."""
    schedule = tables["schedule"].assign(
        percent_complete=0.0, actual_start=pd.NaT, actual_finish=pd.NaT
    )
    result = spending_overview(
        tables["budget"],
        tables["contracts"],
        tables["spending"],
        tables["settings"],
        dt.date(2025, 1, 15),
        schedule=schedule,
    )
    assert result.totals.engaged == result.totals.issued == result.totals.paid == 0
    assert result.totals.issue_rate is None and result.totals.payment_rate is None
    assert result.earned.pv == result.earned.ev == result.earned.ac == 0
    assert result.earned.cpi is None and result.earned.spi is None
    assert result.forecast_at_completion is None and result.forecast_gap is None
    assert result.reason("forecast_at_completion") == "no_works_decompte"
    assert result.reason("works_contract") == "no_contract"
    assert result.alerts == [] and result.rules.empty and result.overdue.empty
    assert envelope_breakdown(result.totals)["amount"].tolist()[-1] == 15_200_000


def test_budget_alone(tables):
    result = spending_overview(tables["budget"], None, None, tables["settings"], STATUS)
    assert result.totals.engaged == 0 and result.earned is None
    assert result.forecast_at_completion == pytest.approx(15_200_000 - 456_000)  # no provision
    assert result.cash_flow["planned"].iloc[-1] == pytest.approx(15_200_000)


def test_retention_due_on_each_works_decompte(overview):
    """DP1 … DP8 of the works contract withhold 10 % each until the cap of 874 203,64 (7 % of
    12 488 623,42) is reached at DP7, which owes 874 203,64 − 808 668,35 = 65 535,29; DP8 owes
    nothing. None is short: DP2's 117 836,84 for 117 836,85 due is the ledger's rounding row
    by row. Only the works contract is checked (the fee notes withhold nothing)."""
    check = overview.retention_check.set_index("reference")
    assert check.index.tolist() == [f"DP{n}" for n in range(1, 9)]
    assert set(check["contract_id"]) == {"07/2026/AREP-RSK"}
    assert check.loc["DP7", "retained_before"] == pytest.approx(808_668.35)
    assert check.loc["DP7", "retention_due"] == pytest.approx(65_535.29)
    assert check.loc["DP8", "retention_due"] == 0
    assert check.loc["DP2", "shortfall"] == pytest.approx(0.01)
    assert not check["is_short"].any()
    assert overview.rules["retention_shortfall"].sum() == 0
