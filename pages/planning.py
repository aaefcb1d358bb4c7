"""Planning page: will the works finish on time, and if not, when and why? Every figure,
sentence and table comes from ``views.planning``, the same as the workbook's Planning and
Contrôles sheets."""

from __future__ import annotations

import streamlit as st

from charts.gantt import IS_SUMMARY, collapsed_rows, gantt_figure, gantt_rows
from charts.progress import progress_figure
from i18n.format import format_date
from loaders.schema import SCHEDULE
from ui.domain import planning_of
from ui.navigation import require_app_navigation
from ui.render import show_figures, show_table, show_verdict
from ui.shared import current_data, lang, page_part, plain, settings, tr
from views import planning as view

require_app_navigation()

project = settings()
data = current_data()
language = lang()
CHART_CONFIG = {"displaylogo": False}

st.title(tr("planning.title"))
if data.schedule is None:
    st.warning(tr("planning.no_schedule"), icon=":material/warning:")
    st.stop()

overview = planning_of(data)
st.caption(
    tr(
        "planning.caption",
        start=format_date(project.works_start, language),
        end=format_date(project.contractual_end, language),
        status=format_date(data.status_date, language),
    )
)

with page_part("planning.verdict"):
    show_verdict(view.planning_verdict(overview, language))

with page_part("planning.figures"):
    # an amount with its centimes fits a quarter of the page at 1366 px
    st.html("<style>[data-testid='stMetricValue'] {font-size: 1.9rem;}</style>")
    show_figures(view.planning_figures(overview, language), per_row=4)

with page_part("planning.earned"), st.container(border=True):
    st.markdown(f"**{tr('planning.earned_title')}**")
    st.write(plain(view.earned_schedule_text(overview, language)))
    note = view.plan_source_note(overview, language)
    if note:
        st.caption(plain(note))

# --- Gantt -----------------------------------------------------------------------------------
st.subheader(tr("planning.gantt_title"))
with page_part("planning.gantt"):
    rows = gantt_rows(data.schedule, overview.tasks)
    lots = list(dict.fromkeys(rows[SCHEDULE.lot].tolist()))
    filters = st.columns([3, 1])
    chosen_lots = filters[0].multiselect(
        tr("planning.lot_filter"), options=lots, default=[], key="planning.lot_filter",
        placeholder=tr("planning.lot_filter_all"),
    )  # fmt: skip
    only_late = filters[1].toggle(tr("planning.only_late"), key="planning.only_late")
    search = st.text_input(
        tr("planning.task_search"), key="planning.task_search",
        placeholder=tr("planning.task_search_placeholder"),
    )  # fmt: skip
    shown = view.gantt_selection(rows, chosen_lots, only_late, search)
    tasks_shown = int((~shown[IS_SUMMARY].fillna(False).astype(bool)).sum())
    if tasks_shown > view.GANTT_MAX_ROWS and not (chosen_lots or search.strip()):
        shown = collapsed_rows(shown, language)  # a bar per lot until lots are chosen
        st.caption(tr("planning.gantt_collapsed", count=tasks_shown, max=view.GANTT_MAX_ROWS))
    elif len(shown) > view.GANTT_MAX_ROWS:
        st.caption(tr("planning.gantt_first", count=len(shown), max=view.GANTT_MAX_ROWS))
        shown = shown.head(view.GANTT_MAX_ROWS)
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
        st.plotly_chart(figure, width="stretch", key="planning.gantt", config=CHART_CONFIG)
    st.caption(tr("planning.gantt_legend"))
    no_logic = view.no_logic_text(overview, language)
    if no_logic:
        st.warning(plain(no_logic))
    problems = view.logic_problems(overview, language)
    if problems:
        with st.expander(f"{tr('planning.logic_problems')} ({len(problems)})"):
            st.markdown("\n".join(f"- {plain(problem)}" for problem in problems))

# --- S-curve ---------------------------------------------------------------------------------
st.subheader(tr("planning.scurve_title"))
with page_part("planning.scurve"):
    curve = progress_figure(
        overview.planned_curve,
        overview.actual_curve,
        status_date=data.status_date,
        actual_at_status=overview.actual_percent,
        planned_at_status=overview.planned_percent,
        lang=language,
    )
    st.plotly_chart(curve, width="stretch", key="planning.scurve", config=CHART_CONFIG)
st.caption(tr("planning.scurve_caption"))

# --- tables ----------------------------------------------------------------------------------
with page_part("planning.late_table"):
    late = view.late_tasks_table(data.schedule, overview, language)
    st.subheader(late.title)
    show_table(late, height=min(38 + 35 * len(late), 480), download=True)

with page_part("planning.milestones"):
    milestones = view.milestones_table(data.schedule, overview, language)
    st.subheader(milestones.title)
    show_table(milestones, download=True)

with page_part("planning.checks"):
    checks = view.checks_table(overview, project.high_float_days, language)
    st.subheader(checks.title)
    show_table(checks, height=38 + 35 * len(checks), download=True)

with page_part("planning.tasks"), st.expander(tr("planning.tasks_title")):
    show_table(view.tasks_table(data.schedule, overview, language), download=True)
