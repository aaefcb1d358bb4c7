"""The stakeholders' Excel workbook: Synthèse, Planning, Dépenses, Surfaces, Contrôles, Sources.

``build_workbook(situation, sources, problems, lang) -> bytes`` writes every figure from the
same ``ProjectSituation`` the pages and the briefing read, with native Excel charts, French
number and date formats, frozen filtered headers and an A4 landscape print setup.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pandas as pd
import xlsxwriter

from exports.briefing import (
    COLOR_HEX,
    headline_figures,
    open_alerts,
    rating_reason,
    reason_text,
    top_late_tasks,
)
from exports.planning_sheet import checks_rows, write_planning_sheet
from exports.xlsx_tables import Col, Formats, print_setup, write_table, write_value
from i18n import translate
from i18n.format import format_date
from loaders.problems import LoadResult, Problem
from loaders.schema import FLOOR_AREAS, SPENDING
from store.snapshots import TABLES_OF_FILE
from tracking import budget as chain_cols
from tracking.situation import ProjectSituation
from tracking.unavailable import NO_CONTRACT, NO_EARNED_SCOPE, NOT_RECEIVED


@dataclass(frozen=True)
class SourceInfo:
    """Where a table comes from: the file, its fingerprint and when it was imported."""

    kind: str  # table kind: schedule, budget, contracts, spending, floor-areas
    name: str
    sha256: str | None = None
    imported_at: dt.datetime | None = None
    imported_by: str | None = None
    rows: int | None = None
    status_date: dt.date | None = None


#: table kind -> the kind of file it is read from (the finance workbook holds three tables)
FILE_OF_TABLE = {table: file for file, tables in TABLES_OF_FILE.items() for table in tables}


def workbook_sources(results: dict, snapshots: dict, names: dict | None = None) -> list[SourceInfo]:
    """One Sources line per loaded table: its file (``snapshots`` by file kind give the
    SHA-256, who imported it and when), its row count. Used by the download button and the
    command line alike."""
    sources: list[SourceInfo] = []
    for table, result in results.items():
        if not isinstance(result, LoadResult):
            continue
        file_kind = FILE_OF_TABLE.get(table, table)
        info = snapshots.get(file_kind)
        name = (names or {}).get(file_kind) or getattr(info, "name", None) or result.source_name
        sources.append(
            SourceInfo(
                kind=table,
                name=name or "",
                sha256=getattr(info, "sha256", None),
                imported_at=getattr(info, "imported_at", None),
                imported_by=getattr(info, "imported_by", None),
                rows=len(result.frame),
                status_date=getattr(info, "status_date", None),
            )
        )
    return sources


def load_warnings(results: dict, lang: str) -> list[Problem]:
    """The warnings of every loaded table, in ``lang``: the Contrôles sheet's first table."""
    return [
        warning.render(lang)
        for result in results.values()
        if isinstance(result, LoadResult)
        for warning in result.warnings
    ]


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"export.{key}", lang, **params)


def build_workbook(
    situation: ProjectSituation,
    sources: list[SourceInfo],
    problems: list[Problem] | None = None,
    lang: str = "fr",
    generated_at: dt.datetime | None = None,
) -> bytes:
    """The workbook as bytes (for ``st.download_button`` and ``python -m exports``)."""
    buffer = io.BytesIO()
    settings = situation.settings
    workbook = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    workbook.set_properties(
        {
            "title": f"{settings.name} — {format_date(situation.status_date, lang)}",
            "author": settings.owner,
            "company": settings.owner,
            "created": generated_at or dt.datetime(2000, 1, 1),
        }
    )
    formats = Formats(workbook)
    header = _tr(
        "header", lang, project=settings.name, date=format_date(situation.status_date, lang)
    )
    footer = _tr("footer", lang, owner=settings.owner)

    summary = workbook.add_worksheet(_tr("sheet.summary", lang))
    planning_sheet = None
    if situation.planning is not None and situation.schedule is not None:
        planning_sheet = write_planning_sheet(
            workbook, formats, situation.schedule, situation.planning, lang, header, footer
        )
    spending_sheet = _write_spending(workbook, formats, situation, lang, header, footer)
    areas_sheet = _write_areas(workbook, formats, situation, lang, header, footer)
    _write_checks(workbook, formats, situation, problems or [], lang, header, footer)
    _write_sources(workbook, formats, situation, sources, lang, header, footer, generated_at)
    _write_summary(
        workbook,
        summary,
        formats,
        situation,
        lang,
        header,
        footer,
        planning_sheet,
        spending_sheet,
        areas_sheet,
    )
    summary.activate()
    workbook.close()
    return buffer.getvalue()


# --- Synthèse --------------------------------------------------------------------------------


def _write_summary(
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


# --- Dépenses --------------------------------------------------------------------------------


def _write_spending(workbook, formats: Formats, situation, lang, header, footer):
    spending = situation.spending
    if spending is None:
        return None
    sheet = workbook.add_worksheet(_tr("sheet.spending", lang))
    sheet.write_string(0, 0, _tr("spending.title", lang, basis=spending.basis), formats.title)
    sheet.write_string(1, 0, _tr("spending.subtitle", lang), formats.subtitle)

    def col(name: str) -> str:
        return translate(f"spending.col.{name}", lang)

    chain = spending.chain
    columns = [
        Col(chain_cols.LINE_ID, col("line_id"), "text", 9),
        Col(chain_cols.NAME, col("name"), "text", 40),
        Col(chain_cols.CATEGORY, _tr("col.category", lang), "text", 14),
        Col(chain_cols.BUDGET, col("budget"), "money"),
        Col(chain_cols.ENGAGED, col("engaged"), "money"),
        Col(chain_cols.ISSUED, col("issued"), "money"),
        Col(chain_cols.PAID, col("paid"), "money"),
        Col(chain_cols.RETENTION_HELD, _tr("col.retention_held", lang), "money"),
        Col(chain_cols.PAID_NET, _tr("col.paid_net", lang), "money"),
        Col(chain_cols.TO_COMMIT, col("to_commit"), "money"),
        Col(chain_cols.ENGAGEMENT_RATE, col("engagement_rate"), "percent"),
        # a line with nothing signed has no issue rate: say so in its cell
        Col(
            chain_cols.ISSUE_RATE,
            col("issue_rate"),
            "percent",
            missing_text=reason_text(NO_CONTRACT, lang),
        ),
        Col(chain_cols.OVERRUN, _tr("col.variance", lang), "money"),
    ]
    top = 3
    end = write_table(sheet, formats, top, chain, columns, highlight=chain[chain_cols.OVER_BUDGET])
    total_row = end
    sheet.write_string(total_row, 1, _tr("total", lang), formats.bold)
    totals = spending.totals
    for offset, value in (
        (3, totals.budget),
        (4, totals.engaged),
        (5, totals.issued),
        (6, totals.paid),
        (7, totals.retention_held),
        (8, totals.paid_net),
        (9, totals.to_commit),
    ):
        sheet.write_number(total_row, offset, value, formats.cell("money", bold=True))
    sheet.autofilter(top, 0, end - 1, len(columns) - 1)

    completed = situation.planning is not None and situation.planning.forecast.completed
    row = _write_earned_value(sheet, formats, spending, lang, total_row + 3, completed)
    row = _write_contract_terms(sheet, formats, situation, lang, row + 3)
    row = _write_rules(sheet, formats, spending, lang, row + 3)
    _write_ledger(sheet, formats, situation, lang, row + 2)
    sheet.freeze_panes(top + 1, 2)
    print_setup(sheet, header, footer, repeat_row=top)
    return sheet


def _write_earned_value(
    sheet, formats: Formats, spending, lang, row: int, completed: bool = False
) -> int:
    """The earned-value indicators and the forecast at completion (the final cost once the
    works are finished); a figure not available yet is written as the sentence that says why.
    Returns the last row written."""
    sheet.write_string(row, 0, _tr("spending.earned_title", lang), formats.bold)
    earned = spending.earned
    if earned is None:
        row += 1
        sheet.write_string(row, 0, reason_text(NO_EARNED_SCOPE, lang))
    else:
        indicators = [
            ("BAC", "bac", "money"),
            ("PV", "pv", "money"),
            ("EV", "ev", "money"),
            ("AC", "ac", "money"),
            ("SV", "sv", "money"),
            ("CV", "cv", "money"),
            ("SPI", "spi", "ratio"),
            ("CPI", "cpi", "ratio"),
            ("EAC = BAC / CPI", "eac", "money"),
            ("EAC = AC + (BAC − EV)", "eac_at_budget", "money"),
            ("EAC = AC + (BAC − EV) / (CPI × SPI)", "eac_cpi_spi", "money"),
            ("ETC", "etc", "money"),
            ("VAC", "vac", "money"),
            ("TCPI", "tcpi", "ratio"),
        ]
        row += 1
        sheet.write_string(row, 0, _tr("col.indicator", lang), formats.header)
        sheet.write_string(row, 1, _tr("col.value", lang), formats.header)
        for name, field_name, kind in indicators:
            row += 1
            sheet.write_string(row, 0, name)
            why = reason_text(earned.reason(field_name), lang) or translate(
                "stages.not_available", lang
            )
            value = getattr(earned, field_name)
            write_value(sheet, row, 1, value, kind, formats.cell(kind), missing_text=why)
    row += 1
    final = completed and spending.forecast_at_completion is not None
    label = translate("stages.figure.final_cost", lang) if final else _tr("col.forecast_cost", lang)
    sheet.write_string(row, 0, label, formats.bold)
    why = reason_text(spending.reason("forecast_at_completion"), lang)
    write_value(
        sheet,
        row,
        1,
        spending.forecast_at_completion,
        "money",
        formats.cell("money", bold=True),
        missing_text=why or translate("stages.not_available", lang),
    )
    return row


def _write_contract_terms(sheet, formats: Formats, situation, lang, row: int) -> int:
    """The works contract, the delay-penalty exposure, the retention constituted and to
    release at the réception définitive: each a figure, or the sentence saying why not yet."""
    spending = situation.spending

    def tr(key: str) -> str:
        return translate(f"stages.workbook.{key}", lang)

    sheet.write_string(row, 0, tr("contract_title"), formats.bold)
    contract = spending.works_contract
    retention = spending.retention
    lines: list[tuple[str, object, str, str | None]] = [
        (
            tr("works_contract"),
            None if contract is None else f"{contract.contract_id} · {contract.payee or ''}",
            "text",
            spending.reason("works_contract"),
        ),
        (
            tr("penalty"),
            None if spending.penalty is None else spending.penalty.amount,
            "money",
            spending.reason("penalty"),
        ),
    ]
    if retention is not None:
        lines += [
            (tr("retention_constituted"), retention.constituted, "money", None),
            (tr("retention_withheld"), retention.withheld, "money", None),
            (tr("reception"), retention.reception_date, "date", NOT_RECEIVED),
            (tr("release_date"), retention.release_date, "date", retention.reason),
        ]
    for label, value, kind, why in lines:
        row += 1
        sheet.write_string(row, 0, label)
        missing = reason_text(why, lang) or translate("stages.not_available", lang)
        write_value(sheet, row, 1, value, kind, formats.cell(kind), missing_text=missing)
    return row


def _write_rules(sheet, formats: Formats, spending, lang, row: int) -> int:
    """The contract rules table, or the sentence saying no contract is signed yet."""
    sheet.write_string(row, 0, _tr("spending.rules_title", lang), formats.bold)
    rules = spending.rules
    if rules.empty:
        sheet.write_string(row + 1, 0, translate("stages.workbook.no_contract", lang))
        return row + 1

    def col(name: str) -> str:
        return translate(f"spending.col.{name}", lang)

    return write_table(
        sheet,
        formats,
        row + 1,
        rules,
        [
            Col("contract_id", col("contract_id"), "text", 9),
            Col("payee", col("payee"), "text", 40),
            Col("initial", col("initial"), "money"),
            Col("amendments", col("amendments"), "money"),
            Col("total", _tr("col.total", lang), "money"),
            Col("amendment_share", col("amendment_share"), "percent"),
            Col("issued", col("issued"), "money"),
            Col("retention", col("retention"), "money"),
            Col("retention_cap_amount", col("retention_cap"), "money"),
            Col("overdue_amount", col("overdue_amount"), "money"),
            Col("source_rows", col("source_rows"), "text"),
        ],
        highlight=(
            rules["amendment_over_threshold"].astype(bool)
            | (rules["overdue_amount"].astype(float) > 0)
        ),
        autofilter=False,
        freeze=False,
    )


def _write_ledger(sheet, formats: Formats, situation, lang, row: int) -> None:
    """The décomptes ledger (overdue rows highlighted), or "no décompte yet"."""
    spending = situation.spending
    sheet.write_string(row, 0, _tr("spending.ledger_title", lang), formats.bold)
    ledger = situation.spending_ledger
    if ledger is None or ledger.empty:
        sheet.write_string(row + 1, 0, translate("stages.workbook.no_decompte", lang))
        return

    def col(name: str) -> str:
        return translate(f"spending.col.{name}", lang)

    overdue_rows = set()
    for text in spending.overdue.get("source_rows", pd.Series(dtype=str)).dropna():
        overdue_rows |= _expand_rows(str(text))
    flagged = ledger["source_row"].isin(overdue_rows)
    write_table(
        sheet,
        formats,
        row + 1,
        ledger,
        [
            Col(SPENDING.reference, col("reference"), "text", 9),
            Col(SPENDING.contract_id, col("contract_id"), "text", 40),
            Col(SPENDING.payee, col("payee"), "text", 14),
            Col(SPENDING.budget_line, _tr("col.budget_line", lang), "text", 17),
            Col(SPENDING.date, col("issue_date"), "date", 17),
            Col(SPENDING.amount, _tr("col.amount", lang), "money"),
            Col(SPENDING.retention, col("retention"), "money"),
            Col(SPENDING.paid_date, col("paid_date"), "date", 17),
            Col(SPENDING.description, col("description"), "text", 17),
            Col("source_row", col("source_row"), "int", 17),
        ],
        highlight=flagged,
        autofilter=False,
        freeze=False,
    )


def _expand_rows(text: str) -> set[int]:
    """``'52–60'`` / ``'6, 9'`` → the Excel row numbers."""
    rows: set[int] = set()
    for part in text.replace("–", "-").split(","):
        part = part.strip()
        if "-" in part:
            first, _, last = part.partition("-")
            if first.strip().isdigit() and last.strip().isdigit():
                rows |= set(range(int(first), int(last) + 1))
        elif part.isdigit():
            rows.add(int(part))
    return rows


# --- Surfaces --------------------------------------------------------------------------------


def _write_areas(workbook, formats: Formats, situation, lang, header, footer):
    areas = situation.areas
    if areas is None:
        return None
    sheet = workbook.add_worksheet(_tr("sheet.areas", lang))
    sheet.write_string(0, 0, _tr("areas.title", lang), formats.title)

    def col(name: str) -> str:
        return translate(f"surfaces.col.{name}", lang)

    programme = areas.programme.assign(
        label=areas.programme["space_type"].map(lambda c: translate(f"surfaces.type.{c}", lang)),
        verdict=[
            translate(f"surfaces.status.{r.status}", lang, missing=int(r.required - r.found))
            for r in areas.programme.itertuples()
        ],
    )
    sheet.write_string(2, 0, _tr("areas.programme_title", lang), formats.bold)
    row = write_table(
        sheet,
        formats,
        3,
        programme,
        [
            Col("label", col("space_type"), "text", 12),
            Col("required", col("required"), "int", 28),
            Col("found", col("found"), "int", 36),
            Col("area_m2", col("area_m2"), "area", 22),
            Col("verdict", col("status"), "text", 22),
        ],
        highlight=programme["status"] == "missing",
        autofilter=False,
        freeze=False,
    )
    totals = areas.totals
    row += 1
    for label, value in (
        (_tr("areas.gross", lang), totals.gross_m2),
        (_tr("areas.net", lang), totals.net_m2),
        (_tr("areas.announced", lang), totals.announced_m2),
        (_tr("areas.difference", lang), totals.difference_m2),
    ):
        sheet.write_string(row, 0, label, formats.bold)
        sheet.write_number(row, 1, value, formats.cell("area"))
        row += 1
    sheet.write_string(row, 0, _tr("areas.places", lang), formats.bold)
    sheet.write_number(row, 1, areas.capacity.places, formats.cell("int"))
    sheet.write_number(row, 2, areas.capacity.required, formats.cell("int"))
    row += 2
    spaces = areas.spaces.assign(
        type_label=areas.spaces["type_code"].map(
            lambda c: translate(f"surfaces.type.{c}", lang) if isinstance(c, str) else None
        ),
        category_label=areas.spaces["category_code"].map(
            lambda c: translate(f"surfaces.category.{c}", lang) if isinstance(c, str) else None
        ),
    )
    table_top = row
    write_table(
        sheet,
        formats,
        table_top,
        spaces,
        [
            Col(FLOOR_AREAS.space_id, col("space_id"), "text", 12),
            Col(FLOOR_AREAS.level, col("level"), "text", 28),
            Col(FLOOR_AREAS.name, col("name"), "text", 36),
            Col(FLOOR_AREAS.space_type, _tr("col.type_in_file", lang), "text", 22),
            Col("type_label", col("space_type"), "text", 22),
            Col("category_label", col("category"), "text", 18),
            Col(FLOOR_AREAS.area_m2, col("area_m2"), "area"),
            Col(FLOOR_AREAS.seats, col("seats"), "int"),
            Col(FLOOR_AREAS.occupant, col("occupant"), "text", 24),
            Col("source_row", _tr("col.source_row", lang), "int"),
        ],
        highlight=spaces["type_code"].isna(),
    )
    print_setup(sheet, header, footer, repeat_row=table_top)
    return sheet


# --- Contrôles and Sources -------------------------------------------------------------------


def _write_checks(workbook, formats: Formats, situation, problems, lang, header, footer):
    sheet = workbook.add_worksheet(_tr("sheet.checks", lang))
    sheet.write_string(0, 0, _tr("checks.title", lang), formats.title)
    sheet.write_string(2, 0, _tr("checks.data_title", lang), formats.bold)
    row = 3
    if problems:
        frame = pd.DataFrame(
            {
                "severity": [translate(f"severity.{p.severity}", lang) for p in problems],
                "file": [p.file for p in problems],
                "sheet": [p.sheet for p in problems],
                "row": [p.row for p in problems],
                "column": [p.column for p in problems],
                "message": [p.message for p in problems],
            }
        )
        row = write_table(
            sheet,
            formats,
            row,
            frame,
            [
                Col("severity", _tr("col.severity", lang), "text", 14),
                Col("file", _tr("col.file", lang), "text", 26),
                Col("sheet", _tr("col.sheet", lang), "text", 14),
                Col("row", _tr("col.row", lang), "int", 8),
                Col("column", _tr("col.column", lang), "text", 18),
                Col("message", _tr("col.message", lang), "text", 90),
            ],
            highlight=pd.Series([p.is_error for p in problems]),
            autofilter=False,
            freeze=False,
        )
    else:
        sheet.write_string(row, 0, _tr("checks.data_empty", lang))
        row += 1
    if situation.planning is not None:
        row += 2
        sheet.write_string(row, 0, _tr("checks.schedule_title", lang), formats.bold)
        checks = checks_rows(situation.planning.checks, lang)
        write_table(
            sheet,
            formats,
            row + 1,
            checks,
            [
                Col("check", _tr("col.check", lang), "text", 14),
                Col("result", _tr("col.result", lang), "text", 26),
                Col("count", _tr("col.count", lang), "int", 14),
                Col("population", _tr("col.population", lang), "int", 8),
                Col("value", _tr("col.value", lang), "ratio", 18),
                Col("threshold", _tr("col.threshold", lang), "ratio", 90),
                Col("rule", _tr("col.rule", lang), "text", 16),
                Col("tasks", _tr("col.tasks", lang), "text", 40),
                Col("help", _tr("col.help", lang), "text", 70),
            ],
            highlight=checks["failed"],
            autofilter=False,
            freeze=False,
        )
        sheet.set_column(0, 0, 42)
        sheet.set_column(1, 1, 14)
        sheet.set_column(5, 5, 10)
    print_setup(sheet, header, footer)


def _write_sources(
    workbook, formats: Formats, situation, sources, lang, header, footer, generated_at
):
    sheet = workbook.add_worksheet(_tr("sheet.sources", lang))
    sheet.write_string(0, 0, _tr("sources.title", lang), formats.title)
    sheet.write_string(1, 0, _tr("sources.subtitle", lang), formats.subtitle)
    sheet.write_string(3, 0, _tr("sources.status_date", lang), formats.bold)
    write_value(sheet, 3, 1, situation.status_date, "date", formats.cell("date"))
    sheet.write_string(4, 0, _tr("sources.generated", lang), formats.bold)
    stamp = generated_at or dt.datetime.now()
    sheet.write_datetime(
        4, 1, stamp, formats.workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    )
    frame = pd.DataFrame(
        {
            "kind": [translate(f"kind.{s.kind}", lang) for s in sources],
            "name": [s.name for s in sources],
            "sha256": [s.sha256 for s in sources],
            "imported_at": [
                s.imported_at.replace(tzinfo=None) if s.imported_at else None for s in sources
            ],
            "imported_by": [s.imported_by for s in sources],
            "status_date": [s.status_date for s in sources],
            "rows": [s.rows for s in sources],
        }
    )
    write_table(
        sheet,
        formats,
        6,
        frame,
        [
            Col("kind", _tr("col.kind", lang), "text", 26),
            Col("name", _tr("col.name", lang), "text", 28),
            Col("sha256", _tr("col.sha256", lang), "text", 66),
            Col("imported_at", _tr("col.imported_at", lang), "date", 14),
            Col("imported_by", _tr("col.imported_by", lang), "text", 14),
            Col("status_date", _tr("sources.status_date", lang), "date", 14),
            Col("rows", _tr("col.rows", lang), "int", 8),
        ],
        autofilter=False,
        freeze=False,
    )
    sheet.set_column(0, 0, 26)
    print_setup(sheet, header, footer)
