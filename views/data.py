"""The Données page's views: what an import would change (rows per table, and the key figures
of the data with and without the file), the rows of a file in use, and the history of imports.

The store gives rows and snapshots; the figures come from ``tracking/`` through the same
``ProjectSituation`` every page uses (the caller passes ``situate``, which computes it), and
``views.key_figures`` compares them as the weekly review does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from i18n import translate
from i18n.format import format_date
from loaders.schema import (
    BUDGET_LINES,
    CALENDARS,
    CONTRACTS,
    FLOOR_AREAS,
    SCHEDULE,
    SCHEMAS,
    SPENDING,
)
from loaders.tables import SOURCE_ROW
from store import CheckedFile, ImportResult
from store.current import CurrentTables
from store.seed import SAMPLE_IMPORTER
from store.snapshots import EXTRA_TABLES_OF_FILE, PROGRAMME_KINDS, TABLES_OF_FILE, SnapshotInfo
from tracking.compare import ADDED, CHANGED, COMPARED, REMOVED, compare_ledgers, compare_schedules
from views.key_figures import PREVIEW_FIGURES, KeyFigures, compared_figures, key_figures
from views.spec import Column, Figure, Kind, Level, Table, make_table

#: what a row is known by (the weekly review's keys for the schedule and the décomptes)
ROW_KEYS = {
    "schedule": (SCHEDULE.task_id,),
    "spending": (SPENDING.reference, SPENDING.contract_id, SPENDING.budget_line),
    "budget": (BUDGET_LINES.line_id,),
    "contracts": (CONTRACTS.contract_id, CONTRACTS.budget_line),
    "floor-areas": (FLOOR_AREAS.space_id,),
}
CHANGE_KINDS = (ADDED, CHANGED, REMOVED)
#: keys of rows listed per table and kind of change in the preview's detail
DETAIL_KEYS = 30
#: the problem code of a file the loaders could not read at all
UNEXPECTED_CODE = "unexpected_error"


@dataclass(frozen=True)
class TableChange:
    """Rows of one table added, changed (same key, another value) and removed, by key."""

    table: str
    rows_before: int
    rows_after: int
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.changed or self.removed)


def _keys(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    parts = [frame[c].astype("str").fillna("").str.strip() for c in columns]
    return parts[0].str.cat(parts[1:], sep=" | ") if len(parts) > 1 else parts[0]


def _same(left: pd.Series, right: pd.Series) -> pd.Series:
    """Element-wise equality where two blanks are equal."""
    both_blank = left.isna().to_numpy() & right.isna().to_numpy()
    equal = (left.to_numpy(dtype=object) == right.to_numpy(dtype=object)).astype(bool)
    return pd.Series(both_blank | equal, index=left.index)


def _row_diff(before: pd.DataFrame, after: pd.DataFrame, columns: tuple[str, ...]):
    left = before.assign(_key=_keys(before, columns)).drop_duplicates("_key").set_index("_key")
    right = after.assign(_key=_keys(after, columns)).drop_duplicates("_key").set_index("_key")
    added = [k for k in right.index if k not in left.index]
    removed = [k for k in left.index if k not in right.index]
    common = [k for k in right.index if k in left.index]
    compared = [c for c in right.columns if c in left.columns and c != SOURCE_ROW]
    differs = pd.Series(False, index=pd.Index(common, dtype=object))
    for column in compared:
        differs |= ~_same(left.loc[common, column], right.loc[common, column]).to_numpy()
    return added, [k for k in common if differs[k]], removed


def table_changes(table: str, before: pd.DataFrame | None, after: pd.DataFrame) -> TableChange:
    """What ``after`` changes in ``before`` (``None``: no data yet, every row is added). The
    schedule and the décomptes are compared as the weekly review compares them
    (``tracking.compare``); the other tables by their key, a row being changed when any of
    its values differs."""
    if before is None:
        return TableChange(table, 0, len(after), added=tuple(_keys(after, ROW_KEYS[table])))
    if table in ("schedule", "spending"):
        compare = compare_schedules if table == "schedule" else compare_ledgers
        frame = compare(before, after)
        keys = _keys(frame, ROW_KEYS[table])
        by_change = {c: tuple(keys[frame[COMPARED.change] == c]) for c in CHANGE_KINDS}
        return TableChange(table, len(before), len(after), *(by_change[c] for c in CHANGE_KINDS))
    added, changed, removed = _row_diff(before, after, ROW_KEYS[table])
    return TableChange(table, len(before), len(after), tuple(added), tuple(changed), tuple(removed))


@dataclass(frozen=True)
class ImportPreview:
    """What storing a file would change: the rows of each of its tables against the data in
    use, and the key figures of the data in use and of the data with the file in place."""

    kind: str
    #: the status date the file declares (else derived from its data)
    status_date: dt.date
    #: the status date of the data in use (``None``: nothing stored yet)
    current_status_date: dt.date | None
    changes: tuple[TableChange, ...]
    before: KeyFigures | None
    after: KeyFigures

    @property
    def becomes_current(self) -> bool:
        """False when the file stands at an earlier date than the data in use: it joins the
        history (that past week's situation) but the current figures do not change."""
        return self.current_status_date is None or self.status_date >= self.current_status_date

    @property
    def unchanged(self) -> bool:
        return all(change.unchanged for change in self.changes)


#: computes the ``ProjectSituation`` of a set of tables at a status date
Situate = Callable[[Mapping[str, pd.DataFrame], dt.date], object]


def preview_import(
    current: CurrentTables,
    kind: str,
    frames: Mapping[str, pd.DataFrame],
    status_date: dt.date,
    situate: Situate,
) -> ImportPreview:
    """Compare a checked file of ``kind`` (``frames``: table kind -> frame, as
    ``store.current.frames_of_file`` gives them, extra tables included) with the data in use. The figures after are those of the data in use with this file's tables in place, at
    the file's status date (a programme file does not move the date progress is measured at)."""
    if kind not in TABLES_OF_FILE:
        raise ValueError(f"unknown file kind {kind!r}")
    tables = [t for t in TABLES_OF_FILE[kind] if t in frames]
    changes = tuple(table_changes(t, current.frame(t), frames[t]) for t in tables)
    # the file's tables and extra tables replace those of the data in use: a spreadsheet
    # schedule after a project file leaves the project file's calendars behind
    replaced = {*TABLES_OF_FILE[kind], *EXTRA_TABLES_OF_FILE.get(kind, ())}
    after = {t: f for t, f in current.frames.items() if t not in replaced} | dict(frames)
    programme = kind in PROGRAMME_KINDS and not current.empty
    after_date = current.status_date if programme else status_date
    before = None if current.empty else key_figures(situate(current.frames, current.status_date))
    return ImportPreview(
        kind=kind,
        status_date=status_date,
        current_status_date=None if current.empty else current.status_date,
        changes=changes,
        before=before,
        after=key_figures(situate(after, after_date)),
    )


def preview_figures(preview: ImportPreview, lang: str) -> list[Figure]:
    """The key figures after the import, with their change against the data in use (those
    the data cannot give either way are left out)."""
    names = [
        name
        for name in PREVIEW_FIGURES
        if preview.after.value(name) is not None
        or (preview.before is not None and preview.before.value(name) is not None)
    ]
    return compared_figures(preview.before, preview.after, lang, names)


def changes_table(preview: ImportPreview, lang: str) -> Table:
    """Rows in use, rows of the file, added, changed, removed: one line per table."""
    frame = pd.DataFrame(
        [
            {
                "table": translate(f"data_page.table.{change.table}", lang),
                "rows_before": change.rows_before,
                "rows_after": change.rows_after,
                **{what: len(getattr(change, what)) for what in CHANGE_KINDS},
            }
            for change in preview.changes
        ],
        columns=["table", "rows_before", "rows_after", *CHANGE_KINDS],
    )
    columns = [Column("table", translate("data_page.change.table", lang), "text", 16)] + [
        Column(name, translate(f"data_page.change.{name}", lang), "count", 12)
        for name in ("rows_before", "rows_after", *CHANGE_KINDS)
    ]
    return make_table("data.changes", translate("data_page.preview_title", lang), frame, columns)


def change_details(preview: ImportPreview, lang: str) -> list[tuple[str, dict]]:
    """One line per table and kind of change naming its rows (the first ``DETAIL_KEYS``): the
    message key and its parameters (the page escapes the imported keys for Markdown)."""
    lines = []
    for change in preview.changes:
        for what in CHANGE_KINDS:
            keys = getattr(change, what)
            if keys:
                shown = ", ".join(keys[:DETAIL_KEYS]) + (" …" if len(keys) > DETAIL_KEYS else "")
                table = translate(f"data_page.table.{change.table}", lang)
                lines.append(
                    (
                        f"data_page.details_line.{what}",
                        {"table": table, "count": len(keys), "keys": shown},
                    )
                )
    return lines


# --- the rows of a file in use ----------------------------------------------------------------

#: the loaders' column types as a view's kinds (a percent column holds 0–100)
_KINDS: dict[str, Kind] = {"money": "money", "date": "date", "percent": "percent", "bool": "bool"}


def rows_table(table: str, frame: pd.DataFrame, lang: str, label: Callable[[str], str]) -> Table:
    """The canonical frame as read: the Excel row first, every column typed for its kind
    (whole numbers as such), headers by ``label`` (a column's name in the reader's language).
    An optional column without a single value is left out: a spreadsheet schedule does not
    show the sixteen columns only planning-software files fill (WBS, constraints, the tool's
    floats…); a required column is always shown. A project file has no Excel rows: its
    frame has no ``source_row``, and none is shown."""
    schema = CALENDARS if table == CALENDARS.kind else SCHEMAS[table]
    columns = (
        [Column(SOURCE_ROW, label(SOURCE_ROW), "int", 11)] if SOURCE_ROW in frame.columns else []
    )
    shown = frame.copy()
    types = {column.name: column.type for column in schema.columns}
    required = {column.name for column in schema.required}
    for name in [c for c in frame.columns if c != SOURCE_ROW]:
        if name not in required and not frame[name].notna().any():
            continue
        kind: Kind = _KINDS.get(types.get(name, "text"), "text")
        if types.get(name) == "number":
            whole = bool(frame[name].dropna().map(lambda v: float(v).is_integer()).all())
            kind = "int" if whole else "number"
        if kind == "percent":
            shown[name] = frame[name] / 100
        if kind == "text":
            shown[name] = frame[name].astype("object").where(frame[name].notna(), None)
        columns.append(Column(name, label(name), kind))
    return make_table(
        f"data.rows.{table}",
        translate(f"data_page.table.{table}", lang),
        shown,
        columns,
        yes_no=(translate("format.yes", lang), translate("format.no", lang)),
    )


# --- the history ------------------------------------------------------------------------------


def importer_text(name: str | None, lang: str) -> str:
    """Who imported: the sample's marker in the reader's language, else the name recorded."""
    if name == SAMPLE_IMPORTER:
        return translate("data_page.origin.sample", lang)
    return name or "—"


def time_text(moment: dt.datetime | None) -> str:
    return moment.strftime("%d/%m/%Y %H:%M") if moment is not None else ""


def withdrawal_text(info: SnapshotInfo, lang: str) -> str:
    """``retiré le 25/11/2026 à 09:12 par N. Benali : mauvais fichier`` ("" when in use)."""
    if not info.withdrawn:
        return ""
    return translate(
        "data_page.withdrawn_line",
        lang,
        at=time_text(info.withdrawn_at),
        by=importer_text(info.withdrawn_by, lang),
        why=info.withdrawn_why or "",
    )


def history_table(infos: list[SnapshotInfo], in_use: set[int], lang: str) -> Table:
    """Every import, newest first: which are in use, what, when, by whom, withdrawn or not."""
    frame = pd.DataFrame(
        [
            {
                "id": info.id,
                "in_use": translate("data_page.in_use", lang) if info.id in in_use else "",
                "kind": translate(f"store.file_kind.{info.kind}", lang),
                "name": info.name,
                "status_date": pd.Timestamp(info.status_date),
                "imported_at": time_text(info.imported_at),
                "imported_by": importer_text(info.imported_by, lang),
                "rows": info.row_count,
                "sha256": info.sha256[:12],
                "withdrawn": withdrawal_text(info, lang),
            }
            for info in infos
        ],
        columns=list(_HISTORY_COLUMNS),
    )
    columns = [
        Column(name, translate(f"data_page.history.{name}", lang), kind, width)
        for name, (kind, width) in _HISTORY_COLUMNS.items()
    ]
    return make_table("data.history", translate("data_page.history_title", lang), frame, columns)


_HISTORY_COLUMNS: dict[str, tuple[Kind, float | None]] = {
    "id": ("int", 5),
    "in_use": ("text", 9),
    "kind": ("text", 16),
    "name": ("text", 26),
    "status_date": ("date", 11),
    "imported_at": ("text", 15),
    "imported_by": ("text", 14),
    "rows": ("count", 7),
    "sha256": ("text", 13),
    "withdrawn": ("text", 30),
}


# --- what became of an uploaded file --------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """A sentence of the import workflow: its level, its message key and parameters (the
    page escapes the parameters, file names, for Markdown) and an icon."""

    level: Level
    key: str
    params: dict
    icon: str = ""
    #: a sentence already written (the store's own reason for a failed write), for no key
    text: str = ""


def upload_messages(
    checked: CheckedFile,
    lang: str,
    *,
    result: ImportResult | None = None,
    failure: str | bool | None = None,
    cancelled: bool = False,
    stored_copy: SnapshotInfo | None = None,
    current_date: dt.date | None = None,
) -> list[Message]:
    """What the page says of an uploaded file, in order: a failed write (the store's own
    reason, else the generic one), a duplicate of ``stored_copy``, the file stored (newer than
    the data in use or not), cancelled, refused (its errors), or valid (rows, warnings)."""
    name = checked.name
    kept = Message("info", "data_page.previous_kept", {}, ":material/undo:")
    if isinstance(failure, str):
        return [Message("error", "", {}, ":material/error:", text=failure), kept]
    if failure:
        return [
            Message("error", "data_page.store_failed", {"file": name}, ":material/error:"),
            kept,
        ]
    if stored_copy is not None:
        by = importer_text(stored_copy.imported_by, lang)
        params = {"file": (result.name if result else name), "id": stored_copy.id, "by": by}
        params.update(name=stored_copy.name, imported_at=time_text(stored_copy.imported_at))
        return [Message("info", "data_page.duplicate", params, ":material/content_copy:")]
    if result is not None and result.status == "stored":
        newest = current_date is None or (result.status_date or current_date) >= current_date
        params = {"file": result.name, "id": result.snapshot_id, "rows": sum(result.rows.values())}
        params["date"] = format_date(result.status_date, lang)
        key = "data_page.stored" if newest else "data_page.stored_older"
        return [Message("success", key, params, ":material/check_circle:")]
    if cancelled:
        return [Message("info", "data_page.cancelled", {"file": name}, ":material/block:")]
    if not checked.accepted:
        if any(p.code == UNEXPECTED_CODE for p in checked.problems):
            return [Message("error", "data_page.unexpected_error", {"file": name}), kept]
        errors = sum(1 for p in checked.problems if p.is_error)
        refused = Message("error", "data_page.rejected", {"file": name, "errors": errors})
        return [refused, kept]
    warnings = sum(1 for p in checked.problems if not p.is_error)
    params = {"file": name, "rows": sum(checked.rows.values()), "warnings": warnings}
    params["date"] = format_date(checked.status_date, lang)
    key = "data_page.checked_warnings" if warnings else "data_page.checked"
    return [Message("success", key, params, ":material/fact_check:")]
