"""Surfaces sheet: the programme against the brief and the room schedule."""

from __future__ import annotations

from exports.xlsx_tables import Col, Formats, print_setup, write_table
from i18n import translate
from loaders.schema import FLOOR_AREAS


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"export.{key}", lang, **params)


# --- Surfaces --------------------------------------------------------------------------------


def write_areas_sheet(workbook, formats: Formats, situation, lang, header, footer):
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
