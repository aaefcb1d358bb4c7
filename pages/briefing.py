"""Synthèse: the governor's one-minute briefing — on time? on budget? what is late, what needs
deciding. Every sentence and figure comes from ``exports.briefing`` over the same
``ProjectSituation`` as the workbook's Synthèse sheet."""

from __future__ import annotations

import streamlit as st

from charts.areas import areas_by_category_figure
from charts.progress import progress_figure
from charts.spending import envelope_bars_figure
from exports.briefing import headline_figures, open_alerts, rating_reason, top_late_tasks
from i18n.format import format_date, format_percent
from ui.domain import cached_situation
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

require_app_navigation()

project = settings()
data = current_data()
language = lang()

# Printing: no sidebar, A4 landscape, charts kept whole.
st.html(
    """<style>
    @media print {
      [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"] {display: none !important;}
      @page {size: A4 landscape; margin: 8mm;}
      .js-plotly-plot, [data-testid="stVerticalBlockBorderWrapper"] {break-inside: avoid;}
      .block-container {padding-top: 0 !important;}
    }
    .block-container {padding-top: 1.6rem; padding-bottom: 1rem;}
    [data-testid="stMetricValue"] {font-size: 1.45rem;}
    [data-testid="stMetricLabel"] p {font-size: 0.8rem;}
    .st-key-briefing-figures [data-testid="stCaptionContainer"] p,
    [class*="st-key-briefing-rating"] [data-testid="stCaptionContainer"] p {font-size: 0.72rem; line-height: 1.25;}
    .st-key-briefing-lists p, .st-key-briefing-lists li {font-size: 0.82rem; margin-bottom: 0.1rem;}
    </style>"""
)

st.markdown(
    f"### {md('briefing.heading', project=project.name, date=format_date(data.status_date, language))}"
)
st.caption(md("briefing.caption", owner=project.owner, programme=project.programme))
if data.schedule is None and data.budget is None and data.floor_areas is None:
    st.warning(tr("briefing.no_data"))
    st.stop()

situation = cached_situation(data)

# --- headline figures ------------------------------------------------------------------------
with page_part("briefing.figures"), st.container(key="briefing-figures"):
    figures = headline_figures(situation, language)
    for column, figure in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(figure.label, figure.value, help=figure.detail)
        column.caption(figure.detail)

# --- RAG ratings -----------------------------------------------------------------------------
BADGE = {"green": "green", "amber": "orange", "red": "red"}
with page_part("briefing.ratings"):
    for column, rating in zip(st.columns(len(situation.ratings)), situation.ratings, strict=True):
        with column.container(border=True, key=f"briefing.rating.{rating.dimension}"):
            color = BADGE[rating.color]
            st.markdown(
                f"**{tr(f'rag.dimension.{rating.dimension}')}** "
                f":{color}-background[:{color}[**{tr(f'rag.color.{rating.color}')}**]]"
            )
            st.caption(plain(rating_reason(rating, situation, language)))

# --- late tasks and alerts -------------------------------------------------------------------
lists = st.container(key="briefing-lists")
left, right = lists.columns(2)
with left, page_part("briefing.late_tasks"):
    st.markdown(f"**{tr('briefing.late_title')}**")
    late = top_late_tasks(situation)
    if late.empty:
        st.caption(tr("briefing.late_empty"))
    else:
        for task in late.itertuples():
            st.markdown(
                f"**{plain(task.task_id)}** {plain(task.name)} — "
                f"{format_date(task.forecast_finish, language)} (+{int(task.delay_calendar_days)} j)"
            )
with right, page_part("briefing.alerts"):
    st.markdown(f"**{tr('briefing.alerts_title')}**")
    alerts = open_alerts(situation, language)
    if not alerts:
        st.caption(tr("briefing.alerts_empty"))
    for level, message in alerts:
        st.markdown(f"{':red[**●**]' if level == 'red' else ':orange[**●**]'} {plain(message)}")

# --- three compact charts --------------------------------------------------------------------
charts = st.columns(3)
if situation.planning is not None:
    with charts[0], page_part("briefing.chart_progress"):
        st.markdown(f"**{tr('briefing.chart_progress')}**")
        st.plotly_chart(
            progress_figure(
                situation.planning.planned_curve,
                situation.planning.actual_curve,
                status_date=data.status_date,
                actual_at_status=situation.planning.actual_percent,
                planned_at_status=situation.planning.planned_percent,
                lang=language,
                height=185,
            ),
            width="stretch",
            key="briefing.progress",
            config={"displayModeBar": False},
        )
if situation.spending is not None:
    with charts[1], page_part("briefing.chart_spending"):
        st.markdown(f"**{tr('briefing.chart_spending')}**")
        st.plotly_chart(
            envelope_bars_figure(situation.spending.totals, lang=language, height=185),
            width="stretch",
            key="briefing.spending",
            config={"displayModeBar": False},
        )
if situation.areas is not None:
    with charts[2], page_part("briefing.chart_areas"):
        st.markdown(f"**{tr('briefing.chart_areas')}**")
        st.plotly_chart(
            areas_by_category_figure(situation.areas.by_category, lang=language, height=185),
            width="stretch",
            key="briefing.areas",
            config={"displayModeBar": False},
        )

alerts_settings = project.alerts
with st.expander(tr("briefing.meaning_title")):
    st.markdown(
        tr(
            "briefing.meaning_text",
            delay_amber=int(alerts_settings.delay_days_amber),
            delay_red=int(alerts_settings.delay_days_red),
            gap_amber=format_percent(alerts_settings.progress_gap_amber, language, 0),
            gap_red=format_percent(alerts_settings.progress_gap_red, language, 0),
            eac_amber=format_percent(alerts_settings.eac_over_envelope_amber, language, 0),
            eac_red=format_percent(alerts_settings.eac_over_envelope_red, language, 0),
            engaged_amber=format_percent(alerts_settings.engaged_share_amber, language, 0),
            engaged_red=format_percent(alerts_settings.engaged_share_red, language, 0),
            area_amber=format_percent(alerts_settings.area_gap_amber, language, 0),
            area_red=format_percent(alerts_settings.area_gap_red, language, 0),
        )
    )
    st.caption(tr("briefing.print_hint"))
