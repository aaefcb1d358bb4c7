"""The history of accepted imports: a snapshot store and the one import procedure.

``open_store()`` gives the store (SQLite, ``$TRACKER_DB`` or ``var/tracker.sqlite``);
``import_bytes(store, kind, name, data, imported_by)`` runs the loaders on a file and stores it
when every table of the file loads: the Data page and ``python -m store import`` both call it.
For a confirmation step, the two halves are available apart: ``check_bytes`` (loaders only,
nothing written) then ``store_checked``.

The rule is the Data page's: a file is accepted only if every table it holds loads (the
finance workbook feeds three loaders); a refused file changes nothing; identical bytes of a
kind are stored once (once *in use*: bytes whose snapshot was withdrawn are stored anew).

Failures of the database itself are ``StoreError``s (``CorruptStoreError`` at open for a
damaged or foreign file, ``StoreAccessError`` for a full disk or a read-only file,
``UnreadableSnapshotError`` naming a snapshot that does not read back); ``message(lang)`` or
``store_error_message(error, lang)`` gives the reader's text. ``read_file`` reads a file
named on a command line without ever blocking on a pipe or reading a device without end.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from i18n import translate
from loaders import LOADERS, LoadError, LoadResult, Problem
from loaders.headers import HEADER_SCAN_ROWS, detect_header, header_score
from loaders.limits import ReadLimits
from loaders.reading import PROJECT_FORMATS, iter_sheets, open_raw, open_shared
from loaders.schema import SCHEMAS
from loaders.status import infer_status_date
from store.snapshots import (
    DB_ENV,
    DEFAULT_DB,
    FILE_KINDS,
    PROGRAMME_KINDS,
    REGISTER_KIND,
    REGISTER_KINDS,
    TABLES_OF_FILE,
    AddOutcome,
    CorruptStoreError,
    Situation,
    Snapshot,
    SnapshotInfo,
    SnapshotStore,
    SQLiteSnapshotStore,
    StoreAccessError,
    StoreError,
    UnreadableSnapshotError,
    WithdrawalError,
    as_status_date,
    is_server_url,
    open_store,
    open_store_at,
    resolve_db_path,
    sha256_of,
    store_error_message,
)

__all__ = [
    "DB_ENV",
    "DEFAULT_DB",
    "FILE_KINDS",
    "PROGRAMME_KINDS",
    "REGISTER_KIND",
    "REGISTER_KINDS",
    "TABLES_OF_FILE",
    "AddOutcome",
    "CheckedFile",
    "CorruptStoreError",
    "ImportResult",
    "NotARegularFile",
    "SQLiteSnapshotStore",
    "Situation",
    "Snapshot",
    "SnapshotInfo",
    "SnapshotStore",
    "StoreAccessError",
    "StoreError",
    "UnreadableSnapshotError",
    "WithdrawalError",
    "as_status_date",
    "check_bytes",
    "default_importer",
    "detect_file_kind",
    "import_bytes",
    "merge_problems",
    "is_server_url",
    "open_store",
    "open_store_at",
    "read_file",
    "resolve_db_path",
    "snapshot_status_date",
    "store_checked",
    "store_error_message",
]

logger = logging.getLogger(__name__)

UNEXPECTED_CODE = "unexpected_error"
UNKNOWN_KIND_CODE = "unknown_kind"

ImportStatus = Literal["stored", "duplicate", "rejected"]


@dataclass
class CheckedFile:
    """A file run through the loaders of its kind, nothing stored yet."""

    #: file kind, given or detected; ``None`` when it could not be recognised
    kind: str | None
    name: str
    data: bytes = field(repr=False)
    sha256: str
    #: table kind -> LoadResult, every table of the kind (empty when refused)
    results: dict[str, LoadResult] = field(default_factory=dict)
    #: errors and warnings of every table, errors first
    problems: list[Problem] = field(default_factory=list)
    #: the table each problem was found by (``None``: a problem of the whole file)
    tables: list[str | None] = field(default_factory=list)
    #: declared by the file, else derived from its data (accepted files only)
    status_date: dt.date | None = None

    @property
    def accepted(self) -> bool:
        return self.kind is not None and set(self.results) == set(TABLES_OF_FILE[self.kind])

    @property
    def rows(self) -> dict[str, int]:
        return {table: len(result.frame) for table, result in self.results.items()}


@dataclass
class ImportResult:
    """What became of one file: ``stored`` (a new snapshot), ``duplicate`` (identical bytes
    already stored: ``duplicate_of``) or ``rejected`` (``problems`` say why; nothing
    changed)."""

    kind: str | None
    name: str
    status: ImportStatus
    sha256: str
    problems: list[Problem] = field(default_factory=list)
    tables: list[str | None] = field(default_factory=list)
    #: table kind -> rows (of the stored snapshot, or of the one it duplicates)
    rows: dict[str, int] = field(default_factory=dict)
    #: the new snapshot, or for a duplicate the snapshot already holding these bytes
    snapshot_id: int | None = None
    duplicate_of: int | None = None
    status_date: dt.date | None = None

    @property
    def stored(self) -> bool:
        return self.status == "stored"

    @property
    def accepted(self) -> bool:
        """The file is valid (stored now, or already stored)."""
        return self.status != "rejected"

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def _named(data: bytes, name: str) -> io.BytesIO:
    source = io.BytesIO(data)
    source.name = name  # the loaders report problems under the user's file name
    return source


def detect_file_kind(
    data: bytes,
    name: str,
    lang: str = "fr",
    max_bytes: int | None = None,
    limits: ReadLimits | None = None,
) -> str | None:
    """The file kind from the headers of its sheets: each sheet is given the table kind whose
    required columns it holds best; a workbook holding budget, contracts and spending tables is
    ``finance``. A file with tables of several kinds goes to the kind it holds most completely.
    ``None`` when no sheet holds a known table; ``LoadError`` when it is not a spreadsheet.
    A planning-software file (MS Project, Primavera…, recognised from its bytes) is a
    ``schedule``."""
    raw = open_raw(_named(data, name), max_bytes, lang, limits)
    if raw.format in PROJECT_FORMATS:
        return "schedule"
    found: set[str] = set()
    for preview in iter_sheets(raw, lang, nrows=HEADER_SCAN_ROWS, limits=limits):
        best, best_score = None, (0.0, 0)
        for table, schema in SCHEMAS.items():
            match = detect_header(preview.rows, schema)
            if match is None:
                continue
            required, columns = header_score(match, schema)
            share = required / max(len(schema.required), 1)
            if share >= 1 and (share, columns) > best_score:
                best, best_score = table, (share, columns)
        if best is not None:
            found.add(best)
    scores = {
        kind: (set(tables) <= found, len(found & set(tables)))
        for kind, tables in TABLES_OF_FILE.items()
    }
    kind = max(FILE_KINDS, key=lambda k: scores[k])  # first of FILE_KINDS among equals
    return kind if scores[kind][1] else None


def merge_problems(
    found: list[tuple[str | None, Problem]],
) -> tuple[list[Problem], list[str | None]]:
    """Problems of every table of a file, errors first; the same problem found by several
    loaders (a file too large, not a spreadsheet) is reported once, for the whole file."""
    merged: dict[tuple, tuple[Problem, str | None]] = {}
    for table, problem in found:
        key = (problem.severity, problem.code, problem.sheet, problem.row, problem.message)
        merged[key] = (problem, None) if key in merged else (problem, table)
    ordered = sorted(merged.values(), key=lambda pair: _report_order(pair[0]))
    return [problem for problem, _ in ordered], [table for _, table in ordered]


#: the code of the line that closes a capped report (``loaders.problems``)
MORE_PROBLEMS_CODE = "more_problems"


def _report_order(problem: Problem) -> tuple:
    """Errors first, then by sheet and row; a sheet's "… and N more problems" line closes
    its sheet (it has no row of its own)."""
    last = problem.code == MORE_PROBLEMS_CODE
    return (not problem.is_error, problem.sheet or "", last, problem.row or 0)


def snapshot_status_date(
    results: Mapping[str, LoadResult], today: dt.date | None = None
) -> dt.date:
    """The date a file's figures stand at: the latest date its title rows declare
    (``Situation au 20/11/2026``), else the latest actual date of its data, else ``today``."""
    declared = [
        pd.Timestamp(r.declared_date)
        for r in results.values()
        if r.declared_date is not None and not pd.isna(r.declared_date)
    ]
    if declared:
        return max(declared).date()
    frames = {table: result.frame for table, result in results.items()}
    return infer_status_date(frames.get("schedule"), frames.get("spending"), today=today)


def _problem(code: str, key: str, lang: str, name: str) -> Problem:
    return Problem("error", code, translate(key, lang, file=name), file=name)


def check_bytes(
    kind: str | None,
    name: str,
    data: bytes,
    lang: str = "fr",
    max_bytes: int | None = None,
    today: dt.date | None = None,
    limits: ReadLimits | None = None,
) -> CheckedFile:
    """Run every loader of the file's kind (detected from the headers when ``kind`` is None).
    Writes nothing. Unexpected failures become one problem, logged, never a traceback.

    The file is read once (``open_shared``): its bytes sniffed and its sheets' extents checked
    once, each sheet parsed once and shared by the loaders of the kind (the finance workbook
    feeds three); each loader still runs every guard and check of its own."""
    digest = sha256_of(data)
    if kind is None:
        try:
            kind = detect_file_kind(data, name, lang, max_bytes, limits)
        except LoadError as error:
            return CheckedFile(
                None, name, data, digest, {}, error.problems, [None] * len(error.problems)
            )
        except Exception:
            logger.exception("unexpected failure detecting the kind of %s", name)
            problem = _problem(UNEXPECTED_CODE, "store.unexpected_error", lang, name)
            return CheckedFile(None, name, data, digest, {}, [problem], [None])
        if kind is None:
            problem = _problem(UNKNOWN_KIND_CODE, "store.unknown_kind", lang, name)
            return CheckedFile(None, name, data, digest, {}, [problem], [None])
    if kind not in FILE_KINDS:
        raise ValueError(f"unknown file kind {kind!r}")

    results: dict[str, LoadResult] = {}
    found: list[tuple[str | None, Problem]] = []
    try:
        raw = open_shared(_named(data, name), max_bytes, lang, limits)
    except LoadError as error:  # too large, not a spreadsheet: what every loader would say
        found = [(table, p) for table in TABLES_OF_FILE[kind] for p in error.problems]
        return CheckedFile(kind, name, data, digest, {}, *merge_problems(found))
    except Exception:
        logger.exception("unexpected failure opening %s", name)
        problem = _problem(UNEXPECTED_CODE, "store.unexpected_error", lang, name)
        found = [(table, problem) for table in TABLES_OF_FILE[kind]]
        return CheckedFile(kind, name, data, digest, {}, *merge_problems(found))
    for table in TABLES_OF_FILE[kind]:
        try:
            result = LOADERS[table](raw, lang=lang, max_bytes=max_bytes, limits=limits)
        except LoadError as error:
            found.extend((table, problem) for problem in error.problems)
            continue
        except Exception:  # a bug or a file no rule foresaw: log it, report it, store nothing
            logger.exception("unexpected failure loading %s as %s", name, table)
            found.append((table, _problem(UNEXPECTED_CODE, "store.unexpected_error", lang, name)))
            continue
        results[table] = result
        found.extend((table, problem) for problem in result.warnings)
    problems, tables = merge_problems(found)
    if len(results) < len(TABLES_OF_FILE[kind]):
        return CheckedFile(kind, name, data, digest, {}, problems, tables)
    status = snapshot_status_date(results, today)
    return CheckedFile(kind, name, data, digest, results, problems, tables, status)


def store_checked(
    store: SnapshotStore,
    checked: CheckedFile,
    imported_by: str,
    imported_at: dt.datetime | None = None,
) -> ImportResult:
    """Store a checked file if it was accepted; a refused one changes nothing. A database
    that cannot take it (full disk, read-only file…) raises ``StoreError``, nothing stored."""
    common = dict(
        kind=checked.kind,
        name=checked.name,
        sha256=checked.sha256,
        problems=checked.problems,
        tables=checked.tables,
    )
    if not checked.accepted:
        store.record(
            "import_refused",
            imported_by or "?",
            kind=checked.kind,
            file_name=checked.name,
            sha256=checked.sha256,
            problems=sum(1 for p in checked.problems if p.is_error),
            at=imported_at,
        )
        return ImportResult(status="rejected", **common)
    assert checked.kind is not None and checked.status_date is not None
    outcome = store.add(
        checked.kind,
        checked.name,
        checked.data,
        checked.results,
        checked.status_date,
        imported_by,
        imported_at,
    )
    return ImportResult(
        status="stored" if outcome.stored else "duplicate",
        rows=checked.rows,
        snapshot_id=outcome.snapshot_id,
        duplicate_of=outcome.duplicate_of,
        status_date=checked.status_date,
        **common,
    )


def import_bytes(
    store: SnapshotStore,
    kind: str | None,
    name: str,
    data: bytes,
    imported_by: str,
    lang: str = "fr",
    max_bytes: int | None = None,
    imported_at: dt.datetime | None = None,
    limits: ReadLimits | None = None,
) -> ImportResult:
    """Validate ``data`` with the loaders of ``kind`` (detected when None) and store it as a
    new snapshot if every table loads. Bytes already stored for the kind (and in use) are
    recognised before any parsing (and again inside the write transaction, for concurrent
    imports); bytes of a withdrawn snapshot are checked and stored again, as a new snapshot.
    ``StoreError`` when the database cannot take it (nothing stored)."""
    if kind is not None:
        if kind not in FILE_KINDS:
            raise ValueError(f"unknown file kind {kind!r}")
        existing = store.find(kind, sha256_of(data))
        if existing is not None:
            store.record(
                "import_duplicate",
                imported_by or "?",
                kind=kind,
                file_name=name,
                sha256=existing.sha256,
                snapshot_id=existing.id,
                at=imported_at,
            )
            return ImportResult(
                kind=kind,
                name=name,
                status="duplicate",
                sha256=existing.sha256,
                rows=dict(existing.tables),
                snapshot_id=existing.id,
                duplicate_of=existing.id,
                status_date=existing.status_date,
            )
    checked = check_bytes(kind, name, data, lang, max_bytes, limits=limits)
    return store_checked(store, checked, imported_by, imported_at)


def default_importer() -> str:
    """The login name of whoever runs the process (the command line's ``--by`` default)."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name in the environment (some containers)
        return "?"


class NotARegularFile(OSError):
    """A path named as a file is a folder, a pipe, a socket or a device."""


#: bytes read per call by ``read_file``
_READ_CHUNK = 1 << 20


def read_file(path: str | os.PathLike, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path``, without reading more than ``max_bytes + 1``
    of them: a longer result means the file is over the limit (its size is ``os.stat``'s).
    Opened without blocking (a pipe with no writer would hang a plain ``open``) and checked
    on the open descriptor (a symlink to ``/dev/zero`` is a device, refused before a byte is
    read). ``NotARegularFile`` or the system's ``OSError`` (not found, permission denied)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotARegularFile(f"not a regular file: {path}")
        chunks, remaining = [], max_bytes + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(_READ_CHUNK, remaining))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)
