"""Russian customs (FCS) regional open data: one row per region × partner × TN VED code × period.

Headers come in Russian (NAPR, PERIOD, STRANA, …) or English (DIRECTION, PERIOD, COUNTRY, …);
CSV in any encoding etl.readers detects, any delimiter, numbers with a decimal point or comma
(read per column from its content), or XLSX with title rows above the header. Every region of the
FCS list loads; the region comes from the OKATO prefix of REGION ("18000 - ВОЛГОГРАДСКАЯ ОБЛАСТЬ").
Partners are ISO codes or the FCS's own (AB, OS, EU, YY; NNN undisclosed). An unknown unit of
measure is a warning: the row loads with qty_unit NULL and the unit as written in its flags.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from etl.periods import parse_column, parse_gregorian
from etl.readers import read_table
from etl.reference import Reference, lookup
from etl.sources.common import Columns, Numbers, Rejects, find_columns, head_cells, join_flags, unknown_flag
from etl.staging import AdapterResult, FileError, Reject, to_staging
from etl.text import map_distinct, parse_hs

NAME = "russia_customs"
HS_COLUMN = "TNVED"  # named in messages about HS codes found after reading

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
# NAPR / DIRECTION in any case; Cyrillic letters that look Latin are read as Latin first (ЕХ = EX)
FLOWS = {"ИМ": "import", "ЭК": "export", "IM": "import", "EK": "export", "EX": "export", "IMP": "import",
         "EXP": "export", "IMPORT": "import", "EXPORT": "export", "ИМПОРТ": "import", "ЭКСПОРТ": "export"}
LOOKALIKES = str.maketrans("АВЕКМНОРСТХ", "ABEKMHOPCTX")
UNDISCLOSED = "NNN"


def is_header(cells: list[str]) -> bool:
    """Enough FCS column names to be sure; a missing required one is reported by `read`."""
    found = find_columns(cells, COLUMNS)
    return "period" in found and len(found) >= 5


def sniff(path: Path, head: bytes) -> bool:
    return any(is_header(row) for row in head_cells(path, head))


def flow_of(value: str) -> str | None:
    key = value.strip().upper()
    return FLOWS.get(key) or FLOWS.get(key.translate(LOOKALIKES))


def read(path: Path, name: str, ref: Reference) -> AdapterResult:
    table = read_table(path, name, is_header=is_header)
    cols = find_columns(table.header, COLUMNS)
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in cols]
    if missing:
        raise FileError(Reject(name, 1, ", ".join(missing), None, "required column missing"))

    columns = Columns(table, cols)
    col, label = columns.cell, columns.label
    numbers = Numbers(name, table.rows, {f: (label(f), col(f)) for f in ("value", "netto", "qty") if f in cols})

    rej = Rejects(name, table.rows)
    out = pd.DataFrame(index=table.cells.index)

    direction = col("direction")
    out["flow"] = map_distinct(direction, flow_of).astype("string")
    rej.add(out["flow"].isna(), label("direction"), direction,
            "expected ИМ (import) or ЭК (export); also IM/EK/EX, IMP/EXP, IMPORT/EXPORT")

    period = col("period")
    start, end, freq, err = parse_column(period, parse_gregorian)
    rej.add(err.notna(), label("period"), period, err)
    out["period_start"], out["period_end"], out["freq"], out["period_label"] = start, end, freq, period

    country = col("country")
    out["partner_country"] = lookup(country, ref.country_by_name)
    rej.add(out["partner_country"].isna(), label("country"), country,
            "unknown partner country; expected an ISO alpha-2 code (e.g. IR), a code of the FCS list (AB, OS, "
            "EU, YY) or NNN for an undisclosed partner, as listed in data/reference/countries.csv")

    hs = col("hs")
    codes, hs_err = parse_hs(hs)
    rej.add(hs_err.notna(), label("hs"), hs, hs_err)
    out["hs_code"] = codes

    out["value_usd"] = numbers.read("value", rej, "expected a non-negative value in US dollars (below 10 trillion)")
    rej.add(out["value_usd"].isna(), label("value"), col("value"), "a value in US dollars is required")
    for field, target, what in (("netto", "net_kg", "net weight in kg"), ("qty", "qty", "quantity")):
        if field in cols:
            out[target] = numbers.read(field, rej, f"expected a non-negative {what} (below 10 trillion) or an "
                                       "empty cell")
        else:
            out[target] = np.nan

    region = col("region")
    okato = region.str.extract(r"^\s*(\d{5}|N{5})\b", expand=False).astype("string")
    out["reporter_region"] = map_distinct(okato, ref.region_by_okato).astype("string")
    rej.add(out["reporter_region"].isna(), label("region"), region,
            "expected a region as '18000 - ВОЛГОГРАДСКАЯ ОБЛАСТЬ' with an OKATO code of the FCS list "
            "(data/reference/regions.csv)")

    flags = _unit(col, label, cols, ref, rej, out)

    out["source"] = NAME
    out["file"] = name
    out["row"] = table.rows
    out["reporter_country"] = "RU"
    out["calendar"] = "gregorian"
    out["value_basis"] = map_distinct(out["flow"], {"import": "CIF", "export": "FOB"}).astype("string")
    out["value_native"] = out["value_usd"]
    out["currency_native"] = "USD"
    out["transport_mode"] = "unknown"
    out["flags"] = flags
    return AdapterResult(to_staging(out[rej.ok]), rej.items, total_rows=len(out), warnings=rej.warnings,
                         encoding=table.encoding)


def _unit(col, label, cols, ref: Reference, rej: Rejects, out: pd.DataFrame) -> pd.Series:
    """qty_unit from the unit list; an unknown unit, or a quantity without one, is a warning."""
    unit = col("unit")
    out["qty_unit"] = lookup(unit, ref.unit_by_name)
    given = unit.notna() & (unit != "")
    unknown = (given & out["qty_unit"].isna()).fillna(False)
    if "unit" in cols:
        rej.warn(unknown, label("unit"), unit,
                 "unknown unit of measure: the row loads with its quantity and no unit (the unit as written is "
                 "kept in the row's flags); add it to data/reference/units.csv")
        no_unit = (~given.fillna(False) & (out["qty"] > 0)).to_numpy(dtype=bool)
        rej.warn(no_unit, label("qty") if "qty" in cols else None, col("qty"),
                 "a quantity without a unit of measure: it loads with no unit")
    return join_flags(unknown_flag("unit", unit, unknown))
