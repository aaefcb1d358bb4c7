"""Contract rules by hand: retention against its cap and due on each décompte, amendments
against the threshold, overdue payments, cost per m².

Contract C1: 1 000 + avenant 150 (15 % of the initial amount: above 10 %). Retention cap 7 %
of 1 150 = 80,50; DP1 500 (retention 50) + DP2 400 (retention 30,50) = 80,50: cap reached.
Contract C2: 200, one invoice of 100 with a retention of 20, above its cap of 14.
Status date 20/11/2026, payment delay 60 days.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracking.contract_rules import (
    CLOCK_FROM_ISSUE,
    CLOCK_FROM_SERVICE,
    amendment_over_threshold,
    contract_rules_table,
    cost_per_m2,
    decompte_ledger,
    overdue_payments,
    payment_clock,
    retention_due,
    source_rows,
    total_late_interest,
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
    assert c1["source_rows"] == (12, 13, 14)
    assert not rules.loc["C2", "amendment_over_threshold"]
    assert rules.index[rules["amendment_over_threshold"]].tolist() == ["C1"]


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
    assert rules.index[rules["over_cap"]].tolist() == ["C2"]


def test_overdue_payments_by_hand():
    overdue = overdue_payments(spending(), STATUS, 60)
    assert overdue["reference"].tolist() == ["F0", "DP2"]  # most overdue first
    dp2 = overdue.set_index("reference").loc["DP2"]
    assert dp2["amount"] == 400 and dp2["retention"] == 30.5 and dp2["net_due"] == 369.5
    assert (dp2["days_outstanding"], dp2["days_late"]) == (67, 7)
    assert dp2["due_date"] == T("2026-11-13")
    assert dp2["source_rows"] == (52, 53)
    assert dp2["budget_lines"] == ("TR-01", "TR-02")  # one décompte over two budget lines
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


def test_source_rows_stay_numbers_until_drawn():
    assert source_rows([52, 53, 54, 60, 58, 59, 12, 53]) == (12, 52, 53, 54, 58, 59, 60)
    assert source_rows([]) == ()


def test_an_avenant_of_exactly_ten_percent_is_not_flagged():
    """10 000,04 on 100 000,40 is 10 % to the centime; the float division says
    0.10000000000000002 > 0.1, the comparison on amounts does not."""
    assert 10_000.04 / 100_000.40 > 0.10  # what the former comparison saw
    assert not amendment_over_threshold(10_000.04, 100_000.40, 0.10)
    assert amendment_over_threshold(10_000.05, 100_000.40, 0.10)  # one centime more
    frame = contracts().iloc[:3].assign(amount=[60_000.40, 40_000.00, 10_000.04])
    table = contract_rules_table(
        frame, None, STATUS, retention_cap=0.07, amendment_threshold=0.10, payment_delay_days=60
    ).set_index("contract_id")
    assert table.loc["C1", "amendment_share"] == pytest.approx(0.10)
    assert not table.loc["C1", "amendment_over_threshold"]


def works_decomptes(retentions: list[float]) -> pd.DataFrame:
    """Three décomptes of contract C1 (1 000 + avenant 150 signed 11/06/2026): DP1 500 on
    12/08, DP2 400 on two chapters (250 + 150) on 14/09, DP3 300 on 01/10."""
    return pd.DataFrame(
        {
            "date": [T("2026-08-12"), T("2026-09-14"), T("2026-09-14"), T("2026-10-01")],
            "amount": [500.0, 250.0, 150.0, 300.0],
            "retention": retentions,
            "paid_date": [T("2026-09-25"), pd.NaT, pd.NaT, pd.NaT],
            "contract_id": ["C1", "C1", "C1/AV1", "C1"],
            "reference": ["DP1", "DP2", "DP2", "DP3"],
            "payee": ["Atlas"] * 4,
            "budget_line": ["TR-01", "TR-01", "TR-02", "TR-01"],
            "source_row": [40, 52, 53, 54],
        }
    ).astype({"contract_id": "str", "reference": "str", "payee": "str", "budget_line": "str"})


def test_retention_due_on_each_decompte_by_hand():
    """Cap 7 % × 1 150 = 80,50. DP1 owes 10 % × 500 = 50 and withholds 50. DP2 owes
    min(10 % × 400 = 40, 80,50 − 50 = 30,50) = 30,50 and withholds 20 + 5 = 25: 5,50 short.
    DP3 owes min(30, 80,50 − 75) = 5,50 and withholds 5,50: not short (the cap counts what
    was withheld, not what was due)."""
    due = retention_due(
        contracts(),
        works_decomptes([50.0, 20.0, 5.0, 5.5]),
        STATUS,
        retention_rate=0.10,
        retention_cap=0.07,
    ).set_index("reference")
    assert due["retention_cap_amount"].tolist() == [80.5, 80.5, 80.5]
    assert due["retention_due"].tolist() == [50.0, 30.5, 5.5]
    assert due["retention"].tolist() == [50.0, 25.0, 5.5]
    assert due["retained_before"].tolist() == [0.0, 50.0, 75.0]
    assert due["shortfall"].tolist() == [0.0, 5.5, 0.0]
    assert due["is_short"].tolist() == [False, True, False]
    assert due.loc["DP2", "source_rows"] == (52, 53)


def test_a_decompte_before_the_avenant_has_the_cap_of_its_date():
    """Before the avenant (signed 11/06/2026) the cap is 7 % × 1 000 = 70: a DP of 800 on
    01/05/2026 owes min(80, 70) = 70."""
    ledger = works_decomptes([70.0, 0.0, 0.0, 0.0]).iloc[:1].assign(date=[T("2026-05-01")])
    due = retention_due(contracts(), ledger, STATUS, retention_rate=0.10, retention_cap=0.07)
    assert due["retention_cap_amount"].tolist() == [70.0]
    ledger = ledger.assign(amount=[800.0])
    due = retention_due(contracts(), ledger, STATUS, retention_rate=0.10, retention_cap=0.07)
    assert (due["retention_due"].iloc[0], bool(due["is_short"].iloc[0])) == (70.0, False)


def test_a_centime_of_rounding_is_not_a_shortfall():
    """10 % of 250,05 is 25,005: a ledger that withholds 25,00 is rounding, not short."""
    ledger = works_decomptes([25.0, 0.0, 0.0, 0.0]).iloc[:1].assign(amount=[250.05])
    due = retention_due(contracts(), ledger, STATUS, retention_rate=0.10, retention_cap=0.07)
    assert not due["is_short"].iloc[0]


def test_retention_missing_per_contract_in_the_rules_table():
    table = contract_rules_table(
        contracts(),
        works_decomptes([50.0, 20.0, 5.0, 5.5]),
        STATUS,
        retention_cap=0.07,
        amendment_threshold=0.10,
        payment_delay_days=60,
        retention_rate=0.10,
    ).set_index("contract_id")
    assert table.loc["C1", "retention_shortfall"] == pytest.approx(5.5)
    assert table.loc["C2", "retention_shortfall"] == 0


def test_only_the_contracts_subject_to_retention_are_checked():
    due = retention_due(
        contracts(), spending(), STATUS, retention_rate=0.10, retention_cap=0.07, subject={"C1"}
    )
    assert set(due["contract_id"]) == {"C1"}


def test_the_ledger_says_which_rows_are_overdue_and_what_whole_decompte_they_share():
    ledger = decompte_ledger(spending(), STATUS, 60).set_index("source_row")
    assert ledger.loc[52, "is_overdue"] and ledger.loc[53, "is_overdue"]
    assert not ledger.loc[54, "is_overdue"]  # exactly 60 days: not yet late
    assert ledger.loc[52, "decompte_amount"] == 400 and ledger.loc[52, "decompte_line_count"] == 2
    assert ledger.loc[40, "decompte_line_count"] == 1


def test_cost_per_m2():
    assert cost_per_m2(15_200_000, 2027) == pytest.approx(7498.77, abs=0.01)
    assert cost_per_m2(15_200_000, 0) is None
    assert cost_per_m2(None, 2027) is None  # no forecast cost yet: no cost per m² either


# --- the payment-law clock (décret n° 2-16-344) ---------------------------------------------
#
# Four décomptes of contract C1 (Atlas), status date 20/11/2026, delay 60 days, rate 3,5 %:
# - DP3: 1 000 000, retention 100 000, service fait 01/09/2026, issued 10/09, unpaid: due
#   01/09 + 60 = 31/10/2026, 20 days late at 20/11; interest 900 000 × 0,035 × 20 / 365
#   = 1 726,03.
# - DP1: 500 000, retention 50 000, service fait 25/06/2026, issued 01/07, ordonnancé 10/08,
#   paid 03/09: due 24/08, paid 10 days late; interest 450 000 × 0,035 × 10 / 365 = 431,51.
# - F1: 400 000, retention 40 000, no service date: counted from its issue 14/09/2026, due
#   13/11, unpaid, 7 days late; interest 360 000 × 0,035 × 7 / 365 = 241,64.
# - DP2: 200 000, retention 20 000, service fait 28/07, paid 15/09 (49 days): in time, 0.
CLOCK_RATE = 0.035


def clock_ledger() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": [T("2026-09-10"), T("2026-07-01"), T("2026-09-14"), T("2026-08-01")],
            "amount": [1_000_000.0, 500_000.0, 400_000.0, 200_000.0],
            "retention": [100_000.0, 50_000.0, 40_000.0, 20_000.0],
            "service_date": [T("2026-09-01"), T("2026-06-25"), pd.NaT, T("2026-07-28")],
            "ordered_date": [pd.NaT, T("2026-08-10"), pd.NaT, T("2026-08-20")],
            "paid_date": [pd.NaT, T("2026-09-03"), pd.NaT, T("2026-09-15")],
            "contract_id": ["C1"] * 4,
            "reference": ["DP3", "DP1", "F1", "DP2"],
            "payee": ["Atlas"] * 4,
            "budget_line": ["TR-01"] * 4,
            "source_row": [10, 11, 12, 13],
        }
    ).astype({"contract_id": "str", "reference": "str", "payee": "str", "budget_line": "str"})


def test_the_payment_clock_by_hand():
    clock = payment_clock(clock_ledger(), STATUS, 60, CLOCK_RATE)
    assert clock["reference"].tolist() == ["DP1", "DP2", "DP3", "F1"]  # in issue order
    rows = clock.set_index("reference")
    dp3 = rows.loc["DP3"]
    assert (dp3["clock_start"], dp3["clock_from"]) == (T("2026-09-01"), CLOCK_FROM_SERVICE)
    assert dp3["due_date"] == T("2026-10-31") and dp3["net_due"] == 900_000
    assert (dp3["days_late"], dp3["late_interest"]) == (20, 1726.03)
    assert dp3["is_late"] and not dp3["is_paid"] and pd.isna(dp3["paid_date"])
    dp1 = rows.loc["DP1"]
    assert dp1["due_date"] == T("2026-08-24") and dp1["ordered_date"] == T("2026-08-10")
    assert (dp1["days_late"], dp1["late_interest"]) == (10, 431.51)
    assert dp1["is_paid"] and dp1["is_late"] and dp1["paid_date"] == T("2026-09-03")
    f1 = rows.loc["F1"]
    assert (f1["clock_start"], f1["clock_from"]) == (T("2026-09-14"), CLOCK_FROM_ISSUE)
    assert pd.isna(f1["service_date"])
    assert (f1["due_date"], f1["days_late"], f1["late_interest"]) == (T("2026-11-13"), 7, 241.64)
    dp2 = rows.loc["DP2"]
    assert (dp2["days_elapsed"], dp2["days_late"], dp2["late_interest"]) == (49, 0, 0.0)
    assert dp2["is_paid"] and not dp2["is_late"]
    assert total_late_interest(clock) == pytest.approx(1726.03 + 431.51 + 241.64)


def test_overdue_payments_count_from_the_service_date_and_carry_the_interest():
    overdue = overdue_payments(clock_ledger(), STATUS, 60, CLOCK_RATE)
    assert overdue["reference"].tolist() == ["DP3", "F1"]  # unpaid and late; most late first
    dp3 = overdue.iloc[0]
    # 80 days since the constatation (70 since the issue: not what the decree counts)
    assert (dp3["days_outstanding"], dp3["days_late"]) == (80, 20)
    assert dp3["late_interest"] == 1726.03 and dp3["clock_from"] == CLOCK_FROM_SERVICE
    assert overdue.iloc[1]["days_outstanding"] == 67  # F1, from its issue


def test_a_service_date_makes_a_decompte_late_sooner():
    """Issued 55 days before the status date, so not late counted from its issue; its
    service was done 70 days before: 10 days late."""
    ledger = clock_ledger().iloc[[0]].assign(date=T("2026-09-26"), service_date=T("2026-09-11"))
    overdue = overdue_payments(ledger, STATUS, 60, CLOCK_RATE)
    assert overdue["days_late"].tolist() == [10]
    without = ledger.drop(columns=["service_date", "ordered_date"])  # an older file
    assert overdue_payments(without, STATUS, 60, CLOCK_RATE).empty
    assert decompte_ledger(ledger, STATUS, 60)["is_overdue"].tolist() == [True]
    assert decompte_ledger(without, STATUS, 60)["is_overdue"].tolist() == [False]


def test_no_interest_without_a_rate_and_no_decompte():
    clock = payment_clock(clock_ledger(), STATUS, 60, 0.0)
    assert clock["late_interest"].sum() == 0 and clock["is_late"].sum() == 3
    empty = payment_clock(None, STATUS, 60, CLOCK_RATE)
    assert empty.empty and total_late_interest(empty) == 0.0
    assert empty[empty["is_late"]].empty  # typed: a mask of no rows still filters it


def _retention_due_one_by_one(contracts_frame, ledger, rate, cap_share):
    """The rule read literally, one décompte after the other: the cap of the contract amount
    signed by the décompte's date, less what its earlier décomptes withheld."""
    signed = contracts_frame[contracts_frame["signed_date"] <= STATUS]
    roots = signed["parent_id"].where(signed["parent_id"].notna(), signed["contract_id"])
    rows = ledger.assign(
        contract_id=ledger["contract_id"].map(dict(zip(signed["contract_id"], roots, strict=True)))
    )
    grouped = (
        rows.groupby(["payee", "reference", "date"], sort=False)
        .agg(contract=("contract_id", "first"), amount=("amount", "sum"), held=("retention", "sum"))
        .reset_index()
        .sort_values(["contract", "date", "reference"], kind="stable")
    )
    withheld, out = {}, []
    for row in grouped.itertuples():
        in_force = (roots == row.contract) & (signed["signed_date"] <= row.date)
        cap = round(float(signed.loc[in_force, "amount"].sum()) * cap_share, 2)
        already = withheld.get(row.contract, 0.0)
        out.append((row.reference, cap, round(max(0.0, min(rate * row.amount, cap - already)), 2)))
        withheld[row.contract] = already + float(row.held)
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["C1", "C1/AV1", "C2"]),
            st.integers(min_value=0, max_value=296),  # 28/01 to 20/11/2026
            st.floats(min_value=0, max_value=900, allow_nan=False).map(lambda x: round(x, 2)),
            st.floats(min_value=0, max_value=90, allow_nan=False).map(lambda x: round(x, 2)),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_retention_due_of_any_ledger_is_the_rule_applied_one_decompte_at_a_time(items):
    """Whatever the décomptes (before or after the avenant, several on a day, any amounts),
    the cap and the retention due are those of the rule applied décompte by décompte."""
    ledger = pd.DataFrame(
        {
            "date": [T("2026-01-28") + pd.Timedelta(days=d) for _, d, _, _ in items],
            "amount": [a for _, _, a, _ in items],
            "retention": [r for _, _, _, r in items],
            "paid_date": [pd.NaT] * len(items),
            "contract_id": [c for c, _, _, _ in items],
            "reference": [f"D{n}" for n in range(len(items))],
            "payee": ["Atlas" if c.startswith("C1") else "Labo" for c, _, _, _ in items],
            "budget_line": ["TR-01"] * len(items),
            "source_row": list(range(10, 10 + len(items))),
        }
    ).astype({"contract_id": "str", "reference": "str", "payee": "str", "budget_line": "str"})
    due = retention_due(contracts(), ledger, STATUS, retention_rate=0.10, retention_cap=0.07)
    expected = _retention_due_one_by_one(contracts(), ledger, 0.10, 0.07)
    got = list(
        zip(due["reference"], due["retention_cap_amount"], due["retention_due"], strict=True)
    )
    assert sorted(got) == sorted(expected)
