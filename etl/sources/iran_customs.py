"""Iranian customs (IRICA) statistics per province or customs office, CSV or XLSX, Persian headers.

Files may be cp1256, use Arabic ي/ك, Persian digits and separators (cleaned in etl.text).
Periods are Jalali: year + month columns, a single '1403/05' cell, or a year. Values in USD
and/or rial; rial-only rows are converted with data/reference/fx.csv and flagged.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.periods import parse_column, parse_jalali
from etl.readers import read_table
from etl.reference import Reference, lookup
from etl.sources.common import Columns, Rejects, find_columns, head_cells
from etl.staging import AdapterResult, FileError, Reject, to_staging
from etl.text import MAX_RIALS, map_distinct, parse_hs, parse_numbers

NAME = "iran_customs"
HS_COLUMN = "کد تعرفه"  # named in messages about HS codes found after reading
ENCODING = "cp1256"

COLUMNS = {
    "flow": ("نوع جریان", "جریان", "نوع تجارت", "صادرات/واردات", "نوع"),
    "province": ("استان", "نام استان"),
    "office": ("گمرک", "گمرک اجرا کننده", "نام گمرک", "گمرک اظهار"),
    "hs": ("کد تعرفه", "تعرفه", "کد تعرفه کالا", "کد کالا", "ردیف تعرفه"),
    "description": ("شرح کالا", "شرح تعرفه", "شرح"),
    "partner": ("کشور طرف معامله", "کشور", "کشور مقصد", "کشور مبدا", "کشور مقصد/مبدا", "کشور طرف تجاری"),
    "year": ("سال",),
    "month": ("ماه",),
    "period": ("دوره", "تاریخ", "ماه و سال", "دوره زمانی"),
    "kg": ("وزن خالص (کیلوگرم)", "وزن خالص", "وزن (کیلوگرم)", "وزن خالص(کیلوگرم)", "وزن - کیلوگرم"),
    "tonnes": ("وزن (تن)", "وزن خالص (تن)", "وزن - تن"),
    "usd": ("ارزش دلاری", "ارزش (دلار)", "ارزش دلار", "ارزش به دلار"),
    "rial": ("ارزش ریالی", "ارزش (ریال)", "ارزش ریال", "ارزش به ریال"),
    "mode": ("نوع حمل", "شیوه حمل", "نحوه حمل"),
}
FLOWS = {"صادرات": "export", "صادراتی": "export", "واردات": "import", "وارداتی": "import",
         "export": "export", "import": "import"}


def is_header(cells: list[str]) -> bool:
    """Enough Persian column names to be sure; a missing required one is reported by `read`."""
    found = find_columns(cells, COLUMNS)
    return bool({"hs", "partner"} & found.keys()) and len(found) >= 4


def sniff(path: Path, head: bytes) -> bool:
    return any(is_header(row) for row in head_cells(path, head))


def read(path: Path, name: str, ref: Reference) -> AdapterResult:
    table = read_table(path, name, fallback_encoding=ENCODING, is_header=is_header)
    cols = find_columns(table.header, COLUMNS)
    _require(cols, name)
    rej = Rejects(name, table.rows)
    out = pd.DataFrame(index=table.cells.index)

    columns = Columns(table, cols)
    col, label = columns.cell, columns.label

    flow = col("flow")
    out["flow"] = map_distinct(flow.str.casefold(), FLOWS).astype("string")
    rej.add(out["flow"].isna(), label("flow"), flow, "expected صادرات (export) or واردات (import)")

    _where(col, label, cols, ref, rej, out)
    _period(col, label, cols, rej, out)

    partner = col("partner")
    out["partner_country"] = lookup(partner, ref.country_by_name)
    rej.add(out["partner_country"].isna(), label("partner"), partner,
            "unknown partner country; expected a Persian country name (e.g. روسیه) or an ISO code listed "
            "in data/reference/countries.csv")

    hs = col("hs")
    out["hs_code"], hs_err = parse_hs(hs)
    rej.add(hs_err.notna(), label("hs"), hs, hs_err)

    _weight(col, label, cols, rej, out)
    _value(col, label, cols, ref, rej, out)

    out["source"] = NAME
    out["file"] = name
    out["row"] = table.rows
    out["reporter_country"] = "IR"
    out["calendar"] = "jalali"
    out["value_basis"] = map_distinct(out["flow"], {"import": "CIF", "export": "FOB"}).astype("string")
    return AdapterResult(to_staging(out[rej.ok]), rej.items, total_rows=len(out))


def _require(cols: dict[str, int], name: str) -> None:
    needs = [("flow", "نوع جریان"), ("hs", "کد تعرفه"), ("partner", "کشور طرف معامله")]
    missing = [fa for field, fa in needs if field not in cols]
    if "province" not in cols and "office" not in cols:
        missing.append("استان or گمرک")
    if not ({"year", "period"} & cols.keys()):
        missing.append("سال (and ماه) or دوره")
    if not ({"usd", "rial"} & cols.keys()):
        missing.append("ارزش دلاری or ارزش ریالی")
    if missing:
        raise FileError(Reject(name, 1, ", ".join(missing), None, "required column missing"))


def _where(col, label, cols, ref: Reference, rej: Rejects, out: pd.DataFrame) -> None:
    """Province from its own column or from the customs office; transport mode likewise."""
    office = col("office")
    out["customs_office"] = lookup(office, ref.office_by_name)
    if "office" in cols:
        unknown = office.notna() & (office != "") & out["customs_office"].isna()
        rej.add(unknown, label("office"), office,
                "unknown customs office; expected a name listed in data/reference/customs_offices.csv")
    by_office = map_distinct(out["customs_office"], ref.office_province).astype("string")
    if "province" in cols:
        province = col("province")
        out["reporter_region"] = lookup(province, ref.region_by_name)
        out["reporter_region"] = out["reporter_region"].where(
            map_distinct(out["reporter_region"], ref.region_country) == "IR")
        rej.add(province.notna() & (province != "") & out["reporter_region"].isna(), label("province"), province,
                "unknown province; expected an Iranian province name (e.g. مازندران) or code (IR-02)")
        out["reporter_region"] = out["reporter_region"].fillna(by_office)
    else:
        out["reporter_region"] = by_office
    rej.add(out["reporter_region"].isna(), label("province") if "province" in cols else label("office"),
            col("province") if "province" in cols else office,
            "the province is missing; fill استان or a known customs office")
    mode = col("mode")
    out["transport_mode"] = lookup(mode, ref.mode_by_name)
    if "mode" in cols:
        rej.add(mode.notna() & (mode != "") & out["transport_mode"].isna(), label("mode"), mode,
                "unknown transport mode; expected دریایی، ریلی، جاده ای or هوایی")
    office_mode = map_distinct(out["customs_office"], ref.office_mode).astype("string")
    out["transport_mode"] = out["transport_mode"].fillna(office_mode).fillna("unknown")


def _period(col, label, cols, rej: Rejects, out: pd.DataFrame) -> None:
    if "period" in cols:
        labels = col("period")
        column = label("period")
    elif "month" in cols:
        year, month = col("year"), col("month")
        month2 = month.str.zfill(2)
        labels = (year + "/" + month2).where(month.notna() & (month != ""), year)
        column = f"{label('year')}, {label('month')}"
    else:
        labels = col("year")
        column = label("year")
    start, end, freq, err = parse_column(labels, parse_jalali)
    rej.add(err.notna(), column, labels, err)
    out["period_start"], out["period_end"], out["freq"], out["period_label"] = start, end, freq, labels


def _weight(col, label, cols, rej: Rejects, out: pd.DataFrame) -> None:
    out["net_kg"] = float("nan")
    for field, factor in (("kg", 1.0), ("tonnes", 1000.0)):
        if field in cols:
            raw = col(field)
            values, bad = parse_numbers(raw)
            rej.add(bad, label(field), raw,
                    f"expected a non-negative weight in {'kg' if factor == 1 else 'tonnes'} (below 10 trillion) "
                    "or an empty cell")
            out["net_kg"] = out["net_kg"].fillna(values * factor)


def _value(col, label, cols, ref: Reference, rej: Rejects, out: pd.DataFrame) -> None:
    usd, usd_bad = parse_numbers(col("usd"))
    rial, rial_bad = parse_numbers(col("rial"), max_value=MAX_RIALS)
    if "usd" in cols:
        rej.add(usd_bad, label("usd"), col("usd"), "expected a non-negative value in US dollars (below 10 trillion)")
    if "rial" in cols:
        rej.add(rial_bad, label("rial"), col("rial"), "expected a non-negative value in rials (below 10^19)")
    month = out["period_start"].dt.strftime("%Y-%m").astype("string")
    rate = map_distinct(month, ref.rial_per_usd).astype("float64")
    from_rial = usd.isna() & rial.notna()
    no_rate = from_rial & rate.isna() & out["period_start"].notna()
    rej.add(no_rate, label("rial") if "rial" in cols else None, month,
            "no rial/USD rate for this month in data/reference/fx.csv; add it or give the USD value")
    missing = usd.isna() & rial.isna()
    rej.add(missing, label("usd") if "usd" in cols else label("rial"), None,
            "a value is required: ارزش دلاری (USD) or ارزش ریالی (rial)")
    out["value_usd"] = usd.fillna(rial / rate)
    out["value_native"] = rial.where(rial.notna(), usd)
    out["currency_native"] = pd.Series("IRR", index=out.index, dtype="string").where(rial.notna(), "USD")
    out["flags"] = pd.Series(pd.NA, index=out.index, dtype="string").mask(from_rial, "usd_from_rial")
