"""What the command lines (``python -m loaders``, ``store``, ``exports``, ``tracking``) share:
parsing with a usage error as exit 2, logging that shows tracebacks only when asked for, and the
last guard around a command (a message and an exit code, never a traceback)."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable

from i18n import translate

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


def guarded(run: Callable[[], int], lang: str, logger: logging.Logger, what: object) -> int:
    """``run()``'s exit code, its output flushed inside the guard; a reader that stops reading
    (``… | head``) ends it quietly (1), Ctrl-C with the translated message (130), any other
    failure with a message naming the error's type (1), the traceback logged for ``--debug``."""
    try:
        code = run()
        sys.stdout.flush()  # a closed pipe fails here, inside the guard, not at exit
    except BrokenPipeError:  # the reader stopped reading: nothing more to say
        with contextlib.suppress(OSError, ValueError):  # no real stdout (a test capturing it)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print(translate("store_safety.cli.interrupted", lang), file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 — the last guard: a message, never a traceback
        logger.error("unexpected failure on %s", what, exc_info=error)
        message = translate("store_safety.cli.unexpected", lang, error=type(error).__name__)
        print(message, file=sys.stderr)
        return 1
    return code
