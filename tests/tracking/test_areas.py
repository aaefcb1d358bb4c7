"""Floor areas on small room schedules worked by hand, then on the sample (2 027 m², 58)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from charts.areas import treemap_nodes
from loaders import LOADERS, load_project
from loaders.schema import FLOOR_AREAS
from tracking.areas import (
    BY_CATEGORY,
    BY_LEVEL,
    BY_TYPE,
    PROGRAMME,
    SPACE_TYPES,
    SPACES,
    UNCLASSIFIED,
    areas_by_level,
    areas_overview,
    canonical_category,
    canonical_space_type,
    engaged_amount,
)

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = load_project(ROOT / "data" / "project.toml")

#: a tiny building, worked by hand:
#: programme spaces 15 + 20 + 40 + 20 + 15 = 110; support 10 + 10 = 20; net 130;
#: circulation 40 + 15 = 55; structure 15; gross 200
SMALL = [
    # space_id, name, space_type, category, area, level, seats, occupant
    ("B1", "Bureau 1", "Bureau start-up", "Surfaces utiles", 15.0, "RDC", 1, "AgriSense"),
    ("B2", "Bureau 2", "Bureaux start-up", "Surfaces utiles", 20.0, "R+1", None, None),
    ("C1", "Plateau partagé", "Open space coworking", "Surfaces utiles", 40.0, "RDC", 4, None),
    ("M1", "Salle du conseil", "Salle de réunion", "Surfaces utiles", 20.0, "R+1", 12, None),
    ("S1", "Reprographie", "Local de services", "Surfaces utiles", 15.0, "RDC", None, None),
    ("A1", "Hall", "Accueil", "Locaux d'appui", 10.0, "RDC", None, None),
    ("W1", "WC", "Sanitaires", "Locaux d'appui", 10.0, "R+1", None, None),
    ("K1", "Couloir", "Circulation", "Circulations", 40.0, "RDC", None, None),
    ("E1", "Escalier", "Circulation verticale", "Circulations", 15.0, "R+1", None, None),
    ("X1", "Murs", "Structure et gaines", "Structure", 15.0, "RDC", None, None),
]
SMALL_PROGRAMME = {"office": 2, "coworking": 1, "meeting": 1, "services": 1}


def room_schedule(rows, with_category: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows,
        columns=[
            FLOOR_AREAS.space_id,
            FLOOR_AREAS.name,
            FLOOR_AREAS.space_type,
            FLOOR_AREAS.category,
            FLOOR_AREAS.area_m2,
            FLOOR_AREAS.level,
            FLOOR_AREAS.seats,
            FLOOR_AREAS.occupant,
        ],
    ).astype({FLOOR_AREAS.seats: "Float64"})
    return frame if with_category else frame.drop(columns=[FLOOR_AREAS.category])


def settings(total=200.0, basis="gross", capacity=6, programme=None, envelope=1_000_000.0):
    return dataclasses.replace(
        SETTINGS,
        total_area_m2=total,
        area_basis=basis,
        capacity_startups=capacity,
        programme_required=programme or SMALL_PROGRAMME,
        envelope=envelope,
    )


def codes(overview) -> list[str]:
    return [finding.code for finding in overview.findings]


# --- the vocabulary --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Bureau", "office"),
        ("Bureau start-up", "office"),
        ("Bureaux start-up", "office"),
        ("BUREAUX START UP", "office"),
        ("Office", "office"),
        ("Open space coworking", "coworking"),
        ("Espace coworking A", "coworking"),
        ("Salle de réunion", "meeting"),
        ("salle de reunion", "meeting"),
        ("Meeting room", "meeting"),
        ("Locaux de services", "services"),
        ("Hall d'entrée", "reception"),
        ("Bureau du directeur", "administration"),  # longer than "bureau"
        ("Cabines téléphoniques", "phone_booth"),
        ("Phone booth", "phone_booth"),
        ("Salle serveurs", "technical"),
        ("Locaux techniques", "technical"),
        ("WC", "sanitary"),
        ("Toilettes PMR", "sanitary"),
        ("Réserve", "storage"),
        ("Couloirs", "circulation"),
        ("Circulation verticale", "vertical_circulation"),
        ("Escaliers et ascenseur", "vertical_circulation"),
        ("Structure et gaines", "structure"),
        ("Fablab", None),
        ("Salle", None),
        ("", None),
        (None, None),
    ],
)
def test_space_types_are_matched_whatever_the_accents_case_and_plural(written, expected):
    assert canonical_space_type(written) == expected


def test_every_type_written_in_the_sample_maps_to_its_code():
    sample = {
        "Bureau start-up": "office",
        "Espace coworking": "coworking",
        "Salle de réunion": "meeting",
        "Local de services": "services",
        "Accueil": "reception",
        "Administration": "administration",
        "Kitchenette": "kitchenette",
        "Cabine téléphonique": "phone_booth",
        "Local technique": "technical",
        "Sanitaires": "sanitary",
        "Stockage": "storage",
        "Circulation": "circulation",
        "Circulation verticale": "vertical_circulation",
        "Structure et gaines": "structure",
    }
    assert {written: canonical_space_type(written) for written in sample} == sample
    assert set(sample.values()) == set(SPACE_TYPES)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Surfaces utiles", "programme"),
        ("Espaces du programme", "programme"),
        ("Locaux d'appui", "support"),
        ("LOCAUX D'APPUI", "support"),
        ("Circulations", "circulation"),
        ("Structure", "structure"),
        ("Usable", "programme"),
        ("Divers", None),
    ],
)
def test_categories_are_matched(written, expected):
    assert canonical_category(written) == expected


# --- a conforming building -------------------------------------------------------------------


def test_conforming_building_worked_by_hand():
    floor_areas = room_schedule(SMALL)
    before = floor_areas.copy()
    overview = areas_overview(floor_areas, settings())
    pd.testing.assert_frame_equal(floor_areas, before)  # the input is not modified

    totals = overview.totals
    assert (totals.gross_m2, totals.programme_m2, totals.support_m2) == (200, 110, 20)
    assert (totals.net_m2, totals.circulation_m2, totals.structure_m2) == (130, 55, 15)
    assert totals.interior_m2 == 185
    assert totals.difference_m2 == 0 and totals.matches
    assert totals.efficiency == pytest.approx(110 / 200)
    assert totals.circulation_ratio == pytest.approx(55 / 200)  # of the gross area

    programme = overview.programme.set_index("space_type")
    assert programme["found"].to_dict() == {
        "office": 2,
        "coworking": 1,
        "meeting": 1,
        "services": 1,
    }
    assert programme["area_m2"].to_dict() == {
        "office": 35.0,
        "coworking": 40.0,
        "meeting": 20.0,
        "services": 15.0,
    }
    assert set(programme["status"]) == {"met"}

    places = overview.capacity
    # B2 has no seat count: one start-up per office; the meeting room's 12 chairs do not count
    assert (places.offices, places.office_places, places.coworking_places) == (2, 2, 4)
    assert places.places == 6 and places.meets
    assert places.gross_per_startup == pytest.approx(200 / 6)
    assert places.workspace_per_place == pytest.approx((15 + 20 + 40) / 6)
    assert places.occupancy_known and places.occupied_offices == 1
    assert places.office_occupancy == 0.5

    costs = overview.costs
    assert costs.envelope_per_gross == 5_000
    assert costs.envelope_per_net == pytest.approx(1_000_000 / 130)
    assert costs.envelope_per_programme == pytest.approx(1_000_000 / 110)
    assert costs.engaged is None and costs.engaged_per_gross is None

    assert overview.findings == [] and overview.conforms
    assert overview.unknown.empty and overview.category_mismatches.empty


def test_categories_are_derived_from_the_type_when_the_file_has_none():
    with_column = areas_overview(room_schedule(SMALL), settings())
    without = areas_overview(room_schedule(SMALL, with_category=False), settings())
    assert without.totals == with_column.totals
    pd.testing.assert_frame_equal(without.by_category, with_column.by_category)
    assert list(without.by_category[BY_CATEGORY.category]) == [
        "programme",
        "support",
        "circulation",
        "structure",
    ]


def test_areas_by_type_and_by_level():
    overview = areas_overview(room_schedule(SMALL), settings())
    by_type = overview.by_type.set_index(BY_TYPE.space_type)
    assert by_type.loc["office", BY_TYPE.area_m2] == 35
    assert by_type.loc["office", BY_TYPE.spaces] == 2
    assert by_type.loc["office", BY_TYPE.share] == pytest.approx(35 / 200)
    assert list(by_type.index[:4]) == ["office", "coworking", "meeting", "services"]
    levels = overview.by_level.set_index(BY_LEVEL.level)
    assert list(levels.index) == ["RDC", "R+1"]  # the file's order
    # RDC: B1 15 + C1 40 + S1 15 programme, A1 10 support, K1 40 circulation, X1 15 structure
    assert levels.loc["RDC"].to_dict() == {
        "programme": 70.0,
        "support": 10.0,
        "circulation": 40.0,
        "structure": 15.0,
        "total": 135.0,
    }
    assert levels["total"].sum() == 200


def test_a_space_without_a_level_is_grouped_apart():
    rows = [*SMALL[:-1], ("X1", "Murs", "Structure et gaines", "Structure", 15.0, None, None, None)]
    overview = areas_overview(room_schedule(rows), settings())
    by_level = areas_by_level(overview.spaces).set_index("level")
    assert by_level.loc["", "total"] == 15.0


# --- what the verdict reports ----------------------------------------------------------------


def test_a_missing_coworking_space():
    """Without C1 (40 m², 4 places): 0 coworking of 1, 2 places of 6, 160 m² of 200."""
    rows = [row for row in SMALL if row[0] != "C1"]
    overview = areas_overview(room_schedule(rows), settings())
    coworking = overview.programme.set_index("space_type").loc["coworking"]
    assert (coworking["required"], coworking["found"], coworking["status"]) == (1, 0, "missing")
    assert codes(overview) == ["missing_spaces", "capacity_short", "area_short"]
    missing, capacity, area = overview.findings
    assert missing.values == {"space_type": "coworking", "required": 1, "found": 0, "missing": 1}
    assert capacity.values == {"places": 2, "required": 6, "missing": 4}
    assert area.values == {"basis": "gross", "total": 160.0, "announced": 200.0, "difference": 40.0}
    assert not overview.conforms and not overview.programme_met


def test_areas_that_do_not_add_up_to_the_announced_total():
    overview = areas_overview(room_schedule(SMALL), settings(total=212.5))
    assert overview.totals.difference_m2 == -12.5
    assert codes(overview) == ["area_short"]
    assert overview.findings[0].values["difference"] == 12.5
    assert overview.programme_met and not overview.conforms

    within_rounding = areas_overview(room_schedule(SMALL), settings(total=200.4))
    assert within_rounding.conforms


def test_a_net_figure_compared_as_gross_says_the_setting_may_be_wrong():
    """Announced 130 m² = the net area; compared with the gross 200 m² it is 70 m² over."""
    as_gross = areas_overview(room_schedule(SMALL), settings(total=130))
    assert codes(as_gross) == ["area_over", "other_basis_matches"]
    assert as_gross.findings[0].values["difference"] == 70
    assert as_gross.findings[1].values == {"basis": "gross", "other": 130.0}

    as_net = areas_overview(room_schedule(SMALL), settings(total=130, basis="net"))
    assert as_net.totals.compared_m2 == 130 and as_net.conforms


def test_a_space_with_no_type_is_counted_and_reported_not_dropped():
    rows = [*SMALL, ("T1", "Local sans usage", None, None, 12.0, "R+1", None, None)]
    overview = areas_overview(room_schedule(rows), settings())
    assert overview.totals.gross_m2 == 212  # in the gross sum
    assert overview.totals.unclassified_m2 == 12
    assert overview.totals.net_m2 == 130  # but in no category of the net area
    assert list(overview.unknown[FLOOR_AREAS.space_id]) == ["T1"]
    assert (
        overview.spaces.set_index(FLOOR_AREAS.space_id).loc["T1", SPACES.category_code]
        == UNCLASSIFIED
    )
    assert codes(overview) == ["area_over", "unknown_types"]
    assert overview.findings[1].values == {"count": 1, "area": 12.0, "types": ("",)}
    last = overview.by_type.iloc[-1]
    assert (last["category"], last["space_type"], last["known"]) == (UNCLASSIFIED, "", False)


def test_an_unknown_type_keeps_the_category_written_in_the_file():
    rows = [*SMALL, ("F1", "Fablab", "Atelier fablab", "Surfaces utiles", 30.0, "R+1", None, None)]
    overview = areas_overview(room_schedule(rows), settings(total=230))
    assert overview.totals.programme_m2 == 140  # counted in the programme, as the file says
    assert overview.programme["found"].sum() == 5  # but in no type of the programme
    assert codes(overview) == ["unknown_types"]
    assert overview.findings[0].values["types"] == ("Atelier fablab",)
    assert overview.conforms  # a warning, not a breach of the programme


def test_a_category_that_contradicts_the_type_is_used_and_listed():
    rows = [*SMALL[:-1], ("X1", "Gaines", "Local technique", "Structure", 15.0, "RDC", None, None)]
    overview = areas_overview(room_schedule(rows), settings())
    assert overview.totals.structure_m2 == 15 and overview.totals.support_m2 == 20
    assert list(overview.category_mismatches[FLOOR_AREAS.space_id]) == ["X1"]


def test_more_spaces_than_required_is_reported_but_conforms():
    rows = [*SMALL, ("B3", "Bureau 3", "Office", None, 15.0, "R+1", 1, None)]
    overview = areas_overview(room_schedule(rows), settings(total=215))
    office = overview.programme.set_index("space_type").loc["office"]
    assert (office["found"], office["status"]) == (3, "exceeded")
    assert codes(overview) == ["extra_spaces"] and overview.conforms
    assert overview.capacity.places == 7


# --- engaged amount and cost per m² ----------------------------------------------------------


def contracts_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "contract_id": ["M1", "M1/AV1", "M2", "BC1"],
            "amount": [800_000.0, 50_000.0, 100_000.0, 20_000.0],
            "signed_date": pd.to_datetime(["2026-01-10", "2026-06-01", "2026-12-01", None]),
            "is_amendment": [False, True, False, False],
        }
    )


def test_engaged_amount_counts_contracts_and_amendments_signed_by_the_status_date():
    contracts = contracts_frame()
    # M1 + its amendment + the undated order; M2 is signed after the status date
    assert engaged_amount(contracts, "2026-11-20") == 870_000
    assert engaged_amount(contracts, "2026-06-01") == 870_000  # on the day counts
    assert engaged_amount(contracts, "2026-05-31") == 820_000
    assert engaged_amount(contracts) == 970_000
    assert engaged_amount(None, "2026-11-20") is None


def test_cost_per_m2_from_the_envelope_and_the_engaged_amount():
    overview = areas_overview(
        room_schedule(SMALL), settings(), contracts=contracts_frame(), status_date="2026-11-20"
    )
    costs = overview.costs
    assert costs.engaged == 870_000
    assert costs.engaged_per_gross == 870_000 / 200
    assert costs.engaged_per_programme == pytest.approx(870_000 / 110)
    given = areas_overview(room_schedule(SMALL), settings(), engaged=500_000)
    assert given.costs.engaged_per_gross == 2_500


# --- the treemap's hierarchy -----------------------------------------------------------------


def test_treemap_parents_hold_the_sum_of_their_children():
    rows = [*SMALL, ("T1", "Local sans usage", None, None, 12.0, "R+1", None, None)]
    nodes = treemap_nodes(areas_overview(room_schedule(rows), settings()).spaces)
    assert list(nodes["depth"].value_counts().sort_index()) == [1, 5, 10, 11]
    children = nodes[nodes["parent"] != ""].groupby("parent")["value"].sum()
    values = nodes.set_index("id")["value"]
    for parent, total in children.items():
        assert values[parent] == pytest.approx(total), parent
    assert values["root"] == 212
    labels = nodes.set_index("id")["label"]
    assert labels["c/unclassified/"] == "(sans type)"


# --- the sample ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    floor_areas = LOADERS["floor-areas"](SETTINGS.data_files["floor_areas"]).frame
    contracts = LOADERS["contracts"](SETTINGS.data_files["spending"]).frame
    return areas_overview(floor_areas, SETTINGS, contracts=contracts, status_date="2026-11-20")


def test_sample_is_the_announced_building(sample):
    totals = sample.totals
    assert totals.gross_m2 == 2027 and totals.matches
    assert (totals.programme_m2, totals.support_m2) == (1070, 395)
    assert (totals.circulation_m2, totals.structure_m2) == (450, 112)
    assert totals.net_m2 == 1465  # 72 % of the gross area (DOMAIN.md)
    assert totals.net_share == pytest.approx(0.7227, abs=1e-4)
    assert totals.efficiency == pytest.approx(0.5279, abs=1e-4)
    assert totals.circulation_ratio == pytest.approx(0.2220, abs=1e-4)  # 450 / 2 027
    programme = sample.programme.set_index("space_type")
    assert programme["found"].to_dict() == {
        "office": 34,
        "coworking": 3,
        "meeting": 1,
        "services": 2,
    }
    assert programme["area_m2"].to_dict() == {
        "office": 600.0,
        "coworking": 330.0,
        "meeting": 50.0,
        "services": 90.0,
    }
    assert sample.conforms and sample.findings == []
    assert sample.spaces[SPACES.type_code].notna().all()


def test_sample_capacity_and_occupancy(sample):
    places = sample.capacity
    assert (places.office_places, places.coworking_places, places.places) == (34, 24, 58)
    assert places.meets
    assert places.occupied_offices == 20
    assert places.office_occupancy == pytest.approx(20 / 34)
    assert places.gross_per_startup == pytest.approx(2027 / 58)


def test_sample_cost_per_m2(sample):
    costs = sample.costs
    assert costs.envelope_per_gross == pytest.approx(7498.77, abs=0.01)  # ~7 500 MAD/m²
    assert costs.envelope_per_net == pytest.approx(10375.43, abs=0.01)
    assert costs.envelope_per_programme == pytest.approx(14205.61, abs=0.01)
    # every contract of the sample (amendment included) is signed before 20/11/2026
    assert costs.engaged == pytest.approx(14_289_823.42, abs=0.01)
    assert costs.engaged_per_gross == pytest.approx(7049.74, abs=0.01)
    assert costs.engaged_per_programme == pytest.approx(13354.98, abs=0.01)


# --- the frames' columns, declared once -------------------------------------------------------


def test_the_frames_have_the_declared_columns(sample):
    assert list(sample.by_category.columns) == list(dataclasses.astuple(BY_CATEGORY))
    assert list(sample.by_type.columns) == list(dataclasses.astuple(BY_TYPE))
    assert list(sample.programme.columns) == list(dataclasses.astuple(PROGRAMME))
    assert list(sample.by_level.columns) == [
        BY_LEVEL.level,
        "programme",
        "support",
        "circulation",
        "structure",
        BY_LEVEL.total,
    ]
    assert set(dataclasses.astuple(SPACES)) <= set(sample.spaces.columns)


def test_no_other_module_types_the_output_column_names():
    """``type_code``, ``category_code`` and ``category_source`` are named in
    ``tracking/areas.py`` only; every other module imports ``SPACES``."""
    names = [f'"{name}"' for name in dataclasses.astuple(SPACES)]
    for folder in ("tracking", "views", "charts", "exports", "pages", "ui", "store"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == ROOT / "tracking" / "areas.py":
                continue
            text = path.read_text(encoding="utf-8")
            assert not [name for name in names if name in text], path
