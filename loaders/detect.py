"""Which kind of table a file holds, from the headers it carries."""

from __future__ import annotations

from loaders.headers import HEADER_SCAN_ROWS, detect_header, header_score
from loaders.limits import ReadLimits
from loaders.reading import PROJECT_FORMATS, iter_sheets, open_raw
from loaders.schema import SCHEMAS


def detect_kind(
    source,
    sheet: str | None = None,
    lang: str = "fr",
    max_bytes=None,
    limits: ReadLimits | None = None,
) -> str | None:
    """The kind whose required columns are best covered by one header row of the file.

    Ranked by the share of required columns found, then by the number of columns found;
    ``None`` when no kind has all its required columns in any sheet. A planning-software file
    (MS Project, Primavera…, recognised from its bytes) is a ``schedule``.
    """
    raw = open_raw(source, max_bytes, lang, limits)
    if raw.format in PROJECT_FORMATS:
        return "schedule"
    best_kind, best_score = None, (0.0, 0)
    for preview in iter_sheets(raw, lang, nrows=HEADER_SCAN_ROWS, limits=limits):
        if sheet is not None and raw.format != "csv" and preview.name != sheet:
            continue
        for kind, schema in SCHEMAS.items():
            match = detect_header(preview.rows, schema)
            if match is None:
                continue
            required, found = header_score(match, schema)
            share = required / max(len(schema.required), 1)
            if share < 1:
                continue
            if (share, found) > best_score:
                best_kind, best_score = kind, (share, found)
    return best_kind
