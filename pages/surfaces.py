"""Surfaces page: is the building being delivered the building that was announced (2 027 m²,
34 offices, 3 coworking spaces, 1 meeting room, 2 local-services spaces, 58 start-ups)?"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.areas import (
    areas_by_level_figure,
    areas_treemap_figure,
    category_label,
    format_area,
    type_label,
)
from exports.safe_csv import to_csv_bytes
from i18n.format import format_date, format_money, format_number, format_percent
from loaders.schema import FLOOR_AREAS
from tracking.areas import CATEGORY_CODE, TYPE_CODE, Finding, fold_label
from ui.domain import cached_areas
from ui.navigation import require_app_navigation
from ui.shared import (
    current_data,
    lang,
    md,
    page_part,
    settings,
    tr,
)

require_app_navigation()

project = settings()
data = current_data()
language = lang()

st.title(tr("surfaces.title"))
if data.floor_areas is None:
    st.warning(tr("surfaces.no_data"), icon=":material/warning:")
    st.stop()

overview = cached_areas(data.floor_areas, data.contracts, data.status_date)
totals = overview.totals
places = overview.capacity
costs = overview.costs
basis = tr(f"surfaces.basis_{totals.basis}")


def m2(value: float | None) -> str:
    return format_area(value, language)


def money_per_m2(value: float | None) -> str:
    return "—" if value is None else f"{format_money(value, language, decimals=0)}/m²"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def finding_text(finding: Finding) -> str:
    """A finding in the reader's language, its figures formatted."""
    values = dict(finding.values)
    if "space_type" in values:
        values["type"] = type_label(str(values["space_type"]), language)
    for key in ("total", "announced", "difference", "other", "area"):
        if key in values:
            values[key] = m2(float(values[key]))
    if "basis" in values:
        other = "net" if values["basis"] == "gross" else "gross"
        values["other_basis"] = tr(f"surfaces.basis_{other}")
        values["other_code"] = other
        values["basis"] = tr(f"surfaces.basis_{values['basis']}")
    return md(f"surfaces.finding.{finding.code}", **values)


st.caption(
    md(
        "surfaces.caption",
        file=data.sources.get("floor-areas", "—"),
        count=len(overview.spaces),
        announced=m2(totals.announced_m2),
        basis=basis,
        capacity=places.required,
    )
)

# --- the verdict, in one sentence ------------------------------------------------------------
with page_part("surfaces.verdict"):
    errors = [f for f in overview.findings if f.severity == "error"]
    notes = [f for f in overview.findings if f.severity != "error"]
    if overview.conforms:
        programme_items = ", ".join(
            md(
                "surfaces.programme_item",
                type=lower_first(type_label(row.space_type, language)),
                found=row.found,
                required=row.required,
            )
            for row in overview.programme.itertuples(index=False)
        )
        st.success(
            tr(
                "surfaces.verdict_ok",
                programme=programme_items,
                places=places.places,
                capacity=places.required,
                total=m2(totals.compared_m2),
                basis=basis,
                announced=m2(totals.announced_m2),
            ),
            icon=":material/task_alt:",
        )
    else:
        st.error(
            "\n".join(
                [tr("surfaces.verdict_not_ok"), ""] + [f"- {finding_text(f)}" for f in errors]
            ),
            icon=":material/report:",
        )
    if notes:
        st.warning(
            "\n".join([tr("surfaces.verdict_notes"), ""] + [f"- {finding_text(f)}" for f in notes]),
            icon=":material/info:",
        )

# --- headline figures ------------------------------------------------------------------------
first, second = st.columns(4), st.columns(4)
with page_part("surfaces.figures"):
    if totals.basis == "gross":
        total_delta = (
            tr("surfaces.metric_total_delta_ok")
            if totals.matches
            else tr(
                "surfaces.metric_total_delta",
                difference=("+" if totals.difference_m2 > 0 else "−")
                + m2(abs(totals.difference_m2)),
            )
        )
    else:  # the announced figure is a net area: the verdict and the totals check compare it
        total_delta = None
    first[0].metric(
        tr("surfaces.metric_total"),
        m2(totals.gross_m2),
        delta=total_delta,
        delta_color="off" if totals.matches else "inverse",
        delta_arrow="off" if totals.matches else "auto",
        help=tr("surfaces.metric_total_help", announced=m2(totals.announced_m2), basis=basis),
    )
    first[1].metric(
        tr("surfaces.metric_net"),
        m2(totals.net_m2),
        help=tr("surfaces.metric_net_help", share=format_percent(totals.net_share, language)),
    )
    first[2].metric(
        tr("surfaces.metric_efficiency"),
        format_percent(totals.efficiency, language),
        help=tr(
            "surfaces.metric_efficiency_help",
            usable=m2(totals.usable_m2),
            gross=m2(totals.gross_m2),
        ),
    )
    first[3].metric(
        tr("surfaces.metric_circulation"),
        format_percent(totals.circulation_ratio, language),
        help=tr(
            "surfaces.metric_circulation_help",
            circulation=m2(totals.circulation_m2),
            net=m2(totals.net_m2),
        ),
    )
    second[0].metric(
        tr("surfaces.metric_places"),
        tr("surfaces.metric_places_value", places=places.places, capacity=places.required),
        help=tr(
            "surfaces.metric_places_help",
            offices=places.offices,
            office_places=places.office_places,
            coworking_places=places.coworking_places,
            capacity=places.required,
        ),
    )
    if places.occupancy_known:
        second[1].metric(
            tr("surfaces.metric_occupied"),
            tr(
                "surfaces.metric_occupied_value",
                occupied=places.occupied_offices,
                offices=places.offices,
            ),
            help=tr(
                "surfaces.metric_occupied_help",
                share=format_percent(places.office_occupancy, language, 0),
            ),
        )
    else:
        second[1].metric(
            tr("surfaces.metric_occupied"), "—", help=tr("surfaces.metric_occupied_unknown")
        )
    second[2].metric(
        tr("surfaces.metric_per_startup"),
        m2(places.gross_per_startup),
        help=tr(
            "surfaces.metric_per_startup_help",
            capacity=places.required,
            workspace=m2(places.workspace_per_place),
        ),
    )
    second[3].metric(
        tr("surfaces.metric_cost"),
        money_per_m2(costs.envelope_per_gross),
        help=tr(
            "surfaces.metric_cost_help",
            envelope=format_money(costs.envelope, language, decimals=0),
            gross=m2(totals.gross_m2),
        ),
    )

# --- the treemap -----------------------------------------------------------------------------
st.subheader(tr("surfaces.treemap_title", total=m2(totals.gross_m2)))
with page_part("surfaces.treemap"):
    st.plotly_chart(
        areas_treemap_figure(overview.spaces, language),
        width="stretch",
        key="surfaces.treemap",
        config={"displaylogo": False},
    )
    st.caption(tr("surfaces.treemap_caption"))

# --- programme conformity and the totals check -----------------------------------------------
left, right = st.columns(2)
with page_part("surfaces.conformity"), left:
    st.subheader(tr("surfaces.conformity_title"))
    programme = overview.programme
    status_text = [
        tr(f"surfaces.status.{row.status}", missing=row.required - row.found)
        for row in programme.itertuples(index=False)
    ]
    conformity = pd.DataFrame(
        {
            tr("surfaces.col.space_type"): [
                type_label(code, language) for code in programme["space_type"]
            ]
            + [tr("surfaces.totals.capacity")],
            tr("surfaces.col.required"): [*programme["required"], places.required],
            tr("surfaces.col.found"): [*programme["found"], places.places],
            tr("surfaces.col.area_m2"): [*programme["area_m2"], places.workspace_m2],
            tr("surfaces.col.status"): status_text
            + [
                tr("surfaces.status.met")
                if places.places == places.required
                else tr("surfaces.status.exceeded")
                if places.meets
                else tr("surfaces.status.missing", missing=places.required - places.places)
            ],
        }
    )
    st.dataframe(
        conformity,
        hide_index=True,
        width="stretch",
        height=38 + 35 * len(conformity),
        key="surfaces.conformity",
        column_config={
            tr("surfaces.col.area_m2"): st.column_config.NumberColumn(format="localized"),
        },
    )

with page_part("surfaces.totals"), right:
    st.subheader(tr("surfaces.totals_title"))
    lines = [
        ("usable", totals.usable_m2),
        ("support", totals.support_m2),
        ("net", totals.net_m2),
        ("circulation", totals.circulation_m2),
        ("structure", totals.structure_m2),
    ]
    if totals.unclassified_m2:
        lines.append(("unclassified", totals.unclassified_m2))
    lines.append(("gross", totals.gross_m2))
    gross = totals.gross_m2
    rows = [
        (
            tr(f"surfaces.totals.{key}"),
            m2(area),
            format_percent(area / gross, language) if gross else "—",
        )
        for key, area in lines
    ]
    rows.append((tr("surfaces.totals.announced", basis=basis), m2(totals.announced_m2), ""))
    difference = totals.difference_m2
    rows.append(
        (
            tr("surfaces.totals.difference", basis=basis),
            tr("surfaces.totals.difference_ok")
            if totals.matches
            else ("+" if difference > 0 else "−") + m2(abs(difference)),
            "",
        )
    )
    bridge = pd.DataFrame(
        rows,
        columns=[tr("surfaces.col.line"), tr("surfaces.col.area"), tr("surfaces.col.share")],
    )
    st.dataframe(
        bridge,
        hide_index=True,
        width="stretch",
        height=38 + 35 * len(bridge),
        key="surfaces.totals",
    )

# --- areas by level and cost per m² ----------------------------------------------------------
left, right = st.columns([5, 4])
with page_part("surfaces.levels"), left:
    st.subheader(tr("surfaces.level_title"))
    st.plotly_chart(
        areas_by_level_figure(overview.by_level, language),
        width="stretch",
        key="surfaces.levels",
        config={"displaylogo": False},
    )
with page_part("surfaces.cost"), right:
    st.subheader(tr("surfaces.cost_title"))
    cost_columns = {
        tr("surfaces.col.line"): [
            tr("surfaces.col.amount"),
            tr("surfaces.col.per_gross", area=m2(totals.gross_m2)),
            tr("surfaces.col.per_usable", area=m2(totals.usable_m2)),
        ],
        tr("surfaces.totals.envelope"): [
            format_money(costs.envelope, language, decimals=0),
            money_per_m2(costs.envelope_per_gross),
            money_per_m2(costs.envelope_per_usable),
        ],
    }
    if costs.engaged is not None:
        cost_columns[tr("surfaces.totals.engaged")] = [
            format_money(costs.engaged, language, decimals=0),
            money_per_m2(costs.engaged_per_gross),
            money_per_m2(costs.engaged_per_usable),
        ]
    st.dataframe(pd.DataFrame(cost_columns), hide_index=True, width="stretch", key="surfaces.costs")
    if costs.engaged is None:
        st.caption(tr("surfaces.cost_no_contracts"))
    else:
        st.caption(tr("surfaces.cost_caption", date=format_date(data.status_date, language)))

# --- spaces needing attention ----------------------------------------------------------------
spaces = overview.spaces


def room_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The spaces as the reader sees them: headers and type/category names translated; an
    unrecognised type is shown as written, marked with « (?) »."""
    shown_types = [
        type_label(code, language)
        if isinstance(code, str)
        else f"{written} (?)"
        if isinstance(written, str) and written.strip()
        else type_label("", language)
        for code, written in zip(frame[TYPE_CODE], frame[FLOOR_AREAS.space_type], strict=True)
    ]
    return pd.DataFrame(
        {
            tr("surfaces.col.space_id"): frame[FLOOR_AREAS.space_id].to_numpy(),
            tr("surfaces.col.level"): frame[FLOOR_AREAS.level].to_numpy(),
            tr("surfaces.col.name"): frame[FLOOR_AREAS.name].to_numpy(),
            tr("surfaces.col.space_type"): shown_types,
            tr("surfaces.col.category"): [
                category_label(c, language) for c in frame[CATEGORY_CODE]
            ],
            tr("surfaces.col.area_m2"): frame[FLOOR_AREAS.area_m2].to_numpy(),
            tr("surfaces.col.seats"): pd.to_numeric(
                frame[FLOOR_AREAS.seats], errors="coerce"
            ).to_numpy(),
            tr("surfaces.col.occupant"): frame[FLOOR_AREAS.occupant].to_numpy(),
        }
    )


#: widths that fit the eight columns in the page's width (1366 px screen, sidebar open)
ROOM_COLUMNS = {
    tr("surfaces.col.space_id"): st.column_config.TextColumn(width=70),
    tr("surfaces.col.level"): st.column_config.TextColumn(width=65),
    tr("surfaces.col.name"): st.column_config.TextColumn(width=220),
    tr("surfaces.col.space_type"): st.column_config.TextColumn(width=150),
    tr("surfaces.col.category"): st.column_config.TextColumn(width=115),
    tr("surfaces.col.area_m2"): st.column_config.NumberColumn(format="localized", width=95),
    tr("surfaces.col.seats"): st.column_config.NumberColumn(format="%d", width=60),
    tr("surfaces.col.occupant"): st.column_config.TextColumn(width=130),
}

with page_part("surfaces.attention"):
    if len(overview.unknown):
        st.subheader(tr("surfaces.unknown_title"))
        st.caption(tr("surfaces.unknown_caption"))
        st.dataframe(
            room_frame(overview.unknown),
            hide_index=True,
            width="stretch",
            key="surfaces.unknown",
            column_config=ROOM_COLUMNS,
            placeholder="",
        )
    if len(overview.category_mismatches):
        with st.expander(f"{tr('surfaces.mismatch_title')} ({len(overview.category_mismatches)})"):
            st.caption(tr("surfaces.mismatch_caption"))
            mismatches = room_frame(overview.category_mismatches)
            mismatches.insert(
                5,
                tr("surfaces.col.file_category"),
                overview.category_mismatches[FLOOR_AREAS.category].to_numpy(),
            )
            st.dataframe(
                mismatches,
                hide_index=True,
                width="stretch",
                column_config=ROOM_COLUMNS,
                placeholder="",
            )

# --- the searchable room list ----------------------------------------------------------------
with page_part("surfaces.rooms"):
    st.subheader(tr("surfaces.rooms_title"))
    filters = st.columns([3, 2])
    query = filters[0].text_input(
        tr("surfaces.search"),
        key="surfaces.search",
        placeholder=tr("surfaces.search_placeholder"),
    )
    category_codes = list(overview.by_category["category"])
    chosen = filters[1].multiselect(
        tr("surfaces.category_filter"),
        options=category_codes,
        format_func=lambda code: category_label(code, language),
        key="surfaces.category_filter",
        placeholder=tr("surfaces.category_filter_all"),
    )
    rooms = room_frame(spaces)
    shown_mask = pd.Series(True, index=rooms.index)
    if chosen:
        shown_mask &= spaces[CATEGORY_CODE].isin(chosen).to_numpy()
    if query.strip():
        # accents, case and plurals folded on both sides: "khemisset" finds "Khémisset"
        haystack = rooms.astype("str").fillna("").agg(" ".join, axis=1).map(fold_label)
        for word in fold_label(query).split():
            shown_mask &= haystack.str.contains(word, regex=False).to_numpy()
    shown_rooms = rooms[shown_mask]
    st.caption(
        tr(
            "surfaces.rooms_count",
            shown=len(shown_rooms),
            total=len(rooms),
            area=m2(float(shown_rooms[tr("surfaces.col.area_m2")].sum())),
        )
    )
    if shown_rooms.empty:
        st.info(tr("surfaces.rooms_empty"))
    else:
        st.dataframe(
            shown_rooms,
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(shown_rooms), 560),
            key="surfaces.rooms",
            column_config=ROOM_COLUMNS,
            placeholder="",
        )
        st.download_button(
            tr("surfaces.download_rooms"),
            data=to_csv_bytes(shown_rooms),
            file_name="programme_surfaces.csv",
            mime="text/csv",
            key="surfaces.download",
        )

with st.expander(tr("surfaces.conventions_title")):
    st.markdown(
        tr(
            "surfaces.conventions_text",
            interior=m2(totals.interior_m2),
            announced=m2(totals.announced_m2),
            basis=basis,
            tolerance=format_number(totals.tolerance_m2, language, 1) + "\u00a0m²",
        )
    )
