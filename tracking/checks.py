"""Schedule quality checks in the spirit of the DCMA 14-point assessment, sized for a small
project: each check gives a count, the population it was measured on, a threshold, pass/fail
and the tasks involved. Checks that need data the file lacks (no logic, no baseline) say
"not applicable" (``passed is None``) rather than passing silently.

Summary rows (a lot, a phase: ``tracking.outline``) are not tasks: no check counts them, in its
count or its population. A link to or from a summary applies to its children, as in MS Project:
a task under a summary that has a predecessor is not "missing logic"."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loaders.schema import SCHEDULE
from tracking.calendar import WorkCalendar
from tracking.cpm import CPM, CpmResult, parse_predecessors
from tracking.forecast import works_completed
from tracking.outline import ancestors, summary_rows

#: checks in display order, with their thresholds (DCMA values unless noted)
THRESHOLDS = {
    "missing_logic": ("max_ratio", 0.05),
    "leads": ("max_count", 0),
    "lags": ("max_ratio", 0.05),
    "relationship_types": ("min_ratio", 0.90),  # share of FS links
    "high_float": ("max_ratio", 0.05),
    "negative_float": ("max_count", 0),
    "long_tasks": ("max_ratio", 0.05),
    "invalid_dates": ("max_count", 0),
    "missed_tasks": ("max_ratio", 0.05),
    "bei": ("min_ratio", 0.95),
    "critical_path_test": ("max_count", 0),
    "cpli": ("min_ratio", 0.95),
}


@dataclass(frozen=True)
class CheckResult:
    code: str
    count: int
    population: int
    #: the measured value compared with the threshold (a ratio, a count, or an index)
    value: float | None
    rule: str  # "max_ratio" | "min_ratio" | "max_count"
    threshold: float
    passed: bool | None  # None: not applicable
    task_ids: tuple[str, ...]


def _result(code: str, ids, population: int, value: float | None = None) -> CheckResult:
    rule, threshold = THRESHOLDS[code]
    ids = [str(i) for i in ids]
    count = len(ids)  # links for the link checks, tasks for the others
    ids = tuple(dict.fromkeys(ids))  # each task named once
    if value is None:
        value = (
            float(count) if rule == "max_count" else (count / population if population else None)
        )
    if value is None:
        passed = None
    elif rule == "min_ratio":
        passed = value >= threshold
    else:
        passed = value <= threshold
    return CheckResult(code, count, population, value, rule, threshold, passed, ids)


def _not_applicable(code: str, population: int = 0) -> CheckResult:
    rule, threshold = THRESHOLDS[code]
    return CheckResult(code, 0, population, None, rule, threshold, None, ())


def schedule_checks(
    schedule: pd.DataFrame,
    cpm: CpmResult,
    calendar: WorkCalendar,
    status_date,
    *,
    long_task_days: int = 44,
    high_float_days: int = 44,
    contractual_end=None,
) -> list[CheckResult]:
    status = pd.Timestamp(status_date)
    ids = schedule[SCHEDULE.task_id].astype(str)
    milestone = schedule[SCHEDULE.milestone].fillna(False).astype(bool)
    summary = summary_rows(schedule)
    task = ~summary
    done = schedule[SCHEDULE.actual_finish].notna() | (schedule[SCHEDULE.percent_complete] >= 100)
    incomplete = ~done & task
    population = int(incomplete.sum())

    links: list[tuple[str, str, str, int]] = []  # (pred, succ, type, lag)
    for task_id, text in zip(ids, schedule[SCHEDULE.predecessors], strict=True):
        for link in parse_predecessors(text).links:
            links.append((link.pred_id, task_id, link.type, link.lag))
    known = set(ids)
    links = [link for link in links if link[0] in known]
    results: list[CheckResult] = []

    # 1. missing logic: incomplete tasks without a predecessor or without a successor, the
    # project's first and last tasks excepted
    if not links:
        results.append(_result("missing_logic", ids[incomplete], population))
    else:
        has_pred = {succ for _p, succ, _t, _l in links}
        has_succ = {pred for pred, _s, _t, _l in links}
        above = ancestors(schedule) if summary.any() else {}
        starts, finishes = schedule[SCHEDULE.start][task], schedule[SCHEDULE.finish][task]
        first = set(ids[task & (schedule[SCHEDULE.start] == starts.min())])
        last = set(ids[task & (schedule[SCHEDULE.finish] == finishes.max())])

        def linked(task_id: str, ends: set[str]) -> bool:
            """The task, or a summary above it, has a link at that end."""
            return task_id in ends or any(parent in ends for parent in above.get(task_id, ()))

        open_ends = [
            task_id
            for task_id, is_open in zip(ids, incomplete, strict=True)
            if is_open
            and (
                (not linked(task_id, has_pred) and task_id not in first)
                or (not linked(task_id, has_succ) and task_id not in last)
            )
        ]
        results.append(_result("missing_logic", open_ends, population))

    # 2–4. leads, lags, relationship types
    link_count = len(links)
    if link_count:
        results.append(_result("leads", [s for _p, s, _t, lag in links if lag < 0], link_count))
        results.append(_result("lags", [s for _p, s, _t, lag in links if lag > 0], link_count))
        non_fs = [s for _p, s, kind, _l in links if kind != "FS"]
        results.append(
            _result(
                "relationship_types", non_fs, link_count, (link_count - len(non_fs)) / link_count
            )
        )
    else:
        for code in ("leads", "lags", "relationship_types"):
            results.append(_not_applicable(code))

    # 5–6. float (needs logic)
    if cpm.has_logic:
        total_float = cpm.tasks[CPM.total_float]
        measured = incomplete & total_float.notna()
        high = measured & (total_float > high_float_days)
        negative = measured & (total_float < 0)
        results.append(_result("high_float", ids[high], int(measured.sum())))
        results.append(_result("negative_float", ids[negative], int(measured.sum())))
    else:
        results.append(_not_applicable("high_float", population))
        results.append(_not_applicable("negative_float", population))

    # 7. long tasks (baseline duration when there is one)
    start = schedule[SCHEDULE.baseline_start].fillna(schedule[SCHEDULE.start])
    finish = schedule[SCHEDULE.baseline_finish].fillna(schedule[SCHEDULE.finish])
    durations = pd.Series(calendar.durations(start, finish), index=schedule.index)
    measured = incomplete & ~milestone
    results.append(
        _result("long_tasks", ids[measured & (durations > long_task_days)], int(measured.sum()))
    )

    # 8. invalid dates: actuals in the future, forecasts in the past
    future_actual = (schedule[SCHEDULE.actual_start] > status) | (
        schedule[SCHEDULE.actual_finish] > status
    )
    not_started = schedule[SCHEDULE.actual_start].isna() & (
        schedule[SCHEDULE.percent_complete] <= 0
    )
    past_forecast = (not_started & (schedule[SCHEDULE.start] < status)) | (
        incomplete & (schedule[SCHEDULE.finish] < status)
    )
    invalid = task & (future_actual | past_forecast)
    results.append(_result("invalid_dates", ids[invalid], int(task.sum())))

    # 9–10. missed tasks and baseline execution index (need a baseline)
    baseline_finish = schedule[SCHEDULE.baseline_finish]
    if baseline_finish.notna().any():
        due = baseline_finish.notna() & (baseline_finish <= status) & ~milestone & task
        actual_finish = schedule[SCHEDULE.actual_finish]
        missed = due & (actual_finish.isna() | (actual_finish > baseline_finish))
        results.append(_result("missed_tasks", ids[missed], int(due.sum())))
        completed = int(
            (
                done
                & task
                & ~milestone
                & baseline_finish.notna()
                & (schedule[SCHEDULE.actual_finish].fillna(status) <= status)
            ).sum()
        )
        due_count = int(due.sum())
        not_done_due = ids[due & incomplete]
        bei = completed / due_count if due_count else None
        results.append(_result("bei", not_done_due, due_count, bei))
    else:
        results.append(_not_applicable("missed_tasks"))
        results.append(_not_applicable("bei"))

    # 11. critical path test: the logic gives a path, without loops or dangling links (not
    # applicable once every task is done: finished work is never critical, nothing is left)
    if cpm.has_logic and not works_completed(schedule):
        blocking = [
            task_id
            for problem in cpm.problems
            if problem.code in ("loop", "unknown_predecessor")
            for task_id in problem.task_ids
        ]
        ok_path = bool(cpm.critical_path)
        results.append(_result("critical_path_test", blocking if ok_path else [*blocking, "—"], 1))
    else:
        results.append(_not_applicable("critical_path_test"))

    # 12. critical path length index against the contractual end
    if cpm.has_logic and contractual_end is not None and cpm.project_finish is not None:
        remaining = calendar.working_days_between(status, cpm.project_finish) + 1
        margin = calendar.working_days_between(cpm.project_finish, pd.Timestamp(contractual_end))
        cpli = (remaining + margin) / remaining if remaining > 0 else None
        late = [] if cpli is None or cpli >= THRESHOLDS["cpli"][1] else list(cpm.critical_path)
        results.append(_result("cpli", late, max(remaining, 0), cpli))
    else:
        results.append(_not_applicable("cpli"))
    return results
