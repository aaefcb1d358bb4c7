"""The milestone trend as chart data for a renderer that draws its own chart (the slide deck's
native line chart): at each situation, the forecast date of each milestone still ahead and of
the whole project. The frames and the rule of what is shown come from the weekly review
(``views.review``: ``milestones_of``, ``milestone_history``, ``reached_before``,
``project_finish_frame``), so the deck's lines are the review page's lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from i18n import translate
from loaders.schema import SCHEDULE
from tracking.compare import COMPARED
from views.review import milestone_history, project_finish_frame, reached_before
from views.week_digest import WeekDigest, week_digest

#: ``TrendLine.key`` of the project's own forecast finish
PROJECT_FINISH = "project_finish"


@dataclass(frozen=True)
class TrendLine:
    """One line of the trend: a milestone (``key`` its task id) or the project's forecast
    finish (``PROJECT_FINISH``); one forecast date per situation, ``None`` where unknown."""

    key: str
    label: str
    values: tuple[pd.Timestamp | None, ...]
    baseline: pd.Timestamp | None = None


@dataclass(frozen=True)
class MilestoneTrend:
    status_dates: tuple[dt.date, ...]
    lines: tuple[TrendLine, ...]

    @property
    def dates(self) -> list[pd.Timestamp]:
        """Every date drawn (forecasts and baselines): the span of the chart's date axis."""
        found = [v for line in self.lines for v in line.values if v is not None]
        found += [line.baseline for line in self.lines if line.baseline is not None]
        return found


def _date(value) -> pd.Timestamp | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value)


def _digest(week) -> WeekDigest:
    return week if isinstance(week, WeekDigest) else week_digest(week)


def milestone_trend_lines(situations: Sequence, lang: str = "fr") -> MilestoneTrend | None:
    """The trend over ``situations`` (``ProjectSituation``s, or the ``WeekDigest``s of the
    weeks the history keeps: the same figures; oldest first); ``None`` with fewer
    than two situations or nothing dated. As on the review page, milestones already forecast
    before the first situation are left out (they would flatten the lines), milestones come
    in the order of their baseline date, and the project's forecast finish comes first."""
    weeks = sorted((_digest(s) for s in situations), key=lambda d: d.status_date)
    if len(weeks) < 2:
        return None
    dates = tuple(d.status_date for d in weeks)
    at = [pd.Timestamp(d) for d in dates]
    trend = milestone_history([d.milestones for d in weeks])
    lines: list[TrendLine] = []
    finish = project_finish_frame([d.figures for d in weeks])
    by_date = dict(zip(finish[COMPARED.status_date], finish[COMPARED.forecast_finish], strict=True))
    project = tuple(_date(by_date.get(d)) for d in at)
    if any(v is not None for v in project):
        label = translate("review.chart.project_finish", lang)
        lines.append(TrendLine(PROJECT_FINISH, label, project))
    if not trend.empty:
        shown = trend[~trend[SCHEDULE.task_id].isin(reached_before(trend, dates[0]))]
        order = (
            shown.groupby(SCHEDULE.task_id, sort=False)
            .agg(
                baseline=(SCHEDULE.baseline_finish, "first"),
                first=(COMPARED.forecast_finish, "first"),
            )
            .sort_values(["baseline", "first"], na_position="last")
            .index
        )
        for task_id in order:
            rows = shown[shown[SCHEDULE.task_id] == task_id]
            forecast = dict(
                zip(rows[COMPARED.status_date], rows[COMPARED.forecast_finish], strict=True)
            )
            baseline = rows[SCHEDULE.baseline_finish].dropna()
            lines.append(
                TrendLine(
                    str(task_id),
                    f"{task_id} {rows[SCHEDULE.name].iloc[-1]}",
                    tuple(_date(forecast.get(d)) for d in at),
                    _date(baseline.iloc[-1]) if len(baseline) else None,
                )
            )
    result = MilestoneTrend(dates, tuple(lines))
    return result if result.dates else None
