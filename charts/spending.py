"""The Spending page's charts: the chain from the envelope down to paid, the cumulative
curves against the plan, budget against engagé / émis / payé per line, and earned value.

Amounts are drawn in millions (``MDH``) with the reader's separators; the hover gives the
exact amount. Every function takes the frames of ``tracking.spending.SpendingOverview``.
"""

from __future__ import annotations

import numpy as np
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
    plain_text,
)
from i18n import translate
from i18n.format import format_millions, format_money, format_percent, number_separators
from tracking.budget import (
    BUDGET,
    ENGAGED,
    ISSUED,
    ISSUED_CUMULATIVE,
    LINE_ID,
    NAME,
    OVER_BUDGET,
    OVERRUN,
    PAID,
    PAID_CUMULATIVE,
    PAID_NET_CUMULATIVE,
    PLANNED,
    ChainTotals,
)
from tracking.earned_value import AC, EV, PV, EarnedValue

MILLION = 1_000_000
SPENDING_COLORS = {
    "total": "#0f5e63",
    "decrease": "#c9ced6",
    "retention": "#e67e22",
    "budget": "#dfe3e8",
    "engaged": "#a7d0cb",
    "issued": "#1f6f8b",
    "paid": "#2e8b57",
    "over": "#c0392b",
    "pv": COLORS["planned"],
    "ev": "#0f5e63",
    "ac": "#e67e22",
}


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"spending_chart.{key}", lang, **params)


def _base_layout(figure: go.Figure, lang: str, height: int) -> None:
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 20, "t": 40, "b": 10},
        plot_bgcolor="white",
        separators=number_separators(lang),
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        font={"size": 12},
    )


def chain_figure(
    totals: ChainTotals, *, lang: str = "fr", currency: str = "MAD", height: int = 400
) -> go.Figure:
    """A waterfall from the envelope down to the cash paid: each step takes away what is not
    yet committed, issued, paid, and the retention held, so that every dirham of the
    envelope stands in one bar."""
    steps = [
        ("envelope", "absolute", totals.envelope),
        ("not_committed", "relative", -totals.to_commit),
        ("engaged", "total", 0.0),
        ("not_issued", "relative", -totals.to_issue),
        ("issued", "total", 0.0),
        ("not_paid", "relative", -totals.to_pay),
        ("paid", "total", 0.0),
        ("retention", "relative", -totals.retention_held),
        ("paid_net", "total", 0.0),
    ]
    amounts = {
        "envelope": totals.envelope,
        "not_committed": -totals.to_commit,
        "engaged": totals.engaged,
        "not_issued": -totals.to_issue,
        "issued": totals.issued,
        "not_paid": -totals.to_pay,
        "paid": totals.paid,
        "retention": -totals.retention_held,
        "paid_net": totals.paid_net,
    }
    labels = [_tr(f"chain.{key}", lang) for key, _m, _v in steps]
    text = [format_millions(amounts[key], lang, 2) for key, _m, _v in steps]
    hover = [
        f"<b>{label}</b><br>{format_money(amounts[key], lang, currency)}"
        for label, (key, _m, _v) in zip(labels, steps, strict=True)
    ]
    figure = go.Figure(
        go.Waterfall(
            x=labels,
            measure=[measure for _k, measure, _v in steps],
            y=[value / MILLION for _k, _m, value in steps],
            text=text,
            textposition="outside",
            textfont={"size": 12},
            hovertext=hover,
            hoverinfo="text",
            connector={"line": {"color": "#aab2bd", "width": 1, "dash": "dot"}},
            increasing={"marker": {"color": SPENDING_COLORS["over"]}},
            decreasing={"marker": {"color": SPENDING_COLORS["decrease"]}},
            totals={"marker": {"color": SPENDING_COLORS["total"]}},
            cliponaxis=False,
        )
    )
    _base_layout(figure, lang, height)
    top = max(totals.envelope, totals.engaged, totals.issued) / MILLION
    figure.update_yaxes(
        range=[0, top * 1.15], ticksuffix=_tr("millions_suffix", lang), gridcolor="#eeeeee"
    )
    figure.update_xaxes(tickangle=0, automargin=True)
    figure.update_layout(showlegend=False)
    if totals.engaged == 0:
        add_note(figure, "no_contract", lang)
    elif totals.issued == 0:
        add_note(figure, "no_decompte", lang)
    return figure


def cash_flow_figure(
    cash_flow: pd.DataFrame,
    *,
    envelope: float,
    status_date,
    contractual_end=None,
    lang: str = "fr",
    height: int = 420,
) -> go.Figure:
    """Cumulative issued and paid (gross and net of retention) against the planned curve and
    the envelope, with the status date and the contractual end. No date: a figure that says
    so (``no_dates``); nothing issued yet: the plan with the note ``no_decompte``."""
    if cash_flow.empty:
        return note_figure("no_dates", lang, height)
    figure = go.Figure()
    planned = cash_flow[PLANNED]
    figure.add_trace(
        go.Scatter(
            name=_tr("curve.planned", lang),
            x=cash_flow.index,
            y=planned / MILLION,
            mode="lines",
            line={"color": COLORS["planned"], "width": 2, "dash": "dot"},
            hovertemplate="%{x|%d/%m/%Y} : %{y:,.2f} M<extra>"
            + _tr("curve.planned", lang)
            + "</extra>",
        )
    )
    for column, key, color, width, dash in (
        (ISSUED_CUMULATIVE, "curve.issued", SPENDING_COLORS["issued"], 3, None),
        (PAID_CUMULATIVE, "curve.paid", SPENDING_COLORS["paid"], 3, None),
        (PAID_NET_CUMULATIVE, "curve.paid_net", SPENDING_COLORS["paid"], 1.5, "dash"),
    ):
        shown = cash_flow[column].dropna()
        figure.add_trace(
            go.Scatter(
                name=_tr(key, lang),
                x=shown.index,
                y=shown / MILLION,
                mode="lines",
                line={"color": color, "width": width, "dash": dash, "shape": "hv"},
                hovertemplate="%{x|%d/%m/%Y} : %{y:,.2f} M<extra>" + _tr(key, lang) + "</extra>",
            )
        )
    start, end = cash_flow.index.min(), cash_flow.index.max()
    figure.add_trace(
        go.Scatter(
            name=_tr("curve.envelope", lang, amount=format_millions(envelope, lang)),
            x=[start, end],
            y=[envelope / MILLION] * 2,
            mode="lines",
            line={"color": COLORS["envelope"], "width": 2, "dash": "dash"},
            hoverinfo="skip",
        )
    )
    status = pd.Timestamp(status_date)
    date_line(
        figure,
        status,
        _tr("status_line", lang, date=hover_date(status)),
        COLORS["status"],
        at_bottom=True,
    )
    if contractual_end is not None:
        date_line(
            figure,
            contractual_end,
            _tr("contract_line", lang, date=hover_date(contractual_end)),
            COLORS["critical"],
            row=1,
            at_bottom=True,
        )
    _base_layout(figure, lang, height)
    figure.update_layout(hovermode="x unified")
    figure.update_yaxes(
        rangemode="tozero",
        range=[0, envelope / MILLION * 1.1],
        ticksuffix=_tr("millions_suffix", lang),
        gridcolor="#eeeeee",
    )
    figure.update_xaxes(
        type="date",
        range=[start - pd.Timedelta(days=7), end + pd.Timedelta(days=7)],
        gridcolor="#eeeeee",
        **month_ticks(start, end, lang, every=3 if (end - start).days > 500 else 2),
        **french_dates(lang),
    )
    if not (cash_flow[ISSUED_CUMULATIVE].fillna(0.0) > 0).any():
        add_note(figure, "no_decompte", lang)
    return figure


def _line_label(row) -> str:
    name = "" if pd.isna(row[NAME]) else str(row[NAME])
    name = name if len(name) <= 34 else name[:32] + "…"
    code = plain_text(row[LINE_ID])
    return f"{code} · {plain_text(name)}" if name else code


def lines_order(chain: pd.DataFrame) -> pd.DataFrame:
    """The lines as the chart and the table show them: the most consumed budget first (the
    most of engagé and émis over the budget; a line outside the budget first of all), so
    overruns lead and the lines not committed yet close the list; larger budgets first on a
    tie."""
    used = np.maximum(chain[ENGAGED], chain[ISSUED])
    share = (used / chain[BUDGET].where(chain[BUDGET] > 0)).astype(float)
    share = share.where(chain[BUDGET] > 0, np.where(used > 0, np.inf, 0.0))
    return (
        chain.assign(_share=share)
        .sort_values(["_share", BUDGET], ascending=[False, False], kind="stable")
        .drop(columns="_share")
        .reset_index(drop=True)
    )


def _percent_of_budget(amount: pd.Series, budget: pd.Series) -> pd.Series:
    return (100 * amount / budget.where(budget > 0)).astype(float)


#: budget lines the chart draws unless all are asked for (the most consumed first)
CHART_LINES = 40


def budget_lines_figure(
    chain: pd.DataFrame, *, lang: str = "fr", currency: str = "MAD", limit: int | None = None
) -> go.Figure:
    """One row per budget line, as a share of its budget so that small and large lines read
    alike: engagé, émis and payé as bars of decreasing width against the 100 % budget line,
    the part beyond the budget in red with its amount. The row label gives the budget; the
    hover gives every amount. No line: a figure that says so (``no_lines``); nothing signed
    yet: the empty budgets with the note ``no_contract``. ``limit``: only the first lines in
    that order (the most consumed)."""
    if chain.empty:
        return note_figure("no_lines", lang)
    rows = lines_order(chain).head(limit) if limit else lines_order(chain)
    labels = [
        f"{_line_label(row)} ({format_millions(row[BUDGET], lang, 2)})"
        for _, row in rows.iterrows()
    ]
    figure = go.Figure()
    for column, key, color, width in (
        (ENGAGED, "bars.engaged", SPENDING_COLORS["engaged"], 0.75),
        (ISSUED, "bars.issued", SPENDING_COLORS["issued"], 0.45),
        (PAID, "bars.paid", SPENDING_COLORS["paid"], 0.2),
    ):
        percent = _percent_of_budget(rows[column], rows[BUDGET])
        figure.add_trace(
            go.Bar(
                name=_tr(key, lang),
                y=labels,
                x=percent.clip(upper=100).fillna(0.0),
                orientation="h",
                width=width,
                marker={"color": color},
                customdata=np.column_stack(
                    [
                        [format_money(v, lang, currency) for v in rows[column]],
                        [format_percent(v / 100, lang) for v in percent],
                    ]
                ),
                hovertemplate="%{y}<br>"
                + _tr(key, lang)
                + " : %{customdata[0]} (%{customdata[1]})<extra></extra>",
            )
        )
    used = np.maximum(rows[ENGAGED], rows[ISSUED])
    beyond = (_percent_of_budget(used, rows[BUDGET]) - 100).clip(lower=0).fillna(0.0)
    # a line outside the budget has no 100 %: its whole amount is an overrun, drawn to 100 %
    beyond = beyond.where(rows[BUDGET] > 0, np.where(used > 0, 100.0, 0.0))
    figure.add_trace(
        go.Bar(
            name=_tr("bars.over", lang),
            y=labels,
            x=beyond,
            base=np.where(rows[BUDGET] > 0, 100.0, 0.0),
            orientation="h",
            width=0.75,
            marker={"color": SPENDING_COLORS["over"]},
            customdata=[format_money(v, lang, currency) for v in rows[OVERRUN].clip(lower=0)],
            hovertemplate="%{y}<br>" + _tr("bars.over", lang) + " : %{customdata}<extra></extra>",
        )
    )
    over = rows[rows[OVER_BUDGET].astype(bool)]
    overruns = []
    for position, row in over.iterrows():
        share = row[OVERRUN] / row[BUDGET] if row[BUDGET] else np.nan
        overruns.append(
            {
                "x": 100 + float(beyond.iloc[position]),
                "y": labels[position],
                "text": _tr(
                    "bars.overrun",
                    lang,
                    amount=format_money(row[OVERRUN], lang, currency, decimals=0),
                    share=format_percent(share, lang),
                ),
                "showarrow": False,
                "xanchor": "left",
                "xshift": 6,
                "font": {"color": SPENDING_COLORS["over"], "size": 11},
                "bgcolor": "rgba(255,255,255,0.85)",
            }
        )
    # set at once: add_annotation one at a time re-validates the whole list (quadratic: 11 s
    # for 300 lines over budget)
    figure.update_layout(annotations=[*figure.layout.annotations, *overruns])
    figure.add_shape(
        type="line",
        x0=100,
        x1=100,
        y0=0,
        y1=1,
        xref="x",
        yref="paper",
        line={"color": COLORS["status"], "width": 1.5, "dash": "dash"},
    )
    _base_layout(figure, lang, height=110 + 26 * len(rows))
    top = float((100 + beyond).max()) if len(rows) else 100.0
    figure.update_layout(
        barmode="overlay",
        bargap=0.15,
        legend={"y": -0.01, "yanchor": "top"},
        margin={"t": 30, "b": 40},
    )
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(
        range=[0, max(top, 100) * 1.45],
        ticksuffix=" %",
        tickvals=[0, 25, 50, 75, 100],
        gridcolor="#eeeeee",
        side="top",
        title={"text": _tr("bars.axis", lang), "font": {"size": 11}},
    )
    if not (np.maximum(rows[ENGAGED], rows[ISSUED]) > 0).any():
        add_note(figure, "no_contract", lang)
    return figure


def earned_value_figure(
    series: pd.DataFrame,
    earned: EarnedValue,
    *,
    status_date,
    start=None,
    lang: str = "fr",
    height: int = 420,
) -> go.Figure:
    """PV (planned), EV (earned) and AC (actual cost = émis) over time, with the BAC and the
    EAC as horizontal lines and the status date. No date: a figure that says so
    (``no_dates``); before the first progress report or works décompte, the plan with the
    note ``no_earned_value`` (there is no EAC line yet)."""
    if start is not None:
        series = series[series.index >= pd.Timestamp(start) - pd.Timedelta(days=14)]
    if series.empty or series[PV].dropna().empty:
        return note_figure("no_dates", lang, height)
    figure = go.Figure()
    for column, key, color, width, dash in (
        (PV, "evm.pv", SPENDING_COLORS["pv"], 2, "dot"),
        (EV, "evm.ev", SPENDING_COLORS["ev"], 3, None),
        (AC, "evm.ac", SPENDING_COLORS["ac"], 3, None),
    ):
        shown = series[column].dropna()
        figure.add_trace(
            go.Scatter(
                name=_tr(key, lang),
                x=shown.index,
                y=shown / MILLION,
                mode="lines",
                line={
                    "color": color,
                    "width": width,
                    "dash": dash,
                    "shape": "hv" if column == AC else "linear",
                },
                hovertemplate="%{x|%d/%m/%Y} : %{y:,.2f} M<extra>" + _tr(key, lang) + "</extra>",
            )
        )
    begin, end = series.index.min(), series.index.max()
    for value, key, color, dash in (
        (earned.bac, "evm.bac", COLORS["baseline_dark"], "dash"),
        (earned.eac, "evm.eac", COLORS["late"], "dashdot"),
    ):
        if value is None or np.isnan(value):
            continue
        figure.add_trace(
            go.Scatter(
                name=_tr(key, lang, amount=format_millions(value, lang, 2)),
                x=[begin, end],
                y=[value / MILLION] * 2,
                mode="lines",
                line={"color": color, "width": 1.5, "dash": dash},
                hoverinfo="skip",
            )
        )
    status = pd.Timestamp(status_date)
    date_line(
        figure,
        status,
        _tr("status_line", lang, date=hover_date(status)),
        COLORS["status"],
        at_bottom=True,
    )
    _base_layout(figure, lang, height)
    figure.update_layout(hovermode="x unified")
    figure.update_yaxes(
        rangemode="tozero", ticksuffix=_tr("millions_suffix", lang), gridcolor="#eeeeee"
    )
    figure.update_xaxes(
        type="date",
        range=[begin - pd.Timedelta(days=5), end + pd.Timedelta(days=5)],
        gridcolor="#eeeeee",
        **month_ticks(begin, end, lang),
        **french_dates(lang),
    )
    if earned.ev <= 0 or earned.ac <= 0:
        add_note(figure, "no_earned_value", lang)
    return figure


def envelope_bars_figure(totals: ChainTotals, *, lang: str = "fr", height: int = 200) -> go.Figure:
    """The briefing's compact view: envelope, engagé, émis and payé as four horizontal bars
    on one scale, each labelled in MDH with its share of the envelope (``78 % de
    l'enveloppe``, so that it is not read as the taux d'émission, émis / engagé)."""
    labels = [
        translate("export.col.envelope", lang),
        translate("spending.col.engaged", lang),
        translate("spending.col.issued", lang),
        translate("spending.col.paid", lang),
    ]
    values = [totals.envelope, totals.engaged, totals.issued, totals.paid]
    colors = [
        COLORS["envelope"],
        SPENDING_COLORS["issued"],
        SPENDING_COLORS["issued"],
        SPENDING_COLORS["paid"],
    ]
    # the share is of the envelope (not the taux d'émission émis / engagé): the label says so
    text = [
        _tr(
            "envelope_bars.text",
            lang,
            amount=format_millions(v, lang, 2),
            share=format_percent(v / totals.envelope if totals.envelope else None, lang, 0),
        ).replace("\n", "<br>")  # two lines: the amount, then its share; fits a short bar
        for v in values
    ]
    figure = go.Figure(
        go.Bar(
            y=labels,
            x=values,
            orientation="h",
            marker={"color": colors, "opacity": [0.35, 1, 0.8, 1]},
            text=text,
            textposition="inside",
            insidetextanchor="start",
            textfont={"size": 11, "color": "white"},
            hovertext=[format_money(v, lang) for v in values],
            hoverinfo="text",
        )
    )
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        plot_bgcolor="white",
        showlegend=False,
        bargap=0.25,
    )
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(visible=False)
    return figure
