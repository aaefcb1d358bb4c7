"""Translations: every user-facing string comes from ``i18n/locales/<lang>/*.toml``.

Keys are dotted (``problem.missing_column``); values are ``str.format`` templates. A key missing
from a language falls back to French, then to the key itself, so a gap shows up as a visible key
rather than an exception (a test checks both files hold the same keys).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

DEFAULT_LANG = "fr"
SUPPORTED_LANGS = ("fr", "en")
_LOCALES_DIR = Path(__file__).parent / "locales"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = str(value)
    return flat


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All strings of one language (every ``locales/<lang>/*.toml``), flattened to dotted keys.

    One file per area of the app (loaders, app, planning…) keeps files short; a key defined
    in two files is an error, caught by the tests.
    """
    flat: dict[str, str] = {}
    for path in sorted((_LOCALES_DIR / lang).glob("*.toml")):
        with path.open("rb") as handle:
            flat.update(_flatten(tomllib.load(handle)))
    return flat


def catalogue_files(lang: str) -> dict[str, dict[str, str]]:
    """Each translation file of ``lang`` with its own flattened keys (for consistency tests)."""
    files: dict[str, dict[str, str]] = {}
    for path in sorted((_LOCALES_DIR / lang).glob("*.toml")):
        with path.open("rb") as handle:
            files[path.name] = _flatten(tomllib.load(handle))
    return files


def normalise_lang(lang: str | None) -> str:
    lang = (lang or DEFAULT_LANG).lower()[:2]
    return lang if lang in SUPPORTED_LANGS else DEFAULT_LANG


def translate(key: str, lang: str | None = DEFAULT_LANG, /, **params: object) -> str:
    """The text for ``key`` in ``lang`` with ``params`` filled in."""
    lang = normalise_lang(lang)
    template = catalogue(lang).get(key) or catalogue(DEFAULT_LANG).get(key) or key
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def has_key(key: str, lang: str = DEFAULT_LANG) -> bool:
    return key in catalogue(normalise_lang(lang))


t = translate
