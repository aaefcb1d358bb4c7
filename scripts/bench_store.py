"""Benchmark (not a test): the history on PostgreSQL against SQLite, and the column-wise layout
of schema 4 against the row-wise one it replaces, in the same process.

First, imports the sample's weekly history (15 files) and a finance workbook with a 50 000-row
ledger into a fresh SQLite file and a fresh PostgreSQL database (the throw-away server of
``tests.postgres``), then reads the latest snapshot of each kind back, and prints each timing
with its ratio to SQLite's.

Then, on each engine, stores a finance snapshot whose ledger has 100 000 décomptes (the
canonical spending columns, synthetic values drawn with a fixed seed: amounts to the centime,
dates over three years, unique references and descriptions, a fifth of the cells empty) once
in each layout: one JSON text per row (``snapshot_rows``, schemas 1-3) and Arrow batches
(``snapshot_batches``, schema 4). It prints the bytes stored per snapshot (the payload, and
what the engine takes on disk), the time to add it and to read it back (medians), and the
ratios. Usage::

    PYTHONPATH=. .venv/bin/python scripts/bench_store.py [--rows 50000] [--ledger-rows 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from loaders import LOADERS  # noqa: E402
from loaders.schema import SPENDING  # noqa: E402
from store import check_bytes, open_store_at, store_checked  # noqa: E402
from store.seed import sample_files  # noqa: E402
from store.snapshots import is_server_url  # noqa: E402
from tests.postgres import ThrowAwayPostgres  # noqa: E402
from tests.store.helpers import raw_execute  # noqa: E402
from tests.store.test_crash_safety import big_finance_workbook  # noqa: E402
from ui.shared import settings  # noqa: E402

SAMPLE_FINANCE = ROOT / "data" / "suivi_financier.xlsx"
LOTS = (
    "Gros œuvre",
    "Étanchéité",
    "Menuiseries extérieures",
    "Menuiseries intérieures",
    "Électricité courants forts",
    "Courants faibles",
    "Plomberie sanitaire",
    "CVC",
    "Ascenseurs",
    "Revêtements de sols",
    "Faux plafonds",
    "Peinture",
    "VRD",
    "Espaces verts",
)


def timed(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def synthetic_ledger(rows: int, seed: int = 2026) -> pd.DataFrame:
    """A ledger of ``rows`` décomptes in the spending loader's canonical shape (its columns and
    dtypes, checked against the loader's frame of the sample workbook), with values as varied
    as a real one's, so that compression is not flattered by copies of the same rows."""
    rng = np.random.default_rng(seed)
    day = np.timedelta64(86_400_000_000, "us")
    issued = np.datetime64("2024-01-01", "us") + rng.integers(0, 1050, rows) * day

    def some_missing(dates: np.ndarray, share: float) -> np.ndarray:
        dates = dates.copy()
        dates[rng.random(rows) < share] = np.datetime64("NaT")
        return dates

    amount = np.round(rng.lognormal(11, 1.4, rows), 2)
    retention = np.where(rng.random(rows) < 0.7, np.round(amount * 0.07, 2), 0.0)
    lot = np.array(LOTS, dtype=object)[rng.integers(0, len(LOTS), rows)]
    lot[rng.random(rows) < 0.1] = None
    payees = np.array([f"Entreprise {chr(65 + i % 26)}{i // 26} SARL" for i in range(45)])
    contracts = np.array([f"{i:02d}/{2024 + i % 3}/AREP-RSK" for i in range(80)])
    lines = np.array([f"TR-{i:02d}" for i in range(1, 31)])
    contract = rng.integers(0, 80, rows)
    issued_text = pd.DatetimeIndex(issued).strftime("%d/%m/%Y")
    frame = pd.DataFrame(
        {
            "date": issued,
            "amount": amount,
            "lot": pd.array(lot, dtype="str"),
            "payee": pd.array(payees[contract % 45], dtype="str"),
            "reference": pd.array([f"DP{i + 1}" for i in range(rows)], dtype="str"),
            "contract_id": pd.array(contracts[contract], dtype="str"),
            "budget_line": pd.array(lines[contract % 30], dtype="str"),
            "retention": retention,
            "service_date": some_missing(issued - rng.integers(0, 31, rows) * day, 0.6),
            "ordered_date": some_missing(issued + rng.integers(2, 20, rows) * day, 0.4),
            "paid_date": some_missing(issued + rng.integers(20, 75, rows) * day, 0.3),
            "description": pd.array(
                [
                    f"Décompte provisoire n°{i % 97 + 1} : travaux au {text}"
                    for i, text in enumerate(issued_text)
                ],
                dtype="str",
            ),
            "source_row": np.arange(6, rows + 6, dtype="int64"),
        }
    )
    canonical = LOADERS["spending"](SAMPLE_FINANCE).frame
    assert list(frame.columns) == [*SPENDING.names, "source_row"] == list(canonical.columns)
    assert frame.dtypes.equals(canonical.dtypes), frame.dtypes.compare(canonical.dtypes)
    return frame


def engines_compared(args: argparse.Namespace, server: ThrowAwayPostgres) -> None:
    """The first part: the same imports and reads on SQLite and on PostgreSQL."""
    project = settings()
    samples = [(s.kind, s.path.name, s.path.read_bytes()) for s in sample_files(project)]
    big = big_finance_workbook(args.rows)
    checked = [check_bytes(kind, name, data) for kind, name, data in samples]
    big_checked = check_bytes("finance", "suivi_big.xlsx", big)
    print(f"{len(samples)} sample files; ledger of {args.rows} rows ({len(big) / 1e6:.1f} MB)")
    targets = {
        "sqlite": Path(tempfile.mkdtemp()) / "history.sqlite",
        "postgresql": server.new_database(),
    }
    results: dict[str, dict[str, float]] = {}
    for engine, target in targets.items():
        store = open_store_at(target)
        figures = {}
        figures[f"import {len(samples)} sample files"] = timed(
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


def stored_bytes(target: Path | str, layout: str, snapshots: int) -> tuple[float, float]:
    """Per snapshot: the bytes of its tables' data (the JSON texts' UTF-8, or the Arrow
    batches), and what the engine takes on disk for them (the SQLite file, PostgreSQL's table
    with its index and TOAST)."""
    table = "snapshot_rows" if layout == "rows" else "snapshot_batches"
    if is_server_url(target):
        (payload,) = raw_execute(target, f"SELECT sum(octet_length(data)) FROM {table}")[0]
        (disk,) = raw_execute(target, f"SELECT pg_total_relation_size('{table}')")[0]
    else:
        column = "CAST(data AS BLOB)" if layout == "rows" else "data"
        (payload,) = raw_execute(target, f"SELECT sum(length({column})) FROM {table}")[0]
        disk = sum(p.stat().st_size for p in target.parent.glob(target.name + "*"))
    return payload / snapshots, disk / snapshots


def layouts_compared(args: argparse.Namespace, server: ThrowAwayPostgres) -> None:
    """The second part: a 100 000-row ledger stored row-wise and column-wise, on each engine."""
    ledger = synthetic_ledger(args.ledger_rows)
    tables = {
        "budget": LOADERS["budget"](SAMPLE_FINANCE).frame,
        "contracts": LOADERS["contracts"](SAMPLE_FINANCE).frame,
        "spending": ledger,
    }
    print(
        f"\nA finance snapshot with a ledger of {args.ledger_rows} décomptes (synthetic, canonical"
        f" spending columns), stored {args.adds}× and read back {args.reads}× in each layout"
    )
    figures: dict[tuple[str, str], dict[str, float]] = {}
    for engine in ("sqlite", "postgresql"):
        for layout in ("rows", "columns"):
            target = (
                server.new_database()
                if engine == "postgresql"
                else Path(tempfile.mkdtemp()) / "layout.sqlite"
            )
            store = open_store_at(target)
            store.layout = layout
            adds = [
                timed(
                    lambda store=store, i=i: store.add(
                        "finance",
                        f"ledger {i}.xlsx",
                        f"ledger {i}".encode(),
                        tables,
                        dt.date(2026, 11, 20),
                        "bench",
                    )
                )
                for i in range(args.adds)
            ]
            reads = [timed(lambda store=store: store.get(1).frames) for _ in range(args.reads)]
            back = store.get(1).frames["spending"]
            pd.testing.assert_frame_equal(back, ledger, check_exact=True)
            getattr(store, "dispose", lambda: None)()
            payload, disk = stored_bytes(target, layout, args.adds)
            figures[engine, layout] = {
                "payload": payload,
                "disk": disk,
                "add": statistics.median(adds),
                "get": statistics.median(reads),
            }
    print(f"{'':36} {'rows (JSON)':>12} {'columns (Arrow)':>16} {'rows ÷ columns':>15}")
    for engine, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        rows, columns = figures[engine, "rows"], figures[engine, "columns"]
        for key, name, unit, scale in (
            ("payload", "stored data per snapshot", "MB", 1e6),
            ("disk", "on disk per snapshot", "MB", 1e6),
            ("add", "add (median)", "s", 1),
            ("get", "get (median)", "s", 1),
        ):
            before, after = rows[key] / scale, columns[key] / scale
            print(
                f"{label + ' ' + name:36} {before:9.3f} {unit:<2} {after:13.3f} {unit:<2}"
                f" {rows[key] / columns[key]:14.1f}×"
            )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--reads", type=int, default=5)
    parser.add_argument("--ledger-rows", type=int, default=100_000)
    parser.add_argument("--adds", type=int, default=3)
    args = parser.parse_args()
    server = ThrowAwayPostgres()
    try:
        engines_compared(args, server)
        layouts_compared(args, server)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
