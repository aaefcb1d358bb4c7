"""One fixture per defect a real AREP workbook can hold; each loads right or is refused precisely."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd
import pytest

from loaders import (
    LoadError,
    load_budget_lines,
    load_contracts,
    load_floor_areas,
    load_schedule,
    load_spending,
)
from tests.loaders.builders import csv_text, write, xlsx_bytes

SCHEDULE_HEADER = ["N°", "Lot", "Tâche", "Début prévu", "Fin prévue", "% réalisé", "Prédécesseurs"]


def schedule_rows(*tasks):
    return [SCHEDULE_HEADER, *tasks]


def codes(error: LoadError) -> list[str]:
    return [p.code for p in error.problems]


def only(problems, code):
    found = [p for p in problems if p.code == code]
    assert found, f"no problem {code!r} in {[p.code for p in problems]}"
    return found


# --- accepted shapes ------------------------------------------------------------------------


def test_header_not_in_row_1_with_merged_title_cells(tmp_path):
    rows = [
        ["Technopark de Khémisset — Planning des travaux"],
        ["Situation au 20/11/2026"],
        [],
        SCHEDULE_HEADER,
        [
            "T01",
            "Gros œuvre",
            "Fondations",
            dt.datetime(2026, 3, 2),
            dt.datetime(2026, 3, 27),
            1.0,
            "",
        ],
        [
            "T02",
            "Gros œuvre",
            "Poteaux RDC",
            dt.datetime(2026, 3, 30),
            dt.datetime(2026, 4, 24),
            0.5,
            "T01",
        ],
    ]
    path = write(
        tmp_path,
        "header-in-row-4-merged-title.xlsx",
        xlsx_bytes(
            rows,
            merges=["A1:G1", "A2:G2"],
            formats={"D": "dd/mm/yyyy", "E": "dd/mm/yyyy", "F": "0%"},
        ),
    )
    result = load_schedule(path)
    assert result.header_row == 4
    frame = result.frame
    assert list(frame["task_id"]) == ["T01", "T02"]
    assert list(frame["source_row"]) == [5, 6]
    assert frame.loc[1, "start"] == pd.Timestamp("2026-03-30")
    assert frame.loc[1, "finish"] == pd.Timestamp("2026-04-24")
    # 0.5 in a cell formatted 0% is 50 %, not 0.5 %
    assert list(frame["percent_complete"]) == [100.0, 50.0]
    assert frame.loc[1, "predecessors"] == "T01"


def test_headers_with_units_accents_case_and_spaces(tmp_path):
    rows = [
        [
            "  N° décompte ",
            "DATE D'ÉMISSION",
            "Montant TTC (DH)",
            "titulaire",
            "Lot",
            "Date de paiement",
        ],
        ["DP1", "31/03/2026", "1 234 567,89 DH", "Sté Atlas", "Gros œuvre", "05/05/2026"],
    ]
    path = write(tmp_path, "headers-units-accents.xlsx", xlsx_bytes(rows))
    result = load_spending(path)
    row = result.frame.iloc[0]
    assert result.columns_found["amount"] == "Montant TTC (DH)"
    assert row["reference"] == "DP1"
    assert row["amount"] == pytest.approx(1_234_567.89)
    assert row["date"] == pd.Timestamp("2026-03-31")
    assert row["paid_date"] == pd.Timestamp("2026-05-05")
    assert row["payee"] == "Sté Atlas"


def test_english_headers_in_a_comma_csv(tmp_path):
    text = csv_text(
        [
            ["Task ID", "Task Name", "START", " Finish ", "Percent Complete", "Predecessors"],
            ["10", "Site set-up", "2026-02-16", "2026-02-27", "100", ""],
            ["20", "Earthworks", "2026-03-02", "2026-03-20", "45 %", "10"],
        ],
        delimiter=",",
    )
    result = load_schedule(write(tmp_path, "english-headers.csv", text))
    frame = result.frame
    assert list(frame["task_id"]) == ["10", "20"]
    assert list(frame["percent_complete"]) == [100.0, 45.0]
    assert frame.loc[1, "start"] == pd.Timestamp("2026-03-02")


def test_blank_rows_are_skipped_and_rows_keep_their_excel_numbers(tmp_path):
    rows = schedule_rows(
        ["T01", "GO", "A", "02/03/2026", "06/03/2026", 10, ""],
        [],
        [None, None, None, None, None, None, None],
        ["T02", "GO", "B", "09/03/2026", "13/03/2026", 0, "T01"],
    )
    result = load_schedule(write(tmp_path, "blank-rows.xlsx", xlsx_bytes(rows)))
    assert list(result.frame["task_id"]) == ["T01", "T02"]
    assert list(result.frame["source_row"]) == [2, 5]
    assert result.warnings == []


def test_totals_row_and_trailing_note_are_dropped_with_warnings(tmp_path):
    rows = [
        ["Code", "Poste budgétaire", "Catégorie", "Budget TTC (DH)"],
        ["ET-01", "Architecte", "Études", 552000],
        ["TR-01", "Gros œuvre", "Travaux", 4340000],
        ["Sous-total", None, None, 4892000],
        ["Total général", None, None, 4892000],
        [],
        ["Source : AREP, situation au 20/11/2026"],
    ]
    result = load_budget_lines(write(tmp_path, "totals-and-notes.xlsx", xlsx_bytes(rows)))
    assert list(result.frame["line_id"]) == ["ET-01", "TR-01"]
    assert result.frame["amount"].sum() == 4_892_000
    assert [p.row for p in only(result.warnings, "totals_row")] == [4, 5]
    assert [p.row for p in only(result.warnings, "note_row")] == [7]


def test_section_heading_rows_inside_a_schedule(tmp_path):
    rows = schedule_rows(
        ["LOT 1 — GROS ŒUVRE"],
        ["T01", "GO", "Fondations", "02/03/2026", "27/03/2026", 100, ""],
        ["LOT 2 — ÉTANCHÉITÉ"],
        ["T02", "ET", "Étanchéité toiture", "01/06/2026", "26/06/2026", 0, "T01"],
    )
    result = load_schedule(write(tmp_path, "section-headings.xlsx", xlsx_bytes(rows)))
    assert list(result.frame["task_id"]) == ["T01", "T02"]
    assert [p.row for p in only(result.warnings, "note_row")] == [2, 4]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (dt.datetime(2026, 11, 20), "2026-11-20"),
        (46346, "2026-11-20"),  # Excel serial number in a cell with no date format
        ("20/11/2026", "2026-11-20"),
        ("20-11-2026", "2026-11-20"),
        ("20.11.2026", "2026-11-20"),
        ("2026-11-20", "2026-11-20"),
        ("2026-11-20T08:00:00", "2026-11-20 08:00"),
        ("20 novembre 2026", "2026-11-20"),
        ("lundi 16/02/2026", "2026-02-16"),
        (20261120, "2026-11-20"),
    ],
    ids=lambda v: str(v),
)
def test_dates_in_every_accepted_form(tmp_path, cell, expected):
    rows = [["Date", "Montant"], [cell, 100]]
    result = load_spending(write(tmp_path, "dates.xlsx", xlsx_bytes(rows)))
    assert result.frame.loc[0, "date"] == pd.Timestamp(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234 567,89", 1_234_567.89),
        ("1\u00a0234\u00a0567,89", 1_234_567.89),
        ("1\u202f234\u202f567,89", 1_234_567.89),
        ("1.234.567,89", 1_234_567.89),
        ("1,234,567.89", 1_234_567.89),
        ("1 234 567,89 DH", 1_234_567.89),
        ("1 234 567,89 MAD", 1_234_567.89),
        ("15 200 000", 15_200_000.0),
        ("-12 500,50", -12_500.5),
        ("(12 500,50)", -12_500.5),
        ("33,34", 33.34),
        ("1234.5", 1234.5),
    ],
)
def test_numbers_in_french_and_english_forms(tmp_path, text, expected):
    content = csv_text([["Date;Montant TTC"][0].split(";"), ["20/11/2026", text]])
    result = load_spending(write(tmp_path, "numbers.csv", content))
    assert result.frame.loc[0, "amount"] == pytest.approx(expected)


def test_thousands_dot_in_a_column_that_uses_decimal_commas(tmp_path):
    content = csv_text([["Date", "Montant"], ["01/03/2026", "1.234"], ["02/03/2026", "12,50"]])
    result = load_spending(write(tmp_path, "mixed-dots.csv", content))
    assert list(result.frame["amount"]) == [1234.0, 12.5]


@pytest.mark.parametrize(
    ("values", "formats", "expected"),
    [
        ([45, 100, 0], {}, [45.0, 100.0, 0.0]),
        (["45 %", "100%", "0 %"], {}, [45.0, 100.0, 0.0]),
        (["45,5 %", "12,25%", "0"], {}, [45.5, 12.25, 0.0]),
        ([0.45, 1, 0], {"F": "0%"}, [45.0, 100.0, 0.0]),
        ([0.45, 1, 0], {}, [45.0, 100.0, 0.0]),  # all fractions: read as fractions, with a note
    ],
    ids=["plain", "text-with-sign", "decimal-comma", "percent-format", "fractions-no-format"],
)
def test_percentages(tmp_path, values, formats, expected):
    rows = schedule_rows(
        *[
            [f"T{i}", "GO", f"Tâche {i}", "02/03/2026", "06/03/2026", value, ""]
            for i, value in enumerate(values, start=1)
        ]
    )
    result = load_schedule(write(tmp_path, "percent.xlsx", xlsx_bytes(rows, formats=formats)))
    assert list(result.frame["percent_complete"]) == expected


def test_fractions_without_format_are_flagged(tmp_path):
    rows = schedule_rows(["T1", "GO", "A", "02/03/2026", "06/03/2026", 0.3, ""])
    result = load_schedule(write(tmp_path, "fractions.xlsx", xlsx_bytes(rows)))
    assert only(result.warnings, "fractions_as_percent")[0].column == "% réalisé"


def test_semicolon_csv_in_cp1252_from_french_excel(tmp_path):
    content = csv_text(
        [
            ["N° décompte", "Titulaire", "Date d'émission", "Montant TTC (DH)"],
            ["DP1", "Société Générale des Travaux d'Équipement", "31/03/2026", "412 000,50"],
        ]
    )
    path = write(tmp_path, "french-excel.csv", content, encoding="cp1252")
    result = load_spending(path)
    assert result.frame.loc[0, "payee"] == "Société Générale des Travaux d'Équipement"
    assert result.frame.loc[0, "amount"] == pytest.approx(412_000.5)


def test_utf8_bom_csv(tmp_path):
    content = "\ufeff" + csv_text([["Date", "Montant", "Bénéficiaire"], ["01/03/2026", "10", "Ré"]])
    result = load_spending(write(tmp_path, "bom.csv", content))
    assert result.columns_found["date"] == "Date"
    assert result.frame.loc[0, "payee"] == "Ré"


def test_us_month_first_dates_are_recognised_with_a_note(tmp_path):
    content = csv_text(
        [["Date", "Amount"], ["7/30/2014 0:00:00", "10"], ["1/2/2015 0:00:00", "20"]], ","
    )
    result = load_spending(write(tmp_path, "us-dates.csv", content))
    assert list(result.frame["date"]) == [pd.Timestamp("2014-07-30"), pd.Timestamp("2015-01-02")]
    assert only(result.warnings, "month_first_dates")


def test_sheet_is_found_by_its_headers_in_a_multi_sheet_workbook(tmp_path):
    data = xlsx_bytes(
        [["Notes"], ["Ce classeur contient le budget"]],
        sheet="Notes",
        extra_sheets={
            "Budget": [["Code", "Désignation", "Montant TTC"], ["ET-01", "Architecte", 552000]],
        },
    )
    result = load_budget_lines(write(tmp_path, "two-sheets.xlsx", data))
    assert result.sheet == "Budget"
    assert result.frame.loc[0, "amount"] == 552000


def test_contracts_with_an_amendment(tmp_path):
    rows = [
        [
            "N° marché",
            "Type",
            "Marché initial",
            "Titulaire",
            "Ligne budgétaire",
            "Montant TTC",
            "Date d'approbation",
        ],
        ["07/2026", "Marché", None, "Sté Atlas", "TR-01", 4_100_000, "10/02/2026"],
        ["AV1-07/2026", "Avenant", "07/2026", "Sté Atlas", "TR-01", 480_000, "15/06/2026"],
    ]
    result = load_contracts(write(tmp_path, "amendment.xlsx", xlsx_bytes(rows)))
    assert list(result.frame["is_amendment"]) == [False, True]
    assert result.frame["amount"].sum() == 4_580_000


def test_floor_areas(tmp_path):
    rows = [
        ["N° local", "Niveau", "Désignation", "Type de local", "Surface (m²)", "Postes de travail"],
        ["R1-01", "R+1", "Bureau start-up 1", "Bureau start-up", "15,00", 1],
        ["R1-02", "R+1", "Coworking A", "Espace coworking", 120, 24],
    ]
    result = load_floor_areas(write(tmp_path, "areas.xlsx", xlsx_bytes(rows)))
    assert result.frame["area_m2"].sum() == 135.0
    assert list(result.frame["seats"]) == [1.0, 24.0]


def test_formula_text_stays_text(tmp_path):
    rows = [["Date", "Montant", "Titulaire"], ["01/03/2026", 10, '=HYPERLINK("http://x","y")']]
    content = csv_text(rows)
    result = load_spending(write(tmp_path, "formula-text.csv", content))
    assert result.frame.loc[0, "payee"] == '=HYPERLINK("http://x","y")'


# --- rejected files -------------------------------------------------------------------------


def test_missing_required_column_names_it_and_the_accepted_headers(tmp_path):
    rows = [["N°", "Tâche", "Début prévu", "% réalisé"], ["T01", "A", "02/03/2026", 10]]
    with pytest.raises(LoadError) as caught:
        load_schedule(write(tmp_path, "missing-finish.xlsx", xlsx_bytes(rows)))
    problem = only(caught.value.problems, "missing_column")[0]
    assert problem.column == "Fin prévue"
    assert problem.row == 1
    assert "fin prevue" in problem.message and "finish" in problem.message


def test_every_bad_cell_is_reported_at_once_with_row_and_column(tmp_path):
    rows = [
        ["Planning"],
        [],
        SCHEDULE_HEADER,
        ["T01", "GO", "A", "02/03/2026", "06/03/2026", 10, ""],
        ["T02", "GO", "B", "31/02/2026", "06/03/2026", 10, ""],  # no 31 February
        ["T03", "GO", "C", "02/03/2026", "bientôt", 10, ""],
        ["T04", "GO", "D", "09/03/2026", "02/03/2026", 10, ""],  # finish before start
        ["T05", "GO", "E", "02/03/2026", "06/03/2026", 140, ""],  # over 100 %
        ["T01", "GO", "F", "02/03/2026", "06/03/2026", 0, ""],  # duplicate id
    ]
    with pytest.raises(LoadError) as caught:
        load_schedule(write(tmp_path, "many-defects.xlsx", xlsx_bytes(rows, sheet="Planning")))
    errors = {(p.code, p.row, p.column) for p in caught.value.errors}
    assert errors == {
        ("bad_date", 5, "Début prévu"),
        ("bad_date", 6, "Fin prévue"),
        ("finish_before_start", 7, "Fin prévue"),
        ("percent_out_of_range", 8, "% réalisé"),
        ("duplicate_id", 9, "N°"),
    }
    assert all(p.sheet == "Planning" for p in caught.value.errors)
    bad_date = next(p for p in caught.value.errors if p.row == 5)
    assert bad_date.value == "31/02/2026"
    assert "Ligne 5" in bad_date.message and "Début prévu" in bad_date.message
    duplicate = next(p for p in caught.value.errors if p.code == "duplicate_id")
    assert "ligne 4" in duplicate.message


def test_unreadable_number_and_missing_amount(tmp_path):
    rows = [
        ["Date", "Montant TTC", "Titulaire"],
        ["01/03/2026", "12 abc", "X"],
        ["02/03/2026", None, "Y"],
    ]
    with pytest.raises(LoadError) as caught:
        load_spending(write(tmp_path, "bad-amounts.xlsx", xlsx_bytes(rows)))
    assert {(p.code, p.row) for p in caught.value.errors} == {
        ("bad_number", 2),
        ("missing_value", 3),
    }


def test_negative_area_is_refused(tmp_path):
    rows = [["N° local", "Désignation", "Type", "Surface"], ["R0-01", "Accueil", "Accueil", -80]]
    with pytest.raises(LoadError) as caught:
        load_floor_areas(write(tmp_path, "negative-area.xlsx", xlsx_bytes(rows)))
    problem = only(caught.value.problems, "negative_area")[0]
    assert (problem.row, problem.column) == (2, "Surface")


def test_pdf_renamed_xlsx_is_not_a_spreadsheet(tmp_path):
    path = write(tmp_path, "rapport.xlsx", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nendobj\n")
    with pytest.raises(LoadError) as caught:
        load_schedule(path)
    assert codes(caught.value) == ["not_a_spreadsheet"]
    assert "PDF" in caught.value.problems[0].message


def test_word_document_renamed_xlsx_is_not_a_spreadsheet(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(LoadError) as caught:
        load_schedule(write(tmp_path, "memo.xlsx", buffer.getvalue()))
    assert codes(caught.value) == ["not_a_spreadsheet"]


def test_empty_workbook(tmp_path):
    with pytest.raises(LoadError) as caught:
        load_schedule(write(tmp_path, "empty.xlsx", xlsx_bytes([])))
    assert codes(caught.value) == ["empty_workbook"]


def test_empty_file(tmp_path):
    with pytest.raises(LoadError) as caught:
        load_spending(write(tmp_path, "empty.csv", b""))
    assert codes(caught.value) == ["empty_file"]


def test_file_over_the_size_limit(tmp_path):
    rows = schedule_rows(
        *[[f"T{i}", "GO", "x" * 50, "02/03/2026", "06/03/2026", 0, ""] for i in range(400)]
    )
    path = write(tmp_path, "big.xlsx", xlsx_bytes(rows))
    with pytest.raises(LoadError) as caught:
        load_schedule(path, max_bytes=5_000)
    assert codes(caught.value) == ["file_too_large"]


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<" + " " * 20_000_000 + "/>")
    with pytest.raises(LoadError) as caught:
        load_schedule(write(tmp_path, "bomb.xlsx", buffer.getvalue()))
    assert codes(caught.value) == ["zip_bomb"]


def test_unknown_sheet_lists_the_sheets(tmp_path):
    path = write(tmp_path, "one-sheet.xlsx", xlsx_bytes([["Date", "Montant"]], sheet="Décomptes"))
    with pytest.raises(LoadError) as caught:
        load_spending(path, sheet="Paiements")
    problem = caught.value.problems[0]
    assert problem.code == "sheet_not_found" and "Décomptes" in problem.message


def test_messages_follow_the_language(tmp_path):
    rows = [["Date", "Amount"], ["not a date", 10]]
    with pytest.raises(LoadError) as caught:
        load_spending(write(tmp_path, "bad.xlsx", xlsx_bytes(rows)), lang="en")
    assert caught.value.problems[0].message.startswith('Row 2, column "Date": unreadable date')
    french = caught.value.problems[0].render("fr")
    assert french.message.startswith("Ligne 2, colonne « Date » : date illisible")


def test_a_file_like_upload_is_read_like_a_path(tmp_path):
    rows = [["Date", "Montant"], ["01/03/2026", "1 000,00"]]
    upload = io.BytesIO(xlsx_bytes(rows))
    upload.name = "upload.xlsx"
    result = load_spending(upload)
    assert result.source_name == "upload.xlsx"
    assert result.frame.loc[0, "amount"] == 1000.0


def _billion_laughs_xlsx() -> bytes:
    """An xlsx whose sheet XML declares nested entities (the 'billion laughs' attack)."""
    source = zipfile.ZipFile(
        io.BytesIO(
            xlsx_bytes([["Date", "Montant", "Titulaire"], ["01/03/2026", 10, "PLACEHOLDER"]])
        )
    )
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode().replace("PLACEHOLDER", "&lol9;")
                data = (f"<!DOCTYPE worksheet [{entities}]>" + text).encode()
            target.writestr(item, data)
    return out.getvalue()


def test_xml_entities_are_never_expanded(tmp_path):
    path = write(tmp_path, "billion-laughs.xlsx", _billion_laughs_xlsx())
    try:
        result = load_spending(path)
    except LoadError as error:  # refusing the file is as good as reading it unexpanded
        assert {p.code for p in error.problems} <= {"corrupt_file"}
    else:
        payee = result.frame.loc[0, "payee"]
        assert pd.isna(payee) or len(str(payee)) < 100


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Situation au 20/11/2026", "2026-11-20"),
        ("Planning arrêté au 13.11.2026", "2026-11-13"),
        ("Mise à jour : 2026-11-06", "2026-11-06"),
        ("Status date: 30/10/2026", "2026-10-30"),
        ("Technopark de Khémisset — 2026", None),
    ],
)
def test_situation_date_declared_in_a_title_row(tmp_path, title, expected):
    rows = [[title], [], SCHEDULE_HEADER, ["T01", "GO", "A", "02/03/2026", "06/03/2026", 10, ""]]
    result = load_schedule(write(tmp_path, "declared.xlsx", xlsx_bytes(rows)))
    assert result.declared_date == (pd.Timestamp(expected) if expected else None)
