"""The stakeholders' workbook printed by LibreOffice (the way a finance officer prints it, or
mails it as PDF): no amount as ``###``, contract numbers and payees whole, the Synthèse sheet
on two pages with its charts whole, the Planning one page wide over several pages at a size
one reads, every page headed with the project and the status date."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from exports.workbook import build_workbook
from i18n import translate
from loaders import load_spending
from tests.exports.test_workbook import DATA, SOURCES, sample_situation

HEADER = "Technopark de Khémisset — situation au 20/11/2026"
CONTRACT = re.compile(r"\d{2}/\d{4}/AREP-RSK(?:/AV\d+)?")


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of ``pdf`` (pdftotext, reading order), whitespace collapsed so
    that a wrapped cell reads as one line."""
    count = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(pdf))).group(1))
    return [
        " ".join(_run("pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-").split())
        for n in range(1, count + 1)
    ]


def _run(*command: str) -> str:
    assert shutil.which(command[0]), f"{command[0]} is required: apt-get install poppler-utils"
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout


def print_with_libreoffice(content: bytes, folder: Path, name: str) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is required: ./scripts/run_tests.sh installs it"
    source = folder / f"{name}.xlsx"
    source.write_bytes(content)
    result = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile",
         "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        capture_output=True, timeout=240,
    )  # fmt: skip
    pdf = folder / f"{name}.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr.decode()
    return pdf


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
def printed(workbook_bytes, tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("print")
    return pdf_pages(print_with_libreoffice(workbook_bytes, folder, "classeur"))


def sheet_pages(pages: list[str], title: str, next_title: str | None) -> list[str]:
    """The pages of a sheet: from the one holding its title to the one before the next
    sheet's title (sheets print in order)."""
    first = next(n for n, text in enumerate(pages) if title in text)
    if next_title is None:
        return pages[first:]
    last = next(n for n, text in enumerate(pages) if n > first and next_title in text)
    return pages[first:last]


def tr(key: str) -> str:
    return translate(key, "fr")


def test_no_amount_prints_as_hashes(printed):
    hashes = [n + 1 for n, text in enumerate(printed) if "###" in text]
    assert hashes == [], f"### on pages {hashes}"


def test_the_main_works_contract_amounts_print_whole(printed, book):
    """The Dépenses sheet's contract rules hold the main works contract's initial amount
    (the cell the issue saw as ###): every amount of that table is printed, in LibreOffice's
    own number format (its locale's separators)."""
    sheet = book["Dépenses"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "N° marché")
    initial = next(
        sheet.cell(r, 3).value
        for r in range(row + 1, sheet.max_row + 1)
        if sheet.cell(r, 1).value == "07/2026/AREP-RSK"
    )
    assert initial == 11_916_625.40
    assert re.search(amount_pattern(initial), " ".join(printed))


def amount_pattern(value: float) -> str:
    """An amount as LibreOffice prints it in ``#,##0.00 "MAD"``, whatever its locale's
    separators (11,916,625.40 MAD in English, 11 916 625,40 MAD in French)."""
    whole, cents = f"{value:,.2f}".split(".")
    return r"[\s,.\u00a0\u202f]".join(whole.split(",")) + r"[.,]" + cents + " MAD"


@pytest.fixture(scope="module")
def book(workbook_bytes):
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes))


def test_contract_numbers_and_payees_print_whole(printed, book):
    """Every contract number and every payee the workbook holds is printed whole (a wrapped
    payee reads on, a contract number is never split)."""
    values = {
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }
    contracts = {number for value in values for number in CONTRACT.findall(value)}
    payees = set(load_spending(DATA / "suivi_financier.xlsx").frame["payee"])
    assert "07/2026/AREP-RSK" in contracts and "BC 03/2025/AREP-RSK" in values
    assert "Sté Atlas Bâtiment SARL" in payees
    text = " ".join(printed)
    missing = [v for v in sorted(contracts | payees | {"BC 03/2025/AREP-RSK"}) if v not in text]
    assert missing == []


def test_summary_sheet_on_two_pages_with_its_charts_whole(printed):
    """Page 1: the ratings and the headline figures; page 2: the late tasks, the alerts and
    the three charts, each with its axis labels (a chart cut by a page break loses them)."""
    summary = sheet_pages(printed, "Appréciation", tr("export.planning.title"))
    assert len(summary) <= 2
    first, second = summary
    assert "Décision nécessaire : délais." in first
    assert re.search(amount_pattern(14_769_823.42), first)  # the forecast final cost
    assert tr("briefing.late_title") in second and tr("briefing.alerts_title") in second
    for title in ("briefing.chart_progress", "briefing.chart_spending", "briefing.chart_areas"):
        assert tr(title) in second
    assert "Prévu (référence)" in second and "Payé (brut)" in second  # legend, last bar
    assert "Espaces du programme" in second  # the pie's label


def test_planning_one_page_wide_over_several_pages_readable(printed, workbook_bytes, tmp_path):
    """Every task id is printed, the 69 tasks over several pages (not squeezed on one), in
    type of at least 6 points (the issue's print had 5)."""
    planning = sheet_pages(printed, tr("export.planning.title"), "Dépenses —")
    assert len(planning) >= 3
    text = " ".join(planning)
    missing = [f"T{n:02d}" for n in range(1, 70) if f"T{n:02d}" not in text]
    assert missing == []
    pdf = print_with_libreoffice(workbook_bytes, tmp_path, "classeur")
    first = _run("pdftotext", "-bbox", "-f", "3", "-l", "3", str(pdf), "-")
    heights = [
        float(y1) - float(y0)
        for y0, y1 in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">T0\d<', first)
    ]
    assert heights and min(heights) >= 6.5  # a glyph box: about 6.2-point type


def test_long_tables_repeat_their_header_on_each_page(printed, book):
    assert book["Planning"].print_title_rows == "$4:$4"
    planning = sheet_pages(printed, tr("export.planning.title"), "Dépenses —")
    assert all("Fin prévisionnelle" in page and "Prédécesseurs" in page for page in planning)
    ledger = sheet_pages(printed, tr("spending.ledger_title"), "Programme des surfaces")
    assert len(ledger) >= 2 and all("N° décompte" in page for page in ledger)


def test_every_page_is_headed_with_the_project_and_the_status_date(printed):
    """The chart-data sheet too (its header was its own title, without the date)."""
    assert all(page.startswith(HEADER) for page in printed)
    data = sheet_pages(printed, tr("export.summary.chart_data"), None)
    assert data and all(page.startswith(HEADER) for page in data)


def test_the_english_workbook_prints_no_hashes_either(situation, tmp_path):
    pages = pdf_pages(
        print_with_libreoffice(build_workbook(situation, SOURCES, [], "en"), tmp_path, "book")
    )
    assert [n + 1 for n, text in enumerate(pages) if "###" in text] == []
    summary = sheet_pages(pages, "Assessment", translate("export.planning.title", "en"))
    assert len(summary) == 2
