"""Why a figure cannot be computed yet: one reason code per case, shown in words by every
renderer (``stages.reason.<code>`` in ``i18n/locales/*/stages.toml``).

At the launch of works nothing is measured yet (0 %, no décompte, no works contract); at
completion some figures have nothing left to measure (the TCPI of finished works). A figure
that cannot be computed is ``None`` — never ``NaN`` or ``inf`` — and the object holding it
says why, in a ``reasons`` mapping (figure name → code) or a ``reason`` attribute. The page,
the briefing and the workbook then all write the same sentence in its place.
"""

from __future__ import annotations

import math

#: nothing measured on site yet: no task has progress or an actual finish
NO_PROGRESS = "no_progress"
#: nothing planned by the status date (the plan has not started)
NOTHING_PLANNED = "nothing_planned"
#: the status date is before the start of the plan
BEFORE_START = "before_start"
#: no task has dates to forecast from
NO_DATES = "no_dates"
#: no décompte issued yet (the ledger is empty by the status date)
NO_DECOMPTE = "no_decompte"
#: no décompte issued on the works (the earned-value scope) yet: no CPI, no EAC
NO_WORKS_DECOMPTE = "no_works_decompte"
#: work done has cost nothing yet or costs without measured progress: CPI is 0
NO_EARNED_VALUE = "no_earned_value"
#: no contract signed yet
NO_CONTRACT = "no_contract"
#: no contract on the lines the schedule's tasks belong to (the works contract)
NO_WORKS_CONTRACT = "no_works_contract"
#: the works are finished: nothing left to perform (TCPI, forecast of the remaining work)
WORKS_COMPLETE = "works_complete"
#: the budget is already spent: no performance can finish within it
BUDGET_SPENT = "budget_spent"
#: no budget line has tasks in the schedule: earned value has nothing to measure
NO_EARNED_SCOPE = "no_earned_scope"
#: no budget line at all
NO_BUDGET = "no_budget"
#: no area to divide by
NO_AREA = "no_area"
#: the réception provisoire has not been pronounced yet
NOT_RECEIVED = "not_received"

REASONS = (
    NO_PROGRESS,
    NOTHING_PLANNED,
    BEFORE_START,
    NO_DATES,
    NO_DECOMPTE,
    NO_WORKS_DECOMPTE,
    NO_EARNED_VALUE,
    NO_CONTRACT,
    NO_WORKS_CONTRACT,
    WORKS_COMPLETE,
    BUDGET_SPENT,
    NO_EARNED_SCOPE,
    NO_BUDGET,
    NO_AREA,
    NOT_RECEIVED,
)


def reason_key(code: str) -> str:
    """The translation key of a reason code."""
    return f"stages.reason.{code}"


def finite(value) -> float | None:
    """``value`` as a float, or ``None`` when it is missing, NaN or infinite."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def ratio(numerator, denominator) -> float | None:
    """``numerator / denominator``, ``None`` when either is missing or the denominator is 0."""
    top, bottom = finite(numerator), finite(denominator)
    if top is None or bottom is None or bottom == 0:
        return None
    return finite(top / bottom)
