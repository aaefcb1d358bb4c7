"""The import history from the command line, for scheduled tasks::

    python -m store import FILE [--kind schedule|finance|floor-areas|registers] [--by NAME] [--json]
    python -m store list [--kind …] [--json]
    python -m store withdraw ID --why TEXT [--by NAME] [--json]
    python -m store seed
    python -m store check
    python -m store audit [--action …] [--actor EMAIL] [--since YYYY-MM-DD] [--limit N] [--json]

Each takes ``--db PATH`` or a PostgreSQL URL (else ``$TRACKER_DB``, else
``var/tracker.sqlite``), ``--lang fr|en``
(French by default) and ``--debug`` (or ``TRACKER_DEBUG=1``: log the technical detail, with
the traceback of an unexpected failure, on stderr). Exit codes: 0 done (``import``: stored),
1 refused or failed (a rejected file, a refused withdrawal, a database that cannot be used or
is damaged, an unexpected error — the message says which, on stderr), 2 on a usage error
(bad option, a file that cannot be read), and for ``import`` 3 when the file is identical to a
stored snapshot in use (nothing stored). The limits of the settings (``$TRACKER_PROJECT``, else
``data/project.toml``) apply to every file imported.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import json
import logging
import os
import sys
from pathlib import Path

from i18n import SUPPORTED_LANGS, translate
from i18n.format import format_date
from loaders import LoadError, ProjectSettings, load_project
from loaders.cli import start
from loaders.limits import ReadLimits, resolve_limits
from loaders.problems import make_problem, problem_line
from store import (
    FILE_KINDS,
    ImportResult,
    NotARegularFile,
    SnapshotInfo,
    SnapshotStore,
    SQLiteSnapshotStore,
    StoreError,
    default_importer,
    import_bytes,
    open_store_at,
    read_file,
    resolve_db_path,
)
from store.audit import ACTIONS
from store.snapshots import ROOT

EXIT_STORED = 0
EXIT_REJECTED = 1
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_DUPLICATE = 3
#: the shell's code for a command stopped by Ctrl-C
EXIT_INTERRUPTED = 130

#: environment variable naming another settings file (same rule as the app)
PROJECT_ENV = "TRACKER_PROJECT"
logger = logging.getLogger("store.cli")


def unexpected_failure(error: BaseException, lang: str) -> int:
    """A failure no rule foresaw: one translated line on stderr (the traceback only in the
    log, shown with ``--debug``), exit 1."""
    logger.error("unexpected failure", exc_info=error)
    print(
        translate("store_safety.cli.unexpected", lang, error=type(error).__name__), file=sys.stderr
    )
    return EXIT_FAILED


def output_closed() -> int:
    """The reader stopped reading (``python -m store list | head``): nothing more to say,
    and Python must not complain again when it flushes stdout at exit."""
    with contextlib.suppress(OSError, ValueError):  # no real stdout (a test capturing it)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_FAILED


def interrupted(lang: str) -> int:
    print(translate("store_safety.cli.interrupted", lang), file=sys.stderr)
    return EXIT_INTERRUPTED


def project_settings_path() -> Path:
    """``$TRACKER_PROJECT``, else ``data/project.toml`` of the repository."""
    return Path(os.environ.get(PROJECT_ENV) or ROOT / "data" / "project.toml")


def read_limits(lang: str) -> ReadLimits:
    """The settings' limits for the files read (``settings.read_limits``); the defaults, said
    so on stderr, when the settings cannot be read."""
    path = project_settings_path()
    try:
        return load_project(path, lang).read_limits
    except LoadError:
        print(translate("store_safety.cli.settings_fallback", lang, path=path), file=sys.stderr)
        return resolve_limits(None)


def unreadable_reason(error: OSError, lang: str) -> str:
    """Why a file could not be read, in the reader's words (never the system's English)."""
    if isinstance(error, NotARegularFile):
        return translate("store_safety.reason.not_regular", lang)
    if isinstance(error, FileNotFoundError) or error.errno == errno.ENOTDIR:
        return translate("store_safety.reason.not_found", lang)
    if isinstance(error, PermissionError):
        return translate("store_safety.reason.permission", lang)
    code = errno.errorcode.get(error.errno or 0, type(error).__name__)
    return translate("store_safety.reason.other", lang, code=code)


# --- reports ----------------------------------------------------------------------------------


def _settings(lang: str) -> ProjectSettings:
    return load_project(project_settings_path(), lang)


def _moment(info: SnapshotInfo, lang: str) -> str:
    return f"{format_date(info.imported_at.date(), lang)} {info.imported_at:%H:%M}"


def _report(result: ImportResult, store: SnapshotStore, lang: str, brief: bool = False) -> None:
    """What became of the file; ``brief``: one line (the seed's list of snapshots)."""
    kind = translate(f"store.file_kind.{result.kind}", lang) if result.kind else "?"
    if result.status == "stored":
        print(
            translate(
                "store.cli.stored",
                lang,
                file=result.name,
                kind=kind,
                id=result.snapshot_id,
                date=format_date(result.status_date, lang),
            )
        )
        if brief:
            return
        for table, rows in result.rows.items():
            label = translate(f"kind.{table}", lang)
            print(translate("store.cli.table_rows", lang, table=label, rows=rows))
    elif result.status == "duplicate":
        assert result.kind is not None
        existing = store.find(result.kind, result.sha256, include_withdrawn=True)
        print(
            translate(
                "store.cli.duplicate",
                lang,
                id=result.duplicate_of,
                file=existing.name if existing else result.name,
                imported_at=_moment(existing, lang) if existing else "?",
                by=existing.imported_by if existing else "?",
            )
        )
        return  # the file was checked when it was first stored
    else:
        print(translate("store.cli.rejected", lang, file=result.name, errors=len(result.errors)))
    for problem in result.problems:
        print(problem_line(problem, lang))
    if result.stored and result.problems:
        print(translate("store.cli.warnings", lang, count=len(result.problems)))


def _json_report(result: ImportResult, file: str) -> str:
    report = {
        "file": file,
        "kind": result.kind,
        "status": result.status,
        "snapshot_id": result.snapshot_id,
        "duplicate_of": result.duplicate_of,
        "status_date": result.status_date.isoformat() if result.status_date else None,
        "rows": result.rows,
        "sha256": result.sha256 or None,
        "problems": [
            {**p.as_dict(), "table": table}
            for p, table in zip(result.problems, result.tables, strict=False)
        ],
    }
    return json.dumps(report, ensure_ascii=False, indent=2, default=str)


# --- the commands -----------------------------------------------------------------------------


def _too_large(args: argparse.Namespace, path: Path, limit: int) -> ImportResult:
    """A file over the size limit, refused before it is read whole (its size from the
    system), reported as the loaders report it."""
    size = path.stat().st_size
    problem = make_problem(
        "error",
        "file_too_large",
        args.lang,
        file=path.name,
        size_mb=f"{size / 1_048_576:.1f}",
        limit_mb=f"{limit / 1_048_576:.0f}",
    )
    return ImportResult(args.kind, path.name, "rejected", "", [problem], [None])


def _import(args: argparse.Namespace, store: SnapshotStore) -> int:
    path = Path(args.file)
    limits = read_limits(args.lang)
    try:
        data = read_file(path, limits.max_bytes)
    except OSError as error:
        detail = unreadable_reason(error, args.lang)
        print(
            translate("store.cli.unreadable", args.lang, file=args.file, detail=detail),
            file=sys.stderr,
        )
        return EXIT_USAGE
    if len(data) > limits.max_bytes:
        result = _too_large(args, path, limits.max_bytes)
    else:
        result = import_bytes(store, args.kind, path.name, data, args.by, args.lang, limits=limits)
    if args.json:
        print(_json_report(result, str(args.file)))
    else:
        _report(result, store, args.lang)
    return {"stored": EXIT_STORED, "duplicate": EXIT_DUPLICATE}.get(result.status, EXIT_REJECTED)


def _withdrawn_line(info: SnapshotInfo, lang: str) -> str:
    assert info.withdrawn_at is not None
    at = f"{format_date(info.withdrawn_at.date(), lang)} {info.withdrawn_at:%H:%M}"
    return translate(
        "store_safety.cli.withdrawn_line", lang, by=info.withdrawn_by, why=info.withdrawn_why, at=at
    )


def _list(args: argparse.Namespace, store: SnapshotStore) -> int:
    infos = store.list(args.kind)
    if args.json:
        print(json.dumps([i.as_dict() for i in infos], ensure_ascii=False, indent=2))
        return 0
    if not infos:
        print(translate("store.cli.empty", args.lang))
        return 0
    names = ("id", "kind", "status_date", "imported_at", "imported_by", "rows", "name")
    header = [translate(f"store.cli.column.{n}", args.lang) for n in names]
    lines = [
        [
            str(i.id),
            translate(f"store.file_kind.{i.kind}", args.lang),
            format_date(i.status_date, args.lang),
            _moment(i, args.lang),
            i.imported_by,
            str(i.row_count),
            i.name,
        ]
        for i in infos
    ]
    notes = [None] + [
        _withdrawn_line(info, args.lang) if info.withdrawn else None for info in infos
    ]
    _print_columns([header, *lines], right={0, 5}, notes=notes)
    return 0


def _print_columns(
    rows: list[list[str]], right: set[int], notes: list[str | None] | None = None
) -> None:
    """Rows as aligned columns (``right``: the numbers' columns), each optionally followed by
    a note line under it (``↳ …``, indented past the first column)."""
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    indent = " " * (widths[0] + 2)
    for position, row in enumerate(rows):
        cells = [
            cell.rjust(widths[c]) if c in right else cell.ljust(widths[c])
            for c, cell in enumerate(row)
        ]
        print("  ".join(cells).rstrip())
        note = notes[position] if notes else None
        if note:
            print(f"{indent}↳ {note}")


def _audit(args: argparse.Namespace, store: SnapshotStore) -> int:
    """The audit trail, newest first, as a table or JSON (one object per line of the trail)."""
    from store.audit import audit_what

    since = dt.datetime.combine(args.since, dt.time()).astimezone() if args.since else None
    entries = store.audit(action=args.action, actor=args.actor, since=since, limit=args.limit)
    if args.json:
        print(json.dumps([e.as_dict() for e in entries], ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print(translate("audit.cli.empty", args.lang))
        return 0
    names = ("id", "at", "actor", "action", "what")
    header = [translate(f"audit.cli.column.{n}", args.lang) for n in names]
    lines = [
        [
            str(e.id),
            f"{format_date(e.at.date(), args.lang)} {e.at:%H:%M:%S}",
            e.actor,
            translate(f"audit.action.{e.action}", args.lang),
            audit_what(e, args.lang),
        ]
        for e in entries
    ]
    _print_columns([header, *lines], right={0})
    return 0


def _withdraw(args: argparse.Namespace, store: SnapshotStore) -> int:
    from store.current import situation_at

    info = store.withdraw(args.id, args.by, args.why)
    situation = situation_at(store)  # the data in use now, as every page reads it
    in_use_id = situation.snapshots.get(info.kind) if situation is not None else None
    in_use = next((i for i in store.list(info.kind) if i.id == in_use_id), None)
    if args.json:
        report = {"withdrawn": info.as_dict(), "in_use": in_use.as_dict() if in_use else None}
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    lang = args.lang
    print(
        translate(
            "store_safety.cli.withdrawn",
            lang,
            id=info.id,
            file=info.name,
            kind=translate(f"store.file_kind.{info.kind}", lang),
            date=format_date(info.status_date, lang),
            by=info.withdrawn_by,
            why=info.withdrawn_why,
        )
    )
    if in_use is None:
        print(translate("store_safety.cli.none_in_use", lang))
    else:
        print(
            translate(
                "store_safety.cli.in_use",
                lang,
                id=in_use.id,
                file=in_use.name,
                date=format_date(in_use.status_date, lang),
            )
        )
    return 0


def _seed(args: argparse.Namespace, store: SnapshotStore) -> int:
    from store.seed import seed, seed_pending

    if not seed_pending(store):
        count = len(store.list())
        print(translate("store.cli.seed_skipped", args.lang, count=count))
        return 0
    resumed = not store.is_empty()
    try:
        settings = _settings(args.lang)
    except LoadError as error:
        for problem in error.problems:
            print(problem_line(problem, args.lang))
        return EXIT_REJECTED
    results = seed(store, settings, lang=args.lang)
    if not results:
        print(translate("store.cli.seed_nothing", args.lang))
        return EXIT_REJECTED
    stored = [result for result in results if result.stored]
    for result in stored:
        _report(result, store, args.lang, brief=True)
    key = "store_safety.cli.seed_resumed" if resumed else "store.cli.seeded"
    print(translate(key, args.lang, count=len(stored)))
    return 0


def _check(args: argparse.Namespace, store: SnapshotStore) -> int:
    """The full ``integrity_check``, then every snapshot read back whole."""
    if isinstance(store, SQLiteSnapshotStore) and store.integrity_check() != "ok":
        print(translate("store_safety.cli.check_corrupt", args.lang), file=sys.stderr)
        return EXIT_FAILED
    unreadable = store.unreadable_snapshots()
    if unreadable:
        print(translate("store_safety.cli.check_failed", args.lang, count=len(unreadable)))
        for error in unreadable:
            print(f"  {error.message(args.lang)}")
        return EXIT_FAILED
    print(translate("store_safety.cli.check_ok", args.lang, count=len(store.list())))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m store", description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="database file (else $TRACKER_DB, else var/tracker.sqlite)")
    common.add_argument("--lang", choices=SUPPORTED_LANGS, default="fr")
    common.add_argument("--debug", action="store_true", help="log the technical detail")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("import", parents=[common], help="validate a file and store it")
    add.add_argument("file")
    add.add_argument("--kind", choices=FILE_KINDS, help="file kind (else from its headers)")
    add.add_argument("--by", default=None, help="who imports it (else the login name)")
    add.add_argument("--json", action="store_true", help="report as JSON")
    show = commands.add_parser("list", parents=[common], help="the snapshots, newest first")
    show.add_argument("--kind", choices=FILE_KINDS)
    show.add_argument("--json", action="store_true")
    withdraw = commands.add_parser(
        "withdraw", parents=[common], help="withdraw a snapshot from the data in use"
    )
    withdraw.add_argument("id", type=int)
    withdraw.add_argument("--why", required=True, help="the reason, kept in the history")
    withdraw.add_argument("--by", default=None, help="who withdraws it (else the login name)")
    withdraw.add_argument("--json", action="store_true")
    trail = commands.add_parser(
        "audit", parents=[common], help="the audit trail: who imported, downloaded, changed what"
    )
    trail.add_argument("--action", choices=ACTIONS, help="only this kind of event")
    trail.add_argument("--actor", help="only what this person did (e-mail or name, any case)")
    trail.add_argument("--since", type=dt.date.fromisoformat, help="from this day (YYYY-MM-DD)")
    trail.add_argument("--limit", type=int, help="the newest N lines only")
    trail.add_argument("--json", action="store_true")
    commands.add_parser("seed", parents=[common], help="fill an empty store with the sample")
    commands.add_parser("check", parents=[common], help="check the database and every snapshot")
    return parser


HANDLERS = {
    "import": _import,
    "list": _list,
    "withdraw": _withdraw,
    "seed": _seed,
    "check": _check,
    "audit": _audit,
}


def main(argv: list[str] | None = None) -> int:
    args = start(_parser(), argv)
    if isinstance(args, int):
        return args
    lang = args.lang
    if args.command in ("import", "withdraw"):
        args.by = (args.by or "").strip() or default_importer()
    db = args.db or resolve_db_path()
    try:
        store = open_store_at(db)
        code = HANDLERS[args.command](args, store)
        sys.stdout.flush()  # a closed pipe fails here, inside the guard, not at exit
        return code
    except StoreError as error:
        print(error.message(lang), file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        return output_closed()
    except KeyboardInterrupt:
        return interrupted(lang)
    except Exception as error:  # noqa: BLE001 — the last guard: a message, never a traceback
        return unexpected_failure(error, lang)


if __name__ == "__main__":
    sys.exit(main())
