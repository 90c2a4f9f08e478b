"""T: Russia <-> Iran national trade per product, direction and Gregorian month.

Comtrade gives years. A year's total goes to its months in proportion to the provinces' own trade
in the product (months their customs cover take their share of the year, n_covered / 12, split by
the provinces' monthly figures; the other months take equal parts). A year Comtrade does not cover
at all (Russia stopped after 2021; Iran's report lags) carries the nearest covered year's total,
scaled by the growth of the provinces' trade over the months covered in both years (all products
of the direction together, which is steadier than one product's), and says so in `t_source`.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from etl.estimate import inputs

SCHEMA = {"flow": "str", "hs6": "str", "year": "int64", "month_start": "date", "t_usd": "float64", "t_source": "str"}
COLUMNS = list(SCHEMA)


def model(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    sides = inputs.sides(con)
    a = sides[(sides["calendar"] == "gregorian") & (sides["side"] == "A")]
    cov = inputs.coverage(con)
    cov = cov[cov["calendar"] == "gregorian"]
    totals = monthly_totals(inputs.national(con), a, cov)
    return inputs.typed(with_reported_months(totals, inputs.national_months(con)), SCHEMA)


def with_reported_months(totals: pd.DataFrame, months: pd.DataFrame) -> pd.DataFrame:
    """Where the reporter whose yearly figure T rests on told Comtrade all twelve months of the year,
    the months are those figures rather than the spread (t_source says 'monthly')."""
    if totals.empty or months.empty:
        return totals
    src = totals["t_source"].fillna("")
    reporter = src.str.extract(r"^comtrade (\w+)$")[0]
    m = months.assign(month_start=pd.to_datetime(months["month_start"]))
    complete = m.groupby(["flow", "year", "reporter"])["month_start"].nunique()
    complete = complete[complete == 12].reset_index()[["flow", "year", "reporter"]]
    if complete.empty:
        return totals
    out = totals.assign(reporter=reporter, month_start=pd.to_datetime(totals["month_start"]))
    out = out.merge(complete.assign(monthly=True), on=["flow", "year", "reporter"], how="left")
    told = m[["flow", "hs6", "year", "reporter"]].drop_duplicates().assign(told=True)  # the product has months
    out = out.merge(told, on=["flow", "hs6", "year", "reporter"], how="left")
    out["monthly"] = out["monthly"].fillna(False).astype(bool) & out["told"].fillna(False).astype(bool)
    out = out.merge(m[["flow", "hs6", "month_start", "reporter", "t_usd"]].rename(columns={"t_usd": "t_month"}),
                    on=["flow", "hs6", "month_start", "reporter"], how="left")
    monthly = out["monthly"]
    out["t_usd"] = np.where(monthly, out["t_month"].fillna(0.0), out["t_usd"])
    out["t_source"] = np.where(monthly, out["t_source"] + " monthly", out["t_source"])
    return out[COLUMNS]


def monthly_totals(national: pd.DataFrame, a: pd.DataFrame, cov: pd.DataFrame) -> pd.DataFrame:
    if national.empty or cov.empty:
        return pd.DataFrame(columns=COLUMNS)
    a_month = a.groupby(["flow", "hs6", "month_start"], as_index=False)["usd"].sum()
    a_month["year"] = pd.to_datetime(a_month["month_start"]).dt.year
    a_cov_months = pd.to_datetime(cov.loc[cov["side"] == "A", "month_start"].drop_duplicates())
    years = sorted(set(pd.to_datetime(cov["month_start"]).dt.year) | set(national["year"]))
    yearly = annual_totals(national, a_month, a_cov_months, years)
    if yearly.empty:
        return pd.DataFrame(columns=COLUMNS)
    months = pd.DataFrame({"month_start": pd.date_range(f"{years[0]}-01-01", f"{years[-1]}-12-01", freq="MS")})
    months["year"] = months["month_start"].dt.year
    months["a_covered"] = months["month_start"].isin(a_cov_months)
    out = yearly.merge(months, on="year")
    a_month["month_start"] = pd.to_datetime(a_month["month_start"])
    out = out.merge(a_month[["flow", "hs6", "month_start", "usd"]], on=["flow", "hs6", "month_start"], how="left")
    out["usd"] = out["usd"].fillna(0.0).where(out["a_covered"], 0.0)
    keys = ["flow", "hs6", "year"]
    grouped = out.groupby(keys)
    a_year = grouped["usd"].transform("sum").to_numpy()
    n_cov = grouped["a_covered"].transform("sum").to_numpy()
    days = out["month_start"].dt.days_in_month.to_numpy().astype(float)
    covered = out["a_covered"].to_numpy()
    days_year = out.assign(d=days).groupby(keys)[
        "d"].transform("sum").to_numpy()
    days_uncovered = out.assign(d=np.where(covered, 0.0, days)).groupby(keys)["d"].transform("sum").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        by_provinces = (n_cov / 12.0) * out["usd"].to_numpy() / a_year
        uncovered = (1 - n_cov / 12.0) * days / days_uncovered
        weight = np.where(a_year > 0, np.where(covered, by_provinces, uncovered), days / days_year)
    out["t_usd"] = out["t_year"].to_numpy() * np.nan_to_num(weight)
    return out[COLUMNS]


def annual_totals(national: pd.DataFrame, a_month: pd.DataFrame, a_cov_months: pd.Series,
                  years: list[int]) -> pd.DataFrame:
    """T per flow, hs6 and year: Comtrade's, or the nearest Comtrade year's scaled by growth."""
    frames = []
    for flow, nat in national.groupby("flow"):
        reported = sorted(nat["year"].unique())
        products = sorted(set(nat["hs6"]) | set(a_month.loc[a_month["flow"] == flow, "hs6"]))
        grid = pd.MultiIndex.from_product([products, years], names=["hs6", "year"]).to_frame(index=False)
        grid = grid.merge(nat[["hs6", "year", "t_usd", "t_reporter"]], on=["hs6", "year"], how="left")
        grid["flow"] = flow
        has = grid["year"].isin(reported)
        grid["t_year"] = np.where(has, grid["t_usd"].fillna(0.0), np.nan)
        grid["t_source"] = np.where(has, "comtrade " + grid["t_reporter"].fillna(nat["t_reporter"].iloc[0]), None)
        flow_a = a_month[a_month["flow"] == flow]
        for year in years:
            if year in reported:
                continue
            base = min(reported, key=lambda y: (abs(y - year), y > year))
            growth = provinces_growth(flow_a, a_cov_months, year, base)
            row = grid["year"] == year
            base_t = grid.loc[grid["year"] == base].set_index("hs6")["t_year"]
            grid.loc[row, "t_year"] = grid.loc[row, "hs6"].map(base_t).to_numpy() * growth
            grid.loc[row, "t_source"] = f"carried from {base}"
        frames.append(grid[["flow", "hs6", "year", "t_year", "t_source"]])
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def provinces_growth(a_month: pd.DataFrame, covered: pd.Series, year: int, base: int) -> float:
    """The provinces' trade in `year` over `base`, over the calendar months covered in both (1 if none)."""
    cov = pd.DataFrame({"m": covered})
    cov["year"], cov["month"] = cov["m"].dt.year, cov["m"].dt.month
    both = set(cov.loc[cov["year"] == year, "month"]) & set(cov.loc[cov["year"] == base, "month"])
    if not both:
        return 1.0
    m = pd.to_datetime(a_month["month_start"])
    keep = m.dt.month.isin(both)
    now = a_month.loc[keep & (m.dt.year == year), "usd"].sum()
    then = a_month.loc[keep & (m.dt.year == base), "usd"].sum()
    return float(now / then) if now > 0 and then > 0 else 1.0
