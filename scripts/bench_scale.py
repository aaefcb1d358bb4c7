"""Benchmark (not a test): every page, the weekly review, the workbook and the finance import
at the scale of a large programme, each against its baseline run in the same process.

The programme is the sample grown by ``scripts/bench_data.py``: at scale 16, 4 000 tasks
(≈ 5 800 links), 308 budget lines, 2 002 contracts and avenants, 100 000 décomptes, 4 992
spaces. For each scale of ``--scales`` (1, 4, 16 by default) a store is filled with
``--weeks`` weekly situations (the schedule and the finance workbook of each week, built at
that week's status date, through ``store.check_bytes`` as a user's import; the room schedule
and the sample registers once). Then, each in a process of its own so its memory is its own:

- every page, first view after the data changed (caches cleared) and a warm rerun, through
  AppTest, with its ratio to the sample store (``open_seeded_store``, the baseline) and the
  server's peak memory after showing every page;
- the stakeholders' workbook, against a bare xlsxwriter constant-memory write of the same
  cells (read back from the workbook), and its peak memory;
- the latest finance import check, against a bare python-calamine read of the same file.

The growth from the smallest to the largest scale closes each table. Usage::

    PYTHONPATH=. .venv/bin/python scripts/bench_scale.py [--scales 1,4,16] [--weeks 52]
        [--finance-every 1] [--pages briefing,planning] [--cache /tmp/bench-scale]

Generated files are kept under ``--cache`` (by scale and week) and reused on the next run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAGES = ("briefing", "planning", "spending", "surfaces", "review", "registers", "data")
LAST_WEEK = dt.date(2026, 11, 20)


def timed(action) -> tuple[float, object]:
    began = time.perf_counter()
    result = action()
    return time.perf_counter() - began, result


def peak_mb() -> float:
    """This process's peak resident memory (``VmHWM``: ``ru_maxrss`` would carry the peak
    of the parent it was forked from)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- building the stores ---------------------------------------------------------------------


def cached_file(cache: Path, scale: float, day: dt.date, kind: str, build) -> bytes:
    path = cache / f"x{scale:g}" / f"{day:%Y-%m-%d}" / f"{kind}.xlsx"
    if path.exists():
        return path.read_bytes()
    data = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def build_store(db: Path, scale: float, weeks: int, cache: Path, finance_every: int = 1) -> dict:
    """A store with ``weeks`` weekly situations of the programme at ``scale``: the schedule
    of every week, the finance workbook every ``finance_every`` weeks and the last week."""
    from scripts import bench_data
    from store import check_bytes, store_checked
    from store.snapshots import open_store_at

    store = open_store_at(db)
    checks: list[float] = []
    names = {"schedule": "planning_travaux.xlsx", "finance": "suivi_financier.xlsx"}
    writers = {"schedule": bench_data.schedule_file, "finance": bench_data.finance_file}
    last_finance = b""
    days = bench_data.weekly_dates(LAST_WEEK, weeks)
    for index, day in enumerate(days):
        programme = None
        for kind, name in names.items():
            if kind == "finance" and (weeks - 1 - index) % finance_every:
                continue

            def build(kind=kind, day=day):
                nonlocal programme
                programme = programme or bench_data.programme_at(day, scale)
                return writers[kind](programme, day)

            data = cached_file(cache, scale, day, kind, build)
            seconds, checked = timed(lambda data=data, kind=kind, name=name: check_bytes(
                kind, name, data, "fr"))  # fmt: skip
            if not checked.accepted:
                raise SystemExit(f"x{scale} {day} {kind}: {checked.problems[:3]}")
            if kind == "finance":
                checks.append(seconds)
                last_finance = data
            at = dt.datetime.combine(day, dt.time(17, 0))
            store_checked(store, checked, "bench", at)
    programme = bench_data.programme_at(LAST_WEEK, scale)
    for kind, name, data in (
        ("floor-areas", "programme_surfaces.xlsx", bench_data.floor_file(programme, LAST_WEEK)),
        ("registers", "registres_copil.xlsx", (ROOT / "data" / "registres_copil.xlsx").read_bytes()),
    ):  # fmt: skip
        checked = check_bytes(kind, name, data, "fr")
        if not checked.accepted:
            raise SystemExit(f"x{scale} {kind}: {checked.problems[:3]}")
        store_checked(store, checked, "bench", dt.datetime.combine(LAST_WEEK, dt.time(18, 0)))
    digests = timed(lambda: record_digests(db))[0]
    return {"finance_check": checks[-1], "finance_file": last_finance, "digests": digests}


def record_digests(db: Path) -> None:
    """Each week's digest, as the Données page records it when the week's file is imported
    (``ui.data_import.record_latest_digest``): what a history imported through the app holds."""
    os.environ["TRACKER_DB"] = str(db)
    from store.current import weekly_situations
    from store.snapshots import open_store_at
    from ui.domain import week_digest_of

    for situation in weekly_situations(open_store_at(db)):
        week_digest_of(situation)


def bare_read_seconds(data: bytes) -> float:
    from python_calamine import CalamineWorkbook

    def read():
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]

    return min(timed(read)[0] for _ in range(2))


# --- measured in a process of their own ------------------------------------------------------


def measure_pages(db: str, pages: list[str]) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from i18n import translate

    os.environ["TRACKER_DB"] = db
    AppTest.from_file(str(ROOT / "app.py"), default_timeout=900).run()  # imports, store opened
    times = {}
    for page in pages:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
        if page == "briefing":
            first, _ = timed(at.run)
        else:
            at.run()
            st.cache_data.clear()  # the landing page's run filled them: start cold again
            st.cache_resource.clear()
            first, _ = timed(lambda at=at, page=page: at.switch_page(f"pages/{page}.py").run())
        warm, _ = timed(at.run)
        if at.exception:
            raise SystemExit(f"{page}: {at.exception[0].value}")
        failed = {translate(key, lang) for key in ("app.page_error", "app.part_error")
                  for lang in ("fr", "en")}  # fmt: skip
        if failed & {element.value for element in [*at.error, *at.warning]}:
            raise SystemExit(f"{page}: a part of the page failed (see the log above)")
        # after an import through the Données page: caches cleared, then what the import
        # does once stored (ui.data_import.record_latest_digest), then the page's first view
        st.cache_data.clear()
        st.cache_resource.clear()
        from store.current import weekly_situations
        from ui.data_import import record_latest_digest
        from ui.domain import _digest_key
        from ui.shared import store

        latest = weekly_situations(store())[-1]
        store().set_meta(_digest_key(latest), "")  # the week just imported: no digest yet
        recorded, _ = timed(record_latest_digest)
        after = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
        if page == "briefing":
            imported, _ = timed(after.run)
        else:
            after.run()
            imported, _ = timed(lambda a=after, p=page: a.switch_page(f"pages/{p}.py").run())
        times[page] = (first, warm, imported, recorded)
    return {"pages": times, "peak_mb": peak_mb()}


def measure_workbook(db: str) -> dict:
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    from exports.workbook import build_workbook, load_warnings, workbook_sources
    from loaders import load_project
    from store.current import current_tables
    from store.snapshots import open_store_at
    from views.situation import situation_of

    settings = load_project(ROOT / "data" / "project.toml")
    tables = current_tables(open_store_at(db))
    situation = situation_of(settings, tables.status_date, tables.frames)
    sources = workbook_sources(tables.results, tables.snapshots, {})
    before = peak_mb()
    seconds, content = timed(
        lambda: build_workbook(situation, sources, load_warnings(tables.results, "fr"), "fr")
    )
    after = peak_mb()
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    sheets = [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]
    cells = sum(len(row) for rows in sheets for row in rows)

    def bare():
        # the same cells, each written by its own typed call (blanks skipped), no format but
        # one for the dates, no sheet setup: the least a writer of these cells can do
        out = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True})
        date = out.add_format({"num_format": "dd/mm/yyyy"})
        for rows in sheets:
            sheet = out.add_worksheet()
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if isinstance(value, str):
                        if value:
                            sheet.write_string(r, c, value)
                    elif isinstance(value, bool):
                        sheet.write_boolean(r, c, value)
                    elif isinstance(value, int | float):
                        sheet.write_number(r, c, value)
                    elif isinstance(value, dt.date):
                        sheet.write_datetime(r, c, value, date)
        out.close()

    bare_seconds = min(timed(bare)[0] for _ in range(2))
    from exports.briefing_pdf import build_briefing_pdf
    from exports.briefing_pptx import build_briefing_pptx

    pdf = timed(lambda: build_briefing_pdf(situation, sources, "fr"))[0]
    pptx = timed(lambda: build_briefing_pptx(situation, sources, "fr"))[0]
    return {
        "pdf": pdf,
        "pptx": pptx,
        "seconds": seconds,
        "mb": len(content) / 1e6,
        "cells": cells,
        "bare": bare_seconds,
        "peak_mb": after,
        "peak_growth_mb": after - before,
    }


def measure_server(db: str) -> dict:
    """A real server (``streamlit run``, localhost) on ``db``; Chromium opens every page in
    turn; the server's resident memory after each page and its peak (``/proc``)."""
    import socket
    import urllib.request

    from playwright.sync_api import sync_playwright

    from exports.chromium import CHROMIUM, CHROMIUM_ARGS

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "TRACKER_DB": db}
    command = [str(ROOT / ".venv/bin/streamlit"), "run", "app.py", "--server.port", str(port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip

    def memory() -> dict:
        status = Path(f"/proc/{server.pid}/status").read_text().splitlines()
        fields = dict(line.split(":", 1) for line in status if ":" in line)
        return {k: int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM")}

    shown = {}
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            for name in PAGES:
                path = "" if name == "briefing" else name
                began = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/{path}")
                page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]",
                                       timeout=600_000)  # fmt: skip
                shown[name] = {"seconds": time.perf_counter() - began, **memory()}
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return shown


def in_process(*arguments: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, __file__, *arguments], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(arguments)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="1,4,16")
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument(
        "--finance-every", type=int, default=1, help="weeks between finance workbooks"
    )
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "bench-scale"))
    parser.add_argument("--measure-pages", help=argparse.SUPPRESS)
    parser.add_argument("--measure-workbook", help=argparse.SUPPRESS)
    parser.add_argument("--server", action="store_true", help="also a real server's memory")
    args = parser.parse_args()
    pages = [p for p in args.pages.split(",") if p]
    if args.measure_pages:
        print(json.dumps(measure_pages(args.measure_pages, pages)))
        return 0
    if args.measure_workbook:
        print(json.dumps(measure_workbook(args.measure_workbook)))
        return 0

    from loaders import load_project
    from store.current import open_seeded_store

    scales = [float(s) for s in args.scales.split(",")]
    cache = Path(args.cache)
    folder = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    sample_db = folder / "sample.sqlite"
    os.environ.pop("TRACKER_DB", None)
    open_seeded_store(load_project(ROOT / "data" / "project.toml"), sample_db)
    record_digests(sample_db)  # as the app's imports of the sample's weeks would have

    stores = {}
    print(
        f"{'scale':<6} {'weeks':>5} {'built':>8} {'digests':>8} {'check':>7} {'bare read':>10}"
        f" {'ratio':>6}"
    )
    for scale in scales:
        db = folder / f"x{scale:g}.sqlite"
        seconds, built = timed(
            lambda db=db, scale=scale: build_store(db, scale, args.weeks, cache, args.finance_every)
        )
        bare = bare_read_seconds(built["finance_file"])
        stores[scale] = db
        print(
            f"x{scale:<5g} {args.weeks:>5} {seconds:>7.0f}s {built['digests']:>7.1f}s"
            f" {built['finance_check']:>6.2f}s"
            f" {bare:>9.2f}s {built['finance_check'] / bare:>5.1f}×"
        )

    runs = {"sample": in_process("--measure-pages", str(sample_db), "--pages", ",".join(pages))}
    for scale, db in stores.items():
        runs[scale] = in_process("--measure-pages", str(db), "--pages", ",".join(pages))
    print("\nfirst view (cold: caches cleared) / warm rerun, seconds; ratio of the first view")
    print("to the sample's; then the first view after an import through the app (which spends")
    print("the time in brackets computing the new week once, at the import)")
    head = f"{'page':<10} {'sample':>12}"
    for scale in scales:
        head += f" {'x' + format(scale, 'g'):>20}"
    print(head + f" {'growth':>8}")
    for page in pages:
        small = runs["sample"]["pages"][page]
        line = f"{page:<10} {small[0]:>5.2f}/{small[1]:<5.2f} "
        for scale in scales:
            first, warm = runs[scale]["pages"][page][:2]
            line += f" {first:>5.2f}/{warm:<5.2f}({first / small[0]:>4.1f}×)"
        low, high = runs[scales[0]]["pages"][page], runs[scales[-1]]["pages"][page]
        print(line + f" {high[0] / low[0]:>7.1f}×")
    for page in pages:
        line = f"{page:<10} after import:"
        for scale in scales:
            _first, _warm, imported, recorded = runs[scale]["pages"][page]
            line += f"  x{scale:g} {imported:.2f}s (+{recorded:.2f}s at import)"
        print(line)
    memory = "  ".join(f"x{s:g} {runs[s]['peak_mb']:.0f} MB" for s in scales)
    print(
        f"server peak memory after every page: sample {runs['sample']['peak_mb']:.0f} MB  {memory}"
    )

    if args.server:
        print("\na real server (streamlit run) showing every page in Chromium, in turn:")
        for label, db in [("sample", sample_db), *((f"x{k:g}", v) for k, v in stores.items())]:
            shown = measure_server(str(db))
            pages_text = "  ".join(f"{n} {v['seconds']:.1f}s" for n, v in shown.items())
            last = list(shown.values())[-1]
            print(f"{label:<7} resident {last['VmRSS']:.0f} MB, peak {last['VmHWM']:.0f} MB;"
                  f" page loads {pages_text}")  # fmt: skip

    print("\nworkbook")
    books = {scale: in_process("--measure-workbook", str(db)) for scale, db in stores.items()}
    for scale, book in books.items():
        print(
            f"x{scale:<5g} {book['seconds']:>6.2f}s {book['mb']:>5.1f} MB {book['cells']:>9} cells,"
            f" bare write {book['bare']:.2f}s: {book['seconds'] / book['bare']:.2f}×;"
            f" peak {book['peak_mb']:.0f} MB (+{book['peak_growth_mb']:.0f} MB while writing);"
            f" briefing note (PDF) {book['pdf']:.2f}s, slides {book['pptx']:.2f}s"
        )
    low, high = books[scales[0]], books[scales[-1]]
    print(f"growth x{scales[0]:g} → x{scales[-1]:g}: {high['seconds'] / low['seconds']:.1f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
