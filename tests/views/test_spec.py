"""The table spec and its renderers: the workbook and the CSV write the spec's typed values
under its headers; plural messages choose their form by count."""

from __future__ import annotations

import io

import pandas as pd
import pytest
import xlsxwriter

from exports.safe_csv import table_csv_bytes
from exports.xlsx_tables import Formats, write_spec
from i18n import translate
from tests.views.readback import sheet_values, table_values, workbook_table
from views.format import format_value
from views.spec import Column, make_table


def _table():
    frame = pd.DataFrame(
        {
            "line": ["TR-01", '=HYPERLINK("x")', "ET-02"],
            "amount": [1_234_567.891, None, 0.0],
            "due": [pd.Timestamp("2027-01-18"), pd.NaT, pd.Timestamp("2026-02-20")],
            "rows": [(52, 53, 54, 60), (), (7,)],
            "paid": [True, False, True],
        }
    )
    columns = [
        Column("line", "Ligne"),
        Column("amount", "Montant", "money", missing_text="pas encore"),
        Column("due", "Échéance", "date"),
        Column("rows", "Lignes Excel", "rows"),
        Column("paid", "Payé", "bool"),
    ]
    return make_table("test.lines", "Lignes", frame, columns, highlight=lambda f: f["amount"] > 0)


def test_the_workbook_holds_the_specs_values_under_its_headers():
    table = _table()
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Dépenses")
    write_spec(sheet, Formats(workbook), 3, table)
    workbook.close()
    read = workbook_table(buffer.getvalue(), "test.lines")
    assert list(read.columns) == ["Ligne", "Montant", "Échéance", "Lignes Excel", "Payé"]
    expected = table_values(table)
    expected[1][1] = "pas encore"  # a missing amount says why, as text
    assert sheet_values(read) == expected
    assert read.iloc[0, 3] == "52–54, 60"
    assert read.iloc[1, 0] == '=HYPERLINK("x")'  # text, never a live formula


def test_the_csv_has_the_headers_of_the_reader_and_neutralised_text():
    text = table_csv_bytes(_table(), "fr").decode("utf-8-sig").splitlines()
    assert text[0] == "Ligne;Montant;Échéance;Lignes Excel;Payé"
    assert text[1] == "TR-01;1234567,891;18/01/2027;52–54, 60;Oui"
    assert text[2].startswith("\"'=HYPERLINK")  # quoted, with the apostrophe that disarms it


def test_highlight_rule_marks_rows_by_value():
    assert _table().highlight == (True, False, False)


def test_a_table_refuses_a_column_its_frame_lacks():
    with pytest.raises(ValueError, match="no column"):
        make_table("x", "x", pd.DataFrame({"a": [1]}), [Column("b", "B")])


@pytest.mark.parametrize(
    ("kind", "value", "lang", "shown"),
    [
        ("money", 15_200_000, "fr", "15\u202f200\u202f000,00\u00a0MAD"),
        ("money", 15_200_000, "en", "15,200,000.00\u00a0MAD"),
        ("percent", 0.456, "fr", "45,6\u00a0%"),
        ("date", pd.Timestamp("2027-01-18"), "en", "18/01/2027"),
        ("days", 33, "fr", "33 j"),
        ("days", 1, "en", "1 day"),
        ("area", 1070, "fr", "1\u202f070,00\u00a0m²"),
        ("money", float("nan"), "fr", "—"),
        ("text", None, "en", "—"),
        ("bool", True, "en", "Yes"),
    ],
)
def test_format_value_by_kind(kind, value, lang, shown):
    assert format_value(value, kind, lang) == shown


@pytest.mark.parametrize(
    ("count", "lang", "text"),
    [
        (0, "fr", "0 alerte rouge"),
        (1, "fr", "1 alerte rouge"),
        (2, "fr", "2 alertes rouges"),
        (1, "en", "1 red alert"),
        (0, "en", "0 red alerts"),
        (1200, "fr", "1\u202f200 alertes rouges"),
    ],
)
def test_plural_form_is_chosen_by_count(monkeypatch, count, lang, text):
    from i18n import catalogue

    messages = {
        "fr": "{count, plural, one {# alerte rouge} other {# alertes rouges}}",
        "en": "{count, plural, one {# red alert} other {# red alerts}}",
    }
    catalogue(lang)  # fill the cache, then add a message to it for the test
    monkeypatch.setitem(catalogue(lang), "test.red", messages[lang])
    assert translate("test.red", lang, count=count) == text


def test_several_plural_blocks_and_plain_parameters_in_one_message(monkeypatch):
    from i18n import catalogue

    message = (
        "{tasks, plural, one {# tâche modifiée} other {# tâches modifiées}}, "
        "{paid, plural, one {# décompte payé} other {# décomptes payés}} le {date}"
    )
    monkeypatch.setitem(catalogue("fr"), "test.multi", message)
    assert (
        translate("test.multi", "fr", tasks=1, paid=3, date="18/01/2027")
        == "1 tâche modifiée, 3 décomptes payés le 18/01/2027"
    )
