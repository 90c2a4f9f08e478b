"""The sample's time grid: Jalali months, and how their days fall into Gregorian months.

The model runs on Jalali months 1397/10..1404/10 with an even daily rate inside each month.
Iranian customs report Jalali months, so they record the model's months as they are; Gregorian
months (FCS, the truth) are the Jalali months spread by their days, which is also what the ETL
does with a Jalali figure. Hence a province's Gregorian month in the warehouse is exactly the
model's Gregorian month, and a bound that holds on Jalali months holds on Gregorian ones.
"""

from __future__ import annotations

import datetime as dt

import jdatetime
import numpy as np
import pandas as pd

FIRST, LAST = "2019-01", "2025-12"  # the Gregorian months written
JALALI_FIRST, JALALI_LAST = (1397, 10), (1404, 10)  # covers 2018-12-22 .. 2026-01-20


class Grid:
    """Jalali months j (start, end exclusive, mid-month date) and S[j, g] = share of j's days in g."""

    def __init__(self):
        self.jal = _jalali_months()
        self.start = [jdatetime.date(y, m, 1).togregorian() for y, m in self.jal]
        ny, nm = (JALALI_LAST[0] + 1, 1) if JALALI_LAST[1] == 12 else (JALALI_LAST[0], JALALI_LAST[1] + 1)
        self.end = self.start[1:] + [jdatetime.date(ny, nm, 1).togregorian()]
        mid = [s + dt.timedelta(days=14) for s in self.start]
        self.year = np.array([d.year for d in mid])  # Gregorian year and month of the middle of j
        self.month = np.array([d.month for d in mid])
        first = dt.date(2019, 1, 1)
        self.t = np.array([(d - first).days / 365.25 for d in mid])  # years since 2019-01-01
        self.greg = pd.period_range(self.start[0], self.end[-1] - dt.timedelta(days=1), freq="M")
        gidx = {(p.year, p.month): i for i, p in enumerate(self.greg)}
        S = np.zeros((len(self.jal), len(self.greg)))
        for j, (s, e) in enumerate(zip(self.start, self.end, strict=True)):
            for k in range((e - s).days):
                d = s + dt.timedelta(days=k)
                S[j, gidx[(d.year, d.month)]] += 1
        self.S = S / S.sum(axis=1, keepdims=True)
        self.gy = np.array([p.year for p in self.greg])
        self.gm = np.array([p.month for p in self.greg])
        self.label = np.array([str(p) for p in self.greg])
        self.written = (self.label >= FIRST) & (self.label <= LAST)

    @property
    def J(self) -> int:
        return len(self.jal)

    def to_gregorian(self, x: np.ndarray) -> np.ndarray:
        """[..., J] Jalali-month totals -> [..., G] Gregorian-month totals (spread by days)."""
        return x @ self.S

    def index(self, label: str) -> int:
        """Index of a Gregorian month 'YYYY-MM'."""
        return int(np.flatnonzero(self.label == label)[0])


def _jalali_months() -> list[tuple[int, int]]:
    out, (y, m) = [], JALALI_FIRST
    while (y, m) <= JALALI_LAST:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
