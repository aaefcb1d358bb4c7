"""The Synthèse page printed by Chromium (Ctrl+P, A4 landscape): two pages laid out as the
briefing note, the headline figures as the screen shows them, the charts whole and side by
side, nothing interactive on paper."""

from __future__ import annotations

import re
import subprocess

import pytest

from i18n import translate

pytestmark = pytest.mark.browser

HEADING = "Technopark de Khémisset — situation au 20/11/2026"


def pdf_pages(pdf) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    return [
        " ".join(
            subprocess.run(
                ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
        )
        for n in range(1, count + 1)
    ]


@pytest.fixture(scope="module")
def printed(browser, app_url, tmp_path_factory):
    """The page's metric values as the screen shows them, the print media's layout facts,
    and the text of each printed page."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(app_url)
        page.get_by_text(HEADING).first.wait_for()
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4")
        screen = page.locator("[data-testid=stMetricValue]").all_inner_texts()
        page.emulate_media(media="print")
        # plotly follows its column's new width; wait until every chart fits its column
        page.wait_for_function(
            """() => [...document.querySelectorAll('.st-key-briefing-charts .js-plotly-plot')]
                 .every(p => p.getBoundingClientRect().right
                             <= p.closest('[data-testid=stColumn]').getBoundingClientRect().right + 1)"""
        )
        layout = page.evaluate(
            """() => ({
              charts: [...document.querySelectorAll('.st-key-briefing-charts .js-plotly-plot')]
                .map(p => p.getBoundingClientRect().top),
              visible: ['stSidebar', 'stTooltipIcon', 'stExpander', 'stButton',
                        'stDownloadButton', 'stElementToolbar', 'stHeaderActionElements']
                .filter(id => [...document.querySelectorAll(`[data-testid=${id}]`)]
                  .some(e => e.getClientRects().length > 0)),
            })"""
        )
        folder = tmp_path_factory.mktemp("print")
        pdf = folder / "synthese.pdf"
        page.pdf(path=str(pdf), format="A4", landscape=True, print_background=True)
        return {"screen": screen, "layout": layout, "pages": pdf_pages(pdf)}
    finally:
        context.close()


def test_three_pages_and_no_blank_one(printed):
    """The briefing's two pages, then the COPIL's registers (the sample has one)."""
    pages = printed["pages"]
    assert len(pages) == 3
    assert all(len(text) > 200 for text in pages)
    failed = " ".join(translate("app.part_error", "fr").split())
    assert not [n for n, text in enumerate(pages) if failed in text]  # every part drawn


def test_page_one_holds_the_figures_as_on_screen_and_the_ratings(printed):
    first = printed["pages"][0]
    assert printed["screen"] == [
        "87,2\u00a0%", "82,5\u00a0%", "94,0\u00a0%", "91\u00a0%", "18/01/2027", "14,77 MDH"
    ]  # fmt: skip
    for value in printed["screen"]:
        assert " ".join(value.split()) in first, value
    assert first.startswith(HEADING)
    for rating in ("Délais Rouge", "Coûts Orange", "Programme Vert", "Appréciation générale"):
        assert rating in first
    assert "Décision nécessaire : délais." in first


def test_page_two_holds_the_late_tasks_the_alerts_and_three_whole_charts(printed):
    second = printed["pages"][1]
    assert "Tâches les plus en retard" in second and "Alertes ouvertes" in second
    assert "T68 · Levée des réserves de l'OPR" in second  # the grid printed as text
    for title in ("Avancement physique", "Dépenses et enveloppe", "Surfaces par catégorie"):
        assert title in second
    # each chart's far labels: the S-curve's last tick, the last bar, the donut's legend
    assert "nov. 2026" in second and "Payé (brut)" in second and "Structure" in second
    tops = printed["layout"]["charts"]
    assert len(tops) == 3 and max(tops) - min(tops) < 2  # side by side, as on screen


def test_page_three_holds_the_decisions_expected_the_overdue_actions_and_top_risks(printed):
    third = printed["pages"][2]
    assert third.startswith("Pilotage : décisions, actions, risques")
    for title in ("Décisions attendues", "Actions en retard", "Risques principaux"):
        assert title in third
    assert "D-04" in third and "Directeur de l'AREP RSK" in third  # due 18/11, 2 days late
    assert "A-02" in third and "14 j" in third
    assert "R-01" in third and "Critique" in third
    assert "Intérêts moratoires dus à la date de situation" in third
    assert "Carte des risques ouverts" in third  # the heat map, whole on the page


def test_nothing_interactive_is_printed(printed):
    assert printed["layout"]["visible"] == []
    text = " ".join(printed["pages"])
    for label in (
        "Que veulent dire les couleurs ?",  # the expander
        "Préparer la note (PDF)",
        "Préparer le classeur Excel",
        "Synthèse Planning",  # the sidebar's navigation
    ):
        assert label not in text
    # no help icon's glyph, no expander title: the only "?" are those of the two questions the
    # COPIL is asked on page 3 (D-04 and D-03 end with one)
    assert "?" not in " ".join(printed["pages"][:2])
    assert printed["pages"][2].count("?") == 2
