"""The data in use, rebuilt from the snapshot history, and what a new file would change in it.

``current_tables(store)`` gives the tables of the latest weekly situation (by status date);
``current_tables(store, at=date)`` those of the situation current at that date (a past week,
for the weekly review). The app, the Excel export and the command line all read the data
through it, so they always agree. ``open_seeded_store(settings)`` is the store they read: the
one named by ``$TRACKER_DB`` (or the path given), filled with the sample on first use (a seed
killed midway is completed). Withdrawn snapshots take no part in the data in use: the
situations, hence ``current_tables``, fall back to the previous snapshot of their kind.

``preview_import`` is the Data page's "what will this file change" step: rows added, changed
and removed per table, and the headline totals before and after, computed before anything is
stored.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders import LoadResult, ProjectSettings
from loaders.schema import BUDGET_LINES, CONTRACTS, FLOOR_AREAS, SCHEDULE, SPENDING
from loaders.tables import SOURCE_ROW
from store.seed import seed_if_pending
from store.snapshots import (
    FILE_KINDS,
    PROGRAMME_KINDS,
    TABLES_OF_FILE,
    Situation,
    SnapshotInfo,
    SnapshotStore,
    SQLiteSnapshotStore,
    as_status_date,
    resolve_db_path,
)
from tracking.budget import ENGAGED, ISSUED, PAID, budget_chain
from tracking.calendar import WorkCalendar
from tracking.compare import ADDED, CHANGED, REMOVED, compare_ledgers, compare_schedules
from tracking.progress import actual_progress, task_weights

__all__ = [
    "TABLE_KINDS",
    "TOTAL_KEYS",
    "CurrentTables",
    "ImportPreview",
    "TableChange",
    "current_tables",
    "open_seeded_store",
    "preview_import",
    "situation_at",
    "situation_totals",
    "table_changes",
    "tables_of",
    "weekly_situations",
]

#: every table kind, in the order of the files that hold them
TABLE_KINDS = tuple(table for kind in FILE_KINDS for table in TABLES_OF_FILE[kind])


@dataclass(frozen=True)
class CurrentTables:
    """The tables of one situation: each file kind's snapshot current at ``status_date``."""

    #: the situation's status date (today when the store is empty)
    status_date: dt.date
    #: table kind -> canonical frame (tables with no snapshot are absent)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: table kind -> LoadResult as the loaders returned it (warnings, sheet, header row…)
    results: dict[str, LoadResult] = field(default_factory=dict)
    #: file kind -> the snapshot the tables of that file come from
    snapshots: dict[str, SnapshotInfo] = field(default_factory=dict)

    def frame(self, table: str) -> pd.DataFrame | None:
        return self.frames.get(table)

    @property
    def empty(self) -> bool:
        return not self.snapshots

    @property
    def key(self) -> tuple:
        """What identifies this data: the status date and the snapshot id of each file kind
        (a cache key: a new import gives a new key)."""
        return (self.status_date, tuple((k, info.id) for k, info in self.snapshots.items()))


def open_seeded_store(
    settings: ProjectSettings, path: str | os.PathLike | None = None
) -> SnapshotStore:
    """The store at ``path`` when given (exactly that file: a command line's ``--db``), else
    at ``$TRACKER_DB``, else ``var/tracker.sqlite``; seeded with the sample history
    (``store.seed``) when it holds nothing yet or a first seed was interrupted.
    ``CorruptStoreError`` / ``StoreAccessError`` (``StoreError``s, with ``message(lang)``)
    when the file cannot serve as the history: a page shows that message and stops."""
    store = SQLiteSnapshotStore(Path(path) if path is not None else resolve_db_path())
    seed_if_pending(store, settings)
    return store


def weekly_situations(store: SnapshotStore) -> list[Situation]:
    """``store.situations()``, each dated by its progress files (schedule, finance workbook),
    oldest first. A programme file (the room schedule, ``PROGRAMME_KINDS``) says nothing
    about progress: imported on another date, it does not make a week of its own, it joins
    the week of the progress files current then (the latest such situation wins)."""
    dates = {info.id: info.status_date for info in store.list()}
    weeks: dict[dt.date, Situation] = {}
    for situation in store.situations():
        progress = [
            dates[snapshot_id]
            for kind, snapshot_id in situation.snapshots.items()
            if kind not in PROGRAMME_KINDS and snapshot_id in dates
        ]
        day = max(progress) if progress else situation.status_date
        weeks[day] = Situation(day, situation.snapshots)
    return [weeks[day] for day in sorted(weeks)]


def situation_at(
    store: SnapshotStore, at: dt.date | None = None, situations: list[Situation] | None = None
) -> Situation | None:
    """The situation current at ``at`` among the weekly situations: the one with the latest
    status date not after it; ``None`` (the default) gives the latest. ``None`` when the
    store is empty or ``at`` is before its first situation."""
    known = weekly_situations(store) if situations is None else situations
    if at is not None:
        day = as_status_date(at)
        known = [s for s in known if s.status_date <= day]
    return known[-1] if known else None


def tables_of(store: SnapshotStore, situation: Situation) -> CurrentTables:
    """The tables of every snapshot of ``situation``, read back from the store."""
    frames: dict[str, pd.DataFrame] = {}
    results: dict[str, LoadResult] = {}
    snapshots: dict[str, SnapshotInfo] = {}
    for kind in FILE_KINDS:
        snapshot_id = situation.snapshots.get(kind)
        if snapshot_id is None:
            continue
        snapshot = store.get(snapshot_id)
        snapshots[kind] = snapshot.info
        for table in TABLES_OF_FILE[kind]:
            if table in snapshot.results:
                results[table] = snapshot.results[table]
                frames[table] = snapshot.results[table].frame
    return CurrentTables(situation.status_date, frames, results, snapshots)


def current_tables(store: SnapshotStore, at: dt.date | None = None) -> CurrentTables:
    """The tables in use: those of the latest situation by status date, or with ``at`` those
    of the situation current at that date. Nothing stored (or nothing that early): no
    tables, and the status date is ``at`` (or today)."""
    situation = situation_at(store, at)
    if situation is None:
        return CurrentTables(as_status_date(at) if at is not None else dt.date.today())
    return tables_of(store, situation)


# --- what an import would change ----------------------------------------------------------------

#: the headline totals of ``situation_totals``, in the order they are shown
TOTAL_KEYS = ("tasks", "progress", "engaged", "issued", "paid", "area_m2")

#: the columns a row is known by (those of ``tracking.compare`` for the schedule and ledger)
_ROW_KEYS = {
    "schedule": (SCHEDULE.task_id,),
    "spending": (SPENDING.reference, SPENDING.contract_id, SPENDING.budget_line),
    "budget": (BUDGET_LINES.line_id,),
    "contracts": (CONTRACTS.contract_id, CONTRACTS.budget_line),
    "floor-areas": (FLOOR_AREAS.space_id,),
}


@dataclass(frozen=True)
class TableChange:
    """Rows of one table added, changed (same key, another value) and removed, by key."""

    table: str
    rows_before: int
    rows_after: int
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.changed or self.removed)


def _keys(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    parts = [frame[c].astype("str").fillna("").str.strip() for c in columns]
    return parts[0].str.cat(parts[1:], sep=" | ") if len(parts) > 1 else parts[0]


def _same(left: pd.Series, right: pd.Series) -> pd.Series:
    """Element-wise equality where two blanks are equal."""
    both_blank = left.isna().to_numpy() & right.isna().to_numpy()
    equal = (left.to_numpy(dtype=object) == right.to_numpy(dtype=object)).astype(bool)
    return pd.Series(both_blank | equal, index=left.index)


def _row_diff(
    before: pd.DataFrame, after: pd.DataFrame, columns: tuple[str, ...]
) -> tuple[list[str], list[str], list[str]]:
    left = before.assign(_key=_keys(before, columns)).drop_duplicates("_key").set_index("_key")
    right = after.assign(_key=_keys(after, columns)).drop_duplicates("_key").set_index("_key")
    added = [k for k in right.index if k not in left.index]
    removed = [k for k in left.index if k not in right.index]
    common = [k for k in right.index if k in left.index]
    compared = [c for c in right.columns if c in left.columns and c != SOURCE_ROW]
    differs = pd.Series(False, index=pd.Index(common, dtype=object))
    for column in compared:
        differs |= ~_same(left.loc[common, column], right.loc[common, column]).to_numpy()
    return added, [k for k in common if differs[k]], removed


def table_changes(table: str, before: pd.DataFrame | None, after: pd.DataFrame) -> TableChange:
    """What ``after`` changes in ``before`` (``None``: no data yet, every row is added).
    The schedule and the décomptes are compared as the weekly review compares them
    (``tracking.compare``); the other tables by their key (budget line, contract and line,
    space), a row being changed when any of its values differs."""
    if before is None:
        return TableChange(table, 0, len(after), added=tuple(_keys(after, _ROW_KEYS[table])))
    if table in ("schedule", "spending"):
        compare = compare_schedules if table == "schedule" else compare_ledgers
        frame = compare(before, after)
        keys = _keys(frame, _ROW_KEYS[table])
        by_change = {
            change: tuple(keys[frame["change"] == change]) for change in (ADDED, CHANGED, REMOVED)
        }
        return TableChange(
            table,
            len(before),
            len(after),
            by_change[ADDED],
            by_change[CHANGED],
            by_change[REMOVED],
        )
    added, changed, removed = _row_diff(before, after, _ROW_KEYS[table])
    return TableChange(table, len(before), len(after), tuple(added), tuple(changed), tuple(removed))


def situation_totals(
    frames: Mapping[str, pd.DataFrame],
    status_date: dt.date,
    calendar: WorkCalendar | None = None,
) -> dict[str, float | None]:
    """The headline figures of a set of tables (``None`` where a table is missing): tasks
    and milestones, weighted actual progress (0–100, as the Planning page; needs the
    project's ``calendar``), engagé / émis / payé at ``status_date`` (as the Dépenses page)
    and the total floor area in m²."""
    totals: dict[str, float | None] = dict.fromkeys(TOTAL_KEYS)
    schedule = frames.get("schedule")
    if schedule is not None:
        totals["tasks"] = len(schedule)
        if calendar is not None and len(schedule):
            weights = task_weights(schedule, calendar, frames.get("budget"))
            totals["progress"] = actual_progress(schedule, weights)
    budget = frames.get("budget")
    if budget is not None:
        chain = budget_chain(budget, frames.get("contracts"), frames.get("spending"), status_date)
        totals["engaged"] = float(chain[ENGAGED].sum())
        totals["issued"] = float(chain[ISSUED].sum())
        totals["paid"] = float(chain[PAID].sum())
    areas = frames.get("floor-areas")
    if areas is not None:
        totals["area_m2"] = float(areas[FLOOR_AREAS.area_m2].fillna(0).sum())
    return totals


@dataclass(frozen=True)
class ImportPreview:
    """What storing a file would change: per table, the rows added, changed and removed
    against the data in use, and the headline totals before and after."""

    kind: str
    #: the status date the file declares (else derived from its data)
    status_date: dt.date
    #: the status date of the data in use (``None``: nothing stored yet)
    current_status_date: dt.date | None
    changes: tuple[TableChange, ...]
    totals_before: dict[str, float | None]
    totals_after: dict[str, float | None]

    @property
    def becomes_current(self) -> bool:
        """False when the file stands at an earlier date than the data in use: it is kept in
        the history (that past week's situation) but the current figures do not change."""
        return self.current_status_date is None or self.status_date >= self.current_status_date

    @property
    def unchanged(self) -> bool:
        return all(change.unchanged for change in self.changes)


def preview_import(
    current: CurrentTables,
    kind: str,
    frames: Mapping[str, pd.DataFrame],
    status_date: dt.date,
    calendar: WorkCalendar | None = None,
) -> ImportPreview:
    """Compare the tables of a checked file of ``kind`` (``frames``, table kind -> frame)
    with the data in use. The totals after are those of the data in use with this file's
    tables in place, at the file's status date."""
    if kind not in TABLES_OF_FILE:
        raise ValueError(f"unknown file kind {kind!r}")
    changes = tuple(
        table_changes(table, current.frame(table), frames[table])
        for table in TABLES_OF_FILE[kind]
        if table in frames
    )
    after = {**current.frames, **{t: frames[t] for t in TABLES_OF_FILE[kind] if t in frames}}
    # a programme file does not move the date the progress is measured at
    after_date = (
        current.status_date if kind in PROGRAMME_KINDS and not current.empty else status_date
    )
    return ImportPreview(
        kind=kind,
        status_date=status_date,
        current_status_date=None if current.empty else current.status_date,
        changes=changes,
        totals_before=situation_totals(current.frames, current.status_date, calendar),
        totals_after=situation_totals(after, after_date, calendar),
    )
