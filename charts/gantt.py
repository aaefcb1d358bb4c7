"""The Gantt chart: baseline (ghost) and forecast bars grouped by lot, progress on the bar,
milestones as diamonds, the status date and the contractual end as labelled lines.

A schedule from a planning tool has summary rows (a lot, a phase, the project: ``is_summary``):
the chart then follows the tool's outline instead of the lots. Each summary is drawn as MS
Project draws it, a thin dark bar with a tick hanging at each end, spanning its children, the
tasks under it indented by their outline level; a summary is never coloured late or critical
(its children are)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.style import (
    COLORS,
    date_line,
    french_dates,
    hover_date,
    month_ticks,
    note_figure,
    plain_text,
)
from i18n import translate
from loaders.schema import SCHEDULE
from tracking.cpm import CPM
from tracking.forecast import (
    DELAY_CALENDAR_DAYS,
    FLOAT_TO_CONTRACT,
    FORECAST_FINISH,
    FORECAST_START,
    IS_LATE,
)
from tracking.outline import has_outline, outline_levels, outline_order, summary_rows

ROW_HEIGHT = 24
#: blank rows at the top of the plot for the status-date and contractual-end labels (two
#: lines of text), so that they never sit over the first lot heading or its first tasks
LABEL_ROWS = 1.8
_DAY_MS = 86_400_000
#: columns ``gantt_rows`` adds: the row is a summary, its outline level (1 = top)
IS_SUMMARY = SCHEDULE.is_summary
LEVEL = "gantt_level"
#: pixels of indentation per outline level, and of a label's character (11-point labels)
INDENT_PX = 12
CHAR_PX = 6.0
#: the widest the label column may be (pixels), a long name is cut (``_label``) anyway
MAX_LABEL_PX = 380


def gantt_rows(schedule: pd.DataFrame, forecast: pd.DataFrame) -> pd.DataFrame:
    """One row per task in display order with everything the chart draws: lots in the order
    they start, tasks by start date; or, when the schedule has summary rows, the planning
    tool's outline (each summary followed by its children), a summary's forecast spanning its
    children's."""
    frame = schedule.join(forecast.drop(columns=[SCHEDULE.task_id]))
    frame = frame.assign(
        lot=frame[SCHEDULE.lot].fillna("—"),
        plan_start=frame[SCHEDULE.baseline_start].fillna(frame[FORECAST_START]),
        **{IS_SUMMARY: summary_rows(schedule), LEVEL: outline_levels(schedule)},
    )
    if has_outline(schedule):
        return _span_children(frame.loc[outline_order(frame)])
    frame = frame.assign(_row=range(len(frame)))
    firsts = frame.groupby(SCHEDULE.lot).agg(start=("plan_start", "min"), row=("_row", "min"))
    lot_order = firsts.sort_values(["start", "row"]).index
    frame = frame.assign(
        _lot_rank=frame[SCHEDULE.lot].map({lot: i for i, lot in enumerate(lot_order)})
    )
    frame = frame.sort_values(["_lot_rank", "plan_start", FORECAST_START], kind="stable")
    return frame.drop(columns=["_lot_rank", "_row"]).assign(**{LEVEL: 1})


def collapsed_rows(rows: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """The Gantt of a schedule too long to draw task by task: one summary bar per lot (its
    first start to its last finish, baseline likewise, progress weighted by baseline days,
    its largest delay and smallest float), or, for a planning tool's outline, its top two
    levels of summaries. The page says how many tasks each bar stands for."""
    summary = summary_rows(rows)
    if summary.any():
        levels = rows[LEVEL]
        top = levels[summary].min()
        return rows[summary & (levels <= top + 1)]
    tasks = rows.assign(
        _days=((rows[SCHEDULE.baseline_finish] - rows[SCHEDULE.baseline_start]).dt.days + 1)
        .clip(lower=1)
        .fillna(1)
    )
    tasks = tasks.assign(_done=tasks["_days"] * tasks[SCHEDULE.percent_complete].fillna(0.0))
    grouped = tasks.groupby(SCHEDULE.lot, sort=False)
    frame = grouped.agg(
        **{
            FORECAST_START: (FORECAST_START, "min"),
            FORECAST_FINISH: (FORECAST_FINISH, "max"),
            SCHEDULE.baseline_start: (SCHEDULE.baseline_start, "min"),
            SCHEDULE.baseline_finish: (SCHEDULE.baseline_finish, "max"),
            SCHEDULE.actual_start: (SCHEDULE.actual_start, "min"),
            DELAY_CALENDAR_DAYS: (DELAY_CALENDAR_DAYS, "max"),
            CPM.total_float: (CPM.total_float, "min"),
            "_days": ("_days", "sum"),
            "_done": ("_done", "sum"),
            "_count": (SCHEDULE.task_id, "size"),
        }
    ).reset_index()
    names = [
        translate("gantt.lot_bar", lang, lot=lot, count=int(count))
        for lot, count in zip(frame[SCHEDULE.lot], frame["_count"], strict=True)
    ]
    return frame.assign(
        **{
            SCHEDULE.task_id: [f"{number}" for number in range(1, len(frame) + 1)],
            SCHEDULE.name: names,
            SCHEDULE.actual_finish: pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]"),
            SCHEDULE.percent_complete: (frame["_done"] / frame["_days"]).round(1),
            SCHEDULE.milestone: False,
            CPM.is_critical: False,
            IS_LATE: False,
            IS_SUMMARY: True,
            LEVEL: 1,
        }
    ).drop(columns=["_days", "_done", "_count"])


def _span_children(frame: pd.DataFrame) -> pd.DataFrame:
    """Each summary's forecast start and finish: the earliest start and the latest finish of
    the tasks under it (in outline order, the rows after it of a deeper level), so that its bar
    spans its children whatever dates the file rolled up."""
    starts = frame[FORECAST_START].tolist()
    finishes = frame[FORECAST_FINISH].tolist()
    levels = frame[LEVEL].tolist()
    summary = frame[IS_SUMMARY].tolist()
    for row in range(len(frame)):
        if not summary[row]:
            continue
        below = []
        for other in range(row + 1, len(frame)):
            if levels[other] <= levels[row]:
                break
            if not summary[other]:
                below.append(other)
        first = [starts[i] for i in below if pd.notna(starts[i])]
        last = [finishes[i] for i in below if pd.notna(finishes[i])]
        if first and last:
            starts[row], finishes[row] = min(first), max(last)
    return frame.assign(
        **{
            FORECAST_START: pd.Series(starts, index=frame.index, dtype="datetime64[us]"),
            FORECAST_FINISH: pd.Series(finishes, index=frame.index, dtype="datetime64[us]"),
        }
    )


def _label_text(row) -> str:
    """``T05 · Terrassements…``: the row's label as a reader sees it (a long name cut)."""
    name = str(row[SCHEDULE.name])
    name = name if len(name) <= 38 else name[:36] + "…"
    return f"{row[SCHEDULE.task_id]} · {name}"


def _label(row) -> str:
    """``_label_text`` with the imported text escaped (``plain_text``)."""
    name = str(row[SCHEDULE.name])
    name = name if len(name) <= 38 else name[:36] + "…"
    return f"{plain_text(row[SCHEDULE.task_id])} · {plain_text(name)}"


def _outline_labels(figure: go.Figure, rows: pd.DataFrame, y: list[str]) -> int:
    """Row labels left-aligned and indented by outline level, as in the planning tool's task
    list (the axis's own labels are right-aligned: an indentation would not show); the
    summaries' in bold. Returns the width they take, in pixels (the left margin)."""
    levels = rows[LEVEL].clip(lower=1).astype(int).tolist()
    texts = [_label_text(row) for _, row in rows.iterrows()]
    summary = rows[IS_SUMMARY].tolist()
    widest = max(
        INDENT_PX * (level - 1) + CHAR_PX * len(text) * (1.1 if bold else 1.0)
        for level, text, bold in zip(levels, texts, summary, strict=True)
    )
    width = int(min(MAX_LABEL_PX, widest + 12))
    # set at once: add_annotation one by one re-validates the whole list (minutes for 6 000)
    labels = [
        go.layout.Annotation(
            x=0,
            y=label,
            xref="paper",
            yref="y",
            xanchor="left",
            xshift=-width + INDENT_PX * (level - 1),
            text=label,
            showarrow=False,
            font={"size": 11},
            align="left",
        )
        for label, level in zip(y, levels, strict=True)
    ]
    figure.update_layout(annotations=[*figure.layout.annotations, *labels])
    return width


def _span_ms(start: pd.Series, finish: pd.Series) -> pd.Series:
    """Bar length covering whole days: the finish date is inclusive."""
    return ((finish - start).dt.days + 1).clip(lower=0) * _DAY_MS


def gantt_figure(
    rows: pd.DataFrame,
    *,
    status_date,
    contractual_end,
    works_start,
    lang: str = "fr",
) -> go.Figure:
    """``rows`` is ``gantt_rows``' frame (possibly filtered); no row (or no dated task): a
    figure that says so (``no_tasks``)."""

    def tr(key: str, **params) -> str:
        return translate(f"gantt.{key}", lang, **params)

    rows = rows.reset_index(drop=True)
    if rows.empty or rows[FORECAST_FINISH].dropna().empty:
        return note_figure("no_tasks", lang, 320)
    labels = [_label(row) for _, row in rows.iterrows()]
    summary = (
        rows[IS_SUMMARY].fillna(False).astype(bool)
        if IS_SUMMARY in rows
        else pd.Series(False, index=rows.index)
    )
    outline = bool(summary.any())
    y: list[str] = []
    if outline:
        # the planning tool's outline: the summaries are the headings, in bold
        y = [
            f"<b>{label}</b>" if is_summary else label
            for label, is_summary in zip(labels, summary, strict=True)
        ]
        task_y = y
    else:
        # lot headings: a blank bar row whose label is the lot name in bold
        previous = None
        for label, lot in zip(labels, rows[SCHEDULE.lot], strict=True):
            if lot != previous:
                y.append(f"<b>{plain_text(lot)}</b>")
                previous = lot
            y.append(label)
        task_y = [label for label in y if not label.startswith("<b>")]

    milestone = rows[SCHEDULE.milestone].fillna(False).astype(bool) & ~summary
    # a summary is never coloured critical or late: its children are
    critical = rows[CPM.is_critical].fillna(False).astype(bool) & ~summary
    late = rows[IS_LATE].fillna(False).astype(bool) & ~summary
    color = [
        COLORS["critical"] if c else COLORS["late"] if lt else COLORS["bar"]
        for c, lt in zip(critical, late, strict=True)
    ]
    hover = [_hover(row, lang) for _, row in rows.iterrows()]

    figure = go.Figure()
    bars = ~milestone & ~summary
    has_baseline = rows[SCHEDULE.baseline_start].notna() & rows[SCHEDULE.baseline_finish].notna()
    base_rows = rows[bars & has_baseline]
    figure.add_trace(
        go.Bar(
            name=tr("baseline"),
            y=[task_y[i] for i in base_rows.index],
            base=base_rows[SCHEDULE.baseline_start],
            x=_span_ms(base_rows[SCHEDULE.baseline_start], base_rows[SCHEDULE.baseline_finish]),
            orientation="h",
            width=0.22,
            offset=0.12,
            marker={"color": COLORS["baseline"], "line": {"width": 0}},
            hoverinfo="skip",
        )
    )
    forecast_rows = rows[bars]
    figure.add_trace(
        go.Bar(
            name=tr("forecast"),
            y=[task_y[i] for i in forecast_rows.index],
            base=forecast_rows[FORECAST_START],
            x=_span_ms(forecast_rows[FORECAST_START], forecast_rows[FORECAST_FINISH]),
            orientation="h",
            width=0.46,
            offset=-0.36,
            marker={
                "color": [color[i] for i in forecast_rows.index],
                "opacity": 0.45,
                "line": {"width": 0},
            },
            hovertext=[hover[i] for i in forecast_rows.index],
            hoverinfo="text",
        )
    )
    done_share = forecast_rows[SCHEDULE.percent_complete].fillna(0) / 100
    figure.add_trace(
        go.Bar(
            name=tr("progress"),
            y=[task_y[i] for i in forecast_rows.index],
            base=forecast_rows[FORECAST_START],
            x=_span_ms(forecast_rows[FORECAST_START], forecast_rows[FORECAST_FINISH]) * done_share,
            orientation="h",
            width=0.46,
            offset=-0.36,
            marker={"color": [color[i] for i in forecast_rows.index], "line": {"width": 0}},
            hovertext=[hover[i] for i in forecast_rows.index],
            hoverinfo="text",
        )
    )
    groups = rows[summary & rows[FORECAST_START].notna() & rows[FORECAST_FINISH].notna()]
    if len(groups):
        _summary_bars(figure, groups, [task_y[i] for i in groups.index], hover, tr("summary"))
    stones = rows[milestone]
    if len(stones):
        figure.add_trace(
            go.Scatter(
                name=tr("baseline_milestone"),
                y=[task_y[i] for i in stones.index],
                x=stones[SCHEDULE.baseline_finish],
                mode="markers",
                marker={"symbol": "diamond-open", "size": 12, "color": COLORS["baseline_dark"]},
                hoverinfo="skip",
            )
        )
        figure.add_trace(
            go.Scatter(
                name=tr("milestone"),
                y=[task_y[i] for i in stones.index],
                x=stones[FORECAST_FINISH],
                mode="markers",
                marker={
                    "symbol": "diamond",
                    "size": 13,
                    "color": [color[i] for i in stones.index],
                    "line": {"width": 1, "color": "white"},
                },
                hovertext=[hover[i] for i in stones.index],
                hoverinfo="text",
            )
        )

    # every bar in view: a schedule imported from a planning tool can start before the
    # settings' works start (preparation tasks, an older plan) or keep a baseline beyond
    firsts = [
        rows[c].dropna().min() for c in (FORECAST_START, SCHEDULE.baseline_start) if c in rows
    ]
    lasts = [
        rows[c].dropna().max() for c in (FORECAST_FINISH, SCHEDULE.baseline_finish) if c in rows
    ]
    start = min([pd.Timestamp(works_start)] + [pd.Timestamp(d) for d in firsts if pd.notna(d)])
    end = max(
        [pd.Timestamp(contractual_end), pd.Timestamp(status_date)]
        + [pd.Timestamp(d) for d in lasts if pd.notna(d)]
    )
    date_line(
        figure, status_date, tr("status_line", date=hover_date(status_date)), COLORS["status"], 0
    )
    date_line(
        figure,
        contractual_end,
        tr("contract_line", date=hover_date(contractual_end)),
        COLORS["critical"],
        1,
    )

    label_width = _outline_labels(figure, rows, y) if outline else 0
    height = max(320, ROW_HEIGHT * (len(y) + LABEL_ROWS) + 130)
    figure.update_layout(
        barmode="overlay",
        height=height,
        margin={"l": 10 + label_width, "r": 20, "t": 40, "b": 50},
        showlegend=True,
        legend={"orientation": "h", "yanchor": "top", "y": -0.01, "x": 0, "font": {"size": 11}},
        plot_bgcolor="white",
        hoverlabel={"align": "left"},
        bargap=0.2,
    )
    figure.update_yaxes(
        categoryorder="array",
        categoryarray=y,
        # explicit range: autorange would drop a lot heading (a category without data) at the
        # top; the blank rows above the first heading hold the two date labels
        range=[len(y) - 0.5, -0.5 - LABEL_ROWS],
        tickfont={"size": 11},
        automargin=not outline,
        showticklabels=not outline,
        showgrid=False,
    )
    figure.update_xaxes(
        type="date",
        range=[start - pd.Timedelta(days=7), end + pd.Timedelta(days=10)],
        showgrid=True,
        gridcolor="#eeeeee",
        side="top",
        tickfont={"size": 11},
        **month_ticks(start, end + pd.Timedelta(days=10), lang),
        **french_dates(lang),
    )
    return figure


def _summary_bars(
    figure: go.Figure, groups: pd.DataFrame, y: list[str], hover: list[str], name: str
) -> None:
    """Summary rows as MS Project draws them: a thin dark bar from the first child's start to
    the last child's finish, a tick hanging down at each end."""
    color = COLORS["status"]
    start, finish = groups[FORECAST_START], groups[FORECAST_FINISH]
    figure.add_trace(
        go.Bar(
            name=name,
            y=y,
            base=start,
            x=_span_ms(start, finish),
            orientation="h",
            width=0.2,
            offset=-0.1,
            marker={"color": color, "line": {"width": 0}},
            hovertext=[hover[i] for i in groups.index],
            hoverinfo="text",
        )
    )
    ends = [*start, *(finish + pd.Timedelta(days=1))]
    figure.add_trace(
        go.Scatter(
            name=name,
            y=[*y, *y],
            x=ends,
            mode="markers",
            marker={"symbol": "triangle-down", "size": 10, "color": color},
            hoverinfo="skip",
            showlegend=False,
        )
    )


def _hover(row, lang: str) -> str:
    def tr(key: str, **params) -> str:
        return translate(f"gantt.{key}", lang, **params)

    lines = [
        f"<b>{plain_text(row[SCHEDULE.task_id])} — {plain_text(row[SCHEDULE.name])}</b>",
        plain_text(row[SCHEDULE.lot]),
    ]
    lines.append(
        tr(
            "hover_forecast",
            start=hover_date(row[FORECAST_START]),
            finish=hover_date(row[FORECAST_FINISH]),
        )
    )
    if pd.notna(row[SCHEDULE.baseline_start]):
        lines.append(
            tr(
                "hover_baseline",
                start=hover_date(row[SCHEDULE.baseline_start]),
                finish=hover_date(row[SCHEDULE.baseline_finish]),
            )
        )
    if pd.notna(row[SCHEDULE.actual_start]):
        lines.append(
            tr(
                "hover_actual",
                start=hover_date(row[SCHEDULE.actual_start]),
                finish=hover_date(row[SCHEDULE.actual_finish])
                if pd.notna(row[SCHEDULE.actual_finish])
                else "—",
            )
        )
    lines.append(tr("hover_progress", percent=f"{row[SCHEDULE.percent_complete]:.0f}"))
    delay = row[DELAY_CALENDAR_DAYS]
    if pd.notna(delay):
        lines.append(tr("hover_delay", days=f"{int(delay):+d}"))
    total_float = row[CPM.total_float]
    if pd.notna(total_float):
        lines.append(tr("hover_float", days=int(total_float)))
    to_contract = row.get(FLOAT_TO_CONTRACT)
    if to_contract is not None and pd.notna(to_contract):
        lines.append(tr("hover_float_contract", days=int(to_contract)))
    if bool(row[CPM.is_critical]):
        lines.append(tr("hover_critical"))
    return "<br>".join(lines)
