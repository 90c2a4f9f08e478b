"""Volgograd's side (B) per product, direction and Gregorian month — reported, or nowcast where its
customs are silent (FCS stopped publishing regional data after January 2022).

1. Share (SQL, marts.bilateral_carried): Volgograd's share of Russia's trade with Iran in each
   product, s_k = ΣB / ΣT over the last 24 months its customs reported before the silence (the first
   24 after it, for months before any report), carried over the silent months: B̂_kt = s_k · T_kt. (A
   product the national figures do not show at all keeps its monthly level.)
2. Benchmark: where Volgograd's published yearly total P_y exists, the nowcast months of year y
   are scaled by a factor λ_t so that the reported months plus the nowcast months add up to P_y.
   λ_t follows Denton's (1971) proportional first-difference method: it moves as smoothly as it
   can from 1 at the last reported month through every benchmark year and stays level after the
   last one, so a year's boundary makes no step.
3. Direct observations are facts about B too: where provinces' observed trade with Volgograd in a
   product exceeds the nowcast B over the same period, B is raised to it (SQL,
   marts.bilateral_volgograd, which also joins the reported months).
4. Spread (on ln B): a product part — how much a product's share moved between reported years,
   growing with the years since the last report — and a common part, shared by every product of the
   direction: small in a benchmarked year, otherwise growing with the distance to the nearest
   anchor (a reported month or a benchmarked year).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from etl.estimate import inputs

BASE_MONTHS = 24
MIN_SD_PRODUCT = 0.10  # per year; floors for what three reported years can hardly measure
MIN_SD_COMMON = 0.10
DEFAULT_SD_PRODUCT = 0.30  # when no two reported years share a product
SD_BENCHMARKED = 0.02  # a published yearly total's own rounding and coverage
SCHEMA = {"flow": "str", "hs6": "str", "month_start": "date", "b_usd": "float64", "t_usd": "float64",
          "nowcast_from": "date", "months_since": "int64", "share": "float64", "benchmark": "float64",
          "var_common": "float64", "var_product": "float64"}


def model(con: duckdb.DuckDBPyConnection) -> pa.Table:
    sides = inputs.sides(con)
    b = sides[(sides["calendar"] == "gregorian") & (sides["side"] == "B")]
    cov = inputs.coverage(con)
    b_months = pd.DatetimeIndex(sorted(pd.to_datetime(
        cov.loc[(cov["calendar"] == "gregorian") & (cov["side"] == "B"), "month_start"].unique())))
    carried = inputs.table(con, "marts.bilateral_carried")
    published = inputs.table(con, "marts.bilateral_published")
    return inputs.typed(benchmarked(b, b_months, carried, published), SCHEMA)


def benchmarked(b: pd.DataFrame, b_months: pd.DatetimeIndex, carried: pd.DataFrame, published: pd.DataFrame
                ) -> pd.DataFrame:
    """The carried B̂ of marts.bilateral_carried scaled by Denton's λ_t to the published totals, with
    the spread of ln B: its product part and its common part."""
    if carried.empty or b_months.empty:
        return pd.DataFrame(columns=list(SCHEMA))
    reported = b.assign(month_start=pd.to_datetime(b["month_start"])).rename(columns={"usd": "b_usd"})
    now = carried.assign(month_start=pd.to_datetime(carried["month_start"]))
    months = b_months.union(pd.DatetimeIndex(now["month_start"].unique()))
    frames = []
    for flow, part in now.groupby("flow"):
        lam, bench_years = _benchmark(part, reported[reported["flow"] == flow], published[published["flow"] == flow],
                                      months, b_months)
        part = part.merge(lam, on="month_start")
        part["b_usd"] = part["b_hat"] * part["benchmark"]
        years = part["month_start"].dt.year
        anchor_months = _months_to_anchor(part["month_start"], b_months, bench_years)
        sd_common = max(float(part["sd_common"].iloc[0]), MIN_SD_COMMON) if part["sd_common"].notna().any() \
            else MIN_SD_COMMON
        sd_product = max(float(part["sd_product"].iloc[0]), MIN_SD_PRODUCT) if part["sd_product"].notna().any() \
            else DEFAULT_SD_PRODUCT
        part["var_common"] = np.where(years.isin(bench_years), SD_BENCHMARKED ** 2,
                                      sd_common ** 2 * anchor_months / 12 + SD_BENCHMARKED ** 2)
        part["var_product"] = sd_product ** 2 * (0.5 + 0.5 * part["months_since"] / 12)
        frames.append(part)
    return pd.concat(frames, ignore_index=True)


def _benchmark(part: pd.DataFrame, reported: pd.DataFrame, published: pd.DataFrame, months: pd.DatetimeIndex,
               b_months: pd.DatetimeIndex) -> tuple[pd.DataFrame, list[int]]:
    """λ_t for the silent months of one direction (Denton proportional first differences)."""
    indicator = part.groupby("month_start")["b_hat"].sum()
    silent = indicator.index
    targets = {}
    p = published.assign(p_adj=published["p_usd"] * _published_factor(published))
    for year, total in p.groupby("year")["p_adj"].sum().items():
        in_year = silent[silent.year == year]
        if len(in_year) == 0 or indicator[in_year].sum() <= 0:
            continue
        observed = reported.loc[reported["month_start"].dt.year == year, "b_usd"].sum()
        if len(in_year) + int((b_months.year == year).sum()) < 12 or total - observed <= 0:
            continue  # the year is not all within reach, or the total is below what was reported (a conflict)
        targets[int(year)] = total - observed
    lam = denton(months, silent, indicator, targets)
    return pd.DataFrame({"month_start": silent, "benchmark": lam}), sorted(targets)


def denton(months: pd.DatetimeIndex, free: pd.DatetimeIndex, indicator: pd.Series, targets: dict[int, float]
           ) -> np.ndarray:
    """Minimise Σ (λ_t − λ_{t−1})² over consecutive months, with λ = 1 in months not free (reported),
    subject to Σ_{t in year y} λ_t·indicator_t = targets[y]. Returns λ for the free months."""
    n = len(free)
    if n == 0:
        return np.zeros(0)
    if not targets:
        return np.ones(n)
    index = {m: i for i, m in enumerate(free)}
    q = np.zeros((n, n))
    rhs = np.zeros(n)
    for prev, cur in zip(months[:-1], months[1:], strict=True):
        i, j = index.get(prev), index.get(cur)
        if i is not None and j is not None:
            q[i, i] += 1
            q[j, j] += 1
            q[i, j] -= 1
            q[j, i] -= 1
        elif i is not None or j is not None:  # next to a reported month, where λ = 1
            k = i if i is not None else j
            q[k, k] += 1
            rhs[k] += 1
    c = np.zeros((len(targets), n))
    for r, year in enumerate(targets):
        for m in free[free.year == year]:
            c[r, index[m]] = indicator[m]
    kkt = np.block([[q, c.T], [c, np.zeros((len(targets), len(targets)))]])
    sol = np.linalg.lstsq(kkt, np.concatenate([rhs, list(targets.values())]), rcond=None)[0]
    return np.maximum(sol[:n], 0.0)


def _published_factor(published: pd.DataFrame) -> np.ndarray:
    """Published totals are Volgograd's side: its imports (the provinces' exports) CIF, its exports
    FOB — unless the row says its basis."""
    basis = published["value_basis"].where(published["value_basis"].isin(["FOB", "CIF"]),
                                           np.where(published["flow"] == "export", "CIF", "FOB"))
    return inputs.basis_factor(pd.Series(basis, index=published.index))


def _months_to_anchor(month: pd.Series, b_months: pd.DatetimeIndex, bench_years: list[int]) -> np.ndarray:
    anchors = list(b_months) + [pd.Timestamp(y, m, 1) for y in bench_years for m in (1, 12)]
    anchors = pd.DatetimeIndex(sorted(anchors))
    mi = month.dt.year * 12 + month.dt.month
    ai = np.asarray(anchors.year * 12 + anchors.month)
    return np.abs(mi.to_numpy()[:, None] - ai[None, :]).min(axis=1)
