"""The action plan edited in real Chromium: an editor types their name, opens the action plan's
editor, gives action A-01 another owner in the grid, saves, and finds the change in the item's
history (a new version, by them, the column that changed). The server has its own store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import running_app

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
NEW_OWNER = "Cabinet Tamesna"


@pytest.fixture(scope="module")
def editing_app(tmp_path_factory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("registers")) as url:
        yield url


def settle(page) -> None:
    """Wait until the script run that the last action started has finished."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")


def open_registers(page, url: str) -> None:
    page.goto(url.rstrip("/") + "/registers")
    page.wait_for_selector("[data-testid=stApp]")
    page.get_by_role("heading", name="Registres du COPIL", level=1).wait_for()
    page.get_by_text("Version en vigueur").wait_for()
    settle(page)


def test_an_action_edited_in_the_grid_is_a_new_version_in_its_history(page, editing_app):
    open_registers(page, editing_app)
    page.get_by_role("textbox", name="Importé par (votre nom)").fill("Nadia Benali")
    page.keyboard.press("Tab")
    settle(page)
    page.get_by_role("tab", name="Actions").click()
    panel = page.get_by_role("tabpanel", name="Actions")
    panel.get_by_text("Modifier ce registre").click()
    save = panel.get_by_role("button", name="Enregistrer le plan d'actions")
    save.wait_for()  # drawn under the editor: the editing run has come this far
    settle(page)
    grid = panel.locator("[data-testid=stDataFrame]")
    grid.wait_for()
    grid.locator("canvas").first.wait_for()
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    # the first data cell (A-01's id, right of the row-selection column, under the 35 px
    # header), then two columns right: « Responsable »
    page.mouse.click(box["x"] + 70, box["y"] + 35 + 17)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    editor = page.locator("#portal textarea, #portal input").first
    editor.wait_for()
    editor.fill(NEW_OWNER)
    page.keyboard.press("Enter")
    settle(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some("
        'b => b.innerText.includes("Enregistrer le plan d\'actions") && !b.disabled)'
    )
    save.click()
    success = page.locator("[data-testid=stAlertContentSuccess]").first
    success.wait_for()
    assert "Registres enregistrés : version n° 16." in success.inner_text()

    SHOTS.mkdir(exist_ok=True)
    history = page.locator(".st-key-registers-history")
    settle(page)
    picker = page.get_by_role("combobox", name="Élément")
    picker.click()
    picker.fill("A-01")  # the list is virtualised: filter it to the item, whatever is drawn
    page.get_by_role("option", name="A-01 · Actions").click()
    settle(page)
    rows = history.locator("[data-testid=stTable] tbody tr")
    rows.nth(1).wait_for()
    page.get_by_text("Modifié : Responsable").wait_for()
    texts = rows.all_inner_texts()
    page.screenshot(path=str(SHOTS / "registers_history_fr_1366.png"), full_page=True)
    assert len(texts) == 2  # added with the sample, then changed by the editor
    assert "Ajouté" in texts[0] and "échantillon" in texts[0]
    changed = texts[1]
    assert "Nadia Benali" in changed and "Modifié : Responsable" in changed
    assert NEW_OWNER in changed
