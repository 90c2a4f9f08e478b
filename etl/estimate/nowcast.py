"""Volgograd's side (B) per product, direction and Gregorian month — reported, or nowcast where its
customs are silent (FCS stopped publishing regional data after January 2022).

1. Share: Volgograd's share of Russia's trade with Iran in each product, s_k = ΣB / ΣT over the
   last 24 months its customs reported before the silence (the first 24 after it, for months before
   any report), carried over the silent months: B̂_kt = s_k · T_kt. (A product the national figures
   do not show at all keeps its monthly level.)
2. Benchmark: where Volgograd's published yearly total P_y exists, the nowcast months of year y
   are scaled by a factor λ_t so that the reported months plus the nowcast months add up to P_y.
   λ_t follows Denton's (1971) proportional first-difference method: it moves as smoothly as it
   can from 1 at the last reported month through every benchmark year and stays level after the
   last one, so a year's boundary makes no step.
3. Direct observations are facts about B too: where provinces' observed trade with Volgograd in a
   product exceeds the nowcast B over the same period, B is raised to it.
4. Spread (on ln B): a product part — how much a product's share moved between reported years,
   growing with the years since the last report — and a common part, shared by every product of the
   direction: small in a benchmarked year, otherwise growing with the distance to the nearest
   anchor (a reported month or a benchmarked year).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from etl.estimate import inputs

BASE_MONTHS = 24
MIN_SD_PRODUCT = 0.10  # per year; floors for what three reported years can hardly measure
MIN_SD_COMMON = 0.10
DEFAULT_SD_PRODUCT = 0.30  # when no two reported years share a product
SD_BENCHMARKED = 0.02  # a published yearly total's own rounding and coverage
SCHEMA = {"flow": "str", "hs6": "str", "month_start": "date", "b_usd": "float64", "b_source": "str",
          "nowcast_from": "date", "months_since": "int64", "share": "float64", "benchmark": "float64",
          "var_common": "float64", "var_product": "float64"}
COLUMNS = list(SCHEMA)


def model(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    sides = inputs.sides(con)
    greg = sides[sides["calendar"] == "gregorian"]
    b, a = greg[greg["side"] == "B"], greg[greg["side"] == "A"]
    cov = inputs.coverage(con)
    cov = cov[cov["calendar"] == "gregorian"]
    totals = inputs.table(con, "marts.bilateral_totals")
    published = inputs.table(con, "marts.bilateral_published")
    direct = inputs.table(con, "marts.bilateral_direct")
    return volgograd_side(b, cov, totals, published, direct[direct["calendar"] == "gregorian"], a)


def volgograd_side(b: pd.DataFrame, cov: pd.DataFrame, totals: pd.DataFrame, published: pd.DataFrame,
                   direct: pd.DataFrame, a: pd.DataFrame) -> pd.DataFrame:
    b_months = pd.DatetimeIndex(sorted(pd.to_datetime(cov.loc[cov["side"] == "B", "month_start"].unique())))
    reported = b[["flow", "hs6", "month_start", "usd"]].rename(columns={"usd": "b_usd"})
    reported = reported.assign(month_start=pd.to_datetime(reported["month_start"]), b_source="reported",
                               nowcast_from=pd.NaT, months_since=0, share=np.nan, benchmark=np.nan,
                               var_common=0.0, var_product=0.0)
    if totals.empty or b_months.empty:
        return _frame(reported)
    t = totals.assign(month_start=pd.to_datetime(totals["month_start"]))
    months = pd.DatetimeIndex(sorted(t["month_start"].unique()))
    a_months = pd.DatetimeIndex(pd.to_datetime(cov.loc[cov["side"] == "A", "month_start"].unique()))
    needed = months.isin(a_months) | months.year.isin(published["year"].unique())  # cells, or a benchmark
    silent = months[~months.isin(b_months) & needed]
    if silent.empty:
        return _frame(reported)
    anchor = _anchors(silent, b_months)
    shares = _shares(reported, t, b_months, anchor)
    sd_product, sd_common = _share_spread(reported, t, b_months)
    now = shares.merge(anchor, on="nowcast_from").merge(t[["flow", "hs6", "month_start", "t_usd"]],
                                                        on=["flow", "hs6", "month_start"], how="left")
    now["t_usd"] = now["t_usd"].fillna(0.0)
    now["b_hat"] = now["share"] * now["t_usd"] + now["level"]
    frames = []
    for flow, part in now.groupby("flow"):
        lam, bench_years = _benchmark(part, reported[reported["flow"] == flow], published[published["flow"] == flow],
                                      months[months.isin(b_months) | months.isin(silent)], b_months)
        part = part.merge(lam, on="month_start")
        part["b_usd"] = part["b_hat"] * part["benchmark"]
        years = part["month_start"].dt.year
        anchor_months = _months_to_anchor(part["month_start"], b_months, bench_years)
        part["var_common"] = np.where(years.isin(bench_years), SD_BENCHMARKED ** 2,
                                      sd_common.get(flow, MIN_SD_COMMON) ** 2 * anchor_months / 12
                                      + SD_BENCHMARKED ** 2)
        h = part["months_since"] / 12
        part["var_product"] = sd_product.get(flow, DEFAULT_SD_PRODUCT) ** 2 * (0.5 + 0.5 * h)
        frames.append(part)
    now = pd.concat(frames, ignore_index=True)
    now = _raise_to_direct(now, direct, a)
    now["b_source"] = "nowcast"
    now = now[now["b_usd"] > 0]
    return _frame(pd.concat([reported, now[COLUMNS]], ignore_index=True))


def _frame(df: pd.DataFrame) -> pd.DataFrame:
    return inputs.typed(df, SCHEMA)


def _anchors(silent: pd.DatetimeIndex, b_months: pd.DatetimeIndex) -> pd.DataFrame:
    """For each silent month, the reported month its nowcast is carried from (the last one before it,
    else the first one after it) and the months in between."""
    pos = b_months.searchsorted(silent)
    before = np.where(pos > 0, pos - 1, 0)
    has_before = pos > 0
    src = np.where(has_before, before, np.minimum(pos, len(b_months) - 1))
    frm = b_months[src]
    since = (silent.year - frm.year) * 12 + (silent.month - frm.month)
    return pd.DataFrame({"month_start": silent, "nowcast_from": frm, "months_since": np.abs(since)})


def _shares(reported: pd.DataFrame, t: pd.DataFrame, b_months: pd.DatetimeIndex, anchor: pd.DataFrame) -> pd.DataFrame:
    frames = []
    for frm in anchor["nowcast_from"].unique():
        i = b_months.get_loc(frm)
        after = anchor.loc[anchor["nowcast_from"] == frm, "month_start"].min() < frm
        window = b_months[i:i + BASE_MONTHS] if after else b_months[max(0, i - BASE_MONTHS + 1):i + 1]
        bsum = reported[reported["month_start"].isin(window)].groupby(["flow", "hs6"])["b_usd"].sum()
        tsum = t[t["month_start"].isin(window)].groupby(["flow", "hs6"])["t_usd"].sum()
        both = pd.concat([bsum.rename("b"), tsum.rename("t")], axis=1).fillna(0.0)
        has_t = both["t"] > 0
        both["share"] = np.where(has_t, both["b"] / np.maximum(both["t"], both["b"]), 0.0)
        # a product Russia's national figures do not show: its monthly level carries over as it was
        both["level"] = np.where(has_t, 0.0, both["b"] / len(window))
        frames.append(both[["share", "level"]].reset_index().assign(nowcast_from=frm))
    return pd.concat(frames, ignore_index=True)


def _share_spread(reported: pd.DataFrame, t: pd.DataFrame, b_months: pd.DatetimeIndex) -> tuple[dict, dict]:
    """Per direction: the spread of a year's change in ln(share) across products (robust), and the
    size of the change of Volgograd's share of all products together."""
    full = pd.Series(b_months.year).value_counts()
    years = sorted(full[full == 12].index)
    sd_product, sd_common = {}, {}
    if len(years) < 2:
        return sd_product, sd_common
    by = reported.assign(year=reported["month_start"].dt.year).groupby(["flow", "hs6", "year"])["b_usd"].sum()
    ty = t.assign(year=t["month_start"].dt.year).groupby(["flow", "hs6", "year"])["t_usd"].sum()
    y = pd.concat([by.rename("b"), ty.rename("t")], axis=1).fillna(0.0).reset_index()
    y = y[y["year"].isin(years)]
    for flow, part in y.groupby("flow"):
        s = part[(part["b"] > 0) & (part["t"] > 0)].assign(ls=lambda d: np.log(d["b"] / np.maximum(d["t"], d["b"])))
        wide = s.pivot(index="hs6", columns="year", values="ls")
        diffs = [(wide[y1] - wide[y0]).dropna() for y0, y1 in zip(years, years[1:], strict=False)
                 if y0 in wide and y1 in wide]
        diffs = pd.concat(diffs) if diffs else pd.Series(dtype=float)
        if len(diffs) >= 3:
            mad = 1.4826 * np.median(np.abs(diffs - np.median(diffs)))
            sd_product[flow] = max(float(mad), MIN_SD_PRODUCT)
        tot = part.groupby("year")[["b", "t"]].sum()
        agg = np.log(tot["b"] / tot["t"]).replace([np.inf, -np.inf], np.nan).dropna().diff().dropna()
        if len(agg):
            sd_common[flow] = max(float(np.sqrt(np.mean(agg ** 2))), MIN_SD_COMMON)
    return sd_product, sd_common


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


def _raise_to_direct(now: pd.DataFrame, direct: pd.DataFrame, a: pd.DataFrame) -> pd.DataFrame:
    """Where the provinces' observed trade with Volgograd over a period exceeds nowcast B over the
    silent part of that period, raise B there (in proportion to B, else to T, else to days) — as far
    as the province's own trade with Russia allows (a figure above that is a conflict, not a fact)."""
    if direct.empty:
        return now
    keys = ["flow", "hs6", "period_start", "period_end"]
    products = pd.MultiIndex.from_frame(direct[["flow", "hs6"]].drop_duplicates())
    observed = pd.MultiIndex.from_frame(now[["flow", "hs6"]]).isin(products)
    rest, now = now[~observed], now[observed]  # only the products a figure names can move
    d = direct.assign(month_start=pd.to_datetime(direct["month_start"]))
    d = d.merge(now[["flow", "hs6", "month_start"]], on=["flow", "hs6", "month_start"])  # silent months only
    if d.empty:
        return pd.concat([rest, now])
    a = a[pd.MultiIndex.from_frame(a[["flow", "hs6"]]).isin(products)]
    a = a.assign(month_start=pd.to_datetime(a["month_start"])).rename(columns={"region": "province", "usd": "a_usd"})
    d = d.merge(a[["province", "flow", "hs6", "month_start", "a_usd"]], how="left",
                on=["province", "flow", "hs6", "month_start"])
    d["a_part"] = d["a_usd"].fillna(0.0) * d["month_share"]
    obs = d.groupby(keys + ["flow_id"]).agg(d_usd=("d_usd", "first"), days=("period_share", "sum"),
                                            a_part=("a_part", "sum")).reset_index()
    obs["need"] = np.minimum(obs["d_usd"] * obs["days"], obs["a_part"])
    need = obs.groupby(keys)["need"].sum().rename("total_need").reset_index()
    cells = d[keys + ["month_start", "month_share"]].drop_duplicates(keys + ["month_start"]).merge(need, on=keys)
    cells = cells.merge(now[["flow", "hs6", "month_start", "b_usd", "t_usd"]], on=["flow", "hs6", "month_start"])
    cells["b_part"] = cells["b_usd"] * cells["month_share"]
    g = cells.groupby(keys)
    b_sum, t_sum, days = g["b_part"].transform("sum"), g["t_usd"].transform("sum"), g["month_share"].transform("sum")
    weight = np.where(b_sum > 0, cells["b_usd"] / b_sum.where(b_sum > 0, 1),
                      np.where(t_sum > 0, cells["t_usd"] / t_sum.where(t_sum > 0, 1), 1 / days))
    cells["floor"] = np.where(cells["total_need"] > b_sum, cells["total_need"] * weight, 0.0)
    floor = cells.groupby(["flow", "hs6", "month_start"])["floor"].max()
    now = now.merge(floor.reset_index(), on=["flow", "hs6", "month_start"], how="left")
    now["b_usd"] = np.maximum(now["b_usd"], now["floor"].fillna(0.0))
    return pd.concat([rest, now.drop(columns="floor")])
