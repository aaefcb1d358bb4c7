"""The stages of the works of ``data/stages/`` read as the app reads an import: each file through
``store.check_bytes`` (the real loaders, with the limits of the stage's own ``project.toml``),
then every overview of ``tracking.situation.compute_situation``. Shared by the tracking, exports
and charts tests of the stages."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from loaders import LoadResult, ProjectSettings, load_project
from store import check_bytes
from tracking.situation import ProjectSituation, compute_situation

ROOT = Path(__file__).resolve().parents[2]
STAGES_DIR = ROOT / "data" / "stages"
STAGES = ("launch", "completion")
#: file kind of the store -> key of ``[data]`` in project.toml
FILES = {"schedule": "schedule", "finance": "spending", "floor-areas": "floor_areas"}


@dataclass(frozen=True)
class StageTables:
    settings: ProjectSettings
    #: table kind (schedule, budget, contracts, spending, floor-areas) -> LoadResult
    results: dict[str, LoadResult]
    #: file kind -> file name
    names: dict[str, str]

    def frame(self, table: str) -> pd.DataFrame:
        return self.results[table].frame


@cache
def load_stage(stage: str) -> StageTables:
    """Every file of ``data/stages/<stage>`` checked as an upload would be; fails the test with
    the problems when a file is refused."""
    settings = load_project(STAGES_DIR / stage / "project.toml")
    results: dict[str, LoadResult] = {}
    names: dict[str, str] = {}
    for kind, key in FILES.items():
        path = settings.data_files[key]
        checked = check_bytes(
            kind,
            path.name,
            path.read_bytes(),
            "fr",
            settings.max_upload_bytes,
            limits=settings.read_limits,
        )
        errors = [p.message for p in checked.problems if p.is_error]
        assert checked.accepted, f"{stage}/{path.name} refused: {errors}"
        results.update(checked.results)
        names[kind] = path.name
    return StageTables(settings, results, names)


@cache
def stage_situation(stage: str) -> ProjectSituation:
    """The whole project at the stage's status date (``schedule.status_date`` of its
    settings)."""
    tables = load_stage(stage)
    return compute_situation(
        tables.settings,
        tables.settings.status_date,
        schedule=tables.frame("schedule"),
        budget=tables.frame("budget"),
        contracts=tables.frame("contracts"),
        spending=tables.frame("spending"),
        floor_areas=tables.frame("floor-areas"),
    )
