"""The Planning page with a schedule from a planning tool (``tests.tracking.summaries``: two
lots under a project summary, constraints, two calendars, the tool's float): the Gantt draws the
summaries as summary bars, the task table shows the tool's columns, no summary is listed late.
The data in use is that schedule (``ui.shared.current_data`` replaced), the settings those of
the sample project with its works starting on 02/03/2026 for one month."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui.export_button
import ui.shared
from i18n import translate
from tests.tracking.summaries import STATUS, TOOL_CALENDARS, with_tool_data
from ui.shared import ProjectData

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outline")
    text = (ROOT / "data" / "project.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^works_start = .*$", "works_start = 2026-03-02", text)
    text = re.sub(r"(?m)^duration_months = .*$", "duration_months = 1", text)
    # the sample's workbooks are named relative to the settings file: name them from data/
    for name in ("planning_travaux", "suivi_financier", "programme_surfaces"):
        text = text.replace(f'"{name}.xlsx"', f'"{ROOT / "data" / name}.xlsx"')
    project = folder / "project.toml"
    project.write_text(text, "utf-8")

    def data(today=None):
        return ProjectData(
            schedule=with_tool_data(),
            budget=None,
            contracts=None,
            spending=None,
            floor_areas=None,
            status_date=STATUS.date(),
            sources={"schedule": "technopark.mpp"},
            calendars=TOOL_CALENDARS,
        )

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRACKER_PROJECT", str(project))
        patch.setenv("TRACKER_DB", str(folder / "history.sqlite"))
        patch.setattr(ui.shared, "current_data", data)
        patch.setattr(ui.export_button, "current_data", data)
        st.cache_data.clear()
        at = AppTest.from_file(str(APP), default_timeout=90).run()
        at.switch_page("pages/planning.py").run()
        assert not at.exception, [e.value for e in at.exception]
        yield at
    st.cache_data.clear()


def test_the_gantt_draws_the_summaries_as_summary_bars(page):
    gantt = json.loads(page.get("plotly_chart")[0].proto.spec)
    traces = [trace for trace in gantt["data"] if trace.get("name") == "Récapitulative"]
    bar = next(trace for trace in traces if trace["type"] == "bar")
    assert [label.split(" · ")[0] for label in bar["y"]] == ["<b>P", "<b>GO", "<b>CES"]
    forecast = next(trace for trace in gantt["data"] if trace.get("name") == "Prévision")
    assert [label.split(" · ")[0] for label in forecast["y"]] == ["A", "B", "C", "D"]


def test_the_task_table_shows_the_tool_columns(page):
    frames = [d.value for d in page.dataframe if "calendar_name" in d.value.columns]
    assert len(frames) == 1
    tasks = frames[0].set_index("task_id")
    assert tasks.loc["GO", "wbs"] == "1.1"
    assert tasks.loc["B", "constraint"] == "Début au plus tôt le 09/03/2026"
    assert tasks.loc["C", "calendar_name"] == "7 jours"
    assert tasks.loc["CES", "file_total_float"] == 2.0


def test_no_summary_is_listed_late(page):
    late = next(
        d.value
        for d in page.dataframe
        if "float_to_contract" in d.value.columns
        and "comment" in d.value.columns
        and "wbs" not in d.value.columns
    )
    assert {"B", "C", "D"} <= set(late["task_id"])
    assert not {"P", "GO", "CES"} & set(late["task_id"])


def test_every_part_of_the_page_is_drawn(page):
    """No part of the page fell back on its error box, nor the page on its safety net."""
    boxes = {translate("app.part_error", "fr"), translate("app.page_error", "fr")}
    shown = {w.value for w in page.warning} | {e.value for e in page.error}
    assert not boxes & shown
    assert page.title[0].value == "Planning des travaux"
