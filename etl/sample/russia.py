"""Russian customs (FCS regional open data) files of the sample: Volgograd (OKATO 18000), one per year.

As in reality, FCS publishes regional data up to 2022-01 only (the 2022 file holds January);
a world may let it go on (`fcs_continues`). Volgograd <-> Iran rows are `Model.fcs_val` (CIF on
Volgograd's imports, late declarations) rounded *up* to the cent; Volgograd's other partners are
drawn around Volgograd's trade with Iran.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from etl.sample.catalogue import GRAIN, GRAIN_OTHERS_RATIO, PRODUCTS, SEASON, price_index
from etl.sample.lines import ceil_int, split_lines
from etl.sample.model import Model, rng

REGION = "18000 - ВОЛГОГРАДСКАЯ ОБЛАСТЬ"
REGION_S = "04-ЮЖНЫЙ ФЕДЕРАЛЬНЫЙ ОКРУГ"
VARIANTS = {2020: "cp1251", 2021: "english"}  # Gregorian year -> file variant


def napr(flow: str) -> str:
    """FCS direction (Volgograd's side) of an Iranian-side flow: Iran's exports are Volgograd's imports."""
    return "ИМ" if flow == "export" else "ЭК"


def records(m: Model, scale: int) -> pd.DataFrame:
    g = m.grid
    w = g.written
    gy, gm = g.gy[w], g.gm[w]
    n_months = int(w.sum())
    draw = rng(m.seed, "russia-others")
    frames = []
    for k, (flow, hs6) in enumerate(m.groups):
        iran = m.fcs_val[k, w]
        frames.append(pd.DataFrame({"napr": napr(flow), "hs6": hs6, "strana": "IR", "y": gy, "m": gm,
                                    "cents": ceil_int(iran * 100), "centikg": ceil_int(m.fcs_kg[k, w] * 100)}))
        partners = PRODUCTS[hs6][6]
        shares = draw.dirichlet(np.full(len(partners), 2.0))
        iran_year = pd.Series(iran).groupby(gy).transform("sum").to_numpy() / 12
        if napr(flow) == "ЭК" and hs6 in GRAIN:
            ratio = np.array([GRAIN_OTHERS_RATIO[y] for y in gy])
        else:
            ratio = np.exp(draw.normal(0.2, 0.6)) * np.ones(n_months)
        season = SEASON[PRODUCTS[hs6][3]][gm - 1]
        price = PRODUCTS[hs6][2] * price_index(hs6, gy)
        for partner, sh in zip(partners, shares, strict=True):
            active = draw.random(n_months) < 0.8
            v = iran_year * ratio * sh * season * np.exp(draw.normal(-0.045, 0.3, n_months)) * active / 0.8
            kg = v / (price * np.exp(draw.normal(0, 0.08, n_months)))
            frames.append(pd.DataFrame({"napr": napr(flow), "hs6": hs6, "strana": partner, "y": gy, "m": gm,
                                        "cents": np.floor(v * 100 + 0.5).astype(np.int64),
                                        "centikg": np.floor(kg * 100 + 0.5).astype(np.int64)})[active])
    df = pd.concat(frames, ignore_index=True)
    df = df[(df["y"] * 100 + df["m"]) <= int(m.world.fcs_last.replace("-", ""))]
    n = min(scale, 999)
    df, line = split_lines(df, ["napr", "hs6", "strana"], n, rng(m.seed, f"russia-lines-{n}"), ["cents", "centikg"])
    suffix = np.array(["0000"]) if n == 1 else np.array([f"{i + 1:03d}0" for i in range(n)])
    df["tnved"] = df["hs6"] + suffix[line]
    df = df[(df["cents"] >= 1) & (df["centikg"] >= 1)].copy()
    df["usd"] = df["cents"] / 100
    df["kg"] = df["centikg"] / 100
    unit = df["hs6"].map(lambda h: PRODUCTS[h][4])
    per_kg = df["hs6"].map(lambda h: PRODUCTS[h][5]).to_numpy(dtype=float)
    df["edizm"] = unit
    df["kol"] = np.where(unit == "ШТ", np.maximum(np.round(df["kg"].to_numpy() * per_kg), 1), df["kg"])
    return df.sort_values(["y", "m", "napr", "strana", "tnved"], kind="stable").reset_index(drop=True)


def write(df: pd.DataFrame, out: Path) -> list[Path]:
    folder = out / "russia_customs"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for y, g in df.groupby("y", sort=True):
        t = pd.DataFrame({
            "NAPR": g["napr"], "PERIOD": [f"{mm:02d}/{yy}" for yy, mm in zip(g["y"], g["m"], strict=True)],
            "STRANA": g["strana"], "TNVED": g["tnved"], "EDIZM": g["edizm"], "STOIM": g["usd"],
            "NETTO": g["kg"], "KOL": g["kol"], "REGION": REGION, "REGION_S": REGION_S,
        })
        path = folder / f"synthetic_volgograd_{y}.csv"
        variant = VARIANTS.get(int(y))
        if variant == "english":
            t["NAPR"] = t["NAPR"].map({"ИМ": "IM", "ЭК": "EX"})
            t.columns = ["DIRECTION", "PERIOD", "COUNTRY", "HS", "UM", "VALUE", "NETWEIGHT", "QUANTITY",
                         "REGION", "REGION_S"]
            t.to_csv(path, index=False, float_format="%.2f", lineterminator="\n")
        elif variant == "cp1251":
            t.to_csv(path, index=False, sep=";", decimal=",", float_format="%.2f", encoding="cp1251",
                     lineterminator="\r\n")
        else:
            t.to_csv(path, index=False, float_format="%.2f", lineterminator="\n")
        written.append(path)
    return written
