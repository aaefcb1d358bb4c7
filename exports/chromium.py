"""Debian's Chromium as every part of the project drives it (the PDF note, the screenshots,
the browser tests): its path and the flags of a quiet headless run with no network of its own
(no sync, no update check, no QUIC)."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
