"""Given-rows / expected-rows: each fixture file has an expected/<stem>.csv of normalised rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

COLUMNS = ["row", "reporter_country", "reporter_region", "partner_country", "partner_region", "flow", "hs_code",
           "period_start", "period_end", "freq", "value_usd", "value_basis", "net_kg", "transport_mode",
           "customs_office", "flags"]


def normalised(rows: pd.DataFrame) -> pd.DataFrame:
    out = rows[COLUMNS].copy()
    for c in ("period_start", "period_end"):
        out[c] = out[c].dt.strftime("%Y-%m-%d")
    out["value_usd"] = out["value_usd"].round(2)
    out["net_kg"] = out["net_kg"].round(3)
    return out.astype("string").fillna("").reset_index(drop=True)


def expected_path(fixture: Path) -> Path:
    return fixture.parent / "expected" / (fixture.stem + ".csv")


def load_expected(fixture: Path) -> pd.DataFrame:
    return pd.read_csv(expected_path(fixture), dtype=str, keep_default_na=False).astype("string")
