"""The editable reference data in data/reference/, loaded once per refresh.

Lookups go through `name_key` so that 'روسيه', 'روسیه' and 'Russia' all find RU.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from etl.paths import REFERENCE
from etl.text import map_distinct, name_key

# table name in the warehouse's `ref` schema -> CSV file
TABLES = {
    "regions": "regions.csv",
    "countries": "countries.csv",
    "hs_sections": "hs_sections.csv",
    "hs_chapters": "hs_chapters.csv",
    "sectors": "sectors.csv",
    "sector_names": "sector_names.csv",
    "customs_offices": "customs_offices.csv",
    "transport_modes": "transport_modes.csv",
    "units": "units.csv",
    "fx": "fx.csv",
    "targets": "targets.csv",
    "published_figures": "published_figures.csv",
    "places": "places.csv",
}


def _alias_map(df: pd.DataFrame, key: str, columns: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for _, r in df.iterrows():
        names = [r[c] for c in columns if c in df.columns and r[c]]
        if "aliases" in df.columns and r["aliases"]:
            names += r["aliases"].split("|")
        for n in names:
            out.setdefault(name_key(n), r[key])
    return out


@dataclass
class Reference:
    folder: Path = REFERENCE
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path = REFERENCE) -> Reference:
        ref = cls(folder)
        for table, fname in TABLES.items():
            path = folder / fname
            if not path.exists():
                raise FileNotFoundError(f"reference file missing: {path}")
            ref.frames[table] = pd.read_csv(path, dtype=str, keep_default_na=False)
        return ref

    def path(self, table: str) -> Path:
        return self.folder / TABLES[table]

    @cached_property
    def country_by_name(self) -> dict[str, str]:
        return _alias_map(self.frames["countries"], "iso2", ["iso2", "iso3", "name_en", "name_fa", "name_ru"])

    @cached_property
    def country_by_m49(self) -> dict[int, str]:
        c = self.frames["countries"]
        return {int(m): iso2 for m, iso2 in zip(c["m49"], c["iso2"], strict=True) if m != ""}

    @cached_property
    def region_by_name(self) -> dict[str, str]:
        return _alias_map(self.frames["regions"], "code", ["code", "name_en", "name_fa", "name_ru"])

    @cached_property
    def region_by_okato(self) -> dict[str, str]:
        r = self.frames["regions"]
        return {o: code for o, code in zip(r["okato"], r["code"], strict=True) if o}

    @cached_property
    def region_country(self) -> dict[str, str]:
        r = self.frames["regions"]
        return dict(zip(r["code"], r["country"], strict=True))

    @cached_property
    def office_by_name(self) -> dict[str, str]:
        return _alias_map(self.frames["customs_offices"], "office", ["office", "name_en", "name_fa", "name_ru"])

    @cached_property
    def office_province(self) -> dict[str, str]:
        o = self.frames["customs_offices"]
        return dict(zip(o["office"], o["province"], strict=True))

    @cached_property
    def office_mode(self) -> dict[str, str]:
        o = self.frames["customs_offices"]
        return dict(zip(o["office"], o["transport_mode"], strict=True))

    @cached_property
    def mode_by_name(self) -> dict[str, str]:
        return _alias_map(self.frames["transport_modes"], "mode", ["mode", "name_en", "name_fa", "name_ru"])

    @cached_property
    def unit_by_name(self) -> dict[str, str]:
        return _alias_map(self.frames["units"], "unit", ["unit", "okei", "name_en", "name_fa", "name_ru", "short_ru"])

    @cached_property
    def rial_per_usd(self) -> dict[str, float]:
        fx = self.frames["fx"]
        return {m: float(v) for m, v in zip(fx["month"], fx["rial_per_usd"], strict=True) if v}


def lookup(values: pd.Series, mapping: dict[str, str]) -> pd.Series:
    """Map cleaned names to codes through name_key; NA where unknown."""
    return map_distinct(values.astype("string"), lambda u: mapping.get(name_key(u))).astype("string")
