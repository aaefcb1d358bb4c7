"""A first visitor who opens a page's address directly gets that page inside app.py's
navigation (menu, sidebar), not Streamlit's "Page not found": on a server started the
plain way (``streamlit run app.py``), whose very first session this is."""

from __future__ import annotations

import pytest

from tests.browser.conftest import running_app


@pytest.mark.parametrize(("path", "title"), [("spending", "Dépenses"), ("review", "Revue")])
def test_a_first_visitor_opening_a_page_directly_gets_it_with_the_navigation(
    browser, tmp_path, path, title
):
    with running_app(tmp_path) as url:
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")
        try:
            page = context.new_page()
            page.goto(f"{url}/{path}")
            page.wait_for_selector("[data-testid=stSidebarNav]", timeout=60_000)
            heading = page.locator("h1").first
            heading.wait_for(timeout=60_000)
            assert heading.inner_text().startswith(title)
            page.wait_for_timeout(1500)  # a "Page not found" dialog would be up by now
            assert page.get_by_text("Page not found").count() == 0
            menu = page.locator("[data-testid=stSidebarNav]").inner_text()
            assert "Synthèse" in menu and "Données" in menu
            assert page.url.rstrip("/").endswith(f"/{path}")
        finally:
            context.close()
