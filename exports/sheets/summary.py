"""Synthèse sheet: the headline figures, the ratings with their reasons, the late tasks, the open alerts and the native charts."""

from __future__ import annotations

import pandas as pd

from exports.xlsx_tables import (
    Col,
    Formats,
    chart_cache,
    print_setup,
    write_fitted,
    write_spec,
    write_table,
)
from i18n import translate
from i18n.format import format_date
from views.briefing import (
    COLOR,
    COLOR_HEX,
    LEVEL,
    MESSAGE,
    RATING,
    REASON,
    alerts_table,
    headline_figures,
    late_tasks_table,
    ratings_table,
)
from views.reasons import reason_text

#: the sheet's three columns (indicator, value, detail), in Excel characters: 140 characters
#: (about 1 000 pixels) wide, the three charts side by side under the tables fill them
WIDTHS = {0: 40, 1: 20, 2: 80}
CHART_SIZE = {"width": 330, "height": 250}
CHART_GAP = 8
#: the rows the charts take (20 px each) under the tables
CHART_ROWS = 13
#: percent: the figures and ratings on page 1, the late tasks, alerts and charts on page 2
PRINT_SCALE = 85


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"export.{key}", lang, **params)


def _fill(formats: Formats, color: str, bold: bool = False):
    """White text on the rating's colour (one format per colour, however many alerts)."""
    spec = {"bg_color": COLOR_HEX[color], "font_color": "#FFFFFF", "bold": bold, "valign": "top"}
    if bold:
        spec["align"] = "center"
    return formats.style(spec)


def _titled_table(sheet, formats: Formats, row: int, table, text_cap: float) -> int:
    """A table's title on ``row``, then the table (or its empty text); the next free row."""
    sheet.write_string(row, 0, table.title, formats.bold)
    if len(table) == 0:
        sheet.write_string(row + 1, 0, table.empty_text)
        return row + 2
    return write_spec(
        sheet, formats, row + 1, table, autofilter=False, freeze=False, text_cap=text_cap
    )


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
    row = 3
    ratings = ratings_table(situation, lang)
    sheet.write_string(row, 0, ratings.title, formats.bold)
    next_row = write_spec(
        sheet, formats, row + 1, ratings, autofilter=False, freeze=False, text_cap=WIDTHS[2]
    )
    rating_column = ratings.ids.index(RATING)
    colors, texts, reasons = (ratings.frame[name].tolist() for name in (COLOR, RATING, REASON))
    for offset, (color, text, reason) in enumerate(zip(colors, texts, reasons, strict=True)):
        sheet.write_string(row + 2 + offset, rating_column, text, _fill(formats, color, True))
        sheet.write_string(row + 2 + offset, 2, reason, formats.wrap)
        formats.wrapped(sheet, row + 2 + offset, 2, reason)

    row = next_row + 1
    sheet.write_string(row, 0, _tr("summary.figures", lang), formats.bold)
    row += 1
    for col, text in enumerate(
        (_tr("col.indicator", lang), _tr("col.value", lang), _tr("col.detail", lang))
    ):
        sheet.write_string(row, col, text, formats.header)
    for figure in headline_figures(situation, lang):
        row += 1
        write_fitted(sheet, formats, row, 0, figure.label, cap=WIDTHS[0])
        kind = "money" if figure.kind == "millions" else figure.kind
        why = reason_text(figure.reason, lang) or translate("stages.not_available", lang)
        write_fitted(sheet, formats, row, 1, figure.value, kind, missing_text=why, cap=WIDTHS[1])
        write_fitted(sheet, formats, row, 2, figure.detail, cap=WIDTHS[2])

    # printed page 2, as the briefing note's: the late tasks, the alerts and the charts
    row += 2
    sheet.set_h_pagebreaks([row])
    late = late_tasks_table(situation, lang)
    row = _titled_table(sheet, formats, row, late, WIDTHS[0])
    row += 1
    alerts = alerts_table(situation, lang)
    top = row + 1
    # the message, merged over two columns once written, must not widen the value column
    row = _titled_table(sheet, formats, row, alerts, WIDTHS[1])
    colors, levels, messages = (alerts.frame[name].tolist() for name in (COLOR, LEVEL, MESSAGE))
    for offset, (color, level, message) in enumerate(zip(colors, levels, messages, strict=True)):
        line = top + 1 + offset
        sheet.write_string(line, 0, level, _fill(formats, color))
        # merged blank, then the message as a string: ``merge_range`` would write it through
        # ``write``, which reads a text starting with "=" as a formula unless told otherwise
        sheet.merge_range(line, 1, line, 2, "", formats.wrap)
        sheet.write_string(line, 1, message, formats.wrap)
        formats.wrapped(sheet, line, 1, message, last_col=2)
    # several tables share the sheet's three columns: at least these widths, more if a
    # value needs it (an amount is never ###)
    for col, width in WIDTHS.items():
        formats.fit(sheet, col, width)

    chart_row = row + 1
    _summary_charts(workbook, sheet, formats, situation, lang, chart_row, header, footer)
    # two pages at a set scale (Excel ignores manual page breaks on a sheet fitted to pages)
    print_setup(sheet, header, footer, scale=PRINT_SCALE)
    sheet.print_area(0, 0, chart_row + CHART_ROWS, 2)


def _summary_charts(workbook, summary, formats, situation, lang, top: int, header, footer):
    """Native charts on the Synthèse sheet, drawn from a data sheet of their own (the last
    one, so the figures stay visible and checkable)."""
    sheet = formats.add_sheet(_tr("summary.chart_data", lang))
    data_col = 0
    sheet.write_string(0, data_col, _tr("summary.chart_data", lang), formats.title)
    block = 2
    if situation.planning is not None:
        planned = situation.planning.planned_curve
        actual = situation.planning.actual_curve
        curve = pd.DataFrame(
            {"date": planned.index, "planned": planned.values / 100, "actual": actual.values / 100}
        )
        columns = [
            Col("date", _tr("col.date", lang), "date"),
            Col("planned", translate("scurve.planned", lang), "percent"),
            Col("actual", translate("scurve.actual", lang), "percent"),
        ]
        write_table(
            sheet,
            formats,
            block,
            curve,
            columns,
            autofilter=False,
            freeze=False,
            first_col=data_col,
        )
        cache = chart_cache(curve, columns)
        first, last = block + 1, block + len(curve)
        chart = workbook.add_chart({"type": "line"})
        sheet_name = sheet.get_name()
        for offset, color in ((1, "#7F8896"), (2, "#1F6F8B")):
            chart.add_series(
                {
                    "name": [sheet_name, block, data_col + offset],
                    "name_data": [columns[offset].header],
                    "categories": [sheet_name, first, data_col, last, data_col],
                    "categories_data": cache["date"],
                    "values": [sheet_name, first, data_col + offset, last, data_col + offset],
                    "values_data": cache[columns[offset].source],
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
        chart.set_size(CHART_SIZE)
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
        columns = [
            Col("label", _tr("col.indicator", lang), "text", 22),
            Col("amount", _tr("col.amount", lang), "money"),
        ]
        write_table(
            sheet,
            formats,
            block,
            bars,
            columns,
            autofilter=False,
            freeze=False,
            first_col=data_col,
        )
        cache = chart_cache(bars, columns)
        chart = workbook.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": translate("briefing.chart_spending", lang),
                "categories": [sheet.get_name(), block + 1, data_col, block + 4, data_col],
                "categories_data": cache["label"],
                "values": [sheet.get_name(), block + 1, data_col + 1, block + 4, data_col + 1],
                "values_data": cache["amount"],
                "points": [
                    {"fill": {"color": c}} for c in ("#C0392B", "#1F6F8B", "#4A90A4", "#2E8B57")
                ],
                "data_labels": {"value": True, "num_format": '#,##0,,"\u00a0M"'},
            }
        )
        chart.set_title({"name": translate("briefing.chart_spending", lang)})
        chart.set_legend({"none": True})
        chart.set_y_axis({"num_format": '#,##0,,"\u00a0M"'})
        chart.set_size(CHART_SIZE)
        summary.insert_chart(top, 0, chart, {"x_offset": CHART_SIZE["width"] + CHART_GAP})
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
        columns = [
            Col("label", _tr("col.category", lang), "text", 22),
            Col("area", _tr("col.area", lang), "area"),
        ]
        write_table(
            sheet,
            formats,
            block,
            frame,
            columns,
            autofilter=False,
            freeze=False,
            first_col=data_col,
        )
        cache = chart_cache(frame, columns)
        chart = workbook.add_chart({"type": "pie"})
        chart.add_series(
            {
                "name": translate("briefing.chart_areas", lang),
                "categories": [sheet.get_name(), block + 1, data_col, block + len(frame), data_col],
                "categories_data": cache["label"],
                "values": [
                    sheet.get_name(),
                    block + 1,
                    data_col + 1,
                    block + len(frame),
                    data_col + 1,
                ],
                "values_data": cache["area"],
                "data_labels": {"percentage": True, "category": True, "separator": "\n"},
                "points": [
                    {"fill": {"color": c}}
                    for c in ("#1F6F8B", "#4A90A4", "#E69F00", "#7F8896", "#BBBBBB")
                ],
            }
        )
        chart.set_title({"name": translate("briefing.chart_areas", lang)})
        chart.set_legend({"none": True})
        chart.set_size(CHART_SIZE)
        offset = 2 * (CHART_SIZE["width"] + CHART_GAP)
        summary.insert_chart(top, 0, chart, {"x_offset": offset})
    print_setup(sheet, header, footer)
