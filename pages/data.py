"""Données: the files in use, the import of a new one (validation report, preview of what it
changes, confirmation) and the history of every accepted import.

Nothing is stored before the user confirms, a refused file stores nothing, and a stored file
never replaces what was there: it joins the history (``store/``), whose latest situation is
the data every page reads."""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from exports.templates import template_file_name
from i18n.format import format_date, format_money, format_number, format_percent
from loaders import LoadResult, Problem
from loaders.schema import SCHEMAS
from loaders.tables import SOURCE_ROW
from store import CheckedFile, ImportResult, SnapshotInfo, StoreError, store_error_message
from store.current import TOTAL_KEYS, ImportPreview, preview_import
from tracking.planning import project_calendar
from ui.navigation import require_app_navigation
from ui.shared import (
    FILE_KINDS,
    TABLES_OF_FILE,
    UPLOAD_TYPES,
    ProjectData,
    cached_template,
    check_upload,
    column_title,
    confirm_import,
    current_data,
    importer_default,
    lang,
    md,
    page_part,
    report_frame,
    settings,
    store,
    tables_at,
    tr,
)

require_app_navigation()

logger = logging.getLogger(__name__)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_HEIGHT = 300
#: previews longer than this scroll inside PREVIEW_HEIGHT; shorter ones take their own height
PREVIEW_ROWS = 8
REPORT_HEIGHT = 360
#: tables longer than this scroll inside a fixed height instead of stretching the page
REPORT_SCROLL_ROWS = 10
#: keys of added / changed / removed rows listed in the preview's detail, per table and kind
DETAIL_KEYS = 30
HISTORY_HEIGHT = 400

IMPORTER_KEY = "data.importer"
HISTORY_PICK = "data.history.pick"
WITHDRAW_WHY = "data.withdraw.why"
#: what the last withdrawal gave, shown once on the next run: ("success" | "error", text)
WITHDRAW_OUTCOME = "data.withdraw.outcome"
#: the name typed in IMPORTER_KEY, kept when the page is left (widget state is dropped then)
IMPORTER_SAVED = "data.importer_saved"
UNEXPECTED_CODE = "unexpected_error"
CHANGE_KINDS = ("added", "changed", "removed")


def pending_key(kind: str) -> str:
    return f"data.pending.{kind}"


def imported_at_text(info: SnapshotInfo) -> str:
    return info.imported_at.strftime("%d/%m/%Y %H:%M")


# --- who imports ------------------------------------------------------------------------------


def _save_importer() -> None:
    st.session_state[IMPORTER_SAVED] = st.session_state.get(IMPORTER_KEY, "")


def importer_input() -> None:
    if IMPORTER_KEY not in st.session_state:
        st.session_state[IMPORTER_KEY] = st.session_state.get(IMPORTER_SAVED) or importer_default()
    column, _ = st.columns([1, 2])
    column.text_input(
        tr("data_page.importer_label"),
        key=IMPORTER_KEY,
        help=tr("data_page.importer_help"),
        on_change=_save_importer,
        max_chars=120,
    )


def importer() -> str:
    return str(st.session_state.get(IMPORTER_KEY) or "").strip()


# --- validation report ------------------------------------------------------------------------


def show_report(problems: list[Problem], tables: list[str | None] | None = None) -> None:
    frame = report_frame(problems, tables)
    # text throughout: a blank row number must not turn the column into mixed types
    frame = frame.astype(object).where(frame.notna(), "").astype("str")
    height = REPORT_HEIGHT if len(frame) > REPORT_SCROLL_ROWS else "content"
    st.table(frame, hide_index=True, height=height)


def report_tables(checked: CheckedFile) -> list[str | None] | None:
    """A file holding several tables says which table each problem belongs to."""
    kind = checked.kind or FILE_KINDS[0]
    return checked.tables if len(TABLES_OF_FILE[kind]) > 1 else None


def show_rejected(checked: CheckedFile) -> None:
    unexpected = any(p.code == UNEXPECTED_CODE for p in checked.problems)
    if unexpected:
        st.error(md("data_page.unexpected_error", file=checked.name), icon=":material/error:")
    else:
        errors = sum(1 for p in checked.problems if p.is_error)
        st.error(
            md("data_page.rejected", file=checked.name, errors=errors), icon=":material/error:"
        )
    st.info(tr("data_page.previous_kept"), icon=":material/undo:")
    if not unexpected:
        show_report(checked.problems, report_tables(checked))


# --- the preview of an import -----------------------------------------------------------------


def total_text(key: str, value: float | None) -> str:
    language = lang()
    if value is None:
        return "—"
    if key == "tasks":
        return format_number(value, language)
    if key == "progress":
        return format_percent(value / 100, language)
    if key == "area_m2":
        return f"{format_number(value, language, 2)}\u00a0m²"
    return format_money(value, language)


def difference_text(key: str, before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return "—"
    delta = after - before
    if abs(delta) < 0.005:
        return "="
    sign = "+" if delta > 0 else "−"
    if key == "progress":
        return f"{sign}{format_number(abs(delta), lang(), 1)} pts"
    return sign + total_text(key, abs(delta))


def changes_frame(preview: ImportPreview) -> pd.DataFrame:
    rows = [
        {
            "table": tr(f"data_page.table.{change.table}"),
            "rows_before": str(change.rows_before),
            "rows_after": str(change.rows_after),
            "added": str(len(change.added)),
            "changed": str(len(change.changed)),
            "removed": str(len(change.removed)),
        }
        for change in preview.changes
    ]
    frame = pd.DataFrame(rows, columns=["table", "rows_before", "rows_after", *CHANGE_KINDS])
    return frame.rename(columns=lambda c: tr(f"data_page.change.{c}"))


def totals_frame(preview: ImportPreview) -> pd.DataFrame:
    language = lang()
    before_title = tr(
        "data_page.totals.before", date=format_date(preview.current_status_date, language)
    )
    after_title = tr("data_page.totals.after", date=format_date(preview.status_date, language))
    rows = []
    for key in TOTAL_KEYS:
        before, after = preview.totals_before[key], preview.totals_after[key]
        if before is None and after is None:
            continue
        rows.append(
            {
                tr("data_page.totals.indicator"): tr(f"data_page.totals.{key}"),
                before_title: total_text(key, before),
                after_title: total_text(key, after),
                tr("data_page.totals.difference"): difference_text(key, before, after),
            }
        )
    return pd.DataFrame(rows)


def show_preview(preview: ImportPreview) -> None:
    language = lang()
    st.markdown(f"**{tr('data_page.preview_title')}**")
    if preview.current_status_date is None:
        st.markdown(
            tr("data_page.preview_dates_first", date=format_date(preview.status_date, language))
        )
    else:
        st.markdown(
            tr(
                "data_page.preview_dates",
                date=format_date(preview.status_date, language),
                current=format_date(preview.current_status_date, language),
            )
        )
    if not preview.becomes_current:
        st.warning(
            tr(
                "data_page.preview_older",
                date=format_date(preview.status_date, language),
                current=format_date(preview.current_status_date, language),
            ),
            icon=":material/history:",
        )
    # one above the other: side by side, the narrower one cuts its last column
    st.table(changes_frame(preview), hide_index=True)
    st.table(totals_frame(preview), hide_index=True)
    if preview.unchanged:
        st.info(tr("data_page.preview_unchanged"), icon=":material/info:")
        return
    with st.expander(tr("data_page.details")):
        lines = []
        for change in preview.changes:
            for what in CHANGE_KINDS:
                keys = getattr(change, what)
                if not keys:
                    continue
                shown = ", ".join(keys[:DETAIL_KEYS]) + (" …" if len(keys) > DETAIL_KEYS else "")
                lines.append(
                    "- "
                    + md(
                        "data_page.details_line",
                        table=tr(f"data_page.table.{change.table}"),
                        what=tr(f"data_page.change.{what}").lower(),
                        count=len(keys),
                        keys=shown,
                    )
                )
        st.markdown("\n".join(lines))


def import_preview(entry: dict, checked: CheckedFile) -> ImportPreview:
    """The preview against the data in use, computed once per state of that data."""
    current = tables_at()
    if entry.get("preview_key") != current.key:
        assert checked.kind is not None and checked.status_date is not None
        frames = {table: result.frame for table, result in checked.results.items()}
        entry["preview"] = preview_import(
            current, checked.kind, frames, checked.status_date, project_calendar(settings())
        )
        entry["preview_key"] = current.key
    return entry["preview"]


# --- confirm, cancel and what became of the file ----------------------------------------------


def confirm(kind: str) -> None:
    """Button callback: runs before the page is drawn again, so the sidebar and every table
    already show the stored file."""
    entry = st.session_state.get(pending_key(kind))
    name = importer()
    if entry is None or entry.get("result") is not None or not name:
        return
    try:
        entry["result"] = confirm_import(entry["checked"], name)
        if entry["result"].snapshot_id is not None:  # the history picker shows this file
            st.session_state[HISTORY_PICK] = entry["result"].snapshot_id
    except Exception as error:  # the store refused the write: say why, never a traceback
        logger.exception("storing %s failed", entry["checked"].name)
        # a full disk, a read-only file…: the store's own words; else the generic message
        entry["failed"] = (
            store_error_message(error, lang()) if isinstance(error, StoreError) else True
        )


def cancel(kind: str) -> None:
    entry = st.session_state.get(pending_key(kind))
    if entry is not None:
        entry["cancelled"] = True


def duplicate_text(name: str, info: SnapshotInfo) -> str:
    return md(
        "data_page.duplicate",
        file=name,
        id=info.id,
        name=info.name,
        imported_at=imported_at_text(info),
        by=info.imported_by,
    )


def show_result(result: ImportResult) -> None:
    language = lang()
    if result.status == "duplicate":
        info = store().find(result.kind or "", result.sha256)
        if info is not None:
            st.info(duplicate_text(result.name, info), icon=":material/content_copy:")
        return
    current = tables_at()
    newest = result.status_date is not None and result.status_date >= current.status_date
    st.success(
        md(
            "data_page.stored" if newest else "data_page.stored_older",
            file=result.name,
            id=result.snapshot_id,
            rows=sum(result.rows.values()),
            date=format_date(result.status_date, language),
        ),
        icon=":material/check_circle:",
    )


def show_upload(kind: str, uploaded) -> None:
    """The validation report of an uploaded file, then either its refusal, or the preview of
    what it changes with Confirm / Cancel, or what became of it."""
    key = pending_key(kind)
    if uploaded is None:
        st.session_state.pop(key, None)
        return
    stamp = (uploaded.file_id, lang())
    entry = st.session_state.get(key)
    if entry is None or entry["stamp"] != stamp:
        entry = {"stamp": stamp, "checked": check_upload(kind, uploaded.name, uploaded.getvalue())}
        st.session_state[key] = entry
    checked: CheckedFile = entry["checked"]
    if entry.get("failed"):
        failure = entry["failed"]
        st.error(
            failure
            if isinstance(failure, str)
            else md("data_page.store_failed", file=checked.name),
            icon=":material/error:",
        )
        st.info(tr("data_page.previous_kept"), icon=":material/undo:")
        return
    if entry.get("result") is not None:
        show_result(entry["result"])
        return
    if entry.get("cancelled"):
        st.info(md("data_page.cancelled", file=checked.name), icon=":material/block:")
        return
    if not checked.accepted:
        show_rejected(checked)
        return
    existing = store().find(kind, checked.sha256)
    if existing is not None:
        st.info(duplicate_text(checked.name, existing), icon=":material/content_copy:")
        return
    warnings = [p for p in checked.problems if not p.is_error]
    st.success(
        md(
            "data_page.checked_warnings" if warnings else "data_page.checked",
            file=checked.name,
            rows=sum(checked.rows.values()),
            date=format_date(checked.status_date, lang()),
            warnings=len(warnings),
        ),
        icon=":material/fact_check:",
    )
    if warnings:
        show_report(checked.problems, report_tables(checked))
    show_preview(import_preview(entry, checked))
    name = importer()
    with st.container(horizontal=True):
        st.button(
            tr("data_page.confirm"),
            key=f"data.confirm.{kind}",
            type="primary",
            icon=":material/save:",
            on_click=confirm,
            args=(kind,),
            disabled=not name,
        )
        st.button(
            tr("data_page.cancel"),
            key=f"data.cancel.{kind}",
            icon=":material/close:",
            on_click=cancel,
            args=(kind,),
        )
    if not name:
        st.caption(tr("data_page.importer_missing"))


# --- the data in use --------------------------------------------------------------------------


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


def table_summary(table: str, result: LoadResult) -> str:
    key = "data_page.table_loaded_warnings" if result.warnings else "data_page.table_loaded"
    return md(
        key,
        table=tr(f"data_page.table.{table}"),
        sheet=result.sheet or "—",
        header_row=result.header_row or "—",
        rows=len(result.frame),
        warnings=len(result.warnings),
    )


def show_current(kind: str, data: ProjectData) -> None:
    info = data.snapshots.get(kind)
    if info is None:
        st.warning(tr("data_page.no_file"), icon=":material/warning:")
        return
    origin = "imported" if kind in data.imported else "sample"
    badge = "green" if origin == "imported" else "gray"
    st.markdown(
        md("data_page.current_file", file=info.name)
        + f" :{badge}-badge[{tr(f'data_page.origin.{origin}')}]"
    )
    st.caption(
        md(
            "data_page.current_snapshot",
            id=info.id,
            date=format_date(info.status_date, lang()),
            imported_at=imported_at_text(info),
            by=info.imported_by,
        )
    )
    summaries = [
        f"- {table_summary(t, data.results[t])}"
        for t in TABLES_OF_FILE[kind]
        if isinstance(data.results.get(t), LoadResult)
    ]
    st.markdown("\n".join(summaries))


def show_previews(kind: str, data: ProjectData) -> None:
    tables = [t for t in TABLES_OF_FILE[kind] if isinstance(data.results.get(t), LoadResult)]
    if not tables:
        return
    if len(tables) > 1:
        containers = st.tabs([tr(f"data_page.table.{t}") for t in tables])
    else:
        containers = [st.container()]
    for table, container in zip(tables, containers, strict=True):
        with container:
            result = data.results[table]
            assert isinstance(result, LoadResult)
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
            show_templates(kind)
        # a confirmed import was stored by the button's callback, before this run: the data
        # read here already holds it
        data = current_data()
        with current, page_part(f"data.current.{kind}"):
            show_current(kind, data)
        with page_part(f"data.upload.{kind}"):
            show_upload(kind, uploaded)
        with page_part(f"data.previews.{kind}"):
            show_previews(kind, data)


# --- the history ------------------------------------------------------------------------------


def history_frame(infos: list[SnapshotInfo], in_use: set[int]) -> pd.DataFrame:
    language = lang()
    rows = [
        {
            "id": str(info.id),
            "in_use": tr("data_page.in_use") if info.id in in_use else "",
            "kind": tr(f"store.file_kind.{info.kind}"),
            "name": info.name,
            "status_date": format_date(info.status_date, language),
            "imported_at": imported_at_text(info),
            "imported_by": info.imported_by,
            "rows": format_number(info.row_count, language),
            "sha256": info.sha256[:12],
            "withdrawn": withdrawal_text(info),
        }
        for info in infos
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "id",
            "in_use",
            "kind",
            "name",
            "status_date",
            "imported_at",
            "imported_by",
            "rows",
            "sha256",
            "withdrawn",
        ],
    )
    return frame.rename(columns=lambda c: tr(f"data_page.history.{c}"))


def withdrawal_text(info: SnapshotInfo) -> str:
    """``retiré le 25/11/2026 à 09:12 par N. Benali : mauvais fichier`` ("" when in use)."""
    if not info.withdrawn or info.withdrawn_at is None:
        return ""
    return tr(
        "data_page.withdrawn_line",
        at=info.withdrawn_at.strftime("%d/%m/%Y %H:%M"),
        by=info.withdrawn_by or "?",
        why=info.withdrawn_why or "",
    )


def withdraw_snapshot(snapshot_id: int) -> None:
    """The "Retirer" button's callback: withdraw with the reason typed and the importer's
    name; the outcome is shown on the next run (the data in use already follows)."""
    why = str(st.session_state.get(WITHDRAW_WHY) or "").strip()
    try:
        info = store().withdraw(snapshot_id, by=importer(), why=why)
    except StoreError as error:
        st.session_state[WITHDRAW_OUTCOME] = ("error", error.message(lang()))
        return
    except Exception:
        logger.exception("withdrawing snapshot %s failed", snapshot_id)
        st.session_state[WITHDRAW_OUTCOME] = ("error", tr("data_page.withdraw_failed"))
        return
    st.session_state[WITHDRAW_WHY] = ""
    st.session_state[WITHDRAW_OUTCOME] = (
        "success",
        md("data_page.withdrawn_done", id=info.id, name=info.name),
    )


def show_withdraw(info: SnapshotInfo) -> None:
    """Withdraw an import made by mistake: it leaves the data in use (the previous file of
    its kind comes back) and stays in the history, marked with who, when and why."""
    outcome = st.session_state.pop(WITHDRAW_OUTCOME, None)
    if outcome is not None:
        (st.success if outcome[0] == "success" else st.error)(
            outcome[1], icon=":material/undo:" if outcome[0] == "success" else ":material/error:"
        )
    if info.withdrawn:
        st.caption(md("data_page.withdrawn_already", id=info.id, line=withdrawal_text(info)))
        return
    with st.expander(md("data_page.withdraw_title", id=info.id, name=info.name)):
        st.caption(tr("data_page.withdraw_help"))
        why = st.text_input(tr("data_page.withdraw_why"), key=WITHDRAW_WHY, max_chars=500)
        if not importer():
            st.caption(tr("data_page.importer_missing"))
        st.button(
            tr("data_page.withdraw_button"),
            key="data.withdraw.button",
            icon=":material/undo:",
            disabled=not why.strip() or not importer(),
            on_click=withdraw_snapshot,
            args=(info.id,),
        )


def show_history() -> None:
    st.subheader(tr("data_page.history_title"))
    st.caption(tr("data_page.history_intro"))
    history = store()
    infos = history.list()
    if not infos:
        st.info(tr("data_page.history_empty"))
        return
    in_use = {info.id for info in current_data().snapshots.values()}
    frame = history_frame(infos, in_use)
    with st.container(key="data.history"):  # st.dataframe's own key names no element
        st.dataframe(
            frame,
            hide_index=True,
            width="stretch",
            height=HISTORY_HEIGHT if len(frame) > 10 else "auto",
        )
    by_id = {info.id: info for info in infos}
    language = lang()
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
        button.download_button(
            tr("data_page.history_download"),
            data=history.file_bytes(chosen),
            file_name=by_id[chosen].name,
            mime="application/octet-stream",
            key="data.history.download",
            icon=":material/download:",
            on_click="ignore",
        )
        show_withdraw(by_id[chosen])


st.title(tr("data_page.title"))
st.caption(tr("data_page.intro"))
importer_input()

project = settings()
for file_kind in FILE_KINDS:
    file_card(file_kind, project.max_upload_mb)
with page_part("data.history"):
    show_history()
