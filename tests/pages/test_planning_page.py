"""The Planning page on the bundled sample: the figures a project-controls engineer checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture(scope="module")
def page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page("pages/planning.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_headline_figures(page):
    values = metrics(page)
    assert values["Fin prévisionnelle"] == "18/01/2027"
    assert values["Retard sur le délai"] == "+33 j"
    # 1/1000 of the works contract (11 916 625,40 + avenant 571 998,02) per day × 33 days
    assert values["Pénalités de retard encourues"].replace("\u202f", " ") == "412 125\u00a0MAD"
    assert values["Tâches critiques"] == "6"


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


def test_late_table_lists_the_reception_first_with_its_delay(page):
    table = page.dataframe[0].value
    first = table.iloc[0]
    assert first["N°"] in {"T68", "T69"}
    assert first["Retard (j cal.)"] >= 33


def test_checks_panel(page):
    checks = page.dataframe[1].value.set_index("Contrôle")
    assert checks.loc["Test du chemin critique", "Résultat"] == "✓ conforme"
    assert checks.loc["Avances (décalages négatifs)", "Nombre"] == 2


def test_lot_filter_narrows_the_gantt(page):
    page.multiselect(key="planning.lot_filter").set_value(["Peinture"]).run()
    gantt = json.loads(page.get("plotly_chart")[0].proto.spec)
    bars = next(t for t in gantt["data"] if t["name"] == "Prévision")
    assert sorted(label.split(" ")[0] for label in bars["y"]) == ["T52", "T53", "T63"]
    page.multiselect(key="planning.lot_filter").set_value([]).run()


def test_page_in_english(page):
    page.radio(key="app.lang").set_value("en").run()
    assert metrics(page)["Forecast finish"] == "18/01/2027"
    assert metrics(page)["Delay to contract"] == "+33 d"
    page.radio(key="app.lang").set_value("fr").run()
