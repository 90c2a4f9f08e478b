"""Manual figures (`manual`): rows typed into data/reference/manual_template.csv (CSV or XLSX).

Figures from a trade house, a chamber or a press release, where both regions may be known.
Decisions (also in docs/formats.md):

- Countries by ISO2/ISO3 or any name in countries.csv; regions by code or any name in regions.csv.
  A region must lie in the row's country; a row with a region and no country takes the region's.
- A row with both regions is a direct observation: flag `direct`.
- The staging shape has no place for provenance text, so the `url` is kept as the flag
  `url=<url>` (';' in it written as %3B, since flags are ';'-joined). `source_note` is for the
  people who keep the file; it is not loaded.
- `calendar` may be left empty when the year says it: 1300–1499 is Jalali, 1900–2099 Gregorian.
- An empty hs_code means all products: hs_code NULL and the flag `total`, as Comtrade's TOTAL.
- Values are USD of unknown basis (FOB/CIF not said).
- Not UTF-8? The encoding is detected (etl.readers): the template is kept on both sides, in
  Windows-1251 or Windows-1256 as often as in UTF-8.
- Numbers: decimal point or comma, read per column from its content (etl.sources.common.Numbers).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import jdatetime
import numpy as np
import pandas as pd

from etl import periods
from etl.readers import check_size, read_table
from etl.reference import lookup
from etl.sources.common import Numbers, Rejects, find_columns, head_cells
from etl.staging import AdapterResult, FileError, Reject, to_staging
from etl.text import clean_series, name_key, parse_hs

NAME = "manual"
HS_COLUMN = "hs_code"  # named in messages about HS codes found after reading
COLUMNS = ("source_note", "url", "reporter_country", "reporter_region", "partner_country", "partner_region",
           "flow", "hs_code", "period", "calendar", "value_usd", "net_kg")
HEADER = ("source_note", "reporter_country", "value_usd")
REQUIRED = ("reporter_country", "partner_country", "flow", "period", "value_usd")

FLOWS = {"export": "export", "import": "import", "صادرات": "export", "واردات": "import",
         "экспорт": "export", "импорт": "import"}
CALENDARS = {"gregorian": "gregorian", "jalali": "jalali", "میلادی": "gregorian", "شمسی": "jalali"}
# the years the warehouse's calendars hold (etl.periods); the ranges also tell the calendar of a bare year
YEARS = {"jalali": (periods.MIN_JYEAR, periods.MAX_JYEAR), "gregorian": (periods.MIN_YEAR, periods.MAX_YEAR)}
PERIOD = r"(?P<year>\d{4})(?:[-/](?P<month>\d{1,2}))?"
TOTAL_HS = {"", "total", "all"}
NUMBER = "expected a non-negative number below 10 trillion (digits, with a decimal point or comma)"


def sniff(path: Path, head: bytes) -> bool:
    return any(set(HEADER) <= {c.casefold() for c in row} for row in head_cells(path, head))


def read(path: Path, name: str, ref) -> AdapterResult:
    check_size(path, name)
    table = read_table(path, name, is_header=lambda cells: set(HEADER) <= {c.casefold() for c in cells})
    found = find_columns(table.header, {c: (c,) for c in COLUMNS})
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise FileError(Reject(name, 1, ", ".join(missing), None,
                               "a column of the manual template is missing; expected " + ", ".join(COLUMNS)))
    cells = pd.DataFrame({c: clean_series(table.cells[str(found[c])]) if c in found else
                          pd.Series(pd.NA, index=table.cells.index, dtype="string") for c in COLUMNS})
    result = normalise(cells.fillna(""), table.rows, name, ref)
    result.encoding = table.encoding
    return result


def normalise(cells: pd.DataFrame, rows: pd.Series, name: str, ref) -> AdapterResult:
    """Cleaned template cells ('' when empty) -> staging rows and rejects."""
    rej = Rejects(name, rows)
    numbers = Numbers(name, rows, {c: (c, cells[c]) for c in ("value_usd", "net_kg")})
    out = pd.DataFrame(index=cells.index)
    for side in ("reporter", "partner"):
        out[f"{side}_country"], out[f"{side}_region"] = _place(cells, side, ref, rej)
    flow = cells["flow"].map(lambda v: FLOWS.get(name_key(v)))
    rej.add(flow.isna(), "flow", cells["flow"], "expected export or import (صادرات / واردات, экспорт / импорт)")
    out["flow"] = flow.astype("string")
    out = out.join(_period(cells, rej))
    out["hs_code"], is_total = _hs(cells["hs_code"], rej)
    value = numbers.read("value_usd", rej, NUMBER)
    rej.add(value.isna(), "value_usd", cells["value_usd"], "a value in USD is required")
    out["value_usd"] = out["value_native"] = value
    out["net_kg"] = numbers.read("net_kg", rej, NUMBER)
    out["flags"] = _flags(out, is_total, cells["url"])
    out["source"], out["file"], out["row"] = NAME, name, rows
    out["value_basis"], out["currency_native"] = "unknown", "USD"
    return AdapterResult(to_staging(out[rej.ok]), sorted(rej.items, key=lambda r: r.row), total_rows=len(cells))


def _place(cells: pd.DataFrame, side: str, ref, rej: Rejects) -> tuple[pd.Series, pd.Series]:
    ccol, rcol = f"{side}_country", f"{side}_region"
    region = lookup(cells[rcol].replace("", pd.NA), ref.region_by_name)
    rej.add((cells[rcol] != "") & region.isna(), rcol, cells[rcol],
            "unknown region: expected a code such as IR-02 or RU-VGG, or a name in data/reference/regions.csv")
    region_country = region.map(ref.region_country, na_action="ignore").astype("string")
    named = lookup(cells[ccol].replace("", pd.NA), ref.country_by_name)
    rej.add((cells[ccol] != "") & named.isna(), ccol, cells[ccol],
            "unknown country: expected an ISO code such as RU or a name in data/reference/countries.csv")
    country = named.fillna(region_country)
    rej.add(country.isna(), ccol, cells[ccol], "a country (or a region) is required")
    wrong = (region_country.notna() & (region_country != country)).fillna(False)
    rej.add(wrong, rcol, cells[rcol], "the region is in " + region_country.fillna("") + ", not in "
            + country.fillna("") + "; check the country or the region")
    return country, region


def _period(cells: pd.DataFrame, rej: Rejects) -> pd.DataFrame:
    parts = cells["period"].str.extract(f"^{PERIOD}$")
    year = pd.to_numeric(parts["year"], errors="coerce").astype("float64")
    month = pd.to_numeric(parts["month"], errors="coerce").astype("float64")
    calendar = cells["calendar"].map(lambda v: CALENDARS.get(name_key(v))).astype("string")
    guessed = pd.Series(np.select([year.between(*YEARS["jalali"]), year.between(*YEARS["gregorian"])],
                                  ["jalali", "gregorian"], ""), index=cells.index).replace("", pd.NA)
    rej.add((cells["calendar"] != "") & calendar.isna(), "calendar", cells["calendar"],
            "expected gregorian or jalali")
    calendar = calendar.fillna(guessed.astype("string"))
    rej.add(year.isna() | ~month.between(1, 12).where(month.notna(), True), "period", cells["period"],
            "expected a year or a month: 2024, 2024-05, 1403, 1403/05")
    low = calendar.map(lambda c: YEARS.get(c, (0, 0))[0], na_action="ignore").astype("float64")
    high = calendar.map(lambda c: YEARS.get(c, (0, 0))[1], na_action="ignore").astype("float64")
    rej.add(calendar.isna() | ~year.between(low, high).fillna(False), "period", cells["period"],
            "the year does not fit the calendar: a Jalali year is like 1403, a Gregorian one like 2024")
    spans = [_span(c, y, m) for c, y, m in zip(calendar, year, month, strict=True)]
    start, end = zip(*spans, strict=True) if spans else ((), ())
    return pd.DataFrame({
        "period_start": pd.to_datetime(pd.Series(start, index=cells.index, dtype="object")).astype("datetime64[s]"),
        "period_end": pd.to_datetime(pd.Series(end, index=cells.index, dtype="object")).astype("datetime64[s]"),
        "calendar": calendar, "freq": np.where(month.notna(), "M", "A"), "period_label": cells["period"],
    }, index=cells.index)


def _span(calendar, year: float, month: float) -> tuple[date | None, date | None]:
    """First and last Gregorian day of a year or month in either calendar (None when invalid)."""
    low, high = YEARS.get(calendar, (0, 0)) if isinstance(calendar, str) else (0, 0)
    if np.isnan(year) or not low <= year <= high or (not np.isnan(month) and not 1 <= month <= 12):
        return None, None
    y, m = int(year), (None if np.isnan(month) else int(month))
    if calendar == "jalali":
        first = jdatetime.date(y, m or 1, 1)
        after = jdatetime.date(y + 1, 1, 1) if m in (None, 12) else jdatetime.date(y, m + 1, 1)
        return first.togregorian(), after.togregorian() - timedelta(days=1)
    first = date(y, m or 1, 1)
    after = date(y + 1, 1, 1) if m in (None, 12) else date(y, m + 1, 1)
    return first, after - timedelta(days=1)


def _hs(codes: pd.Series, rej: Rejects) -> tuple[pd.Series, np.ndarray]:
    is_total = codes.str.casefold().isin(TOTAL_HS).to_numpy()
    hs, reason = parse_hs(codes.where(~is_total, "00"))
    rej.add(reason.notna(), "hs_code", codes, reason.fillna(""))
    return hs.where(~is_total), is_total


def _flags(out: pd.DataFrame, is_total: np.ndarray, url: pd.Series) -> pd.Series:
    direct = (out["reporter_region"].notna() & out["partner_region"].notna()).to_numpy()
    parts = [
        pd.Series(np.where(direct, "direct", ""), index=out.index),
        pd.Series(np.where(is_total, "total", ""), index=out.index),
        ("url=" + url.str.replace(";", "%3B", regex=False)).where(url != "", ""),
    ]
    joined = parts[0].str.cat(parts[1:], sep=";").str.replace(r";{2,}", ";", regex=True).str.strip(";")
    return joined.replace("", pd.NA).astype("string")
