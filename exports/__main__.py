"""``python -m exports workbook --out FILE.xlsx [--lang fr|en|ar] [--db PATH] [--project PATH]``
and ``python -m exports briefing --format pdf|pptx --out FILE [--lang …] [--db …] [--project …]``.

Writes the stakeholders' workbook, or the briefing note (PDF) or deck (PPTX), from the current
data, for a scheduled task: the store at ``--db`` (exactly that file, which must exist: a
mistyped path is not silently replaced by a fresh sample history), else the one named by
``TRACKER_DB``, else ``var/tracker.sqlite`` (those two seeded with the sample when empty, as the
app does). The same ``build_workbook`` / ``build_briefing_pdf`` / ``build_briefing_pptx`` as the
app's download buttons, over the same ``views.situation.situation_of``. The file is written
whole or not at all (a temporary file renamed into place).

Exit 0 written, 1 when the data or the database cannot give a document or the file cannot be
written (a translated message on stderr, never a traceback; ``--debug`` or ``TRACKER_DEBUG=1``
logs the technical detail), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from exports.briefing_pdf import CHROMIUM, PrintFailed
from i18n import SUPPORTED_LANGS, translate
from loaders import LoadError, load_project
from loaders.cli import start
from store import StoreError
from store.__main__ import interrupted, output_closed, unexpected_failure
from views.situation import situation_of

ROOT = Path(__file__).resolve().parents[1]

EXIT_WRITTEN = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class MissingDatabase(StoreError):
    """``--db`` names no file."""


def _current(settings, db: str | os.PathLike | None):
    """The store at ``db`` (exactly that file, when given), else at ``$TRACKER_DB`` or
    ``var/tracker.sqlite``, seeded when empty; its data in use and their situation."""
    from store.current import current_tables, open_seeded_store

    store = open_seeded_store(settings, db)
    current = current_tables(store)
    return store, current, situation_of(settings, current.status_date, current.frames)


def _earlier_situations(settings, store, status_date: dt.date) -> list:
    """The weekly situations before ``status_date``, oldest first (the deck's milestone
    trend, as the weekly review draws it)."""
    from store.current import tables_of, weekly_situations

    earlier = [week for week in weekly_situations(store) if week.status_date < status_date]
    situations = []
    for week in earlier:
        tables = tables_of(store, week)
        situations.append(situation_of(settings, tables.status_date, tables.frames))
    return situations


def workbook_from_store(settings, db: str | os.PathLike | None, lang: str) -> bytes:
    """The workbook of the data in use in the store at ``db``."""
    from exports.workbook import build_workbook, load_warnings, workbook_sources

    _, current, situation = _current(settings, db)
    return build_workbook(
        situation,
        workbook_sources(current.results, current.snapshots),
        load_warnings(current.results, lang),
        lang,
        generated_at=dt.datetime.now().replace(microsecond=0),
    )


def briefing_from_store(settings, db: str | os.PathLike | None, lang: str, kind: str) -> bytes:
    """The briefing note (``kind`` ``pdf``) or deck (``pptx``) of the data in use at ``db``."""
    from exports.workbook import workbook_sources

    store, current, situation = _current(settings, db)
    sources = workbook_sources(current.results, current.snapshots)
    if kind == "pptx":
        from exports.briefing_pptx import build_briefing_pptx

        history = _earlier_situations(settings, store, current.status_date)
        return build_briefing_pptx(situation, sources, lang, history=history)
    from exports.briefing_pdf import build_briefing_pdf

    return build_briefing_pdf(situation, sources, lang)


def write_whole(out: Path, content: bytes) -> None:
    """``content`` at ``out``, written to a temporary file of the same folder then renamed:
    a reader never finds half a workbook, and a failed write leaves the old file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    umask = os.umask(0)
    os.umask(umask)
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), 0o666 & ~umask)  # a plain new file's mode, not 0600
            stream.write(content)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--out", required=True)
    common.add_argument("--lang", choices=SUPPORTED_LANGS, default="fr")
    common.add_argument("--db", help="SQLite file of the store (default: $TRACKER_DB)")
    common.add_argument(
        "--project",
        default=os.environ.get("TRACKER_PROJECT", str(ROOT / "data" / "project.toml")),
        help="settings file (default: $TRACKER_PROJECT or data/project.toml)",
    )
    common.add_argument("--debug", action="store_true", help="log the technical detail")
    parser = argparse.ArgumentParser(prog="python -m exports")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("workbook", parents=[common], help="write the stakeholders' Excel workbook")
    briefing = commands.add_parser(
        "briefing", parents=[common], help="write the briefing note (PDF) or deck (PPTX)"
    )
    briefing.add_argument("--format", required=True, choices=("pdf", "pptx"))
    return parser


def _problems(error: LoadError, lang: str) -> int:
    for problem in error.problems:
        print(problem.render(lang).message, file=sys.stderr)
    return EXIT_FAILED


def _export(args: argparse.Namespace) -> int:
    """Settings, store, document, file: the same steps and messages for every document."""
    lang = args.lang
    try:
        settings = load_project(args.project, lang=lang)
    except LoadError as error:
        return _problems(error, lang)
    if args.db is not None and not Path(args.db).is_file():
        raise MissingDatabase("store_safety.cli.no_database", db=args.db)
    try:
        if args.command == "briefing":
            content = briefing_from_store(settings, args.db, lang, args.format)
        else:
            content = workbook_from_store(settings, args.db, lang)
    except LoadError as error:
        return _problems(error, lang)
    except PrintFailed:
        print(translate("pack.print_failed", lang, path=CHROMIUM), file=sys.stderr)
        return EXIT_FAILED
    out = Path(args.out)
    try:
        write_whole(out, content)
    except OSError:
        print(translate("store_safety.cli.write_failed", lang, path=out), file=sys.stderr)
        return EXIT_FAILED
    written = "export.written" if args.command == "workbook" else f"pack.written_{args.format}"
    print(translate(written, lang, path=str(out), size=f"{len(content) / 1024:.0f}"))
    return EXIT_WRITTEN


def main(argv: list[str] | None = None) -> int:
    args = start(_parser(), argv)
    if isinstance(args, int):
        return args
    try:
        code = _export(args)
        sys.stdout.flush()  # a closed pipe fails here, inside the guard, not at exit
        return code
    except StoreError as error:
        print(error.message(args.lang), file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        return output_closed()
    except KeyboardInterrupt:
        return interrupted(args.lang)
    except Exception as error:  # noqa: BLE001 — the last guard: a message, never a traceback
        return unexpected_failure(error, args.lang)


if __name__ == "__main__":
    sys.exit(main())
