"""Red / amber / green ratings for time, cost, scope and overall, each with the reason that
decided it, from the figures and the thresholds of the settings (``[alerts]``).

In the spirit of the UK IPA delivery-confidence scale: green, the project is on track;
amber, a problem needs attention but can be recovered with the means at hand; red, the
objective (date, envelope, programme) will not be met without a decision. The overall rating
is the worst of the three, so a single red is never averaged away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from loaders.project import AlertThresholds
from tracking.unavailable import NO_PROGRESS

Color = Literal["green", "amber", "red"]
_ORDER = {"green": 0, "amber": 1, "red": 2}


@dataclass(frozen=True)
class Rating:
    dimension: str  # "time" | "cost" | "scope" | "overall"
    color: Color
    #: translation key of the reason (``rag.reason.<key>``) and its parameters
    reason: str
    params: dict[str, Any] = field(default_factory=dict)


def _worst(*colors: Color) -> Color:
    return max(colors, key=_ORDER.__getitem__)


def _by_gap(gap: float, alerts: AlertThresholds) -> Color:
    if gap > alerts.progress_gap_red:
        return "red"
    return "amber" if gap > alerts.progress_gap_amber else "green"


def time_rating(
    delay_days: int | None,
    planned_percent: float,
    actual_percent: float,
    alerts: AlertThresholds,
    *,
    forecast_reason: str | None = None,
    completed: bool = False,
) -> Rating:
    """Delay of the forecast finish against the contractual end (calendar days) and the gap
    between planned and actual physical progress (points of %).

    Before the first progress report (``forecast_reason`` ``no_progress``) there is no
    forecast: amber ("not known yet"), red if the plan is already far ahead of the 0 %. Once
    the works are finished (``completed``) only the delay at réception counts."""
    gap = (planned_percent - actual_percent) / 100
    if delay_days is None:
        if forecast_reason == NO_PROGRESS:
            color = _worst("amber", _by_gap(gap, alerts))
            return Rating("time", color, "time_awaiting_progress", {"gap": round(gap * 100, 1)})
        return Rating("time", "amber", "time_unknown")
    by_delay: Color = (
        "red"
        if delay_days > alerts.delay_days_red
        else "amber"
        if delay_days > alerts.delay_days_amber
        else "green"
    )
    params = {"days": delay_days, "gap": round(gap * 100, 1)}
    if completed:
        reason = "time_completed_late" if delay_days > 0 else "time_completed"
        return Rating("time", by_delay, reason, params)
    by_gap = _by_gap(gap, alerts)
    color = _worst(by_delay, by_gap)
    if delay_days > 0:
        reason = "time_late"
    elif gap > alerts.progress_gap_amber:
        reason = "time_behind"
    else:
        reason = "time_on_track"
    return Rating("time", color, reason, params)


def cost_rating(
    eac: float | None,
    envelope: float,
    engaged: float,
    alerts: AlertThresholds,
    red_alerts: int = 0,
    *,
    forecast_reason: str | None = None,
) -> Rating:
    """Estimate at completion against the envelope, and the share already engaged. Red
    spending alerts (a line over its budget, a payment overdue) make it amber at best: the
    envelope may hold, but something needs a decision below it. Without an estimate
    (``forecast_reason`` says why: no works décompte yet) amber, "not known yet"."""
    engaged_share = engaged / envelope if envelope else 0.0
    by_engaged: Color = (
        "red"
        if engaged_share > alerts.engaged_share_red
        else "amber"
        if engaged_share >= alerts.engaged_share_amber
        else "green"
    )
    params: dict[str, Any] = {"engaged_share": engaged_share, "eac": eac, "envelope": envelope}
    if eac is None:
        reason = "cost_awaiting_forecast" if forecast_reason else "cost_no_eac"
        params["why"] = forecast_reason
        return Rating("cost", _worst("amber", by_engaged), reason, params)
    overrun = (eac - envelope) / envelope if envelope else 0.0
    params["overrun"] = overrun
    by_eac: Color = (
        "red"
        if overrun > alerts.eac_over_envelope_red
        else "amber"
        if overrun > alerts.eac_over_envelope_amber
        else "green"
    )
    by_alerts: Color = "amber" if red_alerts else "green"
    color = _worst(by_eac, by_engaged, by_alerts)
    params["red_alerts"] = red_alerts
    if overrun > alerts.eac_over_envelope_amber:
        reason = "cost_overrun"
    elif by_engaged != "green":
        reason = "cost_engaged_high"
    elif red_alerts:
        reason = "cost_alerts"
    else:
        reason = "cost_within"
    return Rating("cost", color, reason, params)


def scope_rating(
    missing: dict[str, int], area_found: float, area_announced: float, alerts: AlertThresholds
) -> Rating:
    """The required programme (``missing``: space type → how many are lacking) and the total
    area against the announced one."""
    gap = (area_found - area_announced) / area_announced if area_announced else 0.0
    by_area: Color = (
        "red"
        if abs(gap) > alerts.area_gap_red
        else "amber"
        if abs(gap) > alerts.area_gap_amber
        else "green"
    )
    lacking = {kind: count for kind, count in missing.items() if count > 0}
    params = {
        "gap": gap,
        "area_found": area_found,
        "area_announced": area_announced,
        "missing": lacking,
    }
    if lacking:
        return Rating("scope", "red", "scope_missing", params)
    reason = "scope_area_gap" if by_area != "green" else "scope_met"
    return Rating("scope", by_area, reason, params)


def overall_rating(ratings: list[Rating]) -> Rating:
    color = _worst(*(r.color for r in ratings)) if ratings else "amber"
    decided_by = [r.dimension for r in ratings if r.color == color]
    return Rating("overall", color, f"overall_{color}", {"dimensions": decided_by})
