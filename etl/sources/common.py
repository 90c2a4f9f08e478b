"""What the adapters share: header sniffing, format detection, rejected-row collection and
column lookup by alias."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from etl.readers import HEADER_SEARCH_ROWS, candidate_encodings, decode, head_lines, is_xlsx
from etl.staging import FileError, LoadWarning, Reject
from etl.text import MARK_NAMES, MAX_NUMBER, clean_text, map_distinct, number_forms, parse_numbers
from etl.text import clean_series as clean_text_series

HEAD_BYTES = 64 * 1024
ADAPTER_NAMES = ("russia_customs", "iran_customs", "comtrade", "manual")


def adapters():
    import importlib

    return [importlib.import_module(f"etl.sources.{name}") for name in ADAPTER_NAMES]


def head_cells(path: Path, head: bytes, latin: bool = False) -> list[list[str]]:
    """The first rows of a CSV or XLSX as cleaned cells, for sniffing headers: of a CSV, its first
    rows in each encoding it may be in (so the adapter whose header matches confirms the encoding)."""
    if is_xlsx(head):
        try:
            from python_calamine import CalamineWorkbook

            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            rows = sheet.to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS)
        except Exception:
            return []
        return [[clean_text(str(c)) if c is not None else "" for c in r] for r in rows]
    return _csv_head_cells(head, latin)


@functools.lru_cache(maxsize=8)
def _csv_head_cells(head: bytes, latin: bool) -> list[list[str]]:
    """(Cached: every adapter sniffs the same head.)"""
    out = []
    for enc in candidate_encodings(head, latin):
        raw = head[3:] if enc == "utf-8" and head.startswith(b"\xef\xbb\xbf") else head
        text = raw.decode(enc, errors="ignore").removeprefix("\ufeff")  # ignore: a character cut at the edge
        for line in head_lines(text, HEADER_SEARCH_ROWS)[0][:HEADER_SEARCH_ROWS]:
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
    if not head.lstrip().startswith(b"{") and not candidate_encodings(head):
        decode(head, name)  # raises the message naming the encoding problem
    raise FileError(Reject(
        name, None, None, None,
        "format not recognised: expected Iranian customs (Persian headers such as کد تعرفه), "
        "Russian customs (NAPR, PERIOD, STRANA, TNVED … or DIRECTION, PERIOD, COUNTRY, HS …), "
        "UN Comtrade JSON/CSV, or the manual template — see docs/formats.md"))


class Rejects:
    """Collects the rejected rows of one file while an adapter checks column after column, and the
    warnings about rows that load with something unknown."""

    def __init__(self, name: str, rows: pd.Series):
        self.name = name
        self.rows = rows.to_numpy()
        self.mask = np.zeros(len(rows), dtype=bool)
        self.items: list[Reject] = []
        self._warnings: list[tuple[np.ndarray, str | None, pd.Series, str]] = []

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

    def warn(self, flagged: pd.Series | np.ndarray, column: str | None, values: pd.Series, reason: str) -> None:
        """Note rows where `flagged` is True: they load, and the file's report lists each distinct
        value once with its row count (rows rejected for another reason are left out)."""
        flagged = np.asarray(flagged, dtype=bool)
        if flagged.any():
            self._warnings.append((flagged, column, values, reason))

    @property
    def warnings(self) -> list[LoadWarning]:
        out = []
        for flagged, column, values, reason in self._warnings:
            idx = np.flatnonzero(flagged & ~self.mask)
            if not len(idx):
                continue
            vals = pd.Series(values.iloc[idx].to_numpy(dtype=object, na_value=None)).fillna("")
            codes, uniques = pd.factorize(vals, sort=False)  # in order of first appearance
            order = np.argsort(codes, kind="stable")
            groups = np.split(self.rows[idx[order]], np.cumsum(np.bincount(codes))[:-1])
            for value, rows in zip(uniques, groups, strict=True):
                rows = tuple(int(r) for r in rows)
                out.append(LoadWarning(self.name, column, str(value)[:200] or None, reason, len(rows), rows[0], rows))
        return out

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
        self._cleaned: dict[str, pd.Series] = {}

    def cell(self, field: str) -> pd.Series:
        if field not in self.found:
            return pd.Series(pd.NA, index=self.table.cells.index, dtype="string")
        if field not in self._cleaned:  # each column is cleaned once
            self._cleaned[field] = clean_text_series(self.table.cells[str(self.found[field])])
        return self._cleaned[field]

    def label(self, field: str) -> str:
        return self.table.header[self.found[field]]


class Numbers:
    """The numeric columns of one file, each read with the decimal mark its content shows.

    A column's mark comes from its own values: '0.75' or '1,234.5' read only with a decimal point,
    '0,75' or '1 234,5' only with a decimal comma. A column whose values all read both ways ('1.234',
    '12,500') takes the mark the file's other numeric columns show; if they show none, the file is
    refused naming the column — the two readings are a thousand times apart. Where both marks occur
    in one column, the mark of most rows is used and the other rows are rejected, as are the values
    that read both ways (in such a column nothing tells which was meant). `fixed` skips all this
    (JSON numbers always have a decimal point).
    """

    def __init__(self, name: str, rows: pd.Series, columns: dict[str, tuple[str, pd.Series]],
                 fixed: str | None = None):
        self.name, self.rows, self.columns = name, rows.to_numpy(), columns
        self.forms = {f: number_forms(cells) for f, (_, cells) in columns.items()} if fixed is None else {}
        self.marks = {f: fixed for f in columns} if fixed else {f: self._own_mark(f) for f in columns}
        decided = {m for m in self.marks.values() if m in (".", ",")}
        for field, mark in self.marks.items():
            if mark == "?":
                if len(decided) != 1:
                    self._refuse_ambiguous(field, decided)
                self.marks[field] = next(iter(decided))

    def _count(self, field: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        f = self.forms[field]
        point, comma = f["point"].to_numpy(), f["comma"].to_numpy()
        return point & ~comma, comma & ~point, point & comma & f["marked"].to_numpy()

    def _own_mark(self, field: str) -> str:
        """'.' or ',' from the column's rows, '?' when every value reads both ways, '' when it has no
        decimal or grouping mark at all (any reading is the same)."""
        point_only, comma_only, both = self._count(field)
        p, c = int(point_only.sum()), int(comma_only.sum())
        if p != c:
            return "." if p > c else ","
        if p:  # as many rows each way
            label, cells = self.columns[field]
            i, j = np.flatnonzero(point_only)[0], np.flatnonzero(comma_only)[0]
            raise FileError(Reject(
                self.name, int(self.rows[i]), label, cells.iloc[i],
                f"the column mixes decimal points (e.g. {cells.iloc[i]!r}, row {self.rows[i]}) and decimal commas "
                f"(e.g. {cells.iloc[j]!r}, row {self.rows[j]}) in {p:,} row{'s' * (p > 1)} each; write the whole "
                "column one way"))
        return "?" if both.any() else ""

    def _refuse_ambiguous(self, field: str, decided: set[str]) -> None:
        label, cells = self.columns[field]
        i = np.flatnonzero(self._count(field)[2])[0]
        example = cells.iloc[i]
        point, _ = parse_numbers(pd.Series([example]), decimal=".")
        comma, _ = parse_numbers(pd.Series([example]), decimal=",")
        why = ("the file's other numeric columns disagree" if decided else
               "no other numeric column of the file tells the decimal mark")
        raise FileError(Reject(
            self.name, int(self.rows[i]), label, example,
            f"every number in this column reads two ways ({example!r} is {point.iloc[0]:,g} with a decimal point "
            f"or {comma.iloc[0]:,g} with a decimal comma) and {why}; write the numbers without thousands "
            "separators, or with their decimals (e.g. 12500 or 12,500.00)"))

    def read(self, field: str, rej: Rejects, expected: str, *, max_value: float = MAX_NUMBER) -> pd.Series:
        """The column's values; rows whose cell is no number in the column's style are rejected,
        with `expected` as the reason for a cell that is no number at all."""
        label, cells = self.columns[field]
        mark = self.marks[field] or "."
        if field in self.forms:
            point_only, comma_only, both = self._count(field)
            other = comma_only if mark == "." else point_only
            if other.any():
                mine, theirs = MARK_NAMES[mark], MARK_NAMES["," if mark == "." else "."]
                rej.add(other, label, cells, f"written with a {theirs} in a column written with a {mine}; "
                        "write it as the rest of the column")
                rej.add(both, label, cells, f"reads two ways in a column that mixes the {mine} and the {theirs}; "
                        "write the column one way")
        values, bad = parse_numbers(cells, decimal=mark, max_value=max_value)
        rej.add(bad, label, cells, expected)
        return values


def unknown_flag(kind: str, raw: pd.Series, unknown: pd.Series | np.ndarray) -> pd.Series:
    """'unknown_<kind>=<raw text>' where `unknown` is True (';' written %3B, as flags are ';'-joined),
    so that what could not be placed is kept beside the row and two unknown names stay apart."""
    text = ("unknown_" + kind + "=" + raw.fillna("").str.replace(";", "%3B", regex=False)).astype("string")
    return text.where(np.asarray(unknown, dtype=bool))


def join_flags(*parts: pd.Series) -> pd.Series:
    """';'-join flag columns (NA parts dropped); NA where a row has none."""
    first, *rest = [p.astype("string").fillna("") for p in parts]
    joined = first.str.cat(rest, sep=";") if rest else first
    return map_distinct(joined, lambda v: ";".join(x for x in v.split(";") if x) or None).astype("string")
