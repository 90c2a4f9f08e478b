"""A SYNTHETIC year of every region (`python -m etl sample --regions all`), for the refresh and the
queries at the size of reality: an FCS year for every Russian region in data/reference/regions.csv ×
partner countries × TN VED codes × 12 months (about 10 M rows at scale 1), and Iranian customs files
for every other Iranian province.

- Russia, 2021 (the last full year FCS published): one file, as the FCS open-data portal gives a
  year of regional data — `russia_customs/synthetic_fcs_all_regions_2021.csv`, UTF-8, comma, the
  Russian header, ≈ 1.2 GB. It replaces the sample's Volgograd 2021 file: Volgograd's rows in it are
  those rows, unchanged (so the truth and the estimate are the sample's). The other regions' trade
  with Iran is the model's (each origin's cargo to the region it ends in, CIF as FCS records it),
  so that every region's Iran rows add up to Russia's national figure in Comtrade (less the share
  no region holds). Their trade with every other partner is drawn: Moscow, St Petersburg and Moscow
  oblast hold most rows, most region × partner × code cells are empty, a line trades in 1–12 months
  (five on average), values are lognormal, units follow the code (none for most, as FCS writes them).
  As in reality, a few rows are wrong (a partner outside the FCS list, a negative value, a
  thirteenth month, a repeated row): they are rejected, and the file still loads.
- Iran, 1400 (2021-03-21 .. 2022-03-20): one file per other province, in the IRICA layout, some in
  Windows-1256 with thousands separators. Their trade with Russia is the model's "rest of Iran",
  split over the provinces (so Iran's provinces add up to Iran's national figure); with the other
  partners it is drawn, Tehran, Bushehr, Hormozgan and Khuzestan the largest.

`scale` keeps its meaning: each record is split into about `scale` tariff lines (at most 9 here:
the drawn codes already fill the TN VED), so rows grow about `scale` times.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from etl.paths import REFERENCE
from etl.sample import russia
from etl.sample.catalogue import IR_PARTNERS, PRODUCTS, PROVINCES, irr_per_usd
from etl.sample.iran import ARABIC_LETTERS
from etl.sample.model import Model, rng
from etl.sample.routes import REGIONS

YEAR = 2021
JYEAR = 1400
TARGET_ROWS = 10_000_000
FILE = f"synthetic_fcs_all_regions_{YEAR}.csv"
REPLACES = f"synthetic_volgograd_{YEAR}.csv"
HEADER = ["NAPR", "PERIOD", "STRANA", "TNVED", "EDIZM", "STOIM", "NETTO", "KOL", "REGION", "REGION_S"]
# shares of the drawn rows held by the largest reporters, as in FCS data; the rest lognormal
BIG_REGIONS = {"RU-MOW": 0.26, "RU-SPE": 0.11, "RU-MOS": 0.07}
BIG_PARTNERS = {"CN": 8.0, "DE": 5.0, "BY": 5.0, "KZ": 4.0, "TR": 3.5, "IT": 3.0, "US": 3.0, "NL": 2.5,
                "KR": 2.5, "JP": 2.0, "FR": 2.0, "PL": 2.0, "UZ": 1.8, "IN": 1.8}
UNITS = ["", "", "", "", "", "", "ШТ", "ШТ", "Л", "ПАР", "М2", "1000 ШТ", "КГ"]  # FCS additional units
BIG_PROVINCES = {"IR-23": 6.0, "IR-06": 4.0, "IR-22": 4.0, "IR-10": 3.0, "IR-04": 2.0, "IR-07": 1.5}
IRAN_TARGET_ROWS = 800_000
IRAN_HEADER = ["نوع جریان", "استان", "گمرک", "کد تعرفه", "شرح کالا", "کشور طرف معامله", "سال", "ماه",
               "وزن خالص (کیلوگرم)", "ارزش دلاری", "ارزش ریالی"]


def write(m: Model, out: Path, scale: int, *, rows: int = TARGET_ROWS,
          iran_rows: int = IRAN_TARGET_ROWS) -> list[Path]:
    """Write the all-regions files into out/russia_customs and out/iran_customs; returns them."""
    regions = _regions()
    parts = [_volgograd(m, scale), _iran_partner(m, regions), _drawn(m, regions, rows, scale), _faults(m, regions)]
    folder = out / "russia_customs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE
    _write_fcs(pd.concat(parts, ignore_index=True), regions, path)
    return [path, *_iran_provinces(m, out, iran_rows)]


# ------------------------------------------------------------------ Russia

def _regions() -> pd.DataFrame:
    r = pd.read_csv(REFERENCE / "regions.csv", dtype=str, keep_default_na=False)
    r = r[(r["country"] == "RU") & (r["okato"] != "")].reset_index(drop=True)
    r["region"] = r["okato"] + " - " + r["name_ru"].str.upper()
    return r[["code", "okato", "region"]]


def _volgograd(m: Model, scale: int) -> pd.DataFrame:
    """The sample's own Volgograd rows of the year, as its Volgograd file would hold them."""
    df = russia.records(m, scale)
    df = df[df["y"] == YEAR]
    return pd.DataFrame({"code": "RU-VGG", "napr": df["napr"], "month": df["m"], "strana": df["strana"],
                         "tnved": df["tnved"], "unit": df["edizm"], "cents": df["cents"],
                         "centikg": df["centikg"], "kol": df["kol"]})


def _iran_partner(m: Model, regions: pd.DataFrame) -> pd.DataFrame:
    """Every other region's trade with Iran in the model's products: the cargo of every origin that
    ends in the region, CIF on Russia's imports, rounded down to the cent (what no region holds
    stays with "other", spread over the regions the model does not name)."""
    g = m.grid
    months = np.flatnonzero(np.array([p.year == YEAR for p in g.greg]))
    draw = rng(m.seed, "all-regions-iran")
    unnamed = [c for c in regions["code"] if c not in REGIONS and c != "RU-VGG"]
    spread = draw.dirichlet(np.full(len(unnamed), 0.3))
    frames = []
    for r, code in enumerate(REGIONS):
        if code == "RU-VGG":
            continue
        val = g.to_gregorian(m.F[:, :, :, r, :].sum(axis=(1, 2)))[:, months] * m.cif_ru[:, months]  # [K, 12]
        kg = g.to_gregorian(m.Fkg[:, :, :, r, :].sum(axis=(1, 2)))[:, months]
        targets = [(code, 1.0)] if code != "other" else list(zip(unnamed, spread, strict=True))
        for target, share in targets:
            for k, (flow, hs6) in enumerate(m.groups):
                cents = np.floor(val[k] * share * 100).astype(np.int64)
                centikg = np.maximum(np.floor(kg[k] * share * 100), 1).astype(np.int64)
                keep = cents >= 1
                if not keep.any():
                    continue
                unit = PRODUCTS[hs6][4]
                frames.append(pd.DataFrame({
                    "code": target, "napr": russia.napr(flow), "month": np.arange(1, 13)[keep], "strana": "IR",
                    "tnved": hs6 + "0000", "unit": unit, "cents": cents[keep], "centikg": centikg[keep],
                    "kol": np.where(unit == "ШТ", np.maximum(np.round(centikg[keep] / 100 * PRODUCTS[hs6][5]), 1),
                                    centikg[keep] / 100)}))
    return pd.concat(frames, ignore_index=True)


def _hs6() -> np.ndarray:
    from etl.warehouse import hs_nomenclature

    codes = hs_nomenclature()
    return codes[codes["level"] == "6"]["code"].dropna().sort_values().to_numpy()


def _drawn(m: Model, regions: pd.DataFrame, rows: int, scale: int) -> pd.DataFrame:
    """Every region's trade with the other partners: lines (region, partner, TN VED, direction) drawn
    with skewed weights, each active in 1–12 months of the year."""
    draw = rng(m.seed, "all-regions-drawn")
    codes = regions["code"].to_numpy()
    region_w = np.exp(draw.normal(0, 1.2, len(codes)))
    rest = 1 - sum(BIG_REGIONS.values())
    region_w = region_w / region_w[~np.isin(codes, list(BIG_REGIONS))].sum() * rest
    for code, share in BIG_REGIONS.items():
        region_w[codes == code] = share
    region_w[codes == "FCS-NNNNN"] = 0.0005
    region_w[codes == "RU-VGG"] = 0  # Volgograd's rows are the sample's own
    region_w /= region_w.sum()
    countries = pd.read_csv(REFERENCE / "countries.csv", dtype=str, keep_default_na=False)
    partners = countries[(countries["kind"] != "special") & ~countries["iso2"].isin(["IR", "RU"])]["iso2"].to_numpy()
    partner_w = np.exp(draw.normal(0, 1.3, len(partners)))
    for iso, boost in BIG_PARTNERS.items():
        partner_w[partners == iso] *= boost * 10
    partner_w /= partner_w.sum()
    hs6 = _hs6()
    n_lines = draw.integers(1, 4, len(hs6))  # TN VED codes per subheading
    suffixes = np.array(["0000", "9000", "1000", "2000", "8000", "5000"])
    tnved = np.concatenate([[h + s for s in suffixes[:n]] for h, n in zip(hs6, n_lines, strict=True)])
    product_w = np.exp(draw.normal(0, 1.8, len(tnved)))
    product_w /= product_w.sum()
    price = np.exp(draw.normal(1.5, 1.4, len(tnved)))  # USD per kg
    unit = draw.choice(np.array(UNITS), len(tnved))
    per_unit = np.exp(draw.normal(0, 1.2, len(tnved)))  # units per kg
    n = max(1, min(scale, 9))
    lines_wanted = int(rows / n / 4.6)
    key = np.unique(_line_keys(draw, lines_wanted, region_w, partner_w, product_w))
    while len(key) < lines_wanted:  # the large cells are drawn many times: draw on until enough are distinct
        more = _line_keys(draw, (lines_wanted - len(key)) * 2, region_w, partner_w, product_w)
        key = np.union1d(key, more)
    key = np.sort(draw.permutation(key)[:lines_wanted])
    r, p, t, f = _split_keys(key, len(partners), len(tnved))
    months_active = np.clip(np.ceil(12 * draw.random(len(key)) ** 1.6), 1, 12).astype(np.int8)
    order = np.argsort(draw.random((len(key), 12), dtype=np.float32), axis=1)
    active = np.argsort(order, axis=1) < months_active[:, None]  # the first k of a random order of months
    line, month = np.nonzero(active)
    level = np.exp(draw.normal(8.5, 1.9, len(key))) * (region_w[r] * len(codes)) ** 0.25
    value = level[line] * np.exp(draw.normal(-0.125, 0.5, len(line)))
    cents = np.maximum(np.floor(value * 100 + 0.5), 1).astype(np.int64)
    centikg = np.maximum(np.floor(value / price[t[line]] * np.exp(draw.normal(0, 0.1, len(line))) * 100 + 0.5),
                         1).astype(np.int64)
    u = unit[t[line]]
    kol = np.where(u == "", 0.0, np.where(u == "КГ", centikg / 100,
                                         np.maximum(np.round(centikg / 100 * per_unit[t[line]]), 1)))
    df = pd.DataFrame({"code": codes[r[line]], "napr": np.where(f[line] == 0, "ИМ", "ЭК"), "month": month + 1,
                       "strana": partners[p[line]], "tnved": tnved[t[line]], "unit": u, "cents": cents,
                       "centikg": centikg, "kol": kol})
    return _split(df, n, draw)


def _line_keys(draw, size: int, region_w, partner_w, product_w) -> np.ndarray:
    r = draw.choice(len(region_w), size, p=region_w).astype(np.int64)
    p = draw.choice(len(partner_w), size, p=partner_w).astype(np.int64)
    t = draw.choice(len(product_w), size, p=product_w).astype(np.int64)
    f = (draw.random(size) < 0.45).astype(np.int64)  # exports are fewer lines than imports
    return ((r * len(partner_w) + p) * len(product_w) + t) * 2 + f


def _split_keys(key: np.ndarray, n_partners: int, n_products: int) -> tuple[np.ndarray, ...]:
    f = key % 2
    rest = key // 2
    t = rest % n_products
    rest //= n_products
    return rest // n_partners, rest % n_partners, t, f


def _split(df: pd.DataFrame, n: int, draw) -> pd.DataFrame:
    """`scale`: each record into about n lines (codes of the same subheading), totals kept."""
    if n == 1:
        return df
    parts = draw.integers(1, n + 1, len(df))
    out = df.loc[df.index.repeat(parts)].reset_index(drop=True)
    line = np.concatenate([np.arange(k) for k in parts])
    share = np.repeat(1.0 / parts, parts)
    out["tnved"] = out["tnved"].str[:9] + pd.Series(line + 1).astype(str).to_numpy()  # 8471300000 -> …0001
    for c in ("cents", "centikg"):
        out[c] = np.maximum(np.floor(out[c] * share), 1).astype(np.int64)
    out["kol"] = np.round(out["kol"] * share, 2)
    return out


def _faults(m: Model, regions: pd.DataFrame) -> pd.DataFrame:
    """A few rows wrong as real files have them: a partner outside the FCS list, a negative value, a
    thirteenth month, and three rows repeated (rejected as duplicates of the first)."""
    draw = rng(m.seed, "all-regions-faults")
    codes = regions["code"][regions["code"] != "RU-VGG"].to_numpy()
    base = {"napr": "ИМ", "unit": "ШТ", "centikg": 120000, "kol": 100.0}
    rows = []
    for i in range(30):
        code = str(draw.choice(codes))
        kind = i % 4
        rows.append({**base, "code": code, "month": 13 if kind == 2 else int(draw.integers(1, 13)),
                     "strana": "ZZ" if kind == 0 else "CN", "cents": -500 if kind == 1 else 1234500,
                     "tnved": f"84715077{i:02d}"})  # codes no drawn line has
        if kind == 3:
            rows.append(rows[-1])
    return pd.DataFrame(rows)


def _write_fcs(df: pd.DataFrame, regions: pd.DataFrame, path: Path) -> None:
    """The year in the FCS open-data layout, sorted as FCS sorts (direction, period, country, code,
    region), written by DuckDB (a 10 M-row CSV in seconds)."""
    name = dict(zip(regions["code"], regions["region"], strict=True))
    df["region"] = df["code"].map(name)
    df["period"] = df["month"].map(lambda mm: f"{mm:02d}/{YEAR}")
    table = pa.Table.from_pandas(df[["napr", "period", "strana", "tnved", "unit", "cents", "centikg", "kol",
                                     "region", "month"]], preserve_index=False)
    con = duckdb.connect(config={"memory_limit": "3GB", "preserve_insertion_order": "true"})
    try:
        con.register("fcs", table)
        con.execute(
            "copy (select napr as NAPR, period as PERIOD, strana as STRANA, tnved as TNVED, nullif(unit, '') as EDIZM, "
            "(cents / 100)::decimal(18, 2) as STOIM, (centikg / 100)::decimal(18, 2) as NETTO, "
            "round(kol, 2)::decimal(18, 2) as KOL, region as REGION, null as REGION_S "
            "from fcs order by napr, month, strana, tnved, region) to $path (header, delimiter ',', quote '\"')",
            {"path": str(path)})
    finally:
        con.close()


# ------------------------------------------------------------------ Iran

def _iran_provinces(m: Model, out: Path, rows: int) -> list[Path]:
    """One IRICA file per other Iranian province for Jalali 1400."""
    g = m.grid
    draw = rng(m.seed, "all-regions-iran-provinces")
    regions = pd.read_csv(REFERENCE / "regions.csv", dtype=str, keep_default_na=False)
    others = regions[(regions["country"] == "IR") & ~regions["code"].isin(list(PROVINCES))]
    weight = np.exp(draw.normal(0, 0.8, len(others)))
    for code, boost in BIG_PROVINCES.items():
        weight[others["code"].to_numpy() == code] *= boost
    weight /= weight.sum()
    countries = pd.read_csv(REFERENCE / "countries.csv", dtype=str, keep_default_na=False)
    countries = countries[(countries["kind"] == "iso") & (countries["name_fa"] != "")
                          & ~countries["iso2"].isin(["IR", "RU"])]
    partners = countries["iso2"].to_numpy()
    partner_w = np.exp(draw.normal(0, 1.5, len(partners)))
    world = {"partners": partners, "partner_w": partner_w / partner_w.sum(), "hs6": _hs6(),
             "fa": dict(zip(countries["iso2"], countries["name_fa"], strict=True)) | IR_PARTNERS}
    world["product_w"] = np.exp(draw.normal(0, 1.8, len(world["hs6"])))
    world["product_w"] /= world["product_w"].sum()
    jmonths = np.flatnonzero(np.array([y == JYEAR for y, _ in g.jal]))
    rate = np.array([irr_per_usd(g.start[j]) for j in jmonths], dtype=np.int64)
    folder = out / "iran_customs"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i, (code, name) in enumerate(zip(others["code"], others["name_fa"], strict=True)):
        df = pd.concat([_rest_of_iran(m, jmonths, weight[i]), _drawn_iran(draw, world, int(rows * weight[i]))],
                       ignore_index=True).sort_values(["jm", "flow", "code", "partner"], kind="stable")
        path = folder / f"synthetic_{code}_{JYEAR}.csv"
        _write_iran(df, name, world["fa"], rate, path, cp1256=i % 4 == 1, thousands=i % 3 == 2)
        written.append(path)
    return written


def _rest_of_iran(m: Model, jmonths: np.ndarray, share: float) -> pd.DataFrame:
    """The province's share of the model's rest-of-Iran trade with Russia (FOB exports, CIF imports)."""
    roi = len(PROVINCES)  # the rest of Iran among the model's origins
    frames = []
    for k, (flow, hs6) in enumerate(m.groups):
        x = m.X[k, roi, jmonths] * share
        usd = np.floor(x * m.cif_ir[k, jmonths] + 0.5).astype(np.int64)
        kg = np.maximum(np.floor(x / m.price[k, roi, jmonths] + 0.5), 1).astype(np.int64)
        keep = usd >= 1
        frames.append(pd.DataFrame({"flow": flow, "code": hs6 + "00", "partner": "RU",
                                    "jm": np.arange(1, len(jmonths) + 1), "usd": usd, "kg": kg})[keep])
    return pd.concat(frames, ignore_index=True)


def _drawn_iran(draw, world: dict, rows: int) -> pd.DataFrame:
    """The province's trade with the other partners: lines (code, partner, flow) active in 1–12 months."""
    n = max(1, rows // 5)
    lines = pd.DataFrame({"t": draw.choice(len(world["hs6"]), n, p=world["product_w"]),
                          "p": draw.choice(len(world["partners"]), n, p=world["partner_w"]),
                          "f": np.where(draw.random(n) < 0.5, "export", "import")}).drop_duplicates()
    months = np.clip(np.ceil(12 * draw.random(len(lines)) ** 1.5), 1, 12).astype(int)
    rep = lines.loc[lines.index.repeat(months)].reset_index(drop=True)
    value = np.exp(draw.normal(8.0, 1.8, len(rep)))
    return pd.DataFrame({
        "flow": rep["f"], "code": world["hs6"][rep["t"].to_numpy()] + "00", "partner": world["partners"][rep["p"]],
        "jm": np.concatenate([draw.permutation(12)[:k] + 1 for k in months]),
        "usd": np.maximum(np.floor(value), 1).astype(np.int64),
        "kg": np.maximum(np.floor(value / np.exp(draw.normal(1.2, 1.2, len(rep)))), 1).astype(np.int64)})


def _encodes(text: str) -> bool:
    try:
        text.encode("cp1256")
        return True
    except UnicodeEncodeError:
        return False


def _write_iran(df: pd.DataFrame, province: str, partner_fa: dict, rate: np.ndarray, path: Path, *,
                cp1256: bool, thousands: bool) -> None:
    def fmt(s: pd.Series) -> pd.Series:
        return s.map("{:,}".format) if thousands else s.astype(str)

    t = pd.DataFrame({
        IRAN_HEADER[0]: df["flow"].map({"export": "صادرات", "import": "واردات"}), IRAN_HEADER[1]: province,
        IRAN_HEADER[2]: "", IRAN_HEADER[3]: df["code"], IRAN_HEADER[4]: "",
        IRAN_HEADER[5]: df["partner"].map(partner_fa), IRAN_HEADER[6]: JYEAR, IRAN_HEADER[7]: df["jm"],
        IRAN_HEADER[8]: fmt(df["kg"]), IRAN_HEADER[9]: fmt(df["usd"]),
        IRAN_HEADER[10]: fmt(df["usd"] * rate[df["jm"].to_numpy() - 1]),
    })
    if not cp1256:
        t.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        return
    t = t.rename(columns=lambda c: c.translate(ARABIC_LETTERS))  # as Iranian systems write them
    for c in t.columns[[0, 1, 5]]:
        t[c] = t[c].astype(str).str.translate(ARABIC_LETTERS)
    partner = t.columns[5]  # a name Windows-1256 cannot write goes by its ISO code, as such systems do
    t[partner] = t[partner].where([_encodes(v) for v in t[partner]], df["partner"].to_numpy())
    t.to_csv(path, index=False, encoding="cp1256", lineterminator="\r\n")
