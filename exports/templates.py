"""Blank import templates: one xlsx per kind of table, headers in the user's language.

The headers are the ``column.<name>`` labels the loaders recognise, so a filled-in template
loads back without any renaming; the "Instructions" sheet lists every column with the other
headers a file may use instead (the aliases of ``loaders.schema``).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from i18n import normalise_lang, translate
from i18n.format import format_date, format_money, format_number, format_percent
from loaders.schema import SCHEMAS, Column, TableSchema

TEMPLATE_KINDS = ("schedule", "spending", "budget", "contracts", "floor-areas")
#: the registers' one template: a workbook of three sheets (``exports.registers_file``)
REGISTERS_TEMPLATE = "registers"
#: the templates of each file kind (one per table, the registers' one for all three)
TEMPLATES_OF_FILE = {
    "schedule": ("schedule",),
    "finance": ("budget", "contracts", "spending"),
    "floor-areas": ("floor-areas",),
    "registers": (REGISTERS_TEMPLATE,),
}

TITLE_ROW = 1
HINT_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = HEADER_ROW + 1

DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = '#,##0.00 "DH"'
PERCENT_FORMAT = "0%"
NUMBER_FORMATS = {
    "date": DATE_FORMAT,
    "money": MONEY_FORMAT,
    "percent": PERCENT_FORMAT,
}
#: per-column formats for plain numbers (areas with decimals, counts without)
NUMBER_COLUMN_FORMATS = {"area_m2": "#,##0.00", "seats": "0"}

TEAL = "0F5E63"
PALE_TEAL = "D8ECEC"
PALE_GREY = "EEF1F3"
_THIN = Side(style="thin", color="B8C4C8")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _d(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


def _both(fr: str, en: str) -> dict[str, str]:
    return {"fr": fr, "en": en}


#: two example rows per kind; text given as {"fr": …, "en": …} follows the template's language
EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "schedule": [
        {
            "task_id": "T01",
            "name": _both("OS de commencement", "Notice to proceed"),
            "lot": _both("Installation de chantier", "Site set-up"),
            "start": _d(2026, 2, 16),
            "finish": _d(2026, 2, 16),
            "percent_complete": 1.0,
            "baseline_start": _d(2026, 2, 16),
            "baseline_finish": _d(2026, 2, 16),
            "actual_start": _d(2026, 2, 16),
            "actual_finish": _d(2026, 2, 16),
            "milestone": _both("Oui", "Yes"),
            "weight": 0,
            "budget_line": "TRV-01",
        },
        {
            "task_id": "T02",
            "name": _both("Terrassements généraux", "General earthworks"),
            "lot": _both("Gros œuvre", "Structural works"),
            "start": _d(2026, 3, 2),
            "finish": _d(2026, 4, 10),
            "percent_complete": 0.45,
            "baseline_start": _d(2026, 3, 2),
            "baseline_finish": _d(2026, 4, 3),
            "actual_start": _d(2026, 3, 4),
            "predecessors": "T01",
            "milestone": _both("Non", "No"),
            "weight": 5,
            "budget_line": "TRV-01",
            "comment": _both("Retard dû aux intempéries", "Delayed by heavy rain"),
        },
    ],
    "spending": [
        {
            "date": _d(2026, 3, 31),
            "amount": 1_250_000.00,
            "lot": _both("Gros œuvre", "Structural works"),
            "payee": "Entreprise BTP Khémisset SARL",
            "reference": _both("Décompte n° 1", "Payment certificate 1"),
            "contract_id": "M-01/2026",
            "budget_line": "TRV-01",
            "retention": 125_000.00,
            "paid_date": _d(2026, 5, 29),
            "description": _both("Décompte provisoire n° 1", "Interim payment 1"),
        },
        {
            "date": _d(2026, 4, 30),
            "amount": 980_500.50,
            "lot": _both("Gros œuvre", "Structural works"),
            "payee": "Entreprise BTP Khémisset SARL",
            "reference": _both("Décompte n° 2", "Payment certificate 2"),
            "contract_id": "M-01/2026",
            "budget_line": "TRV-01",
            "retention": 98_050.05,
            "description": _both("Décompte provisoire n° 2", "Interim payment 2"),
        },
    ],
    "budget": [
        {
            "line_id": "ETU-01",
            "name": _both("Études et maîtrise d'œuvre", "Design and site supervision"),
            "category": _both("Études", "Studies"),
            "amount": 950_000.00,
        },
        {
            "line_id": "TRV-01",
            "name": _both("Travaux de construction", "Construction works"),
            "category": _both("Travaux", "Works"),
            "lot": _both("Lot unique", "Single lot"),
            "amount": 12_800_000.00,
        },
    ],
    "contracts": [
        {
            "contract_id": "M-01/2026",
            "contract_type": _both("Marché", "Contract"),
            "payee": "Entreprise BTP Khémisset SARL",
            "budget_line": "TRV-01",
            "amount": 12_150_000.00,
            "signed_date": _d(2026, 2, 5),
            "object": _both("Travaux de construction du Technopark", "Technopark construction"),
        },
        {
            "contract_id": "AV-01/2026",
            "contract_type": _both("Avenant", "Amendment"),
            "parent_id": "M-01/2026",
            "payee": "Entreprise BTP Khémisset SARL",
            "budget_line": "TRV-01",
            "amount": 640_000.00,
            "signed_date": _d(2026, 9, 15),
            "object": _both("Avenant n° 1 : travaux supplémentaires", "Amendment 1: extra works"),
        },
    ],
    "floor-areas": [
        {
            "space_id": "B-101",
            "name": _both("Bureau start-up 1", "Start-up office 1"),
            "space_type": _both("Bureau", "Office"),
            "category": _both("Espaces start-up", "Start-up spaces"),
            "area_m2": 24.5,
            "level": _both("RDC", "Ground floor"),
            "seats": 4,
            "occupant": "Atlas Digital",
        },
        {
            "space_id": "C-201",
            "name": _both("Salle de réunion", "Meeting room"),
            "space_type": _both("Salle de réunion", "Meeting room"),
            "category": _both("Espaces communs", "Shared spaces"),
            "area_m2": 32.0,
            "level": _both("R+1", "First floor"),
            "seats": 12,
        },
    ],
}


def example_value(kind: str, row: int, column: str, lang: str) -> Any:
    """The example value of ``column`` in example ``row`` (0 or 1), ``None`` when blank."""
    value = EXAMPLES[kind][row].get(column)
    if isinstance(value, dict):
        return value[normalise_lang(lang)]
    return value


def template_file_name(kind: str, lang: str = "fr") -> str:
    """``modele_planning.xlsx`` / ``template_schedule.xlsx``."""
    return translate(f"template.file_name.{kind}", lang) + ".xlsx"


def build_template(kind: str, lang: str = "fr") -> bytes:
    """A blank xlsx for ``kind``: title, headers the loaders recognise, two example rows,
    number formats, frozen header, and an "Instructions" sheet describing every column. The
    registers' template is their workbook of three sheets, with one example row each."""
    if kind == REGISTERS_TEMPLATE:
        from exports.registers_file import example_registers, registers_workbook

        return registers_workbook(example_registers(lang), lang)
    if kind not in TEMPLATE_KINDS:
        raise ValueError(f"unknown template kind {kind!r}; expected one of {TEMPLATE_KINDS}")
    lang = normalise_lang(lang)
    schema = SCHEMAS[kind]
    workbook = Workbook()
    data_sheet = workbook.active
    data_sheet.title = translate(f"template.sheet.{kind}", lang)
    _write_data_sheet(data_sheet, schema, lang)
    _write_instructions(
        workbook.create_sheet(translate("template.instructions", lang)), schema, lang
    )
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_format(column: Column) -> str | None:
    return NUMBER_COLUMN_FORMATS.get(column.name) or NUMBER_FORMATS.get(column.type)


def _write_data_sheet(sheet: Worksheet, schema: TableSchema, lang: str) -> None:
    width = len(schema.columns)
    last_letter = get_column_letter(width)

    sheet.cell(TITLE_ROW, 1, translate(f"template.title.{schema.kind}", lang))
    sheet.cell(TITLE_ROW, 1).font = Font(bold=True, size=14, color=TEAL)
    sheet.cell(HINT_ROW, 1, translate("template.hint", lang))
    sheet.cell(HINT_ROW, 1).font = Font(italic=True, size=9, color="5A6B70")
    sheet.cell(HINT_ROW, 1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(f"A{TITLE_ROW}:{last_letter}{TITLE_ROW}")
    sheet.merge_cells(f"A{HINT_ROW}:{last_letter}{HINT_ROW}")
    sheet.row_dimensions[TITLE_ROW].height = 24
    sheet.row_dimensions[HINT_ROW].height = 30
    sheet.row_dimensions[HEADER_ROW].height = 32

    for position, column in enumerate(schema.columns, start=1):
        header = translate(f"column.{column.name}", lang)
        cell = sheet.cell(HEADER_ROW, position, header)
        cell.border = _BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        if column.required:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", start_color=TEAL)
        else:
            cell.font = Font(color="1F2D30")
            cell.fill = PatternFill("solid", start_color=PALE_GREY)

        number_format = _cell_format(column)
        for offset in range(len(EXAMPLES[schema.kind])):
            value = example_value(schema.kind, offset, column.name, lang)
            data_cell = sheet.cell(FIRST_DATA_ROW + offset, position, value)
            data_cell.border = _BOX
            if number_format:
                data_cell.number_format = number_format
        sheet.column_dimensions[get_column_letter(position)].width = max(14, len(header) + 4)
        if column.name in ("name", "description", "object", "comment", "payee"):
            sheet.column_dimensions[get_column_letter(position)].width = 34

    # Formats reach well below the examples so typed-in rows get them too.
    for position, column in enumerate(schema.columns, start=1):
        number_format = _cell_format(column)
        if not number_format:
            continue
        for row in range(FIRST_DATA_ROW + len(EXAMPLES[schema.kind]), FIRST_DATA_ROW + 500):
            sheet.cell(row, position).number_format = number_format

    for column in schema.columns:
        if column.type == "bool":
            yes_no = f'"{translate("template.yes", lang)},{translate("template.no", lang)}"'
            validation = DataValidation(type="list", formula1=yes_no, allow_blank=True)
            letter = get_column_letter(schema.names.index(column.name) + 1)
            validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + 499}")
            sheet.add_data_validation(validation)

    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1


def _example_text(kind: str, column: Column, lang: str) -> str:
    value = example_value(kind, 0, column.name, lang)
    if value is None:
        value = example_value(kind, 1, column.name, lang)
    if value is None:
        return ""
    if column.type == "date":
        return format_date(value, lang)
    if column.type == "money":
        return format_money(value, lang, currency="DH")
    if column.type == "percent":
        return format_percent(value, lang, decimals=0)
    if column.type == "number":
        decimals = 0 if float(value).is_integer() else 2
        return format_number(value, lang, decimals)
    return str(value)


def _write_instructions(sheet: Worksheet, schema: TableSchema, lang: str) -> None:
    sheet.cell(1, 1, translate(f"template.title.{schema.kind}", lang))
    sheet.cell(1, 1).font = Font(bold=True, size=14, color=TEAL)
    notes = [
        translate("template.instructions_intro", lang),
        translate("template.instructions_required", lang),
        translate("template.instructions_aliases", lang),
        translate("template.instructions_formats", lang),
    ]
    for offset, text in enumerate(notes, start=2):
        sheet.cell(offset, 1, text).alignment = Alignment(wrap_text=False)

    header_row = len(notes) + 3
    headers = [
        translate("template.instructions_header.column", lang),
        translate("template.instructions_header.required", lang),
        translate("template.instructions_header.type", lang),
        translate("template.instructions_header.aliases", lang),
        translate("template.instructions_header.example", lang),
    ]
    for position, text in enumerate(headers, start=1):
        cell = sheet.cell(header_row, position, text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", start_color=TEAL)
        cell.border = _BOX
        cell.alignment = Alignment(vertical="center")

    for offset, column in enumerate(schema.columns, start=1):
        row = header_row + offset
        values = [
            translate(f"column.{column.name}", lang),
            translate("template.yes" if column.required else "template.no", lang),
            translate(f"template.type.{column.type}", lang),
            ", ".join(column.aliases),
            _example_text(schema.kind, column, lang),
        ]
        for position, value in enumerate(values, start=1):
            cell = sheet.cell(row, position, value)
            cell.border = _BOX
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.required:
                cell.fill = PatternFill("solid", start_color=PALE_TEAL)
                if position == 1:
                    cell.font = Font(bold=True)

    for letter, width in zip("ABCDE", (26, 13, 26, 70, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"A{header_row + 1}"
