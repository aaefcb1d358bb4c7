"""The Synthèse page on the sample: the figures and the reason behind each rating."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

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
    assert "Décision nécessaire : délais." in texts


def test_late_tasks_and_alerts(page):
    texts = [m.value for m in page.markdown]
    assert any(t.startswith("**T68** Levée des réserves") and "(+33 j)" in t for t in texts)
    assert any("DP6" in t and "67 jours" in t for t in texts)


def test_three_compact_charts(page):
    assert len(page.get("plotly_chart")) == 3


def test_download_button_gives_the_workbook(page):
    buttons = [
        b for b in page.get("download_button") if b.proto.label == "Télécharger le classeur Excel"
    ]
    assert len(buttons) == 1
