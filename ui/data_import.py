"""The Données page's widgets: who imports, the import workflow of one file (its report, what
it changes, Confirm / Cancel, what became of it), the file in use with its rows, and the
withdrawal of an import. What they say comes from ``views.data``; the page lays them out."""

from __future__ import annotations

import logging

import streamlit as st

from i18n.format import format_date
from loaders.schema import SCHEDULE
from store import CheckedFile, StoreError, store_error_message
from store.current import frames_of_file
from ui.access import current_access
from ui.domain import cached_situation_of, review_changes, week_digest_of, week_situation
from ui.render import show_figures, show_static_table, show_table
from ui.shared import (
    FILE_KINDS,
    TABLES_OF_FILE,
    UPLOAD_TYPES,
    ProjectData,
    check_upload,
    column_title,
    confirm_import,
    importer_default,
    lang,
    md,
    plain,
    remember_importer,
    situations,
    store,
    tables_at,
    tr,
    user_name,
)
from views.data import (
    UNEXPECTED_CODE,
    change_details,
    changes_table,
    importer_text,
    preview_figures,
    preview_import,
    rows_table,
    time_text,
    upload_messages,
    withdrawal_text,
)
from views.problems import problems_table
from views.review import default_pair

logger = logging.getLogger(__name__)

IMPORTER_KEY, WITHDRAW_WHY, HISTORY_PICK = "data.importer", "data.withdraw.why", "data.history.pick"
#: what the last withdrawal gave, shown once on the next run: (level, text)
WITHDRAW_OUTCOME = "data.withdraw.outcome"
SCROLL_ROWS, SCROLL_HEIGHT = 10, 360


def signed_in_importer() -> str | None:
    """Who imports when the app knows it: the signed-in e-mail (server mode), else the
    provider's name; never a typed name then."""
    return current_access().actor or user_name()


def importer() -> str:
    """Who imports: the signed-in user, else the name typed (required to confirm)."""
    return signed_in_importer() or str(st.session_state.get(IMPORTER_KEY) or "").strip()


#: the extensions of planning-software files the schedule card takes besides spreadsheets
#: (read by MPXJ, the format recognised from the bytes: an .xml is MS Project's or P6's)
PROJECT_UPLOAD_TYPES = ["mpp", "xml", "mpx", "xer", "pmxml", "gan", "planner", "mrproject"]


def upload_options(kind: str, max_upload_mb: float) -> dict:
    """The uploader's accepted extensions and help of a file card: the schedule's takes MS
    Project, Primavera, GanttProject and Planner files too, and its help says so."""
    limit = f"{max_upload_mb:g}"
    if kind == "schedule":
        return {
            "type": UPLOAD_TYPES + PROJECT_UPLOAD_TYPES,
            "help": tr("data_page.upload_help_schedule", limit=limit),
        }
    return {"type": UPLOAD_TYPES, "help": tr("data_page.upload_help", limit=limit)}


def importer_input() -> None:
    if signed_in_importer():
        st.markdown(md("data_page.importer_signed_in", name=signed_in_importer()))
        return
    if IMPORTER_KEY not in st.session_state:
        st.session_state[IMPORTER_KEY] = importer_default()
    st.columns([1, 2])[0].text_input(
        tr("data_page.importer_label"),
        key=IMPORTER_KEY,
        help=tr("data_page.importer_help"),
        on_change=lambda: remember_importer(str(st.session_state.get(IMPORTER_KEY) or "")),
        max_chars=120,
    )


def show_report(problems, tables=None) -> None:
    table = problems_table(problems, lang(), tables=tables)
    show_static_table(table, height=SCROLL_HEIGHT if len(table) > SCROLL_ROWS else "content")


def report_tables(checked: CheckedFile):
    """A file holding several tables says which table each problem belongs to."""
    return checked.tables if len(TABLES_OF_FILE[checked.kind or FILE_KINDS[0]]) > 1 else None


def show_preview(entry: dict, checked: CheckedFile, language: str) -> None:
    current = tables_at()
    if entry.get("preview_key") != current.key:  # once per state of the data in use
        frames = frames_of_file(checked.kind, checked.results)
        entry["preview"] = preview_import(
            current, checked.kind, frames, checked.status_date, cached_situation_of
        )
        entry["preview_key"] = current.key
    preview = entry["preview"]
    st.markdown(f"**{tr('data_page.preview_title')}**")
    date = format_date(preview.status_date, language)
    if preview.current_status_date is None:
        st.markdown(tr("data_page.preview_dates_first", date=date))
    else:
        current_date = format_date(preview.current_status_date, language)
        st.markdown(tr("data_page.preview_dates", date=date, current=current_date))
        if not preview.becomes_current:
            st.warning(
                tr("data_page.preview_older", date=date, current=current_date),
                icon=":material/history:",
            )
    with st.container(key=f"data.changes.{preview.kind}"):  # the grid's key names no element
        show_table(changes_table(preview, language))
    st.caption(tr("data_page.preview_figures"))
    show_figures(preview_figures(preview, language), per_row=4)
    if preview.unchanged:
        st.info(tr("data_page.preview_unchanged"), icon=":material/info:")
        return
    with st.expander(tr("data_page.details")):
        st.markdown(
            "\n".join(f"- {md(key, **params)}" for key, params in change_details(preview, language))
        )


def record_latest_digest() -> None:
    """The new latest week's digest (key figures, milestone forecasts) kept in the history at
    import, its situation computed on the way, and the week before's (the review's default
    pair): the next view of every page finds them cached, and the weekly review never
    recomputes that week. A failure here loses nothing (the review computes the digest when
    it needs it)."""
    weeks = situations()
    if not weeks:
        return
    try:
        week_digest_of(weeks[-1])
        if len(weeks) > 1:  # the weekly review's default pair, compared in advance
            by_date = {week.status_date: week for week in weeks}
            before, after = default_pair(list(by_date))
            week_situation(by_date[before])
            review_changes(by_date[before], by_date[after], lang())
    except Exception:
        logger.exception("computing the digest of the week of %s", weeks[-1].status_date)


def confirm(kind: str) -> None:
    """Button callback: runs before the page is drawn again, so every table already shows
    the stored file. Refused without a name: the stored snapshot records who imported."""
    entry, name = st.session_state.get(f"data.pending.{kind}"), importer()
    if entry is None or entry.get("result") is not None or not name:
        return
    try:
        entry["result"] = confirm_import(entry["checked"], name)
        if entry["result"].snapshot_id is not None:
            st.session_state[HISTORY_PICK] = entry["result"].snapshot_id
        if entry["result"].stored:
            record_latest_digest()
    except Exception as error:  # the store refused the write: say why, never a traceback
        logger.exception("storing %s failed", entry["checked"].name)
        entry["failed"] = (
            store_error_message(error, lang()) if isinstance(error, StoreError) else True
        )


ALERTS = {"success": st.success, "info": st.info, "warning": st.warning, "error": st.error}


def show_upload(kind: str, uploaded, language: str) -> None:
    """The report of an uploaded file, then its refusal, or what it changes with Confirm /
    Cancel, or what became of it."""
    key = f"data.pending.{kind}"
    if uploaded is None:
        st.session_state.pop(key, None)
        return
    entry = st.session_state.get(key)
    if entry is None or entry["stamp"] != (uploaded.file_id, language):
        checked = check_upload(kind, uploaded.name, uploaded.getvalue())
        entry = st.session_state[key] = {"stamp": (uploaded.file_id, language), "checked": checked}
    checked, result = entry["checked"], entry.get("result")
    stored_copy = None
    if result is not None and result.status == "duplicate":
        stored_copy = store().find(result.kind or "", result.sha256)
    elif result is None and checked.accepted and not entry.get("cancelled"):
        stored_copy = store().find(kind, checked.sha256)
    messages = upload_messages(
        checked,
        language,
        result=result,
        failure=entry.get("failed"),
        cancelled=bool(entry.get("cancelled")),
        stored_copy=stored_copy,
        current_date=tables_at().status_date,
    )
    for message in messages:
        text = md(message.key, **message.params) if message.key else plain(message.text)
        ALERTS[message.level](text, icon=message.icon or None)
    if result is not None or entry.get("failed") or entry.get("cancelled") or stored_copy:
        return
    if any(p.code != UNEXPECTED_CODE for p in checked.problems):
        show_report(checked.problems, report_tables(checked))
    if not checked.accepted:
        return
    show_preview(entry, checked, language)
    with st.container(horizontal=True):
        st.button(
            tr("data_page.confirm"),
            key=f"data.confirm.{kind}",
            type="primary",
            icon=":material/save:",
            on_click=confirm,
            args=(kind,),
            disabled=not importer(),
        )
        st.button(
            tr("data_page.cancel"),
            key=f"data.cancel.{kind}",
            icon=":material/close:",
            on_click=lambda: entry.update(cancelled=True),
        )
    if not importer():
        st.caption(tr("data_page.importer_missing"))


def show_current(kind: str, data: ProjectData, language: str) -> None:
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
    by = importer_text(info.imported_by, language)
    date, at = format_date(info.status_date, language), time_text(info.imported_at)
    st.caption(md("data_page.current_snapshot", id=info.id, date=date, imported_at=at, by=by))
    lines = []
    for table in TABLES_OF_FILE[kind]:
        result = data.results.get(table)
        if hasattr(result, "frame"):
            # a planning-software file has no sheet nor header row: its tasks and summaries
            by_task = result.header_row is None and SCHEDULE.is_summary in result.frame
            message = "data_page.table_loaded_project" if by_task else "data_page.table_loaded"
            if result.warnings:
                message += "_warnings"
            table_name = tr(f"data_page.table.{table}")
            if by_task:
                summaries = int(result.frame[SCHEDULE.is_summary].fillna(False).astype(bool).sum())
                params = {"summaries": summaries}
            else:
                params = {"sheet": result.sheet or "—", "header_row": result.header_row or "—"}
            lines.append(
                "- "
                + md(
                    message,
                    table=table_name,
                    rows=len(result.frame),
                    warnings=len(result.warnings),
                    **params,
                )
            )
    st.markdown("\n".join(lines))


#: rows of each table in use previewed on the Données page (all of them in its CSV)
PREVIEW_ROWS = 200


def show_rows(kind: str, data: ProjectData, language: str) -> None:
    tables = [t for t in TABLES_OF_FILE[kind] if hasattr(data.results.get(t), "frame")]
    containers = (
        st.tabs([tr(f"data_page.table.{t}") for t in tables])
        if len(tables) > 1
        else [st.container()] * len(tables)
    )
    for table, container in zip(tables, containers, strict=True):
        with container:
            result = data.results[table]
            spec = rows_table(table, result.frame, language, column_title)
            show_table(
                spec,
                height=300 if len(spec) > 8 else "auto",
                key=f"data.preview.{table}",
                max_rows=PREVIEW_ROWS,
            )
            if result.warnings:
                with st.expander(tr("data_page.current_warnings", count=len(result.warnings))):
                    show_report(result.warnings)


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


def show_withdraw(info, language: str) -> None:
    """Withdraw an import made by mistake: it leaves the data in use (the previous file of
    its kind comes back) and stays in the history, marked with who, when and why."""
    outcome = st.session_state.pop(WITHDRAW_OUTCOME, None)
    if outcome is not None:
        (st.success if outcome[0] == "success" else st.error)(outcome[1])
    if info.withdrawn:
        st.caption(
            md("data_page.withdrawn_already", id=info.id, line=withdrawal_text(info, language))
        )
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
