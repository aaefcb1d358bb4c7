"""Benchmark (not a test): the pages, the workbook and the finance import at the scale of a
large ledger, each against its baseline run in the same process.

Two stores: the sample history (the baseline), and the same with a finance workbook of
``--rows`` décompte rows (the sample's ledger repeated, ``tests.pages.test_cache_keys``)
imported as the latest situation's. For each page: the first view after the data changed
(caches cleared, as after an import) and a warm rerun, through AppTest, with the ratio of
the large store to the sample. Then the stakeholders' workbook (against a bare xlsxwriter
constant-memory write of as many cells) and the finance import check (against a bare
python-calamine read of the same file). Usage::

    PYTHONPATH=. .venv/bin/python scripts/bench_scale.py [--rows 100000] [--pages briefing,spending]

What it does not build yet (issue 16): 4 000 tasks, 2 000 contracts, 5 000 spaces, a year of
weekly situations.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAGES = ("briefing", "planning", "spending", "surfaces", "review", "registers", "data")


def timed(action) -> tuple[float, object]:
    began = time.perf_counter()
    result = action()
    return time.perf_counter() - began, result


def page_times(db: Path, page: str) -> tuple[float, float]:
    """First view (caches cleared) and warm rerun of ``page`` on the store ``db``."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["TRACKER_DB"] = str(db)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    if page == "briefing":
        first, _ = timed(at.run)
    else:
        at.run()
        st.cache_data.clear()  # the landing page's run filled them: start cold again
        first, _ = timed(lambda: at.switch_page(f"pages/{page}.py").run())
    warm, _ = timed(at.run)
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].value}")
    return first, warm


def bare_write_seconds(cells: int) -> float:
    """xlsxwriter in constant-memory mode writing ``cells`` numbers, 10 a row."""
    import xlsxwriter

    def write():
        book = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True})
        sheet = book.add_worksheet()
        row = [1.5] * 10
        for index in range(cells // 10):
            sheet.write_row(index, 0, row)
        book.close()

    return timed(write)[0]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args()
    pages = [p for p in args.pages.split(",") if p]

    from python_calamine import CalamineWorkbook

    from exports.workbook import build_workbook, load_warnings, workbook_sources
    from loaders import load_project
    from store import check_bytes, store_checked
    from store.current import current_tables, open_seeded_store
    from tests.pages.test_cache_keys import large_finance_workbook
    from views.situation import situation_of

    settings = load_project(ROOT / "data" / "project.toml")
    folder = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    sample_db, large_db = folder / "sample.sqlite", folder / "large.sqlite"
    os.environ.pop("TRACKER_DB", None)
    open_seeded_store(settings, sample_db)
    large = open_seeded_store(settings, large_db)
    built, data = timed(lambda: large_finance_workbook(args.rows, 0.0))
    print(
        f"finance workbook of {args.rows} décompte rows: {len(data) / 1e6:.1f} MB ({built:.1f} s)"
    )

    check, checked = timed(lambda: check_bytes("finance", "suivi_financier.xlsx", data, "fr"))
    bare, _ = timed(
        lambda: [
            CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name).to_python()
            for name in CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names
        ]
    )
    print(f"import check: {check:.2f} s, bare calamine read {bare:.2f} s: {check / bare:.1f}×")
    stored, _ = timed(lambda: store_checked(large, checked, "bench"))
    print(f"stored in {stored:.2f} s")

    print(f"\n{'page':<10} {'first (sample)':>15} {'first (large)':>14} {'ratio':>6}"
          f" {'warm (sample)':>14} {'warm (large)':>13} {'ratio':>6}")  # fmt: skip
    for page in pages:
        small_first, small_warm = page_times(sample_db, page)
        big_first, big_warm = page_times(large_db, page)
        print(
            f"{page:<10} {small_first:>14.2f}s {big_first:>13.2f}s {big_first / small_first:>5.1f}×"
            f" {small_warm:>13.2f}s {big_warm:>12.2f}s {big_warm / small_warm:>5.1f}×"
        )

    tables = current_tables(large)
    situation = situation_of(settings, tables.status_date, tables.frames)
    sources = workbook_sources(tables.results, tables.snapshots, {})
    seconds, content = timed(
        lambda: build_workbook(situation, sources, load_warnings(tables.results, "fr"), "fr")
    )
    cells = sum(len(frame) * len(frame.columns) for frame in tables.frames.values())
    bare = bare_write_seconds(cells)
    print(
        f"\nworkbook: {seconds:.2f} s ({len(content) / 1e6:.1f} MB), bare constant-memory write"
        f" of {cells} cells {bare:.2f} s: {seconds / bare:.1f}×"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
