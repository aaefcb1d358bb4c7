"""The briefing in words and figures: the headline figures, the sentence behind each RAG
rating, the top late tasks and the open alerts, formatted for the reader's language.

The Synthèse page and the Synthèse sheet of the workbook both call these functions, so the
governor's screen and the council's workbook say the same thing."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from i18n import translate
from i18n.format import format_date, format_millions, format_money, format_number, format_percent
from tracking.alerts import alert_message
from tracking.planning import late_and_critical_table
from tracking.rag import Rating
from tracking.situation import ProjectSituation
from tracking.unavailable import NO_CONTRACT, NO_DATES, NO_WORKS_DECOMPTE
from views.reasons import reason_text

COLOR_HEX = {"green": "#2E8B57", "amber": "#E69F00", "red": "#C0392B"}


@dataclass(frozen=True)
class Headline:
    key: str  # translation key suffix: briefing.figure.<key>
    label: str
    value: str  # formatted for the screen ("—" when the figure is not available)
    detail: str  # a second line: the exact amount, what it is measured against, or why not
    #: the raw figure and its kind, for the workbook to write a typed cell
    raw: float | pd.Timestamp | None
    kind: str  # "percent" | "money" | "date" | "days"
    #: why ``raw`` is None (``tracking.unavailable`` code): the workbook writes its sentence
    #: in the value cell, and ``context`` (what the figure will be measured against) beside it
    reason: str | None = None
    context: str = ""


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"briefing.{key}", lang, **params)


def _missing(
    key: str, label: str, kind: str, reason: str, lang: str, context: str = ""
) -> Headline:
    """A headline figure that cannot be computed yet: a dash, and why in the detail line."""
    return Headline(key, label, "—", reason_text(reason, lang), None, kind, reason, context)


def _physical(planning, lang: str) -> Headline:
    return Headline(
        "physical",
        _tr("figure.physical", lang),
        format_percent(planning.actual_percent / 100, lang),
        _tr("detail.physical", lang, planned=format_percent(planning.planned_percent / 100, lang)),
        planning.actual_percent / 100,
        "percent",
    )


def _money_figures(situation: ProjectSituation, lang: str) -> list[Headline]:
    spending, currency = situation.spending, situation.settings.currency
    financial = situation.financial_progress
    label = _tr("figure.financial", lang)
    if financial is None:
        first = _missing("financial", label, "percent", NO_CONTRACT, lang)
    else:
        nothing_issued = spending.totals.issued == 0 and spending.totals.reason("payment_rate")
        detail = (
            translate("stages.detail.no_decompte", lang)
            if nothing_issued
            else _tr("detail.financial", lang, issued=format_millions(spending.totals.issued, lang))
        )
        first = Headline(
            "financial", label, format_percent(financial, lang), detail, financial, "percent"
        )
    engaged = Headline(
        "engaged",
        _tr("figure.engaged", lang),
        format_percent(situation.engaged_share, lang),
        _tr(
            "detail.engaged",
            lang,
            engaged=format_money(spending.totals.engaged, lang, currency, 0),
            envelope=format_millions(spending.envelope, lang),
        ),
        situation.engaged_share,
        "percent",
    )
    return [first, engaged]


def _time_figures(planning, lang: str) -> list[Headline]:
    forecast = planning.forecast
    elapsed = Headline(
        "time_elapsed",
        _tr("figure.time_elapsed", lang),
        format_percent(forecast.time_elapsed, lang, 0),
        _tr(
            "detail.time_elapsed",
            lang,
            start=format_date(forecast.works_start, lang),
            end=format_date(forecast.contractual_end, lang),
        ),
        forecast.time_elapsed,
        "percent",
    )
    if forecast.forecast_finish is None:
        reason = forecast.reason or NO_DATES
        finish = _missing(
            "forecast_finish",
            _tr("figure.forecast_finish", lang),
            "date",
            reason,
            lang,
            translate(
                "stages.detail.contractual_end",
                lang,
                end=format_date(forecast.contractual_end, lang),
            ),
        )
    elif forecast.completed:
        finish = Headline(
            "reception",
            translate("stages.figure.reception", lang),
            format_date(forecast.forecast_finish, lang),
            translate(
                "stages.detail.delay_at_reception",
                lang,
                days=f"{forecast.delay_vs_contract_days:+d}",
                end=format_date(forecast.contractual_end, lang),
            ),
            forecast.forecast_finish,
            "date",
        )
    else:
        finish = Headline(
            "forecast_finish",
            _tr("figure.forecast_finish", lang),
            format_date(forecast.forecast_finish, lang),
            _tr("detail.delay", lang, days=f"{forecast.delay_vs_contract_days:+d}"),
            forecast.forecast_finish,
            "date",
        )
    return [elapsed, finish]


def _cost_figure(situation: ProjectSituation, lang: str) -> Headline:
    spending, currency = situation.spending, situation.settings.currency
    completed = situation.planning is not None and situation.planning.forecast.completed
    key = "final_cost" if completed else "forecast_cost"
    label = (
        translate("stages.figure.final_cost", lang)
        if completed
        else _tr("figure.forecast_cost", lang)
    )
    gap = spending.forecast_gap
    if gap is None:
        reason = spending.reason("forecast_at_completion") or NO_WORKS_DECOMPTE
        envelope = format_millions(spending.envelope, lang)
        context = translate("stages.detail.envelope", lang, envelope=envelope)
        return _missing(key, label, "money", reason, lang, context)
    return Headline(
        key,
        label,
        format_millions(spending.forecast_at_completion, lang, 2),
        _tr(
            "detail.forecast_cost_over" if gap > 0 else "detail.forecast_cost_under",
            lang,
            gap=format_money(abs(gap), lang, currency, 0),
            envelope=format_millions(spending.envelope, lang),
        ),
        spending.forecast_at_completion,
        "money",
    )


def _retention_figure(situation: ProjectSituation, lang: str) -> Headline | None:
    """The retention to release, once the réception provisoire is pronounced."""
    retention = situation.spending.retention if situation.spending is not None else None
    if retention is None or retention.reception_date is None or retention.constituted <= 0:
        return None
    return Headline(
        "retention",
        translate("stages.figure.retention", lang),
        format_millions(retention.constituted, lang, 2),
        translate(
            "stages.detail.retention_release", lang, date=format_date(retention.release_date, lang)
        ),
        retention.constituted,
        "money",
    )


def headline_figures(situation: ProjectSituation, lang: str = "fr") -> list[Headline]:
    """Physical progress actual vs planned, financial progress, engagé / envelope, contract
    time consumed, forecast finish and delay, forecast cost against the envelope.

    A figure that cannot be computed yet is still listed, with "—" and its reason in the
    detail (``reason`` set, ``raw`` None). Once the works are finished the forecast finish is
    the réception provisoire (key ``reception``), the forecast cost the final cost (key
    ``final_cost``), and the retention to release is added (key ``retention``)."""
    figures: list[Headline] = []
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
        "alerts": rating.params.get("red_alerts", 0),
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
            "missing": ", ".join(
                f"{count} × {translate(f'surfaces.type.{kind}', lang)}"
                for kind, count in missing.items()
            ),
        }
    elif rating.dimension == "overall":
        params = {
            "dimensions": ", ".join(
                translate(f"rag.dimension.{d}", lang).lower()
                for d in rating.params.get("dimensions", [])
            )
        }
    return translate(f"rag.reason.{rating.reason}", lang, **params)


def top_late_tasks(situation: ProjectSituation, limit: int = 5) -> pd.DataFrame:
    """The open tasks furthest behind their baseline (critical ones first among equals)."""
    if situation.planning is None or situation.schedule is None:
        return pd.DataFrame()
    table = late_and_critical_table(situation.schedule, situation.planning)
    late = table[table["is_late"]]
    return late.head(limit).reset_index(drop=True)


def open_alerts(situation: ProjectSituation, lang: str = "fr") -> list[tuple[str, str]]:
    """(level, sentence) of every spending alert, red first."""
    if situation.spending is None:
        return []
    alerts = sorted(situation.spending.alerts, key=lambda a: a.level != "red")
    return [(a.level, alert_message(a, lang, situation.settings.currency)) for a in alerts]
