"""The Gantt of a schedule with summary rows (``tests.tracking.summaries``): the planning tool's
outline, each summary a thin dark bar spanning its children, never in the late or critical
colour, and the names indented by outline level.

Forecast at 11/03/2026: A 02/03–06/03 (done), B 09/03–16/03, C 17/03–23/03, D 17/03–30/03
(``tests.tracking.test_summaries``); so GO spans 02/03–16/03, CES 17/03–30/03 and the project
P 02/03–30/03, whatever the file's own summary dates (P's 10/04 was not rescheduled).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from charts.gantt import gantt_figure, gantt_rows
from charts.style import COLORS
from tests.tracking.summaries import STATUS, T, summary_settings, with_summaries
from tracking.planning import planning_overview
from views.planning import gantt_selection

ROOT = Path(__file__).resolve().parents[2]
DAY_MS = 86_400_000


@pytest.fixture(scope="module")
def overview():
    settings = summary_settings()
    return settings, planning_overview(with_summaries(), settings, STATUS)


def figure_of(settings, rows):
    return gantt_figure(
        rows,
        status_date=STATUS,
        contractual_end=settings.contractual_end,
        works_start=settings.works_start,
        lang="fr",
    )


def test_rows_follow_the_outline(overview):
    _settings, planning = overview
    rows = gantt_rows(with_summaries(), planning.tasks)
    assert rows["task_id"].tolist() == ["P", "GO", "A", "B", "CES", "C", "D"]
    assert rows["gantt_level"].tolist() == [1, 2, 3, 3, 2, 3, 3]


def test_each_summary_bar_spans_its_children(overview):
    settings, planning = overview
    figure = figure_of(settings, gantt_rows(with_summaries(), planning.tasks))
    bars = [
        trace for trace in figure.data if trace.name == "Récapitulative" and trace.type == "bar"
    ]
    assert len(bars) == 1
    (bar,) = bars
    spans = {
        label.split(" · ")[0].removeprefix("<b>"): (
            T(base),
            T(base) + pd.Timedelta(milliseconds=length),
        )
        for label, base, length in zip(bar.y, bar.base, bar.x, strict=True)
    }
    # a bar ends at the end of its finish day (the finish date is inclusive)
    assert spans == {
        "P": (T("2026-03-02"), T("2026-03-31")),
        "GO": (T("2026-03-02"), T("2026-03-17")),
        "CES": (T("2026-03-17"), T("2026-03-31")),
    }
    assert bar.marker.color == COLORS["status"]  # dark, one colour: never late nor critical
    assert bar.width == pytest.approx(0.2)  # thinner than a task's bar (0,46)
    ticks = next(t for t in figure.data if t.name == "Récapitulative" and t.type == "scatter")
    assert ticks.marker.symbol == "triangle-down" and len(ticks.x) == 6  # one at each end


def test_no_summary_is_drawn_as_a_task_nor_in_the_late_colour(overview):
    settings, planning = overview
    figure = figure_of(settings, gantt_rows(with_summaries(), planning.tasks))
    forecast = next(t for t in figure.data if t.name == "Prévision")
    drawn = [label.split(" · ")[0] for label in forecast.y]
    assert drawn == ["A", "B", "C", "D"]
    colours = dict(zip(drawn, forecast.marker.color, strict=True))
    # B, C and D are late (orange) or critical (red); the summaries have no such bar at all
    assert {colours["B"], colours["C"], colours["D"]} <= {COLORS["late"], COLORS["critical"]}
    late_colours = {COLORS["late"], COLORS["critical"]}
    for trace in figure.data:
        if trace.name != "Récapitulative":
            continue
        colour = trace.marker.color
        assert colour not in late_colours


def test_names_are_indented_by_outline_level(overview):
    """The labels are left-aligned annotations, 12 px further right per level; the summaries'
    in bold; the axis's own (right-aligned) labels are hidden."""
    settings, planning = overview
    figure = figure_of(settings, gantt_rows(with_summaries(), planning.tasks))
    labels = {a.text: a.xshift for a in figure.layout.annotations if a.yref == "y"}
    assert set(labels) == {
        "<b>P · Technopark</b>",
        "<b>GO · Gros œuvre</b>",
        "A · Terrassements",
        "B · Fondations",
        "<b>CES · Corps d'état secondaires</b>",
        "C · Plomberie",
        "D · Électricité",
    }
    first = labels["<b>P · Technopark</b>"]
    assert labels["<b>GO · Gros œuvre</b>"] - first == 12
    assert labels["A · Terrassements"] - first == 24
    assert figure.layout.yaxis.showticklabels is False
    assert figure.layout.margin.l >= -first  # the labels sit in the left margin


def test_filtering_late_tasks_keeps_their_summaries(overview):
    _settings, planning = overview
    rows = gantt_rows(with_summaries(), planning.tasks)
    assert gantt_selection(rows, [], True)["task_id"].tolist() == ["P", "GO", "B", "CES", "C", "D"]
    assert gantt_selection(rows, ["CES"], False)["task_id"].tolist() == ["P", "CES", "C", "D"]


def test_a_schedule_without_summaries_keeps_its_lot_headings(overview):
    settings, planning = overview
    frame = with_summaries()
    tasks = frame[~frame["is_summary"]]
    figure = figure_of(settings, gantt_rows(tasks, planning.tasks.loc[tasks.index]))
    assert not any(trace.name == "Récapitulative" for trace in figure.data)
    categories = list(figure.layout.yaxis.categoryarray)
    assert categories[0] == "<b>Gros œuvre</b>" and "<b>CES</b>" in categories
    assert figure.layout.yaxis.showticklabels is not False


def test_the_date_axis_shows_every_bar_even_before_the_works_start(overview):
    """The settings' works start is 02/03/2026 here; a schedule that starts earlier (an imported
    plan with preparation tasks) or a baseline that ends later than everything else must stay
    in view: the axis runs from a week before the earliest bar to ten days after the latest.

    BUG (charts/gantt.py ``gantt_figure``): the axis began at the works start whatever the
    tasks, so the first weeks of an imported .mpp were cut off the chart."""
    settings, planning = overview
    rows = gantt_rows(with_summaries(), planning.tasks)
    early = rows.assign(
        **{
            "baseline_start": rows["baseline_start"].where(rows["task_id"] != "A", T("02/02/2026")),
            "baseline_finish": rows["baseline_finish"].where(
                rows["task_id"] != "D", T("15/05/2026")
            ),
        }
    )
    axis = figure_of(settings, early).layout.xaxis.range
    first, last = (pd.Timestamp(value) for value in axis)
    assert first == T("02/02/2026") - pd.Timedelta(days=7)
    assert last == T("15/05/2026") + pd.Timedelta(days=10)
    # without those, the works start and the latest of the contract end and the forecast
    plain = [pd.Timestamp(v) for v in figure_of(settings, rows).layout.xaxis.range]
    assert plain[0] == pd.Timestamp(settings.works_start) - pd.Timedelta(days=7)
