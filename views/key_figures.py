"""The key figures of a situation, defined once: the weekly review compares two of them, the
Données page compares the data in use with the data after an import, and the review workbook
writes the same values.

``key_figures(situation)`` reads a ``tracking.situation.ProjectSituation`` (nothing is
computed again here); ``compared_figures(before, after, lang)`` gives one ``views.spec.Figure``
per figure: the later value, its change since the earlier one, and both dated in ``detail``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from i18n import translate
from i18n.format import format_date
from views.format import format_value, is_missing
from views.reasons import reason_text
from views.spec import Figure, Kind


@dataclass(frozen=True)
class KeyFigures:
    """What a reader asks of a situation first. Progress and rates are ratios (0.872 is
    87,2 %); money in MAD; ``None`` where the data cannot give the figure, ``reasons`` saying
    why (a ``tracking.unavailable`` code per figure)."""

    status_date: dt.date
    tasks: int | None = None
    planned_progress: float | None = None
    actual_progress: float | None = None
    forecast_finish: pd.Timestamp | None = None
    #: forecast finish − contractual end, calendar days
    delay_days: int | None = None
    #: avancement financier: émis / engagé
    financial_progress: float | None = None
    forecast_cost: float | None = None
    engaged: float | None = None
    issued: float | None = None
    paid: float | None = None
    #: every space of the room schedule (gross area)
    area_m2: float | None = None
    reasons: dict[str, str] = field(default_factory=dict)

    def value(self, name: str) -> Any:
        return getattr(self, name)


@dataclass(frozen=True)
class KeyFigure:
    """How one key figure is shown: its kind, the kind of its change, whether up is good."""

    name: str
    kind: Kind
    delta_kind: Kind
    #: "normal": up is good; "inverse": up is bad; "off": neither
    delta_color: Literal["normal", "inverse", "off"] = "off"

    def label(self, lang: str) -> str:
        return translate(f"review.metric.{self.name}", lang)

    def help(self, lang: str) -> str:
        return translate(f"review.metric_help.{self.name}", lang)


#: every key figure, in the order the review shows them; the change of a percentage is in
#: points (``delta_kind`` "percent" means points of a ratio), that of a date in days
KEY_FIGURES: tuple[KeyFigure, ...] = (
    KeyFigure("actual_progress", "percent", "percent", "normal"),
    KeyFigure("planned_progress", "percent", "percent", "off"),
    KeyFigure("forecast_finish", "date", "days", "inverse"),
    KeyFigure("delay_days", "days", "days", "inverse"),
    KeyFigure("financial_progress", "percent", "percent", "normal"),
    KeyFigure("forecast_cost", "millions", "money", "inverse"),
    KeyFigure("engaged", "millions", "money", "off"),
    KeyFigure("issued", "millions", "money", "off"),
    KeyFigure("paid", "millions", "money", "off"),
    KeyFigure("tasks", "count", "count", "off"),
    KeyFigure("area_m2", "area", "area", "off"),
)
BY_NAME = {figure.name: figure for figure in KEY_FIGURES}
#: the weekly review's figures (the tasks and the area are the import preview's concern)
REVIEW_FIGURES = KEY_FIGURES[:9]
#: what the Données page shows of an import's effect
PREVIEW_FIGURES = (
    "tasks",
    "actual_progress",
    "forecast_finish",
    "engaged",
    "issued",
    "paid",
    "area_m2",
)


def key_figures(situation) -> KeyFigures:
    """The key figures of a ``ProjectSituation`` (a missing table leaves its figures None)."""
    values: dict[str, Any] = {}
    reasons: dict[str, str] = {}
    if situation.schedule is not None:
        values["tasks"] = len(situation.schedule)
    planning = situation.planning
    if planning is not None:
        forecast = planning.forecast
        values.update(
            planned_progress=planning.planned_percent / 100,
            actual_progress=planning.actual_percent / 100,
            forecast_finish=forecast.forecast_finish,
            delay_days=forecast.delay_vs_contract_days,
        )
        if forecast.reason:
            reasons.update(forecast_finish=forecast.reason, delay_days=forecast.reason)
    spending = situation.spending
    if spending is not None:
        totals = spending.totals
        values.update(
            engaged=totals.engaged,
            issued=totals.issued,
            paid=totals.paid,
            financial_progress=situation.financial_progress,
            forecast_cost=spending.forecast_at_completion,
        )
        if totals.reason("issue_rate"):
            reasons["financial_progress"] = totals.reason("issue_rate")
        if spending.reason("forecast_at_completion"):
            reasons["forecast_cost"] = spending.reason("forecast_at_completion")
    if situation.areas is not None:
        values["area_m2"] = situation.areas.totals.gross_m2
    elif situation.floor_areas is not None:
        values["area_m2"] = 0.0
    return KeyFigures(situation.status_date, reasons=reasons, **values)


def change(name: str, before: Any, after: Any) -> Any:
    """``after − before`` in the figure's change kind (days between two dates; ratios for
    percentages, shown as points); ``None`` when either is missing."""
    if is_missing(before) or is_missing(after):
        return None
    if BY_NAME[name].kind == "date":
        return int((pd.Timestamp(after) - pd.Timestamp(before)) / pd.Timedelta(days=1))
    return after - before


def change_text(delta: Any, delta_kind: Kind | None, lang: str) -> str:
    """A change as the reader reads it: ``+2,3 pts``, ``+11 j``, ``-1 563 667 MAD``, ``±0 j``.
    The sign is an ASCII ``+`` / ``-`` (Streamlit's metric reads it for its arrow)."""
    if is_missing(delta) or delta_kind is None:
        return ""
    size = abs(float(delta))
    if size < 1e-9:
        size = 0.0
    if delta_kind == "percent" and not size:
        text = translate("review.points", lang, value="0")
    elif delta_kind == "percent":
        text = translate("review.points", lang, value=format_value(size * 100, "number", lang))
    elif delta_kind == "money":
        text = format_value(round(size), "int", lang) + "\u00a0MAD"
    else:
        text = format_value(size, delta_kind, lang)
    if not size:
        return "±" + text
    return ("-" if float(delta) < 0 else "+") + text


def value_text(figure: KeyFigure, value: Any, lang: str) -> str:
    """A key figure's value: a delay with its sign (``+33 j``), the others by their kind."""
    if figure.name == "delay_days" and not is_missing(value):
        return change_text(value, "days", lang)
    return format_value(value, figure.kind, lang)


def compared_figures(
    before: KeyFigures | None,
    after: KeyFigures,
    lang: str,
    names: Sequence[str] = tuple(f.name for f in REVIEW_FIGURES),
) -> list[Figure]:
    """One figure per name: the value at ``after``, its change since ``before`` and, in
    ``detail``, both values dated (``13/11/2026 : 85,0 % → 20/11/2026 : 87,2 %``). A missing
    value says why in ``detail``. ``before`` None (nothing earlier): no change."""
    figures = []
    for name in names:
        spec = BY_NAME[name]
        new = after.value(name)
        old = before.value(name) if before is not None else None
        if is_missing(new) and name in after.reasons:
            detail = reason_text(after.reasons[name], lang)
        elif before is None:
            detail = ""
        else:
            detail = translate(
                "review.before_after",
                lang,
                before=format_date(before.status_date, lang),
                after=format_date(after.status_date, lang),
                before_value=value_text(spec, old, lang),
                after_value=value_text(spec, new, lang),
            )
        figures.append(
            Figure(
                key=name,
                label=spec.label(lang),
                value=new,
                kind=spec.kind,
                help=spec.help(lang),
                detail=detail,
                delta=change(name, old, new),
                delta_kind=spec.delta_kind,
                delta_color=spec.delta_color,
                reason=after.reasons.get(name) if is_missing(new) else None,
                shown=value_text(spec, new, lang),
            )
        )
    return figures
