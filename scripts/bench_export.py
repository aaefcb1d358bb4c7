"""Benchmark the stakeholders' workbook (a script, not a test).

    PYTHONPATH=. .venv/bin/python scripts/bench_export.py [--rows 100000] [--runs 3]

Times ``build_workbook`` on the bundled sample and on the sample with a synthetic ledger of
``--rows`` décomptes, against two bare xlsxwriter ``constant_memory`` writes (no formats, no
widths, no other work): the ledger's rows alone, as this script always did, and every cell
of the large workbook read back (python-calamine) and written again row by row, the baseline
of issue 16 (``scripts/bench_scale.py`` measures the same way). Wall-clock and CPU seconds
(the CPU time is steadier on a shared machine); then, each in a process of its own, the peak
memory of building the large workbook (``VmHWM``, the peak of the build itself once the
situation is computed, and the situation's own), the peak of the build's own Python
allocations (``tracemalloc``), and the bare write's peak.

Targets (issue 16): the sample under 1 s; the large workbook at most 1.5× the bare write of
the same cells and under 400 MB at its peak.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xlsxwriter  # noqa: E402

from exports.workbook import SourceInfo, build_workbook  # noqa: E402
from loaders import (  # noqa: E402
    load_budget_lines,
    load_contracts,
    load_floor_areas,
    load_project,
    load_schedule,
    load_spending,
)
from tracking.situation import compute_situation  # noqa: E402

DATA = REPO / "data"
STATUS = dt.date(2026, 11, 20)
SOURCES = [SourceInfo("schedule", "planning_travaux.xlsx")]
#: issue 16's limits for the large workbook
MAX_RATIO = 1.5
MAX_PEAK_MB = 400


def big_ledger(ledger: pd.DataFrame, rows: int) -> pd.DataFrame:
    """``rows`` décomptes drawn from the sample's, amounts scaled so the totals stay sane."""
    rng = np.random.default_rng(7)
    picks = ledger.iloc[rng.integers(0, len(ledger), rows)].reset_index(drop=True)
    scale = len(ledger) / rows
    return picks.assign(
        amount=(picks["amount"] * scale).round(2),
        retention=(picks["retention"] * scale).round(2),
        reference=[f"DP{i}" for i in range(rows)],
        source_row=np.arange(6, rows + 6),
    ).astype({"reference": "str"})


def bare_write(ledger: pd.DataFrame, path: Path) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    columns = list(ledger.columns)
    sheet.write_row(0, 0, columns)
    values = ledger.astype(object).where(ledger.notna(), None).to_numpy()
    for index, row in enumerate(values, start=1):
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, pd.Timestamp):
                sheet.write_datetime(index, col, value.to_pydatetime())
            elif isinstance(value, str):
                sheet.write_string(index, col, value)
            elif isinstance(value, bool | np.bool_):
                sheet.write_boolean(index, col, bool(value))
            else:
                sheet.write_number(index, col, float(value))
    workbook.close()


def workbook_cells(content: bytes) -> list[list[list]]:
    """Every sheet of a workbook as rows of values (python-calamine, as a reader sees them)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]


def bare_write_cells(sheets: list[list[list]], path: Path) -> None:
    """The same cells written again, row by row, in a constant-memory workbook."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    for rows in sheets:
        sheet = workbook.add_worksheet()
        for index, row in enumerate(rows):
            sheet.write_row(index, 0, row)
    workbook.close()


def measure(function, runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``runs`` calls."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def frames_of_sample() -> tuple:
    settings = load_project(DATA / "project.toml")
    finance = DATA / "suivi_financier.xlsx"
    frames = {
        "schedule": load_schedule(DATA / "planning_travaux.xlsx").frame,
        "budget": load_budget_lines(finance).frame,
        "contracts": load_contracts(finance).frame,
        "spending": load_spending(finance).frame,
        "floor_areas": load_floor_areas(DATA / "programme_surfaces.xlsx").frame,
    }
    return settings, frames


def situation_with(settings, frames, spending):
    return compute_situation(
        settings,
        STATUS,
        schedule=frames["schedule"],
        budget=frames["budget"],
        contracts=frames["contracts"],
        spending=spending,
        floor_areas=frames["floor_areas"],
    )


def _status_mb(key: str) -> float | None:
    """A figure of ``/proc/self/status`` (Linux), in MB."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def peak_mb() -> float:
    """The process's peak resident memory. ``VmHWM`` where Linux gives it: ``ru_maxrss``
    counts the parent's memory at the fork that started this process."""
    peak = _status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Forget the peak so far (Linux: ``clear_refs``), so that the next peak is a build's."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def memory_of(what: str, rows: int) -> dict:
    """In this process (run by ``memory_in_process``): the peak memory of one build of the
    large workbook (``build``), of the same build traced (``traced``), or of the bare write
    of its cells (``bare``); each after the situation is computed, its own peak forgotten."""
    settings, frames = frames_of_sample()
    large = situation_with(settings, frames, big_ledger(frames["spending"], rows))
    situation_peak = peak_mb()
    if what == "bare":
        sheets = workbook_cells(build_workbook(large, SOURCES, [], "fr"))
        before = _status_mb("VmRSS") or peak_mb()
        reset_peak()
        with tempfile.TemporaryDirectory() as folder:
            bare_write_cells(sheets, Path(folder) / "bare.xlsx")
        return {"before_mb": before, "peak_mb": peak_mb()}
    if what == "traced":
        import tracemalloc

        tracemalloc.start()
        build_workbook(large, SOURCES, [], "fr")
        _, traced = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return {"traced_mb": traced / 2**20}
    before = _status_mb("VmRSS") or peak_mb()
    reset_peak()
    build_workbook(large, SOURCES, [], "fr")
    return {"situation_peak_mb": situation_peak, "before_mb": before, "peak_mb": peak_mb()}


def memory_in_process(what: str, rows: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, __file__, "--memory", what, "--rows", str(rows)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory", choices=("build", "traced", "bare"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory:
        print(json.dumps(memory_of(args.memory, args.rows)))
        return 0
    settings, frames = frames_of_sample()
    sample = situation_with(settings, frames, frames["spending"])
    ledger = big_ledger(frames["spending"], args.rows)
    large = situation_with(settings, frames, ledger)
    large_workbook = build_workbook(large, SOURCES, [], "fr")
    sheets = workbook_cells(large_workbook)
    cells = sum(len(row) for rows in sheets for row in rows)
    with tempfile.TemporaryDirectory() as folder:
        bare_path = Path(folder) / "bare.xlsx"
        results = {
            "sample workbook": measure(
                lambda: build_workbook(sample, SOURCES, [], "fr"), args.runs
            ),
            "sample situation + workbook": measure(
                lambda: build_workbook(
                    situation_with(settings, frames, frames["spending"]), SOURCES, [], "fr"
                ),
                args.runs,
            ),
            f"workbook, {args.rows:,}-row ledger": measure(
                lambda: build_workbook(large, SOURCES, [], "fr"), args.runs
            ),
            f"bare constant_memory, the ledger's {args.rows:,} rows": measure(
                lambda: bare_write(ledger, bare_path), args.runs
            ),
            f"bare constant_memory, the workbook's {cells:,} cells": measure(
                lambda: bare_write_cells(sheets, bare_path), args.runs
            ),
        }
    width = max(len(name) for name in results)
    print(f"Median of {args.runs} run(s), seconds: wall-clock, CPU")
    for name, (wall, cpu) in results.items():
        print(f"{name:<{width}}  {wall:8.3f}  {cpu:8.3f}")
    (sample_wall, _), _, (large_wall, large_cpu), ledger_bare, cells_bare = results.values()
    print(
        f"\nlarge workbook / bare write of the ledger: {large_wall / ledger_bare[0]:.2f}x"
        f" (CPU {large_cpu / ledger_bare[1]:.2f}x)"
    )
    ratio, cpu_ratio = large_wall / cells_bare[0], large_cpu / cells_bare[1]
    verdict = "PASS" if ratio <= MAX_RATIO else "FAIL"
    print(
        f"large workbook / bare write of the same cells: {ratio:.2f}x (CPU {cpu_ratio:.2f}x):"
        f" {verdict} (at most {MAX_RATIO}x)"
    )
    verdict = "PASS" if sample_wall < 1.0 else "FAIL"
    print(f"sample under 1 s: {verdict} ({sample_wall:.3f} s)")

    build = memory_in_process("build", args.rows)
    traced = memory_in_process("traced", args.rows)
    bare = memory_in_process("bare", args.rows)
    peak = max(build["peak_mb"], build["situation_peak_mb"])
    verdict = "PASS" if peak <= MAX_PEAK_MB else "FAIL"
    print(
        f"\nPeak memory, a process of its own each:\n"
        f"  large workbook: {build['peak_mb']:.0f} MB at the build's peak, from"
        f" {build['before_mb']:.0f} MB with the situation computed (whose own peak was"
        f" {build['situation_peak_mb']:.0f} MB): {verdict} (at most {MAX_PEAK_MB} MB)\n"
        f"  the build's own Python allocations at their peak (tracemalloc):"
        f" {traced['traced_mb']:.0f} MB\n"
        f"  bare write of the same cells: {bare['peak_mb'] - bare['before_mb']:+.0f} MB at its"
        f" peak over the {bare['before_mb']:.0f} MB its process held (the cells read back)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
