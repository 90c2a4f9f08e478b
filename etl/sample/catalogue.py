"""What the synthetic sample trades, where and when: places, products, seasons, growth, prices, rates.

Static facts only (no randomness). Products and magnitudes follow what is published about the
provinces' and Volgograd's trade (see the module docstring of `etl.sample.generator`).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

DEFAULT_SEED = 20251203
FIXED_TIME = dt.datetime(2025, 12, 3, 0, 0, 0)  # document properties and zip stamps of the XLSX
VGG = "RU-VGG"
ROI = "rest"  # the rest of Iran: every Iranian origin or consignee outside the three provinces

PROVINCES = {  # code -> (Persian name, file slug)
    "IR-01": ("گیلان", "gilan"),
    "IR-02": ("مازندران", "mazandaran"),
    "IR-27": ("گلستان", "golestan"),
}
ORIGINS = (*PROVINCES, ROI)  # the rows of every product's table, in a fixed order

# Customs offices (verbatim names) -> transport mode.
OFFICE_MODE = {
    "گمرک بندر انزلی": "sea", "گمرک بندر کاسپین": "sea", "گمرک آستارا": "road", "گمرک رشت": "road",
    "گمرک بندر امیرآباد": "sea", "گمرک بندر نوشهر": "sea", "گمرک فریدونکنار": "sea", "گمرک ساری": "road",
    "گمرک اینچه برون": "rail", "گمرک بندر ترکمن": "sea", "گمرک گرگان": "road",
}
MODE_FA = {"sea": "دریایی", "rail": "ریلی", "road": "جاده ای"}


def other_office(prov: str, partner: str) -> str:
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
GROWTH = {  # direction (Iranian side) -> index by year
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
    "271019": ("فرآورده های نفتی سنگین", "Petroleum oils, other than light",
               .6, "flat", "КГ", 0, ["TR", "NNN", "AZ", "KZ"]),
    "870899": ("قطعات خودرو", "Motor vehicle parts, other", 6.0, "flat", "ШТ", 0.5, ["CN", "TR", "KZ"]),
    # traded with other partners only
    "401110": ("تایر نو سواری", "New pneumatic tyres for motor cars", 2.5, "flat", "ШТ", 0.12, []),
    "120190": ("دانه سویا", "Soya beans, other than seed", .45, "volga", "КГ", 0, []),
    "020230": ("گوشت گاو منجمد بی استخوان", "Bovine meat, boneless, frozen", 4.5, "flat", "КГ", 0, []),
    "252310": ("کلینکر سیمان", "Cement clinkers", .035, "build", "КГ", 0, []),
    "230400": ("کنجاله سویا", "Soya-bean oil-cake", .42, "flat", "КГ", 0, []),
    "040721": ("تخم مرغ تازه", "Hen eggs in shell, fresh", 1.1, "flat", "КГ", 0, []),
    "280120": ("ید", "Iodine", 40.0, "flat", "КГ", 0, []),
    "730630": ("لوله فولادی جوشی", "Welded tubes of iron or non-alloy steel", .9, "build", "КГ", 0, []),
}

# Iran <-> Russia, per direction (Iranian side: 'export' = Iran -> Russia) and hs6: the three provinces'
# trade with all of Russia in 2019 (USD) and its split over the provinces, or None for a product only
# the rest of Iran trades with Russia (Volgograd's petroleum products and its car-parts imports).
RUSSIA_TRADE = [
    ("import", "100199", 27.5e6, {"IR-02": .50, "IR-01": .30, "IR-27": .20}),
    ("import", "100390", 17.5e6, {"IR-02": .55, "IR-01": .20, "IR-27": .25}),
    ("import", "100590", 15.0e6, {"IR-02": .50, "IR-01": .35, "IR-27": .15}),
    ("import", "151219", 6.25e6, {"IR-01": .55, "IR-02": .35, "IR-27": .10}),
    ("import", "071320", 3.0e6, {"IR-02": .40, "IR-01": .30, "IR-27": .30}),
    ("import", "120400", 1.5e6, {"IR-02": .50, "IR-27": .50}),
    ("import", "720712", 4.0e6, {"IR-01": .60, "IR-02": .40}),
    ("import", "721049", 1.75e6, {"IR-01": .50, "IR-02": .50}),
    ("import", "100630", 1.0e6, {"IR-01": 1.0}),
    ("import", "271019", 0.0, None),
    ("export", "081050", 4.5e6, {"IR-02": .75, "IR-01": .25}),
    ("export", "080510", 2.5e6, {"IR-02": .85, "IR-01": .15}),
    ("export", "080521", 1.75e6, {"IR-02": .80, "IR-01": .20}),
    ("export", "040690", 1.75e6, {"IR-02": .60, "IR-27": .40}),
    ("export", "040390", 1.0e6, {"IR-02": .70, "IR-27": .30}),
    ("export", "252329", 1.5e6, {"IR-02": .70, "IR-27": .30}),
    ("export", "390311", 2.25e6, {"IR-27": .80, "IR-02": .20}),
    ("export", "200290", 1.25e6, {"IR-27": .40, "IR-02": .40, "IR-01": .20}),
    ("export", "080410", 0.9e6, {"IR-27": .70, "IR-02": .30}),
    ("export", "080251", 1.4e6, {"IR-27": .80, "IR-02": .20}),
    ("export", "030389", 0.75e6, {"IR-01": .70, "IR-02": .30}),
    ("export", "030489", 0.5e6, {"IR-01": .80, "IR-02": .20}),
    ("export", "060312", 0.3e6, {"IR-01": .80, "IR-02": .20}),
    ("export", "060290", 0.5e6, {"IR-01": .60, "IR-02": .40}),
    ("export", "090230", 0.9e6, {"IR-01": 1.0}),
    ("export", "870899", 0.0, None),
]
# The rest of Iran's 2019 trade with Russia in the products only it trades (USD).
REST_ONLY_2019 = {"271019": 18.0e6, "870899": 6.0e6}
# Province trade with other partners only: (province, flow, hs6, annual USD)
IR_EXTRAS = [
    ("IR-01", "export", "401110", 2.0e6), ("IR-01", "import", "120190", 6.0e6), ("IR-01", "import", "020230", 3.0e6),
    ("IR-02", "export", "252310", 3.0e6), ("IR-02", "import", "230400", 5.0e6), ("IR-27", "export", "040721", 2.5e6),
    ("IR-27", "export", "280120", 1.5e6), ("IR-27", "export", "730630", 1.2e6),
]

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


def irr_per_usd(day: dt.date) -> int:
    """Synthetic rial-per-USD rate of the Gregorian month containing `day`."""
    first = pd.Period(IRR_FIRST_MONTH, freq="M")
    i = (pd.Period(day, freq="M") - first).n
    return IRR_MONTHLY[min(max(i, 0), len(IRR_MONTHLY) - 1)]


def price_index(hs6: str, years: np.ndarray) -> np.ndarray:
    """Unit-price index by year (grain and oilseeds follow the 2021–2022 spike, the rest +3 %/year)."""
    years = np.asarray(years)
    if hs6 in GRAIN or hs6 in {"151219", "120400"}:
        return np.array([GRAIN_PRICE[int(y)] for y in years])
    return 1.0 + 0.03 * (years - 2019)
