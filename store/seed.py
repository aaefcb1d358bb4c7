"""First run: an empty store is filled with the sample, so the app shows a full dashboard at once.

The sample holds several weekly situations: ``data/history/<yyyy-mm-dd>/`` keeps the schedule
and the finance workbook of each past week (written by ``scripts/make_sample_history.py``);
the current week is the sample of ``data/`` itself (the files named in ``[data]`` of
``project.toml``), floor areas included. Every file is imported as a user would import it, in
the order of its status date, by ``échantillon`` at 17:00 on that date, so the latest
snapshots are exactly the files of ``data/``.

The seed resumes: each file is its own transaction, so a process killed midway leaves some
sample files stored and not the others. ``store_meta`` records ``seed = started`` before the
first file and ``seed = complete`` after the last; on the next start a seed that is not
complete runs again and stores only the sample files not yet stored (recognised by their
SHA-256, withdrawn ones included), with the same dates and import times, so the history ends
as if the first run had never been interrupted. A store written before that record existed is
resumed when it holds nothing but sample imports (a killed first run), never once a user has
imported a file of their own.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from loaders import ProjectSettings
from store import CheckedFile, ImportResult, check_bytes, store_checked
from store.snapshots import FILE_KINDS, ROOT, SnapshotStore, sha256_of

logger = logging.getLogger(__name__)

#: who the sample snapshots are recorded as imported by
SAMPLE_IMPORTER = "échantillon"
#: the sample files are recorded as imported at this time of their status date
SAMPLE_IMPORT_TIME = dt.time(17, 0)
#: folder of the past weekly situations, next to the settings file
HISTORY_DIR = "history"
#: the files of each weekly situation folder
HISTORY_FILES = {
    "schedule": "planning_travaux.xlsx",
    "finance": "suivi_financier.xlsx",
    "registers": "registres_copil.xlsx",
}
#: key of ``settings.data_files`` (``[data]`` in project.toml) holding each current sample
SAMPLE_KEYS = {
    "schedule": "schedule",
    "finance": "spending",
    "floor-areas": "floor_areas",
    "registers": "registers",
}
#: ``store_meta`` key of the seed's progress, and its two values
SEED_KEY = "seed"
SEED_STARTED = "started"
SEED_COMPLETE = "complete"


@dataclass(frozen=True)
class SampleFile:
    kind: str
    path: Path


def history_dir(settings: ProjectSettings) -> Path:
    """``history/`` beside the settings file (``data/history``)."""
    base = settings.source.parent if settings.source is not None else ROOT / "data"
    return base / HISTORY_DIR


def sample_files(settings: ProjectSettings, history: Path | None = None) -> list[SampleFile]:
    """Every sample file: each weekly folder of ``history`` (folders named by an ISO date,
    oldest first), then the current sample of ``data/``. Missing files are left out."""
    history = history_dir(settings) if history is None else Path(history)
    files: list[SampleFile] = []
    if history.is_dir():
        weeks = []
        for folder in history.iterdir():
            try:
                weeks.append((dt.date.fromisoformat(folder.name), folder))
            except ValueError:
                continue
        for _day, folder in sorted(weeks):
            for kind, file_name in HISTORY_FILES.items():
                if (folder / file_name).is_file():
                    files.append(SampleFile(kind, folder / file_name))
    for kind in FILE_KINDS:
        path = settings.data_files.get(SAMPLE_KEYS[kind])
        if path is not None and Path(path).is_file():
            files.append(SampleFile(kind, Path(path)))
    return files


def seed(
    store: SnapshotStore,
    settings: ProjectSettings,
    history: Path | None = None,
    lang: str = "fr",
) -> list[ImportResult]:
    """Import every sample file not stored yet, in the order of its status date (file kinds
    in their usual order within a date), as ``échantillon`` at 17:00 on that date; a sample
    file already stored (in use or withdrawn) is a ``duplicate`` result, not parsed again. A
    sample file that does not load is logged and skipped; the others are still stored. Marks
    the seed started before the first write and complete after the last."""
    store.set_meta(SEED_KEY, SEED_STARTED)
    known: list[ImportResult] = []
    checked: list[CheckedFile] = []
    for sample in sample_files(settings, history):
        data = sample.path.read_bytes()  # the project's own sample files, not an upload
        stored = store.find(sample.kind, sha256_of(data), include_withdrawn=True)
        if stored is not None:
            known.append(_already_stored(sample, stored))
            continue
        found = check_bytes(sample.kind, sample.path.name, data, lang, limits=settings.read_limits)
        if not found.accepted:
            logger.warning("sample file %s refused: %s", sample.path, found.problems)
        checked.append(found)
    accepted = sorted(
        (c for c in checked if c.accepted),
        key=lambda c: (c.status_date, FILE_KINDS.index(c.kind or "")),
    )
    results = []
    for found in accepted:
        assert found.status_date is not None
        when = dt.datetime.combine(found.status_date, SAMPLE_IMPORT_TIME)  # local time
        results.append(store_checked(store, found, SAMPLE_IMPORTER, when))
    store.set_meta(SEED_KEY, SEED_COMPLETE)
    return sorted(known + results, key=lambda r: r.snapshot_id or 0)


def _already_stored(sample: SampleFile, stored) -> ImportResult:
    return ImportResult(
        kind=sample.kind,
        name=sample.path.name,
        status="duplicate",
        sha256=stored.sha256,
        rows=dict(stored.tables),
        snapshot_id=stored.id,
        duplicate_of=stored.id,
        status_date=stored.status_date,
    )


def seed_pending(store: SnapshotStore) -> bool:
    """Whether the sample still has to be (completely) stored: a seed started and not
    completed, or — in a store with no record of a seed — nothing but sample imports (an
    empty store, or a first run of an earlier version killed midway)."""
    state = store.meta(SEED_KEY)
    if state is not None:
        return state != SEED_COMPLETE
    return all(info.imported_by == SAMPLE_IMPORTER for info in store.list())


def seed_if_pending(
    store: SnapshotStore,
    settings: ProjectSettings,
    history: Path | None = None,
    lang: str = "fr",
) -> list[ImportResult]:
    """``seed`` when ``seed_pending``; nothing (an empty list) otherwise. Idempotent, and two
    processes seeding at once store each file once (identical bytes are recognised)."""
    if not seed_pending(store):
        return []
    return seed(store, settings, history, lang)
