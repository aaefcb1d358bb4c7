"""The workbook download offered on every page (drawn in the sidebar by app.py)."""

from __future__ import annotations

import datetime as dt
import hashlib

import streamlit as st

from exports.workbook import SourceInfo, build_workbook
from i18n.format import format_date
from loaders import LoadResult
from pages.domain import cached_situation
from pages.shared import TABLES_OF_FILE, current_data, lang, settings, tr

FILE_OF_TABLE = {table: file for file, tables in TABLES_OF_FILE.items() for table in tables}


def workbook_sources(data) -> list[SourceInfo]:
    """One line per table: the file it was read from, its SHA-256, who imported it and when."""
    snapshots = getattr(data, "snapshots", {}) or {}
    sources: list[SourceInfo] = []
    for table, result in data.results.items():
        if not isinstance(result, LoadResult):
            continue
        file_kind = FILE_OF_TABLE.get(table, table)
        info = snapshots.get(file_kind)
        sources.append(
            SourceInfo(
                kind=table,
                name=data.sources.get(file_kind, result.source_name or ""),
                sha256=getattr(info, "sha256", None),
                imported_at=getattr(info, "imported_at", None),
                imported_by=getattr(info, "imported_by", None),
                rows=len(result.frame),
                status_date=getattr(info, "status_date", None),
            )
        )
    return sources


@st.cache_data(show_spinner=False, max_entries=8)
def _workbook(_data, key: tuple, language: str) -> bytes:
    situation = cached_situation(_data)
    problems = [
        warning.render(language)
        for result in _data.results.values()
        if isinstance(result, LoadResult)
        for warning in result.warnings
    ]
    return build_workbook(
        situation,
        workbook_sources(_data),
        problems,
        language,
        generated_at=dt.datetime.now().replace(microsecond=0),
    )


def export_button() -> None:
    """The "Télécharger le classeur Excel" button, cached on the data in use and the language."""
    data = current_data()
    language = lang()
    fingerprint = hashlib.sha256()
    for table, result in sorted(data.results.items()):
        if isinstance(result, LoadResult):
            fingerprint.update(table.encode())
            fingerprint.update(str(pd_hash(result.frame)).encode())
    key = (str(data.status_date), fingerprint.hexdigest())
    content = _workbook(data, key, language)
    project = settings()
    name = f"{project.name} - situation {format_date(data.status_date, language).replace('/', '-')}.xlsx"
    st.download_button(
        tr("export.button"),
        data=content,
        file_name=name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        help=tr("export.button_help"),
        icon=":material/download:",
        key="app.export",
        width="stretch",
    )


def pd_hash(frame) -> int:
    import pandas as pd

    return int(pd.util.hash_pandas_object(frame, index=False).sum())
