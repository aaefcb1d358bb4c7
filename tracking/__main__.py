"""``python -m tracking critical-path FILE [--status-date D] [--csv OUT] [--lang fr|en]``.

The critical path of a schedule as the app computes it, so that a planner can set it beside his
own tool's: for every task its id, name, early and late start and finish, total and free float
(working days of its calendar), whether it is critical, and its constraint. FILE is anything
``loaders.load_schedule`` reads (a spreadsheet, an ``.mpp``, an MSPDI ``.xml``, an ``.xer``…).

The status date is ``--status-date`` when given, else the file's own (the status / data date a
project file declares, or the date above a spreadsheet's header), else today capped as the app
does (``tracking.forecast.cpm_data_date``: before any progress is recorded, the last recorded
date). The project's calendar and progress-logic setting come from the settings
(``$TRACKER_PROJECT``, else ``data/project.toml``; their defaults when unreadable); a project
file's own calendars come with it.

Exit 0 when the critical path is computed (logic problems are listed, not fatal), 1 when the file
cannot be read or the CSV written, or on an unexpected error (one translated line on stderr,
``--debug`` / ``TRACKER_DEBUG=1`` logs the traceback), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from pathlib import Path

import pandas as pd

from exports.safe_csv import to_csv_bytes
from i18n import SUPPORTED_LANGS, translate
from loaders.cli import guarded, start
from loaders.problems import LoadError, problem_line
from loaders.schema import SCHEDULE
from tracking.calendar import WorkCalendar
from tracking.cpm import CPM, CpmResult, compute_critical_path

ROOT = Path(__file__).resolve().parents[1]
PROJECT_ENV = "TRACKER_PROJECT"
#: rows printed on the terminal; the CSV holds them all
SHOWN_ROWS = 60
logger = logging.getLogger("tracking.cli")

_DATE_COLUMNS = (CPM.early_start, CPM.early_finish, CPM.late_start, CPM.late_finish)
COLUMNS = (
    CPM.task_id,
    "name",
    *_DATE_COLUMNS,
    CPM.total_float,
    CPM.free_float,
    CPM.is_critical,
    "constraint",
)


def _settings(lang: str):
    """The project settings, or ``None`` (the defaults) when they cannot be read."""
    from loaders.project import load_project

    path = Path(os.environ.get(PROJECT_ENV) or ROOT / "data" / "project.toml")
    try:
        return load_project(path, lang)
    except LoadError:
        return None


def parse_date(text: str) -> dt.date | None:
    """``20/11/2026`` or ``2026-11-20``; ``None`` when unreadable."""
    text = text.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def critical_path_table(schedule: pd.DataFrame, result: CpmResult, lang: str) -> pd.DataFrame:
    """The task table, headers in ``lang``: id, name, dates, floats, critical, constraint."""
    tasks = result.tasks
    names = schedule[SCHEDULE.name] if SCHEDULE.name in schedule else pd.Series("", schedule.index)
    constraint = (
        schedule["constraint_type"].fillna("")
        if "constraint_type" in schedule
        else pd.Series("", index=schedule.index)
    )
    if "constraint_date" in schedule:
        when = pd.to_datetime(schedule["constraint_date"]).dt.strftime("%d/%m/%Y").fillna("")
        constraint = (constraint + " " + when).str.strip()
    yes, no = (translate(f"cpm.cli.column.{key}", lang) for key in ("yes", "no"))
    table = pd.DataFrame(
        {
            CPM.task_id: tasks[CPM.task_id],
            "name": names.astype("str").fillna(""),
            **{column: tasks[column] for column in _DATE_COLUMNS},
            CPM.total_float: tasks[CPM.total_float],
            CPM.free_float: tasks[CPM.free_float],
            CPM.is_critical: [yes if flag else no for flag in tasks[CPM.is_critical]],
            "constraint": constraint.astype("str"),
        },
        index=schedule.index,
    )
    return table.rename(columns={c: translate(f"cpm.cli.column.{c}", lang) for c in COLUMNS})


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tracking")
    commands = parser.add_subparsers(dest="command", required=True)
    path = commands.add_parser("critical-path", help="critical path and floats of a schedule")
    path.add_argument("file")
    path.add_argument("--status-date")
    path.add_argument("--csv")
    path.add_argument("--lang", choices=[lang for lang in SUPPORTED_LANGS if lang != "ar"])
    path.add_argument("--debug", action="store_true", help="log the technical detail")
    return parser


def _run(args: argparse.Namespace) -> int:
    from loaders import load_schedule
    from tracking.forecast import cpm_data_date

    lang = args.lang
    status: dt.date | None = None
    if args.status_date:
        status = parse_date(args.status_date)
        if status is None:
            print(translate("cpm.cli.bad_date", lang, value=args.status_date), file=sys.stderr)
            return 2
    if not Path(args.file).exists():
        print(translate("cpm.cli.not_found", lang, path=args.file), file=sys.stderr)
        return 1
    settings = _settings(lang)
    try:
        loaded = load_schedule(
            args.file, lang=lang, **({"limits": settings.read_limits} if settings else {})
        )
    except LoadError as error:
        for problem in error.problems:
            print(problem_line(problem, lang), file=sys.stderr)
        return 1
    schedule = loaded.frame
    calendar = (
        WorkCalendar(settings.weekend, settings.holiday_dates) if settings else WorkCalendar()
    )
    if status is None and loaded.declared_date is not None:
        status = pd.Timestamp(loaded.declared_date).date()
    if status is None:
        today = pd.Timestamp(dt.date.today())
        status = pd.Timestamp(cpm_data_date(schedule, schedule[SCHEDULE.start].min(), today)).date()
    calendars = (loaded.tables or {}).get("calendars") if hasattr(loaded, "tables") else None
    result = compute_critical_path(
        schedule,
        calendar,
        status,
        calendars=calendars,
        progress_logic=settings.progress_logic if settings else "retained",  # type: ignore[arg-type]
        **({"max_lag_days": settings.read_limits.max_lag_days} if settings else {}),
    )
    table = critical_path_table(schedule, result, lang)
    scheduled = ~schedule[SCHEDULE.is_summary].eq(True).fillna(False).to_numpy(dtype=bool)
    finish = result.project_finish.strftime("%d/%m/%Y") if result.project_finish else "—"
    critical = ", ".join(result.critical_path[:12]) or translate("cpm.cli.none", lang)
    if len(result.critical_path) > 12:
        critical += ", …"
    summary = translate(
        "cpm.cli.summary",
        lang,
        count=int(scheduled.sum()),
        finish=finish,
        status=status.strftime("%d/%m/%Y"),
        critical=critical,
    )
    print(summary)
    if result.problems:
        print(translate("cpm.cli.problems", lang))
        for problem in result.problems:
            print(
                "  "
                + translate(
                    f"cpm.problem.{problem.code}",
                    lang,
                    tasks=", ".join(problem.task_ids),
                    detail=problem.detail,
                )
            )
    if args.csv:
        try:
            Path(args.csv).write_bytes(to_csv_bytes(table))
        except OSError as error:
            print(
                translate("cpm.cli.cannot_write", lang, path=args.csv, detail=error.strerror),
                file=sys.stderr,
            )
            return 1
        print(translate("cpm.cli.written", lang, count=len(table), path=args.csv))
    else:
        shown = table.head(SHOWN_ROWS).copy()
        for column in _DATE_COLUMNS:
            header = translate(f"cpm.cli.column.{column}", lang)
            shown[header] = pd.to_datetime(shown[header]).dt.strftime("%d/%m/%Y").fillna("")
        for column in (CPM.total_float, CPM.free_float):
            header = translate(f"cpm.cli.column.{column}", lang)
            shown[header] = [("" if pd.isna(v) else str(v)) for v in shown[header]]
        print(shown.to_string(index=False, na_rep=""))
        if len(table) > SHOWN_ROWS:
            print(translate("cpm.cli.table_truncated", lang, count=len(table) - SHOWN_ROWS))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = start(_parser(), argv)
    if isinstance(args, int):
        return args
    args.lang = args.lang or "fr"
    return guarded(lambda: _run(args), args.lang, logger, args.file)


if __name__ == "__main__":
    sys.exit(main())
