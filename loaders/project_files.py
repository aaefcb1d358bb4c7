"""Planning-software files (MS Project, Primavera P6, GanttProject…) read through MPXJ.

Placeholder hook (filled by the work on issue 13).
"""

from __future__ import annotations

from loaders.limits import ReadLimits
from loaders.problems import LoadResult
from loaders.reading import RawFile


def load_project_schedule(raw: RawFile, *, lang: str, limits: ReadLimits) -> LoadResult:
    """The schedule of a planning-software file."""
    raise NotImplementedError(raw.format)
