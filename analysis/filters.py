"""Dashboard filters kept in the URL: parse, validate against the warehouse, write back.

Everything in a URL is hostile until checked. Each value is matched against a fixed set or an
allowlist read from the warehouse; what fails falls back to its default and is reported as a
FilterProblem (stable `code`, `allowed` values) so the page can say what it ignored. Values reach
SQL only through `Filters.bound()`, one struct bound as `$filters` and read by the warehouse's
`selected.cells` macro, never as text.

Months are `YYYY-MM`: a year >= 1900 is Gregorian, a year < 1500 is Jalali, in either display
calendar. Jalali months are converted by etl.periods (jdatetime), never by a fixed offset.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import jdatetime
import pandas as pd

from analysis.db import Warehouse, sql
from etl.periods import MIN_JYEAR, MIN_YEAR, PeriodError, gregorian_month, jalali_month
from etl.text import clean_text

LANGS = ("en", "fa", "ru")
FLOWS = ("export", "import", "both")
HS_LEVELS = ("2", "4", "6")
MEASURES = ("usd", "kg")
CALENDARS = ("gregorian", "jalali")
PARAMS = ("lang", "provinces", "flow", "from", "to", "sectors", "hs", "measure", "calendar")
SHOWN_CHARS = 60  # a value quoted in a message is cut to this length
YEARS_BEFORE = 3  # the default period starts in the first month of the year this many years before `to`

_MONTH = re.compile(r"^([0-9]{4})\s*[-/]\s*([0-9]{1,2})$")  # [0-9], not \d: \d also matches other scripts


class FilterError(ValueError):
    """A URL value that strict parsing (CLI, export) refuses."""

    def __init__(self, problem: FilterProblem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class FilterProblem:
    param: str  # the query parameter(s), e.g. 'flow' or 'from,to'
    value: str  # what the URL said, cut to SHOWN_CHARS
    message: str  # English; translate from `code`, `param`, `value` and `allowed`
    code: str  # stable: invalid_<param>, repeated_param, from_after_to, before_data, after_data
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Allowed:
    """What a URL may select, read from the warehouse."""

    provinces: tuple[str, ...]
    sectors: tuple[str, ...]
    first_day: dt.date | None  # first and last day with data; None when there is no data
    last_day: dt.date | None

    @classmethod
    def from_warehouse(cls, wh: Warehouse) -> Allowed:
        provinces = tuple(sorted(wh.query(sql("filters_provinces"))["code"].astype(str)))
        sectors = tuple(wh.query(sql("filters_sectors"))["sector"].astype(str))
        span = wh.query(sql("filters_data_range")).iloc[0]
        return cls(provinces, sectors, _as_date(span["first_day"]), _as_date(span["last_day"]))


def shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _as_date(v) -> dt.date | None:
    if v is None or pd.isna(v):
        return None
    return pd.Timestamp(v).date()


@dataclass(frozen=True)
class _Month:
    calendar: str
    year: int
    month: int

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def bounds(self) -> tuple[dt.date, dt.date]:
        convert = jalali_month if self.calendar == "jalali" else gregorian_month
        return convert(self.year, self.month)


def _parse_month(text: str) -> _Month:
    m = _MONTH.match(text)
    if not m:
        raise PeriodError("")  # the message says what is expected
    year, month = int(m[1]), int(m[2])
    if year >= 1900:
        calendar = "gregorian"
    elif year < 1500:
        calendar = "jalali"
    else:
        raise PeriodError(f"year {year} is neither Gregorian (1900 or later) nor Jalali (before 1500)")
    result = _Month(calendar, year, month)
    result.bounds()  # raises PeriodError for month 0 or 13 and for years outside etl.periods' range
    return result


def _month_containing(day: dt.date, calendar: str) -> _Month:
    if calendar == "jalali":
        j = jdatetime.date.fromgregorian(date=day)
        return _Month("jalali", j.year, j.month)
    return _Month("gregorian", day.year, day.month)


def _show(value: str) -> str:
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"


def _quote(value: str) -> str:
    # repr escapes newlines, control and bidi characters, so a message shows what was sent
    return repr(_show(value))


def _choices(values: tuple[str, ...]) -> str:
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else "".join(values)


def _invalid(param: str, value: str, expected: str, allowed: tuple[str, ...] = ()) -> FilterProblem:
    return FilterProblem(param, _show(value), f"{param}={_quote(value)} is not valid; expected {expected}",
                         f"invalid_{param}", allowed)


@dataclass(frozen=True)
class Filters:
    lang: str
    provinces: tuple[str, ...]
    flow: str
    date_from: dt.date  # first day of the from-month
    date_to: dt.date  # last day of the to-month (may pass the last day with data in a partial month)
    month_from: str  # YYYY-MM, Gregorian or Jalali by its year
    month_to: str
    sectors: tuple[str, ...]  # sorted; empty = all sectors
    hs: int
    measure: str
    calendar: str
    # the allowlists behind "all sectors" and "all provinces"; not part of the view, so not compared
    all_sectors: tuple[str, ...] = field(default=(), compare=False, repr=False)
    all_provinces: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def flows(self) -> tuple[str, ...]:
        return ("export", "import") if self.flow == "both" else (self.flow,)

    def all_provinces_selected(self) -> bool:
        return bool(self.all_provinces) and set(self.all_provinces) <= set(self.provinces)

    def to_query(self) -> dict[str, str]:
        """Every value, explicit and in a stable order, so a copied link reopens this view."""
        return {
            "lang": self.lang,
            "provinces": ",".join(sorted(self.provinces)),
            "flow": self.flow,
            "from": self.month_from,
            "to": self.month_to,
            "sectors": ",".join(sorted(self.sectors)),
            "hs": str(self.hs),
            "measure": self.measure,
            "calendar": self.calendar,
        }

    def bound(self) -> dict:
        """The filters as one struct for SQL, bound as `$filters`: the warehouse's `selected.cells`
        macro turns it into the selected cells. `sectors` lists every sector when none is selected
        (rows without a sector are in no selection); `measure` and `hs` pick columns and levels."""
        return {
            "calendar": self.calendar,
            "provinces": list(self.provinces),
            "flows": list(self.flows()),
            "sectors": list(self.sectors or self.all_sectors),
            "date_from": self.date_from,
            "date_to": self.date_to,
            "measure": self.measure,
            "hs": self.hs,
        }

    def year_earlier(self) -> Filters:
        """The same view a year earlier (29 February becomes the 28th)."""
        return dataclasses.replace(self, date_from=shift_year(self.date_from, -1), date_to=shift_year(self.date_to, -1))

    @classmethod
    def from_query(cls, params: Mapping[str, str | list[str]], allowed: Allowed) -> tuple[Filters, list[FilterProblem]]:
        """Lenient: every invalid value falls back to its default and is reported.

        `params` may be a dict or Streamlit's `st.query_params` (read with `get_all`, so a
        repeated key is seen and reported; the first value is used).
        """
        problems: list[FilterProblem] = []
        raw = {name: _single(params, name, problems) for name in PARAMS}

        lang = _choose(raw["lang"], "lang", LANGS, "en", problems)
        calendar = _choose(raw["calendar"], "calendar", CALENDARS, "jalali" if lang == "fa" else "gregorian",
                           problems)
        flow = _choose(raw["flow"], "flow", FLOWS, "both", problems)
        hs = int(_choose(raw["hs"], "hs", HS_LEVELS, "2", problems))
        measure = _choose(raw["measure"], "measure", MEASURES, "usd", problems)
        provinces = _pick(raw["provinces"], "provinces", allowed.provinces, str.upper, problems) or allowed.provinces
        sectors = _pick(raw["sectors"], "sectors", allowed.sectors, str.lower, problems)
        first, last = _period(raw["from"], raw["to"], calendar, allowed, problems)
        return cls(
            lang=lang, provinces=tuple(sorted(provinces)), flow=flow,
            date_from=first.bounds()[0], date_to=last.bounds()[1], month_from=first.label, month_to=last.label,
            sectors=tuple(sorted(sectors)), hs=hs, measure=measure, calendar=calendar,
            all_sectors=allowed.sectors, all_provinces=allowed.provinces,
        ), problems

    @classmethod
    def parse_strict(cls, params: Mapping[str, str | list[str]], allowed: Allowed) -> Filters:
        """For the CLI and exports: the first problem is an error, not a fallback."""
        filters, problems = cls.from_query(params, allowed)
        if problems:
            raise FilterError(problems[0])
        return filters


def _single(params, name: str, problems: list[FilterProblem]) -> str | None:
    """One cleaned value of a parameter, or None when absent or blank."""
    values = params.get_all(name) if hasattr(params, "get_all") else params.get(name)
    if isinstance(values, list | tuple):
        if len(values) > 1:
            shown = ", ".join(_quote(str(v)) for v in values[:3]) + (", …" if len(values) > 3 else "")
            problems.append(FilterProblem(name, _show(str(values[0])),
                                          f"{name} is given {len(values)} times ({shown}); using the first",
                                          "repeated_param"))
        values = values[0] if values else None
    if values is None:
        return None
    text = clean_text(str(values))  # Persian digits to ASCII, spaces collapsed
    return text or None


def _choose(value: str | None, param: str, choices: tuple[str, ...], default: str,
            problems: list[FilterProblem]) -> str:
    if value is None:
        return default
    if value.lower() in choices:
        return value.lower()
    problems.append(_invalid(param, value, _choices(choices), choices))
    return default


def _pick(value: str | None, param: str, allowed: tuple[str, ...], case, problems: list[FilterProblem]) -> list[str]:
    """The allowed items of a comma-separated list; unknown items are dropped and reported."""
    if value is None:
        return []
    items = [item.strip() for item in value.split(",") if item.strip()]
    known = list(dict.fromkeys(case(item) for item in items if case(item) in allowed))
    unknown = [item for item in items if case(item) not in allowed]
    if unknown:
        problems.append(_invalid(param, ",".join(unknown), _choices(allowed) if len(allowed) <= 3
                                 else "a comma-separated list of " + ", ".join(allowed), allowed))
    return known


MONTH_EXPECTED = "a month YYYY-MM, Gregorian (2024-05) or Jalali (1403-02)"


def _period(raw_from: str | None, raw_to: str | None, calendar: str, allowed: Allowed,
            problems: list[FilterProblem]) -> tuple[_Month, _Month]:
    first = _month_or_none(raw_from, "from", problems)
    last = _month_or_none(raw_to, "to", problems)
    if first and last and first.bounds()[0] > last.bounds()[1]:
        problems.append(_range_problem(first, last, "is after", "from_after_to"))
        first = last = None
    first = _clamp(first, "from", allowed, problems) if first else None
    last = _clamp(last, "to", allowed, problems) if last else None
    last = last or _default_to(calendar, allowed)
    first = first or _default_from(last, allowed)
    if first.bounds()[0] > last.bounds()[1]:  # only reachable by clamping months of two calendars
        problems.append(_range_problem(first, last, "is after", "from_after_to"))
        last = _default_to(calendar, allowed)
        first = _default_from(last, allowed)
    return first, last


def _month_or_none(value: str | None, param: str, problems: list[FilterProblem]) -> _Month | None:
    if value is None:
        return None
    try:
        return _parse_month(value)
    except PeriodError as e:
        reason = f" ({e})" if str(e) else ""
        problems.append(FilterProblem(param, _show(value),
                                      f"{param}={_quote(value)} is not valid{reason}; expected {MONTH_EXPECTED}",
                                      f"invalid_{param}", ("YYYY-MM",)))
        return None


def _range_problem(first: _Month, last: _Month, relation: str, code: str) -> FilterProblem:
    return FilterProblem("from,to", f"{first.label}..{last.label}",
                         f"from={first.label!r} {relation} to={last.label!r}; using the default period", code)


def _clamp(month: _Month, param: str, allowed: Allowed, problems: list[FilterProblem]) -> _Month:
    """A month with no day inside the data becomes the nearest month with data (same calendar)."""
    if allowed.first_day is None or allowed.last_day is None:
        return month
    start, end = month.bounds()
    if end < allowed.first_day:
        nearest, code, where = _month_containing(allowed.first_day, month.calendar), "before_data", "before"
    elif start > allowed.last_day:
        nearest, code, where = _month_containing(allowed.last_day, month.calendar), "after_data", "after"
    else:
        return month
    span = (_month_containing(allowed.first_day, month.calendar).label,
            _month_containing(allowed.last_day, month.calendar).label)
    problems.append(FilterProblem(param, month.label,
                                  f"{param}={month.label!r} is {where} the data ({span[0]} to {span[1]}); "
                                  f"using {nearest.label}", code, span))
    return nearest


def _default_to(calendar: str, allowed: Allowed) -> _Month:
    """The last month with data, in the display calendar."""
    if allowed.last_day is not None:
        return _month_containing(allowed.last_day, calendar)
    # no data at all: the last complete month before today, so the page still opens
    return _month_containing(dt.date.today().replace(day=1) - dt.timedelta(days=1), calendar)


def _default_from(last: _Month, allowed: Allowed) -> _Month:
    """The first month of the year YEARS_BEFORE years before `last`, not before the data."""
    lowest = MIN_JYEAR if last.calendar == "jalali" else MIN_YEAR
    first = _Month(last.calendar, max(last.year - YEARS_BEFORE, lowest), 1)
    if allowed.first_day is not None and first.bounds()[1] < allowed.first_day:
        first = _month_containing(allowed.first_day, last.calendar)
    return first
