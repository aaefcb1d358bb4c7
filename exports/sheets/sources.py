"""Sources sheet: each table's file, its SHA-256, who imported it and when."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from exports.xlsx_tables import Col, Formats, print_setup, write_table, write_value
from i18n import translate


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"export.{key}", lang, **params)


def write_sources_sheet(
    workbook, formats: Formats, situation, sources, lang, header, footer, generated_at
):
    sheet = workbook.add_worksheet(_tr("sheet.sources", lang))
    sheet.write_string(0, 0, _tr("sources.title", lang), formats.title)
    sheet.write_string(1, 0, _tr("sources.subtitle", lang), formats.subtitle)
    sheet.write_string(3, 0, _tr("sources.status_date", lang), formats.bold)
    write_value(sheet, 3, 1, situation.status_date, "date", formats.cell("date"))
    sheet.write_string(4, 0, _tr("sources.generated", lang), formats.bold)
    stamp = generated_at or dt.datetime.now()
    sheet.write_datetime(
        4, 1, stamp, formats.workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    )
    frame = pd.DataFrame(
        {
            "kind": [translate(f"kind.{s.kind}", lang) for s in sources],
            "name": [s.name for s in sources],
            "sha256": [s.sha256 for s in sources],
            "imported_at": [
                s.imported_at.replace(tzinfo=None) if s.imported_at else None for s in sources
            ],
            "imported_by": [s.imported_by for s in sources],
            "status_date": [s.status_date for s in sources],
            "rows": [s.rows for s in sources],
        }
    )
    write_table(
        sheet,
        formats,
        6,
        frame,
        [
            Col("kind", _tr("col.kind", lang), "text", 26),
            Col("name", _tr("col.name", lang), "text", 28),
            Col("sha256", _tr("col.sha256", lang), "text", 66),
            Col("imported_at", _tr("col.imported_at", lang), "date", 14),
            Col("imported_by", _tr("col.imported_by", lang), "text", 14),
            Col("status_date", _tr("sources.status_date", lang), "date", 14),
            Col("rows", _tr("col.rows", lang), "int", 8),
        ],
        autofilter=False,
        freeze=False,
    )
    sheet.set_column(0, 0, 26)
    print_setup(sheet, header, footer)
