"""Benchmark (not a test): the history on PostgreSQL against SQLite, in the same process.

Imports the sample's weekly history (13 files) and a finance workbook with a 50 000-row
ledger into a fresh SQLite file and a fresh PostgreSQL database (the throw-away server of
``tests.postgres``), then reads the latest snapshot of each kind back, and prints each timing
with its ratio to SQLite's. Usage::

    PYTHONPATH=. .venv/bin/python scripts/bench_store.py [--rows 50000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from store import check_bytes, open_store_at, store_checked  # noqa: E402
from store.seed import sample_files  # noqa: E402
from tests.postgres import ThrowAwayPostgres  # noqa: E402
from tests.store.test_crash_safety import big_finance_workbook  # noqa: E402
from ui.shared import settings  # noqa: E402


def timed(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--reads", type=int, default=5)
    args = parser.parse_args()
    project = settings()
    samples = [(s.kind, s.path.name, s.path.read_bytes()) for s in sample_files(project)]
    big = big_finance_workbook(args.rows)
    checked = [check_bytes(kind, name, data) for kind, name, data in samples]
    big_checked = check_bytes("finance", "suivi_big.xlsx", big)
    print(f"{len(samples)} sample files; ledger of {args.rows} rows ({len(big) / 1e6:.1f} MB)")

    server = ThrowAwayPostgres()
    try:
        targets = {
            "sqlite": Path(tempfile.mkdtemp()) / "history.sqlite",
            "postgresql": server.new_database(),
        }
        results: dict[str, dict[str, float]] = {}
        for engine, target in targets.items():
            store = open_store_at(target)
            figures = {}
            figures["import 13 sample files"] = timed(
                lambda store=store: [store_checked(store, c, "bench") for c in checked]
            )
            figures[f"import a {args.rows}-row ledger"] = timed(
                lambda store=store: store_checked(store, big_checked, "bench")
            )
            reads = [
                timed(lambda store=store: store.latest("finance").frames) for _ in range(args.reads)
            ]
            figures["read the ledger back (median)"] = statistics.median(reads)
            figures["list the history"] = timed(lambda store=store: store.list())
            figures["audit trail (all lines)"] = timed(lambda store=store: store.audit())
            results[engine] = figures
        print(f"{'':34} {'SQLite':>9} {'PostgreSQL':>11} {'ratio':>7}")
        for name in results["sqlite"]:
            lite, pg = results["sqlite"][name], results["postgresql"][name]
            print(f"{name:34} {lite:8.3f}s {pg:10.3f}s {pg / lite:6.2f}×")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
