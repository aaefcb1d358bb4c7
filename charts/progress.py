"""The physical-progress S-curve: planned (from the baseline) against actual."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.style import (
    COLORS,
    add_note,
    date_line,
    french_dates,
    hover_date,
    month_ticks,
    note_figure,
)
from i18n import translate
from i18n.format import format_percent


def progress_figure(
    planned: pd.Series,
    actual: pd.Series,
    *,
    status_date,
    actual_at_status: float,
    planned_at_status: float,
    lang: str = "fr",
    height: int = 380,
) -> go.Figure:
    """``planned`` and ``actual`` are cumulative % (0–100) indexed by date; ``actual`` is NaN
    after the status date. With no date at all: a figure that says so (``no_dates``); before
    any progress is measured, the plan with the note ``no_progress``."""

    def tr(key: str, **params) -> str:
        return translate(f"scurve.{key}", lang, **params)

    if planned.dropna().empty:
        return note_figure("no_dates", lang, height)
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            name=tr("planned"),
            x=planned.index,
            y=planned.values,
            mode="lines",
            line={"color": COLORS["planned"], "width": 2, "dash": "dot"},
            hovertemplate="%{x|%d/%m/%Y} : %{y:.1f} %<extra>" + tr("planned") + "</extra>",
        )
    )
    shown = actual.dropna()
    figure.add_trace(
        go.Scatter(
            name=tr("actual"),
            x=shown.index,
            y=shown.values,
            mode="lines",
            line={"color": COLORS["actual"], "width": 3},
            hovertemplate="%{x|%d/%m/%Y} : %{y:.1f} %<extra>" + tr("actual") + "</extra>",
        )
    )
    status = pd.Timestamp(status_date)
    figure.add_trace(
        go.Scatter(
            name=tr("at_status"),
            x=[status, status],
            y=[planned_at_status, actual_at_status],
            mode="markers+text",
            marker={"color": [COLORS["planned"], COLORS["actual"]], "size": 10},
            text=[
                format_percent(planned_at_status / 100, lang),
                format_percent(actual_at_status / 100, lang),
            ],
            textposition=["top left", "bottom right"],
            hoverinfo="skip",
            showlegend=False,
        )
    )
    start, end = planned.index.min(), planned.index.max()
    early = (status - start) < (end - start) / 4  # the label would run off the left edge
    date_line(
        figure,
        status,
        tr("status_line", date=hover_date(status)),
        COLORS["status"],
        at_bottom=True,
        label_right=early,
    )
    figure.update_layout(
        height=height,
        showlegend=height >= 250,
        margin={"l": 10, "r": 20, "t": 30 if height >= 250 else 5, "b": 10},
        plot_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hovermode="x unified",
    )
    # room above 100 % for the label of a point near the top (a compact chart has no margin)
    top = 115 if max(planned_at_status, actual_at_status) > 88 else 105
    ticks = list(range(0, 101, 50 if height < 250 else 20))
    figure.update_yaxes(
        range=[0, top],
        tickvals=ticks,
        ticktext=[f"{tick}\u00a0%" for tick in ticks],
        gridcolor="#eeeeee",
        title=None,
    )
    if not (shown > 0).any() and not actual_at_status > 0:
        add_note(figure, "no_progress", lang, width=40 if height < 250 else 90)
    figure.update_xaxes(
        type="date",
        range=[start - pd.Timedelta(days=5), end + pd.Timedelta(days=5)],
        gridcolor="#eeeeee",
        **month_ticks(
            start, end, lang, every=(3 if height < 250 else 2) if (end - start).days > 240 else 1
        ),
        **french_dates(lang),
    )
    return figure
