"""The audit trail's Excel export, read back with openpyxl: one row per line of the trail in
the order of the page, the roles on their own sheet, text as text (an actor typed like a
formula stays a label), A4 landscape one page wide with the header row repeated."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from exports.audit_workbook import TABLE_ROW, audit_workbook
from store.audit import AuditEntry, RoleGrant

AT = dt.datetime(2026, 11, 27, 10, 15, 30, tzinfo=dt.UTC)


def entries() -> list[AuditEntry]:
    return [
        AuditEntry(
            2,
            AT,
            '=HYPERLINK("http://x","clic")',
            "import_refused",
            kind="finance",
            file_name="suivi.xlsx",
            sha256="ab" * 32,
            problems=3,
        ),
        AuditEntry(
            1,
            AT - dt.timedelta(hours=1),
            "nadia@arep.ma",
            "import_stored",
            kind="schedule",
            file_name="planning.xlsx",
            sha256="cd" * 32,
            snapshot_id=14,
            detail={"rows": 70},
        ),
    ]


def test_the_trail_and_the_roles_are_written_as_the_page_shows_them():
    grants = [RoleGrant("nadia@arep.ma", "editor", "admin@arep.ma", AT)]
    book = openpyxl.load_workbook(io.BytesIO(audit_workbook(entries(), grants, "fr")))
    assert book.sheetnames == ["Journal d'audit", "Rôles"]
    trail = book["Journal d'audit"]
    header = [c.value for c in trail[TABLE_ROW + 1]]
    assert header == ["N°", "Quand", "Qui", "Action", "Quoi", "SHA-256"]
    first = [c.value for c in trail[TABLE_ROW + 2]]
    local = AT.astimezone().strftime("%d/%m/%Y %H:%M:%S")
    assert first[:4] == [2, local, '=HYPERLINK("http://x","clic")', "import refusé"]
    assert first[4] == "« suivi.xlsx » (suivi financier) refusé : 3 problèmes, rien d'enregistré"
    assert trail.cell(TABLE_ROW + 2, 3).data_type == "s"  # a label, never a live formula
    second = [c.value for c in trail[TABLE_ROW + 3]]
    assert second[4] == "« planning.xlsx » (planning) → instantané n° 14, 70 lignes"
    assert trail.page_setup.orientation == "landscape" and trail.page_setup.paperSize == 9
    assert trail.print_title_rows == f"${TABLE_ROW + 1}:${TABLE_ROW + 1}"
    roles = book["Rôles"]
    assert [c.value for c in roles[TABLE_ROW + 2]][:3] == [
        "nadia@arep.ma",
        "éditeur",
        "admin@arep.ma",
    ]


def test_an_empty_trail_says_so_and_the_english_export_speaks_english():
    book = openpyxl.load_workbook(io.BytesIO(audit_workbook([], [], "en")))
    assert book.sheetnames == ["Audit trail", "Roles"]
    values = [c.value for row in book["Audit trail"].iter_rows() for c in row if c.value]
    assert "The audit trail is empty." in values
