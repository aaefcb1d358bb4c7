"""Working-day calendar: which days are worked on site, and date arithmetic in working days.

Built on numpy's business-day functions (``np.busday_offset`` / ``np.busday_count``) so that whole
columns are converted at once. Every date is treated as a whole day (time of day is dropped).

Working-day index: a calendar numbers its working days with consecutive integers
(:meth:`WorkCalendar.day_index`). A non-working day takes the index of the next working day when
it is read as a *start* (work begins on the next working day) and of the previous working day when
it is read as a *finish* (work ended on the last working day). ``add_working_days`` follows the same
rule: the date is first rolled forward to a working day, then moved ``n`` working days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

DateLike = dt.date | dt.datetime | pd.Timestamp | np.datetime64 | str

_DAY = np.timedelta64(1, "D")
#: Any fixed date works: indexes are only ever compared or subtracted.
_EPOCH = np.datetime64("2000-01-03", "D")


def _to_day(value: DateLike) -> np.datetime64:
    """One date as ``datetime64[D]``; a missing value (None, NaT) is refused."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        raise ValueError("date is missing")
    if isinstance(value, np.datetime64):
        return value.astype("datetime64[D]")
    if isinstance(value, dt.datetime):  # includes pd.Timestamp; drop time and timezone
        return np.datetime64(value.date(), "D")
    if isinstance(value, dt.date):
        return np.datetime64(value, "D")
    return np.datetime64(pd.Timestamp(value).date(), "D")


def to_day_array(values: Any) -> np.ndarray:
    """A column / list / array of dates as a ``datetime64[D]`` array (time dropped, NaT kept)."""
    if isinstance(values, pd.Series | pd.Index):
        if not pd.api.types.is_datetime64_any_dtype(values.dtype):
            values = pd.to_datetime(values, errors="coerce")
        if getattr(values.dtype, "tz", None) is not None:  # keep the local wall-clock date
            values = (
                values.dt.tz_localize(None)
                if isinstance(values, pd.Series)
                else values.tz_localize(None)
            )
        return np.asarray(values.to_numpy(), dtype="datetime64[D]")
    array = np.asarray(values)
    if array.dtype.kind == "M":
        return array.astype("datetime64[D]")
    return np.asarray(pd.to_datetime(array, errors="coerce"), dtype="datetime64[D]")


def _timestamp(day: np.datetime64) -> pd.Timestamp:
    return pd.Timestamp(day)


@dataclass(frozen=True, init=False)
class WorkCalendar:
    """An immutable working-day calendar: a weekly pattern of rest days plus public holidays.

    ``weekend_days`` uses Monday = 0 … Sunday = 6. Scalar methods accept ``datetime.date``,
    ``datetime``, ``pd.Timestamp``, ``np.datetime64`` or an ISO string and return ``pd.Timestamp``
    at midnight (the type of the schedule columns).
    """

    weekend_days: tuple[int, ...] = (5, 6)
    holidays: tuple[dt.date, ...] = ()
    _busdaycal: np.busdaycalendar = field(init=False, repr=False, compare=False)

    def __init__(self, weekend_days: Iterable[int] = (5, 6), holidays: Iterable[Any] = ()):
        weekend = tuple(sorted({int(d) for d in weekend_days}))
        if any(d < 0 or d > 6 for d in weekend):
            raise ValueError(f"weekend days must be 0 (Monday) … 6 (Sunday), got {weekend}")
        if len(weekend) == 7:
            raise ValueError("a calendar needs at least one working day per week")
        days = sorted({_to_day(h).item() for h in holidays if h is not None and not _is_na(h)})
        object.__setattr__(self, "weekend_days", weekend)
        object.__setattr__(self, "holidays", tuple(days))
        weekmask = [0 if d in weekend else 1 for d in range(7)]
        busdaycal = np.busdaycalendar(
            weekmask=weekmask, holidays=np.array(days, dtype="datetime64[D]")
        )
        object.__setattr__(self, "_busdaycal", busdaycal)

    def __reduce__(self):  # np.busdaycalendar cannot be pickled: rebuild it (caches, processes)
        return (WorkCalendar, (self.weekend_days, self.holidays))

    # -- scalars -----------------------------------------------------------------------------
    def is_working_day(self, d: DateLike) -> bool:
        return bool(np.is_busday(_to_day(d), busdaycal=self._busdaycal))

    def add_working_days(self, d: DateLike, n: int) -> pd.Timestamp:
        """The date ``n`` working days after ``d`` (before when ``n`` < 0).

        ``d`` is first rolled forward to a working day, so ``n = 0`` on a Saturday gives the
        Monday, and Saturday − 1 gives the Friday.
        """
        day = np.busday_offset(_to_day(d), int(n), roll="forward", busdaycal=self._busdaycal)
        return _timestamp(day)

    def working_days_between(self, a: DateLike, b: DateLike) -> int:
        """Working days in ``[a, b)``; negative (``-count of [b, a)``) when ``b < a``."""
        return int(np.busday_count(_to_day(a), _to_day(b), busdaycal=self._busdaycal))

    def duration(self, start: DateLike, finish: DateLike) -> int:
        """Working days from ``start`` to ``finish``, both included (0 if none is worked).

        Raises ``ValueError`` when ``finish`` is before ``start``.
        """
        first, last = _to_day(start), _to_day(finish)
        if last < first:
            raise ValueError(f"finish {last} is before start {first}")
        return int(np.busday_count(first, last + _DAY, busdaycal=self._busdaycal))

    def next_working_day(self, d: DateLike) -> pd.Timestamp:
        """The first working day strictly after ``d``."""
        return self.roll_forward(_to_day(d) + _DAY)

    def previous_working_day(self, d: DateLike) -> pd.Timestamp:
        """The last working day strictly before ``d``."""
        return self.roll_backward(_to_day(d) - _DAY)

    def roll_forward(self, d: DateLike) -> pd.Timestamp:
        """``d`` itself if worked, else the next working day."""
        day = np.busday_offset(_to_day(d), 0, roll="forward", busdaycal=self._busdaycal)
        return _timestamp(day)

    def roll_backward(self, d: DateLike) -> pd.Timestamp:
        """``d`` itself if worked, else the previous working day."""
        day = np.busday_offset(_to_day(d), 0, roll="backward", busdaycal=self._busdaycal)
        return _timestamp(day)

    # -- working-day indexes (vectorised) ----------------------------------------------------
    def day_index(self, dates: Any, *, side: Literal["start", "finish"] = "start") -> np.ndarray:
        """Working-day index of each date (int64 array); see the module docstring.

        ``side="start"`` maps a non-working day to the next working day, ``side="finish"`` to the
        previous one. Missing dates (NaT) raise ``ValueError``: fill or drop them first.
        """
        days = np.atleast_1d(to_day_array(dates))
        if np.isnat(days).any():
            raise ValueError("day_index needs dates without NaT")
        if side == "finish":
            return np.busday_count(_EPOCH, days + _DAY, busdaycal=self._busdaycal) - 1
        return np.busday_count(_EPOCH, days, busdaycal=self._busdaycal)

    def date_at_index(self, index: Any) -> np.ndarray:
        """Inverse of :meth:`day_index`: ``datetime64[D]`` array of the working days."""
        index = np.asarray(index, dtype="int64")
        return np.busday_offset(_EPOCH, index, roll="forward", busdaycal=self._busdaycal)

    def is_working_day_array(self, dates: Any) -> np.ndarray:
        """Boolean array; NaT gives False."""
        days = np.atleast_1d(to_day_array(dates))
        missing = np.isnat(days)
        result = np.zeros(days.shape, dtype=bool)
        result[~missing] = np.is_busday(days[~missing], busdaycal=self._busdaycal)
        return result

    def durations(self, starts: Any, finishes: Any) -> np.ndarray:
        """Inclusive working-day durations, element-wise (float array: NaN where a date is missing
        or the finish is before the start)."""
        first, last = np.atleast_1d(to_day_array(starts)), np.atleast_1d(to_day_array(finishes))
        result = np.full(first.shape, np.nan)
        valid = ~np.isnat(first) & ~np.isnat(last)
        valid[valid] &= last[valid] >= first[valid]
        result[valid] = np.busday_count(first[valid], last[valid] + _DAY, busdaycal=self._busdaycal)
        return result

    def add_working_days_array(self, dates: Any, n: Any) -> np.ndarray:
        """Element-wise :meth:`add_working_days`; ``datetime64[D]`` array, NaT stays NaT."""
        days = np.atleast_1d(to_day_array(dates))
        steps = np.broadcast_to(np.asarray(n, dtype="int64"), days.shape)
        result = np.full(days.shape, np.datetime64("NaT"), dtype="datetime64[D]")
        valid = ~np.isnat(days)
        result[valid] = np.busday_offset(
            days[valid], steps[valid], roll="forward", busdaycal=self._busdaycal
        )
        return result


def _is_na(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
