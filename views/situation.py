"""The one path from the tables of a situation to every overview: the pages (through
``ui.domain``'s caches), the weekly review, the workbook and the command lines all call
``situation_of``, so they compute the same ``ProjectSituation`` from the same tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from loaders.project import ProjectSettings
from tracking.governance import Registers
from tracking.situation import ProjectSituation, compute_situation


def situation_of(
    settings: ProjectSettings,
    status_date: dt.date,
    frames: Mapping[str, pd.DataFrame | None],
    **overviews,
) -> ProjectSituation:
    """The situation of ``frames`` (table kind -> frame: schedule, budget, contracts,
    spending, floor-areas, and calendars when the schedule came from a project file) at
    ``status_date``; overviews already computed (cached by the app) are passed through
    ``overviews`` (planning, spending_view, areas). The registers (decisions, actions, risks)
    are among the frames when a version is in force; ``previous`` are the frames of the
    earlier situation (for the risks' trend)."""
    previous = overviews.pop("previous", None)
    return compute_situation(
        settings,
        status_date,
        schedule=frames.get("schedule"),
        budget=frames.get("budget"),
        contracts=frames.get("contracts"),
        spending=frames.get("spending"),
        floor_areas=frames.get("floor-areas"),
        calendars=frames.get("calendars"),
        registers=Registers.of(frames),
        previous_registers=Registers.of(previous) if previous is not None else None,
        **overviews,
    )
