"""Cached calls into the domain (``tracking/``): each page, the briefing and the export read
the same cached result, so a figure is computed once per data set and always agrees.

``st.cache_data`` hashes the frames it is given (their contents), so a new import recomputes
and re-running a page does not.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from tracking.planning import PlanningOverview, planning_overview
from ui.shared import project_path, settings


def _settings_key() -> tuple[str, int]:
    path = project_path()
    return str(path), path.stat().st_mtime_ns if path.exists() else 0


@st.cache_data(show_spinner=False, max_entries=16)
def _planning(
    schedule: pd.DataFrame,
    budget: pd.DataFrame | None,
    contracts: pd.DataFrame | None,
    status_date: dt.date,
    settings_key: tuple[str, int],
) -> PlanningOverview:
    return planning_overview(
        schedule, settings(), status_date, budget_lines=budget, contracts=contracts
    )


def cached_planning(
    schedule: pd.DataFrame,
    budget: pd.DataFrame | None,
    contracts: pd.DataFrame | None,
    status_date: dt.date,
) -> PlanningOverview:
    return _planning(schedule, budget, contracts, status_date, _settings_key())


@st.cache_data(show_spinner=False, max_entries=16)
def _areas(
    floor_areas: pd.DataFrame,
    contracts: pd.DataFrame | None,
    status_date: dt.date,
    settings_key: tuple[str, int],
):
    from tracking.areas import areas_overview  # appended wrapper: imports kept local

    return areas_overview(floor_areas, settings(), contracts=contracts, status_date=status_date)


def cached_areas(floor_areas: pd.DataFrame, contracts: pd.DataFrame | None, status_date: dt.date):
    """``tracking.areas.areas_overview`` of the room schedule, cached (an ``AreasOverview``)."""
    return _areas(floor_areas, contracts, status_date, _settings_key())


@st.cache_data(show_spinner=False, max_entries=16)
def _spending(
    schedule: pd.DataFrame | None,
    budget: pd.DataFrame,
    contracts: pd.DataFrame | None,
    spending: pd.DataFrame | None,
    status_date: dt.date,
    basis: str | None,
    settings_key: tuple[str, int],
):
    # imported here: this wrapper was appended after the module's imports
    from tracking.spending import spending_overview

    planning = None
    if schedule is not None and not schedule.empty:
        planning = _planning(schedule, budget, contracts, status_date, settings_key)
    return spending_overview(
        budget,
        contracts,
        spending,
        settings(),
        status_date,
        schedule=schedule,
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
):
    """``tracking.spending.spending_overview`` (a ``SpendingOverview``), cached on the data,
    the status date, the basis shown (TTC / HT) and the settings file; reuses the cached
    planning overview for the forecast finish and the penalties."""
    return _spending(schedule, budget, contracts, spending, status_date, basis, _settings_key())


def cached_situation(data):
    """The whole project at the status date (``tracking.situation.ProjectSituation``), from
    the cached overviews the pages already use: the briefing and the workbook say exactly
    what the Planning, Dépenses and Surfaces pages say."""
    from tracking.situation import compute_situation

    planning = spending = areas = None
    if data.schedule is not None:
        planning = cached_planning(data.schedule, data.budget, data.contracts, data.status_date)
    if data.budget is not None:
        spending = cached_spending(
            data.schedule, data.budget, data.contracts, data.spending, data.status_date
        )
    if data.floor_areas is not None:
        areas = cached_areas(data.floor_areas, data.contracts, data.status_date)
    return compute_situation(
        settings(),
        data.status_date,
        schedule=data.schedule,
        budget=data.budget,
        contracts=data.contracts,
        spending=data.spending,
        floor_areas=data.floor_areas,
        planning=planning,
        spending_view=spending,
        areas=areas,
    )
