"""The Spending page on the bundled sample: the headline figures, the alerts, the charts and
the drill-down, as a project-controls engineer checks them against the workbook; every
table the page hands to ``st.dataframe`` holds the values of the workbook's table of the
same spec."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from exports.workbook import build_workbook
from tests.exports.test_workbook import SOURCES, sample_situation
from tests.views.readback import comparable, workbook_table
from views.format import compress_rows
from views.spending import spending_view

APP = Path(__file__).resolve().parents[2] / "app.py"
#: the tables of the page, in the order it draws them (the drill-down is on TR-01)
PAGE_TABLES = [
    "spending.breakdown",
    "spending.lines",
    "spending.line_contracts",
    "spending.line_decomptes",
    "spending.earned",
    "spending.earned_lines",
    "spending.excluded",
    "spending.rules",
    "spending.retention",
    "spending.overdue",
    "spending.ledger",
]
#: the page's tables that are also in the workbook (the drill-down is the page's own)
WORKBOOK_TABLES = [key for key in PAGE_TABLES if ".line_" not in key]


def plain(text: str) -> str:
    """French numbers use no-break spaces: compare with ordinary ones."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.fixture(scope="module")
def page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.switch_page("pages/spending.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(scope="module")
def situation():
    return sample_situation()


@pytest.fixture(scope="module")
def workbook(situation) -> bytes:
    return build_workbook(situation, SOURCES, [], "fr")


@pytest.fixture(scope="module")
def content(situation):
    return spending_view(situation.spending, situation.settings, "fr")


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (plain(m.value), plain(m.proto.delta)) for m in at.metric}


def frames(at: AppTest) -> dict:
    assert len(at.dataframe) == len(PAGE_TABLES)
    return {key: element.value for key, element in zip(PAGE_TABLES, at.dataframe, strict=True)}


def test_headline_amounts(page):
    values = metrics(page)
    assert values["Enveloppe"] == ("15,20 MDH", "15 200 000,00 MAD")
    assert values["Engagé"] == ("14,29 MDH", "14 289 823,42 MAD")
    assert values["Émis"] == ("11,79 MDH", "11 791 264,32 MAD")
    assert values["Payé"] == ("8,37 MDH", "8 369 960,77 MAD")
    assert values["Reste à engager"] == ("0,91 MDH", "910 176,58 MAD")
    assert values["Payé net"] == ("7,70 MDH", "7 695 136,17 MAD")


def test_every_rate_says_what_it_divides_by(page, workbook):
    """82,5 % is émis / engagé, 71,0 % payé / émis: the labels say so, on the page and in
    the workbook, and the briefing's bars say that their 78 % is of the envelope."""
    values = metrics(page)
    assert values["Taux d'engagement (engagé / enveloppe)"][0] == "94,0 %"
    assert values["Taux d'émission (émis / engagé)"][0] == "82,5 %"
    assert values["Taux de paiement (payé / émis)"][0] == "71,0 %"
    lines = workbook_table(workbook, "spending.lines")
    assert {
        "Taux d'engagement (engagé / budget)",
        "Taux d'émission (émis / engagé)",
        "Taux de paiement (payé / émis)",
    } <= set(lines.columns)
    breakdown = workbook_table(workbook, "spending.breakdown")
    assert "Part de l'enveloppe" in breakdown.columns


def test_the_briefing_bars_say_their_share_is_of_the_envelope(situation):
    from charts.spending import envelope_bars_figure

    figure = envelope_bars_figure(situation.spending.totals, lang="fr")
    texts = [plain(t) for t in figure.data[0].text]
    assert texts[2] == "11,79 MDH<br>78 % de l'enveloppe"  # émis / enveloppe, not / engagé
    english = envelope_bars_figure(situation.spending.totals, lang="en").data[0].text
    assert english[2] == "11.79 M MAD<br>78\u00a0% of the envelope"


def test_retention_says_on_what_it_is_computed(page, workbook):
    """0,67 MDH is held on the payments made; 874 203,64 MAD (the cap reached) is constituted
    on the décomptes issued: both labels say which, and the headline's help gives the other."""
    held = next(m for m in page.metric if m.label == "Retenue détenue (sur le payé)")
    assert (plain(held.value), plain(held.proto.delta)) == ("0,67 MDH", "674 824,60 MAD")
    assert "Constituée sur tous les décomptes émis : 874 203,64 MAD" in plain(held.proto.help)
    rules = workbook_table(workbook, "spending.rules").set_index("N° marché")
    works = rules.loc["07/2026/AREP-RSK"]
    assert works["Retenue constituée (sur l'émis)"] == pytest.approx(874_203.64)
    assert works["dont détenue (sur le payé)"] == pytest.approx(674_824.60)
    assert works["Retenue / plafond"] == "plafond atteint"


def test_the_spi_is_named_as_the_cost_based_one(page, workbook):
    """SPI 0,93 is EV / PV in money; the Planning page's SPI(t) 0,91 is earned schedule."""
    assert metrics(page)["SPI (coûts : EV / PV)"][0] == "0,93"
    assert "SPI" not in metrics(page)  # never the bare name
    earned = workbook_table(workbook, "spending.earned").set_index("Indicateur")
    assert earned.loc["SPI (coûts : EV / PV) — indice de délais", "Indice"] == pytest.approx(
        0.9341, abs=1e-4
    )
    markdown = " ".join(plain(m.value) for m in page.markdown)
    assert "SPI coûts = EV / PV = 0,93" in markdown and "SPI(t)" in markdown


def test_penalties_are_one_amount_with_one_rounding(page, workbook):
    """412 124,57 MAD on the page and in the workbook's cell; never 412 125."""
    shown = " ".join(plain(m.value) for m in page.markdown)
    assert "412 124,57 MAD de pénalités" in shown
    assert "Pénalités de retard (exposition) : 412 124,57 MAD" in shown
    assert "412 125" not in shown
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(workbook))["Dépenses"]
    cells = [
        row[1] for row in sheet.iter_rows(values_only=True) if row[0] and "Pénalités" in row[0]
    ]
    assert cells[0] == pytest.approx(412_124.57)


def test_headline_outlook(page):
    values = metrics(page)
    assert values["Coût final prévisionnel"] == ("14,77 MDH", "marge 430 176,58 MAD")
    assert values["CPI"][0] == "1,04"
    assert values["Enveloppe (MAD/m²)"][0] == "7 499"


def test_verdict_and_plain_meaning(page):
    assert any(
        "14,29 MDH engagés (94,0 %)" in plain(s.value) and "marge de 0,43 MDH" in plain(s.value)
        for s in page.success
    )
    markdown = " ".join(plain(m.value) for m in page.markdown)
    assert "pour 1 DH émis sur les travaux, 1,04 DH de travaux réalisés" in markdown
    assert "pour 1 DH de travaux prévus au 20/11/2026, 0,93 DH réalisés" in markdown


def test_alerts_name_the_line_and_the_late_decompte_over_its_lines(page):
    errors = [plain(e.value) for e in page.error if "erreur inattendue" not in e.value]
    assert any("TR-01" in e and "405 776,02 MAD" in e for e in errors)
    (dp6,) = [e for e in errors if "DP6" in e]
    assert "1 993 790,34 MAD impayés sur 9 lignes budgétaires (TR-01, TR-02" in dp6
    assert "67 jours" in dp6 and "7 jours au-delà" in dp6 and "Lignes Excel 52–60" in dp6
    assert len(errors) == 2


def test_the_drill_down_gives_the_lines_share_of_dp6(page):
    """On TR-01, DP6 is 410 841,45 MAD: the line's share of the 1 993 790,34 MAD décompte
    over nine lines, both shown, and the caption says it."""
    decomptes = frames(page)["spending.line_decomptes"].set_index("reference")
    assert decomptes.index.tolist() == ["DP1", "DP2", "DP3", "DP4", "DP5", "DP6", "DP7"]
    dp6 = decomptes.loc["DP6"]
    assert dp6["amount"] == pytest.approx(410_841.45)
    assert dp6["decompte_amount"] == pytest.approx(1_993_790.34)
    assert dp6["decompte_line_count"] == 9
    assert dp6["payment_status"] == "non payé, en retard"  # said in words, not a blank date
    assert decomptes.loc["DP7", "payment_status"] == "payé"
    captions = [plain(c.value) for c in page.caption]
    assert any("la part de la ligne TR-01 dans chaque décompte" in c for c in captions)


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


def test_tables_keep_numbers_and_trace_back_to_the_excel_rows(page):
    tables = frames(page)
    assert tables["spending.breakdown"].iloc[-1]["amount"] == 15_200_000
    lines = tables["spending.lines"].set_index("line_id")
    assert lines.loc["TR-01", "overrun"] == pytest.approx(405_776.02)  # a number, sortable
    contracts = tables["spending.line_contracts"]
    assert contracts["source_row"].tolist() == ["12", "26"]  # Excel rows, as in the workbook
    assert tables["spending.overdue"].iloc[0]["reference"] == "DP6"


def test_drill_down_on_another_line(page):
    page.selectbox(key="spending.line").set_value("ET-02").run()
    decomptes = frames(page)["spending.line_decomptes"]
    assert len(decomptes) == 10  # the architect's fee notes n°1 to n°10
    page.selectbox(key="spending.line").set_value("TR-01").run()


def _values(frame, table) -> list[list]:
    """A frame's rows as both renderers can hold them: Excel rows as ``52–60``, a missing
    value with its column's missing text as that text, bools as Oui / Non."""
    rows = []
    for record in frame.itertuples(index=False):
        row = []
        for value, column in zip(record, table.columns, strict=True):
            if column.kind == "rows" and isinstance(value, Iterable) and not isinstance(value, str):
                value = compress_rows(value)
            value = comparable(value)
            if value is None and column.missing_text:
                value = column.missing_text
            if column.kind == "bool" and value is not None:
                value = table.yes_no[0] if value else table.yes_no[1]
            if isinstance(value, dt.datetime):
                value = value.date()
            row.append(value)
        rows.append(row)
    return rows


@pytest.mark.parametrize("key", WORKBOOK_TABLES)
def test_the_screen_and_the_workbook_hold_the_same_table(page, workbook, content, key):
    table = next(
        t
        for t in (
            content.breakdown,
            content.lines,
            content.earned,
            content.earned_lines,
            content.excluded,
            content.rules,
            content.retention,
            content.overdue,
            content.ledger,
        )
        if t.key == key
    )
    screen = frames(page)[key]
    assert list(screen.columns) == table.ids
    read = workbook_table(workbook, key)
    assert list(read.columns) == table.labels
    assert len(screen) > 0
    assert _values(screen, table) == _values(read, table)


def test_amounts_excluding_vat(page):
    page.segmented_control(key="spending.basis").set_value("HT").run()
    values = metrics(page)
    assert values["Enveloppe"] == ("12,67 MDH", "12 666 666,67 MAD")
    assert values["Taux d'engagement (engagé / enveloppe)"][0] == "94,0 %"
    page.segmented_control(key="spending.basis").set_value("TTC").run()


#: French words or abbreviations an English reader should not meet
FRENCH = re.compile(r"\b(DH|MDH|TTC|HT|décompte|engagé|émis|payé|jours?|échantillon)\b")


def test_page_in_english(page):
    from tests.pages.test_stages import texts_of

    page.radio(key="app.lang").set_value("en").run()
    try:
        assert not page.exception
        values = metrics(page)
        assert values["Committed"] == ("14.29 M", "14,289,823.42 MAD")
        assert values["Commitment rate (committed / envelope)"][0] == "94.0 %"
        assert values["Issue rate (issued / committed)"][0] == "82.5 %"
        assert values["SPI (cost: EV / PV)"][0] == "0.93"
        shown = [t for t in texts_of(page) if "unexpected error" not in t]
        french = sorted({m.group(0) for t in shown for m in FRENCH.finditer(t)})
        assert french == []
        assert "MAD incl. VAT" in " ".join(shown)
    finally:
        page.radio(key="app.lang").set_value("fr").run()


def test_no_none_or_nan_in_any_table(page):
    for element in page.dataframe:
        frame = element.value
        text = [v for v in frame.astype(object).to_numpy().ravel() if isinstance(v, str)]
        assert not [v for v in text if v in ("None", "nan", "NaN", "<NA>")]


def test_the_english_screen_and_workbook_hold_the_same_tables(page, situation):
    content = spending_view(situation.spending, situation.settings, "en")
    workbook = build_workbook(situation, SOURCES, [], "en")
    page.radio(key="app.lang").set_value("en").run()
    try:
        shown = frames(page)
        for table in (content.breakdown, content.lines, content.rules, content.ledger):
            read = workbook_table(workbook, table.key)
            assert list(read.columns) == table.labels, table.key
            assert _values(shown[table.key], table) == _values(read, table), table.key
    finally:
        page.radio(key="app.lang").set_value("fr").run()
