"""Languages of the dashboard: UI strings, numbers, percentages and calendars.

Pure functions, no Streamlit, no warehouse (reference names in three languages are in
analysis.names). Three languages: English, Persian (right-to-left, Persian digits,
Jalali dates by default on the page) and Russian.

Conventions (one place, so every page says numbers the same way):

* Numbers: en ``1,234,567.8``; ru ``1 234 567,8`` with U+00A0 NO-BREAK SPACE as the thousands
  separator (CLDR's separator for ``ru``; U+202F is missing from some office fonts); fa
  ``۱٬۲۳۴٬۵۶۷٫۸`` (Persian digits, U+066C thousands and U+066B decimal separators).
* Between a number and its unit or scale word a U+00A0 NO-BREAK SPACE, in every language, so a KPI
  never wraps inside "12,3 млн $"; Russian also puts one before "%" (``12,3 %``).
* Signs: negatives carry U+2212 MINUS SIGN (not the hyphen) in every language; ``signed=True`` adds
  "+" to positives. A value that rounds to zero carries no sign (never "−0"). Strings are display
  strings: downloads carry raw numbers.
* Right-to-left: the sign stays at the logical start ("−۱۲٫۳٪", "+۱۲٫۳٪") and no invisible bidi
  marks are inserted (they break copy-paste and tests). Persian digits are bidi class EN, so an
  unsigned number displays correctly inside Persian text; a *signed* one would show its sign on the
  right, so the page wraps it in ``<span dir="ltr">`` or, where HTML is not available (Plotly
  labels), in ``ltr(text)`` (U+2066 … U+2069 isolate).
* Percentages take a ratio (0.123 -> "12.3%"), like analysis.indicators returns.
* Missing values (None, NaN, pd.NA, ±inf) are "—".
* Month names: nominative, capitalised, for labels ("Март 2024", "Фарвардин 1403"); Russian dates
  inside a sentence use the genitive, lowercase ("20 марта 2024 г.", "1 фарвардина 1403 г.").
  Jalali dates come from jdatetime, never from a fixed offset.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from functools import cache
from pathlib import Path

import jdatetime
import pandas as pd

LANGS = ("en", "fa", "ru")
LANG_NAMES = {"en": "English", "fa": "فارسی", "ru": "Русский"}  # each in its own language, for the switch
CALENDARS = ("gregorian", "jalali")
MEASURES = ("usd", "kg")
LOCALE_DIR = Path(__file__).resolve().parent / "locales"

DASH = "—"
MINUS = "\u2212"
NBSP = "\u00a0"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
FA_DECIMAL = "\u066b"  # ٫
FA_THOUSANDS = "\u066c"  # ٬
FA_PERCENT = "\u066a"  # ٪

# From Python's "1,234.5" to each language's separators (applied at once, so ',' and '.' can swap).
_SEPARATORS = {
    "en": str.maketrans({}),
    "ru": str.maketrans({",": NBSP, ".": ","}),
    "fa": str.maketrans({",": FA_THOUSANDS, ".": FA_DECIMAL, **{str(i): d for i, d in enumerate(PERSIAN_DIGITS)}}),
}
_FA_DIGITS = str.maketrans({str(i): d for i, d in enumerate(PERSIAN_DIGITS)})
_SEP_IN_NUMBER = re.compile(r"(?<=[0-9])[.,](?=[0-9])")

# Compact scales: (power of 1000, money pattern, tonnes pattern); {n} is the formatted number.
_COMPACT = {
    "en": {
        "usd": ("${n}", "${n}K", "${n}M", "${n}B"),
        "kg": ("{n} t", "{n} thousand t", "{n} million t", "{n} billion t"),
    },
    "ru": {
        "usd": ("{n} $", "{n} тыс. $", "{n} млн $", "{n} млрд $"),
        "kg": ("{n} т", "{n} тыс. т", "{n} млн т", "{n} млрд т"),
    },
    "fa": {
        "usd": ("{n} دلار", "{n} هزار دلار", "{n} میلیون دلار", "{n} میلیارد دلار"),
        "kg": ("{n} تن", "{n} هزار تن", "{n} میلیون تن", "{n} میلیارد تن"),
    },
}

# Axis ticks: the axis title names the unit, so Persian and Russian ticks carry only the scale word
_AXIS = {
    "en": {"usd": _COMPACT["en"]["usd"], "kg": ("{n}", "{n}K", "{n}M", "{n}B")},
    "ru": {"usd": ("{n}", "{n} тыс.", "{n} млн", "{n} млрд"), "kg": ("{n}", "{n} тыс.", "{n} млн", "{n} млрд")},
    "fa": {"usd": ("{n}", "{n} هزار", "{n} میلیون", "{n} میلیارد"), "kg": ("{n}", "{n} هزار", "{n} میلیون",
                                                                       "{n} میلیارد")},
}

_MONTHS = {
    ("gregorian", "en"): tuple("January February March April May June July August September October November "
                               "December".split()),
    ("gregorian", "ru"): tuple("Январь Февраль Март Апрель Май Июнь Июль Август Сентябрь Октябрь Ноябрь "
                               "Декабрь".split()),
    ("gregorian", "fa"): tuple("ژانویه فوریه مارس آوریل مه ژوئن ژوئیه اوت سپتامبر اکتبر نوامبر دسامبر".split()),
    ("jalali", "en"): tuple("Farvardin Ordibehesht Khordad Tir Mordad Shahrivar Mehr Aban Azar Dey Bahman "
                            "Esfand".split()),
    ("jalali", "ru"): tuple("Фарвардин Ордибехешт Хордад Тир Мордад Шахривар Мехр Абан Азар Дей Бахман Эсфанд".split()),
    ("jalali", "fa"): tuple("فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند".split()),
}
# Short Gregorian names for chart axes; Jalali months (and Persian) have no established short form.
_MONTHS_SHORT = {
    ("gregorian", "en"): tuple("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()),
    ("gregorian", "ru"): tuple("янв фев мар апр май июн июл авг сен окт ноя дек".split()),
}
# Russian dates need the genitive: "20 марта 2024 г.", "1 фарвардина 1403 г.".
_MONTHS_GENITIVE_RU = {
    "gregorian": tuple("января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()),
    "jalali": tuple("фарвардина ордибехешта хордада тира мордада шахривара мехра абана азара дея бахмана "
                    "эсфанда".split()),
}
assert all(len(names) == 12 for table in (_MONTHS, _MONTHS_SHORT, _MONTHS_GENITIVE_RU) for names in table.values())


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
    return lang


def _check_calendar(calendar: str) -> str:
    if calendar not in CALENDARS:
        raise ValueError(f"unknown calendar {calendar!r}; expected one of {CALENDARS}")
    return calendar


def is_rtl(lang: str) -> bool:
    return check_lang(lang) == "fa"


def ltr(text: str) -> str:
    """`text` as a left-to-right isolate (U+2066 … U+2069), for signed numbers in RTL chart labels."""
    return f"\u2066{text}\u2069"


# ---------------------------------------------------------------- UI strings


@cache
def _strings(lang: str) -> dict[str, str]:
    with open(LOCALE_DIR / f"{check_lang(lang)}.json", encoding="utf-8") as fh:
        return json.load(fh)


def keys(lang: str) -> tuple[str, ...]:
    """Every key of the language's locale file, sorted."""
    return tuple(sorted(_strings(lang)))


def t(key: str, lang: str, **fmt) -> str:
    """The UI string for `key` in `lang`, with `{placeholders}` filled from `fmt`.

    An unknown key, or a placeholder missing from `fmt`, raises KeyError. Values are inserted as
    given: format numbers and dates with the fmt_* and *_label functions first.
    """
    return _strings(lang)[key].format_map(fmt)


def label(prefix: str, key: str, lang: str) -> str:
    """The UI name of a value the data brings (a method, a status): `prefix.key` in `lang`, else in
    English, else the key itself with spaces for underscores. Never raises on a value from the data."""
    for strings in (_strings(lang), _strings("en")):
        if f"{prefix}.{key}" in strings:
            return strings[f"{prefix}.{key}"]
    return str(key).replace("_", " ")


def methods_label(methods: pd.DataFrame, lang: str) -> str:
    """How an estimate was made, in words: the methods that carry its value (analysis.queries.methods:
    method, share), largest first, each with its share when there are several — "estimated
    (proportional allocation) 83%, direct observation 17%". Without any estimated value, the
    methods of the cells shown."""
    return shares_label("method", methods["method"], methods["share"], lang)


def shares_label(prefix: str, keys, shares, lang: str) -> str:
    """Values from the data (methods, ψ sources) in words with their shares, in the order given:
    those that carry a share, each named by `label(prefix, key)` with its share when there are
    several; without any share, all of them by name."""
    pairs = [(k, s) for k, s in zip(keys, shares, strict=True) if k is not None and k == k]
    carrying = [(k, s) for k, s in pairs if s == s and s is not None and s > 0]
    if len(carrying) == 1 or not carrying:
        return join_list([label(prefix, k, lang) for k, _ in (carrying or pairs)], lang)
    return join_list([f"{label(prefix, k, lang)} {fmt_percent(s, lang, decimals=0 if s >= 0.01 else 1)}"
                      for k, s in carrying], lang)


def how_estimated(methods: pd.DataFrame, psi_sources: pd.DataFrame, nowcast_from: pd.DataFrame, lang: str) -> str:
    """How the estimate in view was made, in words, from analysis.queries.methods, .psi_sources and
    .nowcast_from: the methods with their shares, where ψ came from, and the months Volgograd's side
    is nowcast from (Russian customs' months, so Gregorian in every calendar)."""
    parts = [t("note.methods", lang, method=methods_label(methods, lang))]
    if len(psi_sources):
        parts.append(t("note.psi", lang, psi=shares_label("psi_source", psi_sources["psi_source"],
                                                          psi_sources["share"], lang)))
    if len(nowcast_from):
        months = [month_label(d.year, d.month, "gregorian", lang) for d in pd.to_datetime(nowcast_from["nowcast_from"])]
        if lang == "ru":  # a month's name is lower case inside a Russian sentence
            months = [m[:1].lower() + m[1:] for m in months]
        parts.append(t("note.nowcast", lang, months=join_list(months, lang)))
    return " ".join(parts)


def join_list(items: list[str], lang: str) -> str:
    return ("، " if lang == "fa" else ", ").join(items)


# ---------------------------------------------------------------- numbers


def to_local_digits(text: str, lang: str) -> str:
    """For fa: ASCII digits to Persian, and '.'/',' between two digits to '٫'/'٬'. Unchanged otherwise.

    Apply it only to text the caller knows is a number or a date: it would also turn a URL's
    "v1.2" or an HS code into Persian digits.
    """
    if check_lang(lang) != "fa":
        return text
    text = _SEP_IN_NUMBER.sub(lambda m: FA_DECIMAL if m.group() == "." else FA_THOUSANDS, text)
    return text.translate(_FA_DIGITS)


def _finite(x) -> float | None:
    if x is None or x is pd.NA or x is pd.NaT:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _sign(rounded_zero: bool, negative: bool, signed: bool) -> str:
    if rounded_zero:
        return ""
    if negative:
        return MINUS
    return "+" if signed else ""


def _digits(v: float, lang: str, decimals: int) -> tuple[str, bool]:
    """abs(v) grouped in `lang`'s separators, and whether it rounds to zero."""
    s = f"{abs(v):,.{decimals}f}"
    return s.translate(_SEPARATORS[lang]), float(s.replace(",", "")) == 0


def fmt_number(x, lang: str, decimals: int = 0, signed: bool = False) -> str:
    """1234567.8 -> en "1,234,567.8", ru "1 234 567,8" (U+00A0), fa "۱٬۲۳۴٬۵۶۷٫۸"; missing -> "—"."""
    check_lang(lang)
    v = _finite(x)
    if v is None:
        return DASH
    body, zero = _digits(v, lang, decimals)
    return _sign(zero, v < 0, signed) + body


def fmt_axis(x, lang: str, measure: str = "usd") -> str:
    """An axis tick: as fmt_compact, but the unit is left to the axis title ("۵۰ میلیون", "50 млн")."""
    text = fmt_compact(x, lang, measure, patterns=_AXIS)
    zero = {"en": ".0", "ru": ",0", "fa": "٫۰"}[lang]  # round ticks: "50K", not "50.0K"
    return re.sub(re.escape(zero) + r"(?![0-9۰-۹])", "", text)


def fmt_compact(x, lang: str, measure: str = "usd", signed: bool = False, patterns: dict | None = None) -> str:
    """A headline amount: money ("$12.3M", "12,3 млн $", "۱۲٫۳ میلیون دلار") or, for measure="kg",
    tonnes ("12.3 thousand t", "12,3 тыс. т", "۱۲٫۳ هزار تن"); `x` is in USD or kg.

    One decimal once scaled to thousands, millions or billions; below a thousand whole units
    ("$950", "950 t"), except under 10 t, which keep one decimal ("0.3 t"). The scale is chosen
    after rounding, so 999,960 is "$1.0M", not "$1,000.0K". Negative values (a balance) keep the sign.
    """
    check_lang(lang)
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; expected one of {MEASURES}")
    v = _finite(x)
    if v is None:
        return DASH
    units = abs(v) / 1000 if measure == "kg" else abs(v)
    scale = 0
    decimals = 1 if (measure == "kg" and round(units, 1) < 10) else 0
    while scale < 3 and round(units / 1000**scale, decimals) >= 1000:
        scale += 1
        decimals = 1
    body, zero = _digits(units / 1000**scale, lang, decimals)
    pattern = (patterns or _COMPACT)[lang][measure][scale]
    return _sign(zero, v < 0, signed) + pattern.format(n=body).replace(" ", NBSP)


def fmt_percent(x, lang: str, decimals: int = 1, signed: bool = False) -> str:
    """A ratio as a percentage: 0.123 -> en "12.3%", ru "12,3 %" (U+00A0), fa "۱۲٫۳٪".

    With signed=True: "+12.3%", "+12,3 %", "+۱۲٫۳٪"; negatives always carry "−" (U+2212) at the
    logical start — in Persian the page shows a signed value inside an LTR span (see module doc).
    """
    check_lang(lang)
    v = _finite(x)
    if v is None:
        return DASH
    body, zero = _digits(v * 100, lang, decimals)
    suffix = {"en": "%", "ru": NBSP + "%", "fa": FA_PERCENT}[lang]
    return _sign(zero, v < 0, signed) + body + suffix


# ---------------------------------------------------------------- calendars


def month_name(month: int, calendar: str, lang: str, short: bool = False) -> str:
    """Nominative, capitalised: ("gregorian", "ru") 1 -> "Январь"; ("jalali", "en") 7 -> "Mehr";
    short=True: "Jan", "янв" where a short form is established (Gregorian en/ru), else the full name."""
    check_lang(lang)
    if not 1 <= int(month) <= 12:
        raise ValueError(f"month {month!r} is not 1–12")
    table = _MONTHS_SHORT if short and (_check_calendar(calendar), lang) in _MONTHS_SHORT else _MONTHS
    return table[_check_calendar(calendar), lang][int(month) - 1]


def year_label(year: int, lang: str) -> str:
    """The year without grouping, in the language's digits: 1403 -> "۱۴۰۳" in fa."""
    return to_local_digits(str(int(year)), lang)


def month_label(year: int, month: int, calendar: str, lang: str, short: bool = False) -> str:
    """ "Mehr 1402", "مهر ۱۴۰۲", "Март 2024"; short=True: "Mar 2024", "мар 2024" (Gregorian en/ru
    only; Jalali months and Persian have no established short forms, so they stay long)."""
    return f"{month_name(month, calendar, lang, short)} {year_label(year, lang)}"


def date_label(date: dt.date, calendar: str, lang: str) -> str:
    """A day: "20 March 2024", "20 марта 2024 г.", "۱ فروردین ۱۴۰۳" (Jalali via jdatetime)."""
    check_lang(lang)
    if _check_calendar(calendar) == "jalali":
        j = jdatetime.date.fromgregorian(date=date)
        y, m, d = j.year, j.month, j.day
    else:
        y, m, d = date.year, date.month, date.day
    if lang == "ru":
        return f"{d} {_MONTHS_GENITIVE_RU[calendar][m - 1]} {y}{NBSP}г."
    return f"{year_label(d, lang)} {month_name(m, calendar, lang)} {year_label(y, lang)}"
