"""Benchmark the stakeholders' workbook (a script, not a test).

    .venv/bin/python scripts/bench_export.py [--rows 100000] [--runs 3]

Times ``build_workbook`` on the bundled sample and on the sample with a synthetic ledger of
``--rows`` décomptes, and a bare xlsxwriter ``constant_memory`` write of the same ledger rows
(no formats, no other sheet) as the baseline; prints seconds and ratios. Target: the sample
under 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
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


def median_time(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    settings = load_project(DATA / "project.toml")
    finance = DATA / "suivi_financier.xlsx"
    frames = {
        "schedule": load_schedule(DATA / "planning_travaux.xlsx").frame,
        "budget": load_budget_lines(finance).frame,
        "contracts": load_contracts(finance).frame,
        "spending": load_spending(finance).frame,
        "floor_areas": load_floor_areas(DATA / "programme_surfaces.xlsx").frame,
    }
    sources = [SourceInfo("schedule", "planning_travaux.xlsx")]

    def sample_situation(spending):
        return compute_situation(
            settings,
            STATUS,
            schedule=frames["schedule"],
            budget=frames["budget"],
            contracts=frames["contracts"],
            spending=spending,
            floor_areas=frames["floor_areas"],
        )

    sample = sample_situation(frames["spending"])
    ledger = big_ledger(frames["spending"], args.rows)
    large = sample_situation(ledger)
    with tempfile.TemporaryDirectory() as folder:
        bare_path = Path(folder) / "bare.xlsx"
        results = {
            "sample workbook": median_time(
                lambda: build_workbook(sample, sources, [], "fr"), args.runs
            ),
            "sample situation + workbook": median_time(
                lambda: build_workbook(sample_situation(frames["spending"]), sources, [], "fr"),
                args.runs,
            ),
            f"workbook, {args.rows:,}-row ledger": median_time(
                lambda: build_workbook(large, sources, [], "fr"), args.runs
            ),
            f"bare xlsxwriter constant_memory, {args.rows:,} rows": median_time(
                lambda: bare_write(ledger, bare_path), args.runs
            ),
        }
    width = max(len(name) for name in results)
    print(f"Median of {args.runs} run(s), seconds")
    for name, seconds in results.items():
        print(f"{name:<{width}}  {seconds:8.3f}")
    keys = list(results)
    ratio = results[keys[2]] / results[keys[3]]
    print(f"\nlarge workbook / bare write: {ratio:.2f}x")
    verdict = "PASS" if results[keys[0]] < 1.0 else "FAIL"
    print(f"sample under 1 s: {verdict} ({results[keys[0]]:.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
