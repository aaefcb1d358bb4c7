"""The Synthèse page in real Chromium: it renders its charts, prints without the sidebar, and
the download button delivers a workbook whose figures are the screen's."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

pytestmark = pytest.mark.browser


def test_briefing_renders_prints_and_downloads(page, app_url, tmp_path):
    page.goto(app_url)
    page.get_by_text("Technopark de Khémisset — situation au 20/11/2026").first.wait_for()
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3")
    assert page.get_by_text("Décision nécessaire : délais.").count() == 1

    page.emulate_media(media="print")
    assert not page.locator("[data-testid=stSidebar]").is_visible()
    page.emulate_media(media="screen")

    page.get_by_role("button", name="Préparer le classeur Excel").click()  # built when asked
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger le classeur Excel").click()
    target = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(target)
    assert target.name.endswith("situation 20-11-2026.xlsx")
    book = openpyxl.load_workbook(target)
    summary = book["Synthèse"]
    values = {
        summary.cell(r, 1).value: summary.cell(r, 2).value for r in range(1, summary.max_row + 1)
    }
    assert values["Délais"] == "Rouge"
    assert values["Fin prévisionnelle"] == dt.datetime(2027, 1, 18)
