"""Imported text (a lot, a task id, a budget line's name, a room) reaches a plotly label or
hover escaped: plotly reads ``<b>``, ``<br>`` and ``<a href>`` in its texts, so a lot named
``<a href=…>`` would become a live link and a task id starting with ``<b>`` a lot heading."""

from __future__ import annotations

import pandas as pd

from charts.areas import areas_by_level_figure, areas_treemap_figure
from charts.gantt import gantt_figure, gantt_rows
from charts.review import milestone_trend_figure
from charts.spending import budget_lines_figure
from tests.tracking.stage_data import stage_situation
from tracking.compare import milestone_trend
from tracking.planning import planning_overview

LINK = '<a href="http://evil.example/">Lot piégé</a>'
BOLD_ID = "<b>T02"


def hostile_schedule() -> pd.DataFrame:
    schedule = stage_situation("completion").schedule
    return schedule.assign(
        lot=schedule["lot"].where(schedule["task_id"] != "T02", LINK),
        task_id=schedule["task_id"].where(schedule["task_id"] != "T02", BOLD_ID),
        predecessors=schedule["predecessors"].str.replace("T02", "<b>T02", regex=False),
    )


def test_gantt_labels_and_hovers_show_html_as_typed():
    situation = stage_situation("completion")
    schedule = hostile_schedule()
    planning = planning_overview(schedule, situation.settings, situation.status_date)
    figure = gantt_figure(
        gantt_rows(schedule, planning.tasks),
        status_date=situation.status_date,
        contractual_end=situation.settings.contractual_end,
        works_start=situation.settings.works_start,
    )
    categories = list(figure.layout.yaxis.categoryarray)
    headings = [c for c in categories if c.startswith("<b>")]
    assert '<b>&lt;a href="http://evil.example/"&gt;Lot piégé&lt;/a&gt;</b>' in headings
    assert len(headings) == schedule["lot"].nunique()  # the bold task id is no heading
    assert any(c.startswith("&lt;b&gt;T02 · ") for c in categories)
    texts = [str(t) for trace in figure.data for t in (trace.hovertext or ())]
    assert texts and not any("<a " in t or "<b>T02" in t for t in texts)


def test_budget_lines_areas_and_milestones_escape_imported_text():
    situation = stage_situation("completion")
    chain = situation.spending.chain.assign(name="<i>Gros</i> œuvre & VRD")
    labels = list(budget_lines_figure(chain).data[0].y)
    assert all("&lt;i&gt;Gros&lt;/i&gt; œuvre &amp; VRD" in label for label in labels)

    spaces = situation.areas.spaces.assign(name="<a href='x'>Bureau</a>")
    treemap = areas_treemap_figure(spaces)
    assert not any("<a " in str(label) for label in treemap.data[0].labels)
    levels = situation.areas.by_level.assign(level="<b>RDC</b>")
    assert list(areas_by_level_figure(levels).data[0].x)[0] == "&lt;b&gt;RDC&lt;/b&gt;"

    schedule = hostile_schedule()
    planning = planning_overview(schedule, situation.settings, situation.status_date)
    trend = milestone_trend([(situation.status_date, schedule, planning.tasks)])
    trend = trend.assign(name=trend["name"].where(trend["task_id"] != "T69", LINK))
    names = [trace.name for trace in milestone_trend_figure(trend).data]
    assert any("&lt;a href" in name for name in names)
    assert not any("<a " in name for name in names)


def test_a_budget_lines_chart_cut_to_its_limit_keeps_the_most_consumed_lines():
    """Beyond its limit the chart keeps the first lines of the table's order (overruns
    first): the same labels as the whole chart's first ones."""
    from charts.spending import lines_order

    chain = stage_situation("completion").spending.chain
    whole = list(budget_lines_figure(chain).data[0].y)
    cut = list(budget_lines_figure(chain, limit=5).data[0].y)
    assert len(chain) > 5 and len(whole) == len(chain)
    assert cut == whole[:5]
    first = lines_order(chain).iloc[0]
    assert str(first["line_id"]) in cut[0]
