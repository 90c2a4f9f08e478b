"""Turn a CSV or XLSX file into a table of strings, whatever its encoding or delimiter.

Adapters decide what the columns mean; this module only finds the header row and the cells.
DuckDB cannot read cp1251/cp1256 or XLSX offline (DESIGN §7), so decoding happens here.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
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
    titles: list[str] = field(default_factory=list)  # non-empty lines (rows) above the header, as text


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
_WORD = re.compile(r"[^\W\d_]+")
_NON_ASCII = re.compile(rb"[\x80-\xff]")
# three Cyrillic or three Arabic letters in a row in UTF-8: not seen by chance in the code pages'
# text (in Windows-1256, ر and گ alone make a UTF-8 pair; runs of three did not occur in 0.9 M
# non-ASCII bytes of Persian and Russian test text in the four code pages)
_UTF8_WORD = re.compile(rb"(?:[\xd0\xd1][\x80-\xbf]){3,}|(?:[\xd8-\xdb][\x80-\xbf]){3,}")
MIXED_UTF8_WORDS = 2
# The 8-bit code pages customs files come in, and the script each must give non-ASCII letters.
CODE_PAGES = {"cp1251": "Cyrillic", "koi8_r": "Cyrillic", "cp1256": "Arabic", "iso8859_6": "Arabic"}
# Windows-1252 is tried last and only for UN Comtrade's CSV exports (country names such as Côte d'Ivoire):
# read that way, a Russian or Persian file would come out as Latin letters that look like words.
LATIN = "cp1252"
SCRIPT_RANGES = {"Latin": (("A", "Z"), ("a", "z"), ("\u00c0", "\u024f")), "Cyrillic": (("\u0400", "\u04ff"),),
                 "Arabic": (("\u0600", "\u06ff"), ("\ufb50", "\ufdff"), ("\ufe70", "\ufeff"))}
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-16": "UTF-16", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
                  "cp1251": "Windows-1251", "koi8_r": "KOI8-R", "cp1256": "Windows-1256", "iso8859_6": "ISO-8859-6",
                  "cp1252": "Windows-1252"}
MIXED_WORDS_ALLOWED = 0.05  # share of words with non-ASCII letters that may mix scripts (names such as 'КГ-net')


_FOREIGN = {script: re.compile("[^" + "".join(f"{a}-{b}" for a, b in ranges) + "]")
            for script, ranges in SCRIPT_RANGES.items()}


def script_fits(text: str, script: str, max_words: int = 5000) -> bool:
    """Do the non-ASCII letters of `text` read as words of `script`? Text decoded with the wrong code
    page shows letters of another script, or words that mix Latin and other letters ('Rйgion')."""
    words = [w for w in _WORD.findall(text) if not w.isascii()][:max_words]
    if not words:
        return True
    foreign = _FOREIGN[script].search
    bad = sum(1 for w in words if foreign(w) and any(c.isalpha() and foreign(c) for c in w))  # ³ is no letter
    return bad <= MIXED_WORDS_ALLOWED * len(words)


def _utf16(head: bytes) -> str | None:
    """UTF-16 without a byte-order mark: text in it has a zero byte beside every ASCII character."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    even, odd = head[0:4096:2], head[1:4096:2]
    if len(odd) < 8:
        return None
    if odd.count(0) > 0.25 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.25 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


@functools.lru_cache(maxsize=16)
def candidate_encodings(head: bytes, latin: bool = False) -> tuple[str, ...]:
    """Encodings the file whose first bytes are `head` may be in, most likely first: UTF-16 (by its
    byte-order mark or zero bytes), UTF-8, else the code pages charset-normalizer ranks for the head
    whose letters read as their script (then Windows-1252 if `latin`). Empty when none fits. Cached:
    each adapter sniffs the same head."""
    wide = _utf16(head)
    if wide:
        return (wide,)
    body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    try:
        body.decode("utf-8")
        return ("utf-8",)
    except UnicodeDecodeError as e:
        if e.start > len(body) - 4 and len(head) == HEAD_CHARS:  # a character cut at the 64 KiB edge
            return ("utf-8",)
        if b"\x00" in body:
            return ()
    import charset_normalizer

    ranked = [m.encoding for m in charset_normalizer.from_bytes(body, cp_isolation=list(CODE_PAGES), steps=8)]
    ranked += [c for c in CODE_PAGES if c not in ranked]  # charset-normalizer may leave some out
    scripts = {**CODE_PAGES, LATIN: "Latin"}
    out = []
    for enc in ranked + [LATIN] * latin:
        try:
            text = body.decode(enc, errors="strict")
        except UnicodeDecodeError:
            continue
        if not _CONTROL.search(text) and script_fits(text, scripts[enc]):
            out.append(enc)
    return tuple(out)


def decode(data: bytes, name: str, *, is_header: Callable[[list[str]], bool] | None = None,
           latin: bool = False) -> tuple[str, str]:
    """Bytes -> (text, encoding). UTF-8, UTF-16 or, by detection, one of the code pages
    Windows-1251, KOI8-R, Windows-1256 and ISO-8859-6 (and Windows-1252 if `latin`); among several
    that read, the first whose text has a header row `is_header` knows (the header's script
    confirms the choice)."""
    head = data[:HEAD_CHARS]
    candidates = candidate_encodings(head, latin)
    if candidates == ("utf-8",) and head.isascii() and not data.isascii():
        # the first 64 KiB are plain ASCII: detect from where the other letters begin
        start = data.rfind(b"\n", 0, _NON_ASCII.search(data).start()) + 1
        candidates = ("utf-8", *candidate_encodings(data[start:start + HEAD_CHARS], latin))
    if candidates and candidates[0] not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):
        _refuse_mixed_utf8(data, name)
    found: list[tuple[str, str]] = []
    for enc in candidates:
        body = data[3:] if enc == "utf-8" and data.startswith(b"\xef\xbb\xbf") else data
        try:
            text = body.decode(enc)
        except UnicodeDecodeError as e:
            if enc == "utf-8" and len(candidates) > 1 and head.isascii():
                continue
            line = body[: e.start].count(b"\n") + 1
            reason = (f"the file reads as {ENCODING_NAMES[enc]} until byte {body[e.start]:#04x}, which is not "
                      f"{ENCODING_NAMES[enc]}; are two encodings mixed? Save the file as UTF-8 CSV")
            raise FileError(Reject(name, line, None, None, reason)) from None
        if enc.startswith("utf-16"):
            text = text.removeprefix("\ufeff")
        bad = _CONTROL.search(text)
        if bad is not None:
            line = text[: bad.start()].count("\n") + 1
            reason = (f"the file holds binary data (byte {ord(bad.group()):#04x}); expected text in UTF-8 "
                      f"({ENCODING_NAMES[enc]} was tried)")
            raise FileError(Reject(name, line, None, None, reason))
        found.append((text, ENCODING_NAMES[enc]))
        if is_header is None or _has_header(text, is_header):
            return found[-1]
    if found:
        return found[0]  # no header in any reading: read_csv_text names that problem
    if b"\x00" in head or _CONTROL.search(head.decode("latin-1")):
        reason = "the file holds binary data; expected text in UTF-8"
    else:
        reason = ("the file's encoding is not one this tool reads: it is not UTF-8 or UTF-16, and read as "
                  "Windows-1251, KOI8-R, Windows-1256 or ISO-8859-6 its letters come out garbled; "
                  "save it as UTF-8 CSV")
    raise FileError(Reject(name, None, None, None, reason))


def _refuse_mixed_utf8(data: bytes, name: str) -> None:
    """A file that is not UTF-8 as a whole but holds Cyrillic or Arabic letters in UTF-8 was put
    together from two encodings: read in one code page, the UTF-8 rows would come out garbled."""
    if len(_UTF8_WORD.findall(data)) < MIXED_UTF8_WORDS:
        return
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        reason = (f"the file mixes two encodings: it holds letters in UTF-8, but byte {data[e.start]:#04x} on this "
                  "line is not UTF-8; are two encodings mixed? Save the whole file as UTF-8 CSV")
        raise FileError(Reject(name, line, None, None, reason)) from None


def _has_header(text: str, is_header: Callable[[list[str]], bool]) -> bool:
    lines = head_lines(text)[0][:HEADER_SEARCH_ROWS]
    first = next((line for line in lines if line.strip()), "")
    delimiter = sniff_delimiter(first)
    return any(is_header([c.strip() for c in row]) for row in csv.reader(lines, delimiter=delimiter))


def sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def head_lines(text: str, max_lines: int = 2 * HEADER_SEARCH_ROWS) -> tuple[list[str], list[int]]:
    """The first lines of a CSV text (at most `max_lines`, within its first 64 KiB) and where each
    starts, split as CSV readers split them (CR LF, LF or CR — not at the other breaks
    str.splitlines knows, such as U+2028)."""
    head = text[:HEAD_CHARS]
    starts = [0] + [m.end() for m in itertools.islice(_LINE_END.finditer(head), max_lines)]
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
    table = _table(header, df, header_idx, name, delimiter)
    table.titles = [line.strip() for line in lines[:header_idx] if line.strip()]
    return table


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
    table = _table(header, df, header_idx, name, None)
    table.titles = [" ".join(c for c in map(_cell, r) if c) for r in values[:header_idx]]
    table.titles = [t for t in table.titles if t]
    return table


def _cell(c) -> str:
    """An Excel cell as text; a number in plain decimal notation (never '1e-05')."""
    if c is None:
        return ""
    if isinstance(c, float):
        if c.is_integer():
            return str(int(c))
        return np.format_float_positional(c, trim="-")
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


def read_table(path: Path, name: str, *, is_header: Callable[[list[str]], bool], latin: bool = False) -> Table:
    check_size(path, name)
    with open(path, "rb") as f:
        head = f.read(8)
    if is_xlsx(head):
        t = read_xlsx(path, name, is_header=is_header)
        t.encoding = "XLSX"
        return t
    text, enc = decode(path.read_bytes(), name, is_header=is_header, latin=latin)
    t = read_csv_text(text, name, is_header=is_header)
    t.encoding = enc
    return t
