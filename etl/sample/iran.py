"""Iranian customs (IRICA) files of the sample: one per province and Jalali year, in varied layouts.

Russia rows: the province's trade with Russia per customs office (the gateway of its corridor, or its
inland office for cargo trucked to a gateway elsewhere), FOB for exports and CIF for imports,
rounded *up* to whole dollars and kg. Other partners: drawn on the Jalali grid around the province's
trade. Rial = USD × the month's rate (`catalogue.irr_per_usd` of the Jalali month's first day).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from etl.sample.catalogue import (
    FIXED_TIME,
    GROWTH,
    IR_EXTRAS,
    IR_PARTNERS,
    MODE_FA,
    OFFICE_MODE,
    OTHER_IR_PARTNERS,
    PARTNER_PREF,
    PRODUCTS,
    PROVINCES,
    SEASON,
    irr_per_usd,
    other_office,
    price_index,
)
from etl.sample.lines import ceil_int, split_lines
from etl.sample.model import Model, rng

FLOW_FA = {"export": "صادرات", "import": "واردات"}
PERSIAN_DIGITS = str.maketrans("0123456789,", "۰۱۲۳۴۵۶۷۸۹٬")
ARABIC_LETTERS = str.maketrans({"ی": "ي", "ک": "ك"})

# (province, Jalali year) -> file variant. Default: UTF-8 CSV, سال + ماه, plain numbers, «روسیه».
VARIANTS = {
    ("IR-01", 1397): {"encoding": "cp1256"},
    ("IR-01", 1398): {"encoding": "cp1256"},
    ("IR-01", 1399): {"digits": "persian"},
    ("IR-01", 1401): {"thousands": True},
    ("IR-02", 1397): {"thousands": True},
    ("IR-02", 1398): {"thousands": True},
    ("IR-02", 1401): {"russia": "فدراسیون روسیه"},
    ("IR-02", 1402): {"period": "dore"},
    ("IR-02", 1403): {"encoding": "utf-8-sig"},
    ("IR-02", 1404): {"thousands": True},
    ("IR-27", 1398): {"usd": False},
    ("IR-27", 1399): {"russia": "فدراسیون روسیه"},
    ("IR-27", 1400): {"russia": "فدراسیون روسیه"},
    ("IR-27", 1403): {"xlsx": True},
}


def records(m: Model, scale: int) -> pd.DataFrame:
    g = m.grid
    jy = np.array([y for y, _ in g.jal])
    jm = np.array([mm for _, mm in g.jal])
    frames = []
    for k, prov, flow, hs6 in m.series():
        cif = m.cif_ir[k]
        for office, val in m.office_val[(k, prov)].items():
            frames.append(pd.DataFrame({"prov": prov, "flow": flow, "hs6": hs6, "partner": "RU", "office": office,
                                        "jy": jy, "jm": jm, "usd": ceil_int(val * cif),
                                        "kg": np.maximum(ceil_int(m.office_kg[(k, prov)][office]), 1)})[val > 0])
    frames += _other_partners(m)
    df = pd.concat(frames, ignore_index=True)
    n = min(scale, 99)
    df, line = split_lines(df, ["prov", "flow", "hs6", "partner", "office"], n, rng(m.seed, f"iran-lines-{n}"),
                           ["usd", "kg"])
    suffix = np.array(["00"]) if n == 1 else np.array([f"{i + 1:02d}" for i in range(n)])
    df["code"] = df["hs6"] + suffix[line]
    df = df[df["usd"] >= 1].copy()
    df["kg"] = np.maximum(df["kg"], 1)
    rate = {(y, mm): irr_per_usd(d) for (y, mm), d in zip(g.jal, g.start, strict=True)}
    df["irr"] = df["usd"].astype(np.int64) * np.array([rate[(y, mm)] for y, mm in zip(df["jy"], df["jm"],
                                                                                       strict=True)], dtype=np.int64)
    order = ["prov", "jy", "jm", "flow", "code", "partner", "office"]
    return df.sort_values(order, kind="stable").reset_index(drop=True)


def _other_partners(m: Model) -> list[pd.DataFrame]:
    """The provinces' trade with other countries, drawn on the Jalali grid (not part of the truth)."""
    g, draw = m.grid, rng(m.seed, "iran-others")
    jy = np.array([y for y, _ in g.jal])
    jm = np.array([mm for _, mm in g.jal])
    specs = [(prov, flow, hs6, float(m.X[k, list(PROVINCES).index(prov)][g.year == 2019].sum()) * 0.35, 0.9)
             for k, prov, flow, hs6 in m.series()]
    specs += [(prov, flow, hs6, base, None) for prov, flow, hs6, base in IR_EXTRAS]
    frames = []
    for prov, flow, hs6, base, mult in specs:
        k = int(draw.integers(2, 5))
        p = np.array(PARTNER_PREF[prov]) / np.sum(PARTNER_PREF[prov])
        partners = draw.choice(OTHER_IR_PARTNERS, size=k, replace=False, p=p)
        shares = draw.dirichlet(np.full(k, 2.0))
        season = SEASON[PRODUCTS[hs6][3]][g.month - 1]
        growth = np.array([GROWTH["other"][y] for y in g.year])
        price = PRODUCTS[hs6][2] * price_index(hs6, g.year)
        for partner, sh in zip(partners, shares, strict=True):
            annual = base * (mult * np.exp(draw.normal(0, 0.8)) if mult else sh)
            active = draw.random(g.J) < 0.7
            v = annual / 12 * season * growth * np.exp(draw.normal(-0.06, 0.35, g.J)) * active / 0.7
            kg = v / (price * np.exp(draw.normal(0, 0.08, g.J)))
            frames.append(pd.DataFrame({"prov": prov, "flow": flow, "hs6": hs6, "partner": partner,
                                        "office": other_office(prov, str(partner)), "jy": jy, "jm": jm,
                                        "usd": np.floor(v + 0.5).astype(np.int64),
                                        "kg": np.floor(kg + 0.5).astype(np.int64)})[active])
    return frames


def _fmt_int(s: pd.Series, thousands: bool, persian: bool) -> pd.Series:
    """Integers as text; Persian digits use the Persian thousands separator ٬ for amounts."""
    s = s.map("{:,}".format) if thousands else s.astype(str)
    return s.str.translate(PERSIAN_DIGITS) if persian else s


def write(df: pd.DataFrame, out: Path) -> list[Path]:
    written = []
    folder = out / "iran_customs"
    folder.mkdir(parents=True, exist_ok=True)
    for (prov, jy), g in df.groupby(["prov", "jy"], sort=True):
        var = VARIANTS.get((prov, int(jy)), {})
        persian = var.get("digits") == "persian"
        thousands = bool(var.get("thousands"))
        names = {**IR_PARTNERS, "RU": var.get("russia", IR_PARTNERS["RU"])}
        t = pd.DataFrame({
            "نوع جریان": g["flow"].map(FLOW_FA),
            "استان": PROVINCES[prov][0],
            "گمرک": g["office"],
            "کد تعرفه": g["code"],
            "شرح کالا": g["hs6"].map(lambda h: PRODUCTS[h][0]),
            "کشور طرف معامله": g["partner"].map(names),
        })
        if var.get("period") == "dore":
            t["دوره"] = [f"{y}/{mm:02d}" for y, mm in zip(g["jy"], g["jm"], strict=True)]
        else:
            t["سال"] = _fmt_int(g["jy"], False, persian).to_numpy()
            t["ماه"] = _fmt_int(g["jm"], False, persian).to_numpy()
        if var.get("xlsx"):
            t["سال"] = g["jy"].to_numpy()  # numeric cells in the workbook
            t["ماه"] = g["jm"].to_numpy()
            t["نوع حمل"] = g["office"].map(lambda o: MODE_FA[OFFICE_MODE[o]])
            t["وزن خالص (کیلوگرم)"] = g["kg"].to_numpy()
            t["ارزش دلاری"] = g["usd"].to_numpy()
            t["ارزش ریالی"] = g["irr"].to_numpy()
            path = folder / f"synthetic_{prov}_{PROVINCES[prov][1]}_{jy}.xlsx"
            title = f"آمار تجارت خارجی استان {PROVINCES[prov][0]} — سال {jy} — داده مصنوعی (synthetic)"
            _write_xlsx(t, path, title)
            written.append(path)
            continue
        sep = thousands or persian  # amounts only, never year/month
        t["وزن خالص (کیلوگرم)"] = _fmt_int(g["kg"], sep, persian).to_numpy()
        if var.get("usd", True):
            t["ارزش دلاری"] = _fmt_int(g["usd"], sep, persian).to_numpy()
        t["ارزش ریالی"] = _fmt_int(g["irr"], sep, persian).to_numpy()
        enc = var.get("encoding", "utf-8")
        path = folder / f"synthetic_{prov}_{PROVINCES[prov][1]}_{jy}.csv"
        if enc == "cp1256":
            t = t.rename(columns=lambda c: c.translate(ARABIC_LETTERS))
            for c in t.columns:
                if not pd.api.types.is_numeric_dtype(t[c]):
                    t[c] = t[c].astype(str).str.translate(ARABIC_LETTERS)
            t.to_csv(path, index=False, encoding="cp1256", lineterminator="\r\n")
        else:
            t.to_csv(path, index=False, encoding=enc, lineterminator="\n")
        written.append(path)
    return written


def _write_xlsx(t: pd.DataFrame, path: Path, title: str) -> None:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("آمار")
    ws.append([title])
    ws.append(list(t.columns))
    for row in t.itertuples(index=False, name=None):
        ws.append([v.item() if isinstance(v, np.generic) else v for v in row])
    wb.properties.creator = "Caspian Trade Monitor sample generator (synthetic)"
    wb.properties.title = title
    wb.properties.created = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    _stable_zip(buf.getvalue(), path)


def _stable_zip(data: bytes, path: Path) -> None:
    """Rewrite an XLSX with fixed zip timestamps and a fixed dcterms:modified."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
                body = re.sub(rb"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, body)
    path.write_bytes(out.getvalue())
