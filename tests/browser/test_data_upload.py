"""The Données page in real Chromium: a file with unreadable dates is refused, its report
names the row and column of the bad cell, nothing is stored and the sample stays in use."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.shared import settings

SHOTS = Path("/tmp/shots")

#: header on row 1; the unreadable start date is on Excel row 4, column "Début prévu"
BAD_SCHEDULE = (
    "N°;Désignation;Début prévu;Fin prévue;% réalisé\r\n"
    "T1;Installation de chantier;16/02/2026;27/02/2026;100\r\n"
    "T2;Terrassements;02/03/2026;10/04/2026;45\r\n"
    "T3;Fondations;32/13/2026;15/05/2026;0\r\n"
)


def schedule_card(page):
    return page.locator(".st-key-data-card-schedule")


def open_data_page(page, url: str) -> None:
    page.goto(url.rstrip("/") + "/data")
    page.wait_for_selector("[data-testid=stApp]")
    page.get_by_role("heading", name="Données", level=1).wait_for()
    schedule_card(page).get_by_text("Fichier en place").wait_for()


@pytest.mark.browser
def test_bad_dates_are_reported_by_row_and_column_and_the_sample_stays(page, app_url, tmp_path):
    sample_name = settings().data_files["schedule"].name
    open_data_page(page, app_url)
    card = schedule_card(page)
    assert sample_name in card.inner_text()

    bad_file = tmp_path / "planning_dates_illisibles.csv"
    bad_file.write_text(BAD_SCHEDULE, encoding="utf-8")
    card.locator("input[type=file]").set_input_files(bad_file)

    card.get_by_text(
        "Rien n'a été enregistré : les données précédentes restent en place"
    ).wait_for()
    assert card.get_by_role("button", name="Confirmer l'import").count() == 0
    status = card.locator("[data-testid=stAlertContentError]").first.inner_text()
    assert "planning_dates_illisibles.csv" in status
    assert "1 erreur" in status

    report = card.locator("[data-testid=stTable] table").first
    # the table is drawn after the alert above it: wait for its header and first row
    report.locator("thead th").first.wait_for()
    report.locator("tbody tr").first.wait_for()
    headers = [h.strip() for h in report.locator("thead th").all_inner_texts()]
    row_at = headers.index("Ligne")
    column_at = headers.index("Colonne")
    value_at = headers.index("Valeur")
    bad_rows = [
        [c.strip() for c in row.locator("td, th").all_inner_texts()]
        for row in report.locator("tbody tr").all()
    ]
    assert any(
        cells[row_at] == "4"
        and cells[column_at] == "Début prévu"
        and cells[value_at] == "32/13/2026"
        for cells in bad_rows
    ), bad_rows

    # the sample is still the file in use, with its badge
    current = card.get_by_text("Fichier en place").inner_text()
    assert sample_name in current
    assert "planning_dates_illisibles.csv" not in current
    assert card.get_by_text("échantillon", exact=True).is_visible()

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "data_page.png"))
    # Streamlit scrolls inside its main block, not the document: a tall viewport shows it all
    page.set_viewport_size({"width": 1366, "height": 3400})
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "data_page_full.png"))
