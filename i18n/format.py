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


def format_number(value: float | int | None, lang: str | None = "fr", decimals: int = 0) -> str:
    if _is_missing(value):
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _babel_format_decimal(value, format=pattern, locale=_locale(lang))


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
    return _babel_format_date(value, "dd/MM/yyyy", locale=_locale(lang))
