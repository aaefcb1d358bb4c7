"""Several working calendars on one timeline, for the critical path (``tracking.cpm``).

A planning-software file gives each task its own calendar: a 5-day week for the site, a 7-day
week for curing concrete or a subcontractor's night shifts, holidays, and *worked exceptions* (a
Saturday worked to catch up). :class:`CalendarSpec` is one such calendar (from the CALENDARS table
of a project file, ``loaders.schema.CALENDARS``, or from the project's :class:`WorkCalendar`);
:class:`Timeline` puts them on one axis of days so that a task on a 7-day calendar can follow one
on a 5-day calendar.

Days are integers (days since 01/01/1970). For each calendar the timeline keeps, over a window of
days that grows when a date falls outside it, the number of working days before each day
(``index``: the *working-day index* of the first working day on or after a day) and the day of
each working day (``day``): two array look-ups, whatever the calendar's holidays and worked days.
Beyond 01/01/0001 and 31/12/9999, where no date can be shown, every day counts as worked (the
critical path reports such dates and cuts them).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tracking.calendar import WorkCalendar

#: 01/01/0001 and 31/12/9999 as days since 01/01/1970: the first and last dates a date can show
FIRST_DAY = int(np.datetime64("0001-01-01", "D").astype("int64"))
LAST_DAY = int(np.datetime64("9999-12-31", "D").astype("int64"))
#: 01/01/1970 was a Thursday (Monday = 0)
_EPOCH_WEEKDAY = 3
#: days kept either side of the dates asked for when the window is built or grown
_MARGIN_DAYS = 800
#: windows up to this many days keep their tables as Python lists (fast look-ups)
_LIST_DAYS = 200_000
#: MS Project's day when a calendar does not say (Tools > Options > Schedule)
DEFAULT_HOURS_PER_DAY = 8.0


def day_number(value: object) -> int | None:
    """A date as days since 01/01/1970 (``None`` for a missing value)."""
    if value is None or value is pd.NA:
        return None
    try:
        if pd.isna(value):  # type: ignore[arg-type]
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, np.datetime64):
        return int(value.astype("datetime64[D]").astype("int64"))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return (value - dt.date(1970, 1, 1)).days
    return int(np.datetime64(pd.Timestamp(value).date(), "D").astype("int64"))


def day_numbers(values: object) -> np.ndarray:
    """A column of dates as days since 01/01/1970 (``int64``; missing dates are
    ``np.iinfo(int64).min``, test with :data:`MISSING`)."""
    from tracking.calendar import to_day_array

    days = np.atleast_1d(to_day_array(values))
    numbers = days.astype("int64")
    return numbers


#: the ``int64`` a missing date (NaT) becomes in :func:`day_numbers`
MISSING = np.iinfo("int64").min


@dataclass(frozen=True)
class CalendarSpec:
    """One working calendar: the week (Monday first), days off, days worked although the week
    rests them, and the hours of a working day (to turn hour lags into days)."""

    calendar_id: str
    week: tuple[bool, bool, bool, bool, bool, bool, bool] = (True,) * 5 + (False,) * 2
    holidays: frozenset[int] = frozenset()
    worked: frozenset[int] = frozenset()
    hours_per_day: float = DEFAULT_HOURS_PER_DAY
    name: str = ""

    @property
    def days_per_week(self) -> float:
        """Working days in a week of the work week (5 for "1111100")."""
        return float(sum(self.week)) or 5.0

    @classmethod
    def from_work_calendar(cls, calendar: WorkCalendar, calendar_id: str = "") -> CalendarSpec:
        """The project's calendar (its weekend and public holidays)."""
        week = tuple(day not in calendar.weekend_days for day in range(7))
        holidays = frozenset(day_number(day) for day in calendar.holidays)
        return cls(calendar_id, week, holidays)  # type: ignore[arg-type]


def _week(text: object) -> tuple[bool, ...] | None:
    """``"1111100"`` (Monday first) as seven flags; ``None`` when unreadable or never worked."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if len(text) != 7 or set(text) - {"0", "1"} or "1" not in text:
        return None
    return tuple(char == "1" for char in text)


def specs_from_frame(frame: pd.DataFrame | None) -> tuple[dict[str, CalendarSpec], str | None]:
    """The calendars of a CALENDARS frame by ``calendar_id``, and the id of the default one
    (``is_default``; ``None`` when no row says so). A work week that cannot be read, or that
    works no day of the week, is Monday to Friday; an exception row adds its days, from
    ``exception_start`` to ``exception_finish``, as days off, or as worked days when
    ``exception_working`` is true."""
    if frame is None or frame.empty or "calendar_id" not in frame.columns:
        return {}, None
    weeks: dict[str, tuple[bool, ...]] = {}
    hours: dict[str, float] = {}
    names: dict[str, str] = {}
    holidays: dict[str, set[int]] = {}
    worked: dict[str, set[int]] = {}
    default: str | None = None
    columns = frame.columns

    def column(name: str) -> list:
        return frame[name].tolist() if name in columns else [None] * len(frame)

    rows = zip(
        column("calendar_id"),
        column("calendar_name"),
        column("work_week"),
        column("hours_per_day"),
        column("is_default"),
        column("exception_start"),
        column("exception_finish"),
        column("exception_working"),
        strict=True,
    )
    for key, name, week, per_day, is_default, first, last, working in rows:
        if key is None or (isinstance(key, float) and math.isnan(key)) or key is pd.NA:
            continue
        key = str(key).strip()
        if not key:
            continue
        if key not in weeks:
            weeks[key] = _week(week) or (True,) * 5 + (False,) * 2
            number = pd.to_numeric(per_day, errors="coerce")
            hours[key] = float(number) if pd.notna(number) and number > 0 else DEFAULT_HOURS_PER_DAY
            names[key] = "" if name is None or pd.isna(name) else str(name)
            holidays[key], worked[key] = set(), set()
        if is_default is True or (isinstance(is_default, np.bool_) and bool(is_default)):
            default = default or key
        start, finish = day_number(first), day_number(last)
        if start is None and finish is None:
            continue
        start = finish if start is None else start
        finish = start if finish is None else finish
        if finish < start:
            start, finish = finish, start
        if finish - start > 200 * 366:  # a range of two centuries is a typing error, not a rest
            continue
        target = worked[key] if working is True or working == 1 else holidays[key]
        target.update(range(start, finish + 1))
    specs = {
        key: CalendarSpec(
            key,
            weeks[key],  # type: ignore[arg-type]
            frozenset(holidays[key] - worked[key]),
            frozenset(worked[key]),
            hours[key],
            names[key],
        )
        for key in weeks
    }
    return specs, default


class Timeline:
    """Working-day indexes of several calendars over one window of days (see the module
    docstring). ``index(c, d)``: the index of calendar ``c``'s first working day on or after day
    ``d``; ``day(c, k)``: the day of its working day ``k``. Indexes of one calendar are
    consecutive integers; they only ever are compared or subtracted."""

    def __init__(self, specs: Sequence[CalendarSpec], days: Iterable[int]):
        self.specs = list(specs)
        known = [d for d in days if d is not None]
        low = min(known, default=0)
        high = max(known, default=0)
        self._lo = max(FIRST_DAY, low - _MARGIN_DAYS)
        self._hi = min(LAST_DAY + 1, high + _MARGIN_DAYS)
        self._build()

    # -- tables ----------------------------------------------------------------------------
    def _flags(self, spec: CalendarSpec, lo: int, hi: int) -> np.ndarray:
        days = np.arange(lo, hi, dtype="int64")
        week = np.asarray(spec.week, dtype=bool)
        flags = week[(days + _EPOCH_WEEKDAY) % 7]
        for group, value in ((spec.holidays, False), (spec.worked, True)):
            if group:
                chosen = np.fromiter(group, dtype="int64")
                chosen = chosen[(chosen >= lo) & (chosen < hi)] - lo
                flags[chosen] = value
        return flags

    def _build(self) -> None:
        """Tables over [lo, hi): ``_cum[c][i]`` working days of ``c`` in [lo, lo + i) (so
        ``index(c, d) = _base[c] + _cum[c][d - lo]``), ``_work[c]`` the days of its working days
        (``day(c, k) = _work[c][k - _base[c]]``). ``_base[c]`` keeps the index of the window's
        first day fixed when the window grows to the left. Python lists for a window of a few
        centuries (a list look-up is the fastest scalar access), numpy arrays beyond."""
        old_lo = getattr(self, "_built_lo", None)
        old_base = getattr(self, "_base", None)
        self._cum_np: list[np.ndarray] = []
        self._cum: list = []
        self._work: list = []
        base: list[int] = []
        small = self._hi - self._lo <= _LIST_DAYS
        for number, spec in enumerate(self.specs):
            flags = self._flags(spec, self._lo, self._hi)
            cum = np.concatenate(([0], np.cumsum(flags, dtype="int64")))
            if old_lo is None or old_base is None:
                start = 0
            else:  # the index of the old first day stays what it was
                start = old_base[number] - int(cum[old_lo - self._lo])
            base.append(start)
            work = np.flatnonzero(flags) + self._lo
            self._cum_np.append(cum)
            self._cum.append(cum.tolist() if small else cum)
            self._work.append(work.tolist() if small else work)
        self._base = base
        self._built_lo = self._lo

    def _grow(self, day: int) -> None:
        """Widen the window to hold ``day`` (at least doubling it), within the dates a date can
        show."""
        day = min(max(day, FIRST_DAY), LAST_DAY)
        span = self._hi - self._lo
        if day < self._lo:
            self._lo = max(FIRST_DAY, min(day - _MARGIN_DAYS, self._lo - span))
        if day >= self._hi:
            self._hi = min(LAST_DAY + 1, max(day + _MARGIN_DAYS, self._hi + span))
        self._build()

    # -- look-ups --------------------------------------------------------------------------
    def index(self, calendar: int, day: int) -> int:
        """Working-day index of ``calendar``'s first working day on or after ``day``."""
        offset = day - self._lo
        cum = self._cum[calendar]
        if 0 <= offset < len(cum):
            return self._base[calendar] + int(cum[offset])
        if day < FIRST_DAY:  # before 01/01/0001: every day counts
            return self.index(calendar, FIRST_DAY) - (FIRST_DAY - day)
        if day > LAST_DAY + 1:
            return self.index(calendar, LAST_DAY + 1) + (day - LAST_DAY - 1)
        self._grow(day)
        return self.index(calendar, day)

    def day(self, calendar: int, k: int) -> int:
        """The day of ``calendar``'s working day ``k``."""
        while True:
            work = self._work[calendar]
            offset = k - self._base[calendar]
            if 0 <= offset < len(work):
                return int(work[offset])
            if offset < 0:
                if self._lo <= FIRST_DAY:
                    return (int(work[0]) if len(work) else FIRST_DAY) + offset
                self._grow(self._lo - (self._hi - self._lo) - 1)
            else:
                if self._hi > LAST_DAY:
                    top = int(work[-1]) if len(work) else LAST_DAY
                    return top + offset - len(work) + 1
                self._grow(self._hi + (self._hi - self._lo))

    def is_working(self, calendar: int, day: int) -> bool:
        return self.index(calendar, day + 1) > self.index(calendar, day)

    def working_days(self, calendar: int, first: int, last: int) -> int:
        """Working days of ``calendar`` from ``first`` to ``last``, both included."""
        return self.index(calendar, last + 1) - self.index(calendar, first)

    def index_array(self, calendar: int, days: np.ndarray) -> np.ndarray:
        """:meth:`index` of many days at once (``int64``)."""
        days = np.asarray(days, dtype="int64")
        if days.size == 0:
            return days.copy()
        low, high = int(days.min()), int(days.max())
        if not (low >= FIRST_DAY and high <= LAST_DAY):
            return np.asarray([self.index(calendar, int(d)) for d in days], dtype="int64")
        if low < self._lo:
            self._grow(low)
        if high >= self._hi:
            self._grow(high)
        return self._base[calendar] + self._cum_np[calendar][days - self._lo]
