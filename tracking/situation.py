"""The whole project at one status date: the planning, spending and areas overviews and the
RAG ratings, computed once. The briefing page, the Excel workbook and its command line all
read this one object, so they can never disagree with each other or with the pages (which
call the same ``*_overview`` functions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from loaders.project import ProjectSettings
from tracking.areas import AreasOverview, areas_overview
from tracking.governance import GovernanceOverview, Registers, governance_overview
from tracking.planning import PlanningOverview, planning_overview
from tracking.rag import Rating, cost_rating, overall_rating, scope_rating, time_rating
from tracking.spending import SpendingOverview, spending_overview
from tracking.unavailable import NO_CONTRACT


@dataclass(frozen=True)
class ProjectSituation:
    settings: ProjectSettings
    status_date: dt.date
    schedule: pd.DataFrame | None
    budget: pd.DataFrame | None
    contracts: pd.DataFrame | None
    spending_ledger: pd.DataFrame | None
    floor_areas: pd.DataFrame | None
    planning: PlanningOverview | None
    spending: SpendingOverview | None
    areas: AreasOverview | None
    ratings: list[Rating] = field(default_factory=list)
    #: the steering registers at the status date (``None`` when none was ever recorded)
    governance: GovernanceOverview | None = None

    def rating(self, dimension: str) -> Rating | None:
        return next((r for r in self.ratings if r.dimension == dimension), None)

    def reason(self, figure: str) -> str | None:
        """Why a headline figure is not available (``tracking.unavailable``), ``None`` when it
        is: ``financial_progress`` (no contract yet), ``forecast_finish`` (no progress report
        yet), ``forecast_cost`` (no works décompte yet)."""
        if figure == "financial_progress" and self.spending is not None:
            return NO_CONTRACT if not self.spending.totals.engaged else None
        if figure == "forecast_finish" and self.planning is not None:
            return self.planning.forecast.reason
        if figure == "forecast_cost" and self.spending is not None:
            return self.spending.reason("forecast_at_completion")
        return None

    @property
    def financial_progress(self) -> float | None:
        """Avancement financier: émis / engagé (AREP's definition), the spending chain's issue
        rate; None before any contract is signed."""
        if self.spending is None or not self.spending.totals.engaged:
            return None
        return self.spending.totals.issue_rate

    @property
    def engaged_share(self) -> float | None:
        if self.spending is None or not self.settings.envelope:
            return None
        return self.spending.totals.engaged / self.settings.envelope


def compute_situation(
    settings: ProjectSettings,
    status_date: dt.date,
    *,
    schedule: pd.DataFrame | None = None,
    budget: pd.DataFrame | None = None,
    contracts: pd.DataFrame | None = None,
    spending: pd.DataFrame | None = None,
    floor_areas: pd.DataFrame | None = None,
    calendars: pd.DataFrame | None = None,
    planning: PlanningOverview | None = None,
    spending_view: SpendingOverview | None = None,
    areas: AreasOverview | None = None,
    registers: Registers | None = None,
    previous_registers: Registers | None = None,
) -> ProjectSituation:
    """Every overview the data allows (a missing table leaves its overview ``None``) and the
    ratings. Overviews already computed (cached by the pages) can be passed in. ``calendars``
    is the CALENDARS table a project file brings with its schedule (``None`` otherwise)."""
    if planning is None and schedule is not None and not schedule.empty:
        planning = planning_overview(
            schedule,
            settings,
            status_date,
            budget_lines=budget,
            contracts=contracts,
            calendars=calendars,
        )
    if spending_view is None and budget is not None and not budget.empty:
        spending_view = spending_overview(
            budget, contracts, spending, settings, status_date, schedule=schedule, planning=planning
        )
    if areas is None and floor_areas is not None and not floor_areas.empty:
        engaged = spending_view.totals.engaged if spending_view is not None else None
        areas = areas_overview(
            floor_areas, settings, contracts=contracts, status_date=status_date, engaged=engaged
        )
    governance = None
    if registers is not None:
        governance = governance_overview(
            registers,
            status_date,
            planning=planning,
            spending=spending_view,
            envelope=settings.envelope,
            previous=previous_registers,
            amendment_threshold=settings.amendment_threshold,
        )
    return ProjectSituation(
        settings=settings,
        status_date=status_date,
        schedule=schedule,
        budget=budget,
        contracts=contracts,
        spending_ledger=spending,
        floor_areas=floor_areas,
        planning=planning,
        spending=spending_view,
        areas=areas,
        ratings=situation_ratings(settings, planning, spending_view, areas),
        governance=governance,
    )


def situation_ratings(
    settings: ProjectSettings,
    planning: PlanningOverview | None,
    spending: SpendingOverview | None,
    areas: AreasOverview | None,
) -> list[Rating]:
    """Time, cost, scope, then overall. A dimension without data is rated amber ("not
    known"): a briefing must not show green for what it cannot see."""
    alerts = settings.alerts
    ratings: list[Rating] = []
    if planning is not None:
        ratings.append(
            time_rating(
                planning.forecast.delay_vs_contract_days,
                planning.planned_percent,
                planning.actual_percent,
                alerts,
                forecast_reason=planning.forecast.reason,
                completed=planning.forecast.completed,
            )
        )
    else:
        ratings.append(Rating("time", "amber", "no_data"))
    if spending is not None:
        ratings.append(
            cost_rating(
                spending.forecast_at_completion,
                spending.envelope,
                spending.totals.engaged,
                alerts,
                red_alerts=sum(1 for alert in spending.alerts if alert.level == "red"),
                forecast_reason=spending.reason("forecast_at_completion"),
            )
        )
    else:
        ratings.append(Rating("cost", "amber", "no_data"))
    if areas is not None:
        lacking = {
            row.space_type: int(row.required - row.found)
            for row in areas.programme.itertuples()
            if row.found < row.required
        }
        ratings.append(
            scope_rating(lacking, areas.totals.compared_m2, areas.totals.announced_m2, alerts)
        )
    else:
        ratings.append(Rating("scope", "amber", "no_data"))
    ratings.append(overall_rating(ratings))
    return ratings
