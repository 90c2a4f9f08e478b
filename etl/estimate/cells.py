"""Every province <-> Volgograd cell (calendar month, province, direction, product): the estimate, its
logical bounds, its 80 % interval and how the interval of a sum of cells is formed.

- Estimate: the biproportional fit of the product-direction-month table with each province's ψ
  (etl.estimate.fit), Volgograd's side reported or nowcast (etl.estimate.nowcast).
- Logical bounds: lower = max(0, A + B − T), upper = min(A, B) where Volgograd's side is reported
  (each side as its customs recorded it in the upper bound, T with the CIF/FOB margin in the lower,
  so the bounds hold on either basis); 0 .. A where it is nowcast (nothing but the province's own
  figure limits the cell then).
- 80 % interval: the cell at ψ's 10th and 90th percentiles (x rises with ψ, so these are the cell's
  percentiles as far as ψ goes), and at B's for a nowcast; the two deviations are independent and
  add in quadrature, and the interval is kept inside the bounds.
- Sums: each deviation is split into a part common to every cell (the province's pooled mean of ψ,
  the nowcast's level where no published total pins it) and a part shared by the cells of one
  product and direction (the product's own ψ, its share of Russia's trade). Parts common to all
  cells add up; product parts add up within a product and in quadrature across products:
      p10(sum) = Σ estimate − sqrt((Σ dev_common_lo)² + Σ_products (Σ dev_product_lo)²)
  and likewise p90, kept within the sum of the bounds. The macro marts.bilateral_sums does this.
- Direct observations: the cells they cover take the ψ that reproduces the observed figure (a
  figure beyond the bounds is kept, scaled onto the cells' fitted profile, and the bounds widened
  to it; marts.bilateral_conflicts lists it). A direct figure is taken as exact: p10 = p90.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from etl.estimate import fit, inputs, psi
from etl.estimate.tables import Tables, load

Z80 = psi.Z80
METHODS = ("direct", "calibrated", "proportional", "nowcast", "bounds_only", "one_side")
SCHEMA = {
    "calendar": "str", "month_start": "date", "year": "int64", "g_year": "int64", "province": "str",
    "partner_region": "str", "flow": "str", "hs6": "str", "a_usd": "float64", "a_kg": "float64",
    "a_covered": "bool", "b_usd": "float64", "t_usd": "float64", "t_source": "str", "b_source": "str",
    "nowcast_from": "date", "months_since": "int64", "estimate_usd": "float64", "lower_usd": "float64",
    "upper_usd": "float64", "p10_usd": "float64", "p90_usd": "float64", "dev_common_lo_usd": "float64",
    "dev_common_hi_usd": "float64", "dev_product_lo_usd": "float64", "dev_product_hi_usd": "float64",
    "method": "str", "log_psi": "float64", "psi_sd": "float64", "psi": "float64", "psi_p10": "float64",
    "psi_p90": "float64", "psi_source": "str",
}


def model(con: duckdb.DuckDBPyConnection) -> pa.Table:
    tables = load(con)
    psi_table = inputs.table(con, "marts.bilateral_psi")
    direct = inputs.table(con, "marts.bilateral_direct")
    _, volgograd = inputs.focus(con)
    cells, orphans = estimate(tables, psi_table, direct, volgograd)
    out = inputs.typed(cells, SCHEMA)
    return pa.concat_tables([out, inputs.typed(orphans, SCHEMA)]) if len(orphans) else out


def estimate(tables: Tables, psi_table: pd.DataFrame, direct: pd.DataFrame, volgograd: str | None
             ) -> tuple[dict[str, np.ndarray], pd.DataFrame]:
    """Every cell as columns (arrays, one entry per kept cell) and the cells of direct figures no
    table holds (a small frame, usually empty)."""
    f = tables.frame
    n, provinces = len(f), tables.provinces
    if n == 0:
        return {c: np.zeros(0) for c in SCHEMA}, pd.DataFrame()
    a = tables.a
    covered = ~np.isnan(a)
    a0 = np.nan_to_num(a)
    b, t = f["b"].to_numpy(), f["t"].to_numpy()
    has_t = ~np.isnan(t)
    b_state = f["b_source"].to_numpy()
    known_b = b_state != "none"
    nowcast = b_state == "nowcast"
    found = psi.Lookup(tables, psi_table, {"log_psi": 0.0, "sd": psi.DEFAULT_SD, "var_common": 0.0,
                                           "psi_source": "default"})
    lp, sd, var_c = found.get("log_psi"), found.get("sd"), found.get("var_common")
    x0, _, u0 = fit.fit_with_slope(a0, b, t, lp)

    # ψ's 10th and 90th percentiles, one province at a time (the others at their estimates)
    dpsi_lo, dpsi_hi = np.zeros_like(x0), np.zeros_like(x0)
    for j in range(len(provinces)):
        for sign, out in ((-1, dpsi_lo), (1, dpsi_hi)):
            lq = lp.copy()
            lq[:, j] += sign * Z80 * sd[:, j]
            out[:, j] = np.abs(fit.fit_with_slope(a0, b, t, lq, u0)[0][:, j] - x0[:, j])
    share_c_psi = np.where(sd > 0, var_c / np.where(sd > 0, sd ** 2, 1), 0.0)

    # B's 10th and 90th percentiles where it is a nowcast
    var_b = (f["var_common"] + f["var_product"]).to_numpy()
    sd_b = np.sqrt(np.where(nowcast, var_b, 0.0))
    db_lo = np.abs(x0 - fit.fit_with_slope(a0, b * np.exp(-Z80 * sd_b), t, lp, u0)[0])
    db_hi = np.abs(fit.fit_with_slope(a0, b * np.exp(Z80 * sd_b), t, lp, u0)[0] - x0)
    share_c_b = np.where(var_b > 0, f["var_common"].to_numpy() / np.where(var_b > 0, var_b, 1), 0.0)[:, None]

    flow = f["flow"].to_numpy()
    lower, upper = _bounds(a0, b, t, nowcast, flow)
    common_lo = np.sqrt(share_c_psi * dpsi_lo ** 2 + share_c_b * db_lo ** 2)
    common_hi = np.sqrt(share_c_psi * dpsi_hi ** 2 + share_c_b * db_hi ** 2)
    product_lo = np.sqrt((1 - share_c_psi) * dpsi_lo ** 2 + (1 - share_c_b) * db_lo ** 2)
    product_hi = np.sqrt((1 - share_c_psi) * dpsi_hi ** 2 + (1 - share_c_b) * db_hi ** 2)
    p10, common_lo, product_lo = _clip_deviation(x0, lower, common_lo, product_lo, -1)
    p90, common_hi, product_hi = _clip_deviation(x0, upper, common_hi, product_hi, 1)

    source = found.get("psi_source")
    method = np.where(nowcast[:, None], "nowcast", np.where(source == "default", "proportional", "calibrated"))
    estimable = covered & known_b[:, None] & has_t[:, None]
    method = np.where(estimable, method, np.where(covered & known_b[:, None], "bounds_only", "one_side"))
    out = {
        "estimate_usd": np.where(estimable, x0, np.nan),
        "lower_usd": np.where(estimable, lower, 0.0),
        "upper_usd": np.where(estimable, upper, _upper_without_estimate(a0, b, covered, known_b & ~nowcast, flow)),
        "p10_usd": np.where(estimable, p10, np.nan), "p90_usd": np.where(estimable, p90, np.nan),
        "dev_common_lo_usd": np.where(estimable, common_lo, 0.0),
        "dev_common_hi_usd": np.where(estimable, common_hi, 0.0),
        "dev_product_lo_usd": np.where(estimable, product_lo, 0.0),
        "dev_product_hi_usd": np.where(estimable, product_hi, 0.0),
        "method": method,
        "log_psi": np.where(estimable, lp, np.nan), "psi_sd": np.where(estimable, sd, np.nan),
        "psi_source": np.where(estimable, source, None),
    }
    value, share, orphans = _direct_values(tables, lp, direct)
    hit = ~np.isnan(value)
    if hit.any():
        est = value + (1 - np.minimum(share, 1.0)) * np.nan_to_num(out["estimate_usd"])
        out["estimate_usd"] = np.where(hit, est, out["estimate_usd"])
        out["p10_usd"] = np.where(hit, est, out["p10_usd"])
        out["p90_usd"] = np.where(hit, est, out["p90_usd"])
        for k in ("dev_common_lo_usd", "dev_common_hi_usd", "dev_product_lo_usd", "dev_product_hi_usd"):
            out[k] = np.where(hit, 0.0, out[k])
        out["lower_usd"] = np.where(hit, np.minimum(out["lower_usd"], est), out["lower_usd"])
        out["upper_usd"] = np.where(hit, np.maximum(out["upper_usd"], est), out["upper_usd"])
        out["method"] = np.where(hit, "direct", out["method"])
    t_used = np.where(has_t, fit.effective_total(a0, b, t), np.nan)  # T as the table used it
    reported_b = (f["b_source"] == "reported").to_numpy() & (b > 0)
    keep = ((a0 > 0) | reported_b[:, None] | hit).ravel()
    cells = _long(f.assign(t=t_used), provinces, a0, tables.a_kg, covered, out, volgograd, keep)
    return cells, orphans.assign(partner_region=volgograd) if len(orphans) else orphans


def _recorded(a0: np.ndarray, b: np.ndarray, flow: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A and B as their customs recorded them (the importer's side CIF): the bounds hold on either
    basis only if the upper one uses the larger figure."""
    margin = 1 + inputs.CIF_FOB_MARGIN
    imports = (flow == "import")
    return a0 * np.where(imports, margin, 1.0)[:, None], b * np.where(imports, 1.0, margin)


def _bounds(a0: np.ndarray, b: np.ndarray, t: np.ndarray, nowcast: np.ndarray, flow: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray]:
    """Logical bounds on either basis: lower = max(0, A + B − T) with T at its higher reading,
    upper = min(A, B) with each side as recorded; [0, A] where B is a nowcast."""
    a_rec, b_rec = _recorded(a0, b, flow)
    t_high = fit.effective_total(a0, b, t) * (1 + inputs.CIF_FOB_MARGIN)
    lower = np.maximum(0.0, a0 + b[:, None] - t_high[:, None])
    upper = np.minimum(a_rec, b_rec[:, None])
    lower = np.where(nowcast[:, None], 0.0, lower)
    upper = np.where(nowcast[:, None], a_rec, upper)
    return lower, upper


def _upper_without_estimate(a0, b, covered, b_reported, flow):
    """Where there is no estimate: the sides that are known bound the cell (as recorded)."""
    a_rec, b_rec = _recorded(a0, b, flow)
    b_up = b_rec[:, None]
    return np.where(covered, np.where(b_reported[:, None], np.minimum(a_rec, b_up), a_rec), b_up)


def _clip_deviation(x0, bound, common, product, sign):
    """The interval's edge on one side, kept within the bound, and the deviation's two parts scaled
    so that they still add (in quadrature) to the edge's distance from the estimate."""
    total = np.sqrt(common ** 2 + product ** 2)
    edge = np.minimum(x0 + total, bound) if sign > 0 else np.maximum(x0 - total, bound)
    scale = np.where(total > 0, np.abs(edge - x0) / np.where(total > 0, total, 1), 0.0)
    return edge, common * scale, product * scale


def _long(f, provinces, a0, a_kg, covered, out, volgograd, keep) -> dict[str, np.ndarray]:
    """The (tables × provinces) results as one entry per kept cell."""
    p = len(provinces)

    def per_table(values) -> np.ndarray:
        return np.repeat(np.asarray(values), p)[keep]

    nowcast = per_table(f["b_source"].to_numpy(dtype=object) == "nowcast")
    long = {
        "calendar": per_table(f["calendar"].to_numpy(dtype=object)),
        "month_start": per_table(f["month_start"].to_numpy()),
        "year": per_table(f["year"].to_numpy()), "g_year": per_table(f["g_year"].to_numpy()),
        "province": np.tile(np.asarray(provinces, dtype=object), len(f))[keep],
        "partner_region": np.full(int(keep.sum()), volgograd, dtype=object),
        "flow": per_table(f["flow"].to_numpy(dtype=object)), "hs6": per_table(f["hs6"].to_numpy(dtype=object)),
        "a_usd": a0.ravel()[keep], "a_kg": a_kg.ravel()[keep], "a_covered": covered.ravel()[keep],
        "b_usd": per_table(f["b"].to_numpy()), "t_usd": per_table(f["t"].to_numpy()),
        "b_source": per_table(f["b_source"].to_numpy(dtype=object)),
        "t_source": per_table(f["t_source"].to_numpy(dtype=object)),
        "nowcast_from": np.where(nowcast, per_table(f["nowcast_from"].to_numpy()), np.datetime64("NaT")),
        "months_since": np.where(nowcast, per_table(f["months_since"].to_numpy()), 0),
    }
    for k, v in out.items():
        long[k] = v.ravel()[keep]
    long["psi"] = np.exp(long["log_psi"])
    long["psi_p10"] = np.exp(long["log_psi"] - Z80 * long["psi_sd"])
    long["psi_p90"] = np.exp(long["log_psi"] + Z80 * long["psi_sd"])
    return long


def _direct_values(tables: Tables, lp_all: np.ndarray, direct: pd.DataFrame
                   ) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """The direct figures on the tables: (value, share of the month inside the figure's period), both
    (n, P), NaN where no figure covers the cell; and cells for figures whose product no table holds
    (neither side reports it in the period), spread by days. lp_all: every table's ln ψ."""
    n, p = tables.a.shape
    value, share = np.zeros((n, p)), np.zeros((n, p))
    if direct.empty or n == 0:
        return np.full((n, p), np.nan), share, pd.DataFrame()
    figures = psi.DirectFigures(tables, direct[direct["calendar"].isin(tables.frame["calendar"].unique())])
    d = direct.assign(month_start=pd.to_datetime(direct["month_start"]))
    d = d[d["province"].isin(tables.provinces) & d["calendar"].isin(tables.frame["calendar"].unique())]
    matched = set(zip(figures.d["calendar"], figures.d["flow_id"], strict=True)) if len(figures.d) else set()
    lost = d[[(c, f) not in matched for c, f in zip(d["calendar"], d["flow_id"], strict=True)]]
    orphans = pd.DataFrame()
    if len(lost):
        days = lost.groupby(["calendar", "flow_id"])["month_share"].transform("sum")
        orphans = pd.DataFrame({
            "calendar": lost["calendar"], "month_start": lost["month_start"].dt.date, "year": lost["year"],
            "g_year": lost["month_start"].dt.year, "province": lost["province"], "flow": lost["flow"],
            "hs6": lost["hs6"], "a_usd": 0.0, "a_covered": False, "months_since": 0, "method": "direct",
            "estimate_usd": lost["d_usd"] * lost["month_share"] / days})
    if len(figures.d):
        rows, j = figures.rows, figures.row
        solved = figures.solve(lp=lp_all[rows]).reset_index(drop=True)
        lp = lp_all[rows].copy()
        lp[np.arange(len(rows)), j] = solved["log_psi"].to_numpy()[figures.group]
        x = fit.fit(figures.a, figures.b, figures.t, lp)[np.arange(len(rows)), j]
        w = figures.d["month_share"].to_numpy()
        obs = figures.group
        got = np.bincount(obs, weights=x * w)[obs]
        days = np.bincount(obs, weights=w)[obs]
        d_usd = figures.target[obs]
        # the observed figure exactly: on the fitted profile (by days where that is empty)
        part = np.where(got > 0, x * d_usd / np.where(got > 0, got, 1), d_usd / days)
        np.add.at(value, (rows, j), part * w)  # a cell two figures cover takes both parts
        np.add.at(share, (rows, j), w)
    value = np.where(share > 0, value, np.nan)
    if len(orphans):
        for col in ("p10_usd", "p90_usd", "lower_usd", "upper_usd"):
            orphans[col] = orphans["estimate_usd"] if col != "lower_usd" else 0.0
    return value, share, orphans
