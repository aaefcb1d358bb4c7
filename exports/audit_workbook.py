"""The audit trail as an Excel workbook (the administration page's export): the trail, then
the role table, each a ``views.admin`` table written by ``exports.xlsx_tables`` (text written as
text: an actor or a file name typed ``=HYPERLINK(…)`` stays a label), A4 landscape, one page
wide, the header row repeated on every printed page."""

from __future__ import annotations

import io

import xlsxwriter

from exports.review_workbook import sheet_name
from exports.xlsx_tables import Formats, print_setup, write_spec
from i18n import translate
from store.audit import AuditEntry, RoleGrant
from views.admin import audit_table, roles_table

#: the row of each sheet's table header (title on row 0, the subtitle on row 1)
TABLE_ROW = 3


def audit_workbook(
    entries: list[AuditEntry], grants: list[RoleGrant], lang: str, *, subtitle: str = ""
) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = Formats(workbook)
    for table in (audit_table(entries, lang), roles_table(grants, lang)):
        page = workbook.add_worksheet(sheet_name(table.title))
        if lang == "ar":
            page.right_to_left()
        page.write_string(0, 0, table.title, formats.title)
        if subtitle:
            page.write_string(1, 0, subtitle, formats.subtitle)
        after = write_spec(page, formats, TABLE_ROW, table)
        if len(table) == 0 and table.empty_text:
            page.write_string(after, 0, table.empty_text, formats.subtitle)
        print_setup(
            page,
            header=translate("audit.title", lang),
            footer=subtitle,
            repeat_row=TABLE_ROW,
        )
    formats.finish()
    workbook.close()
    return buffer.getvalue()
