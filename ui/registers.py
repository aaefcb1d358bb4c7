"""The registers on the pages: the Synthèse's « Pilotage » block, the weekly review's part, and
the registers page's editor: each register drawn in a validated table editor (dates, scales,
statuses from their lists), its rows given back as codes, and a save that records a new
version through the loaders (``exports.registers_file.record_registers``): a bad value is
refused with its reason and nothing is stored."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pandas as pd
import streamlit as st

from charts.registers import risk_heat_map
from exports.registers_file import HEADER_ROW, record_registers, words_of
from loaders import LoadError
from loaders.registers import SCALE, VOCABULARIES
from loaders.schema import DECISIONS, TableSchema
from tracking.governance import Registers, Suggestion, scored_risks
from ui.access import current_access
from ui.data_import import importer, show_report
from ui.render import first_items, show_static_table, show_table
from ui.shared import lang, md, plain, settings, situation_tables, situations, store, tr
from views.briefing import late_interest_line
from views.governance import (
    change_tables,
    expected_table,
    heat_cells,
    overdue_table,
    register_changes,
    suggestion_text,
    top_risks_table,
)

#: the first data row of a register sheet, as Excel numbers it
FIRST_ROW = HEADER_ROW + 2
#: session key of the last save's outcome, shown once after the rerun
OUTCOME = "registers.outcome"
COMPACT = {"displayModeBar": False}


def _limits():
    try:
        return settings().read_limits
    except LoadError:
        return None


def column_config(schema: TableSchema, language: str) -> dict:
    """The editor's columns: dates as dates, 1–5 scales as whole numbers, statuses and
    responses as lists, ids required."""
    config: dict = {}
    low, high = SCALE
    for column in schema.columns:
        label = tr(f"column.{column.name}")
        vocabulary = VOCABULARIES[schema.kind].get(column.name)
        if vocabulary is not None:
            options = list(words_of(schema.kind, column.name, language).values())
            config[column.name] = st.column_config.SelectboxColumn(
                label, options=options, required=column.required
            )
        elif column.type == "date":
            config[column.name] = st.column_config.DateColumn(label, format="DD/MM/YYYY")
        elif column.name in ("probability", "impact"):
            config[column.name] = st.column_config.NumberColumn(
                label, min_value=low, max_value=high, step=1, required=True
            )
        elif column.type in ("number", "money"):
            config[column.name] = st.column_config.NumberColumn(
                label, min_value=0, format="%.2f" if column.type == "money" else "%d"
            )
        else:
            config[column.name] = st.column_config.TextColumn(
                label, required=column.required, max_chars=2000
            )
    return config


def editor_frame(frame: pd.DataFrame, schema: TableSchema, language: str) -> pd.DataFrame:
    """The register as the editor shows it: its columns in order, codes as words."""
    shown = frame[schema.names].copy()
    for column in VOCABULARIES[schema.kind]:
        words = words_of(schema.kind, column, language)
        shown[column] = shown[column].map(
            lambda c, w=words: w.get(c, c) if isinstance(c, str) else None
        )
    for column in schema.columns:
        if column.type == "date":
            shown[column.name] = pd.to_datetime(shown[column.name]).dt.date
    return shown.astype(object).where(shown.notna(), None).reset_index(drop=True)


def edited_register(edited: pd.DataFrame, schema: TableSchema, language: str) -> pd.DataFrame:
    """The editor's rows as a register frame: words back to codes, blank cells empty, rows
    left wholly blank dropped."""
    frame = edited.copy()
    for column in VOCABULARIES[schema.kind]:
        codes = {word: code for code, word in words_of(schema.kind, column, language).items()}
        frame[column] = frame[column].map(
            lambda w, c=codes: c.get(w, w) if isinstance(w, str) else None
        )
    for column in schema.columns:
        if column.type == "date":
            frame[column.name] = pd.to_datetime(frame[column.name], errors="coerce")
        elif column.type not in ("number", "money"):
            frame[column.name] = frame[column.name].map(
                lambda v: v.strip() or None if isinstance(v, str) else v
            )
    blank = frame[schema.names].isna().all(axis=1)
    return frame[~blank].reset_index(drop=True)


def same_register(before: pd.DataFrame, after: pd.DataFrame, schema: TableSchema) -> bool:
    a = before[schema.names].reset_index(drop=True).astype(object)
    b = after[schema.names].reset_index(drop=True).astype(object)
    return a.shape == b.shape and bool((a.isna() & b.isna() | (a == b)).all().all())


def save(registers: Registers, replaced: dict[str, pd.DataFrame]) -> None:
    """Record the registers with ``replaced`` registers as a new version; the outcome is kept
    for the next run (a refusal with its problems, nothing stored)."""
    frames = {**registers.frames(), **replaced}
    result = record_registers(
        store(),
        frames,
        lang=lang(),
        recorded_by=importer() or "?",
        project=settings().name,
        limits=_limits(),
    )
    st.session_state[OUTCOME] = result


def show_outcome() -> None:
    result = st.session_state.pop(OUTCOME, None)
    if result is None:
        return
    if result.status == "stored":
        st.success(md("registers.saved", id=result.snapshot_id), icon=":material/check_circle:")
    elif result.status == "duplicate":
        st.info(tr("registers.unchanged"), icon=":material/info:")
    else:
        st.error(
            md(
                "registers.refused",
                count=len([p for p in result.problems if p.severity == "error"]),
            ),
            icon=":material/block:",
        )
        show_report(result.problems, result.tables)


def can_save() -> bool:
    return current_access().can_edit and bool(importer())


def next_id(ids: pd.Series, prefix: str) -> str:
    numbers = [int(m.group(1)) for i in ids.dropna() if (m := re.search(r"(\d+)\s*$", str(i)))]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


def suggestion_row(suggestion: Suggestion, registers: Registers, accept: bool) -> pd.DataFrame:
    """The register's decisions with the suggestion added: « à décider » (accepted) or
    « classée » (dismissed), with its rule key, so it is not suggested again."""
    decisions = registers.decisions
    row = {
        DECISIONS.decision_id: next_id(decisions[DECISIONS.decision_id], "D-"),
        DECISIONS.meeting_date: pd.Timestamp(dt.date.today()),
        DECISIONS.question: suggestion_text(suggestion, lang(), settings().currency),
        DECISIONS.status: "pending" if accept else "dismissed",
        DECISIONS.dimension: suggestion.dimension,
        DECISIONS.rule: suggestion.rule,
    }
    added = pd.DataFrame([row])
    return pd.concat([decisions[DECISIONS.names], added], ignore_index=True)


def decide(registers: Registers, suggestion: Suggestion, accept: bool) -> None:
    """Button callback: the suggestion recorded as « à décider » or « classée » (its row is
    written when clicked, not for every suggestion on every view)."""
    save(registers, {"decisions": suggestion_row(suggestion, registers, accept)})


def show_suggestions(suggestions: list[Suggestion], registers: Registers, editable: bool) -> None:
    if not suggestions:
        st.caption(tr("registers.suggestions_empty"))
        return
    language, currency = lang(), settings().currency
    shown = first_items(suggestions, "registers.suggestions_all", "registers.suggestions_all")
    for position, suggestion in enumerate(shown):
        with st.container(border=True, key=f"registers.suggestion.{position}"):
            st.markdown(plain(suggestion_text(suggestion, language, currency)))
            if editable:
                accept, dismiss, _ = st.columns([1, 1, 3])
                accept.button(
                    tr("registers.accept"),
                    key=f"registers.accept.{position}",
                    on_click=decide,
                    args=(registers, suggestion, True),
                    icon=":material/playlist_add:",
                )
                dismiss.button(
                    tr("registers.dismiss"),
                    key=f"registers.dismiss.{position}",
                    on_click=decide,
                    args=(registers, suggestion, False),
                    icon=":material/close:",
                )


def edit_register(schema: TableSchema, registers: Registers, version: int | None) -> None:
    """The register in a table editor and its save button (the editor's state is per version:
    a new version starts from what was stored)."""
    language = lang()
    frame = registers.frames()[schema.kind]
    edited = st.data_editor(
        editor_frame(frame, schema, language),
        column_config=column_config(schema, language),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=f"registers.editor.{schema.kind}.{version}",
    )
    new = edited_register(pd.DataFrame(edited), schema, language)
    changed = not same_register(frame, new, schema)
    if not importer():
        st.caption(tr("registers.name_needed"))
    st.button(
        tr(f"registers.save.{schema.kind}"),
        key=f"registers.save.{schema.kind}",
        type="primary",
        disabled=not changed or not can_save(),
        on_click=save,
        args=(registers, {schema.kind: new}),
        icon=":material/save:",
    )


def show_register_changes(before, after) -> None:
    """The weekly review's part: what the registers recorded between the two situations,
    two tables side by side (``views.governance.change_tables``)."""
    st.subheader(tr("review.registers_title"))
    changes = register_changes(before, after)
    if changes is None:
        st.info(tr("review.registers_none"), icon=":material/info:")
        return
    parts = change_tables(changes, lang())
    for first in range(0, len(parts), 2):
        for column, table in zip(st.columns(2), parts[first : first + 2], strict=False):
            with column:
                st.markdown(f"**{plain(table.title)}**")
                if len(table):
                    show_table(table, key=f"{table.key}.grid")
                else:
                    st.caption(plain(table.empty_text))


def show_briefing_governance(situation) -> None:
    """The Synthèse's « Pilotage » block: the decisions expected and the overdue actions (with
    the late-payment interest owed) beside the risk map and the top risks; nothing without a
    register."""
    governance = situation.governance
    if governance is None:
        return
    language = lang()
    with st.container(key="briefing-governance"):
        st.markdown(f"#### {tr('briefing.governance_title')}")
        decided, risks = st.columns([3, 2])
        with decided:
            for table in (
                expected_table(governance, language),
                overdue_table(governance, language),
            ):
                _static(table)
            if interest := late_interest_line(situation, language):
                st.markdown(f":red[**●**] {plain(interest)}")
        with risks:
            heat = risk_heat_map(heat_cells(governance, language), language, height=300)
            st.plotly_chart(heat, width="stretch", key="briefing.heat", config=COMPACT)
            _static(top_risks_table(governance, language))


def _static(table) -> None:
    st.markdown(f"**{plain(table.title)}**")
    if len(table):
        show_static_table(table)
    else:
        st.caption(plain(table.empty_text))


def with_trend(governance, data):
    """The risks of ``governance`` with their trend since the previous weekly situation (its
    register in force), when there is one: the registers page's table shows it."""
    earlier = [week for week in situations() if week.status_date < data.status_date]
    if governance is None or not earlier:
        return governance
    previous = Registers.of(situation_tables(earlier[-1]).frames)
    if previous is None:
        return governance
    return replace(governance, risks=scored_risks(governance.registers().risks, previous.risks))
