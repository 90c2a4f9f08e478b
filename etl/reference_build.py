"""Regenerate data/reference/countries.csv from pycountry plus the hand corrections below.

    python -m etl.reference_build

Names come from pycountry (English) and its gettext catalogues (Persian, Russian); NAMES
overrides them where the catalogue reads unnaturally, ALIASES adds the spellings customs files
and the press use. The resolver matches codes, the three name columns and `aliases`, so an
alias only needs to list spellings that differ from the names. Arabic-letter variants
(ي/ك) of Persian spellings and ё→е variants of Russian ones are added automatically.
"""

from __future__ import annotations

import csv
import gettext
import sys
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "data" / "reference" / "countries.csv"
COLUMNS = ["iso2", "iso3", "m49", "name_en", "name_fa", "name_ru", "aliases"]

# iso2 -> (name_en, name_fa, name_ru); None keeps pycountry's value.
NAMES: dict[str, tuple[str | None, str | None, str | None]] = {
    "RU": ("Russia", "روسیه", "Россия"),
    "IR": ("Iran", "ایران", "Иран"),
    "TR": ("Türkiye", "ترکیه", "Турция"),
    "AE": (None, None, "ОАЭ"),
    "GB": (None, "بریتانیا", "Великобритания"),
    "US": (None, "ایالات متحده آمریکا", "США"),
    "KR": (None, "کره جنوبی", "Южная Корея"),
    "KP": (None, "کره شمالی", "КНДР"),
    "IN": (None, "هند", None),
    "SY": (None, "سوریه", "Сирия"),
    "LA": (None, "لائوس", "Лаос"),
    "MD": (None, "مولداوی", "Молдова"),
    "BO": (None, "بولیوی", None),
    "VE": (None, "ونزوئلا", "Венесуэла"),
    "TZ": (None, "تانزانیا", None),
    "TW": (None, "تایوان", "Тайвань"),
    "BN": ("Brunei", "برونئی", "Бруней"),
    "CD": ("DR Congo", None, "ДР Конго"),
    "CG": (None, "کنگو", None),
    "CZ": (None, "جمهوری چک", None),
    "FM": ("Micronesia", "میکرونزی", "Микронезия"),
    "PS": ("Palestine", None, None),
    "VA": ("Vatican City", "واتیکان", "Ватикан"),
    "SZ": (None, "اسواتینی", None),
    "MT": (None, "مالت", None),
    "IL": (None, "اسرائیل", None),
    "AI": (None, "آنگویلا", None),
    "GL": (None, "گرینلند", None),
    "HK": (None, "هنگ‌کنگ", None),
    "KY": (None, "جزایر کیمن", None),
    "TT": (None, "ترینیداد و توباگو", None),
    "FK": (None, "جزایر فالکلند (مالویناس)", None),
    "SJ": (None, "اسوالبارد و یان ماین", None),
    "TF": (None, "سرزمین‌های جنوبی فرانسه", None),
    "IO": (None, "قلمرو بریتانیا در اقیانوس هند", None),
    "VG": ("British Virgin Islands", "جزایر ویرجین بریتانیا", None),
    "VI": ("US Virgin Islands", "جزایر ویرجین آمریکا", None),
    "SX": (None, "سینت مارتن (بخش هلندی)", None),
    "MF": (None, "سن مارتن (بخش فرانسوی)", None),
    "BQ": (None, "بونیر، سینت اوستاتیوس و سابا", None),
    "SH": (None, "سنت هلنا، اسنشن و تریستان دا کونا", None),
    "CF": (None, None, "Центральноафриканская Республика"),
    "DO": (None, None, "Доминиканская Республика"),
    "AS": (None, None, "Американское Самоа"),
    "MP": (None, None, "Северные Марианские острова"),
    "UM": (None, None, "Внешние малые острова США"),
    "WF": (None, None, "Уоллис и Футуна"),
}

# iso2 -> extra spellings (Persian, Russian as FCS writes them, English)
ALIASES: dict[str, list[str]] = {
    "RU": ["روسیه", "فدراسیون روسیه", "روسيه", "فدراسيون روسيه", "РОССИЯ", "РОССИЙСКАЯ ФЕДЕРАЦИЯ"],
    "IR": [
        "جمهوری اسلامی ایران",
        "ИРАН",
        "ИРАН, ИСЛАМСКАЯ РЕСПУБЛИКА",
        "ИРАН (ИСЛАМСКАЯ РЕСПУБЛИКА)",
        "Islamic Republic of Iran",
    ],
    "TR": ["Turkey", "ТУРЦИЯ", "Республика Турция"],
    "AE": ["امارات", "UAE", "U.A.E.", "Объединённые Арабские Эмираты"],
    "CN": ["جمهوری خلق چین", "КНР", "Китайская Народная Республика"],
    "IN": ["هندوستان"],
    "AZ": ["جمهوری آذربایجان"],
    "BY": ["روسیه سفید", "Белоруссия", "Республика Беларусь"],
    "KG": ["Кыргызстан", "Kyrgyz Republic", "قرقیزستان"],
    "KZ": ["Республика Казахстан"],
    "TM": ["ТУРКМЕНИЯ"],
    "NL": ["Holland"],
    "KR": ["جمهوری کره", "کره", "Корея, Республика", "Республика Корея"],
    "KP": ["کره، جمهوری دموکراتیک خلق", "Корейская Народно-Демократическая Республика"],
    "GB": ["انگلستان", "انگلیس", "UK", "Great Britain", "Соединённое Королевство"],
    "US": ["آمریکا", "امریکا", "ایالات متحده", "USA", "U.S.A.", "Соединённые Штаты Америки"],
    "SY": ["Сирийская Арабская Республика"],
    "VN": ["Вьетнам"],
    "MD": ["Республика Молдова"],
    "CZ": ["چک", "Czech Republic"],
    "SZ": ["سوازیلند", "Swaziland", "Свазиленд"],
    "MK": ["Macedonia", "مقدونیه", "Македония"],
    "CI": ["Ivory Coast"],
    "CV": ["Cape Verde"],
    "VA": ["Holy See"],
}

SPECIAL = [
    {
        "iso2": "NNN",
        "iso3": "NNN",
        "m49": "",
        "name_en": "Undisclosed",
        "name_fa": "نامشخص",
        "name_ru": "Не раскрыто",
        "aliases": ["Not disclosed", "نامعلوم", "Конфиденциально"],
    },
    {
        "iso2": "W00",
        "iso3": "W00",
        "m49": "0",
        "name_en": "World",
        "name_fa": "جهان",
        "name_ru": "Мир",
        "aliases": ["همه کشورها", "کل جهان", "Все страны", "All partners"],
    },
]


def _variants(s: str) -> list[str]:
    """s, its Arabic-letter (ي/ك) form and its ё→е form, without repeats."""
    out = [s, s.replace("ی", "ي").replace("ک", "ك"), s.replace("ё", "е").replace("Ё", "Е")]
    return list(dict.fromkeys(out))


def _aliases(names: list[str], hand: list[str], auto: list[str]) -> str:
    """Hand spellings as written, then variants and pycountry spellings that differ from the names."""
    out: list[str] = []
    taken = {n.casefold() for n in names}
    for s in hand + auto + names:
        for v in _variants(s):
            keep = v == s and s in hand  # a hand-listed spelling stays even if it equals a name
            if v.casefold() not in {o.casefold() for o in out} and (keep or v.casefold() not in taken):
                out.append(v)
    return "|".join(out)


def build_rows() -> list[dict[str, str]]:
    fa = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fa"])
    ru = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    rows = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        en0 = getattr(c, "common_name", None) or c.name
        fa0 = fa.gettext(c.name).replace("ي", "ی").replace("ك", "ک")
        ru0 = ru.gettext(c.name)
        en, fa_, ru_ = (o or d for o, d in zip(NAMES.get(c.alpha_2, (None,) * 3), (en0, fa0, ru0), strict=True))
        auto = [s for s in (c.name, getattr(c, "official_name", None), en0, fa0, ru0) if s]
        rows.append(
            {
                "iso2": c.alpha_2,
                "iso3": c.alpha_3,
                "m49": str(int(c.numeric)),
                "name_en": en,
                "name_fa": fa_,
                "name_ru": ru_,
                "aliases": _aliases([en, fa_, ru_], ALIASES.get(c.alpha_2, []), auto),
            }
        )
    for s in SPECIAL:
        rows.append({**s, "aliases": _aliases([s["name_en"], s["name_fa"], s["name_ru"]], s["aliases"], [])})
    return rows


def build_countries(out_path: Path | str = OUT) -> Path:
    out_path = Path(out_path)
    with out_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(build_rows())
    return out_path


if __name__ == "__main__":
    print(build_countries(sys.argv[1] if len(sys.argv) > 1 else OUT))
