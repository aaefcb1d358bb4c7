"""Contrôles sheet: the load warnings and the schedule checks (the Planning page's table)."""

from __future__ import annotations

import pandas as pd

from exports.xlsx_tables import Col, Formats, print_setup, write_spec, write_table
from i18n import translate
from views.planning import checks_table


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"export.{key}", lang, **params)


def write_checks_sheet(workbook, formats: Formats, situation, problems, lang, header, footer):
    sheet = workbook.add_worksheet(_tr("sheet.checks", lang))
    sheet.write_string(0, 0, _tr("checks.title", lang), formats.title)
    sheet.write_string(2, 0, _tr("checks.data_title", lang), formats.bold)
    row = 3
    if problems:
        frame = pd.DataFrame(
            {
                "severity": [translate(f"severity.{p.severity}", lang) for p in problems],
                "file": [p.file for p in problems],
                "sheet": [p.sheet for p in problems],
                "row": [p.row for p in problems],
                "column": [p.column for p in problems],
                "message": [p.message for p in problems],
            }
        )
        row = write_table(
            sheet,
            formats,
            row,
            frame,
            [
                Col("severity", _tr("col.severity", lang), "text", 14),
                Col("file", _tr("col.file", lang), "text", 26),
                Col("sheet", _tr("col.sheet", lang), "text", 14),
                Col("row", _tr("col.row", lang), "int", 8),
                Col("column", _tr("col.column", lang), "text", 18),
                Col("message", _tr("col.message", lang), "text", 90),
            ],
            highlight=pd.Series([p.is_error for p in problems]),
            autofilter=False,
            freeze=False,
        )
    else:
        sheet.write_string(row, 0, _tr("checks.data_empty", lang))
        row += 1
    if situation.planning is not None:
        row += 2
        table = checks_table(situation.planning, situation.settings.high_float_days, lang)
        sheet.write_string(row, 0, table.title, formats.bold)
        sheet.write_string(row + 1, 0, table.caption, formats.subtitle)
        write_spec(sheet, formats, row + 2, table, autofilter=False, freeze=False)
        sheet.set_column(0, 0, 42)
    print_setup(sheet, header, footer)
