"""Planning-software files (MS Project, Primavera P6, GanttProject, Planner…) read through MPXJ.

MPXJ (https://www.mpxj.org, a Java library) is the reference reader of these formats: every
``.mpp`` version, MSPDI and PMXML XML, XER, MPX, GanttProject and Planner files. It runs in a JVM
started once per process, lazily, under a lock (``start_jvm``): a Streamlit rerun does not pay
for it again, and JPype attaches each Streamlit script thread to the JVM on its first call.

What the file holds comes into the canonical schedule frame (``loaders.schema.SCHEDULE``) and the
calendars table (``loaders.schema.CALENDARS``):

- ids: the MS Project ID (its row number) or the P6 activity id as ``task_id``, the file's unique
  id kept as ``unique_id``; P6 WBS nodes become summary rows whose ``task_id`` is their WBS code.
  The project itself (MS Project's task 0, P6's project node) is not a row.
- dates are days. MS Project writes a finish at 17:00, P6 a start after a predecessor at 16:00
  of the day before: a start is the day of the next working time from it, a finish the day of
  the last working time up to it (on the task's calendar). ``2017-12-15 16:00`` as a start is the
  next working day, as a finish the 15th; a milestone is on the day of its date.
- durations and floats in working days of the task's calendar (hours / its hours per day); a
  link's lag keeps the file's unit (``A1010 FS+16h`` from P6, ``7 FS-1.5d``, ``3 SS+2ed``,
  ``4 FS+50%``), converted to days by the critical path with the predecessor's calendar.
- % complete: MS Project's % complete (of duration); P6's per the activity's
  ``complete_pct_type`` (physical, duration or units), as P6 shows it.
- baseline: MS Project's Baseline 0 (not the first baseline saved: Baseline 1…10 are other
  snapshots); P6's project baseline when the file carries it, else the target (planned) dates.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
import threading
from collections.abc import Iterable
from typing import Any

import pandas as pd

from i18n.format import format_number
from loaders.limits import ReadLimits
from loaders.problems import LoadError, LoadResult, Problem, ProblemLog, make_problem
from loaders.project_text import ganttproject_links, links_to_absent_tasks
from loaders.reading import RawFile, project_file_problem
from loaders.schema import CALENDARS, SCHEDULE
from loaders.tables import column_label, window_params
from loaders.values import day_text

#: the JVM's largest heap. MPXJ holds the whole project in memory: the 3 994-activity SP10 XER
#: (5 MB) takes about 150 MB once read; 1 GB leaves room for a file at ``limits.max_bytes`` (20 MB
#: of XER, some 15 000 activities) while bounding what a hostile file can make the JVM take (its
#: default is a quarter of the machine's memory).
JVM_MAX_HEAP = "-Xmx1g"
_JVM_OPTIONS = (
    JVM_MAX_HEAP,
    # the JVM reserves address space beyond its heap (1 GB of class space, 240 MB of code
    # cache): bounded, so that it starts in a process whose address space is limited (the
    # hostile-file tests run the loaders under a 2.5 GB RLIMIT_AS)
    "-XX:CompressedClassSpaceSize=64m",
    "-XX:MaxMetaspaceSize=256m",
    "-XX:ReservedCodeCacheSize=64m",
    "-XX:+UseSerialGC",
    "-Xss4m",
    "-Djava.awt.headless=true",
    # MPXJ logs through log4j's API with no provider: it would print a warning on stderr
    "-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory",
    "-Dorg.apache.logging.log4j.simplelog.StatusLogger.level=OFF",
    "-Dlog4j2.statusLoggerLevel=OFF",
    "-Dorg.apache.logging.log4j.level=OFF",
    "-Djava.util.logging.config.file=/dev/null",
    # should the JVM ever crash, its report goes to the temporary directory, not into the
    # directory the app was started from (the repository), and no core file is written
    f"-XX:ErrorFile={os.path.join(tempfile.gettempdir(), 'mpxj_hs_err_pid%p.log')}",
    "-XX:-CreateCoredumpOnCrash",
)
_jvm_lock = threading.Lock()
_classes_lock = threading.Lock()

#: MPXJ's ``ConstraintType`` names → the contract's codes (``loaders.schema`` constraint_type)
CONSTRAINT_CODES = {
    "AS_SOON_AS_POSSIBLE": "ASAP",
    "AS_LATE_AS_POSSIBLE": "ALAP",
    "START_NO_EARLIER_THAN": "SNET",
    "START_NO_LATER_THAN": "SNLT",
    "FINISH_NO_EARLIER_THAN": "FNET",
    "FINISH_NO_LATER_THAN": "FNLT",
    "MUST_START_ON": "MSO",
    "MUST_FINISH_ON": "MFO",
    "START_ON": "SO",
    "FINISH_ON": "FO",
    "MANDATORY_START": "MANDSTART",
    "MANDATORY_FINISH": "MANDFIN",
}
_RELATION_CODES = {"FINISH_START": "FS", "START_START": "SS", "FINISH_FINISH": "FF"}
_RELATION_CODES["START_FINISH"] = "SF"
#: days before the schedule's first date and after its last over which calendar exceptions are
#: listed (a forecast slips, a baseline is compared), and the longest span listed at all
CALENDAR_MARGIN_DAYS = 366
MAX_CALENDAR_SPAN_DAYS = 40 * 366
_P6_FILE_TYPES = {"XER", "PMXML", "PRIMAVERA", "P3", "SDEF"}
#: hours in one unit of each MPXJ ``TimeUnit`` that does not depend on the project's settings
#: (elapsed units count 24 hours a day); DAYS, WEEKS, MONTHS, YEARS come from the project's
#: minutes per day, week and month
_FIXED_HOURS = {
    "MINUTES": 1 / 60,
    "HOURS": 1.0,
    "ELAPSED_MINUTES": 1 / 60,
    "ELAPSED_HOURS": 1.0,
    "ELAPSED_DAYS": 24.0,
    "ELAPSED_WEEKS": 24.0 * 7,
    "ELAPSED_MONTHS": 24.0 * 30,
    "ELAPSED_YEARS": 24.0 * 365,
}
#: the lag units the contract writes as the file has them (``loaders.links``)
_LAG_SUFFIXES = {
    "HOURS": "h",
    "DAYS": "d",
    "WEEKS": "w",
    "ELAPSED_DAYS": "ed",
    "ELAPSED_WEEKS": "ew",
    "PERCENT": "%",
    "ELAPSED_PERCENT": "%",
}


# --- the JVM ---------------------------------------------------------------------------------


def start_jvm() -> None:
    """Start the JVM holding MPXJ once per process (a no-op once started).

    Under a lock: two Streamlit sessions opening a file at once would both try to start it, and
    a JVM cannot be started twice in a process. Threads that call Java later (Streamlit runs
    each script run in its own thread) are attached by JPype on their first call."""
    import jpype

    if jpype.isJVMStarted():
        return
    with _jvm_lock:
        if jpype.isJVMStarted():
            return
        import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

        _limit_malloc_arenas()
        jpype.startJVM(*_JVM_OPTIONS, convertStrings=False)


#: glibc's ``mallopt`` parameter number of M_ARENA_MAX
_M_ARENA_MAX = -8


def _limit_malloc_arenas() -> None:
    """At most two malloc arenas in this process. glibc gives each thread that allocates its own
    64 MB arena of address space; the JVM's threads (compiler, GC, finaliser…) would reserve
    some 800 MB of it, enough for a process under an address-space limit (RLIMIT_AS, as the
    hostile-file tests and some servers set) to fail its next large read with MemoryError.
    Best effort: nothing happens off glibc."""
    try:
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(_M_ARENA_MAX, 2)
    except (OSError, AttributeError):
        pass


class _Java:
    """MPXJ's classes and the methods called once per task, looked up once (an unbound
    ``Task.getStart`` called with the task is about twice as fast as ``task.getStart``)."""

    _loaded: _Java | None = None

    def __init__(self) -> None:
        import jpype

        self.UniversalProjectReader = jpype.JClass("org.mpxj.reader.UniversalProjectReader")
        self.MPXReader = jpype.JClass("org.mpxj.mpx.MPXReader")
        self.LocalDate = jpype.JClass("java.time.LocalDate")
        self.DayOfWeek = jpype.JClass("java.time.DayOfWeek")
        self.Task = jpype.JClass("org.mpxj.Task")

    @classmethod
    def get(cls) -> _Java:
        if cls._loaded is None:
            start_jvm()  # outside _classes_lock: start_jvm takes _jvm_lock
            with _classes_lock:
                if cls._loaded is None:
                    cls._loaded = cls()
        return cls._loaded


# --- reading ---------------------------------------------------------------------------------


def read_project(raw: RawFile, lang: str) -> Any:
    """The MPXJ ``ProjectFile`` of ``raw``; any Java failure becomes a problem of the file.

    The bytes go through a private temporary file (deleted at once): MPXJ reads a file faster
    than a Java stream copied from Python bytes. An MPX file is written in the language of the
    MS Project that wrote it (``sample.de.mpx`` has ``t`` for days): when MPXJ's default
    (English) reading fails, each language MPXJ knows is tried."""
    java = _Java.get()
    handle, path = tempfile.mkstemp(prefix="project-", suffix=".bin")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(raw.data)
        try:
            project = java.UniversalProjectReader().read(path)
        except Exception as exc:  # a java.lang.Throwable is an Exception under JPype
            project = _read_mpx_in_other_languages(java, path) if raw.format == "mpx" else None
            if project is None:
                raise LoadError([_read_problem(raw, exc, lang)]) from None
    finally:
        with _quiet_os_error():
            os.unlink(path)
    if project is None:
        raise LoadError([project_file_problem("project_file_unsupported", raw, lang)])
    return project


class _quiet_os_error:
    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> bool:
        return kind is not None and issubclass(kind, OSError)


def _read_mpx_in_other_languages(java: _Java, path: str) -> Any:
    for locale in java.MPXReader.getSupportedLocales():
        reader = java.MPXReader()
        reader.setLocale(locale)
        try:
            return reader.read(path)
        except Exception:
            continue
    return None


def _read_problem(raw: RawFile, exc: BaseException, lang: str) -> Problem:
    detail = _java_message(exc)
    lowered = detail.lower()
    if "password" in lowered or "encrypt" in lowered:
        return make_problem("error", "project_file_password", lang, file=raw.name)
    if "outofmemory" in lowered or "OutOfMemory" in type(exc).__name__:
        return make_problem("error", "project_file_too_large", lang, file=raw.name)
    return project_file_problem("project_file_unreadable", raw, lang, detail=detail[:200])


def _java_message(exc: BaseException) -> str:
    """The class and message of a Java exception and of its causes (MPXJ wraps the reader's)."""
    parts: list[str] = []
    current: Any = exc
    for _ in range(5):
        if current is None:
            break
        try:
            name = str(current.getClass().getSimpleName())
            message = current.getMessage()
            parts.append(f"{name}: {message}" if message is not None else name)
            current = current.getCause()
        except Exception:
            parts.append(f"{type(current).__name__}: {current}")
            break
    return " / ".join(parts) or type(exc).__name__


# --- values ----------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.doubleValue() if hasattr(value, "doubleValue") else value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _stamps(values: list[Any]) -> pd.Series:
    """Java ``LocalDateTime`` values as a datetime64 series (NaT where None)."""
    texts = [None if value is None else str(value) for value in values]
    parsed = pd.to_datetime(pd.Series(texts, dtype=object), format="ISO8601", errors="coerce")
    return parsed.astype("datetime64[us]")


def _plain_number(value: float) -> str:
    """``16`` for 16.0, ``1.5``: a dot decimal, no exponent, at most six decimals."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


class _Units:
    """MPXJ ``Duration`` values in hours, with the project's minutes per day, week, month."""

    def __init__(self, properties: Any):
        self.minutes_per_day = _number(properties.getMinutesPerDay()) or 480.0
        minutes_per_week = _number(properties.getMinutesPerWeek()) or 5 * self.minutes_per_day
        minutes_per_month = _number(properties.getMinutesPerMonth()) or 20 * self.minutes_per_day
        self._hours = {
            **_FIXED_HOURS,
            "DAYS": self.minutes_per_day / 60,
            "WEEKS": minutes_per_week / 60,
            "MONTHS": minutes_per_month / 60,
            "YEARS": minutes_per_month * 12 / 60,
        }
        self._names: dict[Any, str] = {}

    def unit_name(self, unit: Any) -> str:
        name = self._names.get(unit)
        if name is None:
            name = self._names[unit] = str(unit.name())
        return name

    def hours(self, duration: Any) -> float | None:
        """A ``Duration`` in hours (None for a percentage, which is no length of time)."""
        if duration is None:
            return None
        value = _number(duration.getDuration())
        per_unit = self._hours.get(self.unit_name(duration.getUnits()))
        return None if value is None or per_unit is None else value * per_unit

    def lag_text(self, lag: Any) -> str:
        """A link's lag in the contract's form (``+16h``, ``-1.5d``, ``+2ed``, ``+50%``), in
        the file's own unit where the contract has it; an empty string for no lag."""
        if lag is None:
            return ""
        value = _number(lag.getDuration())
        if not value:
            return ""
        unit = self.unit_name(lag.getUnits())
        if unit in _LAG_SUFFIXES:
            shown, suffix = value, _LAG_SUFFIXES[unit]
        elif unit in ("ELAPSED_MINUTES", "ELAPSED_HOURS", "ELAPSED_MONTHS", "ELAPSED_YEARS"):
            shown, suffix = value * _FIXED_HOURS[unit] / 24, "ed"
        elif unit == "MINUTES":
            shown, suffix = value / 60, "h"
        else:  # months, years: working days of the project's day
            shown, suffix = value * self._hours[unit] / self._hours["DAYS"], "d"
        return f"{'+' if shown >= 0 else '-'}{_plain_number(abs(shown))}{suffix}"


# --- calendars -------------------------------------------------------------------------------


class _Calendars:
    """The project's calendars by id, with their hours per day and the default one."""

    def __init__(self, project: Any, units: _Units):
        self.units = units
        self.by_id: dict[str, Any] = {}
        for calendar in project.getCalendars():
            key = _text(calendar.getUniqueID())
            if key is not None:
                self.by_id[key] = calendar
        default = project.getDefaultCalendar()
        self.default_id = _text(default.getUniqueID()) if default is not None else None
        if self.default_id not in self.by_id:
            self.default_id = next(iter(self.by_id), None)
        self._hours: dict[str | None, float] = {}
        self.days: dict[str, _DayCalendar] = {}

    def calendar(self, calendar_id: str | None) -> Any:
        return self.by_id.get(calendar_id or self.default_id or "")

    def hours_per_day(self, calendar_id: str | None) -> float:
        """Working hours of one day of the calendar: its own setting (P6's ``day_hr_cnt``),
        else the project's (MS Project's "hours per day", 8 by default)."""
        key = calendar_id or self.default_id
        if key not in self._hours:
            calendar = self.calendar(key)
            minutes = _number(calendar.getMinutesPerDay()) if calendar is not None else None
            hours = (minutes or self.units.minutes_per_day) / 60
            self._hours[key] = hours if hours > 0 else 8.0
        return self._hours[key]

    def resolve(self, used: Iterable[str | None], span: _Span, java: _Java) -> None:
        """The day-level view (``_DayCalendar``) of the default calendar and of each calendar
        a task uses; the resource calendars an .mpp holds by dozens are left out."""
        keys = {key for key in used if key in self.by_id}
        if self.default_id is not None:
            keys.add(self.default_id)
        for key in sorted(keys, key=lambda k: (k != self.default_id, k)):
            self.days[key] = _DayCalendar(self.by_id[key], span, java)

    def day_calendar(self, calendar_id: str | None) -> _DayCalendar | None:
        return self.days.get(calendar_id or self.default_id or "")

    def frame(self, rules: str) -> pd.DataFrame:
        """The CALENDARS table: one row per calendar (work week, hours per day), then one row
        per run of days where it differs from its work week (holidays, worked days), over the
        schedule's dates with a margin; ``rules`` the tool's scheduling rules on every row."""
        rows: list[dict[str, Any]] = []
        exceptions: list[dict[str, Any]] = []
        for key, days in self.days.items():
            base = {
                CALENDARS.calendar_id: key,
                CALENDARS.calendar_name: _text(self.by_id[key].getName()) or key,
                CALENDARS.work_week: "".join("1" if w else "0" for w in days.week),
                CALENDARS.hours_per_day: self.hours_per_day(key),
                CALENDARS.is_default: key == self.default_id,
                CALENDARS.scheduling_rules: rules,
            }
            rows.append(base)
            exceptions.extend(
                {
                    **base,
                    CALENDARS.exception_start: pd.Timestamp(first),
                    CALENDARS.exception_finish: pd.Timestamp(last),
                    CALENDARS.exception_working: working,
                }
                for first, last, working in days.exception_ranges()
            )
        frame = pd.DataFrame(rows + exceptions, columns=CALENDARS.names)
        return _typed(frame, CALENDARS)


_Span = tuple[dt.date, dt.date]
_PLAIN_MILESTONE = "milestone"
_ONE_DAY = dt.timedelta(days=1)


def _calendar_span(dates: Iterable[pd.Series]) -> _Span:
    """The days over which calendars are resolved: the schedule's dates with a margin, at most
    ``MAX_CALENDAR_SPAN_DAYS`` (a year around today when the schedule has no date)."""
    known = pd.concat(list(dates)).dropna()
    if known.empty:
        known = pd.Series([pd.Timestamp.today().normalize()])
    start = (known.min() - pd.Timedelta(days=CALENDAR_MARGIN_DAYS)).date()
    finish = (known.max() + pd.Timedelta(days=CALENDAR_MARGIN_DAYS)).date()
    if (finish - start).days > MAX_CALENDAR_SPAN_DAYS:
        finish = start + dt.timedelta(days=MAX_CALENDAR_SPAN_DAYS)
    return start, finish


class _DayCalendar:
    """One calendar as days: its work week (Monday first), the first and last working minute
    of each weekday, and the days of ``span`` that differ from the week (exceptions).

    Flattened: a derived calendar (an MS Project resource or task calendar based on
    "Standard") takes its base calendar's week days it leaves as "default" (MPXJ resolves
    them) and its base's exceptions, its own overriding them. A calendar whose chain has work
    weeks (MS Project's "Work Weeks" tab, other weeks over date ranges) is asked day by day."""

    def __init__(self, calendar: Any, span: _Span, java: _Java):
        self.span = span
        days = [java.DayOfWeek.of(number) for number in range(1, 8)]
        self.week: list[bool] = []
        self.first_minute: list[int] = []
        self.last_minute: list[int] = []
        for day in days:
            try:
                working = bool(calendar.isWorkingDay(day))
                ranges = list(calendar.getHours(day) or [])
            except Exception:  # a damaged calendar: an 8-to-5 weekday
                working, ranges = day.getValue() <= 5, []
            self.week.append(working)
            first, last = _working_minutes(ranges)
            self.first_minute.append(first)
            self.last_minute.append(last)
        self.overrides = self._overrides(calendar, java)

    def _overrides(self, calendar: Any, java: _Java) -> dict[dt.date, bool]:
        chain = []
        current = calendar
        while current is not None and len(chain) < 20:
            chain.append(current)
            current = current.getParent()
        start, finish = self.span
        found: dict[dt.date, bool] = {}
        if any(len(member.getWorkWeeks()) for member in chain):
            day = start
            while day <= finish:
                working = bool(
                    calendar.isWorkingDate(java.LocalDate.of(day.year, day.month, day.day))
                )
                if working != self.week[day.weekday()]:
                    found[day] = working
                day += _ONE_DAY
            return found
        for member in reversed(chain):  # the base first: the derived calendar's own win
            for exception in member.getCalendarExceptions():
                expanded = list(exception.getExpandedExceptions() or []) or [exception]
                for one in expanded:
                    first = _date(one.getFromDate())
                    last = _date(one.getToDate()) or first
                    if first is None:
                        continue
                    working = bool(one.getWorking())
                    day, last = max(first, start), min(last, finish)
                    while day <= last:
                        found[day] = working
                        day += _ONE_DAY
        return {day: w for day, w in found.items() if w != self.week[day.weekday()]}

    def is_working(self, day: dt.date) -> bool:
        return self.overrides.get(day, self.week[day.weekday()])

    def exception_ranges(self) -> Iterable[tuple[dt.date, dt.date, bool]]:
        """Runs of consecutive days that differ from the week the same way."""
        run: list[Any] = []
        for day in sorted(self.overrides):
            working = self.overrides[day]
            if run and day == run[1] + _ONE_DAY and working == run[2]:
                run[1] = day
                continue
            if run:
                yield tuple(run)  # type: ignore[misc]
            run = [day, day, working]
        if run:
            yield tuple(run)  # type: ignore[misc]

    def start_day(self, stamp: dt.datetime) -> dt.date:
        """The day a start falls on. On a working day: that day, unless the time is at or
        after its last working minute (P6's start "16:00" after a predecessor finishing
        then), then the next working day. On a day off: that day when a time of day is given
        (the tool scheduled work there: a resource's calendar, an elapsed task), the next
        working day when it is midnight (a data date on a Saturday)."""
        day = stamp.date()
        minute = stamp.hour * 60 + stamp.minute
        if self.is_working(day):
            return day if minute < self.last_minute[day.weekday()] else self._step(day, 1)
        return day if minute else self._step(day, 1)

    def finish_day(self, stamp: dt.datetime) -> dt.date:
        """The day a finish falls on. On a working day: that day, unless the time is at or
        before its first working minute (a finish at 08:00 or midnight ends the day
        before), then the previous working day. On a day off: that day when a time of day is
        given, the previous working day at midnight."""
        day = stamp.date()
        minute = stamp.hour * 60 + stamp.minute
        if self.is_working(day):
            return day if minute > self.first_minute[day.weekday()] else self._step(day, -1)
        return day if minute else self._step(day, -1)

    def _step(self, day: dt.date, direction: int) -> dt.date:
        """The next (or previous) working day; the day itself when none is within a year (a
        calendar with no working day)."""
        step = _ONE_DAY * direction
        candidate = day + step
        for _ in range(366):
            if self.is_working(candidate):
                return candidate
            candidate += step
        return day


def _working_minutes(ranges: list[Any]) -> tuple[int, int]:
    """The first and last working minute of a day's ranges (``23:00-00:00`` ends at 1 440);
    8:00 to 17:00 when the day lists none."""
    if not ranges:
        return 8 * 60, 17 * 60
    starts, ends = [], []
    for hours in ranges:
        begin, end = hours.getStart(), hours.getEnd()
        if begin is None or end is None:
            continue
        first = begin.getHour() * 60 + begin.getMinute()
        last = end.getHour() * 60 + end.getMinute()
        starts.append(first)
        ends.append(last if last > first else 24 * 60)
    if not starts:
        return 8 * 60, 17 * 60
    return min(starts), max(ends)


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# --- the frame -------------------------------------------------------------------------------


def _typed(frame: pd.DataFrame, schema: Any) -> pd.DataFrame:
    """Every column of ``schema``, in its order, with the dtype the spreadsheet loader gives."""
    columns: dict[str, pd.Series] = {}
    for column in schema.columns:
        if column.name in frame.columns:
            values = frame[column.name]
        else:
            values = pd.Series([None] * len(frame), index=frame.index, dtype=object)
        if column.type == "date":
            columns[column.name] = pd.to_datetime(values).astype("datetime64[us]")
        elif column.type in ("number", "money", "percent"):
            columns[column.name] = pd.to_numeric(values, errors="coerce").astype("float64")
        elif column.type == "bool":
            columns[column.name] = values.astype(object).where(values.notna(), False).astype(bool)
        else:
            columns[column.name] = values.astype(object).where(values.notna(), None).astype("str")
    return pd.DataFrame(columns, index=frame.index)


def _is_p6(project: Any) -> bool:
    file_type = _text(project.getProjectProperties().getFileType()) or ""
    return file_type.upper() in _P6_FILE_TYPES


def _project_rows(project: Any, is_p6: bool) -> list[Any]:
    """The tasks that are rows: not MS Project's project summary (task 0), nor P6's project
    node (the WBS node of the project itself, which a PMXML export leaves out), nor a blank
    row of an .mpp."""
    project_code = _text(project.getProjectProperties().getProjectID())
    return [
        task
        for task in project.getTasks()
        if not task.getNull() and not _is_project_node(task, is_p6, project_code)
    ]


def _is_project_node(task: Any, is_p6: bool, project_code: str | None) -> bool:
    if task.getParentTask() is not None:
        return False
    if not is_p6:
        return _number(task.getID()) == 0 and (_number(task.getOutlineLevel()) or 0) == 0
    return (
        bool(task.getSummary())
        and project_code is not None
        and project_code in (_text(task.getActivityID()), _text(task.getWBS()))
    )


class _Columns:
    """The values of one Task getter for every row, fetched in one pass."""

    def __init__(self, tasks: list[Any]):
        self.tasks = tasks

    def get(self, method: Any) -> list[Any]:
        return [method(task) for task in self.tasks]


def build_schedule(
    project: Any, java: _Java, lang: str, limits: ReadLimits, raw: RawFile
) -> tuple[pd.DataFrame, pd.DataFrame, ProblemLog]:
    """The SCHEDULE frame, the CALENDARS frame and the problems of the project, by task."""
    units = _Units(project.getProjectProperties())
    is_p6 = _is_p6(project)
    calendars = _Calendars(project, units)
    log = ProblemLog(lang, limits.max_problems, file=raw.name)
    tasks = _project_rows(project, is_p6)
    if len(tasks) > limits.max_rows:
        log.add(
            "error",
            "project_too_many_tasks",
            count=format_number(len(tasks), lang),
            limit=format_number(limits.max_rows, lang),
        )
        log.raise_if_errors()
    T = java.Task
    get = _Columns(tasks).get
    count = len(tasks)

    uniques = [int(u) if u is not None else -i - 1 for i, u in enumerate(get(T.getUniqueID))]
    summaries = [bool(s) for s in get(T.getSummary)]
    milestones = [bool(m) for m in get(T.getMilestone)]
    milestone_kinds = [_PLAIN_MILESTONE if m else "" for m in milestones]
    if is_p6:
        for position, kind in enumerate(get(T.getActivityType)):
            name = _text(kind)
            if name in ("START_MILESTONE", "FINISH_MILESTONE"):
                milestone_kinds[position] = "start" if name == "START_MILESTONE" else "finish"
    names = [_text(n) for n in get(T.getName)]
    wbs = [_text(w) for w in get(T.getWBS)]
    if is_p6:
        activity_ids = [_text(a) for a in get(T.getActivityID)]
        ids = [
            (wbs[i] if summaries[i] and wbs[i] else activity_ids[i]) or f"U{uniques[i]}"
            for i in range(count)
        ]
    else:
        ids = [_text(n) or f"U{uniques[i]}" for i, n in enumerate(get(T.getID))]
    id_of = dict(zip(uniques, ids, strict=True))
    position_of = {unique: i for i, unique in enumerate(uniques)}

    own_calendars = [None if c is None else _text(c.getUniqueID()) for c in get(T.getCalendar)]
    effective = [c if c in calendars.by_id else calendars.default_id for c in own_calendars]
    hours_per_day = pd.Series([calendars.hours_per_day(c) for c in effective], dtype="float64")

    def days(method: Any) -> pd.Series:
        hours = [units.hours(d) for d in get(method)]
        return pd.Series(hours, dtype="float64") / hours_per_day

    if is_p6:
        percent = _p6_percents(get, T)
        baseline_start = _p6_baseline(get(T.getBaselineStart), get(T.getPlannedStart))
        baseline_finish = _p6_baseline(get(T.getBaselineFinish), get(T.getPlannedFinish))
    else:
        percent = [_number(p) for p in get(T.getPercentageComplete)]
        baseline_start, baseline_finish = get(T.getBaselineStart), get(T.getBaselineFinish)

    pairs = {
        (SCHEDULE.start, SCHEDULE.finish): (get(T.getStart), get(T.getFinish)),
        (SCHEDULE.baseline_start, SCHEDULE.baseline_finish): (baseline_start, baseline_finish),
        (SCHEDULE.actual_start, SCHEDULE.actual_finish): (
            get(T.getActualStart),
            get(T.getActualFinish),
        ),
        (SCHEDULE.file_early_start, SCHEDULE.file_early_finish): (
            get(T.getEarlyStart),
            get(T.getEarlyFinish),
        ),
        (SCHEDULE.file_late_start, SCHEDULE.file_late_finish): (
            get(T.getLateStart),
            get(T.getLateFinish),
        ),
    }
    stamps = {names: (_stamps(s), _stamps(f)) for names, (s, f) in pairs.items()}
    stamps = _held_to_window(stamps, ids, names, limits, lang, log)
    calendars.resolve(effective, _calendar_span(s for pair in stamps.values() for s in pair), java)
    day_rule = _DayRule(calendars, effective, milestone_kinds)
    parents = [None if p is None else p.getUniqueID() for p in get(T.getParentTask)]
    parent_positions = [None if p is None else position_of.get(int(p)) for p in parents]
    columns: dict[str, Any] = {}
    for (start_name, finish_name), (starts, finishes) in stamps.items():
        start, finish = day_rule.pair(starts, finishes)
        if start_name != SCHEDULE.actual_start:
            start, finish = _rolled_up(start, finish, parent_positions, summaries)
        columns[start_name], columns[finish_name] = start, finish

    constraints = [
        None if c is None else CONSTRAINT_CODES.get(str(c.name())) for c in get(T.getConstraintType)
    ]
    constraint_dates = _stamps(get(T.getConstraintDate)).dt.normalize()
    needs_date = pd.Series([c not in (None, "ASAP", "ALAP") for c in constraints])
    costs = [_number(c) for c in get(T.getCost)]

    frame = pd.DataFrame(
        {
            SCHEDULE.task_id: ids,
            SCHEDULE.unique_id: [str(u) for u in uniques],
            SCHEDULE.name: names,
            SCHEDULE.is_summary: summaries,
            SCHEDULE.milestone: milestones,
            **columns,
            SCHEDULE.percent_complete: [0.0 if p is None else p for p in percent],
            SCHEDULE.predecessors: _predecessors(
                _links_of_the_text(
                    raw, _mpxj_links(get(T.getPredecessors), units, is_p6), position_of
                ),
                ids,
                names,
                id_of,
                log,
            ),
            SCHEDULE.constraint_type: constraints,
            SCHEDULE.constraint_date: constraint_dates.where(needs_date),
            SCHEDULE.calendar: [c if c in calendars.by_id else None for c in own_calendars],
            SCHEDULE.duration: days(T.getDuration),
            SCHEDULE.remaining_duration: days(T.getRemainingDuration),
            SCHEDULE.cost: [c if c else None for c in costs],
            SCHEDULE.file_total_float: days(T.getTotalSlack),
            SCHEDULE.file_free_float: days(T.getFreeSlack),
            **_outline(ids, names, summaries, wbs, parent_positions, is_p6),
        }
    )
    frame = _typed(frame, SCHEDULE)
    _check_tasks(frame, log)
    return frame, calendars.frame("primavera" if is_p6 else "msproject"), log


#: dates a schedule is scheduled from: one outside the window refuses the file; the others
#: (a baseline, the tool's own early / late dates) are dropped with a warning, so a junk target
#: date in a P6 export (``target_end_date`` 4637-11-24) does not cost the whole schedule
_WINDOW_REFUSES = (SCHEDULE.start, SCHEDULE.finish, SCHEDULE.actual_start, SCHEDULE.actual_finish)


def _held_to_window(
    stamps: dict[tuple[str, str], tuple[pd.Series, pd.Series]],
    ids: list[str],
    names: list[str | None],
    limits: ReadLimits,
    lang: str,
    log: ProblemLog,
) -> dict[tuple[str, str], tuple[pd.Series, pd.Series]]:
    """Every date held to ``limits.min_year`` … ``limits.max_year``, one problem per task and
    date: an error for a planned or actual date, a warning (the date left empty) for the
    others. Nothing outside the window is kept, so no calendar or curve spans centuries."""
    low = pd.Timestamp(limits.min_date)
    high = pd.Timestamp(limits.max_date) + pd.Timedelta(days=1)
    window = window_params(limits)
    held = {}
    for pair, series in stamps.items():
        kept = []
        for column, values in zip(pair, series, strict=True):
            outside = values.notna() & ((values < low) | (values >= high))
            refuses = column in _WINDOW_REFUSES
            for position in values.index[outside]:
                log.add(
                    "error" if refuses else "warning",
                    "project_date_out_of_window" if refuses else "project_date_ignored",
                    task=ids[position],
                    name=names[position] or "",
                    column=column_label(SCHEDULE, column, lang),
                    date=day_text(values[position].date()),
                    **window,
                )
            kept.append(values.mask(outside))
        held[pair] = (kept[0], kept[1])
    return held


def _rolled_up(
    start: pd.Series, finish: pd.Series, parents: list[int | None], summaries: list[bool]
) -> tuple[pd.Series, pd.Series]:
    """A summary's dates span its children's days: its own stamps are the earliest and latest
    of children on other calendars (P6's WBS node on the project calendar finishing "01/01
    08:00" after a child on a 7-day calendar), which no single calendar turns into days."""
    starts, finishes = start.tolist(), finish.tolist()
    children: dict[int, list[int]] = {}
    for position, parent in enumerate(parents):
        if parent is not None:
            children.setdefault(parent, []).append(position)
    done: dict[int, tuple[Any, Any]] = {}

    def span(position: int, depth: int = 0) -> tuple[Any, Any]:
        if position in done:
            return done[position]
        done[position] = (starts[position], finishes[position])  # a loop of parents stops here
        kids = children.get(position, [])
        if summaries[position] and kids and depth < 100:
            spans = [span(kid, depth + 1) for kid in kids]
            first = [s for s, _ in spans if not pd.isna(s)]
            last = [f for _, f in spans if not pd.isna(f)]
            done[position] = (
                min(first) if first else starts[position],
                max(last) if last else finishes[position],
            )
        return done[position]

    for position in range(len(starts)):
        if summaries[position]:
            starts[position], finishes[position] = span(position)
    return (
        pd.Series(starts, dtype="datetime64[us]"),
        pd.Series(finishes, dtype="datetime64[us]"),
    )


def _p6_percents(get: Any, T: Any) -> list[float | None]:
    """P6's % complete as each activity's ``complete_pct_type`` says: physical, duration or
    units (a WBS node has no type: the duration % MPXJ rolls up)."""
    kinds = [_text(k) for k in get(T.getPercentCompleteType)]
    by_kind = {
        "PHYSICAL": get(T.getPhysicalPercentComplete),
        "UNITS": get(T.getPercentageWorkComplete),
        None: get(T.getPercentageComplete),
    }
    return [_number(by_kind.get(kind, by_kind[None])[i]) for i, kind in enumerate(kinds)]


def _p6_baseline(baseline: list[Any], planned: list[Any]) -> list[Any]:
    """The project baseline's date when the file has one, else the activity's target
    (planned) date, as P6 shows "BL Project Start" without a baseline assigned."""
    return [b if b is not None else p for b, p in zip(baseline, planned, strict=True)]


class _DayRule:
    """Dates with times → days, on each task's calendar (see the module's docstring)."""

    def __init__(self, calendars: _Calendars, effective: list[str | None], milestones: list[str]):
        self.days = [calendars.day_calendar(key) for key in effective]
        #: per task: "" (not a milestone), "start" / "finish" (P6's start and finish
        #: milestones, whose date is read as a start or a finish), or an MS Project milestone
        #: (on the day of its date, whatever its time: MS Project shows it there)
        self.milestones = milestones

    def pair(self, starts: pd.Series, finishes: pd.Series) -> tuple[pd.Series, pd.Series]:
        start = self._days(starts, "start")
        finish = self._days(finishes, "finish")
        # an instant task (a finish at the start of its start's day) stays on that day
        finish = finish.where(~(finish < start), start)
        return start, finish

    def _days(self, stamps: pd.Series, kind: str) -> pd.Series:
        values = stamps.tolist()
        out: list[Any] = []
        for position, stamp in enumerate(values):
            calendar = self.days[position]
            if stamp is pd.NaT or stamp is None or pd.isna(stamp):
                out.append(None)
            elif calendar is None or self.milestones[position] == _PLAIN_MILESTONE:
                out.append(stamp.date())
            elif (self.milestones[position] or kind) == "start":
                out.append(calendar.start_day(stamp))
            else:
                out.append(calendar.finish_day(stamp))
        return pd.Series(pd.to_datetime(out), dtype="datetime64[us]")


#: one link of a task: the predecessor's unique id (None when MPXJ gives no task), how a
#: message names it, the type and the lag in the contract's text form
_Link = tuple[int | None, str, str, str]


def _mpxj_links(relations: list[Any], units: _Units, is_p6: bool) -> list[list[_Link]]:
    """Each task's predecessor links as MPXJ read them."""
    out: list[list[_Link]] = []
    for links in relations:
        items: list[_Link] = []
        for relation in links:
            other = relation.getPredecessorTask()
            unique = None if other is None else other.getUniqueID()
            shown = None
            if other is not None:
                shown = _text(other.getActivityID() if is_p6 else other.getID())
            kind = _RELATION_CODES.get(str(relation.getType().name()), "FS")
            items.append(
                (
                    None if unique is None else int(unique),
                    shown or "?",
                    kind,
                    units.lag_text(relation.getLag()),
                )
            )
        out.append(items)
    return out


def _links_of_the_text(
    raw: RawFile, links: list[list[_Link]], position_of: dict[int, int]
) -> list[list[_Link]]:
    """MPXJ's links completed from the file's own text (``loaders.project_text``): a link to
    a task that is not in the file, which MPXJ drops without a word, comes back to be
    reported; GanttProject's links are all taken from its ``<depend>`` elements."""
    if raw.format == "gan":
        found = ganttproject_links(raw.data)
        if found is None:
            return links
        links = [[] for _ in links]
        for link in found:
            position = position_of.get(link.successor)
            if position is not None:
                lag = (
                    ""
                    if not link.lag_days
                    else (
                        f"{'+' if link.lag_days > 0 else '-'}{_plain_number(abs(link.lag_days))}d"
                    )
                )
                links[position].append((link.predecessor, link.shown, link.kind, lag))
        return links
    absent = links_to_absent_tasks(raw.data, raw.format)
    if not absent:
        return links
    links = [list(items) for items in links]
    for link in absent:
        position = position_of.get(link.successor)
        if position is None or any(item[0] == link.predecessor for item in links[position]):
            continue
        links[position].append((link.predecessor, link.shown, link.kind, ""))
    return links


def _predecessors(
    links: list[list[_Link]],
    ids: list[str],
    names: list[str | None],
    id_of: dict[int, str],
    log: ProblemLog,
) -> list[str | None]:
    """Each task's predecessors in the contract's text form, ``"A1010 FS+16h; A1020"``.

    A link to a task that is not a row of this file (P6's links to another project, a task
    MPXJ could not read) is left out with a warning naming the task."""
    texts: list[str | None] = []
    for position, task_links in enumerate(links):
        items = []
        for unique, shown, kind, lag in task_links:
            pred = None if unique is None else id_of.get(unique)
            if pred is None:
                log.add(
                    "warning",
                    "project_link_missing_task",
                    value=shown,
                    task=ids[position],
                    name=names[position] or "",
                )
                continue
            items.append(pred if kind == "FS" and not lag else f"{pred} {kind}{lag or '+0d'}")
        texts.append("; ".join(items) or None)
    return texts


def _outline(
    ids: list[str],
    names: list[str | None],
    summaries: list[bool],
    wbs: list[str | None],
    parents: list[int | None],
    is_p6: bool,
) -> dict[str, list[Any]]:
    """``summary_id`` (the parent row's task_id), ``outline_level`` (1 under the project),
    ``lot`` (the name of the row's top summary below the project; a top-level summary is its
    own lot) and ``wbs`` (P6: the WBS node's code, an activity's is its node's)."""
    levels: list[float] = []
    lots: list[str | None] = []
    for position, parent in enumerate(parents):
        depth, top, seen = 1, position, set()
        current = parent
        while current is not None and current not in seen:
            seen.add(current)
            depth, top = depth + 1, current
            current = parents[current]
        levels.append(float(depth))
        lots.append(names[top] if summaries[top] else None)
    summary_ids = [None if p is None else ids[p] for p in parents]
    if is_p6:
        wbs = [
            ids[position] if summaries[position] else (ids[p] if p is not None else None)
            for position, p in enumerate(parents)
        ]
    return {
        SCHEDULE.summary_id: summary_ids,
        SCHEDULE.outline_level: levels,
        SCHEDULE.lot: lots,
        SCHEDULE.wbs: wbs,
    }


def _check_tasks(frame: pd.DataFrame, log: ProblemLog) -> None:
    """The problems of the tasks themselves, all at once: an id that names several tasks, a
    task (not a summary) without a start or a finish, a file without any task."""
    ids = frame[SCHEDULE.task_id]
    for task_id in ids[ids.duplicated()].unique():
        log.add("error", "project_duplicate_task", task=task_id, value=task_id)
    undated = ~frame[SCHEDULE.is_summary] & (
        frame[SCHEDULE.start].isna() | frame[SCHEDULE.finish].isna()
    )
    for position in frame.index[undated]:
        log.add(
            "error",
            "project_task_without_dates",
            task=frame.at[position, SCHEDULE.task_id],
            name=_name_of(frame.at[position, SCHEDULE.name]),
        )
    if not (~frame[SCHEDULE.is_summary]).any():
        log.add("error", "project_no_task")


def _name_of(value: Any) -> str:
    """A task's name for a message: empty when the file gives none (never « nan »)."""
    return value if isinstance(value, str) else ""


def load_project_schedule(raw: RawFile, *, lang: str, limits: ReadLimits) -> LoadResult:
    """The schedule of a planning-software file, with its calendars (``tables["calendars"]``)
    and its status / data date (``declared_date``); every problem by task, never a traceback."""
    try:
        java = _Java.get()
    except Exception as exc:  # no Java runtime: the setup installs default-jre-headless
        raise LoadError(
            [
                make_problem(
                    "error",
                    "project_reader_unavailable",
                    lang,
                    file=raw.name,
                    detail=str(exc)[:200],
                )
            ]
        ) from None
    if raw.format == "xer" and not raw.data.rstrip().endswith(b"%E"):
        # P6 ends every XER with its %E line; MPXJ reads a cut file's first tables and says
        # nothing, which would store a schedule without its last activities or its links
        raise LoadError([project_file_problem("project_file_truncated", raw, lang)])
    project = read_project(raw, lang)
    try:
        frame, calendars, log = build_schedule(project, java, lang, limits, raw)
        status = _stamps([project.getProjectProperties().getStatusDate()]).dt.normalize()[0]
    except LoadError:
        raise
    except Exception as exc:  # a Java exception while walking the tasks: a damaged file
        raise LoadError([_read_problem(raw, exc, lang)]) from None
    log.raise_if_errors()
    return LoadResult(
        frame=frame,
        warnings=log.report(),
        kind=SCHEDULE.kind,
        source_name=raw.name,
        declared_date=None if pd.isna(status) else status,
        tables={"calendars": calendars},
    )
