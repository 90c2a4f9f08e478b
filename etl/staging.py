"""The one staging shape every source adapter produces, and the rejected-row record.

Rows in this shape are what the load session holds (etl.session, load.rows) and, for an adapter that
checks rows in pandas, a DataFrame with exactly STAGING_COLUMNS (the order is fixed by `to_staging`)
and a list of Reject. Values are already normalised: codes are upper-case ISO, flows are
'export'/'import' from the reporter's side, periods are Gregorian dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

# name -> pandas dtype. Strings use pandas' nullable "string" dtype.
STAGING_COLUMNS: dict[str, str] = {
    "source": "string",  # iran_customs | russia_customs | comtrade | manual
    "file": "string",  # path relative to the raw folder
    "row": "Int64",  # 1-based row as a spreadsheet shows it (header = row 1 in CSV)
    "reporter_country": "string",  # ISO2
    "reporter_region": "string",  # ISO 3166-2 or NULL
    "partner_country": "string",  # ISO2, 'NNN' undisclosed, 'W00' world
    "partner_region": "string",  # ISO 3166-2 or NULL
    "flow": "string",  # export | import (reporter's side)
    "hs_code": "string",  # digits as given, or NULL for all products
    "period_start": "datetime64[s]",  # Gregorian date, first day covered
    "period_end": "datetime64[s]",  # Gregorian date, last day covered (inclusive)
    "calendar": "string",  # gregorian | jalali
    "freq": "string",  # M | Q | A
    "period_label": "string",  # as the source wrote it, e.g. '1403/05'
    "value_usd": "float64",
    "value_basis": "string",  # FOB | CIF | unknown
    "net_kg": "float64",
    "qty": "float64",
    "qty_unit": "string",
    "value_native": "float64",
    "currency_native": "string",  # USD | IRR | ...
    "transport_mode": "string",  # sea | inland_water | rail | road | air | other | unknown
    "customs_office": "string",  # canonical key from data/reference/customs_offices.csv
    "flags": "string",  # ';'-joined notes, e.g. 'usd_from_rial', 'unknown_office=…' (';' in a value as %3B)
}


@dataclass(frozen=True)
class Reject:
    """One row (or a whole file, row=None) that could not be loaded, and why."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str  # says what was expected, in words a customs clerk can act on

    def message(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        shown = "" if self.value is None else f": got {self.value!r}"
        return f"{where}{shown} — {self.reason}"


@dataclass(frozen=True)
class LoadWarning:
    """Rows that loaded, but with something unknown that does not change their value (a customs
    office or unit not in the reference lists): one per file, column, value and reason."""

    file: str
    column: str | None
    value: str | None
    reason: str  # what was loaded instead and how to make it known
    rows: int  # how many rows of the file that load have this value
    first_row: int

    def message(self) -> str:
        where = self.file + (f", column '{self.column}'" if self.column else "")
        shown = "" if self.value is None else f": {self.value!r}"
        rows = f"row {self.first_row}" if self.rows == 1 else f"{self.rows:,} rows from row {self.first_row}"
        return f"{where}{shown} ({rows}) — {self.reason}"


class FileError(Exception):
    """A problem that makes the whole file unreadable (no header, wrong encoding, …)."""

    def __init__(self, reject: Reject):
        super().__init__(reject.message())
        self.reject = reject


@dataclass
class AdapterResult:
    rows: pd.DataFrame
    rejects: list[Reject] = field(default_factory=list)
    total_rows: int = 0  # data rows read, accepted + rejected
    warnings: list[LoadWarning] = field(default_factory=list)  # about accepted rows
    encoding: str = ""  # as detected (UTF-8, KOI8-R, …; XLSX; JSON)


def to_staging(df: pd.DataFrame) -> pd.DataFrame:
    """Return df with exactly STAGING_COLUMNS in order and dtype; missing columns become NULL."""
    out = pd.DataFrame(index=df.index)
    for name, dtype in STAGING_COLUMNS.items():
        if name in df.columns:
            out[name] = df[name].astype(dtype)
        else:
            out[name] = pd.Series(pd.NA if dtype != "float64" else float("nan"), index=df.index).astype(dtype)
    return out.reset_index(drop=True)


def empty_staging() -> pd.DataFrame:
    return to_staging(pd.DataFrame())
