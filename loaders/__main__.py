"""``python -m loaders check FILE [--kind …] [--sheet NAME] [--json] [--lang fr|en]``.

The same validation report as the Data page, on the command line. Exit 0 when the file loads
(warnings allowed), 1 when it has errors, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys

from i18n import SUPPORTED_LANGS, translate
from loaders.detect import detect_kind
from loaders.kinds import LOADERS
from loaders.problems import LoadError, Problem, make_problem

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
}


def _print_problem(problem: Problem) -> None:
    where = " ".join(
        part
        for part in (
            f"[{problem.sheet}]" if problem.sheet else "",
            f"L{problem.row}" if problem.row else "",
        )
        if part
    )
    label = translate(f"severity.{problem.severity}", _LANG[0])
    print(f"{label:>14} {where:<18} {problem.message}")


_LANG = ["fr"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate a spreadsheet and print its report")
    check.add_argument("file")
    check.add_argument("--kind", choices=sorted(KIND_ALIASES))
    check.add_argument("--sheet")
    check.add_argument("--json", action="store_true")
    check.add_argument("--lang", choices=SUPPORTED_LANGS, default="fr")
    check.add_argument("--max-mb", type=float, default=None, help="size limit in MB")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return 2 if exit_.code not in (0, None) else 0
    lang = _LANG[0] = args.lang
    max_bytes = int(args.max_mb * 1024 * 1024) if args.max_mb else None

    kind = KIND_ALIASES.get(args.kind) if args.kind else None
    problems: list[Problem] = []
    result = None
    try:
        if kind is None:
            kind = detect_kind(args.file, sheet=args.sheet, lang=lang, max_bytes=max_bytes)
        if kind is None:
            problems = [make_problem("error", "unknown_kind", lang, file=args.file)]
        else:
            result = LOADERS[kind](args.file, args.sheet, lang=lang, max_bytes=max_bytes)
            problems = result.warnings
    except LoadError as error:
        problems = error.problems

    errors = [p for p in problems if p.is_error]
    if args.json:
        report = {
            "file": args.file,
            "kind": kind,
            "ok": not errors,
            "rows": len(result.frame) if result is not None else 0,
            "sheet": result.sheet if result is not None else None,
            "header_row": result.header_row if result is not None else None,
            "problems": [p.as_dict() for p in problems],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    else:
        if result is not None:
            print(
                translate(
                    "cli.loaded",
                    lang,
                    file=result.source_name,
                    kind=translate(f"kind.{kind}", lang),
                    sheet=result.sheet,
                    header_row=result.header_row,
                    rows=len(result.frame),
                )
            )
        else:
            print(translate("cli.rejected", lang, file=args.file, errors=len(errors)))
        for problem in problems:
            _print_problem(problem)
        if result is not None and problems:
            print(translate("cli.warnings", lang, count=len(problems)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
