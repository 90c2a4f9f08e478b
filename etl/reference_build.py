"""Regenerate data/reference/countries.csv, regions.csv (its Russian rows) and units.csv.

    python -m etl.reference_build [OUT_DIR]

Countries: names from pycountry (English) and its gettext catalogues (Persian, Russian); NAMES
overrides them where the catalogue reads unnaturally, ALIASES adds the spellings customs files
and the press use, and the FCS's own country list (etl.reference_fcs) adds its Russian spellings
and its codes that are not ISO 3166-1 (AB Abkhazia, OS South Ossetia, EU, YY), each kept as its
own partner and mapped to an ISO code where one exists (`iso_equivalent`).

Regions: every region of the FCS list (OKATO code), with its ISO 3166-2 code, names in English,
Russian and Persian (RU_REGIONS below; Persian as the Iranian press writes Russian region names).
The Iranian provinces are kept by hand in regions.csv and copied through unchanged.

Units: the FCS list of units of measure (OKEI codes), with English and Persian names.

The resolver matches codes, the three name columns and `aliases`, so an alias only needs to list
spellings that differ from the names. Arabic-letter variants (ي/ك) of Persian spellings and ё→е
variants of Russian ones are added automatically; an alias two rows would claim is dropped.
Codes and names of the FCS lists: credit "FCS open data via infoculture/opencustoms (MIT)".
"""

from __future__ import annotations

import csv
import gettext
import sys
from pathlib import Path

import pycountry

from etl.reference_fcs import FCS_COUNTRIES, FCS_REGIONS, FCS_UNITS
from etl.text import name_key

REFERENCE = Path(__file__).resolve().parent.parent / "data" / "reference"
COLUMNS = ["iso2", "iso3", "m49", "name_en", "name_fa", "name_ru", "aliases", "kind", "iso_equivalent"]
REGION_COLUMNS = ["code", "country", "okato", "kind", "is_focus", "name_en", "name_fa", "name_ru", "aliases",
                  "iso_3166_2", "note"]
UNIT_COLUMNS = ["unit", "okei", "name_en", "name_fa", "name_ru", "short_ru", "aliases"]
FCS_CREDIT = "FCS open data via infoculture/opencustoms (MIT)"

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
    {"iso2": "NNN", "iso3": "NNN", "m49": "", "name_en": "Undisclosed", "name_fa": "نامشخص",
     "name_ru": "Не раскрыто", "aliases": ["Not disclosed", "نامعلوم", "Конфиденциально"], "kind": "special",
     "iso_equivalent": ""},
    {"iso2": "W00", "iso3": "W00", "m49": "0", "name_en": "World", "name_fa": "جهان", "name_ru": "Мир",
     "aliases": ["همه کشورها", "کل جهان", "Все страны", "All partners"], "kind": "special", "iso_equivalent": ""},
]

# The FCS's codes that are not ISO 3166-1: kept as partners of their own (a row says what the FCS
# said), with the ISO code of the same territory where ISO has one.
FCS_OWN = [
    {"iso2": "AB", "name_en": "Abkhazia", "name_fa": "آبخازیا", "name_ru": "Абхазия",
     "aliases": ["Abkhaziya", "آبخازی"], "iso_equivalent": "GE-AB"},
    {"iso2": "OS", "name_en": "South Ossetia", "name_fa": "اوستیای جنوبی", "name_ru": "Южная Осетия",
     "aliases": ["Yuzhnaya Osetiya"], "iso_equivalent": ""},
    {"iso2": "EU", "name_en": "EU countries (not specified)", "name_fa": "کشورهای اتحادیه اروپا (نامشخص)",
     "name_ru": "Страны ЕС", "aliases": ["European Union", "اتحادیه اروپا", "Европейский союз"],
     "iso_equivalent": ""},
    {"iso2": "YY", "name_en": "Georgia (outside the CIS)", "name_fa": "گرجستان (خارج از کشورهای مشترک‌المنافع)",
     "name_ru": "Грузия (вне СНГ)", "aliases": [], "iso_equivalent": "GE"},
]

# OKATO -> (code, kind, name_en, name_ru, name_fa, extra aliases, note)
RU_REGIONS: dict[str, tuple[str, str, str, str, str, tuple[str, ...], str]] = {
    "01000": ("RU-ALT", "krai", "Altai krai", "Алтайский край", "استان آلتای", ("کرای آلتای", "Altai Krai"), ""),
    "03000": ("RU-KDA", "krai", "Krasnodar krai", "Краснодарский край", "استان کراسنودار",
              ("کرای کراسنودار", "Krasnodar Krai"), ""),
    "04000": ("RU-KYA", "krai", "Krasnoyarsk krai", "Красноярский край", "استان کراسنویارسک",
              ("کرای کراسنویارسک", "کراسنویارسک", "Krasnoyarsk Krai"), ""),
    "04100": ("RU-TAY", "autonomous_okrug", "Taymyr autonomous okrug", "Таймырский (Долгано-Ненецкий) автономный округ",
              "منطقه خودمختار تایمیر", ("Taymyr", "تایمیر"),
              "merged into Krasnoyarsk krai in 2007; RU-TAY is its withdrawn ISO 3166-2 code"),
    "04130": ("RU-EVE", "autonomous_okrug", "Evenk autonomous okrug", "Эвенкийский автономный округ",
              "منطقه خودمختار اونکی", ("Evenkia", "اونکی"),
              "merged into Krasnoyarsk krai in 2007; RU-EVE is its withdrawn ISO 3166-2 code"),
    "05000": ("RU-PRI", "krai", "Primorsky krai", "Приморский край", "استان پریمورسکی",
              ("کرای پریمورسکی", "پریمورسکی", "Primorye", "Приморье"), ""),
    "07000": ("RU-STA", "krai", "Stavropol krai", "Ставропольский край", "استان استاوروپل",
              ("کرای استاوروپل", "استاوروپل"), ""),
    "08000": ("RU-KHA", "krai", "Khabarovsk krai", "Хабаровский край", "استان خاباروفسک",
              ("کرای خاباروفسک", "خاباروفسک"), ""),
    "10000": ("RU-AMU", "oblast", "Amur oblast", "Амурская область", "استان آمور", (), ""),
    "11000": ("RU-ARK", "oblast", "Arkhangelsk oblast", "Архангельская область", "استان آرخانگلسک",
              ("آرخانگلسک",), ""),
    "11100": ("RU-NEN", "autonomous_okrug", "Nenets autonomous okrug", "Ненецкий автономный округ",
              "منطقه خودمختار ننتس", (), ""),
    "12000": ("RU-AST", "oblast", "Astrakhan oblast", "Астраханская область", "استان آستاراخان", (), ""),
    "14000": ("RU-BEL", "oblast", "Belgorod oblast", "Белгородская область", "استان بلگورود", ("بلگورود",), ""),
    "15000": ("RU-BRY", "oblast", "Bryansk oblast", "Брянская область", "استان بریانسک", ("بریانسک",), ""),
    "17000": ("RU-VLA", "oblast", "Vladimir oblast", "Владимирская область", "استان ولادیمیر", (), ""),
    "18000": ("RU-VGG", "oblast", "Volgograd oblast", "Волгоградская область", "استان ولگاگراد", (), ""),
    "19000": ("RU-VLG", "oblast", "Vologda oblast", "Вологодская область", "استان ولوگدا", ("ولوگدا",), ""),
    "20000": ("RU-VOR", "oblast", "Voronezh oblast", "Воронежская область", "استان ورونژ", ("ورونژ",), ""),
    "22000": ("RU-NIZ", "oblast", "Nizhny Novgorod oblast", "Нижегородская область", "استان نیژنی نووگورود",
              ("نیژنی نووگورود",), ""),
    "24000": ("RU-IVA", "oblast", "Ivanovo oblast", "Ивановская область", "استان ایوانوو", ("ایوانوو",), ""),
    "25000": ("RU-IRK", "oblast", "Irkutsk oblast", "Иркутская область", "استان ایرکوتسک", ("ایرکوتسک",), ""),
    "25100": ("RU-UOB", "autonomous_okrug", "Ust-Orda Buryat autonomous okrug",
              "Усть-Ордынский Бурятский автономный округ", "منطقه خودمختار بوریات اوست-اوردا", (),
              "merged into Irkutsk oblast in 2008; RU-UOB is its withdrawn ISO 3166-2 code"),
    "26000": ("RU-IN", "republic", "Republic of Ingushetia", "Республика Ингушетия", "جمهوری اینگوشتیا",
              ("اینگوشتیا", "Ingushetia"), ""),
    "27000": ("RU-KGD", "oblast", "Kaliningrad oblast", "Калининградская область", "استان کالینینگراد",
              ("کالینینگراد",), ""),
    "28000": ("RU-TVE", "oblast", "Tver oblast", "Тверская область", "استان تور", (), ""),
    "29000": ("RU-KLU", "oblast", "Kaluga oblast", "Калужская область", "استان کالوگا", ("کالوگا",), ""),
    "30000": ("RU-KAM", "krai", "Kamchatka krai", "Камчатский край", "استان کامچاتکا",
              ("کرای کامچاتکا", "کامچاتکا"), ""),
    "30100": ("RU-KOR", "autonomous_okrug", "Koryak autonomous okrug", "Корякский автономный округ",
              "منطقه خودمختار کوریاک", (),
              "merged into Kamchatka krai in 2007; RU-KOR is its withdrawn ISO 3166-2 code"),
    "32000": ("RU-KEM", "oblast", "Kemerovo oblast", "Кемеровская область", "استان کمروو", ("کمروو", "Kuzbass"), ""),
    "33000": ("RU-KIR", "oblast", "Kirov oblast", "Кировская область", "استان کیروف", (), ""),
    "34000": ("RU-KOS", "oblast", "Kostroma oblast", "Костромская область", "استان کوستروما", ("کوستروما",), ""),
    "35000": ("FCS-35000", "republic", "Republic of Crimea (FCS)", "Республика Крым", "جمهوری کریمه", ("کریمه",),
              "listed by the FCS as a Russian region; ISO 3166-2 lists Crimea under Ukraine (UA-43); "
              "the code is the FCS's OKATO code"),
    "36000": ("RU-SAM", "oblast", "Samara oblast", "Самарская область", "استان سامارا", (), ""),
    "37000": ("RU-KGN", "oblast", "Kurgan oblast", "Курганская область", "استان کورگان", ("کورگان",), ""),
    "38000": ("RU-KRS", "oblast", "Kursk oblast", "Курская область", "استان کورسک", ("کورسک",), ""),
    "40000": ("RU-SPE", "city", "Saint Petersburg", "Санкт-Петербург", "سن پترزبورگ", (), ""),
    "41000": ("RU-LEN", "oblast", "Leningrad oblast", "Ленинградская область", "استان لنینگراد", (), ""),
    "42000": ("RU-LIP", "oblast", "Lipetsk oblast", "Липецкая область", "استان لیپتسک", ("لیپتسک",), ""),
    "44000": ("RU-MAG", "oblast", "Magadan oblast", "Магаданская область", "استان ماگادان", ("ماگادان",), ""),
    "45000": ("RU-MOW", "city", "Moscow", "Москва", "مسکو", (), ""),
    "46000": ("RU-MOS", "oblast", "Moscow oblast", "Московская область", "استان مسکو", (), ""),
    "47000": ("RU-MUR", "oblast", "Murmansk oblast", "Мурманская область", "استان مورمانسک", ("مورمانسک",), ""),
    "49000": ("RU-NGR", "oblast", "Novgorod oblast", "Новгородская область", "استان نووگورود", (), ""),
    "50000": ("RU-NVS", "oblast", "Novosibirsk oblast", "Новосибирская область", "استان نووسیبیرسک",
              ("نووسیبیرسک",), ""),
    "52000": ("RU-OMS", "oblast", "Omsk oblast", "Омская область", "استان اومسک", ("اومسک",), ""),
    "53000": ("RU-ORE", "oblast", "Orenburg oblast", "Оренбургская область", "استان اورنبورگ", ("اورنبورگ",), ""),
    "54000": ("RU-ORL", "oblast", "Oryol oblast", "Орловская область", "استان اوریول", ("Orel oblast",), ""),
    "56000": ("RU-PNZ", "oblast", "Penza oblast", "Пензенская область", "استان پنزا", ("پنزا",), ""),
    "57000": ("RU-PER", "krai", "Perm krai", "Пермский край", "استان پرم", ("کرای پرم", "Perm Krai"), ""),
    "57100": ("RU-KOP", "autonomous_okrug", "Komi-Permyak autonomous okrug", "Коми-Пермяцкий автономный округ",
              "منطقه خودمختار کومی-پرمیاک", (),
              "merged into Perm krai in 2005; RU-KOP is its withdrawn ISO 3166-2 code"),
    "58000": ("RU-PSK", "oblast", "Pskov oblast", "Псковская область", "استان پسکوف", ("پسکوف",), ""),
    "60000": ("RU-ROS", "oblast", "Rostov oblast", "Ростовская область", "استان روستوف", (), ""),
    "61000": ("RU-RYA", "oblast", "Ryazan oblast", "Рязанская область", "استان ریازان", ("ریازان",), ""),
    "63000": ("RU-SAR", "oblast", "Saratov oblast", "Саратовская область", "استان ساراتوف", (), ""),
    "64000": ("RU-SAK", "oblast", "Sakhalin oblast", "Сахалинская область", "استان ساخالین", ("ساخالین",), ""),
    "65000": ("RU-SVE", "oblast", "Sverdlovsk oblast", "Свердловская область", "استان سوردلوفسک",
              ("سوردلوفسک",), ""),
    "66000": ("RU-SMO", "oblast", "Smolensk oblast", "Смоленская область", "استان اسمولنسک", ("اسمولنسک",), ""),
    "67000": ("FCS-67000", "city", "Sevastopol (FCS)", "Севастополь", "سواستوپل", (),
              "listed by the FCS as a Russian region; ISO 3166-2 lists Sevastopol under Ukraine (UA-40); "
              "the code is the FCS's OKATO code"),
    "68000": ("RU-TAM", "oblast", "Tambov oblast", "Тамбовская область", "استان تامبوف", ("تامبوف",), ""),
    "69000": ("RU-TOM", "oblast", "Tomsk oblast", "Томская область", "استان تومسک", ("تومسک",), ""),
    "70000": ("RU-TUL", "oblast", "Tula oblast", "Тульская область", "استان تولا", (), ""),
    "71000": ("RU-TYU", "oblast", "Tyumen oblast", "Тюменская область", "استان تیومن", ("تیومن",), ""),
    "71100": ("RU-KHM", "autonomous_okrug", "Khanty-Mansi autonomous okrug", "Ханты-Мансийский автономный округ — Югра",
              "منطقه خودمختار خانتی-مانسی", ("Yugra", "Югра", "خانتی-مانسی"), ""),
    "71140": ("RU-YAN", "autonomous_okrug", "Yamalo-Nenets autonomous okrug", "Ямало-Ненецкий автономный округ",
              "منطقه خودمختار یامالو-ننتس", ("یامال", "Yamal"), ""),
    "73000": ("RU-ULY", "oblast", "Ulyanovsk oblast", "Ульяновская область", "استان اولیانوفسک", ("اولیانوفسک",), ""),
    "75000": ("RU-CHE", "oblast", "Chelyabinsk oblast", "Челябинская область", "استان چلیابینسک", ("چلیابینسک",), ""),
    "76000": ("RU-ZAB", "krai", "Zabaykalsky krai", "Забайкальский край", "استان زابایکالسکی",
              ("کرای زابایکالسکی", "استان ماورای بایکال", "Transbaikal krai", "Zabaykalsky Krai"), ""),
    "76100": ("RU-AGB", "autonomous_okrug", "Agin-Buryat autonomous okrug", "Агинский Бурятский автономный округ",
              "منطقه خودمختار بوریات آگین", (),
              "merged into Zabaykalsky krai in 2008; RU-AGB is its withdrawn ISO 3166-2 code"),
    "77000": ("RU-CHU", "autonomous_okrug", "Chukotka autonomous okrug", "Чукотский автономный округ",
              "منطقه خودمختار چوکوتکا", ("چوکوتکا", "Chukotka"), ""),
    "78000": ("RU-YAR", "oblast", "Yaroslavl oblast", "Ярославская область", "استان یاروسلاول", ("یاروسلاول",), ""),
    "79000": ("RU-AD", "republic", "Republic of Adygea", "Республика Адыгея", "جمهوری آدیغه", ("آدیغه", "Adygea"), ""),
    "80000": ("RU-BA", "republic", "Republic of Bashkortostan", "Республика Башкортостан", "جمهوری باشقیرستان",
              ("باشقیرستان", "باشکورتوستان", "Bashkortostan", "Bashkiria", "Башкирия"), ""),
    "81000": ("RU-BU", "republic", "Republic of Buryatia", "Республика Бурятия", "جمهوری بوریاتیا",
              ("بوریاتیا", "Buryatia"), ""),
    "82000": ("RU-DA", "republic", "Republic of Dagestan", "Республика Дагестан", "جمهوری داغستان", (), ""),
    "83000": ("RU-KB", "republic", "Kabardino-Balkar Republic", "Кабардино-Балкарская Республика",
              "جمهوری کاباردینو-بالکاریا", ("کاباردینو-بالکاریا", "Kabardino-Balkaria"), ""),
    "84000": ("RU-AL", "republic", "Altai Republic", "Республика Алтай", "جمهوری آلتای", ("Altay Republic",), ""),
    "85000": ("RU-KL", "republic", "Republic of Kalmykia", "Республика Калмыкия", "جمهوری قلموقستان", (), ""),
    "86000": ("RU-KR", "republic", "Republic of Karelia", "Республика Карелия", "جمهوری کارلیا",
              ("کارلیا", "Karelia"), ""),
    "87000": ("RU-KO", "republic", "Komi Republic", "Республика Коми", "جمهوری کومی", (), ""),
    "88000": ("RU-ME", "republic", "Mari El Republic", "Республика Марий Эл", "جمهوری ماری ال",
              ("ماری ال", "Mari El"), ""),
    "89000": ("RU-MO", "republic", "Republic of Mordovia", "Республика Мордовия", "جمهوری موردووی",
              ("موردووی", "Mordovia"), ""),
    "90000": ("RU-SE", "republic", "Republic of North Ossetia–Alania", "Республика Северная Осетия — Алания",
              "جمهوری اوستیای شمالی-آلانیا", ("اوستیای شمالی", "North Ossetia", "Северная Осетия"), ""),
    "91000": ("RU-KC", "republic", "Karachay-Cherkess Republic", "Карачаево-Черкесская Республика",
              "جمهوری قره‌چای-چرکس", ("قره‌چای-چرکس", "Karachay-Cherkessia"), ""),
    "92000": ("RU-TA", "republic", "Republic of Tatarstan", "Республика Татарстан", "جمهوری تاتارستان", (), ""),
    "93000": ("RU-TY", "republic", "Tyva Republic", "Республика Тыва", "جمهوری تووا", ("تووا", "Tuva", "Тува"), ""),
    "94000": ("RU-UD", "republic", "Udmurt Republic", "Удмуртская Республика", "جمهوری اودمورتی",
              ("اودمورتی", "Udmurtia", "Удмуртия"), ""),
    "95000": ("RU-KK", "republic", "Republic of Khakassia", "Республика Хакасия", "جمهوری خاکاسیا",
              ("خاکاسیا", "Khakassia"), ""),
    "96000": ("RU-CE", "republic", "Chechen Republic", "Чеченская Республика", "جمهوری چچن",
              ("چچن", "Chechnya", "Чечня"), ""),
    "97000": ("RU-CU", "republic", "Chuvash Republic", "Чувашская Республика — Чувашия", "جمهوری چوواشی",
              ("چوواشی", "Chuvashia", "Чувашия"), ""),
    "98000": ("RU-SA", "republic", "Republic of Sakha (Yakutia)", "Республика Саха (Якутия)", "جمهوری ساخا (یاکوتیا)",
              ("یاکوتیا", "Yakutia", "Якутия", "Sakha"), ""),
    "99000": ("RU-YEV", "autonomous_oblast", "Jewish autonomous oblast", "Еврейская автономная область",
              "استان خودمختار یهودی", (), ""),
    "NNNNN": ("FCS-NNNNN", "unknown", "Region not identified (FCS)",
              "Неизвестная административно-территориальная единица",
              "منطقه نامشخص (گمرک روسیه)", (),
              "the FCS's code for rows it does not attribute to a region"),
}

# Spellings of Russian region names that are not built from the table (press, older files).
REGION_ALIASES: dict[str, list[str]] = {
    "RU-VGG": ["Волгоградская обл.", "Волгоград", "Volgograd", "Volgograd region", "ولگاگراد", "ولگوگراد",
               "استان ولگوگراد"],
    "RU-AST": ["Астраханская обл.", "Астрахань", "Astrakhan", "Astrakhan region", "آستاراخان", "هشترخان",
               "استان هشترخان"],
    "RU-DA": ["Дагестан", "Dagestan", "Daghestan", "داغستان"],
    "RU-KL": ["Калмыкия", "Kalmykia", "قلموقستان", "کالمیکیا", "جمهوری کالمیکیا"],
    "RU-MOW": ["ГОРОД МОСКВА", "Г. МОСКВА", "Г.МОСКВА", "Moscow city", "شهر مسکو", "Moskva"],
    "RU-SPE": ["ГОРОД ФЕДЕРАЛЬНОГО ЗНАЧЕНИЯ САНКТ-ПЕТЕРБУРГ", "ГОРОД САНКТ-ПЕТЕРБУРГ", "Г. САНКТ-ПЕТЕРБУРГ",
               "Г.САНКТ-ПЕТЕРБУРГ", "St Petersburg", "St. Petersburg", "سنت پترزبورگ", "Sankt-Peterburg"],
    "RU-MOS": ["Московская обл.", "Moscow region", "Подмосковье"],
    "RU-KDA": ["Krasnodar region", "کراسنودار"],
    "RU-ROS": ["Ростовская обл.", "Rostov region", "روستوف"],
    "RU-SAR": ["Саратовская обл.", "Saratov region", "ساراتوف"],
    "RU-SAM": ["Самарская обл.", "Samara region", "سامارا"],
    "RU-TA": ["Татарстан", "Tatarstan", "تاتارستان"],
}


def _variants(s: str) -> list[str]:
    """s, its Arabic-letter (ي/ك) form and its ё→е form, without repeats."""
    out = [s, s.replace("ی", "ي").replace("ک", "ك"), s.replace("ё", "е").replace("Ё", "Е")]
    return list(dict.fromkeys(out))


def _aliases(names: list[str], hand: list[str], auto: list[str]) -> list[str]:
    """Hand spellings as written, then variants and generated spellings that differ from the names."""
    out: list[str] = []
    taken = {n.casefold() for n in names}
    for s in hand + auto + names:
        for v in _variants(s):
            keep = v == s and s in hand  # a hand-listed spelling stays even if it equals a name
            if v.casefold() not in {o.casefold() for o in out} and (keep or v.casefold() not in taken):
                out.append(v)
    return out


def _unique_aliases(rows: list[dict], key: str, names: tuple[str, ...]) -> list[dict]:
    """Join each row's aliases with '|', dropping any alias that would also name another row."""
    owners: dict[str, set[str]] = {}
    for r in rows:
        for n in [r[key], *(r[c] for c in names), *r["aliases"]]:
            if n:
                owners.setdefault(name_key(n), set()).add(r[key])
    for r in rows:
        r["aliases"] = "|".join(a for a in r["aliases"] if len(owners[name_key(a)]) == 1)
    return rows


def build_rows() -> list[dict[str, str]]:
    fa = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fa"])
    ru = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    rows = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        en0 = getattr(c, "common_name", None) or c.name
        fa0 = fa.gettext(c.name).replace("ي", "ی").replace("ك", "ک")
        ru0 = ru.gettext(c.name)
        en, fa_, ru_ = (o or d for o, d in zip(NAMES.get(c.alpha_2, (None,) * 3), (en0, fa0, ru0), strict=True))
        auto = [s for s in (c.name, getattr(c, "official_name", None), en0, fa0, ru0, FCS_COUNTRIES.get(c.alpha_2))
                if s]
        rows.append({"iso2": c.alpha_2, "iso3": c.alpha_3, "m49": str(int(c.numeric)), "name_en": en,
                     "name_fa": fa_, "name_ru": ru_,
                     "aliases": _aliases([en, fa_, ru_], ALIASES.get(c.alpha_2, []), auto),
                     "kind": "iso", "iso_equivalent": c.alpha_2})
    for s in FCS_OWN:
        names = [s["name_en"], s["name_fa"], s["name_ru"]]
        rows.append({**s, "iso3": "", "m49": "", "kind": "fcs",
                     "aliases": _aliases(names, s["aliases"], [FCS_COUNTRIES[s["iso2"]]])})
    for s in SPECIAL:
        names = [s["name_en"], s["name_fa"], s["name_ru"]]
        fcs = [FCS_COUNTRIES[s["iso2"]]] if s["iso2"] in FCS_COUNTRIES else []
        rows.append({**s, "aliases": _aliases(names, s["aliases"] + fcs, [])})
    missing = sorted(set(FCS_COUNTRIES) - {r["iso2"] for r in rows})
    if missing:
        raise ValueError(f"FCS country codes without a row: {missing}")
    return _unique_aliases(rows, "iso2", ("iso3", "name_en", "name_fa", "name_ru"))


def _region_spellings(okato: str, code: str, kind: str, name_en: str, name_ru: str) -> list[str]:
    """Generated spellings: the FCS's own name (with and without its OKATO code), pycountry's
    romanisation, 'X Oblast' / 'X region', 'Xская обл.'."""
    out = [FCS_REGIONS[okato], f"{okato} - {FCS_REGIONS[okato]}"]
    sub = pycountry.subdivisions.get(code=code)
    if sub is not None:
        out.append(sub.name)
    base = name_en.removesuffix(" oblast").removesuffix(" krai")
    if kind in ("oblast", "krai"):
        out += [f"{base} {kind.capitalize()}", f"{base} region"]
    if name_ru.endswith(" область"):
        out.append(name_ru.removesuffix("область") + "обл.")
    return out


def build_regions(current: Path) -> list[dict[str, str]]:
    """The Iranian rows of the current regions.csv as they are, then every FCS region."""
    with current.open(encoding="utf-8") as f:
        kept = [r for r in csv.DictReader(f) if r["country"] != "RU"]
    old_focus = {"RU-VGG"}
    rows = []
    for r in kept:
        sub = pycountry.subdivisions.get(code=r["code"])
        rows.append({**{c: r.get(c, "") for c in REGION_COLUMNS}, "aliases": [a for a in r["aliases"].split("|") if a],
                     "iso_3166_2": r["code"] if sub is not None else "", "note": r.get("note", "")})
    if set(RU_REGIONS) != set(FCS_REGIONS):
        raise ValueError(f"RU_REGIONS and the FCS list differ: {sorted(set(RU_REGIONS) ^ set(FCS_REGIONS))}")
    for okato, (code, kind, en, ru, fa, hand, note) in RU_REGIONS.items():
        sub = pycountry.subdivisions.get(code=code)
        iso = code if sub is not None and sub.country_code == "RU" else ""
        rows.append({"code": code, "country": "RU", "okato": okato, "kind": kind,
                     "is_focus": "1" if code in old_focus else "0", "name_en": en, "name_fa": fa, "name_ru": ru,
                     "aliases": _aliases([en, fa, ru], list(hand) + REGION_ALIASES.get(code, []),
                                         _region_spellings(okato, code, kind, en, ru)),
                     "iso_3166_2": iso, "note": note})
    return _unique_aliases(rows, "code", ("name_en", "name_fa", "name_ru"))


# OKEI code -> (our key, English name, Persian name, extra spellings)
UNITS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "006": ("m", "metre", "متر", ("M", "METER", "METRE")),
    "055": ("m2", "square metre", "متر مربع", ("M2", "SQ M")),
    "111": ("cm3", "cubic centimetre", "سانتی‌متر مکعب", ("CM3",)),
    "112": ("l", "litre", "لیتر", ("L", "LTR", "LITRE", "LITER")),
    "113": ("m3", "cubic metre", "متر مکعب", ("M3",)),
    "114": ("1000_m3", "1000 cubic metres", "هزار متر مکعب", ("1000 M3",)),
    "130": ("1000_l", "1000 litres", "هزار لیتر", ("1000 L",)),
    "162": ("carat", "metric carat", "قیراط", ("CARAT", "CT")),
    "163": ("g", "gram", "گرم", ("G", "GRAM")),
    "166": ("kg", "kilogram", "کیلوگرم", ("KG", "KGM", "KILOGRAM")),
    "168": ("t", "tonne", "تن", ("T", "TNE", "TONNE")),
    "185": ("t_capacity", "carrying capacity in tonnes", "ظرفیت بار (تن)", ()),
    "214": ("kw", "kilowatt", "کیلووات", ("KW",)),
    "246": ("1000_kwh", "1000 kilowatt-hours", "هزار کیلووات‌ساعت", ("1000 KWH", "MWH")),
    "251": ("hp", "horsepower", "اسب بخار", ("HP",)),
    "305": ("ci", "curie", "کوری", ("CI",)),
    "306": ("g_fissile", "gram of fissile isotopes", "گرم ایزوتوپ شکافت‌پذیر", ()),
    "715": ("pair", "pair", "جفت", ("PAIR", "PR", "NPR")),
    "796": ("pcs", "piece", "عدد", ("PCS", "PC", "U", "NAR", "PIECE", "УПАК")),
    "797": ("100_pcs", "100 pieces", "صد عدد", ("100 PCS",)),
    "798": ("1000_pcs", "1000 pieces", "هزار عدد", ("1000 PCS", "MIL")),
    "831": ("l_alcohol", "litre of pure (100 %) alcohol", "لیتر الکل خالص (۱۰۰٪)", ("L ALC 100%", "LPA")),
    "841": ("kg_h2o2", "kilogram of hydrogen peroxide", "کیلوگرم پراکسید هیدروژن", ("KG H2O2",)),
    "845": ("kg_90pct_dry", "kilogram of 90 % dry matter", "کیلوگرم ماده خشک ۹۰٪", ("KG 90% SDT",)),
    "852": ("kg_k2o", "kilogram of potassium oxide", "کیلوگرم اکسید پتاسیم", ("KG K2O",)),
    "859": ("kg_koh", "kilogram of potassium hydroxide", "کیلوگرم هیدروکسید پتاسیم", ("KG KOH",)),
    "861": ("kg_n", "kilogram of nitrogen", "کیلوگرم نیتروژن", ("KG N",)),
    "863": ("kg_naoh", "kilogram of sodium hydroxide", "کیلوگرم هیدروکسید سدیم", ("KG NAOH",)),
    "865": ("kg_p2o5", "kilogram of phosphorus pentoxide", "کیلوگرم پنتااکسید فسفر", ("KG P2O5",)),
    "867": ("kg_u", "kilogram of uranium", "کیلوگرم اورانیوم", ("KG U",)),
}


def build_units() -> list[dict[str, str]]:
    if set(UNITS) != set(FCS_UNITS):
        raise ValueError(f"UNITS and the FCS list differ: {sorted(set(UNITS) ^ set(FCS_UNITS))}")
    rows = []
    for okei, (unit, en, fa, hand) in UNITS.items():
        name_ru, short_ru = FCS_UNITS[okei]
        rows.append({"unit": unit, "okei": okei, "name_en": en, "name_fa": fa, "name_ru": name_ru,
                     "short_ru": short_ru, "aliases": _aliases([unit, en, fa, name_ru], [short_ru, okei, *hand], [])})
    return _unique_aliases(rows, "unit", ("name_en", "name_fa", "name_ru", "short_ru"))


def _write(path: Path, columns: list[str], rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


def build_countries(out_path: Path | str = REFERENCE / "countries.csv") -> Path:
    return _write(Path(out_path), COLUMNS, build_rows())


def build_all(out_dir: Path | str = REFERENCE) -> list[Path]:
    out_dir = Path(out_dir)
    regions = build_regions(REFERENCE / "regions.csv")
    return [build_countries(out_dir / "countries.csv"), _write(out_dir / "regions.csv", REGION_COLUMNS, regions),
            _write(out_dir / "units.csv", UNIT_COLUMNS, build_units())]


if __name__ == "__main__":
    for p in build_all(sys.argv[1] if len(sys.argv) > 1 else REFERENCE):
        print(p)
