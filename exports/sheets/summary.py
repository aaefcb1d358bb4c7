"""Synthèse sheet: the headline figures, the ratings with their reasons, the late tasks, the open alerts and the native charts."""

from __future__ import annotations

import pandas as pd

from exports.briefing import (
    COLOR_HEX,
    headline_figures,
    open_alerts,
    rating_reason,
    top_late_tasks,
)
from exports.xlsx_tables import Col, Formats, print_setup, write_table, write_value
from i18n import translate
from i18n.format import format_date
from views.reasons import reason_text


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"export.{key}", lang, **params)


# --- Synthèse --------------------------------------------------------------------------------


def write_summary_sheet(
    workbook,
    sheet,
    formats: Formats,
    situation,
    lang,
    header,
    footer,
    planning_sheet,
    spending_sheet,
    areas_sheet,
):
    settings = situation.settings
    sheet.write_string(
        0,
        0,
        translate(
            "briefing.heading",
            lang,
            project=settings.name,
            date=format_date(situation.status_date, lang),
        ),
        formats.title,
    )
    sheet.write_string(
        1,
        0,
        translate("briefing.caption", lang, owner=settings.owner, programme=settings.programme),
        formats.subtitle,
    )
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2, 70)

    row = 3
    sheet.write_string(row, 0, translate("briefing.ratings_title", lang), formats.bold)
    row += 1
    for col, text in enumerate(
        (_tr("col.dimension", lang), _tr("col.rating", lang), _tr("col.reason", lang))
    ):
        sheet.write_string(row, col, text, formats.header)
    for rating in situation.ratings:
        row += 1
        fill = workbook.add_format(
            {
                "bg_color": COLOR_HEX[rating.color],
                "font_color": "#FFFFFF",
                "bold": True,
                "align": "center",
            }
        )
        sheet.write_string(
            row, 0, translate(f"rag.dimension.{rating.dimension}", lang), formats.bold
        )
        sheet.write_string(row, 1, translate(f"rag.color.{rating.color}", lang), fill)
        sheet.write_string(row, 2, rating_reason(rating, situation, lang), formats.wrap)
        sheet.set_row(row, 32)

    row += 2
    sheet.write_string(row, 0, _tr("summary.figures", lang), formats.bold)
    row += 1
    for col, text in enumerate(
        (_tr("col.indicator", lang), _tr("col.value", lang), _tr("col.detail", lang))
    ):
        sheet.write_string(row, col, text, formats.header)
    kinds = {"percent": "percent", "money": "money", "date": "date"}
    for figure in headline_figures(situation, lang):
        row += 1
        sheet.write_string(row, 0, figure.label)
        kind = kinds[figure.kind]
        why = reason_text(figure.reason, lang) or translate("stages.not_available", lang)
        write_value(sheet, row, 1, figure.raw, kind, formats.cell(kind), missing_text=why)
        sheet.write_string(row, 2, figure.context if figure.reason else figure.detail)

    row += 2
    sheet.write_string(row, 0, translate("briefing.late_title", lang), formats.bold)
    row += 1
    late = top_late_tasks(situation)
    if late.empty:
        sheet.write_string(row, 0, translate("briefing.late_empty", lang))
        row += 1
    else:
        late = late.assign(label=late["task_id"].astype(str) + " · " + late["name"].astype(str))
        row = write_table(
            sheet,
            formats,
            row,
            late,
            [
                Col("label", _tr("col.task", lang), "text", 30),
                Col("forecast_finish", _tr("col.forecast_finish", lang), "date", 18),
                Col("delay_calendar_days", _tr("col.delay_calendar", lang), "int", 70),
            ],
            autofilter=False,
            freeze=False,
        )

    row += 1
    sheet.write_string(row, 0, translate("briefing.alerts_title", lang), formats.bold)
    alerts = open_alerts(situation, lang)
    if not alerts:
        row += 1
        sheet.write_string(row, 0, translate("briefing.alerts_empty", lang))
    for level, message in alerts:
        row += 1
        fill = workbook.add_format(
            {"bg_color": COLOR_HEX["red" if level == "red" else "amber"], "font_color": "#FFFFFF"}
        )
        sheet.write_string(
            row, 0, translate(f"rag.color.{'red' if level == 'red' else 'amber'}", lang), fill
        )
        sheet.merge_range(row, 1, row, 2, message, formats.wrap)
        sheet.set_row(row, 45)

    chart_row = row + 3
    _summary_charts(workbook, sheet, formats, situation, lang, chart_row)
    print_setup(sheet, header, footer)
    sheet.print_area(0, 0, chart_row + 34, 2)


def _summary_charts(workbook, summary, formats, situation, lang, top: int):
    """Native charts on the Synthèse sheet, drawn from a data sheet of their own (the last
    one, so the figures stay visible and checkable)."""
    sheet = workbook.add_worksheet(_tr("summary.chart_data", lang))
    data_col = 0
    sheet.write_string(0, data_col, _tr("summary.chart_data", lang), formats.title)
    block = 2
    if situation.planning is not None:
        planned = situation.planning.planned_curve
        actual = situation.planning.actual_curve
        curve = pd.DataFrame(
            {"date": planned.index, "planned": planned.values / 100, "actual": actual.values / 100}
        )
        write_table(
            sheet,
            formats,
            block,
            curve,
            [
                Col("date", _tr("col.date", lang), "date"),
                Col("planned", translate("scurve.planned", lang), "percent"),
                Col("actual", translate("scurve.actual", lang), "percent"),
            ],
            autofilter=False,
            freeze=False,
            first_col=data_col,
        )
        first, last = block + 1, block + len(curve)
        chart = workbook.add_chart({"type": "line"})
        sheet_name = sheet.get_name()
        for offset, color in ((1, "#7F8896"), (2, "#1F6F8B")):
            chart.add_series(
                {
                    "name": [sheet_name, block, data_col + offset],
                    "categories": [sheet_name, first, data_col, last, data_col],
                    "values": [sheet_name, first, data_col + offset, last, data_col + offset],
                    "line": {
                        "color": color,
                        "width": 2.25,
                        "dash_type": "dash" if offset == 1 else "solid",
                    },
                }
            )
        chart.set_title({"name": translate("briefing.chart_progress", lang)})
        chart.set_x_axis(
            {
                "date_axis": True,
                "num_format": "mm/yyyy",
                "major_unit": 2,
                "major_unit_type": "months",
            }
        )
        chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 520, "height": 300})
        summary.insert_chart(top, 0, chart)
        block = last + 3
    if situation.spending is not None:
        totals = situation.spending.totals
        bars = pd.DataFrame(
            {
                "label": [
                    _tr("col.envelope", lang),
                    translate("spending.col.engaged", lang),
                    translate("spending.col.issued", lang),
                    translate("spending.col.paid", lang),
                ],
                "amount": [situation.spending.envelope, totals.engaged, totals.issued, totals.paid],
            }
        )
        write_table(
            sheet,
            formats,
            block,
            bars,
            [
                Col("label", _tr("col.indicator", lang), "text", 22),
                Col("amount", _tr("col.amount", lang), "money"),
            ],
            autofilter=False,
            freeze=False,
            first_col=data_col,
        )
        chart = workbook.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": translate("briefing.chart_spending", lang),
                "categories": [sheet.get_name(), block + 1, data_col, block + 4, data_col],
                "values": [sheet.get_name(), block + 1, data_col + 1, block + 4, data_col + 1],
                "points": [
                    {"fill": {"color": c}} for c in ("#C0392B", "#1F6F8B", "#4A90A4", "#2E8B57")
                ],
                "data_labels": {"value": True, "num_format": '#,##0,,"\u00a0M"'},
            }
        )
        chart.set_title({"name": translate("briefing.chart_spending", lang)})
        chart.set_legend({"none": True})
        chart.set_y_axis({"num_format": '#,##0,,"\u00a0M"'})
        chart.set_size({"width": 420, "height": 300})
        summary.insert_chart(top, 2, chart, {"x_offset": 200})
        block += 7
    if situation.areas is not None:
        categories = situation.areas.by_category
        frame = pd.DataFrame(
            {
                "label": [
                    translate(f"surfaces.category.{c}", lang) for c in categories["category"]
                ],
                "area": categories["area_m2"],
            }
        )
        write_table(
            sheet,
            formats,
            block,
            frame,
            [
                Col("label", _tr("col.category", lang), "text", 22),
                Col("area", _tr("col.area", lang), "area"),
            ],
            autofilter=False,
            freeze=False,
            first_col=data_col,
        )
        chart = workbook.add_chart({"type": "pie"})
        chart.add_series(
            {
                "name": translate("briefing.chart_areas", lang),
                "categories": [sheet.get_name(), block + 1, data_col, block + len(frame), data_col],
                "values": [
                    sheet.get_name(),
                    block + 1,
                    data_col + 1,
                    block + len(frame),
                    data_col + 1,
                ],
                "data_labels": {"percentage": True, "category": True, "separator": "\n"},
                "points": [
                    {"fill": {"color": c}}
                    for c in ("#1F6F8B", "#4A90A4", "#E69F00", "#7F8896", "#BBBBBB")
                ],
            }
        )
        chart.set_title({"name": translate("briefing.chart_areas", lang)})
        chart.set_legend({"none": True})
        chart.set_size({"width": 420, "height": 300})
        summary.insert_chart(top + 16, 0, chart)
    print_setup(sheet, _tr("summary.chart_data", lang), "")
