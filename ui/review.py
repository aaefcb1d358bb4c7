"""The weekly review's milestone trend: every week's forecast of each milestone, read from the
weeks' digests (``views.week_digest``), drawn by ``charts.review``."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from charts.review import milestone_trend_figure
from i18n.format import format_date
from loaders.schema import SCHEDULE
from ui.shared import tr
from views.review import (
    TREND_MILESTONES,
    milestone_history,
    most_moved,
    project_finish_frame,
    reached_before,
)
from views.week_digest import WeekDigest


def show_milestone_trend(weeks: Sequence[WeekDigest], language: str) -> None:
    """The chart of the milestones' forecasts over ``weeks`` (oldest first): those already
    reached before the first week and, beyond ``TREND_MILESTONES``, those that moved least
    are left out unless asked for."""
    first = weeks[0].figures.status_date
    trend = milestone_history([digest.milestones for digest in weeks])
    if trend.empty:
        st.info(tr("review.no_milestones"), icon=":material/flag:")
    else:
        reached = reached_before(trend, first)
        show_all = st.toggle(
            tr(
                "review.all_milestones",
                count=len(reached),
                date=format_date(first, language),
            ),
            key="review.all_milestones",
            disabled=not reached,
        )
        shown_trend = trend if show_all else trend[~trend[SCHEDULE.task_id].isin(reached)]
        count = shown_trend[SCHEDULE.task_id].nunique()
        if count > TREND_MILESTONES and not st.toggle(
            tr("review.trend_every", count=count), key="review.trend_every"
        ):
            shown_trend = most_moved(shown_trend)
        st.plotly_chart(
            milestone_trend_figure(
                shown_trend,
                project_finish_frame([digest.figures for digest in weeks]),
                lang=language,
            ),
            width="stretch",
            key="review.trend",
            config={"displaylogo": False},
        )
        st.caption(tr("review.trend_caption"))
