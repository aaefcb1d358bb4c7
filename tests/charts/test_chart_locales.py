"""Charts speak the reader's language: month ticks and number separators follow the
language's CLDR locale (French, English and the Arabic of Morocco for the documents)."""

from __future__ import annotations

import pytest

from charts.style import month_ticks
from i18n.format import format_number, number_separators


@pytest.mark.parametrize(
    ("lang", "first"), [("fr", "févr. 2026"), ("en", "Feb 2026"), ("ar", "فبراير 2026")]
)
def test_month_ticks_are_in_the_readers_language(lang, first):
    ticks = month_ticks("2026-02-16", "2026-05-01", lang)
    assert ticks["ticktext"][0] == first and len(ticks["ticktext"]) == 4


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_chart_separators_are_those_of_the_figures(lang):
    decimal, thousands = number_separators(lang)
    assert format_number(1234.5, lang, 1) == f"1{thousands}234{decimal}5"
