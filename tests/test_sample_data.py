"""The sample workbooks in data/, read back with openpyxl as a user would check them.

The project's loaders are not used on purpose: these tests pin the files themselves (figures of
DOMAIN.md, contract rules of project.toml, consistency with the status date) and check that
``scripts/make_sample_data.py`` regenerates them cell for cell.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from scripts import make_sample_data as sample

DATA = Path(__file__).resolve().parents[1] / "data"
SCHEDULE = DATA / "planning_travaux.xlsx"
SPENDING = DATA / "suivi_financier.xlsx"
FLOOR_AREAS = DATA / "programme_surfaces.xlsx"
FILES = (SCHEDULE, SPENDING, FLOOR_AREAS)
STATUS = dt.date(2026, 11, 20)
HEADER_ROW = 5
HISTORY = ("2026-10-16", "2026-10-23", "2026-10-30", "2026-11-06", "2026-11-13", "2026-11-20")

with open(DATA / "project.toml", "rb") as _fh:
    PROJECT = tomllib.load(_fh)
RULES = PROJECT["contract_rules"]


def _day(value: Any) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def read_sheet(path: Path, sheet: str) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Data rows (header on row 5) as dicts keyed by the French header, and the totals row."""
    ws = load_workbook(path)[sheet]
    headers = [c.value for c in ws[HEADER_ROW]]
    rows, total = [], None
    for values in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        if all(v is None for v in values):
            continue
        record = dict(zip(headers, values, strict=True))
        if values[0] == "Total":
            total = record
        else:
            rows.append(record)
    return rows, total


def cell_values(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb}


@pytest.fixture(scope="module")
def schedule() -> list[dict[str, Any]]:
    return read_sheet(SCHEDULE, "Planning")[0]


@pytest.fixture(scope="module")
def contracts() -> list[dict[str, Any]]:
    return read_sheet(SPENDING, "Marchés")[0]


@pytest.fixture(scope="module")
def decomptes() -> list[dict[str, Any]]:
    return read_sheet(SPENDING, "Décomptes")[0]


# ----------------------------------------------------------------------------- layout


@pytest.mark.parametrize(
    ("path", "sheets"),
    [
        (SCHEDULE, ["Planning", "Notes"]),
        (SPENDING, ["Budget", "Marchés", "Décomptes", "Notes"]),
        (FLOOR_AREAS, ["Surfaces", "Notes"]),
    ],
)
def test_workbook_layout(path: Path, sheets: list[str]) -> None:
    wb = load_workbook(path)
    assert wb.sheetnames == sheets
    for ws in wb.worksheets[:-1]:
        assert ws["A1"].value.startswith("Technopark de Khémisset — ")
        assert ws["A1"].font.bold
        assert ws["A2"].value == "Maître d'ouvrage délégué : AREP Rabat-Salé-Kénitra"
        assert ws["A3"].value == "Situation au 20/11/2026"
        assert ws["A4"].value is None
        assert ws.freeze_panes == "A6"
        assert ws.auto_filter.ref.startswith("A5:")
        assert all(c.font.bold for c in ws[HEADER_ROW] if c.value)
    notes = wb["Notes"]
    lines = [r[0] for r in notes.iter_rows(min_row=2, values_only=True) if r[0]]
    assert 3 <= len(lines) <= 6


def test_cell_formats() -> None:
    ws = load_workbook(SCHEDULE)["Planning"]
    assert ws["D6"].number_format == "dd/mm/yyyy"
    assert isinstance(ws["D6"].value, dt.datetime)
    assert ws["J6"].number_format == "0%"
    ws = load_workbook(SPENDING)["Décomptes"]
    assert ws["H6"].number_format == '#,##0.00 "DH"'
    ws = load_workbook(FLOOR_AREAS)["Surfaces"]
    assert ws["F6"].number_format == "#,##0.00"


# ----------------------------------------------------------------------------- budget


def test_budget_lines_sum_to_envelope() -> None:
    rows, total = read_sheet(SPENDING, "Budget")
    amounts = [r["Budget TTC (DH)"] for r in rows]
    assert round(sum(amounts), 2) == 15_200_000.00 == PROJECT["budget"]["envelope"]
    assert total is not None and round(total["Budget TTC (DH)"], 2) == 15_200_000.00
    codes = [r["Code"] for r in rows]
    assert len(codes) == len(set(codes)) == 22
    assert {r["Catégorie"] for r in rows} == {"Études", "Travaux", "Équipement", "Provisions"}
    gros_oeuvre = next(r for r in rows if r["Lot"] == "Gros œuvre")
    assert gros_oeuvre["Budget TTC (DH)"] == 4_340_000


def test_budget_codes_link_the_workbooks(schedule, contracts, decomptes) -> None:
    codes = {r["Code"] for r in read_sheet(SPENDING, "Budget")[0]}
    for row in schedule:
        if row["Jalon"] == "Oui":
            assert row["Ligne budgétaire"] is None
        assert row["Ligne budgétaire"] is None or row["Ligne budgétaire"] in codes
    assert {r["Ligne budgétaire"] for r in contracts} <= codes
    assert {r["Ligne budgétaire"] for r in decomptes} <= codes


# ----------------------------------------------------------------------------- floor areas


def test_floor_areas_programme() -> None:
    rows, total = read_sheet(FLOOR_AREAS, "Surfaces")
    assert round(sum(r["Surface (m²)"] for r in rows), 2) == 2027.00
    assert total is not None and round(total["Surface (m²)"], 2) == 2027.00
    count = defaultdict(int)
    area = defaultdict(float)
    for r in rows:
        count[r["Type de local"]] += 1
        area[r["Type de local"]] += r["Surface (m²)"]
    assert count["Bureau start-up"] == 34 and area["Bureau start-up"] == 600
    assert count["Espace coworking"] == 3 and area["Espace coworking"] == 330
    assert count["Salle de réunion"] == 1 and area["Salle de réunion"] == 50
    assert count["Local de services"] == 2 and area["Local de services"] == 90
    assert set(count) == set(sample.CATEGORY_OF_TYPE)
    assert {r["Niveau"] for r in rows} == {"RDC", "R+1", "R+2"}
    ids = [r["N° local"] for r in rows]
    assert len(ids) == len(set(ids))
    net = sum(
        r["Surface (m²)"] for r in rows if r["Catégorie"] in ("Surfaces utiles", "Locaux d'appui")
    )
    assert net == 1465


def test_capacity_is_58_startups() -> None:
    rows, total = read_sheet(FLOOR_AREAS, "Surfaces")
    offices = [r for r in rows if r["Type de local"] == "Bureau start-up"]
    coworking = [r for r in rows if r["Type de local"] == "Espace coworking"]
    assert all(r["Postes de travail"] == 1 for r in offices)
    places = sum(r["Postes de travail"] for r in offices) + sum(
        r["Postes de travail"] for r in coworking
    )
    assert places == 58 == PROJECT["areas"]["capacity_startups"]
    assert total["Postes de travail"] == 58
    occupied = [r for r in offices if r["Occupant"]]
    assert 15 <= len(occupied) <= 25
    assert all(r["Occupant"] is None for r in rows if r["Type de local"] != "Bureau start-up")


# ----------------------------------------------------------------------------- schedule


def test_schedule_size_and_milestones(schedule) -> None:
    assert 40 <= len(schedule) <= 80
    milestones = {r["Tâche"]: r for r in schedule if r["Jalon"] == "Oui"}
    for name in (
        "OS de commencement",
        "Fin du gros œuvre",
        "Bâtiment hors d'eau",
        "Bâtiment hors d'air",
        "Réception provisoire",
    ):
        assert name in milestones
    for row in milestones.values():
        assert row["Début prévu"] == row["Fin prévue"]
        assert row["Début de référence"] == row["Fin de référence"]
    assert _day(milestones["OS de commencement"]["Début réel"]) == dt.date(2026, 2, 16)
    reception = milestones["Réception provisoire"]
    assert schedule[-1] is reception
    assert _day(reception["Fin de référence"]) == dt.date(2026, 12, 16)
    forecast = _day(reception["Fin prévue"])
    assert dt.date(2027, 1, 8) <= forecast <= dt.date(2027, 1, 31)
    assert reception["Fin réelle"] is None and reception["% réalisé"] == 0


def test_schedule_dates_on_working_days(schedule) -> None:
    holidays = {h["date"] for h in PROJECT["schedule"]["holidays"]}
    columns = ("Début de référence", "Fin de référence", "Début prévu", "Fin prévue")
    for row in schedule:
        for col in columns:
            day = _day(row[col])
            assert day.weekday() < 5 and day not in holidays, (row["N°"], col, day)
        assert row["Début prévu"] <= row["Fin prévue"]
        assert row["Début de référence"] <= row["Fin de référence"]


def test_predecessor_network(schedule) -> None:
    by_id = {r["N°"]: r for r in schedule}
    seen: set[str] = set()
    kinds = defaultdict(int)
    for i, row in enumerate(schedule):
        links = sample.parse_predecessors(row["Prédécesseurs"] or "")
        assert links or i == 0, row["N°"]
        for link in links:
            assert link.pred in seen, (row["N°"], link.pred)  # no loop: predecessors come first
            kinds[link.kind] += 1
            pred = by_id[link.pred]
            if link.kind == "FS" and link.lag >= 0:
                # a successor does not start before its FS predecessor finishes
                assert row["Début prévu"] >= pred["Fin prévue"], (row["N°"], link.pred)
                if pred["Jalon"] == "Non" and row["Jalon"] == "Non":
                    assert row["Début prévu"] > pred["Fin prévue"], (row["N°"], link.pred)
        seen.add(row["N°"])
    assert kinds["SS"] >= 3 and kinds["FF"] >= 2 and kinds["SF"] <= 1


def test_progress_consistent_with_status_date(schedule) -> None:
    for row in schedule:
        pct, start, finish = row["% réalisé"], row["Début réel"], row["Fin réelle"]
        assert 0 <= pct <= 1
        for day in (start, finish):
            assert day is None or _day(day) <= STATUS
        if pct == 1:
            assert start is not None and finish is not None
            assert finish == row["Fin prévue"]
        elif pct > 0:
            assert start is not None and finish is None
            assert _day(row["Fin prévue"]) > STATUS
        else:
            assert start is None and finish is None
            assert _day(row["Début prévu"]) > STATUS


def test_structure_is_late_and_planned_progress_ahead(schedule) -> None:
    structure = [r for r in schedule if r["Lot"] == "Gros œuvre" and r["Jalon"] == "Non"]
    slips = [(_day(r["Fin prévue"]) - _day(r["Fin de référence"])).days for r in structure]
    assert max(slips) >= 21
    assert any("acier" in (r["Observations"] or "") for r in structure)
    assert sample.physical_progress(STATUS, baseline=True) > sample.physical_progress(STATUS)


# ----------------------------------------------------------------------------- finances


def test_contracts_signed_by_status_date(contracts) -> None:
    assert all(_day(r["Date d'approbation"]) <= STATUS for r in contracts)
    assert {r["Type"] for r in contracts} <= {"Marché", "Avenant", "Bon de commande", "Convention"}
    assert not any(r["Ligne budgétaire"] == "EQ-02" for r in contracts)  # IT not committed yet
    works = [r for r in contracts if r["N° marché"] == sample.WORKS_CONTRACT]
    assert len(works) == 14
    assert all(_day(r["Date d'approbation"]) < dt.date(2026, 2, 16) for r in works)
    budget = {r["Code"]: r["Budget TTC (DH)"] for r in read_sheet(SPENDING, "Budget")[0]}
    assert all(r["Montant TTC (DH)"] < budget[r["Ligne budgétaire"]] for r in works)


def test_avenant_below_threshold(contracts) -> None:
    initial = sum(
        r["Montant TTC (DH)"] for r in contracts if r["N° marché"] == sample.WORKS_CONTRACT
    )
    avenants = [r for r in contracts if r["Type"] == "Avenant"]
    assert len(avenants) == 1
    assert avenants[0]["Marché initial"] == sample.WORKS_CONTRACT
    share = avenants[0]["Montant TTC (DH)"] / initial
    assert 0.04 <= share < RULES["amendment_threshold"]


def test_contract_totals_row(contracts) -> None:
    _rows, total = read_sheet(SPENDING, "Marchés")
    assert round(total["Montant TTC (DH)"], 2) == round(
        sum(r["Montant TTC (DH)"] for r in contracts), 2
    )
    _rows, total = read_sheet(SPENDING, "Décomptes")
    decomptes = read_sheet(SPENDING, "Décomptes")[0]
    assert round(total["Montant TTC (DH)"], 2) == round(
        sum(r["Montant TTC (DH)"] for r in decomptes), 2
    )


def _contract_amounts(contracts) -> dict[str, float]:
    amounts: dict[str, float] = defaultdict(float)
    for r in contracts:
        amounts[r["Marché initial"] or r["N° marché"]] += r["Montant TTC (DH)"]
    return amounts


def test_retention_capped_at_7_percent(contracts, decomptes) -> None:
    amounts = _contract_amounts(contracts)
    retention: dict[str, float] = defaultdict(float)
    for r in decomptes:
        assert r["Retenue de garantie (DH)"] <= round(0.10 * r["Montant TTC (DH)"], 2) + 0.01
        retention[r["N° marché"]] += r["Retenue de garantie (DH)"]
    for contract_id, held in retention.items():
        assert held <= RULES["retention_cap"] * amounts[contract_id] + 0.01, contract_id
    works = retention[sample.WORKS_CONTRACT]
    assert works == pytest.approx(RULES["retention_cap"] * amounts[sample.WORKS_CONTRACT], abs=0.02)


def test_issued_within_contracts(contracts, decomptes) -> None:
    amounts = _contract_amounts(contracts)
    issued: dict[str, float] = defaultdict(float)
    for r in decomptes:
        assert r["N° marché"] in amounts
        issued[r["N° marché"]] += r["Montant TTC (DH)"]
    for contract_id, total in issued.items():
        assert total <= amounts[contract_id] + 0.01, contract_id


def test_decompte_dates(decomptes) -> None:
    for r in decomptes:
        issued, paid = _day(r["Date d'émission"]), _day(r["Date de paiement"])
        assert issued <= STATUS
        if paid is not None:
            assert issued < paid <= STATUS
            assert 30 <= (paid - issued).days <= 60
        assert round(r["Montant TTC (DH)"], 2) == r["Montant TTC (DH)"] > 0


def test_exactly_one_works_dp_overdue(decomptes) -> None:
    delay = RULES["payment_delay_days"]
    works = [r for r in decomptes if r["N° marché"] == sample.WORKS_CONTRACT]
    overdue = {
        r["N° décompte"]
        for r in works
        if r["Date de paiement"] is None and (STATUS - _day(r["Date d'émission"])).days > delay
    }
    assert len(overdue) == 1
    unpaid = {r["N° décompte"] for r in works if r["Date de paiement"] is None}
    latest = max(works, key=lambda r: r["Date d'émission"])
    assert unpaid == overdue | {latest["N° décompte"]}
    assert _day(latest["Date d'émission"]).month == 11
    studies = [r for r in decomptes if r["N° marché"] != sample.WORKS_CONTRACT]
    assert all(
        r["Date de paiement"] is not None or (STATUS - _day(r["Date d'émission"])).days <= delay
        for r in studies
    )


def test_monthly_works_decomptes(decomptes) -> None:
    works = [r for r in decomptes if r["N° marché"] == sample.WORKS_CONTRACT]
    refs = sorted({r["N° décompte"] for r in works}, key=lambda ref: int(ref[2:]))
    assert refs == [f"DP{k}" for k in range(1, len(refs) + 1)]
    first = min(_day(r["Date d'émission"]) for r in works if r["N° décompte"] == "DP1")
    assert first.month == 4 and "31/03/2026" in works[0]["Objet"]
    assert all(r["Lot"] for r in works)


# ----------------------------------------------------------------------------- determinism


def test_regeneration_gives_the_committed_cells(tmp_path: Path) -> None:
    sample.generate(tmp_path, STATUS)
    for path in FILES:
        assert cell_values(tmp_path / path.name) == cell_values(path), path.name


def test_history_is_consistent_week_after_week() -> None:
    """Each weekly situation only adds to the previous one: nothing recorded is rewritten."""
    previous = None
    for day in HISTORY:
        status = dt.date.fromisoformat(day)
        sched = sample.build_schedule(status)
        dec = sample.build_decomptes(status)
        con = sample.build_contracts(status)
        for col in ("actual_start", "actual_finish"):
            assert (sched[col].dropna().dt.date <= status).all()
        assert (dec["date"].dt.date <= status).all()
        assert (dec["paid_date"].dropna().dt.date <= status).all()
        assert (con["signed_date"].dt.date <= status).all()
        if previous is not None:
            p_sched, p_dec = previous
            assert (sched["percent_complete"] >= p_sched["percent_complete"]).all()
            done = p_sched["percent_complete"] == 1
            assert sched.loc[done, "actual_finish"].equals(p_sched.loc[done, "actual_finish"])
            keys = ["reference", "contract_id", "budget_line", "date", "amount", "retention"]
            assert (
                p_dec[keys].merge(dec[keys], how="left", indicator=True)["_merge"].eq("both").all()
            )
        previous = (sched, dec)


# ----------------------------------------------------------------------------- stages of the works

STAGES_DIR = DATA / "stages"
STAGE_FILES = ("planning_travaux.xlsx", "suivi_financier.xlsx", "programme_surfaces.xlsx")


@pytest.mark.parametrize("stage", sample.STAGES)
def test_stage_regenerates_byte_for_byte(tmp_path: Path, stage: str) -> None:
    """``--stage`` writes reproducible files: the committed ones are exactly what it writes."""
    written = sample.generate_stage(stage, tmp_path / stage)
    assert [p.name for p in written] == [*STAGE_FILES, "project.toml"]
    for path in written:
        committed = (STAGES_DIR / stage / path.name).read_bytes()
        assert path.read_bytes() == committed, (
            f"{stage}/{path.name} differs: run python scripts/make_sample_data.py --stage all"
        )


@pytest.mark.parametrize("stage", sample.STAGES)
def test_stage_workbooks_declare_their_status_date(stage: str) -> None:
    status = sample.STAGE_STATUS[stage]
    for name in STAGE_FILES:
        sheet = load_workbook(STAGES_DIR / stage / name).worksheets[0]
        assert sheet["A3"].value == f"Situation au {status:%d/%m/%Y}", name
    with open(STAGES_DIR / stage / "project.toml", "rb") as handle:
        settings = tomllib.load(handle)
    assert settings["schedule"]["status_date"] == status
    # every other setting as data/project.toml's, but a stage keeps no steering register
    expected = {k: v for k, v in PROJECT.items() if k != "schedule"}
    expected["data"] = {k: v for k, v in expected["data"].items() if k != "registers"}
    assert {k: v for k, v in settings.items() if k != "schedule"} == expected


def test_launch_decomptes_sheet_holds_its_header_only() -> None:
    sheet = load_workbook(STAGES_DIR / "launch" / "suivi_financier.xlsx")["Décomptes"]
    assert sheet.max_row == HEADER_ROW  # no row, no totals row
    assert sheet["A5"].value == "N° décompte"
    contracts, total = read_sheet(STAGES_DIR / "launch" / "suivi_financier.xlsx", "Marchés")
    assert {r["N° marché"] for r in contracts} == {c.contract_id for c in sample.STUDY_CONTRACTS}
    assert total["Montant TTC (DH)"] == 1_114_800


def test_launch_schedule_is_all_at_zero_but_the_os() -> None:
    rows, _total = read_sheet(STAGES_DIR / "launch" / "planning_travaux.xlsx", "Planning")
    done = [r["N°"] for r in rows if r["% réalisé"] > 0]
    assert done == ["T01"]  # the OS de commencement, a milestone
    started = [r["N°"] for r in rows if r["Début réel"] is not None]
    assert started == ["T01", "T02"]
    assert all(r["Fin réelle"] is None for r in rows if r["N°"] != "T01")
    assert all(r["Début prévu"] == r["Début de référence"] for r in rows)


def test_completion_is_finished_and_every_date_before_its_status() -> None:
    status = sample.STAGE_STATUS["completion"]
    rows, _total = read_sheet(STAGES_DIR / "completion" / "planning_travaux.xlsx", "Planning")
    assert all(r["% réalisé"] == 1 and r["Fin réelle"] is not None for r in rows)
    assert max(_day(r["Fin réelle"]) for r in rows) == dt.date(2027, 1, 18) < status
    decomptes, _ = read_sheet(STAGES_DIR / "completion" / "suivi_financier.xlsx", "Décomptes")
    for r in decomptes:
        assert _day(r["Date d'émission"]) <= status
        assert r["Date de paiement"] is None or _day(r["Date de paiement"]) <= status
