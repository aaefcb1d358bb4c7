"""Blank import templates: they load back through their own loader, in both languages."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from exports.templates import (
    EXAMPLES,
    FIRST_DATA_ROW,
    HEADER_ROW,
    MONEY_FORMAT,
    TEMPLATE_KINDS,
    build_template,
    template_file_name,
)
from i18n import translate
from loaders import LOADERS
from loaders.schema import SCHEMAS

LANGS = ("fr", "en")
CASES = [(kind, lang) for kind in TEMPLATE_KINDS for lang in LANGS]

#: (kind, example row, canonical column, value the loader must return)
EXPECTED_VALUES = [
    ("schedule", 0, "start", pd.Timestamp(2026, 2, 16)),
    ("schedule", 1, "finish", pd.Timestamp(2026, 4, 10)),
    ("schedule", 0, "percent_complete", 100.0),
    ("schedule", 1, "percent_complete", 45.0),
    ("schedule", 0, "milestone", True),
    ("schedule", 1, "predecessors", "T01"),
    ("spending", 1, "amount", 980_500.50),
    ("spending", 0, "retention", 125_000.00),
    ("spending", 0, "paid_date", pd.Timestamp(2026, 5, 29)),
    ("spending", 0, "contract_id", "M-01/2026"),
    ("budget", 1, "amount", 12_800_000.00),
    ("budget", 0, "line_id", "ETU-01"),
    ("contracts", 0, "amount", 12_150_000.00),
    ("contracts", 1, "parent_id", "M-01/2026"),
    ("contracts", 1, "is_amendment", True),
    ("contracts", 1, "signed_date", pd.Timestamp(2026, 9, 15)),
    ("floor-areas", 0, "area_m2", 24.5),
    ("floor-areas", 1, "seats", 12.0),
    ("floor-areas", 1, "space_id", "C-201"),
]


def open_template(kind: str, lang: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(build_template(kind, lang)))


@pytest.mark.parametrize(("kind", "lang"), CASES)
def test_headers_are_the_translated_column_labels_with_required_ones_bold(kind, lang):
    sheet = open_template(kind, lang).worksheets[0]
    schema = SCHEMAS[kind]
    headers = [cell.value for cell in sheet[HEADER_ROW]][: len(schema.columns)]
    assert headers == [translate(f"column.{c.name}", lang) for c in schema.columns]
    for position, column in enumerate(schema.columns, start=1):
        assert sheet.cell(HEADER_ROW, position).font.bold is column.required, column.name
    assert sheet.cell(1, 1).value == translate(f"template.title.{kind}", lang)
    assert sheet.freeze_panes == f"A{FIRST_DATA_ROW}"


@pytest.mark.parametrize(("kind", "lang"), CASES)
def test_template_loads_back_with_its_two_example_rows(kind, lang):
    result = LOADERS[kind](build_template(kind, lang), lang=lang)
    assert len(result.frame) == 2
    assert result.header_row == HEADER_ROW
    assert result.sheet == translate(f"template.sheet.{kind}", lang)
    assert result.frame["source_row"].tolist() == [FIRST_DATA_ROW, FIRST_DATA_ROW + 1]
    assert result.warnings == []
    # every column of the schema is recognised from its translated header
    assert set(result.columns_found) == set(SCHEMAS[kind].names)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("kind", "row", "column", "expected"), EXPECTED_VALUES)
def test_example_values_come_back_typed(kind, row, column, expected, lang):
    frame = LOADERS[kind](build_template(kind, lang), lang=lang).frame
    assert frame.at[row, column] == expected


def test_example_text_follows_the_language():
    french = LOADERS["schedule"](build_template("schedule", "fr")).frame
    english = LOADERS["schedule"](build_template("schedule", "en"), lang="en").frame
    assert french.at[1, "name"] == "Terrassements généraux"
    assert english.at[1, "name"] == "General earthworks"


@pytest.mark.parametrize(("kind", "lang"), CASES)
def test_cells_carry_date_money_and_percent_formats(kind, lang):
    sheet = open_template(kind, lang).worksheets[0]
    schema = SCHEMAS[kind]
    for position, column in enumerate(schema.columns, start=1):
        number_format = sheet.cell(FIRST_DATA_ROW, position).number_format
        if column.type == "date":
            assert number_format == "dd/mm/yyyy", column.name
        elif column.type == "money":
            assert number_format == MONEY_FORMAT, column.name
        elif column.type == "percent":
            assert number_format == "0%", column.name
    date_columns = [p for p, c in enumerate(schema.columns, start=1) if c.type == "date"]
    for position in date_columns:
        value = sheet.cell(FIRST_DATA_ROW, position).value
        assert value is None or isinstance(value, dt.datetime)


@pytest.mark.parametrize(("kind", "lang"), CASES)
def test_instructions_sheet_lists_every_column_with_its_aliases(kind, lang):
    workbook = open_template(kind, lang)
    assert workbook.sheetnames[1] == "Instructions"
    rows = list(workbook["Instructions"].iter_rows(values_only=True))
    by_header = {row[0]: row for row in rows if row and row[0]}
    required_word = translate("template.yes", lang)
    for column in SCHEMAS[kind].columns:
        row = by_header[translate(f"column.{column.name}", lang)]
        assert (row[1] == required_word) is column.required, column.name
        assert row[2] == translate(f"template.type.{column.type}", lang)
        assert all(alias in row[3] for alias in column.aliases), column.name


def test_instructions_show_examples_in_the_readers_format():
    rows = list(open_template("spending", "fr")["Instructions"].iter_rows(values_only=True))
    by_header = {row[0]: row for row in rows if row and row[0]}
    assert by_header["Date d'émission"][4] == "31/03/2026"
    assert by_header["Montant TTC"][4].replace("\u202f", " ") == "1 250 000,00\u00a0DH"


def test_examples_only_name_canonical_columns():
    for kind, rows in EXAMPLES.items():
        assert len(rows) == 2
        for row in rows:
            assert set(row) <= set(SCHEMAS[kind].names), kind


def test_file_names_are_xlsx_in_the_users_language():
    assert template_file_name("schedule", "fr") == "modele_planning.xlsx"
    assert template_file_name("floor-areas", "en") == "template_floor_areas.xlsx"


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown template kind"):
        build_template("invoices")
