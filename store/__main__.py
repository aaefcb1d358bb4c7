"""The import history from the command line, for scheduled tasks::

    python -m store import FILE [--kind schedule|finance|floor-areas] [--by NAME] [--json]
    python -m store list [--kind …] [--json]
    python -m store seed

Each takes ``--db PATH`` (else ``$TRACKER_DB``, else ``var/tracker.sqlite``) and
``--lang fr|en`` (French by default). Exit codes of ``import``: 0 stored, 1 rejected (the
problem report is printed, nothing stored), 3 identical to a stored snapshot (nothing stored);
for every command 2 on a usage error (bad option, unreadable file) and 4 when the database
cannot be used.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path

from i18n import SUPPORTED_LANGS, translate
from i18n.format import format_date
from loaders import LoadError, Problem, load_project
from store import (
    FILE_KINDS,
    ImportResult,
    SnapshotInfo,
    SnapshotStore,
    SQLiteSnapshotStore,
    StoreError,
    default_importer,
    import_bytes,
    resolve_db_path,
)
from store.snapshots import ROOT

EXIT_STORED = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_DUPLICATE = 3
EXIT_STORE_ERROR = 4

#: environment variable naming another settings file (same rule as the app)
PROJECT_ENV = "TRACKER_PROJECT"


def _settings(lang: str):
    path = Path(os.environ.get(PROJECT_ENV) or ROOT / "data" / "project.toml")
    return load_project(path, lang)


def _moment(info: SnapshotInfo, lang: str) -> str:
    return f"{format_date(info.imported_at.date(), lang)} {info.imported_at:%H:%M}"


def _print_problem(problem: Problem, lang: str) -> None:
    where = " ".join(
        part
        for part in (
            f"[{problem.sheet}]" if problem.sheet else "",
            f"L{problem.row}" if problem.row else "",
        )
        if part
    )
    label = translate(f"severity.{problem.severity}", lang)
    print(f"{label:>14} {where:<18} {problem.message}")


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
        existing = store.find(result.kind, result.sha256)
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
        _print_problem(problem, lang)
    if result.stored and result.problems:
        print(translate("store.cli.warnings", lang, count=len(result.problems)))


def _import(args: argparse.Namespace, store: SnapshotStore) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        print(
            translate("store.cli.unreadable", args.lang, file=args.file, detail=error.strerror),
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        max_bytes = _settings(args.lang).max_upload_bytes
    except LoadError:
        max_bytes = None  # the loaders' own limit
    result = import_bytes(store, args.kind, path.name, data, args.by, args.lang, max_bytes)
    if args.json:
        report = {
            "file": str(args.file),
            "kind": result.kind,
            "status": result.status,
            "snapshot_id": result.snapshot_id,
            "duplicate_of": result.duplicate_of,
            "status_date": result.status_date.isoformat() if result.status_date else None,
            "rows": result.rows,
            "sha256": result.sha256,
            "problems": [
                {**p.as_dict(), "table": table}
                for p, table in zip(result.problems, result.tables, strict=False)
            ],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    else:
        _report(result, store, args.lang)
    return {"stored": EXIT_STORED, "duplicate": EXIT_DUPLICATE}.get(result.status, EXIT_REJECTED)


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
    widths = [max(len(row[c]) for row in [header, *lines]) for c in range(len(names))]
    right = {0, 5}  # numbers aligned right
    for row in [header, *lines]:
        cells = [
            cell.rjust(widths[c]) if c in right else cell.ljust(widths[c])
            for c, cell in enumerate(row)
        ]
        print("  ".join(cells).rstrip())
    return 0


def _seed(args: argparse.Namespace, store: SnapshotStore) -> int:
    from store.seed import seed

    count = len(store.list())
    if count:
        print(translate("store.cli.seed_skipped", args.lang, count=count))
        return 0
    try:
        settings = _settings(args.lang)
    except LoadError as error:
        for problem in error.problems:
            _print_problem(problem, args.lang)
        return EXIT_REJECTED
    results = seed(store, settings, lang=args.lang)
    if not results:
        print(translate("store.cli.seed_nothing", args.lang))
        return EXIT_REJECTED
    for result in results:
        _report(result, store, args.lang, brief=True)
    stored = sum(result.stored for result in results)
    print(translate("store.cli.seeded", args.lang, count=stored))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m store", description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="database file (else $TRACKER_DB, else var/tracker.sqlite)")
    common.add_argument("--lang", choices=SUPPORTED_LANGS, default="fr")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("import", parents=[common], help="validate a file and store it")
    add.add_argument("file")
    add.add_argument("--kind", choices=FILE_KINDS, help="file kind (else from its headers)")
    add.add_argument("--by", default=None, help="who imports it (else the login name)")
    add.add_argument("--json", action="store_true", help="report as JSON")
    show = commands.add_parser("list", parents=[common], help="the snapshots, newest first")
    show.add_argument("--kind", choices=FILE_KINDS)
    show.add_argument("--json", action="store_true")
    commands.add_parser("seed", parents=[common], help="fill an empty store with the sample")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code not in (0, None) else 0
    if args.command == "import":
        args.by = (args.by or "").strip() or default_importer()
    db = Path(args.db) if args.db else resolve_db_path()
    try:
        store = SQLiteSnapshotStore(db)
        handler = {"import": _import, "list": _list, "seed": _seed}[args.command]
        return handler(args, store)
    except (sqlite3.Error, StoreError) as error:
        print(translate("store.cli.store_error", args.lang, db=db, detail=error), file=sys.stderr)
        return EXIT_STORE_ERROR


if __name__ == "__main__":
    sys.exit(main())
