"""``python -m exports workbook --out FILE.xlsx [--lang fr|en] [--db PATH] [--project PATH]``.

Writes the stakeholders' workbook from the current data — the store named by ``TRACKER_DB``
(or ``--db``), seeded with the sample when empty — for a scheduled task. The same
``build_workbook`` as the app's download button, over the same ``compute_situation``.
Exit 0 written, 1 when the data cannot give a workbook, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from i18n import SUPPORTED_LANGS, translate
from loaders import LoadError, load_project
from tracking.situation import compute_situation

ROOT = Path(__file__).resolve().parents[1]


def workbook_from_store(settings, db: str | None, lang: str) -> bytes:
    from exports.workbook import build_workbook, load_warnings, workbook_sources
    from store.current import current_tables, open_seeded_store

    store = open_seeded_store(settings, db)
    current = current_tables(store)
    frames = current.frames
    situation = compute_situation(
        settings,
        current.status_date,
        schedule=frames.get("schedule"),
        budget=frames.get("budget"),
        contracts=frames.get("contracts"),
        spending=frames.get("spending"),
        floor_areas=frames.get("floor-areas"),
    )
    return build_workbook(
        situation,
        workbook_sources(current.results, current.snapshots),
        load_warnings(current.results, lang),
        lang,
        generated_at=dt.datetime.now().replace(microsecond=0),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exports")
    commands = parser.add_subparsers(dest="command", required=True)
    workbook = commands.add_parser("workbook", help="write the stakeholders' Excel workbook")
    workbook.add_argument("--out", required=True)
    workbook.add_argument("--lang", choices=SUPPORTED_LANGS, default="fr")
    workbook.add_argument("--db", help="SQLite file of the store (default: $TRACKER_DB)")
    workbook.add_argument(
        "--project",
        default=os.environ.get("TRACKER_PROJECT", str(ROOT / "data" / "project.toml")),
        help="settings file (default: $TRACKER_PROJECT or data/project.toml)",
    )
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return 2 if exit_.code not in (0, None) else 0
    try:
        settings = load_project(args.project, lang=args.lang)
        content = workbook_from_store(settings, args.db, args.lang)
    except LoadError as error:
        for problem in error.problems:
            print(problem.render(args.lang).message, file=sys.stderr)
        return 1
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    print(translate("export.written", args.lang, path=str(out), size=f"{len(content) / 1024:.0f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
