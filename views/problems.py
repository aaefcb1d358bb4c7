"""The problems of a file as a table: the Données page's import report, the settings error
and the workbook's Contrôles sheet draw this one spec (errors first, highlighted)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from i18n import translate
from loaders.problems import Problem, problems_frame
from views.spec import Column, Table, make_table


def problems_table(
    problems: Sequence[Problem],
    lang: str,
    *,
    tables: Sequence[str | None] | None = None,
    with_file: bool = False,
    key: str = "problems",
) -> Table:
    """Severity, (table,) (file,) sheet, Excel row, (task,) column, value, message. ``tables``
    names the table of each problem (a finance workbook holds three); ``with_file`` adds the
    file name (the workbook lists the warnings of every file in use). A planning-software file's
    problems are placed by task (its id) instead of sheet and row: the task column shows when a
    problem has one, the sheet and row columns when a problem has them or none has a task."""
    problems = list(problems)
    frame = problems_frame(problems)
    order = list(frame.index)  # problems_frame sorts errors first and keeps each position
    frame = frame.reset_index(drop=True).assign(
        severity=frame["severity"].map(lambda s: translate(f"severity.{s}", lang)).to_numpy(),
        value=frame["value"].map(lambda v: "" if v is None or pd.isna(v) else str(v)).to_numpy(),
        file=[problems[i].file or "" for i in order],
        task=[problems[i].task or "" for i in order],
        table=[
            translate(f"data_page.table.{tables[i]}", lang) if tables and tables[i] else ""
            for i in order
        ],
    )
    columns = [Column("severity", _label("severity", lang), width=10)]
    if tables is not None:
        columns.append(Column("table", _label("table", lang), width=16))
    if with_file:
        columns.append(Column("file", translate("export.col.file", lang), width=26))
    by_task = any(p.task for p in problems)
    if not by_task or any(p.sheet or p.row is not None for p in problems):
        columns += [
            Column("sheet", _label("sheet", lang), width=14),
            Column("row", _label("row", lang), "int", width=7),
        ]
    if by_task:
        columns.append(Column("task", _label("task", lang), width=14))
    columns += [
        Column("column", _label("column", lang), width=18),
        Column("value", _label("value", lang), width=18),
        Column("message", _label("message", lang), width=80),
    ]
    errors = [problems[i].is_error for i in order]
    return make_table(key, "", frame, columns, highlight=errors)


def _label(name: str, lang: str) -> str:
    return translate(f"data_page.report.{name}", lang)
