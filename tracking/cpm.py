"""Critical path method (CPM) over the schedule's predecessor links, with status-date progress.

Date convention (the one MS Project shows when times of day are hidden)
-----------------------------------------------------------------------
Finish dates are inclusive: a task of ``d`` working days starting on day ``s`` finishes on working
day ``s + d - 1``. Internally each working day ``k`` has two instants, its start ``2k`` and its end
``2k + 1``; a task with ``d ≥ 1`` starts at a day start and finishes at a day end, and lags move an
instant by ``2 × lag``. The end of day ``k`` and the start of the next working day are the same
moment, so a link may land on either and is normalised to the form the task needs. Consequences a
planner can check on a Gantt chart:

* FS + 0: the successor starts the working day after the predecessor's finish (over weekends and
  holidays). FS + 2: two free working days in between. FS − 1: it starts on the predecessor's last day.
* SS + n: starts ``n`` working days after the predecessor's start (SS + 0: same day).
* FF + n: finishes ``n`` working days after the predecessor's finish (FF + 0: same day).
* SF + n: finishes ``n`` working days after the working day *before* the predecessor's start
  (SF + 0: finishes the day before the predecessor starts; SF + 1: the day it starts).
* A milestone (duration 0, start == finish) sits at an instant. Driven by a finish (FS/FF) it sits at
  the *end* of that day and its date is the predecessor's finish date: its own FS successors start
  the next working day. Driven by a start (SS/SF), or placed by its own date (no predecessor, or
  reached), it sits at the *start* of its day: FS successors start that same day (e.g. "OS n°1" on
  16/02 and site set-up starting 16/02).

Tasks with predecessors are scheduled as early as the logic allows (their own start date is not a
constraint); tasks without any usable predecessor start at their own start date.

Progress (only when a ``status_date`` is given; without one the plan is computed as if nothing had
started): a task is *done* when it has an actual finish or 100 % — fixed at its actual dates (or its
own dates when actuals are blank), neither early nor late, no float, never critical. A task is *in
progress* when it has an actual start or some % — its start is fixed, and its finish is the latest of
its own finish and the status date + remaining duration − 1, remaining = ⌈duration × (1 − % / 100)⌉
working days counted from the status date (work on the status date itself is still to be done). A
*not-started* task cannot start before the status date. Milestones are done or not started.

Float: the backward pass runs from the project finish (latest early finish), or from ``deadline``
(a finish date, e.g. the contractual end), so float may be negative. Total float is in working days
(late finish − early finish). A task is critical when its total float is ≤ 0, or ≤ the project's
margin when a later deadline leaves every path some float; ``critical_path`` lists the tasks with the
least float (the driving chain or chains) in date order.
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
from tracking.calendar import WorkCalendar, to_day_array

__all__ = [
    "CPM",
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


@dataclass(frozen=True, slots=True)
class CpmProblem:
    """A problem found in the logic. ``code`` is the translation key; ``detail`` is a value to
    show (the missing id, the unreadable text, the loop ``A → B → C → A``)."""

    code: Literal[
        "unknown_predecessor",
        "loop",
        "bad_link",
        "no_logic",
        "duplicate_task_id",
        "missing_dates",
        "finish_before_start",
        "lag_too_large",
        "beyond_horizon",
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


CPM = CpmColumns()


@dataclass(frozen=True)
class CpmResult:
    """``tasks`` has the schedule's index and the :data:`CPM` columns: dates ``datetime64[us]``,
    floats and duration in working days (``Int64``, blank for done/excluded tasks or without logic),
    ``is_critical`` bool, ``progress_state`` one of planned / not_started / in_progress / done /
    excluded (no dates). ``free_float``: working days a task can slip without moving any
    successor's early dates nor the project finish. ``project_finish``: latest early finish (the
    forecast end), ``None`` for an empty schedule."""

    tasks: pd.DataFrame
    project_finish: pd.Timestamp | None
    critical_path: list[str]
    problems: list[CpmProblem]
    has_logic: bool


def _horizon(calendar: WorkCalendar) -> tuple[int, int]:
    """Working-day indexes of the first and last days a date can show (01/01/0001,
    31/12/9999): lags that add up past them (30 000 chained FS+3650) are clipped there and
    reported, not wrapped round into garbage timestamps."""
    first, last = calendar.day_index(
        np.array(["0001-01-01", "9999-12-31"], dtype="datetime64[D]"), side="start"
    )
    return int(first), int(last) - 1


def _link_text(link: Link) -> str:
    """A link as a planner writes it (``T04FS+99999999``)."""
    return f"{link.pred_id}{link.type}{link.lag:+d}"


# ---------------------------------------------------------------------------------------------
# Instants: day k starts at 2k and ends at 2k + 1 (see the module docstring)

_CODE = {"FS": 0, "SS": 1, "FF": 2, "SF": 3}
_FROM_FINISH = (True, False, True, False)  # which end of the predecessor the link leaves from
_TO_START = (True, True, False, False)  # which end of the successor it constrains


def _as_start(instant: int) -> int:
    """A day start equal to ``instant`` (an end of day is the next day's start)."""
    return instant + (instant & 1)


def _as_finish(instant: int) -> int:
    """A day end equal to ``instant`` (a start of day is the previous day's end)."""
    return instant - 1 + (instant & 1)


def _boundary(instant: int) -> int:
    """Working days elapsed up to ``instant``: makes 'end of k' and 'start of k+1' equal."""
    return (instant + 1) >> 1


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


def _day_column(schedule: pd.DataFrame, name: str) -> np.ndarray:
    if name not in schedule.columns:
        return np.full(len(schedule), np.datetime64("NaT"), dtype="datetime64[D]")
    return to_day_array(schedule[name])


def _bool_column(schedule: pd.DataFrame, name: str) -> np.ndarray:
    if name not in schedule.columns:
        return np.zeros(len(schedule), dtype=bool)
    return schedule[name].eq(True).fillna(False).to_numpy(dtype=bool)


def _percent_column(schedule: pd.DataFrame, name: str) -> np.ndarray:
    if name not in schedule.columns:
        return np.zeros(len(schedule))
    values = pd.to_numeric(schedule[name], errors="coerce").to_numpy(dtype=float, na_value=0.0)
    return np.clip(values, 0.0, 100.0)


def _index_or_fill(calendar: WorkCalendar, days: np.ndarray, side: str) -> np.ndarray:
    """Working-day index of each date, 0 where the date is missing (masked by the caller)."""
    missing = np.isnat(days)
    filled = np.where(missing, np.datetime64("2000-01-03", "D"), days)
    return calendar.day_index(filled, side=side)


# ---------------------------------------------------------------------------------------------
# Graph


def _topological_order(n: int, edges: Sequence[tuple[int, int, int, int]]) -> list[int]:
    """Kahn's algorithm; nodes in or behind a loop are left out. Ties keep the row order."""
    successors: list[list[int]] = [[] for _ in range(n)]
    indegree = [0] * n
    for pred, succ, _, _ in edges:
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


def compute_critical_path(
    schedule: pd.DataFrame,
    calendar: WorkCalendar,
    status_date: dt.date | pd.Timestamp | None = None,
    *,
    deadline: dt.date | pd.Timestamp | None = None,
    max_lag_days: int = DEFAULT_MAX_LAG_DAYS,
    calendars: pd.DataFrame | None = None,
    progress_logic: Literal["retained", "override"] = "retained",
) -> CpmResult:
    """Early/late dates, floats and the critical path of ``schedule`` (see the module docstring).

    ``calendar`` is the project's default calendar (the settings' calendar for a spreadsheet);
    ``calendars`` the CALENDARS frame of a project file (``loaders.schema.CALENDARS``): a task
    whose ``calendar`` names one of its ``calendar_id`` follows it, any other task the frame's
    ``is_default`` calendar (``calendar`` when the frame has none or is not given).
    ``progress_logic``: "retained" (P6's default) or "override", for out-of-sequence progress.

    Takes the canonical schedule columns (``SCHEDULE.*``); optional columns may be absent. Never
    raises on bad logic: unknown predecessors and unreadable links are reported in ``problems`` and
    left out; each loop is reported with all its tasks, and the link that closes it (walking from
    its topmost row, the one leading back to a task already on the walk) is left out. Tasks
    without dates are reported and left out. Without any usable link, ``has_logic`` is False: early
    dates are computed, but no late dates, floats or critical tasks are invented. A link whose lag
    is beyond ``max_lag_days`` either way is reported (``lag_too_large``) and left out; lags that
    add up past 31/12/9999 are reported (``beyond_horizon``) and the dates cut there.
    """
    n = len(schedule)
    problems: list[CpmProblem] = []
    ids = _task_ids(schedule[SCHEDULE.task_id]) if SCHEDULE.task_id in schedule else [""] * n

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

    # -- dates and durations --------------------------------------------------------------
    start = _day_column(schedule, SCHEDULE.start)
    finish = _day_column(schedule, SCHEDULE.finish)
    start = np.where(np.isnat(start), finish, start)
    finish = np.where(np.isnat(finish), start, finish)
    excluded = np.isnat(start)
    reversed_dates = ~excluded & (finish < start)
    finish = np.where(reversed_dates, start, finish)
    for row in np.flatnonzero(excluded):
        problems.append(CpmProblem("missing_dates", (ids[row],)))
    for row in np.flatnonzero(reversed_dates):
        problems.append(CpmProblem("finish_before_start", (ids[row],)))
    start_index = _index_or_fill(calendar, start, "start")
    finish_index = _index_or_fill(calendar, finish, "finish")
    milestone = _bool_column(schedule, SCHEDULE.milestone)
    duration_arr = np.maximum(finish_index - start_index + 1, 0)
    duration_arr[milestone] = 0
    duration = duration_arr.tolist()

    # -- progress -------------------------------------------------------------------------
    states: list[str] = ["planned"] * n
    fixed_start = start_index.tolist()  # done / in progress: actual start
    fixed_finish = finish_index.tolist()  # done: actual finish
    remaining = [0] * n
    status_index = 0
    if status_date is not None:
        status_index = int(calendar.day_index([status_date])[0])
        percent = _percent_column(schedule, SCHEDULE.percent_complete)
        actual_start = _day_column(schedule, SCHEDULE.actual_start)
        actual_finish = _day_column(schedule, SCHEDULE.actual_finish)
        has_actual_start = ~np.isnat(actual_start)
        has_actual_finish = ~np.isnat(actual_finish)
        actual_start_index = _index_or_fill(calendar, actual_start, "start")
        actual_finish_index = _index_or_fill(calendar, actual_finish, "finish")
        reached_index = _index_or_fill(calendar, actual_finish, "start")  # milestones
        for row in range(n):
            if excluded[row]:
                continue
            started = has_actual_start[row] or percent[row] > 0
            done = has_actual_finish[row] or percent[row] >= 100 or (started and not duration[row])
            if not done and not started:
                states[row] = "not_started"
                continue
            begin = actual_start_index[row] if has_actual_start[row] else start_index[row]
            if done:
                states[row] = "done"
                if duration[row]:
                    end = actual_finish_index[row] if has_actual_finish[row] else finish_index[row]
                    fixed_start[row], fixed_finish[row] = int(min(begin, end)), int(end)
                else:  # a reached milestone sits at the start of its day
                    day = reached_index[row] if has_actual_finish[row] else begin
                    fixed_start[row] = fixed_finish[row] = int(day)
            else:
                states[row] = "in_progress"
                fixed_start[row] = int(begin)
                # small epsilon: 10 × (100 − 70) / 100 must stay 3, not become 4
                remaining[row] = max(
                    1, math.ceil(duration[row] * (100.0 - percent[row]) / 100.0 - 1e-9)
                )
    for row in np.flatnonzero(excluded):
        states[row] = "excluded"

    # -- links ----------------------------------------------------------------------------
    edges: list[tuple[int, int, int, int]] = []  # (pred row, succ row, type code, lag)
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
            elif abs(link.lag) > max_lag_days:
                problems.append(CpmProblem("lag_too_large", (ids[row],), _link_text(link)))
            elif pred == row:
                problems.append(CpmProblem("loop", (ids[row],), f"{ids[row]} → {ids[row]}"))
            elif not (excluded[pred] or excluded[row]):
                edges.append((pred, row, _CODE[link.type], link.lag))

    order = _topological_order(n, edges)
    if len(order) < n:
        in_order = set(order)
        stuck = [row for row in range(n) if row not in in_order]
        adjacency: dict[int, list[tuple[int, int]]] = {row: [] for row in stuck}
        for number, (pred, succ, _, _) in enumerate(edges):
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
            dropped |= _closing_links(component, adjacency)
        edges = [edge for number, edge in enumerate(edges) if number not in dropped]
        order = _topological_order(n, edges)

    has_logic = bool(edges)
    if not has_logic:
        problems.append(CpmProblem("no_logic"))

    # A link only moves what is still free to move: nothing moves a done task, and an in-progress
    # task's start is fixed, so only links aimed at its finish (FF, SF) count.
    forward_in: list[list[tuple[int, int, int]]] = [[] for _ in range(n)]
    forward_out: list[list[tuple[int, int, int]]] = [[] for _ in range(n)]
    backward_out: list[list[tuple[int, int, int]]] = [[] for _ in range(n)]
    for pred, succ, code, lag in edges:
        succ_state, pred_state = states[succ], states[pred]
        if succ_state == "done" or (succ_state == "in_progress" and _TO_START[code]):
            continue
        forward_in[succ].append((pred, code, lag))
        forward_out[pred].append((succ, code, lag))
        if pred_state == "done" or (pred_state == "in_progress" and not _FROM_FINISH[code]):
            continue
        backward_out[pred].append((succ, code, lag))

    # -- forward pass ---------------------------------------------------------------------
    early_start = [0] * n
    early_finish = [0] * n
    status_instant = 2 * status_index
    for row in order:
        state = states[row]
        if state == "excluded":
            continue
        if state == "done":
            begin, end = fixed_start[row], fixed_finish[row]
            early_start[row] = 2 * begin
            early_finish[row] = 2 * end + 1 if duration[row] else 2 * begin
            continue
        length = duration[row]
        if state == "in_progress":
            begin = 2 * fixed_start[row]
            end = max(2 * (status_index + remaining[row]) - 1, 2 * finish_index[row] + 1, begin + 1)
            for pred, code, lag in forward_in[row]:
                source = early_finish[pred] if _FROM_FINISH[code] else early_start[pred]
                end = max(end, _as_finish(source + 2 * lag))
            early_start[row], early_finish[row] = begin, end
            continue
        if forward_in[row]:
            candidates = []
            for pred, code, lag in forward_in[row]:
                instant = (
                    early_finish[pred] if _FROM_FINISH[code] else early_start[pred]
                ) + 2 * lag
                if not length:
                    candidates.append(instant)
                elif _TO_START[code]:
                    candidates.append(_as_start(instant))
                else:
                    candidates.append(_as_finish(instant) - 2 * length + 1)
            begin = max(candidates)
        else:
            begin = 2 * start_index[row]
        if state == "not_started":
            begin = max(begin, status_instant)
        early_start[row] = begin
        early_finish[row] = begin + 2 * length - 1 if length else begin

    computed = [row for row in range(n) if states[row] != "excluded"]
    project_instant = max((early_finish[row] for row in computed), default=None)
    first_day, last_day = _horizon(calendar)
    beyond = [
        ids[row]
        for row in computed
        if early_start[row] >> 1 < first_day or early_finish[row] >> 1 > last_day
    ]
    if beyond:
        problems.append(CpmProblem("beyond_horizon", tuple(beyond[:5])))
    project_finish = (
        None
        if project_instant is None
        else pd.Timestamp(calendar.date_at_index(min(project_instant >> 1, last_day))[()])
    )

    # -- backward pass --------------------------------------------------------------------
    late_start = list(early_start)
    late_finish = list(early_finish)
    total_float: list[int | None] = [None] * n
    free_float: list[int | None] = [None] * n
    floating = [row for row in computed if states[row] != "done"] if has_logic else []
    if floating:
        anchor = (
            2 * int(calendar.day_index([deadline], side="finish")[0]) + 1
            if deadline is not None
            else project_instant
        )
        for row in reversed(order):
            state = states[row]
            if state in ("excluded", "done"):
                continue
            length = duration[row]
            constraints = [
                (
                    _FROM_FINISH[code],
                    (late_start[succ] if _TO_START[code] else late_finish[succ]) - 2 * lag,
                )
                for succ, code, lag in backward_out[row]
            ]
            if not length:
                end = min([anchor, *(instant for _, instant in constraints)])
                # same kind of instant as the early date, so a critical milestone shows one date
                end = _as_finish(end) if early_finish[row] & 1 else _as_start(end)
                late_start[row] = late_finish[row] = end
                continue
            end = _as_finish(anchor)
            for from_finish, instant in constraints:
                if from_finish:
                    end = min(end, _as_finish(instant))
                else:
                    end = min(end, _as_start(instant) + 2 * length - 1)
            late_finish[row] = end
            late_start[row] = early_start[row] if state == "in_progress" else end - 2 * length + 1

        for row in floating:
            total_float[row] = _boundary(late_finish[row]) - _boundary(early_finish[row])
            slack = _boundary(project_instant) - _boundary(early_finish[row])
            for succ, code, lag in forward_out[row]:
                source = early_finish[row] if _FROM_FINISH[code] else early_start[row]
                target = early_start[succ] if _TO_START[code] else early_finish[succ]
                slack = min(slack, _boundary(target) - _boundary(source + 2 * lag))
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

    # -- result frame ---------------------------------------------------------------------
    def dates(instants: list[int], blank: np.ndarray) -> np.ndarray:
        index = np.clip(np.asarray(instants, dtype="int64") >> 1, first_day, last_day)
        days = calendar.date_at_index(index)
        days = days.astype("datetime64[us]")
        days[blank] = np.datetime64("NaT")
        return days

    no_late = excluded | ~np.isin(np.arange(n), floating)
    tasks = pd.DataFrame(
        {
            CPM.task_id: pd.array(ids, dtype="str"),
            CPM.early_start: dates(early_start, excluded),
            CPM.early_finish: dates(early_finish, excluded),
            CPM.late_start: dates(late_start, no_late),
            CPM.late_finish: dates(late_finish, no_late),
            CPM.total_float: pd.array(total_float, dtype="Int64"),
            CPM.free_float: pd.array(free_float, dtype="Int64"),
            CPM.is_critical: np.asarray(is_critical, dtype=bool),
            CPM.duration: pd.array(
                [None if excluded[row] else duration[row] for row in range(n)], dtype="Int64"
            ),
            CPM.progress_state: pd.array(states, dtype="str"),
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
