"""Dépenses sheet: the tables and figures of the Dépenses page (``views.spending``), written
from the same specs: the chain per budget line with its total, the headline figures, the
envelope's breakdown, earned value, the works contract's terms, the contract rules, the
retention due per décompte, the late payments with their intérêts moratoires (the total among
the contract's terms) and the ledger."""

from __future__ import annotations

from exports.xlsx_tables import Formats, excel_kind, print_setup, write_fitted, write_spec
from i18n import translate
from tracking import budget as chain
from views.format import format_value
from views.reasons import reason_text
from views.spec import Figure, Table
from views.spending import spending_view


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"export.{key}", lang, **params)


#: names, payees and sentences wrap at this many characters: the sheet's tables share its
#: columns, and sixteen columns of amounts must still print one page wide
TEXT_CAP = 20

#: the lines table's columns whose total row comes from ``ChainTotals``
_TOTALS = (
    chain.BUDGET,
    chain.ENGAGED,
    chain.ISSUED,
    chain.PAID,
    chain.RETENTION_HELD,
    chain.PAID_NET,
    chain.TO_COMMIT,
    chain.TO_ISSUE,
    chain.TO_PAY,
)


def write_spending_sheet(workbook, formats: Formats, situation, lang, header, footer):
    spending = situation.spending
    if spending is None:
        return None
    completed = situation.planning is not None and situation.planning.forecast.completed
    content = spending_view(spending, situation.settings, lang, completed=completed)
    sheet = formats.add_sheet(_tr("sheet.spending", lang))
    basis = translate(f"spending.basis_name.{spending.basis}", lang)
    sheet.write_string(0, 0, _tr("spending.title", lang, basis=basis), formats.title)
    sheet.write_string(1, 0, _tr("spending.subtitle", lang), formats.subtitle)

    top = 3
    lines = content.lines
    total_row = write_spec(sheet, formats, top, lines, freeze=False, text_cap=TEXT_CAP)
    sheet.write_string(total_row, 1, _tr("total", lang), formats.bold)
    for offset, column in enumerate(lines.columns):
        if column.id in _TOTALS:
            value = getattr(spending.totals, column.id)
            write_fitted(sheet, formats, total_row, offset, value, "money", bold=True)
    sheet.freeze_panes(top + 1, 2)

    row = total_row + 3
    figures = [*content.amounts, *content.rates, *content.outlook]
    title = translate("export.summary.figures", lang)
    row = _write_figures(sheet, formats, row, title, figures, lang)
    row = _write_block(sheet, formats, row + 2, content.breakdown)
    row = _write_block(sheet, formats, row + 2, content.earned)
    if spending.earned is not None:
        row = _write_block(sheet, formats, row + 2, content.earned_lines)
        row = _write_block(sheet, formats, row + 2, content.excluded)
    title = translate("stages.workbook.contract_title", lang)
    terms = [*content.terms, content.late_interest]
    row = _write_figures(sheet, formats, row + 2, title, terms, lang)
    row = _write_block(sheet, formats, row + 2, content.rules)
    row = _write_block(sheet, formats, row + 2, content.retention)
    row = _write_block(sheet, formats, row + 2, content.overdue)
    sheet.write_string(row + 2, 0, translate("spending.penalty_title", lang), formats.bold)
    sheet.write_string(row + 3, 0, content.penalty)
    _write_block(sheet, formats, row + 6, content.ledger)
    # the ledger is the table that runs over several pages: its header repeats on each
    print_setup(sheet, header, footer, repeat_row=row + 7)
    return sheet


def _write_block(sheet, formats: Formats, row: int, table: Table) -> int:
    """A table's title in bold, then the table (or its empty text), then its caption; returns
    the last row written."""
    sheet.write_string(row, 0, table.title, formats.bold)
    if len(table) == 0:
        sheet.write_string(row + 1, 0, table.empty_text)
        return row + 1
    last = write_spec(
        sheet, formats, row + 1, table, autofilter=False, freeze=False, text_cap=TEXT_CAP
    )
    last -= 1
    if table.caption:
        last += 1
        sheet.write_string(last, 0, table.caption, formats.subtitle)
    return last


def _write_figures(
    sheet, formats: Formats, row: int, title: str, figures: list[Figure], lang: str
) -> int:
    """Figures as rows: label, typed value (or the sentence saying why it is missing), and
    the detail line when it says more than the value; returns the last row written."""
    sheet.write_string(row, 0, title, formats.bold)
    for figure in figures:
        row += 1
        kind = excel_kind(figure.kind)
        write_fitted(sheet, formats, row, 0, figure.label, cap=TEXT_CAP)
        missing = (
            figure.detail
            or reason_text(figure.reason, lang)
            or translate("stages.not_available", lang)
        )
        write_fitted(sheet, formats, row, 1, figure.value, kind, missing_text=missing, cap=TEXT_CAP)
        shown = format_value(figure.value, figure.kind, lang, currency="MAD")
        if figure.value is not None and figure.detail and figure.detail != shown:
            write_fitted(sheet, formats, row, 2, figure.detail, cap=TEXT_CAP)
    return row
