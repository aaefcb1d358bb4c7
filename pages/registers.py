"""Registres: the steering committee's decisions, actions and risks — read, filtered, edited
(editors), with the decisions the rules suggest and the history of any item. Every version is
a snapshot of the history, recorded through the loaders like an imported file."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from charts.registers import risk_heat_map
from exports.registers_file import registers_file_name, registers_workbook
from i18n.format import format_date
from loaders.schema import ACTIONS, DECISIONS, RISKS
from store import REGISTER_KIND
from tracking.governance import Registers, item_history, suggested_decisions
from ui.access import current_access, download_button
from ui.data_import import importer_input
from ui.domain import cached_situation
from ui.navigation import require_app_navigation
from ui.registers import edit_register, show_outcome, show_suggestions, with_trend
from ui.render import show_static_table, show_table
from ui.shared import current_data, lang, md, page_part, plain, settings, store, tr
from views.governance import (
    actions_table,
    decisions_table,
    heat_cells,
    history_table,
    risks_table,
)

require_app_navigation()

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCHEMAS = {DECISIONS.kind: DECISIONS, ACTIONS.kind: ACTIONS, RISKS.kind: RISKS}
TABLES = {DECISIONS.kind: decisions_table, ACTIONS.kind: actions_table, RISKS.kind: risks_table}

language = lang()
project = settings()
access = current_access()
data = current_data()
st.title(tr("registers.page_title"))
st.caption(tr("registers.page_intro"))
show_outcome()

situation = cached_situation(data)
governance = with_trend(situation.governance, data)  # the risks' trend since last week
registers = (
    Registers.of({"decisions": data.decisions, "actions": data.actions, "risks": data.risks})
    or Registers.empty()
)
version = data.snapshots.get(REGISTER_KIND)
if version is None:
    st.info(tr("registers.none"), icon=":material/info:")
else:
    st.caption(
        md(
            "registers.version",
            id=version.id,
            by=version.imported_by,
            at=version.imported_at.strftime("%d/%m/%Y %H:%M"),
            date=format_date(data.status_date, language),
        )
    )
editable = access.can_edit
if editable:
    importer_input()

with page_part("registers.suggestions"):
    st.subheader(tr("registers.suggestions_title"))
    st.caption(tr("registers.suggestions_intro"))
    if governance is not None:
        suggestions = governance.suggestions
    else:  # no register yet: the rules speak all the same
        suggestions = suggested_decisions(
            registers.decisions,
            situation.planning,
            situation.spending,
            project.envelope,
            project.amendment_threshold,
        )
    show_suggestions(suggestions, registers, editable)

tabs = st.tabs([tr(f"data_page.table.{kind}") for kind in SCHEMAS])
for tab, (kind, schema) in zip(tabs, SCHEMAS.items(), strict=True):
    with tab, page_part(f"registers.{kind}"):
        editing = editable and st.toggle(tr("registers.edit"), key=f"registers.editing.{kind}")
        if editing:
            edit_register(schema, registers, version.id if version else None)
            continue
        if governance is None:
            st.info(tr(f"registers.{kind}_empty"), icon=":material/info:")
            continue
        table = TABLES[kind](governance, language)
        search = st.text_input(
            tr("registers.search"), key=f"registers.search.{kind}", max_chars=100
        )
        if search:
            text = table.frame.astype("str").apply(lambda row: " ".join(row).casefold(), axis=1)
            kept = text.str.contains(search.casefold(), regex=False).to_numpy()
            table = replace(table, frame=table.frame[kept].reset_index(drop=True), highlight=None)
        show_table(table, download=True, height=420 if len(table) > 10 else "auto")
        if kind == RISKS.kind:
            heat = risk_heat_map(heat_cells(governance, language), language)
            st.plotly_chart(heat, width="stretch", key="registers.heat")

with page_part("registers.history"):
    st.subheader(tr("registers.history_title"))
    versions = [info for info in store().list(REGISTER_KIND) if not info.withdrawn]
    versions.sort(key=lambda info: (info.imported_at, info.id))
    items = [
        (kind, item)
        for kind, schema in SCHEMAS.items()
        for item in registers.frames()[kind][schema.columns[0].name].dropna().tolist()
    ]
    if not versions or not items:
        st.caption(tr("registers.history_empty"))
    else:
        picked = st.selectbox(
            tr("registers.history_pick"),
            options=items,
            format_func=lambda pair: f"{pair[1]} · {tr(f'data_page.table.{pair[0]}')}",
            key="registers.history.item",
        )
        kind, item = picked
        frames = [(info, store().get(info.id).results[kind].frame) for info in versions]
        history = item_history(
            [(i.id, i.imported_at, i.imported_by, f) for i, f in frames], SCHEMAS[kind], item
        )
        with st.container(key="registers-history"):  # text, not a canvas: read and printed
            show_static_table(history_table(history, SCHEMAS[kind], language))

if version is not None:
    download_button(
        tr("registers.download"),
        data=registers_workbook(
            registers.frames(), language, project=settings().name, status_date=data.status_date
        ),
        file_name=registers_file_name(language),
        mime=XLSX_MIME,
        key="registers.download",
        icon=":material/download:",
    )
    st.caption(plain(tr("registers.download_help")))
