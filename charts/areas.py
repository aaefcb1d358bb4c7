"""Floor-area charts: the treemap of the building (category → type → space) and the areas by
level. Labels and numbers are written in Python in the reader's language (plotly's own number
format would be English)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.style import note_figure, plain_text
from i18n import has_key, translate
from i18n.format import format_number, format_percent
from loaders.schema import FLOOR_AREAS
from tracking.areas import CATEGORY_CODE, UNCLASSIFIED, type_key

CATEGORY_COLORS = {
    "usable": "#1f6f8b",
    "support": "#2e8b57",
    "circulation": "#c98a1b",
    "structure": "#7f8896",
    UNCLASSIFIED: "#c0392b",
}


def format_area(value: float | None, lang: str = "fr") -> str:
    """``2 027 m²``; one decimal only when the area has one (``7,5 m²``)."""
    if value is None or pd.isna(value):
        return "—"
    decimals = 0 if float(round(value, 1)).is_integer() else 1
    return f"{format_number(value, lang, decimals)}\u00a0m²"


def category_label(code: str, lang: str = "fr") -> str:
    return translate(f"surfaces.category.{code}", lang)


def type_label(code: str, lang: str = "fr", short: bool = False) -> str:
    """A canonical type's name (``office`` -> ``Bureaux start-up``; ``short`` for the chart's
    boxes: ``Coworking``); an unknown type as written; no type at all -> ``(sans type)``."""
    if not code:
        return translate("surfaces.no_type", lang)
    key = f"surfaces.{'type_short' if short else 'type'}.{code}"
    return translate(key, lang) if has_key(key, lang) else plain_text(code)


def _shade(color: str, amount: float) -> str:
    """``color`` mixed with white (``amount`` 0 = the colour, 1 = white)."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (red, green, blue)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def treemap_nodes(spaces: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """id, parent, label, value, text, hover, color, depth of every node of the treemap: the root
    (gross area), the categories, the types and the spaces (``spaces`` is
    ``classify_spaces``'s frame)."""
    gross = float(spaces[FLOOR_AREAS.area_m2].sum())

    def share(area: float) -> str:
        return format_percent(area / gross, lang) if gross else "—"

    def text(area: float) -> str:
        # one figure per line: narrow boxes keep a readable label
        return f"{format_area(area, lang)}<br>{share(area)}"

    def hover(label: str, area: float, count: int | None = None) -> str:
        line = f"<b>{label}</b><br>{format_area(area, lang)} · {share(area)}"
        if count is not None:
            line += "<br>" + translate("areas_chart.spaces", lang, count=count)
        return line

    frame = spaces.assign(_type=type_key(spaces))
    root = "root"
    root_label = translate("areas_chart.root", lang)
    nodes = [
        {
            "id": root,
            "parent": "",
            "label": f"{root_label} · {format_area(gross, lang)}",
            "value": gross,
            "text": "",
            "hover": hover(root_label, gross),
            "color": "#ffffff",
            "depth": 0,
        }
    ]
    categories = [c for c in CATEGORY_COLORS if c in set(frame[CATEGORY_CODE])]
    for category in categories:
        in_category = frame[frame[CATEGORY_CODE] == category]
        base = CATEGORY_COLORS[category]
        category_id = f"c/{category}"
        area = float(in_category[FLOOR_AREAS.area_m2].sum())
        name = category_label(category, lang)
        types = list(dict.fromkeys(in_category["_type"]))
        # a category's box shows one header line: its figures go into the label, unless its
        # only type's box repeats them (a narrow header would shrink the text unreadably)
        label = name if len(types) == 1 else f"{name} · {format_area(area, lang)} · {share(area)}"
        nodes.append(
            {
                "id": category_id,
                "parent": root,
                "label": label,
                "value": area,
                "text": "",
                "hover": hover(name, area, len(in_category)),
                "color": base,
                "depth": 1,
            }
        )
        for position, space_type in enumerate(types):
            in_type = in_category[in_category["_type"] == space_type]
            color = _shade(base, 0.12 + 0.5 * position / max(len(types), 1))
            type_id = f"{category_id}/{space_type}"
            area = float(in_type[FLOOR_AREAS.area_m2].sum())
            nodes.append(
                {
                    "id": type_id,
                    "parent": category_id,
                    "label": type_label(space_type, lang, short=True),
                    "value": area,
                    "text": text(area),
                    "hover": hover(type_label(space_type, lang), area, len(in_type)),
                    "color": color,
                    "depth": 2,
                }
            )
            for index, row in in_type.iterrows():
                name = row[FLOOR_AREAS.name]
                space_id = row[FLOOR_AREAS.space_id]
                label = plain_text(name) if pd.notna(name) else plain_text(space_id)
                if pd.notna(space_id):
                    label = f"{plain_text(space_id)} · {label}"
                area = float(row[FLOOR_AREAS.area_m2])
                nodes.append(
                    {
                        "id": f"{type_id}/{index}",
                        "parent": type_id,
                        "label": label,
                        "value": area,
                        "text": text(area),
                        "hover": hover(label, area),
                        "color": _shade(color, 0.25),
                        "depth": 3,
                    }
                )
    return pd.DataFrame(nodes)


def areas_treemap_figure(
    spaces: pd.DataFrame, lang: str = "fr", height: int = 660, maxdepth: int = 3
) -> go.Figure:
    """The gross area divided into categories, then types (the labelled boxes), then spaces
    (shown when a type or a category is clicked: ``maxdepth`` levels at a time, so the 70-odd
    spaces do not crowd the first view). No space: a figure that says so (``no_spaces``)."""
    if spaces.empty or not spaces[FLOOR_AREAS.area_m2].fillna(0).sum() > 0:
        return note_figure("no_spaces", lang, height)
    nodes = treemap_nodes(spaces, lang)
    figure = go.Figure(
        go.Treemap(
            ids=nodes["id"],
            parents=nodes["parent"],
            labels=nodes["label"],
            values=nodes["value"],
            text=nodes["text"],
            customdata=nodes["hover"],
            branchvalues="total",
            maxdepth=maxdepth,
            sort=True,
            marker={"colors": nodes["color"], "line": {"color": "#ffffff", "width": 2}},
            texttemplate="<b>%{label}</b><br>%{text}",
            hovertemplate="%{customdata}<extra></extra>",
            textfont={"size": 14},
            pathbar={"visible": True, "textfont": {"size": 13}},
            tiling={"pad": 3},
            root={"color": "#ffffff"},
        )
    )
    figure.update_layout(
        height=height,
        margin={"l": 4, "r": 4, "t": 30, "b": 4},
    )
    return figure


def areas_by_level_figure(by_level: pd.DataFrame, lang: str = "fr", height: int = 380) -> go.Figure:
    """Stacked bars: the area of each level divided by category, the level total above. No
    level: a figure that says so (``no_spaces``)."""
    if by_level.empty:
        return note_figure("no_spaces", lang, height)
    categories = [c for c in CATEGORY_COLORS if c in by_level.columns]
    levels = [
        plain_text(level) if level else translate("surfaces.no_level", lang)
        for level in by_level["level"]
    ]
    figure = go.Figure()
    for category in categories:
        areas = by_level[category].astype(float)
        shown = [format_area(a, lang) if a >= 40 else "" for a in areas]
        figure.add_trace(
            go.Bar(
                name=category_label(category, lang),
                x=levels,
                y=areas,
                marker={"color": CATEGORY_COLORS[category]},
                text=shown,
                textposition="inside",
                insidetextanchor="middle",
                customdata=[format_area(a, lang) for a in areas],
                hovertemplate="%{x} · "
                + category_label(category, lang)
                + " : %{customdata}<extra></extra>",
            )
        )
    totals = by_level["total"].astype(float)
    figure.add_trace(
        go.Scatter(
            x=levels,
            y=totals,
            mode="text",
            text=[f"<b>{format_area(t, lang)}</b>" for t in totals],
            textposition="top center",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    top = float(totals.max()) if len(totals) else 0.0
    figure.update_layout(
        barmode="stack",
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        yaxis={
            "title": {"text": "m²"},
            "range": [0, top * 1.15 if top else 1],
            "separatethousands": True,
            "exponentformat": "none",
        },
        separators=", " if lang == "fr" else ".,",
        plot_bgcolor="#ffffff",
        uniformtext={"minsize": 10, "mode": "hide"},
    )
    figure.update_yaxes(gridcolor="#e5e8ec")
    return figure


def areas_by_category_figure(
    by_category: pd.DataFrame, lang: str = "fr", height: int = 260
) -> go.Figure:
    """A donut of the gross area by category (usable, support, circulation, structure) with
    the total in the middle: the compact view of the briefing. No area: a figure that says
    so (``no_spaces``)."""
    if by_category.empty or not by_category["area_m2"].fillna(0).sum() > 0:
        return note_figure("no_spaces", lang, height)
    labels = [category_label(code, lang) for code in by_category["category"]]
    total = float(by_category["area_m2"].sum())
    figure = go.Figure(
        go.Pie(
            labels=labels,
            values=by_category["area_m2"],
            hole=0.55,
            sort=False,
            marker={"colors": [CATEGORY_COLORS.get(c, "#999999") for c in by_category["category"]]},
            text=[
                f"{format_area(a, lang)}<br>{format_percent(a / total if total else None, lang, 0)}"
                for a in by_category["area_m2"]
            ],
            textinfo="text",
            hovertext=[
                f"{label} : {format_area(a, lang)}"
                for label, a in zip(labels, by_category["area_m2"], strict=True)
            ],
            hoverinfo="text",
            textfont={"size": 10},
        )
    )
    figure.add_annotation(
        text=f"<b>{format_area(total, lang)}</b>", x=0.5, y=0.5, showarrow=False, font={"size": 13}
    )
    figure.update_layout(
        height=height,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        legend={"orientation": "v", "x": 1.0, "y": 0.5, "font": {"size": 10}},
    )
    return figure
