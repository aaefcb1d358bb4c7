"""The weekly review's "changes since last review" workbook: a summary of the headline figures
(before, after, change) and one sheet per table of changes (tasks, décomptes, contracts).

Written with xlsxwriter through ``exports.xlsx_tables``: text is always written as text
(``write_string``), so a payee typed ``=HYPERLINK(…)`` in an imported file stays a label and
never becomes a formula; dates are Excel dates shown dd/mm/yyyy; every table has a bold,
frozen header and a filter. Takes its data as arguments, returns bytes.

``review_workbook(before, after, lang)`` builds the whole workbook from two
``tracking.situation.ProjectSituation`` (``before`` may be None: the first situation of the
history, every row is new). A figure that cannot be computed at a situation (no forecast before
the first progress report, no issue rate before the first contract) is a blank cell with its
reason in the summary's note column, never a NaN.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
import xlsxwriter

from exports.xlsx_tables import Col as Col  # re-exported: the column spec of a ChangeSheet
from exports.xlsx_tables import ColumnKind, Formats, write_table, write_value
from i18n import translate
from i18n.format import format_date
from loaders.schema import CONTRACTS, SCHEDULE, SPENDING
from tracking.compare import compare_ledgers, compare_schedules, new_contracts
from views.reasons import reason_text

#: Excel refuses these in a sheet name; 31 characters at most
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


@dataclass(frozen=True)
class SummaryRow:
    """One headline figure: its label, its value at each situation and the change, each
    written as ``kind`` (``delta_kind`` for the change: days for a date, say)."""

    label: str
    kind: ColumnKind
    before: object
    after: object
    change: object
    delta_kind: ColumnKind | None = None
    #: why a value is blank (a reason sentence), written in a last "note" column
    note: str = ""


@dataclass(frozen=True)
class ChangeSheet:
    """One table of changes: a sheet name, a title written above the table, the frame and
    its columns (``frame`` column, header, kind)."""

    name: str
    title: str
    frame: pd.DataFrame
    columns: list[Col]
    #: written under the table when the frame has no row
    empty_text: str = ""


@dataclass(frozen=True)
class SummarySheet:
    name: str
    title: str
    #: headers of the four columns: figure, before, after, change
    headers: tuple[str, str, str, str]
    rows: list[SummaryRow] = field(default_factory=list)
    #: header of the note column, written when a row has a note
    note_header: str = "Note"


def sheet_name(text: str) -> str:
    return text.translate(_SHEET_FORBIDDEN).strip()[:31] or "Feuille"


def _write_summary(workbook, formats: Formats, sheet: SummarySheet, subtitle: str) -> None:
    page = workbook.add_worksheet(sheet_name(sheet.name))
    page.write_string(0, 0, sheet.title, formats.title)
    if subtitle:
        page.write_string(1, 0, subtitle, formats.subtitle)
    top = 3
    notes = any(row.note for row in sheet.rows)
    headers = [*sheet.headers, sheet.note_header] if notes else list(sheet.headers)
    for col, header in enumerate(headers):
        page.write_string(top, col, header, formats.header)
    page.set_row(top, 32)
    page.set_column(0, 0, 38)
    page.set_column(1, 3, 17)
    if notes:
        page.set_column(4, 4, 60)
    for index, row in enumerate(sheet.rows, start=top + 1):
        page.write_string(index, 0, row.label, formats.cell("text"))
        write_value(page, index, 1, row.before, row.kind, formats.cell(row.kind))
        write_value(page, index, 2, row.after, row.kind, formats.cell(row.kind))
        delta_kind = row.delta_kind or row.kind
        write_value(page, index, 3, row.change, delta_kind, formats.cell(delta_kind))
        if row.note:
            page.write_string(index, 4, row.note, formats.cell("text"))
    page.autofilter(top, 0, top + max(len(sheet.rows), 1), len(headers) - 1)
    page.freeze_panes(top + 1, 0)


def changes_workbook(
    sheets: Sequence[ChangeSheet],
    summary: SummarySheet | None = None,
    *,
    subtitle: str = "",
    yes_no: tuple[str, str] = ("Oui", "Non"),
) -> bytes:
    """The workbook: ``summary`` first (when given), then one sheet per ``ChangeSheet``,
    each with ``subtitle`` (the two situations compared) under its title."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = Formats(workbook)
    if summary is not None:
        _write_summary(workbook, formats, summary, subtitle)
    for sheet in sheets:
        page = workbook.add_worksheet(sheet_name(sheet.name))
        page.write_string(0, 0, sheet.title, formats.title)
        if subtitle:
            page.write_string(1, 0, subtitle, formats.subtitle)
        after = write_table(page, formats, 3, sheet.frame, sheet.columns, yes_no=yes_no)
        if sheet.frame.empty and sheet.empty_text:
            page.write_string(after, 0, sheet.empty_text, formats.subtitle)
    workbook.close()
    return buffer.getvalue()


# --- the review of two situations ------------------------------------------------------------

#: column -> kind of each table of changes (the screen, the CSV and the workbook share them)
CHANGE_KINDS: dict[str, dict[str, ColumnKind]] = {
    "tasks": {
        "task_id": "text", "name": "text", "change": "text", "shift_days": "int",
        "finish_before": "date", "finish_after": "date",
        "percent_before": "number", "percent_after": "number", "percent_delta": "number",
        "actual_start": "date", "actual_finish": "date", "lot": "text",
    },
    "ledger": {
        "reference": "text", "contract_id": "text", "budget_line": "text", "payee": "text",
        "change": "text", "issued": "date", "amount_before": "money", "amount_after": "money",
        "amount_delta": "money", "paid_date": "date", "newly_paid": "bool",
    },
    "contracts": {
        "contract_id": "text", "contract_type": "text", "parent_id": "text", "payee": "text",
        "budget_line": "text", "amount": "money", "signed_date": "date", "object": "text",
        "is_amendment": "bool",
    },
}  # fmt: skip
CHANGE_TABLES = ("tasks", "ledger", "contracts")


def task_changes(frame: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """``tracking.compare.compare_schedules``' frame as the reviewer reads it."""
    return pd.DataFrame(
        {
            "task_id": frame[SCHEDULE.task_id],
            "name": frame[SCHEDULE.name],
            "change": frame["change"].map(lambda c: translate(f"review.change.{c}", lang)),
            "shift_days": frame["finish_shift_days"],
            "finish_before": frame[f"{SCHEDULE.finish}_before"],
            "finish_after": frame[f"{SCHEDULE.finish}_after"],
            "percent_before": frame[f"{SCHEDULE.percent_complete}_before"],
            "percent_after": frame[f"{SCHEDULE.percent_complete}_after"],
            "percent_delta": frame["percent_delta"],
            "actual_start": frame[f"{SCHEDULE.actual_start}_after"],
            "actual_finish": frame[f"{SCHEDULE.actual_finish}_after"],
            "lot": frame[SCHEDULE.lot],
        }
    )


def ledger_changes(frame: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """``tracking.compare.compare_ledgers``' frame as the reviewer reads it."""
    issued = frame[f"{SPENDING.date}_after"].fillna(frame[f"{SPENDING.date}_before"])
    return pd.DataFrame(
        {
            "reference": frame[SPENDING.reference],
            "contract_id": frame[SPENDING.contract_id],
            "budget_line": frame[SPENDING.budget_line],
            "payee": frame[SPENDING.payee],
            "change": frame["change"].map(lambda c: translate(f"review.change.{c}", lang)),
            "issued": issued,
            "amount_before": frame[f"{SPENDING.amount}_before"],
            "amount_after": frame[f"{SPENDING.amount}_after"],
            "amount_delta": frame["amount_delta"],
            "paid_date": frame[f"{SPENDING.paid_date}_after"],
            "newly_paid": frame["newly_paid"].astype(bool),
        }
    )


def contract_changes(frame: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """``tracking.compare.new_contracts``' frame as the reviewer reads it."""
    amendment = frame["is_amendment"] if "is_amendment" in frame else pd.Series(False, frame.index)
    return pd.DataFrame(
        {
            "contract_id": frame[CONTRACTS.contract_id],
            "contract_type": frame[CONTRACTS.contract_type],
            "parent_id": frame[CONTRACTS.parent_id],
            "payee": frame[CONTRACTS.payee],
            "budget_line": frame[CONTRACTS.budget_line],
            "amount": frame[CONTRACTS.amount],
            "signed_date": frame[CONTRACTS.signed_date],
            "object": frame[CONTRACTS.object],
            "is_amendment": amendment.astype(bool),
        }
    )


def review_changes(before, after, lang: str = "fr") -> dict[str, pd.DataFrame]:
    """The tables of changes between two situations (``before`` None: every row of ``after``
    is new); a table missing from ``after`` is left out."""
    compare = {
        "tasks": ("schedule", compare_schedules, task_changes),
        "ledger": ("spending_ledger", compare_ledgers, ledger_changes),
        "contracts": ("contracts", new_contracts, contract_changes),
    }
    tables: dict[str, pd.DataFrame] = {}
    for name, (attribute, compare_tables, shape) in compare.items():
        later = getattr(after, attribute)
        if later is None:
            continue
        earlier = getattr(before, attribute) if before is not None else None
        earlier = later.iloc[:0] if earlier is None else earlier
        tables[name] = shape(compare_tables(earlier, later), lang)
    return tables


#: the figures of the review's summary: key -> (label key, kind, change kind)
SUMMARY_FIGURES: dict[str, tuple[str, ColumnKind, ColumnKind]] = {
    "planned": ("review.metric.planned", "percent", "number"),
    "actual": ("review.metric.actual", "percent", "number"),
    "forecast_finish": ("review.metric.forecast_finish", "date", "int"),
    "delay": ("review.metric.delay", "int", "int"),
    "rate": ("review.metric.rate", "percent", "number"),
    "engaged": ("review.metric.engaged", "money", "money"),
    "issued": ("review.metric.issued", "money", "money"),
    "paid": ("review.metric.paid", "money", "money"),
}


def review_figures(situation) -> tuple[dict[str, object], dict[str, str]]:
    """The summary's figures of one situation (progress as ratios, the forecast finish, the
    delay in days, the issue rate, engagé, émis, payé) and, for each one that is None, its
    reason code (``tracking.unavailable``). ``situation`` None gives no figure and no reason."""
    values: dict[str, object] = dict.fromkeys(SUMMARY_FIGURES)
    reasons: dict[str, str] = {}
    if situation is None:
        return values, reasons
    planning, spending = situation.planning, situation.spending
    if planning is not None:
        forecast = planning.forecast
        values.update(
            planned=planning.planned_percent / 100,
            actual=planning.actual_percent / 100,
            forecast_finish=forecast.forecast_finish,
            delay=forecast.delay_vs_contract_days,
        )
        if forecast.reason:
            reasons.update(forecast_finish=forecast.reason, delay=forecast.reason)
    if spending is not None:
        totals = spending.totals
        values.update(
            rate=totals.issue_rate, engaged=totals.engaged, issued=totals.issued, paid=totals.paid
        )
        if totals.reason("issue_rate"):
            reasons["rate"] = totals.reason("issue_rate")
    return values, reasons


def _change(key: str, before, after):
    if before is None or after is None or pd.isna(before) or pd.isna(after):
        return None
    if key == "forecast_finish":
        return int((pd.Timestamp(after) - pd.Timestamp(before)) / pd.Timedelta(days=1))
    if key in ("planned", "actual", "rate"):
        return (float(after) - float(before)) * 100  # points
    return after - before


def review_summary_rows(before, after, lang: str = "fr") -> list[SummaryRow]:
    """One row per figure: its value at each situation, the change, and the reason of a blank
    value (the later situation's reason; the earlier one's, dated, when only it is blank)."""
    old, old_reasons = review_figures(before)
    new, new_reasons = review_figures(after)
    rows = []
    for key, (label, kind, delta_kind) in SUMMARY_FIGURES.items():
        note = ""
        if key in new_reasons:
            note = reason_text(new_reasons[key], lang)
        elif key in old_reasons:
            note = translate(
                "stages.review.note_before",
                lang,
                date=format_date(before.status_date, lang),
                reason=reason_text(old_reasons[key], lang, embedded=True),
            )
        rows.append(
            SummaryRow(
                translate(label, lang),
                kind,
                old[key],
                new[key],
                _change(key, old[key], new[key]),
                delta_kind,
                note=note,
            )
        )
    return rows


def review_workbook(before, after, lang: str = "fr") -> bytes:
    """The review workbook of two situations (``tracking.situation.ProjectSituation``):
    the summary of the headline figures, then the tasks, décomptes and contracts that
    changed. ``before`` None: the first situation, compared with nothing."""
    after_date = format_date(after.status_date, lang)
    if before is None:
        subtitle = translate("stages.review.first", lang, after=after_date)
        before_header = translate("stages.review.no_before", lang)
    else:
        before_header = format_date(before.status_date, lang)
        subtitle = translate("review.subtitle", lang, before=before_header, after=after_date)
    summary = SummarySheet(
        name=translate("review.sheet.summary", lang),
        title=translate("review.sheet_title.summary", lang, project=after.settings.name),
        headers=(
            translate("review.col.figure", lang),
            before_header,
            after_date,
            translate("review.col.difference", lang),
        ),
        rows=review_summary_rows(before, after, lang),
        note_header=translate("stages.workbook.note", lang),
    )
    tables = review_changes(before, after, lang)
    sheets = [
        ChangeSheet(
            name=translate(f"review.sheet.{name}", lang),
            title=translate(f"review.sheet_title.{name}", lang),
            frame=tables[name],
            columns=[
                Col(column, translate(f"review.col.{column}", lang), kind)
                for column, kind in CHANGE_KINDS[name].items()
            ],
            empty_text=translate(f"review.empty.{name}", lang),
        )
        for name in CHANGE_TABLES
        if name in tables
    ]
    return changes_workbook(
        sheets,
        summary,
        subtitle=subtitle,
        yes_no=(translate("review.yes", lang), translate("review.no", lang)),
    )
