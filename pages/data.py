"""Données: the files in use, the import of a new one (validation report, what it changes,
confirmation by a named importer) and the history of every accepted import.

Nothing is stored before the user confirms, a refused file stores nothing, and a stored file
never replaces what was there: it joins the history (``store/``), whose latest situation is
the data every page reads. What the page shows comes from ``views.data``."""

from __future__ import annotations

import streamlit as st

from exports.templates import TEMPLATES_OF_FILE, template_file_name
from i18n.format import format_date
from ui.access import current_access, download_button
from ui.data_import import (
    HISTORY_PICK,
    importer_input,
    show_current,
    show_rows,
    show_upload,
    show_withdraw,
    upload_options,
)
from ui.navigation import require_app_navigation
from ui.render import show_table
from ui.shared import (
    FILE_KINDS,
    cached_template,
    current_data,
    lang,
    page_part,
    settings,
    store,
    tr,
)
from views.data import history_table

require_app_navigation()


def file_card(kind: str, max_upload_mb: float, language: str, can_edit: bool) -> None:
    """A file kind: what is in use, and for an editor the upload and its report."""
    with st.container(border=True, key=f"data.card.{kind}"):
        st.subheader(tr(f"data_page.file.{kind}.title"))
        st.caption(tr(f"data_page.file.{kind}.help"))
        current, actions = st.columns([3, 2], gap="large")
        uploaded = None
        with actions:
            if can_edit:
                uploaded = st.file_uploader(
                    tr("data_page.upload_label"),
                    key=f"data.upload.{kind}",
                    **upload_options(kind, max_upload_mb),
                    max_upload_size=max(1, int(max_upload_mb)),
                )
            st.caption(tr("data_page.templates_help"))
            for table in TEMPLATES_OF_FILE[kind]:
                label = tr("data_page.template_button", table=tr(f"data_page.table.{table}"))
                download_button(
                    label,
                    data=cached_template(table, language),
                    file_name=template_file_name(table, language),
                    key=f"data.template.{table}",
                    icon=":material/download:",
                )
        data = (
            current_data()
        )  # a confirmed import was stored by the button's callback, before this run
        with current, page_part(f"data.current.{kind}"):
            show_current(kind, data, language)
        with page_part(f"data.upload.{kind}"):
            show_upload(kind, uploaded, language)
        with page_part(f"data.previews.{kind}"):
            show_rows(kind, data, language)


def show_history(language: str, can_edit: bool) -> None:
    st.subheader(tr("data_page.history_title"))
    st.caption(tr("data_page.history_intro"))
    infos = store().list()
    if not infos:
        st.info(tr("data_page.history_empty"))
        return
    in_use = {info.id for info in current_data().snapshots.values()}
    table = history_table(infos, in_use, language)
    with st.container(key="data.history"):
        show_table(table, height=400 if len(table) > 10 else "auto")
    by_id = {info.id: info for info in infos}
    pick, button = st.columns([3, 2], vertical_alignment="bottom")
    chosen = pick.selectbox(
        tr("data_page.history_pick"),
        options=list(by_id),
        format_func=lambda i: tr(
            "data_page.history_option",
            id=i,
            name=by_id[i].name,
            kind=tr(f"store.file_kind.{by_id[i].kind}"),
            date=format_date(by_id[i].status_date, language),
        ),
        key=HISTORY_PICK,
    )
    if chosen is not None:
        with button:
            download_button(
                tr("data_page.history_download"),
                data=store().file_bytes(chosen),
                file_name=by_id[chosen].name,
                mime="application/octet-stream",
                key="data.history.download",
                icon=":material/download:",
                document=tr("data_page.history_option_short", id=chosen, name=by_id[chosen].name),
            )
        if can_edit:
            show_withdraw(by_id[chosen], language)


st.title(tr("data_page.title"))
st.caption(tr("data_page.intro"))
editor = current_access().can_edit
if editor:
    importer_input()
else:
    st.info(tr("access.viewer_read_only"), icon=":material/visibility:")
for file_kind in FILE_KINDS:
    file_card(file_kind, settings().max_upload_mb, lang(), editor)
with page_part("data.history"):
    show_history(lang(), editor)
