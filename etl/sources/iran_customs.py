"""Iranian customs (IRICA) statistics per province or customs office, CSV or XLSX, Persian headers.

Files may be cp1256, use Arabic ي/ك, Persian digits and separators (cleaned in etl.text).
Periods are Jalali: year + month columns, a single '1403/05' cell, or a year. Values in USD
and/or rial; rial-only rows are converted with data/reference/fx.csv and flagged.

Iranian customs publish exports and imports as separate reports, so a file may have no flow
column: the flow is then read from its title rows or its file name (صادرات / واردات, saderat /
varedat, export / import). An unknown customs office (when the province is known) or transport
mode is a warning: the row loads with the office NULL or the mode 'unknown', and the name as
written in its flags.

The rows are checked in DuckDB (etl/sql/load/iran_customs.sql): this module finds the header, the
columns and the flow a file without a flow column says, and decides each numeric column's decimal mark.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from etl import periods, readers
from etl.readers import cell_names
from etl.reference import Reference
from etl.sources.common import Loaded, find_columns, head_cells, number_marks, read_alone
from etl.staging import AdapterResult, FileError, Reject
from etl.text import MAX_NUMBER, MAX_RIALS, clean_text

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
NUMBERS = ("kg", "tonnes", "usd", "rial")
CODES = {"irica_flow": FLOWS}  # looked up in etl/sql/load/iran_customs.sql
# what a row that loads with a warning is told (warn_1, warn_2 of etl/sql/load/iran_customs.sql)
WARNINGS = {
    1: ("office", "unknown customs office: the row loads with no office (the name as written is kept in the row's "
                  "flags); add it to data/reference/customs_offices.csv"),
    2: ("mode", "unknown transport mode: the row loads with mode 'unknown'; expected دریایی، ریلی، جاده ای or هوایی"),
}
NO_FLOW = ("the file says neither صادرات (export) nor واردات (import): add a column نوع جریان with صادرات or "
           "واردات in each row, or write صادرات or واردات in the title row above the header or in the file name "
           "(e.g. saderat_gilan_1403.csv)")


def is_header(cells: list[str]) -> bool:
    """Enough Persian column names to be sure; a missing required one is reported by `read`."""
    found = find_columns(cells, COLUMNS)
    return bool({"hs", "partner"} & found.keys()) and len(found) >= 4


def sniff(path: Path, head: bytes) -> bool:
    return any(is_header(row) for row in head_cells(path, head))


def load(session, file_id: int, path: Path, name: str, ref: Reference, facts=None) -> Loaded:
    """The file's rows into the load session, staged: etl/sql/load/iran_customs.sql checks them with the
    other files of its batch (LoadSession.flush)."""
    source = readers.open_source(path, name, is_header=is_header, facts=facts)
    cols = find_columns(source.header, COLUMNS)
    hint = file_flow([*source.titles, name])
    _require(cols, name, hint)
    readers.load_cells(session.con, source, cell_names(source), session.workdir)
    fields = {f: cols.get(f) for f in COLUMNS}
    readers.expose(session.con, source, fields)
    labels = {f: source.header[cols[f]] if f in cols else None for f in COLUMNS}
    if "period" in cols:
        period_from, period_label = "period", labels["period"]
    elif "month" in cols:
        period_from, period_label = "month", f"{labels['year']}, {labels['month']}"
    else:
        period_from, period_label = "year", labels["year"]
    marks, mixed = number_marks(session, name, {f: labels[f] for f in NUMBERS if f in cols})
    session.warning_kinds(file_id, {k: (labels[f], reason) for k, (f, reason) in WARNINGS.items() if f in cols})
    session.stage(NAME, file_id, fields, source.first_row, source.rows, {
        "hint": hint, "period_from": period_from, "label_period": period_label,
        **{f"has_{f}": f in cols for f in ("flow", "province", "office", "mode", "usd")},
        **{f"label_{f}": labels[f] for f in ("flow", "province", "office", "partner", "hs", *NUMBERS)},
        **{f"mark_{f}": marks.get(f, ".") for f in NUMBERS}, **{f"mixed_{f}": mixed.get(f, False) for f in NUMBERS},
    }, {"source": NAME, "max_number": MAX_NUMBER, "max_rials": MAX_RIALS, "min_jyear": periods.MIN_JYEAR,
        "max_jyear": periods.MAX_JYEAR})
    return Loaded(source.rows, source.encoding)


def read(path: Path, name: str, ref: Reference) -> AdapterResult:
    """The file's rows, rejects and warnings on their own (outside a refresh)."""
    return read_alone(sys.modules[__name__], path, name, ref)


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
