"""The weekly review's workbook read back with openpyxl: typed cells, dd/mm/yyyy dates, bold
frozen headers with a filter, and imported text that looks like a formula kept as text."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd

from exports.review_workbook import ChangeSheet, SummaryRow, SummarySheet, changes_workbook
from views.spec import Column, make_table

ROOT = Path(__file__).resolve().parents[2]

FORMULA_PAYEE = '=HYPERLINK("http://exemple.invalid","Sté Atlas")'


def ledger_sheet() -> ChangeSheet:
    frame = pd.DataFrame(
        {
            "reference": ["DP7", "+DP8"],
            "payee": [FORMULA_PAYEE, "@Bureau"],
            "issued": pd.to_datetime(["2026-10-12", "2026-11-18"]),
            "amount_after": [472_198.46, 120_000.0],
            "newly_paid": [True, False],
        }
    )
    columns = [
        Column("reference", "Référence"),
        Column("payee", "Titulaire"),
        Column("issued", "Émis le", "date"),
        Column("amount_after", "Montant après", "money"),
        Column("newly_paid", "Nouvellement payé", "bool"),
    ]
    table = make_table("review.ledger", "Décomptes nouveaux ou modifiés", frame, columns)
    return ChangeSheet("Décomptes", table)


def summary_sheet() -> SummarySheet:
    return SummarySheet(
        "Synthèse",
        "Technopark de Khémisset — revue hebdomadaire",
        ("Indicateur", "13/11/2026", "20/11/2026", "Écart"),
        [
            SummaryRow("Avancement réel", "percent", 0.8489, 0.8716, 2.27, "number"),
            SummaryRow(
                "Fin prévisionnelle",
                "date",
                pd.Timestamp("2027-01-07"),
                pd.Timestamp("2027-01-18"),
                11,
                "int",
            ),
            SummaryRow("Payé", "money", 6_806_293.34, 8_369_960.77, 1_563_667.43),
        ],
    )


def read(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def test_sheets_in_order_with_title_and_the_two_situations():
    book = read(
        changes_workbook(
            [ledger_sheet()], summary_sheet(), subtitle="Situation de référence : 13/11/2026"
        )
    )
    assert book.sheetnames == ["Synthèse", "Décomptes"]
    sheet = book["Décomptes"]
    assert sheet["A1"].value == "Décomptes nouveaux ou modifiés"
    assert sheet["A2"].value == "Situation de référence : 13/11/2026"


def test_cells_are_typed_dates_read_dd_mm_yyyy_and_headers_are_bold_frozen_and_filtered():
    sheet = read(changes_workbook([ledger_sheet()]))["Décomptes"]
    headers = [cell.value for cell in sheet[4]]
    assert headers == ["Référence", "Titulaire", "Émis le", "Montant après", "Nouvellement payé"]
    assert all(cell.font.bold for cell in sheet[4])
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:E6"
    issued = sheet["C5"]
    assert issued.value == dt.datetime(2026, 10, 12)
    assert issued.number_format == "dd/mm/yyyy"
    assert sheet["D5"].value == 472_198.46 and sheet["D5"].data_type == "n"
    assert [sheet["E5"].value, sheet["E6"].value] == ["Oui", "Non"]


def test_each_table_is_found_by_its_excel_name():
    book = read(changes_workbook([ledger_sheet()]))
    ((sheet, cells),) = list(book.defined_names["t_review_ledger"].destinations)
    assert (sheet, cells) == ("Décomptes", "$A$4:$E$6")


def test_imported_text_that_looks_like_a_formula_stays_text():
    sheet = read(changes_workbook([ledger_sheet()]))["Décomptes"]
    payee = sheet["B5"]
    assert payee.value == FORMULA_PAYEE
    assert payee.data_type == "s"  # a shared string, not a formula ("f")
    assert sheet["A6"].value == "+DP8" and sheet["A6"].data_type == "s"
    assert sheet["B6"].value == "@Bureau" and sheet["B6"].data_type == "s"


def test_summary_rows_keep_their_own_formats():
    sheet = read(changes_workbook([], summary_sheet()))["Synthèse"]
    assert [cell.value for cell in sheet[4]] == ["Indicateur", "13/11/2026", "20/11/2026", "Écart"]
    progress, finish, paid = sheet[5], sheet[6], sheet[7]
    assert progress[1].value == 0.8489 and progress[1].number_format == "0.0%"
    assert finish[2].value == dt.datetime(2027, 1, 18) and finish[2].number_format == "dd/mm/yyyy"
    assert finish[3].value == 11
    assert paid[3].value == 1_563_667.43 and "MAD" in paid[3].number_format


def test_an_empty_table_says_so_and_a_long_sheet_name_is_cut_to_excel_s_limit():
    table = make_table(
        "review.contracts",
        "Nouveaux marchés et avenants",
        pd.DataFrame({"contract_id": pd.Series([], dtype="str")}),
        [Column("contract_id", "N° marché")],
        empty_text="Aucun nouveau marché ni avenant.",
    )
    empty = ChangeSheet("Marchés et avenants : nouveaux / modifiés", table)
    book = read(changes_workbook([empty]))
    (name,) = book.sheetnames
    assert len(name) <= 31 and "/" not in name and ":" not in name
    assert book[name]["A5"].value == "Aucun nouveau marché ni avenant."


def test_the_review_workbook_has_the_registers_changes_on_one_sheet(tmp_path, monkeypatch):
    """13/11 → 20/11 on the sample: the « Registres » sheet lists each kind of change under its
    title, with the items the review page shows (D-05 decided, R-12 new, R-09 closed)."""
    from exports.review_workbook import review_workbook
    from loaders import load_project
    from store.current import open_seeded_store, tables_of, weekly_situations
    from views.situation import situation_of

    monkeypatch.delenv("TRACKER_DB", raising=False)
    settings = load_project(ROOT / "data" / "project.toml")
    store = open_seeded_store(settings, tmp_path / "h.sqlite")
    *_, before, after = (
        situation_of(settings, week.status_date, tables_of(store, week).frames)
        for week in weekly_situations(store)
    )
    book = read(review_workbook(before, after, "fr"))
    assert book.sheetnames[-1] == "Registres"
    sheet = book["Registres"]
    column = [sheet.cell(row, 1).value for row in range(1, sheet.max_row + 1)]
    assert column[0] == "Registres : décisions, actions, risques depuis la situation précédente"
    assert "Décision prise (1)" in column and "Risque clos (1)" in column
    taken = column.index("Décision prise (1)")
    assert column[taken + 2] == "D-05 · Revêtement de sol des espaces de coworking"
    assert "R-12 · Occupation tardive faute de start-ups sélectionnées" in column
    assert "R-09 · Réseaux enterrés non repérés" in column
