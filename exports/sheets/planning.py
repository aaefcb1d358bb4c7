"""The Planning sheet of the stakeholder workbook: every task with its baseline, forecast and
actual dates, delay, float, critical and late flags (late rows highlighted), and the schedule
checks for the Contrôles sheet."""

from __future__ import annotations

import pandas as pd

from exports.xlsx_tables import Col, Formats, print_setup, write_table
from i18n import translate
from loaders.schema import SCHEDULE
from tracking.checks import CheckResult
from tracking.cpm import CPM
from tracking.forecast import (
    DELAY_CALENDAR_DAYS,
    DELAY_WORKING_DAYS,
    FORECAST_FINISH,
    FORECAST_START,
    IS_LATE,
)
from tracking.planning import PlanningOverview


def planning_rows(schedule: pd.DataFrame, overview: PlanningOverview) -> pd.DataFrame:
    """The task table, in the order of the schedule file (the planner's own order)."""
    tasks = overview.tasks
    return pd.DataFrame(
        {
            SCHEDULE.task_id: schedule[SCHEDULE.task_id],
            SCHEDULE.lot: schedule[SCHEDULE.lot],
            SCHEDULE.name: schedule[SCHEDULE.name],
            SCHEDULE.baseline_start: schedule[SCHEDULE.baseline_start],
            SCHEDULE.baseline_finish: schedule[SCHEDULE.baseline_finish],
            FORECAST_START: tasks[FORECAST_START],
            FORECAST_FINISH: tasks[FORECAST_FINISH],
            SCHEDULE.actual_start: schedule[SCHEDULE.actual_start],
            SCHEDULE.actual_finish: schedule[SCHEDULE.actual_finish],
            SCHEDULE.percent_complete: schedule[SCHEDULE.percent_complete] / 100,
            DELAY_CALENDAR_DAYS: tasks[DELAY_CALENDAR_DAYS].astype("Float64"),
            DELAY_WORKING_DAYS: tasks[DELAY_WORKING_DAYS].astype("Float64"),
            CPM.total_float: tasks[CPM.total_float].astype("Float64"),
            CPM.is_critical: tasks[CPM.is_critical],
            IS_LATE: tasks[IS_LATE],
            SCHEDULE.milestone: schedule[SCHEDULE.milestone],
            SCHEDULE.predecessors: schedule[SCHEDULE.predecessors],
            SCHEDULE.comment: schedule[SCHEDULE.comment],
            "source_row": schedule["source_row"],
        }
    )


def write_planning_sheet(
    workbook,
    formats: Formats,
    schedule: pd.DataFrame,
    overview: PlanningOverview,
    lang: str,
    header: str,
    footer: str,
):
    def tr(key: str, **params) -> str:
        return translate(f"export.{key}", lang, **params)

    sheet = workbook.add_worksheet(tr("sheet.planning"))
    sheet.write_string(0, 0, tr("planning.title"), formats.title)
    sheet.write_string(1, 0, tr("planning.subtitle"), formats.subtitle)
    rows = planning_rows(schedule, overview)
    columns = [
        Col(SCHEDULE.task_id, tr("col.task_id"), "text", 7),
        Col(SCHEDULE.lot, tr("col.lot"), "text", 20),
        Col(SCHEDULE.name, tr("col.task"), "text", 42),
        Col(SCHEDULE.baseline_start, tr("col.baseline_start"), "date"),
        Col(SCHEDULE.baseline_finish, tr("col.baseline_finish"), "date"),
        Col(FORECAST_START, tr("col.forecast_start"), "date"),
        Col(FORECAST_FINISH, tr("col.forecast_finish"), "date"),
        Col(SCHEDULE.actual_start, tr("col.actual_start"), "date"),
        Col(SCHEDULE.actual_finish, tr("col.actual_finish"), "date"),
        Col(SCHEDULE.percent_complete, tr("col.percent_complete"), "percent"),
        Col(DELAY_CALENDAR_DAYS, tr("col.delay_calendar"), "int"),
        Col(DELAY_WORKING_DAYS, tr("col.delay_working"), "int"),
        Col(CPM.total_float, tr("col.total_float"), "int"),
        Col(CPM.is_critical, tr("col.critical"), "bool"),
        Col(IS_LATE, tr("col.late"), "bool"),
        Col(SCHEDULE.milestone, tr("col.milestone"), "bool"),
        Col(SCHEDULE.predecessors, tr("col.predecessors"), "text", 16),
        Col(SCHEDULE.comment, tr("col.comment"), "text", 36),
        Col("source_row", tr("col.source_row"), "int", 8),
    ]
    top = 3
    write_table(
        sheet, formats, top, rows, columns, highlight=rows[IS_LATE], yes_no=(tr("yes"), tr("no"))
    )
    sheet.freeze_panes(top + 1, 3)
    print_setup(sheet, header, footer, repeat_row=top)
    return sheet, rows, top


def checks_rows(checks: list[CheckResult], lang: str) -> pd.DataFrame:
    def result(check: CheckResult) -> str:
        if check.passed is None:
            return translate("checks.col.not_applicable", lang)
        return translate("checks.col.pass" if check.passed else "checks.col.fail", lang)

    return pd.DataFrame(
        {
            "check": [translate(f"checks.name.{c.code}", lang) for c in checks],
            "result": [result(c) for c in checks],
            "count": [c.count for c in checks],
            "population": [c.population for c in checks],
            "value": [c.value for c in checks],
            "threshold": [c.threshold for c in checks],
            "rule": [translate(f"export.rule.{c.rule}", lang) for c in checks],
            "tasks": [", ".join(c.task_ids) for c in checks],
            "help": [translate(f"checks.help.{c.code}", lang) for c in checks],
            "failed": [c.passed is False for c in checks],
        }
    )
