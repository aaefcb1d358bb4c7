"""The outline of a schedule: summary rows, parents, WBS codes and outline levels.

A planning tool's "Export to Excel" writes every row of its outline: the project itself, the
lots and phases (summary rows), and the tasks under them. A summary row's dates and progress
are its children's rolled up, so counted as a task it would count each lot twice; it is kept
(the Gantt groups and draws it as a summary bar) and flagged ``is_summary``, and the tracking
layer leaves it out of progress weights, of the critical path's tasks and of late-task lists.

The outline is read from what the file has, in this order of authority:

1. an outline-level column (MS Project's "Niveau hiérarchique" / "Outline Level"): a row is
   a summary when the next row is one level deeper, and its parent is the nearest row above one
   level up (level 0 is the project summary row);
2. a WBS or outline-number column ("N° hiérarchique", "WBS", "1", "1.1", "1.2"): a row whose
   code another row extends is a summary (``1`` is the parent of ``1.1``), and its level is the
   number of its segments; when every code is unique it identifies its row (and is the task id
   when the file has no id column). A WBS that repeats (Primavera's activities share their WBS
   node's code) is kept as written and says nothing of the outline;
3. a summary flag column ("Récapitulative" Oui/Non, "Summary" Yes/No), which adds to the above;
4. a parent column ("Parent", "Summary ID"), which names the parent itself.

Inconsistencies are warnings with the row as Excel numbers it and the file's column: a level
that jumps by more than one (the row is put under the nearest shallower row), a WBS code whose
parent code is nowhere in the file. When the file has no lot column, each row's ``lot`` is the
name of its top-level summary (the first level under the project row).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from loaders.schema import SCHEDULE

#: the outline level of MS Project's project summary row (task 0)
PROJECT_LEVEL = 0


def complete_outline(frame: pd.DataFrame, found: dict[str, str], check: Any) -> pd.DataFrame:
    """``frame`` with ``is_summary``, ``outline_level``, ``summary_id``, ``wbs`` and ``lot``
    completed from the outline columns the file has (``found``: canonical name -> header).

    ``is_summary`` is a plain bool column: False on every task, and everywhere when the file says
    nothing about its outline. ``check`` is the loader's ``_Checker`` (warnings with rows).
    """
    frame = frame.copy()
    count = len(frame)
    ids = frame[SCHEDULE.task_id].astype(object).where(frame[SCHEDULE.task_id].notna(), None)
    ids = ids.tolist()
    summary = np.zeros(count, dtype=bool)
    levels: list[float | None] = [None] * count
    parents: list[str | None] = [None] * count

    if SCHEDULE.is_summary in found:
        summary |= frame[SCHEDULE.is_summary].fillna(False).to_numpy(dtype=bool)

    wbs = frame[SCHEDULE.wbs]
    codes = [_code(value) for value in wbs.tolist()]
    wbs_is_outline = SCHEDULE.wbs in found and _unique_codes(codes)

    if SCHEDULE.outline_level in found:
        levels = _levels(frame, check)
        _from_levels(levels, ids, summary, parents, check)
    elif wbs_is_outline:
        _from_codes(codes, ids, summary, levels, parents, check)

    if SCHEDULE.wbs not in found and SCHEDULE.outline_level in found:
        frame[SCHEDULE.wbs] = pd.Series(outline_numbers(levels), index=frame.index, dtype="str")

    if SCHEDULE.summary_id in found:
        written = frame[SCHEDULE.summary_id].tolist()
        parents = [w if isinstance(w, str) else p for w, p in zip(written, parents, strict=True)]
        named = {p for p in parents if p is not None}
        summary |= np.fromiter((i in named for i in ids), dtype=bool, count=count)

    for position, level in enumerate(levels):
        if level == PROJECT_LEVEL:
            summary[position] = True

    frame[SCHEDULE.is_summary] = pd.Series(summary, index=frame.index, dtype=bool)
    if SCHEDULE.outline_level not in found and any(level is not None for level in levels):
        frame[SCHEDULE.outline_level] = pd.Series(
            [np.nan if level is None else float(level) for level in levels],
            index=frame.index,
            dtype=float,
        )
    frame[SCHEDULE.summary_id] = pd.Series(parents, index=frame.index, dtype="str")
    if SCHEDULE.lot not in found and summary.any():
        frame[SCHEDULE.lot] = _lots(frame, ids, summary, levels, parents)
    return frame


def wbs_task_ids(frame: pd.DataFrame) -> pd.Series | None:
    """The WBS codes as task ids when they can be (every code written and none repeated), else
    None: the identifier of a file that has a WBS column and no id column."""
    codes = [_code(value) for value in frame[SCHEDULE.wbs].tolist()]
    if not codes or any(code is None for code in codes) or not _unique_codes(codes):
        return None
    return pd.Series(codes, index=frame.index, dtype="str")


def outline_numbers(levels: list[float | None]) -> list[str | None]:
    """MS Project's outline numbers from outline levels in file order: ``[0, 1, 2, 2, 1, 2]`` ->
    ``["0", "1", "1.1", "1.2", "2", "2.1"]``. Each row is numbered under the parent
    ``complete_outline`` gives it (the nearest row above one level up), so after a level jump
    (``1`` then two rows of level 3) both rows are children of ``1``: ``1.1``, ``1.2``. A row
    without a level has no number."""
    numbers: list[str | None] = []
    stack: list[tuple[float, str]] = []  # (level, number) of the open ancestors
    children: dict[str, int] = {}  # number of children numbered under each number ("" = top)
    for level in levels:
        if level is None:
            numbers.append(None)
            continue
        if level == PROJECT_LEVEL:
            stack, children = [(level, "")], {}
            numbers.append("0")
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else ""
        children[parent] = children.get(parent, 0) + 1
        number = f"{parent}.{children[parent]}" if parent else str(children[parent])
        stack.append((level, number))
        numbers.append(number)
    return numbers


def _code(value: object) -> str | None:
    """A WBS cell as a code: text stripped, a trailing dot dropped (``'1.2.'``); None if blank."""
    if not isinstance(value, str):
        return None
    code = value.strip().rstrip(".")
    return code or None


def _unique_codes(codes: list[str | None]) -> bool:
    written = [code for code in codes if code is not None]
    return bool(written) and len(set(written)) == len(written)


def _levels(frame: pd.DataFrame, check: Any) -> list[float | None]:
    """The outline-level column as whole levels ≥ 0; another value is a warning and no level."""
    column = SCHEDULE.outline_level
    values = frame[column].tolist()
    levels: list[float | None] = []
    bad = []
    for position, value in enumerate(values):
        if value is None or isinstance(value, float) and math.isnan(value):
            levels.append(None)
        elif float(value).is_integer() and value >= 0:
            levels.append(int(value))
        else:
            levels.append(None)
            bad.append(position)
    check.add("warning", "bad_outline_level", bad, column)
    return levels


def _from_levels(
    levels: list[float | None],
    ids: list[str | None],
    summary: np.ndarray,
    parents: list[str | None],
    check: Any,
) -> None:
    """Parents and summaries from outline levels, in file order (MS Project's rule): a row's
    parent is the nearest row above it one level up; a row is a summary when the next one is
    deeper. A level more than one deeper than the row above is a warning (``outline_level_jump``)
    and the row goes under that row, as MS Project would indent it."""
    stack: list[tuple[float, int]] = []  # (level, position) of the open ancestors
    previous: float | None = None
    for position, level in enumerate(levels):
        if level is None:
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        above = previous  # the level a jump is measured from: the parent's, else the row's before
        if stack:
            above, parent = stack[-1]
            summary[parent] = True
            parents[position] = ids[parent]
        if above is not None and level > above + 1:
            check.add(
                "warning",
                "outline_level_jump",
                [position],
                SCHEDULE.outline_level,
                level=_level_text(level),
                previous=_level_text(above),
            )
        stack.append((level, position))
        previous = level


def _level_text(level: float) -> str:
    return str(int(level))


def _from_codes(
    codes: list[str | None],
    ids: list[str | None],
    summary: np.ndarray,
    levels: list[float | None],
    parents: list[str | None],
    check: Any,
) -> None:
    """Parents, summaries and levels from unique WBS codes: ``1.2``'s parent is ``1``, a code
    that another extends is a summary, the level is the number of segments (``0``, MS Project's
    project row, is level 0). A code whose parent code is absent is a warning
    (``wbs_parent_missing``) and the row stays at the top."""
    where = {code: position for position, code in enumerate(codes) if code is not None}
    for position, code in enumerate(codes):
        if code is None:
            continue
        segments = code.split(".")
        levels[position] = PROJECT_LEVEL if code == "0" else len(segments)
        if len(segments) == 1:
            if code != "0" and "0" in where and where["0"] != position:
                parents[position] = ids[where["0"]]
            continue
        parent_code = ".".join(segments[:-1])
        parent = where.get(parent_code)
        if parent is None:
            check.add("warning", "wbs_parent_missing", [position], SCHEDULE.wbs, parent=parent_code)
            continue
        summary[parent] = True
        parents[position] = ids[parent]
    if "0" in where and len(where) > 1:
        summary[where["0"]] = True


def _lots(
    frame: pd.DataFrame,
    ids: list[str | None],
    summary: np.ndarray,
    levels: list[float | None],
    parents: list[str | None],
) -> pd.Series:
    """Each row's lot: the name of its top-level summary (a summary with no parent, or whose
    parent is the project row), itself for that summary; NA for the project row and for rows
    outside any summary."""
    names = frame[SCHEDULE.name].tolist()
    position_of = {task: position for position, task in enumerate(ids) if task is not None}
    project = {
        position
        for position, level in enumerate(levels)
        if level == PROJECT_LEVEL and summary[position]
    }
    lots: list[str | None] = []
    for position in range(len(ids)):
        if position in project:
            lots.append(None)
            continue
        current, seen = position, set()
        while True:
            seen.add(current)
            parent = parents[current]
            above = position_of.get(parent) if parent is not None else None
            if above is None or above in project or above in seen:
                break
            current = above
        top = current
        lots.append(names[top] if summary[top] and isinstance(names[top], str) else None)
    return pd.Series(lots, index=frame.index, dtype="str")
