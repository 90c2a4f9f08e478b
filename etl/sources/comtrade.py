"""UN Comtrade API v1 (`comtrade`): the JSON the API returns, or a CSV export with the same fields.

Field names are matched case-insensitively. Decisions worth knowing (also in docs/formats.md):

- Row numbers: in JSON, the 1-based position of the record in `data[]`; in CSV, the spreadsheet
  row (header = row 1).
- Flows: only `X` (export) and `M` (import) are loaded. `RX`, `RM`, `DX`, `FM` and the processing
  flows are parts or variants of X and M, so loading them would count trade twice; they are
  skipped — not rejected, since a download with every flow is a valid file, and not counted in
  `total_rows`. An empty flowCode is rejected.
- Breakdowns: when partner2 / customs-procedure / transport-mode breakdowns were requested, the API
  returns the total row and its detail rows for the same flow. Only rows with `partner2Code` 0 (or
  absent) and `customsCode` C00 (or absent) are loaded; the detail rows are skipped when their total
  row is in the file, and rejected when it is not (they would load as a partial total). Among
  transport modes, a row is skipped when the file also holds a coarser mode of the same flow (0 =
  all modes, 2000 water above 2100 sea, …), so the loaded rows never double count.
  `isAggregate` (a UN-computed aggregate) is not a breakdown marker and is not used.
- `cmdCode` TOTAL (all products) loads with hs_code NULL and the flag `total`.
- Partner 0 is the world (`W00`), 899 "Areas, nes" is undisclosed (`NNN`).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from etl import periods
from etl.readers import MAX_WHOLE_ROWS as MAX_ROWS  # a JSON document is read whole
from etl.readers import check_size, read_table
from etl.sources.common import Numbers, Rejects, find_columns, head_cells
from etl.staging import AdapterResult, FileError, Reject, to_staging
from etl.text import parse_hs

NAME = "comtrade"
HS_COLUMN = "cmdCode"  # named in messages about HS codes found after reading

# every field the adapter reads, as the API names them
FIELDS = ("freqCode", "refYear", "refMonth", "period", "reporterCode", "flowCode", "partnerCode",
          "partner2Code", "customsCode", "cmdCode", "motCode", "qtyUnitAbbr", "qty", "netWgt",
          "cifvalue", "fobvalue", "primaryValue")
NUMBER_FIELDS = ("primaryValue", "cifvalue", "fobvalue", "netWgt", "qty")
REQUIRED = ("reporterCode", "partnerCode", "flowCode", "cmdCode", "primaryValue")
CSV_HEADER = ("refYear", "reporterCode", "flowCode", "cmdCode", "primaryValue")
JSON_KEYS = ('"reportercode"', '"refyear"')

FLOWS = {"X": "export", "M": "import"}
ANNUAL_MONTH = 52
TOTAL_CMD = "TOTAL"
PARTNER2_TOTAL = "0"
CUSTOMS_TOTAL = "C00"
NO_QTY_UNITS = {"", "N/A", "NA", "-1"}
MIN_YEAR, MAX_YEAR = periods.MIN_YEAR, periods.MAX_YEAR  # the years the warehouse's calendars hold

# M49 codes where Comtrade departs from ISO/M49 (territory included), plus its special partners.
COMTRADE_M49 = {842: 840, 251: 250, 757: 756, 699: 356, 579: 578}
SPECIAL_PARTNERS = {0: "W00", 899: "NNN"}

# Comtrade's mode-of-transport list (motCode) -> our transport_mode. 0 = all modes -> NULL.
# 2000 "Water" is mapped to sea: Iran-Russia water trade crosses the Caspian; 3000 "Land" does
# not say rail or road, so it is unknown. Codes not listed here load as 'unknown'.
MOT_ALL = 0
TRANSPORT_MODES = {
    1000: "air",
    2000: "sea", 2100: "sea", 2200: "inland_water", 2900: "sea",
    3000: "unknown", 3100: "rail", 3200: "road", 3900: "other",
    9000: "other", 9100: "other", 9110: "other", 9120: "other", 9190: "other",
    9200: "other", 9300: "other", 9900: "other",
}


def sniff(path: Path, head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        low = text.decode("utf-8", errors="ignore").casefold()
        return '"data"' in low and any(k in low for k in JSON_KEYS)
    wanted = {c.casefold() for c in CSV_HEADER}
    return any(wanted <= {c.casefold() for c in row} for row in head_cells(path, head, latin=True))


def read(path: Path, name: str, ref) -> AdapterResult:
    check_size(path, name)
    with open(path, "rb") as f:
        is_json = f.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
    cells, rows, encoding = _read_json(path, name) if is_json else _read_csv(path, name)
    result = normalise(cells, rows, name, ref, decimal="." if is_json else None)
    result.encoding = encoding
    return result


# ---------------------------------------------------------------- reading

def _read_json(path: Path, name: str) -> tuple[pd.DataFrame, pd.Series, str]:
    try:
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        reason = f"the JSON cannot be read ({e}); a cut-short download? fetch it again"
        raise FileError(Reject(name, None, None, None, reason)) from None
    data = _data_list(doc)
    if data is None:
        raise FileError(Reject(name, None, None, None,
                               'expected a JSON object with a "data" list of records, as the Comtrade API v1 returns'))
    if len(data) > MAX_ROWS:
        raise FileError(Reject(name, None, None, f"{len(data)} records", f"more than {MAX_ROWS:,} records"))
    bad = [i + 1 for i, r in enumerate(data) if not isinstance(r, dict)]
    if bad:
        raise FileError(Reject(name, bad[0], None, None, "every element of data[] must be a record (an object)"))
    frame = pd.DataFrame.from_records(data) if data else pd.DataFrame()
    cells = pd.DataFrame(index=range(len(data)))
    for field in FIELDS:
        same = [c for c in frame.columns if str(c).casefold() == field.casefold()]
        col = pd.Series(pd.NA, index=cells.index, dtype="object")
        for c in same:
            col = col.where(col.notna(), frame[c])
        cells[field] = col.map(_json_text, na_action="ignore").astype("string")
    _check_required(name, [f for f in FIELDS if any(str(c).casefold() == f.casefold() for c in frame.columns)],
                    len(data))
    return cells, pd.Series(range(1, len(data) + 1)), "JSON"


def _data_list(doc) -> list | None:
    if not isinstance(doc, dict):
        return None
    data = next((v for k, v in doc.items() if k.casefold() == "data"), None)
    return data if isinstance(data, list) else None


def _json_text(v) -> str | None:
    """A JSON scalar as the text a CSV export would hold (no exponent notation)."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return np.format_float_positional(v, trim="-")
    return str(v)


def _read_csv(path: Path, name: str) -> tuple[pd.DataFrame, pd.Series, str]:
    wanted = {c.casefold() for c in CSV_HEADER}
    table = read_table(path, name, is_header=lambda cells: wanted <= {c.casefold() for c in cells}, latin=True)
    found = find_columns(table.header, {f: (f,) for f in FIELDS})
    _check_required(name, list(found), len(table.cells))
    cells = pd.DataFrame(index=table.cells.index)
    for field in FIELDS:
        cells[field] = table.cells[str(found[field])] if field in found else pd.Series(pd.NA, index=cells.index)
    return cells.astype("string"), table.rows, table.encoding


def _check_required(name: str, present: list[str], n_rows: int) -> None:
    if n_rows == 0:
        return
    missing = [f for f in REQUIRED if f not in present]
    if "refYear" not in present and "period" not in present:
        missing.append("refYear")
    if missing:
        expected = ", ".join(REQUIRED) + " and refYear or period"
        raise FileError(Reject(name, None, ", ".join(missing), None,
                               f"a Comtrade field is missing; expected {expected}"))


# ---------------------------------------------------------------- normalising

def normalise(cells: pd.DataFrame, rows: pd.Series, name: str, ref, *, decimal: str | None = ".") -> AdapterResult:
    """Comtrade fields as text (one column per FIELDS name) -> staging rows and rejects. `decimal`
    None reads each numeric column's decimal mark from its content (CSV); JSON numbers have '.'."""
    cells = cells.apply(lambda s: s.str.strip()).reset_index(drop=True)
    rows = rows.reset_index(drop=True)
    skip, orphan = _breakdowns(cells)
    flow_code = cells["flowCode"].fillna("").str.upper()
    skip |= (flow_code != "") & ~flow_code.isin(list(FLOWS))
    keep = ~skip.to_numpy()
    cells, rows, orphan = cells[keep].reset_index(drop=True), rows[keep].reset_index(drop=True), orphan[keep]

    rej = Rejects(name, rows)
    numbers = Numbers(name, rows, {f: (f, cells[f]) for f in NUMBER_FIELDS}, fixed=decimal)
    by_partner2 = orphan & ~cells["partner2Code"].fillna(PARTNER2_TOTAL).isin([PARTNER2_TOTAL, ""]).to_numpy()
    for column, bad in (("partner2Code", by_partner2), ("customsCode", orphan)):
        rej.add(bad, column, cells[column], "a breakdown row without its total row (partner2Code 0, customsCode "
                "C00) in the file: it would load as part of a flow; download with the totals")
    out = pd.DataFrame(index=cells.index)
    out["flow"] = _flow(cells, rej)
    out["reporter_country"] = _country(cells, "reporterCode", ref, rej, {})
    out["partner_country"] = _country(cells, "partnerCode", ref, rej, SPECIAL_PARTNERS)
    out = out.join(_period(cells, rej))
    out["hs_code"], is_total = _hs(cells, rej)
    out = out.join(_values(cells, out["flow"], numbers, rej))
    out["transport_mode"] = _mode(cells, rej)
    out["flags"] = pd.Series(np.where(is_total, "total", None), index=cells.index, dtype="string")
    out["source"], out["file"], out["row"] = NAME, name, rows
    out["calendar"], out["currency_native"] = "gregorian", "USD"
    return AdapterResult(to_staging(out[rej.ok]), sorted(rej.items, key=lambda r: r.row), total_rows=len(cells))


def _flow_key(c: pd.DataFrame) -> pd.Series:
    parts = ["reporterCode", "partnerCode", "flowCode", "cmdCode", "refYear", "refMonth", "freqCode", "period"]
    return c[parts[0]].fillna("").str.cat([c[p].fillna("").str.upper() for p in parts[1:]], sep="|")


def _breakdowns(c: pd.DataFrame) -> tuple[pd.Series, np.ndarray]:
    """(skip, orphan): detail rows whose total is in the file, and detail rows without it."""
    key = _flow_key(c)
    mot = pd.to_numeric(c["motCode"], errors="coerce").fillna(MOT_ALL).astype("int64")
    detail = ~(c["partner2Code"].fillna(PARTNER2_TOTAL).isin([PARTNER2_TOTAL, ""])
               & c["customsCode"].fillna(CUSTOMS_TOTAL).str.upper().isin([CUSTOMS_TOTAL, ""]))
    totals = pd.MultiIndex.from_arrays([key[~detail], mot[~detail]])
    has_total = pd.MultiIndex.from_arrays([key, mot]).isin(totals)
    coarser = np.zeros(len(c), dtype=bool)
    for ancestor in (mot * 0, mot // 10 * 10, mot // 100 * 100, mot // 1000 * 1000):
        coarser |= (ancestor != mot).to_numpy() & pd.MultiIndex.from_arrays([key, ancestor]).isin(totals)
    skip = (detail & has_total) | (~detail & coarser)
    return skip, (detail & ~has_total).to_numpy()


def _flow(c: pd.DataFrame, rej: Rejects) -> pd.Series:
    code = c["flowCode"].str.upper()
    rej.add(code.isna() | (code == ""), "flowCode", c["flowCode"], "expected X (export) or M (import)")
    return code.map(FLOWS).astype("string")


def _country(c: pd.DataFrame, column: str, ref, rej: Rejects, special: dict[int, str]) -> pd.Series:
    code = _integers(c[column])
    m49 = code.map(lambda v: COMTRADE_M49.get(v, v), na_action="ignore")
    by_m49 = {**ref.country_by_m49, **special}
    iso2 = m49.map(by_m49, na_action="ignore").astype("string")
    rej.add(iso2.isna(), column, c[column], "expected a UN M49 country code known in data/reference/countries.csv")
    return iso2


def _integers(s: pd.Series) -> pd.Series:
    num = pd.to_numeric(s, errors="coerce")
    return num.where(num == num.round()).astype("Int64")


def _period(c: pd.DataFrame, rej: Rejects) -> pd.DataFrame:
    label = c["period"]
    from_label = label.str.fullmatch(r"\d{4}(\d{2})?").fillna(False)
    year = _integers(c["refYear"]).fillna(_integers(label.str[:4].where(from_label)))
    given = _integers(c["refMonth"])
    month = given.fillna(_integers(label.str[4:6].where(from_label & (label.str.len() == 6))))
    month = month.fillna(ANNUAL_MONTH).where(given.notna() | c["refMonth"].fillna("").eq(""))
    annual = ((month == ANNUAL_MONTH).fillna(False).to_numpy(dtype=bool)
              | (c["freqCode"].str.upper() == "A").fillna(False).to_numpy(dtype=bool))
    monthly = ~annual & month.between(1, 12).fillna(False).to_numpy(dtype=bool)
    rej.add(~year.between(MIN_YEAR, MAX_YEAR).fillna(False), "refYear", c["refYear"].fillna(label),
            "expected a year such as 2021")
    rej.add(~(annual | monthly), "refMonth", c["refMonth"], "expected 1–12 (a month) or 52 (the whole year)")
    y = year.where(year.between(MIN_YEAR, MAX_YEAR).fillna(False), MIN_YEAR).astype("int64")
    m = month.where(monthly, 1).astype("int64")
    start = pd.to_datetime(pd.DataFrame({"year": y, "month": m, "day": 1}))
    end = (start + pd.offsets.MonthEnd(0)).where(monthly, start + pd.offsets.YearEnd(0))
    fallback = y.astype("string").str.cat(m.astype("string").str.zfill(2).where(monthly, ""))
    return pd.DataFrame({
        "period_start": start.astype("datetime64[s]"), "period_end": end.astype("datetime64[s]"),
        "freq": pd.Series(np.where(annual, "A", "M"), index=c.index),
        "period_label": label.fillna(fallback),
    })


def _hs(c: pd.DataFrame, rej: Rejects) -> tuple[pd.Series, np.ndarray]:
    cmd = c["cmdCode"]
    is_total = (cmd.str.upper() == TOTAL_CMD).fillna(False).to_numpy()
    codes, reason = parse_hs(cmd.where(~is_total, "00"), max_digits=6)
    rej.add(reason.notna(), "cmdCode", cmd, reason.fillna(""))
    return codes.where(~is_total), is_total


def _values(c: pd.DataFrame, flow: pd.Series, numbers: Numbers, rej: Rejects) -> pd.DataFrame:
    number = "expected a non-negative number of at most 10 trillion"
    primary = numbers.read("primaryValue", rej, number)
    rej.add(primary.isna(), "primaryValue", c["primaryValue"], "a trade value in USD is required")
    cif, fob = numbers.read("cifvalue", rej, number), numbers.read("fobvalue", rej, number)
    net, qty = numbers.read("netWgt", rej, number), numbers.read("qty", rej, number)
    unit = c["qtyUnitAbbr"].where(~c["qtyUnitAbbr"].fillna("").str.upper().isin(NO_QTY_UNITS))
    is_cif = cif.notna() & np.isclose(cif, primary, rtol=1e-9, atol=0.5)
    is_fob = fob.notna() & np.isclose(fob, primary, rtol=1e-9, atol=0.5)
    imports, exports = (flow == "import").fillna(False), (flow == "export").fillna(False)
    basis = np.select([imports & is_cif, exports & is_fob, is_cif, is_fob], ["CIF", "FOB", "CIF", "FOB"], "unknown")
    return pd.DataFrame({
        "value_usd": primary, "value_native": primary, "value_basis": basis,
        "net_kg": net, "qty": qty.where(unit.notna()), "qty_unit": unit,
    })


def _mode(c: pd.DataFrame, rej: Rejects) -> pd.Series:
    code = _integers(c["motCode"])
    rej.add(c["motCode"].notna() & (c["motCode"] != "") & code.isna(), "motCode", c["motCode"],
            "expected a Comtrade mode-of-transport code such as 0, 2100 or 3100")
    mode = code.map(lambda v: TRANSPORT_MODES.get(v, "unknown"), na_action="ignore").astype("string")
    return mode.where((code != MOT_ALL).fillna(True))
