"""Contract rules by hand: retention against its cap, amendments against the threshold,
overdue payments, cost per m².

Contract C1: 1 000 + avenant 150 (15 % of the initial amount: above 10 %). Retention cap 7 %
of 1 150 = 80,50; DP1 500 (retention 50) + DP2 400 (retention 30,50) = 80,50: cap reached.
Contract C2: 200, one invoice of 100 with a retention of 20, above its cap of 14.
Status date 20/11/2026, payment delay 60 days.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tracking.contract_rules import (
    amendments_over_threshold,
    compress_rows,
    contract_rules_table,
    cost_per_m2,
    overdue_payments,
    retention_over_cap,
)

T = pd.Timestamp
STATUS = T("2026-11-20")


def contracts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "contract_id": ["C1", "C1", "C1/AV1", "C2", "C3"],
            "contract_type": ["Marché", "Marché", "Avenant", "Bon de commande", "Marché"],
            "parent_id": [None, None, "C1", None, None],
            "payee": ["Atlas", "Atlas", "Atlas", "Labo", "Futur"],
            "budget_line": ["TR-01", "TR-02", "TR-01", "ET-05", "EQ-01"],
            "amount": [600.0, 400.0, 150.0, 200.0, 999.0],
            "signed_date": [
                T("2026-01-28"),
                T("2026-01-28"),
                T("2026-06-11"),
                T("2026-02-01"),
                T("2026-12-01"),  # after the status date: not yet a commitment
            ],
            "object": ["Travaux", "Travaux", "Avenant n°1", "Essais", "Mobilier"],
            "source_row": [12, 13, 14, 15, 16],
            "is_amendment": [False, False, True, False, False],
        }
    ).astype({"contract_id": "str", "parent_id": "str", "payee": "str", "budget_line": "str"})


def spending() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": [
                T("2026-08-12"),  # DP1, paid
                T("2026-09-14"),  # DP2 on two chapters, unpaid: 67 days
                T("2026-09-14"),
                T("2026-09-21"),  # exactly 60 days: not yet late
                T("2026-09-01"),  # paid after the status date: unpaid at it, 80 days
            ],
            "amount": [500.0, 250.0, 150.0, 100.0, 0.0],
            "retention": [50.0, 20.0, 10.5, 20.0, 0.0],
            "paid_date": [T("2026-09-25"), pd.NaT, pd.NaT, pd.NaT, T("2026-11-25")],
            "contract_id": ["C1", "C1", "C1/AV1", "C2", "C2"],
            "reference": ["DP1", "DP2", "DP2", "F1", "F0"],
            "payee": ["Atlas", "Atlas", "Atlas", "Labo", "Labo"],
            "budget_line": ["TR-01", "TR-01", "TR-02", "ET-05", "ET-05"],
            "source_row": [40, 52, 53, 54, 39],
        }
    ).astype({"contract_id": "str", "reference": "str", "payee": "str", "budget_line": "str"})


@pytest.fixture
def rules() -> pd.DataFrame:
    return contract_rules_table(
        contracts(),
        spending(),
        STATUS,
        retention_cap=0.07,
        amendment_threshold=0.10,
        payment_delay_days=60,
    ).set_index("contract_id")


def test_amendments_fold_into_their_contract_and_are_flagged(rules):
    c1 = rules.loc["C1"]
    assert (c1["initial"], c1["amendments"], c1["total"]) == (1000, 150, 1150)
    assert c1["amendment_share"] == pytest.approx(0.15)
    assert c1["amendment_over_threshold"]
    assert c1["source_rows"] == "12–14"
    assert not rules.loc["C2", "amendment_over_threshold"]
    assert amendments_over_threshold(rules.reset_index())["contract_id"].tolist() == ["C1"]


def test_contract_signed_after_the_status_date_is_left_out(rules):
    assert "C3" not in rules.index


def test_retention_against_its_cap(rules):
    c1 = rules.loc["C1"]
    # a décompte citing the avenant counts against its contract
    assert c1["issued"] == 900 and c1["retention"] == pytest.approx(80.5)
    assert c1["retention_cap_amount"] == pytest.approx(80.5)  # 7 % of 1 150
    assert c1["cap_reached"] and not c1["over_cap"]
    assert c1["retention_on_paid"] == 50 and c1["paid"] == 500
    assert c1["retention_rate_applied"] == pytest.approx(80.5 / 900)
    c2 = rules.loc["C2"]
    assert c2["retention_cap_amount"] == 14 and c2["over_cap"]
    assert retention_over_cap(rules.reset_index())["contract_id"].tolist() == ["C2"]


def test_overdue_payments_by_hand():
    overdue = overdue_payments(spending(), STATUS, 60)
    assert overdue["reference"].tolist() == ["F0", "DP2"]  # most overdue first
    dp2 = overdue.set_index("reference").loc["DP2"]
    assert dp2["amount"] == 400 and dp2["retention"] == 30.5 and dp2["net_due"] == 369.5
    assert (dp2["days_outstanding"], dp2["days_late"]) == (67, 7)
    assert dp2["due_date"] == T("2026-11-13")
    assert dp2["source_rows"] == "52–53"
    assert overdue.set_index("reference").loc["F0", "days_late"] == 20


def test_overdue_amount_per_contract(rules):
    assert rules.loc["C1", "overdue_amount"] == 400
    assert rules.loc["C2", "overdue_amount"] == 0  # F0 is 0 MAD; F1 is not late yet


def test_no_contracts_and_no_spending():
    empty = contract_rules_table(
        None, None, STATUS, retention_cap=0.07, amendment_threshold=0.1, payment_delay_days=60
    )
    assert empty.empty and "retention_cap_amount" in empty.columns
    assert overdue_payments(None, STATUS, 60).empty


def test_compress_rows():
    assert compress_rows([52, 53, 54, 60, 58, 59, 12]) == "12, 52–54, 58–60"
    assert compress_rows([]) == ""


def test_cost_per_m2():
    assert cost_per_m2(15_200_000, 2027) == pytest.approx(7498.77, abs=0.01)
    assert cost_per_m2(15_200_000, 0) is None
    assert cost_per_m2(None, 2027) is None  # no forecast cost yet: no cost per m² either
