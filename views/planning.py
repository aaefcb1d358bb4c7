"""What the Planning page says, computed once for the page and the workbook: the verdict, the
headline figures, the earned-schedule sentence, the logic problems, and the tables (late and
critical tasks, milestones, every task, the schedule checks).

Two floats are told apart everywhere: the *float on the network* (``CPM.total_float``: from
the forecast finish, what makes a task critical, never negative) and the *float to the
contractual end* (``FLOAT_TO_CONTRACT``: negative when the task cannot finish in time, what
the "negative float" check counts).

A schedule from a planning tool brings its outline (summary rows, WBS codes), constraints,
calendars and the tool's own float: the task table shows them beside ours, and only when the
schedule has them (a spreadsheet without these columns gives the table it always had). Summary
rows are in the task table (flagged, for the workbook's bold and indentation) and in no list of
late or critical tasks nor of milestones.
"""

from __future__ import annotations

import pandas as pd

from i18n import translate
from i18n.format import format_percent
from loaders.schema import SCHEDULE
from loaders.tables import SOURCE_ROW
from tracking.checks import CheckResult
from tracking.cpm import CPM
from tracking.forecast import (
    DELAY_CALENDAR_DAYS,
    DELAY_WORKING_DAYS,
    FLOAT_TO_CONTRACT,
    FORECAST_FINISH,
    FORECAST_START,
    IS_LATE,
)
from tracking.outline import ancestors, outline_levels, summary_rows
from tracking.planning import PlanningOverview, late_and_critical_table
from views.format import format_value, signed_days
from views.reasons import reason_text
from views.spec import Column, Figure, Table, Verdict, make_table

#: the reached flag of the milestones table
REACHED = "reached"
#: the columns of the schedule checks table
CHECK, RESULT, COUNT, POPULATION, VALUE, THRESHOLD, TASKS, HELP = (
    "check",
    "result",
    "count",
    "population",
    "value",
    "threshold",
    "tasks",
    "help",
)
#: the task table's columns for a planning tool's data: the constraint in words, the name of
#: the task's calendar, the row's outline level and summary flag
CONSTRAINT, CALENDAR_NAME, LEVEL, IS_SUMMARY = (
    "constraint",
    "calendar_name",
    "outline_level",
    "is_summary",
)
#: constraint codes (``loaders.schema``) that need no date, and the one that says nothing
_UNDATED_CONSTRAINTS = ("ASAP", "ALAP")


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"planning.{key}", lang, **params)


def _date(value, lang: str) -> str:
    return format_value(value, "date", lang)


# --- verdict and figures ---------------------------------------------------------------------


def planning_verdict(overview: PlanningOverview, lang: str) -> Verdict:
    """Will the works finish on time? One sentence, its level and icon."""
    forecast = overview.forecast
    delay = forecast.delay_vs_contract_days
    params = {
        "finish": _date(forecast.forecast_finish, lang),
        "days": abs(delay or 0),
        "end": _date(forecast.contractual_end, lang),
    }
    if forecast.forecast_finish is None:
        if forecast.reason:
            reason = reason_text(forecast.reason, lang, embedded=True)
            return Verdict(_tr("verdict_no_forecast_because", lang, reason=reason), "info")
        return Verdict(_tr("verdict_no_forecast", lang), "info")
    if forecast.completed:
        late = (delay or 0) > 0
        key = "verdict_completed_late" if late else "verdict_completed"
        return Verdict(
            _tr(key, lang, **params), "warning" if late else "success", ":material/flag:"
        )
    if delay and delay > 0:
        return Verdict(_tr("verdict_late", lang, **params), "error", ":material/schedule:")
    return Verdict(_tr("verdict_on_time", lang, **params), "success", ":material/event_available:")


def planning_figures(overview: PlanningOverview, lang: str) -> list[Figure]:
    """Planned and actual progress, forecast finish (the réception once done), delay to the
    contract, penalties, critical and late tasks, SPI(t)."""
    forecast, earned, penalty = overview.forecast, overview.earned, overview.penalty
    basis = _tr(f"basis_{overview.weights.basis}", lang)
    no_forecast = reason_text(forecast.reason, lang)
    delay = forecast.delay_vs_contract_days
    figures = [
        Figure("planned", _tr("metric_planned", lang), overview.planned_percent / 100, "percent"),
        Figure(
            "actual",
            _tr("metric_actual", lang),
            overview.actual_percent / 100,
            "percent",
            help=_tr("metric_actual_help", lang, basis=basis),
            detail=_tr(
                "detail_gap", lang, points=format_value(overview.progress_gap, "number", lang)
            ),
        ),
        Figure(
            "reception" if forecast.completed else "forecast_finish",
            _tr("metric_reception" if forecast.completed else "metric_forecast", lang),
            forecast.forecast_finish,
            "date",
            help=no_forecast or _tr(f"metric_forecast_help_{forecast.source}", lang),
            reason=forecast.reason if forecast.forecast_finish is None else None,
        ),
        Figure(
            "delay",
            _tr("metric_delay", lang),
            delay,
            "days",
            help=_tr("metric_delay_help", lang),
            shown=signed_days(delay, lang),
            reason=forecast.reason if delay is None else None,
        ),
    ]
    if penalty is None:
        figures.append(
            Figure(
                "penalty",
                _tr("metric_penalty", lang),
                None,
                "money",
                help=_tr("metric_penalty_none", lang),
            )
        )
    else:
        figures.append(
            Figure(
                "penalty",
                _tr("metric_penalty", lang),
                penalty.amount,
                "money",
                help=_tr(
                    "metric_penalty_help",
                    lang,
                    rate=format_percent(penalty.rate_per_day, lang, 1),
                    amount=format_value(penalty.contract_amount, "money", lang),
                    cap=format_percent(penalty.cap, lang, 0),
                    cap_amount=format_value(penalty.cap_amount, "money", lang),
                    days=penalty.days_to_cap,
                ),
            )
        )
    figures += [
        Figure("critical", _tr("metric_critical", lang), overview.critical_count, "count"),
        Figure("late", _tr("metric_late", lang), overview.late_count, "count"),
        Figure(
            "spi_t",
            _tr("metric_spi", lang),
            None if earned.forecast_finish is None else earned.spi_t,
            "ratio",
            help=_tr("metric_spi_help", lang),
            reason=earned.reason,
        ),
    ]
    return figures


def earned_schedule_text(overview: PlanningOverview, lang: str) -> str:
    """The earned-schedule paragraph: where actual progress stands on the planned curve."""
    forecast, earned = overview.forecast, overview.earned
    spi = format_value(earned.spi_t, "ratio", lang)
    if forecast.completed:
        if earned.spi_t is None:
            return _tr("earned_text_none", lang)
        finish = _date(forecast.forecast_finish, lang)
        return _tr("earned_text_completed", lang, finish=finish, spi=spi)
    if earned.forecast_finish is None:
        return _tr("earned_text_none", lang)
    return _tr(
        "earned_text",
        lang,
        actual=format_value(overview.actual_percent / 100, "percent", lang),
        earned=format_value(earned.earned_schedule, "number", lang),
        elapsed=earned.actual_time,
        spi=spi,
        finish=_date(earned.forecast_finish, lang),
    )


def plan_source_note(overview: PlanningOverview, lang: str) -> str:
    """Said when the plan is measured on the current dates (no baseline in the file)."""
    return _tr("plan_source_current", lang) if overview.plan_source == "current" else ""


def logic_problems(overview: PlanningOverview, lang: str) -> list[str]:
    """One sentence per problem found in the schedule's logic (a loop, an unknown
    predecessor…); the absence of any link is said apart (``no_logic_text``)."""
    return [
        translate(
            f"cpm.problem.{problem.code}",
            lang,
            tasks=", ".join(problem.task_ids),
            detail=problem.detail,
        )
        for problem in overview.cpm.problems
        if problem.code != "no_logic"
    ]


def no_logic_text(overview: PlanningOverview, lang: str) -> str:
    return "" if overview.cpm.has_logic else _tr("no_logic", lang)


# --- tables ----------------------------------------------------------------------------------


def _col(key: str, lang: str) -> str:
    return _tr(f"col.{key}", lang)


def _yes_no(lang: str) -> tuple[str, str]:
    return translate("format.yes", lang), translate("format.no", lang)


def _float_columns(lang: str) -> list[Column]:
    return [
        Column(
            CPM.total_float,
            _col("float_network", lang),
            "int",
            19,
            _col("float_network_help", lang),
        ),
        Column(
            FLOAT_TO_CONTRACT,
            _col("float_contract", lang),
            "int",
            27,
            _col("float_contract_help", lang),
        ),
    ]


def late_tasks_table(schedule: pd.DataFrame, overview: PlanningOverview, lang: str) -> Table:
    """Tasks late or critical, most delayed first; critical rows highlighted."""
    frame = late_and_critical_table(schedule, overview)
    frame = frame.assign(**{SCHEDULE.percent_complete: frame[SCHEDULE.percent_complete] / 100})
    # the two floats side by side, beside the delay, within the first screen width
    columns = [
        Column(SCHEDULE.task_id, _col("task_id", lang), "text", 5),
        Column(SCHEDULE.name, _col("name", lang), "text", 28),
        Column(FORECAST_FINISH, _col("forecast_finish", lang), "date", 15),
        Column(DELAY_CALENDAR_DAYS, _col("delay_calendar_days", lang), "int", 19),
        *_float_columns(lang),
        Column(SCHEDULE.percent_complete, _col("percent_complete", lang), "percent"),
        Column(CPM.is_critical, _col("is_critical", lang), "bool"),
        Column(SCHEDULE.baseline_finish, _col("baseline_finish", lang), "date", 14),
        Column(SCHEDULE.lot, _col("lot", lang), "text", 16),
        Column(SCHEDULE.comment, _col("comment", lang), "text", 30),
    ]
    return make_table(
        "planning.late",
        _tr("table_title", lang),
        frame,
        columns,
        highlight=frame[CPM.is_critical],
        caption=_tr("table_caption", lang),
        empty_text=_tr("table_empty", lang),
        file_stem=_tr("late_file", lang),
        yes_no=_yes_no(lang),
    )


#: task rows a Gantt draws at most: beyond, a bar per lot (or per phase of the planning
#: tool's outline) until lots are chosen or tasks searched; a 4 000-row chart is several MB
#: to send and cannot be read
GANTT_MAX_ROWS = 250


def gantt_selection(
    rows: pd.DataFrame, lots: list[str], only_late: bool, search: str = ""
) -> pd.DataFrame:
    """The Gantt's rows (``charts.gantt.gantt_rows``) the page's filters keep: the lots chosen
    (every lot when none), only the late or critical tasks when asked, the tasks whose number
    or name holds ``search`` (any case; the text as typed, not a pattern); the summary rows
    above a task kept stay, so that it is still drawn under its lot and phase."""
    keep = pd.Series(True, index=rows.index)
    if lots:
        keep &= rows[SCHEDULE.lot].isin(lots)
    words = search.strip().casefold()
    if words:
        text = rows[SCHEDULE.task_id].astype("str") + " " + rows[SCHEDULE.name].astype("str")
        keep &= text.str.casefold().str.contains(words, regex=False)
    if only_late:
        keep &= rows[IS_LATE].fillna(False).astype(bool) | rows[CPM.is_critical].fillna(
            False
        ).astype(bool)
    summary = summary_rows(rows)
    if summary.any():
        above = ancestors(rows)
        kept_ids = rows.loc[keep & ~summary, SCHEDULE.task_id].astype("str").str.strip()
        wanted = {parent for task_id in kept_ids for parent in above.get(task_id, [])}
        ids = rows[SCHEDULE.task_id].astype("str").str.strip()
        keep = (keep & ~summary) | (summary & ids.isin(wanted))
    return rows[keep]


def top_late_tasks(
    schedule: pd.DataFrame, overview: PlanningOverview, limit: int = 5
) -> pd.DataFrame:
    """The open tasks furthest behind their baseline (critical ones first among equals)."""
    table = late_and_critical_table(schedule, overview)
    return table[table[IS_LATE]].head(limit).reset_index(drop=True)


def _optional(schedule: pd.DataFrame, name: str, dtype) -> pd.Series:
    """A SCHEDULE column a frame built before the planning-tool columns may lack (blank)."""
    if name in schedule:
        return schedule[name]
    return pd.Series(pd.NA if dtype == "str" else float("nan"), index=schedule.index, dtype=dtype)


def constraint_text(kind, date, lang: str) -> str:
    """A task's constraint in words (``Début au plus tôt le 16/02/2026``); blank for none or
    "as soon as possible" (every task's default, said by nothing); an unknown code as typed."""
    if kind is None or pd.isna(kind) or not str(kind).strip():
        return ""
    code = str(kind).strip().upper()
    if code == "ASAP":
        return ""
    key = f"planning.constraint.{code}"
    if translate(key, lang) == key:
        return str(kind).strip()
    if code in _UNDATED_CONSTRAINTS or date is None or pd.isna(date):
        return translate(key, lang, date="—")
    return translate(key, lang, date=_date(date, lang))


def calendar_names(schedule: pd.DataFrame, calendars: pd.DataFrame | None) -> pd.Series:
    """Each task's calendar by its name in the project file (its id when it has no name, or
    when the file's calendars are not known)."""
    ids = _optional(schedule, SCHEDULE.calendar, "str")
    if calendars is None or calendars.empty or "calendar_id" not in calendars:
        return ids
    names = calendars.drop_duplicates("calendar_id").set_index("calendar_id")
    names = names.get("calendar_name", pd.Series(dtype="str"))
    named = ids.map(names.dropna().to_dict())
    return named.where(named.notna(), ids).astype("str")


def _has_values(series: pd.Series) -> bool:
    """The column holds something: a value that is not blank (text: not empty)."""
    values = series.dropna()
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        values = values.astype("str").str.strip()
        values = values[values != ""]
    return bool(len(values))


def _task_frame(schedule: pd.DataFrame, overview: PlanningOverview, lang: str) -> pd.DataFrame:
    """Every task in the file's order with its forecast, delays, floats and flags, and the
    planning tool's outline, constraint, calendar and float."""
    tasks = overview.tasks
    summary = summary_rows(schedule)
    constraints = [
        constraint_text(kind, date, lang)
        for kind, date in zip(
            _optional(schedule, SCHEDULE.constraint_type, "str"),
            _optional(schedule, SCHEDULE.constraint_date, "datetime64[us]"),
            strict=True,
        )
    ]
    return pd.DataFrame(
        {
            SCHEDULE.task_id: schedule[SCHEDULE.task_id],
            SCHEDULE.wbs: _optional(schedule, SCHEDULE.wbs, "str"),
            LEVEL: outline_levels(schedule),
            IS_SUMMARY: summary,
            SCHEDULE.lot: schedule[SCHEDULE.lot],
            SCHEDULE.name: schedule[SCHEDULE.name],
            SCHEDULE.baseline_start: schedule[SCHEDULE.baseline_start],
            SCHEDULE.baseline_finish: schedule[SCHEDULE.baseline_finish],
            FORECAST_START: tasks[FORECAST_START],
            FORECAST_FINISH: tasks[FORECAST_FINISH],
            SCHEDULE.actual_start: schedule[SCHEDULE.actual_start],
            SCHEDULE.actual_finish: schedule[SCHEDULE.actual_finish],
            SCHEDULE.percent_complete: schedule[SCHEDULE.percent_complete] / 100,
            DELAY_CALENDAR_DAYS: tasks[DELAY_CALENDAR_DAYS],
            DELAY_WORKING_DAYS: tasks[DELAY_WORKING_DAYS],
            CPM.total_float: tasks[CPM.total_float],
            FLOAT_TO_CONTRACT: tasks[FLOAT_TO_CONTRACT],
            CPM.is_critical: tasks[CPM.is_critical],
            IS_LATE: tasks[IS_LATE],
            SCHEDULE.milestone: schedule[SCHEDULE.milestone].fillna(False).astype(bool) & ~summary,
            SCHEDULE.predecessors: schedule[SCHEDULE.predecessors],
            CONSTRAINT: pd.Series(constraints, index=schedule.index, dtype="str"),
            CALENDAR_NAME: calendar_names(schedule, overview.calendars),
            SCHEDULE.file_total_float: _optional(schedule, SCHEDULE.file_total_float, float),
            SCHEDULE.comment: schedule[SCHEDULE.comment],
            SOURCE_ROW: _optional(schedule, SOURCE_ROW, float),
        }
    )


def tasks_table(schedule: pd.DataFrame, overview: PlanningOverview, lang: str) -> Table:
    """Every task in the planner's order (the Planning sheet); late rows highlighted. The
    planning tool's columns are there when the schedule has their data: the WBS code (else the
    outline level, when there are summary rows), the tool's float beside ours, the constraint
    and the calendar. ``extra``: ``summary`` and ``level``, one per row (the workbook writes
    the summaries in bold and indents the names)."""
    frame = _task_frame(schedule, overview, lang)
    outline: list[Column] = []
    if _has_values(frame[SCHEDULE.wbs]):
        outline = [Column(SCHEDULE.wbs, _col("wbs", lang), "text", 14)]
    elif frame[IS_SUMMARY].any():
        outline = [Column(LEVEL, _col("outline_level", lang), "int", 7)]
    tool_float = []
    if _has_values(frame[SCHEDULE.file_total_float]):
        tool_float = [
            Column(
                SCHEDULE.file_total_float,
                _col("file_total_float", lang),
                "number",
                12,
                _col("file_total_float_help", lang),
            )
        ]
    tool_data = [
        Column(column, _col(key, lang), "text", width)
        for column, key, width in (
            (CONSTRAINT, "constraint", 24),
            (CALENDAR_NAME, "calendar", 16),
        )
        if _has_values(frame[column])
    ]
    # a spreadsheet's rows are numbered as in Excel; a project file has no rows to point to
    source_row = (
        [Column(SOURCE_ROW, _col("source_row", lang), "int", 8)] if SOURCE_ROW in schedule else []
    )
    columns = [
        Column(SCHEDULE.task_id, _col("task_id", lang), "text", 7),
        *outline,
        Column(SCHEDULE.lot, _col("lot", lang), "text", 20),
        Column(SCHEDULE.name, _col("name", lang), "text", 42),
        Column(SCHEDULE.baseline_start, _col("baseline_start", lang), "date"),
        Column(SCHEDULE.baseline_finish, _col("baseline_finish", lang), "date"),
        Column(FORECAST_START, _col("forecast_start", lang), "date"),
        Column(FORECAST_FINISH, _col("forecast_finish", lang), "date"),
        Column(SCHEDULE.actual_start, _col("actual_start", lang), "date"),
        Column(SCHEDULE.actual_finish, _col("actual_finish", lang), "date"),
        Column(SCHEDULE.percent_complete, _col("percent_complete", lang), "percent"),
        Column(DELAY_CALENDAR_DAYS, _col("delay_calendar_days", lang), "int", 19),
        Column(DELAY_WORKING_DAYS, _col("delay_working_days", lang), "int", 19),
        *_float_columns(lang),
        *tool_float,
        Column(CPM.is_critical, _col("is_critical", lang), "bool"),
        Column(IS_LATE, _col("is_late", lang), "bool"),
        Column(SCHEDULE.milestone, _col("milestone", lang), "bool"),
        Column(SCHEDULE.predecessors, _col("predecessors", lang), "text", 16),
        *tool_data,
        Column(SCHEDULE.comment, _col("comment", lang), "text", 36),
        *source_row,
    ]
    return make_table(
        "planning.tasks",
        _tr("tasks_title", lang),
        frame,
        columns,
        highlight=frame[IS_LATE],
        caption=_tr("tasks_caption", lang),
        empty_text=_tr("table_empty", lang),
        file_stem=_tr("tasks_file", lang),
        yes_no=_yes_no(lang),
        extra={
            "summary": tuple(bool(flag) for flag in frame[IS_SUMMARY]),
            "level": tuple(int(level) for level in frame[LEVEL]),
        },
    )


def milestones_table(schedule: pd.DataFrame, overview: PlanningOverview, lang: str) -> Table:
    """The milestones in date order: baseline, forecast and actual dates, delay, float to the
    contractual end, reached or not; late ones highlighted."""
    frame = _task_frame(schedule, overview, lang)
    frame = frame[frame[SCHEDULE.milestone]]
    frame = frame.assign(**{REACHED: frame[SCHEDULE.actual_finish].notna()})
    frame = frame.sort_values([FORECAST_FINISH, SCHEDULE.baseline_finish], kind="stable")
    columns = [
        Column(SCHEDULE.task_id, _col("task_id", lang), "text", 6),
        Column(SCHEDULE.name, _col("name", lang), "text", 24),
        Column(SCHEDULE.baseline_finish, _col("baseline_date", lang), "date"),
        Column(FORECAST_FINISH, _col("forecast_date", lang), "date"),
        Column(SCHEDULE.actual_finish, _col("actual_date", lang), "date"),
        Column(DELAY_CALENDAR_DAYS, _col("delay_calendar_days", lang), "int", 19),
        _float_columns(lang)[1],
        Column(REACHED, _col("reached", lang), "bool"),
    ]
    return make_table(
        "planning.milestones",
        _tr("milestones_title", lang),
        frame,
        columns,
        highlight=frame[IS_LATE],
        empty_text=_tr("milestones_empty", lang),
        file_stem=_tr("milestones_file", lang),
        yes_no=_yes_no(lang),
    )


def _check_result(check: CheckResult, lang: str) -> str:
    if check.passed is None:
        return translate("checks.col.not_applicable", lang)
    return translate("checks.col.pass" if check.passed else "checks.col.fail", lang)


def _check_threshold(check: CheckResult, lang: str) -> str:
    """The rule with its bound: ``≤ 5,0 %``, ``≥ 95,0 %``, ``aucun``."""
    if check.rule == "max_count":
        return translate("checks.rule.max_count", lang, count=int(check.threshold))
    sign = "≥" if check.rule == "min_ratio" else "≤"
    return f"{sign} {format_value(check.threshold, 'percent', lang)}"


def _check_value(check: CheckResult) -> float | None:
    """The measured share compared with the threshold (the CPLI as a share of 1); count rules
    have their count in the count column and nothing more to measure."""
    return None if check.rule == "max_count" else check.value


def checks_table(overview: PlanningOverview, high_float_days: int, lang: str) -> Table:
    """The schedule checks (after the DCMA 14 points): result, count, population, the share
    or index measured, the rule, the tasks involved and what each check measures."""
    checks = overview.checks
    frame = pd.DataFrame(
        {
            CHECK: [translate(f"checks.name.{c.code}", lang, days=high_float_days) for c in checks],
            RESULT: [_check_result(c, lang) for c in checks],
            COUNT: [c.count for c in checks],
            POPULATION: [c.population for c in checks],
            VALUE: pd.array([_check_value(c) for c in checks], dtype="Float64"),
            THRESHOLD: [_check_threshold(c, lang) for c in checks],
            TASKS: [", ".join(c.task_ids) for c in checks],
            HELP: [translate(f"checks.help.{c.code}", lang, days=high_float_days) for c in checks],
        }
    )
    applicable = [c for c in checks if c.passed is not None]
    passed = sum(bool(c.passed) for c in applicable)
    columns = [
        Column(CHECK, translate("checks.col.check", lang), "text", 48),
        Column(RESULT, translate("checks.col.result", lang), "text", 13),
        Column(COUNT, translate("checks.col.count", lang), "count", 8),
        Column(POPULATION, translate("checks.col.population", lang), "count", 8),
        Column(VALUE, translate("checks.col.value", lang), "percent", 9),
        Column(THRESHOLD, translate("checks.col.threshold", lang), "text", 12),
        Column(TASKS, translate("checks.col.tasks", lang), "text", 40),
        Column(HELP, translate("checks.col.help", lang), "text", 70),
    ]
    return make_table(
        "planning.checks",
        _tr("checks_title", lang),
        frame,
        columns,
        highlight=[c.passed is False for c in checks],
        caption=_tr("checks_passed", lang, passed=passed, total=len(applicable)),
        file_stem=_tr("checks_file", lang),
    )
