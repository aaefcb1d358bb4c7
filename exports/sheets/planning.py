"""The Planning sheet of the stakeholder workbook: every task with its baseline, forecast and
actual dates, delays, both floats, critical and late flags (late rows highlighted), then the
late and critical tasks and the milestones: the tables of the Planning page
(``views.planning``). A planning tool's summary rows (a lot, a phase) are written as the tool
shows them: in bold, each name indented by its outline level."""

from __future__ import annotations

import pandas as pd

from exports.xlsx_tables import (
    HIGHLIGHT_FILL,
    Formats,
    TableCells,
    excel_kind,
    print_setup,
    write_spec,
)
from i18n import translate
from loaders.schema import SCHEDULE
from tracking.planning import PlanningOverview
from views.planning import late_tasks_table, milestones_table, tasks_table

#: names, lots and comments wrap at this many characters: twenty columns then print one page
#: wide at a readable scale (the three tables share the sheet's columns)
TEXT_CAP = 20


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

    sheet = formats.add_sheet(tr("sheet.planning"))
    sheet.write_string(0, 0, tr("planning.title"), formats.title)
    sheet.write_string(1, 0, tr("planning.subtitle"), formats.subtitle)
    top = 3
    tasks = tasks_table(schedule, overview, lang)
    row = write_spec(
        sheet,
        formats,
        top,
        tasks,
        freeze=False,
        text_cap=TEXT_CAP,
        restyle=_outline(formats, tasks),
    )
    sheet.freeze_panes(top + 1, 3)
    # the late tasks and the milestones start a printed page: neither is split from its title
    sheet.set_h_pagebreaks([row + 1])
    for table in (
        late_tasks_table(schedule, overview, lang),
        milestones_table(schedule, overview, lang),
    ):
        row += 2
        sheet.write_string(row, 0, table.title, formats.bold)
        if table.caption:
            sheet.write_string(row + 1, 0, table.caption, formats.subtitle)
            row += 1
        row = write_spec(
            sheet,
            formats,
            row + 1,
            table,
            autofilter=False,
            freeze=False,
            text_cap=TEXT_CAP,
            within_columns=True,
        )
    print_setup(sheet, header, footer, repeat_row=top)
    return sheet


def _outline(formats: Formats, table):
    """Summary rows of the task table in bold, every name indented by its outline level (one
    Excel indent per level below the first): the formats ``write_spec`` gives those cells
    (None when the planning has no summary row)."""
    summary, levels = table.extra.get("summary", ()), table.extra.get("level", ())
    if not any(summary):
        return None
    name_col = table.ids.index(SCHEDULE.name)
    highlight = table.highlight or (False,) * len(table)

    def restyle(cells: TableCells) -> None:
        names = cells.row_formats(name_col)
        for index, (is_summary, level) in enumerate(zip(summary, levels, strict=True)):
            marked = highlight[index]
            spec = {
                "valign": "top",
                "text_wrap": True,
                "indent": max(int(level) - 1, 0),
                "bold": bool(is_summary),
            }
            if marked:
                spec["bg_color"] = HIGHLIGHT_FILL
            names[index] = formats.style(spec)
        rows = [index for index, is_summary in enumerate(summary) if is_summary]
        for col, column in enumerate(table.columns):
            if col == name_col:
                continue
            kind = excel_kind(column.kind)
            row_formats = cells.row_formats(col)
            for index in rows:
                row_formats[index] = formats.cell(
                    kind, highlight[index], bold=True, wrap=kind == "text"
                )

    return restyle
