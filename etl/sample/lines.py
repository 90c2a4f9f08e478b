"""Splitting a record into tariff lines (`scale`), keeping every total exact."""

from __future__ import annotations

import numpy as np
import pandas as pd


def ceil_int(x) -> np.ndarray:
    """Round up to whole units: a recorded figure is never below the flows it holds."""
    return np.ceil(np.asarray(x, dtype=float) - 1e-9).astype(np.int64)


def split_lines(df: pd.DataFrame, key_cols: list[str], n: int, rng: np.random.Generator,
                int_cols: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """Split each row into n lines with fixed Dirichlet weights per key group; return (df, line).

    int_cols hold whole numbers (dollars, cents, kg); each row's parts add up to it exactly (floors,
    and what they leave one unit at a time to the heaviest lines).
    """
    if n == 1:
        return df.reset_index(drop=True), np.zeros(len(df), dtype=np.int64)
    gid, uniq = pd.factorize(pd.MultiIndex.from_frame(df[key_cols]))
    w = rng.dirichlet(np.full(n, 2.0), size=len(uniq))[gid]  # [rows, n]
    out = df.loc[df.index.repeat(n)].reset_index(drop=True)
    order = np.argsort(-w, axis=1, kind="stable")
    for c in int_cols:
        total = df[c].to_numpy(dtype=np.int64)
        exact = total[:, None] * w
        parts = np.floor(exact).astype(np.int64)
        short = total - parts.sum(axis=1)
        bump = np.zeros_like(parts)
        rank = np.argsort(order, axis=1)  # rank of each line by weight
        bump[rank < short[:, None]] = 1
        out[c] = (parts + bump).ravel()
    return out, np.tile(np.arange(n), len(df))
