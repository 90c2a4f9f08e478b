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


def basis_factor(basis: pd.Series) -> np.ndarray:
    """The factor that takes a value recorded on `basis` to FOB."""
    return np.where(basis.fillna("unknown").to_numpy() == "CIF", 1 / (1 + CIF_FOB_MARGIN), 1.0)


ARROW_TYPES = {"str": pa.string(), "date": pa.date32(), "float64": pa.float64(), "int64": pa.int64(),
               "bool": pa.bool_()}


def typed(df: pd.DataFrame | dict[str, np.ndarray], schema: dict[str, str]) -> pa.Table:
    """The model's columns (a frame, or a dict of equal-length arrays) in a fixed order and type, as an
    Arrow table, so that an empty model is still a table the next SQL model can read. NaN and NaT are
    missing (NULL), as DuckDB reads a pandas frame."""
    n = len(df) if isinstance(df, pd.DataFrame) else len(next(iter(df.values()), []))
    columns = {}
    for col, kind in schema.items():
        values = df[col] if col in df else np.full(n, None, dtype=object)
        if kind == "date":
            array = np.asarray(pd.to_datetime(pd.Series(values)).to_numpy()).astype("datetime64[D]")
            columns[col] = pa.array(array, type=pa.date32(), mask=np.isnat(array))
        elif kind == "str":
            columns[col] = pa.array(np.asarray(values, dtype=object), type=pa.string(), from_pandas=True)
        else:
            columns[col] = pa.array(np.asarray(values).astype(kind), type=ARROW_TYPES[kind], from_pandas=True)
    return pa.table(columns)


def table(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    return con.table(name).df()


def sides(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """marts.bilateral_sides, its `usd` on the FOB basis."""
    return table(con, "marts.bilateral_sides").drop(columns=["usd_fob", "usd_cif", "usd_other"])


def coverage(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return table(con, "marts.bilateral_coverage")


def focus(con: duckdb.DuckDBPyConnection) -> tuple[list[str], str | None]:
    """The focus provinces (sorted) and the partner region's code (Volgograd), from ref.focus."""
    regions = con.table("ref.focus").df()
    partners = sorted(regions.loc[regions["side"] == "partner", "code"])
    return sorted(regions.loc[regions["side"] == "province", "code"]), (partners[0] if partners else None)
