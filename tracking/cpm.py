"""Critical path method (CPM) over the schedule's predecessor links, with status-date progress,
per-task calendars, constraints and summary rows, computed as MS Project and Primavera P6 do.

Date convention (the one MS Project shows when times of day are hidden)
-----------------------------------------------------------------------
Finish dates are inclusive: a task of ``d`` working days starting on day ``s`` finishes on its
calendar's working day ``s + d - 1``. Internally every calendar day ``D`` (days since 01/01/1970)
has two instants, its start of work ``2D`` and its end of work ``2D + 1``, on one timeline for all
calendars (``tracking.calendars.Timeline``). A task with ``d ≥ 1`` starts at the start of a
working day of its calendar and finishes at the end of one. Between the end of a working day and
the start of the next one a calendar does no work: a finish at "start of Monday" is, for a 5-day
calendar, the same working moment as "end of Friday" (P6's "equivalent previous work finish").
Consequences a planner can check on a Gantt chart:

* FS + 0: the successor starts at its calendar's first working day after the predecessor's finish
  (over weekends and holidays; a 7-day successor of a 5-day task finishing on Friday starts on
  Saturday). FS + 2: two free working days in between. FS − 1: it starts on the predecessor's last
  day.
* SS + n: starts ``n`` working days after the predecessor's start (SS + 0: same day).
* FF + n: finishes ``n`` working days after the predecessor's finish (FF + 0: same day).
* SF + n: finishes ``n`` working days after the working day *before* the predecessor's start
  (SF + 0: finishes the day before the predecessor starts; SF + 1: the day it starts).
* Lags are counted on the **predecessor's** calendar (P6's default, "Calendar for scheduling
  relationship lag: predecessor activity calendar"): FS + 2 after a 7-day task runs over the
  weekend. Their unit comes from the link (``loaders.links.lag_in_days``): working days, weeks
  (× the predecessor calendar's working days a week), hours (÷ its hours a day), elapsed days
  and weeks (calendar days: they run through weekends and holidays), or a percentage of the
  predecessor's duration. At day granularity a lag is rounded to the nearest whole day (half a
  day away from zero: 4 h on an 8-hour day is 1 day).
* A negative lag never starts a task before the project start: the data date when there is a
  status date (P6 clamps a negative lag to the data date), else the earliest start of the schedule.
* A milestone (duration 0) sits at an instant. Driven by a finish (FS/FF) it sits at the *end* of
  that day and its date is the predecessor's finish date: its own FS successors start the next
  working day. Driven by a start (SS/SF), or placed by its own date (no predecessor, or reached),
  it sits at the *start* of its day: FS successors start that same day (e.g. "OS n°1" on 16/02 and
  site set-up starting 16/02).

Calendars
---------
``calendar`` is the project's default calendar (the settings' weekend and holidays). A project
file brings its own (``calendars``, the CALENDARS frame): a task whose ``calendar`` names one of
its ``calendar_id`` follows it, any other the frame's ``is_default`` calendar (or ``calendar``
when the frame marks none). A calendar's work week, its days off and its worked exceptions (a
Saturday worked) all count. Durations and floats are in working days of the **task's** calendar.
Backwards, a successor's start is read as P6 reads it, as its calendar's previous work finish: a
7-day task followed by a 5-day one that may start on Monday must finish by Friday (P6 shows the
weekend as negative float when the 7-day task was due to finish on Sunday).

Durations: the ``duration`` column when given (working days of the task's calendar, as the tool
computed them; a part of a day is rounded up: 0.5 day takes one day of the Gantt), else the
working days from ``start`` to ``finish`` on the task's calendar. A task that is not a milestone
but whose dates hold no working day (one day, on a holiday) keeps one day of work and is reported
(``no_working_day``) instead of silently becoming a milestone.

Tasks with predecessors are scheduled as early as the logic allows (their own start date is not a
constraint); tasks without any usable predecessor start at their own start date.

Constraints (``constraint_type``, ``constraint_date``; blank is ASAP)
--------------------------------------------------------------------
Read from MPXJ's schedulers (``org.mpxj.cpm.PrimaveraScheduler`` / ``MicrosoftScheduler``) and
the tools' documentation. The date is a day: a start constraint means the start of that day's work
(the next working day of the task's calendar when it rests), a finish constraint the end of it
(the previous working day when it rests). Forward pass (early dates), then backward pass (late):

* ASAP: none. ALAP: P6 moves the early dates as late as the successors' early dates allow (the
  task uses up its free float; without successors it finishes with the project); MS Project keeps
  the early dates (it draws the task at its late dates), so the floats are unchanged.
* SNET (start no earlier than) and FNET (finish no earlier than): early start / finish at least
  the date (soft: logic may push later). Without predecessors the date itself is the early date.
* SNLT, FNLT (no later than): the late start / finish at most the date (float may become
  negative). MS Project ("tasks always honor their constraint dates") also holds the early dates
  at the date against the logic; P6 lets the logic win and shows the negative float.
* SO, FO (P6 "Start On", "Finish On"): SNET and SNLT (resp. FNET and FNLT) at once, both soft.
* MSO, MFO (MS Project "Must start / finish on") and MANDSTART, MANDFIN (P6 "Mandatory start /
  finish"): hard: the early *and* late dates are the date whatever the logic (a predecessor that
  ends later shows negative float, a successor follows the constraint).
* Constraints place tasks that have not started; a started task keeps its actual start, only its
  finish constraints (FNLT, FO, MFO, MANDFIN) still bound its late finish.

Which tool's rules: ``constraint_style`` ("primavera" or "msproject"); by default the tool's
that wrote the project file (``scheduling_rules`` of its CALENDARS: a P6 file follows P6's even
with MS-like codes only), else P6's when the schedule uses one of P6's own codes (SO, FO,
MANDSTART, MANDFIN), else MS Project's.

Summaries
---------
Rows with ``is_summary`` True (a lot, a phase, a WBS node) are not scheduled as tasks: no duration
of their own, no float, never critical, not in ``critical_path``. A link to or from a summary
applies to its leaf descendants (``summary_id``), as MS Project does: a successor of a phase
waits for all its tasks (for SS/SF from a summary this is its latest-starting child, where MS
Project takes its earliest). A summary's early / late dates in the result are the span of its
children's, for the Gantt.

Progress (only when a ``status_date`` is given; without one the plan is computed as if nothing had
started). The status date is the data date.
--------------------------------------------------------------------------------------------
* *done*: an actual finish, or 100 % (or a started milestone) when the file gives no remaining
  duration (a spreadsheet: MS Project sets the actual finish at 100 %) — fixed at its actual dates
  (or its own dates when actuals are blank), neither early nor late, no float, never critical.
  A P6 activity at 100 % physical without an actual finish is not complete in P6: it stays in
  progress with the file's remaining duration.
* *in progress*: an actual start or some % — its start is fixed; its remaining work starts at the
  data date (``remaining_start``) and lasts the file's ``remaining_duration`` when it has one,
  else ⌈duration × (1 − % / 100)⌉ working days (and then never finishes before its own finish).
  **Retained logic** (P6's default, ``progress_logic="retained"``): the remaining work still waits
  for its unfinished predecessors (an FS predecessor still running holds it back: out-of-sequence
  progress); **progress override**: only the links to its finish (FF, SF) still apply. Links
  between two in-progress tasks are kept.
* *not started*: cannot start before the data date. Milestones are done or not started.

Float: the backward pass runs from the project finish (latest early finish), or from ``deadline``
(a finish date, e.g. the contractual end), so float may be negative. Total float is in working days
of the task's calendar (late finish − early finish, P6's "finish float"). Free float: working days
a task can slip without moving any successor's early dates nor the project finish. A task is
critical when its total float is ≤ 0, or ≤ the project's margin when a later deadline leaves every
path some float; ``critical_path`` lists the tasks with the least float (the driving chain or
chains) in date order.

Loops: each loop is reported with its tasks (``loop``), and the link that closes it, walking from
its topmost row, is left out and named (``loop_link_dropped``: "T3 → T1").
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from loaders.limits import ReadLimits
from loaders.links import Link, LinkType, PredecessorParse, parse_predecessors
from loaders.schema import SCHEDULE
from tracking.calendar import WorkCalendar
from tracking.calendars import (
    FIRST_DAY,
    LAST_DAY,
    MISSING,
    CalendarSpec,
    Timeline,
    day_number,
    day_numbers,
    specs_from_frame,
)

try:  # helper B's unit conversion (loaders.links.lag_in_days); lags are days without it
    from loaders.links import lag_in_days
except ImportError:  # pragma: no cover
    lag_in_days = None  # type: ignore[assignment]

__all__ = [
    "CPM",
    "CONSTRAINT_TYPES",
    "CpmProblem",
    "CpmResult",
    "Link",
    "LinkType",
    "PredecessorParse",
    "compute_critical_path",
    "parse_predecessors",
]

#: largest lag (working days, either sign) the network takes; the schedule loader refuses a
#: larger one (``limits.max_lag_days``), this guards a frame built another way: 99 999 999 days
#: would put dates beyond what a calendar or a timestamp can hold
DEFAULT_MAX_LAG_DAYS = ReadLimits.max_lag_days

#: the constraint codes of the schedule contract (``loaders.schema`` constraint_type)
CONSTRAINT_TYPES = (
    "ASAP",
    "ALAP",
    "SNET",
    "SNLT",
    "FNET",
    "FNLT",
    "MSO",
    "MFO",
    "SO",
    "FO",
    "MANDSTART",
    "MANDFIN",
)
_P6_ONLY = frozenset({"SO", "FO", "MANDSTART", "MANDFIN"})
_RULES = ("primavera", "msproject")


def _rules_of(calendars: pd.DataFrame | None, kinds: list[str | None]) -> str:
    """The tool whose constraint rules apply: the project file's (its CALENDARS'
    ``scheduling_rules``), else P6's when a P6-only code is used, else MS Project's."""
    if calendars is not None and "scheduling_rules" in calendars:
        named = {r for r in calendars["scheduling_rules"].dropna() if r in _RULES}
        if len(named) == 1:
            return named.pop()
    return "primavera" if any(kind in _P6_ONLY for kind in kinds) else "msproject"


_START_CONSTRAINTS = frozenset({"SNET", "SNLT", "SO", "MSO", "MANDSTART"})
_DATED = frozenset(CONSTRAINT_TYPES) - {"ASAP", "ALAP"}


@dataclass(frozen=True, slots=True)
class CpmProblem:
    """A problem found in the logic. ``code`` is the translation key; ``detail`` is a value to
    show (the missing id, the unreadable text, the loop ``A → B → C → A``, the dropped link)."""

    code: Literal[
        "unknown_predecessor",
        "loop",
        "loop_link_dropped",
        "bad_link",
        "no_logic",
        "duplicate_task_id",
        "missing_dates",
        "finish_before_start",
        "lag_too_large",
        "beyond_horizon",
        "no_working_day",
        "constraint_without_date",
        "unknown_constraint",
    ]
    task_ids: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class CpmColumns:
    """Columns of :attr:`CpmResult.tasks` (refer to them as ``CPM.early_start``…)."""

    task_id: str = "task_id"
    early_start: str = "early_start"
    early_finish: str = "early_finish"
    late_start: str = "late_start"
    late_finish: str = "late_finish"
    total_float: str = "total_float"
    free_float: str = "free_float"
    is_critical: str = "is_critical"
    duration: str = "duration"
    progress_state: str = "progress_state"
    remaining_start: str = "remaining_start"


CPM = CpmColumns()


@dataclass(frozen=True)
class CpmResult:
    """``tasks`` has the schedule's index and the :data:`CPM` columns: dates ``datetime64[us]``,
    floats and duration in working days of the task's calendar (``Int64``, blank for done,
    excluded or summary rows, or without logic), ``is_critical`` bool, ``progress_state`` one of
    planned / not_started / in_progress / done / excluded (no dates) / summary.
    ``remaining_start``: when the work still to do starts (the early start of a task not started,
    the resumption of one in progress — P6's "remaining early start"; blank when done).
    ``free_float``: working days a task can slip without moving any successor's early dates nor
    the project finish. ``project_finish``: latest early finish (the forecast end), ``None`` for
    an empty schedule."""

    tasks: pd.DataFrame
    project_finish: pd.Timestamp | None
    critical_path: list[str]
    problems: list[CpmProblem]
    has_logic: bool


def _link_text(link: Link) -> str:
    """A link as a planner writes it (``T04FS+99999999``)."""
    lag = link.lag
    shown = f"{int(lag):+d}" if float(lag).is_integer() else f"{lag:+g}"
    unit = getattr(link, "unit", "d")
    return f"{link.pred_id}{link.type}{shown}{'' if unit == 'd' else unit}"


_CODE = {"FS": 0, "SS": 1, "FF": 2, "SF": 3}
_FROM_FINISH = (True, False, True, False)  # which end of the predecessor the link leaves from
_TO_START = (True, True, False, False)  # which end of the successor it constrains


def _round_lag(days: float) -> int:
    """A lag in days rounded to the nearest whole day, half a day away from zero."""
    if not math.isfinite(days):
        return 10**12 if days > 0 else -(10**12)
    return int(math.copysign(math.floor(abs(days) + 0.5), days))


def _whole_days(days: float) -> int:
    """A duration in days as whole days of the Gantt: a started day counts (0.5 → 1)."""
    return max(0, math.ceil(days - 1e-6))


# ---------------------------------------------------------------------------------------------
# Reading the frame


def _task_ids(values: pd.Series) -> list[str]:
    ids = []
    for value in values.tolist():
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            ids.append("")
        elif isinstance(value, float) and value.is_integer():
            ids.append(str(int(value)))
        else:
            ids.append(str(value).strip())
    return ids


def _text_column(schedule: pd.DataFrame, name: str) -> list[str]:
    if name not in schedule.columns:
        return [""] * len(schedule)
    return _task_ids(schedule[name])


def _day_column(schedule: pd.DataFrame, name: str) -> np.ndarray:
    """Days since 01/01/1970 (``MISSING`` where blank)."""
    if name not in schedule.columns:
        return np.full(len(schedule), MISSING, dtype="int64")
    return day_numbers(schedule[name])


def _bool_column(schedule: pd.DataFrame, name: str) -> np.ndarray:
    if name not in schedule.columns:
        return np.zeros(len(schedule), dtype=bool)
    return schedule[name].eq(True).fillna(False).to_numpy(dtype=bool)


def _number_column(schedule: pd.DataFrame, name: str) -> np.ndarray:
    """Floats, NaN where blank or unreadable."""
    if name not in schedule.columns:
        return np.full(len(schedule), np.nan)
    return pd.to_numeric(schedule[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _percent_column(schedule: pd.DataFrame, name: str) -> np.ndarray:
    values = _number_column(schedule, name)
    return np.clip(np.nan_to_num(values, nan=0.0), 0.0, 100.0)


# ---------------------------------------------------------------------------------------------
# Graph


def _topological_order(n: int, edges: Sequence[tuple]) -> list[int]:
    """Kahn's algorithm; nodes in or behind a loop are left out. Ties keep the row order."""
    successors: list[list[int]] = [[] for _ in range(n)]
    indegree = [0] * n
    for pred, succ, *_ in edges:
        successors[pred].append(succ)
        indegree[succ] += 1
    queue = deque(i for i in range(n) if indegree[i] == 0)
    order = []
    while queue:
        node = queue.popleft()
        order.append(node)
        for succ in successors[node]:
            indegree[succ] -= 1
            if indegree[succ] == 0:
                queue.append(succ)
    return order


def _loops(nodes: list[int], adjacency: dict[int, list[int]]) -> list[list[int]]:
    """Strongly connected components with more than one task (Tarjan, without recursion)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    components = []
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(adjacency[root]))]
        while work:
            node, successors = work[-1]
            descended = False
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(adjacency[succ])))
                    descended = True
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            if descended:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def _cycle_path(component: list[int], adjacency: dict[int, list[int]]) -> list[int]:
    """One cycle through the component, as a path that ends where it starts."""
    members = set(component)
    path, seen = [component[0]], {component[0]: 0}
    while True:
        node = next(s for s in adjacency[path[-1]] if s in members)
        if node in seen:
            return path[seen[node] :] + [node]
        seen[node] = len(path)
        path.append(node)


def _closing_links(component: list[int], adjacency: dict[int, list[tuple[int, int]]]) -> set[int]:
    """Numbers of the links that close the loops of one component: walking the links from the
    topmost row, those that lead back to a task already on the walk. Leaving them out keeps the
    rest of the chain (T1 → T2 → T3 with T3 → T1 dropped)."""
    members = set(component)
    visiting, finished = set(), set()
    closing: set[int] = set()
    for root in component:
        if root in visiting or root in finished:
            continue
        visiting.add(root)
        work = [(root, iter(adjacency[root]))]
        while work:
            node, links = work[-1]
            for succ, number in links:
                if succ not in members or succ in finished:
                    continue
                if succ in visiting:
                    closing.add(number)
                    continue
                visiting.add(succ)
                work.append((succ, iter(adjacency[succ])))
                break
            else:
                visiting.discard(node)
                finished.add(node)
                work.pop()
    return closing


# ---------------------------------------------------------------------------------------------


def _leaves(n: int, is_summary: np.ndarray, parents: list[int | None]) -> dict[int, list[int]]:
    """Each summary row's leaf descendants (rows that are not summaries), in row order; a
    ``summary_id`` chain that loops back is cut where it does."""
    children: dict[int, list[int]] = {}
    for row, parent in enumerate(parents):
        if parent is not None and parent != row:
            children.setdefault(parent, []).append(row)
    leaves: dict[int, list[int]] = {}
    for root in np.flatnonzero(is_summary).tolist():
        found: list[int] = []
        seen = {root}
        stack = list(reversed(children.get(root, [])))
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            if is_summary[node]:
                stack.extend(reversed(children.get(node, [])))
            else:
                found.append(node)
        leaves[root] = sorted(found)
    return leaves


def compute_critical_path(
    schedule: pd.DataFrame,
    calendar: WorkCalendar,
    status_date: dt.date | pd.Timestamp | None = None,
    *,
    deadline: dt.date | pd.Timestamp | None = None,
    max_lag_days: int = DEFAULT_MAX_LAG_DAYS,
    calendars: pd.DataFrame | None = None,
    progress_logic: Literal["retained", "override"] = "retained",
    constraint_style: Literal["primavera", "msproject"] | None = None,
) -> CpmResult:
    """Early/late dates, floats and the critical path of ``schedule`` (see the module docstring).

    ``calendar`` is the project's default calendar (the settings' calendar for a spreadsheet);
    ``calendars`` the CALENDARS frame of a project file (``loaders.schema.CALENDARS``): a task
    whose ``calendar`` names one of its ``calendar_id`` follows it, any other task the frame's
    ``is_default`` calendar (``calendar`` when the frame has none or is not given).
    ``progress_logic``: "retained" (P6's default) or "override", for out-of-sequence progress.
    ``constraint_style``: whose rules for SNLT / FNLT / ALAP ("primavera", "msproject"; by
    default the project file's, ``calendars.scheduling_rules``, else P6's when a P6-only code
    is used).

    Takes the canonical schedule columns (``SCHEDULE.*``); optional columns may be absent. Never
    raises on bad logic: unknown predecessors and unreadable links are reported in ``problems`` and
    left out; each loop is reported with all its tasks, and the link that closes it (walking from
    its topmost row, the one leading back to a task already on the walk) is left out and named.
    Tasks without dates are reported and left out. Without any usable link, ``has_logic`` is
    False: early dates are computed, but no late dates, floats or critical tasks are invented. A
    link whose lag is beyond ``max_lag_days`` either way is reported (``lag_too_large``) and left
    out; lags that add up past 31/12/9999 are reported (``beyond_horizon``) and the dates cut there.
    """
    n = len(schedule)
    problems: list[CpmProblem] = []
    ids = _task_ids(schedule[SCHEDULE.task_id]) if SCHEDULE.task_id in schedule else [""] * n
    retained = progress_logic != "override"

    # -- ids ------------------------------------------------------------------------------
    position: dict[str, int] = {}
    folded: dict[str, int] = {}
    duplicates: dict[str, None] = {}
    for row, task_id in enumerate(ids):
        if not task_id:
            continue
        if task_id in position:
            duplicates[task_id] = None
        else:
            position[task_id] = row
            folded.setdefault(task_id.casefold(), row)
    problems += [CpmProblem("duplicate_task_id", (task_id,)) for task_id in duplicates]

    def resolve(pred_id: str) -> int | None:
        row = position.get(pred_id)
        if row is None:
            row = folded.get(pred_id.casefold())
        if row is None and re.fullmatch(r"\d+\.0+", pred_id):
            row = position.get(pred_id.split(".")[0])
        return row

    # -- summaries ------------------------------------------------------------------------
    is_summary = _bool_column(schedule, SCHEDULE.is_summary)
    parents = [resolve(text) if text else None for text in _text_column(schedule, "summary_id")]
    leaves = _leaves(n, is_summary, parents) if is_summary.any() else {}

    # -- calendars ------------------------------------------------------------------------
    specs = [CalendarSpec.from_work_calendar(calendar)]
    by_id, default_id = specs_from_frame(calendars)
    number_of: dict[str, int] = {}
    for key, spec in by_id.items():
        number_of[key] = len(specs)
        specs.append(spec)
    default_number = number_of.get(default_id, 0) if default_id is not None else 0
    task_calendar = np.asarray(
        [number_of.get(key, default_number) for key in _text_column(schedule, "calendar")],
        dtype="int64",
    )
    cal = task_calendar.tolist()

    # -- dates ----------------------------------------------------------------------------
    start = _day_column(schedule, SCHEDULE.start)
    finish = _day_column(schedule, SCHEDULE.finish)
    start = np.where(start == MISSING, finish, start)
    finish = np.where(finish == MISSING, start, finish)
    excluded = (start == MISSING) & ~is_summary
    reversed_dates = ~excluded & (start != MISSING) & (finish < start)
    finish = np.where(reversed_dates, start, finish)
    for row in np.flatnonzero(excluded):
        problems.append(CpmProblem("missing_dates", (ids[row],)))
    for row in np.flatnonzero(reversed_dates & ~is_summary):
        problems.append(CpmProblem("finish_before_start", (ids[row],)))
    actual_start = _day_column(schedule, SCHEDULE.actual_start)
    actual_finish = _day_column(schedule, SCHEDULE.actual_finish)
    constraint_day = _day_column(schedule, "constraint_date")
    status_day = day_number(status_date) if status_date is not None else None
    deadline_day = day_number(deadline) if deadline is not None else None
    known = [
        int(values[values != MISSING].min())
        for values in (start, finish, actual_start, actual_finish, constraint_day)
        if (values != MISSING).any()
    ] + [
        int(values[values != MISSING].max())
        for values in (start, finish, actual_start, actual_finish, constraint_day)
        if (values != MISSING).any()
    ]
    known += [d for d in (status_day, deadline_day) if d is not None]
    known = [min(max(d, FIRST_DAY), LAST_DAY) for d in known]
    timeline = Timeline(specs, known)
    index, day = timeline.index, timeline.day

    # -- durations ------------------------------------------------------------------------
    scheduled = ~excluded & ~is_summary
    milestone = _bool_column(schedule, SCHEDULE.milestone)
    from_dates = np.zeros(n, dtype="int64")
    for number in np.unique(task_calendar[scheduled]).tolist():
        rows = np.flatnonzero(scheduled & (task_calendar == number))
        from_dates[rows] = timeline.index_array(number, finish[rows] + 1) - timeline.index_array(
            number, start[rows]
        )
    duration_column = _number_column(schedule, "duration")
    remaining_column = _number_column(schedule, "remaining_duration")
    duration = [0] * n
    for row in np.flatnonzero(scheduled).tolist():
        if milestone[row]:
            continue
        given = duration_column[row]
        if not math.isnan(given) and given >= 0:
            duration[row] = _whole_days(given)
        elif from_dates[row] > 0:
            duration[row] = int(from_dates[row])
        else:  # one day of work on a day off: kept as a day of work, and said
            duration[row] = 1
            problems.append(
                CpmProblem(
                    "no_working_day",
                    (ids[row],),
                    pd.Timestamp(np.datetime64(int(start[row]), "D")).strftime("%d/%m/%Y"),
                )
            )

    # -- progress -------------------------------------------------------------------------
    states: list[str] = ["planned"] * n
    remaining = [0] * n
    remaining_given = [False] * n
    if status_day is not None:
        percent = _percent_column(schedule, SCHEDULE.percent_complete)
        for row in np.flatnonzero(scheduled).tolist():
            has_start = actual_start[row] != MISSING
            has_finish = actual_finish[row] != MISSING
            started = has_start or percent[row] > 0
            file_remaining = remaining_column[row]
            known_remaining = not math.isnan(file_remaining) and has_start
            done = has_finish or (
                not known_remaining and (percent[row] >= 100 or (started and not duration[row]))
            )
            if done:
                states[row] = "done"
            elif not started:
                states[row] = "not_started"
            else:
                states[row] = "in_progress"
                if known_remaining:
                    remaining[row] = _whole_days(max(file_remaining, 0.0))
                    remaining_given[row] = True
                else:
                    # small epsilon: 10 × (100 − 70) / 100 must stay 3, not become 4
                    remaining[row] = max(
                        1, math.ceil(duration[row] * (100.0 - percent[row]) / 100.0 - 1e-9)
                    )
    for row in np.flatnonzero(excluded):
        states[row] = "excluded"
    for row in np.flatnonzero(is_summary):
        states[row] = "summary"

    # -- constraints ----------------------------------------------------------------------
    kinds = [""] * n
    if "constraint_type" in schedule.columns:
        for row, text in enumerate(_text_column(schedule, "constraint_type")):
            code = text.upper()
            if not code or code == "ASAP" or not scheduled[row]:
                continue
            if code not in CONSTRAINT_TYPES:
                problems.append(CpmProblem("unknown_constraint", (ids[row],), text))
                continue
            if code in _DATED and constraint_day[row] == MISSING:
                problems.append(CpmProblem("constraint_without_date", (ids[row],), code))
                continue
            kinds[row] = code
    style = constraint_style or _rules_of(calendars, kinds)
    hard_no_later = style == "msproject"
    alap_moves = style == "primavera"

    # -- links ----------------------------------------------------------------------------
    # (pred row, succ row, type code, lag in whole days, elapsed)
    edges: list[tuple[int, int, int, int, bool]] = []
    predecessor_column = (
        schedule[SCHEDULE.predecessors].tolist()
        if SCHEDULE.predecessors in schedule.columns
        else [None] * n
    )
    for row, text in enumerate(predecessor_column):
        parsed = parse_predecessors(text, position)
        for item in parsed.bad_items:
            problems.append(CpmProblem("bad_link", (ids[row],), item))
        for link in parsed.links:
            pred = resolve(link.pred_id)
            if pred is None:
                problems.append(CpmProblem("unknown_predecessor", (ids[row],), link.pred_id))
                continue
            spec = specs[cal[pred]]
            if lag_in_days is not None:
                lag_days = lag_in_days(
                    link, spec.hours_per_day, spec.days_per_week, float(duration[pred])
                )
                days, elapsed = float(lag_days.days), bool(lag_days.elapsed)
            else:  # pragma: no cover
                days, elapsed = float(link.lag), False
            if not math.isfinite(days) or abs(days) > max_lag_days:
                problems.append(CpmProblem("lag_too_large", (ids[row],), _link_text(link)))
                continue
            if pred == row:
                problems.append(CpmProblem("loop", (ids[row],), f"{ids[row]} → {ids[row]}"))
                continue
            lag = _round_lag(days)
            code = _CODE[link.type]
            preds = leaves.get(pred, [pred]) if is_summary[pred] else [pred]
            succs = leaves.get(row, [row]) if is_summary[row] else [row]
            for source in preds:
                for target in succs:
                    if source != target and scheduled[source] and scheduled[target]:
                        edges.append((source, target, code, lag, elapsed))

    order = _topological_order(n, edges)
    if len(order) < n:
        in_order = set(order)
        stuck = [row for row in range(n) if row not in in_order]
        adjacency: dict[int, list[tuple[int, int]]] = {row: [] for row in stuck}
        for number, (pred, succ, *_) in enumerate(edges):
            if pred in adjacency and succ in adjacency:
                adjacency[pred].append((succ, number))
        plain = {row: [succ for succ, _ in links] for row, links in adjacency.items()}
        dropped: set[int] = set()
        for component in _loops(stuck, plain):
            path = _cycle_path(component, plain)
            problems.append(
                CpmProblem(
                    "loop",
                    tuple(ids[row] for row in component),
                    " → ".join(ids[row] for row in path),
                )
            )
            closing = _closing_links(component, adjacency)
            for number in sorted(closing):
                pred, succ = edges[number][0], edges[number][1]
                problems.append(
                    CpmProblem(
                        "loop_link_dropped", (ids[pred], ids[succ]), f"{ids[pred]} → {ids[succ]}"
                    )
                )
            dropped |= closing
        edges = [edge for number, edge in enumerate(edges) if number not in dropped]
        order = _topological_order(n, edges)

    has_logic = bool(edges)
    if not has_logic:
        problems.append(CpmProblem("no_logic"))

    # A link only moves what is still free to move: nothing moves a done task; an in-progress
    # task's start is fixed, so only links aimed at its finish (FF, SF) count — and, with
    # retained logic, the links aimed at its start hold back its remaining work. Backwards, as
    # P6 does, a link from the start of a task in progress bounds its remaining work.
    forward_in: list[list[tuple[int, int, int, bool]]] = [[] for _ in range(n)]
    forward_out: list[list[tuple[int, int, int, bool]]] = [[] for _ in range(n)]
    backward_out: list[list[tuple[int, int, int, bool]]] = [[] for _ in range(n)]
    for pred, succ, code, lag, elapsed in edges:
        succ_state, pred_state = states[succ], states[pred]
        if succ_state == "done" or (
            succ_state == "in_progress" and _TO_START[code] and not retained
        ):
            continue
        forward_in[succ].append((pred, code, lag, elapsed))
        forward_out[pred].append((succ, code, lag, elapsed))
        if pred_state == "done":
            continue
        backward_out[pred].append((succ, code, lag, elapsed))

    # -- instants (see the module docstring) ----------------------------------------------
    def position_of(c: int, t: int) -> int:
        """Working days of calendar c elapsed at instant t."""
        return index(c, (t + 1) >> 1)

    def next_start(c: int, t: int) -> int:
        """The first start of work of calendar c at or after t."""
        return 2 * day(c, index(c, (t + 1) >> 1))

    def latest_end(c: int, t: int) -> int:
        """The last end of work of calendar c at or before t."""
        return 2 * day(c, index(c, ((t - 1) >> 1) + 1) - 1) + 1

    def latest_start(c: int, t: int) -> int:
        """The last start of work of calendar c at or before t."""
        return 2 * day(c, index(c, (t >> 1) + 1) - 1)

    def add_lag(t: int, c: int, lag: int, elapsed: bool) -> int:
        """``t`` moved by ``lag`` days of calendar c (elapsed days when ``elapsed``): a positive
        lag ends at an end of work, a negative one at a start of work, as P6 does."""
        if not lag:
            return t
        if elapsed:
            return t + 2 * lag
        p = position_of(c, t) + lag
        return 2 * day(c, p - 1) + 1 if lag > 0 else 2 * day(c, p)

    def remove_lag(bound: int, c: int, lag: int, elapsed: bool) -> int:
        """The latest instant x with ``add_lag(x) <= bound``."""
        if not lag:
            return bound
        if elapsed:
            return bound - 2 * lag
        if lag > 0:
            last = index(c, ((bound - 1) >> 1) + 1) - 1
            return 2 * day(c, last - lag + 1)
        if bound & 1:  # a negative lag ends at a start of work: the same working moment
            bound = next_start(c, bound)
        last = index(c, (bound >> 1) + 1) - 1
        return 2 * day(c, last - lag)

    def end_after(c: int, begin: int, length: int) -> int:
        """The end of work of a task of ``length`` days starting at ``begin``."""
        return 2 * day(c, position_of(c, begin) + length - 1) + 1

    def start_before(c: int, end: int, length: int) -> int:
        """The start of work of a task of ``length`` days finishing at ``end``."""
        return 2 * day(c, position_of(c, end) - length)

    def start_of_day(c: int, d: int) -> int:
        return next_start(c, 2 * d)

    def end_of_day(c: int, d: int) -> int:
        return latest_end(c, 2 * d + 1)

    def bound_of(c: int, t: int) -> int:
        """A successor's date as P6's backward pass takes it: a finish as it is, a start as the
        equivalent previous work finish of its calendar (a 5-day task starting on Monday
        'starts' at the end of Friday, so a 7-day predecessor must finish by Friday)."""
        return t if t & 1 else latest_end(c, t)

    def start_by(c: int, t: int) -> int:
        """The latest start of work of calendar c a task may take to start 'by' t: before t,
        or, when t is an end of work, the next start of work (the same working moment)."""
        return next_start(c, t) if t & 1 else latest_start(c, t)

    # -- forward pass ---------------------------------------------------------------------
    early_start = [0] * n
    early_finish = [0] * n
    resume = [0] * n  # when the remaining work starts
    computed = [row for row in order if scheduled[row]]
    planned_starts = [int(start[row]) for row in computed if states[row] != "done"]
    project_start_day = status_day if status_day is not None else min(planned_starts, default=0)
    status_instant = 2 * status_day if status_day is not None else None

    def constraint_instant(row: int, c: int, kind: str) -> int:
        return (
            start_of_day(c, int(constraint_day[row]))
            if kind in _START_CONSTRAINTS
            else end_of_day(c, int(constraint_day[row]))
        )

    for row in computed:
        state = states[row]
        c = cal[row]
        length = duration[row]
        if state == "done":
            first = actual_start[row] if actual_start[row] != MISSING else start[row]
            if length:
                last = actual_finish[row] if actual_finish[row] != MISSING else finish[row]
                begin = start_of_day(c, int(first))
                end = end_of_day(c, int(last))
                if end < begin:
                    begin = start_before(c, end, 1)
                early_start[row], early_finish[row] = begin, end
            else:  # a reached milestone sits at the start of its day
                reached = actual_finish[row] if actual_finish[row] != MISSING else first
                early_start[row] = early_finish[row] = start_of_day(c, int(reached))
            resume[row] = early_start[row]
            continue
        if state == "in_progress":
            first = actual_start[row] if actual_start[row] != MISSING else start[row]
            begin = start_of_day(c, int(first))
            restart = max(next_start(c, status_instant), begin)  # type: ignore[arg-type]
            end = begin + 1
            for pred, code, lag, elapsed in forward_in[row]:
                source = early_finish[pred] if _FROM_FINISH[code] else early_start[pred]
                instant = add_lag(source, cal[pred], lag, elapsed)
                if _TO_START[code]:
                    restart = max(restart, next_start(c, instant))
                else:
                    end = max(end, 2 * day(c, position_of(c, instant) - 1) + 1)
            if remaining[row]:
                end = max(end, end_after(c, restart, remaining[row]))
            else:
                end = max(end, latest_end(c, restart))
            if not remaining_given[row]:
                end = max(end, end_of_day(c, int(finish[row])))
            early_start[row], early_finish[row], resume[row] = begin, end, restart
            continue
        kind = kinds[row]
        if forward_in[row]:
            candidates = []
            for pred, code, lag, elapsed in forward_in[row]:
                source = early_finish[pred] if _FROM_FINISH[code] else early_start[pred]
                instant = add_lag(source, cal[pred], lag, elapsed)
                if not length:
                    # driven by a finish it sits at an end of work, by a start at a start
                    candidates.append(
                        latest_end(c, instant) if _FROM_FINISH[code] else next_start(c, instant)
                    )
                elif _TO_START[code]:
                    candidates.append(next_start(c, instant))
                else:
                    candidates.append(2 * day(c, position_of(c, instant) - length))
            begin = max(candidates)
            floor = next_start(c, 2 * project_start_day)
            if begin < floor:
                begin = floor
        elif kind in ("SNET", "SO", "MSO", "MANDSTART", "FNET", "FO", "MFO", "MANDFIN"):
            instant = constraint_instant(row, c, kind)
            begin = (
                instant
                if kind in _START_CONSTRAINTS or not length
                else start_before(c, instant, length)
            )
        else:
            begin = start_of_day(c, int(start[row]))
        if state == "not_started":
            begin = max(begin, next_start(c, status_instant))  # type: ignore[arg-type]
        if kind and kind != "ALAP":
            instant = constraint_instant(row, c, kind)
            limit = (
                instant
                if kind in _START_CONSTRAINTS or not length
                else start_before(c, instant, length)
            )
            if kind in ("SNET", "SO", "FNET", "FO"):
                begin = max(begin, limit)
            elif kind in ("MSO", "MANDSTART", "MFO", "MANDFIN"):
                begin = limit
            elif hard_no_later:  # SNLT, FNLT as MS Project honours them
                begin = min(begin, limit)
        early_start[row] = resume[row] = begin
        early_finish[row] = end_after(c, begin, length) if length else begin

    project_instant = max((early_finish[row] for row in computed), default=None)
    beyond = [
        ids[row]
        for row in computed
        if early_start[row] >> 1 < FIRST_DAY or early_finish[row] >> 1 >= LAST_DAY
    ]
    if beyond:
        problems.append(CpmProblem("beyond_horizon", tuple(beyond[:5])))

    # -- backward pass --------------------------------------------------------------------
    late_start = list(early_start)
    late_finish = list(early_finish)
    total_float: list[int | None] = [None] * n
    free_float: list[int | None] = [None] * n
    floating = [row for row in computed if states[row] != "done"] if has_logic else []

    late_resume = list(resume)
    # the early finish floats are measured from (an ALAP task: where it moved to)
    float_finish = early_finish

    def work_left(row: int) -> int:
        return remaining[row] if states[row] == "in_progress" else duration[row]

    def room(row: int, successors: list[tuple[int, int, int, bool]], dates: tuple) -> int:
        """Latest finish allowed by the successors' ``dates`` (early or late: when the work
        still to do starts, and the finish), as the instant bound on the row's own finish: the
        min over its links (a link from its start bounds its start, its work then follows)."""
        starts, finishes = dates
        c = cal[row]
        length = work_left(row)
        best = None
        for succ, code, lag, elapsed in successors:
            target = starts[succ] if _TO_START[code] else finishes[succ]
            bound = remove_lag(bound_of(cal[succ], target), cal[row], lag, elapsed)
            if _FROM_FINISH[code] or not length:
                end = bound
            else:  # the row's start may reach the bound: its finish is length days later
                end = end_after(c, start_by(c, bound), length)
            best = end if best is None or end < best else best
        return best  # type: ignore[return-value]

    if floating:
        anchor = 2 * deadline_day + 1 if deadline_day is not None else project_instant
        for row in reversed(order):
            state = states[row]
            if state not in ("planned", "not_started", "in_progress"):
                continue
            c = cal[row]
            length = duration[row]
            limit = room(row, backward_out[row], (late_resume, late_finish))
            end = anchor if limit is None else min(anchor, limit)  # type: ignore[type-var]
            kind = kinds[row]
            started = state == "in_progress"
            if (
                kind
                and kind != "ALAP"
                and (not started or kind in ("FNLT", "FO", "MFO", "MANDFIN"))
            ):
                instant = constraint_instant(row, c, kind)
                on_finish = (
                    instant
                    if kind not in _START_CONSTRAINTS
                    else (end_after(c, instant, length) if length else instant)
                )
                if kind in ("MSO", "MANDSTART", "MFO", "MANDFIN"):
                    end = on_finish
                elif kind in ("SNLT", "SO", "FNLT", "FO"):
                    end = min(end, on_finish)
            if not length:
                end = latest_end(c, end) if early_finish[row] & 1 else start_by(c, end)
                late_start[row] = late_finish[row] = late_resume[row] = end
            else:
                end = latest_end(c, end)
                late_finish[row] = end
                late_start[row] = early_start[row] if started else start_before(c, end, length)
                late_resume[row] = (
                    late_start[row]
                    if not started
                    else (start_before(c, end, remaining[row]) if remaining[row] else end)
                )
            if kind == "ALAP" and alap_moves and not started:
                # P6: as late as the successors' early dates allow (it uses its free float)
                limit = room(row, forward_out[row], (resume, early_finish))
                latest = project_instant if limit is None else min(project_instant, limit)
                if length:
                    latest = latest_end(c, latest)
                    if latest > early_finish[row]:
                        early_finish[row] = latest
                        early_start[row] = resume[row] = start_before(c, latest, length)
                else:
                    latest = latest_end(c, latest) if latest & 1 else latest_start(c, latest)
                    if latest > early_start[row]:
                        early_start[row] = early_finish[row] = resume[row] = latest

        for row in floating:
            c = cal[row]
            finish_at = float_finish[row]
            total_float[row] = position_of(c, late_finish[row]) - position_of(c, finish_at)
            slack = position_of(c, project_instant) - position_of(c, finish_at)
            limit = room(row, forward_out[row], (resume, early_finish))
            if limit is not None:
                slack = min(slack, position_of(c, limit) - position_of(c, finish_at))
            free_float[row] = slack

    least_float = min((total_float[row] for row in floating), default=0)
    threshold = max(0, least_float)
    is_critical = [
        total_float[row] is not None and total_float[row] <= threshold for row in range(n)
    ]
    rank = {row: number for number, row in enumerate(order)}
    critical_path = [
        ids[row]
        for row in sorted(
            (row for row in floating if total_float[row] == least_float),
            key=lambda row: (early_start[row], early_finish[row], rank[row]),
        )
    ]
    project_finish = (
        None
        if project_instant is None
        else pd.Timestamp(
            np.datetime64(min(max(project_instant >> 1, FIRST_DAY), LAST_DAY - 1), "D")
        )
    )

    # -- result frame ---------------------------------------------------------------------
    has_late = np.zeros(n, dtype=bool)
    has_late[floating] = True
    early_s = np.asarray([t >> 1 for t in early_start], dtype="int64")
    early_f = np.asarray([t >> 1 for t in early_finish], dtype="int64")
    late_s = np.asarray([t >> 1 for t in late_start], dtype="int64")
    late_f = np.asarray([t >> 1 for t in late_finish], dtype="int64")
    resume_d = np.asarray([t >> 1 for t in resume], dtype="int64")
    for summary, rows in leaves.items():
        inside = [r for r in rows if scheduled[r]]
        if not inside:
            continue
        early_s[summary] = min(early_s[r] for r in inside)
        early_f[summary] = max(early_f[r] for r in inside)
        late_rows = [r for r in inside if has_late[r]]
        if late_rows:
            late_s[summary] = min(late_s[r] for r in late_rows)
            late_f[summary] = max(late_f[r] for r in late_rows)
    summary_dates = np.zeros(n, dtype=bool)
    summary_late = np.zeros(n, dtype=bool)
    for summary, rows in leaves.items():
        summary_dates[summary] = any(scheduled[r] for r in rows)
        summary_late[summary] = any(has_late[r] for r in rows if scheduled[r])

    def dates(days: np.ndarray, shown: np.ndarray) -> np.ndarray:
        clipped = np.clip(days, FIRST_DAY, LAST_DAY - 1)
        out = clipped.astype("datetime64[D]").astype("datetime64[us]")
        out[~shown] = np.datetime64("NaT")
        return out

    with_dates = scheduled | summary_dates
    with_late = has_late | summary_late
    in_work = scheduled & np.asarray([state != "done" for state in states], dtype=bool)
    tasks = pd.DataFrame(
        {
            CPM.task_id: pd.array(ids, dtype="str"),
            CPM.early_start: dates(early_s, with_dates),
            CPM.early_finish: dates(early_f, with_dates),
            CPM.late_start: dates(late_s, with_late),
            CPM.late_finish: dates(late_f, with_late),
            CPM.total_float: pd.array(total_float, dtype="Int64"),
            CPM.free_float: pd.array(free_float, dtype="Int64"),
            CPM.is_critical: np.asarray(is_critical, dtype=bool),
            CPM.duration: pd.array(
                [duration[row] if scheduled[row] else None for row in range(n)], dtype="Int64"
            ),
            CPM.progress_state: pd.array(states, dtype="str"),
            CPM.remaining_start: dates(resume_d, in_work),
        },
        index=schedule.index,
    )
    return CpmResult(
        tasks=tasks,
        project_finish=project_finish,
        critical_path=critical_path,
        problems=problems,
        has_logic=has_logic,
    )
