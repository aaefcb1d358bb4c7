"""``python -m loaders check FILE [--kind …] [--sheet NAME] [--json] [--lang fr|en] [--debug]``.

The same validation report as the Data page, on the command line, under the same limits: those
of the settings (``$TRACKER_PROJECT``, else ``data/project.toml``; ``--max-mb`` overrides the
size). Exit 0 when the file loads (warnings allowed), 1 when it has errors — a missing file, a
folder, a pipe or a device named as the file included, reported without reading it — or when
an unexpected error stops the check (one translated line on stderr; ``--debug`` or
``TRACKER_DEBUG=1`` logs the traceback), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import stat
import sys
from pathlib import Path

from i18n import SUPPORTED_LANGS, translate
from loaders import LOADERS
from loaders.cli import guarded, start
from loaders.detect import detect_kind
from loaders.limits import ReadLimits, resolve_limits
from loaders.problems import LoadError, Problem, make_problem, problem_line
from loaders.project import load_project
from loaders.reading import open_shared

KIND_ALIASES = {
    "schedule": "schedule",
    "planning": "schedule",
    "spending": "spending",
    "depenses": "spending",
    "decomptes": "spending",
    "budget": "budget",
    "contracts": "contracts",
    "marches": "contracts",
    "floor-areas": "floor-areas",
    "surfaces": "floor-areas",
    "decisions": "decisions",
    "actions": "actions",
    "risks": "risks",
    "risques": "risks",
}

ROOT = Path(__file__).resolve().parents[1]
#: environment variables: another settings file (as the app), the technical detail of failures
PROJECT_ENV = "TRACKER_PROJECT"
logger = logging.getLogger("loaders.cli")


def _limits(lang: str, max_mb: float | None) -> ReadLimits:
    """The settings' limits (the defaults, said so on stderr, when they cannot be read), with
    ``--max-mb`` as the size cap when given."""
    path = Path(os.environ.get(PROJECT_ENV) or ROOT / "data" / "project.toml")
    try:
        limits = load_project(path, lang).read_limits
    except LoadError:
        print(translate("store_safety.cli.settings_fallback", lang, path=path), file=sys.stderr)
        limits = resolve_limits(None)
    return limits.with_max_bytes(int(max_mb * 1024 * 1024) if max_mb else None)


def _not_a_file(path: str, lang: str) -> Problem | None:
    """A folder, a pipe or a device named as the file (a symlink is followed: to /dev/zero it
    is a device), found without opening it: reading one would hang or never end. A missing
    file is left to the loaders, which report it."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    name = Path(path).name or path
    reason = translate("store_safety.reason.not_regular", lang)
    message = translate("store.cli.unreadable", lang, file=name, detail=reason)
    return Problem("error", "not_a_file", message, file=name)


def _check(args: argparse.Namespace) -> tuple[str | None, object, list[Problem]]:
    """The kind, the load result (``None`` when refused) and every problem of the file."""
    lang = args.lang
    limits = _limits(lang, args.max_mb)
    kind = KIND_ALIASES.get(args.kind) if args.kind else None
    refused = _not_a_file(args.file, lang)
    if refused is not None:
        return kind, None, [refused]
    try:
        # read once, for every step: the sheets detection parses are those the loader reads
        raw = open_shared(args.file, lang=lang, limits=limits)
        if kind is None:
            kind = detect_kind(raw, sheet=args.sheet, lang=lang, limits=limits)
        if kind is None:
            return None, None, [make_problem("error", "unknown_kind", lang, file=args.file)]
        result = LOADERS[kind](raw, args.sheet, lang=lang, limits=limits)
    except LoadError as error:
        return kind, None, error.problems
    return kind, result, result.warnings


def _row_counts(result) -> tuple[int, int]:
    """The rows of a table and, of a schedule, its summary rows apart: ``rows`` counts the
    tasks (and milestones) a schedule holds, not the lots and phases that group them."""
    if result is None:
        return 0, 0
    frame = result.frame
    if "is_summary" not in frame.columns:
        return len(frame), 0
    summaries = int(frame["is_summary"].fillna(False).astype(bool).sum())
    return len(frame) - summaries, summaries


def _print_report(args: argparse.Namespace, kind, result, problems: list[Problem]) -> None:
    lang = args.lang
    errors = [p for p in problems if p.is_error]
    rows, summaries = _row_counts(result)
    if args.json:
        report = {
            "file": args.file,
            "kind": kind,
            "ok": not errors,
            "rows": rows,
            "summary_rows": summaries,
            "sheet": result.sheet if result is not None else None,
            "header_row": result.header_row if result is not None else None,
            "problems": [p.as_dict() for p in problems],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        return
    if result is not None and result.sheet is None and result.header_row is None:
        # a planning-software file: no sheet, no header row
        print(translate("cli.loaded_project", lang, file=result.source_name, rows=rows))
    elif result is not None:
        print(
            translate(
                "cli.loaded",
                lang,
                file=result.source_name,
                kind=translate(f"kind.{kind}", lang),
                sheet=result.sheet,
                header_row=result.header_row,
                rows=rows,
            )
        )
    else:
        print(translate("cli.rejected", lang, file=args.file, errors=len(errors)))
    if summaries:
        print(translate("cli.summary_rows", lang, count=summaries))
    for problem in problems:
        print(problem_line(problem, lang))
    if result is not None and problems:
        print(translate("cli.warnings", lang, count=len(problems)))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loaders")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate a spreadsheet and print its report")
    check.add_argument("file")
    check.add_argument("--kind", choices=sorted(KIND_ALIASES))
    check.add_argument("--sheet")
    check.add_argument("--json", action="store_true")
    check.add_argument("--lang", choices=SUPPORTED_LANGS, default="fr")
    check.add_argument("--max-mb", type=float, default=None, help="size limit in MB")
    check.add_argument("--debug", action="store_true", help="log the technical detail")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = start(_parser(), argv)
    if isinstance(args, int):
        return args
    return guarded(lambda: _checked(args), args.lang, logger, args.file)


def _checked(args: argparse.Namespace) -> int:
    kind, result, problems = _check(args)
    _print_report(args, kind, result, problems)
    return 1 if any(p.is_error for p in problems) else 0


if __name__ == "__main__":
    sys.exit(main())
