"""The workbook's Sources sheet as data: which file each table was read from, its SHA-256,
who imported it and when, the situation it describes and its rows."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from i18n import translate
from store.seed import SAMPLE_IMPORTER
from views.spec import Column, Table, make_table

KIND = "kind"
NAME = "name"
SHA256 = "sha256"
IMPORTED_AT = "imported_at"
IMPORTED_BY = "imported_by"
STATUS_DATE = "status_date"
ROWS = "rows"


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"surfaces.sources.{key}", lang, **params)


def importer_name(name: str | None, lang: str) -> str | None:
    """Who imported a file, in words: the bundled sample's importer is named as such."""
    return _tr("sample_importer", lang) if name == SAMPLE_IMPORTER else name


def sources_table(sources: Sequence, lang: str) -> Table:
    """One row per table read (``exports.workbook.SourceInfo``): its kind, its file, the
    file's SHA-256, when and by whom it was imported, the status date it describes, its rows."""
    frame = pd.DataFrame(
        {
            KIND: [translate(f"kind.{s.kind}", lang) for s in sources],
            NAME: [s.name for s in sources],
            SHA256: [s.sha256 for s in sources],
            IMPORTED_AT: [
                pd.Timestamp(s.imported_at).tz_localize(None) if s.imported_at else pd.NaT
                for s in sources
            ],
            IMPORTED_BY: [importer_name(s.imported_by, lang) for s in sources],
            STATUS_DATE: [
                pd.Timestamp(s.status_date) if s.status_date else pd.NaT for s in sources
            ],
            ROWS: pd.array([s.rows for s in sources], dtype="Int64"),
        },
        columns=[KIND, NAME, SHA256, IMPORTED_AT, IMPORTED_BY, STATUS_DATE, ROWS],
    )

    def column(id_: str, kind, width: float) -> Column:
        return Column(id_, _tr(f"col.{id_}", lang), kind, width)

    return make_table(
        "sources.files",
        _tr("files_title", lang),
        frame,
        [
            column(KIND, "text", 26),
            column(NAME, "text", 28),
            column(SHA256, "text", 66),
            column(IMPORTED_AT, "date", 14),
            column(IMPORTED_BY, "text", 20),
            column(STATUS_DATE, "date", 14),
            column(ROWS, "count", 8),
        ],
    )
