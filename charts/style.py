"""Shared look of the charts: colours, French date ticks, labelled date lines.

plotly's ``add_vline`` annotation fails on date axes, so date lines are drawn as a shape plus
an annotation.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from babel.dates import format_date

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

_BABEL = {"fr": "fr_FR", "en": "en_GB"}


def hover_date(value) -> str:
    return format_day(value)


def month_ticks(start, end, lang: str = "fr", every: int = 1) -> dict:
    """Tick values at month starts between ``start`` and ``end`` with French month labels
    (``févr. 2026``); plotly's own labels would be English."""
    first = pd.Timestamp(start).to_period("M").to_timestamp()
    months = pd.date_range(first, pd.Timestamp(end), freq=f"{every}MS")
    labels = [format_date(m.date(), "MMM yyyy", locale=_BABEL.get(lang, "fr_FR")) for m in months]
    return {"tickvals": list(months), "ticktext": labels}


def french_dates(lang: str = "fr") -> dict:
    """Axis options so hover and ticks read dd/mm/yyyy."""
    return {"hoverformat": "%d/%m/%Y"}


def date_line(
    figure: go.Figure, when, label: str, color: str, row: int = 0, at_bottom: bool = False
) -> None:
    """A vertical dashed line across the plot at ``when`` with ``label`` at the top, written
    left of the line (a line near the right edge keeps its label inside the chart); ``row``
    1 writes the label one line lower, so two close dates do not collide."""
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
        xanchor="right",
        yanchor="bottom" if at_bottom else "top",
        yshift=18 * row if at_bottom else -18 * row,
        font={"color": color, "size": 11},
        bgcolor="rgba(255,255,255,0.85)",
    )
