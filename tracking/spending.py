"""Everything the Spending page, the briefing and the export say about money, computed once.

``spending_overview`` is the one computation path (as ``tracking.planning.planning_overview``
is for time): the page, the briefing and the workbook read their money figures from its
result, so they always agree. Definitions are in ``tracking.budget`` (the chain),
``tracking.earned_value`` (earned value and its scope), ``tracking.contract_rules`` and
``tracking.alerts``.

Forecast of the operation at completion (``forecast_at_completion``):

- the earned-value scope (the works): its EAC (BAC / CPI), but never less than what its
  contracts already commit: signed contracts are a floor, a CPI above 1 (décomptes lagging
  the works, contract prices below the budget) cannot bring the forecast under them;
- each other line: its commitment (the most of engagé and émis) when it has one, else its
  budget (an uncommitted line such as the IT equipment will still be bought);
- provision lines (aléas, révision des prix: a category or name that says so): nothing
  beyond what is committed on them, since they exist to absorb the overruns already counted
  in the other lines; what remains between the forecast and the envelope is the margin left.

It is ``None`` while the EAC is, with the EAC's reason in ``reasons["forecast_at_completion"]``
(nothing issued on the works yet: "forecast available after the first works décompte"). Once
the works are finished and their décomptes issued, it is the final cost: the EAC of finished
works is what they cost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loaders.project import ProjectSettings
from loaders.schema import SPENDING
from tracking.alerts import Alert, spending_alerts
from tracking.budget import (
    BUDGET,
    CATEGORY,
    ENGAGED,
    ISSUED,
    LINE_ID,
    NAME,
    PLANNED,
    ChainTotals,
    basis_factor,
    budget_chain,
    chain_totals,
    convert_basis,
    curve_dates,
    issued_decomptes,
    planned_cash_flow,
    scheduled_lines,
    signed_contracts,
    spending_curve,
)
from tracking.calendar import WorkCalendar
from tracking.contract_rules import (
    RETENTION,
    RetentionRelease,
    contract_rules_table,
    cost_per_m2,
    decompte_ledger,
    decompte_roots,
    overdue_payments,
    payment_clock,
    retention_due,
    retention_release,
    total_late_interest,
)
from tracking.contracts import WorksContract, works_contract, works_contract_ids
from tracking.earned_value import (
    EarnedValue,
    earned_value_lines,
    earned_value_series,
    earned_value_totals,
    excluded_lines,
)
from tracking.forecast import PenaltyExposure, penalty_exposure
from tracking.planning import PlanningOverview, planning_overview, project_calendar
from tracking.progress import plan_dates
from tracking.unavailable import NO_BUDGET, NO_CONTRACT, NO_WORKS_CONTRACT, NO_WORKS_DECOMPTE

#: column of ``SpendingOverview.excluded``: the forecast at completion of a line outside the
#: earned-value scope
LINE_FORECAST = "forecast"
IS_PROVISION = "is_provision"


@dataclass(frozen=True)
class SpendingOverview:
    status_date: pd.Timestamp
    #: basis of the amounts shown ("TTC" | "HT") and of the workbook; ``factor`` converts
    basis: str
    data_basis: str
    factor: float
    currency: str
    envelope: float
    chain: pd.DataFrame  # budget_chain, one row per budget line
    totals: ChainTotals
    #: planned, issued, paid, paid_net (cumulative MAD) by date
    cash_flow: pd.DataFrame
    #: "baseline" | "current" (dates the planned curve spreads the works budget over) | "none"
    plan_source: str
    earned_lines: pd.DataFrame  # earned_value_lines
    earned: EarnedValue | None  # None when no budget line has tasks in the schedule
    earned_series: pd.DataFrame  # pv, ev, ac by date
    #: chain rows left out of earned value, with their ``forecast`` and ``is_provision``
    excluded: pd.DataFrame
    #: engagé on the lines of the earned-value scope (the works contracts)
    scope_engaged: float
    other_forecast: float
    #: None while it cannot be estimated (``reasons["forecast_at_completion"]`` says why)
    forecast_at_completion: float | None
    rules: pd.DataFrame  # contract_rules_table
    overdue: pd.DataFrame  # overdue_payments (unpaid and late, interest run to the status date)
    #: the contracts and avenants signed by the status date (on the basis shown)
    signed: pd.DataFrame
    #: the décomptes' rows issued by the status date (``decompte_ledger``)
    ledger: pd.DataFrame
    #: the retention each décompte of a works contract owed and withheld (``retention_due``)
    retention_check: pd.DataFrame
    works_contract: WorksContract | None
    penalty: PenaltyExposure | None
    total_area_m2: float
    area_basis: str
    works_start: pd.Timestamp
    contractual_end: pd.Timestamp
    forecast_finish: pd.Timestamp | None
    alerts: list[Alert]
    #: the retenue de garantie to release after the réception définitive
    retention: RetentionRelease | None = None
    #: the payment-law clock of every décompte issued (``payment_clock``, décret n° 2-16-344)
    payment_clock: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: intérêts moratoires owed at the status date (MAD, on the basis shown): the décomptes
    #: paid late and those unpaid past their due date, run to the status date
    late_interest: float = 0.0
    #: the annual rate they are computed at (``contract_rules.late_payment_rate``)
    late_payment_rate: float = 0.0
    #: figure name -> reason code (``tracking.unavailable``) for every figure that is None:
    #: ``forecast_at_completion``, ``forecast_gap``, ``works_contract``, ``penalty``
    reasons: dict[str, str] = field(default_factory=dict)

    def reason(self, name: str) -> str | None:
        return self.reasons.get(name)

    @property
    def forecast_gap(self) -> float | None:
        """Forecast at completion − envelope (positive: the envelope will not be enough);
        None while there is no forecast."""
        if self.forecast_at_completion is None:
            return None
        return self.forecast_at_completion - self.envelope

    @property
    def eac_below_engaged(self) -> bool:
        """True when the EAC of the earned-value scope is below what its contracts already
        commit: the CPI is flattered (décomptes lag the works, or contract prices are below
        the budget), and the commitment is the better floor."""
        if self.earned is None or self.earned.eac is None:
            return False
        return self.earned.eac < self.scope_engaged

    def cost_per_m2(self, amount: float | None) -> float | None:
        return cost_per_m2(amount, self.total_area_m2)


PROVISION_WORDS = ("provision", "aléa", "alea", "imprévu", "imprevu", "contingenc")


def is_provision(chain: pd.DataFrame) -> pd.Series:
    """Budget lines that are a provision for contingencies (their category or name says so)."""
    text = (chain[CATEGORY].fillna("") + " " + chain[NAME].fillna("")).str.lower()
    return text.map(lambda t: any(word in t for word in PROVISION_WORDS)).astype(bool)


def line_forecasts(chain: pd.DataFrame) -> pd.Series:
    """The forecast at completion of lines measured without earned value: the most of engagé
    and émis when the line is committed, else its budget (a provision: only what is
    committed on it)."""
    committed = pd.Series(np.maximum(chain[ENGAGED], chain[ISSUED]), index=chain.index)
    uncommitted = chain[BUDGET].where(~is_provision(chain), 0.0)
    return committed.where(committed > 0, uncommitted).astype(float)


def _curve_span(
    spending: pd.DataFrame | None,
    contracts: pd.DataFrame | None,
    settings: ProjectSettings,
    finish_candidates: list,
) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp(settings.works_start)
    if spending is not None and spending[SPENDING.date].notna().any():
        start = min(start, spending[SPENDING.date].min())
    start = start.to_period("M").to_timestamp()
    end = max(pd.Timestamp(d) for d in finish_candidates if d is not None and not pd.isna(d))
    return start, end


def spending_overview(
    budget: pd.DataFrame,
    contracts: pd.DataFrame | None,
    spending: pd.DataFrame | None,
    settings: ProjectSettings,
    status_date: dt.date | pd.Timestamp,
    *,
    schedule: pd.DataFrame | None = None,
    planning: PlanningOverview | None = None,
    basis: str | None = None,
) -> SpendingOverview:
    """The whole money picture at ``status_date``. ``basis`` ("TTC" | "HT") converts every
    amount from the settings' ``amounts_basis`` at its VAT rate (default: no conversion).
    ``planning`` (the schedule's ``planning_overview``) gives the forecast finish and the
    delay the penalties are measured on; it is computed from ``schedule`` when not given."""
    status = pd.Timestamp(status_date).normalize()
    shown = basis or settings.amounts_basis
    factor = basis_factor(settings.amounts_basis, shown, settings.vat_rate)
    budget = convert_basis(budget, "budget", factor)
    contracts = convert_basis(contracts, "contracts", factor)
    spending = convert_basis(spending, "spending", factor)
    envelope = round(settings.envelope * factor, 2)

    if planning is None and schedule is not None and not schedule.empty:
        planning = planning_overview(schedule, settings, status, budget_lines=budget)
    calendar: WorkCalendar = planning.calendar if planning else project_calendar(settings)

    chain = budget_chain(budget, contracts, spending, status)
    totals = chain_totals(chain, envelope)

    # --- over time
    forecast_finish = planning.forecast.forecast_finish if planning else None
    contractual_end = pd.Timestamp(settings.contractual_end)
    finishes = [contractual_end, forecast_finish, status]
    plan_source = "none"
    if schedule is not None and not schedule.empty:
        _start, plan_finish, plan_source = plan_dates(schedule)
        finishes.append(plan_finish.max())
    start, end = _curve_span(spending, contracts, settings, finishes)
    dates = curve_dates(spending, start, end, status).union(
        pd.DatetimeIndex([pd.Timestamp(settings.works_start), contractual_end])
    )
    cash_flow = spending_curve(spending, status, dates).assign(
        **{
            PLANNED: planned_cash_flow(
                budget,
                schedule,
                calendar,
                dates,
                settings.works_start,
                contractual_end,
                contracts=signed_contracts(contracts, status),
            )
        }
    )

    # --- earned value
    scope = scheduled_lines(schedule, budget)
    lines = earned_value_lines(budget, schedule, spending, calendar, status)
    earned = earned_value_totals(lines) if scope else None
    series = earned_value_series(budget, schedule, spending, calendar, status, dates)
    excluded = excluded_lines(chain, scope)
    excluded = excluded.assign(
        **{LINE_FORECAST: line_forecasts(excluded), IS_PROVISION: is_provision(excluded)}
    )
    other_forecast = float(excluded[LINE_FORECAST].sum())
    scope_engaged = float(chain.loc[chain[LINE_ID].isin(scope), ENGAGED].sum())
    reasons: dict[str, str] = {}
    forecast_at_completion, why = completion_forecast(earned, scope_engaged, other_forecast, chain)
    if why is not None:
        reasons["forecast_at_completion"] = reasons["forecast_gap"] = why

    # --- contract rules
    signed = signed_contracts(contracts, status)
    subject = retention_subject(signed, spending, status, scope)
    rules = contract_rules_table(
        contracts,
        spending,
        status,
        retention_cap=settings.retention_cap,
        amendment_threshold=settings.amendment_threshold,
        payment_delay_days=settings.payment_delay_days,
        retention_rate=settings.retention_rate,
        retention_subject=subject,
    )
    clock = payment_clock(spending, status, settings.payment_delay_days, settings.late_payment_rate)
    overdue = overdue_payments(
        spending, status, settings.payment_delay_days, settings.late_payment_rate
    )
    retention_check = retention_due(
        contracts,
        spending,
        status,
        retention_rate=settings.retention_rate,
        retention_cap=settings.retention_cap,
        subject=subject,
    )
    contract = works_contract(signed, set(scope))
    penalty = None
    if contract is None:
        reasons["works_contract"] = reasons["penalty"] = (
            NO_CONTRACT if signed.empty else NO_WORKS_CONTRACT
        )
    elif planning is not None:
        delay = planning.forecast.delay_vs_contract_days
        if delay is not None:
            penalty = penalty_exposure(
                delay, contract.total, settings.penalty_rate_per_day, settings.penalty_cap
            )
        elif planning.forecast.reason is not None:
            reasons["penalty"] = planning.forecast.reason
    reception = planning.forecast.reception_date if planning is not None else None
    retention = retention_release(spending, status, reception, settings.guarantee_months)

    alerts = spending_alerts(
        totals,
        chain,
        forecast_at_completion,
        rules,
        overdue,
        thresholds=settings.alerts,
        amendment_threshold=settings.amendment_threshold,
        payment_delay_days=settings.payment_delay_days,
        retention=retention_check,
    )
    return SpendingOverview(
        status_date=status,
        basis=shown,
        data_basis=settings.amounts_basis,
        factor=factor,
        currency=settings.currency,
        envelope=envelope,
        chain=chain,
        totals=totals,
        cash_flow=cash_flow,
        plan_source=plan_source,
        earned_lines=lines,
        earned=earned,
        earned_series=series,
        excluded=excluded,
        scope_engaged=scope_engaged,
        other_forecast=other_forecast,
        forecast_at_completion=forecast_at_completion,
        rules=rules,
        overdue=overdue,
        signed=signed.reset_index(drop=True),
        ledger=decompte_ledger(spending, status, settings.payment_delay_days),
        retention_check=retention_check,
        works_contract=contract,
        penalty=penalty,
        total_area_m2=settings.total_area_m2,
        area_basis=settings.area_basis,
        works_start=pd.Timestamp(settings.works_start),
        contractual_end=contractual_end,
        forecast_finish=forecast_finish,
        alerts=alerts,
        retention=retention,
        payment_clock=clock,
        late_interest=total_late_interest(clock),
        late_payment_rate=settings.late_payment_rate,
        reasons=reasons,
    )


def retention_subject(
    signed: pd.DataFrame, spending: pd.DataFrame | None, status, scope: list[str]
) -> set[str]:
    """The contracts whose décomptes owe the retenue de garantie: the works contracts (a row
    on a budget line of the schedule's tasks, where the CCAG-Travaux applies) and any contract
    one of whose décomptes withheld a retention (its CPS provides for one). A fee note or an
    order form that never withholds anything is not checked."""
    subject = works_contract_ids(signed, scope)
    issued = issued_decomptes(spending, status)
    if not signed.empty and not issued.empty:
        withholding = issued[issued[RETENTION].fillna(0.0) > 0]
        subject |= set(decompte_roots(withholding, signed))
    return subject


def completion_forecast(
    earned: EarnedValue | None, scope_engaged: float, other_forecast: float, chain: pd.DataFrame
) -> tuple[float | None, str | None]:
    """The forecast at completion of the operation and, when there is none, why: the
    earned-value scope at its EAC (never below its commitments) plus the other lines' own
    forecasts."""
    if chain.empty:
        return None, NO_BUDGET
    if earned is None:
        return other_forecast, None
    if earned.eac is None:
        return None, earned.reason("eac") or NO_WORKS_DECOMPTE
    return max(earned.eac, scope_engaged) + other_forecast, None


#: the parts of ``envelope_breakdown``, from the cash paid out to what is not committed
BREAKDOWN_PARTS = ("paid_net", "retention_held", "to_pay", "to_issue", "to_commit")
#: columns of ``envelope_breakdown``
PART = "part"
PART_AMOUNT = "amount"
PART_SHARE = "share"


def envelope_breakdown(totals: ChainTotals) -> pd.DataFrame:
    """Where each dirham of the envelope stands: paid out (net of retention), held back as
    retention, issued and awaiting payment, committed but not yet issued, not committed.
    The parts add up to the envelope (a negative last part is an over-commitment)."""
    amounts = [
        totals.paid_net,
        totals.retention_held,
        totals.to_pay,
        totals.to_issue,
        totals.to_commit,
    ]
    frame = pd.DataFrame({PART: list(BREAKDOWN_PARTS), PART_AMOUNT: amounts})
    share = frame[PART_AMOUNT] / totals.envelope if totals.envelope else np.nan
    return frame.assign(**{PART_SHARE: share})
