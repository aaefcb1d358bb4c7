"""The outline of a schedule in the domain: which rows are summaries, and in what order a planner
reads them.

Planning tools keep *summary rows* (a lot, a phase, the project itself) in the task list. Their
dates, % and cost are those of their children rolled up, so a summary is never counted as work:
it weighs nothing in physical progress, it is never "late" on its own (its late children are),
and it is no task of the critical path (``loaders.schema`` SCHEDULE ``is_summary``). It is kept
in the frame for the Gantt's grouping and the task table's outline.

Frames built without the outline columns (older snapshots, hand-made test frames) have no
summary rows: every function here treats a missing column as blank.
"""

from __future__ import annotations

import pandas as pd

from loaders.schema import SCHEDULE


def summary_rows(schedule: pd.DataFrame) -> pd.Series:
    """True on the summary rows (``is_summary``), False elsewhere and when the column is absent."""
    if SCHEDULE.is_summary not in schedule:
        return pd.Series(False, index=schedule.index, dtype=bool)
    return schedule[SCHEDULE.is_summary].fillna(False).astype(bool)


def work_rows(schedule: pd.DataFrame) -> pd.DataFrame:
    """The rows that carry work: every row but the summaries."""
    summary = summary_rows(schedule)
    return schedule[~summary] if summary.any() else schedule


def has_outline(schedule: pd.DataFrame) -> bool:
    """True when the schedule has summary rows: the Gantt then groups by the outline (the
    summaries are the headings) instead of by lot."""
    return bool(summary_rows(schedule).any())


def outline_levels(schedule: pd.DataFrame) -> pd.Series:
    """Each row's outline level (1 = top), from ``outline_level``, else the depth of the chain of
    ``summary_id`` parents, else 1."""
    parents = _parents(schedule)
    depth: dict[int, int] = {}

    def level_of(row: int) -> int:
        seen = []
        current: int | None = row
        while current is not None and current not in depth and current not in seen:
            seen.append(current)
            current = parents.get(current)
        base = depth.get(current, 0) if current is not None else 0
        for offset, item in enumerate(reversed(seen), start=1):
            depth[item] = base + offset
        return depth[row]

    derived = pd.Series([level_of(row) for row in range(len(schedule))], index=schedule.index)
    if SCHEDULE.outline_level in schedule:
        given = pd.to_numeric(schedule[SCHEDULE.outline_level], errors="coerce")
        derived = given.where(given.notna() & (given >= 1), derived)
    return derived.astype(int)


def _parents(schedule: pd.DataFrame) -> dict[int, int]:
    """Row position -> the row position of its parent summary (``summary_id`` naming a row)."""
    if SCHEDULE.summary_id not in schedule or SCHEDULE.task_id not in schedule:
        return {}
    ids = schedule[SCHEDULE.task_id].astype("str").str.strip().tolist()
    position = {task_id: row for row, task_id in reversed(list(enumerate(ids)))}
    parents: dict[int, int] = {}
    for row, parent in enumerate(schedule[SCHEDULE.summary_id].tolist()):
        if parent is None or pd.isna(parent):
            continue
        found = position.get(str(parent).strip())
        if found is not None and found != row:
            parents[row] = found
    return parents


def outline_order(schedule: pd.DataFrame) -> list:
    """The index of ``schedule`` in outline order: each summary followed by its children,
    depth first, siblings in the file's order (rows without a known parent are at the top
    level, in the file's order). A file that is already in outline order (every planning
    tool's export) keeps its order."""
    parents = _parents(schedule)
    children: dict[int | None, list[int]] = {}
    for row in range(len(schedule)):
        children.setdefault(parents.get(row), []).append(row)
    order: list[int] = []
    visited: set[int] = set()
    stack = list(reversed(children.get(None, [])))
    while stack:
        row = stack.pop()
        if row in visited:
            continue
        visited.add(row)
        order.append(row)
        stack.extend(reversed(children.get(row, [])))
    # rows caught in a loop of parents (a file error) are kept, at the end
    order += [row for row in range(len(schedule)) if row not in visited]
    return list(schedule.index[order])


def ancestors(schedule: pd.DataFrame) -> dict[str, list[str]]:
    """Task id -> the ids of the summaries above it, nearest first (a link to a summary
    applies to its children, as MS Project does)."""
    parents = _parents(schedule)
    ids = schedule[SCHEDULE.task_id].astype("str").str.strip().tolist()
    result: dict[str, list[str]] = {}
    for row, task_id in enumerate(ids):
        chain: list[str] = []
        current = parents.get(row)
        while current is not None and ids[current] not in chain and current != row:
            chain.append(ids[current])
            current = parents.get(current)
        result.setdefault(task_id, chain)
    return result
