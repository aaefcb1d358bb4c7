"""The Planning task table shows a planning tool's data only when the schedule has it: the WBS
code, the constraint in words, the calendar's name and the tool's float beside ours; a
spreadsheet without those columns gets the table it always had. Schedules of
``tests.tracking.summaries``."""

from __future__ import annotations

import pytest

from tests.tracking.summaries import (
    STATUS,
    TOOL_CALENDARS,
    summary_settings,
    tasks_alone,
    with_summaries,
    with_tool_data,
)
from tracking.planning import planning_overview
from views import planning as view

TOOL_COLUMNS = {"wbs", "outline_level", "constraint", "calendar_name", "file_total_float"}


def table(frame, lang="fr", calendars=None):
    overview = planning_overview(frame, summary_settings(), STATUS, calendars=calendars)
    return view.tasks_table(frame, overview, lang)


def by_id(spec, column):
    data = spec.data()
    return dict(zip(data["task_id"], data[column], strict=True))


def test_a_spreadsheet_without_tool_data_looks_as_before():
    spec = table(tasks_alone().drop(columns=["wbs"]).assign(wbs=None))
    assert not TOOL_COLUMNS & set(spec.ids)
    assert spec.ids[:3] == ["task_id", "lot", "name"]


def test_the_wbs_column_comes_with_the_outline():
    spec = table(with_summaries())
    assert spec.ids[:2] == ["task_id", "wbs"]
    assert by_id(spec, "wbs") == {
        "P": "1", "GO": "1.1", "A": "1.1.1", "B": "1.1.2", "CES": "1.2", "C": "1.2.1", "D": "1.2.2"
    }  # fmt: skip
    assert spec.extra["summary"] == (True, True, False, False, True, False, False)
    assert spec.extra["level"] == (1, 2, 3, 3, 2, 3, 3)
    assert not {"constraint", "calendar_name", "file_total_float"} & set(spec.ids)


def test_summaries_without_wbs_show_their_level():
    spec = table(with_summaries(wbs=None))
    assert "wbs" not in spec.ids and spec.ids[1] == "outline_level"
    assert by_id(spec, "outline_level")["GO"] == 2


@pytest.mark.parametrize(
    ("lang", "snet", "fnlt", "tool_float"),
    [
        ("fr", "Début au plus tôt le 09/03/2026", "Fin au plus tard le 27/03/2026", "Marge de l'outil"),
        ("en", "Start no earlier than 09/03/2026", "Finish no later than 27/03/2026", "Float in the tool"),
    ],
)  # fmt: skip
def test_constraints_calendars_and_the_tool_float_when_the_file_has_them(
    lang, snet, fnlt, tool_float
):
    spec = table(with_tool_data(), lang, TOOL_CALENDARS)
    constraint = by_id(spec, "constraint")
    assert (constraint["B"], constraint["D"]) == (snet, fnlt)
    assert constraint["A"] == "" and constraint["P"] == ""  # as soon as possible: said by nothing
    calendars = by_id(spec, "calendar_name")
    assert (calendars["A"], calendars["C"], calendars["D"]) == ("Standard", "7 jours", "Standard")
    # the tool's float stands right after ours
    ours = spec.ids.index("float_to_contract")
    assert spec.ids[ours + 1] == "file_total_float"
    assert spec.labels[ours + 1] == tool_float
    assert by_id(spec, "file_total_float")["C"] == 2.0


def test_a_calendar_unknown_to_the_file_shows_its_id():
    spec = table(with_tool_data())  # no calendars table: the ids as the tasks name them
    assert by_id(spec, "calendar_name")["C"] == "C7"


def test_no_summary_in_the_late_list_nor_the_milestones():
    frame = with_summaries(milestone=[False, False, False, False, True, False, False])
    overview = planning_overview(frame, summary_settings(), STATUS)
    late = view.late_tasks_table(frame, overview, "fr").data()
    assert set(late["task_id"]) >= {"B", "C", "D"}
    assert not {"P", "GO", "CES"} & set(late["task_id"])
    assert view.milestones_table(frame, overview, "fr").data().empty
    assert set(view.top_late_tasks(frame, overview)["task_id"]) == {"B", "C", "D"}


def test_constraint_words():
    assert view.constraint_text("MSO", None, "fr") == "Doit commencer le —"
    assert view.constraint_text("alap", None, "fr") == "Le plus tard possible"
    assert view.constraint_text(" ", None, "fr") == ""
    assert view.constraint_text("ZZZ", None, "fr") == "ZZZ"
