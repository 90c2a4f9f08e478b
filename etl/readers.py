"""Turn a CSV or XLSX file into a table of strings, whatever its encoding or delimiter.

Adapters decide what the columns mean; this module only finds the header row and the cells.
DuckDB cannot read cp1251/cp1256 or XLSX offline (DESIGN §7), so decoding happens here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from etl.staging import FileError, Reject

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_ROWS = 5_000_000
XLSX_MAGIC = b"PK\x03\x04"
HEADER_SEARCH_ROWS = 20  # title rows above the header in XLSX exports
HEAD_CHARS = 64 * 1024
_LINE_END = re.compile(r"\r\n|\n|\r(?!\n)")
_BLANK_LINE = re.compile(rf"(?:{_LINE_END.pattern})[ \t]*(?:{_LINE_END.pattern})")


@dataclass
class Table:
    header: list[str]
    cells: pd.DataFrame  # all "string" dtype, columns = header positions as strings "0", "1", …
    rows: pd.Series  # 1-based row number of each data row as a spreadsheet shows it
    encoding: str
    delimiter: str | None
    decimal_comma: bool = False


def is_xlsx(head: bytes) -> bool:
    return head.startswith(XLSX_MAGIC)


def check_size(path: Path, name: str) -> None:
    size = path.stat().st_size
    if size == 0:
        raise FileError(Reject(name, None, None, None, "the file is empty; expected a header row and data rows"))
    if size > MAX_FILE_BYTES:
        raise FileError(Reject(name, None, None, f"{size / 2**20:.0f} MB",
                               f"the file is larger than the {MAX_FILE_BYTES // 2**20} MB limit; split it by year"))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes, name: str, fallback: str) -> tuple[str, str]:
    """Bytes -> (text, encoding). UTF-8 (or UTF-16 with a BOM, as Excel's "Unicode text") first;
    else the source's Windows code page."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text, enc = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        try:
            text, enc = data.decode(fallback), fallback
        except UnicodeDecodeError:
            line = data[: e.start].count(b"\n") + 1
            reason = f"the file is neither UTF-8 nor {fallback}; save it as UTF-8 CSV"
            raise FileError(Reject(name, line, None, None, reason)) from None
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text[: bad.start()].count("\n") + 1
        reason = f"the file holds binary data (byte {ord(bad.group()):#04x}); expected text in UTF-8 or {fallback}"
        raise FileError(Reject(name, line, None, None, reason))
    return text, enc


def sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def head_lines(text: str) -> tuple[list[str], list[int]]:
    """The first lines of a CSV text and where each starts, split as CSV readers split them
    (CR LF, LF or CR — not at the other breaks str.splitlines knows, such as U+2028)."""
    head = text[:HEAD_CHARS]
    starts = [0] + [m.end() for m in _LINE_END.finditer(head)]
    lines = [head[a:b].rstrip("\r\n") for a, b in zip(starts, starts[1:] + [len(head)], strict=True)]
    return lines, starts


def read_csv_text(text: str, name: str, *, is_header: Callable[[list[str]], bool]) -> Table:
    lines, starts = head_lines(text)
    first = next((i for i, line in enumerate(lines[:HEADER_SEARCH_ROWS]) if line.strip()), None)
    if first is None:
        raise FileError(Reject(name, None, None, None, "the file has no header row"))
    delimiter = sniff_delimiter(lines[first])
    header_idx, header = None, []
    for i in range(first, min(len(lines), first + HEADER_SEARCH_ROWS)):
        cells = [c.strip() for c in next(csv.reader([lines[i]], delimiter=delimiter), [])]
        if is_header(cells):
            header_idx, header = i, cells
            break
    if header_idx is None:
        raise FileError(Reject(name, first + 1, None, lines[first][:120],
                               "no header row with the expected column names was found"))
    body = text[starts[header_idx]:]
    df = _read_arrow(body, delimiter, len(header))
    if df is None:  # blank lines inside, or a broken row: the slower reader keeps line numbers
        df = _read_pandas(body, delimiter, name).iloc[1:]
    return _table(header, df, header_idx, name, delimiter)


def _read_arrow(body: str, delimiter: str, ncols: int) -> pd.DataFrame | None:
    """The fast path: Arrow's multi-threaded CSV reader, every cell as text."""
    if _BLANK_LINE.search(body.rstrip()):
        return None
    names = [str(i) for i in range(ncols)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(body.encode("utf-8")),
            read_options=pacsv.ReadOptions(skip_rows=1, column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    return pd.DataFrame({n: pd.arrays.ArrowStringArray(table[n].combine_chunks()) for n in names})


def _read_pandas(body: str, delimiter: str, name: str) -> pd.DataFrame:
    try:
        return pd.read_csv(io.StringIO(body), sep=delimiter, dtype=str, keep_default_na=False,
                           header=None, skip_blank_lines=False, engine="c",
                           on_bad_lines="error", quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, csv.Error) as e:
        reason = f"the CSV structure is broken ({e}); every row must have as many cells as the header"
        raise FileError(Reject(name, None, None, None, reason)) from None


def read_xlsx(path: Path, name: str, *, is_header: Callable[[list[str]], bool]) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheet = wb.get_sheet_by_index(0)
        values = sheet.to_python(skip_empty_area=False)
    except Exception as e:  # calamine raises its own error types for broken zips and sheets
        reason = f"the Excel file cannot be read ({e}); save it again as .xlsx"
        raise FileError(Reject(name, None, None, None, reason)) from None
    header_idx = None
    for i, row in enumerate(values[:HEADER_SEARCH_ROWS]):
        if is_header([_cell(c) for c in row]):
            header_idx = i
            break
    if header_idx is None:
        raise FileError(Reject(name, None, None, None,
                               "no header row with the expected column names in the first sheet's first 20 rows"))
    header = [_cell(c) for c in values[header_idx]]
    rows = [[_cell(c) for c in r] for r in values[header_idx + 1:]]
    df = pd.DataFrame(rows, columns=[str(i) for i in range(len(header))] if rows else None, dtype=str)
    return _table(header, df, header_idx, name, None)


def _cell(c) -> str:
    if c is None:
        return ""
    if isinstance(c, float) and c.is_integer():
        return str(int(c))
    return str(c).strip()


def _table(header: list[str], df: pd.DataFrame, header_idx: int, name: str, delimiter: str | None) -> Table:
    """Data rows (below the header) as text columns "0", "1", … with their spreadsheet row numbers."""
    df.columns = [str(i) for i in range(df.shape[1])]
    df = df.astype("string")
    # drop rows where every cell is empty (trailing blank lines, Excel's empty area)
    nonempty = np.zeros(len(df), dtype=bool)
    for c in df.columns:
        nonempty |= df[c].fillna("").str.strip().ne("").to_numpy(dtype=bool)
    rows = pd.Series(np.arange(header_idx + 2, header_idx + 2 + len(df)))
    df, rows = df.reset_index(drop=True)[nonempty], rows[nonempty]
    if len(df) > MAX_ROWS:
        raise FileError(Reject(name, None, None, f"{len(df)} rows",
                               f"the file has more than {MAX_ROWS:,} data rows; split it by year"))
    return Table([h.strip() for h in header], df.reset_index(drop=True), rows.reset_index(drop=True), "", delimiter)


def read_table(path: Path, name: str, *, fallback_encoding: str,
               is_header: Callable[[list[str]], bool]) -> Table:
    check_size(path, name)
    with open(path, "rb") as f:
        head = f.read(8)
    if is_xlsx(head):
        t = read_xlsx(path, name, is_header=is_header)
        t.encoding = "xlsx"
        return t
    text, enc = decode(path.read_bytes(), name, fallback_encoding)
    t = read_csv_text(text, name, is_header=is_header)
    t.encoding = enc
    return t
