"""Russian customs (FCS) regional open data: one row per region × partner × TN VED code × period.

Headers come in Russian (NAPR, PERIOD, STRANA, …) or English (DIRECTION, PERIOD, COUNTRY, …);
CSV in UTF-8 or cp1251, comma or semicolon delimited (with a decimal comma), or XLSX with title
rows above the header. The region comes from the OKATO prefix of REGION
("18000 - ВОЛГОГРАДСКАЯ ОБЛАСТЬ").
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.periods import parse_column, parse_gregorian
from etl.readers import read_table
from etl.reference import Reference
from etl.sources.common import Columns, Rejects, find_columns, head_cells
from etl.staging import AdapterResult, FileError, Reject, to_staging
from etl.text import map_distinct, parse_hs, parse_numbers

NAME = "russia_customs"
HS_COLUMN = "TNVED"  # named in messages about HS codes found after reading
ENCODING = "cp1251"

# our field -> header names, Russian first then the English variant
COLUMNS = {
    "direction": ("NAPR", "DIRECTION"),
    "period": ("PERIOD",),
    "country": ("STRANA", "COUNTRY"),
    "hs": ("TNVED", "HS"),
    "unit": ("EDIZM", "UM"),
    "value": ("STOIM", "VALUE"),
    "netto": ("NETTO", "NETWEIGHT"),
    "qty": ("KOL", "QUANTITY"),
    "region": ("REGION",),
    "district": ("REGION_S",),
}
REQUIRED = ("direction", "period", "country", "hs", "value", "region")
FLOWS = {"ИМ": "import", "ЭК": "export", "IM": "import", "EX": "export", "IMPORT": "import",
         "EXPORT": "export", "ИМПОРТ": "import", "ЭКСПОРТ": "export"}
UNDISCLOSED = "NNN"


def is_header(cells: list[str]) -> bool:
    """Enough FCS column names to be sure; a missing required one is reported by `read`."""
    found = find_columns(cells, COLUMNS)
    return "period" in found and len(found) >= 5


def sniff(path: Path, head: bytes) -> bool:
    return any(is_header(row) for row in head_cells(path, head))


def read(path: Path, name: str, ref: Reference) -> AdapterResult:
    table = read_table(path, name, fallback_encoding=ENCODING, is_header=is_header)
    cols = find_columns(table.header, COLUMNS)
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in cols]
    if missing:
        raise FileError(Reject(name, 1, ", ".join(missing), None, "required column missing"))
    decimal_comma = table.delimiter == ";"

    columns = Columns(table, cols)
    col, label = columns.cell, columns.label

    rej = Rejects(name, table.rows)
    out = pd.DataFrame(index=table.cells.index)

    direction = col("direction")
    out["flow"] = map_distinct(direction.str.upper(), FLOWS).astype("string")
    rej.add(out["flow"].isna(), label("direction"), direction, "expected ИМ (import) or ЭК (export)")

    period = col("period")
    start, end, freq, err = parse_column(period, parse_gregorian)
    rej.add(err.notna(), label("period"), period, err)
    out["period_start"], out["period_end"], out["freq"], out["period_label"] = start, end, freq, period

    country = col("country").str.upper()
    known = country.isin(set(ref.country_by_name.values())) | (country == UNDISCLOSED)
    rej.add(~known.fillna(False), label("country"), country,
            "expected an ISO alpha-2 country code (e.g. IR) or NNN for an undisclosed partner")
    out["partner_country"] = country

    hs = col("hs")
    codes, hs_err = parse_hs(hs)
    rej.add(hs_err.notna(), label("hs"), hs, hs_err)
    out["hs_code"] = codes

    value, bad = parse_numbers(col("value"), decimal_comma=decimal_comma)
    rej.add(bad | value.isna(), label("value"), col("value"),
            "expected a non-negative value in US dollars (below 10 trillion)")
    out["value_usd"] = value
    for field, target, what in (("netto", "net_kg", "net weight in kg"), ("qty", "qty", "quantity")):
        raw = col(field)
        values, bad = parse_numbers(raw, decimal_comma=decimal_comma)
        if field in cols:
            rej.add(bad, label(field), raw, f"expected a non-negative {what} (below 10 trillion) or an empty cell")
        out[target] = values
    out["qty_unit"] = col("unit")

    region = col("region")
    okato = region.str.extract(r"^\s*(\d{5})", expand=False).astype("string")
    out["reporter_region"] = map_distinct(okato, ref.region_by_okato).astype("string")
    rej.add(out["reporter_region"].isna(), label("region"), region,
            "expected a region as '18000 - ВОЛГОГРАДСКАЯ ОБЛАСТЬ' with an OKATO code listed in "
            "data/reference/regions.csv")

    out["source"] = NAME
    out["file"] = name
    out["row"] = table.rows
    out["reporter_country"] = "RU"
    out["calendar"] = "gregorian"
    out["value_basis"] = map_distinct(out["flow"], {"import": "CIF", "export": "FOB"}).astype("string")
    out["value_native"] = out["value_usd"]
    out["currency_native"] = "USD"
    out["transport_mode"] = "unknown"
    keep = rej.ok
    return AdapterResult(to_staging(out[keep]), rej.items, total_rows=len(out))
