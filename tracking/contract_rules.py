"""The contract rules of the settings (CCAG-Travaux defaults, ``[contract_rules]``) applied to
the contracts and the décomptes at the status date.

- **Retenue de garantie**: ``retention_rate`` of each décompte, capped at ``retention_cap`` of
  the contract amount (initial + avenants signed by the date). The retention *constituted* on
  a contract is the sum of the ``retention`` column of its décomptes issued by the date; the
  part on the décomptes already paid is held by the owner until the réception définitive.
- **Avenants**: amendments as a share of the initial amount, flagged above
  ``amendment_threshold`` (changes beyond 10 % need a particular justification).
- **Paiements en retard**: décomptes issued more than ``payment_delay_days`` ago and not paid
  by the status date: late-payment interest (intérêts moratoires) runs after that delay. The
  interest rate is not in the settings, so the amount of interest is not estimated.
- **Pénalités de retard**: the exposure of ``tracking.forecast.penalty_exposure`` from the
  planning forecast, on the works contract (initial + avenants).
- **Coût au m²**: an amount divided by the total area of the settings.
- **Retenue à libérer**: at completion, the retention constituted on the décomptes is given
  back after the réception définitive, ``guarantee_months`` after the réception provisoire
  (``retention_release``).

Pure functions: frames in, new frames out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loaders.project import add_months
from loaders.schema import CONTRACTS, SPENDING
from tracking.budget import TOLERANCE, issued_decomptes, signed_contracts
from tracking.contracts import contract_totals
from tracking.unavailable import NO_DECOMPTE, NOT_RECEIVED, ratio

SOURCE_ROW = "source_row"

#: columns of ``contract_rules_table``
CONTRACT_ID = "contract_id"
PAYEE = "payee"
INITIAL = "initial"
AMENDMENTS = "amendments"
TOTAL = "total"
AMENDMENT_SHARE = "amendment_share"
AMENDMENT_FLAG = "amendment_over_threshold"
ISSUED = "issued"
PAID = "paid"
RETENTION = "retention"  # constituted on the décomptes issued
RETENTION_ON_PAID = "retention_on_paid"  # of which held back from payments already made
RETENTION_CAP = "retention_cap_amount"
RETENTION_RATE_APPLIED = "retention_rate_applied"  # retention / issued
CAP_REACHED = "cap_reached"
OVER_CAP = "over_cap"
OVERDUE_AMOUNT = "overdue_amount"

#: columns of ``overdue_payments``
REFERENCE = "reference"
ISSUE_DATE = "date"
AMOUNT = "amount"
NET_DUE = "net_due"
DAYS_OUTSTANDING = "days_outstanding"
DAYS_LATE = "days_late"
DUE_DATE = "due_date"
SOURCE_ROWS = "source_rows"


def root_contract_id(contracts: pd.DataFrame) -> pd.Series:
    """For each contract row, the contract its amounts belong to: the parent for an
    amendment, itself otherwise."""
    is_amendment = contracts["is_amendment"].astype(bool)
    return contracts[CONTRACTS.parent_id].where(is_amendment, contracts[CONTRACTS.contract_id])


def _decompte_roots(decomptes: pd.DataFrame, contracts: pd.DataFrame) -> pd.Series:
    """The contract each décompte counts against (a décompte citing an amendment counts
    against its parent contract)."""
    mapping = dict(zip(contracts[CONTRACTS.contract_id], root_contract_id(contracts), strict=True))
    cited = decomptes[SPENDING.contract_id]
    return cited.map(lambda c: mapping.get(c, c) if isinstance(c, str) else c).astype("str")


def compress_rows(rows) -> str:
    """Excel row numbers as the user reads them: ``52–60, 64``."""
    numbers = sorted({int(r) for r in rows if pd.notna(r)})
    parts: list[str] = []
    start = previous = None
    for number in numbers:
        if previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}–{previous}")
        start = previous = number
    if start is not None:
        parts.append(str(start) if start == previous else f"{start}–{previous}")
    return ", ".join(parts)


def overdue_payments(
    spending: pd.DataFrame | None, status_date, payment_delay_days: int
) -> pd.DataFrame:
    """Décomptes issued by the status date, not paid by then, and issued more than
    ``payment_delay_days`` calendar days before it: one row per décompte (the ledger's rows of
    one décompte, one per chapter, are added up), most overdue first, with the Excel rows.
    ``contract_id`` is the contract cited by the décompte's first row."""
    columns = [
        SPENDING.contract_id,
        REFERENCE,
        PAYEE,
        ISSUE_DATE,
        DUE_DATE,
        AMOUNT,
        RETENTION,
        NET_DUE,
        DAYS_OUTSTANDING,
        DAYS_LATE,
        SOURCE_ROWS,
    ]
    status = pd.Timestamp(status_date).normalize()
    issued = issued_decomptes(spending, status)
    unpaid = issued[~issued["is_paid"]]
    outstanding = (status - unpaid[SPENDING.date].dt.normalize()).dt.days
    late = unpaid[outstanding > payment_delay_days]
    if late.empty:
        return pd.DataFrame(columns=columns)
    # one décompte = one payee, reference and issue date (its rows may cite the contract or
    # one of its avenants, one row per chapter)
    keys = [SPENDING.payee, SPENDING.reference, SPENDING.date]
    grouped = late.assign(
        **{
            SPENDING.payee: late[SPENDING.payee].fillna("—"),
            SPENDING.reference: late[SPENDING.reference].fillna("—"),
        }
    ).groupby(keys, sort=False)
    frame = grouped.agg(
        contract_id=(SPENDING.contract_id, "first"),
        amount=(SPENDING.amount, "sum"),
        retention=(SPENDING.retention, "sum"),
        source_rows=(SOURCE_ROW, compress_rows),
    ).reset_index()
    days = (status - frame[SPENDING.date].dt.normalize()).dt.days
    frame = frame.assign(
        **{
            DUE_DATE: frame[SPENDING.date] + pd.Timedelta(days=payment_delay_days),
            NET_DUE: frame[AMOUNT] - frame[RETENTION].fillna(0.0),
            DAYS_OUTSTANDING: days.astype(int),
            DAYS_LATE: (days - payment_delay_days).astype(int),
        }
    ).rename(columns={SPENDING.reference: REFERENCE, SPENDING.date: ISSUE_DATE})
    return frame[columns].sort_values(DAYS_LATE, ascending=False).reset_index(drop=True)


def contract_rules_table(
    contracts: pd.DataFrame | None,
    spending: pd.DataFrame | None,
    status_date,
    *,
    retention_cap: float,
    amendment_threshold: float,
    payment_delay_days: int,
) -> pd.DataFrame:
    """One row per contract signed by the status date (amendments folded in): initial
    amount, amendments and their share of the initial amount (flagged above the threshold),
    issued and paid, the retention constituted against its cap (``retention_cap`` × total),
    whether the cap is reached or exceeded, and the amount of overdue décomptes."""
    signed = signed_contracts(contracts, status_date)
    if signed.empty:
        return pd.DataFrame(
            columns=[
                CONTRACT_ID,
                PAYEE,
                INITIAL,
                AMENDMENTS,
                TOTAL,
                AMENDMENT_SHARE,
                AMENDMENT_FLAG,
                ISSUED,
                PAID,
                RETENTION,
                RETENTION_ON_PAID,
                RETENTION_CAP,
                RETENTION_RATE_APPLIED,
                CAP_REACHED,
                OVER_CAP,
                OVERDUE_AMOUNT,
                SOURCE_ROWS,
            ]
        )
    totals = contract_totals(signed)
    rows = signed.assign(_root=root_contract_id(signed).astype("str"))
    source_rows = rows.groupby("_root")[SOURCE_ROW].agg(compress_rows)
    issued = issued_decomptes(spending, status_date)
    issued = issued.assign(_root=_decompte_roots(issued, signed))
    paid = issued[issued["is_paid"]]
    by_root = issued.groupby("_root")
    overdue = overdue_payments(spending, status_date, payment_delay_days)
    overdue_by_root = (
        overdue.assign(_root=_decompte_roots(overdue, signed)).groupby("_root")[AMOUNT].sum()
    )
    code = totals[CONTRACT_ID].astype("str")
    frame = totals.assign(
        **{
            AMENDMENT_FLAG: totals[AMENDMENT_SHARE] > amendment_threshold,
            ISSUED: code.map(by_root[SPENDING.amount].sum()).fillna(0.0).astype(float),
            PAID: code.map(paid.groupby("_root")[SPENDING.amount].sum()).fillna(0.0),
            RETENTION: code.map(by_root[SPENDING.retention].sum()).fillna(0.0).astype(float),
            RETENTION_ON_PAID: code.map(paid.groupby("_root")[SPENDING.retention].sum()).fillna(
                0.0
            ),
            RETENTION_CAP: (totals[TOTAL] * retention_cap).round(2),
            OVERDUE_AMOUNT: code.map(overdue_by_root).fillna(0.0).astype(float),
            SOURCE_ROWS: code.map(source_rows),
        }
    )
    frame = frame.assign(
        **{
            RETENTION_RATE_APPLIED: (
                frame[RETENTION] / frame[ISSUED].where(frame[ISSUED] != 0)
            ).astype(float),
            CAP_REACHED: (frame[RETENTION] >= frame[RETENTION_CAP] - TOLERANCE)
            & (frame[RETENTION] > 0),
            OVER_CAP: frame[RETENTION] > frame[RETENTION_CAP] + TOLERANCE,
        }
    )
    return frame[
        [
            CONTRACT_ID,
            PAYEE,
            INITIAL,
            AMENDMENTS,
            TOTAL,
            AMENDMENT_SHARE,
            AMENDMENT_FLAG,
            ISSUED,
            PAID,
            RETENTION,
            RETENTION_ON_PAID,
            RETENTION_CAP,
            RETENTION_RATE_APPLIED,
            CAP_REACHED,
            OVER_CAP,
            OVERDUE_AMOUNT,
            SOURCE_ROWS,
        ]
    ].reset_index(drop=True)


def amendments_over_threshold(rules: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``contract_rules_table`` whose amendments exceed the threshold."""
    return rules[rules[AMENDMENT_FLAG].astype(bool)].reset_index(drop=True)


def retention_over_cap(rules: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``contract_rules_table`` whose retention exceeds its cap."""
    return rules[rules[OVER_CAP].astype(bool)].reset_index(drop=True)


def cost_per_m2(amount: float | None, total_area_m2: float) -> float | None:
    """``amount`` per square metre; ``None`` when the amount is not known or the area is not
    positive."""
    if total_area_m2 is None or not total_area_m2 > 0:
        return None
    return ratio(amount, total_area_m2)


@dataclass(frozen=True)
class RetentionRelease:
    """The retenue de garantie the owner gives back after the réception définitive."""

    #: constituted on every décompte issued by the status date (what will be released)
    constituted: float
    #: of which already held back from the payments made
    withheld: float
    #: the réception provisoire, None before it
    reception_date: pd.Timestamp | None
    #: the réception définitive (réception provisoire + délai de garantie), when it is released
    release_date: pd.Timestamp | None
    #: why there is nothing to show yet: ``no_decompte`` (nothing constituted),
    #: ``not_received`` (constituted, released once the réception is pronounced)
    reason: str | None = None

    @property
    def to_withhold(self) -> float:
        """Retention on the décomptes issued and not paid yet (held when they are paid)."""
        return self.constituted - self.withheld


def retention_release(
    spending: pd.DataFrame | None, status_date, reception_date, guarantee_months: int
) -> RetentionRelease:
    """The retention to release at the status date and when it is released: the sum of the
    ``retention`` column of the décomptes issued, of those paid, and the réception définitive
    date ``guarantee_months`` after ``reception_date``."""
    issued = issued_decomptes(spending, status_date)
    retention = issued[SPENDING.retention].fillna(0.0).astype(float)
    constituted = round(float(retention.sum()), 2)
    withheld = round(float(retention[issued["is_paid"].astype(bool)].sum()), 2)
    reception = None if reception_date is None or pd.isna(reception_date) else reception_date
    release = None
    if reception is not None:
        reception = pd.Timestamp(reception)
        release = pd.Timestamp(add_months(reception.date(), int(guarantee_months)))
    reason = None
    if constituted <= 0:
        reason = NO_DECOMPTE
    elif release is None:
        reason = NOT_RECEIVED
    return RetentionRelease(constituted, withheld, reception, release, reason)
