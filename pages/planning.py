"""Planning page: will the works finish on time, and if not, when and why?"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.gantt import gantt_figure, gantt_rows
from charts.progress import progress_figure
from exports.safe_csv import to_csv_bytes
from i18n.format import format_date, format_money, format_number, format_percent
from loaders.schema import SCHEDULE
from tracking.cpm import CPM
from tracking.forecast import IS_LATE
from tracking.planning import late_and_critical_table
from ui.domain import cached_planning
from ui.navigation import require_app_navigation
from ui.shared import (
    current_data,
    lang,
    md,
    page_part,
    settings,
    tr,
)
from views.reasons import reason_text

require_app_navigation()

project = settings()
data = current_data()
language = lang()

st.title(tr("planning.title"))
if data.schedule is None:
    st.warning(tr("planning.no_schedule"), icon=":material/warning:")
    st.stop()

overview = cached_planning(data.schedule, data.budget, data.contracts, data.status_date)
forecast = overview.forecast
st.caption(
    tr(
        "planning.caption",
        start=format_date(project.works_start, language),
        end=format_date(project.contractual_end, language),
        status=format_date(data.status_date, language),
    )
)


# --- the verdict, in one sentence ------------------------------------------------------------
no_forecast = reason_text(forecast.reason, language) or None
with page_part("planning.verdict"):
    if forecast.forecast_finish is None:
        st.info(
            tr(
                "planning.verdict_no_forecast_because",
                reason=reason_text(forecast.reason, language, embedded=True),
            )
            if forecast.reason
            else tr("planning.verdict_no_forecast")
        )
    elif forecast.completed:
        late = (forecast.delay_vs_contract_days or 0) > 0
        (st.warning if late else st.success)(
            tr(
                "planning.verdict_completed_late" if late else "planning.verdict_completed",
                finish=format_date(forecast.forecast_finish, language),
                days=abs(forecast.delay_vs_contract_days or 0),
                end=format_date(forecast.contractual_end, language),
            ),
            icon=":material/flag:",
        )
    elif forecast.delay_vs_contract_days and forecast.delay_vs_contract_days > 0:
        st.error(
            tr(
                "planning.verdict_late",
                finish=format_date(forecast.forecast_finish, language),
                days=forecast.delay_vs_contract_days,
                end=format_date(forecast.contractual_end, language),
            ),
            icon=":material/schedule:",
        )
    else:
        st.success(
            tr(
                "planning.verdict_on_time",
                finish=format_date(forecast.forecast_finish, language),
                days=-(forecast.delay_vs_contract_days or 0),
                end=format_date(forecast.contractual_end, language),
            ),
            icon=":material/event_available:",
        )

# --- headline figures ------------------------------------------------------------------------
with page_part("planning.figures"):
    first, second = st.columns(4), st.columns(4)
    first[0].metric(
        tr("planning.metric_planned"), format_percent(overview.planned_percent / 100, language)
    )
    first[1].metric(
        tr("planning.metric_actual"),
        format_percent(overview.actual_percent / 100, language),
        delta=f"{format_number(overview.progress_gap, language, 1)} pts",
        help=tr(
            "planning.metric_actual_help", basis=tr(f"planning.basis_{overview.weights.basis}")
        ),
    )
    first[2].metric(
        tr("planning.metric_reception" if forecast.completed else "planning.metric_forecast"),
        format_date(forecast.forecast_finish, language),
        help=no_forecast or tr(f"planning.metric_forecast_help_{forecast.source}"),
    )
    delay = forecast.delay_vs_contract_days
    first[3].metric(
        tr("planning.metric_delay"),
        "—" if delay is None else tr("planning.metric_delay_value", days=f"{delay:+d}"),
        help=tr("planning.metric_delay_help"),
    )
    penalty = overview.penalty
    if penalty is not None:
        second[0].metric(
            tr("planning.metric_penalty"),
            format_money(penalty.amount, language, decimals=0),
            help=tr(
                "planning.metric_penalty_help",
                rate=format_percent(penalty.rate_per_day, language, 1),
                amount=format_money(penalty.contract_amount, language, decimals=0),
                cap=format_percent(penalty.cap, language, 0),
                cap_amount=format_money(penalty.cap_amount, language, decimals=0),
            ),
        )
    else:
        second[0].metric(
            tr("planning.metric_penalty"), "—", help=tr("planning.metric_penalty_none")
        )
    second[1].metric(tr("planning.metric_critical"), overview.critical_count)
    second[2].metric(tr("planning.metric_late"), overview.late_count)
    second[3].metric(
        "SPI(t)",
        "—"
        if overview.earned.forecast_finish is None
        else format_number(overview.earned.spi_t, language, 2),
        help=tr("planning.metric_spi_help"),
    )

with page_part("planning.earned"):
    earned = overview.earned
    with st.container(border=True):
        st.markdown(f"**{tr('planning.earned_title')}**")
        if forecast.completed:
            st.write(
                tr(
                    "planning.earned_text_completed",
                    finish=format_date(forecast.forecast_finish, language),
                    spi=format_number(earned.spi_t, language, 2),
                )
                if earned.spi_t is not None
                else tr("planning.earned_text_none")
            )
        elif earned.forecast_finish is None:
            st.write(tr("planning.earned_text_none"))
        else:
            st.write(
                tr(
                    "planning.earned_text",
                    actual=format_percent(overview.actual_percent / 100, language),
                    earned=format_number(earned.earned_schedule, language, 1),
                    elapsed=earned.actual_time,
                    spi=format_number(earned.spi_t, language, 2),
                    finish=format_date(earned.forecast_finish, language),
                )
            )
        if overview.plan_source == "current":
            st.caption(tr("planning.plan_source_current"))

# --- Gantt -----------------------------------------------------------------------------------
st.subheader(tr("planning.gantt_title"))
with page_part("planning.gantt"):
    rows = gantt_rows(data.schedule, overview.tasks)
    lots = list(dict.fromkeys(rows[SCHEDULE.lot].tolist()))
    filter_columns = st.columns([3, 1])
    chosen_lots = filter_columns[0].multiselect(
        tr("planning.lot_filter"), options=lots, default=[], key="planning.lot_filter",
        placeholder=tr("planning.lot_filter_all"),
    )  # fmt: skip
    only_late = filter_columns[1].toggle(tr("planning.only_late"), key="planning.only_late")
    shown = rows
    if chosen_lots:
        shown = shown[shown[SCHEDULE.lot].isin(chosen_lots)]
    if only_late:
        shown = shown[shown[IS_LATE] | shown[CPM.is_critical]]
    if shown.empty:
        st.info(tr("planning.table_empty"))
    else:
        figure = gantt_figure(
            shown,
            status_date=data.status_date,
            contractual_end=project.contractual_end,
            works_start=project.works_start,
            lang=language,
        )
        st.plotly_chart(
            figure, width="stretch", key="planning.gantt", config={"displaylogo": False}
        )
    st.caption(tr("planning.gantt_legend"))
    if not overview.cpm.has_logic:
        st.warning(tr("planning.no_logic"))
    logic_problems = [p for p in overview.cpm.problems if p.code != "no_logic"]
    if logic_problems:
        with st.expander(tr("planning.logic_problems") + f" ({len(logic_problems)})"):
            for problem in logic_problems:
                st.write(
                    "• "
                    + md(
                        f"cpm.problem.{problem.code}",
                        tasks=", ".join(problem.task_ids),
                        detail=problem.detail,
                    )
                )

# --- S-curve and the late/critical table -----------------------------------------------------
st.subheader(tr("planning.scurve_title"))
with page_part("planning.scurve"):
    st.plotly_chart(
        progress_figure(
            overview.planned_curve,
            overview.actual_curve,
            status_date=data.status_date,
            actual_at_status=overview.actual_percent,
            planned_at_status=overview.planned_percent,
            lang=language,
        ),
        width="stretch",
        key="planning.scurve",
        config={"displaylogo": False},
    )
st.caption(tr("planning.scurve_caption"))

st.subheader(tr("planning.table_title"))
with page_part("planning.late_table"):
    table = late_and_critical_table(data.schedule, overview)
    if table.empty:
        st.info(tr("planning.table_empty"))
    else:
        shown_table = table.rename(columns=lambda c: tr(f"planning.col.{c}"))
        st.dataframe(
            shown_table,
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(table), 480),
            key="planning.late_table",
            column_config={
                tr("planning.col.baseline_finish"): st.column_config.DateColumn(
                    format="DD/MM/YYYY"
                ),
                tr("planning.col.forecast_finish"): st.column_config.DateColumn(
                    format="DD/MM/YYYY"
                ),
                tr("planning.col.percent_complete"): st.column_config.ProgressColumn(
                    format="%.0f %%", min_value=0, max_value=100
                ),
            },
        )
        st.download_button(
            tr("planning.download_tasks"),
            data=to_csv_bytes(shown_table),
            file_name="taches_en_retard.csv",
            mime="text/csv",
            key="planning.download_late",
        )

# --- schedule checks -------------------------------------------------------------------------
st.subheader(tr("planning.checks_title"))
checks = overview.checks
applicable = [c for c in checks if c.passed is not None]
st.caption(
    tr(
        "planning.checks_passed",
        passed=sum(bool(c.passed) for c in applicable),
        total=len(applicable),
    )
)


def _value(check) -> str:
    if check.value is None:
        return "—"
    if check.rule == "max_count":
        return format_number(check.value, language)
    return (
        format_number(check.value, language, 2)
        if check.code == "cpli"
        else format_percent(check.value, language)
    )


def _threshold(check) -> str:
    sign = "≥" if check.rule == "min_ratio" else "≤"
    if check.rule == "max_count":
        return f"{sign} {format_number(check.threshold, language)}"
    if check.code == "cpli":
        return f"{sign} {format_number(check.threshold, language, 2)}"
    return f"{sign} {format_percent(check.threshold, language, 0)}"


with page_part("planning.checks"):
    checks_table = pd.DataFrame(
        {
            tr("checks.col.check"): [tr(f"checks.name.{c.code}") for c in checks],
            tr("checks.col.result"): [
                tr("checks.col.not_applicable")
                if c.passed is None
                else tr("checks.col.pass")
                if c.passed
                else tr("checks.col.fail")
                for c in checks
            ],
            tr("checks.col.count"): [c.count for c in checks],
            tr("checks.col.population"): [c.population for c in checks],
            tr("checks.col.value"): [_value(c) for c in checks],
            tr("checks.col.threshold"): [_threshold(c) for c in checks],
            tr("checks.col.tasks"): [
                ", ".join(c.task_ids[:12]) + (" …" if len(c.task_ids) > 12 else "") for c in checks
            ],
        }
    )
    st.dataframe(
        checks_table,
        hide_index=True,
        width="stretch",
        height=38 + 35 * len(checks_table),
        key="planning.checks",
    )
    with st.expander(tr("planning.checks_help")):
        for check in checks:
            st.markdown(
                f"**{tr(f'checks.name.{check.code}')}** — {tr(f'checks.help.{check.code}')}"
            )
