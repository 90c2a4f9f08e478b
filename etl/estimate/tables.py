"""The product-direction-month tables the fit works on, per calendar, as arrays.

One row per (calendar, flow, hs6, month_start): the focus provinces' trade with Russia (a, one
column per province; NaN where a province's customs do not cover the month), Volgograd's side
(b: reported or nowcast), Russia's national total (t) and what the nowcast carries. Volgograd's
side and the totals are built on Gregorian months; Jalali months take them by the share of days,
as marts.grid spreads any observation.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from etl.estimate import inputs

KEYS = ["calendar", "flow", "hs6", "month_start"]
FRAME_COLUMNS = KEYS + ["year", "g_year", "b", "t", "b_source", "nowcast_from", "months_since", "var_common",
                        "var_product"]


@dataclass
class Tables:
    provinces: list[str]
    frame: pd.DataFrame  # KEYS + year, g_year, b, t, b_source, nowcast_from, months_since, var_common, var_product
    a: np.ndarray  # (n, P), NaN where the province is not covered
    a_kg: np.ndarray  # (n, P)

    def subset(self, mask: np.ndarray) -> Tables:
        return Tables(self.provinces, self.frame[mask].reset_index(drop=True), self.a[mask], self.a_kg[mask])


def load(con: duckdb.DuckDBPyConnection, calendars: tuple[str, ...] = ("gregorian", "jalali")) -> Tables:
    provinces, _ = inputs.focus(con)
    return build(provinces, inputs.sides(con), inputs.coverage(con), inputs.table(con, "marts.bilateral_volgograd"),
                 inputs.table(con, "marts.bilateral_totals"), inputs.table(con, "marts.bilateral_month_overlap"),
                 calendars)


def build(provinces: list[str], sides: pd.DataFrame, cov: pd.DataFrame, volgograd: pd.DataFrame,
          totals: pd.DataFrame, overlap: pd.DataFrame, calendars: tuple[str, ...]) -> Tables:
    frames = []
    for calendar in calendars:
        b, t, status = _volgograd_and_totals(calendar, volgograd, totals, cov, overlap)
        a = sides[(sides["calendar"] == calendar) & (sides["side"] == "A")]
        observed_b = sides[(sides["calendar"] == calendar) & (sides["side"] == "B")]
        keys = pd.concat([a[["flow", "hs6", "month_start"]], observed_b[["flow", "hs6", "month_start"]]])
        keys = keys.assign(month_start=pd.to_datetime(keys["month_start"])).drop_duplicates()
        df = keys.merge(b, on=["flow", "hs6", "month_start"], how="left").merge(
            t, on=["flow", "hs6", "month_start"], how="left").merge(status, on="month_start", how="left")
        df["calendar"] = calendar
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    if df.empty:
        empty = pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c in ("month_start", "nowcast_from") else
                                           "float64" if c in ("b", "t", "var_common", "var_product") else
                                           "int64" if c in ("year", "g_year", "months_since") else object)
                              for c in FRAME_COLUMNS})
        return Tables(provinces, empty, np.zeros((0, len(provinces))), np.zeros((0, len(provinces))))
    df[["b", "var_common", "var_product"]] = df[["b", "var_common", "var_product"]].astype(float).fillna(0.0)
    df["t"] = df["t"].astype(float)
    df["b_source"] = df["b_source"].fillna("none")
    df["months_since"] = df["months_since"].fillna(0).astype("int64")
    df["g_year"] = (df["month_start"] + pd.Timedelta(days=14)).dt.year  # ψ is kept per Gregorian year
    months = sides[["calendar", "month_start", "year"]].drop_duplicates()
    months = months.assign(month_start=pd.to_datetime(months["month_start"]))
    df = df.merge(months, on=["calendar", "month_start"], how="left")
    df["year"] = df["year"].fillna(df["g_year"]).astype("int64")
    df = df.sort_values(KEYS).reset_index(drop=True)
    a, a_kg = _province_columns(df, provinces, sides, cov)
    return Tables(provinces, df, a, a_kg)


def _volgograd_and_totals(calendar: str, volgograd: pd.DataFrame, totals: pd.DataFrame, cov: pd.DataFrame,
                          overlap: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """B and T per flow, hs6 and month of the calendar, and each month's state of Volgograd's side:
    'reported' (its customs cover the month), 'nowcast', or 'none' (nothing to carry from)."""
    b = volgograd.assign(month_start=pd.to_datetime(volgograd["month_start"]),
                         nowcast_from=pd.to_datetime(volgograd["nowcast_from"])).rename(columns={"b_usd": "b"})
    t = totals.assign(month_start=pd.to_datetime(totals["month_start"])).rename(columns={"t_usd": "t"})
    t = t[["flow", "hs6", "month_start", "t"]]
    now = b[b["b_source"] == "nowcast"].groupby("month_start").agg(
        nowcast_from=("nowcast_from", "max"), months_since=("months_since", "max")).reset_index()
    reported = cov.loc[(cov["calendar"] == "gregorian") & (cov["side"] == "B"), ["month_start"]].drop_duplicates()
    status = pd.concat([reported.assign(month_start=pd.to_datetime(reported["month_start"]), b_source="reported"),
                        now.assign(b_source="nowcast")], ignore_index=True)
    b = b[["flow", "hs6", "month_start", "b", "var_common", "var_product"]]
    if calendar == "gregorian":
        return b, t, status
    ov = overlap.assign(month_start=pd.to_datetime(overlap["month_start"]), g_month=pd.to_datetime(overlap["g_month"]))
    t = inputs.regrid(t, ov, ["flow", "hs6"], ["t"])
    bw = b.assign(var_common=b["var_common"] * b["b"], var_product=b["var_product"] * b["b"])
    b = inputs.regrid(bw, ov, ["flow", "hs6"], ["b", "var_common", "var_product"])
    for v in ("var_common", "var_product"):  # B-weighted mean of the Gregorian months' variances
        b[v] = (b[v] / b["b"]).where(b["b"] > 0, 0.0)
    js = status.rename(columns={"month_start": "g_month"}).merge(ov, on="g_month")
    js["is_nowcast"] = js["b_source"] == "nowcast"
    status = js.groupby("month_start").agg(any_nowcast=("is_nowcast", "any"), nowcast_from=("nowcast_from", "max"),
                                           months_since=("months_since", "max")).reset_index()
    status["b_source"] = np.where(status["any_nowcast"], "nowcast", "reported")
    return b, t, status.drop(columns="any_nowcast")


def _province_columns(df: pd.DataFrame, provinces: list[str], sides: pd.DataFrame,
                      cov: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    a = sides[sides["side"] == "A"].assign(month_start=lambda d: pd.to_datetime(d["month_start"]))
    wide = a.pivot_table(index=KEYS, columns="region", values=["usd", "kg"], aggfunc="sum")
    idx = pd.MultiIndex.from_frame(df[KEYS])
    covered = cov[cov["side"] == "A"].assign(month_start=lambda d: pd.to_datetime(d["month_start"]))
    usd = np.zeros((len(df), len(provinces)))
    kg = np.zeros((len(df), len(provinces)))
    for j, p in enumerate(provinces):
        if ("usd", p) in wide.columns:
            usd[:, j] = wide[("usd", p)].reindex(idx).fillna(0.0).to_numpy()
            kg[:, j] = wide[("kg", p)].reindex(idx).fillna(0.0).to_numpy()
        cov_p = covered.loc[covered["region"] == p, ["calendar", "month_start"]].drop_duplicates()
        is_cov = pd.MultiIndex.from_frame(df[["calendar", "month_start"]]).isin(pd.MultiIndex.from_frame(cov_p))
        usd[~is_cov, j] = np.nan
    return usd, kg
