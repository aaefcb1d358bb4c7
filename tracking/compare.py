"""Week-over-week comparison of two situations: what changed in the schedule, the décomptes
and the contracts, and how the key milestones' forecasts drift from week to week."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loaders.schema import CONTRACTS, SCHEDULE, SPENDING
from tracking.forecast import FORECAST_FINISH
from tracking.outline import work_rows

#: values of the ``change`` column
ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class ComparedColumns:
    """The columns this module adds to the tables it compares (besides the compared fields'
    ``<field>_before`` / ``<field>_after``)."""

    change: str = "change"
    finish_shift_days: str = "finish_shift_days"
    percent_delta: str = "percent_delta"
    newly_paid: str = "newly_paid"
    amount_delta: str = "amount_delta"
    #: the situation a row of ``milestone_trend`` belongs to
    status_date: str = "status_date"
    forecast_finish: str = FORECAST_FINISH

    @staticmethod
    def before(name: str) -> str:
        return f"{name}_before"

    @staticmethod
    def after(name: str) -> str:
        return f"{name}_after"


COMPARED = ComparedColumns()

_TASK_FIELDS = (
    SCHEDULE.start,
    SCHEDULE.finish,
    SCHEDULE.actual_start,
    SCHEDULE.actual_finish,
    SCHEDULE.percent_complete,
    SCHEDULE.baseline_finish,
)


def _same(left: pd.Series, right: pd.Series) -> pd.Series:
    """Element-wise equality where two blanks are equal."""
    both_blank = left.isna() & right.isna()
    return (both_blank | (left == right).fillna(False)).astype(bool)


def _compare(
    before: pd.DataFrame,
    after: pd.DataFrame,
    key: pd.Series,
    key_before: pd.Series,
    carried: list[str],
    fields: list[str],
) -> pd.DataFrame:
    """Outer join of two versions of a table on ``key``: one row per key added, removed or
    with a changed field, with ``<field>_before`` / ``<field>_after`` columns."""
    left = before.assign(_key=key_before.to_numpy()).drop_duplicates("_key")
    right = after.assign(_key=key.to_numpy()).drop_duplicates("_key")
    merged = right[["_key", *carried, *fields]].merge(
        left[["_key", *carried, *fields]],
        on="_key",
        how="outer",
        suffixes=("_after", "_before"),
        indicator=True,
        sort=False,
    )
    change = merged["_merge"].map({"left_only": ADDED, "right_only": REMOVED, "both": CHANGED})
    unchanged = pd.Series(True, index=merged.index)
    for field in fields:
        unchanged &= _same(merged[COMPARED.before(field)], merged[COMPARED.after(field)])
    keep = (change != CHANGED) | ~unchanged
    frame = merged.assign(**{COMPARED.change: change.astype(str)})[keep]
    for name in carried:  # the newer value, the older one for removed rows
        later, earlier = frame[COMPARED.after(name)], frame[COMPARED.before(name)]
        frame[name] = later.where(later.notna(), earlier)
    sides = [side(f) for f in fields for side in (COMPARED.before, COMPARED.after)]
    columns = [*carried, COMPARED.change, *sides]
    return frame[columns].reset_index(drop=True)


def compare_schedules(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Tasks added, removed, or whose dates or % complete changed, keyed by task id.

    Columns: task_id, name, lot, change, ``<field>_before`` / ``<field>_after`` for the
    dates and % complete, ``finish_shift_days`` (calendar days the current finish moved,
    positive = later) and ``percent_delta`` (points); changed tasks first, the largest
    slips first. Summary rows (a lot, a phase) are left out on both sides: their dates are
    their children's, whose slips are listed; tasks are still matched by id."""
    fields = list(_TASK_FIELDS)
    before, after = work_rows(before), work_rows(after)
    frame = _compare(
        before,
        after,
        after[SCHEDULE.task_id],
        before[SCHEDULE.task_id],
        [SCHEDULE.task_id, SCHEDULE.name, SCHEDULE.lot],
        fields,
    )
    finish, percent = SCHEDULE.finish, SCHEDULE.percent_complete
    frame[COMPARED.finish_shift_days] = (
        (frame[COMPARED.after(finish)] - frame[COMPARED.before(finish)]).dt.days
    ).astype("Int64")
    frame[COMPARED.percent_delta] = frame[COMPARED.after(percent)] - frame[COMPARED.before(percent)]
    order = frame[COMPARED.change].map({CHANGED: 0, ADDED: 1, REMOVED: 2})
    return (
        frame.assign(_order=order, _shift=frame[COMPARED.finish_shift_days].fillna(0).abs())
        .sort_values(["_order", "_shift"], ascending=[True, False], kind="stable")
        .drop(columns=["_order", "_shift"])
        .reset_index(drop=True)
    )


_LEDGER_KEY = [SPENDING.reference, SPENDING.contract_id, SPENDING.budget_line]


def _ledger_key(frame: pd.DataFrame) -> pd.Series:
    parts = [frame[c].fillna("").astype(str) for c in _LEDGER_KEY]
    return parts[0].str.cat(parts[1:], sep=" | ")


def compare_ledgers(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Décompte rows added, removed, or whose amount, retention or payment date changed,
    keyed by (reference, contract, budget line). ``newly_paid`` marks a row that got its
    payment date since the earlier situation; ``amount_delta`` is the change of amount."""
    fields = [SPENDING.date, SPENDING.amount, SPENDING.retention, SPENDING.paid_date]
    frame = _compare(
        before,
        after,
        _ledger_key(after),
        _ledger_key(before),
        [*_LEDGER_KEY, SPENDING.payee],
        fields,
    )
    paid, amount = SPENDING.paid_date, SPENDING.amount
    frame[COMPARED.newly_paid] = (
        frame[COMPARED.after(paid)].notna() & frame[COMPARED.before(paid)].isna()
    )
    frame[COMPARED.amount_delta] = frame[COMPARED.after(amount)].fillna(0) - frame[
        COMPARED.before(amount)
    ].fillna(0)
    return frame


def new_contracts(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Contract rows (amendments included) present now and not before, by contract id and
    budget line."""

    def keys(frame: pd.DataFrame) -> pd.Series:
        return (
            frame[CONTRACTS.contract_id].astype(str)
            + " | "
            + frame[CONTRACTS.budget_line].fillna("").astype(str)
        )

    known = set(keys(before))
    return after[~keys(after).isin(known)].reset_index(drop=True)


#: the columns of ``milestone_trend``
TREND_COLUMNS = [
    COMPARED.status_date,
    SCHEDULE.task_id,
    SCHEDULE.name,
    SCHEDULE.baseline_finish,
    COMPARED.forecast_finish,
]


def milestone_trend(situations: list[tuple[object, pd.DataFrame, pd.DataFrame]]) -> pd.DataFrame:
    """The forecast date of each milestone at each situation: one row per (status date,
    milestone). ``situations`` lists (status_date, schedule, task_forecast frame) tuples; a
    flat line is a stable milestone, a rising one is slipping."""
    rows = []
    for status_date, schedule, tasks in situations:
        tasks_only = work_rows(schedule)  # a summary is no milestone, even at zero duration
        milestones = tasks_only[tasks_only[SCHEDULE.milestone].fillna(False).astype(bool)]
        for index, milestone in milestones.iterrows():
            rows.append(
                {
                    COMPARED.status_date: pd.Timestamp(status_date),
                    SCHEDULE.task_id: milestone[SCHEDULE.task_id],
                    SCHEDULE.name: milestone[SCHEDULE.name],
                    SCHEDULE.baseline_finish: milestone[SCHEDULE.baseline_finish],
                    COMPARED.forecast_finish: tasks.loc[index, FORECAST_FINISH],
                }
            )
    frame = pd.DataFrame(rows, columns=TREND_COLUMNS)
    for column in (COMPARED.status_date, SCHEDULE.baseline_finish, COMPARED.forecast_finish):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[us]")
    return frame.sort_values([COMPARED.status_date, SCHEDULE.task_id]).reset_index(drop=True)
