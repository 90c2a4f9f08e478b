"""Manual figures of the sample, in the manual template's layout (docs/formats.md).

- Press figures: Volgograd oblast's yearly trade with all of Iran, all products (empty hs_code),
  per flow from Volgograd's side, as its administration announces them: what FCS would have
  counted (CIF imports, late declarations included) rounded to 0.1 M USD. They go on after FCS
  falls silent; 2019–2021 overlap with FCS, so the two can be checked against each other.
- Trade-house observations: a province's trade with Volgograd in one product and year (both
  regions named: a direct observation), equal to the truth to the cent.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from etl.sample.catalogue import VGG
from etl.sample.lines import ceil_int
from etl.sample.model import Model
from etl.sample.russia import napr
from etl.sample.truth import truth_cents

PRESS_YEARS = range(2019, 2026)
PRESS_ROUND_USD = 100_000
PRESS_NOTE = "Volgograd oblast administration press figure (synthetic)"
OBSERVERS = {
    "IR-01": "Gilan chamber of commerce, Rasht (synthetic)",
    "IR-02": "Mazandaran trade house in Volgograd (synthetic)",
    "IR-27": "Golestan trade promotion office, Gorgan (synthetic)",
}
# (province, flow from the province's side, hs6, year)
OBSERVED = [("IR-02", "export", "081050", 2020), ("IR-01", "import", "100199", 2021),
            ("IR-27", "export", "390311", 2022), ("IR-02", "export", "081050", 2023),
            ("IR-02", "export", "252329", 2023), ("IR-01", "export", "030389", 2024),
            ("IR-02", "import", "100199", 2024), ("IR-02", "import", "100390", 2025)]
COLUMNS = ["source_note", "url", "reporter_country", "reporter_region", "partner_country", "partner_region",
           "flow", "hs_code", "period", "calendar", "value_usd", "net_kg"]
FCS_FLOW = {"ИМ": "import", "ЭК": "export"}


def press_totals(m: Model) -> pd.DataFrame:
    """Volgograd <-> Iran per year and flow (Volgograd's side): exact cents and the published figure."""
    g = m.grid
    cents = ceil_int(m.fcs_val * 100)  # as FCS rows hold them
    rows = []
    for y in PRESS_YEARS:
        sel = g.written & (g.gy == y)
        for fcs in ("ИМ", "ЭК"):
            ks = [k for k, (flow, _) in enumerate(m.groups) if napr(flow) == fcs]
            exact = int(cents[ks][:, sel].sum())
            published = int(np.floor(exact / 100 / PRESS_ROUND_USD + 0.5)) * PRESS_ROUND_USD
            rows.append({"year": y, "flow": FCS_FLOW[fcs], "cents": exact, "published_usd": published})
    return pd.DataFrame(rows)


def write(m: Model, out: Path) -> list[Path]:
    folder = out / "manual"
    folder.mkdir(parents=True, exist_ok=True)
    press = [{"source_note": PRESS_NOTE, "url": "", "reporter_country": "RU", "reporter_region": VGG,
              "partner_country": "IR", "partner_region": "", "flow": r.flow, "hs_code": "", "period": str(r.year),
              "calendar": "gregorian", "value_usd": str(r.published_usd), "net_kg": ""}
             for r in press_totals(m).itertuples()]
    p1 = folder / "synthetic_volgograd_press_totals.csv"
    pd.DataFrame(press, columns=COLUMNS).to_csv(p1, index=False, lineterminator="\n")
    p2 = folder / "synthetic_trade_house_observations.csv"
    pd.DataFrame(_observations(m), columns=COLUMNS).to_csv(p2, index=False, lineterminator="\n")
    return [p1, p2]


def _observations(m: Model) -> list[dict]:
    index = {(p, flow, hs6): i for i, (_, p, flow, hs6) in enumerate(m.series())}
    cents, kg = truth_cents(m)
    g = m.grid
    rows = []
    for prov, flow, hs6, year in OBSERVED:
        i = index[(prov, flow, hs6)]
        sel = g.gy[g.written] == year
        c = int(cents[i][sel].sum())
        rows.append({"source_note": OBSERVERS[prov], "url": "", "reporter_country": "IR", "reporter_region": prov,
                     "partner_country": "RU", "partner_region": VGG, "flow": flow, "hs_code": hs6,
                     "period": str(year), "calendar": "gregorian", "value_usd": f"{c // 100}.{c % 100:02d}",
                     "net_kg": str(int(kg[i][sel].sum()))})
    return rows
