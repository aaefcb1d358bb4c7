"""The workbook's Planning sheet with a planning tool's outline (``tests.tracking.summaries``):
summary rows in bold with their names indented by outline level, read back with openpyxl; no
summary in the late list; the tool's columns as on screen."""

from __future__ import annotations

import io

import openpyxl
import pytest

from exports.workbook import build_workbook
from tests.tracking.summaries import STATUS, TOOL_CALENDARS, summary_settings, with_tool_data
from tests.views.readback import workbook_table
from tracking.situation import compute_situation
from views import planning as view


@pytest.fixture(scope="module")
def situation():
    return compute_situation(
        summary_settings(), STATUS.date(), schedule=with_tool_data(), calendars=TOOL_CALENDARS
    )


@pytest.fixture(scope="module")
def content(situation):
    return build_workbook(situation, [], [], "fr")


def planning_rows(content: bytes):
    """The Planning sheet's task table: (id cell, name cell) of each task row."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    ((sheet_name, reference),) = list(book.defined_names["t_planning_tasks"].destinations)
    sheet = book[sheet_name]
    rows = list(sheet[reference])
    header = [cell.value for cell in rows[0]]
    id_col, name_col = header.index("N°"), header.index("Tâche")
    return [(row[id_col], row[name_col], row) for row in rows[1:]]


def test_summaries_are_bold_and_names_indented(content):
    rows = {task.value: (name, row) for task, name, row in planning_rows(content)}
    assert list(rows) == ["P", "GO", "A", "B", "CES", "C", "D"]
    for task_id in ("P", "GO", "CES"):
        name, row = rows[task_id]
        assert name.font.b, task_id
        assert all(cell.font.b for cell in row if cell.value not in (None, "")), task_id
    for task_id in ("A", "B", "C", "D"):
        assert not rows[task_id][0].font.b, task_id
    indents = {task_id: int(name.alignment.indent) for task_id, (name, _row) in rows.items()}
    assert indents == {"P": 0, "GO": 1, "A": 2, "B": 2, "CES": 1, "C": 2, "D": 2}
    assert rows["GO"][0].value == "Gros œuvre"  # the name as typed: the indent is a format


def test_late_list_has_no_summary(content):
    late = workbook_table(content, "planning.late")
    ids = set(late["N°"])
    assert {"B", "C", "D"} <= ids and not {"P", "GO", "CES"} & ids


def test_the_tool_columns_are_in_the_sheet_as_on_screen(content, situation):
    sheet = workbook_table(content, "planning.tasks")
    screen = view.tasks_table(situation.schedule, situation.planning, "fr")
    assert list(sheet.columns) == screen.labels
    by_id = sheet.set_index("N°")
    assert by_id.loc["B", "Contrainte"] == "Début au plus tôt le 09/03/2026"
    assert by_id.loc["C", "Calendrier"] == "7 jours"
    assert by_id.loc["CES", "Marge de l'outil"] == 2
    assert by_id.loc["GO", "N° hiérarchique"] == "1.1"
