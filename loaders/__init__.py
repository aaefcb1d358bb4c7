"""Spreadsheet loaders: the public API every page, export and command reads through.

Each ``load_*`` takes a path, bytes or a binary file-like (Streamlit's UploadedFile) holding an
xlsx, xlsm, xls, ods or csv file, and returns a ``LoadResult`` (``.frame`` with the canonical
columns of ``loaders.schema``, ``.warnings``) or raises ``LoadError`` whose ``.problems`` list
every problem of the file with its sheet, Excel row and column.
"""

from loaders.kinds import (
    LOADERS,
    load_budget_lines,
    load_contracts,
    load_floor_areas,
    load_schedule,
    load_spending,
)
from loaders.problems import LoadError, LoadResult, Problem, problems_frame
from loaders.project import ProjectSettings, load_project
from loaders.registers import REGISTER_LOADERS, load_actions, load_decisions, load_risks

LOADERS.update(REGISTER_LOADERS)

__all__ = [
    "LOADERS",
    "LoadError",
    "LoadResult",
    "Problem",
    "ProjectSettings",
    "load_actions",
    "load_decisions",
    "load_risks",
    "load_budget_lines",
    "load_contracts",
    "load_floor_areas",
    "load_project",
    "load_schedule",
    "load_spending",
    "problems_frame",
]
