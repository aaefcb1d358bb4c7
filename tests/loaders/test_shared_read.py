"""One read per file: ``store.check_bytes`` opens a workbook once (``reading.open_shared``) and
its loaders share the parsed sheets. What they give must be exactly what each loader gives
reading the file on its own: the same frames, the same problems with the same sheet, Excel
row and column, and the same guards before any grid is built or served."""

from __future__ import annotations

import datetime as dt
import gc
import io
import weakref
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from loaders import LOADERS, LoadError, load_spending, reading
from loaders.limits import ReadLimits
from loaders.reading import open_shared, read_sheet
from store import check_bytes, merge_problems
from store.snapshots import TABLES_OF_FILE
from tests.loaders.builders import with_raw_cells

FINANCE = Path(__file__).resolve().parents[2] / "data" / "suivi_financier.xlsx"
NAME = "suivi_financier.xlsx"
TODAY = dt.date(2026, 12, 2)
LIMITS = ReadLimits(today=TODAY)
#: the décomptes sheet of the sample: header on row 5, its part in the zip
DECOMPTES, DECOMPTES_PART, HEADER_ROW = "Décomptes", "sheet3", 5


def finance_workbook(edit=None) -> bytes:
    """The sample finance workbook, its décomptes sheet changed by ``edit(sheet)``."""
    book = openpyxl.load_workbook(FINANCE)
    if edit is not None:
        edit(book[DECOMPTES])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def alone(data: bytes, table: str, lang: str):
    """What the loader of ``table`` gives reading the bytes on its own (a fresh file-like)."""
    source = io.BytesIO(data)
    source.name = NAME
    try:
        return LOADERS[table](source, lang=lang, limits=LIMITS), []
    except LoadError as error:
        return None, error.problems


def each_alone(data: bytes, lang: str):
    """Every finance table read on its own, and its problems merged as ``check_bytes`` does."""
    results, found = {}, []
    for table in TABLES_OF_FILE["finance"]:
        result, errors = alone(data, table, lang)
        if result is not None:
            results[table] = result
            found.extend((table, problem) for problem in result.warnings)
        found.extend((table, problem) for problem in errors)
    return results, merge_problems(found)


def a_future_issue_and_a_note_row(sheet) -> None:
    """Warnings, no error: a décompte not paid yet issued after today (row 8), a note under
    the décomptes (besides the totals row of each sheet)."""
    sheet.cell(8, 7).value, sheet.cell(8, 10).value = dt.datetime(2026, 12, 20), None
    sheet.cell(sheet.max_row + 2, 1).value = "Décomptes arrêtés par le maître d'ouvrage délégué"


def a_bad_date_and_a_blank_amount(sheet) -> None:
    """Two errors in the décomptes: an unreadable payment date (row 8), no amount (row 11)."""
    sheet.cell(8, 10).value = "31/02/2026"
    sheet.cell(11, 8).value = None


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_three_tables_of_one_read_are_those_of_three_reads(lang):
    data = finance_workbook(a_future_issue_and_a_note_row)
    checked = check_bytes("finance", NAME, data, lang, limits=LIMITS, today=TODAY)
    results, (problems, tables) = each_alone(data, lang)
    assert checked.accepted and set(results) == set(TABLES_OF_FILE["finance"])
    for table, result in results.items():
        shared = checked.results[table]
        pd.testing.assert_frame_equal(shared.frame, result.frame)
        assert shared.warnings == result.warnings
        assert (shared.sheet, shared.header_row, shared.columns_found, shared.declared_date) == (
            result.sheet,
            result.header_row,
            result.columns_found,
            result.declared_date,
        )
    assert checked.problems == problems and checked.tables == tables
    assert {(p.code, p.sheet) for p in checked.problems} == {
        ("future_issue_date", DECOMPTES),
        ("note_row", DECOMPTES),
        ("totals_row", DECOMPTES),
        ("totals_row", "Budget"),
        ("totals_row", "Marchés"),
    }


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_refused_file_reports_the_problems_of_three_reads(lang):
    data = finance_workbook(a_bad_date_and_a_blank_amount)
    checked = check_bytes("finance", NAME, data, lang, limits=LIMITS, today=TODAY)
    results, (problems, tables) = each_alone(data, lang)
    assert not checked.accepted and checked.results == {}
    assert set(results) == {"budget", "contracts"}  # the spending loader alone refuses it
    assert checked.problems == problems and checked.tables == tables


@pytest.mark.parametrize(
    ("lang", "bad_date", "missing"),
    [
        (
            "fr",
            "Ligne 8, colonne « Date de paiement » : date illisible « 31/02/2026 »",
            "Ligne 11, colonne « Montant TTC (DH) »",
        ),
        (
            "en",
            'Row 8, column "Date de paiement": unreadable date "31/02/2026"',
            'Row 11, column "Montant TTC (DH)"',
        ),
    ],
)
def test_a_problem_of_the_decomptes_sheet_of_a_shared_read_keeps_its_sheet_row_and_column(
    lang, bad_date, missing
):
    """Both errors at once, each with the sheet, the Excel row and the file's own header, in
    the reader's language, and found by the spending loader."""
    data = finance_workbook(a_bad_date_and_a_blank_amount)
    checked = check_bytes("finance", NAME, data, lang, limits=LIMITS, today=TODAY)
    errors = [(p, t) for p, t in zip(checked.problems, checked.tables, strict=True) if p.is_error]
    found = {(p.code, p.sheet, p.row, p.column, t) for p, t in errors}
    assert found == {
        ("bad_date", DECOMPTES, 8, "Date de paiement", "spending"),
        ("missing_value", DECOMPTES, 11, "Montant TTC (DH)", "spending"),
    }
    messages = {p.code: p.message for p, _ in errors}
    assert messages["bad_date"].startswith(bad_date)
    assert messages["missing_value"].startswith(missing)


def test_an_excel_error_restored_for_one_loader_does_not_leak_into_the_shared_grid():
    """``#DIV/0!`` in an amount of the décomptes (calamine reads it as ""): the spending loader
    refuses it with its row and column; the grid the other loaders share still holds what
    calamine read, and a later loader finds the same error again."""
    data = finance_workbook()
    cell = f"H{HEADER_ROW + 2}"
    data = with_raw_cells(
        data, {cell: f'<c r="{cell}" t="e"><f>1/0</f><v>#DIV/0!</v></c>'}, DECOMPTES_PART
    )
    raw = open_shared(data, limits=LIMITS)
    for _ in range(2):
        with pytest.raises(LoadError) as refused:
            load_spending(raw, lang="en", limits=LIMITS)
        [problem] = [p for p in refused.value.problems if p.code == "excel_error"]
        assert (problem.sheet, problem.row, problem.column) == (
            DECOMPTES,
            HEADER_ROW + 2,
            "Montant TTC (DH)",
        )
        assert "#DIV/0!" in problem.message
        assert read_sheet(raw, DECOMPTES).rows[HEADER_ROW + 1][7] == ""


def test_each_sheet_is_parsed_once_per_check(monkeypatch):
    parsed: list[str] = []
    parse = reading._parse_sheet_rows

    def counting(workbook, name, *args):
        parsed.append(name)
        return parse(workbook, name, *args)

    monkeypatch.setattr(reading, "_parse_sheet_rows", counting)
    checked = check_bytes("finance", NAME, FINANCE.read_bytes(), "fr", limits=LIMITS)
    assert checked.accepted
    assert sorted(parsed) == sorted(["Budget", "Marchés", DECOMPTES, "Notes"])


def test_the_shared_read_is_dropped_with_the_check(monkeypatch):
    """No cache outlives the call: the opened file (bytes, grids) goes when it returns."""
    opened: list[weakref.ref] = []

    def remembering(*args, **kwargs):
        raw = open_shared(*args, **kwargs)
        opened.append(weakref.ref(raw))
        return raw

    monkeypatch.setattr("store.open_shared", remembering)
    checked = check_bytes("finance", NAME, FINANCE.read_bytes(), "fr", limits=LIMITS)
    assert checked.accepted and len(opened) == 1
    gc.collect()
    assert opened[0]() is None


def test_a_grid_already_read_is_served_only_within_the_limits_of_each_read():
    """The size guard runs on every read of a shared file, before a grid is served: a sheet
    read under the default limits is refused to a read under stricter ones."""
    raw = open_shared(FINANCE.read_bytes(), limits=LIMITS)
    assert len(read_sheet(raw, DECOMPTES).rows) > 20
    strict = ReadLimits(max_rows=20, today=TODAY)
    with pytest.raises(LoadError) as refused:
        read_sheet(raw, DECOMPTES, limits=strict)
    assert {p.code for p in refused.value.problems} == {"too_many_rows"}
    with pytest.raises(LoadError):
        load_spending(raw, limits=strict)


def test_a_file_refused_before_any_sheet_is_read_is_one_problem_of_the_whole_file():
    checked = check_bytes("finance", NAME, b"%PDF-1.7 not a workbook", "en", limits=LIMITS)
    assert not checked.accepted
    assert [p.code for p in checked.problems] == ["not_a_spreadsheet"]
    assert checked.tables == [None]


def test_an_error_cell_type_cut_between_two_chunks_of_the_scan_is_seen():
    """The extent scan tells the error-cell restoring whether a part holds ``t="e"`` at all;
    the bytes may fall across two chunks of the inflated part."""
    for cut in range(1, 5):
        watch = reading._ErrorTypeWatch()
        text = b'<c r="H7" t="e"><v>#DIV/0!</v></c>'
        at = text.index(b't="e"') + cut
        watch.see(text[:at])
        assert not watch.seen
        watch.see(text[at:])
        assert watch.seen
