"""The milestone trend chart of the weekly review: at each situation (x), the forecast date of
each key milestone (y). A flat line is a stable milestone, a rising one is slipping; each
milestone's baseline date is its dotted horizontal reference, and the forecast finish of the
whole project is drawn over the weeks beside them."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.style import COLORS, french_dates, hover_date, month_ticks, note_figure, plain_text
from i18n import translate
from i18n.format import format_date
from loaders.schema import SCHEDULE
from tracking.compare import COMPARED
from views.format import signed_days

#: one colour per milestone line (the project finish is dark grey, dashed)
MILESTONE_COLORS = (
    "#1f6f8b",
    "#e67e22",
    "#2e8b57",
    "#8e44ad",
    "#c0392b",
    "#b7950b",
    "#16a085",
    "#d35400",
    "#34495e",
    "#7f8c8d",
)
#: ``meta`` of each trace, for readers of the figure (tests, the export)
MILESTONE, BASELINE, PROJECT = "milestone", "baseline", "project_finish"
#: above this many situations the x axis is labelled by month, not by status date
DATE_TICKS_MAX = 16


def _label(task_id: object, name: object) -> str:
    """``T69 Réception provisoire``, imported text escaped (``charts.style.plain_text``)."""
    text = f"{task_id} {name}".strip() if pd.notna(task_id) else str(name)
    return plain_text(text)


def _days(delta: pd.Timedelta, lang: str) -> str:
    """A shift in days with its sign and its plural: ``+11 j``, ``+1 day``, ``±0 days``."""
    days = int(delta / pd.Timedelta(days=1))
    return signed_days(days, lang) if days else "±" + signed_days(0, lang)


def milestone_trend_figure(
    trend: pd.DataFrame,
    project_finish: pd.DataFrame | None = None,
    *,
    lang: str = "fr",
    height: int = 460,
) -> go.Figure:
    """``trend`` is ``tracking.compare.milestone_trend``'s frame (status_date, task_id, name,
    baseline_finish, forecast_finish); ``project_finish`` has one row per situation
    (status_date, forecast_finish). Milestones come in the order of their baseline date.
    Nothing dated to draw (no milestone, no project forecast yet: the launch of works): a
    figure that says so (``no_milestones``)."""

    def tr(key: str, **params) -> str:
        return translate(f"review.chart.{key}", lang, **params)

    dated = trend[COMPARED.forecast_finish].notna().any() if len(trend) else False
    finishes = project_finish is not None and project_finish[COMPARED.forecast_finish].notna().any()
    if not dated and not finishes:
        return note_figure("no_milestones", lang, height)
    figure = go.Figure()
    situations = sorted(pd.to_datetime(trend[COMPARED.status_date]).unique())
    if project_finish is not None and not project_finish.empty:
        situations = sorted(
            set(situations) | set(pd.to_datetime(project_finish[COMPARED.status_date]))
        )
    first, last = (situations[0], situations[-1]) if situations else (None, None)
    order = (
        trend.groupby(SCHEDULE.task_id, sort=False)
        .agg(
            baseline=(SCHEDULE.baseline_finish, "first"), first=(COMPARED.forecast_finish, "first")
        )
        .sort_values(["baseline", "first"], na_position="last")
        .index
    )
    values: list[pd.Timestamp] = []
    ends: list[pd.Timestamp] = []
    if project_finish is not None and not project_finish.empty:
        # drawn first, under the milestones: it often coincides with the last one
        finish = project_finish.dropna(subset=[COMPARED.forecast_finish]).sort_values(
            COMPARED.status_date
        )
        figure.add_trace(
            go.Scatter(
                name=tr("project_finish"),
                x=finish[COMPARED.status_date],
                y=finish[COMPARED.forecast_finish],
                mode="lines+markers",
                line={"color": COLORS["status"], "width": 7, "dash": "dash"},
                marker={"size": 11, "symbol": "diamond", "color": COLORS["status"]},
                opacity=0.35,
                meta=PROJECT,
                hovertemplate=tr("project_finish")
                + "<br>"
                + tr("hover_situation")
                + " %{x|%d/%m/%Y} : %{y|%d/%m/%Y}<extra></extra>",
            )
        )
        values.extend(finish[COMPARED.forecast_finish])
    baselines = []
    labels: list[dict] = []  # the end-of-line dates, set in one call below
    for position, task_id in enumerate(order):
        rows = trend[trend[SCHEDULE.task_id] == task_id].sort_values(COMPARED.status_date)
        color = MILESTONE_COLORS[position % len(MILESTONE_COLORS)]
        label = _label(task_id, rows[SCHEDULE.name].iloc[-1])
        baseline = rows[SCHEDULE.baseline_finish].dropna()
        baseline = baseline.iloc[-1] if len(baseline) else pd.NaT
        forecasts = rows[COMPARED.forecast_finish]
        shifts = [
            tr("hover_shift", days=_days(f - baseline, lang))
            if pd.notna(baseline) and pd.notna(f)
            else ""
            for f in forecasts
        ]
        figure.add_trace(
            go.Scatter(
                name=label,
                x=rows[COMPARED.status_date],
                y=forecasts,
                mode="lines+markers",
                line={"color": color, "width": 2.5},
                marker={"size": 7, "color": color},
                legendgroup=str(task_id),
                meta=MILESTONE,
                customdata=shifts,
                hovertemplate=tr("hover_milestone", label=label)
                + "<br>"
                + tr("hover_situation")
                + " %{x|%d/%m/%Y} : %{y|%d/%m/%Y} %{customdata}<extra></extra>",
            )
        )
        values.extend(forecasts.dropna())
        latest = rows.dropna(subset=[COMPARED.forecast_finish])
        if len(latest):
            end = latest.iloc[-1]
            ends.append(end[COMPARED.forecast_finish])
            text = format_date(end[COMPARED.forecast_finish], lang)
            if pd.notna(baseline):
                text += " " + tr(
                    "end_shift", days=_days(end[COMPARED.forecast_finish] - baseline, lang)
                )
            labels.append(
                {
                    "x": end[COMPARED.status_date],
                    "y": end[COMPARED.forecast_finish],
                    "text": text,
                    "showarrow": False,
                    "xanchor": "left",
                    "xshift": 10,
                    "font": {"color": color, "size": 11},
                }
            )
        if pd.notna(baseline) and first is not None:
            baselines.append((task_id, label, color, baseline))
            values.append(baseline)
    for task_id, label, color, baseline in baselines:  # dotted, over the solid lines
        figure.add_trace(
            go.Scatter(
                name=tr("baseline_of", label=label),
                x=[first, last],
                y=[baseline, baseline],
                mode="lines",
                line={"color": color, "width": 2, "dash": "dot"},
                legendgroup=str(task_id),
                showlegend=False,
                meta=BASELINE,
                hovertemplate=tr("hover_baseline", label=label, date=hover_date(baseline))
                + "<extra></extra>",
            )
        )
    if project_finish is not None and not project_finish.empty:
        finish = project_finish.dropna(subset=[COMPARED.forecast_finish]).sort_values(
            COMPARED.status_date
        )
        if len(finish) and finish[COMPARED.forecast_finish].iloc[-1] not in ends:
            labels.append(
                {
                    "x": finish[COMPARED.status_date].iloc[-1],
                    "y": finish[COMPARED.forecast_finish].iloc[-1],
                    "text": format_date(finish[COMPARED.forecast_finish].iloc[-1], lang),
                    "showarrow": False,
                    "xanchor": "left",
                    "xshift": 10,
                    "font": {"color": COLORS["status"], "size": 11},
                }
            )

    # set at once: add_annotation one at a time re-validates the whole list (quadratic: 3,7 s
    # for 160 milestones)
    figure.update_layout(annotations=[*figure.layout.annotations, *labels])
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 130, "t": 10, "b": 10},
        plot_bgcolor="white",
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        hovermode="closest",
    )
    if values:
        low, high = min(values), max(values)
        pad = pd.Timedelta(days=max(4, (high - low).days // 12))
        figure.update_yaxes(
            type="date",
            range=[low - pad, high + pad],
            gridcolor="#e6e6e6",
            minor={"dtick": 7 * 86_400_000, "showgrid": True, "gridcolor": "#f4f4f4"},
            title=tr("y_title"),
            **month_ticks(low - pad, high + pad, lang),
            **french_dates(lang),
        )
    if situations:
        span = pd.Timedelta(days=3)
        if len(situations) <= DATE_TICKS_MAX:
            ticks = {
                "tickvals": list(situations),
                "ticktext": [format_date(d, lang)[:5] for d in situations],
            }
        else:
            ticks = month_ticks(first, last, lang)
        figure.update_xaxes(
            type="date",
            range=[first - span, last + span],
            gridcolor="#eeeeee",
            title=tr("x_title"),
            **ticks,
            **french_dates(lang),
        )
    return figure
