"""The stakeholders' workbook offered on every page (drawn in the sidebar by app.py).

Built only when asked: a page view draws a "Préparer le classeur Excel" button, and the
workbook is written when it is clicked (at the scale of a real programme it is a million
cells: 28 s of a first view went into writing it before anyone asked). The bytes are then
kept, for this session and in a shared cache, on the data's key (``ui.domain.data_key``: the
status date and the snapshot ids in use) and the language, and offered for download until
the data or the language change."""

from __future__ import annotations

import datetime as dt
import logging

import streamlit as st

from exports.workbook import build_workbook, load_warnings, workbook_sources
from i18n.format import format_date
from ui.access import download_button
from ui.domain import cached_situation, data_key
from ui.shared import current_data, lang, settings, tr

logger = logging.getLogger(__name__)

#: the session's prepared workbook: (key, bytes)
SLOT = "app.export.prepared"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def _ask() -> None:
    # recorded by the button's callback, before the script runs: a rerun on the way (the
    # navigation's) does not lose the click as it loses a button's value
    st.session_state[f"{SLOT}.asked"] = True


def export_button() -> None:
    """ "Préparer le classeur Excel" until it is built for the data and language in use, then
    "Télécharger le classeur Excel"."""
    data = current_data()
    language = lang()
    key = (data_key(data), language)
    prepared = st.session_state.get(SLOT)
    if prepared is None or prepared[0] != key:
        if not st.session_state.pop(f"{SLOT}.asked", False):
            st.button(
                tr("export.prepare"),
                help=tr("export.prepare_help"),
                icon=":material/table_view:",
                key="app.export.prepare",
                width="stretch",
                on_click=_ask,
            )
            return
        with st.spinner(tr("export.preparing")):
            content = _workbook(data, key, language)
        st.session_state[SLOT] = prepared = (key, content)
    project = settings()
    name = f"{project.name} - situation {format_date(data.status_date, language).replace('/', '-')}.xlsx"
    download_button(
        tr("export.button"),
        document=tr("export.button"),
        data=prepared[1],
        file_name=name,
        mime=XLSX_MIME,
        help=tr("export.button_help"),
        icon=":material/download:",
        key="app.export",
        width="stretch",
    )
