"""Cached calls into the domain: each page, the briefing and the workbook button read the
same cached overviews, so a figure is computed once per situation and always agrees.

They are kept as resources (``st.cache_resource``): one object shared by every rerun and
every session, never copied — a pickled copy of a 100 000-row overview on every rerun would
cost more than the page. Nothing downstream changes them (pandas' copy-on-write keeps a
derived frame from writing into the cached one).

The overviews are keyed on what their tables *are*, and the frames themselves are passed
unhashed (``_`` parameters): ``st.cache_data`` would hash a frame of 50 000 rows or more
from a sample of its rows, so a one-cell correction of a large ledger could go unseen. Tables
read from the history are known by their snapshot ids (``source_key``): a stored snapshot
never changes, a corrected file is a new snapshot, so the id is exact and costs nothing to
compute. Tables that are not stored (an import being previewed) are known by a hash of every
cell (``frames_key``). With the status date, the settings file and the basis shown. The
calendars a project file brings with its schedule come with its snapshot (or its cells).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import streamlit as st

from store import resolve_db_path
from store.snapshots import REGISTER_KINDS, Situation, StoreError
from tracking.areas import AreasOverview, areas_overview
from tracking.planning import PlanningOverview, planning_overview
from tracking.situation import ProjectSituation
from tracking.spending import SpendingOverview, spending_overview
from ui.shared import (
    ProjectData,
    project_path,
    settings,
    situation_key,
    situation_tables,
    store,
)
from views.situation import situation_of
from views.week_digest import (
    WeekDigest,
    digest_from_text,
    digest_key,
    digest_text,
    week_digest,
)


def _settings_key() -> tuple[str, int]:
    path = project_path()
    return str(path), path.stat().st_mtime_ns if path.exists() else 0


def frames_key(*frames: pd.DataFrame | None) -> tuple:
    """A key over every cell of ``frames`` (``None`` for a missing table)."""
    return tuple(
        None
        if frame is None
        else (
            tuple(frame.columns),
            len(frame),
            int(pd.util.hash_pandas_object(frame, index=False).sum()),
        )
        for frame in frames
    )


#: the file kinds each overview reads (its tables come from these snapshots)
PLANNING_SOURCES = ("schedule", "finance")
SPENDING_SOURCES = ("schedule", "finance")
AREAS_SOURCES = ("floor-areas", "finance")


def source_key(data, kinds: tuple[str, ...], *frames: pd.DataFrame | None) -> tuple:
    """What the tables of ``kinds`` in ``data`` are: the id of each kind's snapshot when
    ``data`` was read from the history (``snapshots``), else every cell of ``frames``."""
    snapshots = getattr(data, "snapshots", None) or {}
    if snapshots:
        return (
            "snapshots",
            str(resolve_db_path()),  # ids are numbered per database
            tuple((kind, snapshots[kind].id) for kind in kinds if kind in snapshots),
        )
    return ("cells", frames_key(*frames))


def data_key(data) -> tuple:
    """What the data in use is, for a document built from it: its status date and every
    snapshot id (the registers' included), or every cell when it is not stored."""
    snapshots = getattr(data, "snapshots", None) or {}
    if snapshots:
        ids = tuple(sorted((kind, info.id) for kind, info in snapshots.items()))
        return (str(data.status_date), "snapshots", str(resolve_db_path()), ids)
    frames = [getattr(data, name, None) for name in _FRAME_FIELDS]
    return (str(data.status_date), "cells", frames_key(*frames))


_FRAME_FIELDS = (
    "schedule",
    "budget",
    "contracts",
    "spending",
    "floor_areas",
    "calendars",
    "decisions",
    "actions",
    "risks",
)


@st.cache_resource(show_spinner=False, max_entries=8)
def _planning(
    key: tuple, _schedule, _budget, _contracts, _calendars, status_date: dt.date
) -> PlanningOverview:
    return planning_overview(
        _schedule,
        settings(),
        status_date,
        budget_lines=_budget,
        contracts=_contracts,
        calendars=_calendars,
    )


def cached_planning(
    schedule: pd.DataFrame,
    budget: pd.DataFrame | None,
    contracts: pd.DataFrame | None,
    status_date: dt.date,
    calendars: pd.DataFrame | None = None,
    *,
    source: tuple | None = None,
) -> PlanningOverview:
    """``tracking.planning.planning_overview`` of the schedule (and the calendars of its
    project file), cached on ``source`` (``source_key``) or, without one, every cell."""
    source = source or ("cells", frames_key(schedule, budget, contracts, calendars))
    key = (source, _settings_key())
    return _planning(key, schedule, budget, contracts, calendars, status_date)


@st.cache_resource(show_spinner=False, max_entries=8)
def _areas(key: tuple, _floor_areas, _contracts, status_date: dt.date) -> AreasOverview:
    return areas_overview(_floor_areas, settings(), contracts=_contracts, status_date=status_date)


def cached_areas(
    floor_areas: pd.DataFrame,
    contracts: pd.DataFrame | None,
    status_date: dt.date,
    *,
    source: tuple | None = None,
) -> AreasOverview:
    """``tracking.areas.areas_overview`` of the room schedule, cached (see ``cached_planning``)."""
    source = source or ("cells", frames_key(floor_areas, contracts))
    key = (source, _settings_key())
    return _areas(key, floor_areas, contracts, status_date)


@st.cache_resource(show_spinner=False, max_entries=8)
def _spending(
    key: tuple, _schedule, _budget, _contracts, _spending, _calendars, status_date: dt.date, basis
) -> SpendingOverview:
    planning = None
    if _schedule is not None and not _schedule.empty:
        planning = cached_planning(
            _schedule, _budget, _contracts, status_date, _calendars, source=key[0]
        )
    return spending_overview(
        _budget,
        _contracts,
        _spending,
        settings(),
        status_date,
        schedule=_schedule,
        planning=planning,
        basis=basis,
    )


def cached_spending(
    schedule: pd.DataFrame | None,
    budget: pd.DataFrame,
    contracts: pd.DataFrame | None,
    spending: pd.DataFrame | None,
    status_date: dt.date,
    basis: str | None = None,
    calendars: pd.DataFrame | None = None,
    *,
    source: tuple | None = None,
) -> SpendingOverview:
    """``tracking.spending.spending_overview`` (cached on the data, the status date, the
    basis shown — TTC / HT — and the settings file); reuses the cached planning overview
    for the forecast finish and the penalties. The planning and the spending overviews read
    the same file kinds (``PLANNING_SOURCES``), so one ``source`` keys both."""
    source = source or ("cells", frames_key(schedule, budget, contracts, spending, calendars))
    key = (source, _settings_key())
    basis = basis or settings().amounts_basis  # the default basis is that basis: one entry
    return _spending(key, schedule, budget, contracts, spending, calendars, status_date, basis)


def cached_situation(data) -> ProjectSituation:
    """The whole project at the status date, from the cached overviews the pages use: the
    briefing and the workbook say exactly what the Planning, Dépenses and Surfaces pages
    say. Kept once per data (``data_key``) and settings file, like the overviews."""
    return _situation((data_key(data), _settings_key()), data)


@st.cache_resource(show_spinner=False, max_entries=8)
def _situation(key: tuple, _data) -> ProjectSituation:
    data = _data  # unhashed: ``key`` says what it is
    planning = spending = areas = None
    calendars = data.calendars
    if data.schedule is not None:
        planning = planning_of(data)
    if data.budget is not None:
        spending = spending_of(data)
    if data.floor_areas is not None:
        areas = areas_of(data)
    frames = {
        "schedule": data.schedule,
        "budget": data.budget,
        "contracts": data.contracts,
        "spending": data.spending,
        "floor-areas": data.floor_areas,
        "calendars": calendars,
        "decisions": getattr(data, "decisions", None),
        "actions": getattr(data, "actions", None),
        "risks": getattr(data, "risks", None),
    }
    return situation_of(
        settings(),
        data.status_date,
        frames,
        planning=planning,
        spending_view=spending,
        areas=areas,
    )


def cached_situation_of(frames, status_date: dt.date, snapshots=None) -> ProjectSituation:
    """The situation of a set of tables (table kind -> frame) at a status date, through the
    same cached path: the weekly review's past weeks (with their ``snapshots``, file kind ->
    ``SnapshotInfo``, which key the caches) and the import preview's "after" (keyed on its
    cells)."""
    return cached_situation(
        SimpleNamespace(
            snapshots=snapshots or {},
            schedule=frames.get("schedule"),
            budget=frames.get("budget"),
            contracts=frames.get("contracts"),
            spending=frames.get("spending"),
            floor_areas=frames.get("floor-areas"),
            calendars=frames.get("calendars"),
            decisions=frames.get("decisions"),
            actions=frames.get("actions"),
            risks=frames.get("risks"),
            status_date=status_date,
        )
    )


def planning_of(data: ProjectData) -> PlanningOverview:
    """The cached planning overview of the data in use (its schedule, budget, contracts and the
    calendars of a project file): the one call the pages make."""
    frames = (data.schedule, data.budget, data.contracts, data.calendars)
    return cached_planning(
        *frames[:3],
        data.status_date,
        data.calendars,
        source=source_key(data, PLANNING_SOURCES, *frames),
    )


def areas_of(data: ProjectData) -> AreasOverview:
    """The cached areas overview of the data in use."""
    return cached_areas(
        data.floor_areas,
        data.contracts,
        data.status_date,
        source=source_key(data, AREAS_SOURCES, data.floor_areas, data.contracts),
    )


def spending_of(data: ProjectData, basis: str | None = None) -> SpendingOverview:
    """The cached spending overview of the data in use, on ``basis`` (TTC / HT)."""
    frames = (data.schedule, data.budget, data.contracts, data.spending, data.calendars)
    return cached_spending(
        *frames[:4],
        data.status_date,
        basis,
        calendars=data.calendars,
        source=source_key(data, SPENDING_SOURCES, *frames),
    )


# --- the weekly review's past weeks -------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _settings_bytes(path: str, modified: int) -> bytes:
    """The settings file's bytes, read once per version of the file (``_settings_key``)."""
    return Path(path).read_bytes() if modified else b""


def _digest_key(situation: Situation) -> str:
    ids = [(kind, i) for kind, i in situation.snapshots.items() if kind not in REGISTER_KINDS]
    return digest_key(situation.status_date, ids, _settings_bytes(*_settings_key()))


@st.cache_resource(show_spinner=False, max_entries=512)
def _week_digest(db: str, key: str, _situation: Situation) -> WeekDigest:
    history = store()
    try:
        kept = history.meta(key)
    except StoreError:
        kept = None
    if kept:
        try:
            return digest_from_text(kept)
        except ValueError:
            pass  # written by another version: computed again below, and kept anew
    digest = week_digest(week_situation(_situation))
    # a read-only history (a viewer's role, a full disk): computed again by the next process
    with contextlib.suppress(StoreError):
        history.set_meta(key, digest_text(digest))
    return digest


def week_situation(situation: Situation) -> ProjectSituation:
    """The whole situation of a week of the history (its tables read back once)."""
    tables = situation_tables(situation)
    return cached_situation_of(tables.frames, situation.status_date, tables.snapshots)


def week_digest_of(situation: Situation) -> WeekDigest:
    """The key figures and milestone forecasts of a weekly situation: kept in the history
    once computed (``views.week_digest``), so a year of weeks costs a year of small reads."""
    return _week_digest(str(resolve_db_path()), _digest_key(situation), situation)


# --- what a page shows, kept like the overviews -------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=8)
def _spending_content(key: tuple, _data, basis, language: str, completed: bool):
    from views.spending import spending_view

    return spending_view(spending_of(_data, basis), settings(), language, completed=completed)


def spending_content(data, basis: str | None, language: str, *, completed: bool):
    """``views.spending.spending_view`` of the data in use, kept per data, basis, language
    and settings: its thousands of alert sentences and its tables are written once, not on
    every rerun of the Dépenses page."""
    key = (data_key(data), basis, language, completed, _settings_key())
    return _spending_content(key, data, basis, language, completed)


@st.cache_resource(show_spinner=False, max_entries=8)
def _review_changes(key: tuple, _before: Situation, _after: Situation, language: str):
    from views.review import change_tables

    return change_tables(week_situation(_before), week_situation(_after), language)


def review_changes(before: Situation, after: Situation, language: str) -> dict:
    """``views.review.change_tables`` of two weeks of the history, kept per pair of weeks
    (their snapshot ids), language and settings: a rerun of the review does not compare
    100 000 décomptes again."""
    key = (str(resolve_db_path()), situation_key(before), situation_key(after), language)
    return _review_changes((*key, _settings_key()), before, after, language)


@st.cache_resource(show_spinner=False, max_entries=8)
def _surfaces_content(key: tuple, _data, language: str):
    from charts.areas import areas_treemap_figure
    from views.surfaces import surfaces_view

    overview = areas_of(_data)
    view = surfaces_view(overview, language, _data.status_date, _data.sources.get("floor-areas"))
    return view, areas_treemap_figure(overview.spaces, language)


def surfaces_content(data, language: str):
    """``views.surfaces.surfaces_view`` and the treemap of the data in use, kept per data,
    language and settings (a room schedule of 5 000 spaces is 0,5 s of tables and 0,9 s of
    treemap a rerun otherwise)."""
    key = (data_key(data), tuple(sorted(data.sources.items())), language, _settings_key())
    return _surfaces_content(key, data, language)
