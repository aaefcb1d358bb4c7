"""The Surfaces page through AppTest: the verdict on the sample (the announced building) and on
an imported room schedule that is not (a coworking space missing, a space of unknown type);
every table the page draws holds the values of the workbook's table of the same spec."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from exports.workbook import build_workbook
from i18n import translate
from loaders import LOADERS, load_project
from loaders.schema import FLOOR_AREAS
from tests.exports.test_workbook import SOURCES, sample_situation
from tests.views.readback import sheet_values, workbook_table
from tracking.situation import compute_situation
from ui.markdown_text import visible
from views.surfaces import AREA, ENVELOPE, LINE, STATUS_TEXT

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
SETTINGS = load_project(ROOT / "data" / "project.toml")


def plain(text: str) -> str:
    """Babel's narrow no-break spaces and no-break spaces as plain spaces, for comparison."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def assert_ran_cleanly(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    page_errors = {translate("app.page_error", lang) for lang in ("fr", "en")}
    assert not page_errors & {e.value for e in at.error}


def open_surfaces(at: AppTest) -> AppTest:
    at.switch_page("pages/surfaces.py").run()
    assert_ran_cleanly(at)
    return at


@pytest.fixture(scope="module")
def page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    return open_surfaces(at)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: plain(m.value) for m in at.metric}


def details(at: AppTest) -> dict[str, str]:
    return {m.label: plain(visible(m.proto.delta)) for m in at.metric}


#: a column id that tells each table of the page apart; the list of unknown types comes
#: before the room list and has the same columns
TABLE_COLUMNS = {
    "surfaces.programme": STATUS_TEXT,
    "surfaces.totals": "share",
    "surfaces.costs": ENVELOPE,
    "surfaces.levels": "total",
    "surfaces.unknown": FLOOR_AREAS.space_id,
    "surfaces.rooms": FLOOR_AREAS.space_id,
}


def screen_tables(at: AppTest) -> dict[str, pd.DataFrame]:
    """The frames the page handed to ``st.dataframe``, by table key."""
    found: dict[str, pd.DataFrame] = {}
    rooms = [d.value for d in at.dataframe if FLOOR_AREAS.space_id in d.value.columns]
    for key, column in TABLE_COLUMNS.items():
        if key in ("surfaces.unknown", "surfaces.rooms"):
            continue
        found[key] = next(d.value for d in at.dataframe if column in d.value.columns)
    found["surfaces.rooms"] = rooms[-1]
    if len(rooms) > 1:
        found["surfaces.unknown"] = rooms[0]
    return found


def captions(at: AppTest) -> list[str]:
    return [plain(visible(caption.value)) for caption in at.caption]


def headers(at: AppTest, column_id: str) -> str:
    """The header the page shows for a column id (from the grid's column config)."""
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns or "{}")
        if column_id in config:
            return config[column_id]["label"]
    raise KeyError(column_id)


def non_conforming_csv() -> bytes:
    """The sample without coworking space C (R2-17: 100 m², 7 places) and with a 30 m² fablab
    whose type the app does not know: 1 957 m² for 2 027, 2 coworking for 3, 51 places."""
    frame = LOADERS["floor-areas"](SETTINGS.data_files["floor_areas"]).frame
    frame = frame[frame["space_id"] != "R2-17"]
    lines = ["N° local;Niveau;Désignation;Type de local;Catégorie;Surface (m²);Postes;Occupant"]
    for row in frame.itertuples(index=False):
        seats = "" if pd.isna(row.seats) else str(int(row.seats))
        occupant = "" if pd.isna(row.occupant) else row.occupant
        area = f"{row.area_m2:g}".replace(".", ",")
        lines.append(
            f"{row.space_id};{row.level};{row.name};{row.space_type};{row.category};"
            f"{area};{seats};{occupant}"
        )
    lines.append("R2-26;R+2;Fablab;Atelier fablab;;30;;")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


# --- the sample ------------------------------------------------------------------------------


def test_verdict_on_the_sample_says_the_programme_is_met(page):
    assert [t.value for t in page.title] == ["Programme des surfaces"]
    assert not page.error
    verdict = plain(page.success[0].value)
    assert verdict.startswith("Le programme annoncé est respecté")
    for item in (
        "bureaux start-up 34/34",
        "espaces de coworking 3/3",
        "salles de réunion 1/1",
        "locaux de services 2/2",
        "58 places pour 58 start-up",
        "2 027 m² de surface brute pour 2 027 m² annoncés",
    ):
        assert item in verdict, item


def test_headline_figures_on_the_sample(page):
    values, lines = metrics(page), details(page)
    assert values["Surface brute"] == "2 027 m²"
    assert lines["Surface brute"] == "= surface annoncée"
    # the two areas that shared the word "utile" have their own names
    assert values["Surface nette"] == "1 465 m²"
    assert lines["Surface nette"] == "72,3 % de la surface brute"
    assert values["Espaces du programme"] == "1 070 m²"
    assert lines["Espaces du programme"] == "52,8 % de la surface brute"
    # one circulation ratio, of the gross area
    assert values["Circulations"] == "450 m²"
    assert lines["Circulations"] == "22,2 % de la surface brute"
    assert values["Places start-up"] == "58 / 58"
    assert values["Bureaux attribués"] == "20 / 34"
    assert values["Surface brute par start-up"] == "34,9 m²"
    assert values["Coût au m² de surface brute"] == "7 499 MAD/m²"
    assert not any("utile" in label for label in values)


def test_every_table_on_screen_holds_the_workbooks_values(page):
    """The frame each ``st.dataframe`` was given and the workbook's table of the same key."""
    workbook = build_workbook(sample_situation(), SOURCES, [], "fr")
    shown = screen_tables(page)
    assert set(shown) == {
        "surfaces.programme",
        "surfaces.totals",
        "surfaces.costs",
        "surfaces.levels",
        "surfaces.rooms",
    }
    for key, frame in shown.items():
        assert sheet_values(frame) == sheet_values(workbook_table(workbook, key)), key


def test_conformity_table_on_the_sample(page):
    table = screen_tables(page)["surfaces.programme"].set_index("label")
    assert table["required"].to_dict() == {
        "Bureaux start-up": 34,
        "Espaces de coworking": 3,
        "Salles de réunion": 1,
        "Locaux de services": 2,
        "Places start-up": 58,
    }
    assert table["found"].to_dict() == table["required"].to_dict()
    assert set(table[STATUS_TEXT]) == {"✓ conforme"}
    assert table.loc["Bureaux start-up", "area_m2"] == 600


def test_totals_check_goes_from_programme_spaces_to_gross(page):
    totals = screen_tables(page)["surfaces.totals"].set_index(LINE)
    assert totals.loc["Espaces du programme", AREA] == 1070
    assert totals.loc["= Surface nette", AREA] == 1465
    assert totals.loc["= Surface brute", AREA] == 2027
    assert totals.loc["Écart (surface brute − annoncée)", AREA] == 0
    assert totals.loc["= Surface nette", "share"] == pytest.approx(1465 / 2027)
    assert totals.loc["+ Circulations", "share"] == pytest.approx(450 / 2027)
    assert headers(page, "share") == "% surface brute"


def test_cost_per_m2_table_names_each_m2(page):
    costs = screen_tables(page)["surfaces.costs"].set_index(LINE)
    assert list(costs.index) == ["Surface brute", "Surface nette", "Espaces du programme"]
    assert costs.loc["Surface brute", ENVELOPE] == pytest.approx(7498.77, abs=0.01)
    assert costs.loc["Espaces du programme", "engaged"] == pytest.approx(13354.98, abs=0.01)
    assert headers(page, LINE) in ("Poste", "Par m² de")


def test_no_none_or_nan_is_drawn_in_a_table(page):
    """Missing cells (a room without seats or occupant) are drawn as a dash."""
    for frame in page.dataframe:
        assert frame.proto.placeholder == "—"  # what the grid draws for a missing cell


def test_treemap_holds_categories_types_and_spaces(page):
    chart = next(c for c in page.get("plotly_chart") if "surfaces.treemap" in c.proto.id)
    trace = json.loads(chart.proto.spec)["data"][0]
    assert trace["type"] == "treemap" and trace["maxdepth"] == 3
    assert len(trace["ids"]) == 1 + 4 + 14 + 71
    labels = dict(zip(trace["ids"], trace["labels"], strict=True))
    texts = dict(zip(trace["ids"], trace["text"], strict=True))
    assert plain(labels["c/programme"]) == "Espaces du programme · 1 070 m² · 52,8 %"
    assert labels["c/programme/office"] == "Bureaux start-up"
    assert plain(texts["c/programme/office"]) == "600 m²<br>29,6 %"


def test_search_finds_rooms_whatever_the_accents(page):
    page.text_input(key="surfaces.search").set_value("zaer").run()
    rooms = screen_tables(page)["surfaces.rooms"]
    assert list(rooms[FLOOR_AREAS.occupant]) == ["Zaër Data Lab"]
    page.text_input(key="surfaces.search").set_value("coworking").run()
    assert len(screen_tables(page)["surfaces.rooms"]) == 3
    assert "3 locaux affichés sur 71, 330 m²." in captions(page)
    page.text_input(key="surfaces.search").set_value("zaer").run()
    assert "1 local affiché sur 71, 15 m²." in captions(page)
    page.text_input(key="surfaces.search").set_value("").run()
    page.multiselect(key="surfaces.category_filter").set_value(["structure"]).run()
    rooms = screen_tables(page)["surfaces.rooms"]
    assert list(rooms[FLOOR_AREAS.space_id]) == ["R0-19", "R1-27", "R2-25"]
    page.multiselect(key="surfaces.category_filter").set_value([]).run()
    assert len(screen_tables(page)["surfaces.rooms"]) == 71


def test_page_in_english(page):
    page.radio(key="app.lang").set_value("en").run()
    try:
        assert_ran_cleanly(page)
        assert [t.value for t in page.title] == ["Floor areas"]
        verdict = plain(page.success[0].value)
        assert verdict.startswith("The announced programme is met")
        assert "start-up offices 34/34" in verdict
        values = metrics(page)
        assert values["Net floor area"] == "1,465 m²"
        assert values["Programme spaces"] == "1,070 m²"
        assert details(page)["Circulation"] == "22.2 % of the gross area"
        assert values["Cost per m² of gross area"] == "7,499 MAD/m²"
        assert headers(page, "share") == "% of gross area"
    finally:
        page.radio(key="app.lang").set_value("fr").run()


# --- a room schedule that is not the announced building --------------------------------------


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> AppTest:
    # its own snapshot store: the import is stored, other tests keep the sample
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRACKER_DB", str(tmp_path_factory.mktemp("surfaces") / "t.sqlite"))
        at = AppTest.from_file(str(APP), default_timeout=60).run()
        at.switch_page("pages/data.py").run()
        at.text_input(key="data.importer").set_value("Nadia Benali").run()
        at.file_uploader(key="data.upload.floor-areas").set_value(
            ("surfaces_modifiees.csv", non_conforming_csv(), "text/csv")
        )
        at.run()
        at.button(key="data.confirm.floor-areas").click().run()
        assert_ran_cleanly(at)
        yield open_surfaces(at)


def test_verdict_on_a_non_conforming_file_says_what_is_missing(imported):
    assert not imported.success
    verdict = plain(imported.error[0].value)
    assert verdict.startswith("Le programme annoncé n'est pas respecté :")
    assert "Espaces de coworking : 2 trouvés pour 3 requis, il en manque 1." in verdict
    assert "51 places start-up pour 58 start-up annoncées, il en manque 7." in verdict
    assert (
        "La surface brute est de 1 957 m², soit 70 m² de moins que les 2 027 m² annoncés."
        in verdict
    )
    assert "surfaces_modifiees.csv" in visible(imported.caption[0].value)


def test_non_conforming_file_conformity_table_and_unknown_types(imported, tmp_path):
    shown = screen_tables(imported)
    table = shown["surfaces.programme"].set_index("label")
    assert table.loc["Espaces de coworking", "found"] == 2
    assert table.loc["Espaces de coworking", STATUS_TEXT] == "✗ il en manque 1"
    assert table.loc["Places start-up", STATUS_TEXT] == "✗ il en manque 7"
    assert table.loc["Bureaux start-up", STATUS_TEXT] == "✓ conforme"
    notes = plain(imported.warning[0].value)
    assert "1 local de type non reconnu (Atelier fablab), 30 m² au total" in notes
    unknown = shown["surfaces.unknown"]
    assert list(unknown[FLOOR_AREAS.space_id]) == ["R2-26"]
    assert list(unknown["type_name"]) == ["Atelier fablab (?)"]
    assert list(unknown["category_name"]) == ["Non classé"]
    assert metrics(imported)["Surface brute"] == "1 957 m²"
    assert details(imported)["Surface brute"] == "70 m² de moins que l'annoncé"

    # the workbook of the same data holds the same tables, the unknown types' list included
    path = tmp_path / "surfaces_modifiees.csv"
    path.write_bytes(non_conforming_csv())
    sample = sample_situation()
    situation = compute_situation(
        sample.settings,
        sample.status_date,
        schedule=sample.schedule,
        budget=sample.budget,
        contracts=sample.contracts,
        spending=sample.spending_ledger,
        floor_areas=LOADERS["floor-areas"](path).frame,
    )
    workbook = build_workbook(situation, SOURCES, [], "fr")
    for key, frame in shown.items():
        assert sheet_values(frame) == sheet_values(workbook_table(workbook, key)), key
