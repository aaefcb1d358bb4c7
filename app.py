"""Entry point: ``streamlit run app.py``. Navigation, the sidebar (project, status date,
language) and nothing else; each view lives in ``pages/``."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from i18n.format import format_date
from loaders import LoadError
from store import StoreError
from ui.access import (
    Access,
    audit_session,
    refused_page,
    remember,
    resolve_access,
    server_mode,
    sidebar_identity,
    sign_in_page,
    signed_in_identity,
)
from ui.export_button import export_button
from ui.navigation import PAGES
from ui.render import show_static_table
from ui.shared import (
    LANGUAGES,
    current_data,
    lang,
    md,
    page_part,
    plain,
    settings,
    store,
    tr,
)
from views.problems import problems_table

logger = logging.getLogger(__name__)
#: served by the app itself: the page icon is never fetched from a font host (works offline)
FAVICON = Path(__file__).resolve().parent / "ui" / "assets" / "favicon.png"


def sync_language() -> None:
    """The radio's choice (key ``app.lang``) becomes ``st.session_state["lang"]`` before
    anything is drawn, so the whole run speaks the chosen language."""
    if "app.lang" in st.session_state:
        st.session_state["lang"] = st.session_state["app.lang"]
    else:
        st.session_state["app.lang"] = lang()


def show_settings_error(error: LoadError) -> None:
    st.set_page_config(page_title=tr("app.title"), page_icon=str(FAVICON), layout="wide")
    st.error(tr("app.settings_error"), icon=":material/error:")
    show_static_table(problems_table(error.problems, lang()))
    st.stop()


def draw_sidebar(access: Access) -> None:
    """Project, status date, the workbook button, the language, who is signed in: each part
    in its own error boundary, so that a failing workbook never takes the page down with it."""
    project = settings()
    with st.sidebar:
        st.markdown(f"### {plain(project.name)}")
        if project.owner:
            st.caption(plain(project.owner))
        with page_part("sidebar.status_date"):
            data = current_data()
            st.markdown(md("app.status_date", date=format_date(data.status_date, lang())))
        st.divider()
        with page_part("sidebar.export_button"):
            export_button()
        st.divider()
        st.radio(
            tr("app.language"),
            options=list(LANGUAGES),
            format_func=LANGUAGES.get,
            key="app.lang",
            horizontal=True,
        )
        if access.signed_in:
            st.divider()
            sidebar_identity(access)


sync_language()
try:
    project_settings = settings()
except LoadError as settings_error:
    show_settings_error(settings_error)

st.set_page_config(
    page_title=tr("app.page_title", project=project_settings.name),
    page_icon=str(FAVICON),
    layout="wide",
)


def only_page(page, title_key: str) -> None:
    """The one page a reader without the dashboard sees (sign-in, access not granted, a
    database that cannot be opened): no menu, no sidebar of the project's data."""
    only = st.Page(page, title=tr(title_key), url_path="access", default=True)
    st.navigation([only], position="hidden").run()
    st.stop()


def dashboard(access: Access):
    """The menu of the pages this reader may open (the administration page for admins)."""
    return st.navigation(
        [
            st.Page(
                spec.script,
                title=tr(spec.title_key),
                icon=spec.icon,
                url_path=spec.url_path,
                default=spec.default,
            )
            for spec in PAGES
            if access.can_admin or not spec.admin_only
        ]
    )


if server_mode() and signed_in_identity() is None:
    only_page(sign_in_page, "access.sign_in.title")  # no database needed to sign in
try:
    history = store()  # opened and checked once per database; a damaged one is said on every page
    access = resolve_access(history)  # the role read now: a change shows on the next page view
    audit_session(history, access)
except StoreError as opening_error:
    logger.exception("the snapshot store cannot be opened")
    message = opening_error.message(lang())
    if server_mode():  # nobody's role can be read: no menu at all
        only_page(lambda: st.error(message, icon=":material/database:"), "app.title")
    dashboard(Access(server_mode=False))  # every page's address answers with the message
    st.error(message, icon=":material/database:")
    st.stop()
remember(access)
if access.server_mode and not access.signed_in:
    only_page(sign_in_page, "access.sign_in.title")
if access.server_mode and access.role is None:
    only_page(lambda: refused_page(access), "access.refused.title")
navigation = dashboard(access)
draw_sidebar(access)
try:
    navigation.run()
except StoreError as store_error:
    logger.exception("page %s: the snapshot store failed", navigation.title)
    st.error(store_error.message(lang()), icon=":material/database:")
except Exception:  # st.stop() and reruns are BaseException and pass through
    # A bug must not show a traceback: log it for the maintainers, tell the user in words.
    logger.exception("page %s failed", navigation.title)
    st.error(tr("app.page_error"), icon=":material/error:")
