"""The overview caches see every cell: after a corrected ledger of 60 000 rows (same row
count, one amount changed), the next view shows the new « Payé » — ``st.cache_data`` alone
hashes a frame that large from a sample of its rows and would serve the old figure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from loaders import load_budget_lines, load_contracts, load_schedule, load_spending
from loaders.schema import SPENDING
from ui.domain import cached_spending, frames_key

DATA = Path(__file__).resolve().parents[2] / "data"
STATUS = dt.date(2026, 11, 20)


def test_a_one_cell_correction_of_a_large_ledger_shows_on_the_next_view():
    finance = DATA / "suivi_financier.xlsx"
    budget, contracts = load_budget_lines(finance).frame, load_contracts(finance).frame
    schedule = load_schedule(DATA / "planning_travaux.xlsx").frame
    ledger = load_spending(finance).frame
    copies = -(-60_000 // len(ledger))
    large = pd.concat([ledger] * copies, ignore_index=True).head(60_000)
    paid = large[SPENDING.paid_date].notna() & (large[SPENDING.paid_date] <= pd.Timestamp(STATUS))
    row = int(paid[paid].index[-1])  # a paid row far from the start of the frame
    corrected = large.copy()
    corrected.loc[row, SPENDING.amount] = corrected.loc[row, SPENDING.amount] + 1405.69

    before = cached_spending(schedule, budget, contracts, large, STATUS).totals.paid
    after = cached_spending(schedule, budget, contracts, corrected, STATUS).totals.paid
    assert round(after - before, 2) == 1405.69
    assert frames_key(large) != frames_key(corrected)
