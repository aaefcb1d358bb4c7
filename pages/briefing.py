"""Synthèse: the governor's one-minute briefing — on time? on budget? what is late, what needs
deciding. Every sentence, figure and table comes from ``views.briefing`` over the same
``ProjectSituation`` as the workbook's Synthèse sheet."""

from __future__ import annotations

import streamlit as st

from charts.areas import areas_by_category_figure
from charts.progress import progress_figure
from charts.spending import envelope_bars_figure
from i18n.format import format_date
from ui.briefing_pack import briefing_pack
from ui.domain import cached_situation
from ui.navigation import require_app_navigation
from ui.print_css import briefing_style
from ui.registers import show_briefing_governance
from ui.render import first_items, show_static_table, show_table
from ui.shared import current_data, lang, md, page_part, plain, settings, tr
from views import briefing as view
from views.format import figure_text

require_app_navigation()

project = settings()
data = current_data()
language = lang()
BADGE = {"green": "green", "amber": "orange", "red": "red"}
COMPACT = {"displayModeBar": False}

# on screen and printed (Ctrl+P: two A4 landscape pages, as the briefing note)
briefing_style()

heading = md("briefing.heading", project=project.name, date=format_date(data.status_date, language))
st.markdown(f"### {heading}")
st.caption(md("briefing.caption", owner=project.owner, programme=project.programme))
if data.schedule is None and data.budget is None and data.floor_areas is None:
    st.warning(tr("briefing.no_data"))
    st.stop()

situation = cached_situation(data)

with page_part("briefing.figures"), st.container(key="briefing-figures"):
    figures = view.headline_figures(situation, language)
    for column, figure in zip(st.columns(len(figures)), figures, strict=True):
        note = plain(view.figure_note(figure, language))
        column.metric(plain(figure.label), figure_text(figure, language), help=note or None)
        column.caption(note)

with page_part("briefing.ratings"):
    ratings = view.ratings_table(situation, language).frame
    for column, rating in zip(st.columns(len(ratings)), ratings.itertuples(), strict=True):
        with column.container(border=True, key=f"briefing.rating.{rating.code}"):
            color = BADGE[rating.color]
            st.markdown(
                f"**{plain(rating.dimension)}** "
                f":{color}-background[:{color}[**{plain(rating.rating)}**]]"
            )
            st.caption(plain(rating.reason))

left, right = st.container(key="briefing-lists").columns(2)
with left, page_part("briefing.late_tasks"):
    late = view.late_tasks_table(situation, language)
    st.markdown(f"**{plain(late.title)}**")
    with st.container(key="briefing-late-grid"):
        show_table(late)
    if len(late):
        with st.container(key="briefing-print-late"):  # the grid is a canvas: text on paper
            show_static_table(late)
with right, page_part("briefing.alerts"):
    alerts = view.alerts_table(situation, language)
    st.markdown(f"**{plain(alerts.title)}**")
    if len(alerts) == 0:
        st.caption(plain(alerts.empty_text))
    for alert in first_items(
        list(alerts.frame.itertuples()), "briefing.alerts_all", "briefing.alerts_all"
    ):
        dot = ":red[**●**]" if alert.color == "red" else ":orange[**●**]"
        st.markdown(f"{dot} {plain(alert.message)}")

charts = st.container(key="briefing-charts").columns(3)
planning, spending, areas = situation.planning, situation.spending, situation.areas
if planning is not None:
    with charts[0], page_part("briefing.chart_progress"):
        st.markdown(f"**{tr('briefing.chart_progress')}**")
        figure = progress_figure(
            planning.planned_curve,
            planning.actual_curve,
            status_date=data.status_date,
            actual_at_status=planning.actual_percent,
            planned_at_status=planning.planned_percent,
            lang=language,
            height=185,
        )
        st.plotly_chart(figure, width="stretch", key="briefing.progress", config=COMPACT)
if spending is not None:
    with charts[1], page_part("briefing.chart_spending"):
        st.markdown(f"**{tr('briefing.chart_spending')}**")
        figure = envelope_bars_figure(spending.totals, lang=language, height=185)
        st.plotly_chart(figure, width="stretch", key="briefing.spending", config=COMPACT)
if areas is not None:
    with charts[2], page_part("briefing.chart_areas"):
        st.markdown(f"**{tr('briefing.chart_areas')}**")
        figure = areas_by_category_figure(areas.by_category, lang=language, height=185)
        st.plotly_chart(figure, width="stretch", key="briefing.areas", config=COMPACT)

with page_part("briefing.governance"):  # the COPIL's registers (printed on page 3)
    show_briefing_governance(situation)

with page_part("briefing.pack"):
    briefing_pack(situation, data)
with st.expander(tr("briefing.meaning_title")):
    st.markdown(view.colour_scale_text(project.alerts, language))
    st.caption(tr("briefing.print_hint"))
