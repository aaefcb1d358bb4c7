"""Cached calls into the domain (``tracking/``): each page, the briefing and the export read
the same cached result, so a figure is computed once per data set and always agrees.

``st.cache_data`` hashes the frames it is given (their contents), so a new import recomputes
and re-running a page does not.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from pages.shared import project_path, settings
from tracking.planning import PlanningOverview, planning_overview


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
