"""The administration page's views, drawn by the page and by the audit workbook alike: the
audit trail (who, when, what) and the role table, each a ``views.spec.Table``."""

from __future__ import annotations

import pandas as pd

from i18n import translate
from store.audit import AuditEntry, RoleGrant, audit_what
from views.data import importer_text, time_text
from views.spec import Column, Kind, Table, make_table

_AUDIT_COLUMNS: dict[str, tuple[Kind, float | None]] = {
    "id": ("int", 6),
    "at": ("text", 17),
    "actor": ("text", 26),
    "action": ("text", 18),
    "what": ("text", 70),
    "sha256": ("text", 13),
}

_ROLE_COLUMNS: dict[str, tuple[Kind, float | None]] = {
    "email": ("text", 32),
    "role": ("text", 16),
    "granted_by": ("text", 28),
    "granted_at": ("text", 17),
}


def _table(
    key: str,
    rows: list[dict],
    spec: dict[str, tuple[Kind, float | None]],
    labels: str,
    title: str,
    empty: str,
    lang: str,
) -> Table:
    """A table of ``rows`` with the columns of ``spec``, headed by ``<labels>.<column>``."""
    columns = [
        Column(name, translate(f"{labels}.{name}", lang), kind, width)
        for name, (kind, width) in spec.items()
    ]
    frame = pd.DataFrame(rows, columns=list(spec))
    return make_table(
        key, translate(title, lang), frame, columns, empty_text=translate(empty, lang)
    )


def audit_table(entries: list[AuditEntry], lang: str) -> Table:
    """The trail, newest first, one row per line: its number, time, who, the action and what
    it was about (``store.audit.audit_what``), the file's SHA-256 (first 12 characters)."""
    rows = [
        {
            "id": entry.id,
            "at": entry.at.strftime("%d/%m/%Y %H:%M:%S"),
            "actor": importer_text(entry.actor, lang),
            "action": translate(f"audit.action.{entry.action}", lang),
            "what": audit_what(entry, lang),
            "sha256": (entry.sha256 or "")[:12],
        }
        for entry in entries
    ]
    return _table(
        "admin.audit", rows, _AUDIT_COLUMNS, "admin_page.audit", "audit.title",
        "audit.cli.empty", lang,
    )  # fmt: skip


def roles_table(grants: list[RoleGrant], lang: str) -> Table:
    """Everyone given access: e-mail, role, by whom and when."""
    rows = [
        {
            "email": grant.email,
            "role": translate(f"roles.{grant.role}", lang),
            "granted_by": grant.granted_by,
            "granted_at": time_text(grant.granted_at),
        }
        for grant in grants
    ]
    return _table(
        "admin.roles", rows, _ROLE_COLUMNS, "admin_page.roles", "admin_page.roles_title",
        "admin_page.roles_empty", lang,
    )  # fmt: skip
