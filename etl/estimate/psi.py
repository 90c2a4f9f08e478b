"""ψ, the odds ratio of a province's Russia trade going to Volgograd against the rest of Iran's, per
province, direction, product (hs6) and Gregorian year — with its spread and where it came from.

Evidence, each a value of ln ψ with a sampling variance:
- regression: Goodman's (1953, 1959) ecological regression across the months where both sides are
  reported, per product and direction: B_t = s_t (Σ_p β_p A_pt + β_rest R_t) + e_t, where β is the
  share of a row's Russia trade that goes to Volgograd relative to the month's season s_t (Volgograd's
  share of the national trade in the direction that month, all products: season()) and
  R_t = T_t − ΣA_pt the rest of Iran's — run only where Comtrade gives the national months (see
  goodman()). A province's share β_p is turned into ψ_p the way a direct figure is: the ψ whose
  fitted tables send β_p s_t of the province's trade over those months to Volgograd (rather than
  odds(β_p) / odds(β_rest), which breaks down when the rest's share is near 0, as it is when
  Volgograd's trade comes mostly from the Caspian provinces). Its variance: from the ψ's that give the
  share the current ψ implies ± β_p's standard error (Newey–West, two lags), times REG_SE_FACTOR².
  Used only where the design identifies the share: 12 months or more, 6 or more with the province's
  trade, a condition number below 10⁴, a standard error below half of Volgograd's share of the
  product's national trade, and a ψ that stays off the bounds.
- direct: a direct observation (manual row naming the province and Volgograd) fixes ψ for its
  product and year: the ψ whose fitted cells add up to the observed value (other provinces held at
  their pooled values). Its variance: the figure's own error plus, in nowcast years, B's.
Pooling: a random-effects model ln ψ_k ~ N(μ_province,direction, τ²) across products and years
(τ² by DerSimonian–Laird's moment estimator, one for all provinces; a weak N(0, 2²) prior on each
μ), i.e. empirical-Bayes partial pooling (Efron & Morris 1975; Gelman et al.): a product's own
evidence is shrunk to the mean of the province's *other* products in proportion to its noise.
Evidence from another year is carried along a common yearly trend of ln ψ (estimated from all
evidence, shrunk by a N(0, 0.3²) prior) and counts with an added drift variance σ_D² per year, so
the mean a cell is shrunk to is the one of its own years. The mean combines the province's own
direction, its other direction and the other provinces' evidence, each step away with σ_B² more
variance (so a province without figures of its own borrows the others'); with no evidence at all,
ψ = 1 with a wide spread (`default`). The three spreads that decide how wide the pooled ψ is — a
trade-house figure's own error σ_F, the between-province spread σ_B and the drift σ_D — are learned
from the evidence (spreads(): their posterior means under the restricted likelihood and half-normal
priors whose scales are DIRECT_SD, BETWEEN_SD and DRIFT_SD).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from etl.estimate import fit, inputs
from etl.estimate.tables import Tables, load

DEFAULT_SD = 1.0  # ln ψ ~ N(0, 1) with no evidence: ψ's 80 % range is 0.28 .. 3.6
MU_PRIOR_SD = 2.0
BETWEEN_SD = 0.5  # prior scale: how far a province's (or direction's) ψ may lie from the others' it borrows
MIN_TAU = 0.10
DRIFT_SD = 0.30  # prior scale, per year between the evidence's year and the cell's, around the trend
TREND_PRIOR_SD = 0.30  # per year
DIRECT_SD = 0.15  # prior scale: a trade house's figure against customs figures (coverage, timing, valuation)
MIN_MONTHS, MIN_ACTIVE_MONTHS = 12, 6
MAX_CONDITION = 1e4
MAX_SE = 2.0
# a regression share counts where its standard error is below half of Volgograd's share of the product's
# national trade — judged against that scale, not against β̂ itself (keeping only the β̂'s above their
# error kept the high draws of noisy estimates: ln ψ +0.4 to +0.9 too high without association)
MAX_REL_SE = 0.5
# The regression's ln ψ counts with twice the spread its Newey–West error gives: on the development
# worlds (seeds 11–13, all five worlds) the error against each world's own odds ratio lay within the
# evidence's 80 % range 55 % of the time at 1× (248 pieces) and 79 % at 2× (234 pieces)
REG_SE_FACTOR = 2.0
NW_LAGS = 2
MAX_PASSES = 6
MIN_VAR = 1e-6  # no piece of evidence is exact (a zero variance would make the grid's matrices singular)
GRID = 13  # points per spread, 0 .. 3 × its prior scale (7 with more than 24 pieces of evidence)
CONVERGED = 0.03  # ln ψ: the passes shrink the change about fourfold each
Z80 = 1.2815515655446004
SCHEMA = {"province": "str", "flow": "str", "hs6": "str", "year": "int64", "log_psi": "float64", "sd": "float64",
          "var_common": "float64", "var_product": "float64", "psi_source": "str", "evidence": "int64"}
COLUMNS = list(SCHEMA)


def model(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    tables = load(con, "gregorian")
    direct = inputs.table(con, "marts.bilateral_direct")
    return inputs.typed(estimate(tables, direct[direct["calendar"] == "gregorian"]), SCHEMA)


def estimate(tables: Tables, direct: pd.DataFrame) -> pd.DataFrame:
    cells = _cells(tables, direct)
    shares = goodman(tables)
    current = pd.DataFrame(columns=COLUMNS)
    # each solve holds the other provinces at their current ψ: repeat until that stops moving them
    figures = DirectFigures(tables, direct)
    for _ in range(MAX_PASSES):
        evidence = pd.concat([regression_evidence(tables, shares, current), figures.evidence(current)],
                             ignore_index=True)
        new = posterior(cells, evidence)
        moved = _moved(current, new)
        current = new
        if moved < CONVERGED:
            break
    return current[COLUMNS]


def _moved(before: pd.DataFrame, after: pd.DataFrame) -> float:
    keys = ["province", "flow", "hs6", "year"]
    if before.empty:
        return np.inf if len(after) else 0.0
    both = before[keys + ["log_psi"]].merge(after[keys + ["log_psi"]], on=keys, suffixes=("_0", "_1"))
    return float(np.abs(both["log_psi_0"] - both["log_psi_1"]).max()) if len(both) else 0.0


def _cells(tables: Tables, direct: pd.DataFrame) -> pd.DataFrame:
    """Every (province, flow, hs6, year) the fit will ask for: where the province trades the product."""
    f = tables.frame
    keys = f[["product_id", "flow", "hs6"]].drop_duplicates("product_id").set_index("product_id")
    rows = []
    for j, p in enumerate(tables.provinces):
        has = np.nan_to_num(tables.a[:, j]) > 0
        pairs = np.unique(np.column_stack([f["product_id"].to_numpy()[has], f["g_year"].to_numpy()[has]]), axis=0)
        part = keys.loc[pairs[:, 0]].reset_index(drop=True) if len(pairs) else keys.iloc[:0].reset_index(drop=True)
        rows.append(part.assign(g_year=pairs[:, 1] if len(pairs) else [], province=p))
    if not direct.empty:
        d = direct.assign(g_year=pd.to_datetime(direct["month_start"]).dt.year)
        rows.append(d[["province", "flow", "hs6", "g_year"]].drop_duplicates())
    if not rows:
        return pd.DataFrame(columns=["province", "flow", "hs6", "year"])
    cells = pd.concat(rows, ignore_index=True).drop_duplicates()
    return cells.rename(columns={"g_year": "year"})[["province", "flow", "hs6", "year"]]


def goodman(tables: Tables) -> pd.DataFrame:
    """Per product and direction, across the months both sides report *and* Comtrade gives Russia's
    national trade month by month: each province's share β_p of its Russia trade going to Volgograd,
    with its standard error (OLS, Newey–West), the rest of Iran entering with its own monthly trade
    R_t = T_t − ΣA_pt, every row scaled by the month's season (season()). Without the national months
    the rest's timing is unknown and a regression across months gives the provinces whatever of
    Volgograd's seasons the rest shares — in generated worlds without any association it put ln ψ
    about 1.2 too high — so it is not run. Rows: flow, hs6, province, beta, se, months, cond; only
    provinces whose share the design identifies (see MAX_REL_SE)."""
    ok = _regression_months(tables)
    cols = ["flow", "hs6", "province", "beta", "se", "months", "cond"]
    if not ok.any():
        return pd.DataFrame(columns=cols)
    f = tables.frame[ok].reset_index(drop=True)
    a = tables.a[ok]
    rest = np.maximum(np.nan_to_num(f["t"].to_numpy()) - a.sum(axis=1), 0.0)
    # Volgograd's share of every row moves with the month's season (the Volga's navigation above all),
    # common to all products of the direction: the rows enter scaled by it, so β is a share relative to
    # the month's (without it, the rows' shared seasons were read as association)
    x = np.column_stack([a, rest]) * season(tables, ok)[:, None]
    y = f["b"].to_numpy()
    group = f.groupby(["flow", "hs6"]).ngroup().to_numpy()
    n_groups, k = group.max() + 1, x.shape[1]
    pos = f.groupby(group).cumcount().to_numpy()
    xs = np.zeros((n_groups, pos.max() + 1, k))
    ys = np.zeros((n_groups, pos.max() + 1))
    xs[group, pos] = x
    ys[group, pos] = y
    n = np.bincount(group, minlength=n_groups)
    active = (xs > 0).sum(axis=1)
    norm = np.sqrt((xs ** 2).sum(axis=1))
    used = norm > 0  # a row of the table with no trade in the product has no share to estimate
    scale = np.where(used, norm, 1.0)
    xn = xs / scale[:, None, :]
    xtx = np.einsum("gti,gtj->gij", xn, xn) + np.eye(k)[None] * np.where(used, 0.0, 1.0)[:, :, None]
    eig = np.linalg.eigvalsh(xtx)
    cond = eig[:, -1] / np.maximum(eig[:, 0], 1e-300)
    inv = np.linalg.inv(xtx)
    beta = np.einsum("gij,gtj,gt->gi", inv, xn, ys) / scale
    resid = ys - np.einsum("gti,gi->gt", xs, beta)
    dof = np.maximum(n - used.sum(axis=1), 1)
    # Newey–West standard errors: months of one product are not independent draws (a shipment
    # late by a month leaves two residuals of opposite sign), nor equally noisy
    u = xn * resid[:, :, None]
    meat = np.einsum("gti,gtj->gij", u, u)
    for lag in range(1, NW_LAGS + 1):
        w = 1 - lag / (NW_LAGS + 1)
        cross = np.einsum("gti,gtj->gij", u[:, lag:], u[:, :-lag])
        meat += w * (cross + np.swapaxes(cross, 1, 2))
    cov = inv @ meat @ inv * (n / dof)[:, None, None]
    se = np.sqrt(np.maximum(np.diagonal(cov, axis1=1, axis2=2), 0.0)) / scale
    key = f.groupby(["flow", "hs6"]).size().reset_index()[["flow", "hs6"]]
    # Volgograd's share of the national trade in the product over these months: the scale a share's
    # standard error is judged against (not the estimate itself — keeping only β's larger than their
    # error keeps the high ones of noisy estimates and ψ's too high where there is no association)
    t_total = np.bincount(group, weights=np.nan_to_num(f["t"].to_numpy()), minlength=n_groups)
    share = np.bincount(group, weights=f["b"].to_numpy(), minlength=n_groups) / np.maximum(t_total, 1e-300)
    frames = []
    for j, p in enumerate(tables.provinces):
        usable = ((n >= MIN_MONTHS) & (active[:, j] >= MIN_ACTIVE_MONTHS) & (cond < MAX_CONDITION)
                  & (se[:, j] < MAX_REL_SE * share))
        frames.append(key.assign(province=p, beta=beta[:, j], se=se[:, j], months=n, cond=cond)[usable])
    return pd.concat(frames, ignore_index=True)[cols]


def _regression_months(tables: Tables) -> np.ndarray:
    """The tables a regression across months can use: Volgograd's side reported, every province's
    customs covering the month, and the national total known month by month."""
    f = tables.frame
    monthly = f["t_source"].fillna("").str.endswith("monthly").to_numpy()
    return (f["b_source"] == "reported").to_numpy() & ~np.isnan(tables.a).any(axis=1) & monthly


def season(tables: Tables, rows: np.ndarray) -> np.ndarray:
    """For each of `rows` (a mask of tables), the month's share of Volgograd in Russia's trade with
    Iran in the direction, over the *other* products (ΣB / ΣT without the table's own product, whose
    B is what the regression explains), relative to its mean over the months; 1 where no other
    product is traded that month."""
    f = tables.frame[rows]
    if f.empty:
        return np.ones(0)
    f = f.assign(t=np.nan_to_num(f["t"].to_numpy()))
    g = f.groupby(["flow", "month_start"])[["b", "t"]].transform("sum")
    b_other, t_other = (g["b"] - f["b"]).to_numpy(), (g["t"] - f["t"]).to_numpy()
    share = np.where(t_other > 0, np.maximum(b_other, 0.0) / np.maximum(t_other, 1e-300), np.nan)
    mean = pd.Series(share).groupby([f["flow"].to_numpy(), f["hs6"].to_numpy()]).transform("mean").to_numpy()
    return np.nan_to_num(share / mean, nan=1.0)


def regression_evidence(tables: Tables, shares: pd.DataFrame, prior: pd.DataFrame) -> pd.DataFrame:
    """ln ψ from each identified share: the ψ whose fitted tables send β_p of the province's trade
    over the regression's months (at each month's season) to Volgograd (other provinces at `prior`),
    and its variance from the ψ's that give the share at `prior` ± β_p's standard error, times
    REG_SE_FACTOR²."""
    cols = ["province", "flow", "hs6", "year", "value", "var", "kind"]
    if shares.empty:
        return pd.DataFrame(columns=cols)
    f = tables.frame.reset_index().rename(columns={"index": "table"})
    ok = _regression_months(tables)
    f = f[ok].assign(season=season(tables, ok))
    rows = f[["table", "flow", "hs6", "g_year", "season"]].merge(shares.reset_index(names="obs"), on=["flow", "hs6"])
    table = rows["table"].to_numpy()
    j = rows["province"].map({p: i for i, p in enumerate(tables.provinces)}).to_numpy()
    a = np.nan_to_num(tables.a[table])
    b, t = tables.frame["b"].to_numpy()[table], tables.frame["t"].to_numpy()[table]
    lp = log_psi_matrix(tables, prior, table)
    group = rows["obs"].to_numpy()
    # the province's trade the regression says went to Volgograd: β_p of it, month by month at the season
    a_sum = np.bincount(group, weights=a[np.arange(len(table)), j] * rows["season"].to_numpy(), minlength=len(shares))
    k, m = len(shares), len(table)
    # the variance (and whether the range stays off the bounds) is judged around the share the current ψ
    # gives, not around β̂: near a bound β̂ + se leaves the reachable range for the high draws only, and
    # dropping those kept the low ones (ψ too low where the association is strong)
    x = fit.fit(a, b, t, lp)[np.arange(m), j]
    centre = np.bincount(group, weights=x, minlength=k) / np.maximum(a_sum, 1e-300)
    # β_p, and the centre ∓ β_p's standard error, solved together (the tables repeated three times)
    target = np.concatenate([shares["beta"].to_numpy().clip(0, 1) * a_sum]
                            + [(centre + z * shares["se"].to_numpy()).clip(0, 1) * a_sum for z in (-1.0, 1.0)])
    solved = fit.solve_log_psi(np.tile(a, (3, 1)), np.tile(b, 3), np.tile(t, 3), np.tile(lp, (3, 1)), np.tile(j, 3),
                               np.ones(3 * m), np.concatenate([group, group + k, group + 2 * k]), target)
    mid, lo, hi = solved[:k], solved[k:2 * k], solved[2 * k:]
    var = (REG_SE_FACTOR * (hi - lo) / 2) ** 2
    year = rows.groupby("obs")["g_year"].mean().reindex(range(len(shares))).to_numpy()
    usable = (np.abs(mid) < fit.MAX_LOG_PSI - 1e-6) & (var > 0) & (var < MAX_SE ** 2)
    out = pd.DataFrame({"province": shares["province"], "flow": shares["flow"], "hs6": shares["hs6"], "year": year,
                        "value": mid, "var": var, "kind": "regression"})
    return out[usable][cols].reset_index(drop=True)


class DirectFigures:
    """The direct observations laid onto the tables once (each figure in each calendar the tables
    hold); solve() then gives, for any ψ of the other provinces, the ln ψ that reproduces each figure
    (calendar, flow_id, province, flow, hs6, year, log_psi, interior — False where the figure lies
    beyond what any ψ reaches, a conflict with the sides' bounds — and var_b, B's spread there)."""

    COLUMNS = ["calendar", "flow_id", "province", "flow", "hs6", "year", "log_psi", "interior", "var_b"]

    def __init__(self, tables: Tables, direct: pd.DataFrame):
        self.tables = tables
        self.d = pd.DataFrame()
        if direct.empty or tables.frame.empty:
            return
        f = tables.frame[["calendar", "flow", "hs6", "month_start"]].reset_index(names="table")
        d = direct.assign(month_start=pd.to_datetime(direct["month_start"]))
        d = d.merge(f, on=["calendar", "flow", "hs6", "month_start"])
        self.d = d[d["province"].isin(tables.provinces)].reset_index(drop=True)
        if self.d.empty:
            return
        d = self.d
        self.rows = d["table"].to_numpy()
        self.a = np.nan_to_num(tables.a[self.rows])
        self.b = tables.frame["b"].to_numpy()[self.rows]
        self.t = tables.frame["t"].to_numpy()[self.rows]
        self.row = d["province"].map({p: j for j, p in enumerate(tables.provinces)}).to_numpy()
        self.group = d.groupby(["calendar", "flow_id"]).ngroup().to_numpy()
        first = d.groupby(["calendar", "flow_id"]).agg(
            province=("province", "first"), flow=("flow", "first"), hs6=("hs6", "first"),
            month_start=("month_start", "min"), d_usd=("d_usd", "first")).reset_index()
        self.target = first["d_usd"].to_numpy()
        var_b = (tables.frame["var_common"] + tables.frame["var_product"]).to_numpy()[self.rows]
        first["var_b"] = pd.Series(var_b).groupby(self.group).mean().to_numpy()
        first["year"] = first["month_start"].dt.year
        self.first = first

    def solve(self, psi: pd.DataFrame | None = None, lp: np.ndarray | None = None) -> pd.DataFrame:
        """ln ψ per figure, the other provinces at `psi` (or at the ln ψ rows `lp` of self.rows)."""
        if self.d.empty:
            return pd.DataFrame(columns=self.COLUMNS)
        lp = log_psi_matrix(self.tables, psi, self.rows) if lp is None else lp
        solved = fit.solve_log_psi(self.a, self.b, self.t, lp, self.row, self.d["month_share"].to_numpy(),
                                   self.group, self.target)
        out = self.first.assign(log_psi=solved, interior=np.abs(solved) < fit.MAX_LOG_PSI - 1e-6)
        return out[self.COLUMNS]

    def evidence(self, psi: pd.DataFrame) -> pd.DataFrame:
        """The interior solutions as evidence on ln ψ: variance the figure's own plus B's."""
        cols = ["province", "flow", "hs6", "year", "value", "var", "kind"]
        solved = self.solve(psi)
        solved = solved[solved["interior"]]
        if solved.empty:
            return pd.DataFrame(columns=cols)
        return pd.DataFrame({"province": solved["province"], "flow": solved["flow"], "hs6": solved["hs6"],
                             "year": solved["year"], "value": solved["log_psi"],
                             "var": DIRECT_SD ** 2 + solved["var_b"], "kind": "direct"})[cols]


class Lookup:
    """ψ columns as (tables × provinces) matrices, by each table's product and Gregorian year: the
    psi table laid out once as dense arrays [product, year, province], then read by indexing."""

    def __init__(self, tables: Tables, psi: pd.DataFrame, columns: dict[str, object]):
        f = tables.frame
        self.provinces, self.defaults = tables.provinces, columns
        self.product = f["product_id"].to_numpy().astype(int)
        self.year = f["g_year"].to_numpy().astype(int)
        self.y0 = int(self.year.min()) if len(f) else 0
        n_products = int(self.product.max()) + 1 if len(f) else 0
        n_years = int(self.year.max()) - self.y0 + 1 if len(f) else 0
        shape = (n_products, n_years, len(self.provinces))
        self.arrays = {c: np.full(shape, d, dtype=object if isinstance(d, str) else float)
                       for c, d in columns.items()}
        if psi.empty or not len(f):
            return
        rows = psi.merge(tables.products, on=["flow", "hs6"])
        pid = rows["product_id"].to_numpy().astype(int)
        yi = rows["year"].to_numpy().astype(int) - self.y0
        pj = rows["province"].map({p: j for j, p in enumerate(self.provinces)}).fillna(-1).to_numpy().astype(int)
        ok = (yi >= 0) & (yi < n_years) & (pj >= 0)
        for c in columns:
            self.arrays[c][pid[ok], yi[ok], pj[ok]] = rows[c].to_numpy()[ok]

    def get(self, column: str, rows: np.ndarray | None = None) -> np.ndarray:
        rows = slice(None) if rows is None else rows
        return self.arrays[column][self.product[rows], self.year[rows] - self.y0].copy()


def log_psi_matrix(tables: Tables, psi: pd.DataFrame, rows: np.ndarray | None = None) -> np.ndarray:
    """(rows × provinces) ln ψ for tables (0 where the psi table has no value)."""
    return Lookup(tables, psi, {"log_psi": 0.0}).get("log_psi", rows)


def heterogeneity(value: np.ndarray, var: np.ndarray, group: np.ndarray) -> float:
    """τ², how far products' ln ψ spread around their province-and-direction's mean (`group`) — one
    value for all, since a province or two with one figure each cannot tell it (DerSimonian–Laird's
    moment estimator with a mean per group). With too little evidence: the default spread."""
    k, g = len(value), len(np.unique(group))
    if k - g < 2:
        return DEFAULT_SD ** 2
    w = 1 / var
    sw = np.bincount(group, weights=w)
    mean = np.bincount(group, weights=w * value) / sw
    q = float((w * (value - mean[group]) ** 2).sum())
    denom = float(w.sum() - (np.bincount(group, weights=w ** 2)[sw > 0] / sw[sw > 0]).sum())
    return max(MIN_TAU ** 2, (q - (k - g)) / denom) if denom > 0 else DEFAULT_SD ** 2


def trend(value: np.ndarray, var: np.ndarray, year: np.ndarray, group: np.ndarray, tau2: float
          ) -> tuple[float, float]:
    """A common yearly trend of ln ψ (and its variance): the slope of the evidence on its year within
    each province and direction (weighted least squares with a mean per group), shrunk by a
    N(0, 0.3²) prior — provinces that move to the river-sea lines year by year move ψ together, and
    a mean of the years would lag them."""
    if len(value) < 3:
        return 0.0, TREND_PRIOR_SD ** 2
    w = 1 / (var + tau2)
    sw = np.bincount(group, weights=w)
    x = year - (np.bincount(group, weights=w * year) / sw)[group]
    y = value - (np.bincount(group, weights=w * value) / sw)[group]
    prec = float((w * x ** 2).sum()) + 1 / TREND_PRIOR_SD ** 2
    return float((w * x * y).sum()) / prec, 1 / prec


def spreads(value: np.ndarray, var: np.ndarray, direct: np.ndarray, year: np.ndarray, province: np.ndarray,
            flow: np.ndarray, product: np.ndarray, tau2: float) -> tuple[float, float, float]:
    """σ_F², σ_B² and σ_D² — a trade-house figure's own error, the spread between provinces (or
    directions) and the drift of ψ per year — as their posterior means given the evidence, on a grid:
    the restricted (REML, Patterson & Thompson 1971) likelihood of the evidence under the covariance
    the pooling assumes, times half-normal priors whose scales are the values these spreads were
    fixed at before (DIRECT_SD, BETWEEN_SD, DRIFT_SD): the marginal posterior of hierarchical
    variances (Gelman et al., BDA ch. 5; Gelman 2006). With little evidence the posterior is the
    prior, and E σ² its scale².

    `var` is each piece of evidence's variance without the figure's own error (B's, for a figure of a
    nowcast year; the regression's); `direct` marks the figures. The covariance: evidence i has
    var_i + σ_F²·direct_i + τ²; two pieces share τ² for the same product, ½σ_B² for the same
    province and ½σ_B² for the same direction, and ½σ_D²·(H − |year_i − year_j|), so that, as the
    pooling assumes, they differ by their own variances + 2τ² + σ_B²·steps + σ_D²·|gap| in
    expectation. The fixed part — a level and the common yearly trend — is integrated out."""
    n = len(value)
    if n < 3:
        return DIRECT_SD ** 2, BETWEEN_SD ** 2, DRIFT_SD ** 2
    same_p = (province[:, None] == province[None, :]).astype(float)
    same_f = (flow[:, None] == flow[None, :]).astype(float)
    same_k = same_p * same_f * (product[:, None] == product[None, :])
    gap = np.abs(year[:, None] - year[None, :])
    base = np.diag(np.maximum(var, MIN_VAR)) + tau2 * same_k
    kernels = [np.diag(direct.astype(float)), 0.5 * (same_p + same_f), 0.5 * (float(gap.max()) + 1.0 - gap)]
    scales = np.array([DIRECT_SD, BETWEEN_SD, DRIFT_SD])
    grid = np.linspace(0.0, 3.0, GRID if n <= 24 else 7)[:, None] * scales[None, :]  # σ / scale 0 .. 3
    f2, b2, d2 = (g.ravel() for g in np.meshgrid(grid[:, 0] ** 2, grid[:, 1] ** 2, grid[:, 2] ** 2,
                                                   indexing="ij"))
    x = np.column_stack([np.ones(n), year - year.mean()]) if np.ptp(year) > 0 else np.ones((n, 1))
    logpost = np.empty(len(f2))
    for part in np.array_split(np.arange(len(f2)), max(1, len(f2) * n * n // 2_000_000)):
        v = (base[None] + f2[part, None, None] * kernels[0] + b2[part, None, None] * kernels[1]
             + d2[part, None, None] * kernels[2])
        vinv = np.linalg.inv(v)
        xtvx = np.einsum("ki,pkl,lj->pij", x, vinv, x)
        beta = np.linalg.solve(xtvx, np.einsum("ki,pkl,l->pi", x, vinv, value)[..., None])[..., 0]
        r = value[None] - beta @ x.T
        quad = np.einsum("pk,pkl,pl->p", r, vinv, r)
        logpost[part] = -0.5 * (np.linalg.slogdet(v)[1] + np.linalg.slogdet(xtvx)[1] + quad)
    logpost -= 0.5 * (f2 / scales[0] ** 2 + b2 / scales[1] ** 2 + d2 / scales[2] ** 2)
    w = np.exp(logpost - logpost.max())
    w /= w.sum()
    return float(w @ f2), float(w @ b2), float(w @ d2)


def posterior(cells: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
    """Each cell's ln ψ: a pooled prior combined with the product's own evidence, each weighted by
    precision. Every piece of evidence is first carried to the cell's year along the common trend,
    with the trend's and the drift's variance over the distance.

    The prior: the evidence on the province's other products in the same direction, on its other
    direction, on the other provinces in the same direction and on their other direction — four
    groups, each averaged, each further group with the spread between directions or provinces added
    once (σ_B² per step, learned by spreads()), then combined by precision with a N(0, 2²) prior on the mean. A cell
    with no evidence anywhere is `default`: ψ = 1, ln ψ ~ N(0, DEFAULT_SD²)."""
    if cells.empty:
        return pd.DataFrame(columns=COLUMNS)
    c = cells.reset_index(drop=True).copy()
    n_ev = len(evidence)
    codes = {}
    for k in ("province", "flow", "hs6"):
        both, codes[k] = pd.factorize(np.concatenate([c[k].to_numpy(dtype=object), evidence[k].to_numpy(dtype=object)]))
        codes[k + "_cells"], codes[k + "_ev"] = both[:len(c)], both[len(c):]
    cp, cf, ch = codes["province_cells"], codes["flow_cells"], codes["hs6_cells"]
    ep, ef, eh = codes["province_ev"], codes["flow_ev"], codes["hs6_ev"]
    key = len(codes["flow"])
    ev_value, ev_var = evidence["value"].to_numpy(dtype=float), evidence["var"].to_numpy(dtype=float)
    group = pd.factorize(ep * key + ef)[0]  # province × direction
    # the spreads of the pooling, from the evidence (the product spread τ² first at the figures'
    # stated error, then again at their estimated one)
    is_direct = (evidence["kind"] == "direct").to_numpy()
    own_var = ev_var - DIRECT_SD ** 2 * is_direct
    tau2 = heterogeneity(ev_value, ev_var, group) if n_ev else DEFAULT_SD ** 2
    direct2, between2, drift2 = spreads(ev_value, own_var, is_direct, evidence["year"].to_numpy(dtype=float),
                                        ep, ef, eh, tau2) if n_ev else (DIRECT_SD ** 2, BETWEEN_SD ** 2, DRIFT_SD ** 2)
    ev_var = np.maximum(own_var + direct2 * is_direct, MIN_VAR)
    tau2 = heterogeneity(ev_value, ev_var, group) if n_ev else DEFAULT_SD ** 2
    slope = trend(ev_value, ev_var, evidence["year"].to_numpy(dtype=float), group, tau2)
    gap = c["year"].to_numpy(dtype=float)[:, None] - evidence["year"].to_numpy(dtype=float)[None, :]
    value = ev_value[None, :] + slope[0] * gap
    var = ev_var[None, :] + slope[1] * gap ** 2 + drift2 * np.abs(gap)
    same_p, same_f = cp[:, None] == ep[None, :], cf[:, None] == ef[None, :]
    own = same_p & same_f & (ch[:, None] == eh[None, :])

    # the prior, from the four groups of other evidence
    w = np.where(own, 0.0, 1 / (var + tau2))
    level = 2 * (~same_p) + (~same_f)  # 0 same province and direction .. 3 neither
    pw = np.zeros(len(c))
    pwy = np.zeros(len(c))
    for lv in range(4):
        in_level = level == lv
        sw = (w * in_level).sum(axis=1)
        swy = (w * value * in_level).sum(axis=1)
        has = sw > 0
        v = np.where(has, 1 / np.where(has, sw, 1) + between2 * (0, 1, 1, 2)[lv], np.inf)
        pw += np.where(has, 1 / v, 0.0)
        pwy += np.where(has, (swy / np.where(has, sw, 1)) / v, 0.0)
    pooled = pw > 0
    prec0 = pw + 1 / MU_PRIOR_SD ** 2
    mu = np.where(pooled, pwy / prec0, 0.0)
    var_mu = np.where(pooled, 1 / prec0, 0.0)
    prior_var = np.where(pooled, tau2 + var_mu, DEFAULT_SD ** 2)

    # the product's own evidence
    w_own = np.where(own, 1 / var, 0.0)
    own_w, own_wy = w_own.sum(axis=1), (w_own * value).sum(axis=1)
    kinds = evidence["kind"].to_numpy(dtype=object)
    best_kind = kinds[w_own.argmax(axis=1)] if n_ev else np.full(len(c), None, dtype=object)
    same_year_direct = (own & (gap == 0) & (kinds[None, :] == "direct")).any(axis=1)

    prior_prec = 1 / prior_var
    prec = prior_prec + own_w
    c["log_psi"] = (mu * prior_prec + own_wy) / prec
    post_var = 1 / prec
    w_prior = prior_prec / prec
    c["var_common"] = np.minimum(w_prior ** 2 * var_mu, post_var)
    c["var_product"] = post_var - c["var_common"]
    c["sd"] = np.sqrt(post_var)
    c["psi_source"] = np.where(same_year_direct, "direct",
                               np.where(own_w > prior_prec, best_kind, np.where(pooled, "pooled", "default")))
    counts = np.bincount(ep * key + ef, minlength=len(codes["province"]) * key) if n_ev else np.zeros(0, int)
    c["evidence"] = counts[cp * key + cf] if n_ev else 0
    return c[COLUMNS]
