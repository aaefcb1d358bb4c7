"""Registres sheets: the decision log, the action plan and the risk register, one sheet each,
drawn from the specs of the registers page (``views.governance``): what the COPIL reads on
screen is what the stakeholders' workbook holds."""

from __future__ import annotations

from exports.xlsx_tables import Formats, print_setup, write_spec
from i18n import translate
from views.governance import actions_table, decisions_table, risks_table

#: long texts (questions, decisions, risks) wrap at this many characters
TEXT_CAP = 44


def write_registers_sheets(workbook, formats: Formats, situation, lang, header, footer) -> None:
    """The three registers when a version is in force; nothing otherwise."""
    governance = situation.governance
    if governance is None:
        return
    for key, build in (
        ("decisions", decisions_table),
        ("actions", actions_table),
        ("risks", risks_table),
    ):
        table = build(governance, lang)
        sheet = formats.add_sheet(translate(f"registers.file.sheet_{key}", lang))
        if lang == "ar":
            sheet.right_to_left()
        sheet.write_string(0, 0, table.title, formats.title)
        row = 2
        if len(table):
            write_spec(sheet, formats, row, table, text_cap=TEXT_CAP)
        else:
            sheet.write_string(row, 0, table.empty_text, formats.subtitle)
        print_setup(sheet, header, footer)
