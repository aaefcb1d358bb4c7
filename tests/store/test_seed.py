"""First run: the empty store is seeded with six weekly situations of the sample, the last one
being exactly the files of data/; the weekly files are the generator's, cell for cell. A seed
killed midway (a real SIGKILL of a child process) is completed on the next start."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from pandas.testing import assert_frame_equal

from loaders import LOADERS, load_project
from scripts import make_sample_history as history_script
from store import SQLiteSnapshotStore, check_bytes, import_bytes, store_checked
from store.current import open_seeded_store
from store.seed import (
    SAMPLE_IMPORTER,
    SEED_KEY,
    history_dir,
    sample_files,
    seed,
    seed_if_pending,
    seed_pending,
)
from tests.store.test_crash_safety import hooked_command

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
HISTORY = DATA / "history"
WEEKS = [
    dt.date(2026, 10, 16),
    dt.date(2026, 10, 23),
    dt.date(2026, 10, 30),
    dt.date(2026, 11, 6),
    dt.date(2026, 11, 13),
    dt.date(2026, 11, 20),
]
CURRENT = {
    "schedule": DATA / "planning_travaux.xlsx",
    "finance": DATA / "suivi_financier.xlsx",
    "floor-areas": DATA / "programme_surfaces.xlsx",
    "registers": DATA / "registres_copil.xlsx",
}
#: the sample history: two files a week for six weeks, the room schedule, and the registers
#: as at 06/11 and 20/11
SEEDED = 15


@pytest.fixture(scope="module")
def settings():
    return load_project(DATA / "project.toml")


@pytest.fixture(scope="module")
def seeded(settings, tmp_path_factory) -> tuple[SQLiteSnapshotStore, list]:
    store = SQLiteSnapshotStore(tmp_path_factory.mktemp("seed") / "history.sqlite")
    return store, seed_if_pending(store, settings)


def test_an_empty_store_is_seeded_with_six_weekly_situations(seeded):
    store, results = seeded
    assert [r.status for r in results] == ["stored"] * SEEDED
    assert [r.snapshot_id for r in results] == list(range(1, SEEDED + 1))
    assert [s.status_date for s in store.situations()] == WEEKS
    # the registers recorded on 06/11 are in force from that week; the latest week has the
    # latest version; they make no week of their own
    assert [dict(s.snapshots) for s in store.situations()] == [
        {"schedule": 1, "finance": 2, "floor-areas": 14},
        {"schedule": 3, "finance": 4, "floor-areas": 14},
        {"schedule": 5, "finance": 6, "floor-areas": 14},
        {"schedule": 7, "finance": 8, "floor-areas": 14, "registers": 9},
        {"schedule": 10, "finance": 11, "floor-areas": 14, "registers": 9},
        {"schedule": 12, "finance": 13, "floor-areas": 14, "registers": 15},
    ]
    kinds = [(i.kind, i.status_date) for i in reversed(store.list())]
    assert kinds == [
        *((kind, week) for week in WEEKS[:3] for kind in ("schedule", "finance")),
        ("schedule", WEEKS[3]),
        ("finance", WEEKS[3]),
        ("registers", WEEKS[3]),
        ("schedule", WEEKS[4]),
        ("finance", WEEKS[4]),
        ("schedule", WEEKS[5]),
        ("finance", WEEKS[5]),
        ("floor-areas", WEEKS[5]),
        ("registers", WEEKS[5]),
    ]


def test_sample_snapshots_are_imported_by_the_sample_at_17h_on_their_date(seeded):
    store, _ = seeded
    for info in store.list():
        assert info.imported_by == SAMPLE_IMPORTER == "échantillon"
        assert info.imported_at.date() == info.status_date
        assert (info.imported_at.hour, info.imported_at.minute) == (17, 0)
    assert [i.imported_at for i in reversed(store.list())] == sorted(
        i.imported_at for i in store.list()
    )


@pytest.mark.parametrize("kind", list(CURRENT))
def test_the_latest_snapshots_are_the_files_of_data(seeded, kind):
    store, _ = seeded
    latest = store.latest(kind)
    path = CURRENT[kind]
    assert latest.name == path.name and latest.status_date == WEEKS[-1]
    assert latest.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    for table, frame in latest.frames.items():
        assert_frame_equal(frame, LOADERS[table](path).frame, check_exact=True)


def test_the_weekly_situations_show_the_works_moving_on(seeded):
    store, _ = seeded
    previous = None
    amounts, paid = [], []
    for situation in store.situations():
        schedule = store.frames(situation.snapshots["schedule"])["schedule"]
        spending = store.frames(situation.snapshots["finance"])["spending"]
        assert len(schedule) == 69
        assert schedule["actual_finish"].max() <= dt.datetime(
            *situation.status_date.timetuple()[:3]
        )
        amounts.append(spending["amount"].sum())
        paid.append(int(spending["paid_date"].notna().sum()))
        progress = schedule.set_index("task_id")["percent_complete"]
        if previous is not None:
            assert (progress >= previous).all()
            assert (progress > previous).any()  # every week some task advanced
        previous = progress
    assert amounts == sorted(amounts) and amounts[-1] > amounts[0]
    assert paid == sorted(paid) and paid[-1] > paid[0]
    assert [len(store.frames(s.snapshots["finance"])["spending"]) for s in store.situations()] == [
        66,
        66,
        66,
        66,
        78,
        78,
    ]


def test_a_store_that_holds_snapshots_is_not_seeded_again(seeded, settings):
    store, _ = seeded
    assert seed_if_pending(store, settings) == []
    again = seed(store, settings)  # forced: every file is recognised as already stored
    assert [r.status for r in again] == ["duplicate"] * SEEDED
    assert [r.duplicate_of for r in again] == list(range(1, SEEDED + 1))
    assert len(store.list()) == SEEDED


def test_without_a_history_folder_the_current_sample_alone_is_seeded(settings, tmp_path):
    store = SQLiteSnapshotStore(tmp_path / "history.sqlite")
    results = seed_if_pending(store, settings, history=tmp_path / "no-history")
    assert [(r.kind, r.snapshot_id) for r in results] == [
        ("schedule", 1),
        ("finance", 2),
        ("floor-areas", 3),
        ("registers", 4),
    ]
    assert [s.status_date for s in store.situations()] == [WEEKS[-1]]


def test_the_history_folder_holds_the_five_past_weeks(settings):
    assert history_dir(settings) == HISTORY
    assert sorted(p.name for p in HISTORY.iterdir()) == [w.isoformat() for w in WEEKS[:5]]
    for week in WEEKS[:5]:
        registers = ["registres_copil.xlsx"] if week == dt.date(2026, 11, 6) else []
        assert sorted(p.name for p in (HISTORY / week.isoformat()).iterdir()) == [
            "planning_travaux.xlsx",
            *registers,
            "suivi_financier.xlsx",
        ]
    assert len(sample_files(settings)) == SEEDED
    size = sum(p.stat().st_size for p in HISTORY.rglob("*") if p.is_file())
    assert size < 300_000  # committed files stay small


def test_the_history_files_are_the_generators_cell_for_cell():
    assert tuple(WEEKS) == history_script.HISTORY_DATES
    assert history_script.differences(HISTORY) == []


def test_the_history_files_are_reproducible_byte_for_byte(tmp_path):
    week = WEEKS[0]
    written = history_script.write_situation(tmp_path, week)
    for path in written:
        committed = HISTORY / week.isoformat() / path.name
        assert path.read_bytes() == committed.read_bytes()


# --- a first run killed midway is completed on the next start ---------------------------------


def start_seed(db: Path, signal_file: Path, pause: float) -> subprocess.Popen:
    """``python -m store seed`` in a child process that appends a line to ``signal_file``
    after each batch of rows written inside an import's transaction, then sleeps there."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("TRACKER_DB", "TRACKER_PROJECT"):
        env.pop(name, None)
    return subprocess.Popen(
        hooked_command(["seed", "--db", str(db)], signal_file, pause),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for_lines(path: Path, count: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if path.exists() and len(path.read_text().splitlines()) >= count:
            return
        if process.poll() is not None:
            raise AssertionError(f"the seed ended early: {process.communicate()}")
        time.sleep(0.02)
    process.kill()
    raise AssertionError("the seed never reached its fifth batch")


def history_of(store: SQLiteSnapshotStore) -> list[tuple]:
    """The history as a reader sees it, ids aside: kind, file, SHA-256, dates, importer."""
    return [
        (i.kind, i.name, i.sha256, i.status_date, i.imported_at, i.imported_by)
        for i in store.list()
    ]


def test_a_seed_killed_midway_resumes_to_the_full_history_on_the_next_start(
    seeded, settings, tmp_path
):
    db = tmp_path / "history.sqlite"
    signal_file = tmp_path / "batches.txt"
    process = start_seed(db, signal_file, pause=1.0)
    # batches: week 1 schedule (1), week 1 finance (2-4), week 2 schedule (5): killed while
    # the third file's transaction is open
    wait_for_lines(signal_file, 5, process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    killed = SQLiteSnapshotStore(db)
    assert [(i.id, i.kind, i.status_date) for i in killed.list()] == [
        (2, "finance", WEEKS[0]),
        (1, "schedule", WEEKS[0]),
    ]
    assert killed.meta(SEED_KEY) == "started" and seed_pending(killed)

    restarted = open_seeded_store(settings, db)  # what the app and the command lines do
    assert len(restarted.list()) == SEEDED
    assert [s.status_date for s in restarted.situations()] == WEEKS
    assert history_of(restarted) == history_of(seeded[0])  # as if never interrupted
    assert restarted.meta(SEED_KEY) == "complete" and not seed_pending(restarted)
    assert seed_if_pending(restarted, settings) == []  # idempotent
    assert len(open_seeded_store(settings, db).list()) == SEEDED
    assert restarted.integrity_check() == "ok"


def test_a_store_of_an_earlier_version_holding_part_of_the_sample_is_completed(
    seeded, settings, tmp_path
):
    """Before the seed kept a record, a killed first run left sample imports and no mark."""
    store = SQLiteSnapshotStore(tmp_path / "history.sqlite")
    for sample in sample_files(settings)[:3]:
        data = sample.path.read_bytes()
        found = check_bytes(sample.kind, sample.path.name, data)
        when = dt.datetime.combine(found.status_date, dt.time(17, 0))
        assert store_checked(store, found, SAMPLE_IMPORTER, when).stored
    assert store.meta(SEED_KEY) is None and seed_pending(store)
    results = seed_if_pending(store, settings)
    assert [r.status for r in results] == ["duplicate"] * 3 + ["stored"] * (SEEDED - 3)
    assert history_of(store) == history_of(seeded[0])


def test_a_store_where_a_user_imported_first_is_never_seeded(settings, tmp_path):
    store = SQLiteSnapshotStore(tmp_path / "history.sqlite")
    path = CURRENT["schedule"]
    assert import_bytes(store, "schedule", path.name, path.read_bytes(), "Nadia").stored
    assert not seed_pending(store) and seed_if_pending(store, settings) == []
    assert [i.imported_by for i in store.list()] == ["Nadia"]


def test_a_withdrawn_sample_file_is_not_seeded_again(settings, tmp_path):
    store = SQLiteSnapshotStore(tmp_path / "history.sqlite")
    seed_if_pending(store, settings)
    floor_areas = store.latest("floor-areas").info.id
    store.withdraw(floor_areas, "Nadia", "le programme de surfaces de l'échantillon ne sert pas")
    store.set_meta(SEED_KEY, "started")  # as if a seed were interrupted again
    results = seed_if_pending(store, settings)
    assert [r.status for r in results] == ["duplicate"] * SEEDED
    assert len(store.list()) == SEEDED and store.latest("floor-areas") is None
