"""Floor-area charts: the treemap of the building (category → type → space) and the areas by
level. Labels and numbers are written in Python in the reader's language (plotly's own number
format would be English)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.style import note_figure, plain_text
from i18n import translate
from i18n.format import format_percent, number_separators
from loaders.schema import FLOOR_AREAS
from tracking.areas import BY_CATEGORY, BY_LEVEL, SPACES, UNCLASSIFIED, type_key
from views.surfaces import area_text, category_name, type_name

CATEGORY_COLORS = {
    "programme": "#1f6f8b",
    "support": "#2e8b57",
    "circulation": "#c98a1b",
    "structure": "#7f8896",
    UNCLASSIFIED: "#c0392b",
}


def category_label(code: str, lang: str = "fr") -> str:
    """A category's name for a plotly label (escaped: plotly reads HTML in its texts)."""
    return plain_text(category_name(code, lang))


def type_label(code: str, lang: str = "fr", short: bool = False) -> str:
    """A type's name for a plotly label; an unknown type as written, escaped."""
    return plain_text(type_name(code, lang, short=short))


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
        return f"{area_text(area, lang)}<br>{share(area)}"

    def hover(label: str, area: float, count: int | None = None) -> str:
        line = f"<b>{label}</b><br>{area_text(area, lang)} · {share(area)}"
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
            "label": f"{root_label} · {area_text(gross, lang)}",
            "value": gross,
            "text": "",
            "hover": hover(root_label, gross),
            "color": "#ffffff",
            "depth": 0,
        }
    ]
    categories = [c for c in CATEGORY_COLORS if c in set(frame[SPACES.category_code])]
    for category in categories:
        in_category = frame[frame[SPACES.category_code] == category]
        base = CATEGORY_COLORS[category]
        category_id = f"c/{category}"
        area = float(in_category[FLOOR_AREAS.area_m2].sum())
        name = category_label(category, lang)
        types = list(dict.fromkeys(in_category["_type"]))
        # a category's box shows one header line: its figures go into the label, unless its
        # only type's box repeats them (a narrow header would shrink the text unreadably)
        label = name if len(types) == 1 else f"{name} · {area_text(area, lang)} · {share(area)}"
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
    level: a figure that says so (``no_spaces``). Every number is written in Python in the
    reader's format; the axis has no thousands (a level is under 1 000 m² in the sample) or
    uses the reader's separators."""
    if by_level.empty:
        return note_figure("no_spaces", lang, height)
    categories = [c for c in CATEGORY_COLORS if c in by_level.columns]
    levels = [
        plain_text(level) if level else translate("surfaces.no_level", lang)
        for level in by_level[BY_LEVEL.level]
    ]
    figure = go.Figure()
    for category in categories:
        areas = by_level[category].astype(float)
        name = category_label(category, lang)
        figure.add_trace(
            go.Bar(
                name=name,
                x=levels,
                y=areas,
                marker={"color": CATEGORY_COLORS[category]},
                text=[area_text(a, lang) if a >= 40 else "" for a in areas],
                textposition="inside",
                insidetextanchor="middle",
                customdata=[
                    translate(
                        "areas_chart.level_hover",
                        lang,
                        level=level,
                        category=name,
                        area=area_text(area, lang),
                    )
                    for level, area in zip(levels, areas, strict=True)
                ],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    totals = by_level[BY_LEVEL.total].astype(float)
    top = float(totals.max()) if len(totals) else 0.0
    figure.add_trace(
        go.Scatter(
            x=levels,
            # a little above the bar, so that the total does not sit on its top segment
            y=totals + top * 0.015,
            mode="text",
            text=[f"<b>{area_text(t, lang)}</b>" for t in totals],
            textposition="top center",
            showlegend=False,
            hoverinfo="skip",
        )
    )
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
        # plotly's separators: the decimal mark, then the thousands separator
        separators=number_separators(lang),
        plot_bgcolor="#ffffff",
        uniformtext={"minsize": 10, "mode": "hide"},
    )
    figure.update_yaxes(gridcolor="#e5e8ec")
    return figure


def areas_by_category_figure(
    by_category: pd.DataFrame, lang: str = "fr", height: int = 260
) -> go.Figure:
    """A donut of the gross area by category (programme spaces, support, circulation,
    structure) with the total in the middle: the compact view of the briefing. Each slice's
    area and share are written inside it, horizontally; a slice too thin for them keeps them
    in its legend entry and its hover, so no label is pushed outside the chart and cut. No
    area: a figure that says so (``no_spaces``)."""
    areas = by_category[BY_CATEGORY.area_m2]
    if by_category.empty or not areas.fillna(0).sum() > 0:
        return note_figure("no_spaces", lang, height)
    codes = list(by_category[BY_CATEGORY.category])
    names = [category_label(code, lang) for code in codes]
    total = float(areas.sum())
    shares = [a / total for a in areas]
    #: below this share the slice is too thin for two lines of text
    thin = 0.10
    figures = [
        f"{area_text(a, lang)}<br>{format_percent(share, lang, 0)}"
        for a, share in zip(areas, shares, strict=True)
    ]
    figure = go.Figure(
        go.Pie(
            labels=[
                f"{name} ({format_percent(share, lang, 0)})" if share < thin else name
                for name, share in zip(names, shares, strict=True)
            ],
            values=areas,
            hole=0.55,
            sort=False,
            marker={"colors": [CATEGORY_COLORS.get(c, "#999999") for c in codes]},
            text=[
                "" if share < thin else text for text, share in zip(figures, shares, strict=True)
            ],
            textinfo="text",
            textposition="inside",
            insidetextorientation="horizontal",
            hovertext=[
                translate(
                    "areas_chart.category_hover",
                    lang,
                    category=name,
                    area=area_text(a, lang),
                    share=format_percent(share, lang, 0),
                )
                for name, a, share in zip(names, areas, shares, strict=True)
            ],
            hoverinfo="text",
            textfont={"size": 10},
        )
    )
    figure.add_annotation(
        text=f"<b>{area_text(total, lang)}</b>", x=0.5, y=0.5, showarrow=False, font={"size": 13}
    )
    figure.update_layout(
        height=height,
        margin={"l": 0, "r": 0, "t": 6, "b": 6},
        legend={"orientation": "v", "x": 1.0, "y": 0.5, "font": {"size": 10}},
    )
    return figure
