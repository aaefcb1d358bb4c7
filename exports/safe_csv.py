"""CSV downloads that open in French Excel and never carry a live formula.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
run as a formula by Excel (CSV injection): such cells get a leading apostrophe, which Excel
shows as plain text. Numbers and dates are left alone.
"""

from __future__ import annotations

import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_text(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot be read as formulas."""
    text_columns = [
        name
        for name in frame.columns
        if frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name])
    ]
    return frame.assign(**{name: frame[name].map(neutralise_text) for name in text_columns})


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """``;``-separated, decimal comma, dd/mm/yyyy dates, UTF-8 with BOM: what French Excel
    opens without an import wizard."""
    safe = neutralise_formulas(frame)
    text = safe.to_csv(index=False, sep=";", decimal=",", date_format="%d/%m/%Y")
    return text.encode("utf-8-sig")


def table_csv_bytes(table, lang: str) -> bytes:
    """A ``views.spec.Table`` as CSV: its headers in the reader's language, numbers and dates
    typed (Excel reads them as numbers and dates), Excel row tuples as ``52–60, 64``, booleans
    as Oui / Non."""
    from views.format import compress_rows

    frame = table.data()
    for column in table.columns:
        if column.kind == "rows":
            frame[column.id] = frame[column.id].map(
                lambda v: compress_rows(v) if isinstance(v, tuple | list) else v
            )
        elif column.kind == "bool":
            yes, no = table.yes_no
            frame[column.id] = frame[column.id].map(
                lambda v, yes=yes, no=no: "" if pd.isna(v) else (yes if v else no)
            )
    frame.columns = table.labels
    return to_csv_bytes(frame)
