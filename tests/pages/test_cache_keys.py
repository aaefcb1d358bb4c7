"""The overview caches see every change: after a corrected ledger (same row count, one amount
changed), the next view shows the new « Payé » — ``st.cache_data`` alone hashes a frame of
50 000 rows or more from a sample of its rows and would serve the old figure. Stored data is
keyed on its snapshot ids (a correction is a new snapshot), data not stored on its cells."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd

from loaders import load_budget_lines, load_contracts, load_schedule, load_spending
from loaders.schema import SPENDING
from store import check_bytes, store_checked
from store.current import current_tables
from store.snapshots import open_store_at
from ui.domain import cached_spending, frames_key, spending_of

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


def large_finance_workbook(rows: int, extra: float = 0.0) -> bytes:
    """The sample finance workbook with its décomptes sheet grown to ``rows`` rows (its rows
    repeated, each copy a décompte of its own), the amount of the last paid row raised by
    ``extra``: the same file, but for one cell."""
    book = openpyxl.load_workbook(DATA / "suivi_financier.xlsx")
    sheet = book["Décomptes"]
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "N° décompte")
    body = [  # the décomptes (an issue date), not the totals row under them
        [c.value for c in row]
        for row in sheet.iter_rows(min_row=header + 1)
        if isinstance(row[6].value, dt.datetime)
    ]
    sheet.delete_rows(header + 1, sheet.max_row)
    copies = [[f"{line[0]}-{n}", *line[1:]] for n in range(-(-rows // len(body))) for line in body][
        :rows
    ]
    paid = max(i for i, line in enumerate(copies) if line[9] is not None)
    copies[paid][7] = copies[paid][7] + extra
    for line in copies:
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_corrected_import_of_a_100_000_row_ledger_shows_on_the_next_view(tmp_path):
    """Two imports of the finance workbook, 100 000 décompte rows each, the second with one
    amount corrected by 1 405,69 MAD: a new snapshot, hence a new key; the cached overview of
    the data in use follows it to the centime, the first one is not served again."""
    store = open_store_at(tmp_path / "h.sqlite")
    paid = []
    for extra in (0.0, 1405.69):
        data = large_finance_workbook(100_000, extra)
        checked = check_bytes("finance", "suivi_financier.xlsx", data, "fr")
        assert checked.accepted, checked.problems[:3]
        assert store_checked(store, checked, "test").status == "stored"
        tables = current_tables(store)
        assert len(tables.frames["spending"]) == 100_000
        data_in_use = SimpleNamespace(
            snapshots=tables.snapshots,
            schedule=None,
            calendars=None,
            budget=tables.frames["budget"],
            contracts=tables.frames["contracts"],
            spending=tables.frames["spending"],
            status_date=tables.status_date,
        )
        paid.append(spending_of(data_in_use).totals.paid)
    assert round(paid[1] - paid[0], 2) == 1405.69


def test_two_histories_with_the_same_snapshot_ids_do_not_share_their_overviews(
    tmp_path, monkeypatch
):
    """Snapshot ids are numbered per database: two histories that each hold a schedule (id 1)
    and a finance workbook (id 2), one amount apart, show each its own « Payé » in one
    server process (a restored or re-created database starts its ids again)."""
    import streamlit as st

    from store import DB_ENV
    from ui.shared import current_data

    paid = {}
    for name, extra in (("a", 0.0), ("b", 1405.69)):
        path = tmp_path / f"{name}.sqlite"
        store = open_store_at(path)
        for kind, file_name, data in (
            ("schedule", "planning_travaux.xlsx", (DATA / "planning_travaux.xlsx").read_bytes()),
            ("finance", "suivi_financier.xlsx", large_finance_workbook(500, extra)),
        ):
            result = store_checked(store, check_bytes(kind, file_name, data, "fr"), "test")
            assert result.stored
        assert [info.id for info in store.list()] == [2, 1]
        monkeypatch.setenv(DB_ENV, str(path))
        st.cache_data.clear()  # the store's handle is per path already; the overviews stay
        paid[name] = spending_of(current_data()).totals.paid
    assert round(paid["b"] - paid["a"], 2) == 1405.69
