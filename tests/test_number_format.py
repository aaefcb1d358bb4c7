"""``i18n.format.format_number`` writes numbers without babel's pattern machinery (a 2 000-row
table shows tens of thousands of amounts a rerun): its text must be babel's own, for every
value a table can hold, in the three languages and at every precision the renderers use."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n.format import _babel_date, _babel_number, format_date, format_money, format_number

VALUES = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    st.integers(min_value=-(10**15), max_value=10**15),
    # amounts to the centime and halves of the last digit kept: where rounding decides
    st.integers(min_value=-(10**11), max_value=10**11).map(lambda n: n / 100),
    st.integers(min_value=-(10**9), max_value=10**9).map(lambda n: n / 1000),
    st.integers(min_value=-(10**9), max_value=10**9).map(lambda n: n / 200),
)


@settings(max_examples=3000, deadline=None)
@given(VALUES, st.sampled_from(["fr", "en", "ar"]), st.integers(min_value=0, max_value=3))
def test_any_number_is_written_as_babel_writes_it(value, lang, decimals):
    assert format_number(value, lang, decimals) == _babel_number(value, lang, decimals)


def test_the_amounts_a_reader_checks():
    assert format_money(15_200_000, "fr") == "15\u202f200\u202f000,00\u00a0MAD"
    assert format_money(870_428_581.71, "en") == "870,428,581.71\u00a0MAD"
    assert format_money(15_200_000, "ar") == "15.200.000,00\u00a0MAD"
    assert format_number(2.675, "fr", 2) == "2,68"  # the decimal 2,675, half to even: 2,68
    assert format_number(0.125, "fr", 2) == "0,12"
    assert format_number(-1405.69, "fr", 2) == "-1\u202f405,69"
    assert format_number(-0.001, "fr", 2) == "-0,00"  # as babel writes it


@settings(max_examples=1000, deadline=None)
@given(st.dates(), st.sampled_from(["fr", "en", "ar"]))
def test_any_date_is_written_as_babel_writes_it(day, lang):
    assert format_date(day, lang) == _babel_date(day, lang)
    assert format_date(pd.Timestamp(day), lang) == _babel_date(day, lang)
