"""Nothing is lost when a process dies mid-import or two imports run at once.

Real processes (the ``python -m store import`` command line) on each engine (a real SQLite
file, a real PostgreSQL database: the ``db`` fixture of tests/store/conftest.py) and a
50 000-row ledger. The test makes the timing deterministic by setting the store's
``store.snapshots.after_batch`` hook in the process it starts (``hooked_command``): the importer
appends a line to a file after each batch of rows written *inside* its transaction and sleeps
there, so the test knows the write is under way (and the write lock held) before it kills the
process or starts a second one. Nothing of this is read from the environment by the store.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from pandas.testing import assert_frame_equal

from loaders import LOADERS
from store import SnapshotStore, SQLiteSnapshotStore, import_bytes, is_server_url, open_store_at
from store.snapshots import BATCH_ROWS
from tests.store.helpers import counts

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SCHEDULE = DATA / "planning_travaux.xlsx"
FINANCE = DATA / "suivi_financier.xlsx"
LEDGER_ROWS = 50_000


def big_finance_workbook(rows: int) -> bytes:
    """A finance workbook (budget, contracts, and a ledger of ``rows`` décomptes)."""
    workbook = openpyxl.Workbook(write_only=True)
    budget = workbook.create_sheet("Budget")
    budget.append(["Situation au 20/11/2026"])
    budget.append(["Code", "Désignation", "Budget TTC"])
    budget.append(["TR-01", "Gros œuvre", 12_000_000])
    contracts = workbook.create_sheet("Marchés")
    contracts.append(["Situation au 20/11/2026"])
    contracts.append(["N° marché", "Titulaire", "Ligne budgétaire", "Montant TTC"])
    contracts.append(["M 01/2026", "Entreprise A", "TR-01", 11_500_000])
    ledger = workbook.create_sheet("Décomptes")
    ledger.append(["Situation au 20/11/2026"])
    ledger.append(
        ["Date d'émission", "Montant TTC", "N° décompte", "N° marché", "Date de paiement"]
    )
    start = dt.datetime(2024, 1, 1)
    for i in range(rows):
        issued = start + dt.timedelta(days=i % 900)
        paid = issued + dt.timedelta(days=45) if i % 3 else None
        ledger.append([issued, 1000 + (i % 997) * 3.25, f"DP {i}", "M 01/2026", paid])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "suivi_50000.xlsx"
    path.write_bytes(big_finance_workbook(LEDGER_ROWS))
    return path


#: run in the child process: set the store's hook, then run the command line with the rest
#: of argv (``signal_file`` and ``pause`` first; an empty signal file: no hook)
_HOOKED = """
import os, sys, time
import store.snapshots
from store.__main__ import main

signal_file, pause, *args = sys.argv[1:]

def after_batch(batch):
    with open(signal_file, "a", encoding="utf-8") as handle:
        handle.write(f"batch {batch}\\n")
        handle.flush()
        os.fsync(handle.fileno())
    time.sleep(float(pause))

if signal_file:
    store.snapshots.after_batch = after_batch
    # a page cache of 16 pages: the batches written spill into the WAL before the commit, as
    # those of a larger import do with the default cache
    store.snapshots.SQLiteSnapshotStore._configure = lambda self, con: con.execute(
        "PRAGMA cache_size=16"
    )
sys.exit(main(args))
"""


def hooked_command(args: list[str], signal_file: Path | None, pause: float | None) -> list[str]:
    """``python -m store <args>`` in a child process whose store appends a line to
    ``signal_file`` after each batch written inside an import's transaction, then sleeps
    ``pause`` seconds there (no ``signal_file``: the plain command)."""
    hook = [str(signal_file) if signal_file else "", str(pause or 0)]
    return [sys.executable, "-c", _HOOKED, *hook, *args]


def start_import(
    path: Path, db: Path | str, by: str, signal_file: Path | None = None, pause: float | None = None
) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TRACKER_DB", None)
    args = ["import", str(path), "--db", str(db), "--kind", "finance", "--by", by, "--json"]
    return subprocess.Popen(
        hooked_command(args, signal_file, pause),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for_batches(signal_file: Path, count: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if signal_file.exists() and len(signal_file.read_text().splitlines()) >= count:
            return
        if process.poll() is not None:
            raise AssertionError(f"the import ended early: {process.communicate()}")
        time.sleep(0.02)
    process.kill()
    raise AssertionError("the import never reached its write")


def previous_state(db: Path | str) -> SnapshotStore:
    """A store holding the sample schedule (1) and finance workbook (2)."""
    store = open_store_at(db)
    for kind, path in (("schedule", SCHEDULE), ("finance", FINANCE)):
        assert import_bytes(store, kind, path.name, path.read_bytes(), "Nadia").stored
    return store


def assert_integrity(store: SnapshotStore) -> None:
    """SQLite's own check of the file (a PostgreSQL server checks its pages itself)."""
    if isinstance(store, SQLiteSnapshotStore):
        assert store.integrity_check() == "ok"


def assert_previous_state_intact(store: SnapshotStore, db: Path | str) -> None:
    assert [(i.id, i.kind) for i in store.list()] == [(2, "finance"), (1, "schedule")]
    for table in ("budget", "contracts", "spending"):
        assert_frame_equal(store.frames(2)[table], LOADERS[table](FINANCE).frame)
    assert_frame_equal(store.frames(1)["schedule"], LOADERS["schedule"](SCHEDULE).frame)
    assert store.file_bytes(2) == FINANCE.read_bytes()
    found = counts(db)
    # one Arrow batch per table: the schedule; budget, contracts and spending
    assert (found["snapshot_batches"], found["snapshot_rows"], found["snapshot_files"]) == (4, 0, 2)


def test_a_process_killed_mid_import_leaves_the_previous_state_intact(db, big_file, tmp_path):
    store = previous_state(db)
    on_sqlite = not is_server_url(db)
    if on_sqlite:
        wal = db.with_name(db.name + "-wal")
        committed = wal.stat().st_size if wal.exists() else 0  # the last close checkpoints it
    signal_file = tmp_path / "batches.txt"
    process = start_import(big_file, db, "cron", signal_file, pause=0.5)
    # budget, contracts and four batches of ledger rows written inside the open transaction:
    # more than the child's page cache holds, so uncommitted pages already sit in the WAL file
    wait_for_batches(signal_file, 6, process)
    if on_sqlite:
        assert wal.stat().st_size > committed + 100_000
    else:  # the batches are on the server, uncommitted: the server's own count says so
        assert counts(db)["snapshot_batches"] == 4
    # meanwhile readers still see the previous state, and opening the store does not wait
    opened = SQLiteSnapshotStore(db, timeout=1) if on_sqlite else open_store_at(db)
    assert [i.id for i in opened.list()] == [2, 1]
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    reopened = open_store_at(db)
    assert_integrity(reopened)
    assert_previous_state_intact(reopened, db)
    # the audit trail has the two imports of the previous state, not the killed one
    assert [(e.action, e.snapshot_id) for e in reopened.audit()] == [
        ("import_stored", 2),
        ("import_stored", 1),
    ]

    # the store is writable again, and the killed import left no trace (not even its id)
    result = import_bytes(reopened, "finance", big_file.name, big_file.read_bytes(), "Nadia")
    assert (result.status, result.snapshot_id) == ("stored", 3)
    assert result.rows == {"budget": 1, "contracts": 1, "spending": LEDGER_ROWS}
    assert len(store.frames(3)["spending"]) == LEDGER_ROWS
    assert_integrity(reopened)


def test_two_imports_at_the_same_time_are_both_stored(db, big_file, tmp_path):
    open_store_at(db)
    signal_file = tmp_path / "batches.txt"
    first = start_import(big_file, db, "first", signal_file, pause=0.4)
    wait_for_batches(signal_file, 1, first)  # the first import holds the write lock
    second = start_import(FINANCE, db, "second")
    assert first.poll() is None  # still writing: the two imports overlap
    out_second, err_second = second.communicate(timeout=120)
    out_first, err_first = first.communicate(timeout=120)
    assert (first.returncode, second.returncode) == (0, 0), (err_first, err_second)
    first_id = json.loads(out_first)["snapshot_id"]
    second_id = json.loads(out_second)["snapshot_id"]
    assert (first_id, second_id) == (1, 2)  # the second waited for the first to commit
    batches = 2 + math.ceil(LEDGER_ROWS / BATCH_ROWS)  # budget, contracts, then the ledger
    assert len(signal_file.read_text().splitlines()) == batches

    store = open_store_at(db)
    assert_integrity(store)
    infos = {i.id: i for i in store.list()}
    assert infos[1].imported_by == "first" and infos[1].tables["spending"] == LEDGER_ROWS
    assert infos[2].imported_by == "second" and infos[2].tables["spending"] == 78
    assert infos[1].imported_at < infos[2].imported_at
    assert_frame_equal(store.frames(2)["spending"], LOADERS["spending"](FINANCE).frame)
    assert len(store.frames(1)["spending"]) == LEDGER_ROWS
    assert store.latest("finance").id == 2


def test_the_same_file_imported_twice_at_once_is_stored_once(db, tmp_path):
    open_store_at(db)
    signal_file = tmp_path / "batches.txt"
    first = start_import(FINANCE, db, "first", signal_file, pause=4.0)
    wait_for_batches(signal_file, 1, first)  # checked for duplicates, now writing
    second = start_import(FINANCE, db, "second")
    assert first.poll() is None
    out_second, _ = second.communicate(timeout=120)
    out_first, _ = first.communicate(timeout=120)
    assert (first.returncode, second.returncode) == (0, 3)
    assert json.loads(out_first)["snapshot_id"] == 1
    report = json.loads(out_second)
    assert report["status"] == "duplicate" and report["duplicate_of"] == 1
    # the second found no stored copy before parsing (its report holds the file's warnings):
    # the duplicate was caught inside its write transaction, once the first had committed
    assert [p["code"] for p in report["problems"]] == ["totals_row"] * 3
    store = open_store_at(db)
    assert [(i.id, i.imported_by) for i in store.list()] == [(1, "first")]
    assert_integrity(store)


def test_the_store_reads_no_test_hook_from_the_environment():
    """The hook is injected by the test into the process it starts; the application's own
    code never looks for one (no variable a deployment could set by mistake)."""
    import store.snapshots

    assert store.snapshots.after_batch is None
    sources = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "store").glob("*.py")}
    assert [name for name, text in sources.items() if "TRACKER_STORE_TEST" in text] == []
