"""The audit trail and the role table, kept in the history database beside the snapshots.

**Audit trail** (``audit_log``): one line per event, appended, never changed: the database
itself refuses an UPDATE or a DELETE of a line (triggers, on SQLite and PostgreSQL alike), so
neither the app nor a hand-written SQL statement can rewrite what happened. Each line says who
(``actor``: the signed-in e-mail, or the name typed or the login on a single-user install),
when (UTC), what (``action``) and on what: the file name, its kind, its SHA-256, the snapshot,
the number of problems of a refused file, and ``detail`` (JSON: a role granted, the document
downloaded, the reason of a withdrawal).

An import's line is written in the import's own transaction (``SQLSnapshotStore.add``): a
stored snapshot without its audit line, or a line for a snapshot that was rolled back, cannot
exist. So is a withdrawal's, and a role change's.

**Roles** (``user_roles``): the e-mail of each person given access and the role: ``viewer``
(every page and download, no upload), ``editor`` (imports, governance entries), ``admin``
(roles, settings view, audit). E-mails are kept in lower case (the providers differ in case).
The last admin cannot be removed or demoted: nobody could give the rights back.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from store.times import local_time, utc_text

#: the events of the trail
ACTIONS = (
    "sign_in",
    "access_refused",
    "import_stored",
    "import_duplicate",
    "import_refused",
    "withdraw",
    "download",
    "role_granted",
    "role_removed",
)
#: the roles, least to most rights
ROLES = ("viewer", "editor", "admin")
#: what each role may do beyond the one before it
EDIT_ROLES = ("editor", "admin")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

#: schema version 3 on SQLite: the two tables, append-only by triggers. A list of statements
#: (a trigger's body holds semicolons)
SQLITE_V3 = [
    """CREATE TABLE IF NOT EXISTS audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    kind        TEXT,
    file_name   TEXT,
    sha256      TEXT,
    snapshot_id INTEGER,
    problems    INTEGER,
    detail      TEXT    NOT NULL DEFAULT '{}'
)""",
    "CREATE INDEX IF NOT EXISTS audit_by_time ON audit_log (at, id)",
    """CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TABLE IF NOT EXISTS user_roles (
    email      TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    granted_by TEXT NOT NULL,
    granted_at TEXT NOT NULL
)""",
]
#: the same on PostgreSQL (TRUNCATE refused too)
POSTGRES_V3 = [
    SQLITE_V3[0]
    .replace(
        "id          INTEGER PRIMARY KEY AUTOINCREMENT",
        "id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    )
    .replace("snapshot_id INTEGER", "snapshot_id BIGINT"),
    SQLITE_V3[1],
    """CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$""",
    """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
    SQLITE_V3[4],
]
#: the tables and columns of version 3 (checked at every open)
V3_TABLES = {
    "audit_log": {
        "id",
        "at",
        "actor",
        "action",
        "kind",
        "file_name",
        "sha256",
        "snapshot_id",
        "problems",
        "detail",
    },
    "user_roles": {"email", "role", "granted_by", "granted_at"},
}
V3_INDEXES = ("audit_by_time",)

_AUDIT_COLUMNS = "id, at, actor, action, kind, file_name, sha256, snapshot_id, problems, detail"


@dataclass(frozen=True)
class AuditEntry:
    """One line of the trail (``at`` in local time, like the snapshots' times)."""

    id: int
    at: dt.datetime
    actor: str
    action: str
    kind: str | None = None
    file_name: str | None = None
    sha256: str | None = None
    snapshot_id: int | None = None
    problems: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "kind": self.kind,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "snapshot_id": self.snapshot_id,
            "problems": self.problems,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class RoleGrant:
    email: str
    role: str
    granted_by: str
    granted_at: dt.datetime


def normal_email(email: str) -> str:
    """An e-mail as the role table keeps it (trimmed, lower case); ``ValueError`` when it is
    not one."""
    text = (email or "").strip().lower()
    if not _EMAIL.match(text):
        raise ValueError(f"not an e-mail address: {email!r}")
    return text


class AuditRegister:
    """The trail and the roles over an ``SQLSnapshotStore``'s connection and transactions
    (mixed into it: ``_connect``, ``_transaction``)."""

    _connect: Any
    _transaction: Any

    # the trail ------------------------------------------------------------------------------

    @staticmethod
    def _record(
        con: Any,
        action: str,
        actor: str,
        *,
        kind: str | None = None,
        file_name: str | None = None,
        sha256: str | None = None,
        snapshot_id: int | None = None,
        problems: int | None = None,
        detail: dict[str, Any] | None = None,
        at: dt.datetime | None = None,
    ) -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        actor = (actor or "").strip()
        if not actor:
            raise ValueError("an audit line names who did it")
        con.execute(
            "INSERT INTO audit_log (at, actor, action, kind, file_name, sha256, snapshot_id,"
            " problems, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                utc_text(at),
                actor,
                action,
                kind,
                file_name,
                sha256,
                snapshot_id,
                problems,
                json.dumps(detail or {}, ensure_ascii=False, default=str, sort_keys=True),
            ),
        )

    def record(self, action: str, actor: str, **fields: Any) -> None:
        """Appends one line to the trail, in its own transaction."""
        with self._connect() as con, self._transaction(con, "IMMEDIATE"):
            self._record(con, action, actor, **fields)

    def audit(
        self,
        *,
        action: str | None = None,
        actor: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        limit: int | None = None,
    ) -> list[AuditEntry]:
        """The trail, newest first, filtered by action, actor (any case), time window."""
        where, params = [], []
        if action is not None:
            where.append("action = ?")
            params.append(action)
        if actor is not None:
            where.append("lower(actor) = ?")
            params.append(actor.strip().lower())
        if since is not None:
            where.append("at >= ?")
            params.append(utc_text(since))
        if until is not None:
            where.append("at < ?")
            params.append(utc_text(until))
        sql = f"SELECT {_AUDIT_COLUMNS} FROM audit_log"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY at DESC, id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self._connect() as con:
            rows = con.execute(sql, tuple(params)).fetchall()
        return [
            AuditEntry(
                id=int(r[0]),
                at=local_time(r[1]),
                actor=str(r[2]),
                action=str(r[3]),
                kind=r[4],
                file_name=r[5],
                sha256=r[6],
                snapshot_id=None if r[7] is None else int(r[7]),
                problems=None if r[8] is None else int(r[8]),
                detail=json.loads(r[9] or "{}"),
            )
            for r in rows
        ]

    # the roles ------------------------------------------------------------------------------

    def roles(self) -> list[RoleGrant]:
        """Everyone given access, by e-mail."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT email, role, granted_by, granted_at FROM user_roles ORDER BY email"
            ).fetchall()
        return [RoleGrant(str(r[0]), str(r[1]), str(r[2]), local_time(r[3])) for r in rows]

    def role_of(self, email: str) -> str | None:
        """The role of ``email`` (any case), None for someone not in the table."""
        try:
            key = normal_email(email)
        except ValueError:
            return None
        with self._connect() as con:
            row = con.execute("SELECT role FROM user_roles WHERE email = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_role(self, email: str, role: str, by: str, at: dt.datetime | None = None) -> None:
        """Gives ``email`` the ``role`` (a new person, or a change), audited with the role it
        had. ``RoleError`` for the last admin's demotion; ``ValueError`` for a bad e-mail or
        role."""
        from store.snapshots import RoleError

        key = normal_email(email)
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        with self._connect() as con, self._transaction(con, "IMMEDIATE"):
            previous = con.execute("SELECT role FROM user_roles WHERE email = ?", (key,)).fetchone()
            before = None if previous is None else str(previous[0])
            if before == role:
                return
            if before == "admin" and self._admins(con) == 1:
                raise RoleError("roles.error.last_admin", email=key)
            moment = utc_text(at)
            if previous is None:
                con.execute(
                    "INSERT INTO user_roles (email, role, granted_by, granted_at)"
                    " VALUES (?, ?, ?, ?)",
                    (key, role, by, moment),
                )
            else:
                con.execute(
                    "UPDATE user_roles SET role = ?, granted_by = ?, granted_at = ?"
                    " WHERE email = ?",
                    (role, by, moment, key),
                )
            self._record(
                con,
                "role_granted",
                by,
                detail={"email": key, "role": role, "previous": before},
                at=at,
            )

    def remove_role(self, email: str, by: str, at: dt.datetime | None = None) -> bool:
        """Takes ``email``'s access away (audited); False when it had none."""
        from store.snapshots import RoleError

        key = normal_email(email)
        with self._connect() as con, self._transaction(con, "IMMEDIATE"):
            previous = con.execute("SELECT role FROM user_roles WHERE email = ?", (key,)).fetchone()
            if previous is None:
                return False
            if str(previous[0]) == "admin" and self._admins(con) == 1:
                raise RoleError("roles.error.last_admin", email=key)
            con.execute("DELETE FROM user_roles WHERE email = ?", (key,))
            self._record(
                con,
                "role_removed",
                by,
                detail={"email": key, "previous": str(previous[0])},
                at=at,
            )
            return True

    @staticmethod
    def _admins(con: Any) -> int:
        return int(
            con.execute("SELECT count(*) FROM user_roles WHERE role = 'admin'").fetchone()[0]
        )


# --- the trail in words (one definition for the command line, the admin page, the workbook) ----


def audit_what(entry: AuditEntry, lang: str = "fr") -> str:
    """What a line of the trail is about, as a sentence in ``lang``: the file and its
    snapshot, the problems of a refused file, the role given, the document downloaded."""
    from i18n import translate

    kind = translate(f"store.file_kind.{entry.kind}" if entry.kind else "audit.no_kind", lang)
    detail = entry.detail or {}
    params: dict[str, Any] = {
        "file": entry.file_name or "?",
        "kind": kind,
        "id": entry.snapshot_id if entry.snapshot_id is not None else "?",
    }
    if entry.action == "import_stored":
        params["rows"] = int(detail.get("rows") or 0)
    elif entry.action == "import_refused":
        params["problems"] = int(entry.problems or 0)
    elif entry.action == "withdraw":
        params["why"] = str(detail.get("why") or "")
    elif entry.action in ("role_granted", "role_removed"):
        params["email"] = str(detail.get("email") or "?")
        for name in ("role", "previous"):
            value = detail.get(name)
            params[name] = translate(f"roles.{value}", lang) if value else "—"
    elif entry.action == "download":
        params["document"] = str(detail.get("document") or entry.file_name or "?")
    elif entry.action == "access_refused":
        params["email"] = str(detail.get("email") or entry.actor)
    return translate(f"audit.what.{entry.action}", lang, **params)
