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
    excel_kind,
    print_setup,
    spec_frame,
    write_spec,
    write_value,
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

    sheet = workbook.add_worksheet(tr("sheet.planning"))
    sheet.write_string(0, 0, tr("planning.title"), formats.title)
    sheet.write_string(1, 0, tr("planning.subtitle"), formats.subtitle)
    top = 3
    tasks = tasks_table(schedule, overview, lang)
    row = write_spec(sheet, formats, top, tasks, freeze=False, text_cap=TEXT_CAP)
    _outline_rows(workbook, sheet, formats, top, tasks)
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


def _outline_rows(workbook, sheet, formats: Formats, top: int, table) -> None:
    """Summary rows of the task table in bold, every name indented by its outline level (one
    Excel indent per level below the first), over the cells ``write_spec`` wrote."""
    summary, levels = table.extra.get("summary", ()), table.extra.get("level", ())
    if not any(summary):
        return
    values = spec_frame(table)
    name_col = table.ids.index(SCHEDULE.name)
    highlight = table.highlight or (False,) * len(table)
    indented: dict[tuple[int, bool, bool], object] = {}
    for index, (is_summary, level) in enumerate(zip(summary, levels, strict=True)):
        marked = highlight[index]
        for col, column in enumerate(table.columns):
            kind = excel_kind(column.kind)
            if col == name_col:
                key = (max(int(level) - 1, 0), bool(is_summary), marked)
                if key not in indented:
                    spec = {"valign": "top", "text_wrap": True, "indent": key[0], "bold": key[1]}
                    if marked:
                        spec["bg_color"] = HIGHLIGHT_FILL
                    indented[key] = workbook.add_format(spec)
                fmt = indented[key]
            elif is_summary:
                fmt = formats.cell(kind, marked, bold=True, wrap=kind == "text")
            else:
                continue
            value = values.iloc[index, col]
            write_value(
                sheet, top + 1 + index, col, value, kind, fmt, table.yes_no, column.missing_text
            )
