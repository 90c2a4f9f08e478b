"""One named function per question the pages ask. Bound parameters only; DataFrames out.

Each function takes the warehouse and a validated `Filters` (analysis.filters). Values returned in
the measure the filters ask for are in columns `value`, `lower`, `upper` (USD or kg), beside the
raw `*_usd` / `*_kg` columns, so figures never need to know which measure is shown.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from analysis import indicators
from analysis.db import Warehouse, sql
from analysis.filters import Filters

DEFAULT_TAU = 0.06  # CIF/FOB margin assumed when comparing mirror flows
DEFAULT_MIRROR_THRESHOLD = 0.25  # |relative gap| above this is flagged
DEFAULT_TARGET_HORIZON = 3  # years within which a target should be reached, for the growth needed
METHODS = ("proportional", "direct", "one_side", "bounds_only")


def _params(f: Filters, **extra) -> dict:
    """Every filter parameter plus extras; Warehouse.query binds those a statement names."""
    return {**f.params(), **extra}


def _years(f: Filters) -> dict:
    """The filter's period as whole years of its calendar (for year-grained marts)."""
    if f.calendar == "jalali":
        import jdatetime

        return {"year_from": jdatetime.date.fromgregorian(date=f.date_from).year,
                "year_to": jdatetime.date.fromgregorian(date=f.date_to).year}
    return {"year_from": f.date_from.year, "year_to": f.date_to.year}


def _measure(df: pd.DataFrame, f: Filters, prefix: str = "") -> pd.DataFrame:
    unit = "kg" if f.measure == "kg" else "usd"
    for col in ("estimate", "lower", "upper"):
        name = f"{prefix}{col}_{unit}"
        if name in df.columns:
            df[f"{prefix}{'value' if col == 'estimate' else col}"] = df[name]
    return df


def shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def kpis(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Exports, imports, turnover and balance for the period and a year earlier: the estimate with
    bounds, and each side's reported trade. One row per metric."""
    params = _params(f, prev_from=shift_year(f.date_from, -1), prev_to=shift_year(f.date_to, -1))
    raw = wh.query(sql("kpis"), params)
    unit = "kg" if f.measure == "kg" else "usd"
    rows = []
    for period in ("current", "previous"):
        part = raw[raw["period"] == period].set_index("flow")

        def get(flow: str, col: str, part=part) -> float:
            return float(part[col].get(flow, 0.0) or 0.0) if col in part.columns and flow in part.index else 0.0

        x = {c: get("export", f"{c}_{unit}") for c in ("estimate", "lower", "upper")}
        m = {c: get("import", f"{c}_{unit}") for c in ("estimate", "lower", "upper")}
        rep_ir = {flow: get(flow, f"provinces_russia_{unit}") for flow in ("export", "import")}
        rep_ru = {flow: get(flow, f"volgograd_iran_{unit}") for flow in ("export", "import")}
        one_side = int(part["one_side_cells"].fillna(0).sum()) if len(part) else 0
        cells = int(part["cells"].fillna(0).sum()) if len(part) else 0
        for metric, est, lo, up, r_ir, r_ru in (
            ("exports", x["estimate"], x["lower"], x["upper"], rep_ir["export"], rep_ru["export"]),
            ("imports", m["estimate"], m["lower"], m["upper"], rep_ir["import"], rep_ru["import"]),
            ("turnover", x["estimate"] + m["estimate"], x["lower"] + m["lower"], x["upper"] + m["upper"],
             rep_ir["export"] + rep_ir["import"], rep_ru["export"] + rep_ru["import"]),
            ("balance", x["estimate"] - m["estimate"], x["lower"] - m["upper"], x["upper"] - m["lower"],
             rep_ir["export"] - rep_ir["import"], rep_ru["export"] - rep_ru["import"]),
        ):
            rows.append({"period": period, "metric": metric, "value": est, "lower": lo, "upper": up,
                         "reported_provinces_russia": r_ir, "reported_volgograd_iran": r_ru,
                         "one_side_cells": one_side, "cells": cells})
    out = pd.DataFrame(rows)
    cur = out[out.period == "current"].set_index("metric")
    prev = out[out.period == "previous"].set_index("metric")
    cur = cur.assign(previous=prev["value"], yoy=indicators.growth(cur["value"], prev["value"]))
    cur.loc["balance", "yoy"] = np.nan  # growth of a balance that can change sign means nothing
    return cur.reset_index().drop(columns="period")


def by_province(wh: Warehouse, f: Filters) -> pd.DataFrame:
    return _measure(wh.query(sql("by_province"), _params(f)), f)


def trend(wh: Warehouse, f: Filters, freq: str = "M") -> pd.DataFrame:
    """The estimate with bounds per month (freq 'M') or year ('A') and direction, plus YoY and the
    12-month moving sum (monthly only; NaN across coverage holes)."""
    df = wh.query(sql("trend"), _params(f))
    if freq == "A":
        df = (df.groupby(["year", "flow"], as_index=False)
                .agg({c: "sum" for c in df.columns if c.endswith(("_usd", "_kg", "_cells")) or c == "cells"}))
        df["label"] = df["year"].astype(str)
    df = _measure(df, f)
    out = []
    for _, part in df.groupby("flow"):
        part = part.copy()
        if freq == "M":
            idx = _month_index(part)
            s = pd.Series(part["value"].to_numpy(), index=idx)
            full = s.reindex(pd.period_range(idx.min(), idx.max(), freq="M"))
            part["yoy"] = indicators.yoy(full).reindex(idx).to_numpy()
            part["moving_12m"] = indicators.moving_sum(full, 12).reindex(idx).to_numpy()
        else:
            part["yoy"] = part["value"].pct_change().replace([np.inf, -np.inf], np.nan)
        out.append(part)
    return pd.concat(out, ignore_index=True) if out else df.assign(yoy=[], moving_12m=[])


def _month_index(df: pd.DataFrame) -> pd.PeriodIndex:
    """A regular monthly index from year and month columns. Jalali years (1403) make valid periods
    too: only the spacing and the month number matter to YoY, moving sums and seasonality."""
    return pd.PeriodIndex([f"{y:04d}-{m:02d}" for y, m in zip(df["year"], df["month"], strict=True)], freq="M")


def reported_trend(wh: Warehouse, f: Filters) -> pd.DataFrame:
    df = wh.query(sql("reported_trend"), _params(f))
    df["value"] = df["net_kg"] if f.measure == "kg" else df["value_usd"]
    return df


def seasonality(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Average share of each calendar month in complete years of the estimate, per direction."""
    df = trend(wh, f)
    rows = []
    for flow, part in df.groupby("flow"):
        idx = _month_index(part)
        s = pd.Series(part["value"].to_numpy(), index=idx)
        s = s.reindex(pd.period_range(idx.min(), idx.max(), freq="M"))
        shares = indicators.seasonality(s)
        rows += [{"flow": flow, "month": int(m), "share": v} for m, v in shares.items()]
    return pd.DataFrame(rows, columns=["flow", "month", "share"])


def products(wh: Warehouse, f: Filters, level: int | None = None) -> pd.DataFrame:
    level = level or f.hs
    df = _measure(wh.query(sql("products"), _params(f, hs_level=int(level))), f)
    tonnes = df["estimate_kg"] / 1000
    df["usd_per_tonne"] = (df["estimate_usd"] / tonnes).where(tonnes > 0)
    return df


def top_products(wh: Warehouse, f: Filters, n: int = 15) -> pd.DataFrame:
    return products(wh, f).head(n)


def sector_breakdown(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Estimate by HS heading with chapter, section and sector, for a section → chapter → heading tree."""
    df = products(wh, f, level=4)
    df["hs4"] = df["code"]
    return df


def sector_shares(wh: Warehouse, f: Filters) -> pd.DataFrame:
    df = _measure(wh.query(sql("sector_shares"), _params(f)), f)
    df["share"] = df.groupby("year")["value"].transform(lambda v: indicators.shares(v))
    return df


def bilateral(wh: Warehouse, f: Filters) -> pd.DataFrame:
    return _measure(wh.query(sql("bilateral_filtered"), _params(f)), f)


def mirror(wh: Warehouse, f: Filters, tau: float = DEFAULT_TAU,
           threshold: float = DEFAULT_MIRROR_THRESHOLD) -> pd.DataFrame:
    if not 0 <= tau < 1 or not 0 < threshold < 10:
        raise ValueError("tau must be in [0, 1) and the threshold in (0, 10)")
    return wh.query(sql("mirror"), _params(f, tau=float(tau), threshold=float(threshold), **_years(f)))


def potential(wh: Warehouse, f: Filters) -> pd.DataFrame:
    return wh.query(sql("potential"), _params(f, **_years(f)))


def complementarity(wh: Warehouse, f: Filters) -> pd.DataFrame:
    return wh.query(sql("structure"), _params(f, **_years(f)))


def targets(wh: Warehouse, f: Filters, horizon: int = DEFAULT_TARGET_HORIZON) -> pd.DataFrame:
    """Targets against the estimate per (Gregorian) year, the gap, and the annual growth needed to
    reach the target within `horizon` years from each year's estimate."""
    df = wh.query(sql("targets"), {"year_from": f.date_from.year, "year_to": f.date_to.year})
    df["gap_usd"] = df["target_usd"] - df["estimate_usd"]
    df["share_of_target"] = df["estimate_usd"] / df["target_usd"]
    df["growth_needed"] = indicators.required_growth(df["estimate_usd"], df["target_usd"], horizon)
    df["horizon_years"] = horizon
    df["complete_year"] = df["months"] >= 12
    return df


def coverage(wh: Warehouse, f: Filters) -> pd.DataFrame:
    return wh.query(sql("coverage"), _params(f))


def published_vs_data(wh: Warehouse) -> pd.DataFrame:
    return wh.query(sql("published_vs_data"))


def routes(wh: Warehouse, f: Filters) -> pd.DataFrame:
    df = wh.query(sql("routes"), _params(f))
    df["value"] = df["net_kg"] if f.measure == "kg" else df["value_usd"]
    return df


def places(wh: Warehouse) -> pd.DataFrame:
    return wh.query(sql("places"))


def load_history(wh: Warehouse) -> pd.DataFrame:
    return wh.query(sql("load_history"))


def rejected_rows(wh: Warehouse, limit: int = 10_000) -> pd.DataFrame:
    return wh.query(sql("rejected_rows"), {"limit": int(limit)})


def load_warnings(wh: Warehouse, limit: int = 10_000) -> pd.DataFrame:
    """Rows loaded with a warning; none in a warehouse built before warnings were kept apart."""
    try:
        return wh.query(sql("load_warnings"), {"limit": int(limit)})
    except duckdb.CatalogException:
        return pd.DataFrame(columns=["file", "first_row", "column", "value", "rows", "reason"])


def changes(wh: Warehouse, f: Filters, n: int = 8) -> pd.DataFrame:
    """What changed since the same period a year earlier: the products (at the filter's HS level)
    whose estimate moved most, up or down."""
    import dataclasses

    prev = dataclasses.replace(f, date_from=shift_year(f.date_from, -1), date_to=shift_year(f.date_to, -1))
    now, before = products(wh, f), products(wh, prev)
    both = now[["code", "sector", "value"]].merge(before[["code", "value"]], on="code", how="outer",
                                                 suffixes=("", "_previous")).fillna({"value": 0, "value_previous": 0})
    both["change"] = both["value"] - both["value_previous"]
    both["growth"] = indicators.growth(both["value"], both["value_previous"])
    both = both.reindex(both["change"].abs().sort_values(ascending=False).index)
    return both.head(n).reset_index(drop=True)
