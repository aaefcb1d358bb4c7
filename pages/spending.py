"""Spending page: how much of the envelope is committed, issued and paid, and will it be
enough? Every figure, sentence and table comes from ``views.spending`` over the cached
``tracking.spending.spending_overview``, the same content the workbook's Dépenses sheet
writes."""

from __future__ import annotations

import streamlit as st

from charts import spending as charts
from ui.domain import planning_of, spending_content, spending_of
from ui.markdown_text import plain
from ui.navigation import require_app_navigation
from ui.render import first_items, show_figures, show_table, show_verdict
from ui.shared import current_data, lang, page_part, settings, tr
from views import spending as view

require_app_navigation()


def titled_table(table) -> None:
    """A table under its title in bold."""
    st.markdown(f"**{plain(table.title)}**")
    show_table(table)


project = settings()
data = current_data()
language = lang()
CHART = {"displaylogo": False}

st.title(tr("spending.title"))
if data.budget is None:
    st.warning(tr("spending.no_budget"), icon=":material/warning:")
    st.stop()
missing = [table for table in ("contracts", "spending") if data.frame(table) is None]
if missing:
    tables = ", ".join(tr(f"data_page.table.{table}") for table in missing)
    st.warning(tr("spending.missing_tables", tables=tables), icon=":material/warning:")

basis = st.segmented_control(
    tr("spending.basis_label"),
    options=["TTC", "HT"],
    default=project.amounts_basis,
    required=True,
    format_func=lambda option: view.basis_name(option, language),
    key="spending.basis",
    help=view.basis_help(project, language),
)
overview = spending_of(data, basis)
completed = data.schedule is not None and planning_of(data).forecast.completed
content = spending_content(data, basis, language, completed=completed)
st.caption(view.caption(overview, language, data.status_date, data.sources.get("finance", "")))

with page_part("spending.verdict"):
    show_verdict(content.verdict)
with page_part("spending.figures"):
    # four per row, the rates three: their labels say what they divide by and must fit
    show_figures(content.amounts, per_row=4)
    show_figures(content.rates, per_row=3)
    show_figures(content.outlook, per_row=4)
with page_part("spending.meaning"), st.container(border=True):
    st.markdown(f"**{tr('spending.meaning_title')}**")
    for line in content.meaning:
        st.markdown(f"- {line}")

st.subheader(tr("spending.alerts_title"))
with page_part("spending.alerts"):
    for alert in first_items(content.alerts, "spending.alerts_all", "spending.alerts_all"):
        show_verdict(alert)

st.subheader(tr("spending.chain_title"))
with page_part("spending.chain"):
    figure = charts.chain_figure(overview.totals, lang=language, currency=overview.currency)
    st.plotly_chart(figure, width="stretch", key="spending.chain_chart", config=CHART)
    show_table(content.breakdown)

st.subheader(tr("spending.curve_title"))
with page_part("spending.curve"):
    figure = charts.cash_flow_figure(
        overview.cash_flow,
        envelope=overview.totals.envelope,
        status_date=data.status_date,
        contractual_end=overview.contractual_end,
        lang=language,
    )
    st.plotly_chart(figure, width="stretch", key="spending.curve_chart", config=CHART)
    st.caption(tr(f"spending.curve_caption_{overview.plan_source}"))

st.subheader(tr("spending.lines_title"))
with page_part("spending.lines_chart"):
    chain, most = overview.chain, charts.CHART_LINES  # beyond: the most consumed, or all
    every = len(chain) <= most or st.toggle(tr("spending.lines_all", count=len(chain), max=most), key="spending.lines_all")  # fmt: skip
    figure = charts.budget_lines_figure(
        chain, lang=language, currency=overview.currency, limit=None if every else most
    )
    st.plotly_chart(figure, width="stretch", key="spending.lines_chart", config=CHART)
    st.caption(tr("spending.lines_caption"))
with page_part("spending.lines_table"):
    show_table(content.lines, height=38 + 35 * len(content.lines), download=True)
    options = view.line_options(overview, language)
    chosen = st.selectbox(
        tr("spending.drill_label"),
        list(options),
        index=view.drill_default(overview),
        format_func=options.get,
        key="spending.line",
    )
    with st.container(border=True):
        titled_table(view.line_contracts_table(overview, chosen, language))
        titled_table(view.line_decomptes_table(overview, chosen, language))

st.subheader(tr("spending.evm_title"))
with page_part("spending.earned_value"):
    if overview.earned is None:
        st.info(tr("spending.evm_none"))
    else:
        figure = charts.earned_value_figure(
            overview.earned_series,
            overview.earned,
            status_date=data.status_date,
            start=overview.works_start,
            lang=language,
        )
        st.plotly_chart(figure, width="stretch", key="spending.evm_chart", config=CHART)
        show_table(content.earned, height=38 + 35 * len(content.earned))
        with st.expander(content.earned_lines.title):
            show_table(content.earned_lines)
        titled_table(content.excluded)

st.subheader(tr("spending.rules_title"))
with page_part("spending.rules"):
    show_table(content.rules)
    titled_table(content.retention)
    show_figures([content.late_interest], per_row=4)
    titled_table(content.overdue)
    st.markdown(f"**{tr('spending.penalty_title')}**")
    st.write(content.penalty)
    st.markdown(f"**{tr('stages.workbook.contract_title')}**")
    st.markdown("\n".join("- " + plain(line) for line in view.term_lines(content.terms, language)))

with page_part("spending.ledger"), st.expander(content.ledger.title):
    show_table(content.ledger, download=True)

with st.expander(tr("spending.definitions_title")):
    st.markdown(tr("spending.definitions", basis=view.basis_name(overview.basis, language)))
