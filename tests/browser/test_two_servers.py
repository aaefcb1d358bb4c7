"""Several app servers on one PostgreSQL database, as behind a load balancer: two
``streamlit run`` processes on two ports, one ``TRACKER_DB=postgresql://…``. A file imported
through the first shows in the second on its next page view (its caches are keyed on the
snapshot ids read from the database, not on what the process remembers), and the second
server's history lists it with its importer."""

from __future__ import annotations

import pytest

from tests.browser.conftest import running_app
from tests.browser.test_import_history import FILE_NAME, schedule_week_48

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


def open_data_page(page, url: str) -> None:
    page.goto(url.rstrip("/") + "/data")
    page.get_by_role("heading", name="Données", level=1).wait_for()
    page.locator(".st-key-data-card-schedule").get_by_text("Fichier en place").wait_for()


def test_an_import_through_one_server_shows_on_the_other(
    browser, postgres_server, tmp_path_factory, tmp_path
):
    database = postgres_server.new_database()
    try:
        env = {"TRACKER_DB": database}
        with (
            running_app(tmp_path_factory.mktemp("first"), env) as first,
            running_app(tmp_path_factory.mktemp("second"), env) as second,
        ):
            one = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
            other = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
            try:
                page_one, page_two = one.new_page(), other.new_page()
                for tab in (page_one, page_two):
                    tab.set_default_timeout(60_000)
                # both servers show the seeded sample (the first to start seeded it)
                open_data_page(page_two, second)
                sidebar_two = page_two.locator("[data-testid=stSidebar]")
                sidebar_two.get_by_text("20/11/2026").wait_for()

                open_data_page(page_one, first)
                who = page_one.locator(".st-key-data-importer input")
                who.fill("Nadia Benali")
                who.press("Enter")
                page_one.wait_for_timeout(500)
                card = page_one.locator(".st-key-data-card-schedule")
                upload = tmp_path / FILE_NAME
                upload.write_bytes(schedule_week_48())
                card.locator("input[type=file]").set_input_files(upload)
                card.get_by_text(f"« {FILE_NAME} » est valide").wait_for()
                card.get_by_role("button", name="Confirmer l'import").click()
                card.get_by_text(f"« {FILE_NAME} » enregistré : instantané n° 16").wait_for()

                # the second server, on its next page view: the new data in use
                open_data_page(page_two, second)
                sidebar_two.get_by_text("27/11/2026").wait_for()
                schedule = page_two.locator(".st-key-data-card-schedule")
                assert f"Fichier en place : {FILE_NAME}" in schedule.inner_text()
                page_two.wait_for_function(
                    "() => document.querySelector('.st-key-data-history tbody td')"
                    "?.textContent === '16'"
                )
                row = page_two.locator(".st-key-data-history tbody tr").first
                cells = [c.strip() for c in row.locator("td[role=gridcell]").all_text_contents()]
                assert cells[0] == "16" and cells[3] == FILE_NAME and cells[6] == "Nadia Benali"
            finally:
                one.close()
                other.close()
    finally:
        postgres_server.drop_database(database)
