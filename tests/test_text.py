"""Normalisers of numbers, digits, HS codes and Jalali dates (hypothesis)."""

from __future__ import annotations

import datetime as dt

import jdatetime
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.periods import MAX_JYEAR, MIN_JYEAR, PeriodError, jalali_month, parse_gregorian, parse_jalali
from etl.text import MAX_NUMBER, clean_text, number_forms, parse_hs, parse_numbers

PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
ARABIC = "٠١٢٣٤٥٦٧٨٩"


def to_digits(n: int, digits: str) -> str:
    return "".join(digits[int(c)] for c in str(n))


@given(st.integers(min_value=0, max_value=int(MAX_NUMBER)))
def test_persian_and_arabic_digits_parse_like_ascii(n):
    for digits in (PERSIAN, ARABIC, "0123456789"):
        values, bad = parse_numbers(pd.Series([clean_text(to_digits(n, digits))]))
        assert not bad.iloc[0] and values.iloc[0] == n


@given(st.integers(min_value=1000, max_value=10**12))
def test_thousands_separators(n):
    grouped = f"{n:,}"
    for sep in (",", "٬"):
        values, bad = parse_numbers(pd.Series([clean_text(grouped.replace(",", sep))]))
        assert values.iloc[0] == n
    values, _ = parse_numbers(pd.Series([grouped.replace(",", " ") + ",5"]), decimal=",")
    assert values.iloc[0] == n + 0.5
    values, _ = parse_numbers(pd.Series([grouped.replace(",", ".") + ",5"]), decimal=",")
    assert values.iloc[0] == n + 0.5
    values, _ = parse_numbers(pd.Series([grouped + ".5"]), decimal=".")
    assert values.iloc[0] == n + 0.5


@given(st.text(max_size=30))
def test_clean_text_is_idempotent(s):
    assert clean_text(clean_text(s)) == clean_text(s)


@given(st.text(max_size=12))
def test_numbers_never_raise_and_reject_text(s):
    values, bad = parse_numbers(pd.Series([clean_text(s)]))
    assert bad.iloc[0] or pd.isna(values.iloc[0]) or values.iloc[0] >= 0


@given(st.from_regex(r"\d{1,10}", fullmatch=True))
def test_hs_codes(code):
    codes, reason = parse_hs(pd.Series([code]))
    good = len(code) % 2 == 0
    assert (reason.isna().iloc[0]) == good
    if good:
        again, _ = parse_hs(codes)
        assert again.iloc[0] == code  # idempotent


@given(st.integers(min_value=MIN_JYEAR, max_value=MAX_JYEAR), st.integers(min_value=1, max_value=12))
def test_jalali_months_tile_the_calendar(year, month):
    start, end = jalali_month(year, month)
    assert jdatetime.date.fromgregorian(date=start).day == 1
    after = jdatetime.date.fromgregorian(date=end + dt.timedelta(days=1))
    assert after.day == 1 and (after.month == month % 12 + 1)
    assert 29 <= (end - start).days + 1 <= 31


@given(st.integers(min_value=MIN_JYEAR, max_value=MAX_JYEAR))
def test_esfand_30_only_in_leap_years(year):
    leap = jdatetime.date(year, 1, 1).isleap()
    try:
        parse_jalali(f"{year}/12/30")
        assert leap
    except PeriodError as e:
        assert not leap and "not a leap year" in str(e)


def test_known_dates():
    assert parse_jalali("1403/01") == (dt.date(2024, 3, 20), dt.date(2024, 4, 19), "M")
    assert parse_jalali("1404") == (dt.date(2025, 3, 21), dt.date(2026, 3, 20), "A")
    assert parse_gregorian("02/2024") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29), "M")


# value -> (reads with a decimal point, reads with a decimal comma, holds a mark), as number_forms says
FORMS = {
    "1,234.5": (True, False, True), "0.75": (True, False, True), "250000.50": (True, False, True),
    "1.234,5": (False, True, True), "0,75": (False, True, True), "1 234,5": (False, True, True),
    "1.234": (True, True, True), "12,500": (True, True, True), "1,234,567": (True, False, True),
    "1.234.567": (False, True, True), "1234": (True, True, False), "1 234": (True, True, False),
    "-1": (True, True, False), "1.2.3": (False, False, True), "1,23,4": (False, False, True),
    "abc": (False, False, False), "": (False, False, False), "12 34": (False, False, False),
    "1e5": (False, False, False),
}


def test_number_forms_tell_the_decimal_mark():
    s = pd.Series(list(FORMS), dtype="string")
    forms = number_forms(s)
    got = {v: tuple(bool(x) for x in row) for v, row in zip(s, forms.itertuples(index=False), strict=True)}
    assert got == FORMS


def test_parse_numbers_with_each_mark():
    s = pd.Series(["1,234.5", "1.234,5", "1.234", "12,500", "0,75", "1 234 567", "-1", "x", "", None],
                  dtype="string")
    nan = float("nan")
    point, bad_point = parse_numbers(s, decimal=".")
    comma, bad_comma = parse_numbers(s, decimal=",")
    np.testing.assert_array_equal(point, [1234.5, nan, 1.234, 12500.0, nan, 1234567.0, nan, nan, nan, nan])
    assert bad_point.tolist() == [False, True, False, False, True, False, True, True, False, False]
    np.testing.assert_array_equal(comma, [nan, 1234.5, 1234.0, 12.5, 0.75, 1234567.0, nan, nan, nan, nan])
    assert bad_comma.tolist() == [True, False, False, False, False, False, True, True, False, False]


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_a_number_written_either_way_reads_the_same(d):
    """Any non-negative number written with a decimal point (thousands ',') or a decimal comma
    (thousands '.' or space) reads back as itself with that mark."""
    whole, frac = f"{d:.2f}".split(".")
    groups = f"{int(whole):,}"
    for text, mark in ((f"{groups}.{frac}", "."), (f"{groups.replace(',', '.')},{frac}", ","),
                       (f"{groups.replace(',', ' ')},{frac}", ","), (f"{whole}.{frac}", ".")):
        values, bad = parse_numbers(pd.Series([text]), decimal=mark)
        assert not bad.iloc[0] and values.iloc[0] == pytest.approx(float(d)), text
