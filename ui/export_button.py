"""The workbook download offered on every page (drawn in the sidebar by app.py)."""

from __future__ import annotations

import datetime as dt
import hashlib

import streamlit as st

from exports.workbook import build_workbook, load_warnings, workbook_sources
from i18n.format import format_date
from loaders import LoadResult
from ui.access import download_button
from ui.domain import cached_situation
from ui.shared import current_data, lang, settings, tr


@st.cache_data(show_spinner=False, max_entries=8)
def _workbook(_data, key: tuple, language: str) -> bytes:
    situation = cached_situation(_data)
    return build_workbook(
        situation,
        workbook_sources(_data.results, getattr(_data, "snapshots", {}) or {}, _data.sources),
        load_warnings(_data.results, language),
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
    download_button(
        tr("export.button"),
        document=tr("export.button"),
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
