"""Spending page: how much of the envelope is committed, issued and paid, and will it be
enough? Every figure comes from ``tracking.spending.spending_overview`` (cached), the same
computation the briefing and the Excel export read."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from charts.spending import (
    budget_lines_figure,
    cash_flow_figure,
    chain_figure,
    earned_value_figure,
    lines_order,
)
from exports.safe_csv import to_csv_bytes
from i18n.format import (
    format_date,
    format_millions,
    format_money,
    format_number,
    format_percent,
)
from loaders.schema import CONTRACTS, SPENDING
from tracking import budget as chain_columns
from tracking import contract_rules as rule_columns
from tracking import earned_value as ev_columns
from tracking.alerts import alert_message
from tracking.budget import line_contracts, line_decomptes
from tracking.spending import LINE_FORECAST, envelope_breakdown
from ui.domain import cached_spending
from ui.navigation import require_app_navigation
from ui.shared import (
    current_data,
    lang,
    md,
    page_part,
    plain,
    settings,
    tr,
)
from views.reasons import reason_text

require_app_navigation()

project = settings()
data = current_data()
language = lang()

st.title(tr("spending.title"))
if data.budget is None:
    st.warning(tr("spending.no_budget"), icon=":material/warning:")
    st.stop()
missing = [table for table in ("contracts", "spending") if data.frame(table) is None]
if missing:
    st.warning(
        tr(
            "spending.missing_tables", tables=", ".join(tr(f"data_page.table.{t}") for t in missing)
        ),
        icon=":material/warning:",
    )

basis = st.segmented_control(
    tr("spending.basis_label"),
    options=["TTC", "HT"],
    default=project.amounts_basis,
    required=True,
    key="spending.basis",
    help=tr(
        "spending.basis_help",
        basis=project.amounts_basis,
        vat=format_percent(project.vat_rate, language, 0),
    ),
)
overview = cached_spending(
    data.schedule, data.budget, data.contracts, data.spending, data.status_date, basis
)
totals = overview.totals
earned = overview.earned
currency = overview.currency


def money(value, decimals: int = 2) -> str:
    return format_money(value, language, currency, decimals)


def millions(value) -> str:
    return format_millions(value, language, 2)


def short_millions(value) -> str:
    """Millions for a metric's big figure: ``14,29 MDH`` / ``14.29 M`` (the English
    ``MAD 14.29 M`` does not fit a fifth of the page; the exact amount is written below)."""
    if nan(value):
        return "—"
    return tr("spending.metric.millions", number=format_number(value / 1e6, language, 2))


def ratio(value) -> str:
    return "—" if nan(value) else format_number(value, language, 2)


def why(earned, figure: str, embedded: bool = False) -> str:
    """Why an earned-value figure is not computed yet, in words ("" when it is)."""
    return reason_text(earned.reason(figure) if earned else None, language, embedded)


def nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


st.caption(
    tr(
        "spending.caption",
        status=format_date(data.status_date, language),
        basis=overview.basis,
        file=data.sources.get("finance", "—"),
    )
)

# --- the verdict, in one sentence ------------------------------------------------------------
fac = overview.forecast_at_completion
verdict = tr(
    "spending.verdict",
    envelope=millions(totals.envelope),
    engaged=millions(totals.engaged),
    engaged_rate=format_percent(totals.engagement_rate, language),
    issued=millions(totals.issued),
    paid=millions(totals.paid),
)
with page_part("spending.verdict"):
    if nan(fac):
        st.info(verdict + " " + tr("spending.verdict_no_forecast"), icon=":material/payments:")
    elif overview.forecast_gap > 0:
        st.error(
            verdict
            + " "
            + tr(
                "spending.verdict_over", forecast=millions(fac), gap=millions(overview.forecast_gap)
            ),
            icon=":material/money_off:",
        )
    else:
        st.success(
            verdict
            + " "
            + tr(
                "spending.verdict_within",
                forecast=millions(fac),
                margin=millions(-overview.forecast_gap),
            ),
            icon=":material/savings:",
        )

# --- headline figures ------------------------------------------------------------------------
first, second, third = st.columns(5), st.columns(5), st.columns(5)


def amount_metric(column, key: str, value: float, **help_params) -> None:
    column.metric(
        tr(f"spending.metric.{key}"),
        short_millions(value),
        delta=money(value),
        delta_color="off",
        delta_arrow="off",
        help=tr(f"spending.metric.{key}_help", basis=overview.basis, **help_params),
    )


amount_metric(first[0], "envelope", totals.envelope)
amount_metric(first[1], "engaged", totals.engaged)
amount_metric(first[2], "issued", totals.issued)
amount_metric(first[3], "paid", totals.paid)
amount_metric(first[4], "to_commit", totals.to_commit)
with page_part("spending.figures"):
    for column, key, value in (
        (second[0], "engagement_rate", totals.engagement_rate),
        (second[1], "issue_rate", totals.issue_rate),
        (second[2], "payment_rate", totals.payment_rate),
    ):
        column.metric(
            tr(f"spending.metric.{key}"),
            format_percent(value, language),
            help=tr(f"spending.metric.{key}_help"),
        )
    amount_metric(second[3], "paid_net", totals.paid_net)
    amount_metric(second[4], "retention_held", totals.retention_held)

    gap = overview.forecast_gap
    third[0].metric(
        tr("spending.metric.forecast"),
        short_millions(fac),
        delta=None
        if nan(fac)
        else tr(
            "spending.metric.forecast_gap_over"
            if gap > 0
            else "spending.metric.forecast_gap_under",
            amount=money(abs(gap), 0),
        ),
        # green for a margin, red for a shortfall; no arrow (a margin is not a rise)
        delta_color="inverse" if not nan(fac) and gap > 0 else "normal",
        delta_arrow="off",
        help=tr("spending.metric.forecast_help"),
    )
    third[1].metric(
        tr("spending.metric.eac"),
        "—" if earned is None else short_millions(earned.eac),
        help=why(earned, "eac") or tr("spending.metric.eac_help"),
    )
    third[2].metric(
        "CPI",
        "—" if earned is None else ratio(earned.cpi),
        help=why(earned, "cpi") or tr("spending.metric.cpi_help"),
    )
    third[3].metric(
        "SPI",
        "—" if earned is None else ratio(earned.spi),
        help=why(earned, "spi") or tr("spending.metric.spi_help"),
    )
    third[4].metric(
        tr("spending.metric.cost_per_m2", currency=currency),
        format_number(overview.cost_per_m2(totals.envelope), language),
        delta=tr(
            "spending.metric.cost_per_m2_forecast",
            amount=format_number(overview.cost_per_m2(fac), language),
        ),
        delta_color="off",
        delta_arrow="off",
        help=tr(
            "spending.metric.cost_per_m2_help",
            area=format_number(overview.total_area_m2, language),
            area_basis=tr(f"spending.area_basis.{overview.area_basis}"),
        ),
    )

# --- what the indexes mean, in words ---------------------------------------------------------
with page_part("spending.meaning"), st.container(border=True):
    st.markdown(f"**{tr('spending.meaning_title')}**")
    if earned is None:
        st.write(tr("spending.meaning_no_schedule"))
    else:
        st.markdown(
            "- "
            + (
                tr("spending.meaning_cpi_unavailable", reason=why(earned, "cpi", embedded=True))
                if nan(earned.cpi)
                else tr("spending.meaning_cpi", cpi=ratio(earned.cpi))
            )
        )
        st.markdown(
            "- "
            + (
                tr("spending.meaning_spi_unavailable", reason=why(earned, "spi", embedded=True))
                if nan(earned.spi)
                else tr(
                    "spending.meaning_spi",
                    spi=ratio(earned.spi),
                    date=format_date(data.status_date, language),
                )
            )
        )
        if overview.eac_below_engaged:
            st.markdown(
                "- "
                + tr(
                    "spending.meaning_eac_floor",
                    eac=money(earned.eac, 0),
                    engaged=money(overview.scope_engaged, 0),
                )
            )

# --- alerts ----------------------------------------------------------------------------------
st.subheader(tr("spending.alerts_title"))
with page_part("spending.alerts"):
    if not overview.alerts:
        st.success(tr("spending.alert.none"), icon=":material/check_circle:")
    for alert in overview.alerts:
        text = plain(alert_message(alert, language, currency))
        if alert.level == "red":
            st.error(text, icon=":material/error:")
        else:
            st.warning(text, icon=":material/warning:")

# --- where each dirham stands ----------------------------------------------------------------
st.subheader(tr("spending.chain_title"))
with page_part("spending.chain"):
    chart_column, table_column = st.columns([5, 4])
    chart_column.plotly_chart(
        chain_figure(totals, lang=language, currency=currency),
        width="stretch",
        key="spending.chain_chart",
        config={"displaylogo": False},
    )
    breakdown = envelope_breakdown(totals)
    breakdown_table = pd.DataFrame(
        {
            tr("spending.col.part"): [tr(f"spending.part.{p}") for p in breakdown["part"]],
            tr("spending.col.amount"): [money(v) for v in breakdown["amount"]],
            tr("spending.col.share_of_envelope"): [
                format_percent(v, language) for v in breakdown["share"]
            ],
        }
    )
    breakdown_table.loc[len(breakdown_table)] = [
        tr("spending.part.envelope"),
        money(totals.envelope),
        format_percent(1.0, language),
    ]
    table_column.dataframe(
        breakdown_table, hide_index=True, width="stretch", key="spending.breakdown"
    )
    table_column.caption(tr("spending.chain_caption"))

# --- over time -------------------------------------------------------------------------------
st.subheader(tr("spending.curve_title"))
with page_part("spending.curve"):
    st.plotly_chart(
        cash_flow_figure(
            overview.cash_flow,
            envelope=totals.envelope,
            status_date=data.status_date,
            contractual_end=overview.contractual_end,
            lang=language,
        ),
        width="stretch",
        key="spending.curve_chart",
        config={"displaylogo": False},
    )
    st.caption(tr(f"spending.curve_caption_{overview.plan_source}"))

# --- per budget line -------------------------------------------------------------------------
st.subheader(tr("spending.lines_title"))
with page_part("spending.lines_chart"):
    st.plotly_chart(
        budget_lines_figure(overview.chain, lang=language, currency=currency),
        width="stretch",
        key="spending.lines_chart",
        config={"displaylogo": False},
    )
    st.caption(tr("spending.lines_caption"))

with page_part("spending.lines_table"):
    ordered = lines_order(overview.chain)

    def line_name(row) -> str:
        if pd.isna(row[chain_columns.NAME]):
            return tr("spending.line_unassigned") if row[chain_columns.LINE_ID] == "—" else "?"
        return row[chain_columns.NAME]

    lines_table = pd.DataFrame(
        {
            tr("spending.col.line_id"): ordered[chain_columns.LINE_ID],
            tr("spending.col.name"): [line_name(row) for _, row in ordered.iterrows()],
            **{
                tr(f"spending.col.{c}"): ordered[c].map(money)
                for c in (
                    chain_columns.BUDGET,
                    chain_columns.ENGAGED,
                    chain_columns.ISSUED,
                    chain_columns.PAID,
                    chain_columns.RETENTION_HELD,
                    chain_columns.TO_COMMIT,
                    chain_columns.TO_ISSUE,
                    chain_columns.TO_PAY,
                )
            },
            **{
                tr(f"spending.col.{c}"): ordered[c].map(lambda v: format_percent(v, language))
                for c in (
                    chain_columns.ENGAGEMENT_RATE,
                    chain_columns.ISSUE_RATE,
                    chain_columns.PAYMENT_RATE,
                )
            },
            tr("spending.col.over_budget"): ordered[chain_columns.OVER_BUDGET].map(
                lambda over: tr("spending.over_budget_yes") if over else ""
            ),
        }
    )
    st.dataframe(
        lines_table,
        hide_index=True,
        width="stretch",
        height=38 + 35 * len(lines_table),
        key="spending.lines_table",
    )
    st.download_button(
        tr("spending.download_lines"),
        data=to_csv_bytes(lines_table),
        file_name="depenses_par_ligne.csv",
        mime="text/csv",
        key="spending.download_lines",
    )

    # drill-down: one line's contracts and décomptes, with their Excel rows
    line_ids = ordered[chain_columns.LINE_ID].tolist()
    labels = {row[chain_columns.LINE_ID]: line_name(row) for _, row in ordered.iterrows()}
    chosen = st.selectbox(
        tr("spending.drill_label"),
        options=line_ids,
        index=0,
        format_func=lambda code: f"{code} · {labels.get(code, '')}",
        key="spending.line",
    )
    with st.container(border=True):
        contracts = line_contracts(data.contracts, chosen, data.status_date)
        st.markdown(f"**{md('spending.drill_contracts', line=chosen, count=len(contracts))}**")
        if contracts.empty:
            st.caption(tr("spending.drill_no_contracts"))
        else:
            factor = overview.factor
            st.dataframe(
                pd.DataFrame(
                    {
                        tr("spending.col.source_row"): contracts["source_row"],
                        tr("spending.col.contract_id"): contracts[CONTRACTS.contract_id],
                        tr("spending.col.contract_type"): contracts[CONTRACTS.contract_type],
                        tr("spending.col.payee"): contracts[CONTRACTS.payee],
                        tr("spending.col.object"): contracts[CONTRACTS.object],
                        tr("spending.col.signed_date"): contracts[CONTRACTS.signed_date].map(
                            lambda d: format_date(d, language)
                        ),
                        tr("spending.col.amount"): (contracts[CONTRACTS.amount] * factor).map(
                            money
                        ),
                    }
                ),
                hide_index=True,
                width="stretch",
                key="spending.drill_contracts",
            )
        decomptes = line_decomptes(data.spending, chosen, data.status_date)
        st.markdown(f"**{md('spending.drill_decomptes', line=chosen, count=len(decomptes))}**")
        if decomptes.empty:
            st.caption(tr("spending.drill_no_decomptes"))
        else:
            factor = overview.factor
            st.dataframe(
                pd.DataFrame(
                    {
                        tr("spending.col.source_row"): decomptes["source_row"],
                        tr("spending.col.reference"): decomptes[SPENDING.reference],
                        tr("spending.col.contract_id"): decomptes[SPENDING.contract_id],
                        tr("spending.col.issue_date"): decomptes[SPENDING.date].map(
                            lambda d: format_date(d, language)
                        ),
                        tr("spending.col.amount"): (decomptes[SPENDING.amount] * factor).map(money),
                        tr("spending.col.retention"): (
                            decomptes[SPENDING.retention].fillna(0.0) * factor
                        ).map(money),
                        tr("spending.col.paid_date"): [
                            format_date(d, language) if paid else tr("spending.unpaid")
                            for d, paid in zip(
                                decomptes[SPENDING.paid_date], decomptes["is_paid"], strict=True
                            )
                        ],
                        tr("spending.col.description"): decomptes[SPENDING.description],
                    }
                ),
                hide_index=True,
                width="stretch",
                key="spending.drill_decomptes",
            )

# --- earned value ----------------------------------------------------------------------------
st.subheader(tr("spending.evm_title"))
with page_part("spending.earned_value"):
    if earned is None:
        st.info(tr("spending.evm_none"))
    else:
        st.plotly_chart(
            earned_value_figure(
                overview.earned_series,
                earned,
                status_date=data.status_date,
                start=overview.works_start,
                lang=language,
            ),
            width="stretch",
            key="spending.evm_chart",
            config={"displaylogo": False},
        )
        st.caption(tr("spending.evm_caption"))
        indicators = [
            ("bac", money(earned.bac)),
            ("pv", money(earned.pv)),
            ("ev", money(earned.ev)),
            ("ac", money(earned.ac)),
            ("sv", money(earned.sv)),
            ("cv", money(earned.cv)),
            ("spi", ratio(earned.spi)),
            ("cpi", ratio(earned.cpi)),
            ("eac", money(earned.eac)),
            ("eac_at_budget", money(earned.eac_at_budget)),
            ("eac_cpi_spi", money(earned.eac_cpi_spi)),
            ("etc", money(earned.etc)),
            ("vac", money(earned.vac)),
            ("tcpi", ratio(earned.tcpi)),
        ]
        st.dataframe(
            pd.DataFrame(
                {
                    tr("spending.col.indicator"): [tr(f"spending.evm.{k}") for k, _v in indicators],
                    tr("spending.col.value"): [v for _k, v in indicators],
                    tr("spending.col.formula"): [
                        tr(f"spending.evm_formula.{k}") for k, _v in indicators
                    ],
                    tr("spending.col.reading"): [
                        tr(f"spending.evm_reading.{k}") for k, _v in indicators
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
            height=38 + 35 * len(indicators),
            key="spending.evm_table",
        )
        with st.expander(tr("spending.evm_lines_title")):
            lines = overview.earned_lines
            st.dataframe(
                pd.DataFrame(
                    {
                        tr("spending.col.line_id"): lines[chain_columns.LINE_ID],
                        tr("spending.col.name"): lines["name"],
                        tr("spending.col.task_count"): lines[ev_columns.TASK_COUNT],
                        **{
                            tr(f"spending.evm.{c}"): lines[c].map(money)
                            for c in (ev_columns.BAC, ev_columns.PV, ev_columns.EV, ev_columns.AC)
                        },
                        tr("spending.col.percent_planned"): (
                            lines[ev_columns.PERCENT_PLANNED] / 100
                        ).map(lambda v: format_percent(v, language)),
                        tr("spending.col.percent_complete"): (
                            lines[ev_columns.PERCENT_COMPLETE] / 100
                        ).map(lambda v: format_percent(v, language)),
                        "SPI": lines[ev_columns.SPI].map(ratio),
                        "CPI": lines[ev_columns.CPI].map(ratio),
                    }
                ),
                hide_index=True,
                width="stretch",
                key="spending.evm_lines",
            )
        excluded = overview.excluded
        st.markdown(f"**{tr('spending.excluded_title')}**")
        st.caption(tr("spending.excluded_caption"))
        st.dataframe(
            pd.DataFrame(
                {
                    tr("spending.col.line_id"): excluded[chain_columns.LINE_ID],
                    tr("spending.col.name"): [line_name(row) for _, row in excluded.iterrows()],
                    tr("spending.col.budget"): excluded[chain_columns.BUDGET].map(money),
                    tr("spending.col.engaged"): excluded[chain_columns.ENGAGED].map(money),
                    tr("spending.col.issued"): excluded[chain_columns.ISSUED].map(money),
                    tr("spending.col.forecast"): excluded[LINE_FORECAST].map(money),
                }
            ),
            hide_index=True,
            width="stretch",
            key="spending.excluded",
        )

# --- contract rules --------------------------------------------------------------------------
st.subheader(tr("spending.rules_title"))
with page_part("spending.rules"):
    st.caption(
        tr(
            "spending.rules_caption",
            rate=format_percent(project.retention_rate, language, 0),
            cap=format_percent(project.retention_cap, language, 0),
            threshold=format_percent(project.amendment_threshold, language, 0),
            delay=project.payment_delay_days,
        )
    )
    rules = overview.rules
    if rules.empty:
        st.info(tr("spending.rules_none"))
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    tr("spending.col.contract_id"): rules[rule_columns.CONTRACT_ID],
                    tr("spending.col.initial"): rules[rule_columns.INITIAL].map(money),
                    tr("spending.col.amendments"): rules[rule_columns.AMENDMENTS].map(money),
                    tr("spending.col.amendment_share"): [
                        format_percent(share, language) + (" ⚠" if flag else "")
                        for share, flag in zip(
                            rules[rule_columns.AMENDMENT_SHARE],
                            rules[rule_columns.AMENDMENT_FLAG],
                            strict=True,
                        )
                    ],
                    tr("spending.col.retention"): rules[rule_columns.RETENTION].map(money),
                    tr("spending.col.retention_cap"): rules[rule_columns.RETENTION_CAP].map(money),
                    tr("spending.col.retention_status"): [
                        tr("spending.retention_over")
                        if over
                        else tr("spending.retention_at_cap")
                        if at_cap
                        else tr("spending.retention_below")
                        for over, at_cap in zip(
                            rules[rule_columns.OVER_CAP],
                            rules[rule_columns.CAP_REACHED],
                            strict=True,
                        )
                    ],
                    tr("spending.col.issued"): rules[rule_columns.ISSUED].map(money),
                    tr("spending.col.overdue_amount"): rules[rule_columns.OVERDUE_AMOUNT].map(
                        lambda v: money(v) if v else ""
                    ),
                    tr("spending.col.source_rows"): rules[rule_columns.SOURCE_ROWS],
                    tr("spending.col.payee"): rules[rule_columns.PAYEE],
                }
            ),
            hide_index=True,
            width="stretch",
            key="spending.rules",
        )

    overdue = overview.overdue
    st.markdown(f"**{tr('spending.overdue_title', delay=project.payment_delay_days)}**")
    if overdue.empty:
        st.caption(tr("spending.overdue_none"))
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    tr("spending.col.reference"): overdue[rule_columns.REFERENCE],
                    tr("spending.col.contract_id"): overdue[rule_columns.CONTRACT_ID],
                    tr("spending.col.payee"): overdue[rule_columns.PAYEE],
                    tr("spending.col.issue_date"): overdue[rule_columns.ISSUE_DATE].map(
                        lambda d: format_date(d, language)
                    ),
                    tr("spending.col.due_date"): overdue[rule_columns.DUE_DATE].map(
                        lambda d: format_date(d, language)
                    ),
                    tr("spending.col.amount"): overdue[rule_columns.AMOUNT].map(money),
                    tr("spending.col.net_due"): overdue[rule_columns.NET_DUE].map(money),
                    tr("spending.col.days_late"): overdue[rule_columns.DAYS_LATE],
                    tr("spending.col.source_rows"): overdue[rule_columns.SOURCE_ROWS],
                }
            ),
            hide_index=True,
            width="stretch",
            key="spending.overdue",
        )
        st.caption(tr("spending.overdue_caption"))

    penalty = overview.penalty
    st.markdown(f"**{tr('spending.penalty_title')}**")
    if penalty is None:
        st.caption(tr("spending.penalty_none"))
    else:
        st.write(
            tr(
                "spending.penalty_text",
                days=penalty.delay_days,
                amount=money(penalty.amount),
                rate=format_percent(penalty.rate_per_day, language, 1),
                contract=money(penalty.contract_amount),
                cap=format_percent(penalty.cap, language, 0),
                cap_amount=money(penalty.cap_amount),
                days_to_cap=penalty.days_to_cap,
                finish=format_date(overview.forecast_finish, language),
            )
        )

# --- definitions -----------------------------------------------------------------------------
with st.expander(tr("spending.definitions_title")):
    st.markdown(tr("spending.definitions", basis=overview.basis))
