"""The 5 × 5 risk heat map: probability up, impact across, each cell coloured by its band and
labelled with the ids of the open risks it holds."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.style import plain_text
from i18n import translate

#: the band colours, lighter than the ratings' so the ids stay legible on them
CELL_COLORS = {"red": "#e8a39b", "amber": "#f6d58e", "green": "#a9d8b8"}


def risk_heat_map(cells: pd.DataFrame, lang: str = "fr", height: int = 360) -> go.Figure:
    """``cells``: ``views.governance.heat_cells`` (probability, impact, count, label, color)."""
    figure = go.Figure()
    squares = [
        {
            "type": "rect",
            "x0": int(cell["impact"]) - 0.5,
            "x1": int(cell["impact"]) + 0.5,
            "y0": int(cell["probability"]) - 0.5,
            "y1": int(cell["probability"]) + 0.5,
            "line": {"color": "#ffffff", "width": 2},
            "fillcolor": CELL_COLORS.get(cell["color"], "#eeeeee"),
            "layer": "below",
        }
        for _, cell in cells.iterrows()
    ]
    figure.update_layout(shapes=squares)  # in one call, as the other charts
    hover = [
        translate(
            "registers.heat_hover",
            lang,
            p=int(c["probability"]),
            i=int(c["impact"]),
            count=int(c["count"]),
        )
        + (f"<br>{plain_text(c['label'])}" if c["label"] else "")
        for _, c in cells.iterrows()
    ]
    figure.add_trace(
        go.Scatter(
            x=cells["impact"],
            y=cells["probability"],
            mode="text",
            text=[plain_text(label).replace(", ", "<br>") for label in cells["label"]],
            textfont={"size": 12, "color": "#1F2D30"},
            hovertext=hover,
            hoverinfo="text",
            showlegend=False,
        )
    )
    axis = {
        "tickmode": "array",
        "tickvals": [1, 2, 3, 4, 5],
        "range": [0.5, 5.5],
        "fixedrange": True,
    }
    figure.update_layout(
        height=height,
        margin={"l": 60, "r": 10, "t": 36, "b": 50},
        title={"text": translate("registers.heat_title", lang), "font": {"size": 15}},
        xaxis={**axis, "title": {"text": translate("registers.heat_impact", lang)}},
        yaxis={**axis, "title": {"text": translate("registers.heat_probability", lang)}},
        plot_bgcolor="#ffffff",
        meta={"chart": "risk_heat_map"},
    )
    return figure
