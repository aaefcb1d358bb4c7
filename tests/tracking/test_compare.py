"""Week-over-week comparison on two hand-made situations."""

from __future__ import annotations

import pandas as pd

from tracking.compare import compare_ledgers, compare_schedules, milestone_trend, new_contracts

T = pd.Timestamp
NaT = pd.NaT


def schedule(rows):
    columns = ["task_id", "name", "lot", "start", "finish", "actual_start", "actual_finish",
               "percent_complete", "baseline_finish", "milestone"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("start", "finish", "actual_start", "actual_finish", "baseline_finish"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[us]")
    return frame.astype({"task_id": "str", "name": "str", "lot": "str"})


WEEK_46 = schedule(
    [
        [
            "T1",
            "Gros œuvre",
            "GO",
            T("2026-03-02"),
            T("2026-06-26"),
            T("2026-03-02"),
            T("2026-06-26"),
            100.0,
            T("2026-06-05"),
            False,
        ],
        [
            "T2",
            "Peinture",
            "PE",
            T("2026-10-05"),
            T("2026-11-27"),
            T("2026-10-05"),
            NaT,
            60.0,
            T("2026-11-13"),
            False,
        ],
        [
            "T3",
            "Nettoyage",
            "PE",
            T("2026-12-01"),
            T("2026-12-04"),
            NaT,
            NaT,
            0.0,
            T("2026-11-20"),
            False,
        ],
        [
            "M1",
            "Réception provisoire",
            "RE",
            T("2027-01-11"),
            T("2027-01-11"),
            NaT,
            NaT,
            0.0,
            T("2026-12-16"),
            True,
        ],
    ]
)
WEEK_47 = schedule(
    [
        [
            "T1",
            "Gros œuvre",
            "GO",
            T("2026-03-02"),
            T("2026-06-26"),
            T("2026-03-02"),
            T("2026-06-26"),
            100.0,
            T("2026-06-05"),
            False,
        ],
        [
            "T2",
            "Peinture",
            "PE",
            T("2026-10-05"),
            T("2026-12-04"),
            T("2026-10-05"),
            NaT,
            70.0,
            T("2026-11-13"),
            False,
        ],
        [
            "M1",
            "Réception provisoire",
            "RE",
            T("2027-01-18"),
            T("2027-01-18"),
            NaT,
            NaT,
            0.0,
            T("2026-12-16"),
            True,
        ],
        ["T4", "Retouches", "PE", T("2026-12-07"), T("2026-12-11"), NaT, NaT, 0.0, NaT, False],
    ]
)


def test_schedule_changes_slips_first():
    changes = compare_schedules(WEEK_46, WEEK_47).set_index("task_id")
    assert set(changes.index) == {"T2", "M1", "T3", "T4"}  # T1 unchanged
    assert changes.loc["M1", "change"] == "changed"
    assert changes.loc["M1", "finish_shift_days"] == 7  # 11/01 -> 18/01/2027
    assert changes.loc["T2", "finish_shift_days"] == 7
    assert changes.loc["T2", "percent_delta"] == 10.0
    assert changes.loc["T3", "change"] == "removed"
    assert changes.loc["T4", "change"] == "added"
    assert list(changes["change"]) == ["changed", "changed", "added", "removed"]


def test_identical_schedules_have_no_changes():
    assert compare_schedules(WEEK_47, WEEK_47.copy()).empty


def ledger(rows):
    frame = pd.DataFrame(
        rows,
        columns=[
            "reference",
            "contract_id",
            "budget_line",
            "payee",
            "date",
            "amount",
            "retention",
            "paid_date",
        ],
    )
    for column in ("date", "paid_date"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[us]")
    return frame


def test_new_and_paid_decomptes():
    before = ledger(
        [
            ["DP6", "07/2026", "TR-01", "Atlas", T("2026-09-14"), 500_000.0, 50_000.0, NaT],
            ["DP7", "07/2026", "TR-01", "Atlas", T("2026-10-13"), 400_000.0, 40_000.0, NaT],
        ]
    )
    after = ledger(
        [
            ["DP6", "07/2026", "TR-01", "Atlas", T("2026-09-14"), 500_000.0, 50_000.0, NaT],
            [
                "DP7",
                "07/2026",
                "TR-01",
                "Atlas",
                T("2026-10-13"),
                400_000.0,
                40_000.0,
                T("2026-11-18"),
            ],
            ["DP8", "07/2026", "TR-01", "Atlas", T("2026-11-12"), 300_000.0, 0.0, NaT],
        ]
    )
    changes = compare_ledgers(before, after).set_index("reference")
    assert set(changes.index) == {"DP7", "DP8"}
    assert bool(changes.loc["DP7", "newly_paid"]) and changes.loc["DP7", "change"] == "changed"
    assert changes.loc["DP8", "change"] == "added" and changes.loc["DP8", "amount_delta"] == 300_000


def test_new_amendment():
    before = pd.DataFrame({"contract_id": ["07/2026"], "budget_line": ["TR-01"], "amount": [4e6]})
    after = pd.DataFrame(
        {
            "contract_id": ["07/2026", "AV1-07/2026"],
            "budget_line": ["TR-01", "TR-01"],
            "amount": [4e6, 2e5],
        }
    )
    assert list(new_contracts(before, after)["contract_id"]) == ["AV1-07/2026"]


def test_milestone_trend_rises_when_the_milestone_slips():
    situations = []
    for status, frame in ((T("2026-11-13"), WEEK_46), (T("2026-11-20"), WEEK_47)):
        tasks = pd.DataFrame({"forecast_finish": frame["finish"]}, index=frame.index)
        situations.append((status, frame, tasks))
    trend = milestone_trend(situations)
    reception = trend[trend["task_id"] == "M1"]
    assert list(reception["forecast_finish"]) == [T("2027-01-11"), T("2027-01-18")]
    assert list(reception["status_date"]) == [T("2026-11-13"), T("2026-11-20")]
