"""Iranian customs (IRICA) statistics per province or customs office, CSV or XLSX, Persian headers.

Files may be cp1256, use Arabic ي/ك, Persian digits and separators (cleaned in etl.text).
Periods are Jalali: year + month columns, a single '1403/05' cell, or a year. Values in USD
and/or rial; rial-only rows are converted with data/reference/fx.csv and flagged.

Iranian customs publish exports and imports as separate reports, so a file may have no flow
column: the flow is then read from its title rows or its file name (صادرات / واردات, saderat /
varedat, export / import). An unknown customs office (when the province is known) or transport
mode is a warning: the row loads with the office NULL or the mode 'unknown', and the name as
written in its flags.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from etl.periods import parse_column, parse_jalali
from etl.readers import read_table
from etl.reference import Reference, lookup
from etl.sources.common import Columns, Numbers, Rejects, find_columns, head_cells, join_flags, unknown_flag
from etl.staging import AdapterResult, FileError, Reject, to_staging
from etl.text import MAX_RIALS, clean_text, map_distinct, parse_hs

NAME = "iran_customs"
HS_COLUMN = "کد تعرفه"  # named in messages about HS codes found after reading

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
         "export": "export", "import": "import", "exports": "export", "imports": "import"}
# words in a title row or the file name that say the flow of a file without a flow column
FLOW_WORDS = {"export": ("صادرات", "saderat", "export", "exports"),
              "import": ("واردات", "varedat", "import", "imports")}
NO_FLOW = ("the file says neither صادرات (export) nor واردات (import): add a column نوع جریان with صادرات or "
           "واردات in each row, or write صادرات or واردات in the title row above the header or in the file name "
           "(e.g. saderat_gilan_1403.csv)")


def is_header(cells: list[str]) -> bool:
    """Enough Persian column names to be sure; a missing required one is reported by `read`."""
    found = find_columns(cells, COLUMNS)
    return bool({"hs", "partner"} & found.keys()) and len(found) >= 4


def sniff(path: Path, head: bytes) -> bool:
    return any(is_header(row) for row in head_cells(path, head))


def read(path: Path, name: str, ref: Reference) -> AdapterResult:
    table = read_table(path, name, is_header=is_header)
    cols = find_columns(table.header, COLUMNS)
    hint = file_flow([*table.titles, name])
    _require(cols, name, hint)
    rej = Rejects(name, table.rows)
    out = pd.DataFrame(index=table.cells.index)

    columns = Columns(table, cols)
    col, label = columns.cell, columns.label
    numbers = Numbers(name, table.rows, {f: (label(f), col(f)) for f in ("kg", "tonnes", "usd", "rial") if f in cols})

    if "flow" in cols:
        flow = col("flow")
        out["flow"] = map_distinct(flow.str.casefold(), FLOWS).astype("string")
        if hint:  # an empty cell in an export report is an export
            out["flow"] = out["flow"].mask(flow.isna() | (flow == ""), hint)
        rej.add(out["flow"].isna(), label("flow"), flow, "expected صادرات (export) or واردات (import)")
    else:
        out["flow"] = hint

    flags = _where(col, label, cols, ref, rej, out)
    _period(col, label, cols, rej, out)

    partner = col("partner")
    out["partner_country"] = lookup(partner, ref.country_by_name)
    rej.add(out["partner_country"].isna(), label("partner"), partner,
            "unknown partner country; expected a Persian country name (e.g. روسیه) or an ISO code listed "
            "in data/reference/countries.csv")

    hs = col("hs")
    out["hs_code"], hs_err = parse_hs(hs)
    rej.add(hs_err.notna(), label("hs"), hs, hs_err)

    _weight(numbers, cols, rej, out)
    usd_from_rial = _value(numbers, label, cols, ref, rej, out)

    out["source"] = NAME
    out["file"] = name
    out["row"] = table.rows
    out["reporter_country"] = "IR"
    out["calendar"] = "jalali"
    out["value_basis"] = map_distinct(out["flow"], {"import": "CIF", "export": "FOB"}).astype("string")
    out["flags"] = join_flags(usd_from_rial, *flags)
    return AdapterResult(to_staging(out[rej.ok]), rej.items, total_rows=len(out), warnings=rej.warnings,
                         encoding=table.encoding)


def file_flow(texts: list[str]) -> str | None:
    """'export' or 'import' when the title rows and the file name name exactly one of the two."""
    words = clean_text(" ".join(texts)).casefold()
    tokens = set(re.split(r"[\W_]+", words))
    said = {flow for flow, names in FLOW_WORDS.items()
            if any(n in words if not n.isascii() else n in tokens for n in names)}
    return said.pop() if len(said) == 1 else None


def _require(cols: dict[str, int], name: str, hint: str | None) -> None:
    if "flow" not in cols and hint is None:
        raise FileError(Reject(name, None, "نوع جریان", None, NO_FLOW))
    needs = [("hs", "کد تعرفه"), ("partner", "کشور طرف معامله")]
    missing = [fa for field, fa in needs if field not in cols]
    if "province" not in cols and "office" not in cols:
        missing.append("استان or گمرک")
    if not ({"year", "period"} & cols.keys()):
        missing.append("سال (and ماه) or دوره")
    if not ({"usd", "rial"} & cols.keys()):
        missing.append("ارزش دلاری or ارزش ریالی")
    if missing:
        raise FileError(Reject(name, 1, ", ".join(missing), None, "required column missing"))


def _where(col, label, cols, ref: Reference, rej: Rejects, out: pd.DataFrame) -> list[pd.Series]:
    """Province from its own column or from the customs office; transport mode likewise. Returns the
    flags that keep unknown office and mode names."""
    office = col("office")
    out["customs_office"] = lookup(office, ref.office_by_name)
    unknown_office = (office.notna() & (office != "") & out["customs_office"].isna()).fillna(False)
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
    if "province" not in cols:  # the office is the only way to the province
        rej.add(unknown_office, label("office"), office,
                "unknown customs office, and no استان column to tell the province; expected an office listed "
                "in data/reference/customs_offices.csv")
    rej.add(out["reporter_region"].isna(), label("province") if "province" in cols else label("office"),
            col("province") if "province" in cols else office,
            "the province is missing; fill استان or a known customs office")
    if "office" in cols:
        rej.warn(unknown_office, label("office"), office,
                 "unknown customs office: the row loads with no office (the name as written is kept in the row's "
                 "flags); add it to data/reference/customs_offices.csv")
    mode = col("mode")
    out["transport_mode"] = lookup(mode, ref.mode_by_name)
    unknown_mode = (mode.notna() & (mode != "") & out["transport_mode"].isna()).fillna(False)
    if "mode" in cols:
        rej.warn(unknown_mode, label("mode"), mode,
                 "unknown transport mode: the row loads with mode 'unknown'; expected دریایی، ریلی، جاده ای or هوایی")
    office_mode = map_distinct(out["customs_office"], ref.office_mode).astype("string")
    # the office's usual mode fills an empty cell, not one that says something this tool does not know
    out["transport_mode"] = out["transport_mode"].fillna(office_mode.where(~unknown_mode)).fillna("unknown")
    return [unknown_flag("office", office, unknown_office), unknown_flag("mode", mode, unknown_mode)]


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


def _weight(numbers: Numbers, cols, rej: Rejects, out: pd.DataFrame) -> None:
    out["net_kg"] = float("nan")
    for field, factor in (("kg", 1.0), ("tonnes", 1000.0)):
        if field in cols:
            values = numbers.read(field, rej, f"expected a non-negative weight in {'kg' if factor == 1 else 'tonnes'} "
                                  "(below 10 trillion) or an empty cell")
            out["net_kg"] = out["net_kg"].fillna(values * factor)


def _value(numbers: Numbers, label, cols, ref: Reference, rej: Rejects, out: pd.DataFrame) -> pd.Series:
    """value_usd from USD, or from rials at the month's rate; returns the flag of converted rows."""
    nothing = pd.Series(np.nan, index=out.index)
    usd = numbers.read("usd", rej, "expected a non-negative value in US dollars (below 10 trillion)") \
        if "usd" in cols else nothing
    rial = numbers.read("rial", rej, "expected a non-negative value in rials (below 10^19)", max_value=MAX_RIALS) \
        if "rial" in cols else nothing
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
    return pd.Series(pd.NA, index=out.index, dtype="string").mask(from_rial, "usd_from_rial")
