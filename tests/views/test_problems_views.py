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


def test_a_project_files_problems_are_placed_by_task_not_by_sheet_and_row():
    problems = [
        make_problem(
            "warning",
            "project_link_missing_task",
            "fr",
            task="A1030",
            name="Coulage dalle",
            value="Z9",
        ),
        make_problem("error", "project_task_without_dates", "fr", task="A1010", name="Fouilles"),
    ]
    table = problems_table(problems, "fr")
    assert table.labels[:2] == ["Gravité", "Tâche"]
    assert "Feuille" not in table.labels and "Ligne" not in table.labels
    frame = table.data()
    assert frame["task"].tolist() == ["A1010", "A1030"]
    assert "Z9" in frame["message"].iloc[1]
    english = problems_table([p.render("en") for p in problems], "en")
    assert english.labels[:2] == ["Severity", "Task"]


def test_a_mixed_report_keeps_sheet_row_and_task():
    mixed = [
        *PROBLEMS,
        make_problem("error", "project_loop", "fr", task="B2", name="X", value="B1 → B2"),
    ]
    labels = problems_table(mixed, "fr").labels
    assert labels[1:4] == ["Feuille", "Ligne", "Tâche"]
