"""Periods as sources write them -> Gregorian first and last day.

Jalali months move against Gregorian ones (the year starts on 20 or 21 March), so every
conversion goes through jdatetime — never a fixed offset. Functions work on the distinct
labels of a column and map back, because a file repeats few periods many times.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import jdatetime
import pandas as pd

from etl.text import map_distinct

# Years an observation may carry. The Jalali range lies inside the Gregorian one (1369 starts on
# 1990-03-21, 1478 ends on 2100-03-20), so every accepted day has a month in both calendars' tables.
MIN_YEAR, MAX_YEAR = 1990, 2100
MIN_JYEAR, MAX_JYEAR = 1369, 1478


class PeriodError(ValueError):
    pass


def jalali_month(year: int, month: int) -> tuple[dt.date, dt.date]:
    if not MIN_JYEAR <= year <= MAX_JYEAR:
        raise PeriodError(f"Jalali year {year} is outside {MIN_JYEAR}–{MAX_JYEAR}")
    if not 1 <= month <= 12:
        raise PeriodError(f"month {month} does not exist; expected 1–12")
    return _jalali_month(year, month)


def _jalali_month(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = jdatetime.date(year, month, 1).togregorian()
    nxt = jdatetime.date(year + (month == 12), month % 12 + 1, 1).togregorian()
    return start, nxt - dt.timedelta(days=1)


def jalali_year(year: int) -> tuple[dt.date, dt.date]:
    return jalali_month(year, 1)[0], jalali_month(year, 12)[1]


def jalali_day(year: int, month: int, day: int) -> tuple[dt.date, dt.date]:
    """A full Jalali date counts in its month; the date itself must exist."""
    start, end = jalali_month(year, month)
    days = (end - start).days + 1
    if not 1 <= day <= days:
        leap = " (not a leap year)" if month == 12 and day == 30 else ""
        raise PeriodError(f"{year}/{month:02d}/{day:02d} is not a Jalali date: month {month} of {year} "
                          f"has {days} days{leap}")
    return start, end


def gregorian_month(year: int, month: int) -> tuple[dt.date, dt.date]:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
    if not 1 <= month <= 12:
        raise PeriodError(f"month {month} does not exist; expected 1–12")
    return _gregorian_month(year, month)


def _gregorian_month(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return start, nxt - dt.timedelta(days=1)


def gregorian_year(year: int) -> tuple[dt.date, dt.date]:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


_J_MONTH = re.compile(r"^(\d{4})\s*[/\-.]\s*(\d{1,2})$")
_J_DAY = re.compile(r"^(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


def parse_jalali(label: str) -> tuple[dt.date, dt.date, str]:
    """'1403' | '1403/05' | '1403/05/12' (cleaned ASCII digits) -> (start, end, freq)."""
    if m := _YEAR.match(label):
        return (*jalali_year(int(m[1])), "A")
    if m := _J_MONTH.match(label):
        return (*jalali_month(int(m[1]), int(m[2])), "M")
    if m := _J_DAY.match(label):
        return (*jalali_day(int(m[1]), int(m[2]), int(m[3])), "M")
    raise PeriodError("expected a Jalali year (1403), month (1403/05) or date (1403/05/12)")


_G_MONTH_FIRST = re.compile(r"^(\d{1,2})\s*[/.]\s*(\d{4})$")  # 01/2021 (FCS)
_G_YEAR_FIRST = re.compile(r"^(\d{4})\s*-\s*(\d{1,2})$")  # 2021-01


def parse_gregorian(label: str) -> tuple[dt.date, dt.date, str]:
    """'2021' | '01/2021' | '2021-01' -> (start, end, freq)."""
    if m := _YEAR.match(label):
        return (*gregorian_year(int(m[1])), "A")
    if m := _G_MONTH_FIRST.match(label):
        return (*gregorian_month(int(m[2]), int(m[1])), "M")
    if m := _G_YEAR_FIRST.match(label):
        return (*gregorian_month(int(m[1]), int(m[2])), "M")
    raise PeriodError("expected a year (2021), MM/YYYY (01/2021) or YYYY-MM (2021-01)")


def parse_column(labels: pd.Series, parser) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Apply a label parser to a column: (start, end, freq, error message or NA)."""
    labels = labels.astype("string")

    def parse(label: str) -> tuple:
        try:
            return (*parser(label), None)
        except PeriodError as e:
            return (None, None, None, str(e))

    parsed = map_distinct(labels, parse)
    parts = [pd.Series([p[i] if p is not None else None for p in parsed], index=labels.index) for i in range(4)]
    start = pd.to_datetime(parts[0]).astype("datetime64[s]")
    end = pd.to_datetime(parts[1]).astype("datetime64[s]")
    freq = parts[2].astype("string")
    err = parts[3].astype("string")
    err = err.mask(labels.isna() | (labels.str.strip() == ""), "a period is required")
    return start, end, freq, err


# The warehouse's month tables: every month holding a day the adapters accept, in both calendars
# (Gregorian 1990–2100 runs from Jalali 1368/10 to 1479/10), so no observation falls outside the grid.
CALENDAR_YEARS = {"gregorian": (MIN_YEAR, MAX_YEAR), "jalali": (MIN_JYEAR - 1, MAX_JYEAR + 1)}


@functools.cache
def calendar_months() -> tuple[tuple, ...]:
    """Every month of both calendars over the supported years:
    (calendar, month_start, month_end, year, month, label) — the grid's time axis. Made once (the
    dashboard's period slider asks on every script run; 1,300 Jalali months take ≈ 70 ms)."""
    rows = []
    for year in range(CALENDAR_YEARS["gregorian"][0], CALENDAR_YEARS["gregorian"][1] + 1):
        for month in range(1, 13):
            rows.append(("gregorian", *_gregorian_month(year, month), year, month, f"{year}-{month:02d}"))
    for year in range(CALENDAR_YEARS["jalali"][0], CALENDAR_YEARS["jalali"][1] + 1):
        for month in range(1, 13):
            rows.append(("jalali", *_jalali_month(year, month), year, month, f"{year}-{month:02d}"))
    return tuple(rows)


def parse_published(period: str, calendar: str) -> tuple[dt.date, dt.date] | None:
    """A published figure's period ('2018', '2025-09', '1401', '1399-01..1399-07') as dates;
    None when it names no period ('annual', empty)."""
    parse = parse_jalali if calendar == "jalali" else parse_gregorian
    parts = [p.strip() for p in period.split("..")] if period else []
    try:
        spans = [parse(p if calendar != "jalali" else p.replace("-", "/")) for p in parts]
    except PeriodError:
        return None
    if not spans:
        return None
    return spans[0][0], spans[-1][1]
