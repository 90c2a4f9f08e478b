"""The estimator's inputs from the warehouse, on one value basis, as plain frames.

Basis: FOB, the exporter's value, in both directions — the convention by which mirror flows are
reconciled (BACI removes the CIF margin from imports the same way). Importers' figures (the
provinces' imports in Iranian customs files, Volgograd's imports in FCS files and in its published
totals, importer-reported Comtrade figures) are taken down by one CIF/FOB margin τ:
FOB = CIF / (1 + τ). Figures of unknown basis (manual rows) are taken as they are.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

CIF_FOB_MARGIN = 0.06  # τ, as analysis.queries.DEFAULT_TAU for the mirror comparison

def settings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    from etl.estimate import nowcast, psi

    return pd.DataFrame([{
        "cif_fob_margin": CIF_FOB_MARGIN, "default_log_psi_sd": psi.DEFAULT_SD, "drift_log_psi_sd": psi.DRIFT_SD,
        "direct_log_psi_sd": psi.DIRECT_SD, "nowcast_base_months": nowcast.BASE_MONTHS,
    }])


def to_basis(fob: pd.Series, cif: pd.Series, other: pd.Series) -> np.ndarray:
    """FOB/CIF/unknown parts of a value -> FOB."""
    fob, cif, other = (np.asarray(s, dtype=float) for s in (fob, cif, other))
    return fob + cif / (1 + CIF_FOB_MARGIN) + other


def basis_factor(basis: pd.Series) -> np.ndarray:
    """The factor that takes a value recorded on `basis` to FOB."""
    return np.where(basis.fillna("unknown").to_numpy() == "CIF", 1 / (1 + CIF_FOB_MARGIN), 1.0)


ARROW_TYPES = {"str": pa.string(), "date": pa.date32(), "float64": pa.float64(), "int64": pa.int64(),
               "bool": pa.bool_()}


def typed(df: pd.DataFrame, schema: dict[str, str]) -> pa.Table:
    """The model's columns in a fixed order and type, as an Arrow table, so that an empty model is
    still a table the next SQL model can read."""
    columns = {}
    for col, kind in schema.items():
        values = df[col] if col in df.columns else pd.Series(None, index=df.index, dtype=object)
        if kind == "date":
            array = pd.to_datetime(values).to_numpy().astype("datetime64[D]")
            columns[col] = pa.array(array, type=pa.date32(), mask=np.isnat(array))
        elif kind == "str":
            columns[col] = pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
        else:
            # NaN is missing (NULL), as DuckDB reads a pandas frame
            columns[col] = pa.array(values.to_numpy(dtype=kind), type=ARROW_TYPES[kind], from_pandas=True)
    return pa.table(columns)


def table(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    return con.table(name).df()


def sides(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    df = table(con, "marts.bilateral_sides")
    df["usd"] = to_basis(df["usd_fob"], df["usd_cif"], df["usd_other"])
    return df.drop(columns=["usd_fob", "usd_cif", "usd_other"])


def coverage(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return table(con, "marts.bilateral_coverage")


def focus(con: duckdb.DuckDBPyConnection) -> tuple[list[str], str | None]:
    """The focus provinces (sorted) and the partner region's code (Volgograd), from ref.focus."""
    regions = con.table("ref.focus").df()
    partners = sorted(regions.loc[regions["side"] == "partner", "code"])
    return sorted(regions.loc[regions["side"] == "province", "code"]), (partners[0] if partners else None)


def national(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Russia <-> Iran per Gregorian year, flow and hs6 from one reporter per year and flow.

    Iran's report is preferred: it is the same customs administration as the provinces' files (so
    the provinces' sum stays below it) and it runs on after Russia stopped reporting in 2022, so the
    series keeps one reporter across the years the nowcast bridges. Russia's report fills years Iran
    has none of.
    """
    df = table(con, "marts.bilateral_national")
    if df.empty:
        return pd.DataFrame(columns=["year", "flow", "hs6", "t_usd", "t_reporter"])
    df["t_usd"] = to_basis(df["usd_fob"], df["usd_cif"], df["usd_other"])
    reporters = df.groupby(["year", "flow"])["reporter"].agg(lambda r: "IR" if (r == "IR").any() else "RU")
    df = df.merge(reporters.rename("chosen").reset_index(), on=["year", "flow"])
    df = df[df["reporter"] == df["chosen"]]
    return df[["year", "flow", "hs6", "t_usd", "reporter"]].rename(columns={"reporter": "t_reporter"})


def national_months(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Comtrade's monthly figures (where a reporter gave them), on the FOB basis."""
    df = table(con, "marts.bilateral_national_months")
    df = df[df["monthly"]].copy()
    df["t_usd"] = to_basis(df["usd_fob"], df["usd_cif"], df["usd_other"])
    return df[["month_start", "year", "flow", "hs6", "reporter", "t_usd"]]


def regrid(gregorian: pd.DataFrame, overlap: pd.DataFrame, keys: list[str], values: list[str]) -> pd.DataFrame:
    """Gregorian monthly values (column month_start) -> Jalali months, by the share of days."""
    g = gregorian.rename(columns={"month_start": "g_month"})
    out = g.merge(overlap, on="g_month")
    for v in values:
        out[v] = out[v] * out["share"]
    return out.groupby(keys + ["month_start"], as_index=False)[values].sum()
