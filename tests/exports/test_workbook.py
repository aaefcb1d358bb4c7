"""The stakeholders' workbook, read back with openpyxl and opened by LibreOffice: the values,
formats, charts and print setup a finance officer checks, equal to the on-screen figures."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from exports.workbook import SourceInfo, build_workbook
from loaders import (
    load_actions,
    load_budget_lines,
    load_contracts,
    load_decisions,
    load_floor_areas,
    load_project,
    load_risks,
    load_schedule,
    load_spending,
)
from tracking.governance import Registers
from tracking.situation import compute_situation

DATA = Path(__file__).resolve().parents[2] / "data"
STATUS = dt.date(2026, 11, 20)


def sample_situation(spending=None):
    """The sample as the app computes it: its tables and its register as at 20/11/2026."""
    settings = load_project(DATA / "project.toml")
    finance = DATA / "suivi_financier.xlsx"
    registers = DATA / "registres_copil.xlsx"
    return compute_situation(
        settings,
        STATUS,
        schedule=load_schedule(DATA / "planning_travaux.xlsx").frame,
        budget=load_budget_lines(finance).frame,
        contracts=load_contracts(finance).frame,
        spending=load_spending(finance).frame if spending is None else spending,
        floor_areas=load_floor_areas(DATA / "programme_surfaces.xlsx").frame,
        registers=Registers(
            load_decisions(registers).frame,
            load_actions(registers).frame,
            load_risks(registers).frame,
        ),
    )


SOURCES = [
    SourceInfo(
        "schedule",
        "planning_travaux.xlsx",
        "a" * 64,
        dt.datetime(2026, 11, 20, 17),
        "échantillon",
        69,
        STATUS,
    )
]


@pytest.fixture(scope="module")
def situation():
    return sample_situation()


@pytest.fixture(scope="module")
def workbook_bytes(situation):
    warnings = load_spending(DATA / "suivi_financier.xlsx").warnings
    return build_workbook(
        situation, SOURCES, warnings, "fr", generated_at=dt.datetime(2026, 11, 26, 8, 0)
    )


@pytest.fixture(scope="module")
def book(workbook_bytes):
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes))


def find_row(sheet, column: int, text: str) -> int:
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row, column).value == text:
            return row
    raise AssertionError(f"{text!r} not found in column {column} of {sheet.title}")


def test_sheets_in_order(book):
    assert book.sheetnames == [
        "Synthèse",
        "Planning",
        "Dépenses",
        "Surfaces",
        "Décisions",
        "Actions",
        "Risques",
        "Contrôles",
        "Sources",
        "Données des graphiques",
    ]


def test_a_sheet_per_register_holds_the_registers_page_table(book):
    """The decision log as the Registres page draws it (``views.governance``): the words of the
    reader's language, dates as dates, the overdue decision D-04 highlighted."""
    sheet = book["Décisions"]
    assert sheet["A1"].value == "Relevé de décisions"
    header = find_row(sheet, 1, "N° décision")
    labels = [sheet.cell(header, c).value for c in range(1, 11)]
    assert labels[:4] == ["N° décision", "Date de la séance", "Instance", "Question"]
    d04 = find_row(sheet, 1, "D-04")
    status = labels.index("Statut") + 1
    assert sheet.cell(d04, status).value == "À décider"
    assert sheet.cell(d04, labels.index("Échéance") + 1).value.date() == dt.date(2026, 11, 18)
    assert sheet.cell(d04, 1).fill.fgColor.rgb != sheet.cell(d04 - 1, 1).fill.fgColor.rgb
    risks = book["Risques"]
    first = find_row(risks, 1, "N° risque") + 1
    assert risks.cell(first, 1).value == "R-01"  # the most critical first: 4 × 4 = 16
    assert risks.cell(first, 8).value == 16


def test_summary_ratings_with_their_colour_and_reason(book):
    sheet = book["Synthèse"]
    row = find_row(sheet, 1, "Délais")
    assert sheet.cell(row, 2).value == "Rouge"
    assert sheet.cell(row, 2).fill.fgColor.rgb.endswith("C0392B")
    assert "18/01/2027" in sheet.cell(row, 3).value and "33 jours" in sheet.cell(row, 3).value
    overall = find_row(sheet, 1, "Appréciation générale")
    assert sheet.cell(overall, 2).value == "Rouge"


def test_summary_figures_are_typed_cells(book, situation):
    sheet = book["Synthèse"]
    finish = find_row(sheet, 1, "Fin prévisionnelle")
    assert sheet.cell(finish, 2).value == dt.datetime(2027, 1, 18)
    assert sheet.cell(finish, 2).number_format == "dd/mm/yyyy"
    cost = find_row(sheet, 1, "Coût final prévu")
    assert sheet.cell(cost, 2).value == pytest.approx(situation.spending.forecast_at_completion)
    assert "MAD" in sheet.cell(cost, 2).number_format


def test_planning_rows_dates_flags_and_formats(book):
    sheet = book["Planning"]
    header = 4
    headers = [c.value for c in sheet[header]]
    assert headers[:3] == ["N°", "Lot", "Tâche"]
    assert sheet.freeze_panes == "D5"
    assert sheet.auto_filter.ref.startswith("A4:")
    ids = [sheet.cell(r, 1).value for r in range(header + 1, header + 70)]
    assert len(set(ids)) == 69 and ids[-1] == "T69"
    assert sheet.cell(header + 70, 1).value is None  # the task table ends there
    row = header + 1 + ids.index("T69")
    forecast_col = headers.index("Fin prévisionnelle") + 1
    late_col = headers.index("En retard") + 1
    assert sheet.cell(row, forecast_col).value == dt.datetime(2027, 1, 18)
    assert sheet.cell(row, forecast_col).number_format == "dd/mm/yyyy"
    assert sheet.cell(row, late_col).value == "Oui"
    assert sheet.cell(row, 1).fill.fgColor.rgb.endswith("FDEBD0")  # late rows highlighted
    delay_col = headers.index("Retard (j calendaires)") + 1
    assert sheet.cell(row, delay_col).value == 33


def test_spending_totals_equal_the_page_figures(book, situation):
    sheet = book["Dépenses"]
    total = find_row(sheet, 2, "Total")
    headers = [c.value for c in sheet[4]]
    engaged = sheet.cell(total, headers.index("Engagé") + 1).value
    issued = sheet.cell(total, headers.index("Émis") + 1).value
    assert engaged == pytest.approx(situation.spending.totals.engaged)
    assert engaged == pytest.approx(14_289_823.42)
    assert issued == pytest.approx(11_791_264.32)
    tr01 = find_row(sheet, 1, "TR-01")
    assert sheet.cell(tr01, 1).fill.fgColor.rgb.endswith("FDEBD0")  # over its budget


def test_surfaces_conformity(book):
    sheet = book["Surfaces"]
    offices = find_row(sheet, 1, "Bureaux start-up")
    assert (sheet.cell(offices, 2).value, sheet.cell(offices, 3).value) == (34, 34)
    gross = find_row(sheet, 1, "= Surface brute")
    assert sheet.cell(gross, 2).value == 2027


def test_sources_sheet(book):
    sheet = book["Sources"]
    assert sheet.cell(4, 2).value == dt.datetime(2026, 11, 20)
    row = find_row(sheet, 2, "planning_travaux.xlsx")
    assert sheet.cell(row, 3).value == "a" * 64


def test_native_charts_not_pictures(workbook_bytes):
    archive = zipfile.ZipFile(io.BytesIO(workbook_bytes))
    charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
    kinds = " ".join(archive.read(name).decode() for name in charts)
    assert len(charts) == 3
    assert "<c:lineChart>" in kinds and "<c:barChart>" in kinds and "<c:pieChart>" in kinds
    assert not [name for name in archive.namelist() if name.startswith("xl/media/")]


def test_print_setup(book):
    sheet = book["Planning"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert "Technopark de Khémisset" in sheet.oddHeader.left.text
    assert "&P" in sheet.oddFooter.right.text


def test_text_from_imported_files_never_becomes_a_formula(tmp_path):
    ledger = load_spending(DATA / "suivi_financier.xlsx").frame
    payee = '=HYPERLINK("http://example.invalid","clic")'
    ledger = ledger.assign(payee=ledger["payee"].astype(object))
    ledger.loc[0, "payee"] = payee
    ledger.loc[1, "description"] = "@SUM(A1:A9)"
    data = build_workbook(
        sample_situation(spending=ledger.astype({"payee": "str"})), SOURCES, [], "fr"
    )
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            assert "<f>" not in archive.read(name).decode(), name
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Dépenses"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == payee]
    assert cells and all(c.data_type == "s" for c in cells)


def test_english_workbook(situation):
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(situation, SOURCES, [], "en")))
    assert book.sheetnames[:3] == ["Summary", "Schedule", "Spending"]
    assert book["Summary"].cell(find_row(book["Summary"], 1, "Time"), 2).value == "Red"


def test_libreoffice_opens_it_without_repair(workbook_bytes, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is required: ./scripts/run_tests.sh installs it"
    source = tmp_path / "classeur.xlsx"
    source.write_bytes(workbook_bytes)
    result = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, timeout=240,
    )  # fmt: skip
    pdf = tmp_path / "classeur.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr.decode()
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes())
    assert len(pages) >= 6  # every sheet printed
