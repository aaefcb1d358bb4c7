"""Contrôles sheet: the load warnings and the schedule checks (the Planning page's table)."""

from __future__ import annotations

from exports.xlsx_tables import Formats, print_setup, write_spec
from i18n import translate
from views.planning import checks_table
from views.problems import problems_table

#: messages and task lists wrap at this many characters, so the sheet prints one page wide
#: at a readable scale
TEXT_CAP = 40


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"export.{key}", lang, **params)


def write_checks_sheet(workbook, formats: Formats, situation, problems, lang, header, footer):
    sheet = formats.add_sheet(_tr("sheet.checks", lang))
    sheet.write_string(0, 0, _tr("checks.title", lang), formats.title)
    sheet.write_string(2, 0, _tr("checks.data_title", lang), formats.bold)
    row = 3
    if problems:
        table = problems_table(problems, lang, with_file=True, key="checks.problems")
        row = write_spec(
            sheet, formats, row, table, autofilter=False, freeze=False, text_cap=TEXT_CAP
        )
    else:
        sheet.write_string(row, 0, _tr("checks.data_empty", lang))
        row += 1
    if situation.planning is not None:
        row += 2
        table = checks_table(situation.planning, situation.settings.high_float_days, lang)
        sheet.write_string(row, 0, table.title, formats.bold)
        sheet.write_string(row + 1, 0, table.caption, formats.subtitle)
        write_spec(
            sheet, formats, row + 2, table, autofilter=False, freeze=False, text_cap=TEXT_CAP
        )
    print_setup(sheet, header, footer)
