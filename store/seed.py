"""First run: an empty store is filled with the sample, so the app shows a full dashboard at once.

The sample holds several weekly situations: ``data/history/<yyyy-mm-dd>/`` keeps the schedule
and the finance workbook of each past week (written by ``scripts/make_sample_history.py``);
the current week is the sample of ``data/`` itself (the files named in ``[data]`` of
``project.toml``), floor areas included. Every file is imported as a user would import it, in
the order of its status date, by ``échantillon`` at 17:00 on that date, so the latest
snapshots are exactly the files of ``data/``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from loaders import ProjectSettings
from store import CheckedFile, ImportResult, check_bytes, store_checked
from store.snapshots import FILE_KINDS, ROOT, SnapshotStore

logger = logging.getLogger(__name__)

#: who the sample snapshots are recorded as imported by
SAMPLE_IMPORTER = "échantillon"
#: the sample files are recorded as imported at this time of their status date
SAMPLE_IMPORT_TIME = dt.time(17, 0)
#: folder of the past weekly situations, next to the settings file
HISTORY_DIR = "history"
#: the files of each weekly situation folder
HISTORY_FILES = {"schedule": "planning_travaux.xlsx", "finance": "suivi_financier.xlsx"}
#: key of ``settings.data_files`` (``[data]`` in project.toml) holding each current sample
SAMPLE_KEYS = {"schedule": "schedule", "finance": "spending", "floor-areas": "floor_areas"}


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
    """Import every sample file in the order of its status date (file kinds in their usual
    order within a date), as ``échantillon`` at 17:00 on that date. A sample file that does not
    load is logged and skipped; the others are still stored."""
    checked: list[CheckedFile] = []
    for sample in sample_files(settings, history):
        found = check_bytes(
            sample.kind, sample.path.name, sample.path.read_bytes(), lang, settings.max_upload_bytes
        )
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
    return results


def seed_if_empty(
    store: SnapshotStore,
    settings: ProjectSettings,
    history: Path | None = None,
    lang: str = "fr",
) -> list[ImportResult]:
    """``seed`` on an empty store; nothing (an empty list) when it already holds snapshots.
    Two processes seeding at once store each file once (identical bytes are recognised)."""
    if not store.is_empty():
        return []
    return seed(store, settings, history, lang)
