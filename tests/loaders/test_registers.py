"""The steering registers' loaders: the sample and the template read back, the words of every
status in both languages, every problem of a bad register named by row and column, hostile
cells never more than a refusal."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports.registers_file import (
    example_registers,
    registers_workbook,
    word,
    words_of,
)
from loaders import LoadError, load_actions, load_decisions, load_risks
from loaders.registers import VOCABULARIES, code_of
from store import check_bytes
from tests.loaders.builders import xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "registres_copil.xlsx"

DECISION_HEADER = ["N° décision", "Date de la séance", "Question", "Décision", "Statut"]
RISK_HEADER = ["N° risque", "Risque", "Probabilité (1-5)", "Impact (1-5)", "Statut", "Réponse"]


def test_the_sample_register_loads_with_its_codes():
    """The sample as at 20/11/2026: 5 decisions, 8 actions, 12 risks (scripts/
    make_sample_registers.py), its words read as codes."""
    checked = check_bytes("registers", SAMPLE.name, SAMPLE.read_bytes(), "fr")
    assert checked.accepted, [p.message for p in checked.problems]
    assert checked.rows == {"decisions": 5, "actions": 8, "risks": 12}
    assert checked.status_date == dt.date(2026, 11, 20)
    decisions = checked.results["decisions"].frame.set_index("decision_id")
    assert decisions.at["D-01", "status"] == "implemented"  # « Mise en œuvre »
    assert decisions.at["D-03", "status"] == "pending"  # « À décider »
    assert decisions.at["D-03", "rule"] == "delay_extension:2026-12-16"
    risks = checked.results["risks"].frame.set_index("risk_id")
    assert risks.at["R-01", "probability"] == 4 and risks.at["R-01", "impact"] == 4
    assert risks.at["R-09", "status"] == "closed"
    assert risks.at["R-05", "response"] == "accept"
    assert risks.at["R-05", "impact_mad"] == 300_000


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_word_a_register_file_writes_reads_back_as_its_code(lang):
    for kind, columns in VOCABULARIES.items():
        for column, vocabulary in columns.items():
            for code in vocabulary:
                written = word(kind, column, code, lang)
                assert code_of(kind, column, written) == code, (kind, column, code, written)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_template_reads_back_as_the_example_rows(lang):
    data = registers_workbook(example_registers(lang), lang)
    checked = check_bytes("registers", "modele.xlsx", data, lang)
    assert checked.accepted, [p.message for p in checked.problems]
    assert checked.rows == {"decisions": 1, "actions": 1, "risks": 1}
    action = checked.results["actions"].frame.iloc[0]
    assert action["origin"] == "D-01"
    assert action["due_date"] == pd.Timestamp(2026, 11, 27)


def test_words_of_both_languages_and_any_case_are_read():
    assert code_of("decisions", "status", "mise en oeuvre") == "implemented"
    assert code_of("decisions", "status", "DÉCIDÉE") == "taken"
    assert code_of("actions", "status", "Done") == "done"
    assert code_of("risks", "response", "Atténuer") == "reduce"
    assert code_of("risks", "dimension", "Délais") == "time"
    assert code_of("risks", "status", "peut-être") is None


def test_a_register_with_three_bad_rows_names_each_row_and_column():
    """Row 3: a status no register uses; row 4: a decision marked taken without what was
    decided; row 5: a due date before the meeting. All three reported at once."""
    rows = [
        ["Relevé de décisions"],
        DECISION_HEADER + ["Échéance"],
        ["D-01", dt.date(2026, 10, 1), "Avenant ?", None, "Peut-être", dt.date(2026, 10, 9)],
        ["D-02", dt.date(2026, 10, 1), "Délai ?", None, "Décidée", dt.date(2026, 10, 9)],
        ["D-03", dt.date(2026, 10, 16), "Budget ?", None, "À décider", dt.date(2026, 10, 2)],
        ["D-04", dt.date(2026, 10, 16), "Programme ?", "Oui", "Décidée", dt.date(2026, 10, 30)],
    ]
    with pytest.raises(LoadError) as refused:
        load_decisions(xlsx_bytes(rows, sheet="Décisions"))
    found = {(p.code, p.row, p.column) for p in refused.value.problems if p.severity == "error"}
    assert found == {
        ("unknown_register_value", 3, "Statut"),
        ("decision_without_text", 4, "Décision"),
        ("due_before_raised", 5, "Échéance"),
    }
    message = next(p.message for p in refused.value.problems if p.row == 3)
    assert "« Peut-être »" in message and "« À décider »" in message


def test_risk_ratings_outside_the_scale_are_refused_by_row():
    rows = [
        RISK_HEADER,
        ["R-01", "Retard", 3, 4, "Ouvert", "Réduire"],
        ["R-02", "Pluie", 7, 2, "Ouvert", "Accepter"],
        ["R-03", "Grue", 2.5, 3, "Ouvert", "Réduire"],
        ["R-04", "Sol", 2, None, "Ouvert", "Réduire"],
        ["R-01", "Doublon", 1, 1, "Clos", "Accepter"],
    ]
    with pytest.raises(LoadError) as refused:
        load_risks(xlsx_bytes(rows, sheet="Risques"))
    found = {(p.code, p.row, p.column) for p in refused.value.problems if p.severity == "error"}
    assert found == {
        ("scale_out_of_range", 3, "Probabilité (1-5)"),
        ("scale_out_of_range", 4, "Probabilité (1-5)"),
        ("missing_value", 5, "Impact (1-5)"),
        ("duplicate_id", 6, "N° risque"),
    }


def test_an_action_closed_in_the_future_or_before_it_opened_is_refused():
    today = dt.date.today()
    rows = [
        ["N° action", "Action", "Statut", "Ouverte le", "Clôturée le"],
        ["A-01", "Planning", "Faite", dt.date(2026, 10, 1), today + dt.timedelta(days=3)],
        ["A-02", "Note", "Faite", dt.date(2026, 10, 10), dt.date(2026, 10, 5)],
        ["A-03", "Relance", "Ouverte", dt.date(2026, 10, 10), None],
    ]
    with pytest.raises(LoadError) as refused:
        load_actions(xlsx_bytes(rows, sheet="Actions"))
    found = {(p.code, p.row) for p in refused.value.problems if p.severity == "error"}
    assert found == {("future_actual_date", 2), ("finish_before_start", 3)}


def test_an_empty_register_is_a_register_with_no_row():
    frame = load_actions(xlsx_bytes([["N° action", "Action", "Statut"]])).frame
    assert len(frame) == 0 and "due_date" in frame.columns


def test_the_command_line_checks_a_register(tmp_path):
    path = tmp_path / "risques.xlsx"
    path.write_bytes(
        xlsx_bytes([RISK_HEADER, ["R-01", "Retard", 9, 4, "Ouvert", "Réduire"]], sheet="Risques")
    )
    done = subprocess.run(
        [sys.executable, "-m", "loaders", "check", str(path), "--kind", "risks", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert [(p["code"], p["row"]) for p in report["problems"]] == [("scale_out_of_range", 2)]


CELLS = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.integers(-10, 30),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(dt.date(1980, 1, 1), dt.date(2120, 12, 31)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELLS, min_size=6, max_size=6), min_size=0, max_size=6))
def test_any_cells_under_a_risk_header_load_or_are_refused_with_problems(rows):
    data = xlsx_bytes([RISK_HEADER, *rows], sheet="Risques")
    try:
        frame = load_risks(data).frame
    except LoadError as error:
        assert error.problems and all(p.message for p in error.problems)
        return
    assert frame["probability"].between(1, 5).all() and frame["impact"].between(1, 5).all()
    assert set(frame["status"].dropna()) <= set(VOCABULARIES["risks"]["status"])


def test_words_of_lists_every_code_in_order():
    assert list(words_of("decisions", "status", "fr")) == [
        "pending",
        "taken",
        "implemented",
        "dismissed",
    ]
    assert words_of("actions", "status", "en")["done"] == "Done"
