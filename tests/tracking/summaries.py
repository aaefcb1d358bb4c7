"""A two-lot schedule with its summary rows, as MS Project exports it, built in code (shared by the
tracking, views, charts, exports and page tests of summary rows).

Calendar Monday–Friday, no holiday; status date Wednesday 11/03/2026.

    P   Technopark (project summary, level 1)           file dates 02/03–10/04 (stale: the
                                                         planner had not rescheduled)
    GO  Gros œuvre (summary, level 2, under P)          02/03–13/03
      A   Terrassements   02/03–06/03, 5 d, done (actual 02/03–06/03)
      B   Fondations      09/03–13/03, 5 d, after A, 20 %, actual start 09/03
    CES Corps d'état secondaires (summary, level 2)     16/03–27/03
      C   Plomberie       16/03–20/03, 5 d, after B
      D   Électricité     16/03–27/03, 10 d, after the summary GO (a link to a summary
                                        applies to its children: D follows B)

Baselines equal the file's dates. The summaries carry what MS Project rolls up (% of P 24,
of GO 60, of CES 0; their durations 30, 10, 10 days), never to be counted again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd

from loaders.project import load_project
from loaders.schema import SCHEDULE

T = pd.Timestamp
NaT = pd.NaT
STATUS = T("2026-03-11")

_ROWS = [
    # id, name, lot, start, finish, %, actual start, actual finish, preds, summary, parent, level, wbs
    ("P", "Technopark", None, "2026-03-02", "2026-04-10", 24.0, "2026-03-02", None, None, True, None, 1, "1"),
    ("GO", "Gros œuvre", "Gros œuvre", "2026-03-02", "2026-03-13", 60.0, "2026-03-02", None, None, True, "P", 2, "1.1"),
    ("A", "Terrassements", "Gros œuvre", "2026-03-02", "2026-03-06", 100.0, "2026-03-02", "2026-03-06", None, False, "GO", 3, "1.1.1"),
    ("B", "Fondations", "Gros œuvre", "2026-03-09", "2026-03-13", 20.0, "2026-03-09", None, "A", False, "GO", 3, "1.1.2"),
    ("CES", "Corps d'état secondaires", "CES", "2026-03-16", "2026-03-27", 0.0, None, None, None, True, "P", 2, "1.2"),
    ("C", "Plomberie", "CES", "2026-03-16", "2026-03-20", 0.0, None, None, "B", False, "CES", 3, "1.2.1"),
    ("D", "Électricité", "CES", "2026-03-16", "2026-03-27", 0.0, None, None, "GO", False, "CES", 3, "1.2.2"),
]  # fmt: skip


def _empty(column) -> pd.Series:
    if column.type == "date":
        return pd.Series(NaT, index=range(len(_ROWS)), dtype="datetime64[us]")
    if column.type in ("number", "money", "percent"):
        return pd.Series(float("nan"), index=range(len(_ROWS)), dtype=float)
    if column.type == "bool":
        return pd.Series(False, index=range(len(_ROWS)), dtype=bool)
    return pd.Series(pd.NA, index=range(len(_ROWS)), dtype="str")


def _dates(values) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values)), dtype="datetime64[us]")


def with_summaries(**columns) -> pd.DataFrame:
    """The schedule above, every SCHEDULE column present (NA where the file says nothing);
    ``columns`` replaces whole columns (lists in row order)."""
    frame = pd.DataFrame({column.name: _empty(column) for column in SCHEDULE.columns})
    ids, names, lots, starts, finishes, percent, a_start, a_finish, preds, summary, parent, level, wbs = zip(
        *_ROWS, strict=True
    )  # fmt: skip
    frame = frame.assign(
        task_id=pd.Series(ids, dtype="str"),
        name=pd.Series(names, dtype="str"),
        lot=pd.Series(lots, dtype="str"),
        start=_dates(starts),
        finish=_dates(finishes),
        baseline_start=_dates(starts),
        baseline_finish=_dates(finishes),
        actual_start=_dates(a_start),
        actual_finish=_dates(a_finish),
        percent_complete=pd.Series(percent, dtype=float),
        predecessors=pd.Series(preds, dtype="str"),
        is_summary=pd.Series(summary, dtype=bool),
        summary_id=pd.Series(parent, dtype="str"),
        outline_level=pd.Series(level, dtype=float),
        wbs=pd.Series(wbs, dtype="str"),
        source_row=pd.Series(range(2, 2 + len(_ROWS)), dtype="int64"),
    )
    return frame.assign(**columns)


def tasks_alone() -> pd.DataFrame:
    """The same schedule without its summary rows (D's link to GO becomes a link to B, the
    task GO ends with)."""
    frame = with_summaries()
    frame = frame[~frame[SCHEDULE.is_summary]].reset_index(drop=True)
    return frame.assign(
        predecessors=frame[SCHEDULE.predecessors].replace({"GO": "B"}),
        summary_id=pd.Series(pd.NA, index=frame.index, dtype="str"),
    )


def summary_settings():
    """The sample project's settings for this schedule: works start 02/03/2026, one month
    (contractual end 02/04/2026), Monday–Friday, no holiday."""
    return dataclasses.replace(
        load_project(Path(__file__).resolve().parents[2] / "data" / "project.toml"),
        works_start=dt.date(2026, 3, 2),
        duration_months=1,
        weekend=(5, 6),
        holidays=(),
        status_date=None,
    )


def with_tool_data() -> pd.DataFrame:
    """``with_summaries`` as a project file brings it: B starts no earlier than 09/03, D must
    finish no later than 27/03, A and D on the calendar "Standard" (C5), C on "7 jours" (C7),
    and the tool's total float of each row."""
    return with_summaries(
        constraint_type=pd.Series([None, None, None, "SNET", None, None, "FNLT"], dtype="str"),
        constraint_date=_dates([None, None, None, "2026-03-09", None, None, "2026-03-27"]),
        calendar=pd.Series([None, None, "C5", None, None, "C7", "C5"], dtype="str"),
        file_total_float=pd.Series([0.0, 0.0, 0.0, 0.0, 2.0, 2.0, 0.0], dtype=float),
    )


#: the calendars of ``with_tool_data`` (``loaders.schema.CALENDARS``)
TOOL_CALENDARS = pd.DataFrame(
    {
        "calendar_id": pd.Series(["C5", "C7"], dtype="str"),
        "calendar_name": pd.Series(["Standard", "7 jours"], dtype="str"),
        "work_week": pd.Series(["1111100", "1111111"], dtype="str"),
        "hours_per_day": [8.0, 8.0],
        "is_default": [True, False],
        "exception_start": pd.Series([pd.NaT, pd.NaT], dtype="datetime64[us]"),
        "exception_finish": pd.Series([pd.NaT, pd.NaT], dtype="datetime64[us]"),
        "exception_working": pd.array([pd.NA, pd.NA], dtype="boolean"),
    }
)
