"""Languages: locale files, number and date formats in en/fa/ru, labels of values from the data, reference
names from a real warehouse."""

from __future__ import annotations

import datetime as dt
import re
import string

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import i18n
from analysis.db import Warehouse, identity
from analysis.i18n import (
    LANGS,
    date_label,
    fmt_compact,
    fmt_number,
    fmt_percent,
    is_rtl,
    keys,
    month_label,
    month_name,
    t,
    to_local_digits,
    year_label,
)
from analysis.names import Names

NB = "\u00a0"  # Russian thousands separator and number-unit space
M = "\u2212"  # minus sign
REQUIRED_KEYS = """
app.title app.subtitle nav.overview nav.sectors nav.trends nav.gaps nav.routes nav.data banner.sample
stamp.data_as_of filter.heading filter.language filter.provinces filter.flow flow.export flow.import flow.both
filter.period filter.from filter.to filter.sectors filter.sectors_all filter.hs hs.2 hs.4 hs.6 filter.measure
measure.usd measure.kg filter.calendar calendar.gregorian calendar.jalali filter.copy_link filter.problem
metric.exports metric.imports metric.turnover metric.balance metric.yoy metric.likely metric.possible
method.proportional method.direct method.one_side method.bounds_only method.reported method.mirror method.calibrated
method.nowcast
psi_source.direct psi_source.regression psi_source.pooled psi_source.default provenance.estimate empty.no_data
empty.no_warehouse error.warehouse_corrupt source.iran_customs source.russia_customs source.comtrade source.manual
unit.usd unit.tonnes
""".split()


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# ---------------------------------------------------------------- locale files


def test_every_key_in_every_language_with_the_same_placeholders():
    assert set(REQUIRED_KEYS) <= set(keys("en"))
    for lang in LANGS:
        assert keys(lang) == keys("en"), lang
        for key in keys("en"):
            assert placeholders(t_raw(key, lang)) == placeholders(t_raw(key, "en")), (lang, key)


def t_raw(key: str, lang: str) -> str:
    return i18n._strings(lang)[key]


@pytest.mark.parametrize("lang", LANGS)
def test_locale_files_are_flat_sorted_and_non_empty(lang):
    raw = i18n._strings(lang)
    assert list(raw) == sorted(raw)
    for key, text in raw.items():
        assert re.fullmatch(r"[a-z0-9_]+\.[a-z0-9_]+", key), key
        assert isinstance(text, str) and text.strip(), key


def test_persian_strings_use_persian_letters_not_arabic():
    for key in keys("fa"):
        text = t_raw(key, "fa")
        assert "ي" not in text and "ك" not in text, key
        assert not re.search("[0-9٠-٩]", text), key  # any digit in Persian UI text is Persian


def test_russian_and_persian_are_translated():
    for lang, script in (("fa", "[\u0600-\u06ff]"), ("ru", "[а-яё]")):
        untranslated = [k for k in keys(lang) if not re.search(script, t_raw(k, lang), re.I)]
        assert set(untranslated) <= {"source.comtrade"}, (lang, untranslated)  # a proper name may stay Latin


def test_t_fills_placeholders_and_raises_on_unknown_keys():
    assert t("app.title", "en") == "Caspian Trade Monitor"
    assert t("stamp.data_as_of", "ru", built="2024-03-20", version="v1") == "Данные на 2024-03-20 · версия v1"
    assert "{" not in t("filter.problem", "fa", param="flow", value="x", allowed="export, import")
    with pytest.raises(KeyError):
        t("no.such_key", "en")
    with pytest.raises(KeyError):
        t("stamp.data_as_of", "en")  # a placeholder left unfilled is a bug too
    with pytest.raises(ValueError):
        t("app.title", "de")


def test_rtl():
    assert [is_rtl(lang) for lang in LANGS] == [False, True, False]


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "x, lang, decimals, expected",
    [
        (1234567.8, "en", 1, "1,234,567.8"),
        (1234567.8, "ru", 1, f"1{NB}234{NB}567,8"),
        (1234567.8, "fa", 1, "۱٬۲۳۴٬۵۶۷٫۸"),
        (1234567.8, "en", 0, "1,234,568"),
        (-1234.5, "en", 2, f"{M}1,234.50"),
        (-1234.5, "fa", 0, f"{M}۱٬۲۳۴"),
        (999, "ru", 0, "999"),
        (-0.04, "en", 1, "0.0"),  # rounds to zero: no "−0.0"
        (0, "fa", 0, "۰"),
        (None, "en", 0, "—"),
        (float("nan"), "ru", 1, "—"),
        (pd.NA, "fa", 0, "—"),
        (float("inf"), "en", 0, "—"),
    ],
)
def test_fmt_number(x, lang, decimals, expected):
    assert fmt_number(x, lang, decimals) == expected


def test_fmt_number_signed():
    assert fmt_number(12, "en", signed=True) == "+12"
    assert fmt_number(-12, "ru", signed=True) == f"{M}12"
    assert fmt_number(0, "en", signed=True) == "0"


def parse_back(text: str, lang: str) -> float:
    thousands, decimal = {"en": (",", "."), "ru": (NB, ","), "fa": ("٬", "٫")}[lang]
    text = text.replace(thousands, "").replace(decimal, ".").replace(M, "-")
    return float(text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")))


@given(
    st.floats(min_value=-1e13, max_value=1e13, allow_nan=False),
    st.integers(min_value=0, max_value=3),
    st.sampled_from(LANGS),
)
def test_fmt_number_parses_back_to_the_rounded_number(x, decimals, lang):
    text = fmt_number(x, lang, decimals)
    assert re.fullmatch(r"[0-9۰-۹.,\u00a0٬٫\u2212]+", text)
    assert parse_back(text, lang) == round(x, decimals)


@pytest.mark.parametrize(
    "x, lang, measure, expected",
    [
        (12_345_678, "en", "usd", "$12.3M"),
        (12_345_678, "ru", "usd", f"12,3{NB}млн{NB}$"),
        (12_345_678, "fa", "usd", f"۱۲٫۳{NB}میلیون{NB}دلار"),
        (12_300, "en", "usd", "$12.3K"),
        (12_300, "ru", "usd", f"12,3{NB}тыс.{NB}$"),
        (12_300, "fa", "usd", f"۱۲٫۳{NB}هزار{NB}دلار"),
        (1_234_000_000, "en", "usd", "$1.2B"),
        (1_234_000_000, "ru", "usd", f"1,2{NB}млрд{NB}$"),
        (1_234_000_000, "fa", "usd", f"۱٫۲{NB}میلیارد{NB}دلار"),
        (950, "en", "usd", "$950"),
        (950, "ru", "usd", f"950{NB}$"),
        (999_960, "en", "usd", "$1.0M"),  # the scale is chosen after rounding
        (-12_345_678, "en", "usd", f"{M}$12.3M"),
        (-12_345_678, "ru", "usd", f"{M}12,3{NB}млн{NB}$"),
        (-12_345_678, "fa", "usd", f"{M}۱۲٫۳{NB}میلیون{NB}دلار"),
        (12_300_000, "en", "kg", f"12.3{NB}thousand{NB}t"),
        (12_300_000, "ru", "kg", f"12,3{NB}тыс.{NB}т"),
        (12_300_000, "fa", "kg", f"۱۲٫۳{NB}هزار{NB}تن"),
        (4_500_000_000, "en", "kg", f"4.5{NB}million{NB}t"),
        (950_000, "ru", "kg", f"950{NB}т"),
        (300, "en", "kg", f"0.3{NB}t"),
        (float("nan"), "en", "usd", "—"),
        (None, "fa", "kg", "—"),
    ],
)
def test_fmt_compact(x, lang, measure, expected):
    assert fmt_compact(x, lang, measure) == expected


def test_fmt_compact_refuses_an_unknown_measure():
    with pytest.raises(ValueError):
        fmt_compact(1, "en", "litres")


@pytest.mark.parametrize(
    "x, lang, signed, expected",
    [
        (0.123, "en", True, "+12.3%"),
        (0.123, "ru", True, f"+12,3{NB}%"),
        (0.123, "fa", True, "+۱۲٫۳٪"),
        (0.123, "fa", False, "۱۲٫۳٪"),
        (-0.05, "en", False, f"{M}5.0%"),
        (-0.05, "fa", True, f"{M}۵٫۰٪"),
        (-0.0001, "en", True, "0.0%"),
        (float("nan"), "ru", True, "—"),
    ],
)
def test_fmt_percent(x, lang, signed, expected):
    assert fmt_percent(x, lang, signed=signed) == expected


def test_to_local_digits_only_touches_numbers():
    assert to_local_digits("1,234.5 and 2024", "fa") == "۱٬۲۳۴٫۵ and ۲۰۲۴"
    assert to_local_digits("end. Then, 3", "fa") == "end. Then, ۳"
    assert to_local_digits("1,234.5", "ru") == "1,234.5"
    assert year_label(1403, "fa") == "۱۴۰۳" and year_label(2024, "ru") == "2024"


# ---------------------------------------------------------------- calendars


def test_month_names():
    assert month_name(1, "gregorian", "ru") == "Январь"
    assert month_name(5, "gregorian", "fa") == "مه"
    assert month_name(7, "jalali", "en") == "Mehr"
    assert month_name(12, "jalali", "ru") == "Эсфанд"
    assert month_name(1, "jalali", "fa") == "فروردین"
    for calendar in ("gregorian", "jalali"):
        for lang in LANGS:
            assert len({month_name(m, calendar, lang) for m in range(1, 13)}) == 12
    with pytest.raises(ValueError):
        month_name(13, "jalali", "en")


def test_month_labels():
    assert month_label(1402, 7, "jalali", "en") == "Mehr 1402"
    assert month_label(1402, 7, "jalali", "fa") == "مهر ۱۴۰۲"
    assert month_label(2024, 3, "gregorian", "ru") == "Март 2024"
    assert month_label(2024, 3, "gregorian", "ru", short=True) == "мар 2024"
    assert month_label(2024, 3, "gregorian", "en", short=True) == "Mar 2024"
    assert month_label(2024, 3, "gregorian", "fa", short=True) == month_label(2024, 3, "gregorian", "fa")
    assert month_label(1403, 1, "jalali", "ru", short=True) == "Фарвардин 1403"


@pytest.mark.parametrize(
    "day, lang, expected",
    [
        (dt.date(2024, 3, 20), "en", "1 Farvardin 1403"),
        (dt.date(2024, 3, 20), "fa", "۱ فروردین ۱۴۰۳"),
        (dt.date(2024, 3, 20), "ru", f"1 фарвардина 1403{NB}г."),
        (dt.date(2025, 3, 21), "en", "1 Farvardin 1404"),
        (dt.date(2025, 3, 20), "en", "30 Esfand 1403"),  # 1403 is a leap year: no fixed offset gets this
        (dt.date(2023, 10, 23), "fa", "۱ آبان ۱۴۰۲"),
    ],
)
def test_jalali_dates(day, lang, expected):
    assert date_label(day, "jalali", lang) == expected


def test_gregorian_dates():
    day = dt.date(2024, 3, 20)
    assert date_label(day, "gregorian", "en") == "20 March 2024"
    assert date_label(day, "gregorian", "ru") == f"20 марта 2024{NB}г."
    assert date_label(day, "gregorian", "fa") == "۲۰ مارس ۲۰۲۴"


# ---------------------------------------------------------------- names


@pytest.fixture(scope="module")
def names(sample_warehouse) -> Names:
    wh = Warehouse(identity(sample_warehouse))
    try:
        return Names.from_warehouse(wh)
    finally:
        wh.close()


def test_names_from_the_sample_warehouse(names):
    expected = {
        ("region", "IR-02"): ("Mazandaran", "مازندران", "Мазендеран"),
        ("region", "RU-VGG"): ("Volgograd oblast", "استان ولگاگراد", "Волгоградская область"),
        ("country", "RU"): ("Russia", "روسیه", "Россия"),
        ("sector", "flowers_plants"): ("Flowers & plants", "گل و گیاه", "Цветы и растения"),
        ("mode", "rail"): ("Rail", "ریلی", "Железнодорожный"),
        ("office", "incheh_borun"): ("Incheh Borun rail crossing", "گمرک اینچه برون", "Инче-Бурун (ж/д переход)"),
    }
    for (kind, code), by_lang in expected.items():
        for lang, name in zip(LANGS, by_lang, strict=True):
            assert names.name(kind, code, lang) == name, (kind, code, lang)
    assert names.version
    for lang in LANGS:
        assert names.chapter("08", lang) not in ("08", "")
        assert names.section("II", lang) != "II"
        assert names.place("bandar_anzali", lang) != "bandar_anzali"
    assert re.search("[\u0600-\u06ff]", names.chapter("08", "fa"))
    assert re.search("[а-я]", names.chapter("08", "ru"))


def test_product_names(names):
    assert names.product("08", "ru") == names.chapter("08", "ru")
    assert names.product("0805", "en") == names.hs_en["0805"]
    assert names.product("0805", "fa") == names.chapter("08", "fa") + " — 0805"
    assert names.product("080510", "ru") == names.chapter("08", "ru") + " — 080510"


def test_unknown_codes_fall_back_to_the_code(names):
    for lang in LANGS:
        assert names.region("XX-99", lang) == "XX-99"
        assert names.office("nowhere", lang) == "nowhere"
        assert names.product("0099", lang) == "0099"  # no chapter 00
        assert names.country(None, lang) == "—"
    with pytest.raises(ValueError):
        names.region("IR-02", "de")


def test_labels_of_values_from_the_data_fall_back():
    assert i18n.label("method", "proportional", "ru") == t("method.proportional", "ru")
    assert i18n.label("method", "nowcast", "fa") == t("method.nowcast", "fa") != t("method.nowcast", "en")
    assert i18n.label("psi_source", "pooled", "ru") == t("psi_source.pooled", "ru")
    assert i18n.label("method", "backcast", "fa") == "backcast"  # a method the locale does not know yet
    assert i18n.label("method", "bounds_only", "en") == t("method.bounds_only", "en")
    assert i18n.label("method", "seasonal_profile", "en") == "seasonal profile"


def test_methods_in_words():
    one = pd.DataFrame({"method": ["proportional", "one_side"], "share": [1.0, None]})
    assert i18n.methods_label(one, "en") == t("method.proportional", "en")
    two = pd.DataFrame({"method": ["calibrated", "direct", "one_side"], "share": [0.83, 0.17, None]})
    assert i18n.methods_label(two, "en") == f"{t('method.calibrated', 'en')} 83%, {t('method.direct', 'en')} 17%"
    assert i18n.methods_label(two, "fa") == f"{t('method.calibrated', 'fa')} ۸۳٪، {t('method.direct', 'fa')} ۱۷٪"
    none = pd.DataFrame({"method": ["one_side"], "share": [None]})  # no estimate in view at all
    assert i18n.methods_label(none, "ru") == t("method.one_side", "ru")


def test_names_without_a_table_fall_back():
    empty = Names()
    assert empty.region("IR-01", "fa") == "IR-01"
    assert empty.product("0805", "en") == "0805"
    assert empty.product("0805", "ru") == "0805"
