"""The Planning page in real Chromium: opened directly by its address, the Gantt draws one
bar per task and a diamond per milestone, and the sidebar of app.py is there."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TASKS, MILESTONES = 69, 6


def test_gantt_renders_every_task(page, app_url):
    page.goto(app_url.rstrip("/") + "/planning")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.get_by_role("heading", name="Planning des travaux", level=1).wait_for()
    # opened by its address, the page still has the app's sidebar (navigation, status date)
    page.get_by_text("Date de situation").first.wait_for()
    gantt = page.locator(".js-plotly-plot").first
    gantt.locator(".barlayer .trace").first.wait_for()
    bar_traces = gantt.locator(".barlayer .trace")
    assert bar_traces.count() == 3  # baseline, forecast, done
    forecast_bars = bar_traces.nth(1).locator(".point")
    assert forecast_bars.count() == TASKS - MILESTONES
    diamonds = gantt.locator(".scatterlayer .trace").nth(1).locator(".point")
    assert diamonds.count() == MILESTONES
    labels = [text.text_content() for text in gantt.locator(".annotation-text").all()]
    assert "Situation 20/11/2026" in labels and "Fin contractuelle 16/12/2026" in labels
    # the bars have a width on screen: the chart is drawn, not just mounted
    box = forecast_bars.first.bounding_box()
    assert box is not None and box["width"] > 2


def test_the_date_labels_sit_above_the_first_lot_heading(page, app_url):
    """The status date and the contractual end are labelled in blank rows at the top of the
    plot: neither label covers the first lot's heading row or its first task."""
    page.goto(app_url.rstrip("/") + "/planning")
    gantt = page.locator(".js-plotly-plot").first
    gantt.locator(".barlayer .trace").first.wait_for()
    heading = gantt.locator('.ytick text[data-unformatted="<b>Installation de chantier</b>"]')
    heading = heading.bounding_box()
    for text in ("Situation 20/11/2026", "Fin contractuelle 16/12/2026"):
        label = gantt.locator(".annotation-text", has_text=text).bounding_box()
        assert label is not None and heading is not None
        assert label["y"] + label["height"] <= heading["y"] + 1, text
