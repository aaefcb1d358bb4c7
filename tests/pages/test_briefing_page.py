"""The Synthèse page on the sample: the figures, the reason behind each rating, and the late
tasks holding the values of the workbook's Synthèse sheet."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import subprocess
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from exports.workbook import build_workbook
from tests.exports.test_workbook import SOURCES, sample_situation
from tests.views.readback import sheet_values, table_values, workbook_table
from ui.markdown_text import visible
from views.briefing import late_tasks_table

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture(scope="module")
def page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_it_is_the_landing_page_with_the_headline_figures(page):
    values = {m.label: m.value for m in page.metric}
    assert values["Fin prévisionnelle"] == "18/01/2027"
    assert values["Av. physique"] == "87,2\u00a0%"
    assert values["Engagé / enveloppe"] == "94,0\u00a0%"
    assert values["Coût final prévu"] == "14,77 MDH"


def test_financial_progress_says_it_is_issued_over_engaged(page):
    """11 791 264,32 issued / 14 289 823,42 engaged = 82,5 %: the line under it says what it
    divides (the label stays short enough for 1366 px)."""
    financial = next(m for m in page.metric if m.label == "Av. financier")
    assert financial.value == "82,5\u00a0%"
    assert "émis / engagé : 11,79 MDH sur 14,29 MDH" in [c.value for c in page.caption]


def test_ratings_and_their_reasons(page):
    texts = [m.value for m in page.markdown] + [c.value for c in page.caption]
    assert any(t.startswith("**Délais** :red-background") for t in texts)
    assert any(t.startswith("**Programme** :green-background") for t in texts)
    assert any(t.startswith("**Coûts** :orange-background") for t in texts)
    assert any(
        "Fin prévue le 18/01/2027, 33 jours après la fin contractuelle du 16/12/2026" in t
        for t in texts
    )
    assert any(
        "2\u202f027 m² pour 2\u202f027 m² annoncés, 58 places pour 58 start-up" in t for t in texts
    )
    assert any("mais 2 alertes rouges à traiter" in t for t in texts)  # no "alerte(s)"
    assert "Décision nécessaire : délais." in texts


def test_late_tasks_and_alerts(page):
    late = page.dataframe[0].value
    assert late.iloc[0]["task"] == "T68 · Levée des réserves de l'OPR"
    assert late.iloc[0]["delay_calendar_days"] == 33
    texts = [m.value for m in page.markdown]
    assert any("DP6" in t and "67 jours" in t for t in texts)


def test_late_tasks_on_screen_are_the_workbook_ones():
    situation = sample_situation()
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    table = late_tasks_table(situation, "fr")
    shown = dataclasses.replace(table, frame=at.dataframe[0].value)
    sheet = workbook_table(build_workbook(situation, SOURCES, [], "fr"), table.key)
    assert list(sheet.columns) == table.labels
    assert table_values(shown) == sheet_values(sheet)
    assert len(sheet) == 5


def test_english_briefing_has_no_french_days(page):
    page.radio(key="app.lang").set_value("en").run()
    finish = next(m for m in page.metric if m.label == "Forecast finish")
    assert "+33 days against the contractual end" in [visible(c.value) for c in page.caption]
    assert finish.value == "18/01/2027"
    assert "issued / committed: 11.79 M MAD of 14.29 M MAD" in [c.value for c in page.caption]
    page.radio(key="app.lang").set_value("fr").run()


def test_three_compact_charts_and_the_risk_map(page):
    keys = [chart.key for chart in page.get("plotly_chart")]
    assert keys == ["briefing.progress", "briefing.spending", "briefing.areas", "briefing.heat"]


def test_the_workbook_is_built_when_asked_then_offered(page):
    """A page view writes no workbook: the sidebar offers to prepare it; once prepared it is
    offered for download, the Synthèse sheet holding the screen's figures."""
    labels = [b.proto.label for b in page.get("download_button")]
    assert "Télécharger le classeur Excel" not in labels
    assert "app.export.prepared" not in page.session_state
    page.button(key="app.export.prepare").click().run()
    assert not page.exception
    buttons = [
        b for b in page.get("download_button") if b.proto.label == "Télécharger le classeur Excel"
    ]
    assert len(buttons) == 1
    _, content = page.session_state["app.export.prepared"]
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert "Décisions" in book.sheetnames
    summary = book["Synthèse"]
    values = {summary.cell(r, 1).value: summary.cell(r, 2).value for r in range(1, 40)}
    assert values["Fin prévisionnelle"] == dt.datetime(2027, 1, 18)


def test_the_note_and_the_deck_are_built_only_when_asked():
    """A page view builds no document (the note starts Chromium): two "Préparer" buttons;
    the note is built on its button and offered for download, in the page's language, with
    the screen's figures in its text; after a change of language it is prepared again."""
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    labels = [b.proto.label for b in at.button]
    assert "Préparer la note (PDF)" in labels and "Préparer la présentation (PPTX)" in labels
    assert "briefing.pack.pdf" not in at.session_state
    assert not [b for b in at.get("download_button") if "note" in b.proto.label]

    at.button(key="briefing.pack.pdf.prepare").click().run()
    assert not at.exception, [e.value for e in at.exception]
    downloads = {b.proto.label: b for b in at.get("download_button")}
    assert "Télécharger la note (PDF)" in downloads
    assert "Préparer la note (PDF)" not in [b.proto.label for b in at.button]
    key, content = at.session_state["briefing.pack.pdf"]
    assert key[-1] == "fr" and content.startswith(b"%PDF")
    text = pdf_text(content)
    for value in ("87,2", "82,5", "94,0", "18/01/2027", "14,77 MDH", "Décision nécessaire"):
        assert value in text, value

    at.radio(key="app.lang").set_value("en").run()
    labels = [b.proto.label for b in at.button]
    assert "Prepare the note (PDF)" in labels  # the French note is not offered as English
    assert not [b for b in at.get("download_button") if b.proto.label.endswith("(PDF)")]


def test_the_deck_is_seven_slides_in_the_page_language():
    """Six slides, and the COPIL's registers on a seventh (the sample has a register)."""
    from pptx import Presentation

    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.button(key="briefing.pack.pptx.prepare").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Télécharger la présentation (PPTX)" in [
        b.proto.label for b in at.get("download_button")
    ]
    key, content = at.session_state["briefing.pack.pptx"]
    deck = Presentation(io.BytesIO(content))
    assert key[-1] == "fr" and len(deck.slides) == 7
    charts = [s.chart for slide in deck.slides for s in slide.shapes if s.has_chart]
    assert charts  # native charts, not pictures
    # the schedule slide draws the milestone trend over every weekly situation of the history,
    # as the command line's deck does (not the S-curve of a deck without history)
    from pptx.enum.chart import XL_CHART_TYPE

    from store.current import weekly_situations
    from store.snapshots import SQLiteSnapshotStore

    weeks = weekly_situations(SQLiteSnapshotStore(os.environ["TRACKER_DB"]))
    lines = [c for c in charts if c.chart_type == XL_CHART_TYPE.LINE]
    assert len(weeks) > 1 and len(lines) == 1
    assert len(lines[0].plots[0].categories) == len(weeks)


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def test_an_arabic_note_from_the_french_page():
    """The documents' language is chosen beside the buttons (the page's by default): the
    chief of staff prepares the Arabic note from the French page; its file name and its text
    are Arabic."""
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    chooser = at.get("button_group")[0]
    assert chooser.value == ["fr"] or chooser.value == "fr"
    chooser.set_value("ar").run()
    at.button(key="briefing.pack.pdf.prepare").click().run()
    assert not at.exception, [e.value for e in at.exception]
    key, content = at.session_state["briefing.pack.pdf"]
    assert key[-1] == "ar"
    download = next(b for b in at.get("download_button") if b.proto.label.endswith("(PDF)"))
    assert download.proto.label == "Télécharger la note (PDF)"  # the page stays French
    text = pdf_text(content)
    arabic = sum("\u0600" <= ch <= "\u06ff" for ch in text)
    assert arabic > len(text) / 4, "the note's text is Arabic"
    assert "تكنوبارك الخميسات" in text or "الخميسات" in text
