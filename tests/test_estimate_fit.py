"""The biproportional fit and the benchmark, as numbers: ψ = 1 is A·B/T; the fit keeps its margins and
lies within the Fréchet–Hoeffding bounds for any ψ; it rises with ψ; a direct figure is reproduced;
Denton's benchmark meets every yearly total."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.estimate import fit, nowcast

RNG = np.random.default_rng(20251203)


def random_tables(n: int, provinces: int = 3):
    a = RNG.gamma(0.6, 1e5, (n, provinces)) * (RNG.random((n, provinces)) > 0.2)
    t = a.sum(axis=1) + RNG.gamma(1.0, 3e5, n)
    b = RNG.random(n) * t
    return a, b, t


def test_psi_one_gives_back_a_b_over_t_exactly():
    a, b, t = random_tables(5000)
    x = fit.fit(a, b, t, np.zeros_like(a))
    assert np.allclose(x, a * b[:, None] / t[:, None], rtol=1e-12, atol=1e-9)


def test_the_fit_keeps_volgograd_s_margin_and_the_bounds_for_any_psi():
    a, b, t = random_tables(5000)
    log_psi = np.clip(RNG.normal(0, 2.5, a.shape), -fit.MAX_LOG_PSI, fit.MAX_LOG_PSI)
    x = fit.fit(a, b, t, log_psi)
    rest = t - a.sum(axis=1)
    u = fit.log_c(np.column_stack([a, rest]), np.column_stack([log_psi, np.zeros(len(b))]), b)
    rest_v = rest / (1 + np.exp(-u))
    assert np.allclose(x.sum(axis=1) + rest_v, b, rtol=1e-9)
    lower, upper = fit.bounds(a, b, t)
    assert (x >= lower - 1e-6).all() and (x <= upper + 1e-6).all()


@settings(max_examples=200, deadline=None)
@given(a=st.lists(st.floats(0, 1e9), min_size=3, max_size=3), b=st.floats(0, 2e9), t=st.floats(0, 3e9),
       log_psi=st.lists(st.floats(-12, 12), min_size=3, max_size=3))
def test_bounds_hold_even_when_the_total_is_below_a_side(a, b, t, log_psi):
    # T below ΣA or below B is raised to max(T, ΣA, B): the table stays consistent
    x = fit.fit(np.array([a]), np.array([b]), np.array([t]), np.array([log_psi]))[0]
    lower, upper = fit.bounds(np.array([a]), np.array([b]), np.array([t]))
    tol = 1e-6 * max(1.0, b, sum(a))
    assert (x >= lower[0] - tol).all() and (x <= upper[0] + tol).all()
    assert (x >= 0).all()


def test_the_cell_rises_with_its_psi_and_reaches_the_bounds_at_the_ends():
    a, b, t = random_tables(2000)
    grid = np.linspace(-fit.MAX_LOG_PSI, fit.MAX_LOG_PSI, 9)
    cells = []
    for g in grid:
        lp = np.zeros_like(a)
        lp[:, 0] = g
        cells.append(fit.fit(a, b, t, lp)[:, 0])
    cells = np.array(cells)
    assert (np.diff(cells, axis=0) >= -1e-6).all()
    lower, upper = fit.bounds(a, b, t)
    scale = np.maximum(upper[:, 0], 1.0)
    assert np.median(np.abs(cells[0] - lower[:, 0]) / scale) < 1e-3
    assert np.median(np.abs(cells[-1] - upper[:, 0]) / scale) < 1e-3


def test_solve_log_psi_reproduces_a_figure_over_several_months():
    a, b, t = random_tables(24)
    group = np.repeat([0, 1], 12)
    row = np.repeat([0, 2], 12)
    weights = np.ones(24)
    truth = np.array([1.5, -0.7])
    lp = np.zeros_like(a)
    lp[np.arange(24), row] = truth[group]
    x = fit.fit(a, b, t, lp)[np.arange(24), row]
    target = np.bincount(group, weights=x)
    solved = fit.solve_log_psi(a, b, t, np.zeros_like(a), row, weights, group, target)
    assert np.allclose(solved, truth, atol=1e-6)


def test_denton_meets_every_benchmark_and_starts_from_one():
    months = pd.date_range("2021-01-01", "2024-12-01", freq="MS")
    free = months[months >= "2022-02-01"]
    indicator = pd.Series(RNG.gamma(2.0, 100.0, len(free)), index=free)
    targets = {2023: 1.3 * indicator[free.year == 2023].sum(), 2024: 1.5 * indicator[free.year == 2024].sum()}
    lam = nowcast.denton(months, free, indicator, targets)
    for year, target in targets.items():
        assert np.isclose((lam * indicator.to_numpy())[free.year == year].sum(), target)
    # 2022 has no benchmark: λ moves smoothly from 1 (January 2022 was reported) towards 2023's level
    assert 0.95 < lam[0] < 1.2 and np.all(np.diff(lam[free.year == 2022]) > 0)
    assert np.allclose(nowcast.denton(months, free, indicator, {}), 1.0)
