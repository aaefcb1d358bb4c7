"""Screenshots of every page in headless Chromium, for the README and for looking at them.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--width 1366] [--full]

Starts ``streamlit run app.py`` on a free port, opens each page with Playwright driving
Debian's /usr/bin/chromium, waits for its charts, saves ``<page>.png``, and stops the server.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from exports.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

LANGUAGE_LABELS = {"en": "English", "fr": "Français"}
#: url path -> (file name, whether the page draws plotly charts)
PAGES = {
    "": ("briefing", True),
    "planning": ("planning", True),
    "surfaces": ("surfaces", True),
    "spending": ("spending", True),
    "review": ("review", True),
    "data": ("data", False),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/streamlit"),
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("streamlit did not start")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--full", action="store_true", help="whole page, not just the first screen")
    parser.add_argument("--lang", default="fr", choices=["fr", "en"])
    parser.add_argument("--suffix", default="", help="added to each file name, e.g. _en_1366")
    parser.add_argument("pages", nargs="*", default=list(PAGES), help="url paths; '' = Synthèse")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = start_server(port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            for path in args.pages:
                name, has_charts = PAGES[path]
                page.goto(f"http://127.0.0.1:{port}/{path}")
                page.wait_for_selector("[data-testid=stApp]")
                if has_charts:
                    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
                if args.lang != "fr":
                    page.get_by_text(LANGUAGE_LABELS[args.lang], exact=True).click()
                    page.wait_for_timeout(1500)
                    if has_charts:
                        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
                page.wait_for_timeout(1500)
                target = out / f"{name}{args.suffix}.png"
                if args.full:
                    # Streamlit scrolls inside its main block: grow the window to its height
                    height = page.evaluate(
                        "document.querySelector('[data-testid=stMain]').scrollHeight"
                    )
                    page.set_viewport_size({"width": args.width, "height": max(height, 400)})
                    page.wait_for_timeout(800)
                page.screenshot(path=str(target), full_page=args.full)
                page.set_viewport_size({"width": args.width, "height": args.height})
                print(target)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
