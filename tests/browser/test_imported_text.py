"""Imported text is shown as text, in real Chromium: a payee, a budget line, a décompte
reference, a lot, a task name and a task id holding Markdown, HTML and bare addresses make no
link, no image and no request, on any page; the words are shown as typed."""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from loaders import load_project
from store import SQLiteSnapshotStore, import_bytes
from tests.browser.conftest import free_port, running_app

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["briefing", "planning", "spending", "surfaces", "review", "data"]


class PixelServer(http.server.ThreadingHTTPServer):
    """Counts every request: an image or a prefetch from an imported cell would land here."""

    hits: list[str]


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.server.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_args):
        pass


@pytest.fixture(scope="module")
def pixel() -> Iterator[PixelServer]:
    server = PixelServer(("127.0.0.1", free_port()), _Handler)
    server.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()


def hostile_finance(pixel_url: str) -> bytes:
    book = openpyxl.load_workbook(ROOT / "data" / "suivi_financier.xlsx")
    book["Budget"]["B11"] = "[phish](http://evil.example/) **gras** :red[rouge] $x^2$"
    contracts = book["Marchés"]
    contracts["D6"] = f"![x]({pixel_url}/payee.png)"
    ledger = book["Décomptes"]
    ledger["A6"] = ":material/home: www.evil.example"
    ledger["C6"] = f"![x]({pixel_url}/ledger.png)"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def hostile_schedule(pixel_url: str) -> bytes:
    book = openpyxl.load_workbook(ROOT / "data" / "planning_travaux.xlsx")
    sheet = book["Planning"]
    for row in sheet.iter_rows(min_row=6):
        if row[1].value == "Installation de chantier":
            row[1].value = '<a href="http://evil.example/">Lot piégé</a>'
        if row[0].value == "T01":
            row[2].value = f"<img src={pixel_url}/task.png> OS"
        if row[0].value == "T02":
            row[0].value = "<b>T02"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory, pixel) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "history.sqlite"
    store = SQLiteSnapshotStore(db)
    pixel_url = f"http://127.0.0.1:{pixel.server_address[1]}"
    settings = load_project(ROOT / "data" / "project.toml")
    for kind, name, data in (
        ("finance", "finance_piegee.xlsx", hostile_finance(pixel_url)),
        ("schedule", "planning_piege.xlsx", hostile_schedule(pixel_url)),
        ("floor-areas", "surfaces.xlsx", (ROOT / "data" / "programme_surfaces.xlsx").read_bytes()),
    ):
        result = import_bytes(store, kind, name, data, "test", limits=settings.read_limits)
        assert result.status == "stored", [p.message for p in result.problems]
    with running_app(folder, env={"TRACKER_DB": str(db)}) as url:
        yield url


def open_page(page, url: str) -> None:
    page.goto(url)
    page.locator("[data-testid=stSidebar]").get_by_text("Date de situation").wait_for()
    page.wait_for_timeout(1500)  # charts and tables finish drawing


@pytest.mark.parametrize("path", PAGES)
def test_no_link_image_or_request_comes_from_a_cell(page, hostile_app, pixel, path):
    open_page(page, f"{hostile_app}/{path}")
    assert page.locator("a[href*='evil.example']").count() == 0
    assert page.locator("img[src*='127.0.0.1']").count() == 0
    assert page.locator("[data-testid=stMarkdownContainer] .katex").count() == 0
    assert pixel.hits == []
    assert "This app has encountered an error" not in page.content()


def test_the_words_are_shown_as_typed(page, hostile_app):
    open_page(page, f"{hostile_app}/spending")
    body = page.locator("[data-testid=stMain]")
    body.get_by_text("Alertes").first.wait_for()
    text = body.inner_text().replace("\u2060", "")
    assert "[phish](http://evil.example/) **gras** :red[rouge] $x^2$" in text


def test_the_gantt_shows_a_lot_named_with_html_as_text(page, hostile_app):
    open_page(page, f"{hostile_app}/planning")
    gantt = page.locator(".js-plotly-plot").first
    gantt.locator(".main-svg").first.wait_for()
    labels = gantt.inner_text() + " ".join(gantt.locator("text").all_text_contents())
    assert "Lot piégé" in labels
    assert gantt.locator("a").count() == 0
    assert any("<b>T02" in t or "T02" in t for t in gantt.locator("text").all_text_contents())
