"""Deterministic generator of the SYNTHETIC demonstration data (`data/sample/`) and of test worlds.

Nothing written here is real data. A hidden "true" trade between Iran and Russia is told as a
physical story (`model`): each Iranian origin — Gilan (IR-01), Mazandaran (IR-02), Golestan
(IR-27) and the rest of Iran — trades products with Russia month by month; the trade takes
corridors (river-sea vessels up the Volga, sea to Astrakhan or Makhachkala, trucks via Astara or
Upper Lars, rail via Incheh Borun, the long sea route from Bandar Abbas) chosen by the world
(`worlds`), bent by the Volga's navigation season and capacity shocks, partly tied by supply
contracts; each corridor's cargo ends (or starts) in a Russian region by the corridor's reach and
the product's buyers or sellers (`routes`). The truth is what the provinces' routes bring to
Volgograd (RU-VGG); Volgograd's trade with Iran is what all four origins bring there. The
province <-> Volgograd association comes out of the routes; it is measured afterwards
(`truth.association`), never set.

What the sources record (one module each, in the layouts of docs/formats.md):
- `iran`: IRICA files per province and Jalali year 1397 (months 10–12) .. 1404 (months 1–10), all
  partners, per customs office (the gateway of the corridor), FOB exports, CIF imports, with the
  format variants real files have;
- `russia`: FCS regional files for Volgograd, all partners, up to 2022-01 (the 2022 file holds
  January only; FCS stopped publishing), CIF imports, some cargo declared a month late;
- `comtrade`: Comtrade annual HS6 records, Russia's to 2021, Iran's to 2024, and Russia's monthly
  records (freqCode M) for 2019–2021;
- `manual`: Volgograd's yearly totals with Iran from its administration's press figures (what FCS
  would have counted, rounded to 0.1 M USD, 2019–2025) and a few trade-house observations of a
  province's trade with Volgograd in one product and year (= the truth).
`truth` writes the hidden truth and `world.json` to the truth folder.

How the truth stays within the logical bounds [max(0, A + B − T), min(A, B)] of what the sources
record (A = the province's trade with Russia in IRICA, B = Volgograd's with Iran in FCS, T = the
national figure in Comtrade), per product and month and per province, flow and year:
- A >= truth: the model runs on Jalali months with an even daily rate, IRICA records Jalali months
  as they are, and the ETL spreads them to Gregorian months by days exactly as the truth is
  spread; A holds all of the province's Russia trade (the truth is part of it), CIF on imports
  (factor >= 1.04), rounded up to the dollar and kg.
- B >= truth: B holds all four origins' cargo to or from Volgograd, CIF on Volgograd's imports,
  rounded up to the cent; the late declarations move only part of the rest of Iran's cargo, never
  the provinces', so every month keeps at least the three provinces' truth.
- T >= A + B − truth (T is yearly; per month the year's T bounds the month): a national figure sums
  every declaration of its reporter (Volgograd's as FCS records them, the other regions' with the
  same CIF factor, plus 0–3 % in no region). With Russia's figures, T − B is every origin's cargo
  to or from the rest of Russia, which holds the province's own (A − truth) but for the CIF margin
  of Iran's imports; with Iran's, T − A is every other origin's Russia trade, which holds B − truth
  but for the CIF margin of Volgograd's imports and the late declarations. Those margins (CIF
  <= 9 %, late <= 10 % of a month, rounding <= 1 USD a row) are covered many times over by the rest
  of Iran's trade with the rest of Russia: the rest of Iran trades 1–2.5 times what the three
  provinces trade and sends at most half of it to Volgograd (`model.REST_MAX_VGG`).
tests/test_sample_generator.py checks all of this on the written files of every world (each with its own seed).

Determinism: one `numpy.random.default_rng` per named stream, seeded with `[seed, crc32(name)]`;
the same (world, seed, scale) gives the same bytes, other seeds other worlds; the truth does not
depend on `scale`. `scale=N` splits every record into ~N tariff lines (Iran: up to 99 national
suffixes, Russia: up to 999 TN VED suffixes) within the same hs6, with whole-unit totals kept
exact, so rows grow about N times and every hs6 sum stays the same. XLSX bytes are made stable
by fixed document properties and zip timestamps.
"""

from __future__ import annotations

from pathlib import Path

from etl.sample import all_regions, comtrade, iran, manual, russia, truth, worlds
from etl.sample.catalogue import DEFAULT_SEED
from etl.sample.model import Model

README = """# Sample data — ALL FILES ARE SYNTHETIC

Every file under this folder was produced by `etl/sample/` (`python -m etl sample`) from a
seeded random model (world `{world}`, seed {seed}, scale {scale}). None of these numbers is a real
customs figure; they only have realistic magnitudes, products, seasons and file layouts. Published
real figures are in `data/reference/` and `shared/reference/published_figures.csv`.

How they were made: Gilan (IR-01), Mazandaran (IR-02), Golestan (IR-27) and the rest of Iran
trade with Russia month by month; the cargo takes corridors (river-sea vessels up the Volga, sea
to Astrakhan or Makhachkala, trucks via Astara or Upper Lars, rail via Incheh Borun, the sea route
from Bandar Abbas) and ends in a Russian region. What reaches Volgograd oblast (RU-VGG) from the
three provinces is the hidden truth, 2019-01..2025-12, per HS 2022 subheading. The sample is as
hard as reality:

- `iran_customs/` — IRICA-style files, one per province per Jalali year (1397: months 10–12,
  1404: months 1–10), Persian headers, 8-digit tariff codes, all partner countries, per customs
  office, values by Jalali month. Variants: UTF-8, UTF-8 with BOM, thousands separators, cp1256
  with Arabic ي/ك, Persian digits, an XLSX with a title row, a `دوره` column, a rial-only file.
- `russia_customs/` — FCS regional open-data files for Volgograd (OKATO 18000), 10-digit TN VED,
  all partners, {fcs_span}.
- `comtrade/` — UN Comtrade API v1 JSON, Iran (364) ↔ Russia (643), annual, HS 6-digit. Russia
  stopped reporting from 2022, so its records cover 2019–2021; Iran reports with a lag, 2019–2024
  (nothing yet for 2025). Russia's monthly records (freqCode M, 201901..202112) are there too, as
  Russia gave them to Comtrade until 2021.
- `manual/` — Volgograd's yearly trade with all of Iran (all products, per flow) as its
  administration's press figures give it, rounded to 0.1 M USD, 2019–2025: after FCS falls silent
  these are all that is known of Volgograd's side. And a few trade-house observations of one
  province's trade with Volgograd in one product and year.

The hidden truth the ETL tries to recover is in `../truth/` (never loaded by the ETL):
`bilateral_truth.csv`, `volgograd_iran_truth.csv` (what FCS would have recorded, also for the
months it did not publish) and `world.json` (the world and its measured association).
"""
ALL_REGIONS = """
Written with `--regions all`: `russia_customs/synthetic_fcs_all_regions_2021.csv` holds 2021 for every
Russian region (≈ 10 M rows; it replaces the Volgograd 2021 file, whose rows it holds unchanged), and
`iran_customs/synthetic_IR-*_1400.csv` the year 1400 of every other Iranian province — for measuring
the refresh and the queries at the size of reality (etl/sample/all_regions.py).
"""
SOURCE_FOLDERS = ("iran_customs", "russia_customs", "comtrade", "manual")
FCS_SPAN = {
    "2022-01": "2019-01..2022-01 only: FCS stopped publishing regional data after January\n  2022, so the "
               "2022 file holds January and there are no later files",
    "2025-12": "2019-01..2025-12: in this diagnosis world FCS keeps publishing, which it does\n  not in reality",
}


def generate(out_dir: Path, *, scale: int = 1, seed: int = DEFAULT_SEED, truth_dir: Path | None = None,
             world: str = "sample", regions: str = "focus") -> list[Path]:
    """Write a world's synthetic raw files to out_dir and its hidden truth to truth_dir.

    world is a name in WORLDS; truth_dir defaults to out_dir/../truth. regions "all" adds a year of
    every Russian region and Iranian province (`all_regions`, ≈ 10 M rows). Returns the written files
    (raw first, then truth).
    """
    if scale < 1:
        raise ValueError("scale must be >= 1")
    w = worlds.world(world)
    out_dir = Path(out_dir)
    truth_dir = Path(truth_dir) if truth_dir is not None else out_dir.parent / "truth"
    out_dir.mkdir(parents=True, exist_ok=True)
    m = Model(seed, w)
    written: list[Path] = []
    written += iran.write(iran.records(m, scale), out_dir)
    written += russia.write(russia.records(m, scale), out_dir)
    written += comtrade.write(m, out_dir)
    written += manual.write(m, out_dir)
    if regions == "all":
        written = [p for p in written if p.name != all_regions.REPLACES] + all_regions.write(m, out_dir, scale)
    readme = out_dir / "README.md"
    readme.write_text(README.format(world=w.name, seed=seed, scale=scale, fcs_span=FCS_SPAN[w.fcs_last])
                      + (ALL_REGIONS if regions == "all" else ""), encoding="utf-8")
    written.append(readme)
    written += truth.write(m, truth_dir, scale)
    _remove_stale(out_dir, written)
    return written


def _remove_stale(out_dir: Path, written: list[Path]) -> None:
    """Delete synthetic files an earlier run (another world or version) left in the source folders, so
    that a folder regenerated in place holds exactly this world. Only `synthetic_*` files are touched."""
    keep = {p.resolve() for p in written}
    for folder in SOURCE_FOLDERS:
        for path in sorted((out_dir / folder).glob("synthetic_*")):
            if path.is_file() and path.resolve() not in keep:
                path.unlink()
