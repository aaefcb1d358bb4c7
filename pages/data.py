"""Données: what each spreadsheet in use holds, its validation report, and the import of a
replacement file (refused files never replace the data in use)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from exports.templates import template_file_name
from i18n.format import format_date, format_money, format_number, format_percent
from loaders import LoadResult, Problem
from loaders.schema import SCHEMAS
from loaders.tables import SOURCE_ROW
from pages.shared import (
    FILE_KINDS,
    TABLES_OF_FILE,
    UPLOAD_TYPES,
    ImportOutcome,
    cached_template,
    column_title,
    current_files,
    import_file,
    is_imported,
    lang,
    load_file,
    report_frame,
    require_app_navigation,
    settings,
    tr,
)

require_app_navigation()

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_HEIGHT = 300
#: previews longer than this scroll inside PREVIEW_HEIGHT; shorter ones take their own height
PREVIEW_ROWS = 8
REPORT_HEIGHT = 360
#: tables longer than this scroll inside a fixed height instead of stretching the page
REPORT_SCROLL_ROWS = 10


def outcome_key(kind: str) -> str:
    return f"data.outcome.{kind}"


def handle_upload(kind: str, uploaded) -> ImportOutcome | None:
    """Import ``uploaded`` once per file (and per language, for the report's messages); the
    outcome is kept so the report stays on screen across reruns."""
    if uploaded is None:
        st.session_state.pop(outcome_key(kind), None)
        return None
    stamp = (uploaded.file_id, lang())
    stored = st.session_state.get(outcome_key(kind))
    if stored is not None and stored[0] == stamp:
        return stored[1]
    outcome = import_file(kind, uploaded.name, uploaded.getvalue())
    st.session_state[outcome_key(kind)] = (stamp, outcome)
    if outcome.accepted:
        # the sidebar (status date) was drawn from the previous data: draw everything again
        st.rerun()
    return outcome


def show_report(problems: list[Problem], tables: list[str | None] | None = None) -> None:
    frame = report_frame(problems, tables)
    # text throughout: a blank row number must not turn the column into mixed types
    frame = frame.astype(object).where(frame.notna(), "").astype("str")
    height = REPORT_HEIGHT if len(frame) > REPORT_SCROLL_ROWS else "content"
    st.table(frame, hide_index=True, height=height)


def show_outcome(outcome: ImportOutcome) -> None:
    # a file holding several tables says which table each problem belongs to
    tables = outcome.tables if len(TABLES_OF_FILE[outcome.kind]) > 1 else None
    if outcome.accepted:
        rows = sum(outcome.rows.values())
        key = "data_page.accepted_warnings" if outcome.warnings else "data_page.accepted"
        st.success(
            tr(key, file=outcome.name, rows=rows, warnings=len(outcome.warnings)),
            icon=":material/check_circle:",
        )
        if outcome.warnings:  # an accepted file has no errors: its problems are warnings
            show_report(outcome.problems, tables)
        return
    if outcome.unexpected:
        st.error(tr("data_page.unexpected_error", file=outcome.name), icon=":material/error:")
    else:
        st.error(
            tr("data_page.rejected", file=outcome.name, errors=len(outcome.errors)),
            icon=":material/error:",
        )
    st.info(tr("data_page.previous_kept"), icon=":material/undo:")
    if not outcome.unexpected:
        show_report(outcome.problems, tables)


def _formatter(column_type: str, values: pd.Series):
    """How a cell of the preview reads in the user's language (``None``: as it is)."""
    language = lang()
    if column_type == "money":
        return lambda v: format_money(v, language)
    if column_type == "date":
        return lambda v: format_date(v, language)
    if column_type == "percent":
        return lambda v: format_percent(v / 100, language, decimals=0)
    if column_type == "number":
        whole = bool(values.dropna().map(float.is_integer).all())
        return lambda v: format_number(v, language, 0 if whole else 2)
    return None


def preview_frame(table: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The canonical frame as the user reads it: translated headers, the Excel row first and
    pinned, money, dates and numbers written the user's way, empty cells empty.

    Values become text because the grid shows a missing value as "None" whatever the
    formatting; this is a preview, the pages work on the typed frame."""
    columns = [SOURCE_ROW] + [c for c in frame.columns if c != SOURCE_ROW]
    shown = frame[columns].copy()
    row_title = column_title(SOURCE_ROW)
    config = {row_title: st.column_config.NumberColumn(row_title, format="%d", pinned=True)}
    for column in SCHEMAS[table].columns:
        if column.name not in shown.columns:
            continue
        title = column_title(column.name)
        formatter = _formatter(column.type, shown[column.name])
        if formatter is not None:
            values = shown[column.name]
            shown[column.name] = values.map(formatter).where(values.notna(), "").astype("str")
            if column.type != "date":
                config[title] = st.column_config.TextColumn(title, alignment="right")
        elif column.type in ("text", "id"):
            shown[column.name] = shown[column.name].fillna("")
    return shown.rename(columns={c: column_title(c) for c in columns}), config


def table_summary(table: str, result: LoadResult | list[Problem]) -> str:
    name = tr(f"data_page.table.{table}")
    if isinstance(result, LoadResult):
        key = "data_page.table_loaded_warnings" if result.warnings else "data_page.table_loaded"
        return tr(
            key,
            table=name,
            sheet=result.sheet or "—",
            header_row=result.header_row or "—",
            rows=len(result.frame),
            warnings=len(result.warnings),
        )
    errors = sum(1 for p in result if p.is_error)
    return tr("data_page.table_refused", table=name, errors=errors)


def show_current(kind: str, results: dict[str, LoadResult | list[Problem]]) -> None:
    files = current_files()
    if kind not in files:
        st.warning(tr("data_page.no_file"), icon=":material/warning:")
        return
    origin = "imported" if is_imported(kind) else "sample"
    badge = "green" if origin == "imported" else "gray"
    st.markdown(
        tr("data_page.current_file", file=files[kind].name)
        + f" :{badge}-badge[{tr(f'data_page.origin.{origin}')}]"
    )
    st.markdown("\n".join(f"- {table_summary(t, results[t])}" for t in TABLES_OF_FILE[kind]))


def show_previews(kind: str, results: dict[str, LoadResult | list[Problem]]) -> None:
    tables = [t for t in TABLES_OF_FILE[kind] if t in results]
    if not tables:
        return
    if len(tables) > 1:
        containers = st.tabs([tr(f"data_page.table.{t}") for t in tables])
    else:
        containers = [st.container()]
    for table, container in zip(tables, containers, strict=True):
        with container:
            result = results[table]
            if not isinstance(result, LoadResult):
                st.error(tr("data_page.current_refused"), icon=":material/error:")
                show_report(result)
                continue
            shown, config = preview_frame(table, result.frame)
            st.dataframe(
                shown,
                hide_index=True,
                column_config=config,
                height=PREVIEW_HEIGHT if len(result.frame) > PREVIEW_ROWS else "auto",
                key=f"data.preview.{table}",
            )
            if result.warnings:
                with st.expander(tr("data_page.current_warnings", count=len(result.warnings))):
                    show_report(result.warnings)


def show_templates(kind: str) -> None:
    st.caption(tr("data_page.templates_help"))
    for table in TABLES_OF_FILE[kind]:
        st.download_button(
            tr("data_page.template_button", table=tr(f"data_page.table.{table}")),
            data=cached_template(table, lang()),
            file_name=template_file_name(table, lang()),
            mime=XLSX_MIME,
            key=f"data.template.{table}",
            icon=":material/download:",
            on_click="ignore",
        )


def file_card(kind: str, max_upload_mb: float) -> None:
    with st.container(border=True, key=f"data.card.{kind}"):
        st.subheader(tr(f"data_page.file.{kind}.title"))
        st.caption(tr(f"data_page.file.{kind}.help"))
        current, actions = st.columns([3, 2], gap="large")
        with actions:
            uploaded = st.file_uploader(
                tr("data_page.upload_label"),
                type=UPLOAD_TYPES,
                key=f"data.upload.{kind}",
                help=tr("data_page.upload_help", limit=f"{max_upload_mb:g}"),
                max_upload_size=max(1, int(max_upload_mb)),
            )
            outcome = handle_upload(kind, uploaded)
            show_templates(kind)
        # Read after the import: an accepted file is shown as the one in use right away.
        in_use = current_files().get(kind)
        results = load_file(kind, in_use) if in_use is not None else {}
        with current:
            show_current(kind, results)
        if outcome is not None:
            show_outcome(outcome)
        show_previews(kind, results)


st.title(tr("data_page.title"))
st.caption(tr("data_page.intro"))

project = settings()
for file_kind in FILE_KINDS:
    file_card(file_kind, project.max_upload_mb)
