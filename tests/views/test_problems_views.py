"""The problems of a file are one table spec: the Données page's report and the workbook's
Contrôles sheet show the same rows, errors first."""

from __future__ import annotations

import datetime as dt

from exports.workbook import build_workbook
from loaders.problems import make_problem
from tests.exports.test_workbook import SOURCES, sample_situation
from tests.views.readback import sheet_values, table_values, workbook_table
from views.problems import problems_table

PROBLEMS = [
    make_problem(
        "warning",
        "duplicate_column",
        "fr",
        sheet="Décomptes",
        row=61,
        file="f.xlsx",
        column="Montant",
        used="Montant TTC",
    ),
    make_problem(
        "error",
        "bad_date",
        "fr",
        sheet="Planning",
        row=4,
        column="Début prévu",
        value="32/13/2026",
        file="p.xlsx",
    ),
]


def test_errors_come_first_and_are_highlighted():
    table = problems_table(PROBLEMS, "fr")
    frame = table.data()
    assert frame["severity"].tolist() == ["Erreur", "Avertissement"]
    assert frame["row"].tolist() == [4, 61] and frame["value"].tolist() == ["32/13/2026", ""]
    assert table.highlight == (True, False)
    assert table.labels[:3] == ["Gravité", "Feuille", "Ligne"]


def test_the_checks_sheet_holds_the_report_table():
    content = build_workbook(
        sample_situation(), SOURCES, PROBLEMS, "fr", generated_at=dt.datetime(2026, 11, 26)
    )
    table = problems_table(PROBLEMS, "fr", with_file=True, key="checks.problems")
    read = workbook_table(content, "checks.problems")
    assert list(read.columns) == table.labels
    assert "Fichier" in table.labels
    assert sheet_values(read) == [
        [v if v != "" else None for v in row] for row in table_values(table)
    ]
