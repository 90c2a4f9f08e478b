"""Find the header row and the cells of a CSV or XLSX file and put them into DuckDB, whatever the
file's encoding or delimiter. Adapters decide what the columns mean; this module only finds the cells.

A CSV is read by DuckDB's `read_csv`, every cell as text. Python only reads the file's head (64 KiB:
encoding, delimiter, header row, the title rows above it) and, in one streamed pass that also hashes
it (`scan`), whether it holds control bytes, non-ASCII bytes, or empty lines among its rows. DuckDB
cannot read Windows-1251/-1256, KOI8-R, ISO-8859-6 or UTF-16 (DESIGN §7), and its reader skips empty
lines, which would shift every row number after one: such files are first rewritten, in chunks, to a
temporary UTF-8 file in which each empty line holds one space (`rewrite`). XLSX is read with calamine,
in batches of rows.

Row numbers are a spreadsheet's: the header line is row 1 of a file without title rows; a record
whose quoted cell spans lines counts once (as a spreadsheet shows it); empty lines count.
"""

from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import itertools
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from etl.staging import FileError, Reject

# CSV files of the customs formats are streamed through DuckDB: their size is bounded by the disk and
# the time a refresh may take (about 10 s per 1,000,000 rows on two cores), not by memory. 4 GiB holds
# a whole FCS year of every region three times over (≈ 1.2 GB per 10 M rows).
MAX_FILE_BYTES = 4 * 1024**3
MAX_ROWS = 40_000_000
# Files read whole into memory: XLSX (calamine parses a whole sheet), Comtrade JSON, and the formats
# checked in pandas (Comtrade's CSV export, the manual template).
MAX_WHOLE_FILE_BYTES = 512 * 1024**2
MAX_WHOLE_ROWS = 5_000_000
XLSX_MAGIC = b"PK\x03\x04"
HEADER_SEARCH_ROWS = 20  # title rows above the header in XLSX exports
HEAD_CHARS = 64 * 1024
CHUNK = 4 * 1024 * 1024
XLSX_BATCH = 50_000
_LINE_END = re.compile(r"\r\n|\n|\r(?!\n)")
# an empty line: a line end right after a line end (LF, CR LF or CR); whitespace-only lines are rows
_LINE_END_BYTES = re.compile(rb"\r\n|\n|\r")
_EMPTY_LINE_TEXT = re.compile(r"(?:\r\n|\n|\r(?!\n))(?=\r\n|\n|\r)")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


def is_xlsx(head: bytes) -> bool:
    return head.startswith(XLSX_MAGIC)


def is_json(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def limits(head: bytes, streamed: bool = True) -> tuple[int, int]:
    """(bytes, data rows) a file may hold: CSV read by DuckDB, or a file read whole."""
    if streamed and not is_xlsx(head) and not is_json(head):
        return MAX_FILE_BYTES, MAX_ROWS
    return MAX_WHOLE_FILE_BYTES, MAX_WHOLE_ROWS


def check_size(path: Path, name: str, *, streamed: bool = True) -> None:
    size = path.stat().st_size
    if size == 0:
        raise FileError(Reject(name, None, None, None, "the file is empty; expected a header row and data rows"))
    with open(path, "rb") as f:
        head = f.read(64)
    max_bytes, _ = limits(head, streamed)
    if size > max_bytes:
        raise FileError(Reject(name, None, None, f"{size / 2**20:.0f} MB",
                               f"the file is larger than the {max_bytes // 2**20} MB limit; split it by year"))


def check_rows(rows: int, name: str, *, max_rows: int | None = None) -> None:
    limit = MAX_ROWS if max_rows is None else max_rows
    if rows > limit:
        raise FileError(Reject(name, None, None, f"{rows} rows",
                               f"the file has more than {limit:,} data rows; split it by year"))


# ------------------------------------------------------------------ the streamed pass

@dataclass
class Scan:
    """What one pass over a file's bytes tells (while it is hashed)."""

    sha256: str
    size: int
    first_non_ascii: int | None  # byte offset
    first_control: int | None  # byte offset of a control byte (binary data in any 8-bit text)
    lines: int  # physical lines (LF, CR LF or CR ends them; a last line without one counts)
    trailing_empty: int  # empty lines at the end of the file (DuckDB's reader reads none of them)


def scan(path: Path) -> Scan:
    """Hash the file and note what decides how it is read, in one streamed pass of C-speed operations
    per chunk (constant memory)."""
    h = hashlib.sha256()
    size, non_ascii, control = 0, None, None
    ends, last = 0, b""
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
            if non_ascii is None and not chunk.isascii():
                non_ascii = size + _HIGH_BYTE.search(chunk).start()
            if control is None:
                found = chunk.translate(None, _NOT_CONTROL)
                if found:
                    control = size + min(chunk.find(bytes([b])) for b in set(found))
            # line ends: every LF and every CR, less the CR LF pairs (also one cut by the chunk edge)
            ends += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
            ends -= last == b"\r" and chunk[:1] == b"\n"
            last = chunk[-1:]
            size += len(chunk)
        tail = _tail(f, size)
    stripped = tail.rstrip(b"\r\n")
    tail_ends = len(_LINE_END_BYTES.findall(tail[len(stripped):]))
    lines = ends + (0 if last in (b"\n", b"\r") else 1) if size else 0
    trailing = max(tail_ends - 1, 0) if stripped else tail_ends
    return Scan(h.hexdigest(), size, non_ascii, control, lines, trailing)


def _tail(f, size: int) -> bytes:
    f.seek(max(0, size - HEAD_CHARS))
    return f.read()


def sha256(path: Path) -> str:
    return scan(path).sha256


# ------------------------------------------------------------------ encodings (from the head)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"[^\W\d_]+")
# three Cyrillic or three Arabic letters in a row in UTF-8: not seen by chance in the code pages'
# text (in Windows-1256, ر and گ alone make a UTF-8 pair; runs of three did not occur in 0.9 M
# non-ASCII bytes of Persian and Russian test text in the four code pages)
_UTF8_WORD = re.compile(rb"(?:[\xd0\xd1][\x80-\xbf]){3,}|(?:[\xd8-\xdb][\x80-\xbf]){3,}")
MIXED_UTF8_WORDS = 2


def utf8_words_in(chunk: bytes) -> int:
    """len(_UTF8_WORD.findall(chunk)), the regex run only where three lead + continuation byte pairs
    follow each other (numpy finds none in nearly every chunk of a code-page file, where the regex
    alone reads ≈ 40 MB/s)."""
    b = np.frombuffer(chunk, dtype=np.uint8)
    if len(b) < 6:
        return len(_UTF8_WORD.findall(chunk))
    pair = (((b[:-1] & 0xFE) == 0xD0) | ((b[:-1] & 0xFC) == 0xD8)) & ((b[1:] & 0xC0) == 0x80)
    if not (pair[:-4] & pair[2:-2] & pair[4:]).any():
        return 0
    return len(_UTF8_WORD.findall(chunk))
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
UNREADABLE = ("the file's encoding is not one this tool reads: it is not UTF-8 or UTF-16, and read as "
              "Windows-1251, KOI8-R, Windows-1256 or ISO-8859-6 its letters come out garbled; save it as UTF-8 CSV")


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
    """A head of bytes -> (text, encoding name), or FileError naming the encoding problem. Among the
    encodings it may be in, the first whose text has a header row `is_header` knows."""
    candidates = candidate_encodings(data[:HEAD_CHARS], latin)
    found: list[tuple[str, str]] = []
    for enc in candidates:
        text = _decode_head(data, enc)
        bad = _CONTROL.search(text)
        if bad is not None:
            line = text[: bad.start()].count("\n") + 1
            raise FileError(Reject(name, line, None, None, _binary(ord(bad.group()), enc)))
        found.append((text, ENCODING_NAMES[enc]))
        if is_header is None or _has_header(text, is_header):
            return found[-1]
    if found:
        return found[0]
    if b"\x00" in data[:HEAD_CHARS] or _CONTROL.search(data[:HEAD_CHARS].decode("latin-1")):
        raise FileError(Reject(name, None, None, None, "the file holds binary data; expected text in UTF-8"))
    raise FileError(Reject(name, None, None, None, UNREADABLE))


def _decode_head(head: bytes, enc: str) -> str:
    body = head[3:] if enc == "utf-8" and head.startswith(b"\xef\xbb\xbf") else head
    return body.decode(enc, errors="ignore").removeprefix("\ufeff")  # ignore: a character cut at the edge


def _binary(byte: int, enc: str) -> str:
    return f"the file holds binary data (byte {byte:#04x}); expected text in UTF-8 ({ENCODING_NAMES[enc]} was tried)"


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


# ------------------------------------------------------------------ the layout of a CSV

@dataclass
class Layout:
    """Where a CSV's cells are: its encoding, delimiter and header (the title lines above it)."""

    encoding: str  # Python codec
    delimiter: str
    header_line: int  # 0-based line of the header
    header: list[str]
    titles: list[str]
    header_byte: int  # byte offset of the header line (in the file as it is)
    candidates: tuple[str, ...] = ()  # encodings left to try if this one fails further on

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES[self.encoding]


def read_head(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(HEAD_CHARS)


def layout(path: Path, name: str, head: bytes, facts: Scan, *, is_header: Callable[[list[str]], bool],
           latin: bool = False) -> Layout:
    """The encoding (from the head, or from where the non-ASCII text begins when the head is plain
    ASCII) and the header row of a CSV; FileError naming what is wrong."""
    candidates = candidate_encodings(head, latin)
    if candidates == ("utf-8",) and head.isascii() and facts.first_non_ascii is not None:
        window = _window(path, facts.first_non_ascii)
        candidates = ("utf-8", *candidate_encodings(window, latin))
    if not candidates:
        decode(head, name, is_header=is_header, latin=latin)  # raises the message naming the problem
    # among the encodings the head reads in, the first whose text has a header row this format knows
    texts = [(enc, _decode_head(head, enc)) for enc in candidates]
    chosen = next(((e, t) for e, t in texts if _has_header(t, is_header)), texts[0])
    rest = candidates[candidates.index(chosen[0]) + 1:]
    if facts.first_control is not None and not chosen[0].startswith("utf-16"):
        byte = _byte_at(path, facts.first_control)
        raise FileError(Reject(name, _line_of(path, facts.first_control), None, None, _binary(byte, chosen[0])))
    return _find_header(chosen[1], chosen[0], name, head, is_header, rest)


def _find_header(text: str, enc: str, name: str, head: bytes, is_header, rest) -> Layout:
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text[: bad.start()].count("\n") + 1
        raise FileError(Reject(name, line, None, None, _binary(ord(bad.group()), enc)))
    lines, starts = head_lines(text)
    first = next((i for i, line in enumerate(lines[:HEADER_SEARCH_ROWS]) if line.strip()), None)
    if first is None:
        raise FileError(Reject(name, None, None, None, "the file has no header row"))
    delimiter = sniff_delimiter(lines[first])
    for i in range(first, min(len(lines), first + HEADER_SEARCH_ROWS)):
        cells = [c.strip() for c in next(csv.reader([lines[i]], delimiter=delimiter), [])]
        if is_header(cells):
            bom = 3 if enc == "utf-8" and head.startswith(b"\xef\xbb\xbf") else 0
            offset = bom + len(text[: starts[i]].encode("utf-8")) if enc == "utf-8" else 0
            titles = [line.strip() for line in lines[:i] if line.strip()]
            return Layout(enc, delimiter, i, cells, titles, offset, tuple(rest))
    raise FileError(Reject(name, first + 1, None, lines[first][:120],
                           "no header row with the expected column names was found"))


def _window(path: Path, offset: int) -> bytes:
    """HEAD_CHARS bytes from the start of the line that holds `offset`."""
    with open(path, "rb") as f:
        f.seek(max(0, offset - HEAD_CHARS))
        before = f.read(offset - max(0, offset - HEAD_CHARS))
        start = offset - len(before) + before.rfind(b"\n") + 1
        f.seek(start)
        return f.read(HEAD_CHARS)


def _byte_at(path: Path, offset: int) -> int:
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read(1)[0]


def _line_of(path: Path, offset: int) -> int:
    """1-based line (counting LF) of a byte offset."""
    lines, done = 1, 0
    with open(path, "rb") as f:
        while done < offset:
            chunk = f.read(min(CHUNK, offset - done))
            if not chunk:
                break
            lines += chunk.count(b"\n")
            done += len(chunk)
    return lines


# ------------------------------------------------------------------ rewriting to UTF-8

def rewrite(path: Path, out: Path, lay: Layout, name: str) -> None:
    """Stream `path` (in `lay.encoding`) to `out` as UTF-8, each empty line outside a quoted cell
    given one space (so that DuckDB's reader keeps it as a row); FileError on bytes that are not in
    the encoding, on control characters, or on a file put together from two encodings."""
    enc = lay.encoding
    decoder = codecs.getincrementaldecoder(enc)("strict")
    check_mixed = enc in CODE_PAGES or enc == LATIN
    utf8 = codecs.getincrementaldecoder("utf-8")("strict")
    utf8_words, utf8_error = 0, None  # (offset) of the first byte that is not UTF-8
    fill = _BlankFill()
    done, lf, text_lines, decode_error = 0, 0, 1, None
    with open(path, "rb") as f, open(out, "w", encoding="utf-8", newline="") as w:
        while True:
            chunk = f.read(CHUNK)
            final = not chunk
            if check_mixed:
                if utf8_words < MIXED_UTF8_WORDS:  # only the threshold matters
                    utf8_words += utf8_words_in(chunk)
                if utf8_error is None:
                    try:
                        utf8.decode(chunk, final)
                    except UnicodeDecodeError as e:
                        utf8_error = done - (len(e.object) - len(chunk)) + e.start  # held bytes first
            if decode_error is None:
                try:
                    text = decoder.decode(chunk, final)
                except UnicodeDecodeError as e:
                    decode_error = (done + e.start, lf + chunk[: e.start].count(b"\n") + 1, chunk[e.start])
                    text = None
                if text is not None:
                    if done == 0 and enc.startswith("utf-16"):
                        text = text.removeprefix("\ufeff")
                    bad = _CONTROL.search(text)
                    if bad is not None:
                        line = text_lines + text[: bad.start()].count("\n")
                        raise FileError(Reject(name, line, None, None, _binary(ord(bad.group()), enc)))
                    text_lines += text.count("\n")
                    w.write(fill.feed(text, final))
            lf += chunk.count(b"\n")
            done += len(chunk)
            if final:
                break
    if check_mixed and utf8_words >= MIXED_UTF8_WORDS and utf8_error is not None:
        byte = _byte_at(path, utf8_error)
        reason = (f"the file mixes two encodings: it holds letters in UTF-8, but byte {byte:#04x} "
                  "on this line is not UTF-8; are two encodings mixed? Save the whole file as UTF-8 CSV")
        raise FileError(Reject(name, _line_of(path, utf8_error), None, None, reason))
    if decode_error is not None:
        if enc == "utf-8" and lay.candidates:
            raise _NotUtf8
        _, line, byte = decode_error
        reason = (f"the file reads as {ENCODING_NAMES[enc]} until byte {byte:#04x}, which is not "
                  f"{ENCODING_NAMES[enc]}; are two encodings mixed? Save the file as UTF-8 CSV")
        raise FileError(Reject(name, line, None, None, reason))


class _BlankFill:
    """Gives each empty line of a text fed in pieces one space, unless it is inside a quoted cell (an
    odd number of '"' before it)."""

    def __init__(self) -> None:
        self.carry = ""
        self.quotes = 0

    def feed(self, text: str, final: bool) -> str:
        text = self.carry + text
        if final:
            cut = len(text)
        else:  # keep the last line end back: what follows it decides whether an empty line comes
            cut = max(text.rfind("\n"), text.rfind("\r"))
            cut = 0 if cut < 0 else cut
        body, self.carry = text[:cut], text[cut:]
        out, last = [], 0
        for m in _EMPTY_LINE_TEXT.finditer(body):
            self.quotes += body.count('"', last, m.end())
            out.append(body[last:m.end()])
            if self.quotes % 2 == 0:
                out.append(" ")
            last = m.end()
        self.quotes += body.count('"', last)
        out.append(body[last:])
        return "".join(out)


def _first_utf8_error(path: Path) -> tuple[int, int, int]:
    """(offset, line, byte) of the first byte that is not UTF-8 — also a character cut short at the
    end of the file (one cut while it was read)."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    done, lf = 0, 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(CHUNK)
            try:
                decoder.decode(chunk, not chunk)
            except UnicodeDecodeError as e:
                # e.object: the bytes the decoder held back from the chunk before (a character cut by the
                # chunk's edge, no line end), then this chunk
                seen, held = e.object, len(e.object) - len(chunk)
                return done - held + e.start, lf + seen[:e.start].count(b"\n") + 1, seen[e.start]
            if not chunk:
                return -1, 0, 0
            lf += chunk.count(b"\n")
            done += len(chunk)
            done += len(chunk)


# ------------------------------------------------------------------ cells into DuckDB

@dataclass
class Source:
    """A CSV or XLSX file once its head was read: where its header is and what is above it."""

    path: Path
    name: str
    header: list[str]
    titles: list[str]
    first_row: int  # the spreadsheet row of the line below the header
    encoding: str  # as shown in reports: UTF-8, Windows-1251, …, XLSX
    delimiter: str | None
    layout: Layout | None = None  # CSV
    facts: Scan | None = None  # CSV
    xlsx_header_index: int = 0  # XLSX: the header's place in the first sheet
    rows: int = 0  # non-empty data rows, once loaded


def open_source(path: Path, name: str, *, is_header: Callable[[list[str]], bool], latin: bool = False,
                facts: Scan | None = None) -> Source:
    """Sniff a CSV or XLSX file (its head; a CSV's scan); FileError naming what is wrong."""
    head = read_head(path)
    if is_xlsx(head):
        return _open_xlsx(path, name, is_header)
    facts = facts or scan(path)
    lay = layout(path, name, head, facts, is_header=is_header, latin=latin)
    return Source(path, name, lay.header, lay.titles, lay.header_line + 2, lay.encoding_name, lay.delimiter, lay, facts)


def load_cells(con: duckdb.DuckDBPyConnection, source: Source, names: list[str], workdir: Path | None = None) -> None:
    """The file's cells into load.cells, one text column per header position named by `names`, in
    file order (so that rowid + first_row is the spreadsheet row); FileError naming what is wrong."""
    if len(names) != len(source.header):
        raise ValueError("one name per header cell")
    con.execute("drop table if exists load.cells")
    if source.layout is None:
        _load_xlsx(con, source, names)
        return
    lay = source.layout
    while True:
        try:
            _read_csv_cells(con, source, lay, names, workdir)
        except _NotUtf8:
            if not lay.candidates:
                _, line, byte = _first_utf8_error(source.path)
                reason = (f"the file reads as UTF-8 until byte {byte:#04x}, which is not UTF-8; are two encodings "
                          "mixed? Save the file as UTF-8 CSV")
                raise FileError(Reject(source.name, line, None, None, reason)) from None
            head = read_head(source.path)
            enc = lay.candidates[0]
            lay = _find_header(_decode_head(head, enc), enc, source.name, head,
                               lambda cells: cells == source.header, lay.candidates[1:])
            source.layout, source.encoding = lay, lay.encoding_name
            continue
        return


class _NotUtf8(Exception):
    pass


def _read_csv_cells(con, source: Source, lay: Layout, names: list[str], workdir: Path | None) -> None:
    """UTF-8 is read as it is, unless DuckDB read fewer rows than the file has lines below the header
    (it skips empty lines, and a quoted cell may span lines): then, as a file in another encoding, it
    is rewritten first, each empty line outside a quoted cell given a space, so that none is skipped."""
    if lay.encoding == "utf-8":
        _duckdb_read(con, source.path, source.name, lay, names)
        expected = source.facts.lines - (lay.header_line + 1) - source.facts.trailing_empty
        if con.execute("select count(*) from load.cells").fetchone()[0] == expected:
            return
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="utf8-", dir=workdir)
    os.close(fd)
    try:
        rewrite(source.path, Path(tmp), lay, source.name)
        _duckdb_read(con, Path(tmp), source.name, lay, names)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _duckdb_read(con, path: Path, name: str, lay: Layout, names: list[str]) -> None:
    con.execute("drop table if exists load.cells")
    params = {"path": str(path), "columns": dict.fromkeys(names, "VARCHAR"), "names": names,
              "skip": lay.header_line + 1, "delim": lay.delimiter}
    for parallel in (True, False):
        try:
            con.execute(_sql("read_cells"), {**params, "parallel": parallel})
            return
        except duckdb.Error as e:
            text = str(e)
            if "does not support null_padding" in text and parallel:
                continue  # quoted line breaks in a file with short rows: read it in one thread
            if "Invalid unicode" in text or "not utf-8 encoded" in text:
                raise _NotUtf8 from None
            raise FileError(Reject(name, None, None, None, _broken(text))) from None


def _broken(text: str) -> str:
    line = re.search(r"CSV Error on Line: (\d+)", text)
    counts = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if counts:
        what = f"{counts[2]} cells where the header has {counts[1]}"
    elif "unterminated quote" in text:
        what = "a quote is opened and never closed"
    elif "Maximum line size" in text:
        what = "a line longer than 2 MB"
    else:
        what = text.splitlines()[0][:200]
    where = f"line {line[1]}: " if line else ""
    return f"the CSV structure is broken ({where}{what}); every row must have as many cells as the header"


@functools.cache
def _sql(name: str) -> str:
    from etl.paths import SQL

    return (SQL / "load" / f"{name}.sql").read_text(encoding="utf-8")


def _cell(c) -> str:
    """An Excel cell as text; a number in plain decimal notation (never '1e-05')."""
    if c is None:
        return ""
    if isinstance(c, float):
        if c.is_integer():
            return str(int(c))
        return np.format_float_positional(c, trim="-")
    return str(c).strip()


def _unreadable_xlsx(name: str, error: Exception) -> FileError:
    """A workbook calamine cannot open, parse or read (it raises its own error types): the whole file."""
    return FileError(Reject(name, None, None, None,
                            f"the Excel file cannot be read ({error}); save it again as .xlsx"))


def _sheet(path: Path, name: str):
    """The first sheet of an Excel file, parsed by calamine (FileError for a broken file). Calamine parses
    the whole sheet at once, so the parse is kept for the same file (path, size, modification time): every
    adapter's sniff of its head and the reading of its rows share one parse, which the reading releases."""
    st = path.stat()
    try:
        return _parsed_sheet(str(path), st.st_size, st.st_mtime_ns)
    except Exception as e:
        raise _unreadable_xlsx(name, e) from None


@functools.lru_cache(maxsize=1)  # files are sniffed and read one after the other
def _parsed_sheet(path: str, size: int, mtime_ns: int):
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(path).get_sheet_by_index(0)


def xlsx_head(path: Path, name: str) -> list[list[str]]:
    """The first sheet's first HEADER_SEARCH_ROWS rows as text cells (FileError for a broken file)."""
    sheet = _sheet(path, name)
    try:
        rows = sheet.to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS)
    except Exception as e:
        raise _unreadable_xlsx(name, e) from None
    return [[_cell(c) for c in r] for r in rows]


def _open_xlsx(path: Path, name: str, is_header) -> Source:
    top = xlsx_head(path, name)
    header_idx = next((i for i, row in enumerate(top) if is_header(row)), None)
    if header_idx is None:
        raise FileError(Reject(name, None, None, None,
                               "no header row with the expected column names in the first sheet's first 20 rows"))
    titles = [" ".join(c for c in r if c) for r in top[:header_idx]]
    return Source(path, name, [h.strip() for h in top[header_idx]], [t for t in titles if t], header_idx + 2,
                  "XLSX", None, xlsx_header_index=header_idx)


def _load_xlsx(con, source: Source, names: list[str]) -> None:
    """The first sheet's rows below the header into load.cells, in batches of XLSX_BATCH."""
    sheet = _sheet(source.path, source.name)
    width = len(names)
    first_row, first_col = sheet.start or (0, 0)
    skip = source.xlsx_header_index + 1 - first_row  # rows of the iterator up to and including the header
    batch, created = [], False
    try:
        for i, r in enumerate(sheet.iter_rows()):
            if i < skip:
                continue
            cells = [""] * first_col + [_cell(c) for c in r]
            batch.append((cells + [""] * width)[:width])
            if len(batch) >= XLSX_BATCH:
                _insert_batch(con, names, batch, created)
                batch, created = [], True
    except Exception as e:
        raise _unreadable_xlsx(source.name, e) from None
    finally:
        _parsed_sheet.cache_clear()  # the parse is the whole sheet: not kept once its rows are in load.cells
    _insert_batch(con, names, batch, created)


def _insert_batch(con, names: list[str], batch: list[list[str]], created: bool) -> None:
    columns = list(zip(*batch, strict=True)) if batch else [() for _ in names]
    frame = pa.table({n: pa.array(col, type=pa.string()) for n, col in zip(names, columns, strict=True)})
    con.register("cells_batch", frame)
    try:
        con.execute("insert into load.cells select * from cells_batch" if created else
                    "create table load.cells as select * from cells_batch")
    finally:
        con.unregister("cells_batch")


def field_columns(fields: dict[str, int | None]) -> str:
    """The select list naming a format's fields over the cells c0, c1, …: `c3 as hs`, or
    `null::varchar as unit` where the file lacks the field. Identifiers only: the format's own field
    names and header positions, never a value of the file."""
    return ", ".join(f"c{int(pos)} as {f}" if pos is not None else f"null::varchar as {f}"
                     for f, pos in fields.items())


def expose(con: duckdb.DuckDBPyConnection, source: Source, fields: dict[str, int | None], *,
           max_rows: int | None = None) -> int:
    """The temporary view `fields` over load.cells: `row` (the spreadsheet row) and one column per field
    of the format (the header position it is at, or None: NULL where the file lacks it), the file's
    non-empty rows only. Returns how many (FileError above the row limit)."""
    con.execute(_sql("drop_blank_rows"))
    con.execute("set variable first_row = $first_row", {"first_row": source.first_row})
    con.execute(_sql("fields").replace("/* fields */", field_columns(fields)))
    rows = con.execute("select count(*) from load.cells").fetchone()[0]
    check_rows(rows, source.name, max_rows=max_rows)
    source.rows = rows
    return rows


def cell_names(source: Source) -> list[str]:
    """The columns of load.cells: c0, c1, … one per header position."""
    return [f"c{i}" for i in range(len(source.header))]


# ------------------------------------------------------------------ a table in pandas (the Python adapters)

@dataclass
class Table:
    header: list[str]
    cells: pd.DataFrame  # all "string" dtype, columns = header positions as strings "0", "1", …
    rows: pd.Series  # 1-based row number of each data row as a spreadsheet shows it
    encoding: str
    delimiter: str | None
    titles: list[str] = field(default_factory=list)  # non-empty lines (rows) above the header, as text


def read_table(path: Path, name: str, *, is_header: Callable[[list[str]], bool], latin: bool = False) -> Table:
    """A CSV or XLSX file as a pandas table of strings, for the adapters that check rows in Python
    (files read whole: MAX_WHOLE_FILE_BYTES, MAX_WHOLE_ROWS)."""
    check_size(path, name, streamed=False)
    source = open_source(path, name, is_header=is_header, latin=latin)
    names = cell_names(source)
    con = session()
    try:
        with tempfile.TemporaryDirectory(prefix="ctm-table-") as tmp:
            load_cells(con, source, names, Path(tmp))
        expose(con, source, {f"c{i}": i for i in range(len(names))}, max_rows=MAX_WHOLE_ROWS)
        df = con.execute("select * from fields order by row").df()
    finally:
        con.close()
    rows = df.pop("row").astype("int64").reset_index(drop=True)
    df.columns = [str(i) for i in range(len(names))]
    df = df.fillna("").astype("string")
    return Table(source.header, df.reset_index(drop=True), rows, source.encoding, source.delimiter, source.titles)


def session(memory_limit: str = "1GB") -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with an in-memory `load` database and the load macros (for reading a
    table outside a refresh)."""
    con = duckdb.connect(config={"memory_limit": memory_limit})
    con.execute("attach ':memory:' as load")
    con.execute(_sql("macros"))
    return con
