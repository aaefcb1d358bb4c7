"""Earned value: the formulas on round numbers, then a two-line schedule checked by hand.

Calendar: Saturday and Sunday off. Line A (budget 1 000): T1 02/03–03/03/2026 (2 working days,
done), T2 04/03–06/03 (3 working days, 50 %), milestone M on 06/03: task budgets 400 and 600.
Line B (500) has no task: outside earned value. Status date: Wednesday 04/03 (end of day).
"""

from __future__ import annotations

import pandas as pd
import pytest

from tracking.budget import budget_chain
from tracking.calendar import WorkCalendar
from tracking.earned_value import (
    earned_value,
    earned_value_lines,
    earned_value_series,
    earned_value_totals,
    excluded_lines,
)

T = pd.Timestamp
CAL = WorkCalendar((5, 6), [])
STATUS = T("2026-03-04")


def test_formulas_by_hand():
    ev = earned_value(bac=1000, pv=500, ev=400, ac=500)
    assert (ev.sv, ev.cv) == (-100, -100)
    assert (ev.spi, ev.cpi) == (pytest.approx(0.8), pytest.approx(0.8))
    assert ev.eac == pytest.approx(1250)  # 1 000 / 0,8
    assert ev.eac_at_budget == pytest.approx(1100)  # 500 + (1 000 − 400)
    assert ev.eac_cpi_spi == pytest.approx(500 + 600 / 0.64)  # 1 437,5
    assert ev.etc == pytest.approx(750) and ev.vac == pytest.approx(-250)
    assert ev.tcpi == pytest.approx(600 / 500)  # 1,2: must do better to finish on budget
    assert (ev.percent_complete, ev.percent_planned) == (0.4, 0.5)


def test_no_spending_yet_gives_none_with_its_reason():
    """Progress measured, nothing issued: CPI and what depends on it wait for the first
    décompte."""
    ev = earned_value(bac=1000, pv=200, ev=150, ac=0)
    assert ev.cpi is None and ev.eac is None and ev.etc is None
    assert ev.vac is None and ev.eac_cpi_spi is None
    assert {ev.reason(name) for name in ("cpi", "eac", "etc", "vac")} == {"no_works_decompte"}
    assert ev.spi == pytest.approx(0.75) and ev.eac_at_budget == 850
    assert ev.reason("spi") is None


def test_nothing_planned_yet_gives_no_spi():
    ev = earned_value(bac=1000, pv=0, ev=0, ac=0)
    assert ev.spi is None and ev.reason("spi") == "nothing_planned"
    assert ev.cpi is None and ev.eac is None
    assert ev.tcpi == 1.0  # (1 000 − 0) / (1 000 − 0)


def test_spending_without_progress_has_no_index_yet():
    """An amount issued (an advance, say) before any progress is measured: CPI and SPI would
    be 0 and the EAC infinite; they wait for the first progress report instead."""
    ev = earned_value(bac=1000, pv=100, ev=0, ac=50)
    assert ev.cpi is None and ev.reason("cpi") == "no_earned_value"
    assert ev.spi is None and ev.reason("spi") == "no_progress"
    assert ev.eac is None and ev.eac_at_budget == 1050  # 50 + (1 000 − 0)


def test_budget_spent_before_the_end_has_no_tcpi():
    ev = earned_value(bac=1000, pv=1000, ev=900, ac=1000)
    assert ev.tcpi is None and ev.reason("tcpi") == "budget_spent"


def test_finished_works_have_no_tcpi():
    """At completion EV = BAC: no remaining work for a TCPI; the EAC is what the works cost."""
    ev = earned_value(bac=1000, pv=1000, ev=1000, ac=1040)
    assert ev.tcpi is None and ev.reason("tcpi") == "works_complete"
    assert ev.eac == pytest.approx(1040) and ev.etc == pytest.approx(0)
    assert ev.percent_complete == 1.0


def budget() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "line_id": ["A", "B"],
            "name": ["Gros œuvre", "Études"],
            "category": ["Travaux", "Études"],
            "lot": [None, None],
            "amount": [1000.0, 500.0],
        }
    ).astype({"line_id": "str", "name": "str", "category": "str", "lot": "str"})


def schedule(percent=(100.0, 50.0, 0.0)) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "task_id": ["T1", "T2", "M"],
            "name": ["Fouilles", "Fondations", "Fin"],
            "start": [T("2026-03-02"), T("2026-03-04"), T("2026-03-06")],
            "finish": [T("2026-03-03"), T("2026-03-06"), T("2026-03-06")],
            "baseline_start": [T("2026-03-02"), T("2026-03-04"), T("2026-03-06")],
            "baseline_finish": [T("2026-03-03"), T("2026-03-06"), T("2026-03-06")],
            "actual_start": [T("2026-03-02"), T("2026-03-04"), pd.NaT],
            "actual_finish": [T("2026-03-03"), pd.NaT, pd.NaT],
            "percent_complete": list(percent),
            "milestone": [False, False, True],
            "weight": [float("nan")] * 3,
            "budget_line": ["A", "A", "A"],
        }
    ).astype({"task_id": "str", "name": "str", "budget_line": "str"})


def spending() -> pd.DataFrame:
    """DP1 on A: 350 issued 03/03; B's fee note 100 on 02/03 (outside earned value); DP2 on A
    issued 10/03, after the status date."""
    return pd.DataFrame(
        {
            "date": [T("2026-03-03"), T("2026-03-02"), T("2026-03-10")],
            "amount": [350.0, 100.0, 200.0],
            "budget_line": ["A", "B", "A"],
            "retention": [35.0, 0.0, 20.0],
            "paid_date": [pd.NaT, pd.NaT, pd.NaT],
            "contract_id": ["M1", "M2", "M1"],
            "reference": ["DP1", "NH1", "DP2"],
            "source_row": [6, 7, 8],
        }
    ).astype({"budget_line": "str", "contract_id": "str", "reference": "str"})


def test_lines_by_hand():
    lines = earned_value_lines(budget(), schedule(), spending(), CAL, STATUS)
    assert lines["line_id"].tolist() == ["A"]  # B has no task
    a = lines.iloc[0]
    assert a["bac"] == 1000 and a["task_count"] == 3
    assert a["pv"] == pytest.approx(400 + 600 / 3)  # T1 done, T2 one day of three
    assert a["ev"] == pytest.approx(400 + 600 * 0.5)  # 700
    assert a["ac"] == 350  # DP2 is after the status date
    assert a["cpi"] == pytest.approx(2.0) and a["spi"] == pytest.approx(700 / 600)
    assert a["percent_complete"] == pytest.approx(70) and a["percent_planned"] == pytest.approx(60)
    totals = earned_value_totals(lines)
    assert (totals.bac, totals.ev, totals.ac) == (1000, pytest.approx(700), 350)


def test_series_meets_the_lines_at_the_status_date():
    dates = [T("2026-02-27"), T("2026-03-03"), STATUS, T("2026-03-06")]
    series = earned_value_series(budget(), schedule(), spending(), CAL, STATUS, dates)
    assert series.loc[T("2026-02-27")].tolist() == [0, 0, 0]
    assert series.loc[T("2026-03-03"), "pv"] == pytest.approx(400)
    assert series.loc[T("2026-03-03"), "ac"] == 350
    assert series.loc[STATUS, "pv"] == pytest.approx(600)
    assert series.loc[STATUS, "ev"] == pytest.approx(700)
    assert series.loc[T("2026-03-06"), "pv"] == pytest.approx(1000)  # the plan reaches BAC
    assert series.loc[T("2026-03-06"), ["ev", "ac"]].isna().all()  # after the status date


def test_no_progress_yet():
    lines = earned_value_lines(budget(), schedule((0.0, 0.0, 0.0)), None, CAL, T("2026-02-27"))
    totals = earned_value_totals(lines)
    assert (totals.pv, totals.ev, totals.ac) == (0, 0, 0)
    assert totals.spi is None and totals.cpi is None and totals.eac is None


def test_without_schedule_nothing_is_measured():
    assert earned_value_lines(budget(), None, spending(), CAL, STATUS).empty
    series = earned_value_series(budget(), None, spending(), CAL, STATUS, [STATUS])
    assert series.isna().all().all()


def test_lines_without_tasks_are_listed_apart():
    chain = budget_chain(budget(), None, spending(), STATUS)
    assert excluded_lines(chain, ["A"])["line_id"].tolist() == ["B"]
