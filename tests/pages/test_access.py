"""Server mode through the whole app (AppTest): the secrets' ``[auth]`` section turns sign-in
on, the role table decides what each person sees. The provider's side of the sign-in is
replaced here by the identity it would give (``ui.access.signed_in_identity``); the real
flow, in Chromium against a local OpenID Connect provider, is tests/browser/test_sign_in.py.

A signed-out visitor sees only the sign-in page; a stranger sees "access not granted" and whom
to ask, nothing of the project; a viewer reads without uploading; an editor imports as their
e-mail (never a typed name) and the audit trail says so; an admin gives roles on the
administration page; a role change shows on the next page view; ``TRACKER_ADMINS`` makes the
first administrator."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import ui.access
from store import SQLiteSnapshotStore
from tests.pages.test_data_page import (
    SEEDED,
    assert_ran_cleanly,
    confirm,
    schedule_week_48,
    texts,
    upload,
)

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-real-secret-only-for-the-tests",
    "client_id": "tracker",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "history.sqlite"
    monkeypatch.setenv("TRACKER_DB", str(path))
    monkeypatch.delenv(ui.access.ADMINS_ENV, raising=False)
    monkeypatch.setenv(ui.access.CONTACT_ENV, "dsi@arep.ma")
    monkeypatch.setattr(ui.access, "auth_section", lambda: dict(AUTH))
    return path


@pytest.fixture
def signed_in(monkeypatch):
    """``signed_in("nadia@arep.ma")``: the provider says this person is signed in."""

    def sign_in(email: str | None, name: str | None = None) -> None:
        identity = None if email is None else (email, name, "1764748800")
        monkeypatch.setattr(ui.access, "signed_in_identity", lambda: identity)

    return sign_in


def run_app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    if page is not None:
        at.switch_page(page).run()
    assert_ran_cleanly(at)
    return at


def everything(at: AppTest) -> str:
    parts = texts(at.title) + texts(at.markdown) + texts(at.caption) + texts(at.info)
    parts += texts(at.error) + [b.label for b in at.button]
    return "\n".join(parts)


def stored(db: Path) -> SQLiteSnapshotStore:
    return SQLiteSnapshotStore(db)


def test_a_signed_out_visitor_sees_only_the_sign_in(db, signed_in):
    signed_in(None)
    at = run_app()
    assert texts(at.title) == ["Connexion"]
    assert [b.label for b in at.button] == ["Se connecter"]
    shown = everything(at)
    assert "Situation" not in shown and "MAD" not in shown and "Données" not in shown
    assert not at.sidebar.markdown and not at.metric and not at.dataframe
    # no page of the dashboard is registered: none can be reached (a URL gives the sign-in,
    # in Chromium: tests/browser/test_sign_in.py)
    with pytest.raises(ValueError, match="Known pages: \\['Connexion'\\]"):
        at.switch_page("pages/data.py")
    # the sign-in needs no database: nothing was opened, seeded or written for the visitor
    assert not db.exists()


def test_a_stranger_sees_access_not_granted_and_whom_to_ask(db, signed_in):
    signed_in("Stranger@Example.com", "A Stranger")
    at = run_app()
    assert texts(at.title) == ["Accès non accordé"]
    shown = everything(at)
    assert "stranger@example.com" in shown and "dsi@arep.ma" in shown
    assert "Se déconnecter" in shown
    assert not at.metric and not at.dataframe and "MAD" not in shown
    at.run()  # a second view of the same session: still one line in the trail
    trail = stored(db).audit(action="access_refused")
    assert [e.actor for e in trail] == ["stranger@example.com"]
    assert {e.action for e in stored(db).audit()} == {"access_refused", "import_stored"}


def test_a_viewer_reads_and_downloads_but_cannot_import_nor_administer(db, signed_in):
    stored(db).set_role("admin@arep.ma", "admin", "setup")
    stored(db).set_role("gouverneur@interieur.gov.ma", "viewer", "admin@arep.ma")
    signed_in("gouverneur@interieur.gov.ma", "Le Gouverneur")
    at = run_app("pages/data.py")
    assert not at.get("file_uploader")
    assert any("Lecture seule" in t for t in texts(at.info))
    assert not [t for t in at.text_input if t.key == "data.importer"]
    assert "data.withdraw.button" not in {b.key for b in at.button}
    sidebar = "\n".join(texts(at.sidebar.caption))
    assert "gouverneur@interieur.gov.ma" in sidebar and "lecteur" in sidebar
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/admin.py")  # not in the viewer's menu
    assert [(e.action, e.actor) for e in stored(db).audit(action="sign_in")] == [
        ("sign_in", "gouverneur@interieur.gov.ma"),  # once per browser session
    ]


def test_an_editor_imports_as_their_email_and_the_trail_says_so(db, signed_in):
    stored(db).set_role("admin@arep.ma", "admin", "setup")
    stored(db).set_role("Nadia.Benali@AREP.ma", "editor", "admin@arep.ma")
    signed_in("nadia.benali@arep.ma", "Nadia Benali")
    at = run_app("pages/data.py")
    assert not [t for t in at.text_input if t.key == "data.importer"]  # nothing to type
    assert "Importé par : **nadia.benali@arep.ma** (compte connecté)." in texts(at.main.markdown)
    upload(at, "schedule", "planning_S48.xlsx", schedule_week_48())
    confirm(at, "schedule")
    history = stored(db)
    assert len(history.list()) == SEEDED + 1
    assert history.list()[0].imported_by == "nadia.benali@arep.ma"
    (line,) = history.audit(action="import_stored", actor="nadia.benali@arep.ma")
    assert (line.file_name, line.snapshot_id) == ("planning_S48.xlsx", SEEDED + 1)


def test_a_role_change_shows_on_the_next_page_view(db, signed_in):
    history = stored(db)
    history.set_role("admin@arep.ma", "admin", "setup")
    history.set_role("karim@arep.ma", "viewer", "admin@arep.ma")
    signed_in("karim@arep.ma")
    at = run_app("pages/data.py")
    assert not at.get("file_uploader")
    history.set_role("karim@arep.ma", "editor", "admin@arep.ma")
    at.run()
    assert len(at.get("file_uploader")) == 4  # schedule, finance, floor areas, registers
    history.remove_role("karim@arep.ma", "admin@arep.ma")
    at.run()
    assert texts(at.title) == ["Accès non accordé"]


def test_an_admin_gives_a_role_on_the_administration_page(db, signed_in):
    stored(db).set_role("admin@arep.ma", "admin", "setup")
    signed_in("admin@arep.ma", "Admin AREP")
    at = run_app("pages/admin.py")
    assert texts(at.title) == ["Administration"]
    at.text_input(key="admin.roles.email").set_value("Salma@AREP.ma").run()
    at.selectbox(key="admin.roles.role").set_value("editor").run()
    at.button(key="admin.roles.grant").click().run()
    assert_ran_cleanly(at)
    assert stored(db).role_of("salma@arep.ma") == "editor"
    assert any("salma@arep.ma" in t and "éditeur" in t for t in texts(at.success))
    roles = at.dataframe[0].value
    assert roles["email"].tolist() == ["admin@arep.ma", "salma@arep.ma"]
    (granted,) = stored(db).audit(action="role_granted", actor="admin@arep.ma")
    assert granted.detail == {"email": "salma@arep.ma", "role": "editor", "previous": None}
    # the trail on the page: newest first, the grant at the top
    trail = at.dataframe[1].value
    assert trail["actor"].iloc[0] == "admin@arep.ma"
    assert "salma@arep.ma" in trail["what"].iloc[0]
    # the last admin cannot lower themselves
    at.selectbox(key="admin.roles.pick").set_value("admin@arep.ma").run()
    at.button(key="admin.roles.remove").click().run()
    assert any("dernier administrateur" in t for t in texts(at.error))
    assert stored(db).role_of("admin@arep.ma") == "admin"


def test_the_first_administrator_comes_from_the_environment(db, signed_in, monkeypatch):
    monkeypatch.setenv(ui.access.ADMINS_ENV, "chef.projet@arep.ma, dsi@arep.ma")
    signed_in("Chef.Projet@arep.ma")
    at = run_app("pages/admin.py")
    assert texts(at.title) == ["Administration"]
    history = stored(db)
    assert history.role_of("chef.projet@arep.ma") == "admin"
    (made,) = history.audit(action="role_granted")
    assert made.actor == "setup (TRACKER_ADMINS)"
    # once an admin exists, the list gives no one else the role by itself
    signed_in("dsi@arep.ma")
    assert texts(run_app().title) == ["Accès non accordé"]


def test_without_auth_settings_the_laptop_install_is_unchanged(tmp_path, monkeypatch):
    """No ``[auth]``: no sign-in, the importer typed, the administration page shows the trail
    and says sign-in is not configured."""
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "history.sqlite"))
    monkeypatch.setattr(ui.access, "auth_section", dict)
    at = run_app("pages/data.py")
    assert len(at.get("file_uploader")) == 4
    assert [t for t in at.text_input if t.key == "data.importer"]
    admin = run_app("pages/admin.py")
    assert any("La connexion n'est pas configurée" in t for t in texts(admin.info))
    trail = admin.dataframe[0].value
    assert len(trail) == SEEDED  # the seed's imports, by the sample's importer
