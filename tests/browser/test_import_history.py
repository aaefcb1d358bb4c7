"""Import through the Données page in real Chromium: upload this week's schedule, read the
preview of what it changes, confirm, and find it in the history of imports (and download the
original back, byte for byte). The server has its own snapshot store: the import stays there."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from tests.browser.conftest import running_app
from ui.shared import settings

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
FILE_NAME = "planning_S48.xlsx"


def schedule_week_48() -> bytes:
    """The sample schedule as the next week's file: "Situation au 27/11/2026", T52 at 90 %
    and one new task."""
    book = openpyxl.load_workbook(settings().data_files["schedule"])
    sheet = book["Planning"]
    sheet["A3"] = "Situation au 27/11/2026"
    for row in sheet.iter_rows(min_row=6):
        if row[0].value == "T52":
            row[9].value = 0.9
    sheet.append(
        ["T70", "Réception", "Nettoyage de fin de chantier", dt.datetime(2026, 12, 10),
         dt.datetime(2026, 12, 14), dt.datetime(2027, 1, 11), dt.datetime(2027, 1, 15),
         None, None, 0, "T68", "Non", None, None]
    )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def importing_app(tmp_path_factory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("import")) as url:
        yield url


def test_a_file_imported_through_the_page_is_stored_and_listed(page, importing_app, tmp_path):
    page.goto(importing_app.rstrip("/") + "/data")
    page.get_by_role("heading", name="Données", level=1).wait_for()
    card = page.locator(".st-key-data-card-schedule")
    card.get_by_text("Fichier en place").wait_for()
    assert "Date de situation : 20/11/2026" in page.locator("[data-testid=stSidebar]").inner_text()

    who = page.locator(".st-key-data-importer input")
    who.fill("Nadia Benali")
    who.press("Enter")
    page.wait_for_timeout(500)

    upload = tmp_path / FILE_NAME
    content = schedule_week_48()
    upload.write_bytes(content)
    card.locator("input[type=file]").set_input_files(upload)
    card.get_by_text(f"« {FILE_NAME} » est valide").wait_for()

    # the preview: one task added, one changed, the new status date, and the key figures
    changes = page.locator(".st-key-data-changes-schedule")
    changes.locator("td[role=gridcell]").first.wait_for(state="attached")
    page.wait_for_function(
        "() => document.querySelector('.st-key-data-changes-schedule tbody td')?.textContent"
        " === 'Planning'"
    )
    cells = [c.strip() for c in changes.locator("tbody tr").first.locator("td").all_text_contents()]
    assert cells == ["Planning", "69", "70", "1", "1", "0"], cells
    tasks = card.locator("[data-testid=stMetric]", has_text="Tâches et jalons")
    assert "70" in tasks.inner_text() and "+1" in tasks.inner_text()
    assert "27/11/2026" in card.inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    card.screenshot(path=str(SHOTS / "data_import_preview.png"))

    card.get_by_role("button", name="Confirmer l'import").click()
    card.get_by_text(f"« {FILE_NAME} » enregistré : instantané n° 16").wait_for()
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text("27/11/2026").wait_for()
    assert f"Fichier en place : {FILE_NAME}" in card.inner_text()

    # the history: the new snapshot first, chosen for download, its original bytes back
    history = page.locator(".st-key-data-history")
    history.scroll_into_view_if_needed()
    first_row = history.locator("tbody tr").first  # the grid's accessible table
    first_row.locator("td[role=gridcell]").first.wait_for(state="attached")
    page.wait_for_function(
        "() => document.querySelector('.st-key-data-history tbody td')?.textContent === '16'"
    )
    cells = [c.strip() for c in first_row.locator("td[role=gridcell]").all_text_contents()]
    # (the grid's accessible copy holds the typed date; the canvas draws it 27/11/2026)
    assert cells[:4] == ["16", "en place", "planning", FILE_NAME], cells
    assert cells[4].startswith("2026-11-27"), cells
    assert cells[6] == "Nadia Benali"
    picker = page.locator(".st-key-data-history-pick input")
    assert picker.input_value() == f"n° 16 — {FILE_NAME} (planning, situation au 27/11/2026)"
    with page.expect_download() as download:
        page.locator(".st-key-data-history-download button").click()
    assert download.value.suggested_filename == FILE_NAME
    assert Path(download.value.path()).read_bytes() == content
    page.set_viewport_size({"width": 1366, "height": 3400})
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "data_after_import.png"))
