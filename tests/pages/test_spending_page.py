"""The Spending page on the bundled sample: the headline figures, the alerts, the charts and
the drill-down, as a project-controls engineer checks them against the workbook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


def plain(text: str) -> str:
    """French numbers use no-break spaces: compare with ordinary ones."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.fixture(scope="module")
def page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.switch_page("pages/spending.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (plain(m.value), plain(m.proto.delta)) for m in at.metric}


def test_headline_amounts(page):
    values = metrics(page)
    assert values["Enveloppe"] == ("15,20 MDH", "15 200 000,00 MAD")
    assert values["Engagé"] == ("14,29 MDH", "14 289 823,42 MAD")
    assert values["Émis"] == ("11,79 MDH", "11 791 264,32 MAD")
    assert values["Payé"] == ("8,37 MDH", "8 369 960,77 MAD")
    assert values["Reste à engager"] == ("0,91 MDH", "910 176,58 MAD")
    assert values["Payé net"] == ("7,70 MDH", "7 695 136,17 MAD")
    assert values["Retenue de garantie"] == ("0,67 MDH", "674 824,60 MAD")


def test_headline_rates_and_indexes(page):
    values = metrics(page)
    assert values["Taux d'engagement"][0] == "94,0 %"
    assert values["Taux d'émission"][0] == "82,5 %"
    assert values["Taux de paiement"][0] == "71,0 %"
    assert values["Coût final prévisionnel"] == ("14,77 MDH", "marge 430 177 MAD")
    assert values["CPI"][0] == "1,04"
    assert values["SPI"][0] == "0,93"
    assert values["Enveloppe (MAD/m²)"][0] == "7 499"


def test_verdict_and_plain_meaning(page):
    assert any(
        "14,29 MDH engagés (94,0 %)" in plain(s.value) and "marge de 0,43 MDH" in plain(s.value)
        for s in page.success
    )
    markdown = " ".join(plain(m.value) for m in page.markdown)
    assert "pour 1 DH émis sur les travaux, 1,04 DH de travaux réalisés" in markdown
    assert "pour 1 DH de travaux prévus au 20/11/2026, 0,93 DH réalisés" in markdown


def test_alerts_name_the_line_and_the_late_decompte(page):
    errors = [plain(e.value) for e in page.error]
    assert any("TR-01" in e and "405 776,02 MAD" in e for e in errors)
    assert any("DP6" in e and "67 jours" in e and "Lignes Excel 52–60" in e for e in errors)
    assert len(errors) == 2


def test_four_charts_with_their_figures(page):
    charts = [json.loads(chart.proto.spec) for chart in page.get("plotly_chart")]
    assert len(charts) == 4
    waterfall = charts[0]["data"][0]
    assert waterfall["type"] == "waterfall"
    assert waterfall["text"][0] == "15,20 MDH" and waterfall["text"][-1] == "7,70 MDH"
    curve_names = [trace["name"] for trace in charts[1]["data"]]
    assert "Émis cumulé" in curve_names and "Enveloppe (15,2 MDH)" in curve_names
    bars = charts[2]["data"]
    assert bars[0]["y"][0].startswith("TR-01 ")  # the overrun leads
    assert len(bars[0]["y"]) == 22
    evm = {trace["name"] for trace in charts[3]["data"]}
    assert {"PV : valeur planifiée", "EV : valeur acquise", "AC : coût réel (émis)"} <= evm


def test_tables_trace_back_to_the_excel_rows(page):
    tables = [frame.value for frame in page.dataframe]
    breakdown = tables[0]
    assert plain(breakdown.iloc[-1]["Montant"]) == "15 200 000,00 MAD"
    lines = tables[1]
    assert lines.iloc[0]["Code"] == "TR-01"
    contracts = tables[2]
    assert contracts["Ligne Excel"].tolist() == [12, 26]  # marché and avenant n°1
    decomptes = tables[3]
    assert decomptes["N° décompte"].tolist() == ["DP1", "DP2", "DP3", "DP4", "DP5", "DP6", "DP7"]
    assert decomptes.set_index("N° décompte").loc["DP6", "Date de paiement"] == "non payé"


def test_drill_down_on_another_line(page):
    page.selectbox(key="spending.line").set_value("ET-02").run()
    decomptes = page.dataframe[3].value
    assert len(decomptes) == 10  # the architect's fee notes n°1 to n°10
    page.selectbox(key="spending.line").set_value("TR-01").run()


def test_earned_value_table(page):
    table = page.dataframe[4].value.set_index("Indicateur")
    assert plain(table.loc["BAC — budget à terminaison", "Valeur"]) == "12 392 000,00 MAD"
    assert plain(table.loc["AC — coût réel (émis)", "Valeur"]) == "10 951 564,32 MAD"
    assert table.loc["EAC — estimation à terminaison", "Formule"] == "BAC / CPI"


def test_amounts_excluding_vat(page):
    page.segmented_control(key="spending.basis").set_value("HT").run()
    values = metrics(page)
    assert values["Enveloppe"] == ("12,67 MDH", "12 666 666,67 MAD")
    assert values["Taux d'engagement"][0] == "94,0 %"
    page.segmented_control(key="spending.basis").set_value("TTC").run()


def test_page_in_english(page):
    page.radio(key="app.lang").set_value("en").run()
    assert not page.exception
    values = metrics(page)
    assert values["Committed"] == ("14.29 M", "14,289,823.42 MAD")
    assert values["Commitment rate"][0] == "94.0 %"
    page.radio(key="app.lang").set_value("fr").run()
