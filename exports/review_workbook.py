"""The weekly review's "changes since last review" workbook: a summary of the headline figures
(before, after, change) and one sheet per table of changes (tasks, décomptes, contracts).

Written with xlsxwriter through ``exports.xlsx_tables``: text is always written as text
(``write_string``), so a payee typed ``=HYPERLINK(…)`` in an imported file stays a label and
never becomes a formula; dates are Excel dates shown dd/mm/yyyy; every table has a bold,
frozen header and a filter. Takes its data as arguments, returns bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
import xlsxwriter

from exports.xlsx_tables import Col as Col  # re-exported: the column spec of a ChangeSheet
from exports.xlsx_tables import ColumnKind, Formats, write_table, write_value

#: Excel refuses these in a sheet name; 31 characters at most
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


@dataclass(frozen=True)
class SummaryRow:
    """One headline figure: its label, its value at each situation and the change, each
    written as ``kind`` (``delta_kind`` for the change: days for a date, say)."""

    label: str
    kind: ColumnKind
    before: object
    after: object
    change: object
    delta_kind: ColumnKind | None = None


@dataclass(frozen=True)
class ChangeSheet:
    """One table of changes: a sheet name, a title written above the table, the frame and
    its columns (``frame`` column, header, kind)."""

    name: str
    title: str
    frame: pd.DataFrame
    columns: list[Col]
    #: written under the table when the frame has no row
    empty_text: str = ""


@dataclass(frozen=True)
class SummarySheet:
    name: str
    title: str
    #: headers of the four columns: figure, before, after, change
    headers: tuple[str, str, str, str]
    rows: list[SummaryRow] = field(default_factory=list)


def sheet_name(text: str) -> str:
    return text.translate(_SHEET_FORBIDDEN).strip()[:31] or "Feuille"


def _write_summary(workbook, formats: Formats, sheet: SummarySheet, subtitle: str) -> None:
    page = workbook.add_worksheet(sheet_name(sheet.name))
    page.write_string(0, 0, sheet.title, formats.title)
    if subtitle:
        page.write_string(1, 0, subtitle, formats.subtitle)
    top = 3
    for col, header in enumerate(sheet.headers):
        page.write_string(top, col, header, formats.header)
    page.set_row(top, 32)
    page.set_column(0, 0, 38)
    page.set_column(1, 3, 17)
    for index, row in enumerate(sheet.rows, start=top + 1):
        page.write_string(index, 0, row.label, formats.cell("text"))
        write_value(page, index, 1, row.before, row.kind, formats.cell(row.kind))
        write_value(page, index, 2, row.after, row.kind, formats.cell(row.kind))
        delta_kind = row.delta_kind or row.kind
        write_value(page, index, 3, row.change, delta_kind, formats.cell(delta_kind))
    page.autofilter(top, 0, top + max(len(sheet.rows), 1), 3)
    page.freeze_panes(top + 1, 0)


def changes_workbook(
    sheets: Sequence[ChangeSheet],
    summary: SummarySheet | None = None,
    *,
    subtitle: str = "",
    yes_no: tuple[str, str] = ("Oui", "Non"),
) -> bytes:
    """The workbook: ``summary`` first (when given), then one sheet per ``ChangeSheet``,
    each with ``subtitle`` (the two situations compared) under its title."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = Formats(workbook)
    if summary is not None:
        _write_summary(workbook, formats, summary, subtitle)
    for sheet in sheets:
        page = workbook.add_worksheet(sheet_name(sheet.name))
        page.write_string(0, 0, sheet.title, formats.title)
        if subtitle:
            page.write_string(1, 0, subtitle, formats.subtitle)
        after = write_table(page, formats, 3, sheet.frame, sheet.columns, yes_no=yes_no)
        if sheet.frame.empty and sheet.empty_text:
            page.write_string(after, 0, sheet.empty_text, formats.subtitle)
    workbook.close()
    return buffer.getvalue()
