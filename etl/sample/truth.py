"""The hidden truth files (never loaded by the ETL) and the realised association of a world.

- `bilateral_truth.csv`: province <-> Volgograd per flow (province's side), hs6 and Gregorian month,
  FOB USD (cents) and net kg.
- `volgograd_iran_truth.csv`: Volgograd <-> Iran as FCS would have recorded it (Volgograd's side,
  CIF imports), per hs6 and month — also for the months FCS did not publish (`published` = 0).
- `irr_per_usd.csv`: the rial rate used for the Iranian files.
- `world.json`: world, seed, scale, what each source covers, and the association measured on
  the truth: the odds of a province's Russia trade going to Volgograd against the rest of Iran's
  (Iran outside the three provinces), per province × flow × year pooled over products and months
  by Mantel–Haenszel (so a different product mix alone does not look like an association), and
  per province × flow × hs6 × year from the year's sums. A diagnostic only: the generator never
  uses an odds ratio.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd

from etl.sample.catalogue import ORIGINS, PROVINCES, ROI, VGG, irr_per_usd
from etl.sample.comtrade import MONTHLY, REPORTED
from etl.sample.lines import ceil_int
from etl.sample.model import Model
from etl.sample.russia import napr

FCS_FLOW = {"ИМ": "import", "ЭК": "export"}
YEARS = range(2019, 2026)


def truth_cents(m: Model) -> tuple[np.ndarray, np.ndarray]:
    """Province <-> Volgograd in cents and kg, [series, written months], rounded half up."""
    w = m.grid.written
    idx = [(k, ORIGINS.index(p)) for k, p, _, _ in m.series()]
    val = np.stack([m.vgg_g[k, o, w] for k, o in idx])
    kg = np.stack([m.vgg_kg_g[k, o, w] for k, o in idx])
    return np.floor(val * 100 + 0.5).astype(np.int64), np.floor(kg + 0.5).astype(np.int64)


def write(m: Model, truth_dir: Path, scale: int) -> list[Path]:
    truth_dir.mkdir(parents=True, exist_ok=True)
    g = m.grid
    months = g.label[g.written]
    series = m.series()
    cents, kg = truth_cents(m)
    n = len(months)
    t = pd.DataFrame({
        "province": np.repeat([s[1] for s in series], n), "partner_region": VGG,
        "flow": np.repeat([s[2] for s in series], n), "hs6": np.repeat([s[3] for s in series], n),
        "month": np.tile(months, len(series)), "value_usd": _usd(cents.ravel()), "net_kg": kg.ravel(),
    }).sort_values(["province", "flow", "hs6", "month"], kind="stable")
    p1 = truth_dir / "bilateral_truth.csv"
    t.to_csv(p1, index=False, lineterminator="\n")

    fcs_cents = ceil_int(m.fcs_val[:, g.written] * 100)
    fcs_kg = ceil_int(m.fcs_kg[:, g.written] * 100)
    K = len(m.groups)
    v = pd.DataFrame({
        "reporter_region": VGG, "partner_country": "IR",
        "flow": np.repeat([FCS_FLOW[napr(f)] for f, _ in m.groups], n), "hs6": np.repeat([h for _, h in m.groups], n),
        "month": np.tile(months, K), "value_usd": _usd(fcs_cents.ravel()),
        "net_kg": _usd(fcs_kg.ravel()),
        "basis": np.repeat(["CIF" if napr(f) == "ИМ" else "FOB" for f, _ in m.groups], n),
        "published": (np.tile(months, K) <= m.world.fcs_last).astype(int),
    }).sort_values(["flow", "hs6", "month"], kind="stable")
    p2 = truth_dir / "volgograd_iran_truth.csv"
    v.to_csv(p2, index=False, lineterminator="\n")

    fx = pd.DataFrame({
        "jalali_period": [f"{y}/{mm:02d}" for y, mm in g.jal],
        "period_start": [d.isoformat() for d in g.start],
        "period_end": [(d - dt.timedelta(days=1)).isoformat() for d in g.end],
        "irr_per_usd": [irr_per_usd(d) for d in g.start],
    })
    p3 = truth_dir / "irr_per_usd.csv"
    fx.to_csv(p3, index=False, lineterminator="\n")

    p4 = truth_dir / "world.json"
    p4.write_text(json.dumps(world_summary(m, scale), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [p1, p2, p3, p4]


def _usd(cents: np.ndarray) -> list[str]:
    return [f"{c // 100}.{c % 100:02d}" for c in cents.tolist()]


def association(m: Model) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Realised odds ratios (province -> Volgograd vs rest of Iran -> Volgograd), from the truth.

    Returns (by province × flow × year, Mantel–Haenszel over hs6 × month; by province × flow × hs6 × year).
    """
    g = m.grid
    rest = ORIGINS.index(ROI)
    pooled, by_product = [], []
    for prov in PROVINCES:
        o = ORIGINS.index(prov)
        for flow in ("export", "import"):
            ks = [k for k, (f, _) in enumerate(m.groups) if f == flow and m.trades[k, o]]
            for y in YEARS:
                sel = g.gy == y
                a, tot_p = m.vgg_g[ks, o][:, sel], m.tot_g[ks, o][:, sel]
                c, tot_r = m.vgg_g[ks, rest][:, sel], m.tot_g[ks, rest][:, sel]
                b, d = tot_p - a, tot_r - c
                n = tot_p + tot_r
                mh = (a * d / n).sum() / (b * c / n).sum()
                pooled.append({"province": prov, "flow": flow, "year": y, "odds_ratio": mh,
                               "province_share": a.sum() / tot_p.sum(), "rest_share": c.sum() / tot_r.sum()})
                for i, k in enumerate(ks):
                    A, B, Cc, D = a[i].sum(), b[i].sum(), c[i].sum(), d[i].sum()
                    by_product.append({"province": prov, "flow": flow, "hs6": m.groups[k][1], "year": y,
                                       "odds_ratio": (A * D) / (B * Cc), "province_share": A / (A + B),
                                       "rest_share": Cc / (Cc + D)})
    out = []
    for rows in (pooled, by_product):
        df = pd.DataFrame(rows)
        df["ln_odds_ratio"] = np.log(df["odds_ratio"])
        out.append(df)
    return out[0], out[1]


def world_summary(m: Model, scale: int) -> dict:
    pooled, by_product = association(m)

    def spread(x: pd.Series) -> dict:
        return {"median": round(float(x.median()), 4), "p10": round(float(x.quantile(0.1)), 4),
                "p90": round(float(x.quantile(0.9)), 4), "share_below_zero": round(float((x < 0).mean()), 4)}

    def rows(df: pd.DataFrame) -> list[dict]:
        return [{k: (round(float(v), 4) if isinstance(v, float) else v) for k, v in r.items()}
                for r in df.drop(columns="odds_ratio").to_dict("records")]

    return {
        "world": m.world.name, "description": m.world.description, "seed": m.seed, "scale": scale,
        "synthetic": True,
        "coverage": {"fcs_volgograd": ["2019-01", m.world.fcs_last],
                     "comtrade": {str(rep): [years[0], years[-1]] for rep, years in REPORTED.items()},
                     "comtrade_monthly": {str(rep): [f"{REPORTED[rep][0]}-01", f"{REPORTED[rep][-1]}-12"]
                                          for rep in MONTHLY},
                     "iran_customs": ["1397/10", "1404/10"]},
        "rest_of_iran": "Iran outside Gilan (IR-01), Mazandaran (IR-02) and Golestan (IR-27)",
        "association_method": "odds ratio of province -> Volgograd against rest of Iran -> Volgograd, on the true "
                              "flows (FOB); per province x flow x year pooled over hs6 x Gregorian month by "
                              "Mantel-Haenszel; per product from the year's sums. flow is the province's side.",
        "ln_odds_ratio": {"by_province_flow_year": spread(pooled["ln_odds_ratio"]),
                          "by_province_flow_hs6_year": spread(by_product["ln_odds_ratio"])},
        "contracts": [vars(c) for c in m.contracts],
        "by_province_flow_year": rows(pooled),
        "by_province_flow_hs6_year": rows(by_product),
    }
