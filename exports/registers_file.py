"""The registers workbook: decisions, actions and risks, one sheet each, in the shape the
loaders read back (``loaders.registers``), headers and words in the reader's language.

One writer for three uses: the import template of the Données page (example rows), the file
of every version recorded from the registers page (what the history keeps and gives back),
and the register exported as it stands. Text is written as text (``write_string``): a cell
typed ``=HYPERLINK(…)`` never becomes a live formula.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping

import pandas as pd
import xlsxwriter

from i18n import normalise_lang, translate
from i18n.format import format_date
from loaders.registers import VOCABULARIES
from loaders.schema import ACTIONS, DECISIONS, REGISTER_SCHEMAS, RISKS, TableSchema

TITLE_ROW, SITUATION_ROW, HEADER_ROW = 0, 1, 3
#: widths (Excel units) of the long text columns; the others fit their header
WIDE = {"question": 46, "decision": 40, "action": 46, "title": 40, "cause": 30, "event": 30}
WIDE |= {"effect": 30, "links": 22, "body": 18, "decided_by": 24, "owner": 24, "origin": 16}


def word(kind: str, column: str, code: object, lang: str) -> str | None:
    """The word a register file writes for ``code`` (``pending`` -> « À décider »)."""
    if not isinstance(code, str) or not code:
        return None
    group = "dimension" if column == "dimension" else f"{kind}_{column}"
    return translate(f"registers.word.{group}.{code}", lang)


def words_of(kind: str, column: str, lang: str) -> dict[str, str]:
    """code -> word of a vocabulary column, in the vocabulary's order."""
    return {code: word(kind, column, code, lang) or code for code in VOCABULARIES[kind][column]}


def example_registers(lang: str = "fr") -> dict[str, pd.DataFrame]:
    """One example row per register, for the template."""
    fr = normalise_lang(lang) == "fr"
    t = pd.Timestamp
    return {
        DECISIONS.kind: pd.DataFrame(
            [
                {
                    "decision_id": "D-01",
                    "meeting_date": t(2026, 11, 13),
                    "body": "COPIL",
                    "question": "Avenant de délai de 30 jours ?" if fr else "30-day extension?",
                    "decided_by": "Gouverneur" if fr else "Governor",
                    "due_date": t(2026, 12, 4),
                    "status": "pending",
                    "dimension": "time",
                }
            ]
        ),
        ACTIONS.kind: pd.DataFrame(
            [
                {
                    "action_id": "A-01",
                    "action": "Transmettre le planning recalé" if fr else "Send the revised plan",
                    "owner": "Entreprise" if fr else "Contractor",
                    "due_date": t(2026, 11, 27),
                    "status": "open",
                    "origin": "D-01",
                    "opened_date": t(2026, 11, 13),
                }
            ]
        ),
        RISKS.kind: pd.DataFrame(
            [
                {
                    "risk_id": "R-01",
                    "title": "Retard du gros œuvre" if fr else "Structure late",
                    "probability": 4,
                    "impact": 4,
                    "impact_days": 21,
                    "owner": "Entreprise" if fr else "Contractor",
                    "response": "reduce",
                    "status": "open",
                    "dimension": "time",
                }
            ]
        ),
    }


def registers_workbook(
    frames: Mapping[str, pd.DataFrame | None],
    lang: str = "fr",
    *,
    project: str = "",
    status_date: dt.date | None = None,
) -> bytes:
    """The three registers as an xlsx; a missing register is a sheet with its header only.
    ``status_date`` is written « Situation au … » above the header (the date the loaders read
    as the version's date)."""
    lang = normalise_lang(lang)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties({"created": dt.datetime(2000, 1, 1)})  # the same register, same bytes
    styles = {
        "title": book.add_format({"bold": True, "font_size": 14, "font_color": "#0F5E63"}),
        "situation": book.add_format({"italic": True, "font_color": "#5A6B70"}),
        "header": book.add_format(
            {"bold": True, "bg_color": "#0F5E63", "font_color": "#FFFFFF", "text_wrap": True}
        ),
        "date": book.add_format({"num_format": "dd/mm/yyyy", "valign": "top"}),
        "money": book.add_format({"num_format": '#,##0.00 "MAD"', "valign": "top"}),
        "number": book.add_format({"num_format": "0", "valign": "top"}),
        "text": book.add_format({"text_wrap": True, "valign": "top"}),
    }
    for schema in REGISTER_SCHEMAS:
        _write_register(book, styles, schema, frames.get(schema.kind), lang, project, status_date)
    book.close()
    return buffer.getvalue()


def _write_register(
    book, styles, schema: TableSchema, frame, lang: str, project: str, status_date
) -> None:
    sheet = book.add_worksheet(translate(f"registers.file.sheet_{schema.kind}", lang))
    if lang == "ar":
        sheet.right_to_left()
    sheet.write_string(
        TITLE_ROW, 0, translate(f"registers.file.title_{schema.kind}", lang, project=project)
    )
    sheet.set_row(TITLE_ROW, 22, styles["title"])
    if status_date is not None:
        text = translate("registers.file.situation", lang, date=format_date(status_date, lang))
        sheet.write_string(SITUATION_ROW, 0, text, styles["situation"])
    names = schema.names
    for position, name in enumerate(names):
        header = translate(f"column.{name}", lang)
        sheet.write_string(HEADER_ROW, position, header, styles["header"])
        sheet.set_column(position, position, WIDE.get(name, max(12, len(header) + 2)))
    sheet.freeze_panes(HEADER_ROW + 1, 1)
    vocabularies = VOCABULARIES[schema.kind]
    rows = [] if frame is None else frame.to_dict("records")
    for offset, record in enumerate(rows, start=HEADER_ROW + 1):
        for position, column in enumerate(schema.columns):
            value = record.get(column.name)
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                continue
            if column.name in vocabularies:
                value = word(schema.kind, column.name, value, lang) or str(value)
            if column.type == "date":
                sheet.write_datetime(
                    offset, position, pd.Timestamp(value).to_pydatetime(), styles["date"]
                )
            elif column.type == "money":
                sheet.write_number(offset, position, float(value), styles["money"])
            elif column.type == "number":
                sheet.write_number(offset, position, float(value), styles["number"])
            else:
                sheet.write_string(offset, position, str(value), styles["text"])
    sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + max(len(rows), 1), len(names) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(HEADER_ROW)


def registers_file_name(lang: str = "fr") -> str:
    return translate("registers.file.file_name", lang) + ".xlsx"


def record_registers(
    store,
    frames: Mapping[str, pd.DataFrame | None],
    *,
    lang: str = "fr",
    recorded_by: str,
    project: str = "",
    today: dt.date | None = None,
    limits=None,
):
    """Record the registers as edited as a new version: written as the registers workbook
    dated ``today``, then run through the same loaders and import as a file from the Données
    page (``store.check_bytes`` / ``store_checked``), so an edit obeys every rule of an import
    and a refused one stores nothing (the refusal is in the audit trail). Returns the
    ``store.ImportResult``; its ``problems`` name the sheet, row and column."""
    from store import check_bytes, store_checked

    day = today or dt.date.today()
    data = registers_workbook(frames, lang, project=project, status_date=day)
    name = f"{translate('registers.file.file_name', lang)}_{day.isoformat()}.xlsx"
    checked = check_bytes("registers", name, data, lang, today=day, limits=limits)
    return store_checked(store, checked, recorded_by)
