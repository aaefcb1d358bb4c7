"""Tables written in bulk (``exports.xlsx_tables``), read back with openpyxl from workbooks of
thousands of rows: every value, every number format, every highlighted row where the spec
puts it, in a streamed (constant-memory) workbook as in an in-memory one; the streamed rows
are the very XML xlsxwriter writes for the same cells; the stakeholders' workbook holds the
ledger of thousands of décomptes the page shows."""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from exports import xlsx_tables
from exports.xlsx_tables import (
    HIGHLIGHT_FILL,
    NUMBER_FORMATS,
    Col,
    Formats,
    excel_kind,
    table_name,
    write_table,
)

ROWS = 5_000
TEXTS = [
    '=HYPERLINK("http://example.invalid","clic")',  # a formula typed in an imported file
    "+33 612 34 56",
    "-moins",
    "@SUM(A1:A9)",
    "Entreprise Atlas & Fils <BTP>",  # XML's own characters
    "  espaces autour  ",  # kept as typed
    "",  # an empty text is an empty text, not a blank
    "émoji 🏗️ et arabe عقد",
]
#: what Excel reads back through its own escapes (``_xHHHH_``), openpyxl not: held to
#: xlsxwriter's own XML rather than read back
ESCAPED = [
    "cloche\x07 et _x0041_",  # a control character, and what looks like its escape
    "non-caractère \ufffe",
    "long " + "x" * 40_000,  # cut at Excel's 32 767 characters
]


def ledger(rows: int = ROWS, texts: list[str] = TEXTS) -> pd.DataFrame:
    """Décomptes whose every column has its traps: a missing, NaN or infinite amount, dates
    with gaps (one before Excel's 1900 leap-year bug), texts that look like formulas, a
    number typed in a text column, a missing flag."""
    index = np.arange(rows)
    amount = np.round(index * 1234.5678 - 100_000, 2)
    amount[index % 7 == 3] = np.nan
    amount[index % 11 == 5] = np.inf
    dates = pd.Series(pd.Timestamp("2026-01-05") + pd.to_timedelta(index % 400, unit="D"))
    dates[index % 13 == 4] = pd.NaT
    dates[1] = pd.Timestamp("1900-02-10")
    text = pd.Series([texts[i % len(texts)] for i in index], dtype="str")
    text[index % 17 == 6] = None
    mixed = pd.Series([f"DP-{i}" if i % 5 else i for i in index], dtype=object)
    paid = pd.Series([bool(i % 3) if i % 19 else None for i in index], dtype=object)
    return pd.DataFrame(
        {
            "reference": mixed,
            "payee": text,
            "date": dates,
            "amount": amount,
            "rate": np.where(index % 23 == 7, np.nan, index / rows),
            "days": (index % 90).astype(float),
            "paid": paid,
        }
    )


COLUMNS = [
    Col("reference", "Référence"),
    Col("payee", "Titulaire", width=18),
    Col("date", "Date", "date"),
    Col("amount", "Montant", "money"),
    Col("rate", "Taux", "percent", missing_text="sans objet"),
    Col("days", "Jours", "int"),
    Col("paid", "Payé", "bool"),
]
TOP = 3  # the header's row


def missing(value) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float):
        return not math.isfinite(value)
    return not isinstance(value, str) and bool(pd.isna(value))


def expected_cell(value, column: Col):
    """What openpyxl reads from the cell of ``value``: None for a blank (a missing value),
    the column's missing text when it has one."""
    if missing(value):
        return column.missing_text
    if column.kind == "date":
        return pd.Timestamp(value).to_pydatetime()
    if column.kind == "bool":
        return "Oui" if value else "Non"
    if column.kind == "text":
        return str(value)
    return float(value)


def built(streamed: bool, frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    options = {"constant_memory": True} if streamed else {"in_memory": True}
    workbook = xlsxwriter.Workbook(buffer, options)
    formats = Formats(workbook)
    sheet = formats.add_sheet("Décomptes")
    sheet.write_string(0, 0, "Décomptes", formats.title)
    highlight = frame["amount"] < 0
    write_table(sheet, formats, TOP, frame, COLUMNS, highlight=highlight)
    formats.finish()
    workbook.close()
    return buffer.getvalue()


@pytest.mark.parametrize("streamed", [True, False], ids=["constant-memory", "in-memory"])
def test_every_cell_of_a_long_table_reads_back_typed_and_formatted(streamed):
    frame = ledger()
    sheet = openpyxl.load_workbook(io.BytesIO(built(streamed, frame)))["Décomptes"]
    assert [c.value for c in sheet[TOP + 1]] == [c.header for c in COLUMNS]
    assert sheet.max_row == TOP + 1 + ROWS
    rows = sheet.iter_rows(min_row=TOP + 2, max_row=TOP + 1 + ROWS)
    for index, row in enumerate(rows):
        negative = frame["amount"].iloc[index] < 0
        for column, cell in zip(COLUMNS, row, strict=True):
            value = frame[column.source].iloc[index]
            assert cell.value == expected_cell(value, column), (index, column.source, value)
            if isinstance(cell.value, str):
                assert cell.data_type == "s", (index, column.source)  # text, never a formula
            assert cell.number_format == NUMBER_FORMATS.get(column.kind, "General")
            fill = cell.fill.fgColor.rgb if cell.fill.fill_type else None
            assert fill == ("FF" + HIGHLIGHT_FILL[1:] if negative else None), (index, fill)


def test_no_text_becomes_a_formula_and_a_blank_is_no_nan():
    content = built(True, ledger())
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    assert "nan" not in xml.lower().replace("inlinestr", "") and "inf<" not in xml.lower()
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Décomptes"]
    formula = [c for c in sheet["B"] if c.value == TEXTS[0]]
    assert len(formula) > 100 and {c.data_type for c in formula} == {"s"}


def test_streamed_rows_are_the_xml_xlsxwriter_writes(monkeypatch):
    """The rows ``RowStream`` writes straight into the sheet are, byte for byte, what
    xlsxwriter writes cell by cell for the same table: heights, formats, escapes, numbers."""
    frame = ledger(1_000, TEXTS + ESCAPED)
    streamed = built(True, frame)
    monkeypatch.setattr(xlsx_tables.RowStream, "fits", classmethod(lambda cls, sheet: False))
    by_xlsxwriter = built(True, frame)

    def sheet_xml(content: bytes) -> str:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return archive.read("xl/worksheets/sheet1.xml").decode()

    assert sheet_xml(streamed) == sheet_xml(by_xlsxwriter)


def test_a_text_looking_like_rich_text_markup_stays_text():
    frame = pd.DataFrame({"payee": ["<r><t>injecté</t></r>"] * 3}, dtype="str")
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    formats = Formats(workbook)
    sheet = formats.add_sheet("Feuille")
    write_table(sheet, formats, 0, frame, [Col("payee", "Titulaire")])
    formats.finish()
    workbook.close()
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["Feuille"]
    assert [sheet.cell(row, 1).value for row in (2, 3, 4)] == ["<r><t>injecté</t></r>"] * 3


def test_the_workbook_holds_a_ledger_of_thousands_of_rows_as_the_page_shows_it():
    """The stakeholders' workbook of the sample with 6 000 décomptes: its ledger, retention
    and late-payment tables read back equal to the specs the page draws, a blank where a
    value is missing, and the dates and amounts in their formats."""
    from exports.workbook import build_workbook
    from loaders import load_spending
    from scripts.bench_export import big_ledger
    from tests.exports.test_workbook import DATA, SOURCES, sample_situation
    from tests.views.readback import sheet_values, table_values, workbook_table
    from views.spending import spending_view

    spending = big_ledger(load_spending(DATA / "suivi_financier.xlsx").frame, 6_000)
    spending.loc[3, "payee"] = "=1+1"
    situation = sample_situation(spending)
    content = build_workbook(situation, SOURCES, [], "fr", generated_at=dt.datetime(2026, 11, 26))
    view = spending_view(situation.spending, situation.settings, "fr")
    for table in (view.ledger, view.retention, view.overdue):
        read = workbook_table(content, table.key)
        assert list(read.columns) == table.labels
        assert sheet_values(read) == table_values(table), table.key
    assert len(view.ledger) == 6_000
    book = openpyxl.load_workbook(io.BytesIO(content))
    payees = [c for row in book["Dépenses"].iter_rows() for c in row if c.value == "=1+1"]
    assert payees and {c.data_type for c in payees} == {"s"}
    ((sheet_name, reference),) = list(book.defined_names[table_name(view.ledger.key)].destinations)
    header, first, *_ = book[sheet_name][reference.replace("$", "")]
    kinds = [excel_kind(column.kind) for column in view.ledger.columns]
    assert [cell.number_format for cell in first] == [
        NUMBER_FORMATS.get(kind, "General") for kind in kinds
    ]
