"""The Surfaces view on the bundled sample and on a room schedule that is not the announced
building, in both languages: one name per area (net floor area 1 465 m², programme spaces
1 070 m²) on the page and in the workbook, each cost per m² naming its m², one circulation
ratio (of the gross area), numbers in the reader's format (charts included), plurals by count,
no French in the English view, no None or nan in a table; and the Sources sheet from its spec."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import openpyxl
import pandas as pd
import pytest

from charts.areas import areas_by_category_figure, areas_by_level_figure, treemap_nodes
from exports.safe_csv import table_csv_bytes
from exports.workbook import SourceInfo, build_workbook
from i18n import catalogue
from loaders.schema import FLOOR_AREAS
from store.seed import SAMPLE_IMPORTER
from tests.exports.test_workbook import SOURCES, sample_situation
from tests.views.readback import sheet_values, table_values, workbook_table
from tracking.areas import areas_overview
from views.format import format_value
from views.sources import sources_table
from views.surfaces import AREA, LINE, SHARE, finding_text, surfaces_view


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.fixture(scope="module")
def situation():
    return sample_situation()


@pytest.fixture(scope="module")
def workbooks(situation):
    return {lang: build_workbook(situation, SOURCES, [], lang) for lang in ("fr", "en")}


@pytest.fixture(scope="module", params=["fr", "en"])
def view(request, situation):
    lang = request.param
    return lang, surfaces_view(situation.areas, lang, situation.status_date, "surfaces.xlsx")


def figures(content) -> dict:
    return {figure.key: figure for figure in content.figures}


def shown_cells(table, lang: str) -> list[str]:
    """Every cell of a table as the page shows it (``format_value`` of its kind)."""
    frame = table.data()
    return [
        format_value(value, column.kind, lang, missing=column.missing_text or "—")
        for column in table.columns
        for value in frame[column.id]
    ]


def ui_texts(content, lang: str) -> list[str]:
    """Every sentence and label the view writes itself (not the file's own words)."""
    texts = [content.title, content.caption, content.treemap_title, content.conventions]
    for shown in content.verdicts:
        texts += [shown.verdict.text, *shown.items]
    for figure in content.figures:
        texts += [figure.label, figure.help, figure.detail, figure.shown or ""]
    for table in (content.programme, content.totals, content.costs, content.levels):
        texts += [table.title, table.caption, *table.labels, *shown_cells(table, lang)]
    texts += [content.rooms.title, *content.rooms.labels]
    return texts


def chart_texts(situation, lang: str, spaces: bool = True) -> list[str]:
    """Labels, texts and hovers of the three area charts (``spaces``: with the treemap's boxes
    of single spaces, labelled with the file's own names)."""
    areas = situation.areas
    nodes = treemap_nodes(areas.spaces, lang)
    if not spaces:
        nodes = nodes[nodes["depth"] < 3]
    texts = [*nodes["label"], *nodes["text"], *nodes["hover"]]
    for figure in (
        areas_by_level_figure(areas.by_level, lang),
        areas_by_category_figure(areas.by_category, lang),
    ):
        for trace in figure.data:
            for attribute in ("text", "customdata", "hovertext", "labels", "name"):
                value = getattr(trace, attribute, None)
                if value is None:
                    continue
                texts += [str(v) for v in (value if isinstance(value, tuple | list) else [value])]
        texts += [a.text for a in figure.layout.annotations]
    return texts


# --- one name per area, the same on the page and in the workbook -----------------------------

NAMES = {
    "fr": {
        "net": "Surface nette",
        "programme": "Espaces du programme",
        "net_line": "= Surface nette",
        "per_gross": "Coût au m² de surface brute",
        "cost_lines": ["Surface brute", "Surface nette", "Espaces du programme"],
    },
    "en": {
        "net": "Net floor area",
        "programme": "Programme spaces",
        "net_line": "= Net floor area",
        "per_gross": "Cost per m² of gross area",
        "cost_lines": ["Gross area", "Net floor area", "Programme spaces"],
    },
}


def test_net_floor_area_and_programme_spaces_have_their_own_names(view):
    lang, content = view
    names, shown = NAMES[lang], figures(view[1])
    assert (shown["surfaces.net"].label, plain(shown["surfaces.net"].shown)) == (
        names["net"],
        "1 465 m²" if lang == "fr" else "1,465 m²",
    )
    assert (shown["surfaces.programme"].label, plain(shown["surfaces.programme"].shown)) == (
        names["programme"],
        "1 070 m²" if lang == "fr" else "1,070 m²",
    )
    lines = dict(zip(content.totals.frame[LINE], content.totals.frame[AREA], strict=True))
    assert lines[names["net_line"]] == 1465 and lines[names["programme"]] == 1070
    # "utile" / "usable" names neither: the word is only explained in the conventions
    for text in ui_texts(content, lang):
        if text is not content.conventions:
            assert not re.search(r"utile|usable", text, re.IGNORECASE), text


def test_the_workbook_names_the_areas_as_the_page_does(view, workbooks):
    lang, content = view
    read = workbook_table(workbooks[lang], "surfaces.totals")
    assert sheet_values(read) == table_values(content.totals)
    by_line = dict(zip(read.iloc[:, 0], read.iloc[:, 1], strict=True))
    assert by_line[NAMES[lang]["net_line"]] == 1465
    assert by_line[NAMES[lang]["programme"]] == 1070
    sheet = openpyxl.load_workbook(io.BytesIO(workbooks[lang])).worksheets[3]
    words = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert not re.search(r"utile|usable", words, re.IGNORECASE)


def test_each_cost_per_m2_names_its_m2(view):
    lang, content = view
    assert figures(content)["surfaces.cost"].label == NAMES[lang]["per_gross"]
    assert plain(figures(content)["surfaces.cost"].shown) == (
        "7 499 MAD/m²" if lang == "fr" else "7,499 MAD/m²"
    )
    costs = content.costs.frame
    assert list(costs[LINE]) == NAMES[lang]["cost_lines"]
    assert list(costs[AREA]) == [2027, 1465, 1070]
    # the table shows the figure's number: whole MAD per m²
    assert shown_cells(content.costs, lang)[content.costs.ids.index("envelope") * 3] == (
        format_value(7498.77, "int", lang)
    )
    assert costs["envelope"].tolist() == pytest.approx([7498.77, 10375.43, 14205.61], abs=0.01)


def test_the_circulation_ratio_is_of_the_gross_area_everywhere(view, situation):
    lang, content = view
    totals = situation.areas.totals
    assert totals.circulation_ratio == pytest.approx(450 / 2027)
    circulation = figures(content)["surfaces.circulation"]
    expected = "22,2 % de la surface brute" if lang == "fr" else "22.2 % of the gross area"
    assert plain(circulation.detail) == expected
    assert ("circulations / surface brute" if lang == "fr" else "circulation / gross area") in (
        circulation.help
    )
    shares = dict(zip(content.totals.frame[LINE], content.totals.frame[SHARE], strict=True))
    line = "+ Circulations" if lang == "fr" else "+ Circulation"
    assert shares[line] == pytest.approx(totals.circulation_ratio)
    assert content.totals.columns[2].label == (
        "% surface brute" if lang == "fr" else "% of gross area"
    )
    # 450 / 1 465 (the share of the net area) is said nowhere
    assert not any(re.search(r"30[,.]7", plain(text)) for text in ui_texts(content, lang))


# --- the reader's format, plurals, languages --------------------------------------------------

#: four digits or more in a row that are not a year of a dd/mm/yyyy date
RAW_NUMBER = re.compile(r"(?<![\d/])\d{4,}(?![\d/])")


def test_numbers_are_in_the_readers_format_charts_included(view, situation):
    lang, content = view
    texts = [*ui_texts(content, lang), *chart_texts(situation, lang)]
    for table in content.tables:
        texts += shown_cells(table, lang)
    raw = [text for text in texts if RAW_NUMBER.search(plain(text))]
    assert raw == []
    assert "1 070 m²" in plain(" ".join(chart_texts(situation, lang))).replace(",", " ")


def test_no_french_in_the_english_view(situation):
    content = surfaces_view(situation.areas, "en", situation.status_date, "surfaces.xlsx")
    for text in ui_texts(content, "en"):
        assert not re.search(r"[éèêàçù]| : |\(s\)", text), text
    for text in chart_texts(situation, "en", spaces=False):
        assert not re.search(r"[éèêàçù]| : ", text), text


def test_no_plural_placeholder_is_left_in_the_messages():
    for lang in ("fr", "en"):
        for key, text in catalogue(lang).items():
            if key.startswith(("surfaces.", "areas_chart.")):
                assert not re.search(r"\((s|x|aux|es)\)", text), key


def non_conforming(situation):
    """The sample without coworking space C (R2-17), with two spaces of unknown types."""
    floor_areas = situation.floor_areas
    floor_areas = floor_areas[floor_areas[FLOOR_AREAS.space_id] != "R2-17"]
    extra = pd.DataFrame(
        {
            FLOOR_AREAS.space_id: ["R2-26", "R2-27"],
            FLOOR_AREAS.name: ["Fablab", "Atelier"],
            FLOOR_AREAS.space_type: ["Atelier fablab", "Atelier fablab"],
            FLOOR_AREAS.area_m2: [30.0, 10.0],
            FLOOR_AREAS.level: ["R+2", "R+2"],
        }
    )
    return areas_overview(pd.concat([floor_areas, extra], ignore_index=True), situation.settings)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fr",
            [
                "Espaces de coworking : 2 trouvés pour 3 requis, il en manque 1.",
                "51 places start-up pour 58 start-up annoncées, il en manque 7.",
                "2 locaux de type non reconnu (Atelier fablab), 40 m² au total : comptés dans "
                "la surface brute mais dans aucun type du programme.",
            ],
        ),
        (
            "en",
            [
                "Coworking spaces: 2 found for 3 required, 1 missing.",
                "51 start-up places for 58 start-ups announced, 7 missing.",
                "2 spaces of an unrecognised type (Atelier fablab), 40 m² in all: counted in "
                "the gross area but in no type of the programme.",
            ],
        ),
    ],
)
def test_findings_choose_their_plural_by_count(situation, lang, expected):
    overview = non_conforming(situation)
    texts = [plain(finding_text(f, lang)) for f in overview.findings]
    for sentence in expected:
        assert sentence in texts
    one = dataclasses.replace(
        overview.findings[0], values={**overview.findings[0].values, "found": 1, "missing": 2}
    )
    assert plain(finding_text(one, lang)).startswith(
        "Espaces de coworking : 1 trouvé pour" if lang == "fr" else "Coworking spaces: 1 found"
    )


def test_no_none_or_nan_in_any_table(view, situation):
    lang, content = view
    odd = surfaces_view(non_conforming(situation), lang)
    for table in [*content.tables, *odd.tables]:
        for text in shown_cells(table, lang):
            assert not re.search(r"\b(None|nan|NaN|NaT|<NA>)\b", text), (table.key, text)
    assert len(odd.unknown) == 2


# --- the Sources sheet ------------------------------------------------------------------------


def test_the_sources_sheet_is_written_from_its_spec(situation):
    sources = [
        *SOURCES,
        SourceInfo(
            "floor-areas",
            "programme_surfaces.xlsx",
            "b" * 64,
            dt.datetime(2026, 11, 20, 17, tzinfo=dt.UTC),
            SAMPLE_IMPORTER,
            71,
            dt.date(2026, 11, 20),
        ),
    ]
    for lang, sample in (
        ("fr", "échantillon fourni avec l'application"),
        ("en", "sample shipped with the application"),
    ):
        table = sources_table(sources, lang)
        read = workbook_table(build_workbook(situation, sources, [], lang), "sources.files")
        assert sheet_values(read) == table_values(table)
        assert list(read.columns) == table.labels
        assert read.iloc[1, 4] == sample  # the bundled sample's importer, in words
        assert read.iloc[1, 6] == 71


def test_the_room_list_csv_comes_from_the_same_spec(situation):
    content = surfaces_view(situation.areas, "fr", situation.status_date)
    lines = table_csv_bytes(content.rooms, "fr").decode("utf-8-sig").splitlines()
    assert lines[0] == ";".join(content.rooms.labels)
    assert lines[1] == (
        "R0-01;RDC;Bureau start-up 1;Bureaux start-up;Espaces du programme;15,0;1,0;"
        "AgriSense Maroc;6"
    )
    assert len(lines) == 1 + 71


def test_the_sheet_caption_points_to_the_sources_sheet(workbooks):
    sheet = openpyxl.load_workbook(io.BytesIO(workbooks["fr"]))["Surfaces"]
    caption = plain(sheet.cell(2, 1).value)
    assert "71 locaux, lus dans le fichier nommé sur la feuille Sources" in caption
    assert "—" not in caption
