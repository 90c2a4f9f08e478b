"""Trade indicators as small pure functions: growth, moving sums, shares, Michaely, RCA, HHI, seasonality.

No I/O here. Functions take pandas objects or plain numbers (as each docstring says) and return the same
kind. Division by zero never yields ``inf``: a ratio whose denominator is 0 or missing is NaN, so a
missing base shows as "no figure" rather than as an infinite growth rate.
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


def _nonnegative(values: pd.Series, name: str) -> None:
    if (values < 0).any():
        raise ValueError(f"{name} must not contain negative values")


def growth(current, previous):
    """Relative change: current / previous − 1.

    Scalars, arrays or Series. NaN (not inf) where `previous` is 0 or missing.
    Example: growth(150, 100) = 0.5.
    """
    return _safe_div(current, previous) - 1


def cagr(first, last, years):
    """Compound annual growth rate: (last / first) ** (1 / years) − 1.

    Scalars, arrays or Series. NaN when first ≤ 0, last < 0, years ≤ 0 or any input is missing.
    last = 0 gives −1 (everything lost). Example: cagr(100, 121, 2) = 0.10.
    """
    first, last, years = _as_float(first), _as_float(last), _as_float(years)
    valid = (first > 0) & (last >= 0) & (years > 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _where(valid, (last / first) ** (1 / years) - 1)


def required_growth(current, target, years):
    """Annual growth needed to go from `current` to `target` in `years` years: (target / current) ** (1/years) − 1.

    Same as cagr(current, target, years). The rate is returned as is, so it is negative when
    `current` is already above `target` (the decline that would still meet it) and 0 when equal.
    NaN when current ≤ 0 (no rate grows from nothing), target < 0 or years ≤ 0.
    """
    return cagr(current, target, years)


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


def shares(values: pd.Series) -> pd.Series:
    """Share of each item in the total: s_k = v_k / Σ v. NaN everywhere if the total is 0 (or nothing is present)."""
    return _safe_div(values, _as_float(values).sum())


def michaely(exports: pd.Series, imports: pd.Series) -> float:
    """Michaely complementarity index: 100 · (1 − ½ · Σ_k |m_k − x_k|).

    x_k = share of product k in A's exports, m_k = share of k in B's imports; both Series hold
    values indexed by product code. Indexes are aligned on their union; a product missing on one
    side (or NaN) counts as 0; repeated codes are summed. 100 = B imports exactly what A exports,
    in the same mix; 0 = no product in common. NaN if either total is 0. Negative values raise.
    """
    x, m = (_as_float(s).fillna(0).groupby(level=0).sum() for s in (exports, imports))
    _nonnegative(x, "exports")
    _nonnegative(m, "imports")
    x, m = x.align(m, fill_value=0)
    if x.sum() == 0 or m.sum() == 0:
        return np.nan
    index = 100 * (1 - 0.5 * (shares(m) - shares(x)).abs().sum())
    return float(np.clip(index, 0, 100))  # clip only float rounding: Σ|m − x| ≤ 2 exactly


def rca(x_ik, x_i, x_wk, x_w):
    """Balassa revealed comparative advantage: (x_ik / x_i) / (x_wk / x_w).

    x_ik = unit i's exports of product k, x_i = unit i's total, x_wk = the reference world's exports
    of k, x_w = the world total. Vectorised over scalars, arrays or Series. > 1 means k weighs more
    in i's exports than in the world's. NaN where x_i, x_wk or x_w is 0 or missing.
    """
    return _safe_div(_safe_div(x_ik, x_i), _safe_div(x_wk, x_w))


def rca_table(
    df: pd.DataFrame, *, unit: str = "province", product: str = "hs6", value: str = "value_usd"
) -> pd.DataFrame:
    """Balassa RCA of every (unit, product) pair in `df`, where the "world" is the sum over all units of df.

    Rows are first summed per (unit, product). Returns columns [unit, product, "rca"], one row per pair.
    """
    pairs = df.groupby([unit, product], as_index=False)[value].sum()
    x_ik = pairs[value]
    x_i = pairs.groupby(unit)[value].transform("sum")
    x_wk = pairs.groupby(product)[value].transform("sum")
    return pairs[[unit, product]].assign(rca=rca(x_ik, x_i, x_wk, x_ik.sum()))


def hhi(values) -> float:
    """Herfindahl–Hirschman index on shares: H = Σ_k s_k², from 1/N (N equal items) to 1 (one item).

    `values` is a Series or a list/array of non-negative values (NaN counts as 0). NaN if empty or
    the total is 0. On the 0..1 scale: multiply by 10 000 for the antitrust convention.
    """
    v = pd.Series(values, dtype="float64").fillna(0)
    _nonnegative(v, "values")
    if v.sum() == 0:
        return np.nan
    return float((shares(v) ** 2).sum())


def hhi_normalised(values) -> float:
    """Normalised HHI: (H − 1/N) / (1 − 1/N), N = number of non-zero items; 0 = even spread, 1 = one item.

    With N = 1 the formula is 0/0; concentration is then total, so 1.0 is returned. NaN if N = 0.
    """
    v = pd.Series(values, dtype="float64").fillna(0)
    n = int((v > 0).sum())
    if n == 0:
        return np.nan
    if n == 1:
        return 1.0
    return float(np.clip((hhi(v) - 1 / n) / (1 - 1 / n), 0, 1))  # clip only float rounding


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
