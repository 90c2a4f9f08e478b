"""Russian customs (FCS) regional open data: one row per region × partner × TN VED code × period.

Headers come in Russian (NAPR, PERIOD, STRANA, …) or English (DIRECTION, PERIOD, COUNTRY, …);
CSV in any encoding etl.readers detects, any delimiter, numbers with a decimal point or comma
(read per column from its content), or XLSX with title rows above the header. Every region of the
FCS list loads; the region comes from the OKATO prefix of REGION ("18000 - ВОЛГОГРАДСКАЯ ОБЛАСТЬ").
Partners are ISO codes or the FCS's own (AB, OS, EU, YY; NNN undisclosed). An unknown unit of
measure is a warning: the row loads with qty_unit NULL and the unit as written in its flags.

The rows are checked in DuckDB (etl/sql/load/russia_customs.sql): this module finds the header and
the columns, and decides each numeric column's decimal mark from its cells.
"""

from __future__ import annotations

import sys
from pathlib import Path

from etl import periods, readers
from etl.readers import cell_names
from etl.reference import Reference
from etl.sources.common import Loaded, find_columns, head_cells, number_marks, read_alone
from etl.staging import AdapterResult, FileError, Reject
from etl.text import MAX_NUMBER

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
LOOKALIKES = ("АВЕКМНОРСТХ", "ABEKMHOPCTX")
UNDISCLOSED = "NNN"
NUMBERS = ("value", "netto", "qty")
CODES = {"fcs_flow": FLOWS}  # looked up in etl/sql/load/russia_customs.sql
# what a row that loads with a warning is told (warn_1, warn_2 of etl/sql/load/russia_customs.sql)
WARNINGS = {
    1: ("unit", "unknown unit of measure: the row loads with its quantity and no unit (the unit as written is "
                "kept in the row's flags); add it to data/reference/units.csv"),
    2: ("qty", "a quantity without a unit of measure: it loads with no unit"),
}


def is_header(cells: list[str]) -> bool:
    """Enough FCS column names to be sure; a missing required one is reported by `read`."""
    found = find_columns(cells, COLUMNS)
    return "period" in found and len(found) >= 5


def sniff(path: Path, head: bytes) -> bool:
    return any(is_header(row) for row in head_cells(path, head))


def load(session, file_id: int, path: Path, name: str, ref: Reference, facts=None) -> Loaded:
    """The file's rows into the load session, staged: etl/sql/load/russia_customs.sql checks them with the
    other files of its batch (LoadSession.flush)."""
    source = readers.open_source(path, name, is_header=is_header, facts=facts)
    cols = find_columns(source.header, COLUMNS)
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in cols]
    if missing:
        raise FileError(Reject(name, 1, ", ".join(missing), None, "required column missing"))
    readers.load_cells(session.con, source, cell_names(source), session.workdir)
    fields = {f: cols.get(f) for f in COLUMNS}
    readers.expose(session.con, source, fields)
    labels = {f: source.header[cols[f]] if f in cols else None for f in COLUMNS}
    marks, mixed = number_marks(session, name, {f: labels[f] for f in NUMBERS if f in cols})
    if "unit" in cols:
        session.warning_kinds(file_id, {k: (labels[f], reason) for k, (f, reason) in WARNINGS.items()})
    session.stage(NAME, file_id, fields, source.first_row, source.rows, {
        "has_unit": "unit" in cols,
        **{f"label_{f}": labels[f] for f in COLUMNS if f not in ("unit", "district")},
        **{f"mark_{f}": marks.get(f, ".") for f in NUMBERS}, **{f"mixed_{f}": mixed.get(f, False) for f in NUMBERS},
    }, {"source": NAME, "max_number": MAX_NUMBER, "min_year": periods.MIN_YEAR, "max_year": periods.MAX_YEAR,
        "lookalikes": LOOKALIKES[0], "latin": LOOKALIKES[1]})
    return Loaded(source.rows, source.encoding)


def read(path: Path, name: str, ref: Reference) -> AdapterResult:
    """The file's rows, rejects and warnings on their own (outside a refresh)."""
    return read_alone(sys.modules[__name__], path, name, ref)
