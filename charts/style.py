"""Shared look of the charts: colours, French date ticks, labelled date lines.

plotly's ``add_vline`` annotation fails on date axes, so date lines are drawn as a shape plus
an annotation. ``plain_text``: imported text shown as typed in a label or a hover.
``note_figure`` / ``add_note`` / ``figure_note``: what a chart says when it has
nothing (or nothing actual) to draw yet — every chart function returns a figure, never None.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from babel.dates import format_date

from i18n import babel_locale, translate
from i18n.format import format_date as format_day

COLORS = {
    "bar": "#1f6f8b",
    "critical": "#c0392b",
    "late": "#e67e22",
    "baseline": "#c9ced6",
    "baseline_dark": "#7f8896",
    "status": "#2c3e50",
    "planned": "#7f8896",
    "actual": "#1f6f8b",
    "envelope": "#c0392b",
    "good": "#2e8b57",
}


def plain_text(value: object) -> str:
    """Text from an imported file (a task name, a lot, a payee) for a plotly label or hover:
    plotly reads ``<b>``, ``<br>`` and ``<a href>`` in its texts, so ``<``, ``>`` and ``&``
    are written as entities — a lot named ``<a href=…>`` is shown as typed, never a link, and
    a task id starting with ``<b>`` is not taken for a lot heading."""
    return html.escape(str(value), quote=False)


def hover_date(value) -> str:
    return format_day(value)


def month_ticks(start, end, lang: str = "fr", every: int = 1) -> dict:
    """Tick values at month starts between ``start`` and ``end`` with French month labels
    (``févr. 2026``); plotly's own labels would be English."""
    first = pd.Timestamp(start).to_period("M").to_timestamp()
    months = pd.date_range(first, pd.Timestamp(end), freq=f"{every}MS")
    labels = [format_date(m.date(), "MMM yyyy", locale=babel_locale(lang)) for m in months]
    return {"tickvals": list(months), "ticktext": labels}


def french_dates(lang: str = "fr") -> dict:
    """Axis options so hover and ticks read dd/mm/yyyy."""
    return {"hoverformat": "%d/%m/%Y"}


def date_line(
    figure: go.Figure,
    when,
    label: str,
    color: str,
    row: int = 0,
    at_bottom: bool = False,
    label_right: bool = False,
) -> None:
    """A vertical dashed line across the plot at ``when`` with ``label`` at the top, written
    left of the line (a line near the right edge keeps its label inside the chart), or right
    of it with ``label_right`` (a line near the left edge, the status date at the launch);
    ``row`` 1 writes the label one line lower, so two close dates do not collide."""
    x = pd.Timestamp(when)
    figure.add_shape(
        type="line",
        x0=x,
        x1=x,
        y0=0,
        y1=1,
        xref="x",
        yref="paper",
        line={"color": color, "width": 2, "dash": "dash"},
    )
    figure.add_annotation(
        x=x,
        y=0 if at_bottom else 1,
        xref="x",
        yref="paper",
        text=label,
        showarrow=False,
        xanchor="left" if label_right else "right",
        yanchor="bottom" if at_bottom else "top",
        yshift=18 * row if at_bottom else -18 * row,
        font={"color": color, "size": 11},
        bgcolor="rgba(255,255,255,0.85)",
    )


# --- charts with nothing (or not everything) to draw yet ---------------------------------------
#
# Every chart function returns a figure, never None. When there is nothing to draw (no task, no
# line, no date) the figure has no trace and one centred sentence saying so (``note_figure``);
# when it draws something but the reader must know what is missing (no décompte yet, no
# progress measured yet) the sentence sits at the top of the plot (``add_note``). Both record
# the translation key in ``layout.meta["note"]`` so a page can show the same words beside the
# chart, or skip an empty one (``figure_note``).

NOTE_COLOR = "#5d6d7e"


def _meta(figure: go.Figure) -> dict:
    meta = figure.layout.meta
    return dict(meta) if isinstance(meta, dict) else {}


def note_figure(key: str, lang: str = "fr", height: int = 260) -> go.Figure:
    """An empty chart that says why it is empty: ``stages.chart.<key>`` in the middle, no
    axes, no trace."""
    figure = go.Figure()
    figure.add_annotation(
        text=translate(f"stages.chart.{key}", lang),
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 13, "color": NOTE_COLOR},
    )
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        plot_bgcolor="white",
        meta={"note": f"stages.chart.{key}", "empty": True},
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure


def wrap_lines(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters (plotly never wraps an
    annotation: a long one runs off a narrow chart)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def add_note(figure: go.Figure, key: str, lang: str = "fr", width: int = 90) -> go.Figure:
    """``stages.chart.<key>`` written at the top left of the plot of a chart that still has
    something to show (the plan, the envelope) but nothing actual yet, in lines of ``width``
    characters."""
    figure.add_annotation(
        text=wrap_lines(translate(f"stages.chart.{key}", lang), width),
        x=0.01,
        y=0.98,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="top",
        showarrow=False,
        align="left",
        font={"size": 12, "color": NOTE_COLOR},
        bgcolor="rgba(255,255,255,0.85)",
    )
    figure.update_layout(meta={**_meta(figure), "note": f"stages.chart.{key}", "empty": False})
    return figure


def figure_note(figure: go.Figure) -> tuple[str | None, bool]:
    """(translation key of the figure's note or None, whether the figure is empty)."""
    meta = _meta(figure)
    return meta.get("note"), bool(meta.get("empty", False))
