"""The registers at a status date, hand-made cases: what is overdue, how risks rank and move,
what the rules suggest, and the history of an item."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from loaders.schema import ACTIONS, DECISIONS, RISKS
from tracking.governance import (
    BAND,
    DAYS_OVERDUE,
    IS_OVERDUE,
    SCORE,
    TREND,
    Registers,
    band_of,
    compare_registers,
    empty_register,
    expected_decisions,
    governance_overview,
    heat_map,
    item_history,
    overdue_actions,
    scored_risks,
    suggested_decisions,
    top_risks,
)

T = pd.Timestamp


def frame(schema, rows):
    base = empty_register(schema)
    return pd.concat([base, pd.DataFrame(rows)], ignore_index=True).astype(base.dtypes.to_dict())


def actions(*rows):
    return frame(
        ACTIONS, [dict(zip(("action_id", "status", "due_date"), r, strict=True)) for r in rows]
    )


def risks(*rows):
    keys = ("risk_id", "title", "probability", "impact", "status")
    return frame(RISKS, [dict(zip(keys, r, strict=True)) for r in rows])


def decisions(*rows):
    keys = ("decision_id", "question", "status", "due_date", "rule")
    return frame(DECISIONS, [dict(zip(keys, r, strict=True)) for r in rows])


def test_an_open_action_past_its_due_date_is_overdue_by_calendar_days():
    """Status date 20/11/2026: A-1 due 06/11 → 14 days late; A-2 due on the status date
    itself is not late yet; A-3 done after its due date is not overdue; A-4 has no date."""
    register = actions(
        ("A-1", "open", T(2026, 11, 6)),
        ("A-2", "open", T(2026, 11, 20)),
        ("A-3", "done", T(2026, 11, 1)),
        ("A-4", "open", pd.NaT),
        ("A-5", "open", T(2026, 11, 17)),
    )
    late = overdue_actions(register, "2026-11-20")
    assert late["action_id"].tolist() == ["A-1", "A-5"]
    assert late[DAYS_OVERDUE].tolist() == [14, 3]


def test_the_decisions_expected_are_the_pending_ones_earliest_due_first():
    register = decisions(
        ("D-1", "Q1", "taken", T(2026, 10, 1), None),
        ("D-2", "Q2", "pending", T(2026, 12, 4), None),
        ("D-3", "Q3", "pending", T(2026, 11, 18), None),
        ("D-4", "Q4", "pending", pd.NaT, None),
    )
    expected = expected_decisions(register, "2026-11-20")
    assert expected["decision_id"].tolist() == ["D-3", "D-2", "D-4"]
    assert expected[IS_OVERDUE].tolist() == [True, False, False]
    assert expected[DAYS_OVERDUE].tolist() == [2, 0, 0]


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, "low"),
        (4, "low"),
        (5, "moderate"),
        (9, "moderate"),
        (10, "high"),
        (15, "critical"),
        (25, "critical"),
    ],
)
def test_criticality_bands(score, band):
    assert band_of(score) == band


def test_a_risk_rerated_between_two_weeks_shows_its_trend():
    """Week 1: R-1 3×4 = 12, R-2 4×3 = 12, R-3 2×2 open. Week 2: R-1 4×4 = 16 (up), R-2 3×3 = 9
    (down), R-3 closed, R-4 new."""
    week1 = risks(
        ("R-1", "a", 3, 4, "open"), ("R-2", "b", 4, 3, "open"), ("R-3", "c", 2, 2, "open")
    )
    week2 = risks(
        ("R-1", "a", 4, 4, "open"),
        ("R-2", "b", 3, 3, "open"),
        ("R-3", "c", 2, 2, "closed"),
        ("R-4", "d", 1, 5, "open"),
    )
    scored = scored_risks(week2, week1).set_index("risk_id")
    assert scored[SCORE].to_dict() == {"R-1": 16, "R-2": 9, "R-3": 4, "R-4": 5}
    assert scored[TREND].to_dict() == {"R-1": "up", "R-2": "down", "R-3": "same", "R-4": "new"}
    empty = empty_register(ACTIONS), empty_register(DECISIONS)
    changes = compare_registers(
        Registers(empty[1], empty[0], week1),
        Registers(empty[1], empty[0], week2),
        "2026-11-13",
        "2026-11-20",
    )
    assert changes.risks_rerated["risk_id"].tolist() == ["R-1", "R-2"]
    assert changes.risks_closed["risk_id"].tolist() == ["R-3"]
    assert changes.risks_new["risk_id"].tolist() == ["R-4"]


def test_the_review_counts_actions_closed_opened_and_newly_overdue():
    before = actions(
        ("A-1", "open", T(2026, 11, 6)),
        ("A-2", "open", T(2026, 11, 30)),
        ("A-3", "open", T(2026, 11, 16)),
    )
    after = actions(
        ("A-1", "done", T(2026, 11, 6)),
        ("A-2", "open", T(2026, 11, 30)),
        ("A-3", "open", T(2026, 11, 16)),
        ("A-4", "open", T(2026, 11, 27)),
    )
    d, r = empty_register(DECISIONS), empty_register(RISKS)
    changes = compare_registers(
        Registers(d, before, r), Registers(d, after, r), "2026-11-13", "2026-11-20"
    )
    assert changes.actions_closed["action_id"].tolist() == ["A-1"]
    assert changes.actions_opened["action_id"].tolist() == ["A-4"]
    # A-3 fell due on 16/11: not late at 13/11, late at 20/11
    assert changes.actions_now_overdue["action_id"].tolist() == ["A-3"]


def test_the_decisions_taken_since_the_earlier_situation():
    before = decisions(
        ("D-1", "Q1", "pending", T(2026, 11, 18), None), ("D-2", "Q2", "taken", pd.NaT, None)
    )
    after = decisions(
        ("D-1", "Q1", "taken", T(2026, 11, 18), None),
        ("D-2", "Q2", "implemented", pd.NaT, None),
        ("D-3", "Q3", "pending", T(2026, 12, 4), None),
    )
    a, r = empty_register(ACTIONS), empty_register(RISKS)
    changes = compare_registers(
        Registers(before, a, r), Registers(after, a, r), "2026-11-13", "2026-11-20"
    )
    assert changes.decisions_taken["decision_id"].tolist() == ["D-1"]
    assert changes.decisions_new["decision_id"].tolist() == ["D-3"]


def test_the_heat_map_counts_the_open_risks_per_cell_and_top_risks_rank_them():
    register = scored_risks(
        risks(
            ("R-1", "a", 4, 4, "open"),
            ("R-2", "b", 3, 4, "open"),
            ("R-3", "c", 4, 3, "open"),
            ("R-4", "d", 4, 4, "closed"),
            ("R-5", "e", 5, 5, "occurred"),
        )
    )
    heat = heat_map(register).set_index(["probability", "impact"])
    assert len(heat) == 25
    assert heat.loc[(4, 4), "count"] == 1  # the closed R-4 is not on the map
    assert heat.loc[(4, 4), "risk_ids"] == ("R-1",)
    assert heat.loc[(5, 5), BAND] == "critical" and heat.loc[(1, 1), BAND] == "low"
    # equal criticality 12: the higher impact first (R-2: impact 4 before R-3: impact 3)
    assert top_risks(register)["risk_id"].tolist() == ["R-5", "R-1", "R-2", "R-3"]


def _planning(delay, completed=False):
    forecast = SimpleNamespace(
        delay_vs_contract_days=delay,
        forecast_finish=T(2027, 1, 18),
        contractual_end=T(2026, 12, 16),
        completed=completed,
    )
    return SimpleNamespace(forecast=forecast)


def _spending(rules=None, overdue=None, forecast=None, penalty=None):
    columns = [
        "contract_id",
        "amendment_over_threshold",
        "amendment_share",
        "amendments",
        "initial",
    ]
    return SimpleNamespace(
        rules=rules if rules is not None else pd.DataFrame(columns=columns),
        overdue=overdue
        if overdue is not None
        else pd.DataFrame(columns=["contract_id", "reference", "days_late", "net_due"]),
        penalty=penalty,
        forecast_at_completion=forecast,
    )


def test_a_forecast_finish_past_the_contractual_end_suggests_an_extension_until_recorded():
    suggestions = suggested_decisions(empty_register(DECISIONS), _planning(33))
    assert [(s.code, s.rule, s.params["days"]) for s in suggestions] == [
        ("delay_extension", "delay_extension:2026-12-16", 33)
    ]
    recorded = decisions(
        ("D-1", "Avenant de délai ?", "dismissed", pd.NaT, "delay_extension:2026-12-16")
    )
    assert suggested_decisions(recorded, _planning(33)) == []
    assert suggested_decisions(empty_register(DECISIONS), _planning(0)) == []
    assert suggested_decisions(empty_register(DECISIONS), _planning(12, completed=True)) == []


def test_an_amendment_above_the_threshold_and_an_envelope_overrun_are_suggested():
    """Avenants of 1 240 000 on an initial 10 000 000 = 12,4 % > 10 %; forecast 15 400 000 >
    envelope 15 200 000."""
    rules = pd.DataFrame(
        {
            "contract_id": ["M-1", "M-2"],
            "amendment_over_threshold": [True, False],
            "amendment_share": [0.124, 0.05],
            "amendments": [1_240_000.0, 50_000.0],
            "initial": [10_000_000.0, 1_000_000.0],
        }
    )
    suggestions = suggested_decisions(
        empty_register(DECISIONS), None, _spending(rules, forecast=15_400_000.0), 15_200_000.0, 0.10
    )
    assert [s.rule for s in suggestions] == ["amendment_over_threshold:M-1", "envelope_exceeded"]
    assert suggestions[0].params["share"] == pytest.approx(0.124)
    assert suggestions[1].params == {"forecast": 15_400_000.0, "envelope": 15_200_000.0}


def test_penalties_reaching_their_cap_and_a_late_payment_are_suggested():
    penalty = SimpleNamespace(amount=333_900.0, delay_days=80, days_to_cap=80)
    overdue = pd.DataFrame(
        {"contract_id": ["M-1"], "reference": ["DP4"], "days_late": [7], "net_due": [1_000.0]}
    )
    found = suggested_decisions(
        empty_register(DECISIONS), None, _spending(overdue=overdue, penalty=penalty)
    )
    assert [s.rule for s in found] == ["penalty_cap", "late_payment:M-1:DP4"]
    below = SimpleNamespace(amount=100.0, delay_days=79, days_to_cap=80)
    assert suggested_decisions(empty_register(DECISIONS), None, _spending(penalty=below)) == []


def test_the_overview_of_an_empty_register_is_empty_not_wrong():
    overview = governance_overview(Registers.empty(), "2026-02-16")
    assert overview.expected.empty and overview.overdue.empty and overview.top.empty
    assert overview.heat["count"].sum() == 0
    assert overview.open_actions == 0 and overview.suggestions == []


def test_the_history_of_an_item_lists_the_versions_that_changed_it():
    v1 = actions(("A-1", "open", T(2026, 11, 6)), ("A-2", "open", T(2026, 11, 9)))
    v2 = actions(("A-1", "open", T(2026, 11, 6)), ("A-2", "open", T(2026, 11, 20)))
    v3 = actions(("A-1", "done", T(2026, 11, 6)), ("A-2", "open", T(2026, 11, 20)))
    v4 = actions(("A-2", "open", T(2026, 11, 20)))
    versions = [(n, T(2026, 11, n), "editor", f) for n, f in ((1, v1), (2, v2), (3, v3), (4, v4))]
    history = item_history(versions, ACTIONS, "A-1")
    assert history["version"].tolist() == [1, 3, 4]
    assert history["change"].tolist() == ["added", "changed", "removed"]
    assert history["changed_columns"].tolist()[1] == ("status",)
    assert item_history(versions, ACTIONS, "A-2")["changed_columns"].tolist() == [(), ("due_date",)]
