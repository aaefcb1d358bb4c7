"""Every chart of every page over each stage of the works (``data/stages/``) and over empty
inputs: a figure always comes back, no label, hover or annotation says ``nan`` or ``None``, and
a chart with nothing (or nothing actual) to draw says why in words (``charts.style``)."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from charts.areas import areas_by_category_figure, areas_by_level_figure, areas_treemap_figure
from charts.gantt import gantt_figure, gantt_rows
from charts.progress import progress_figure
from charts.review import milestone_trend_figure
from charts.spending import (
    budget_lines_figure,
    cash_flow_figure,
    chain_figure,
    earned_value_figure,
    envelope_bars_figure,
)
from charts.style import figure_note
from i18n import translate
from tests.tracking.stage_data import STAGES, stage_situation
from tracking.compare import milestone_trend

UNSAYABLE = re.compile(r"\b(nan|NaN|None|inf|NaT|undefined)\b")
LANGS = ("fr", "en")


def figures(stage: str, lang: str) -> dict[str, go.Figure]:
    """The charts the pages draw for ``stage``, with the arguments the pages give."""
    situation = stage_situation(stage)
    planning, spending, areas = situation.planning, situation.spending, situation.areas
    settings, status = situation.settings, situation.status_date
    trend = milestone_trend([(status, situation.schedule, planning.tasks)])
    finish = pd.DataFrame(
        {
            "status_date": [pd.Timestamp(status)],
            "forecast_finish": [planning.forecast.forecast_finish],
        }
    )
    return {
        "progress": progress_figure(
            planning.planned_curve,
            planning.actual_curve,
            status_date=status,
            actual_at_status=planning.actual_percent,
            planned_at_status=planning.planned_percent,
            lang=lang,
        ),
        "gantt": gantt_figure(
            gantt_rows(situation.schedule, planning.tasks),
            status_date=status,
            contractual_end=settings.contractual_end,
            works_start=settings.works_start,
            lang=lang,
        ),
        "chain": chain_figure(spending.totals, lang=lang),
        "cash_flow": cash_flow_figure(
            spending.cash_flow,
            envelope=spending.totals.envelope,
            status_date=status,
            contractual_end=spending.contractual_end,
            lang=lang,
        ),
        "lines": budget_lines_figure(spending.chain, lang=lang),
        "earned_value": earned_value_figure(
            spending.earned_series,
            spending.earned,
            status_date=status,
            start=spending.works_start,
            lang=lang,
        ),
        "envelope": envelope_bars_figure(spending.totals, lang=lang),
        "treemap": areas_treemap_figure(areas.spaces, lang),
        "levels": areas_by_level_figure(areas.by_level, lang),
        "categories": areas_by_category_figure(areas.by_category, lang),
        "trend": milestone_trend_figure(trend, finish, lang=lang),
    }


def texts_of(figure: go.Figure) -> list[str]:
    """Every string a reader can see: trace names, texts, hovers, annotations, ticks."""
    texts: list[str] = []

    def add(value) -> None:
        if value is None:
            return
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list | tuple):
            for item in value:
                add(item)
        elif hasattr(value, "tolist"):
            add(value.tolist())

    for trace in figure.data:
        for attribute in ("name", "text", "hovertext", "hovertemplate", "customdata", "labels"):
            add(getattr(trace, attribute, None))
    for annotation in figure.layout.annotations:
        add(annotation.text)
    for axis in (figure.layout.xaxis, figure.layout.yaxis):
        add(axis.ticktext)
    return texts


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stage", STAGES)
def test_no_chart_text_says_nan_or_none(stage, lang):
    for name, figure in figures(stage, lang).items():
        texts = texts_of(figure)
        assert texts, name  # the check below reads something
        bad = [t for t in texts if UNSAYABLE.search(t)]
        assert bad == [], name


@pytest.mark.parametrize("lang", LANGS)
def test_launch_charts_say_what_is_not_there_yet(lang):
    shown = figures("launch", lang)
    expected = {
        "progress": "stages.chart.no_progress",
        "chain": "stages.chart.no_decompte",
        "cash_flow": "stages.chart.no_decompte",
        "earned_value": "stages.chart.no_earned_value",
    }
    for name, key in expected.items():
        note, empty = figure_note(shown[name])
        assert (note, empty) == (key, False), name
        annotations = [a.text.replace("<br>", " ") for a in shown[name].layout.annotations]
        assert translate(key, lang) in annotations, name
    # the plan is still drawn under the note
    assert len(shown["progress"].data) >= 2 and len(shown["gantt"].data) >= 3


@pytest.mark.parametrize("lang", LANGS)
def test_completion_charts_have_no_note(lang):
    for name, figure in figures("completion", lang).items():
        assert figure_note(figure) == (None, False), name


def test_the_launch_milestone_trend_has_the_milestones_without_a_project_finish():
    """At launch the project forecast is not available: the project finish line is not drawn,
    the milestones (dated by the plan) are."""
    figure = figures("launch", "fr")["trend"]
    metas = {trace.meta for trace in figure.data}
    assert "milestone" in metas
    project = [t for t in figure.data if t.meta == "project_finish"]
    assert all(len(t.x) == 0 for t in project)


@pytest.mark.parametrize("lang", LANGS)
def test_empty_inputs_give_a_figure_that_says_why(lang):
    situation = stage_situation("launch")
    spending, areas = situation.spending, situation.areas
    planned = pd.Series(dtype=float, index=pd.DatetimeIndex([]))
    cases = {
        "no_dates": progress_figure(
            planned,
            planned,
            status_date=situation.status_date,
            actual_at_status=0.0,
            planned_at_status=0.0,
            lang=lang,
        ),
        "no_tasks": gantt_figure(
            gantt_rows(situation.schedule, situation.planning.tasks).iloc[:0],
            status_date=situation.status_date,
            contractual_end=situation.settings.contractual_end,
            works_start=situation.settings.works_start,
            lang=lang,
        ),
        "no_lines": budget_lines_figure(spending.chain.iloc[:0], lang=lang),
        "no_spaces": areas_treemap_figure(areas.spaces.iloc[:0], lang),
        "no_milestones": milestone_trend_figure(
            pd.DataFrame(
                columns=["status_date", "task_id", "name", "baseline_finish", "forecast_finish"]
            ),
            None,
            lang=lang,
        ),
    }
    for key, figure in cases.items():
        assert figure_note(figure) == (f"stages.chart.{key}", True), key
        assert [a.text for a in figure.layout.annotations] == [
            translate(f"stages.chart.{key}", lang)
        ]
        assert len(figure.data) == 0
    empty_flow = cash_flow_figure(
        spending.cash_flow.iloc[:0],
        envelope=spending.totals.envelope,
        status_date=situation.status_date,
        lang=lang,
    )
    assert figure_note(empty_flow) == ("stages.chart.no_dates", True)
    levels = areas_by_level_figure(areas.by_level.iloc[:0], lang)
    categories = areas_by_category_figure(areas.by_category.iloc[:0], lang)
    assert figure_note(levels)[1] and figure_note(categories)[1]


@pytest.mark.parametrize("lang", LANGS)
def test_the_area_donut_keeps_every_label_inside_the_chart(lang):
    """At the Synthèse's 185 px a label pushed outside a thin slice was cut at the bottom:
    every slice's text is drawn inside it, horizontally; the thin structure slice (5,5 %)
    says its share in its legend entry, its area in its hover."""
    by_category = stage_situation("completion").areas.by_category
    pie = areas_by_category_figure(by_category, lang, height=185).data[0]
    assert pie.textposition == "inside" and pie.insidetextorientation == "horizontal"
    texts = dict(zip(pie.labels, pie.text, strict=True))
    structure = "Structure (6 %)".replace(" %", "\u00a0%")
    assert texts[structure] == ""
    programme = "Espaces du programme" if lang == "fr" else "Programme spaces"
    expected = "1\u202f070\u00a0m²<br>53\u00a0%" if lang == "fr" else "1,070\u00a0m²<br>53\u00a0%"
    assert texts[programme] == expected
    hover = dict(zip(pie.labels, pie.hovertext, strict=True))[structure]
    assert hover == (
        "Structure : 112\u00a0m² (6\u00a0%)"
        if lang == "fr"
        else "Structure: 112\u00a0m² (6\u00a0%)"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_the_level_chart_hovers_in_the_readers_language(lang):
    by_level = stage_situation("completion").areas.by_level
    bars = areas_by_level_figure(by_level, lang).data[0]  # the programme spaces
    assert bars.hovertemplate == "%{customdata}<extra></extra>"
    first = (
        "RDC · Espaces du programme : 240\u00a0m²"
        if lang == "fr"
        else ("RDC · Programme spaces: 240\u00a0m²")
    )
    assert bars.customdata[0] == first
