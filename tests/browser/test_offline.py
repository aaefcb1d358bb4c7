"""The dashboard works with no internet: no page asks anything of another host (the page
icon and the icon font are served by the app itself)."""

from __future__ import annotations

from urllib.parse import urlparse

from ui.navigation import PAGES


def test_no_page_requests_another_host(browser, app_url):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")
    elsewhere: list[str] = []

    def note(request):
        host = urlparse(request.url).hostname
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host != "127.0.0.1":
            elsewhere.append(request.url)

    try:
        page = context.new_page()
        page.on("request", note)
        for spec in PAGES:
            page.goto(f"{app_url}/{'' if spec.default else spec.url_path}")
            page.wait_for_selector("[data-testid=stSidebarNav]", timeout=60_000)
            page.locator("[data-testid=stMain] [data-testid=stElementContainer]").first.wait_for(
                timeout=60_000
            )
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1000)
        icons = page.evaluate("[...document.querySelectorAll('link[rel*=icon]')].map(l => l.href)")
    finally:
        context.close()
    assert elsewhere == []
    assert icons and all(urlparse(icon).hostname in (None, "127.0.0.1") for icon in icons)
