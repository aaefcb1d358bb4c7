"""Administration (admins only): who has access with which role, and the audit trail (who
imported, downloaded, signed in, changed a role, when), filtered and exported to Excel. The
tables come from ``views.admin``, the workbook from ``exports.audit_workbook``."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from exports.audit_workbook import audit_workbook
from store import StoreError
from store.audit import ACTIONS, ROLES
from ui.access import current_access, download_button
from ui.navigation import require_app_navigation
from ui.render import show_table
from ui.shared import lang, md, page_part, store, tr
from views.admin import audit_table, roles_table

require_app_navigation()

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the newest lines shown on the page (the export holds every line the filters keep)
SHOWN_LINES = 500
OUTCOME = "admin.roles.outcome"

access = current_access()
language = lang()
if not access.can_admin:  # the menu hides the page; a typed URL lands here
    st.error(tr("admin_page.not_admin"), icon=":material/lock:")
    st.stop()

st.title(tr("admin_page.title"))
st.caption(tr("admin_page.intro"))


def _grant() -> None:
    email = str(st.session_state.get("admin.roles.email") or "")
    role = str(st.session_state.get("admin.roles.role") or "viewer")
    try:
        store().set_role(email, role, access.actor or "?")
    except ValueError:
        st.session_state[OUTCOME] = ("error", md("admin_page.roles_bad_email", email=email))
        return
    except StoreError as error:
        st.session_state[OUTCOME] = ("error", error.message(language))
        return
    st.session_state[OUTCOME] = (
        "success",
        md("admin_page.roles_granted", email=email.strip().lower(), role=tr(f"roles.{role}")),
    )
    st.session_state["admin.roles.email"] = ""


def _remove(email: str) -> None:
    try:
        removed = store().remove_role(email, access.actor or "?")
    except StoreError as error:
        st.session_state[OUTCOME] = ("error", error.message(language))
        return
    key = "admin_page.roles_removed" if removed else "admin_page.roles_not_found"
    st.session_state[OUTCOME] = ("success" if removed else "info", md(key, email=email))


with page_part("admin.roles"):
    st.subheader(tr("admin_page.roles_title"))
    if not access.server_mode:
        st.info(tr("admin_page.roles_embedded"), icon=":material/info:")
    else:
        outcome = st.session_state.pop(OUTCOME, None)
        if outcome is not None:
            getattr(st, outcome[0])(outcome[1])
        grants = store().roles()
        show_table(roles_table(grants, language))
        email_col, role_col, button_col = st.columns([3, 2, 2], vertical_alignment="bottom")
        email_col.text_input(tr("admin_page.roles_email"), key="admin.roles.email", max_chars=200)
        role_col.selectbox(
            tr("admin_page.roles_role"),
            options=list(ROLES),
            format_func=lambda r: tr(f"roles.{r}"),
            key="admin.roles.role",
        )
        button_col.button(
            tr("admin_page.roles_grant"),
            key="admin.roles.grant",
            on_click=_grant,
            icon=":material/person_add:",
        )
        if grants:
            pick_col, remove_col = st.columns([3, 2], vertical_alignment="bottom")
            chosen = pick_col.selectbox(
                tr("admin_page.roles_pick"),
                options=[grant.email for grant in grants],
                key="admin.roles.pick",
            )
            remove_col.button(
                tr("admin_page.roles_remove"),
                key="admin.roles.remove",
                on_click=_remove,
                args=(chosen,),
                icon=":material/person_remove:",
            )

with page_part("admin.audit"):
    st.subheader(tr("audit.title"))
    st.caption(tr("admin_page.audit_intro"))
    action_col, actor_col, since_col = st.columns([2, 3, 2])
    action = action_col.selectbox(
        tr("admin_page.audit_action"),
        options=[None, *ACTIONS],
        format_func=lambda a: tr("admin_page.audit_all") if a is None else tr(f"audit.action.{a}"),
        key="admin.audit.action",
    )
    actor = actor_col.text_input(tr("admin_page.audit_actor"), key="admin.audit.actor")
    since = since_col.date_input(
        tr("admin_page.audit_since"), value=None, key="admin.audit.since", format="DD/MM/YYYY"
    )
    start = dt.datetime.combine(since, dt.time()).astimezone() if since else None
    entries = store().audit(action=action, actor=actor.strip() or None, since=start)
    st.markdown(md("admin_page.audit_count", count=len(entries)))
    show_table(audit_table(entries[:SHOWN_LINES], language), height=420)
    download_button(
        tr("admin_page.audit_download"),
        data=audit_workbook(entries, store().roles(), language),
        file_name=tr("admin_page.audit_file"),
        key="admin.audit.download",
        mime=XLSX_MIME,
        icon=":material/download:",
        document=tr("audit.title"),
    )
