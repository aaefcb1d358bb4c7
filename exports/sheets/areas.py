"""Surfaces sheet: the tables of the Surfaces page (``views.surfaces``), each under its title,
each an Excel table with a defined name (``t_surfaces_programme``…)."""

from __future__ import annotations

from exports.xlsx_tables import Formats, print_setup, write_spec
from i18n import translate
from views.surfaces import surfaces_view


def write_areas_sheet(workbook, formats: Formats, situation, lang, header, footer):
    areas = situation.areas
    if areas is None:
        return None
    view = surfaces_view(areas, lang, situation.status_date)
    sheet = formats.add_sheet(translate("export.sheet.areas", lang))
    sheet.write_string(0, 0, view.title, formats.title)
    sheet.write_string(1, 0, view.caption, formats.subtitle)
    row, rooms_top = 3, 3
    for table in view.tables:
        sheet.write_string(row, 0, table.title, formats.bold)
        if table is view.rooms:
            rooms_top = row + 1
        # one filter per sheet (Excel's rule): the room list's
        row = write_spec(
            sheet, formats, row + 1, table, autofilter=table is view.rooms, freeze=False
        )
        if table.caption:
            sheet.write_string(row, 0, table.caption, formats.subtitle)
            row += 1
        row += 1
    # the room list, the long table, starts a page of its own under its repeated header
    sheet.set_h_pagebreaks([rooms_top - 1])
    print_setup(sheet, header, footer, repeat_row=rooms_top)
    return sheet
