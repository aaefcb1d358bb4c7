"""Translations: every user-facing string comes from ``i18n/locales/<lang>/*.toml``.

Keys are dotted (``problem.missing_column``); values are ``str.format`` templates. A key missing
from a language falls back to French, then to the key itself, so a gap shows up as a visible key
rather than an exception (a test checks both files hold the same keys).

Plurals are chosen by count with ICU-style blocks and the language's CLDR plural rules (babel):
``"{count, plural, one {# alerte rouge} other {# alertes rouges}}"``; ``#`` is the count in
the reader's number format, and one message may hold several blocks (``{tasks, plural, …}``,
``{paid, plural, …}``). Arabic's six forms (zero, one, two, few, many, other) work the same way.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from babel import Locale

DEFAULT_LANG = "fr"
#: the languages of the documents (the briefing pack, the workbook…); the app's own screens
#: offer French and English only (``ui.shared.LANGUAGES``). Arabic holds the keys the documents
#: use and falls back to French for the others.
SUPPORTED_LANGS = ("fr", "en", "ar")
#: languages written right to left
RTL_LANGS = frozenset({"ar"})
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


def text_direction(lang: str | None) -> str:
    """``"rtl"`` for a language written right to left (Arabic), else ``"ltr"``: the ``dir`` of
    an HTML document, the paragraph direction of a slide."""
    return "rtl" if normalise_lang(lang) in RTL_LANGS else "ltr"


_PLURAL_START = re.compile(r"\{(\w+),\s*plural,")
_FORM = re.compile(r"\s*(=\d+|zero|one|two|few|many|other)\s*\{")
_BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB", "ar": "ar_MA"}


def babel_locale(lang: str | None) -> str:
    """The CLDR locale whose numbers, dates and plural rules a language follows: ``fr_FR``,
    ``en_GB``, ``ar_MA`` (Morocco: Latin digits, ``15.200.000,00``)."""
    return _BABEL_LOCALES[normalise_lang(lang)]


def _closing_brace(text: str, start: int) -> int:
    """Index of the ``}`` closing the ``{`` at ``start - 1`` (nested braces counted)."""
    depth = 1
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError("unbalanced braces in a plural message")


def plural_form(count: float, lang: str) -> str:
    """The CLDR plural category of ``count`` in ``lang`` (``one``, ``other``, ``few``…)."""
    return Locale.parse(_BABEL_LOCALES.get(lang, "fr_FR")).plural_form(abs(count))


def _plural_blocks(template: str, lang: str, params: dict) -> str:
    """Replace each ``{name, plural, one {…} other {…}}`` block by the form of its count."""
    out, position = [], 0
    for match in list(_PLURAL_START.finditer(template)):
        if match.start() < position:
            continue  # inside a block already replaced
        name = match.group(1)
        end = _closing_brace(template, match.end())
        body, cursor, forms = template[match.end() : end], 0, {}
        while cursor < len(body):
            form = _FORM.match(body, cursor)
            if form is None:
                break
            close = _closing_brace(body, form.end())
            forms[form.group(1)] = body[form.end() : close]
            cursor = close + 1
        count = params.get(name)
        if not isinstance(count, int | float) or isinstance(count, bool):
            raise ValueError(f"plural parameter {name!r} is not a number")
        exact = f"={count:g}"
        chosen = forms.get(exact) or forms.get(plural_form(count, lang)) or forms.get("other", "")
        shown = _format_count(count, lang)
        out.append(template[position : match.start()])
        out.append(chosen.replace("#", shown.replace("{", "{{").replace("}", "}}")))
        position = end + 1
    out.append(template[position:])
    return "".join(out)


def _format_count(count: float, lang: str) -> str:
    from babel.numbers import format_decimal

    pattern = "#,##0" if float(count).is_integer() else "#,##0.###"
    return format_decimal(count, format=pattern, locale=_BABEL_LOCALES.get(lang, "fr_FR"))


def translate(key: str, lang: str | None = DEFAULT_LANG, /, **params: object) -> str:
    """The text for ``key`` in ``lang`` with ``params`` filled in (plural blocks chosen by
    their count)."""
    lang = normalise_lang(lang)
    template = catalogue(lang).get(key) or catalogue(DEFAULT_LANG).get(key) or key
    if not params:
        return template
    try:
        if ", plural," in template:
            template = _plural_blocks(template, lang, params)
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def has_key(key: str, lang: str = DEFAULT_LANG) -> bool:
    return key in catalogue(normalise_lang(lang))


t = translate


#: a run of Latin letters and digits joined by ``/ . - _ :`` without a space (``07/2026/AREP-RSK``,
#: ``TR-01``, ``DP6``)
_LATIN_RUN = re.compile(
    r"[0-9A-Za-z\u00c0-\u024f](?:[0-9A-Za-z\u00c0-\u024f./_:-]*[0-9A-Za-z\u00c0-\u024f])?"
)
_LRI, _PDI = "\u2066", "\u2069"


def bidi_isolate(text: str, lang: str | None) -> str:
    """``text`` with each run that starts with a digit and holds Latin letters (a contract
    number ``07/2026/AREP-RSK``) wrapped in a left-to-right isolate (U+2066 … U+2069), for a
    renderer of a right-to-left language: without it the Unicode bidi algorithm splits the run
    and an Arabic sentence shows ``AREP-RSK/07/2026``. A run that starts with a letter
    (``TR-01``, ``DP6``) reads left to right already; amounts, percentages and dates (digits
    only) need nothing either, and text in a left-to-right language is returned unchanged.
    The isolates are invisible; ``strip_bidi`` removes them before a text is compared."""
    if text_direction(lang) != "rtl" or not text:
        return text

    def wrap(match: re.Match) -> str:
        run = match.group(0)
        mixed = run[0].isdigit() and any(c.isalpha() for c in run)
        return f"{_LRI}{run}{_PDI}" if mixed else run

    return _LATIN_RUN.sub(wrap, text)


def strip_bidi(text: str) -> str:
    """``text`` without the bidi marks and isolates (LRM, RLM, ALM, U+2066…U+2069)."""
    return re.sub("[\u200e\u200f\u061c\u2066-\u2069]", "", text)
