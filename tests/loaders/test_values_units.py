"""Numbers typed with their unit in a cell (``40,00 m²``, ``1 250,00 MAD``, ``12 j``, ``15 %``):
read when the unit is the column's, refused with the unit named when it is not."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from loaders import LoadError, load_budget_lines, load_schedule, load_spending
from loaders.limits import ReadLimits
from loaders.values import (
    parse_duration_column,
    parse_number_column,
    parse_percent_column,
    unit_kind,
)
from tests.loaders.builders import xlsx_bytes

LIMITS = ReadLimits(today=dt.date(2026, 3, 1))


@pytest.mark.parametrize(
    ("unit", "kind"),
    [
        ("m²", "area"), ("m2", "area"), ("m 2", "area"), ("MAD", "money"), ("DH TTC", "money"),
        ("€", "money"), ("jours", "duration"), ("j", "duration"), ("sem", "duration"),
        ("%", "percent"), ("m3", "other"), ("kg", "other"), ("abc", None),
    ],
)  # fmt: skip
def test_unit_kinds(unit, kind):
    assert unit_kind(unit) == kind


def test_an_area_column_reads_square_metres():
    """``40,00 m²`` = 40, ``15 m2`` = 15, ``12,5 m 2`` = 12.5; a plain number stays as it is."""
    cells = pd.Series(["40,00 m²", "15 m2", "12,5 m 2", 7.0], dtype=object)
    parsed = parse_number_column(cells, units="area")
    assert parsed.values.tolist() == [40.0, 15.0, 12.5, 7.0]
    assert parsed.failures == []


@pytest.mark.parametrize(
    ("units", "text", "unit"),
    [
        ("money", "40 m²", "m²"),
        ("money", "12 j", "j"),
        ("area", "1 250,00 MAD", "MAD"),
        ("area", "3 m3", "m3"),
        ("number", "15 m2", "m2"),
        ("percent", "15 m²", "m²"),
    ],
)
def test_a_unit_of_another_kind_is_refused_with_its_name(units, text, unit):
    cells = pd.Series([text], dtype=object)
    parse = parse_percent_column if units == "percent" else parse_number_column
    parsed = parse(cells) if units == "percent" else parse(cells, units=units)
    assert [(f.code, f.params["unit"]) for f in parsed.failures] == [("wrong_unit", unit)]
    assert parsed.values.isna().all()


def test_a_word_that_is_no_unit_is_an_unreadable_number():
    parsed = parse_number_column(pd.Series(["12 abc"], dtype=object), units="money")
    assert [f.code for f in parsed.failures] == [None]  # bad_number, as before


def test_a_duration_column_reads_days_and_refuses_a_surface():
    cells = pd.Series(["12 j", "2 sem", 3, "40 m²", "abc"], dtype=object)
    parsed = parse_duration_column(cells)
    assert parsed.values.tolist()[:3] == [12.0, 10.0, 3.0]
    assert [(f.position, f.code) for f in parsed.failures] == [(3, "wrong_unit"), (4, None)]
    assert parsed.failures[1].value == "abc"  # the cell as written, for the message


def test_spending_amount_in_dirhams_and_a_surface_in_it():
    """``1 250,00 MAD`` is 1 250; ``40 m²`` in the amount is an error at row 3 naming « m² »."""
    rows = [
        ["Date", "Montant TTC", "Titulaire"],
        ["01/02/2026", "1 250,00 MAD", "X"],
        ["02/02/2026", "40 m²", "Y"],
    ]
    with pytest.raises(LoadError) as raised:
        load_spending(xlsx_bytes(rows), lang="fr", limits=LIMITS)
    (problem,) = [p for p in raised.value.problems if p.is_error]
    assert (problem.code, problem.row, problem.column) == ("wrong_unit", 3, "Montant TTC")
    assert "« m² »" in problem.message and "montant" in problem.message
    rows.pop()
    frame = load_spending(xlsx_bytes(rows), lang="fr", limits=LIMITS).frame
    assert frame["amount"].tolist() == [1250.0]


def test_budget_amount_with_currency_still_reads():
    rows = [["Code", "Désignation", "Budget TTC"], ["B1", "Gros œuvre", "1 250 000 DH"]]
    frame = load_budget_lines(xlsx_bytes(rows), lang="fr", limits=LIMITS).frame
    assert frame["amount"].tolist() == [1_250_000.0]


def test_schedule_duration_and_percent_typed_with_units():
    """``12 j`` in Durée is 12 days, ``15 %`` in % achevé is 15; a bad duration is named as a
    duration (``bad_duration``), in English too."""
    rows = [
        ["N°", "Tâche", "Début", "Fin", "Durée", "% achevé"],
        ["T1", "A", "16/02/2026", "03/03/2026", "12 j", "15 %"],
    ]
    frame = load_schedule(xlsx_bytes(rows), lang="fr", limits=LIMITS).frame
    assert (frame.at[0, "duration"], frame.at[0, "percent_complete"]) == (12.0, 15.0)
    rows[1][4] = "douze"
    with pytest.raises(LoadError) as raised:
        load_schedule(xlsx_bytes(rows), lang="en", limits=LIMITS)
    (problem,) = [p for p in raised.value.problems if p.is_error]
    assert (problem.code, problem.row, problem.column) == ("bad_duration", 2, "Durée")
    assert "unreadable duration" in problem.message
