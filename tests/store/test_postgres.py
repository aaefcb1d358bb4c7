"""The store on PostgreSQL when the server cannot serve: every failure is a message in the
reader's language naming the database without its password, never a traceback nor a silent
fresh start; ``TRACKER_DB`` and ``--db`` take a PostgreSQL URL as they take a SQLite path.
(Everything the store promises on a working server runs on both engines in the other store
tests: the ``db`` fixture of tests/store/conftest.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from store import StoreAccessError, StoreError, open_store, open_store_at, resolve_db_path
from store.postgres import PostgresSnapshotStore
from tests.postgres import PASSWORD, PASSWORD_ROLE

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
SCHEDULE = ROOT / "data" / "planning_travaux.xlsx"


def refusal(url: str) -> StoreError:
    with pytest.raises(StoreError) as caught:
        open_store_at(url)
    return caught.value


def test_a_server_that_does_not_answer_is_named_without_its_password(tmp_path):
    url = f"postgresql://tracker:s3cret-Pa55@/tracker?host={tmp_path}&port=5999"
    error = refusal(url)
    assert isinstance(error, StoreAccessError)
    assert error.key == "store_safety.error.server_unreachable"
    for lang, words in (("fr", "ne répond pas"), ("en", "does not answer")):
        message = error.message(lang)
        assert words in message and "TRACKER_DB" in message
        assert "s3cret" not in message and "***" in message


def test_a_wrong_password_is_refused_and_never_shown(postgres_server):
    if postgres_server.folder is None:
        pytest.fail("this test needs the throw-away server (its role with a password)")
    own = postgres_server.new_database(owner=PASSWORD_ROLE)
    try:
        database = own.partition("?")[0].rsplit("/", 1)[1]
        right = postgres_server.url_of(database, f"{PASSWORD_ROLE}:{PASSWORD}")
        assert open_store_at(right).is_empty()  # the right password opens (and creates) it
        error = refusal(right.replace(PASSWORD, "guessed-Wrong"))
        assert error.key == "store_safety.error.server_refused"
        for lang in ("fr", "en"):
            message = error.message(lang)
            assert "guessed" not in message and PASSWORD not in message
            assert PASSWORD_ROLE in message
    finally:
        postgres_server.drop_database(own)


def test_a_user_without_the_right_to_create_tables_is_told_so(postgres_server):
    """The role may sign in to the ``postgres`` database but not create tables in its
    ``public`` schema (PostgreSQL 15's default): a message saying what to grant, not a
    generic failure."""
    error = refusal(postgres_server.url_of("postgres", f"{PASSWORD_ROLE}:{PASSWORD}"))
    assert error.key == "store_safety.error.server_no_rights"
    assert "GRANT" in error.message("en") and PASSWORD_ROLE in error.message("fr")


def test_a_database_that_does_not_exist_says_to_create_it(postgres_server):
    error = refusal(postgres_server.url_of("no_such_history"))
    assert error.key == "store_safety.error.no_database"
    assert "createdb" in error.message("fr") and "no_such_history" in error.message("en")


def test_an_address_that_is_no_url_is_refused_with_the_form_to_write():
    error = refusal("postgresql://tracker@server:port-not-a-number/tracker")
    assert error.key == "store_safety.error.bad_url"
    assert "postgresql://utilisateur:motdepasse@serveur:5432/base" in error.message("fr")


def test_the_environment_names_a_postgresql_database_like_a_file(postgres_server, monkeypatch):
    url = postgres_server.new_database()
    try:
        monkeypatch.setenv("TRACKER_DB", url)
        assert resolve_db_path() == url
        opened = open_store()
        assert isinstance(opened, PostgresSnapshotStore) and opened.is_empty()
        assert "s3cret" not in repr(opened)
    finally:
        postgres_server.drop_database(url)


def test_the_command_line_imports_into_postgresql_from_the_environment(postgres_server):
    """``TRACKER_DB=postgresql://… python -m store import …`` then ``list``, as an operator
    runs it on the server."""
    url = postgres_server.new_database()
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TRACKER_DB": url}
        env.pop("TRACKER_PROJECT", None)

        def run(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [sys.executable, "-m", "store", *args],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )

        done = run("import", str(SCHEDULE), "--by", "cron")
        assert done.returncode == 0, done.stderr
        assert "instantané n° 1" in done.stdout
        listed = run("list", "--lang", "en")
        assert listed.returncode == 0 and "planning_travaux.xlsx" in listed.stdout
        assert "cron" in listed.stdout
        stopped = run("list", "--db", postgres_server.url_of("missing_db"))
        assert stopped.returncode == 1 and "Traceback" not in stopped.stderr
        assert "createdb" in stopped.stderr
    finally:
        postgres_server.drop_database(url)
