"""The engagé / émis / payé chain on a ledger small enough to check by hand.

Budget: A 1 000, B 500 (envelope 1 600: 100 not allotted to a line). Status date 15/02/2026.
Contracts: A 800 (10/01) + avenant 100 (01/02) = 900 engaged; B 600 signed 01/03, after the
status date: not engaged; Z 50 on a line missing from the budget.
Décomptes on A: DP1 300 (retention 30) issued 20/01, paid 10/02; DP2 200 (retention 20)
issued 05/02, unpaid; DP3 100 issued 01/03, after the status date. An invoice of 40 with no
budget line, paid.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tracking.budget import (
    ChainTotals,
    basis_factor,
    budget_chain,
    chain_totals,
    convert_basis,
    curve_dates,
    line_contracts,
    line_decomptes,
    planned_cash_flow,
    safe_ratio,
    spending_curve,
    task_budget,
)
from tracking.calendar import WorkCalendar

T = pd.Timestamp
STATUS = T("2026-02-15")
CAL = WorkCalendar((5, 6), [])


def budget() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "line_id": ["A", "B"],
            "name": ["Gros œuvre", "Études"],
            "category": ["Travaux", "Études"],
            "lot": ["Gros œuvre", None],
            "amount": [1000.0, 500.0],
            "source_row": [6, 7],
        }
    ).astype({"line_id": "str", "name": "str", "category": "str", "lot": "str"})


def contracts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "contract_id": ["M1", "M1/AV1", "M2", "M3"],
            "contract_type": ["Marché", "Avenant", "Marché", "Bon de commande"],
            "parent_id": [None, "M1", None, None],
            "payee": ["Atlas", "Atlas", "Archi", "Divers"],
            "budget_line": ["A", "A", "B", "Z"],
            "amount": [800.0, 100.0, 600.0, 50.0],
            "signed_date": [T("2026-01-10"), T("2026-02-01"), T("2026-03-01"), T("2026-01-05")],
            "object": ["Travaux", "Avenant n°1", "Études", "Divers"],
            "source_row": [6, 7, 8, 9],
            "is_amendment": [False, True, False, False],
        }
    ).astype(
        {
            "contract_id": "str",
            "contract_type": "str",
            "parent_id": "str",
            "payee": "str",
            "budget_line": "str",
            "object": "str",
        }
    )


def spending() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": [T("2026-01-20"), T("2026-02-05"), T("2026-03-01"), T("2026-01-25")],
            "amount": [300.0, 200.0, 100.0, 40.0],
            "lot": [None] * 4,
            "payee": ["Atlas", "Atlas", "Atlas", "Divers"],
            "reference": ["DP1", "DP2", "DP3", "F1"],
            "contract_id": ["M1", "M1", "M1", None],
            "budget_line": ["A", "A", "A", None],
            "retention": [30.0, 20.0, 10.0, 0.0],
            "paid_date": [T("2026-02-10"), pd.NaT, pd.NaT, T("2026-02-01")],
            "description": ["DP1", "DP2", "DP3", "Facture"],
            "source_row": [6, 7, 8, 9],
        }
    ).astype(
        {
            "lot": "str",
            "payee": "str",
            "reference": "str",
            "contract_id": "str",
            "budget_line": "str",
            "description": "str",
        }
    )


@pytest.fixture
def chain() -> pd.DataFrame:
    return budget_chain(budget(), contracts(), spending(), STATUS).set_index("line_id")


def test_line_a_by_hand(chain):
    a = chain.loc["A"]
    assert (a["budget"], a["engaged"], a["issued"], a["paid"]) == (1000, 900, 500, 300)
    assert a["retention_held"] == 30  # retention of the paid DP1 only
    assert a["paid_net"] == 270
    assert (a["to_commit"], a["to_issue"], a["to_pay"]) == (100, 400, 200)
    assert a["engagement_rate"] == pytest.approx(0.9)
    assert a["issue_rate"] == pytest.approx(500 / 900)
    assert a["payment_rate"] == pytest.approx(0.6)
    assert not a["over_budget"] and a["overrun"] == -100
    assert (a["contract_count"], a["decompte_count"]) == (2, 2)


def test_contract_signed_after_the_status_date_is_not_engaged(chain):
    b = chain.loc["B"]
    assert b["engaged"] == 0 and b["to_commit"] == 500
    # nothing engaged, nothing issued: rates are NaN, not errors
    assert math.isnan(b["issue_rate"]) and math.isnan(b["payment_rate"])
    assert b["engagement_rate"] == 0


def test_amounts_outside_the_budget_get_their_own_rows(chain):
    assert list(chain.index) == ["A", "B", "Z", "—"]
    z = chain.loc["Z"]
    assert not z["in_budget"] and z["engaged"] == 50 and z["budget"] == 0
    assert z["over_budget"] and math.isnan(z["engagement_rate"])
    unassigned = chain.loc["—"]
    assert (unassigned["issued"], unassigned["paid"]) == (40, 40)


def test_totals_against_the_envelope(chain):
    totals = chain_totals(chain.reset_index(), 1600.0)
    assert isinstance(totals, ChainTotals)
    assert (totals.engaged, totals.issued, totals.paid) == (950, 540, 340)
    assert (totals.retention_held, totals.paid_net) == (30, 310)
    assert (totals.to_commit, totals.to_issue, totals.to_pay) == (650, 410, 200)
    assert totals.engagement_rate == pytest.approx(950 / 1600)
    assert totals.issue_rate == pytest.approx(540 / 950)
    assert totals.payment_rate == pytest.approx(340 / 540)
    assert totals.budget_gap == 100


def test_no_spending_yet_gives_rates_with_their_reason_not_errors():
    """Nothing signed, nothing issued: the engagement rate is 0 %, the other two rates cannot
    be computed yet and say why (no NaN for a renderer to print)."""
    chain = budget_chain(budget(), None, None, STATUS)
    totals = chain_totals(chain, 1600.0)
    assert totals.engaged == totals.issued == totals.paid == 0
    assert totals.engagement_rate == 0
    assert totals.issue_rate is None and totals.reason("issue_rate") == "no_contract"
    assert totals.payment_rate is None and totals.reason("payment_rate") == "no_decompte"
    assert totals.reason("engagement_rate") is None
    empty = budget_chain(budget(), contracts().iloc[0:0], spending().iloc[0:0], STATUS)
    assert empty["engaged"].sum() == 0 and len(empty) == 2


def test_inputs_are_not_changed():
    frames = budget(), contracts(), spending()
    copies = [frame.copy() for frame in frames]
    budget_chain(*frames, STATUS)
    for frame, copy in zip(frames, copies, strict=True):
        pd.testing.assert_frame_equal(frame, copy)


def test_safe_ratio():
    assert safe_ratio(1, 4) == 0.25
    assert math.isnan(safe_ratio(1, 0)) and math.isnan(safe_ratio(1, float("nan")))
    assert math.isnan(safe_ratio(None, 2))


def test_ht_and_ttc():
    assert basis_factor("TTC", "TTC", 0.2) == 1
    assert basis_factor("TTC", "HT", 0.2) == pytest.approx(1 / 1.2)
    assert basis_factor("HT", "TTC", 0.2) == pytest.approx(1.2)
    converted = convert_basis(spending(), "spending", 1 / 1.2)
    assert converted["amount"].tolist() == [250.0, 166.67, 83.33, 33.33]
    assert converted["retention"].iloc[0] == 25.0
    assert spending()["amount"].iloc[0] == 300.0  # the input is left alone


# --- over time ------------------------------------------------------------------------------


def schedule() -> pd.DataFrame:
    """Line A: T1 02/03–03/03 (2 working days), T2 04/03–06/03 (3), milestone M 06/03; a task
    with no line."""
    return pd.DataFrame(
        {
            "task_id": ["T1", "T2", "M", "X"],
            "name": ["Fouilles", "Fondations", "Fin", "Réception"],
            "start": [T("2026-03-02"), T("2026-03-04"), T("2026-03-06"), T("2026-03-09")],
            "finish": [T("2026-03-03"), T("2026-03-06"), T("2026-03-06"), T("2026-03-10")],
            "baseline_start": [T("2026-03-02"), T("2026-03-04"), T("2026-03-06"), T("2026-03-09")],
            "baseline_finish": [
                T("2026-03-03"),
                T("2026-03-06"),
                T("2026-03-06"),
                T("2026-03-10"),
            ],
            "percent_complete": [100.0, 50.0, 0.0, 0.0],
            "milestone": [False, False, True, False],
            "weight": [float("nan")] * 4,
            "budget_line": ["A", "A", "A", None],
        }
    ).astype({"task_id": "str", "name": "str", "budget_line": "str"})


def test_task_budget_splits_the_line_by_baseline_duration():
    money = task_budget(schedule(), budget(), CAL)
    assert money.tolist() == [400.0, 600.0, 0.0, 0.0]  # 1 000 × 2/5, × 3/5, milestone, no line


def test_planned_cash_flow_by_hand():
    # B has no task: its 500 are spread evenly (calendar days) from its first contract's
    # signature (01/03) to the contractual end (30/03): 30 days, 500/30 a day
    dates = [T("2026-02-27"), T("2026-03-03"), T("2026-03-06"), T("2026-03-30")]
    curve = planned_cash_flow(
        budget(), schedule(), CAL, dates, T("2026-03-02"), T("2026-03-30"), contracts=contracts()
    )
    assert curve.tolist() == pytest.approx([0.0, 400 + 500 * 3 / 30, 1000 + 500 * 6 / 30, 1500.0])


def test_planned_cash_flow_without_schedule_spreads_every_line_from_the_works_start():
    dates = [T("2026-03-01"), T("2026-03-15"), T("2026-03-30")]
    curve = planned_cash_flow(budget(), None, CAL, dates, T("2026-03-02"), T("2026-03-30"))
    # 1 500 over 02/03–30/03 (29 days)
    assert curve.tolist() == pytest.approx([0.0, 1500 * 14 / 29, 1500.0])


def test_spending_curve_counts_what_happened_by_each_date():
    dates = [T("2026-01-19"), T("2026-01-25"), T("2026-02-10"), T("2026-02-15"), T("2026-03-02")]
    curve = spending_curve(spending(), STATUS, dates)
    assert curve["issued"].tolist()[:4] == [0, 340, 540, 540]
    assert curve["paid"].tolist()[:4] == [0, 0, 340, 340]  # F1 paid 01/02, DP1 10/02
    assert curve["paid_net"].tolist()[:4] == [0, 0, 310, 310]
    assert curve.iloc[4].isna().all()  # after the status date


def test_curve_dates_hold_every_event_up_to_the_status_date():
    dates = curve_dates(spending(), T("2026-01-01"), T("2026-03-31"), STATUS)
    for day in ("2026-01-20", "2026-02-05", "2026-02-10", "2026-01-25", "2026-02-15"):
        assert T(day) in dates
    assert T("2026-03-01") not in dates  # DP3, after the status date


def test_drill_down_keeps_the_excel_rows():
    assert line_contracts(contracts(), "A", STATUS)["source_row"].tolist() == [6, 7]
    decomptes = line_decomptes(spending(), "A", STATUS)
    assert decomptes["source_row"].tolist() == [6, 7]
    assert decomptes["is_paid"].tolist() == [True, False]
    assert line_decomptes(spending(), "—", STATUS)["reference"].tolist() == ["F1"]
