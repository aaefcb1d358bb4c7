"""The Spending page in real Chromium: opened by its address, its four charts are drawn with
something visible in each (the waterfall's nine steps, the curves, one row per budget line,
the three earned-value curves)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

BUDGET_LINES = 22


def drawn_width(locator) -> float:
    box = locator.bounding_box()
    return 0.0 if box is None else box["width"]


def test_spending_charts_render(page, app_url):
    page.goto(app_url.rstrip("/") + "/spending")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.get_by_role("heading", name="Dépenses", level=1).wait_for()
    page.get_by_text("Date de situation").first.wait_for()
    charts = page.locator(".js-plotly-plot")
    charts.nth(3).locator(".main-svg").first.wait_for()
    assert charts.count() == 4

    # 1. the waterfall: nine bars from the envelope to the net paid
    waterfall = charts.nth(0)
    steps = waterfall.locator(".waterfalllayer .point")
    steps.first.wait_for()
    assert steps.count() == 9
    assert drawn_width(steps.first) > 5
    assert "15,20 MDH" in waterfall.inner_text()

    # 2. cumulative curves: planned, issued, paid, paid net, envelope, each a drawn line
    curve = charts.nth(1)
    lines = curve.locator(".scatterlayer .trace .js-line")
    assert lines.count() == 5
    assert all(len(lines.nth(i).get_attribute("d") or "") > 20 for i in range(lines.count()))
    labels = [text.text_content() for text in curve.locator(".annotation-text").all()]
    assert "Situation 20/11/2026" in labels

    # 3. one row per budget line, the overrun of TR-01 in red beside its bar
    bars = charts.nth(2)
    engaged = bars.locator(".barlayer .trace").first.locator(".point")
    assert engaged.count() == BUDGET_LINES
    assert drawn_width(engaged.first) > 50  # TR-01, 100 % of its budget
    assert "dépassement" in bars.inner_text()

    # 4. earned value: PV, EV, AC and the BAC / EAC lines
    evm = charts.nth(3)
    assert evm.locator(".scatterlayer .trace .js-line").count() == 5
    assert "EV : valeur acquise" in evm.inner_text()
