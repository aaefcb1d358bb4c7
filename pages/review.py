"""Revue hebdomadaire: what changed between two situations (key figures, tasks, décomptes,
contracts, registers) and whether the milestones drift; ``views.review`` says what to show,
the workbook writes the same figures and tables."""

from __future__ import annotations

import streamlit as st

from exports.review_workbook import review_workbook
from i18n.format import format_date
from ui.access import download_button
from ui.domain import review_changes, week_digest_of, week_situation
from ui.navigation import require_app_navigation
from ui.registers import show_register_changes
from ui.render import show_figures, show_table, show_verdict
from ui.review import show_milestone_trend
from ui.shared import lang, page_part, situations, tr
from views.key_figures import compared_figures
from views.review import (
    CHANGE_TABLES,
    default_pair,
    figure_trends,
    review_verdict,
)

require_app_navigation()

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIGURES_PER_ROW = 3
TABLE_ROW_PX, TABLE_HEADER_PX, TABLE_MAX_PX = 35, 38, 460

language = lang()
st.title(tr("review.title"))
st.caption(tr("review.intro"))

history = situations()
if len(history) < 2:
    st.info(tr("review.need_two", count=len(history)), icon=":material/info:")
    st.stop()

by_date = {situation.status_date: situation for situation in history}
newest_first = sorted(by_date, reverse=True)
default_before, _ = default_pair(newest_first)
picker_before, picker_after = st.columns(2)
before_date = picker_before.selectbox(
    tr("review.before"),
    options=newest_first,
    index=newest_first.index(default_before),
    format_func=lambda d: format_date(d, language),
    key="review.before",
    help=tr("review.before_help"),
)
after_date = picker_after.selectbox(
    tr("review.after"), newest_first, 0, lambda d: format_date(d, language), key="review.after"
)
if before_date is None or after_date is None or before_date >= after_date:
    st.warning(tr("review.pick_order"), icon=":material/swap_horiz:")
    st.stop()

shown_dates = sorted(d for d in by_date if d <= after_date)
with st.spinner(tr("review.computing")):
    # the two weeks compared, whole; every other week by its digest (key figures, milestones)
    before, after = (week_situation(by_date[d]) for d in (before_date, after_date))
    digests = {d: week_digest_of(by_date[d]) for d in shown_dates}
figures_at = {d: digests[d].figures for d in shown_dates}
tables = review_changes(by_date[before_date], by_date[after_date], language)

with page_part("review.verdict"):
    show_verdict(review_verdict(figures_at[before_date], figures_at[after_date], tables, language))

with page_part("review.figures"):
    show_figures(
        compared_figures(figures_at[before_date], figures_at[after_date], language),
        FIGURES_PER_ROW,
        charts=figure_trends([figures_at[d] for d in shown_dates]),
        border=True,
    )
    st.caption(tr("review.metrics_caption", first=format_date(shown_dates[0], language)))

st.subheader(tr("review.trend_title"))
with page_part("review.trend"):
    show_milestone_trend([digests[d] for d in shown_dates], language)

stamp = f"{before_date:%Y-%m-%d}_{after_date:%Y-%m-%d}"
st.subheader(
    tr(
        "review.changes_title",
        before=format_date(before_date, language),
        after=format_date(after_date, language),
    )
)
tabs = st.tabs(
    [tr(f"review.tab.{name}", count=len(tables.get(name, ()))) for name in CHANGE_TABLES]
)
with page_part("review.changes"):
    for name, tab in zip(CHANGE_TABLES, tabs, strict=True):
        with tab:
            if name not in tables:
                st.info(tr(f"review.missing.{name}"), icon=":material/info:")
                continue
            table = tables[name]
            height = min(TABLE_HEADER_PX + TABLE_ROW_PX * max(len(table), 1), TABLE_MAX_PX)
            show_table(table, height=height, download=True)

with page_part("review.registers"):  # what the COPIL's registers recorded meanwhile
    show_register_changes(before, after)

with page_part("review.workbook"):
    download_button(
        tr("review.download_xlsx"),
        document=tr("review.download_xlsx"),
        data=lambda: review_workbook(before, after, language),  # written when clicked
        file_name=f"{tr('review.file.workbook')}_{stamp}.xlsx",
        mime=XLSX_MIME,
        key="review.xlsx",
        icon=":material/table_view:",
        type="primary",
    )
