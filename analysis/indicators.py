"""Time-series indicators as small pure functions: growth, year-over-year change, moving sums, seasonality.

The trade measures computed over products — Michaely complementarity, RCA, HHI, shares, the growth
needed to reach a target — live in the SQL that computes them (etl/sql/marts, analysis/sql) and are
tested there. No I/O here. Functions take pandas objects or plain numbers (as each docstring says)
and return the same kind. Division by zero never yields ``inf``: a ratio whose denominator is 0 or
missing is NaN, so a missing base shows as "no figure" rather than as an infinite growth rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MONTHS = range(1, 13)


def _as_float(x):
    """Numbers as float64 so that x / 0 gives inf or NaN (never ZeroDivisionError) and None reads as NaN."""
    if isinstance(x, pd.Series | pd.DataFrame):
        return x.astype("float64")
    if np.ndim(x) == 0:
        return np.nan if pd.isna(x) else np.float64(x)
    return np.asarray(x, dtype="float64")


def _where(valid, value):
    """`value` where `valid`, NaN elsewhere, for scalars, arrays and pandas objects alike."""
    if np.ndim(valid) == 0:
        return value if valid else value * np.nan
    if isinstance(value, pd.Series | pd.DataFrame):
        return value.where(valid)
    return np.where(valid, value, np.nan)


def _safe_div(num, den):
    """num / den, NaN where den is 0 or missing."""
    num, den = _as_float(num), _as_float(den)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _where(den != 0, num / den)


def _require_regular(index: pd.Index) -> None:
    # A month absent from the index (rather than present as NaN) would silently shift the
    # comparison by one period; coverage holes must be NaN rows on a complete grid.
    if isinstance(index, pd.DatetimeIndex | pd.PeriodIndex) and len(index) > 1:
        steps = np.diff(np.asarray(index.year) * 12 + np.asarray(index.month))
        if steps.min() <= 0 or steps.max() != steps.min():
            raise ValueError("series must be sorted on a complete, regular grid; reindex missing periods to NaN")


def growth(current, previous):
    """Relative change: current / previous − 1.

    Scalars, arrays or Series. NaN (not inf) where `previous` is 0 or missing.
    Example: growth(150, 100) = 0.5.
    """
    return _safe_div(current, previous) - 1


def yoy(series: pd.Series, periods_per_year: int = 12) -> pd.Series:
    """Year-over-year change: value_t / value_{t − periods_per_year} − 1.

    `series` must sit on a complete, regularly spaced grid (missing periods as NaN rows), since the
    shift counts rows; a DatetimeIndex or PeriodIndex with gaps raises ValueError.
    NaN where the base value is 0 or missing, and for the first `periods_per_year` rows.
    """
    _require_regular(series.index)
    return growth(series, series.shift(periods_per_year))


def moving_sum(series: pd.Series, window: int = 12, min_periods: int = 12) -> pd.Series:
    """Rolling sum over the last `window` rows: Σ_{j=t−window+1..t} value_j.

    A result needs at least `min_periods` non-missing values in the window. With the default
    min_periods = window, any NaN inside the window (a coverage hole) makes the sum NaN: a hole is
    never counted as 0. Grid requirements as for `yoy`.
    """
    _require_regular(series.index)
    return _as_float(series).rolling(window, min_periods=min_periods).sum()


def seasonality(series: pd.Series) -> pd.Series:
    """Average share of each calendar month in its year's total: mean over years y of v_{y,m} / Σ_m v_{y,m}.

    `series` is monthly, indexed by a DatetimeIndex or a monthly PeriodIndex. Only complete years
    count: all twelve months present (not NaN) and a positive total. Returns a Series indexed by
    month 1..12 that sums to 1, or all NaN when no year is complete.
    """
    index = series.index
    if isinstance(index, pd.DatetimeIndex):
        index = index.to_period("M")
    if not isinstance(index, pd.PeriodIndex) or index.freqstr != "M":
        raise TypeError("seasonality needs a monthly DatetimeIndex or PeriodIndex")
    monthly = pd.Series(_as_float(series).to_numpy(), index=index).groupby(level=0).sum(min_count=1)
    table = (
        pd.DataFrame({"year": monthly.index.year, "month": monthly.index.month, "value": monthly.to_numpy()})
        .pivot(index="year", columns="month", values="value")
        .reindex(columns=MONTHS)
    )
    complete = table[table.notna().all(axis=1) & (table.sum(axis=1) > 0)]
    return complete.div(complete.sum(axis=1), axis=0).mean().rename_axis("month").rename("share")
