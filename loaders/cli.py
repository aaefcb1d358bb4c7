"""What the three command lines (``python -m loaders``, ``store``, ``exports``) share: parsing
with a usage error as exit 2, and logging that shows tracebacks only when asked for."""

from __future__ import annotations

import argparse
import logging
import os
import sys

#: environment variable asking every command line for the technical detail of a failure
DEBUG_ENV = "TRACKER_DEBUG"
EXIT_USAGE = 2


def debug_requested(flag: bool = False) -> bool:
    """``--debug`` given, or ``TRACKER_DEBUG`` set to anything but ``0``/empty."""
    return flag or os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")


def configure_logging(debug: bool) -> None:
    """Debug: warnings and tracebacks on stderr. Otherwise nothing: a user reads the
    translated messages, never a logged traceback (Python would print unhandled log records
    on stderr by itself)."""
    root = logging.getLogger()
    if debug:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    elif not root.handlers:
        root.addHandler(logging.NullHandler())


def start(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace | int:
    """The parsed arguments, logging configured from ``--debug``; or the exit code when
    argparse stopped (2 on a usage error, 0 for ``--help``)."""
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code not in (0, None) else 0
    configure_logging(debug_requested(getattr(args, "debug", False)))
    return args
