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


def log_c(a: np.ndarray, log_psi: np.ndarray, b: np.ndarray, iterations: int = 100) -> np.ndarray:
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
    u = np.clip(u, lo, hi)
    for _ in range(iterations):
        s = _sigmoid(log_psi + u[:, None])
        g = (a * s).sum(axis=1) - b
        d = (a * s * (1 - s)).sum(axis=1)
        lo = np.where(g < 0, u, lo)
        hi = np.where(g > 0, u, hi)
        step = u - g / np.where(d > 0, d, np.inf)
        bad = ~((step > lo) & (step < hi)) | (d <= 0)
        u_new = np.where(bad, 0.5 * (lo + hi), step)
        if np.all(np.abs(u_new - u) < 1e-12):
            u = u_new
            break
        u = u_new
    return u


def fit(a: np.ndarray, b: np.ndarray, t: np.ndarray, log_psi: np.ndarray) -> np.ndarray:
    """x_iV for every focus row of every table.

    a: (n, P) the provinces' trade with Russia; b: (n,) Volgograd's trade with Iran; t: (n,) Russia's
    trade with Iran (raised to max(T, ΣA, B) here, so the table is consistent); log_psi: (n, P).
    Returns (n, P). Tables without B or without A give 0.
    """
    a = np.maximum(np.asarray(a, dtype=float), 0.0)
    b = np.maximum(np.asarray(b, dtype=float), 0.0)
    log_psi = np.clip(np.asarray(log_psi, dtype=float), -MAX_LOG_PSI, MAX_LOG_PSI)
    t = effective_total(a, b, t)
    rest = t - a.sum(axis=1)
    rows = np.column_stack([a, rest])
    lp = np.column_stack([log_psi, np.zeros(len(b))])
    inner = (b > 0) & (b < t)
    x = np.zeros_like(a)
    if inner.any():
        u = log_c(rows[inner], lp[inner], b[inner])
        x[inner] = a[inner] * _sigmoid(log_psi[inner] + u[:, None])
    full = b >= t  # Volgograd takes all of Russia's trade with Iran: every row goes to V
    x[full] = a[full]
    return x


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
                  weights: np.ndarray, group: np.ndarray, target: np.ndarray, iterations: int = 60) -> np.ndarray:
    """ln ψ of one row per group such that the group's weighted cells add up to `target`.

    A direct observation covers several months (tables). Each table k belongs to group[k] and its
    cell in row row[k] counts with weights[k] (the share of the month inside the observation's
    period); other rows keep log_psi. Bisection on ln ψ in [−MAX, MAX] (the sum is monotone in it);
    a target outside what any ψ reaches gives ±MAX.
    """
    n_groups = len(target)
    lo = np.full(n_groups, -MAX_LOG_PSI)
    hi = np.full(n_groups, MAX_LOG_PSI)
    idx = np.arange(len(b))
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        lp = log_psi.copy()
        lp[idx, row] = mid[group]
        x = fit(a, b, t, lp)[idx, row]
        total = np.bincount(group, weights=weights * x, minlength=n_groups)
        below = total < target
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return 0.5 * (lo + hi)
