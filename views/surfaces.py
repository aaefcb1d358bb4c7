"""What the Surfaces page and the workbook's Surfaces sheet say, computed once from an
``AreasOverview``: the verdict and its findings, the headline figures, and the tables (the
programme against the brief, the totals from net to gross, the cost per m², the areas by level,
the room schedule).

The areas are named once (``tracking.areas``): the **gross area** (every space), the **net
floor area** (the rooms, without circulation or structure: 1 465 m² in the sample) and the
**programme-space area** (the offices, coworking spaces, meeting room and local services the
brief announces: 1 070 m²). Every share is of the gross area, and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from i18n import has_key, translate
from i18n.format import format_date, format_number
from loaders.schema import FLOOR_AREAS
from loaders.tables import SOURCE_ROW
from tracking.areas import (
    BY_LEVEL,
    CATEGORIES,
    PROGRAMME,
    SPACES,
    UNCLASSIFIED,
    AreasOverview,
    Finding,
    fold_label,
)
from views.format import DASH, format_value, is_missing
from views.spec import Column, Figure, Table, Verdict, make_table

#: columns of the view's own frames (beside the ``tracking.areas`` and ``FLOOR_AREAS`` names)
LINE = "line"
AREA = "area_m2"
SHARE = "share"
LABEL = "label"
STATUS_TEXT = "status_text"
ENVELOPE = "envelope"
ENGAGED = "engaged"
TYPE_NAME = "type_name"
CATEGORY_NAME = "category_name"
#: a room's words folded for the search box (not shown)
SEARCH_TEXT = "search_text"

CSV_STEM = "programme_surfaces"


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"surfaces.{key}", lang, **params)


# --- words and numbers -----------------------------------------------------------------------


def area_text(value: float | None, lang: str) -> str:
    """An area in a sentence, a figure or a chart: ``2 027 m²``, one decimal only when the
    area has one (``7,5 m²``); a dash when missing. Tables use ``format_value``'s kind
    ``area``."""
    if is_missing(value):
        return DASH
    decimals = 0 if float(round(value, 1)).is_integer() else 1
    return f"{format_number(value, lang, decimals)}\u00a0m²"


def money_per_m2(value: float | None, lang: str) -> str:
    """``7 499 MAD/m²``: a cost per m² in whole MAD, as the cost table shows it."""
    if is_missing(value):
        return DASH
    return f"{format_value(value, 'int', lang)}\u00a0MAD/m²"


def category_name(code: str, lang: str) -> str:
    """``programme`` -> ``Espaces du programme``."""
    return _tr(f"category.{code}", lang)


def type_name(code: str | None, lang: str, short: bool = False) -> str:
    """A canonical type's name (``office`` -> ``Bureaux start-up``; ``short`` for the chart's
    boxes: ``Coworking``); an unknown type as written; no type at all -> ``(sans type)``."""
    if not isinstance(code, str) or not code:
        return _tr("no_type", lang)
    key = f"surfaces.{'type_short' if short else 'type'}.{code}"
    return translate(key, lang) if has_key(key, lang) else code


def basis_name(basis: str, lang: str) -> str:
    """What the announced figure measures: ``surface brute`` / ``surface nette``."""
    return _tr(f"basis_{basis}", lang)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def finding_text(finding: Finding, lang: str) -> str:
    """A finding in the reader's language, its figures formatted (plain text)."""
    values = dict(finding.values)
    if "space_type" in values:
        values["type"] = type_name(str(values["space_type"]), lang)
    for key in ("total", "announced", "difference", "other", "area"):
        if key in values:
            values[key] = area_text(float(values[key]), lang)
    if "types" in values:
        values["types"] = ", ".join(t or _tr("no_type", lang) for t in values["types"])
    if "basis" in values:
        other = "net" if values["basis"] == "gross" else "gross"
        values["other_basis"] = basis_name(other, lang)
        values["other_code"] = other
        values["basis"] = basis_name(values["basis"], lang)
    return _tr(f"finding.{finding.code}", lang, **values)


# --- the verdict -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingList:
    """A verdict and the findings listed under it (plain text, one per bullet)."""

    verdict: Verdict
    items: tuple[str, ...] = ()


def surfaces_verdicts(overview: AreasOverview, lang: str) -> list[FindingList]:
    """The verdict in one sentence (the programme met, or what is missing), then the notes:
    differences to explain and spaces beyond the programme."""
    totals, places = overview.totals, overview.capacity
    errors = [finding_text(f, lang) for f in overview.findings if f.severity == "error"]
    notes = [finding_text(f, lang) for f in overview.findings if f.severity != "error"]
    if overview.conforms:
        programme = ", ".join(
            _tr(
                "programme_item",
                lang,
                type=lower_first(type_name(row.space_type, lang)),
                found=row.found,
                required=row.required,
            )
            for row in overview.programme.itertuples(index=False)
        )
        text = _tr(
            "verdict_ok",
            lang,
            programme=programme,
            places=places.places,
            capacity=places.required,
            total=area_text(totals.compared_m2, lang),
            basis=basis_name(totals.basis, lang),
            announced=area_text(totals.announced_m2, lang),
        )
        shown = [FindingList(Verdict(text, "success", ":material/task_alt:"))]
    else:
        verdict = Verdict(_tr("verdict_not_ok", lang), "error", ":material/report:")
        shown = [FindingList(verdict, tuple(errors))]
    if notes:
        verdict = Verdict(_tr("verdict_notes", lang), "warning", ":material/info:")
        shown.append(FindingList(verdict, tuple(notes)))
    return shown


# --- the headline figures --------------------------------------------------------------------


def _announced_detail(overview: AreasOverview, lang: str) -> str:
    totals = overview.totals
    if totals.matches:
        return _tr("figure.announced_ok", lang)
    key = "figure.announced_less" if totals.difference_m2 < 0 else "figure.announced_more"
    return _tr(key, lang, difference=area_text(abs(totals.difference_m2), lang))


def _share_detail(area: float, overview: AreasOverview, lang: str) -> str:
    gross = overview.totals.gross_m2
    share = area / gross if gross else None
    return _tr("figure.share_of_gross", lang, share=format_value(share, "percent", lang))


def _out_of(part: int, whole: int, lang: str) -> str:
    """``58 / 58``."""
    return f"{format_value(part, 'count', lang)} / {format_value(whole, 'count', lang)}"


def surfaces_figures(overview: AreasOverview, lang: str) -> list[Figure]:
    """Eight figures in two rows: the four areas (gross, net, programme spaces, circulation,
    each with its share of the gross area), then capacity, occupancy, area per start-up and
    cost per m² of gross area."""
    totals, places, costs = overview.totals, overview.capacity, overview.costs
    basis = basis_name(totals.basis, lang)
    gross, net = totals.gross_m2, totals.net_m2

    def area_figure(key: str, value: float, detail: str, **help_params) -> Figure:
        return Figure(
            f"surfaces.{key}",
            _tr(f"figure.{key}", lang),
            value,
            "area",
            help=_tr(f"figure.{key}_help", lang, **help_params),
            detail=detail,
            shown=area_text(value, lang),
        )

    compared_is_net = totals.basis == "net"
    figures = [
        area_figure(
            "gross",
            gross,
            "" if compared_is_net else _announced_detail(overview, lang),
            announced=area_text(totals.announced_m2, lang),
            basis=basis,
        ),
        area_figure(
            "net",
            net,
            _announced_detail(overview, lang)
            if compared_is_net
            else _share_detail(net, overview, lang),
            programme=area_text(totals.programme_m2, lang),
            support=area_text(totals.support_m2, lang),
            share=format_value(totals.net_share, "percent", lang),
        ),
        area_figure(
            "programme",
            totals.programme_m2,
            _share_detail(totals.programme_m2, overview, lang),
            share=format_value(totals.efficiency, "percent", lang),
        ),
        area_figure(
            "circulation",
            totals.circulation_m2,
            _share_detail(totals.circulation_m2, overview, lang),
            share=format_value(totals.circulation_ratio, "percent", lang),
        ),
        Figure(
            "surfaces.places",
            _tr("figure.places", lang),
            places.places,
            "count",
            help=_tr(
                "figure.places_help",
                lang,
                offices=places.offices,
                office_places=places.office_places,
                coworking_places=places.coworking_places,
                capacity=places.required,
            ),
            detail=_tr(
                "figure.places_detail",
                lang,
                office_places=places.office_places,
                coworking_places=places.coworking_places,
            ),
            shown=_out_of(places.places, places.required, lang),
        ),
    ]
    if places.occupancy_known:
        figures.append(
            Figure(
                "surfaces.occupied",
                _tr("figure.occupied", lang),
                places.occupied_offices,
                "count",
                help=_tr("figure.occupied_help", lang),
                detail=_tr(
                    "figure.occupied_detail",
                    lang,
                    share=format_value(places.office_occupancy, "percent", lang),
                ),
                shown=_out_of(places.occupied_offices, places.offices, lang),
            )
        )
    else:
        figures.append(
            Figure(
                "surfaces.occupied",
                _tr("figure.occupied", lang),
                None,
                "count",
                help=_tr("figure.occupied_unknown", lang),
            )
        )
    figures += [
        Figure(
            "surfaces.per_startup",
            _tr("figure.per_startup", lang),
            places.gross_per_startup,
            "area",
            help=_tr(
                "figure.per_startup_help",
                lang,
                capacity=places.required,
                workspace=area_text(places.workspace_per_place, lang),
            ),
            detail=_tr("figure.per_startup_detail", lang, capacity=places.required),
            shown=area_text(places.gross_per_startup, lang),
        ),
        Figure(
            "surfaces.cost",
            _tr("figure.cost", lang),
            costs.envelope_per_gross,
            "int",
            help=_tr(
                "figure.cost_help",
                lang,
                envelope=format_value(costs.envelope, "money", lang),
                gross=area_text(gross, lang),
            ),
            detail=_tr(
                "figure.cost_detail", lang, envelope=format_value(costs.envelope, "millions", lang)
            ),
            shown=money_per_m2(costs.envelope_per_gross, lang),
        ),
    ]
    return figures


# --- the tables ------------------------------------------------------------------------------


def _col(id_: str, key: str, kind, width: float, lang: str, **params) -> Column:
    return Column(id_, _tr(f"col.{key}", lang, **params), kind, width)


def programme_table(overview: AreasOverview, lang: str) -> Table:
    """The programme of the brief against the room schedule, one row per space type, and
    the start-up places (offices + coworking) against the announced capacity."""
    programme, places = overview.programme, overview.capacity
    if places.places == places.required:
        capacity_status = "met"
    else:
        capacity_status = "exceeded" if places.meets else "missing"
    status = [*programme[PROGRAMME.status], capacity_status]
    required = [*programme[PROGRAMME.required], places.required]
    found = [*programme[PROGRAMME.found], places.places]
    frame = pd.DataFrame(
        {
            LABEL: [type_name(code, lang) for code in programme[PROGRAMME.space_type]]
            + [_tr("capacity_line", lang)],
            PROGRAMME.required: required,
            PROGRAMME.found: found,
            PROGRAMME.area_m2: [*programme[PROGRAMME.area_m2], places.workspace_m2],
            STATUS_TEXT: [
                _tr(f"status.{code}", lang, missing=need - have)
                for code, need, have in zip(status, required, found, strict=True)
            ],
            PROGRAMME.status: status,
        }
    )
    return make_table(
        "surfaces.programme",
        _tr("conformity_title", lang),
        frame,
        [
            _col(LABEL, "space_type", "text", 19, lang),
            _col(PROGRAMME.required, "required", "count", 9, lang),
            _col(PROGRAMME.found, "found", "count", 8, lang),
            _col(PROGRAMME.area_m2, "area", "area", 11, lang),
            _col(STATUS_TEXT, "status", "text", 14, lang),
        ],
        highlight=lambda f: f[PROGRAMME.status] == "missing",
        caption=_tr("conformity_caption", lang),
    )


def totals_table(overview: AreasOverview, lang: str) -> Table:
    """From the programme spaces to the gross area, each line with its share of the gross
    area, then the announced area and the difference with the sum compared to it."""
    totals = overview.totals
    basis = basis_name(totals.basis, lang)
    lines = [
        ("programme", totals.programme_m2),
        ("support", totals.support_m2),
        ("net", totals.net_m2),
        ("circulation", totals.circulation_m2),
        ("structure", totals.structure_m2),
    ]
    if totals.unclassified_m2:
        lines.append(("unclassified", totals.unclassified_m2))
    lines.append(("gross", totals.gross_m2))
    gross = totals.gross_m2
    frame = pd.DataFrame(
        {
            LINE: [_tr(f"totals.{key}", lang) for key, _ in lines]
            + [
                _tr("totals.announced", lang, basis=basis),
                _tr("totals.difference", lang, basis=basis),
            ],
            AREA: [area for _, area in lines] + [totals.announced_m2, totals.difference_m2],
            SHARE: [area / gross if gross else None for _, area in lines] + [None, None],
        }
    )
    flags = [False] * (len(frame) - 1) + [not totals.matches]
    tolerance = area_text(totals.tolerance_m2, lang)
    if totals.matches:
        caption = _tr("totals_caption_ok", lang, basis=basis, tolerance=tolerance)
    else:
        caption = _tr("totals_caption_not_ok", lang, basis=basis, tolerance=tolerance)
    return make_table(
        "surfaces.totals",
        _tr("totals_title", lang),
        frame,
        [
            _col(LINE, "line", "text", 28, lang),
            _col(AREA, "area", "area", 11, lang),
            _col(SHARE, "share", "percent", 15, lang),
        ],
        highlight=flags,
        caption=caption,
    )


def costs_table(overview: AreasOverview, lang: str, status_date: dt.date | None) -> Table:
    """The envelope (and the engaged amount when contracts are loaded) per m² of each area,
    in whole MAD per m² (the headline figure's precision); the amounts in the caption."""
    totals, costs = overview.totals, overview.costs
    frame = pd.DataFrame(
        {
            LINE: [_tr(f"costs.{key}", lang) for key in ("gross", "net", "programme")],
            AREA: [totals.gross_m2, totals.net_m2, totals.programme_m2],
            ENVELOPE: [
                costs.envelope_per_gross,
                costs.envelope_per_net,
                costs.envelope_per_programme,
            ],
            ENGAGED: [costs.engaged_per_gross, costs.engaged_per_net, costs.engaged_per_programme],
        }
    ).astype({ENVELOPE: float, ENGAGED: float})
    columns = [
        _col(LINE, "cost_line", "text", 22, lang),
        _col(AREA, "area", "area", 12, lang),
        _col(ENVELOPE, "envelope", "int", 11, lang),
    ]
    envelope = format_value(costs.envelope, "money", lang)
    if costs.engaged is None:
        caption = _tr("cost_no_contracts", lang, envelope=envelope)
    else:
        columns.append(_col(ENGAGED, "engaged", "int", 11, lang))
        caption = _tr(
            "cost_caption",
            lang,
            envelope=envelope,
            engaged=format_value(costs.engaged, "money", lang),
            date=format_date(status_date, lang),
        )
    return make_table("surfaces.costs", _tr("cost_title", lang), frame, columns, caption=caption)


def levels_table(overview: AreasOverview, lang: str) -> Table:
    """The area of each level by category, and its total (the chart's figures)."""
    by_level = overview.by_level
    codes = [c for c in (*CATEGORIES, UNCLASSIFIED) if c in by_level.columns]
    frame = by_level.assign(
        **{
            BY_LEVEL.level: [
                level if level else _tr("no_level", lang) for level in by_level[BY_LEVEL.level]
            ]
        }
    )
    columns = [_col(BY_LEVEL.level, "level", "text", 14, lang)]
    columns += [Column(code, category_name(code, lang), "area", 16) for code in codes]
    columns.append(_col(BY_LEVEL.total, "total", "area", 14, lang))
    return make_table("surfaces.levels", _tr("level_title", lang), frame, columns)


def _room_frame(spaces: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The spaces with their type and category named; an unrecognised type is shown as
    written, marked « (?) »."""
    written = spaces[FLOOR_AREAS.space_type]
    types = [
        type_name(code, lang)
        if isinstance(code, str)
        else f"{text.strip()} (?)"
        if isinstance(text, str) and text.strip()
        else type_name(None, lang)
        for code, text in zip(spaces[SPACES.type_code], written, strict=True)
    ]
    frame = spaces.assign(
        **{
            TYPE_NAME: types,
            CATEGORY_NAME: [category_name(c, lang) for c in spaces[SPACES.category_code]],
            FLOOR_AREAS.seats: pd.to_numeric(spaces[FLOOR_AREAS.seats], errors="coerce").astype(
                float
            ),
        }
    )
    if SOURCE_ROW not in frame.columns:  # a frame built by hand, not read from a file
        frame[SOURCE_ROW] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    words = [FLOOR_AREAS.space_id, FLOOR_AREAS.level, FLOOR_AREAS.name, FLOOR_AREAS.occupant]
    text = frame[[*words, TYPE_NAME, CATEGORY_NAME]].astype("str").fillna("")
    frame[SEARCH_TEXT] = [fold_label(" ".join(words)) for words in text.itertuples(index=False)]
    return frame


def _room_columns(lang: str, file_category: bool = False) -> list[Column]:
    columns = [
        _col(FLOOR_AREAS.space_id, "space_id", "text", 7, lang),
        _col(FLOOR_AREAS.level, "level", "text", 7, lang),
        _col(FLOOR_AREAS.name, "name", "text", 28, lang),
        _col(TYPE_NAME, "space_type", "text", 19, lang),
        _col(CATEGORY_NAME, "category", "text", 19, lang),
    ]
    if file_category:
        columns.append(_col(FLOOR_AREAS.category, "file_category", "text", 17, lang))
    columns += [
        _col(FLOOR_AREAS.area_m2, "area", "area", 10, lang),
        _col(FLOOR_AREAS.seats, "seats", "count", 7, lang),
        _col(FLOOR_AREAS.occupant, "occupant", "text", 17, lang),
        Column(SOURCE_ROW, _tr("col.source_row", lang), "int", 6, _tr("col.source_row_help", lang)),
    ]
    return columns


def rooms_table(overview: AreasOverview, lang: str) -> Table:
    """Every space of the room schedule; those of an unrecognised type highlighted."""
    return make_table(
        "surfaces.rooms",
        _tr("rooms_title", lang),
        _room_frame(overview.spaces, lang),
        _room_columns(lang),
        highlight=lambda f: f[SPACES.type_code].isna(),
        empty_text=_tr("rooms_empty", lang),
        file_stem=CSV_STEM,
    )


def unknown_table(overview: AreasOverview, lang: str) -> Table:
    """The spaces whose type is not recognised (counted in the gross area only)."""
    return make_table(
        "surfaces.unknown",
        _tr("unknown_title", lang),
        _room_frame(overview.unknown, lang),
        _room_columns(lang),
        caption=_tr("unknown_caption", lang),
    )


def mismatch_table(overview: AreasOverview, lang: str) -> Table:
    """The spaces whose category in the file is not their type's (the file's is used)."""
    return make_table(
        "surfaces.mismatches",
        _tr("mismatch_title", lang, count=len(overview.category_mismatches)),
        _room_frame(overview.category_mismatches, lang),
        _room_columns(lang, file_category=True),
        caption=_tr("mismatch_caption", lang),
    )


def search_rooms(table: Table, query: str, categories: list[str]) -> Table:
    """The rooms of ``table`` in one of ``categories`` (all when none) whose words hold every
    word of ``query``, accents, case and plurals folded (``khemisset`` finds ``Khémisset``)."""
    frame = table.frame
    keep = pd.Series(True, index=frame.index)
    if categories:
        keep &= frame[SPACES.category_code].isin(categories)
    for word in fold_label(query).split():
        keep &= frame[SEARCH_TEXT].str.contains(word, regex=False)
    flags = table.highlight or (False,) * len(frame)
    return make_table(
        table.key,
        table.title,
        frame[keep.to_numpy()],
        table.columns,
        highlight=[flag for flag, kept in zip(flags, keep, strict=True) if kept],
        caption=table.caption,
        empty_text=table.empty_text,
        file_stem=table.file_stem,
    )


def rooms_count(table: Table, total: int, lang: str) -> str:
    """``12 locaux affichés sur 71, 330 m²``."""
    area = float(table.frame[FLOOR_AREAS.area_m2].sum()) if len(table) else 0.0
    return _tr("rooms_count", lang, shown=len(table), total=total, area=area_text(area, lang))


# --- the whole page --------------------------------------------------------------------------


@dataclass(frozen=True)
class SurfacesView:
    """Everything the Surfaces page and sheet show, in the reader's language."""

    title: str
    caption: str
    verdicts: list[FindingList]
    figures: list[Figure]
    treemap_title: str
    programme: Table
    totals: Table
    costs: Table
    levels: Table
    rooms: Table
    unknown: Table
    mismatches: Table
    conventions: str

    @property
    def tables(self) -> list[Table]:
        """The tables in the workbook's order (the lists of odd spaces only when not empty)."""
        odd = [table for table in (self.unknown, self.mismatches) if len(table)]
        return [self.programme, self.totals, self.costs, self.levels, *odd, self.rooms]


def surfaces_view(
    overview: AreasOverview,
    lang: str,
    status_date: dt.date | None = None,
    file_name: str | None = None,
) -> SurfacesView:
    """The Surfaces page of ``overview`` (its file named ``file_name``) at ``status_date``."""
    totals, places = overview.totals, overview.capacity
    basis = basis_name(totals.basis, lang)
    return SurfacesView(
        title=_tr("title", lang),
        caption=_tr(
            "caption" if file_name else "caption_without_file",
            lang,
            file=file_name or DASH,
            count=len(overview.spaces),
            announced=area_text(totals.announced_m2, lang),
            basis=basis,
            capacity=places.required,
        ),
        verdicts=surfaces_verdicts(overview, lang),
        figures=surfaces_figures(overview, lang),
        treemap_title=_tr("treemap_title", lang, total=area_text(totals.gross_m2, lang)),
        programme=programme_table(overview, lang),
        totals=totals_table(overview, lang),
        costs=costs_table(overview, lang, status_date),
        levels=levels_table(overview, lang),
        rooms=rooms_table(overview, lang),
        unknown=unknown_table(overview, lang),
        mismatches=mismatch_table(overview, lang),
        conventions=_tr(
            "conventions_text",
            lang,
            interior=area_text(totals.interior_m2, lang),
            announced=area_text(totals.announced_m2, lang),
            basis=basis,
            tolerance=area_text(totals.tolerance_m2, lang),
        ),
    )
