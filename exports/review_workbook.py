"""The weekly review's "changes since last review" workbook: a summary of the headline figures
(before, after, change) and one sheet per table of changes (tasks, décomptes, contracts).

Written with xlsxwriter through ``exports.xlsx_tables``: text is always written as text
(``write_string``), so a payee typed ``=HYPERLINK(…)`` in an imported file stays a label and
never becomes a formula; dates are Excel dates shown dd/mm/yyyy; every table has a bold,
frozen header and a filter. Takes its data as arguments, returns bytes.

``review_workbook(before, after, lang)`` builds the whole workbook from two
``tracking.situation.ProjectSituation`` (``before`` may be None: the first situation of the
history, every row is new): the summary holds the key figures of ``views.key_figures`` and
each sheet the table spec of ``views.review`` the page draws, with its Excel name
(``t_review_tasks``…). A figure that cannot be computed at a situation (no forecast before the
first progress report, no issue rate before the first contract) is a blank cell with its
reason in the summary's note column, never a NaN.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import xlsxwriter

from exports.xlsx_tables import ColumnKind, Formats, excel_kind, write_spec, write_value
from i18n import translate
from i18n.format import format_date
from views.governance import change_tables as register_change_tables
from views.governance import register_changes
from views.key_figures import REVIEW_FIGURES, change, key_figures
from views.reasons import reason_text
from views.review import CHANGE_TABLES, change_tables
from views.spec import Table

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
    """One table of changes: a sheet name and the table spec (its title is written above
    it, its ``empty_text`` under it when it has no row)."""

    name: str
    table: Table


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
    page = formats.add_sheet(sheet_name(sheet.name))
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
    stacked: Sequence[tuple[str, str, Sequence]] = (),
) -> bytes:
    """The workbook: ``summary`` first (when given), then one sheet per ``ChangeSheet``,
    each with ``subtitle`` (the two situations compared) under its title; then each of
    ``stacked`` (sheet name, title, tables) as one sheet holding its tables one under the
    other, each under its own title."""
    buffer = io.BytesIO()
    # rows streamed (constant memory): a review of two 100 000-row ledgers may list them all
    workbook = xlsxwriter.Workbook(
        buffer,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    formats = Formats(workbook)
    if summary is not None:
        _write_summary(workbook, formats, summary, subtitle)
    for sheet in sheets:
        page = formats.add_sheet(sheet_name(sheet.name))
        page.write_string(0, 0, sheet.table.title, formats.title)
        if subtitle:
            page.write_string(1, 0, subtitle, formats.subtitle)
        after = write_spec(page, formats, 3, sheet.table)
        if len(sheet.table) == 0 and sheet.table.empty_text:
            page.write_string(after, 0, sheet.table.empty_text, formats.subtitle)
    for name, title, tables in stacked:
        page = formats.add_sheet(sheet_name(name))
        page.write_string(0, 0, title, formats.title)
        if subtitle:
            page.write_string(1, 0, subtitle, formats.subtitle)
        row = 3
        for table in tables:
            page.write_string(row, 0, table.title, formats.subtitle)
            if len(table):
                row = write_spec(page, formats, row + 1, table, autofilter=False, freeze=False) + 1
            else:
                page.write_string(row + 1, 0, table.empty_text, formats.subtitle)
                row += 3
    formats.finish()  # wrapped rows as tall as their text
    workbook.close()
    return buffer.getvalue()


# --- the review of two situations ------------------------------------------------------------


def review_summary_rows(before, after, lang: str = "fr") -> list[SummaryRow]:
    """One row per key figure of the review: its value at each situation, the change (points
    for a percentage, days for a date), and the reason of a blank value (the later
    situation's; the earlier one's, dated, when only it is blank)."""
    old = key_figures(before) if before is not None else None
    new = key_figures(after)
    rows = []
    for figure in REVIEW_FIGURES:
        name = figure.name
        before_value = old.value(name) if old is not None else None
        after_value = new.value(name)
        note = ""
        if after_value is None and name in new.reasons:
            note = reason_text(new.reasons[name], lang)
        elif old is not None and before_value is None and name in old.reasons:
            note = translate(
                "stages.review.note_before",
                lang,
                date=format_date(old.status_date, lang),
                reason=reason_text(old.reasons[name], lang, embedded=True),
            )
        delta = change(name, before_value, after_value)
        delta_kind: ColumnKind = excel_kind(figure.delta_kind)
        if figure.delta_kind == "percent":  # a change of a percentage, in points
            delta, delta_kind = (None if delta is None else delta * 100), "number"
        rows.append(
            SummaryRow(
                figure.label(lang),
                excel_kind(figure.kind),
                before_value,
                after_value,
                delta,
                delta_kind,
                note=note,
            )
        )
    return rows


def review_workbook(before, after, lang: str = "fr") -> bytes:
    """The review workbook of two situations (``tracking.situation.ProjectSituation``):
    the summary of the key figures, then the tasks, décomptes and contracts that changed,
    each the spec the page draws. ``before`` None: the first situation, compared with
    nothing."""
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
    tables = change_tables(before, after, lang)
    sheets = [
        ChangeSheet(translate(f"review.sheet.{name}", lang), tables[name])
        for name in CHANGE_TABLES
        if name in tables
    ]
    stacked = []
    changes = register_changes(before, after)
    if changes is not None:
        stacked.append(
            (
                translate("review.sheet.registers", lang),
                translate("review.registers_title", lang),
                register_change_tables(changes, lang),
            )
        )
    return changes_workbook(sheets, summary, subtitle=subtitle, stacked=stacked)
