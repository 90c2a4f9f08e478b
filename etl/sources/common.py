"""What the adapters share: header sniffing, format detection, rejected-row collection and
column lookup by alias."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from etl.readers import HEADER_SEARCH_ROWS, head_lines, is_xlsx
from etl.staging import FileError, Reject
from etl.text import clean_series as clean_text_series
from etl.text import clean_text

HEAD_BYTES = 64 * 1024
ADAPTER_NAMES = ("russia_customs", "iran_customs", "comtrade", "manual")


def adapters():
    import importlib

    return [importlib.import_module(f"etl.sources.{name}") for name in ADAPTER_NAMES]


def head_cells(path: Path, head: bytes, encodings: tuple[str, ...] = ("utf-8", "cp1256", "cp1251")) -> list[list[str]]:
    """The first rows of a CSV or XLSX as cleaned cells, for sniffing headers."""
    if is_xlsx(head):
        try:
            from python_calamine import CalamineWorkbook

            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            rows = sheet.to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS)
        except Exception:
            return []
        return [[clean_text(str(c)) if c is not None else "" for c in r] for r in rows]
    raw = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    for enc in encodings:
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError as e:
            if e.start > len(raw) - 4 and enc == "utf-8":  # a character cut at the 64 KiB edge
                text = raw[: e.start].decode(enc)
                break
    else:
        return []
    out = []
    for line in head_lines(text)[0][:HEADER_SEARCH_ROWS]:
        for d in (",", ";", "\t"):
            line = line.replace(d, "\x1f")
        out.append([clean_text(c.strip().strip('"')) for c in line.split("\x1f")])
    return out


def detect(path: Path, name: str):
    """The adapter module whose format this file is, or FileError naming what was expected."""
    if path.stat().st_size == 0:
        raise FileError(Reject(name, None, None, None, "the file is empty; expected a header row and data rows"))
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    for module in adapters():
        if module.sniff(path, head):
            return module
    if is_xlsx(head):
        from etl.readers import read_xlsx

        read_xlsx(path, name, is_header=lambda cells: False)  # raises the precise error for a broken file
        raise FileError(Reject(name, None, None, None,
                               "no sheet of this Excel file has a header this tool knows; see docs/formats.md"))
    raise FileError(Reject(
        name, None, None, None,
        "format not recognised: expected Iranian customs (Persian headers such as کد تعرفه), "
        "Russian customs (NAPR, PERIOD, STRANA, TNVED … or DIRECTION, PERIOD, COUNTRY, HS …), "
        "UN Comtrade JSON/CSV, or the manual template — see docs/formats.md"))


class Rejects:
    """Collects rejected rows of one file while an adapter checks column after column."""

    def __init__(self, name: str, rows: pd.Series):
        self.name = name
        self.rows = rows.to_numpy()
        self.mask = np.zeros(len(rows), dtype=bool)
        self.items: list[Reject] = []

    def add(self, bad: pd.Series | np.ndarray, column: str | None, values: pd.Series | None,
            reason: str | pd.Series) -> None:
        """Reject rows where `bad` is True (only the first problem of a row is reported)."""
        bad = np.asarray(bad, dtype=bool) & ~self.mask
        if not bad.any():
            return
        idx = np.flatnonzero(bad)
        vals = values.iloc[idx].to_numpy(dtype=object, na_value=None) if values is not None else [None] * len(idx)
        reasons = reason.iloc[idx].to_numpy(dtype=object) if isinstance(reason, pd.Series) else [reason] * len(idx)
        for i, v, r in zip(idx, vals, reasons, strict=True):
            self.items.append(Reject(self.name, int(self.rows[i]), column, None if v is None else str(v)[:200], r))
        self.mask |= bad

    @property
    def ok(self) -> np.ndarray:
        return ~self.mask


def find_columns(header: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Map our field names to header positions through case-insensitive cleaned aliases."""
    keys = [clean_text(h).casefold() for h in header]
    found: dict[str, int] = {}
    for field, names in aliases.items():
        for n in names:
            k = clean_text(n).casefold()
            if k in keys:
                found[field] = keys.index(k)
                break
    return found


class Columns:
    """A table's cells by our field names: cleaned text (NA where the file lacks the column), and
    the header as the file wrote it, for messages."""

    def __init__(self, table, found: dict[str, int]):
        self.table = table
        self.found = found

    def cell(self, field: str) -> pd.Series:
        if field not in self.found:
            return pd.Series(pd.NA, index=self.table.cells.index, dtype="string")
        return clean_text_series(self.table.cells[str(self.found[field])])

    def label(self, field: str) -> str:
        return self.table.header[self.found[field]]
