"""The contract rules of the settings (CCAG-Travaux defaults, ``[contract_rules]``) applied to
the contracts and the décomptes at the status date.

- **Retenue de garantie**: ``retention_rate`` of each décompte, capped at ``retention_cap`` of
  the contract amount (initial + avenants signed by the date). The retention *constituted* on
  a contract is the sum of the ``retention`` column of its décomptes issued by the date; the
  part on the décomptes already paid is held by the owner until the réception définitive.
  ``retention_due`` checks each décompte: it owes ``retention_rate`` of its amount until the
  cap of its contract (the amount signed by the décompte's date) is reached; a décompte that
  withheld less than that, beyond a centime of rounding, is flagged.
- **Avenants**: amendments as a share of the initial amount, flagged above
  ``amendment_threshold`` (changes beyond 10 % need a particular justification). The
  comparison is on amounts to the centime: an avenant of exactly 10 % is not flagged, even
  when the division gives 0.1000000000000001.
- **Délai de paiement et intérêts moratoires** (décret n° 2-16-344 du 22 juillet 2016 on the
  payment delays of public contracts): payment is due within ``payment_delay_days`` (60) of
  the constatation du service fait (45 days for the ordonnateur to issue the ordonnance, 15
  for the comptable to pay); intérêts moratoires are owed for every day beyond. The clock
  runs from the ledger's ``service_date`` (the attachement) when the décompte has one, else
  from its issue date (``payment_clock``, which says which). Interest = net amount due
  (amount − retention) × ``late_payment_rate`` (annual) × days late / 365. ``overdue_payments``
  are the décomptes still unpaid and late at the status date, with the interest run to it.
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

import numpy as np
import pandas as pd

from loaders.project import add_months
from loaders.schema import CONTRACTS, SPENDING
from loaders.tables import SOURCE_ROW
from tracking.budget import IS_PAID, TOLERANCE, issued_decomptes, line_codes, signed_contracts
from tracking.contracts import (
    AMENDMENT_SHARE,
    AMENDMENTS,
    CONTRACT_ID,
    INITIAL,
    PAYEE,
    TOTAL,
    contract_totals,
    root_contract_id,
)
from tracking.unavailable import NO_DECOMPTE, NOT_RECEIVED, ratio

#: columns of ``contract_rules_table`` (with ``tracking.contracts``' contract columns)
AMENDMENT_FLAG = "amendment_over_threshold"
ISSUED = "issued"
PAID = "paid"
RETENTION = "retention"  # constituted on the décomptes issued
RETENTION_ON_PAID = "retention_on_paid"  # of which held back from payments already made
RETENTION_CAP = "retention_cap_amount"
RETENTION_RATE_APPLIED = "retention_rate_applied"  # retention / issued
CAP_REACHED = "cap_reached"
OVER_CAP = "over_cap"
RETENTION_SHORTFALL = "retention_shortfall"  # retention due on its décomptes not withheld
OVERDUE_AMOUNT = "overdue_amount"
#: a tuple of Excel row numbers, formatted (``52–60``) only when drawn
SOURCE_ROWS = "source_rows"
RULES_COLUMNS = [
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
    RETENTION_SHORTFALL,
    OVERDUE_AMOUNT,
    SOURCE_ROWS,
]

#: columns of ``overdue_payments`` and ``retention_due`` (one row per décompte)
REFERENCE = "reference"
ISSUE_DATE = "date"
AMOUNT = "amount"
NET_DUE = "net_due"
#: days from the clock start (``CLOCK_START``) to the status date
DAYS_OUTSTANDING = "days_outstanding"
DAYS_LATE = "days_late"
DUE_DATE = "due_date"
#: the budget lines a décompte is spread over (its rows, one per chapter), in order
BUDGET_LINES_OF = "budget_lines"
#: columns of ``payment_clock`` (one row per décompte issued by the status date)
SERVICE_DATE = "service_date"  # constatation du service fait (the attachement), when known
ORDERED_DATE = "ordered_date"  # ordonnancement effectif, when known
PAID_DATE = "paid_date"  # when paid by the status date, else empty
CLOCK_START = "clock_start"  # the date the payment delay runs from
#: what the clock runs from: ``CLOCK_FROM_SERVICE`` or ``CLOCK_FROM_ISSUE``
CLOCK_FROM = "clock_from"
CLOCK_FROM_SERVICE = "service"
CLOCK_FROM_ISSUE = "issue"
#: days from the clock start to the payment (paid) or to the status date (unpaid)
DAYS_ELAPSED = "days_elapsed"
LATE_INTEREST = "late_interest"  # intérêts moratoires owed, MAD
IS_LATE = "is_late"
CLOCK_COLUMNS = [
    CONTRACT_ID,
    REFERENCE,
    PAYEE,
    SERVICE_DATE,
    ISSUE_DATE,
    ORDERED_DATE,
    PAID_DATE,
    CLOCK_START,
    CLOCK_FROM,
    DUE_DATE,
    AMOUNT,
    RETENTION,
    NET_DUE,
    DAYS_ELAPSED,
    DAYS_LATE,
    LATE_INTEREST,
    IS_PAID,
    IS_LATE,
    BUDGET_LINES_OF,
    SOURCE_ROWS,
]
#: intérêts moratoires run per calendar day late, on a year of 365 days (an annual rate):
#: interest = net due × annual rate × days late / DAYS_PER_YEAR
DAYS_PER_YEAR = 365
OVERDUE_COLUMNS = [
    CONTRACT_ID,
    REFERENCE,
    PAYEE,
    ISSUE_DATE,
    DUE_DATE,
    AMOUNT,
    RETENTION,
    NET_DUE,
    DAYS_OUTSTANDING,
    DAYS_LATE,
    BUDGET_LINES_OF,
    SOURCE_ROWS,
    SERVICE_DATE,
    CLOCK_START,
    CLOCK_FROM,
    LATE_INTEREST,
]
RETENTION_DUE = "retention_due"
RETAINED_BEFORE = "retained_before"
SHORTFALL = "shortfall"
IS_SHORT = "is_short"
RETENTION_DUE_COLUMNS = [
    CONTRACT_ID,
    REFERENCE,
    PAYEE,
    ISSUE_DATE,
    AMOUNT,
    RETAINED_BEFORE,
    RETENTION_CAP,
    RETENTION_DUE,
    RETENTION,
    SHORTFALL,
    IS_SHORT,
    SOURCE_ROWS,
]
#: a retention within this of what is due is the ledger's rounding to the centime
RETENTION_ROUNDING = 0.01 + TOLERANCE


def source_rows(rows) -> tuple[int, ...]:
    """Excel row numbers, sorted and without repeats (drawn ``52–60, 64`` by the renderers)."""
    return tuple(sorted({int(r) for r in rows if pd.notna(r)}))


def _tuples_by_group(group: np.ndarray, values: list, groups: int, *, sort: bool) -> list[tuple]:
    """For each of ``groups`` groups (``group``: each value's group number, -1 for none),
    its distinct ``values`` as a tuple: sorted (``sort``) or in order of first appearance.
    One sorted pass over every value, not a Python call per group (a ledger of 100 000
    décomptes has as many groups)."""
    out: list[tuple] = [()] * groups
    if not len(values):
        return out
    frame = pd.DataFrame(
        {"g": group, "v": pd.Series(values, dtype=object), "p": np.arange(len(values))}
    )
    frame = frame[frame["g"] >= 0].drop_duplicates(["g", "v"])
    frame = frame.sort_values(["g", "v"] if sort else ["g", "p"], kind="stable")
    numbers, items = frame["g"].to_numpy(), frame["v"].tolist()
    if not len(numbers):
        return out
    bounds = np.flatnonzero(np.diff(numbers)) + 1
    for start, end in zip(
        np.concatenate(([0], bounds)), np.concatenate((bounds, [len(numbers)])), strict=True
    ):
        out[numbers[start]] = tuple(items[start:end])
    return out


def decompte_roots(decomptes: pd.DataFrame, contracts: pd.DataFrame) -> pd.Series:
    """The contract each décompte counts against (a décompte citing an amendment counts
    against its parent contract)."""
    mapping = dict(zip(contracts[CONTRACTS.contract_id], root_contract_id(contracts), strict=True))
    cited = decomptes[SPENDING.contract_id]
    parents = cited.map(mapping)  # one lookup per row, in C: a ledger has 100 000 of them
    return parents.where(parents.notna(), cited).astype("str")


def decomptes(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per décompte from the ledger's rows (one per chapter): a décompte is one
    payee, reference and issue date; its amount and retention are added up, its budget lines
    and Excel rows listed. ``contract_id`` is the contract its first row cites."""
    keys = [SPENDING.payee, SPENDING.reference, SPENDING.date]
    filled = rows.assign(
        **{
            SPENDING.payee: rows[SPENDING.payee].fillna("—"),
            SPENDING.reference: rows[SPENDING.reference].fillna("—"),
            SPENDING.retention: rows[SPENDING.retention].fillna(0.0).astype(float),
            "_line": line_codes(rows, SPENDING.budget_line),
        }
    )
    grouped = filled.groupby(keys, sort=False)
    frame = grouped.agg(
        **{
            CONTRACT_ID: (SPENDING.contract_id, "first"),
            AMOUNT: (SPENDING.amount, "sum"),
            RETENTION: (SPENDING.retention, "sum"),
        }
    ).reset_index()
    # the lists of each décompte (its budget lines, its Excel rows): the groups numbered in
    # the order ``agg`` gives them (first appearance), then one pass over all the rows
    number = grouped.ngroup().to_numpy()
    lines = filled["_line"]
    present = lines.map(lambda c: isinstance(c, str) and bool(c), na_action="ignore")
    present = present.fillna(False).astype(bool).to_numpy()
    line_of = _tuples_by_group(
        np.where(present, number, -1), [str(c) for c in lines.tolist()], len(frame), sort=False
    )
    if SOURCE_ROW in filled.columns:
        source = pd.to_numeric(filled[SOURCE_ROW], errors="coerce")
        row_numbers = [int(r) if r == r else 0 for r in source.tolist()]
        rows_of = _tuples_by_group(
            np.where(source.notna().to_numpy(), number, -1), row_numbers, len(frame), sort=True
        )
    else:
        rows_of = [()] * len(frame)
    frame = frame.assign(**{BUDGET_LINES_OF: line_of, SOURCE_ROWS: rows_of})
    return frame.rename(columns={SPENDING.reference: REFERENCE, SPENDING.date: ISSUE_DATE})


def _dates(rows: pd.DataFrame, column: str) -> pd.Series:
    """The ``column`` of dates of ``rows``, all missing when the ledger has no such column
    (an older snapshot, a frame built in code)."""
    if column not in rows.columns:
        return pd.Series(pd.NaT, index=rows.index, dtype="datetime64[us]")
    return pd.to_datetime(rows[column]).dt.normalize()


def _decompte_keys(rows: pd.DataFrame) -> list[pd.Series]:
    """What makes one décompte of the ledger's rows (as ``decomptes`` groups them)."""
    return [
        rows[SPENDING.payee].fillna("—"),
        rows[SPENDING.reference].fillna("—"),
        rows[SPENDING.date],
    ]


def _clock_start(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """For each ledger row, the date its décompte's payment delay runs from (the service date
    any row of the décompte gives, else the issue date) and ``CLOCK_FROM``."""
    service = _dates(rows, SPENDING.service_date)
    service = service.groupby(_decompte_keys(rows), sort=False).transform("min")
    issue = rows[SPENDING.date].dt.normalize()
    start = service.where(service.notna(), issue)
    clock_from = pd.Series(CLOCK_FROM_ISSUE, index=rows.index, dtype=object).where(
        service.isna(), CLOCK_FROM_SERVICE
    )
    return start, clock_from


def late_interest(net_due: pd.Series, days_late: pd.Series, late_payment_rate: float) -> pd.Series:
    """Intérêts moratoires: ``net_due`` × ``late_payment_rate`` (annual) × ``days_late`` /
    ``DAYS_PER_YEAR`` (365), to the centime; nothing for a décompte not late."""
    days = days_late.clip(lower=0).astype(float)
    return (net_due.astype(float) * late_payment_rate * days / DAYS_PER_YEAR).round(2)


_CLOCK_TYPES = {
    **dict.fromkeys(
        (SERVICE_DATE, ISSUE_DATE, ORDERED_DATE, PAID_DATE, CLOCK_START, DUE_DATE),
        "datetime64[us]",
    ),
    **dict.fromkeys((AMOUNT, RETENTION, NET_DUE, LATE_INTEREST), "float64"),
    **dict.fromkeys((DAYS_ELAPSED, DAYS_LATE, DAYS_OUTSTANDING), "int64"),
    **dict.fromkeys((IS_PAID, IS_LATE), "bool"),
    **dict.fromkeys((BUDGET_LINES_OF, SOURCE_ROWS), "object"),
}


def _empty_frame(columns: list[str]) -> pd.DataFrame:
    """No décompte, with typed columns (a boolean mask of no rows still filters it)."""
    return pd.DataFrame({c: pd.Series(dtype=_CLOCK_TYPES.get(c, "str")) for c in columns})


def _clock(rows: pd.DataFrame, status: pd.Timestamp, delay: int, rate: float) -> pd.DataFrame:
    """``CLOCK_COLUMNS`` for the décomptes of ``rows`` (issued rows with ``IS_PAID``)."""
    if rows.empty:
        return _empty_frame(CLOCK_COLUMNS)
    start, clock_from = _clock_start(rows)
    paid_on = _dates(rows, SPENDING.paid_date).where(rows[IS_PAID].astype(bool))
    extra = rows.assign(
        _start=start,
        _from=clock_from,
        _service=_dates(rows, SPENDING.service_date),
        _ordered=_dates(rows, SPENDING.ordered_date),
        _paid_on=paid_on,
        _paid=rows[IS_PAID].astype(bool),
    )
    dated = (
        extra.groupby(_decompte_keys(rows), sort=False)
        .agg(
            _start=("_start", "first"),
            _from=("_from", "first"),
            _service=("_service", "min"),
            _ordered=("_ordered", "max"),
            _paid_on=("_paid_on", "max"),
            _paid=("_paid", "all"),
        )
        .reset_index(drop=True)
    )
    frame = decomptes(rows)
    paid = dated["_paid"].astype(bool)
    due = dated["_start"] + pd.Timedelta(days=delay)
    until = dated["_paid_on"].where(paid, status)
    late = (until - due).dt.days.clip(lower=0).astype(int)
    net = (frame[AMOUNT] - frame[RETENTION]).astype(float)
    frame = frame.assign(
        **{
            SERVICE_DATE: dated["_service"].to_numpy(),
            ORDERED_DATE: dated["_ordered"].to_numpy(),
            PAID_DATE: dated["_paid_on"].where(paid).to_numpy(),
            CLOCK_START: dated["_start"].to_numpy(),
            CLOCK_FROM: dated["_from"].to_numpy(),
            DUE_DATE: due.to_numpy(),
            NET_DUE: net,
            DAYS_ELAPSED: (until - dated["_start"]).dt.days.astype(int).to_numpy(),
            DAYS_LATE: late.to_numpy(),
            LATE_INTEREST: late_interest(net, pd.Series(late.to_numpy(), index=net.index), rate),
            IS_PAID: paid.to_numpy(),
            IS_LATE: (late > 0).to_numpy(),
        }
    )
    return frame[CLOCK_COLUMNS]


def payment_clock(
    spending: pd.DataFrame | None,
    status_date,
    payment_delay_days: int,
    late_payment_rate: float,
) -> pd.DataFrame:
    """The payment-law clock of every décompte issued by the status date (one row per
    décompte, its rows added up as ``decomptes`` does), in issue order: the clock starts at
    the constatation du service fait (``SERVICE_DATE``) when the ledger gives it for the
    décompte, else at its issue date (``CLOCK_FROM`` says which); payment is due
    ``payment_delay_days`` later (``DUE_DATE``). ``DAYS_LATE``: a paid décompte, its payment
    date − due date; an unpaid one, the status date − due date; 0 when not past due.
    ``LATE_INTEREST``: net due (amount − retention) × ``late_payment_rate`` × days late / 365
    (``DAYS_PER_YEAR``), run to the status date for an unpaid one."""
    status = pd.Timestamp(status_date).normalize()
    issued = issued_decomptes(spending, status)
    frame = _clock(issued, status, payment_delay_days, late_payment_rate)
    return frame.sort_values([ISSUE_DATE, REFERENCE], kind="stable").reset_index(drop=True)


def total_late_interest(clock: pd.DataFrame) -> float:
    """The intérêts moratoires of a ``payment_clock`` (paid late and unpaid late), MAD."""
    if clock.empty:
        return 0.0
    return round(float(clock[LATE_INTEREST].astype(float).sum()), 2)


def overdue_payments(
    spending: pd.DataFrame | None,
    status_date,
    payment_delay_days: int,
    late_payment_rate: float = 0.0,
) -> pd.DataFrame:
    """Décomptes issued by the status date, not paid by then, and more than
    ``payment_delay_days`` calendar days past their clock start (the constatation du service
    fait, else the issue date: ``payment_clock``): one row per décompte (its unpaid rows, one
    per chapter and budget line, added up), most overdue first, with its budget lines, Excel
    rows and the intérêts moratoires run to the status date at ``late_payment_rate``."""
    status = pd.Timestamp(status_date).normalize()
    issued = issued_decomptes(spending, status)
    unpaid = issued[~issued[IS_PAID]]
    frame = _clock(unpaid, status, payment_delay_days, late_payment_rate)
    frame = frame[frame[IS_LATE].astype(bool)]
    if frame.empty:
        return _empty_frame(OVERDUE_COLUMNS)
    frame = frame.assign(**{DAYS_OUTSTANDING: frame[DAYS_ELAPSED].astype(int)})
    return frame[OVERDUE_COLUMNS].sort_values(DAYS_LATE, ascending=False).reset_index(drop=True)


#: columns ``decompte_ledger`` adds to the ledger's rows
IS_OVERDUE = "is_overdue"
DECOMPTE_AMOUNT = "decompte_amount"  # the whole décompte, over all its budget lines
DECOMPTE_LINE_COUNT = "decompte_line_count"


def decompte_ledger(
    spending: pd.DataFrame | None, status_date, payment_delay_days: int
) -> pd.DataFrame:
    """The ledger's rows issued by the status date (one per décompte and budget line), in
    issue order, with ``IS_PAID``, ``IS_OVERDUE`` (unpaid more than ``payment_delay_days``
    after its décompte's clock start: the constatation du service fait, else its issue), and
    the whole décompte each row is a share of: its amount over every budget line
    (``DECOMPTE_AMOUNT``) and how many lines it spans."""
    status = pd.Timestamp(status_date).normalize()
    issued = issued_decomptes(spending, status)
    keys = _decompte_keys(issued)
    grouped = issued.groupby(keys, sort=False)
    lines = line_codes(issued, SPENDING.budget_line).fillna("—")
    start, _clock_from = _clock_start(issued)
    outstanding = (status - start).dt.days
    ledger = issued.assign(
        **{
            IS_OVERDUE: (~issued[IS_PAID] & (outstanding > payment_delay_days)).astype(bool),
            DECOMPTE_AMOUNT: grouped[SPENDING.amount].transform("sum").astype(float),
            DECOMPTE_LINE_COUNT: lines.groupby(keys, sort=False).transform("nunique").astype(int),
        }
    )
    return ledger.sort_values([SPENDING.date, SOURCE_ROW], kind="stable").reset_index(drop=True)


def retention_due(
    contracts: pd.DataFrame | None,
    spending: pd.DataFrame | None,
    status_date,
    *,
    retention_rate: float,
    retention_cap: float,
    subject: set[str] | None = None,
) -> pd.DataFrame:
    """The retenue de garantie each décompte owes, against what it withheld, for the
    contracts in ``subject`` (all signed contracts when ``None``), in issue order per
    contract. A décompte owes ``retention_rate`` × its amount, but no more than what is left
    under the cap: ``retention_cap`` × the contract amount signed by the décompte's date
    (initial + avenants), minus what its earlier décomptes withheld. ``is_short`` when it
    withheld less than it owed by more than a centime of rounding; ``shortfall`` is the
    missing amount (negative: withheld more than due)."""
    signed = signed_contracts(contracts, status_date)
    issued = issued_decomptes(spending, status_date)
    if signed.empty or issued.empty:
        return pd.DataFrame(columns=RETENTION_DUE_COLUMNS)
    issued = issued.assign(**{SPENDING.contract_id: decompte_roots(issued, signed)})
    if subject is not None:
        issued = issued[issued[SPENDING.contract_id].isin(subject)]
    if issued.empty:
        return pd.DataFrame(columns=RETENTION_DUE_COLUMNS)
    frame = decomptes(issued).sort_values([CONTRACT_ID, ISSUE_DATE, REFERENCE], kind="stable")
    frame = frame.reset_index(drop=True)
    # the contract amount in force at each décompte's date (initial + avenants signed by
    # then; an undated one always counts): per contract, the running total of its signed
    # amounts by signature date, taken at the décompte's date (one sorted pass, not a scan
    # of every contract for each décompte)
    pieces = pd.DataFrame(
        {
            CONTRACT_ID: root_contract_id(signed).astype("str").to_numpy(),
            "_on": pd.to_datetime(signed[CONTRACTS.signed_date]).to_numpy(),
            "_amount": signed[CONTRACTS.amount].astype(float).to_numpy(),
        }
    )
    undated = pieces[pieces["_on"].isna()].groupby(CONTRACT_ID)["_amount"].sum()
    dated = pieces[pieces["_on"].notna()].sort_values("_on", kind="stable")
    dated = dated.assign(_in_force=dated.groupby(CONTRACT_ID)["_amount"].cumsum())
    at_date = pd.merge_asof(
        frame[[CONTRACT_ID, ISSUE_DATE]]
        .assign(_order=range(len(frame)), _date=pd.to_datetime(frame[ISSUE_DATE]))
        .sort_values("_date", kind="stable"),
        dated[[CONTRACT_ID, "_on", "_in_force"]],
        left_on="_date",
        right_on="_on",
        by=CONTRACT_ID,
        direction="backward",
    ).sort_values("_order")
    in_force = at_date["_in_force"].fillna(0.0).to_numpy() + (
        frame[CONTRACT_ID].map(undated).fillna(0.0).to_numpy()
    )
    retention = frame[RETENTION].astype(float)
    # withheld by the contract's earlier décomptes, added in issue order
    running = retention.groupby(frame[CONTRACT_ID]).cumsum()
    already = running.groupby(frame[CONTRACT_ID]).shift(1, fill_value=0.0).to_numpy()
    caps = [round(float(total) * retention_cap, 2) for total in in_force]
    before = [round(float(value), 2) for value in already]
    due = [
        round(max(0.0, min(retention_rate * float(amount), cap - float(done))), 2)
        for amount, cap, done in zip(frame[AMOUNT], caps, already, strict=True)
    ]
    frame = frame.assign(**{RETENTION_CAP: caps, RETAINED_BEFORE: before, RETENTION_DUE: due})
    shortfall = (frame[RETENTION_DUE] - frame[RETENTION]).round(2)
    frame = frame.assign(**{SHORTFALL: shortfall, IS_SHORT: shortfall > RETENTION_ROUNDING})
    return frame[RETENTION_DUE_COLUMNS].reset_index(drop=True)


def amendment_over_threshold(amendments, initial, threshold: float):
    """True when the avenants exceed ``threshold`` of the initial amount, compared on
    amounts to the centime (``TOLERANCE``), not on a floating-point share: 10 000,04 on
    100 000,40 is exactly 10 % (the division says 0.10000000000000002)."""
    return (amendments - threshold * initial) > TOLERANCE


def contract_rules_table(
    contracts: pd.DataFrame | None,
    spending: pd.DataFrame | None,
    status_date,
    *,
    retention_cap: float,
    amendment_threshold: float,
    payment_delay_days: int,
    retention_rate: float | None = None,
    retention_subject: set[str] | None = None,
) -> pd.DataFrame:
    """One row per contract signed by the status date (amendments folded in): initial
    amount, amendments and their share of the initial amount (flagged above the threshold),
    issued and paid, the retention constituted against its cap (``retention_cap`` × total),
    whether the cap is reached or exceeded, the retention its décomptes failed to withhold
    (``retention_due``, with ``retention_rate``, for the contracts of ``retention_subject``)
    and the amount of overdue décomptes."""
    signed = signed_contracts(contracts, status_date)
    if signed.empty:
        return pd.DataFrame(columns=RULES_COLUMNS)
    totals = contract_totals(signed)
    rows = signed.assign(_root=root_contract_id(signed).astype("str"))
    rows_of = rows.groupby("_root")[SOURCE_ROW].agg(source_rows)
    issued = issued_decomptes(spending, status_date)
    issued = issued.assign(_root=decompte_roots(issued, signed))
    paid = issued[issued[IS_PAID]]
    by_root = issued.groupby("_root")
    overdue = overdue_payments(spending, status_date, payment_delay_days)
    overdue_by_root = (
        overdue.assign(_root=decompte_roots(overdue, signed)).groupby("_root")[AMOUNT].sum()
    )
    shortfall_by_root = pd.Series(dtype=float)
    if retention_rate is not None:
        due = retention_due(
            contracts,
            spending,
            status_date,
            retention_rate=retention_rate,
            retention_cap=retention_cap,
            subject=retention_subject,
        )
        short = due[due[IS_SHORT].astype(bool)]
        shortfall_by_root = short.groupby(CONTRACT_ID)[SHORTFALL].sum()
    code = totals[CONTRACT_ID].astype("str")
    frame = totals.assign(
        **{
            AMENDMENT_FLAG: amendment_over_threshold(
                totals[AMENDMENTS], totals[INITIAL], amendment_threshold
            ),
            ISSUED: code.map(by_root[SPENDING.amount].sum()).fillna(0.0).astype(float),
            PAID: code.map(paid.groupby("_root")[SPENDING.amount].sum()).fillna(0.0),
            RETENTION: code.map(by_root[SPENDING.retention].sum()).fillna(0.0).astype(float),
            RETENTION_ON_PAID: code.map(paid.groupby("_root")[SPENDING.retention].sum()).fillna(
                0.0
            ),
            RETENTION_CAP: (totals[TOTAL] * retention_cap).round(2),
            RETENTION_SHORTFALL: code.map(shortfall_by_root).fillna(0.0).astype(float),
            OVERDUE_AMOUNT: code.map(overdue_by_root).fillna(0.0).astype(float),
            SOURCE_ROWS: code.map(rows_of),
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
    return frame[RULES_COLUMNS].reset_index(drop=True)


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


def retention_release(
    spending: pd.DataFrame | None, status_date, reception_date, guarantee_months: int
) -> RetentionRelease:
    """The retention to release at the status date and when it is released: the sum of the
    ``retention`` column of the décomptes issued, of those paid, and the réception définitive
    date ``guarantee_months`` after ``reception_date``."""
    issued = issued_decomptes(spending, status_date)
    retention = issued[SPENDING.retention].fillna(0.0).astype(float)
    constituted = round(float(retention.sum()), 2)
    withheld = round(float(retention[issued[IS_PAID].astype(bool)].sum()), 2)
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
