"""What the adapters share: header sniffing, format detection, rejected-row collection and
column lookup by alias."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from etl.readers import HEADER_SEARCH_ROWS, candidate_encodings, decode, head_lines, is_xlsx, xlsx_head
from etl.staging import AdapterResult, FileError, Reject
from etl.text import MARK_NAMES, MAX_NUMBER, clean_text, number_forms, parse_numbers

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
            rows = xlsx_head(path, path.name)
        except FileError:
            return []
        return [[clean_text(c) for c in r] for r in rows]
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


@dataclass
class Loaded:
    """What loading a file into the load session tells: its data rows read and its encoding."""

    rows: int
    encoding: str


def number_marks(session, name: str, fields: dict[str, str]) -> tuple[dict[str, str], dict[str, bool]]:
    """The decimal mark of each numeric field (field -> its header label) of the file in the view
    `fields` (decide_marks over etl/sql/load/number_forms.sql), and whether its column also holds the
    other mark. FileError for a column that cannot be read either way."""
    if not fields:
        return {}, {}
    # the fields are the adapter's own names (identifiers), never a value of the file
    union = " union all ".join(f"select '{f}' as field, row, {f} as cell from fields" for f in fields)
    session.con.execute(f"create or replace temp view numbers as {union}")
    found = {r[0]: r[1:] for r in session.run_query("number_forms")}
    forms = {}
    for f, label in fields.items():
        point, comma, both, prow, pcell, crow, ccell, brow, bcell = found.get(f, (0, 0, 0) + (None,) * 6)
        forms[f] = NumberForms(label, point, comma, both, (prow, pcell) if prow is not None else None,
                               (crow, ccell) if crow is not None else None, (brow, bcell) if brow is not None else None)
    marks = {f: m or "." for f, m in decide_marks(name, forms).items()}
    return marks, {f: mixed(forms[f], marks[f]) for f in fields}


def read_alone(module, path: Path, name: str, ref) -> AdapterResult:
    """An adapter that checks its rows in DuckDB, run on one file in a session of its own: its rows,
    rejects and warnings as `read` gives them (no check across files)."""
    import tempfile

    import duckdb

    from etl.session import LoadSession

    with tempfile.TemporaryDirectory(prefix="ctm-read-") as tmp:
        con = duckdb.connect()
        try:
            session = LoadSession(con, Path(tmp), ref, memory_limit="1GB")
            session.new_file(0, name)
            session.set_source(0, module.NAME)
            loaded = module.load(session, 0, path, name, ref)
            session.flush()
            return AdapterResult(session.flows(), session.rejects(), total_rows=loaded.rows,
                                 warnings=session.warnings(), encoding=loaded.encoding)
        finally:
            con.close()


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
        from etl.readers import open_source

        open_source(path, name, is_header=lambda cells: False)  # raises the precise error for a broken file
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
    """Collects the rejected rows of one file while a Python adapter checks column after column."""

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


@dataclass
class NumberForms:
    """How one numeric column writes its numbers: how many cells read only with a decimal point, only
    with a decimal comma, or both ways while holding a mark ('1.234', '12,500'), and the first of
    each as (spreadsheet row, cleaned text)."""

    label: str
    point_only: int = 0
    comma_only: int = 0
    both_ways: int = 0
    first_point: tuple[int, str] | None = None
    first_comma: tuple[int, str] | None = None
    first_both: tuple[int, str] | None = None


def decide_marks(name: str, forms: dict[str, NumberForms]) -> dict[str, str]:
    """The decimal mark of each numeric column of a file, from its own cells: '.' or ',' where most of
    its marked cells read only one way, '' where none holds a mark (any reading is the same). A column
    whose values all read both ways takes the mark the file's other numeric columns show; if they show
    none (or disagree), the file is refused naming the column — the two readings are a thousand times
    apart. As many cells one way as the other: refused naming the column."""
    marks = {f: _own_mark(name, fm) for f, fm in forms.items()}
    decided = {m for m in marks.values() if m in (".", ",")}
    for field, mark in marks.items():
        if mark == "?":
            if len(decided) != 1:
                _refuse_ambiguous(name, forms[field], decided)
            marks[field] = next(iter(decided))
    return marks


def mixed(forms: NumberForms, mark: str) -> bool:
    """Does the column also hold cells written with the other mark than `mark`?"""
    return (forms.point_only if mark == "," else forms.comma_only) > 0


def _own_mark(name: str, fm: NumberForms) -> str:
    p, c = fm.point_only, fm.comma_only
    if p != c:
        return "." if p > c else ","
    if p:  # as many rows each way
        (i, a), (j, b) = fm.first_point, fm.first_comma
        raise FileError(Reject(
            name, int(i), fm.label, a,
            f"the column mixes decimal points (e.g. {a!r}, row {i}) and decimal commas (e.g. {b!r}, row {j}) in "
            f"{p:,} row{'s' * (p > 1)} each; write the whole column one way"))
    return "?" if fm.both_ways else ""


def _refuse_ambiguous(name: str, fm: NumberForms, decided: set[str]) -> None:
    row, example = fm.first_both
    point, _ = parse_numbers(pd.Series([example]), decimal=".")
    comma, _ = parse_numbers(pd.Series([example]), decimal=",")
    why = ("the file's other numeric columns disagree" if decided else
           "no other numeric column of the file tells the decimal mark")
    raise FileError(Reject(
        name, int(row), fm.label, example,
        f"every number in this column reads two ways ({example!r} is {point.iloc[0]:,g} with a decimal point "
        f"or {comma.iloc[0]:,g} with a decimal comma) and {why}; write the numbers without thousands "
        "separators, or with their decimals (e.g. 12500 or 12,500.00)"))


class Numbers:
    """The numeric columns of one file checked in pandas (the Python adapters), each read with the
    decimal mark its content shows (decide_marks). `fixed` skips this (JSON numbers always have a
    decimal point)."""

    def __init__(self, name: str, rows: pd.Series, columns: dict[str, tuple[str, pd.Series]],
                 fixed: str | None = None):
        self.name, self.rows, self.columns = name, rows.to_numpy(), columns
        self.forms = {f: number_forms(cells) for f, (_, cells) in columns.items()} if fixed is None else {}
        self.summary = {f: self._summary(f) for f in self.forms}
        self.marks = {f: fixed for f in columns} if fixed else decide_marks(name, self.summary)

    def _count(self, field: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        f = self.forms[field]
        point, comma = f["point"].to_numpy(), f["comma"].to_numpy()
        return point & ~comma, comma & ~point, point & comma & f["marked"].to_numpy()

    def _summary(self, field: str) -> NumberForms:
        label, cells = self.columns[field]
        firsts = []
        for mask in self._count(field):
            idx = np.flatnonzero(mask)
            firsts.append((int(self.rows[idx[0]]), cells.iloc[idx[0]]) if len(idx) else None)
        point_only, comma_only, both = self._count(field)
        return NumberForms(label, int(point_only.sum()), int(comma_only.sum()), int(both.sum()), *firsts)

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
