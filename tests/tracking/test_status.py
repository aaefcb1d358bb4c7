from __future__ import annotations

import datetime as dt

import pandas as pd

from loaders.status import infer_status_date

T = pd.Timestamp


def test_latest_actual_date_across_schedule_and_spending():
    schedule = pd.DataFrame(
        {
            "actual_start": [T("2026-03-02"), T("2026-11-16")],
            "actual_finish": [T("2026-03-27"), pd.NaT],
        }
    )
    spending = pd.DataFrame({"date": [T("2026-10-31")], "paid_date": [T("2026-11-20")]})
    assert infer_status_date(schedule, spending, today=dt.date(2026, 11, 26)) == dt.date(
        2026, 11, 20
    )


def test_dates_in_the_future_are_not_a_status_date():
    spending = pd.DataFrame(
        {"date": [T("2026-10-31"), T("2027-01-15")], "paid_date": [pd.NaT, pd.NaT]}
    )
    assert infer_status_date(None, spending, today=dt.date(2026, 11, 26)) == dt.date(2026, 10, 31)


def test_fixed_status_date_wins_and_empty_data_gives_today():
    assert infer_status_date(fixed=dt.date(2026, 6, 30)) == dt.date(2026, 6, 30)
    assert infer_status_date(today=dt.date(2026, 11, 26)) == dt.date(2026, 11, 26)


def test_a_situation_date_declared_by_the_files_wins_over_actual_dates():
    schedule = pd.DataFrame({"actual_start": [T("2026-11-16")], "actual_finish": [pd.NaT]})
    declared = [T("2026-11-20"), None, T("2026-11-13")]
    assert infer_status_date(
        schedule, None, today=dt.date(2026, 11, 26), declared=declared
    ) == dt.date(2026, 11, 20)
