"""The action plan edited in real Chromium: an editor types their name, opens the action plan's
editor, gives action A-01 another owner in the grid, saves, and finds the change in the item's
history (a new version, by them, the column that changed). The server has its own store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

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


def cell_id(grid, column: str, first_cell: str) -> str:
    """The id of the cell of ``column`` in the row whose first cell is ``first_cell``, read
    from the accessible table the grid keeps beside its canvas (``glide-cell-COL-ROW``)."""
    header = grid.locator("th[role=columnheader]", has_text=column).first
    col = int(header.get_attribute("aria-colindex"))
    first = grid.locator("td[role=gridcell][aria-colindex='1']", has_text=first_cell).first
    row = int(first.get_attribute("id").rsplit("-", 1)[1])
    return f"glide-cell-{col}-{row}"


def selected_cell(grid) -> str | None:
    cell = grid.locator("td[role=gridcell][aria-selected=true]")
    return cell.first.get_attribute("id") if cell.count() else None


def select_cell(page, grid, target: str) -> None:
    """Select the cell ``target`` whatever the grid's layout: click a data cell, then move
    with the arrow keys, reading after each key which cell the grid says is selected."""
    box = grid.bounding_box()
    assert box is not None
    # a data cell: right of the row-selection column, under the 35 px header
    page.mouse.click(box["x"] + 70, box["y"] + 35 + 17)
    page.wait_for_function(
        "grid => grid.querySelector('td[role=gridcell][aria-selected=true]')",
        arg=grid.element_handle(),
    )
    want_col, want_row = (int(part) for part in target.split("-")[2:])
    for _ in range(40):
        current = selected_cell(grid)
        if current == target:
            return
        col, row = (int(part) for part in current.split("-")[2:])
        if row != want_row:
            page.keyboard.press("ArrowDown" if row < want_row else "ArrowUp")
        else:
            page.keyboard.press("ArrowRight" if col < want_col else "ArrowLeft")
        page.wait_for_function(
            "([grid, was]) => {"
            " const cell = grid.querySelector('td[role=gridcell][aria-selected=true]');"
            " return cell && cell.id !== was; }",
            arg=[grid.element_handle(), current],
        )
    raise AssertionError(f"the grid never selected {target} (last: {selected_cell(grid)})")


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
    target = cell_id(grid, "Responsable", "A-01")
    select_cell(page, grid, target)
    page.keyboard.press("Enter")
    editor = page.locator("#portal textarea, #portal input").first
    editor.wait_for()
    editor.fill(NEW_OWNER)
    page.keyboard.press("Enter")
    settle(page)
    # the grid's own accessible table says which cell now holds the new owner
    expect(grid.locator(f"#{target}")).to_have_text(NEW_OWNER)
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
