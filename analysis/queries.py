"""One function per question the pages ask, each `(warehouse, filters) -> DataFrame`.

Each runs a file of analysis/sql with the filters bound as one struct, `$filters`
(analysis.filters.Filters.bound). The warehouse's `selected.*` macros turn that struct into the
cells in view, so no query spells out the filters or turns a flow round (etl/sql/selected,
etl/sql/ref). Values in the measure the filters ask for are in `value`, `lower`, `upper` (USD or
kg); what a figure draws is what a query returned.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from analysis import indicators
from analysis.db import Warehouse, sql
from analysis.filters import Filters

MIRROR_TAU = 0.06  # CIF/FOB margin assumed when comparing mirror flows
MIRROR_THRESHOLD = 0.25  # |relative gap| above this is flagged
TARGET_HORIZON = 3  # years within which a target should be reached, for the growth needed
TOP_PRODUCTS = 20
CHANGES_SHOWN = 8
REJECTED_ROWS_SHOWN = 10_000


def _bound(f: Filters, **params) -> dict:
    """The parameters of a page query: the filters as one struct, and any constants it names."""
    return {"filters": f.bound(), **params}


def _balance(x, m):
    """Exports − imports (Series or frames with value, lower, upper), with the widest range their
    bounds allow: [x.lower − m.upper, x.upper − m.lower]."""
    out = x - m
    out["lower"], out["upper"] = x["lower"] - m["upper"], x["upper"] - m["lower"]
    return out


# ---------------------------------------------------------------- the estimate over time


def kpis(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Exports, imports, turnover and balance (both directions, whatever the direction filter) for
    the period and a year earlier: the estimate with bounds, what each side's customs reported, the
    cells without an estimate, the previous year's value and the growth. One row per metric."""
    both = dataclasses.replace(f, flow="both")
    raw = wh.query(sql("kpis"), {"filters": both.bound(), "previous": both.year_earlier().bound()})
    columns = ["value", "lower", "upper", "reported_provinces", "reported_partner", "no_estimate_cells", "cells"]
    metrics = {}
    for period in ("current", "previous"):
        part = raw[raw["period"] == period].set_index("flow")[columns].reindex(["export", "import"]).fillna(0)
        x, m = part.loc["export"].astype(float), part.loc["import"].astype(float)
        table = pd.DataFrame({"exports": x, "imports": m, "turnover": x + m, "balance": _balance(x, m)}).T
        table[["no_estimate_cells", "cells"]] = (x + m)[["no_estimate_cells", "cells"]].to_numpy()
        metrics[period] = table
    cur, prev = metrics["current"], metrics["previous"]
    cur = cur.assign(previous=prev["value"], yoy=indicators.growth(cur["value"], prev["value"]))
    cur.loc["balance", "yoy"] = np.nan  # growth of a balance that can change sign means nothing
    return cur.rename_axis("metric").reset_index()


def trend(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """The estimate with bounds per month and direction, with YoY and the 12-month moving sum (NaN
    across coverage holes)."""
    df = wh.query(sql("trend"), _bound(f))
    out = []
    for _, part in df.groupby("flow"):
        part = part.copy()
        idx = _month_index(part)
        full = pd.Series(part["value"].to_numpy(), index=idx).reindex(pd.period_range(idx.min(), idx.max(), freq="M"))
        part["yoy"] = indicators.yoy(full).reindex(idx).to_numpy()
        part["moving_12m"] = indicators.moving_sum(full, 12).reindex(idx).to_numpy()
        out.append(part)
    return pd.concat(out, ignore_index=True) if out else df.assign(yoy=[], moving_12m=[])


def annual_trend(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """The estimate with bounds per year (of the filters' calendar) and direction, with YoY."""
    monthly = wh.query(sql("trend"), _bound(f))
    df = monthly.groupby(["year", "flow"], as_index=False)[["value", "lower", "upper", "no_estimate_cells",
                                                             "cells"]].sum()
    df["label"] = df["year"].astype(str)
    df["yoy"] = df.groupby("flow")["value"].pct_change().replace([np.inf, -np.inf], np.nan)
    return df


def balance(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Exports − imports per year, with the range the bounds allow."""
    annual = annual_trend(wh, f)
    years = sorted(annual["year"].unique())
    x, m = (annual[annual["flow"] == flow].set_index("year")[["value", "lower", "upper"]]
            .reindex(years, fill_value=0) for flow in ("export", "import"))
    return _balance(x, m).rename_axis("year").reset_index()


def _month_index(df: pd.DataFrame) -> pd.PeriodIndex:
    """A regular monthly index from year and month columns. Jalali years (1403) make valid periods
    too: only the spacing and the month number matter to YoY, moving sums and seasonality."""
    return pd.PeriodIndex([f"{y:04d}-{m:02d}" for y, m in zip(df["year"], df["month"], strict=True)], freq="M")


def seasonality(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Average share of each calendar month in complete years of the estimate, per direction."""
    df = trend(wh, f)
    rows = []
    for flow, part in df.groupby("flow"):
        idx = _month_index(part)
        s = pd.Series(part["value"].to_numpy(), index=idx)
        s = s.reindex(pd.period_range(idx.min(), idx.max(), freq="M"))
        rows += [{"flow": flow, "month": int(m), "share": v} for m, v in indicators.seasonality(s).items()]
    return pd.DataFrame(rows, columns=["flow", "month", "share"])


def reported_trend(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """What each side's customs reported per month about the trade between the two countries."""
    return wh.query(sql("reported_trend"), _bound(f))


def by_province(wh: Warehouse, f: Filters) -> pd.DataFrame:
    return wh.query(sql("by_province"), _bound(f))


def methods(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """How the estimate in view was made: each method, its cells and its share of the value."""
    return wh.query(sql("methods"), _bound(f))


def bilateral(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Every estimate cell in view with every column of marts.bilateral."""
    return wh.query(sql("bilateral"), _bound(f))


# ---------------------------------------------------------------- what is traded


def products(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """The estimate per product at the filters' HS level, largest first, with the unit value."""
    return wh.query(sql("products"), _bound(f))


def top_products(wh: Warehouse, f: Filters) -> pd.DataFrame:
    return products(wh, f).head(TOP_PRODUCTS)


def sector_breakdown(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Estimate by HS heading with chapter, section and sector, for a section → chapter → heading tree."""
    df = products(wh, dataclasses.replace(f, hs=4))
    df["hs4"] = df["code"]
    return df


def sector_shares(wh: Warehouse, f: Filters) -> pd.DataFrame:
    return wh.query(sql("sector_shares"), _bound(f))


def changes(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """What changed since the same period a year earlier: the products (at the filter's HS level)
    whose estimate moved most, up or down."""
    now, before = products(wh, f), products(wh, f.year_earlier())
    both = now[["code", "sector", "value"]].merge(before[["code", "value"]], on="code", how="outer",
                                                 suffixes=("", "_previous")).fillna({"value": 0, "value_previous": 0})
    both["change"] = both["value"] - both["value_previous"]
    both["growth"] = indicators.growth(both["value"], both["value_previous"])
    both = both.reindex(both["change"].abs().sort_values(ascending=False).index)
    return both.head(CHANGES_SHOWN).reset_index(drop=True)


# ---------------------------------------------------------------- gaps


def potential(wh: Warehouse, f: Filters) -> pd.DataFrame:
    return wh.query(sql("potential"), _bound(f))


def complementarity(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Michaely complementarity and HHI concentration per province, year and direction."""
    return wh.query(sql("structure"), _bound(f))


def rca(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Balassa's revealed comparative advantage of each province's exports per product."""
    return wh.query(sql("rca"), _bound(f))


def mirror(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Exporter- against importer-reported national trade per HS chapter, with the gap and its flag."""
    return wh.query(sql("mirror"), _bound(f, tau=MIRROR_TAU, threshold=MIRROR_THRESHOLD))


def targets(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Targets against the estimate per (Gregorian) year, the gap, and the annual growth needed to
    reach the target within TARGET_HORIZON years from each year's estimate."""
    return wh.query(sql("targets"), _bound(f, horizon=TARGET_HORIZON))


# ---------------------------------------------------------------- routes and data


def routes(wh: Warehouse, f: Filters) -> pd.DataFrame:
    return wh.query(sql("routes"), _bound(f))


def places(wh: Warehouse, f: Filters) -> pd.DataFrame:
    return wh.query(sql("places"))


def coverage(wh: Warehouse, f: Filters) -> pd.DataFrame:
    return wh.query(sql("coverage"), _bound(f))


def published_vs_data(wh: Warehouse, f: Filters) -> pd.DataFrame:
    return wh.query(sql("published_vs_data"))


def load_history(wh: Warehouse, f: Filters) -> pd.DataFrame:
    return wh.query(sql("load_history"))


def rejected_rows(wh: Warehouse, f: Filters) -> pd.DataFrame:
    return wh.query(sql("rejected_rows"), {"limit": REJECTED_ROWS_SHOWN})


def load_warnings(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Rows loaded with a warning (unknown office, mode or unit), grouped per file, column and value."""
    return wh.query(sql("load_warnings"), {"limit": REJECTED_ROWS_SHOWN})
