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

COLOR_HEX = {"green": "#2E8B57", "amber": "#E69F00", "red": "#C0392B"}


@dataclass(frozen=True)
class Headline:
    key: str  # translation key suffix: briefing.figure.<key>
    label: str
    value: str  # formatted for the screen
    detail: str  # a second line: the exact amount, what it is measured against
    #: the raw figure and its kind, for the workbook to write a typed cell
    raw: float | pd.Timestamp | None
    kind: str  # "percent" | "money" | "date" | "days"


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"briefing.{key}", lang, **params)


def headline_figures(situation: ProjectSituation, lang: str = "fr") -> list[Headline]:
    """Physical progress actual vs planned, financial progress, engagé / envelope, contract
    time consumed, forecast finish and delay, forecast cost against the envelope."""
    figures: list[Headline] = []
    planning, spending, settings = situation.planning, situation.spending, situation.settings
    currency = settings.currency
    if planning is not None:
        figures.append(
            Headline(
                "physical",
                _tr("figure.physical", lang),
                format_percent(planning.actual_percent / 100, lang),
                _tr(
                    "detail.physical",
                    lang,
                    planned=format_percent(planning.planned_percent / 100, lang),
                ),
                planning.actual_percent / 100,
                "percent",
            )
        )
    if spending is not None:
        financial = situation.financial_progress
        figures.append(
            Headline(
                "financial",
                _tr("figure.financial", lang),
                format_percent(financial, lang),
                _tr("detail.financial", lang, issued=format_millions(spending.totals.issued, lang)),
                financial,
                "percent",
            )
        )
        figures.append(
            Headline(
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
        )
    if planning is not None:
        forecast = planning.forecast
        figures.append(
            Headline(
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
        )
        delay = forecast.delay_vs_contract_days
        figures.append(
            Headline(
                "forecast_finish",
                _tr("figure.forecast_finish", lang),
                format_date(forecast.forecast_finish, lang),
                _tr("detail.delay", lang, days=f"{delay:+d}" if delay is not None else "—"),
                forecast.forecast_finish,
                "date",
            )
        )
    if spending is not None:
        gap = spending.forecast_gap
        figures.append(
            Headline(
                "forecast_cost",
                _tr("figure.forecast_cost", lang),
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
        )
    return figures


def rating_reason(rating: Rating, situation: ProjectSituation, lang: str = "fr") -> str:
    """The one sentence that explains a rating, with the figures that decided it."""
    params: dict[str, object] = {}
    planning, spending, areas = situation.planning, situation.spending, situation.areas
    if rating.dimension == "time" and planning is not None:
        forecast = planning.forecast
        params = {
            "finish": format_date(forecast.forecast_finish, lang),
            "end": format_date(forecast.contractual_end, lang),
            "days": abs(forecast.delay_vs_contract_days or 0),
            "actual": format_percent(planning.actual_percent / 100, lang),
            "planned": format_percent(planning.planned_percent / 100, lang),
        }
    elif rating.dimension == "cost" and spending is not None:
        params = {
            "forecast": format_millions(spending.forecast_at_completion, lang, 2),
            "envelope": format_millions(spending.envelope, lang),
            "gap": format_money(abs(spending.forecast_gap), lang, situation.settings.currency, 0),
            "engaged": format_percent(situation.engaged_share, lang),
            "alerts": rating.params.get("red_alerts", 0),
        }
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
