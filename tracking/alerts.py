"""Spending alerts, with the thresholds of the settings (``[alerts]`` and ``[contract_rules]``).

Each alert is a structured object (code, level, the figures it is about, the Excel rows or
references it comes from), put in words by ``views.spending``: ``spending.alert.<code>``.
An alert whose threshold is missing from the settings is not raised (no threshold is invented
in code).

- ``engaged_share``: engagé / enveloppe at or above ``engaged_share_amber`` (amber) or
  ``engaged_share_red`` (red).
- ``eac_over_envelope``: (forecast at completion − envelope) / envelope above
  ``eac_over_envelope_amber`` (amber) or ``eac_over_envelope_red`` (red).
- ``line_over_budget``: a budget line whose engagé or émis exceeds its budget (red), one
  alert per line; a line missing from the budget counts as a budget of 0
  (``line_not_in_budget``, its message says so instead of a share of nothing).
- ``overdue_payment``: a décompte unpaid more than ``payment_delay_days`` after its clock
  start (the constatation du service fait, else its issue: ``contract_rules.payment_clock``;
  red: intérêts moratoires run, their amount to the status date in ``interest``), one alert
  per décompte, for its whole amount over every budget line it spans (a line's drill-down
  shows that line's share).
- ``amendment_over_threshold``: a contract whose avenants exceed ``amendment_threshold`` of
  the initial amount (amber: needs a particular justification).
- ``retention_over_cap``: retention constituted above its cap (red: to be refunded).
- ``retention_short``: a décompte that withheld less retention than it owed
  (``tracking.contract_rules.retention_due``; amber: to recover on the next décompte).

``views.spending.alert_text`` writes each alert in the reader's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from loaders.project import AlertThresholds
from tracking import contract_rules as rules_columns
from tracking.budget import (
    BUDGET,
    ENGAGED,
    ISSUED,
    LINE_ID,
    NAME,
    OVER_BUDGET,
    OVERRUN,
    ChainTotals,
    safe_ratio,
)

Level = Literal["red", "amber"]
LEVEL_ORDER = {"red": 0, "amber": 1}


@dataclass(frozen=True)
class Alert:
    code: str
    level: Level
    #: the figures the message is about (amounts in MAD, ratios as shares, dates)
    values: dict[str, Any] = field(default_factory=dict)
    #: what it points at: a budget line, a contract, a décompte and its Excel rows
    subject: str | None = None
    #: the Excel rows it comes from (a tuple of row numbers, drawn ``52–60``)
    source_rows: tuple[int, ...] = ()


def _level(value: float, amber: float | None, red: float | None, strict: bool) -> Level | None:
    """``red`` / ``amber`` when ``value`` reaches the threshold (``strict``: exceeds it)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None

    def hit(threshold: float | None) -> bool:
        if threshold is None:
            return False
        return value > threshold if strict else value >= threshold

    if hit(red):
        return "red"
    if hit(amber):
        return "amber"
    return None


def engaged_share_alert(totals: ChainTotals, thresholds: AlertThresholds) -> Alert | None:
    level = _level(
        totals.engagement_rate,
        thresholds.engaged_share_amber,
        thresholds.engaged_share_red,
        strict=False,
    )
    if level is None:
        return None
    threshold = getattr(thresholds, f"engaged_share_{level}")
    return Alert(
        "engaged_share",
        level,
        {
            "engaged": totals.engaged,
            "envelope": totals.envelope,
            "share": totals.engagement_rate,
            "threshold": threshold,
        },
    )


def eac_alert(forecast: float | None, envelope: float, thresholds: AlertThresholds) -> Alert | None:
    """Forecast at completion above the envelope; no alert while there is no forecast."""
    if forecast is None:
        return None
    gap = safe_ratio(forecast - envelope, envelope)
    level = _level(
        gap,
        thresholds.eac_over_envelope_amber,
        thresholds.eac_over_envelope_red,
        strict=True,
    )
    if level is None:
        return None
    return Alert(
        "eac_over_envelope",
        level,
        {
            "forecast": forecast,
            "envelope": envelope,
            "gap": forecast - envelope,
            "share": gap,
            "threshold": getattr(thresholds, f"eac_over_envelope_{level}"),
        },
    )


def line_alerts(chain: pd.DataFrame) -> list[Alert]:
    """One alert per line over its budget; a line missing from the budget (budget 0) has no
    share to give: ``line_not_in_budget``."""
    over = chain[chain[OVER_BUDGET].astype(bool)]
    return [
        Alert(
            "line_over_budget" if row[BUDGET] > 0 else "line_not_in_budget",
            "red",
            {
                "line": row[LINE_ID],
                "name": "" if pd.isna(row[NAME]) else row[NAME],
                "budget": row[BUDGET],
                "engaged": row[ENGAGED],
                "issued": row[ISSUED],
                "overrun": row[OVERRUN],
                "share": safe_ratio(row[OVERRUN], row[BUDGET]),
            },
            subject=row[LINE_ID],
        )
        for _, row in over.sort_values(OVERRUN, ascending=False).iterrows()
    ]


def _clock_values(row: pd.Series) -> dict[str, Any]:
    """What the clock of an overdue décompte runs from, and its interest, when the overdue
    frame carries them (``contract_rules.OVERDUE_COLUMNS``)."""
    values: dict[str, Any] = {}
    if rules_columns.CLOCK_FROM in row.index and isinstance(row[rules_columns.CLOCK_FROM], str):
        values["clock_from"] = row[rules_columns.CLOCK_FROM]
        values["start"] = row[rules_columns.CLOCK_START]
    if rules_columns.LATE_INTEREST in row.index and pd.notna(row[rules_columns.LATE_INTEREST]):
        values["interest"] = float(row[rules_columns.LATE_INTEREST])
    return values


def overdue_alerts(overdue: pd.DataFrame, payment_delay_days: int) -> list[Alert]:
    return [
        Alert(
            "overdue_payment",
            "red",
            {
                "reference": row[rules_columns.REFERENCE],
                "contract": row[rules_columns.CONTRACT_ID],
                "payee": "" if pd.isna(row[rules_columns.PAYEE]) else row[rules_columns.PAYEE],
                "date": row[rules_columns.ISSUE_DATE],
                "amount": row[rules_columns.AMOUNT],
                "days": row[rules_columns.DAYS_OUTSTANDING],
                "late": row[rules_columns.DAYS_LATE],
                "delay": payment_delay_days,
                "lines": tuple(row[rules_columns.BUDGET_LINES_OF]),
                **_clock_values(row),
            },
            subject=row[rules_columns.REFERENCE],
            source_rows=tuple(row[rules_columns.SOURCE_ROWS]),
        )
        for _, row in overdue.iterrows()
    ]


def contract_alerts(rules: pd.DataFrame, amendment_threshold: float) -> list[Alert]:
    alerts: list[Alert] = []
    for _, row in rules.iterrows():
        if bool(row[rules_columns.AMENDMENT_FLAG]):
            alerts.append(
                Alert(
                    "amendment_over_threshold",
                    "amber",
                    {
                        "contract": row[rules_columns.CONTRACT_ID],
                        "initial": row[rules_columns.INITIAL],
                        "amendments": row[rules_columns.AMENDMENTS],
                        "share": row[rules_columns.AMENDMENT_SHARE],
                        "threshold": amendment_threshold,
                    },
                    subject=row[rules_columns.CONTRACT_ID],
                    source_rows=tuple(row[rules_columns.SOURCE_ROWS]),
                )
            )
        if bool(row[rules_columns.OVER_CAP]):
            alerts.append(
                Alert(
                    "retention_over_cap",
                    "red",
                    {
                        "contract": row[rules_columns.CONTRACT_ID],
                        "retention": row[rules_columns.RETENTION],
                        "cap": row[rules_columns.RETENTION_CAP],
                        "excess": row[rules_columns.RETENTION] - row[rules_columns.RETENTION_CAP],
                    },
                    subject=row[rules_columns.CONTRACT_ID],
                    source_rows=tuple(row[rules_columns.SOURCE_ROWS]),
                )
            )
    return alerts


def retention_alerts(retention: pd.DataFrame | None) -> list[Alert]:
    """One alert per décompte that withheld less retention than it owed."""
    if retention is None or retention.empty:
        return []
    short = retention[retention[rules_columns.IS_SHORT].astype(bool)]
    return [
        Alert(
            "retention_short",
            "amber",
            {
                "reference": row[rules_columns.REFERENCE],
                "contract": row[rules_columns.CONTRACT_ID],
                "date": row[rules_columns.ISSUE_DATE],
                "amount": row[rules_columns.AMOUNT],
                "due": row[rules_columns.RETENTION_DUE],
                "retention": row[rules_columns.RETENTION],
                "shortfall": row[rules_columns.SHORTFALL],
            },
            subject=row[rules_columns.REFERENCE],
            source_rows=tuple(row[rules_columns.SOURCE_ROWS]),
        )
        for _, row in short.iterrows()
    ]


def spending_alerts(
    totals: ChainTotals,
    chain: pd.DataFrame,
    forecast_at_completion: float | None,
    rules: pd.DataFrame,
    overdue: pd.DataFrame,
    *,
    thresholds: AlertThresholds,
    amendment_threshold: float,
    payment_delay_days: int,
    retention: pd.DataFrame | None = None,
) -> list[Alert]:
    """Every alert, red before amber, in a stable order (envelope, lines, payments,
    contracts, retention per décompte)."""
    alerts: list[Alert] = []
    for alert in (
        engaged_share_alert(totals, thresholds),
        eac_alert(forecast_at_completion, totals.envelope, thresholds),
    ):
        if alert is not None:
            alerts.append(alert)
    alerts.extend(line_alerts(chain))
    alerts.extend(overdue_alerts(overdue, payment_delay_days))
    alerts.extend(contract_alerts(rules, amendment_threshold))
    alerts.extend(retention_alerts(retention))
    return sorted(alerts, key=lambda a: LEVEL_ORDER[a.level])
