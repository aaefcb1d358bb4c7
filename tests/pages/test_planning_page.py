"""The Planning page on the bundled sample: the figures a project-controls engineer checks,
and every table the page shows holding the values the workbook writes."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from exports.workbook import build_workbook
from tests.exports.test_workbook import SOURCES, sample_situation
from tests.views.readback import sheet_values, table_values, workbook_table
from views import planning as view

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture(scope="module")
def page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page("pages/planning.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(scope="module")
def situation():
    return sample_situation()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def screen_frame(at: AppTest, table):
    """The frame the page handed to ``st.dataframe`` for ``table`` (found by its columns)."""
    frames = [d.value for d in at.dataframe if list(d.value.columns) == table.ids]
    assert len(frames) == 1, table.key
    return frames[0]


def test_headline_figures(page):
    values = metrics(page)
    assert values["Fin prévisionnelle"] == "18/01/2027"
    assert values["Retard sur le délai"] == "+33 j"
    # 1/1000 of the works contract (11 916 625,40 + avenant 571 998,02) per day × 33 days =
    # 412 124,57: the amount the workbook and the Dépenses page give, to the centime
    assert values["Pénalités de retard encourues"] == "412\u202f124,57\u00a0MAD"
    assert values["Tâches critiques"] == "6"


def test_spi_t_is_named_as_the_schedule_index_not_the_cost_one(page):
    labels = [m.label for m in page.metric]
    assert "SPI(t) (délais, durée acquise)" in labels
    assert "SPI" not in labels and not any(label.startswith("SPI (") for label in labels)
    spi = next(m for m in page.metric if m.label.startswith("SPI(t)"))
    assert spi.value == "0,91"
    assert "SPI (coûts)" in spi.proto.help  # the help says which one it is not


def test_verdict_says_late_and_by_how_much(page):
    errors = [e.value for e in page.error]
    assert any(
        "18/01/2027" in text and "33 jours" in text and "16/12/2026" in text for text in errors
    )


def test_gantt_has_every_task_and_the_critical_tasks_in_red(page):
    gantt = json.loads(page.get("plotly_chart")[0].proto.spec)
    traces = {trace["name"]: trace for trace in gantt["data"]}
    forecast_bars = traces["Prévision"]
    milestones = traces["Jalon (prévision)"]
    assert len(forecast_bars["y"]) + len(milestones["y"]) == 69
    red = [
        y
        for y, color in zip(forecast_bars["y"], forecast_bars["marker"]["color"], strict=True)
        if color == "#c0392b"
    ]
    assert any(label.startswith("T52 ") for label in red)  # peinture intérieure drives the finish
    annotations = [a["text"] for a in gantt["layout"]["annotations"]]
    assert "Situation 20/11/2026" in annotations
    assert "Fin contractuelle 16/12/2026" in annotations


def test_late_table_lists_the_reception_first_with_both_floats(page, situation):
    table = view.late_tasks_table(situation.schedule, situation.planning, "fr")
    frame = screen_frame(page, table).set_index("task_id")
    assert frame.index[0] in {"T68", "T69"}
    assert frame.iloc[0]["delay_calendar_days"] >= 33
    labels = dict(zip(table.ids, table.labels, strict=True))
    assert labels["total_float"] == "Marge sur le réseau"
    assert labels["float_to_contract"] == "Marge sur la fin contractuelle"
    # T66 has 12 working days of float on the network, but finishes 8 working days after the
    # contractual end: the two floats are both shown, under two names
    assert (frame.loc["T66", "total_float"], frame.loc["T66", "float_to_contract"]) == (12, -8)


def test_every_table_on_screen_holds_the_workbook_values(page, situation):
    content = build_workbook(situation, SOURCES, [], "fr")
    planning, schedule = situation.planning, situation.schedule
    tables = [
        view.late_tasks_table(schedule, planning, "fr"),
        view.milestones_table(schedule, planning, "fr"),
        view.checks_table(planning, situation.settings.high_float_days, "fr"),
        view.tasks_table(schedule, planning, "fr"),
    ]
    for table in tables:
        shown = dataclasses.replace(table, frame=screen_frame(page, table))
        sheet = workbook_table(content, table.key)
        assert list(sheet.columns) == table.labels, table.key
        assert table_values(shown) == sheet_values(sheet), table.key
        assert len(sheet) == len(table) > 0, table.key


def test_checks_panel(page):
    checks = page.dataframe[2].value.set_index("check")
    assert checks.loc["Test du chemin critique", "result"] == "✓ conforme"
    assert checks.loc["Avances (décalages négatifs)", "count"] == 2
    assert checks.loc["Marges négatives sur la fin contractuelle", "count"] == 15
    # passed: high float, long tasks, invalid dates and the critical path test
    assert "4 contrôles réussis sur 12 applicables." in [c.value for c in page.caption]


def test_lot_filter_narrows_the_gantt(page):
    page.multiselect(key="planning.lot_filter").set_value(["Peinture"]).run()
    gantt = json.loads(page.get("plotly_chart")[0].proto.spec)
    bars = next(t for t in gantt["data"] if t["name"] == "Prévision")
    assert sorted(label.split(" ")[0] for label in bars["y"]) == ["T52", "T53", "T63"]
    page.multiselect(key="planning.lot_filter").set_value([]).run()


def test_page_in_english(page):
    page.radio(key="app.lang").set_value("en").run()
    values = metrics(page)
    assert values["Forecast finish"] == "18/01/2027"
    assert values["Delay to contract"] == "+33 days"  # no French "j" in the English page
    assert "SPI(t) (time, earned schedule)" in values
    assert "4 of 12 applicable checks passed." in [c.value for c in page.caption]
    page.radio(key="app.lang").set_value("fr").run()
