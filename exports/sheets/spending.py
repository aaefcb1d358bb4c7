"""Dépenses sheet: the spending chain per line, earned value, contract terms and rules, the ledger."""

from __future__ import annotations

import pandas as pd

from exports.xlsx_tables import Col, Formats, print_setup, write_table, write_value
from i18n import translate
from loaders.schema import SPENDING
from tracking import budget as chain_cols
from tracking.unavailable import NO_CONTRACT, NO_EARNED_SCOPE, NOT_RECEIVED
from views.reasons import reason_text


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"export.{key}", lang, **params)


# --- Dépenses --------------------------------------------------------------------------------


def write_spending_sheet(workbook, formats: Formats, situation, lang, header, footer):
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
