"""The Synthèse (the governor's one-minute briefing) in figures and words: the headline
figures, the sentence behind each RAG rating, the top late tasks and the open alerts.

The Synthèse page and the Synthèse sheet of the workbook both draw these, so the governor's
screen and the council's workbook say the same thing."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from i18n import translate
from i18n.format import format_date, format_millions, format_money, format_number, format_percent
from loaders.project import AlertThresholds
from loaders.schema import SCHEDULE
from tracking.forecast import DELAY_CALENDAR_DAYS, FORECAST_FINISH
from tracking.rag import Rating
from tracking.situation import ProjectSituation
from tracking.unavailable import NO_CONTRACT, NO_DATES, NO_WORKS_DECOMPTE
from views.format import join_list, signed_days
from views.governance import rating_decision_note
from views.planning import top_late_tasks
from views.reasons import reason_text
from views.spec import Column, Figure, Table, make_table
from views.spending import alert_message

COLOR_HEX = {"green": "#2E8B57", "amber": "#E69F00", "red": "#C0392B"}
#: columns of the briefing's tables
CODE, DIMENSION, RATING, COLOR, REASON, TASK, LEVEL, MESSAGE = (
    "code",
    "dimension",
    "rating",
    "color",
    "reason",
    "task",
    "level",
    "message",
)


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"briefing.{key}", lang, **params)


def _missing(key: str, label: str, kind, reason: str, lang: str, context: str = "") -> Figure:
    """A headline figure that cannot be computed yet: no value, its reason, and what it will
    be measured against in ``detail``."""
    return Figure(
        key, label, None, kind, help=reason_text(reason, lang), detail=context, reason=reason
    )


def _physical(planning, lang: str) -> Figure:
    return Figure(
        "physical",
        _tr("figure.physical", lang),
        planning.actual_percent / 100,
        "percent",
        detail=_tr(
            "detail.physical", lang, planned=format_percent(planning.planned_percent / 100, lang)
        ),
    )


def _money_figures(situation: ProjectSituation, lang: str) -> list[Figure]:
    spending, currency = situation.spending, situation.settings.currency
    financial = situation.financial_progress
    label = _tr("figure.financial", lang)
    if financial is None:
        first = _missing("financial", label, "percent", NO_CONTRACT, lang)
    else:
        nothing_issued = spending.totals.issued == 0 and spending.totals.reason("payment_rate")
        detail = (
            _tr("detail.financial_nothing", lang)
            if nothing_issued
            else _tr(
                "detail.financial",
                lang,
                issued=format_millions(spending.totals.issued, lang, 2),
                engaged=format_millions(spending.totals.engaged, lang, 2),
            )
        )
        first = Figure("financial", label, financial, "percent", detail=detail)
    engaged = Figure(
        "engaged",
        _tr("figure.engaged", lang),
        situation.engaged_share,
        "percent",
        detail=_tr(
            "detail.engaged",
            lang,
            engaged=format_money(spending.totals.engaged, lang, currency, 0),
            envelope=format_millions(spending.envelope, lang),
        ),
    )
    return [first, engaged]


def _time_figures(planning, lang: str) -> list[Figure]:
    forecast = planning.forecast
    end = format_date(forecast.contractual_end, lang)
    elapsed = Figure(
        "time_elapsed",
        _tr("figure.time_elapsed", lang),
        forecast.time_elapsed,
        "percent",
        detail=_tr(
            "detail.time_elapsed", lang, start=format_date(forecast.works_start, lang), end=end
        ),
        shown=format_percent(forecast.time_elapsed, lang, 0),
    )
    delay = signed_days(forecast.delay_vs_contract_days, lang)
    if forecast.forecast_finish is None:
        context = translate("stages.detail.contractual_end", lang, end=end)
        label = _tr("figure.forecast_finish", lang)
        finish = _missing(
            "forecast_finish", label, "date", forecast.reason or NO_DATES, lang, context
        )
    elif forecast.completed:
        finish = Figure(
            "reception",
            translate("stages.figure.reception", lang),
            forecast.forecast_finish,
            "date",
            detail=translate("stages.detail.delay_at_reception", lang, delay=delay, end=end),
        )
    else:
        finish = Figure(
            "forecast_finish",
            _tr("figure.forecast_finish", lang),
            forecast.forecast_finish,
            "date",
            detail=_tr("detail.delay", lang, delay=delay),
        )
    return [elapsed, finish]


def _cost_figure(situation: ProjectSituation, lang: str) -> Figure:
    spending, currency = situation.spending, situation.settings.currency
    completed = situation.planning is not None and situation.planning.forecast.completed
    key = "final_cost" if completed else "forecast_cost"
    label = (
        translate("stages.figure.final_cost", lang)
        if completed
        else _tr("figure.forecast_cost", lang)
    )
    gap = spending.forecast_gap
    envelope = format_millions(spending.envelope, lang)
    if gap is None:
        reason = spending.reason("forecast_at_completion") or NO_WORKS_DECOMPTE
        context = translate("stages.detail.envelope", lang, envelope=envelope)
        return _missing(key, label, "money", reason, lang, context)
    return Figure(
        key,
        label,
        spending.forecast_at_completion,
        "money",
        detail=_tr(
            "detail.forecast_cost_over" if gap > 0 else "detail.forecast_cost_under",
            lang,
            gap=format_money(abs(gap), lang, currency, 0),
            envelope=envelope,
        ),
        shown=format_millions(spending.forecast_at_completion, lang, 2),
    )


def _retention_figure(situation: ProjectSituation, lang: str) -> Figure | None:
    """The retention to release, once the réception provisoire is pronounced."""
    retention = situation.spending.retention if situation.spending is not None else None
    if retention is None or retention.reception_date is None or retention.constituted <= 0:
        return None
    release = format_date(retention.release_date, lang)
    return Figure(
        "retention",
        translate("stages.figure.retention", lang),
        retention.constituted,
        "money",
        detail=translate("stages.detail.retention_release", lang, date=release),
        shown=format_millions(retention.constituted, lang, 2),
    )


def headline_figures(situation: ProjectSituation, lang: str = "fr") -> list[Figure]:
    """Physical progress actual vs planned, financial progress (émis / engagé), engagé /
    envelope, contract time consumed, forecast finish and delay, forecast cost against the
    envelope.

    A figure that cannot be computed yet is still listed, with no value, its ``reason`` and
    what it will be measured against in ``detail``. Once the works are finished the forecast
    finish is the réception provisoire (key ``reception``), the forecast cost the final cost
    (key ``final_cost``), and the retention to release is added (key ``retention``)."""
    figures: list[Figure] = []
    planning, spending = situation.planning, situation.spending
    if planning is not None:
        figures.append(_physical(planning, lang))
    if spending is not None:
        figures.extend(_money_figures(situation, lang))
    if planning is not None:
        figures.extend(_time_figures(planning, lang))
    if spending is not None:
        figures.append(_cost_figure(situation, lang))
        retention = _retention_figure(situation, lang)
        if retention is not None:
            figures.append(retention)
    return figures


def figure_note(figure: Figure, lang: str) -> str:
    """The line under a figure: why it is missing, else its detail."""
    return reason_text(figure.reason, lang) if figure.reason else figure.detail


def _time_params(planning, lang: str) -> dict[str, object]:
    forecast = planning.forecast
    return {
        "finish": format_date(forecast.forecast_finish, lang),
        "end": format_date(forecast.contractual_end, lang),
        "days": abs(forecast.delay_vs_contract_days or 0),
        "actual": format_percent(planning.actual_percent / 100, lang),
        "planned": format_percent(planning.planned_percent / 100, lang),
    }


def _cost_params(rating: Rating, situation: ProjectSituation, lang: str) -> dict[str, object]:
    spending = situation.spending
    gap = spending.forecast_gap
    return {
        "forecast": format_millions(spending.forecast_at_completion, lang, 2),
        "envelope": format_millions(spending.envelope, lang),
        "gap": format_money(abs(gap), lang, situation.settings.currency, 0)
        if gap is not None
        else "—",
        "engaged": format_percent(situation.engaged_share, lang),
        "alerts": int(rating.params.get("red_alerts", 0)),
        "why": reason_text(rating.params.get("why"), lang, embedded=True),
    }


def rating_reason(rating: Rating, situation: ProjectSituation, lang: str = "fr") -> str:
    """The one sentence that explains a rating, with the figures that decided it."""
    params: dict[str, object] = {}
    planning, spending, areas = situation.planning, situation.spending, situation.areas
    if rating.dimension == "time" and planning is not None:
        params = _time_params(planning, lang)
    elif rating.dimension == "cost" and spending is not None:
        params = _cost_params(rating, situation, lang)
    elif rating.dimension == "scope" and areas is not None:
        missing = rating.params.get("missing", {})
        params = {
            "area": format_number(areas.totals.compared_m2, lang),
            "announced": format_number(areas.totals.announced_m2, lang),
            "places": areas.capacity.places,
            "required": areas.capacity.required,
            "missing": join_list(
                (
                    f"{count} × {translate(f'surfaces.type.{kind}', lang)}"
                    for kind, count in missing.items()
                ),
                lang,
            ),
        }
    elif rating.dimension == "overall":
        params = {
            "dimensions": join_list(
                (
                    translate(f"rag.dimension.{d}", lang).lower()
                    for d in rating.params.get("dimensions", [])
                ),
                lang,
            )
        }
    text = translate(f"rag.reason.{rating.reason}", lang, **params)
    if rating.color == "red" and rating.dimension in ("time", "cost", "scope"):
        # a red rating the COPIL has already acted on says so (the register's decision)
        note = rating_decision_note(situation.governance, rating.dimension, lang)
        if note:
            text = f"{text} {note}"
    return text


@dataclass(frozen=True)
class Decision:
    """A decision the governor and the council are asked for: the colour of the rating that
    calls for it and the sentence saying which and why."""

    color: str
    text: str


def decisions_needed(situation: ProjectSituation, lang: str = "fr") -> list[Decision]:
    """Every time, cost or scope rating in red, with the sentence behind it: on the scale of
    ``tracking.rag`` red is what cannot be met without a decision (amber is a gap to watch,
    recoverable with the means at hand), the dimensions the overall rating's "Décision
    nécessaire : …" names. The note, the slides and the Synthèse say the same."""
    pending = [r for r in situation.ratings if r.dimension != "overall" and r.color == "red"]
    return [
        Decision(
            rating.color,
            translate(
                "views.decisions.item",
                lang,
                dimension=translate(f"rag.dimension.{rating.dimension}", lang),
                rating=translate(f"rag.color.{rating.color}", lang).lower(),
                reason=rating_reason(rating, situation, lang),
            ),
        )
        for rating in pending
    ]


def ratings_table(situation: ProjectSituation, lang: str = "fr") -> Table:
    """Time, cost, scope and overall: the colour and the sentence that decided it."""
    ratings = situation.ratings
    frame = pd.DataFrame(
        {
            CODE: [r.dimension for r in ratings],
            DIMENSION: [translate(f"rag.dimension.{r.dimension}", lang) for r in ratings],
            RATING: [translate(f"rag.color.{r.color}", lang) for r in ratings],
            COLOR: [r.color for r in ratings],
            REASON: [rating_reason(r, situation, lang) for r in ratings],
        }
    )
    columns = [
        Column(DIMENSION, translate("export.col.dimension", lang), "text", 30),
        Column(RATING, translate("export.col.rating", lang), "text", 18),
        Column(REASON, translate("export.col.reason", lang), "text", 70),
    ]
    return make_table("briefing.ratings", _tr("ratings_title", lang), frame, columns)


def late_tasks_table(situation: ProjectSituation, lang: str = "fr", limit: int = 5) -> Table:
    """The open tasks furthest behind their baseline (critical ones first among equals)."""
    if situation.planning is None or situation.schedule is None:
        late = pd.DataFrame(
            {SCHEDULE.task_id: [], SCHEDULE.name: [], FORECAST_FINISH: [], DELAY_CALENDAR_DAYS: []}
        )
    else:
        late = top_late_tasks(situation.schedule, situation.planning, limit)
    frame = late.assign(
        **{TASK: late[SCHEDULE.task_id].astype(str) + " · " + late[SCHEDULE.name].astype(str)}
    )
    columns = [
        Column(TASK, translate("export.col.task", lang), "text", 27),
        Column(FORECAST_FINISH, translate("export.col.forecast_finish", lang), "date", 13),
        Column(
            DELAY_CALENDAR_DAYS, _tr("col.delay", lang), "days", 11, _tr("col.delay_help", lang)
        ),
    ]
    return make_table(
        "briefing.late",
        _tr("late_title", lang),
        frame,
        columns,
        empty_text=_tr("late_empty", lang),
        file_stem=_tr("late_file", lang),
    )


def alerts_table(situation: ProjectSituation, lang: str = "fr") -> Table:
    """Every spending alert in words, red first."""
    alerts = []
    if situation.spending is not None:
        alerts = sorted(situation.spending.alerts, key=lambda a: a.level != "red")
    currency = situation.settings.currency
    level = ["red" if a.level == "red" else "amber" for a in alerts]
    frame = pd.DataFrame(
        {
            COLOR: level,
            LEVEL: [translate(f"rag.color.{c}", lang) for c in level],
            MESSAGE: [alert_message(a, lang, currency) for a in alerts],
        },
        dtype=object,
    )
    columns = [
        Column(LEVEL, translate("export.col.rating", lang), "text", 30),
        Column(MESSAGE, translate("export.col.message", lang), "text", 88),
    ]
    return make_table(
        "briefing.alerts",
        _tr("alerts_title", lang),
        frame,
        columns,
        empty_text=_tr("alerts_empty", lang),
    )


def colour_scale_text(thresholds: AlertThresholds, lang: str = "fr") -> str:
    """What green, amber and red mean, with the thresholds of the settings."""
    share = {
        name: format_percent(getattr(thresholds, name), lang, 0)
        for name in (
            "progress_gap_amber",
            "progress_gap_red",
            "eac_over_envelope_amber",
            "eac_over_envelope_red",
            "engaged_share_amber",
            "engaged_share_red",
            "area_gap_amber",
            "area_gap_red",
        )
    }
    return _tr(
        "meaning_text",
        lang,
        delay_amber=int(thresholds.delay_days_amber),
        delay_red=int(thresholds.delay_days_red),
        gap_amber=share["progress_gap_amber"],
        gap_red=share["progress_gap_red"],
        eac_amber=share["eac_over_envelope_amber"],
        eac_red=share["eac_over_envelope_red"],
        engaged_amber=share["engaged_share_amber"],
        engaged_red=share["engaged_share_red"],
        area_amber=share["area_gap_amber"],
        area_red=share["area_gap_red"],
    )


def late_interest_line(situation: ProjectSituation, lang: str = "fr") -> str | None:
    """The owner's liability for late payments (décret n° 2-16-344): « Intérêts moratoires dus
    à la date de situation : 1 204,47 MAD », ``None`` when nothing is owed."""
    spending = situation.spending
    if spending is None or not spending.late_interest:
        return None
    return _tr(
        "late_interest_line",
        lang,
        amount=format_money(spending.late_interest, lang, situation.settings.currency),
        delay=situation.settings.payment_delay_days,
    )
