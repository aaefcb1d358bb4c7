"""The stakeholders' Excel workbook: Synthèse, Planning, Dépenses, Surfaces, Contrôles, Sources.

``build_workbook(situation, sources, problems, lang) -> bytes`` writes every figure from the
same ``ProjectSituation`` the pages and the briefing read, with native Excel charts, French
number and date formats, frozen filtered headers and an A4 landscape print setup.

The workbook streams its rows (xlsxwriter's ``constant_memory``): each sheet is kept as
converted tables and a few single cells (``exports.xlsx_tables.OrderedSheet``) and written in
row order by ``Formats.finish``, so that a 100 000-row ledger never sits in memory as cells.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import xlsxwriter

from exports.sheets.areas import write_areas_sheet
from exports.sheets.checks import write_checks_sheet
from exports.sheets.planning import write_planning_sheet
from exports.sheets.registers import write_registers_sheets
from exports.sheets.sources import write_sources_sheet
from exports.sheets.spending import write_spending_sheet
from exports.sheets.summary import write_summary_sheet
from exports.xlsx_tables import Formats
from i18n import translate
from i18n.format import format_date
from loaders.problems import LoadResult, Problem
from store.snapshots import TABLES_OF_FILE
from tracking.situation import ProjectSituation


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
    # text is written as text whatever these say (``write_string``); they guard any ``write``
    workbook = xlsxwriter.Workbook(
        buffer,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
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

    summary = formats.add_sheet(_tr("sheet.summary", lang))
    planning_sheet = None
    if situation.planning is not None and situation.schedule is not None:
        planning_sheet = write_planning_sheet(
            workbook, formats, situation.schedule, situation.planning, lang, header, footer
        )
    spending_sheet = write_spending_sheet(workbook, formats, situation, lang, header, footer)
    areas_sheet = write_areas_sheet(workbook, formats, situation, lang, header, footer)
    write_registers_sheets(workbook, formats, situation, lang, header, footer)
    write_checks_sheet(workbook, formats, situation, problems or [], lang, header, footer)
    write_sources_sheet(workbook, formats, situation, sources, lang, header, footer, generated_at)
    write_summary_sheet(
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
    formats.finish()
    workbook.close()
    return buffer.getvalue()
