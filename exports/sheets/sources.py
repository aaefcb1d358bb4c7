"""Sources sheet: each table's file, its SHA-256, who imported it and when
(``views.sources``)."""

from __future__ import annotations

import datetime as dt

from exports.xlsx_tables import Formats, print_setup, write_spec, write_value
from i18n import translate
from views.sources import sources_table


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"surfaces.sources.{key}", lang, **params)


def write_sources_sheet(
    workbook, formats: Formats, situation, sources, lang, header, footer, generated_at
):
    sheet = formats.add_sheet(translate("export.sheet.sources", lang))
    sheet.write_string(0, 0, _tr("title", lang), formats.title)
    sheet.write_string(1, 0, _tr("subtitle", lang), formats.subtitle)
    sheet.write_string(3, 0, _tr("status_date", lang), formats.bold)
    write_value(sheet, 3, 1, situation.status_date, "date", formats.cell("date"))
    sheet.write_string(4, 0, _tr("generated", lang), formats.bold)
    stamp = generated_at or dt.datetime.now()
    sheet.write_datetime(
        4, 1, stamp, formats.workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    )
    write_spec(sheet, formats, 6, sources_table(sources, lang), autofilter=False, freeze=False)
    formats.fit(sheet, 0, 26)
    print_setup(sheet, header, footer)
