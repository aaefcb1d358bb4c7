"""Read back what the renderers drew: a table of the workbook by its defined name, and the
frames an AppTest page handed to ``st.dataframe``; used to prove that screen and workbook
show the same values for every table spec."""

from __future__ import annotations

import datetime as dt
import io
import math
import numbers

import openpyxl
import pandas as pd

from exports.xlsx_tables import spec_frame, table_name


def workbook_table(content: bytes, key: str) -> pd.DataFrame:
    """The cells under the defined name of table ``key`` (header row first), as a frame whose
    columns are the header texts."""
    book = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
    name = table_name(key)
    if name not in book.defined_names:
        raise KeyError(f"no table {key!r} ({name}) in the workbook")
    ((sheet_name, reference),) = list(book.defined_names[name].destinations)
    rows = [[cell.value for cell in row] for row in book[sheet_name][reference]]
    return pd.DataFrame(rows[1:], columns=rows[0])


def comparable(value):
    """One value as both renderers can hold it: numbers rounded to the centime, dates as
    dates, blanks as None, bools and text as they are."""
    if value is None or (isinstance(value, str) and value == ""):
        return None  # a blank cell, whether written empty or left blank
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date() if not pd.isna(value) else None
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Real):
        return None if math.isnan(float(value)) else round(float(value), 2)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def table_values(table) -> list[list]:
    """The rows of a spec as the workbook writes them, made comparable (Oui / Non for bools)."""
    frame = spec_frame(table)
    yes, no = table.yes_no
    kinds = [column.kind for column in table.columns]
    rows = []
    for record in frame.itertuples(index=False):
        row = []
        for value, kind in zip(record, kinds, strict=True):
            if kind == "bool" and comparable(value) is not None:
                value = yes if value else no
            row.append(comparable(value))
        rows.append(row)
    return rows


def sheet_values(frame: pd.DataFrame) -> list[list]:
    """The rows read back from the workbook, made comparable (a missing-text cell stays text)."""
    return [[comparable(v) for v in record] for record in frame.itertuples(index=False)]


def sample_weeks(path) -> dict:
    """The sample history seeded into a store at ``path`` (whatever ``$TRACKER_DB`` says):
    status date -> that week's whole situation, computed as the pages compute them."""
    import pytest

    from loaders import load_project
    from store import DB_ENV
    from store.current import open_seeded_store, tables_of, weekly_situations
    from store.snapshots import ROOT
    from views.situation import situation_of

    settings = load_project(ROOT / "data" / "project.toml")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(DB_ENV, raising=False)
        store = open_seeded_store(settings, path)
    situations = {}
    for week in weekly_situations(store):
        tables = tables_of(store, week)
        situations[week.status_date] = situation_of(settings, week.status_date, tables.frames)
    return situations
