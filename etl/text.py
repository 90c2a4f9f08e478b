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
            ord("٫"): ".", ord("٬"): ",", ord("\u00a0"): " ", ord("\u202f"): " "}
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


def clean_series(s: pd.Series) -> pd.Series:
    """clean_text over a string Series. Customs columns repeat few distinct values, so each
    distinct value is cleaned once (in Arrow) and spread back; pure-ASCII columns are only trimmed."""
    arr = pa.array(s.astype("string"))
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.type != pa.string():
        arr = arr.cast(pa.string())
    encoded = pc.dictionary_encode(arr)
    uniques = encoded.dictionary
    if pc.all(pc.string_is_ascii(uniques)).as_py() is False:
        for src, dst in _REPLACEMENTS:
            uniques = pc.replace_substring(uniques, src, dst)
    uniques = pc.utf8_trim_whitespace(pc.replace_substring_regex(uniques, r"\s+", " "))
    cleaned = pc.take(uniques, encoded.indices)
    return pd.Series(pd.arrays.ArrowStringArray(cleaned), index=s.index)


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


MAX_NUMBER = 1e13  # no customs record is worth ten trillion dollars or weighs ten billion tonnes
MAX_RIALS = 1e19  # rials run about a million to the dollar


def parse_numbers(s: pd.Series, *, decimal_comma: bool = False,
                  max_value: float = MAX_NUMBER) -> tuple[pd.Series, pd.Series]:
    """Parse a cleaned string Series to float.

    Returns (values, bad): values NaN where the cell is empty or bad; `bad` is True where the
    cell holds something that is not a non-negative number of at most `max_value` (a value
    beyond it is a typing error, and would overflow the warehouse's cent arithmetic). Thousands
    separators ',' (or ' ' and '.' when the decimal mark is a comma) are dropped.
    """
    s = s.astype("string").str.strip()
    empty = s.isna() | (s == "")
    t = s.str.replace(" ", "", regex=False)
    if decimal_comma:
        t = t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        # ',' is a thousands separator only in groups of three digits
        grouped = t.str.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
        t = t.where(~grouped.fillna(False), t.str.replace(",", "", regex=False))
    ok = t.str.fullmatch(_NUMBER.pattern).fillna(False)
    values = pd.to_numeric(t.where(ok), errors="coerce").astype("float64")
    out_of_range = ~((values >= 0) & (values <= max_value))  # negative, too large or infinite
    bad = (~empty & ~ok) | (ok & out_of_range.fillna(True))
    values = values.where(~bad)
    return values, bad.astype(bool)


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
