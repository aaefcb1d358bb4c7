"""Surfaces page: is the building being delivered the building that was announced (2 027 m²,
34 offices, 3 coworking spaces, 1 meeting room, 2 local-services spaces, 58 start-ups)?
Every sentence, figure and table comes from ``views.surfaces``, as in the workbook's sheet."""

from __future__ import annotations

import streamlit as st

from charts.areas import areas_by_level_figure
from tracking.areas import BY_CATEGORY, CATEGORIES, UNCLASSIFIED
from ui.domain import areas_of, surfaces_content
from ui.navigation import require_app_navigation
from ui.render import download_table, show_figures, show_table
from ui.shared import current_data, lang, page_part, plain, tr
from views.surfaces import (
    FindingList,
    category_name,
    rooms_count,
    search_rooms,
)

require_app_navigation()

CHART_CONFIG = {"displaylogo": False}


def show_findings(shown: FindingList) -> None:
    """A verdict in the box of its level, its findings listed under it (literal text)."""
    verdict = shown.verdict
    text = "\n".join([plain(verdict.text), ""] + [f"- {plain(item)}" for item in shown.items])
    alert = {"success": st.success, "info": st.info, "warning": st.warning, "error": st.error}
    alert[verdict.level](text, icon=verdict.icon or None)


data = current_data()
language = lang()

st.title(tr("surfaces.title"))
if data.floor_areas is None:
    st.warning(tr("surfaces.no_data"), icon=":material/warning:")
    st.stop()

overview = areas_of(data)
view, treemap = surfaces_content(data, language)
st.caption(plain(view.caption))

with page_part("surfaces.verdict"):
    for shown in view.verdicts:
        show_findings(shown)

with page_part("surfaces.figures"):
    show_figures(view.figures, per_row=4)

st.subheader(view.treemap_title)
with page_part("surfaces.treemap"):
    st.plotly_chart(
        treemap,
        width="stretch",
        key="surfaces.treemap",
        config=CHART_CONFIG,
    )
    st.caption(tr("surfaces.treemap_caption"))

left, right = st.columns(2)
with page_part("surfaces.conformity"), left:
    st.subheader(view.programme.title)
    show_table(view.programme)
with page_part("surfaces.totals"), right:
    st.subheader(view.totals.title)
    show_table(view.totals)

left, right = st.columns(2)
with page_part("surfaces.levels"), left:
    st.subheader(view.levels.title)
    st.plotly_chart(
        areas_by_level_figure(overview.by_level, language),
        width="stretch",
        key="surfaces.levels",
        config=CHART_CONFIG,
    )
with page_part("surfaces.cost"), right:
    st.subheader(view.costs.title)
    show_table(view.costs)
with page_part("surfaces.level_table"):
    show_table(view.levels)

with page_part("surfaces.attention"):
    if len(view.unknown):
        st.subheader(view.unknown.title)
        show_table(view.unknown)
    if len(view.mismatches):
        with st.expander(view.mismatches.title):
            show_table(view.mismatches)

with page_part("surfaces.rooms"):
    st.subheader(view.rooms.title)
    filters = st.columns([3, 2])
    query = filters[0].text_input(
        tr("surfaces.search"),
        key="surfaces.search",
        placeholder=tr("surfaces.search_placeholder"),
    )
    present = set(overview.by_category[BY_CATEGORY.category])
    chosen = filters[1].multiselect(
        tr("surfaces.category_filter"),
        options=[code for code in (*CATEGORIES, UNCLASSIFIED) if code in present],
        format_func=lambda code: category_name(code, language),
        key="surfaces.category_filter",
        placeholder=tr("surfaces.category_filter_all"),
    )
    rooms = search_rooms(view.rooms, query, chosen)
    st.caption(plain(rooms_count(rooms, len(view.rooms), language)))
    show_table(rooms, height=min(38 + 35 * len(rooms), 560), download=False)  # its own below
    if len(rooms):
        download_table(rooms, tr("surfaces.download_rooms"))

with st.expander(tr("surfaces.conventions_title")):
    st.markdown(view.conventions)
