"""Formatted tables in an xlsxwriter workbook: French number and date formats, bold frozen
headers, filters, widths, highlighted rows, print setup.

xlsxwriter rather than openpyxl for writing: ``write_string`` stores text as text, so a
payee typed ``=HYPERLINK(…)`` in an imported file can never become a live formula (openpyxl
turns any string starting with ``=`` into one); it writes native Excel charts; and its
constant-memory mode streams a 100 000-row ledger.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

ColumnKind = Literal["text", "date", "money", "percent", "ratio", "int", "number", "area", "bool"]

#: Excel number formats; Excel shows them with the reader's own separators
NUMBER_FORMATS = {
    "date": "dd/mm/yyyy",
    "money": '#,##0.00 "MAD"',
    "percent": "0.0%",
    "ratio": "0.00",
    "int": "#,##0",
    "number": "#,##0.0",
    "area": '#,##0.00 "m²"',
}
WIDTHS = {
    "date": 12,
    "money": 17,
    "percent": 9,
    "ratio": 8,
    "int": 9,
    "number": 10,
    "area": 12,
    "bool": 9,
}

HEADER_STYLE = {
    "bold": True,
    "bg_color": "#1F6F8B",
    "font_color": "#FFFFFF",
    "text_wrap": True,
    "valign": "vcenter",
    "border": 1,
    "border_color": "#D0D7DE",
}
HIGHLIGHT_FILL = "#FDEBD0"  # late rows, alerts
TITLE_STYLE = {"bold": True, "font_size": 14, "font_color": "#1F3A4D"}


@dataclass(frozen=True)
class Col:
    """One column of a table: the frame's column, its header text and how to show it."""

    source: str
    header: str
    kind: ColumnKind = "text"
    width: float | None = None
    #: written (as text) where the value is missing, e.g. why a rate cannot be computed; a
    #: missing value is otherwise a blank cell (never NaN, which Excel cannot hold)
    missing_text: str | None = None


class Formats:
    """The workbook's cell formats, created once (xlsxwriter wants format objects reused)."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.header = workbook.add_format(HEADER_STYLE)
        self.title = workbook.add_format(TITLE_STYLE)
        self.subtitle = workbook.add_format({"italic": True, "font_color": "#555555"})
        self.bold = workbook.add_format({"bold": True})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self._cells: dict[tuple[str, bool, bool], Any] = {}

    def cell(self, kind: ColumnKind, highlight: bool = False, bold: bool = False):
        key = (kind, highlight, bold)
        if key not in self._cells:
            spec: dict[str, Any] = {}
            if kind in NUMBER_FORMATS:
                spec["num_format"] = NUMBER_FORMATS[kind]
            if kind == "bool":
                spec["align"] = "center"
            if highlight:
                spec["bg_color"] = HIGHLIGHT_FILL
            if bold:
                spec["bold"] = True
            self._cells[key] = self.workbook.add_format(spec)
        return self._cells[key]


def _blank(value: Any) -> bool:
    """Missing, NaN or infinite: nothing Excel can show as a number."""
    if value is None:
        return True
    if isinstance(value, float) and not math.isfinite(value):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def write_value(
    sheet,
    row: int,
    col: int,
    value: Any,
    kind: ColumnKind,
    fmt,
    yes_no=("Oui", "Non"),
    missing_text: str | None = None,
):
    """One cell, typed: text always as a string (never a formula), dates as Excel dates. A
    missing, NaN or infinite value is a blank cell, or ``missing_text`` when given (why it is
    missing): ``write_number`` never sees a NaN."""
    if _blank(value):
        if missing_text:
            sheet.write_string(row, col, missing_text, fmt)
        else:
            sheet.write_blank(row, col, None, fmt)
    elif kind == "date":
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
        sheet.write_datetime(row, col, value, fmt)
    elif kind == "bool":
        sheet.write_string(row, col, yes_no[0] if bool(value) else yes_no[1], fmt)
    elif kind == "text":
        sheet.write_string(row, col, str(value), fmt)
    else:
        sheet.write_number(row, col, float(value), fmt)


def write_table(
    sheet,
    formats: Formats,
    top: int,
    frame: pd.DataFrame,
    columns: list[Col],
    *,
    highlight: pd.Series | None = None,
    autofilter: bool = True,
    freeze: bool = True,
    yes_no=("Oui", "Non"),
    first_col: int = 0,
) -> int:
    """Write ``frame`` as a table with its header on row ``top``; returns the next free row."""
    for offset, column in enumerate(columns):
        sheet.write_string(top, first_col + offset, column.header, formats.header)
        width = column.width or WIDTHS.get(column.kind, 14)
        sheet.set_column(first_col + offset, first_col + offset, width)
    sheet.set_row(top, 32)
    flags = highlight.to_numpy() if highlight is not None else None
    values = [frame[c.source].tolist() for c in columns]
    for index in range(len(frame)):
        marked = bool(flags[index]) if flags is not None else False
        for offset, column in enumerate(columns):
            write_value(
                sheet,
                top + 1 + index,
                first_col + offset,
                values[offset][index],
                column.kind,
                formats.cell(column.kind, marked),
                yes_no,
                column.missing_text,
            )
    last = top + len(frame)
    if autofilter and columns:
        sheet.autofilter(top, first_col, max(last, top), first_col + len(columns) - 1)
    if freeze:
        sheet.freeze_panes(top + 1, 0)
    return last + 1


def print_setup(
    sheet, header: str, footer: str, landscape: bool = True, repeat_row: int | None = None
):
    """A4, landscape, one page wide, project and status date in the header, page numbers."""
    sheet.set_paper(9)  # A4
    if landscape:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    sheet.set_header(f"&L&8{_escape(header)}", {"margin": 0.3})
    sheet.set_footer(f"&L&8{_escape(footer)}&R&8Page &P / &N", {"margin": 0.3})
    if repeat_row is not None:
        sheet.repeat_rows(repeat_row)


def _escape(text: str) -> str:
    """Header/footer text: ``&`` is a control character there."""
    return text.replace("&", "&&")


#: a view's kinds that Excel shows with another kind's number format
_EXCEL_KIND = {"millions": "money", "days": "int", "count": "int", "rows": "text"}


def excel_kind(kind: str) -> ColumnKind:
    """The workbook's cell kind for a view kind (``millions`` is a money cell, ``days`` and
    ``count`` whole numbers, Excel row tuples text)."""
    return _EXCEL_KIND.get(kind, kind)  # type: ignore[return-value]


def spec_columns(table) -> list[Col]:
    """A ``views.spec.Table``'s columns as workbook columns (same ids, headers, widths)."""
    columns = []
    for column in table.columns:
        kind = excel_kind(column.kind)
        columns.append(Col(column.id, column.label, kind, column.width, column.missing_text))
    return columns


def spec_frame(table) -> pd.DataFrame:
    """The values the workbook writes for a table: its typed frame, with Excel row tuples
    shown as text (``52–60, 64``) since a cell holds one value."""
    from views.format import compress_rows

    frame = table.data()
    rows = [c.id for c in table.columns if c.kind == "rows"]
    if rows:
        frame = frame.assign(
            **{
                name: frame[name].map(
                    lambda v: compress_rows(v) if isinstance(v, tuple | list) else v
                )
                for name in rows
            }
        )
    return frame


def write_spec(
    sheet,
    formats: Formats,
    top: int,
    table,
    *,
    autofilter: bool = True,
    freeze: bool = True,
    first_col: int = 0,
    name: bool = True,
) -> int:
    """Write a ``views.spec.Table`` with its header on row ``top``, its highlighted rows
    filled; returns the next free row. ``name`` defines an Excel name over the table's cells
    (``t_<key>``) so that a reader or a test finds the table without counting rows."""
    columns = spec_columns(table)
    highlight = pd.Series(table.highlight) if table.highlight is not None else None
    next_row = write_table(
        sheet,
        formats,
        top,
        spec_frame(table),
        columns,
        highlight=highlight,
        autofilter=autofilter,
        freeze=freeze,
        yes_no=table.yes_no,
        first_col=first_col,
    )
    if name and columns:
        defined = table_name(table.key)
        last_row = max(next_row - 1, top)
        reference = _range(sheet.name, top, first_col, last_row, first_col + len(columns) - 1)
        formats.workbook.define_name(defined, reference)
    return next_row


def table_name(key: str) -> str:
    """The Excel defined name of a table: ``t_`` and its key with dots as underscores."""
    return "t_" + "".join(ch if ch.isalnum() else "_" for ch in key)


def _range(sheet_name: str, top: int, left: int, bottom: int, right: int) -> str:
    from xlsxwriter.utility import xl_range_abs

    quoted = sheet_name.replace("'", "''")
    return f"='{quoted}'!{xl_range_abs(top, left, bottom, right)}"
