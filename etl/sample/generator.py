"""Deterministic generator of the shipped, SYNTHETIC demonstration data (`data/sample/`).

Nothing written here is real data. The generator invents a hidden "true" trade matrix between
three Iranian provinces and Volgograd oblast and then writes what each *source* would have
recorded of it, in the exact file layouts of docs/formats.md, with the defects real files have.

The model
---------
1. **Truth** (never loaded by the ETL; `truth/bilateral_truth.csv`). For each province
   (IR-01 Gilan, IR-02 Mazandaran, IR-27 Golestan) ↔ Volgograd (RU-VGG), direction (`flow` from
   the province's side: `export` = province → Volgograd, `import` = Volgograd → province), HS 2022
   subheading (`hs6`) and Gregorian month 2019-01..2025-12: true USD value (FOB, rounded to cents)
   and net kg (whole). Monthly value = 2019 base × province weight / 12 × seasonal profile ×
   direction growth index of the year × per-series yearly drift × lognormal noise; kg = value /
   unit price (with a yearly price index and noise). Products follow what is published:
   Volgograd → Iran grain (wheat, barley, corn), sunflower oil, chickpeas, flax seed, steel, rice;
   provinces → Volgograd kiwi, citrus, dairy, cement, polystyrene, tomato paste, dates, pistachios,
   fish, flowers and plants, tea. Seasonality: kiwi/citrus Oct–Mar; grain shipped after harvest
   (Jul–Dec peak) and the Volga river-sea navigation closed about Dec–Mar (deep dip). 2020: COVID
   dip of exports; 2022: Russian grain-export restrictions (Mar–Jun dip), then growth; Iranian
   exports to Russia rise from 2022. The model runs internally on 2018-12..2026-01 so the Jalali
   months straddling the edges (1397/10, 1404/10) are complete; only 2019-01..2025-12 is written.
2. **Other flows** around the truth:
   - province ↔ other Russian regions: the Volgograd share of a province's trade with Russia is
     20–70 % per product and month, so province↔Russia = truth / share;
   - other Iranian provinces ↔ Volgograd: 15–50 %+ of the three provinces' truth per product;
   - rest of Iran ↔ rest of Russia: 0.4–3.5 × the above (national totals only);
   - provinces ↔ 10 other countries, Volgograd ↔ 8 other partners (incl. `NNN`), plus a few
     products traded with other partners only. Volgograd's grain exports go ~40 % to Iran before
     2022 and ~60 % from 2022 on.
3. **Iranian customs** (IRICA, one file per province per Jalali year 1397 (months 10–12) ..
   1404 (months 1–10)): each province's trade with all partners per Jalali month, customs office,
   8-digit tariff line (hs6 + 2 digits), FOB USD (whole dollars), net kg (whole) and rial = USD ×
   a monthly rate (`IRR_MONTHLY`, the Gregorian month of the Jalali month's first day; written
   to `truth/irr_per_usd.csv`). The Russia rows are the
   Gregorian monthly series allocated to Jalali months by days (a Jalali month takes the share of
   each Gregorian month's days it covers), so sums over whole periods agree with the truth.
4. **Russian customs** (FCS regional open data, Volgograd OKATO 18000, one file per Gregorian
   year): all partners, 10-digit TN VED (hs6 + 4 digits), USD and kg with 2 decimals. Imports
   from Iran = (three provinces' truth + other Iranian provinces) × CIF factor 1.04–1.09 with
   timing noise (0–10 % of a month's flow recorded the next month); exports to Iran = truth +
   other provinces, same timing noise. **Deliberate hole: no rows for 2022-02..2022-12**
   (FCS stopped publishing); 2023–2025 are present as if publication had resumed (it has not
   in reality — this is synthetic).
5. **UN Comtrade** (API v1 JSON, one file per reporter): Iran (364) ↔ Russia (643), both flows,
   annual 2019–2025, one record per hs6 of the direction's product list (aggrLevel 6). National
   = provinces' trade with Russia + other provinces ↔ Volgograd + rest ↔ rest, hence always
   comfortably ≥ any regional figure. Imports CIF (cifvalue = primaryValue, fobvalue null),
   exports FOB.
6. **Manual** rows: a few "Mazandaran trade house in Volgograd (synthetic)" annual figures equal
   to the truth's annual sums (direct observations).

Format variants (each at least once): UTF-8 / UTF-8 with BOM; `,` thousands separators in quoted
numbers; cp1256 with Arabic ي/ك (cp1256 cannot encode Persian digits, ی or ٬, so Persian digits
with the ٬ separator are in a separate UTF-8 file); XLSX with a title row; a `دوره` column
(`1402/07`); a rial-only file; `فدراسیون روسیه` as partner name; FCS Russian headers UTF-8,
English headers, cp1251 with `;` and decimal commas.

Determinism: one `numpy.random.default_rng` per named stream, seeded with `[seed, crc32(name)]`;
the truth does not depend on `scale`. `scale=N` splits every record into ~N tariff lines (Iran:
up to 99 national suffixes, Russia: up to 999 TN VED suffixes) within the same hs6, so rows grow
about N times and all hs6 sums stay the same. XLSX bytes are made stable by fixed document
properties and zip timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
import zlib
from pathlib import Path

import jdatetime
import numpy as np
import openpyxl
import pandas as pd

DEFAULT_SEED = 20251203
FIXED_TIME = dt.datetime(2025, 12, 3, 0, 0, 0)
FIRST, LAST = "2019-01", "2025-12"
EXT_FIRST, EXT_LAST = "2018-12", "2026-01"  # internal range, covers Jalali 1397/10..1404/10
JALALI_FIRST, JALALI_LAST = (1397, 10), (1404, 10)
VGG = "RU-VGG"

PROVINCES = {  # code -> (Persian name, file slug)
    "IR-01": ("گیلان", "gilan"),
    "IR-02": ("مازندران", "mazandaran"),
    "IR-27": ("گلستان", "golestan"),
}

# Customs offices (verbatim names) -> transport mode.
OFFICE_MODE = {
    "گمرک بندر انزلی": "sea", "گمرک بندر کاسپین": "sea", "گمرک آستارا": "road", "گمرک رشت": "road",
    "گمرک بندر امیرآباد": "sea", "گمرک بندر نوشهر": "sea", "گمرک فریدونکنار": "sea", "گمرک ساری": "road",
    "گمرک اینچه برون": "rail", "گمرک بندر ترکمن": "sea", "گمرک گرگان": "road",
}
MODE_FA = {"sea": "دریایی", "rail": "ریلی", "road": "جاده ای"}
RUSSIA_OFFICES = {
    "IR-01": ["گمرک بندر انزلی", "گمرک بندر کاسپین", "گمرک آستارا"],
    "IR-02": ["گمرک بندر امیرآباد", "گمرک بندر نوشهر", "گمرک فریدونکنار"],
    "IR-27": ["گمرک بندر ترکمن", "گمرک اینچه برون"],
}


def _other_office(prov: str, partner: str) -> str:
    """Customs office for a province's trade with a non-Russian partner."""
    if prov == "IR-01":
        return {"KZ": "گمرک بندر کاسپین", "TM": "گمرک بندر انزلی", "AZ": "گمرک آستارا", "AM": "گمرک آستارا"}.get(
            partner, "گمرک رشت")
    if prov == "IR-02":
        return {"KZ": "گمرک بندر امیرآباد", "TM": "گمرک بندر نوشهر"}.get(partner, "گمرک ساری")
    return {"TM": "گمرک اینچه برون", "KZ": "گمرک اینچه برون", "CN": "گمرک اینچه برون"}.get(partner, "گمرک گرگان")


IR_PARTNERS = {  # ISO2 -> Persian name (Russia's name varies by file)
    "RU": "روسیه", "TM": "ترکمنستان", "KZ": "قزاقستان", "AZ": "آذربایجان", "IQ": "عراق", "AF": "افغانستان",
    "AE": "امارات متحده عربی", "TR": "ترکیه", "CN": "چین", "AM": "ارمنستان", "IN": "هند",
}
OTHER_IR_PARTNERS = [p for p in IR_PARTNERS if p != "RU"]
PARTNER_PREF = {  # province -> preference weights over OTHER_IR_PARTNERS
    "IR-01": [1.0, 1.5, 3.0, 2.0, 1.0, 1.5, 1.5, 1.0, 2.0, 1.0],
    "IR-02": [1.5, 1.5, 1.0, 3.0, 2.0, 2.0, 1.5, 1.5, 0.5, 1.0],
    "IR-27": [4.0, 2.5, 0.5, 1.5, 2.0, 1.0, 0.8, 1.5, 0.5, 0.7],
}

SEASON = {  # Jan..Dec, normalised to mean 1 below
    "grain": [.15, .10, .20, .60, .90, .80, 1.2, 1.6, 1.9, 1.9, 1.6, .60],
    "volga": [.40, .35, .50, 1.0, 1.2, 1.1, 1.2, 1.2, 1.2, 1.2, 1.1, .70],
    "citrus": [1.9, 1.6, 1.1, .40, .15, .05, .05, .05, .15, 1.0, 2.2, 2.4],
    "flat": [.90, .85, .80, .95, 1.05, 1.05, 1.05, 1.05, 1.1, 1.1, 1.05, 1.0],
    "build": [.70, .70, .80, 1.1, 1.2, 1.2, 1.2, 1.2, 1.15, 1.1, .90, .75],
    "dates": [1.2, 1.1, 1.0, .80, .60, .50, .50, .60, 1.0, 1.4, 1.5, 1.4],
    "fish": [1.3, 1.3, 1.1, .80, .70, .70, .70, .80, .90, 1.1, 1.2, 1.3],
    "flowers": [1.0, 2.2, 1.6, .80, .90, .60, .50, .90, 1.2, .80, .70, 1.2],
}
SEASON = {k: np.array(v) / np.mean(v) for k, v in SEASON.items()}

YEARS = list(range(2018, 2027))
GROWTH = {  # truth direction (province side) -> index by year
    "import": dict(zip(YEARS, [1.0, 1.0, .95, .85, 1.05, 1.45, 1.35, 1.50, 1.50], strict=True)),
    "export": dict(zip(YEARS, [1.0, 1.0, .80, 1.0, 1.40, 1.70, 1.85, 2.00, 2.00], strict=True)),
    "other": dict(zip(YEARS, [1.0, 1.0, .85, 1.0, 1.10, 1.15, 1.20, 1.25, 1.25], strict=True)),
}
GRAIN_PRICE = dict(zip(YEARS, [1.0, 1.0, 1.03, 1.25, 1.45, 1.10, 1.0, 1.05, 1.05], strict=True))
# Volgograd grain exports to other partners / to Iran, by year (Iran ~40 % before 2022, ~60 % after).
GRAIN_OTHERS_RATIO = dict(zip(YEARS, [1.5, 1.5, 1.5, 1.5, 0.67, 0.67, 0.67, 0.67, 0.67], strict=True))
GRAIN = {"100199", "100390", "100590", "071320"}

# hs6 -> (Persian description, English description, USD/kg, season, FCS unit, pieces per kg,
#         Volgograd's other partners for this product)
PRODUCTS = {
    "100199": ("گندم معمولی غیر دوروم، سایر", "Wheat and meslin, other than durum, other than seed",
                .23, "grain", "КГ", 0, ["TR", "EG", "SA", "AZ", "NNN"]),
    "100390": ("جو، سایر", "Barley, other than seed", .20, "grain", "КГ", 0, ["TR", "SA", "EG", "NNN"]),
    "100590": ("ذرت دامی، سایر", "Maize (corn), other than seed", .21, "grain", "КГ", 0, ["TR", "EG", "AZ", "NNN"]),
    "151219": ("روغن آفتابگردان تصفیه شده", "Sunflower-seed oil, refined",
                1.05, "volga", "КГ", 0, ["TR", "CN", "EG", "AZ"]),
    "071320": ("نخود خشک", "Chickpeas, dried, shelled", .55, "grain", "КГ", 0, ["TR", "AZ", "NNN"]),
    "120400": ("بذر کتان", "Linseed", .45, "grain", "КГ", 0, ["CN", "TR", "NNN"]),
    "720712": ("شمش فولادی نیمه تمام", "Semi-finished products of iron or non-alloy steel",
                .48, "volga", "КГ", 0, ["TR", "AZ", "KZ"]),
    "721049": ("ورق فولادی گالوانیزه", "Flat-rolled steel, zinc-coated, other",
                .85, "volga", "КГ", 0, ["KZ", "AZ", "TM"]),
    "100630": ("برنج سفید شده", "Rice, semi-milled or wholly milled", .55, "volga", "КГ", 0, ["TR", "AZ", "KZ"]),
    "081050": ("کیوی تازه", "Kiwifruit, fresh", .55, "citrus", "КГ", 0, ["TR", "AZ", "CN"]),
    "080510": ("پرتقال تازه", "Oranges, fresh or dried", .45, "citrus", "КГ", 0, ["TR", "EG", "AZ"]),
    "080521": ("نارنگی تازه", "Mandarins, fresh or dried", .50, "citrus", "КГ", 0, ["TR", "AZ", "CN"]),
    "040690": ("سایر پنیرها", "Cheese, other", 3.2, "flat", "КГ", 0, ["KZ", "TR", "AZ"]),
    "040390": ("دوغ و ماست و سایر شیرهای تخمیر شده", "Fermented milk products, other than yogurt",
                1.1, "flat", "КГ", 0, ["KZ", "AZ"]),
    "252329": ("سیمان پرتلند خاکستری", "Portland cement, other than white", .05, "build", "КГ", 0, ["TR", "KZ"]),
    "390311": ("پلی استایرن انبساطی", "Expansible polystyrene, primary forms",
                1.25, "flat", "КГ", 0, ["CN", "KZ", "TR"]),
    "200290": ("رب گوجه فرنگی", "Tomatoes prepared or preserved, other (paste)",
                .85, "flat", "КГ", 0, ["TR", "CN", "AZ"]),
    "080410": ("خرما", "Dates, fresh or dried", 1.0, "dates", "КГ", 0, ["EG", "SA", "TR"]),
    "080251": ("پسته با پوست", "Pistachios, in shell", 7.0, "dates", "КГ", 0, ["TR", "NNN"]),
    "030389": ("سایر ماهی های منجمد", "Fish, frozen, other", 1.4, "fish", "КГ", 0, ["CN", "KZ", "TM"]),
    "030489": ("فیله ماهی منجمد، سایر", "Fish fillets, frozen, other", 3.0, "fish", "КГ", 0, ["CN", "TR"]),
    "060312": ("گل میخک شاخه بریده", "Cut flowers: carnations", 3.5, "flowers", "ШТ", 60, ["TR", "CN"]),
    "060290": ("سایر گیاهان زنده", "Live plants, other", 1.2, "flowers", "ШТ", 2, ["TR", "CN"]),
    "090230": ("چای سیاه در بسته بندی کوچک", "Black tea in packings not exceeding 3 kg",
                4.5, "flat", "КГ", 0, ["CN", "TR", "AZ"]),
    # traded with other partners only
    "401110": ("تایر نو سواری", "New pneumatic tyres for motor cars", 2.5, "flat", "ШТ", 0.12, []),
    "120190": ("دانه سویا", "Soya beans, other than seed", .45, "volga", "КГ", 0, []),
    "020230": ("گوشت گاو منجمد بی استخوان", "Bovine meat, boneless, frozen", 4.5, "flat", "КГ", 0, []),
    "252310": ("کلینکر سیمان", "Cement clinkers", .035, "build", "КГ", 0, []),
    "230400": ("کنجاله سویا", "Soya-bean oil-cake", .42, "flat", "КГ", 0, []),
    "040721": ("تخم مرغ تازه", "Hen eggs in shell, fresh", 1.1, "flat", "КГ", 0, []),
    "280120": ("ید", "Iodine", 40.0, "flat", "КГ", 0, []),
    "730630": ("لوله فولادی جوشی", "Welded tubes of iron or non-alloy steel", .9, "build", "КГ", 0, []),
    "271019": ("فرآورده های نفتی سنگین", "Petroleum oils, other than light",
                .6, "flat", "КГ", 0, ["TR", "NNN", "AZ", "KZ"]),
    "870899": ("قطعات خودرو", "Motor vehicle parts, other", 6.0, "flat", "ШТ", 0.5, ["CN", "TR", "KZ"]),
}

# Truth: (province-side flow, hs6, 2019 total over the three provinces in USD, province weights)
TRUTH_SPECS = [
    ("import", "100199", 11.0e6, {"IR-02": .50, "IR-01": .30, "IR-27": .20}),
    ("import", "100390", 7.0e6, {"IR-02": .55, "IR-01": .20, "IR-27": .25}),
    ("import", "100590", 6.0e6, {"IR-02": .50, "IR-01": .35, "IR-27": .15}),
    ("import", "151219", 2.5e6, {"IR-01": .55, "IR-02": .35, "IR-27": .10}),
    ("import", "071320", 1.2e6, {"IR-02": .40, "IR-01": .30, "IR-27": .30}),
    ("import", "120400", 0.6e6, {"IR-02": .50, "IR-27": .50}),
    ("import", "720712", 1.6e6, {"IR-01": .60, "IR-02": .40}),
    ("import", "721049", 0.7e6, {"IR-01": .50, "IR-02": .50}),
    ("import", "100630", 0.4e6, {"IR-01": 1.0}),
    ("export", "081050", 1.8e6, {"IR-02": .75, "IR-01": .25}),
    ("export", "080510", 1.0e6, {"IR-02": .85, "IR-01": .15}),
    ("export", "080521", 0.7e6, {"IR-02": .80, "IR-01": .20}),
    ("export", "040690", 0.7e6, {"IR-02": .60, "IR-27": .40}),
    ("export", "040390", 0.4e6, {"IR-02": .70, "IR-27": .30}),
    ("export", "252329", 0.6e6, {"IR-02": .70, "IR-27": .30}),
    ("export", "390311", 0.9e6, {"IR-27": .80, "IR-02": .20}),
    ("export", "200290", 0.5e6, {"IR-27": .40, "IR-02": .40, "IR-01": .20}),
    ("export", "080410", 0.35e6, {"IR-27": .70, "IR-02": .30}),
    ("export", "080251", 0.55e6, {"IR-27": .80, "IR-02": .20}),
    ("export", "030389", 0.3e6, {"IR-01": .70, "IR-02": .30}),
    ("export", "030489", 0.2e6, {"IR-01": .80, "IR-02": .20}),
    ("export", "060312", 0.12e6, {"IR-01": .80, "IR-02": .20}),
    ("export", "060290", 0.2e6, {"IR-01": .60, "IR-02": .40}),
    ("export", "090230", 0.35e6, {"IR-01": 1.0}),
]
# Province trade with other partners only: (province, flow, hs6, annual USD)
IR_EXTRAS = [
    ("IR-01", "export", "401110", 2.0e6), ("IR-01", "import", "120190", 6.0e6), ("IR-01", "import", "020230", 3.0e6),
    ("IR-02", "export", "252310", 3.0e6), ("IR-02", "import", "230400", 5.0e6), ("IR-27", "export", "040721", 2.5e6),
    ("IR-27", "export", "280120", 1.5e6), ("IR-27", "export", "730630", 1.2e6),
]
# Volgograd trade with other partners only: (Volgograd-side flow, hs6, annual USD)
VGG_EXTRAS = [("export", "271019", 6.0e6), ("import", "870899", 2.0e6)]

# Rial per USD by Gregorian month, 2018-12..2026-01 (a NIMA-like market rate, ~100,000 in 2019 to
# ~720,000 in late 2025). The values agree with data/reference/fx.csv as shipped, and a Jalali
# month uses the rate of the Gregorian month of its first day, as the ETL does, so the rial-only
# file converts back to the exact USD figures.
IRR_FIRST_MONTH = "2018-12"
IRR_MONTHLY = [
    98_500, 100_000, 102_000, 104_000, 106_000, 108_000, 110_000, 111_000, 111_500, 112_500, 113_500, 114_000,
    115_000, 120_000, 125_000, 130_000, 143_500, 156_500, 170_000, 182_500, 195_000, 207_500, 220_000, 225_000,
    230_000, 231_000, 231_500, 232_500, 233_500, 234_000, 235_000, 236_500, 238_500, 240_000, 241_500, 243_500,
    245_000, 247_500, 250_000, 252_500, 255_000, 257_500, 260_000, 264_000, 268_500, 272_500, 276_500, 281_000,
    285_000, 303_500, 321_500, 340_000, 356_500, 373_500, 390_000, 394_000, 398_500, 402_500, 406_500, 411_000,
    415_000, 417_500, 420_000, 422_500, 425_000, 427_500, 430_000, 436_500, 443_500, 450_000, 456_500, 463_500,
    470_000, 500_000, 530_000, 560_000, 590_000, 620_000, 650_000, 661_500, 673_500, 685_000, 696_500, 708_500,
    720_000, 720_000,
]

FCS_REGION = "18000 - ВОЛГОГРАДСКАЯ ОБЛАСТЬ"
FCS_REGION_S = "04-ЮЖНЫЙ ФЕДЕРАЛЬНЫЙ ОКРУГ"
FCS_HOLE = ("2022-02", "2022-12")

IR_HEADERS = ["نوع جریان", "استان", "گمرک", "کد تعرفه", "شرح کالا", "کشور طرف معامله", "سال", "ماه",
              "وزن خالص (کیلوگرم)", "ارزش دلاری", "ارزش ریالی"]
FLOW_FA = {"export": "صادرات", "import": "واردات"}
PERSIAN_DIGITS = str.maketrans("0123456789,", "۰۱۲۳۴۵۶۷۸۹٬")
ARABIC_LETTERS = str.maketrans({"ی": "ي", "ک": "ك"})

# (province, Jalali year) -> file variant. Default: UTF-8 CSV, سال + ماه, plain numbers, «روسیه».
IR_VARIANTS = {
    ("IR-01", 1397): {"encoding": "cp1256"},
    ("IR-01", 1398): {"encoding": "cp1256"},
    ("IR-01", 1399): {"digits": "persian"},
    ("IR-01", 1401): {"thousands": True},
    ("IR-02", 1397): {"thousands": True},
    ("IR-02", 1398): {"thousands": True},
    ("IR-02", 1401): {"russia": "فدراسیون روسیه"},
    ("IR-02", 1402): {"period": "dore"},
    ("IR-02", 1403): {"encoding": "utf-8-sig"},
    ("IR-02", 1404): {"thousands": True},
    ("IR-27", 1398): {"usd": False},
    ("IR-27", 1399): {"russia": "فدراسیون روسیه"},
    ("IR-27", 1400): {"russia": "فدراسیون روسیه"},
    ("IR-27", 1403): {"xlsx": True},
}
# Gregorian year -> FCS file variant
RU_VARIANTS = {2020: "cp1251", 2021: "english"}

README = """# Sample data — ALL FILES ARE SYNTHETIC

Every file under this folder was produced by `etl/sample/` (`python -m etl sample`) from a
seeded random model (seed {seed}, scale {scale}). None of these numbers is a real customs figure;
they only have realistic magnitudes, products, seasons and file layouts. Published real figures
are in `data/reference/` and `shared/reference/published_figures.csv`.

How they were made: a hidden "true" monthly matrix of trade between Gilan (IR-01), Mazandaran
(IR-02), Golestan (IR-27) and Volgograd oblast (RU-VGG), 2019-01..2025-12, per HS 2022 subheading,
is wrapped in the flows each source would also see (other Russian regions, other Iranian
provinces, other partner countries) and written the way each source writes it:

- `iran_customs/` — IRICA-style files, one per province per Jalali year (1397: months 10–12,
  1404: months 1–10), Persian headers, 8-digit tariff codes, all partner countries, values by
  Jalali month. Variants: UTF-8, UTF-8 with BOM, thousands separators, cp1256 with Arabic ي/ك,
  Persian digits, an XLSX with a title row, a `دوره` column, a rial-only file.
- `russia_customs/` — FCS regional open-data files for Volgograd (OKATO 18000), one per year,
  10-digit TN VED, all partners. **The gap 2022-02..2022-12 is deliberate** (FCS stopped publishing
  in February 2022); 2023–2025 are present as if publication had resumed, which is fiction.
- `comtrade/` — UN Comtrade API v1 JSON, Iran (364) ↔ Russia (643), annual, HS 6-digit.
- `manual/` — a few "Mazandaran trade house in Volgograd (synthetic)" figures.

The hidden truth the ETL tries to recover is in `../truth/` (never loaded by the ETL).
"""


# --------------------------------------------------------------------------------------------
# helpers


def _rng(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def _months(first: str, last: str) -> pd.PeriodIndex:
    return pd.period_range(first, last, freq="M")


def _jalali_months() -> list[tuple[int, int]]:
    out, (y, m) = [], JALALI_FIRST
    while (y, m) <= JALALI_LAST:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _calendar():
    """Gregorian ext months, Jalali months, and W[j, g] = share of Gregorian month g in Jalali j."""
    greg = _months(EXT_FIRST, EXT_LAST)
    gidx = {(p.year, p.month): i for i, p in enumerate(greg)}
    jal = _jalali_months()
    starts = [jdatetime.date(y, m, 1).togregorian() for y, m in jal]
    ny, nm = (JALALI_LAST[0] + 1, 1) if JALALI_LAST[1] == 12 else (JALALI_LAST[0], JALALI_LAST[1] + 1)
    ends = starts[1:] + [jdatetime.date(ny, nm, 1).togregorian()]
    W = np.zeros((len(jal), len(greg)))
    for j, (s, e) in enumerate(zip(starts, ends, strict=True)):
        for k in range((e - s).days):
            d = s + dt.timedelta(days=k)
            W[j, gidx[(d.year, d.month)]] += 1
    W /= np.array([p.days_in_month for p in greg], dtype=float)[None, :]
    mids = [s + dt.timedelta(days=14) for s in starts]
    return greg, jal, W, starts, ends, mids


def irr_per_usd(day: dt.date) -> int:
    """Synthetic rial-per-USD rate of the Gregorian month containing `day`."""
    first = pd.Period(IRR_FIRST_MONTH, freq="M")
    i = (pd.Period(day, freq="M") - first).n
    return IRR_MONTHLY[min(max(i, 0), len(IRR_MONTHLY) - 1)]


def _price_index(hs6: str, years: np.ndarray) -> np.ndarray:
    if hs6 in GRAIN or hs6 in {"151219", "120400"}:
        return np.array([GRAIN_PRICE[int(y)] for y in years])
    return 1.0 + 0.03 * (years - 2019)


def _round_half_up(x: np.ndarray) -> np.ndarray:
    return np.floor(np.asarray(x, dtype=float) + 0.5).astype(np.int64)


# --------------------------------------------------------------------------------------------
# the model


class _Model:
    """All latent series on the extended Gregorian grid (columns = months 2018-12..2026-01)."""

    def __init__(self, seed: int):
        self.seed = seed
        self.greg, self.jal, self.W, self.jstart, self.jend, self.jmid = _calendar()
        self.gy = np.array([p.year for p in self.greg])
        self.gm = np.array([p.month for p in self.greg])
        self._truth()
        self._around()

    # 1. truth ---------------------------------------------------------------------------
    def _truth(self):
        rng = _rng(self.seed, "truth")
        keys, vals, kgs = [], [], []
        nyears = len(YEARS)
        for flow, hs6, base, weights in TRUTH_SPECS:
            season = SEASON[PRODUCTS[hs6][3]][self.gm - 1]
            growth = np.array([GROWTH[flow][y] for y in self.gy])
            shock = np.ones(len(self.greg))
            if flow == "import" and hs6 in GRAIN:  # 2022 grain export restrictions
                shock[(self.gy == 2022) & (self.gm >= 3) & (self.gm <= 6)] = 0.35
            if flow == "export":  # COVID spring 2020
                shock[(self.gy == 2020) & ((self.gm == 4) | (self.gm == 5))] = 0.6
            price = PRODUCTS[hs6][2] * _price_index(hs6, self.gy)
            for prov in PROVINCES:  # fixed order -> deterministic draws
                w = weights.get(prov, 0.0)
                if w == 0:
                    continue
                drift = np.exp(np.cumsum(rng.normal(0, 0.08, nyears)))
                drift = drift / drift[1]  # 2019 = 1
                drift_m = drift[self.gy - YEARS[0]]
                sigma = 0.30 if hs6 in GRAIN else 0.22
                noise = np.exp(rng.normal(-sigma**2 / 2, sigma, len(self.greg)))
                v = base * w / 12 * season * growth * shock * drift_m * noise
                cents = _round_half_up(v * 100)
                kg = _round_half_up(cents / 100 / (price * np.exp(rng.normal(0, 0.05, len(self.greg)))))
                keys.append((prov, flow, hs6))
                vals.append(cents)
                kgs.append(kg)
        self.t_keys = keys
        self.t_cents = np.array(vals)  # [S, G] integer cents
        self.t_val = self.t_cents / 100.0
        self.t_kg = np.array(kgs, dtype=float)

    # 2. flows around the truth ----------------------------------------------------------
    def _around(self):
        rng = _rng(self.seed, "around")
        S, G = self.t_val.shape
        # Volgograd share of a province's trade with Russia: 20..70 % per product and month.
        s0 = rng.uniform(0.25, 0.65, S)[:, None]
        share = np.clip(s0 * np.exp(rng.normal(0, 0.12, (S, G))), 0.20, 0.70)
        self.p_ru_val = self.t_val / share  # province <-> all Russia
        self.p_ru_kg = self.t_kg / share
        # group by (flow, hs6): sums over provinces
        self.g_keys = [(flow, hs6) for flow, hs6, _, _ in TRUTH_SPECS]
        gi = {k: i for i, k in enumerate(self.g_keys)}
        self.s2g = np.array([gi[(f, h)] for _, f, h in self.t_keys])
        n = len(self.g_keys)
        self.g_truth = np.zeros((n, G))
        self.g_truth_kg = np.zeros((n, G))
        self.g_pru = np.zeros((n, G))
        self.g_pru_kg = np.zeros((n, G))
        np.add.at(self.g_truth, self.s2g, self.t_val)
        np.add.at(self.g_truth_kg, self.s2g, self.t_kg)
        np.add.at(self.g_pru, self.s2g, self.p_ru_val)
        np.add.at(self.g_pru_kg, self.s2g, self.p_ru_kg)
        # other Iranian provinces <-> Volgograd: >= 15 % of the three provinces' truth
        r0 = rng.uniform(0.15, 0.50, n)[:, None]
        r = np.maximum(0.15, r0 * np.exp(rng.normal(0, 0.25, (n, G))))
        self.g_other_val = self.g_truth * r
        self.g_other_kg = self.g_truth_kg * r
        # Volgograd <-> Iran as FCS records it: CIF on imports, timing noise (0..10 % next month)
        vgg_val = self.g_truth + self.g_other_val
        vgg_kg = self.g_truth_kg + self.g_other_kg
        cif = rng.uniform(1.04, 1.09, (n, len(YEARS)))[:, self.gy - YEARS[0]]
        is_vgg_import = np.array([f == "export" for f, _ in self.g_keys])[:, None]  # province export
        vgg_val = np.where(is_vgg_import, vgg_val * cif, vgg_val)
        f = rng.uniform(0, 0.10, (n, G))
        self.vgg_ir_val = self._shift(vgg_val, f)
        self.vgg_ir_kg = self._shift(vgg_kg, f)
        self.vgg_cif = cif
        # national: rest of Iran <-> rest of Russia = q * (provinces<->Russia + others<->Volgograd)
        q0 = rng.uniform(0.5, 3.0, n)
        qy = q0[:, None] * rng.uniform(0.85, 1.15, (n, len(YEARS)))
        self.nat_q = qy  # by (group, year index)
        self.nat_cif = rng.uniform(1.04, 1.09, (n, len(YEARS)))
        self.nat_noise = rng.uniform(0.97, 1.03, (n, len(YEARS)))
        self.nat_kg_noise = rng.uniform(0.97, 1.03, (n, len(YEARS)))

    @staticmethod
    def _shift(x: np.ndarray, f: np.ndarray) -> np.ndarray:
        moved = x * f
        out = x - moved
        out[:, 1:] += moved[:, :-1]
        return out

    def in_range(self) -> np.ndarray:
        return np.array([FIRST <= str(p) <= LAST for p in self.greg])


# --------------------------------------------------------------------------------------------
# record builders


def _split_lines(df: pd.DataFrame, key_cols: list[str], n: int, rng: np.random.Generator,
                 value_cols: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """Split each row into n lines with fixed Dirichlet weights per key group; return (df, line)."""
    if n == 1:
        return df.reset_index(drop=True), np.zeros(len(df), dtype=np.int64)
    gid, uniq = pd.factorize(pd.MultiIndex.from_frame(df[key_cols]))
    w = rng.dirichlet(np.full(n, 2.0), size=len(uniq))
    out = df.loc[df.index.repeat(n)].reset_index(drop=True)
    ww = w[gid].ravel()
    for c in value_cols:
        out[c] = out[c].to_numpy() * ww
    return out, np.tile(np.arange(n), len(df))


def _iran_records(m: _Model, scale: int) -> pd.DataFrame:
    rng = _rng(m.seed, "iran")
    J = len(m.jal)
    jy = np.array([y for y, _ in m.jal])
    jm = np.array([mm for _, mm in m.jal])
    mid_y = np.array([d.year for d in m.jmid])
    mid_m = np.array([d.month for d in m.jmid])
    frames = []
    # Russia rows: Gregorian series allocated to Jalali months by days.
    pv = m.p_ru_val @ m.W.T
    pk = m.p_ru_kg @ m.W.T
    for s, (prov, flow, hs6) in enumerate(m.t_keys):
        offices = RUSSIA_OFFICES[prov]
        k = 2 if rng.random() < 0.4 else 1
        chosen = list(rng.choice(offices, size=k, replace=False))
        frac = rng.uniform(0.55, 0.9, J) if k == 2 else np.ones(J)
        for i, off in enumerate(chosen):
            fr = frac if i == 0 else 1 - frac
            frames.append(pd.DataFrame({"prov": prov, "flow": flow, "hs6": hs6, "partner": "RU", "office": off,
                                        "jy": jy, "jm": jm, "usd": pv[s] * fr, "kg": pk[s] * fr}))
    # Other partners, generated on the Jalali grid.
    specs = []
    for s, (prov, flow, hs6) in enumerate(m.t_keys):
        specs.append((prov, flow, hs6, float(m.t_val[s][(m.gy == 2019)].sum()), 0.9))
    for prov, flow, hs6, base in IR_EXTRAS:
        specs.append((prov, flow, hs6, base, None))
    for prov, flow, hs6, base, mult in specs:
        k = int(rng.integers(2, 5))
        p = np.array(PARTNER_PREF[prov]) / np.sum(PARTNER_PREF[prov])
        partners = rng.choice(OTHER_IR_PARTNERS, size=k, replace=False, p=p)
        shares = rng.dirichlet(np.full(k, 2.0))
        season = SEASON[PRODUCTS[hs6][3]][mid_m - 1]
        growth = np.array([GROWTH["other"][y] for y in mid_y])
        price = PRODUCTS[hs6][2] * _price_index(hs6, mid_y)
        for partner, sh in zip(partners, shares, strict=True):
            annual = base * (mult * np.exp(rng.normal(0, 0.8)) if mult else sh)
            active = rng.random(J) < 0.7
            v = annual / 12 * season * growth * np.exp(rng.normal(-0.06, 0.35, J)) * active / 0.7
            kg = v / (price * np.exp(rng.normal(0, 0.08, J)))
            frames.append(pd.DataFrame({"prov": prov, "flow": flow, "hs6": hs6, "partner": partner,
                                        "office": _other_office(prov, str(partner)), "jy": jy, "jm": jm,
                                        "usd": v, "kg": kg})[active])
    df = pd.concat(frames, ignore_index=True)
    n = min(scale, 99)
    df, line = _split_lines(df, ["prov", "flow", "hs6", "partner", "office"], n, _rng(m.seed, f"iran-lines-{n}"),
                            ["usd", "kg"])
    suffix = np.array(["00"]) if n == 1 else np.array([f"{i + 1:02d}" for i in range(n)])
    df["code"] = df["hs6"] + suffix[line]
    df["usd"] = _round_half_up(df["usd"])
    df["kg"] = np.maximum(_round_half_up(df["kg"]), 1)
    df = df[df["usd"] >= 1].copy()
    rates = {(y, mm): irr_per_usd(d) for (y, mm), d in zip(m.jal, m.jstart, strict=True)}
    rate_arr = np.array([rates[k] for k in m.jal], dtype=np.int64)
    jindex = {k: i for i, k in enumerate(m.jal)}
    df["rate"] = rate_arr[(df["jy"] * 100 + df["jm"]).map({y * 100 + mm: i for (y, mm), i in jindex.items()})]
    df["irr"] = df["usd"].astype(np.int64) * df["rate"].astype(np.int64)
    order = ["prov", "jy", "jm", "flow", "code", "partner", "office"]
    return df.sort_values(order, kind="stable").reset_index(drop=True)


def _fmt_int(s: pd.Series, thousands: bool, persian: bool) -> pd.Series:
    """Integers as text; Persian digits use the Persian thousands separator ٬ for amounts."""
    if thousands:
        s = s.map("{:,}".format)
    else:
        s = s.astype(str)
    if persian:
        s = s.str.translate(PERSIAN_DIGITS)
    return s


def _write_iran(df: pd.DataFrame, out: Path) -> list[Path]:
    written = []
    folder = out / "iran_customs"
    folder.mkdir(parents=True, exist_ok=True)
    for (prov, jy), g in df.groupby(["prov", "jy"], sort=True):
        var = IR_VARIANTS.get((prov, int(jy)), {})
        persian = var.get("digits") == "persian"
        thousands = bool(var.get("thousands"))
        russia = var.get("russia", IR_PARTNERS["RU"])
        names = {**IR_PARTNERS, "RU": russia}
        t = pd.DataFrame({
            "نوع جریان": g["flow"].map(FLOW_FA),
            "استان": PROVINCES[prov][0],
            "گمرک": g["office"],
            "کد تعرفه": g["code"],
            "شرح کالا": g["hs6"].map(lambda h: PRODUCTS[h][0]),
            "کشور طرف معامله": g["partner"].map(names),
        })
        if var.get("period") == "dore":
            t["دوره"] = [f"{y}/{mm:02d}" for y, mm in zip(g["jy"], g["jm"], strict=True)]
        else:
            t["سال"] = _fmt_int(g["jy"], False, persian).to_numpy()
            t["ماه"] = _fmt_int(g["jm"], False, persian).to_numpy()
        if var.get("xlsx"):
            t["سال"] = g["jy"].to_numpy()  # numeric cells in the workbook
            t["ماه"] = g["jm"].to_numpy()
            t["نوع حمل"] = g["office"].map(lambda o: MODE_FA[OFFICE_MODE[o]])
            t["وزن خالص (کیلوگرم)"] = g["kg"].to_numpy()
            t["ارزش دلاری"] = g["usd"].to_numpy()
            t["ارزش ریالی"] = g["irr"].to_numpy()
            path = folder / f"synthetic_{prov}_{PROVINCES[prov][1]}_{jy}.xlsx"
            title = f"آمار تجارت خارجی استان {PROVINCES[prov][0]} — سال {jy} — داده مصنوعی (synthetic)"
            _write_xlsx(t, path, title)
            written.append(path)
            continue
        sep = thousands or persian  # amounts only, never year/month
        t["وزن خالص (کیلوگرم)"] = _fmt_int(g["kg"], sep, persian).to_numpy()
        if var.get("usd", True):
            t["ارزش دلاری"] = _fmt_int(g["usd"], sep, persian).to_numpy()
        t["ارزش ریالی"] = _fmt_int(g["irr"], sep, persian).to_numpy()
        enc = var.get("encoding", "utf-8")
        path = folder / f"synthetic_{prov}_{PROVINCES[prov][1]}_{jy}.csv"
        if enc == "cp1256":
            t = t.rename(columns=lambda c: c.translate(ARABIC_LETTERS))
            for c in t.columns:
                if not pd.api.types.is_numeric_dtype(t[c]):
                    t[c] = t[c].astype(str).str.translate(ARABIC_LETTERS)
            t.to_csv(path, index=False, encoding="cp1256", lineterminator="\r\n")
        else:
            t.to_csv(path, index=False, encoding=enc, lineterminator="\n")
        written.append(path)
    return written


def _write_xlsx(t: pd.DataFrame, path: Path, title: str) -> None:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("آمار")
    ws.append([title])
    ws.append(list(t.columns))
    for row in t.itertuples(index=False, name=None):
        ws.append([v.item() if isinstance(v, np.generic) else v for v in row])
    wb.properties.creator = "Caspian Trade Monitor sample generator (synthetic)"
    wb.properties.title = title
    wb.properties.created = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    _stable_zip(buf.getvalue(), path)


def _stable_zip(data: bytes, path: Path) -> None:
    """Rewrite an XLSX with fixed zip timestamps and a fixed dcterms:modified."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
                body = re.sub(rb"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, body)
    path.write_bytes(out.getvalue())


def _russia_records(m: _Model, scale: int) -> pd.DataFrame:
    rng = _rng(m.seed, "russia")
    keep = m.in_range()
    months = m.greg[keep]
    gy, gm = m.gy[keep], m.gm[keep]
    G = len(months)
    frames = []
    # Volgograd <-> Iran (NAPR from Volgograd's side: province export = Volgograd import)
    for i, (flow, hs6) in enumerate(m.g_keys):
        napr = "ИМ" if flow == "export" else "ЭК"
        frames.append(pd.DataFrame({"napr": napr, "hs6": hs6, "strana": "IR", "y": gy, "m": gm,
                                    "usd": m.vgg_ir_val[i][keep], "kg": m.vgg_ir_kg[i][keep]}))
    # Volgograd <-> other partners
    specs = [("ИМ" if f == "export" else "ЭК", h, m.vgg_ir_val[i][keep]) for i, (f, h) in enumerate(m.g_keys)]
    specs += [("ЭК" if f == "export" else "ИМ", h, np.full(G, base / 12)) for f, h, base in VGG_EXTRAS]
    for napr, hs6, iran in specs:
        partners = PRODUCTS[hs6][6]
        shares = rng.dirichlet(np.full(len(partners), 2.0))
        iran_year = pd.Series(iran).groupby(gy).transform("sum").to_numpy() / 12
        if napr == "ЭК" and hs6 in GRAIN:
            ratio = np.array([GRAIN_OTHERS_RATIO[y] for y in gy])
        else:
            ratio = np.exp(rng.normal(0.2, 0.6)) * np.ones(G)
        season = SEASON[PRODUCTS[hs6][3]][gm - 1]
        price = PRODUCTS[hs6][2] * _price_index(hs6, gy)
        for partner, sh in zip(partners, shares, strict=True):
            active = rng.random(G) < 0.8
            v = iran_year * ratio * sh * season * np.exp(rng.normal(-0.045, 0.3, G)) * active / 0.8
            kg = v / (price * np.exp(rng.normal(0, 0.08, G)))
            frames.append(pd.DataFrame({"napr": napr, "hs6": hs6, "strana": partner, "y": gy, "m": gm,
                                        "usd": v, "kg": kg})[active & (v > 0)])
    df = pd.concat(frames, ignore_index=True)
    n = min(scale, 999)
    df, line = _split_lines(df, ["napr", "hs6", "strana"], n, _rng(m.seed, f"russia-lines-{n}"), ["usd", "kg"])
    suffix = np.array(["0000"]) if n == 1 else np.array([f"{i + 1:03d}0" for i in range(n)])
    df["tnved"] = df["hs6"] + suffix[line]
    df["usd"] = np.round(df["usd"].to_numpy(), 2)
    df["kg"] = np.round(df["kg"].to_numpy(), 2)
    df = df[(df["usd"] >= 0.01) & (df["kg"] >= 0.01)].copy()
    period = df["y"] * 100 + df["m"]
    hole = (period >= 202202) & (period <= 202212)
    df = df[~hole].copy()
    unit = df["hs6"].map(lambda h: PRODUCTS[h][4])
    per_kg = df["hs6"].map(lambda h: PRODUCTS[h][5]).to_numpy(dtype=float)
    df["edizm"] = unit
    df["kol"] = np.where(unit == "ШТ", np.maximum(np.round(df["kg"].to_numpy() * per_kg), 1), df["kg"])
    return df.sort_values(["y", "m", "napr", "strana", "tnved"], kind="stable").reset_index(drop=True)


def _write_russia(df: pd.DataFrame, out: Path) -> list[Path]:
    folder = out / "russia_customs"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for y, g in df.groupby("y", sort=True):
        t = pd.DataFrame({
            "NAPR": g["napr"], "PERIOD": [f"{mm:02d}/{yy}" for yy, mm in zip(g["y"], g["m"], strict=True)],
            "STRANA": g["strana"], "TNVED": g["tnved"], "EDIZM": g["edizm"], "STOIM": g["usd"],
            "NETTO": g["kg"], "KOL": g["kol"], "REGION": FCS_REGION, "REGION_S": FCS_REGION_S,
        })
        path = folder / f"synthetic_volgograd_{y}.csv"
        variant = RU_VARIANTS.get(int(y))
        if variant == "english":
            t["NAPR"] = t["NAPR"].map({"ИМ": "IM", "ЭК": "EX"})
            t.columns = ["DIRECTION", "PERIOD", "COUNTRY", "HS", "UM", "VALUE", "NETWEIGHT", "QUANTITY",
                         "REGION", "REGION_S"]
            t.to_csv(path, index=False, float_format="%.2f", lineterminator="\n")
        elif variant == "cp1251":
            t.to_csv(path, index=False, sep=";", decimal=",", float_format="%.2f", encoding="cp1251",
                     lineterminator="\r\n")
        else:
            t.to_csv(path, index=False, float_format="%.2f", lineterminator="\n")
        written.append(path)
    return written


COMTRADE_COUNTRIES = {364: ("IRN", "Iran"), 643: ("RUS", "Russian Federation")}


def _comtrade(m: _Model, out: Path) -> list[Path]:
    keep = m.in_range()
    gy = m.gy[keep]
    yrs = list(range(2019, 2026))
    yi = np.array(yrs) - YEARS[0]

    def annual(x):  # [n, G_ext] -> [n, 7]
        return np.stack([x[:, keep][:, gy == y].sum(axis=1) for y in yrs], axis=1)

    base_val = annual(m.g_pru + m.g_other_val)  # provinces<->Russia + other provinces<->Volgograd
    base_kg = annual(m.g_pru_kg + m.g_other_kg)
    nat_val = base_val * (1 + m.nat_q[:, yi])  # FOB, exporter's view
    nat_kg = base_kg * (1 + m.nat_q[:, yi])
    records = {364: [], 643: []}
    for i, (flow, hs6) in enumerate(m.g_keys):
        # province export: Iran X (FOB) and Russia M (CIF); province import: Russia X and Iran M
        exporter, importer = (364, 643) if flow == "export" else (643, 364)
        for k, y in enumerate(yrs):
            fob = float(round(nat_val[i, k]))
            cif = float(round(nat_val[i, k] * m.nat_cif[i, yi[k]] * m.nat_noise[i, yi[k]]))
            kg_x = float(round(nat_kg[i, k]))
            kg_m = float(round(nat_kg[i, k] * m.nat_kg_noise[i, yi[k]]))
            records[exporter].append(_ct_record(exporter, importer, "X", hs6, y, fob, kg_x))
            records[importer].append(_ct_record(importer, exporter, "M", hs6, y, cif, kg_m))
    folder = out / "comtrade"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for rep, recs in records.items():
        recs.sort(key=lambda r: (r["refYear"], r["flowCode"], r["cmdCode"]))
        iso = COMTRADE_COUNTRIES[rep][0]
        path = folder / f"synthetic_comtrade_{rep}_{iso}_2019-2025.json"
        body = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in recs)
        path.write_text(f'{{"elapsedTime":"0.00 secs","count":{len(recs)},"data":[\n{body}\n],"error":""}}\n',
                        encoding="utf-8")
        written.append(path)
    return written


def _ct_record(rep: int, par: int, flow: str, hs6: str, year: int, value: float, kg: float) -> dict:
    r_iso, r_desc = COMTRADE_COUNTRIES[rep]
    p_iso, p_desc = COMTRADE_COUNTRIES[par]
    return {
        "typeCode": "C", "freqCode": "A", "refPeriodId": year * 10000 + 101, "refYear": year, "refMonth": 52,
        "period": str(year), "reporterCode": rep, "reporterISO": r_iso, "reporterDesc": r_desc,
        "flowCode": flow, "flowDesc": "Export" if flow == "X" else "Import",
        "partnerCode": par, "partnerISO": p_iso, "partnerDesc": p_desc,
        "partner2Code": 0, "partner2ISO": "W00", "partner2Desc": "World",
        "classificationCode": "H6", "classificationSearchCode": "HS", "isOriginalClassification": True,
        "cmdCode": hs6, "cmdDesc": PRODUCTS[hs6][1], "aggrLevel": 6, "isLeaf": True,
        "customsCode": "C00", "customsDesc": "TOTAL CPC", "mosCode": "0", "motCode": 0, "motDesc": "TOTAL MOT",
        "qtyUnitCode": 8, "qtyUnitAbbr": "kg", "qty": kg, "isQtyEstimated": False,
        "altQtyUnitCode": -1, "altQtyUnitAbbr": "N/A", "altQty": None, "isAltQtyEstimated": False,
        "netWgt": kg, "isNetWgtEstimated": False, "grossWgt": None, "isGrossWgtEstimated": False,
        "cifvalue": value if flow == "M" else None, "fobvalue": value if flow == "X" else None,
        "primaryValue": value, "legacyEstimationFlag": 0, "isReported": True, "isAggregate": False,
    }


MANUAL_ROWS = [("IR-02", "export", "081050", 2023), ("IR-02", "export", "081050", 2024),
               ("IR-02", "import", "100199", 2024), ("IR-02", "export", "252329", 2023),
               ("IR-02", "import", "100390", 2025)]


def _manual(m: _Model, out: Path) -> list[Path]:
    rows = []
    idx = {k: i for i, k in enumerate(m.t_keys)}
    for prov, flow, hs6, year in MANUAL_ROWS:
        i = idx[(prov, flow, hs6)]
        sel = m.gy == year
        cents = int(m.t_cents[i][sel].sum())
        kg = int(m.t_kg[i][sel].sum())
        rows.append({
            "source_note": "Mazandaran trade house in Volgograd (synthetic)", "url": "",
            "reporter_country": "IR", "reporter_region": prov, "partner_country": "RU", "partner_region": VGG,
            "flow": flow, "hs_code": hs6, "period": str(year), "calendar": "gregorian",
            "value_usd": f"{cents // 100}.{cents % 100:02d}", "net_kg": str(kg),
        })
    folder = out / "manual"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "synthetic_mazandaran_trade_house_volgograd.csv"
    pd.DataFrame(rows).to_csv(path, index=False, lineterminator="\n")
    return [path]


def _truth_files(m: _Model, truth_dir: Path) -> list[Path]:
    truth_dir.mkdir(parents=True, exist_ok=True)
    keep = m.in_range()
    months = [str(p) for p in m.greg[keep]]
    G = len(months)
    prov = np.repeat([k[0] for k in m.t_keys], G)
    flow = np.repeat([k[1] for k in m.t_keys], G)
    hs6 = np.repeat([k[2] for k in m.t_keys], G)
    cents = m.t_cents[:, keep].ravel()
    t = pd.DataFrame({
        "province": prov, "partner_region": VGG, "flow": flow, "hs6": hs6, "month": np.tile(months, len(m.t_keys)),
        "value_usd": [f"{c // 100}.{c % 100:02d}" for c in cents],
        "net_kg": m.t_kg[:, keep].ravel().astype(np.int64),
    }).sort_values(["province", "flow", "hs6", "month"], kind="stable")
    p1 = truth_dir / "bilateral_truth.csv"
    t.to_csv(p1, index=False, lineterminator="\n")
    fx = pd.DataFrame({
        "jalali_period": [f"{y}/{mm:02d}" for y, mm in m.jal],
        "period_start": [d.isoformat() for d in m.jstart],
        "period_end": [(d - dt.timedelta(days=1)).isoformat() for d in m.jend],
        "irr_per_usd": [irr_per_usd(d) for d in m.jstart],
    })
    p2 = truth_dir / "irr_per_usd.csv"
    fx.to_csv(p2, index=False, lineterminator="\n")
    return [p1, p2]


# --------------------------------------------------------------------------------------------


def generate(out_dir: Path, *, scale: int = 1, seed: int = DEFAULT_SEED, truth_dir: Path | None = None) -> list[Path]:
    """Write the synthetic sample raw files to out_dir and the hidden truth to truth_dir.

    truth_dir defaults to out_dir/../truth. Returns the written files (raw first, then truth).
    """
    if scale < 1:
        raise ValueError("scale must be >= 1")
    out_dir = Path(out_dir)
    truth_dir = Path(truth_dir) if truth_dir is not None else out_dir.parent / "truth"
    out_dir.mkdir(parents=True, exist_ok=True)
    m = _Model(seed)
    written: list[Path] = []
    written += _write_iran(_iran_records(m, scale), out_dir)
    written += _write_russia(_russia_records(m, scale), out_dir)
    written += _comtrade(m, out_dir)
    written += _manual(m, out_dir)
    readme = out_dir / "README.md"
    readme.write_text(README.format(seed=seed, scale=scale), encoding="utf-8")
    written.append(readme)
    written += _truth_files(m, truth_dir)
    return written
