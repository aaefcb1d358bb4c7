"""The glue every page uses: settings, language, the snapshot store and the data in use.

No business rule lives here: pages call these helpers, then the domain (``tracking/``) and the
chart functions. The data in use is the latest situation of the snapshot history
(``store.current``); reading it back is cached on the snapshot ids, so re-running a page is
cheap and a new import is read once.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from exports.templates import build_template
from i18n import has_key, normalise_lang, translate
from loaders import LoadError, LoadResult, Problem, ProjectSettings, load_project
from store import FILE_KINDS as FILE_KINDS  # re-exported: the pages' one definition
from store import TABLES_OF_FILE as TABLES_OF_FILE
from store import (
    CheckedFile,
    ImportResult,
    Situation,
    SnapshotInfo,
    SnapshotStore,
    StoreError,
    check_bytes,
    resolve_db_path,
    store_checked,
)
from store.current import (
    CurrentTables,
    open_seeded_store,
    situation_at,
    tables_of,
    weekly_situations,
)
from store.seed import SAMPLE_IMPORTER
from ui.markdown_text import escape_params
from ui.markdown_text import plain as plain  # re-exported for the pages

logger = logging.getLogger(__name__)


ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PROJECT = Path("data") / "project.toml"
#: environment variable naming another settings file (another project, a test fixture)
PROJECT_ENV = "TRACKER_PROJECT"

LANGUAGES = {"fr": "Français", "en": "English"}

UPLOAD_TYPES = ["xlsx", "xlsm", "xls", "ods", "csv"]


@dataclass
class ProjectData:
    """The tables in use (``None`` when no file of that kind was ever accepted), the status
    date and where each table comes from."""

    schedule: pd.DataFrame | None
    budget: pd.DataFrame | None
    contracts: pd.DataFrame | None
    spending: pd.DataFrame | None
    floor_areas: pd.DataFrame | None
    status_date: dt.date
    #: file kind -> file name
    sources: dict[str, str] = field(default_factory=dict)
    #: file kinds whose file was imported by a user (the others are the bundled samples)
    imported: frozenset[str] = frozenset()
    #: table kind -> LoadResult (warnings, sheet, header row… of the stored import)
    results: dict[str, LoadResult | list[Problem]] = field(default_factory=dict)
    #: file kind -> the snapshot in use (id, file, SHA-256, who imported it and when)
    snapshots: dict[str, SnapshotInfo] = field(default_factory=dict)
    #: the calendars a project file brings with its schedule (None for a spreadsheet)
    calendars: pd.DataFrame | None = None
    #: the steering registers in force (None when none was ever recorded)
    decisions: pd.DataFrame | None = None
    actions: pd.DataFrame | None = None
    risks: pd.DataFrame | None = None

    @property
    def missing(self) -> list[str]:
        """Table kinds with no data."""
        return [kind for kind in _TABLE_FIELDS if self.frame(kind) is None]

    def frame(self, table: str) -> pd.DataFrame | None:
        return getattr(self, _TABLE_FIELDS[table])


_TABLE_FIELDS = {
    "schedule": "schedule",
    "budget": "budget",
    "contracts": "contracts",
    "spending": "spending",
    "floor-areas": "floor_areas",
    "decisions": "decisions",
    "actions": "actions",
    "risks": "risks",
}


# --- settings and language ------------------------------------------------------------------


def project_path() -> Path:
    """The settings file: ``$TRACKER_PROJECT`` if set, else ``data/project.toml`` of the repo."""
    configured = os.environ.get(PROJECT_ENV)
    if configured:
        return Path(configured)
    return ROOT / DEFAULT_PROJECT


@functools.lru_cache(maxsize=16)  # a page asks for the settings hundreds of times a run: a
# plain dictionary lookup, not st.cache_resource's hashing of its arguments (1 ms a call)
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
    """``key`` translated into the user's language (plain text: for tables, titles, files)."""
    return translate(key, lang(), **params)


def md(key: str, **params: Any) -> str:
    """``key`` translated for a Markdown element (``st.markdown``, captions, alerts, labels):
    the template is the app's own Markdown, its parameters (a file name, a payee, a task) are
    shown literally."""
    return translate(key, lang(), **escape_params(params))


def column_title(name: str) -> str:
    """A canonical column's label in the user's language (``start`` -> ``Début prévu``)."""
    for key in (f"column.{name}", f"data_page.extra_column.{name}"):
        if has_key(key, lang()):
            return tr(key)
    return name


# --- error boundaries -----------------------------------------------------------------------


@contextmanager
def page_part(name: str) -> Iterator[None]:
    """One part of a page (a chart, a table, the sidebar's workbook button) drawn inside an
    error boundary: if it fails, a short translated message takes its place and the failure
    is logged with its traceback; the rest of the page still renders. ``st.stop()`` and
    reruns are ``BaseException`` and pass through."""
    try:
        yield
    except StoreError as error:  # the history database: say what is wrong and what to do
        logger.exception("page part %r: the snapshot store failed", name)
        st.error(error.message(lang()), icon=":material/database:")
    except Exception:
        logger.exception("page part %r failed", name)
        st.warning(tr("app.part_error"), icon=":material/report:")


# --- the snapshot store and the data in use -------------------------------------------------


@st.cache_resource(show_spinner=False)
def _store_at(path: str) -> SnapshotStore:
    return open_seeded_store(settings(), path)


def store() -> SnapshotStore:
    """The snapshot history (``$TRACKER_DB``, else ``var/tracker.sqlite``), opened once per
    database file and seeded with the sample history when empty."""
    return _store_at(str(resolve_db_path()))


def situation_key(situation: Situation) -> tuple:
    """What identifies a situation's data (a cache key): its date and its snapshot ids."""
    return (situation.status_date, tuple(sorted(situation.snapshots.items())))


@st.cache_resource(show_spinner=False, max_entries=8)  # shared, never copied (see ui.domain)
def _tables(db: str, key: tuple) -> CurrentTables:
    status_date, snapshot_ids = key
    return tables_of(_store_at(db), Situation(status_date, dict(snapshot_ids)))


def situations() -> list[Situation]:
    """Every weekly situation of the history, oldest first (two cheap queries)."""
    return weekly_situations(store())


def situation_tables(situation: Situation) -> CurrentTables:
    """The tables of ``situation``, read back once per set of snapshot ids."""
    return _tables(str(resolve_db_path()), situation_key(situation))


def tables_at(at: dt.date | None = None) -> CurrentTables:
    """``store.current.current_tables`` through the cache: the latest situation, or the one
    current at ``at``."""
    situation = situation_at(store(), at)
    if situation is None:
        return CurrentTables(at or dt.date.today())
    return situation_tables(situation)


def current_data(today: dt.date | None = None) -> ProjectData:
    """The data in use: the tables of the latest situation of the history. A status date set
    in the settings (``schedule.status_date``) wins, and picks the situation current at that
    date (the latest one when the history starts after it)."""
    try:
        configured = settings().status_date
    except LoadError:
        configured = None
    tables = tables_at(configured)
    if tables.empty and configured is not None:
        tables = tables_at()
    status = configured or (tables.status_date if not tables.empty else today or dt.date.today())
    frames = tables.frames
    return ProjectData(
        schedule=frames.get("schedule"),
        budget=frames.get("budget"),
        contracts=frames.get("contracts"),
        spending=frames.get("spending"),
        floor_areas=frames.get("floor-areas"),
        status_date=status,
        sources={kind: info.name for kind, info in tables.snapshots.items()},
        imported=frozenset(
            kind for kind, info in tables.snapshots.items() if info.imported_by != SAMPLE_IMPORTER
        ),
        results=dict(tables.results),
        snapshots=dict(tables.snapshots),
        calendars=frames.get("calendars"),
        decisions=frames.get("decisions"),
        actions=frames.get("actions"),
        risks=frames.get("risks"),
    )


@st.cache_data(show_spinner=False)
def cached_template(kind: str, lang: str) -> bytes:
    return build_template(kind, lang)


# --- import ---------------------------------------------------------------------------------


def user_name() -> str | None:
    """The signed-in user's name (or e-mail) when the app has a login, else ``None``."""
    try:
        info = st.user.to_dict()
    except Exception:  # no user information in this context (tests, bare mode)
        return None
    if not info.get("is_logged_in"):
        return None
    name = info.get("name") or info.get("email")
    return str(name) if name else None


#: the importer's name typed on the Données page, remembered for the session
IMPORTER_NAME = "importer.name"


def importer_default() -> str:
    """Who imports, unless typed otherwise: the signed-in user, else the name typed earlier
    in this session, else nothing (the page asks for it; never the server's OS account)."""
    return user_name() or str(st.session_state.get(IMPORTER_NAME) or "").strip()


def remember_importer(name: str) -> None:
    """Keep the importer's name for the rest of the session (pages' widget state is dropped
    when the reader leaves the page)."""
    st.session_state[IMPORTER_NAME] = name.strip()


def check_upload(kind: str, name: str, data: bytes) -> CheckedFile:
    """Run the loaders of ``kind`` on an uploaded file; nothing is stored."""
    try:
        limits = settings().read_limits
    except LoadError:
        limits = None  # the loaders' default bounds
    return check_bytes(kind, name, data, lang(), limits=limits)


def confirm_import(checked: CheckedFile, imported_by: str) -> ImportResult:
    """Store a checked file as a new snapshot (or recognise it as already stored); a refused
    file stores nothing. The data in use follows on the next read."""
    return store_checked(store(), checked, imported_by)
