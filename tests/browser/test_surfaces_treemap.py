"""The Surfaces page in real Chromium: the treemap of the 2 027 m² draws a box for the total,
each category, each space type and each space, labels the categories and the 14 types (with
m² and share in French format), and shows a type's spaces when the type is clicked."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

CATEGORIES, TYPES, SPACES = 4, 14, 71


def plain(text: str | None) -> str:
    return (text or "").replace("\u202f", " ").replace("\u00a0", " ")


def slice_texts(treemap) -> list[str]:
    """The text drawn in each box (boxes deeper than the shown levels have none)."""
    return [plain(t).strip() for t in treemap.locator("g.slice text.slicetext").all_text_contents()]


def test_treemap_renders_categories_types_and_spaces(page, app_url):
    page.goto(app_url.rstrip("/") + "/surfaces")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.get_by_role("heading", name="Programme des surfaces", level=1).wait_for()
    page.get_by_text("Le programme annoncé est respecté").wait_for()
    treemap = page.locator(".js-plotly-plot").first
    treemap.locator("g.slice").first.wait_for()
    assert treemap.locator("g.slice").count() == 1 + CATEGORIES + TYPES + SPACES

    labelled = [text for text in slice_texts(treemap) if text]
    # the root, the categories and the types are labelled; the spaces wait for a click
    assert len(labelled) == 1 + CATEGORIES + TYPES
    assert labelled[0] == "Surface brute · 2 027 m²"
    assert "Espaces du programme · 1 070 m² · 52,8 %" in labelled
    assert "Bureaux start-up600 m²29,6 %" in labelled  # label, area, share on three lines
    assert "Coworking330 m²16,3 %" in labelled
    assert "Structure112 m²5,5 %" in labelled

    # the boxes have a size on screen: the chart is drawn, not just mounted
    office = treemap.locator("g.slice", has_text="Bureaux start-up").last
    box = office.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 150

    # clicking a type shows its spaces
    treemap.locator("g.slice", has_text="Coworking330").last.click()
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot g.slice text.slicetext'))"
        ".some(t => t.textContent.includes('Espace coworking B'))"
    )
    texts = slice_texts(treemap)
    assert any(t.startswith("R0-07 · Espace coworking A") for t in texts)
