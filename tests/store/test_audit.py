"""The audit trail and the roles, on each engine (the ``db`` fixture: a SQLite file, then a
PostgreSQL database): every import (stored, duplicate, refused with its problem count) and
every withdrawal leaves one line saying who, when, what; the database refuses to change or
delete a line; a role change is a line too; the last admin stays; an older database is
upgraded in place with its snapshots kept; ``python -m store audit`` prints the trail."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from store import import_bytes, is_server_url, open_store_at
from store.__main__ import main
from store.audit import audit_what
from store.snapshots import SCHEMA_VERSION, RoleError
from tests.store.helpers import counts, raw_execute

ROOT = Path(__file__).resolve().parents[2]
SCHEDULE = ROOT / "data" / "planning_travaux.xlsx"
FINANCE = ROOT / "data" / "suivi_financier.xlsx"
AT = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC)


def test_each_import_and_withdrawal_is_one_line_saying_who_when_what(store):
    data = SCHEDULE.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    stored = import_bytes(store, "schedule", SCHEDULE.name, data, "nadia@arep.ma", imported_at=AT)
    again = import_bytes(store, "schedule", "copie.xlsx", data, "karim@arep.ma")
    refused = import_bytes(store, "finance", "notes.csv", b"a;b\n1;2\n", "karim@arep.ma")
    store.withdraw(stored.snapshot_id, "salma@arep.ma", "mauvais fichier")

    trail = store.audit()
    assert [(e.action, e.actor) for e in trail] == [
        ("withdraw", "salma@arep.ma"),
        ("import_refused", "karim@arep.ma"),
        ("import_duplicate", "karim@arep.ma"),
        ("import_stored", "nadia@arep.ma"),
    ]
    first = trail[-1]
    assert (first.kind, first.file_name, first.sha256, first.snapshot_id) == (
        "schedule",
        SCHEDULE.name,
        digest,
        1,
    )
    assert first.at == AT and first.detail == {"status_date": "2026-11-20", "rows": 69}
    assert (trail[2].snapshot_id, trail[2].file_name) == (again.duplicate_of, "copie.xlsx")
    assert trail[1].problems == len(refused.errors) > 0 and trail[1].snapshot_id is None
    assert trail[0].detail == {"why": "mauvais fichier"} and trail[0].snapshot_id == 1

    assert audit_what(first, "fr") == (
        "« planning_travaux.xlsx » (planning) → instantané n° 1, 69 lignes"
    )
    problems = len(refused.errors)
    assert audit_what(trail[1], "en").endswith(
        f"refused: {problems} problem{'s' if problems > 1 else ''}, nothing stored"
    )
    # filters: by action, by actor in any case, by time
    assert [e.action for e in store.audit(actor="KARIM@arep.ma")] == [
        "import_refused",
        "import_duplicate",
    ]
    assert [e.id for e in store.audit(action="import_stored")] == [first.id]
    assert [e.id for e in store.audit(until=AT + dt.timedelta(seconds=1))] == [first.id]


def test_the_database_refuses_to_change_or_delete_a_line(store, db):
    import_bytes(store, "schedule", SCHEDULE.name, SCHEDULE.read_bytes(), "nadia@arep.ma")
    for statement in (
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log",
    ):
        with pytest.raises(Exception, match="append-only"):
            raw_execute(db, statement)
    if is_server_url(db):
        with pytest.raises(Exception, match="append-only"):
            raw_execute(db, "TRUNCATE audit_log")
    assert [(e.action, e.actor) for e in store.audit()] == [("import_stored", "nadia@arep.ma")]


def test_an_import_that_fails_midway_leaves_no_line(store, db, monkeypatch):
    import store.snapshots as snapshots

    def boom(batch: int) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(snapshots, "after_batch", boom)
    with pytest.raises(Exception):  # noqa: B017 — whatever the engine's wrapping
        import_bytes(store, "schedule", SCHEDULE.name, SCHEDULE.read_bytes(), "nadia@arep.ma")
    assert store.audit() == [] and counts(db)["snapshots"] == 0


def test_roles_are_given_changed_and_taken_away_each_change_audited(store):
    store.set_role("Admin@AREP.ma", "admin", "setup", at=AT)
    store.set_role("nadia@arep.ma", "editor", "admin@arep.ma")
    store.set_role("gouverneur@interieur.gov.ma", "viewer", "admin@arep.ma")
    store.set_role("nadia@arep.ma", "viewer", "admin@arep.ma")  # lowered
    store.set_role("nadia@arep.ma", "viewer", "admin@arep.ma")  # unchanged: no line
    assert store.role_of("ADMIN@arep.ma") == "admin"
    assert store.role_of("nadia@arep.ma") == "viewer"
    assert store.role_of("stranger@example.com") is None
    assert store.role_of("not an e-mail") is None
    assert [(g.email, g.role) for g in store.roles()] == [
        ("admin@arep.ma", "admin"),
        ("gouverneur@interieur.gov.ma", "viewer"),
        ("nadia@arep.ma", "viewer"),
    ]
    assert store.remove_role("gouverneur@interieur.gov.ma", "admin@arep.ma") is True
    assert store.remove_role("gouverneur@interieur.gov.ma", "admin@arep.ma") is False

    changes = [(e.action, e.actor, e.detail) for e in reversed(store.audit())]
    assert changes == [
        ("role_granted", "setup", {"email": "admin@arep.ma", "role": "admin", "previous": None}),
        (
            "role_granted",
            "admin@arep.ma",
            {"email": "nadia@arep.ma", "role": "editor", "previous": None},
        ),
        (
            "role_granted",
            "admin@arep.ma",
            {"email": "gouverneur@interieur.gov.ma", "role": "viewer", "previous": None},
        ),
        (
            "role_granted",
            "admin@arep.ma",
            {"email": "nadia@arep.ma", "role": "viewer", "previous": "editor"},
        ),
        (
            "role_removed",
            "admin@arep.ma",
            {"email": "gouverneur@interieur.gov.ma", "previous": "viewer"},
        ),
    ]
    assert audit_what(store.audit()[1], "fr") == "nadia@arep.ma : éditeur → lecteur"


def test_the_last_admin_can_be_neither_removed_nor_lowered(store):
    store.set_role("admin@arep.ma", "admin", "setup")
    for change in (
        lambda: store.remove_role("admin@arep.ma", "admin@arep.ma"),
        lambda: store.set_role("admin@arep.ma", "editor", "admin@arep.ma"),
    ):
        with pytest.raises(RoleError) as caught:
            change()
        assert "dernier administrateur" in caught.value.message("fr")
        assert "last administrator" in caught.value.message("en")
    store.set_role("second@arep.ma", "admin", "admin@arep.ma")
    assert store.remove_role("admin@arep.ma", "second@arep.ma") is True
    assert [(g.email, g.role) for g in store.roles()] == [("second@arep.ma", "admin")]


def test_a_bad_email_or_role_is_refused_and_nothing_written(store):
    for email, role in (("nadia", "editor"), ("a b@arep.ma", "viewer"), ("x@arep.ma", "boss")):
        with pytest.raises(ValueError):
            store.set_role(email, role, "admin@arep.ma")
    assert store.roles() == [] and store.audit() == []


def _back_to_version_2(db) -> None:
    """The database as version 2 wrote it: no audit trail, no roles, version 2."""
    if is_server_url(db):
        for statement in (
            "DROP TABLE audit_log",
            "DROP FUNCTION audit_log_append_only",
            "DROP TABLE user_roles",
            "UPDATE store_schema SET version = 2",
        ):
            raw_execute(db, statement)
    else:
        for statement in (
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
            "DROP TABLE audit_log",
            "DROP TABLE user_roles",
            "PRAGMA user_version = 2",
        ):
            raw_execute(db, statement)


def test_a_version_2_database_is_upgraded_in_place_with_its_snapshots(db):
    first = open_store_at(db)
    import_bytes(first, "schedule", SCHEDULE.name, SCHEDULE.read_bytes(), "Nadia")
    import_bytes(first, "finance", FINANCE.name, FINANCE.read_bytes(), "Nadia")
    _back_to_version_2(db)
    before = counts(db)

    upgraded = open_store_at(db)

    version = (
        raw_execute(db, "SELECT version FROM store_schema")[0][0]
        if is_server_url(db)
        else raw_execute(db, "PRAGMA user_version")[0][0]
    )
    assert version == SCHEMA_VERSION == 4
    assert counts(db) == before
    assert [(i.id, i.kind) for i in upgraded.list()] == [(2, "finance"), (1, "schedule")]
    assert len(upgraded.get(2).frames["spending"]) == 78
    assert upgraded.audit() == []  # the trail starts with the upgrade: nothing invented
    again = import_bytes(upgraded, "schedule", SCHEDULE.name, SCHEDULE.read_bytes(), "Karim")
    assert again.status == "duplicate"
    assert [(e.action, e.snapshot_id) for e in upgraded.audit()] == [("import_duplicate", 1)]
    with pytest.raises(Exception, match="append-only"):
        raw_execute(db, "DELETE FROM audit_log")


def test_the_command_line_prints_the_trail_as_a_table_and_as_json(capsys, db):
    store = open_store_at(db)
    import_bytes(store, "schedule", SCHEDULE.name, SCHEDULE.read_bytes(), "nadia@arep.ma")
    store.set_role("admin@arep.ma", "admin", "setup")
    capsys.readouterr()

    assert main(["audit", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["N°", "Quand", "Qui", "Action", "Quoi"]
    assert "setup" in lines[1] and "rôle donné" in lines[1] and "admin@arep.ma" in lines[1]
    assert "nadia@arep.ma" in lines[2] and "import enregistré" in lines[2]
    assert "→ instantané n° 1, 69 lignes" in lines[2]

    assert main(["audit", "--db", str(db), "--json", "--action", "import_stored"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert (entry["actor"], entry["file_name"], entry["snapshot_id"]) == (
        "nadia@arep.ma",
        SCHEDULE.name,
        1,
    )
    assert main(["audit", "--db", str(db), "--lang", "en", "--actor", "nobody@x.ma"]) == 0
    assert capsys.readouterr().out == "The audit trail is empty.\n"
