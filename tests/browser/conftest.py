"""A real Streamlit server and a real Chromium for the end-to-end tests.

The server is started once per session on a free port (``streamlit run app.py``, its own
process, ended by its PID) over a snapshot store of its own in a temporary folder; tests
that import files start another one with ``running_app``. The browser is Debian's Chromium
driven by Playwright, never a downloaded one.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from exports.chromium import CHROMIUM as CHROMIUM_PATH
from exports.chromium import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(CHROMIUM_PATH)
VIEWPORT = {"width": 1366, "height": 900}
SERVER_START_SECONDS = 90


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(
        f"streamlit did not answer within {SERVER_START_SECONDS}s:\n{log.read_text()}"
    )


@contextmanager
def running_app(
    folder: Path,
    env: dict[str, str] | None = None,
    *,
    port: int | None = None,
    args: list[str] | None = None,
) -> Iterator[str]:
    """``streamlit run app.py`` on a free port, its log in ``folder``, with ``env`` added to the
    environment; yields its URL and ends the server (by its PID) on exit. The snapshot store
    is ``folder/history.sqlite`` unless ``env`` names another ``TRACKER_DB``: a test never
    writes to the repository's ``var/``."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    log = folder / "server.log"
    env = {
        **os.environ,
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "TRACKER_DB": str(folder / "history.sqlite"),
        **(env or {}),
    }
    with log.open("wb") as output:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("streamlit")),
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                *(args or []),
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_healthy(url, server, log)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=5)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory) -> Iterator[str]:
    """The URL of the app on a free port, for the whole session, over its own store seeded
    with the sample (tests that import files start their own server: ``running_app``)."""
    with running_app(tmp_path_factory.mktemp("streamlit")) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator:
    # no skip: ./scripts/run_tests.sh installs Debian's chromium, a missing one is a failure
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    try:
        yield tab
    finally:
        context.close()
