"""What a file may hold before it is refused: sizes bounded before memory is spent, and the
values a real construction project can have.

A 5 KB workbook can declare a million rows; an amount can be typed as ``1e309``; a date as
``31/12/9999``. None of these is true of the Technopark, so the loaders refuse them with the
row that holds them. The defaults below suit a public building; ``[limits]`` in the settings
file overrides each one (``ProjectSettings.read_limits``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

#: default bounds; each has a ``[limits]`` key of the same name in ``data/project.toml``
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def _today() -> dt.date:
    return dt.date.today()


@dataclass(frozen=True)
class ReadLimits:
    """Bounds applied by every loader (reading layer, value parsers, table rules)."""

    #: largest file accepted, in bytes (``limits.max_upload_mb``)
    max_bytes: int = DEFAULT_MAX_BYTES
    #: most rows a sheet may hold, counted before the grid is built (``limits.max_rows``)
    max_rows: int = 200_000
    #: most columns a sheet may hold (``limits.max_columns``)
    max_columns: int = 200
    #: most cells (rows × columns of a sheet's used range) read into memory (``limits.max_cells``)
    max_cells: int = 5_000_000
    #: most problems listed in a report; the rest are counted (``limits.max_problems``)
    max_problems: int = 500
    #: earliest and latest year a date may have (``limits.min_year``, ``limits.max_year``)
    min_year: int = 1990
    max_year: int = 2100
    #: largest amount in MAD, either sign (``limits.max_amount``)
    max_amount: float = 1e12
    #: largest area of one space, in m² (``limits.max_area_m2``)
    max_area_m2: float = 1e6
    #: largest weight or other plain number (seats, coefficients) (``limits.max_number``)
    max_number: float = 1e9
    #: largest lag of a schedule link, in working days either sign (``limits.max_lag_days``)
    max_lag_days: int = 3650
    #: "today": a status date declared after it is refused (tests pass a fixed day)
    today: dt.date = field(default_factory=_today)

    @property
    def min_date(self) -> dt.date:
        return dt.date(self.min_year, 1, 1)

    @property
    def max_date(self) -> dt.date:
        return dt.date(self.max_year, 12, 31)

    def with_max_bytes(self, max_bytes: int | None) -> ReadLimits:
        """The same limits with another file-size cap (``None`` keeps this one)."""
        return self if max_bytes is None else replace(self, max_bytes=int(max_bytes))


def resolve_limits(limits: ReadLimits | None, max_bytes: int | None = None) -> ReadLimits:
    """``limits`` (default ones when ``None``) with ``max_bytes`` applied when given."""
    chosen = limits if limits is not None else ReadLimits()
    return chosen.with_max_bytes(max_bytes)
