"""The real sign-in, in Chromium: the app started with an ``[auth]`` section pointing at the
OpenID Connect provider of ``tests.oidc_provider`` (on loopback, started here), each person
signing in through the provider's own form, Streamlit's ``st.login`` exchanging the code for
a signed ID token. A signed-out visitor sees only the sign-in, even asking for a page by its
URL; a wrong password never gets past the provider; the first admin comes from
``TRACKER_ADMINS``; a viewer sees no upload; an editor imports and the audit trail names the
editor's e-mail; a stranger sees "access not granted"."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import SQLiteSnapshotStore
from tests.browser.conftest import free_port, running_app
from tests.browser.test_import_history import FILE_NAME, schedule_week_48
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, RunningProvider

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
PEOPLE = {
    "admin": ("chef.projet@arep.ma", "Chef de projet AREP", "admin-pass-1"),
    "editor": ("nadia.benali@arep.ma", "Nadia Benali", "editor-pass-2"),
    "viewer": ("cabinet@gouverneur.ma", "Cabinet du Gouverneur", "viewer-pass-3"),
    "stranger": ("curieux@example.com", "Un Curieux", "stranger-pass-4"),
}


@pytest.fixture(scope="module")
def provider() -> Iterator[RunningProvider]:
    running = RunningProvider()
    for email, name, password in PEOPLE.values():
        running.state.add_user(email, name, password)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def server(provider, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The app in server mode: its secrets file in a temporary folder (never the repository),
    the editor and the viewer given their roles beforehand in its database."""
    folder = tmp_path_factory.mktemp("signin")
    port = free_port()
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n',
        encoding="utf-8",
    )
    db = folder / "history.sqlite"
    store = SQLiteSnapshotStore(db)
    store.set_role("bootstrap@arep.ma", "admin", "setup")  # replaced below by the real admin
    store.set_role(PEOPLE["editor"][0], "editor", "bootstrap@arep.ma")
    store.set_role(PEOPLE["viewer"][0], "viewer", "bootstrap@arep.ma")
    store.set_role(PEOPLE["admin"][0], "admin", "bootstrap@arep.ma")
    store.remove_role("bootstrap@arep.ma", PEOPLE["admin"][0])
    env = {"TRACKER_DB": str(db), "TRACKER_ACCESS_CONTACT": "dsi@arep.ma"}
    with running_app(folder, env, port=port, args=["--secrets.files", str(secrets_file)]) as url:
        yield url.replace("127.0.0.1", "localhost"), db


def shown(locator) -> str:
    """A locator's text as read (the word joiner that keeps an e-mail from becoming a link
    dropped)."""
    return locator.inner_text().replace("\u2060", "")


def wait_signed_in(page, email: str) -> str:
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text("Connecté :").wait_for()
    text = shown(sidebar)
    assert email in text, text
    return text


def sign_in(page, url: str, who: str, password: str | None = None) -> None:
    email, _, right = PEOPLE[who]
    page.goto(url)
    page.get_by_role("heading", name="Connexion", level=1).wait_for()
    page.get_by_role("button", name="Se connecter").click()
    page.locator("#email").wait_for()  # the provider's own page
    page.locator("#email").fill(email)
    page.locator("#password").fill(password or right)
    page.locator("#submit").click()


def test_a_signed_out_visitor_sees_only_the_sign_in_even_by_url(page, server):
    url, _ = server
    for path in ("/", "/data", "/admin", "/spending"):
        page.goto(url + path)
        page.get_by_role("heading", name="Connexion", level=1).wait_for()
        page.get_by_role("button", name="Se connecter").wait_for()
        body = page.locator("[data-testid=stApp]").inner_text()
        assert "MAD" not in body and "Date de situation" not in body
        assert page.locator("[data-testid=stSidebarNav]").count() == 0


def test_a_wrong_password_stays_at_the_provider(page, server, provider):
    url, db = server
    issued = provider.state.tokens_issued
    sign_in(page, url, "editor", password="not-the-password")
    page.get_by_text("Adresse ou mot de passe incorrect.").wait_for()
    assert provider.state.tokens_issued == issued
    assert SQLiteSnapshotStore(db).audit(action="sign_in") == []


def test_an_editor_signs_in_imports_and_the_trail_names_the_editor(page, server, tmp_path):
    url, db = server
    sign_in(page, url, "editor")
    assert "éditeur" in wait_signed_in(page, "nadia.benali@arep.ma")
    page.goto(url + "/data")
    page.get_by_role("heading", name="Données", level=1).wait_for()
    card = page.locator(".st-key-data-card-schedule")
    card.get_by_text("Fichier en place").wait_for()
    assert page.locator(".st-key-data-importer").count() == 0  # nothing to type
    page.get_by_text("(compte connecté)").wait_for()
    main = shown(page.locator("[data-testid=stMain]"))
    assert "Importé par : nadia.benali@arep.ma (compte connecté)." in main
    upload = tmp_path / FILE_NAME
    upload.write_bytes(schedule_week_48())
    card.locator("input[type=file]").set_input_files(upload)
    card.get_by_text(f"« {FILE_NAME} » est valide").wait_for()
    card.get_by_role("button", name="Confirmer l'import").click()
    card.get_by_text(f"« {FILE_NAME} » enregistré : instantané n°").wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "signin_editor_data.png"))

    store = SQLiteSnapshotStore(db)
    assert store.list()[0].imported_by == "nadia.benali@arep.ma"
    (line,) = store.audit(action="import_stored", actor="nadia.benali@arep.ma")
    assert line.file_name == FILE_NAME
    assert [e.actor for e in store.audit(action="sign_in")] == ["nadia.benali@arep.ma"]
    # a download is a line of the trail too: who took which document
    page.get_by_role("button", name="Préparer le classeur Excel").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger le classeur Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.wait_for_timeout(1000)
    (took,) = store.audit(action="download", actor="nadia.benali@arep.ma")
    assert took.file_name == download.value.suggested_filename
    assert took.detail == {"document": "Télécharger le classeur Excel"}
    # the admin page is not in the editor's menu
    nav = page.locator("[data-testid=stSidebarNav]").inner_text()
    assert "Données" in nav and "Administration" not in nav


def test_a_viewer_sees_the_data_but_no_upload(page, server):
    url, _ = server
    sign_in(page, url, "viewer")
    assert "lecteur" in wait_signed_in(page, "cabinet@gouverneur.ma")
    page.goto(url + "/data")
    page.get_by_role("heading", name="Données", level=1).wait_for()
    page.get_by_text("Lecture seule").wait_for()
    assert page.locator("input[type=file]").count() == 0
    page.screenshot(path=str(SHOTS / "signin_viewer_data.png"))


def test_a_stranger_is_told_access_is_not_granted(page, server):
    url, db = server
    sign_in(page, url, "stranger")
    page.get_by_role("heading", name="Accès non accordé", level=1).wait_for()
    page.get_by_role("button", name="Se déconnecter").wait_for()  # the page's last element
    body = shown(page.locator("[data-testid=stApp]"))
    assert "curieux@example.com" in body and "dsi@arep.ma" in body
    assert "MAD" not in body
    page.screenshot(path=str(SHOTS / "signin_refused.png"))
    refused = SQLiteSnapshotStore(db).audit(action="access_refused")
    assert [e.actor for e in refused] == ["curieux@example.com"]


def test_an_admin_sees_the_trail_of_everyone(page, server):
    url, _ = server
    sign_in(page, url, "admin")
    assert "administrateur" in wait_signed_in(page, "chef.projet@arep.ma")
    page.goto(url + "/admin")
    page.get_by_role("heading", name="Administration", level=1).wait_for()
    page.get_by_role("heading", name="Journal d'audit").wait_for()
    page.locator(".st-key-admin-roles-email input").wait_for()
    tables = page.locator("[data-testid=stDataFrame]")
    tables.nth(1).wait_for()  # drawn after the heading on a busy machine
    assert tables.count() == 2  # the roles, the trail
    page.screenshot(path=str(SHOTS / "signin_admin.png"), full_page=True)


def test_a_role_given_on_the_admin_page_opens_the_dashboard_at_the_next_view(page, browser, server):
    """The stranger, refused, keeps the tab open; the admin gives that address the viewer
    role on the administration page; the stranger's next page view is the dashboard."""
    url, db = server
    stranger = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    try:
        theirs = stranger.new_page()
        theirs.set_default_timeout(30_000)
        sign_in(theirs, url, "stranger")
        theirs.get_by_role("heading", name="Accès non accordé", level=1).wait_for()

        sign_in(page, url, "admin")
        wait_signed_in(page, "chef.projet@arep.ma")
        page.goto(url + "/admin")
        page.get_by_role("heading", name="Administration", level=1).wait_for()
        email = page.locator(".st-key-admin-roles-email input")
        email.fill("curieux@example.com")
        email.press("Enter")
        page.wait_for_timeout(500)
        page.get_by_role("button", name="Donner ce rôle").click()
        page.get_by_text("a désormais le rôle lecteur").wait_for()

        theirs.reload()
        assert "lecteur" in wait_signed_in(theirs, "curieux@example.com")
        nav = theirs.locator("[data-testid=stSidebarNav]")
        nav.get_by_text("Données").wait_for()
        assert "Administration" not in nav.inner_text()
        theirs.locator("[data-testid=stMetric]").first.wait_for(timeout=90_000)  # the figures
        assert SQLiteSnapshotStore(db).role_of("curieux@example.com") == "viewer"
        (granted,) = SQLiteSnapshotStore(db).audit(
            action="role_granted", actor="chef.projet@arep.ma"
        )
        assert granted.detail["email"] == "curieux@example.com"
    finally:
        stranger.close()
