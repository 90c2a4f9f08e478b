"""What the adapter tests share: a file's head as the adapters sniff it, and rows as plain tuples."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from etl.sources import HEAD_BYTES


def head(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(HEAD_BYTES)


def as_tuples(rows: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """The rows' `columns` as tuples of plain values: None for missing, dates as YYYY-MM-DD."""
    def value(v):
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            return None
        if isinstance(v, pd.Timestamp):
            return v.strftime("%Y-%m-%d")
        return v
    return [tuple(value(v) for v in r) for r in rows[columns].astype(object).itertuples(index=False)]
