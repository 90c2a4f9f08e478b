"""The product-direction-month tables the fit works on (marts.bilateral_tables), as arrays.

One table per (calendar, flow, hs6, month_start): the focus provinces' trade with Russia `a` (one
column per province; NaN where a province's customs do not cover the month), Volgograd's side `b`
(reported or nowcast), Russia's national total `t` (NaN where there is none) and what the nowcast
carries. The SQL model does the joins; this module only reshapes its rows into numpy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import duckdb
import numpy as np
import pandas as pd

TABLE_COLUMNS = ("table_id", "product_id", "calendar", "flow", "hs6", "month_start", "year", "g_year", "b_usd",
                 "var_common", "var_product", "t_usd", "b_source", "nowcast_from", "months_since", "t_source")


@dataclass
class Tables:
    provinces: list[str]
    frame: pd.DataFrame  # one row per table: TABLE_COLUMNS, with b_usd as `b` and t_usd as `t`
    a: np.ndarray  # (n, P), NaN where the province's customs are silent
    a_kg: np.ndarray  # (n, P)

    @cached_property
    def products(self) -> pd.DataFrame:
        """flow, hs6 -> product_id."""
        return self.frame[["flow", "hs6", "product_id"]].drop_duplicates("product_id")

    def subset(self, mask: np.ndarray) -> Tables:
        return Tables(self.provinces, self.frame[mask].reset_index(drop=True), self.a[mask], self.a_kg[mask])


def load(con: duckdb.DuckDBPyConnection, calendar: str | None = None) -> Tables:
    rel = con.table("marts.bilateral_tables")
    if calendar is not None:
        rel = rel.filter(duckdb.ColumnExpression("calendar") == duckdb.ConstantExpression(calendar))
    return from_rows(rel.fetchnumpy())


def _filled(x: np.ndarray, value) -> np.ndarray:
    return np.ma.filled(x, value) if isinstance(x, np.ma.MaskedArray) else np.asarray(x)


def from_rows(rows: dict[str, np.ndarray]) -> Tables:
    province_index = _filled(rows["province_index"], 0)
    n_rows = len(province_index)
    p = int(province_index.max()) + 1 if n_rows else 0
    n = n_rows // p if p else 0
    provinces = list(_filled(rows["province"], "")[:p])
    first = np.arange(n) * p  # rows come ordered by table, then province
    frame = pd.DataFrame({c: _column(rows[c][first], c) for c in TABLE_COLUMNS})
    frame = frame.rename(columns={"b_usd": "b", "t_usd": "t"})
    a = _filled(rows["a_usd"], 0.0).astype(float).reshape(n, p)
    covered = _filled(rows["a_covered"], False).astype(bool).reshape(n, p)
    a = np.where(covered, a, np.nan)
    a_kg = _filled(rows["a_kg"], 0.0).astype(float).reshape(n, p)
    return Tables(provinces, frame, a, a_kg)


def _column(x: np.ndarray, name: str):
    if name in ("month_start", "nowcast_from"):
        return pd.to_datetime(_filled(x.astype("datetime64[us]"), np.datetime64("NaT")))
    if name in ("t_usd",):
        return _filled(x.astype(float), np.nan)
    if x.dtype == object:
        return pd.Series(_filled(x, None), dtype=object)
    return _filled(x, 0)
