"""The registers on the pages, on the sample (its register as at 20/11/2026): the Synthèse's
decisions expected, overdue actions and top risks; the Registres page's tables and suggested
decisions (accepting one records a version and the suggestion goes); the weekly review's
changes; a viewer without the right to edit sees no editor."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture
def own_db(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "history.sqlite"))
    return tmp_path / "history.sqlite"


def run(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_rows(at: AppTest) -> list[list[str]]:
    rows = []
    for table in at.table:
        frame = table.value
        rows += [[str(v) for v in row] for row in frame.itertuples(index=False)]
    return rows


def test_the_synthese_shows_the_decisions_expected_the_overdue_actions_and_top_risks(own_db):
    at = run()
    titles = [m.value for m in at.markdown]
    assert "#### Pilotage : décisions, actions, risques" in titles
    assert "**Décisions attendues**" in titles and "**Risques principaux**" in titles
    rows = table_rows(at)
    # D-04 was due 18/11, 2 days before the status date; D-03 is due 04/12
    d04 = next(r for r in rows if r[0] == "D-04")
    assert "Directeur de l'AREP RSK" in d04 and "18/11/2026" in d04 and "2 j" in d04
    assert any(r[0] == "D-03" and "04/12/2026" in r for r in rows)
    # A-02 due 06/11 is 14 days late, A-04 due 17/11 three
    assert any(r[0] == "A-02" and "14 j" in r for r in rows)
    assert any(r[0] == "A-04" and "3 j" in r for r in rows)
    # R-01 4 × 4 = 16, critical, first of the top risks
    r01 = next(r for r in rows if r[0] == "R-01")
    assert "16" in r01 and "Critique" in r01
    # the owner's liability for the décompte paid late (tracking.contract_rules.payment_clock)
    interest = [m.value for m in at.markdown if "Intérêts moratoires dus" in m.value]
    assert len(interest) == 1 and "204,47" in interest[0] and "60 jours" in interest[0]


def test_a_red_time_rating_names_the_decision_the_copil_took(own_db):
    at = run()
    captions = [c.value for c in at.caption]
    reason = next(c for c in captions if c.startswith("Fin prévue le 18/01/2027"))
    assert "Décision prise le 16/10/2026 (COPIL) : Deuxième équipe de gros œuvre" in reason


def test_the_registers_page_lists_the_registers_and_the_suggested_decision(own_db):
    at = run("pages/registers.py")
    assert [t.label for t in at.tabs] == ["Décisions", "Actions", "Risques"]
    suggestions = [m.value for m in at.markdown if m.value.startswith("Payer le décompte")]
    assert len(suggestions) == 1
    assert "DP6" in suggestions[0] and "7 jours au" in suggestions[0]
    frames = {df.value.shape[0] for df in at.dataframe}
    assert {5, 8, 12} <= frames  # decisions, actions, risks of the sample
    # each risk's trend since the previous week's register (13/11, the version of 06/11)
    risks = next(df.value for df in at.dataframe if "trend_text" in df.value.columns)
    trend = dict(zip(risks["risk_id"], risks["trend_text"], strict=True))
    assert trend["R-01"] == "↑ en hausse" and trend["R-03"] == "↓ en baisse"
    assert trend["R-12"] == "+ nouveau" and trend["R-02"] == "= stable"
    assert "Version en vigueur : n°" in " ".join(c.value for c in at.caption)


def test_accepting_a_suggestion_records_a_decision_to_take_and_the_suggestion_goes(own_db):
    at = run("pages/registers.py")
    at.session_state["data.importer"] = "Secrétariat du COPIL"
    accept = next(b for b in at.button if b.key == "registers.accept.0")
    accept.click().run()
    assert not at.exception
    assert any("Registres enregistrés : version n°" in s.value for s in at.success)
    assert not [b for b in at.button if (b.key or "").startswith("registers.accept.")]

    from store import open_store_at

    store = open_store_at(own_db)
    latest = max(store.list("registers"), key=lambda i: i.id)
    assert latest.imported_by == "Secrétariat du COPIL"
    decisions = store.get(latest.id).results["decisions"].frame.set_index("decision_id")
    assert decisions.at["D-06", "status"] == "pending"
    assert decisions.at["D-06", "rule"] == "late_payment:07/2026/AREP-RSK:DP6"
    assert decisions.at["D-06", "question"].startswith("Payer le décompte DP6")
    assert len(decisions) == 6


def test_the_weekly_review_shows_what_the_registers_recorded_since_last_week(own_db):
    at = run("pages/review.py")
    titles = [m.value for m in at.markdown if m.value.startswith("**")]
    for expected in (
        "**Décision prise (1)**",
        "**Questions nouvelles (2)**",
        "**Action clôturée (1)**",
        "**Actions ouvertes (3)**",
        "**Action passée en retard (1)**",
        "**Risque nouveau (1)**",
        "**Risques réévalués (3)**",
        "**Risque clos (1)**",
    ):
        assert expected in titles
    rerated = next(
        df.value
        for df in at.dataframe
        if "previous_score" in df.value.columns.tolist() and len(df.value) == 3
    )
    first = rerated.iloc[0]
    assert first["item"] == "R-01 · Le retard du gros œuvre se reporte sur le second œuvre"
    assert (first["previous_score"], first["score"]) == (12, 16)
