"""The glue every page uses: settings, language, cached loading and the data currently in use.

No business rule lives here: pages call these helpers, then the domain (``tracking/``) and the
chart functions. Loading is cached on the file bytes, so re-running a page is cheap and an
imported file is read once per language.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import streamlit as st

from exports.templates import build_template
from i18n import has_key, normalise_lang, translate
from loaders import LOADERS, LoadError, LoadResult, Problem, ProjectSettings, load_project
from loaders.problems import problems_frame
from tracking.status import infer_status_date

logger = logging.getLogger(__name__)


def require_app_navigation() -> None:
    """Streamlit treats a ``pages/`` folder beside the main script as an old-style multipage
    app until a run calls ``st.navigation``: a first visitor opening ``/planning`` directly
    would get that page alone, without ``app.py``'s navigation and sidebar (and AppTest
    resets the flag before every run). The brief fixes the folder name, so every page calls
    this first: in that mode it switches to ``st.navigation`` mode and reruns through
    ``app.py``; otherwise it does nothing."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PROJECT = Path("data") / "project.toml"
#: environment variable naming another settings file (another project, a test fixture)
PROJECT_ENV = "TRACKER_PROJECT"

LANGUAGES = {"fr": "Français", "en": "English"}

#: the files a user keeps, and the tables each one holds (the finance workbook holds three)
FILE_KINDS = ("schedule", "finance", "floor-areas")
TABLES_OF_FILE: dict[str, tuple[str, ...]] = {
    "schedule": ("schedule",),
    "finance": ("budget", "contracts", "spending"),
    "floor-areas": ("floor-areas",),
}
#: key of ``settings.data_files`` (``[data]`` in project.toml) holding each file's sample
SAMPLE_KEYS = {"schedule": "schedule", "finance": "spending", "floor-areas": "floor_areas"}
UPLOAD_TYPES = ["xlsx", "xlsm", "xls", "ods", "csv"]

#: session state: file kind -> DataFile accepted from an import (replaces the sample)
IMPORTED_KEY = "data.imported"

UNEXPECTED_CODE = "unexpected_error"


class DataFile(NamedTuple):
    """A spreadsheet as the app holds it: the name the user knows it by and its bytes."""

    name: str
    data: bytes


@dataclass
class ProjectData:
    """The tables in use (``None`` when a file is missing or refused), the status date and
    where each table comes from."""

    schedule: pd.DataFrame | None
    budget: pd.DataFrame | None
    contracts: pd.DataFrame | None
    spending: pd.DataFrame | None
    floor_areas: pd.DataFrame | None
    status_date: dt.date
    #: file kind -> file name
    sources: dict[str, str] = field(default_factory=dict)
    #: file kinds whose file was imported by the user (the others are the bundled samples)
    imported: frozenset[str] = frozenset()
    #: table kind -> LoadResult, or the problems that kept it from loading
    results: dict[str, LoadResult | list[Problem]] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        """Table kinds with no data (file absent or refused)."""
        return [kind for kind in _TABLE_FIELDS if self.frame(kind) is None]

    def frame(self, table: str) -> pd.DataFrame | None:
        return getattr(self, _TABLE_FIELDS[table])


_TABLE_FIELDS = {
    "schedule": "schedule",
    "budget": "budget",
    "contracts": "contracts",
    "spending": "spending",
    "floor-areas": "floor_areas",
}


@dataclass
class ImportOutcome:
    """What became of one imported file: accepted or not, with every problem found."""

    kind: str
    name: str
    accepted: bool
    #: errors and warnings of every table in the file, errors first
    problems: list[Problem] = field(default_factory=list)
    #: table kind -> number of rows loaded (accepted files only)
    rows: dict[str, int] = field(default_factory=dict)
    #: the table each problem was found by, in the order of ``problems``; ``None`` when every
    #: loader found it (a problem of the whole file: too large, not a spreadsheet…)
    tables: list[str | None] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def unexpected(self) -> bool:
        return any(p.code == UNEXPECTED_CODE for p in self.problems)


# --- settings and language ------------------------------------------------------------------


def project_path() -> Path:
    """The settings file: ``$TRACKER_PROJECT`` if set, else ``data/project.toml`` of the repo."""
    configured = os.environ.get(PROJECT_ENV)
    if configured:
        return Path(configured)
    return ROOT / DEFAULT_PROJECT


@st.cache_resource(show_spinner=False)
def _cached_settings(path: str, modified: int, lang: str) -> ProjectSettings:
    return load_project(path, lang)


def settings() -> ProjectSettings:
    """The project settings (cached; re-read when the file changes). Raises ``LoadError``."""
    path = project_path()
    try:
        modified = path.stat().st_mtime_ns
    except OSError:
        modified = 0
    return _cached_settings(str(path), modified, lang())


def lang() -> str:
    """The user's language: ``st.session_state["lang"]``, French by default."""
    return normalise_lang(st.session_state.get("lang"))


def tr(key: str, **params: Any) -> str:
    """``key`` translated into the user's language."""
    return translate(key, lang(), **params)


def column_title(name: str) -> str:
    """A canonical column's label in the user's language (``start`` -> ``Début prévu``)."""
    for key in (f"column.{name}", f"data_page.extra_column.{name}"):
        if has_key(key, lang()):
            return tr(key)
    return name


# --- loading --------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def cached_load(
    kind: str, data: bytes, name: str, lang: str = "fr", max_bytes: int | None = None
) -> LoadResult | list[Problem]:
    """The table ``kind`` read from ``data``: a ``LoadResult``, or the list of problems that
    refused it (a LoadError is not picklable for the cache; its problems are)."""
    source = io.BytesIO(data)
    source.name = name  # the loaders report problems under the user's file name
    try:
        return LOADERS[kind](source, lang=lang, max_bytes=max_bytes)
    except LoadError as error:
        return list(error.problems)


@st.cache_data(show_spinner=False)
def cached_template(kind: str, lang: str) -> bytes:
    return build_template(kind, lang)


def load_file(kind: str, file: DataFile) -> dict[str, LoadResult | list[Problem]]:
    """Every table of the file kind read from ``file`` (the finance workbook feeds three
    loaders, each finding its own sheet). Unexpected failures become one generic problem."""
    try:
        max_bytes = settings().max_upload_bytes
    except LoadError:
        max_bytes = None
    results: dict[str, LoadResult | list[Problem]] = {}
    for table in TABLES_OF_FILE[kind]:
        try:
            results[table] = cached_load(table, file.data, file.name, lang(), max_bytes)
        except Exception:  # a bug or a file no rule foresaw: log it, never show a traceback
            logger.exception("unexpected failure loading %s as %s", file.name, table)
            results[table] = [unexpected_problem(file.name)]
    return results


def unexpected_problem(name: str) -> Problem:
    return Problem(
        "error",
        UNEXPECTED_CODE,
        tr("data_page.unexpected_error", file=name),
        file=name,
    )


def _state(state: MutableMapping | None) -> MutableMapping:
    return st.session_state if state is None else state


def sample_files() -> dict[str, DataFile]:
    """The bundled sample of each file kind named in the settings (absent files left out)."""
    try:
        data_files = settings().data_files
    except LoadError:
        return {}
    samples: dict[str, DataFile] = {}
    for kind in FILE_KINDS:
        path = data_files.get(SAMPLE_KEYS[kind])
        if path is not None and Path(path).is_file():
            samples[kind] = DataFile(Path(path).name, Path(path).read_bytes())
    return samples


def current_files(state: MutableMapping | None = None) -> dict[str, DataFile]:
    """For each file kind, the file in use: the user's accepted import, else the sample."""
    imported = _state(state).get(IMPORTED_KEY, {})
    files = sample_files()
    files.update({kind: imported[kind] for kind in FILE_KINDS if kind in imported})
    return {kind: files[kind] for kind in FILE_KINDS if kind in files}


def is_imported(kind: str, state: MutableMapping | None = None) -> bool:
    return kind in _state(state).get(IMPORTED_KEY, {})


def current_results(state: MutableMapping | None = None) -> dict[str, LoadResult | list[Problem]]:
    """Table kind -> LoadResult (or problems) for every table of the files in use."""
    results: dict[str, LoadResult | list[Problem]] = {}
    for kind, file in current_files(state).items():
        results.update(load_file(kind, file))
    return results


def current_data(state: MutableMapping | None = None, today: dt.date | None = None) -> ProjectData:
    """The loaded tables, the status date (``schedule.status_date`` of the settings, else the
    latest date found in the data, not after today) and the file each table comes from."""
    today = today or dt.date.today()
    files = current_files(state)
    results: dict[str, LoadResult | list[Problem]] = {}
    for kind, file in files.items():
        results.update(load_file(kind, file))
    frames = {
        table: result.frame if isinstance(result, LoadResult) else None
        for table, result in results.items()
    }
    try:
        configured = settings().status_date
    except LoadError:
        configured = None
    # the date the schedule and the finance workbook say they stand at (the room schedule
    # is a programme, its date says nothing about progress)
    declared = [
        result.declared_date
        for table, result in results.items()
        if table in ("schedule", "budget", "contracts", "spending")
        and isinstance(result, LoadResult)
    ]
    status = infer_status_date(
        frames.get("schedule"), frames.get("spending"), configured, today, declared
    )
    return ProjectData(
        schedule=frames.get("schedule"),
        budget=frames.get("budget"),
        contracts=frames.get("contracts"),
        spending=frames.get("spending"),
        floor_areas=frames.get("floor-areas"),
        status_date=status,
        sources={kind: file.name for kind, file in files.items()},
        imported=frozenset(kind for kind in files if is_imported(kind, state)),
        results=results,
    )


# --- import ---------------------------------------------------------------------------------


def _merge(found: list[tuple[str, Problem]]) -> tuple[list[Problem], list[str | None]]:
    """Problems of every table of a file, errors first; the same problem found by several
    loaders (a file too large, not a spreadsheet) is reported once, for the whole file."""
    merged: dict[tuple, tuple[Problem, str | None]] = {}
    for table, problem in found:
        key = (problem.severity, problem.code, problem.sheet, problem.row, problem.message)
        merged[key] = (problem, None) if key in merged else (problem, table)
    ordered = sorted(
        merged.values(),
        key=lambda pair: (not pair[0].is_error, pair[0].sheet or "", pair[0].row or 0),
    )
    return [problem for problem, _ in ordered], [table for _, table in ordered]


def import_file(
    kind: str, name: str, data: bytes, state: MutableMapping | None = None
) -> ImportOutcome:
    """Validate an uploaded file of ``kind``; if every table in it loads, it becomes the data
    in use for that kind, otherwise nothing changes. The one place an import is decided (a
    history store and a confirmation step will hook in here)."""
    results = load_file(kind, DataFile(name, data))
    found: list[tuple[str, Problem]] = []
    refused = False
    for table, result in results.items():
        if isinstance(result, LoadResult):
            found.extend((table, problem) for problem in result.warnings)
        else:
            refused = True
            found.extend((table, problem) for problem in result)
    problems, tables = _merge(found)
    if refused:
        return ImportOutcome(kind, name, accepted=False, problems=problems, tables=tables)
    target = _state(state)
    imported = dict(target.get(IMPORTED_KEY, {}))
    imported[kind] = DataFile(name, data)
    target[IMPORTED_KEY] = imported
    rows = {table: len(result.frame) for table, result in results.items()}
    return ImportOutcome(kind, name, True, problems=problems, rows=rows, tables=tables)


def report_frame(problems: list[Problem], tables: list[str | None] | None = None) -> pd.DataFrame:
    """Problems as the user reads them: severity, (table,) sheet, row, column, value, message
    with headers in the user's language, errors first. ``tables`` names the table of each
    problem, for a file that holds several."""
    frame = problems_frame(problems)
    frame = frame.assign(severity=frame["severity"].map(lambda s: tr(f"severity.{s}")))
    frame = frame.drop(columns=["code"])
    if tables is not None:
        # problems_frame sorts but keeps each problem's position as the index label
        names = [tr(f"data_page.table.{t}") if t else "" for t in tables]
        frame.insert(1, "table", [names[position] for position in frame.index])
    headers = {name: tr(f"data_page.report.{name}") for name in frame.columns}
    return frame.rename(columns=headers).reset_index(drop=True)
