"""The public finance chain AREP reports on: enveloppe → engagé → émis → payé, per budget line,
in total and over time.

Definitions (the page's help texts say the same):

- **engagé** (committed): contracts, purchase orders and amendments (avenants) signed on or
  before the status date. A contract row without a signature date counts as signed: the
  workbook lists commitments.
- **émis** (issued): décomptes, fee notes and invoices issued on or before the status date,
  their ``amount`` as written in the ledger (the décompte amount, before the retention).
- **payé** (paid): the issued amounts whose ``paid_date`` is on or before the status date,
  *gross* (before the retention, so that it compares with émis).
- **retenue de garantie retenue** (retention held): the retention on the paid décomptes,
  held back from the payments and released after the réception définitive;
  **payé net** = payé − retenue retenue is the cash actually paid out.
- rates: taux d'engagement = engagé / budget (the envelope in total), taux d'émission =
  émis / engagé, taux de paiement = payé / émis. A zero denominator gives NaN in the per-line
  frame and ``None`` with a reason in the totals ("no contract signed yet", "no décompte
  yet"), never an error.

Amounts are on the basis of the settings (``amounts_basis``, TTC by default); ``convert_basis``
turns every amount of the three tables into the other basis at the settings' VAT rate.
Every function returns new objects and never changes its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loaders.schema import BUDGET_LINES, CONTRACTS, SCHEDULE, SPENDING
from loaders.tables import IS_AMENDMENT, SOURCE_ROW
from tracking.calendar import WorkCalendar
from tracking.outline import summary_rows
from tracking.progress import Weights, plan_dates, planned_progress
from tracking.unavailable import NO_BUDGET, NO_CONTRACT, NO_DECOMPTE, ratio

#: columns of ``budget_chain``
LINE_ID = "line_id"
NAME = "name"
CATEGORY = "category"
BUDGET = "budget"
ENGAGED = "engaged"
ISSUED = "issued"
PAID = "paid"
RETENTION_HELD = "retention_held"
PAID_NET = "paid_net"
TO_COMMIT = "to_commit"
TO_ISSUE = "to_issue"
TO_PAY = "to_pay"
ENGAGEMENT_RATE = "engagement_rate"
ISSUE_RATE = "issue_rate"
PAYMENT_RATE = "payment_rate"
OVERRUN = "overrun"
OVER_BUDGET = "over_budget"
IN_BUDGET = "in_budget"
CONTRACT_COUNT = "contract_count"
DECOMPTE_COUNT = "decompte_count"

#: column ``issued_decomptes`` adds: paid on or before the status date
IS_PAID = "is_paid"

#: columns of the money tables that ``convert_basis`` scales
_MONEY_COLUMNS = {
    "budget": (BUDGET_LINES.amount,),
    "contracts": (CONTRACTS.amount,),
    "spending": (SPENDING.amount, SPENDING.retention),
}
#: amounts within this many dirhams are equal (the ledger is kept to the centime)
TOLERANCE = 0.005


def safe_ratio(numerator, denominator) -> float:
    """``numerator / denominator``, NaN when the denominator is zero, missing or not finite."""
    try:
        numerator, denominator = float(numerator), float(denominator)
    except (TypeError, ValueError):
        return float("nan")
    if not np.isfinite(denominator) or denominator == 0 or not np.isfinite(numerator):
        return float("nan")
    return numerator / denominator


def _series_ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """Element-wise ratio with NaN where the denominator is 0 or missing."""
    return (numerator / denominator.where(denominator != 0)).astype(float)


def basis_factor(data_basis: str, shown_basis: str, vat_rate: float) -> float:
    """The factor that turns an amount on ``data_basis`` into ``shown_basis`` (HT = TTC / (1 +
    TVA))."""
    if data_basis == shown_basis:
        return 1.0
    return 1 / (1 + vat_rate) if shown_basis == "HT" else 1 + vat_rate


def convert_basis(frame: pd.DataFrame | None, kind: str, factor: float) -> pd.DataFrame | None:
    """``frame`` (``kind`` = budget, contracts or spending) with its amounts multiplied by
    ``factor`` (see ``basis_factor``); the same frame when the factor is 1."""
    if frame is None or factor == 1.0:
        return frame
    columns = [c for c in _MONEY_COLUMNS[kind] if c in frame.columns]
    return frame.assign(**{c: (frame[c] * factor).round(2) for c in columns})


def _as_timestamp(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def _empty(schema_names: list[str], types: dict[str, str]) -> pd.DataFrame:
    """An empty table with the canonical columns, typed so that filters and sums work."""
    columns = [*schema_names, SOURCE_ROW]
    return pd.DataFrame({c: pd.Series(dtype=types.get(c, "str")) for c in columns})


def empty_contracts() -> pd.DataFrame:
    frame = _empty(
        CONTRACTS.names,
        {
            CONTRACTS.amount: "float64",
            CONTRACTS.signed_date: "datetime64[us]",
            SOURCE_ROW: "int64",
        },
    )
    return frame.assign(**{IS_AMENDMENT: pd.Series(dtype=bool)})


def empty_spending() -> pd.DataFrame:
    return _empty(
        SPENDING.names,
        {
            SPENDING.amount: "float64",
            SPENDING.retention: "float64",
            SPENDING.date: "datetime64[us]",
            SPENDING.paid_date: "datetime64[us]",
            SOURCE_ROW: "int64",
        },
    )


def signed_contracts(contracts: pd.DataFrame | None, status_date) -> pd.DataFrame:
    """Contracts and amendments signed on or before the status date (rows without a date
    count as signed)."""
    if contracts is None:
        contracts = empty_contracts()
    status = _as_timestamp(status_date)
    signed = contracts[CONTRACTS.signed_date]
    return contracts[(signed.isna() | (signed <= status)).astype(bool)]


def issued_decomptes(spending: pd.DataFrame | None, status_date) -> pd.DataFrame:
    """Décomptes issued on or before the status date, with ``IS_PAID`` (paid on or before it)."""
    if spending is None:
        spending = empty_spending()
    status = _as_timestamp(status_date)
    when = spending[SPENDING.date]
    issued = spending[(when.notna() & (when <= status)).astype(bool)]
    paid = issued[SPENDING.paid_date].notna() & (issued[SPENDING.paid_date] <= status)
    return issued.assign(**{IS_PAID: paid.astype(bool)})


def line_codes(frame: pd.DataFrame, column: str) -> pd.Series:
    """Budget-line codes of ``frame`` with blanks read as missing (str dtype keeps NaN)."""
    codes = frame[column].astype("str").str.strip()
    return codes.where(codes.notna() & (codes != ""))


UNASSIGNED = "—"


def budget_chain(
    budget: pd.DataFrame,
    contracts: pd.DataFrame | None,
    spending: pd.DataFrame | None,
    status_date,
) -> pd.DataFrame:
    """One row per budget line (in the budget's order): budget, engagé, émis, payé (gross),
    retention held, payé net, what remains to commit / issue / pay, the three rates, and the
    overrun (the most of engagé and émis above the budget). Contracts and décomptes whose
    line is not in the budget get a row of their own after the budget's (``in_budget`` False,
    budget 0; no line at all: ``line_id`` "—"), so that the lines always add up to the totals.
    """
    lines = budget[[BUDGET_LINES.line_id, BUDGET_LINES.name, BUDGET_LINES.category]].copy()
    lines = lines.assign(
        **{BUDGET: budget[BUDGET_LINES.amount].fillna(0.0).astype(float)},
        **{LINE_ID: budget[BUDGET_LINES.line_id].astype("str")},
    )
    signed = signed_contracts(contracts, status_date)
    issued = issued_decomptes(spending, status_date)
    signed = signed.assign(_line=line_codes(signed, CONTRACTS.budget_line).fillna(UNASSIGNED))
    issued = issued.assign(_line=line_codes(issued, SPENDING.budget_line).fillna(UNASSIGNED))
    paid = issued[issued[IS_PAID].astype(bool)]

    engaged = signed.groupby("_line")[CONTRACTS.amount].sum()
    contract_count = signed.groupby("_line")[CONTRACTS.contract_id].nunique()
    issued_sum = issued.groupby("_line")[SPENDING.amount].sum()
    decompte_count = issued.groupby("_line")[SPENDING.amount].size()
    paid_sum = paid.groupby("_line")[SPENDING.amount].sum()
    retention = paid.groupby("_line")[SPENDING.retention].sum()

    known = set(lines[LINE_ID])
    extra = [
        code
        for code in dict.fromkeys([*engaged.index, *issued_sum.index])
        if code not in known and code != UNASSIGNED
    ]
    if UNASSIGNED in engaged.index or UNASSIGNED in issued_sum.index:
        extra.append(UNASSIGNED)
    if extra:
        lines = pd.concat(
            [
                lines,
                pd.DataFrame(
                    {LINE_ID: extra, NAME: pd.NA, CATEGORY: pd.NA, BUDGET: 0.0},
                ).astype({LINE_ID: "str", NAME: "str", CATEGORY: "str"}),
            ],
            ignore_index=True,
        )

    code = lines[LINE_ID]
    frame = lines.assign(
        **{
            IN_BUDGET: code.isin(known),
            ENGAGED: code.map(engaged).fillna(0.0).astype(float),
            ISSUED: code.map(issued_sum).fillna(0.0).astype(float),
            PAID: code.map(paid_sum).fillna(0.0).astype(float),
            RETENTION_HELD: code.map(retention).fillna(0.0).astype(float),
            CONTRACT_COUNT: code.map(contract_count).fillna(0).astype(int),
            DECOMPTE_COUNT: code.map(decompte_count).fillna(0).astype(int),
        }
    )
    frame = frame.assign(
        **{
            PAID_NET: frame[PAID] - frame[RETENTION_HELD],
            TO_COMMIT: frame[BUDGET] - frame[ENGAGED],
            TO_ISSUE: frame[ENGAGED] - frame[ISSUED],
            TO_PAY: frame[ISSUED] - frame[PAID],
            ENGAGEMENT_RATE: _series_ratio(frame[ENGAGED], frame[BUDGET]),
            ISSUE_RATE: _series_ratio(frame[ISSUED], frame[ENGAGED]),
            PAYMENT_RATE: _series_ratio(frame[PAID], frame[ISSUED]),
            OVERRUN: np.maximum(frame[ENGAGED], frame[ISSUED]) - frame[BUDGET],
        }
    )
    frame = frame.assign(**{OVER_BUDGET: frame[OVERRUN] > TOLERANCE})
    return frame[
        [
            LINE_ID,
            NAME,
            CATEGORY,
            IN_BUDGET,
            BUDGET,
            ENGAGED,
            ISSUED,
            PAID,
            RETENTION_HELD,
            PAID_NET,
            TO_COMMIT,
            TO_ISSUE,
            TO_PAY,
            ENGAGEMENT_RATE,
            ISSUE_RATE,
            PAYMENT_RATE,
            OVERRUN,
            OVER_BUDGET,
            CONTRACT_COUNT,
            DECOMPTE_COUNT,
        ]
    ].reset_index(drop=True)


@dataclass(frozen=True)
class ChainTotals:
    """The chain for the whole operation. ``to_commit`` and the engagement rate are measured
    against the envelope (the sum of the budget lines may differ: ``budget_gap``)."""

    envelope: float
    budget: float
    engaged: float
    issued: float
    paid: float
    retention_held: float
    paid_net: float
    to_commit: float
    to_issue: float
    to_pay: float
    #: the three rates; ``None`` before there is anything to divide by (``reasons``)
    engagement_rate: float | None
    issue_rate: float | None
    payment_rate: float | None
    #: envelope − sum of the budget lines (0 when the budget splits the whole envelope)
    budget_gap: float
    #: rate name -> reason code (``tracking.unavailable``) for each rate that is ``None``:
    #: no contract signed yet (issue rate), no décompte yet (payment rate)
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def not_committed(self) -> float:
        """The part of the envelope not committed (never below 0, for the waterfall)."""
        return max(self.to_commit, 0.0)

    def reason(self, name: str) -> str | None:
        return self.reasons.get(name)


def chain_totals(chain: pd.DataFrame, envelope: float) -> ChainTotals:
    """The totals of ``budget_chain``'s frame against the envelope."""
    engaged = float(chain[ENGAGED].sum())
    issued = float(chain[ISSUED].sum())
    paid = float(chain[PAID].sum())
    retention = float(chain[RETENTION_HELD].sum())
    budget = float(chain[BUDGET].sum())
    rates = {
        ENGAGEMENT_RATE: (ratio(engaged, envelope), NO_BUDGET),
        ISSUE_RATE: (ratio(issued, engaged), NO_CONTRACT),
        PAYMENT_RATE: (ratio(paid, issued), NO_DECOMPTE),
    }
    return ChainTotals(
        envelope=float(envelope),
        budget=budget,
        engaged=engaged,
        issued=issued,
        paid=paid,
        retention_held=retention,
        paid_net=paid - retention,
        to_commit=float(envelope) - engaged,
        to_issue=engaged - issued,
        to_pay=issued - paid,
        engagement_rate=rates[ENGAGEMENT_RATE][0],
        issue_rate=rates[ISSUE_RATE][0],
        payment_rate=rates[PAYMENT_RATE][0],
        budget_gap=float(envelope) - budget,
        reasons={name: why for name, (value, why) in rates.items() if value is None},
    )


# --- over time ------------------------------------------------------------------------------

PLANNED = "planned"
ISSUED_CUMULATIVE = "issued"
PAID_CUMULATIVE = "paid"
PAID_NET_CUMULATIVE = "paid_net"


def task_budget(schedule: pd.DataFrame, budget: pd.DataFrame, calendar: WorkCalendar) -> pd.Series:
    """The budget of each task (MAD, indexed like the schedule): its budget line's amount
    split over the line's tasks by baseline duration in working days (milestones get 0; a line
    whose tasks are all milestones splits evenly). Tasks without a known line get 0, and so do
    summary rows (``tracking.outline``: their work is their children's, budgeted once)."""
    start, finish, _source = plan_dates(schedule)
    milestone = schedule[SCHEDULE.milestone].fillna(False).astype(bool)
    durations = pd.Series(calendar.durations(start, finish), index=schedule.index).fillna(0.0)
    durations = durations.where(~milestone, 0.0)
    line_budget = budget.drop_duplicates(BUDGET_LINES.line_id).set_index(BUDGET_LINES.line_id)[
        BUDGET_LINES.amount
    ]
    line = line_codes(schedule, SCHEDULE.budget_line)
    known = line.isin(line_budget.index) & ~summary_rows(schedule)
    total = durations.where(known, 0.0).groupby(line).transform("sum")
    count = known.groupby(line).transform("sum")
    share = (durations / total.where(total > 0)).where(total > 0, 1.0 / count.where(count > 0))
    amount = line.map(line_budget).astype(float)
    return (share * amount).where(known, 0.0).fillna(0.0).astype(float).rename("task_budget")


def scheduled_lines(schedule: pd.DataFrame | None, budget: pd.DataFrame) -> list[str]:
    """Budget lines that have at least one task in the schedule (the lines earned value can
    measure), in the budget's order."""
    if schedule is None or schedule.empty:
        return []
    codes = set(line_codes(schedule, SCHEDULE.budget_line).dropna())
    return [code for code in budget[BUDGET_LINES.line_id].astype("str") if code in codes]


def _uniform_fraction(dates: pd.DatetimeIndex, start, end) -> np.ndarray:
    """Share of [start, end] (calendar days, both included) elapsed at the end of each date."""
    start, end = _as_timestamp(start), _as_timestamp(end)
    span = (end - start).days + 1
    done = (dates - start).days + 1
    return np.clip(done / max(span, 1), 0.0, 1.0)


def planned_cash_flow(
    budget: pd.DataFrame,
    schedule: pd.DataFrame | None,
    calendar: WorkCalendar,
    dates,
    works_start,
    contractual_end,
    contracts: pd.DataFrame | None = None,
) -> pd.Series:
    """The planned cumulative amount at each date, ending on the budget total:

    - a line with tasks: its budget spread over its tasks' baseline dates (``task_budget``,
      linear over working days);
    - a line without tasks (studies, equipment, provision): its budget spread evenly (calendar
      days) from the signature of its first contract, or ``works_start`` when it has none, to
      ``contractual_end`` (a study is paid along its contract, the equipment and the
      provision over the works)."""
    dates = pd.DatetimeIndex(pd.to_datetime(dates))
    scheduled = scheduled_lines(schedule, budget)
    works = np.zeros(len(dates))
    if scheduled:
        money = task_budget(schedule, budget, calendar)
        # ``planned_progress`` is Σ weight × elapsed share × 100: with the task budgets as the
        # weights it gives the planned amount (× 100)
        works = planned_progress(schedule, calendar, Weights(money, "budget"), dates).to_numpy()
        works = works / 100
    first_signed = pd.Series(dtype="datetime64[us]")
    if contracts is not None and not contracts.empty:
        first_signed = (
            contracts.assign(_line=line_codes(contracts, CONTRACTS.budget_line))
            .groupby("_line")[CONTRACTS.signed_date]
            .min()
        )
    end = _as_timestamp(contractual_end)
    other = budget[~budget[BUDGET_LINES.line_id].astype("str").isin(scheduled)]
    spread = np.zeros(len(dates))
    for code, amount in zip(
        other[BUDGET_LINES.line_id].astype("str"),
        other[BUDGET_LINES.amount].fillna(0.0),
        strict=True,
    ):
        start = first_signed.get(code)
        start = _as_timestamp(works_start) if start is None or pd.isna(start) else start
        spread += float(amount) * _uniform_fraction(dates, min(start, end), end)
    return pd.Series(works + spread, index=dates, name=PLANNED)


def spending_curve(spending: pd.DataFrame | None, status_date, dates) -> pd.DataFrame:
    """Cumulative issued, paid (gross) and paid net of retention at the end of each date,
    counting only what happened by the status date; NaN after the status date."""
    dates = pd.DatetimeIndex(pd.to_datetime(dates))
    status = _as_timestamp(status_date)
    issued = issued_decomptes(spending, status)
    paid = issued[issued[IS_PAID].astype(bool)]

    def cumulative(when: pd.Series, amount: pd.Series) -> np.ndarray:
        if when.empty:
            return np.zeros(len(dates))
        order = np.argsort(when.to_numpy())
        sorted_days = when.to_numpy()[order]
        running = np.cumsum(amount.fillna(0.0).to_numpy()[order])
        position = np.searchsorted(sorted_days, dates.to_numpy(), side="right")
        return np.where(position > 0, running[np.maximum(position - 1, 0)], 0.0)

    frame = pd.DataFrame(
        {
            ISSUED_CUMULATIVE: cumulative(issued[SPENDING.date], issued[SPENDING.amount]),
            PAID_CUMULATIVE: cumulative(paid[SPENDING.paid_date], paid[SPENDING.amount]),
            PAID_NET_CUMULATIVE: cumulative(
                paid[SPENDING.paid_date],
                paid[SPENDING.amount] - paid[SPENDING.retention].fillna(0.0),
            ),
        },
        index=dates,
    )
    frame.loc[np.asarray(dates > status)] = np.nan
    return frame


def curve_dates(
    spending: pd.DataFrame | None, start, end, status_date, freq: str = "W-FRI"
) -> pd.DatetimeIndex:
    """Weekly dates from ``start`` to ``end`` plus every issue and payment date up to the
    status date and the status date itself (so the steps of the actual curves are exact)."""
    start, end, status = _as_timestamp(start), _as_timestamp(end), _as_timestamp(status_date)
    dates = pd.date_range(start, end, freq=freq)
    extra = [start, end, status]
    if spending is not None:
        for column in (SPENDING.date, SPENDING.paid_date):
            values = spending[column].dropna()
            extra.extend(values[values <= status].dt.normalize())
    return dates.append(pd.DatetimeIndex(extra)).unique().sort_values()


# --- drill-down -----------------------------------------------------------------------------


def line_contracts(contracts: pd.DataFrame | None, line_id: str, status_date) -> pd.DataFrame:
    """The contracts and amendments of one budget line signed by the status date, with their
    Excel row (``source_row``)."""
    signed = signed_contracts(contracts, status_date)
    codes = line_codes(signed, CONTRACTS.budget_line).fillna(UNASSIGNED)
    return signed[codes == line_id].reset_index(drop=True)


def line_decomptes(spending: pd.DataFrame | None, line_id: str, status_date) -> pd.DataFrame:
    """The décomptes of one budget line issued by the status date (``IS_PAID`` added), with
    their Excel row."""
    issued = issued_decomptes(spending, status_date)
    codes = line_codes(issued, SPENDING.budget_line).fillna(UNASSIGNED)
    return issued[codes == line_id].reset_index(drop=True)
