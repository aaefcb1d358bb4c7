"""Who is looking, and what they may do: the embedded default (one local user, every page and
every right, nothing to configure) or the **server mode**, on as soon as the secrets hold an
``[auth]`` section (Streamlit's own ``st.login``: any OpenID Connect provider; the secrets
come from ``.streamlit/secrets.toml`` or ``--secrets.files``, never committed).

In server mode a signed-out visitor sees only the sign-in page; a signed-in person whose e-mail
is not in the role table (``store.audit``) sees "access not granted" and whom to ask; the
others see the dashboard with their role's rights: *viewer* (every page, every download, no
upload), *editor* (imports), *admin* (the administration page: roles and the audit trail). The
role is read from the database on every page view, so a change takes effect on the next one,
on every server. The first administrators come from ``TRACKER_ADMINS`` (comma-separated
e-mails): while the role table has no admin, such a person is made one at sign-in (audited,
by ``setup``). ``TRACKER_ACCESS_CONTACT`` is whom a refused person is told to ask.

Sign-ins and refusals are audited once per browser session; every identity written anywhere
(an importer, an audit line) is the signed-in e-mail, never a typed name.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

import streamlit as st

from store.audit import EDIT_ROLES, normal_email

logger = logging.getLogger(__name__)

ADMINS_ENV = "TRACKER_ADMINS"
CONTACT_ENV = "TRACKER_ACCESS_CONTACT"
#: the session keys that remember a sign-in or a refusal was audited
_AUDITED = "access.audited"


@dataclass(frozen=True)
class Access:
    """The reader of this page view."""

    server_mode: bool
    #: the signed-in e-mail (server mode), else None
    email: str | None = None
    name: str | None = None
    #: "viewer", "editor", "admin"; None: signed in but no role (server mode only)
    role: str | None = None
    #: when the provider signed this person in (the ID token's ``iat``): one sign-in
    signed_at: str | None = None

    @property
    def signed_in(self) -> bool:
        return self.email is not None

    @property
    def can_edit(self) -> bool:
        return not self.server_mode or self.role in EDIT_ROLES

    @property
    def can_admin(self) -> bool:
        return not self.server_mode or self.role == "admin"

    @property
    def actor(self) -> str | None:
        """Who an audit line or an import names: the e-mail in server mode."""
        return self.email


def auth_section() -> dict[str, Any]:
    """The secrets' ``[auth]`` section, empty when there is none (the embedded default)."""
    try:
        from streamlit.auth_util import get_secrets_auth_section

        return dict(get_secrets_auth_section() or {})
    except Exception:  # a secrets file that does not parse: no sign-in configured
        logger.exception("the secrets' [auth] section cannot be read")
        return {}


def server_mode() -> bool:
    return bool(auth_section())


def providers() -> list[str | None]:
    """The providers to offer: None for the ``[auth]`` section's own (``st.login()``), else
    the name of each ``[auth.<name>]`` section."""
    section = auth_section()
    if "client_id" in section:
        return [None]
    return [name for name, value in section.items() if isinstance(value, dict)]


def signed_in_identity() -> tuple[str, str | None, str | None] | None:
    """(e-mail, name, when the provider signed them in) of the signed-in person, None when
    nobody is (or no sign-in)."""
    try:
        info = st.user.to_dict()
    except Exception:  # no user information in this context (bare mode)
        return None
    if not info.get("is_logged_in"):
        return None
    email = str(info.get("email") or "")  # checked and normalised by resolve_access
    name, issued = info.get("name"), info.get("iat")
    return email, (str(name) if name else None), (str(issued) if issued else None)


def bootstrap_admins() -> set[str]:
    found = set()
    for item in os.environ.get(ADMINS_ENV, "").split(","):
        try:
            found.add(normal_email(item))
        except ValueError:
            continue
    return found


def resolve_access(store: Any) -> Access:
    """This page view's ``Access`` (the role read from the database now)."""
    if not server_mode():
        return Access(server_mode=False)
    identity = signed_in_identity()
    if identity is None:
        return Access(server_mode=True)
    email, name, signed_at = identity
    try:
        email = normal_email(email)
    except ValueError:
        logger.warning("the provider gave no usable e-mail address: %r", email)
        return Access(server_mode=True)
    role = store.role_of(email)
    if role is None and email in bootstrap_admins() and not _has_admin(store):
        store.set_role(email, "admin", f"setup ({ADMINS_ENV})")
        role = "admin"
    return Access(server_mode=True, email=email, name=name, role=role, signed_at=signed_at)


def _has_admin(store: Any) -> bool:
    return any(grant.role == "admin" for grant in store.roles())


def audit_session(store: Any, access: Access) -> None:
    """One ``sign_in`` (or ``access_refused``) line per sign-in: a new tab or a reload of the
    same sign-in (the same ID token's ``iat``) writes none, checked in the session, then in
    the trail itself (a reload is a new Streamlit session)."""
    if not access.signed_in:
        return
    action = "sign_in" if access.role is not None else "access_refused"
    key = (access.email, action, access.signed_at)
    if st.session_state.get(_AUDITED) == key:
        return
    st.session_state[_AUDITED] = key
    if access.signed_at is not None:
        last = store.audit(action=action, actor=access.email, limit=1)
        if last and last[0].detail.get("signed_at") == access.signed_at:
            return
    detail = {"signed_at": access.signed_at}
    if action == "sign_in":
        store.record(action, access.email, detail={**detail, "role": access.role})
    else:
        store.record(action, access.email, detail={**detail, "email": access.email})


def contact() -> str:
    return os.environ.get(CONTACT_ENV, "").strip()


# --- the reader of this run, for the pages ------------------------------------------------------

_CURRENT = "access.current"


def remember(access: Access) -> None:
    """app.py sets this run's ``Access`` before a page runs."""
    st.session_state[_CURRENT] = access


def current_access() -> Access:
    """This run's reader (the embedded default when app.py has not set one: a bare page)."""
    found = st.session_state.get(_CURRENT)
    return found if isinstance(found, Access) else Access(server_mode=server_mode())


def _record_download(file_name: str, document: str | None) -> None:
    from ui.shared import store

    access = current_access()
    if not access.signed_in:
        return
    try:
        store().record(
            "download",
            access.email,
            file_name=file_name,
            detail={"document": document or file_name},
        )
    except Exception:  # the download itself must never fail for its audit line
        logger.exception("the download of %s could not be audited", file_name)


def download_button(label: str, *, data: Any, file_name: str, key: str, **kwargs: Any) -> Any:
    """``st.download_button``, audited in server mode (who downloaded which document, when);
    ``document`` names it in the trail (else its file name)."""
    document = kwargs.pop("document", None)
    if current_access().signed_in:
        kwargs["on_click"] = _record_download
        kwargs["args"] = (file_name, document)
    else:
        kwargs.setdefault("on_click", "ignore")
    return st.download_button(label, data=data, file_name=file_name, key=key, **kwargs)


# --- the pages of server mode before the dashboard -----------------------------------------------


def sign_in_page() -> None:
    """All a signed-out visitor sees: the project, why to sign in, the provider's button."""
    from ui.shared import plain, settings, tr

    st.title(tr("access.sign_in.title"))
    st.markdown(f"**{plain(settings().name)}**")
    st.markdown(tr("access.sign_in.text"))
    for provider in providers():
        label = tr("access.sign_in.button")
        if provider is not None:
            label = tr("access.sign_in.button_with", provider=provider)
        if st.button(label, key=f"access.sign_in.{provider or 'default'}", type="primary"):
            if provider is None:
                st.login()
            else:
                st.login(provider)


def refused_page(access: Access) -> None:
    """A signed-in person without a role: whom to ask, a way out, nothing of the data."""
    from ui.shared import md, tr

    st.title(tr("access.refused.title"))
    st.markdown(md("access.refused.text", email=access.email or "?"))
    who = contact()
    st.markdown(md("access.refused.ask", contact=who) if who else tr("access.refused.ask_admin"))
    if st.button(tr("access.sign_out"), key="access.sign_out.refused"):
        st.logout()


def sidebar_identity(access: Access) -> None:
    """Who is signed in, with which role, and the way out (server mode)."""
    from ui.shared import md, tr

    if not access.signed_in:
        return
    st.caption(
        md(
            "access.signed_in_as",
            who=access.name or access.email,
            email=access.email,
            role=tr(f"roles.{access.role}"),
        )
    )
    if st.button(tr("access.sign_out"), key="access.sign_out", icon=":material/logout:"):
        st.logout()
