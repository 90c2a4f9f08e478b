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
    """Exports − imports (Series or frames with value, p10, p90, lower, upper). The bounds are the
    widest their bounds allow, [x.lower − m.upper, x.upper − m.lower]; the 80 % interval combines the
    two directions' intervals in quadrature (their errors are treated as independent: different
    products, different ψ), kept within the bounds."""
    out = x - m
    out["lower"], out["upper"] = x["lower"] - m["upper"], x["upper"] - m["lower"]
    down = np.sqrt((x["value"] - x["p10"]) ** 2 + (m["p90"] - m["value"]) ** 2)
    up = np.sqrt((x["p90"] - x["value"]) ** 2 + (m["value"] - m["p10"]) ** 2)
    out["p10"] = np.maximum(out["value"] - down, out["lower"])
    out["p90"] = np.minimum(out["value"] + up, out["upper"])
    return out


# ---------------------------------------------------------------- the estimate over time

ESTIMATE_COLUMNS = ["value", "p10", "p90", "lower", "upper"]
GROUPS = ("month", "year", "province", "flow", "sector")


def _estimate_by(wh: Warehouse, f: Filters, **by: bool) -> pd.DataFrame:
    """The estimate in view summed per the groups named (month, year, province, flow, sector), with
    the 80 % interval of each sum from marts.bilateral_sums, the bounds and the methods with their
    shares (analysis/sql/estimate_by.sql)."""
    unknown = set(by) - set(GROUPS)
    if unknown:
        raise ValueError(f"unknown groups {sorted(unknown)}; expected some of {GROUPS}")
    return wh.query(sql("estimate_by"), _bound(f, by={g: bool(by.get(g)) for g in GROUPS}))


def _headline(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Exports, imports and turnover of one period: each sum with its own 80 % interval (the turnover's
    is not the sum of the directions' intervals), and the balance."""
    columns = [*ESTIMATE_COLUMNS, "no_estimate_cells", "cells"]
    per_flow = _estimate_by(wh, f, flow=True).set_index("flow").reindex(["export", "import"])[columns]
    total = _estimate_by(wh, f).reindex([0])[columns].iloc[0]
    part = pd.concat([per_flow, total.to_frame("both").T]).astype(float)
    part[ESTIMATE_COLUMNS] = part[ESTIMATE_COLUMNS].apply(lambda col: col.fillna(part["value"])).fillna(0)
    part[["no_estimate_cells", "cells"]] = part[["no_estimate_cells", "cells"]].fillna(0)
    x, m = part.loc["export"], part.loc["import"]
    return pd.DataFrame({"exports": x, "imports": m, "turnover": part.loc["both"], "balance": _balance(x, m)}).T


def kpis(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Exports, imports, turnover and balance (both directions, whatever the direction filter) for
    the period and a year earlier: the estimate with its 80 % interval (p10, p90) and bounds, what
    each side's customs reported and in how many of the selected months, the cells without an
    estimate, the previous year's value and the growth. One row per metric."""
    both = dataclasses.replace(f, flow="both")
    cur, prev = _headline(wh, both), _headline(wh, both.year_earlier())
    reported = wh.query(sql("reported_by_flow"), _bound(both)).set_index("flow").reindex(["export", "import"])
    reported = reported.astype(float).fillna(0)
    for column in ("reported_provinces", "reported_partner"):
        x, m = reported.loc["export", column], reported.loc["import", column]
        cur[column] = pd.Series({"exports": x, "imports": m, "turnover": x + m, "balance": x - m})
    cur = cur.assign(previous=prev["value"], yoy=indicators.growth(cur["value"], prev["value"]))
    cur.loc["balance", "yoy"] = np.nan  # growth of a balance that can change sign means nothing
    cur.loc["balance", ["no_estimate_cells", "cells"]] = cur.loc["turnover", ["no_estimate_cells", "cells"]]
    months = wh.query(sql("reported_months"), _bound(both)).iloc[0]
    for column in ("months", "province_months", "partner_months"):
        cur[column] = int(months[column] or 0)
    return cur.rename_axis("metric").reset_index()


def trend(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """The estimate per month and direction with its 80 % interval and bounds, the methods, YoY and
    the 12-month moving sum (NaN across coverage holes)."""
    df = _estimate_by(wh, f, month=True, year=True, flow=True)
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
    """The estimate per year (of the filters' calendar) and direction with its 80 % interval and
    bounds, the methods, and YoY."""
    df = _estimate_by(wh, f, year=True, flow=True).drop(columns=["month_start", "month", "label"])
    df["label"] = df["year"].astype(str)
    df["yoy"] = df.groupby("flow")["value"].pct_change().replace([np.inf, -np.inf], np.nan)
    return df


def balance(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Exports − imports per year, with its 80 % interval, the range the bounds allow and the methods."""
    annual = annual_trend(wh, f)
    years = sorted(annual["year"].unique())
    x, m = (annual[annual["flow"] == flow].set_index("year")[ESTIMATE_COLUMNS].fillna(0)
            .reindex(years, fill_value=0) for flow in ("export", "import"))
    methods = _estimate_by(wh, f, year=True).set_index("year")["methods"]
    return _balance(x, m).assign(methods=methods.reindex(years).to_numpy()).rename_axis("year").reset_index()


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
    """The estimate per province and direction over the selected months, with its 80 % interval."""
    return _estimate_by(wh, f, province=True, flow=True)


def by_sector(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """The estimate per sector over the selected months and directions, with its 80 % interval."""
    return _estimate_by(wh, f, sector=True)


def methods(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """How the estimate in view was made: each method, its cells and its share of the value."""
    return wh.query(sql("methods"), _bound(f))


def psi_sources(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Where ψ of the estimate in view came from: each source, its cells and its share of the value."""
    return wh.query(sql("psi_sources"), _bound(f))


def nowcast_from(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """The months Volgograd's side of the estimate in view is nowcast from, with their share of the value."""
    return wh.query(sql("nowcast_from"), _bound(f))


def nowcast_cells(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Where Volgograd's side is nowcast, per province, direction, sector and the month it is nowcast
    from: the months, the months since the last report, and the estimate with its 80 % interval."""
    return wh.query(sql("nowcast_cells"), _bound(f))


def conflicts(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Input figures that contradict other inputs (marts.bilateral_conflicts), with file, row and numbers."""
    return wh.query(sql("conflicts"))


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
