"""Normalisers of numbers, digits, HS codes and Jalali dates (hypothesis)."""

from __future__ import annotations

import datetime as dt

import jdatetime
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from etl.periods import MAX_JYEAR, MIN_JYEAR, PeriodError, jalali_month, parse_gregorian, parse_jalali
from etl.text import MAX_NUMBER, clean_text, parse_hs, parse_numbers

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
    values, _ = parse_numbers(pd.Series([grouped.replace(",", " ") + ",5"]), decimal_comma=True)
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
