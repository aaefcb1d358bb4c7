"""Locale-aware formatting of money, numbers, percentages and dates (CLDR data through babel).

French output uses a narrow no-break space for thousands (``15 200 000,00 MAD``), which is
what babel's CLDR data prescribes; callers that need plain spaces can replace it.

Arabic follows CLDR's ``ar_MA`` (Morocco): Latin digits, as Moroccan administrations write
them, a full stop for thousands and a comma for decimals (``15.200.000,00 MAD``). Money keeps
the amount then the currency code of the settings, as in French and English (the code is not
translated: a document's figures read the same in the three languages, and the renderers keep
the amount and its code in one left-to-right run); headline millions read
``15,2 مليون درهم`` (``format.millions``), percentages ``45,6 %`` and dates ``dd/mm/yyyy``.
No bidi control character is added here: the renderers set the direction of the text.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import math

import pandas as pd
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal as _babel_format_decimal
from babel.numbers import get_decimal_symbol, get_group_symbol

from i18n import babel_locale as _locale
from i18n import translate


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def number_separators(lang: str | None = "fr") -> str:
    """The decimal mark then the thousands separator of ``lang``, as plotly's ``separators``
    wants them: ``",\u202f"`` (French), ``".,"`` (English), ``",."`` (Moroccan Arabic), the
    same as ``format_number`` writes."""
    locale = _locale(lang)
    return get_decimal_symbol(locale) + get_group_symbol(locale)


@functools.lru_cache(maxsize=8)
def _symbols(lang: str | None) -> tuple[str, str]:
    locale = _locale(lang)
    return get_decimal_symbol(locale), get_group_symbol(locale)


def _babel_number(value, lang: str | None, decimals: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _babel_format_decimal(value, format=pattern, locale=_locale(lang))


def format_number(value: float | int | None, lang: str | None = "fr", decimals: int = 0) -> str:
    """``value`` grouped by thousands with ``decimals`` decimals, in the locale's symbols.
    The same text as babel's ``#,##0.00`` pattern (the decimal of the value's shortest
    repr, rounded half to even: a test holds the two equal), written here without babel's
    pattern machinery: a 2 000-row table shows tens of thousands of amounts a rerun."""
    if _is_missing(value):
        return "—"
    if type(value) is bool or not isinstance(value, int | float) or not math.isfinite(value):
        return _babel_number(value, lang, decimals)
    number = decimal.Decimal(repr(float(value))) if isinstance(value, float) else value
    rounded = decimal.Decimal(number).quantize(
        decimal.Decimal(1).scaleb(-decimals), rounding=decimal.ROUND_HALF_EVEN
    )
    mark, group = _symbols(lang)
    digits = f"{abs(rounded):,.{decimals}f}".replace(",", "\0").replace(".", mark)
    # babel's pattern writes a plain hyphen-minus, not the locale's minus sign
    return ("-" if rounded.is_signed() else "") + digits.replace("\0", group)


def format_money(
    value: float | int | None, lang: str | None = "fr", currency: str = "MAD", decimals: int = 2
) -> str:
    """``15 200 000,00 MAD``: the amount with the currency code after it, in every language."""
    if _is_missing(value):
        return "—"
    return f"{format_number(value, lang, decimals)}\u00a0{currency}"


def format_millions(value: float | int | None, lang: str | None = "fr", decimals: int = 1) -> str:
    """Large amounts for headlines: ``15,2 MDH`` (French) / ``15.2 M MAD`` (English) /
    ``15,2 مليون درهم`` (Arabic)."""
    if _is_missing(value):
        return "—"
    number = format_number(value / 1_000_000, lang, decimals)
    return translate("format.millions", lang, number=number)


def format_percent(value: float | None, lang: str | None = "fr", decimals: int = 1) -> str:
    """``value`` is a ratio (0.456 -> ``45,6 %``)."""
    if _is_missing(value) or (isinstance(value, float) and math.isinf(value)):
        return "—"
    return f"{format_number(value * 100, lang, decimals)}\u00a0%"


def format_date(value: dt.date | dt.datetime | pd.Timestamp | None, lang: str | None = "fr") -> str:
    """``dd/mm/yyyy`` in every language (the project's convention)."""
    if _is_missing(value):
        return "—"
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        value = value.date()
    if isinstance(value, dt.date):  # babel's "dd/MM/yyyy" in Latin digits, written directly
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return _babel_date(value, lang)


def _babel_date(value, lang: str | None) -> str:
    return _babel_format_date(value, "dd/MM/yyyy", locale=_locale(lang))
