"""Cleaning of text and numbers as Iranian and Russian files write them.

Everything here is vectorised over pandas string Series (millions of rows at scale) and
idempotent: cleaning a cleaned value changes nothing.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Persian (U+06F0..) and Arabic-Indic (U+0660..) digits -> ASCII.
_DIGITS = {ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
_DIGITS.update({ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")})
# Arabic letters that Iranian systems still emit -> Persian; zero-width joiners dropped;
# Persian decimal separator -> '.', Arabic thousands separator -> ','.
_LETTERS = {ord("ي"): "ی", ord("ى"): "ی", ord("ك"): "ک", ord("ة"): "ه", ord("\u200c"): " ",
            ord("\u200d"): None, ord("\u200f"): None, ord("\u200e"): None, ord("\ufeff"): None,
            ord("٫"): ".", ord("٬"): ",", ord("\u00a0"): " ", ord("\u202f"): " ",
            ord("\u2009"): " ", ord("\u2007"): " "}
_TABLE = {**_DIGITS, **_LETTERS}
_REPLACEMENTS = [(chr(k), v or "") for k, v in _TABLE.items()]
_SPACES = re.compile(r"\s+")


def clean_text(s: str) -> str:
    """One string: Persian letters, ASCII digits, single spaces, trimmed."""
    return _SPACES.sub(" ", s.translate(_TABLE)).strip()


def name_key(s: str) -> str:
    """Key for matching a name against aliases: cleaned, case-folded, no 'ی'/'ي' confusion."""
    return clean_text(s).casefold()


def map_distinct(s: pd.Series, func) -> pd.Series:
    """Apply `func` (a callable or a dict) to each distinct non-null value once and spread the
    results back: customs columns repeat few values over millions of rows."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    get = func.get if isinstance(func, dict) else func
    mapped = pd.array([get(u) for u in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=s.index)  # code -1 (null) takes the trailing None


def _encoded(s: pd.Series) -> pa.DictionaryArray:
    """A Series as an Arrow string dictionary: each distinct value once, and an index per cell."""
    arr = pa.array(s.astype("string"))
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.type != pa.string():
        arr = arr.cast(pa.string())
    return pc.dictionary_encode(arr)


def clean_series(s: pd.Series) -> pd.Series:
    """clean_text over a string Series. Customs columns repeat few distinct values, so each
    distinct value is cleaned once (in Arrow) and spread back; pure-ASCII columns are only trimmed."""
    encoded = _encoded(s)
    uniques = encoded.dictionary
    if pc.all(pc.string_is_ascii(uniques)).as_py() is False:
        for src, dst in _REPLACEMENTS:
            uniques = pc.replace_substring(uniques, src, dst)
    uniques = pc.utf8_trim_whitespace(pc.replace_substring_regex(uniques, r"\s+", " "))
    cleaned = pc.take(uniques, encoded.indices)
    return pd.Series(pd.arrays.ArrowStringArray(cleaned), index=s.index)


MAX_NUMBER = 1e13  # no customs record is worth ten trillion dollars or weighs ten billion tonnes
MAX_RIALS = 1e19  # rials run about a million to the dollar

# A number as files write it, with a decimal point or a decimal comma. Thousands are grouped by
# the other mark or by a space (Persian ٬ and ٫ are ',' and '.' once cleaned). '1,234.5' and
# '0.75' read only with a point, '1.234,5' and '0,75' only with a comma; '1.234' and '12,500'
# read both ways (with values a thousand times apart); '1234' and '1 234' read the same either way.
_GROUPED = {".": r"\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+", ",": r"\d{1,3}(?:\.\d{3})+|\d{1,3}(?: \d{3})+|\d+"}
NUMBER_PATTERN = {mark: rf"^-?(?:{grouped})(?:\{mark}\d+)?$" for mark, grouped in _GROUPED.items()}
MARK_NAMES = {".": "decimal point", ",": "decimal comma"}


def _dictionary(s: pd.Series) -> tuple[pa.Array, np.ndarray]:
    """A string Series as (distinct values, the position of each cell's value; -1 for NA)."""
    encoded = _encoded(s)
    return encoded.dictionary, encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)


def _spread(per_value: np.ndarray, idx: np.ndarray, fill) -> np.ndarray:
    """Per-distinct-value results back to one per cell; `fill` where the cell is NA."""
    out = np.append(per_value, np.array([fill], dtype=per_value.dtype))
    return out[idx]  # index -1 takes the appended fill


def _matches(uniques: pa.Array, pattern: str) -> np.ndarray:
    return pc.match_substring_regex(uniques, pattern).fill_null(False).to_numpy(zero_copy_only=False)


def number_forms(s: pd.Series) -> pd.DataFrame:
    """Which decimal mark each cleaned cell can be read with: boolean columns `point` and `comma`,
    and `marked` (the cell holds a '.' or ','). A cell that is no number has both False."""
    uniques, idx = _dictionary(s)
    marked = pc.match_substring_regex(uniques, r"[.,]").fill_null(False).to_numpy(zero_copy_only=False)
    return pd.DataFrame({
        "point": _spread(_matches(uniques, NUMBER_PATTERN["."]), idx, False),
        "comma": _spread(_matches(uniques, NUMBER_PATTERN[","]), idx, False),
        "marked": _spread(marked, idx, False),
    }, index=s.index)


def parse_numbers(s: pd.Series, *, decimal: str = ".",
                  max_value: float = MAX_NUMBER) -> tuple[pd.Series, pd.Series]:
    """Parse a cleaned string Series to float, reading `decimal` as the decimal mark.

    Returns (values, bad): values NaN where the cell is empty or bad; `bad` is True where the
    cell holds something that is not a non-negative number of at most `max_value` written with
    that mark (a value beyond it is a typing error, and would overflow the warehouse's cent
    arithmetic). Thousands separators (the other mark, or a space) are dropped. Each distinct
    value is parsed once.
    """
    uniques, idx = _dictionary(s)
    trimmed = pc.utf8_trim_whitespace(uniques)
    ok = _matches(trimmed, NUMBER_PATTERN[decimal])
    thousands = "," if decimal == "." else "."
    digits = pc.replace_substring(pc.replace_substring(trimmed, " ", ""), thousands, "")
    if decimal == ",":
        digits = pc.replace_substring(digits, ",", ".")
    text = np.where(ok, digits.to_numpy(zero_copy_only=False), None)
    values = pd.to_numeric(pd.Series(text, dtype=object), errors="coerce").to_numpy(dtype="float64")
    empty = pc.equal(trimmed, "").fill_null(True).to_numpy(zero_copy_only=False)
    with np.errstate(invalid="ignore"):
        in_range = (values >= 0) & (values <= max_value)  # NaN (not a number) and inf fail both
    bad = ~empty & ~(ok & in_range)
    values = np.where(bad, np.nan, values)
    return (pd.Series(_spread(values, idx, np.nan), index=s.index),
            pd.Series(_spread(bad, idx, False), index=s.index))


def parse_hs(s: pd.Series, *, max_digits: int = 10) -> tuple[pd.Series, pd.Series]:
    """Cleaned HS code strings -> (codes, reason). reason is NA where the code is good."""
    s = s.astype("string").str.strip()
    reason = pd.Series(pd.NA, index=s.index, dtype="string")
    empty = s.isna() | (s == "")
    digits = s.str.fullmatch(r"\d+").fillna(False)
    n = s.str.len()
    has_dot = s.str.contains(".", regex=False).fillna(False)
    reason = reason.mask(empty, "an HS code is required")
    reason = reason.mask(~empty & has_dot,
                         "HS code with dots; expected digits only (e.g. 08105000 not 0810.50.00)")
    reason = reason.mask(~empty & ~has_dot & ~digits,
                         "expected an HS code of digits only")
    odd = digits & ((n % 2 == 1) | (n < 2) | (n > max_digits))
    reason = reason.mask(
        odd & reason.isna(),
        f"expected an HS code of 2, 4, 6, 8 or 10 digits (at most {max_digits}); an odd count usually "
        "means a leading zero was lost — store the column as text",
    )
    return s.where(reason.isna()), reason


def first_bad(bad: pd.Series) -> np.ndarray:
    """Positions where a boolean mask is True (helper for building rejects)."""
    return np.flatnonzero(bad.to_numpy(dtype=bool, na_value=False))
