"""The data in use, rebuilt from the snapshot history, and what a new file would change in it.

``current_tables(store)`` gives the tables of the latest weekly situation (by status date);
``current_tables(store, at=date)`` those of the situation current at that date (a past week,
for the weekly review). The app, the Excel export and the command line all read the data
through it, so they always agree. ``open_seeded_store(settings)`` is the store they read: the
one named by ``$TRACKER_DB`` (or the path given), filled with the sample on first use (a seed
killed midway is completed). Withdrawn snapshots take no part in the data in use: the
situations, hence ``current_tables``, fall back to the previous snapshot of their kind.
The store knows rows and snapshots, not figures: what an import would change (rows and key
figures) is ``views.data``'s, computed through ``tracking/``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from loaders import LoadResult, ProjectSettings
from store.seed import seed_if_pending
from store.snapshots import (
    EXTRA_TABLES_OF_FILE,
    FILE_KINDS,
    PROGRAMME_KINDS,
    REGISTER_KINDS,
    TABLES_OF_FILE,
    Situation,
    SnapshotInfo,
    SnapshotStore,
    as_status_date,
    open_store_at,
    resolve_db_path,
)

__all__ = [
    "TABLE_KINDS",
    "CurrentTables",
    "current_tables",
    "open_seeded_store",
    "situation_at",
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
    #: table kind -> canonical frame (tables with no snapshot are absent; "calendars" only
    #: when the schedule came from a planning-software file)
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
    store = open_store_at(path if path is not None else resolve_db_path())
    seed_if_pending(store, settings)
    return store


def weekly_situations(store: SnapshotStore) -> list[Situation]:
    """``store.situations()``, each dated by its progress files (schedule, finance workbook),
    oldest first. A programme file (the room schedule, ``PROGRAMME_KINDS``) says nothing
    about progress: imported on another date, it does not make a week of its own, it joins
    the week of the progress files current then (the latest such situation wins); nor does a
    version of the registers (``REGISTER_KINDS``)."""
    dates = {info.id: info.status_date for info in store.list()}
    weeks: dict[dt.date, Situation] = {}
    for situation in store.situations():
        progress = [
            dates[snapshot_id]
            for kind, snapshot_id in situation.snapshots.items()
            if kind not in PROGRAMME_KINDS + REGISTER_KINDS and snapshot_id in dates
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
        results.update(
            {t: snapshot.results[t] for t in TABLES_OF_FILE[kind] if t in snapshot.results}
        )
        frames.update(frames_of_file(kind, snapshot.results))
    return CurrentTables(situation.status_date, frames, results, snapshots)


def frames_of_file(kind: str, results: Mapping[str, LoadResult]) -> dict[str, pd.DataFrame]:
    """The tables a file of ``kind`` puts in use (table kind -> frame): its own tables and the
    extra tables they carry (a planning-software schedule's ``calendars``). A file without an
    extra table puts none in use: a spreadsheet schedule after a project file has no calendars."""
    frames: dict[str, pd.DataFrame] = {}
    for table in TABLES_OF_FILE[kind]:
        if table in results:
            frames[table] = results[table].frame
            for extra in EXTRA_TABLES_OF_FILE.get(kind, ()):
                if extra in results[table].tables:
                    frames[extra] = results[table].tables[extra]
    return frames


def current_tables(store: SnapshotStore, at: dt.date | None = None) -> CurrentTables:
    """The tables in use: those of the latest situation by status date, or with ``at`` those
    of the situation current at that date. Nothing stored (or nothing that early): no
    tables, and the status date is ``at`` (or today)."""
    situation = situation_at(store, at)
    if situation is None:
        return CurrentTables(as_status_date(at) if at is not None else dt.date.today())
    return tables_of(store, situation)
