"""The biproportional fit of one product-direction-month table, vectorised over many tables.

Each table has rows i = the focus provinces and the rest of Iran, and two columns, Volgograd (V)
and the rest of Russia. Row margins are the rows' trade with Russia (A_i, the rest's = T − ΣA_p);
column margins are B (Volgograd's trade with Iran) and T − B. The seed carries ψ_i in cell (i, V)
and 1 elsewhere (ψ_rest = 1). Iterative proportional fitting (Deming & Stephan 1940; RAS,
Bacharach 1970) of that seed converges to x_iV = r_i ψ_i s_V, x_iN = r_i s_N; the row margins give
x_iV = A_i ψ_i c / (ψ_i c + 1) with c = s_V / s_N, and the column margin fixes the one scalar c:
Σ_i A_i ψ_i c / (ψ_i c + 1) = B. With ψ = 1 that is x_pV = A_p B / T exactly.

As ψ_p runs from 0 to ∞, x_pV runs from max(0, A_p + B − T) to min(A_p, B): the Fréchet–Hoeffding
bounds of the collapsed 2 × 2 table (province p against everyone else). So the estimate always lies
within the logical bounds, and x_pV rises monotonically with ψ_p — quantiles of ψ_p are quantiles
of x_pV.
"""

from __future__ import annotations

import numpy as np

MAX_LOG_PSI = 8.0  # ψ in [e^-8, e^8]: far beyond anything the data can tell apart from the bounds


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def log_c(a: np.ndarray, log_psi: np.ndarray, b: np.ndarray, iterations: int = 100,
          start: np.ndarray | None = None) -> np.ndarray:
    """Solve Σ_i a_i σ(ln ψ_i + u) = b for u = ln c, one u per table (row of `a`).

    a, log_psi: (n, rows) with rows that carry no trade set to a = 0; b: (n,), 0 < b < Σa (other
    tables give whatever u; callers handle them). Newton steps kept inside a bisection bracket.
    """
    total = a.sum(axis=1)
    share = np.clip(b / np.where(total > 0, total, 1.0), 1e-12, 1 - 1e-12)
    active = a > 0
    hi_psi = np.where(active, log_psi, -np.inf).max(axis=1)
    lo_psi = np.where(active, log_psi, np.inf).min(axis=1)
    hi_psi = np.where(np.isfinite(hi_psi), hi_psi, 0.0)
    lo_psi = np.where(np.isfinite(lo_psi), lo_psi, 0.0)
    base = np.log(share) - np.log1p(-share)
    lo, hi = base - hi_psi, base - lo_psi  # Σ a σ(lnψ + u) − b changes sign inside [lo, hi]
    u = base - (a * log_psi).sum(axis=1) / np.where(total > 0, total, 1.0)
    if start is not None:  # a solution of a nearby table (the same table with ψ moved a little)
        u = np.where(np.isfinite(start), start, u)
    u = np.clip(u, lo, hi)
    todo = np.arange(len(b))  # tables not yet converged: only those are iterated
    for _ in range(iterations):
        ai, lpi, ui = a[todo], log_psi[todo], u[todo]
        s = _sigmoid(lpi + ui[:, None])
        g = (ai * s).sum(axis=1) - b[todo]
        d = (ai * s * (1 - s)).sum(axis=1)
        lo[todo] = np.where(g < 0, ui, lo[todo])
        hi[todo] = np.where(g > 0, ui, hi[todo])
        step = ui - g / np.where(d > 0, d, np.inf)
        bad = ~((step > lo[todo]) & (step < hi[todo])) | (d <= 0)
        solved = np.abs(g) <= 1e-12 * np.maximum(b[todo], 1.0)
        new = np.where(solved, ui, np.where(bad, 0.5 * (lo[todo] + hi[todo]), step))
        u[todo] = new
        done = solved | (np.abs(new - ui) < 1e-11)
        todo = todo[~done]
        if len(todo) == 0:
            break
    return u


def fit(a: np.ndarray, b: np.ndarray, t: np.ndarray, log_psi: np.ndarray) -> np.ndarray:
    """x_iV for every focus row of every table.

    a: (n, P) the provinces' trade with Russia; b: (n,) Volgograd's trade with Iran; t: (n,) Russia's
    trade with Iran (raised to max(T, ΣA, B) here, so the table is consistent); log_psi: (n, P).
    Returns (n, P). Tables without B or without A give 0.
    """
    return fit_with_slope(a, b, t, log_psi)[0]


def fit_with_slope(a: np.ndarray, b: np.ndarray, t: np.ndarray, log_psi: np.ndarray, start: np.ndarray | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """fit(), each cell's slope d x_pV / d ln ψ_p (the other ψ fixed, c adjusting to keep B):
    v_p − v_p² / Σ_i v_i with v_i = A_i σ_i (1 − σ_i), by implicit differentiation of the margin —
    and ln c per table (NaN where B is 0 or all of T), which `start` takes back to warm-start."""
    a = np.maximum(np.asarray(a, dtype=float), 0.0)
    b = np.maximum(np.asarray(b, dtype=float), 0.0)
    log_psi = np.clip(np.asarray(log_psi, dtype=float), -MAX_LOG_PSI, MAX_LOG_PSI)
    t = effective_total(a, b, t)
    rest = t - a.sum(axis=1)
    rows = np.column_stack([a, rest])
    lp = np.column_stack([log_psi, np.zeros(len(b))])
    inner = (b > 0) & (b < t)
    x = np.zeros_like(a)
    slope = np.zeros_like(a)
    u_all = np.full(len(b), np.nan)
    if inner.any():
        u = log_c(rows[inner], lp[inner], b[inner], start=None if start is None else start[inner])
        u_all[inner] = u
        s_all = _sigmoid(lp[inner] + u[:, None])
        v = rows[inner] * s_all * (1 - s_all)
        total_v = v.sum(axis=1, keepdims=True)
        x[inner] = a[inner] * s_all[:, :-1]
        slope[inner] = v[:, :-1] - v[:, :-1] ** 2 / np.where(total_v > 0, total_v, np.inf)
    full = b >= t  # Volgograd takes all of Russia's trade with Iran: every row goes to V
    x[full] = a[full]
    return x, slope, u_all


def effective_total(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """T as the table uses it: never below the provinces' sum nor Volgograd's side."""
    t = np.nan_to_num(np.asarray(t, dtype=float), nan=0.0)
    return np.maximum.reduce([t, np.asarray(a, dtype=float).sum(axis=1), np.asarray(b, dtype=float)])


def bounds(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fréchet–Hoeffding bounds of each province's cell: max(0, A_p + B − T), min(A_p, B)."""
    a = np.maximum(np.asarray(a, dtype=float), 0.0)
    b = np.maximum(np.asarray(b, dtype=float), 0.0)[:, None]
    t = effective_total(a, b[:, 0], t)[:, None]
    return np.maximum(0.0, a + b - t), np.minimum(a, b)


def solve_log_psi(a: np.ndarray, b: np.ndarray, t: np.ndarray, log_psi: np.ndarray, row: np.ndarray,
                  weights: np.ndarray, group: np.ndarray, target: np.ndarray, iterations: int = 40) -> np.ndarray:
    """ln ψ of one row per group such that the group's weighted cells add up to `target`.

    A direct observation covers several months (tables). Each table k belongs to group[k] and its
    cell in row row[k] counts with weights[k] (the share of the month inside the observation's
    period); other rows keep log_psi. The group's sum rises with ln ψ: Newton steps with the
    analytic slope, kept inside a bisection bracket on [−MAX, MAX]; a target outside what any ψ
    reaches gives ±MAX.
    """
    n_groups = len(target)
    idx = np.arange(len(b))
    scale = np.maximum(np.abs(target), 1.0)

    warm = np.full(len(b), np.nan)

    def group_sum(guess: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lp = log_psi[rows].copy()
        lp[np.arange(len(rows)), row[rows]] = guess[group[rows]]
        x, slope, u = fit_with_slope(a[rows], b[rows], t[rows], lp, warm[rows])
        warm[rows] = u
        k = np.arange(len(rows))
        return (np.bincount(group[rows], weights=weights[rows] * x[k, row[rows]], minlength=n_groups),
                np.bincount(group[rows], weights=weights[rows] * slope[k, row[rows]], minlength=n_groups))

    low, _ = group_sum(np.full(n_groups, -MAX_LOG_PSI), idx)
    high, _ = group_sum(np.full(n_groups, MAX_LOG_PSI), idx)
    warm[:] = np.nan
    result = np.where(target <= low, -MAX_LOG_PSI, MAX_LOG_PSI)
    todo = np.flatnonzero((target > low) & (target < high))  # the others lie beyond what any ψ reaches
    lo = np.full(n_groups, -MAX_LOG_PSI)
    hi = np.full(n_groups, MAX_LOG_PSI)
    guess = np.zeros(n_groups)
    for _ in range(iterations):
        if len(todo) == 0:
            break
        rows = idx[np.isin(group, todo)]
        total, d = group_sum(guess, rows)
        g = (total - target)[todo]
        d = d[todo]
        gt = guess[todo]
        lo[todo] = np.where(g < 0, gt, lo[todo])
        hi[todo] = np.where(g > 0, gt, hi[todo])
        step = gt - g / np.where(d > 0, d, np.inf)
        bad = ~((step > lo[todo]) & (step < hi[todo])) | (d <= 0)
        solved = np.abs(g) <= 1e-9 * scale[todo]
        new = np.where(solved, gt, np.where(bad, 0.5 * (lo[todo] + hi[todo]), step))
        guess[todo] = new
        result[todo] = new
        todo = todo[~(solved | (np.abs(new - gt) < 1e-10))]
    return result
