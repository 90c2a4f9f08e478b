"""The synthetic sample and the generated worlds: deterministic, as hard as reality, consistent with their truth.

Every world is written to files and read back through the real adapters; the checks compare what
the files record with the hidden truth: the truth lies within the logical bounds
[max(0, A + B − T), min(A, B)] per product × month and per province × flow × year, the published
totals are what FCS would have counted, and each world's measured association fits its description.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

import pandas as pd
import pytest

from etl import cli, sample
from etl.sources import detect

TOL = 0.02  # USD: the truth and the spread Jalali months are each rounded to the cent
PRESS_ROUND = 50_000  # half of the press figures' 0.1 M USD
FLIP = {"export": "import", "import": "export"}
WORLD_SEEDS = {name: sample.DEFAULT_SEED + i for i, name in enumerate(sample.WORLDS)}  # a different seed each


@dataclass
class World:
    name: str
    raw: Path
    truth: pd.DataFrame  # bilateral_truth.csv
    vgg: pd.DataFrame  # volgograd_iran_truth.csv
    info: dict  # world.json
    rows: pd.DataFrame  # every raw file through its adapter

    @cached_property
    def cells(self) -> pd.DataFrame:
        return _sides(self)


def _generate(root: Path, name: str, seed: int, ref) -> World:
    raw = root / "raw"
    sample.generate(raw, world=name, seed=seed)
    frames = []
    for f in sorted(p for p in raw.rglob("*") if p.is_file() and p.name != "README.md"):
        name_in_raw = str(f.relative_to(raw))
        result = detect(f, name_in_raw).read(f, name_in_raw, ref)
        assert not result.rejects, result.rejects[:3]
        frames.append(result.rows)
    rows = pd.concat(frames, ignore_index=True)
    rows["hs6"] = rows["hs_code"].str[:6]
    return World(name, raw,
                 pd.read_csv(root / "truth" / "bilateral_truth.csv", dtype={"hs6": str}),
                 pd.read_csv(root / "truth" / "volgograd_iran_truth.csv", dtype={"hs6": str}),
                 json.loads((root / "truth" / "world.json").read_text(encoding="utf-8")), rows)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("sample") / "raw"
    return out, sample.generate(out)


@pytest.fixture(scope="module", params=list(sample.WORLDS))
def world(request, tmp_path_factory, ref) -> World:
    return _generate(tmp_path_factory.mktemp(request.param), request.param, WORLD_SEEDS[request.param], ref)


def _digest(paths: list[Path], root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def _fcs(raw: Path) -> pd.DataFrame:
    """The FCS files read independently of the adapter (three layouts)."""
    frames = []
    for f in sorted((raw / "russia_customs").glob("*.csv")):
        b = f.read_bytes()
        try:
            text, sep = b.decode("utf-8"), ","
        except UnicodeDecodeError:
            text, sep = b.decode("cp1251"), ";"
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str)
        df.columns = ["NAPR", "PERIOD", "STRANA", "TNVED", "EDIZM", "STOIM", "NETTO", "KOL", "REGION", "REGION_S"]
        df["NAPR"] = df["NAPR"].replace({"IM": "ИМ", "EX": "ЭК"})
        df["STOIM"] = pd.to_numeric(df["STOIM"].str.replace(",", "."))
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df["month"] = df["PERIOD"].str[3:] + "-" + df["PERIOD"].str[:2]
    df["hs6"] = df["TNVED"].str[:6]
    return df


def _by_month(rows: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Sum value_usd per keys + Gregorian month, spreading each row over its days (as the ETL does)."""
    parts = []
    for r in rows.itertuples(index=False):
        start, end = r.period_start.date(), r.period_end.date()
        days = (end - start).days + 1
        day = start
        while day <= end:
            nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
            last = min(end, nxt - timedelta(days=1))
            parts.append((*[getattr(r, k) for k in keys], f"{day:%Y-%m}",
                          r.value_usd * ((last - day).days + 1) / days))
            day = nxt
    return pd.DataFrame(parts, columns=[*keys, "month", "v"]).groupby([*keys, "month"])["v"].sum()


def _sides(w: World) -> pd.DataFrame:
    """Truth per province, flow (province side), hs6 and month beside A, B and the national T of each reporter."""
    r = w.rows
    iran = r[(r["source"] == "iran_customs") & (r["partner_country"] == "RU")]
    a = _by_month(iran.rename(columns={"reporter_region": "province"}), ["province", "flow", "hs6"]).rename("A")
    fcs = r[(r["source"] == "russia_customs") & (r["partner_country"] == "IR")].copy()
    fcs["flow"] = fcs["flow"].map(FLIP)  # Volgograd's imports are the provinces' exports
    b = _by_month(fcs, ["flow", "hs6"]).rename("B")
    cells = w.truth.set_index(["province", "flow", "hs6", "month"])["value_usd"].rename("truth").to_frame()
    cells = cells.join(a, how="left").reset_index()
    cells = cells.merge(b.reset_index(), on=["flow", "hs6", "month"], how="left")
    cells["year"] = cells["month"].str[:4].astype(int)
    cells["fcs"] = cells["month"] <= w.info["coverage"]["fcs_volgograd"][1]
    cells[["A", "B"]] = cells[["A", "B"]].fillna(0.0)
    ct = r[(r["source"] == "comtrade") & (r["freq"] == "A")].copy()  # the annual records (Russia's months too)
    ct["flow"] = ct["flow"].where(ct["reporter_country"] == "IR", ct["flow"].map(FLIP))
    ct["year"] = ct["period_start"].dt.year
    for rep in ("IR", "RU"):
        t = ct[ct["reporter_country"] == rep].groupby(["flow", "hs6", "year"])["value_usd"].sum().rename(f"T_{rep}")
        cells = cells.merge(t.reset_index(), on=["flow", "hs6", "year"], how="left")
    return cells


# --- determinism and labels -------------------------------------------------------------------


def test_same_seed_same_bytes(generated, tmp_path):
    out, files = generated
    again = sample.generate(tmp_path / "raw")
    assert _digest(files, out.parent) == _digest(again, tmp_path)


def test_different_seeds_give_different_worlds(generated, tmp_path):
    out, _ = generated
    sample.generate(tmp_path / "raw", seed=sample.DEFAULT_SEED + 100)
    for name in ("bilateral_truth.csv", "volgograd_iran_truth.csv"):
        assert (out.parent / "truth" / name).read_bytes() != (tmp_path / "truth" / name).read_bytes()
    ours = json.loads((out.parent / "truth" / "world.json").read_text())["by_province_flow_year"]
    theirs = json.loads((tmp_path / "truth" / "world.json").read_text())["by_province_flow_year"]
    assert [r["ln_odds_ratio"] for r in ours] != [r["ln_odds_ratio"] for r in theirs]


def test_scale_splits_lines_and_keeps_every_total(generated, tmp_path):
    out, _ = generated
    sample.generate(tmp_path / "raw", scale=3)
    for name in ("bilateral_truth.csv", "volgograd_iran_truth.csv"):
        assert (out.parent / "truth" / name).read_bytes() == (tmp_path / "truth" / name).read_bytes()
    one, three = _fcs(out), _fcs(tmp_path / "raw")
    assert len(three) > 2.5 * len(one)
    key = ["NAPR", "STRANA", "hs6", "month"]
    pd.testing.assert_series_equal(one.groupby(key)["STOIM"].sum().round(2), three.groupby(key)["STOIM"].sum().round(2))


def test_regenerating_in_place_leaves_only_this_world(tmp_path):
    raw = tmp_path / "raw"
    sample.generate(raw, world="fcs_continues")
    assert len(list((raw / "russia_customs").glob("*.csv"))) == 7
    (raw / "russia_customs" / "users_own_file.csv").write_text("kept\n")
    sample.generate(raw, world="sample")
    assert sorted(f.name for f in (raw / "russia_customs").iterdir()) == [
        *(f"synthetic_volgograd_{y}.csv" for y in range(2019, 2023)), "users_own_file.csv"]


def test_every_file_says_synthetic(generated):
    out, files = generated
    for f in files:
        if f.parent != out and f.parent.name != "truth":
            assert f.name.startswith("synthetic_"), f
    assert "ALL FILES ARE SYNTHETIC" in (out / "README.md").read_text(encoding="utf-8")
    assert json.loads((out.parent / "truth" / "world.json").read_text())["synthetic"] is True
    for f in (out / "manual").glob("*.csv"):
        assert pd.read_csv(f, dtype=str)["source_note"].str.endswith("(synthetic)").all(), f


def test_readme_says_what_the_sample_holds(generated):
    out, _ = generated
    text = " ".join((out / "README.md").read_text(encoding="utf-8").split())
    for words in ("stopped publishing regional data after January 2022", "press figures",
                  "its records cover 2019–2021", "2019–2024 (nothing yet for 2025)", "world `sample`"):
        assert words in text, words


def test_cli_writes_the_named_world_and_lists_the_worlds(tmp_path, capsys):
    assert cli.main(["sample", "--out", str(tmp_path / "raw"), "--world", "none", "--seed", "7"]) == 0
    info = json.loads((tmp_path / "truth" / "world.json").read_text())
    assert (info["world"], info["seed"], info["scale"]) == ("none", 7, 1)
    with pytest.raises(SystemExit):
        cli.main(["sample", "--help"])
    shown = capsys.readouterr().out
    assert all(name in shown for name in sample.WORLDS)
    with pytest.raises(SystemExit):
        cli.main(["sample", "--world", "atlantis"])


# --- as hard as reality --------------------------------------------------------------------


def test_fcs_stops_at_2022_01(generated):
    out, _ = generated
    months = set(_fcs(out)["month"])
    assert min(months) == "2019-01" and max(months) == "2022-01"
    assert len(months) == 37  # every month 2019-01..2022-01
    assert sorted(f.name for f in (out / "russia_customs").iterdir()) == [
        f"synthetic_volgograd_{y}.csv" for y in range(2019, 2023)]


def test_comtrade_reporters_by_year(generated):
    out, _ = generated
    years = {}
    for f in (out / "comtrade").glob("*.json"):
        for r in json.loads(f.read_text())["data"]:
            years.setdefault(r["reporterCode"], set()).add(r["refYear"])
    assert years == {643: {2019, 2020, 2021}, 364: set(range(2019, 2025))}


def test_russia_s_monthly_comtrade_tells_its_annual_records_by_month(generated):
    """Russia's monthly records (freqCode M) cover every month of 2019–2021, in the real API's period
    fields, and add up, product by product, to its annual records (each month rounded on its own)."""
    out, _ = generated
    monthly = json.loads(next((out / "comtrade").glob("synthetic_comtrade_643_*_monthly.json")).read_text())["data"]
    annual = json.loads((out / "comtrade" / "synthetic_comtrade_643_RUS_2019-2021.json").read_text())["data"]
    assert {r["freqCode"] for r in monthly} == {"M"} and {r["freqCode"] for r in annual} == {"A"}
    assert {(r["refYear"], r["refMonth"]) for r in monthly} == {(y, m) for y in range(2019, 2022) for m in range(1, 13)}
    for r in monthly:
        assert r["period"] == f"{r['refYear']}{r['refMonth']:02d}" and r["primaryValue"] > 0
        assert r["refPeriodId"] == r["refYear"] * 10000 + r["refMonth"] * 100 + 1
        assert (r["cifvalue"] is None) == (r["flowCode"] == "X")  # imports CIF, exports FOB, as the annual ones
    sums: dict = {}
    for r in monthly:
        key = (r["flowCode"], r["cmdCode"], r["refYear"])
        sums[key] = sums.get(key, 0.0) + r["primaryValue"]
    for r in annual:
        assert sums.get((r["flowCode"], r["cmdCode"], r["refYear"]), 0.0) == pytest.approx(r["primaryValue"], abs=12)


def test_truth_covers_the_provinces_and_months(generated):
    out, _ = generated
    truth = pd.read_csv(out.parent / "truth" / "bilateral_truth.csv", dtype={"hs6": str})
    assert truth["month"].min() == "2019-01" and truth["month"].max() == "2025-12"
    assert set(truth["province"]) == {"IR-01", "IR-02", "IR-27"} and set(truth["partner_region"]) == {"RU-VGG"}
    vgg = pd.read_csv(out.parent / "truth" / "volgograd_iran_truth.csv", dtype={"hs6": str})
    assert vgg["month"].nunique() == 84 and set(vgg["flow"]) == {"export", "import"}
    assert set(vgg.loc[vgg["published"] == 1, "month"]) == {m for m in vgg["month"] if m <= "2022-01"}


def test_fcs_files_are_what_fcs_would_have_recorded(world):
    """The published FCS rows = volgograd_iran_truth.csv for the months FCS published, to the cent."""
    fcs = world.rows[(world.rows["source"] == "russia_customs") & (world.rows["partner_country"] == "IR")]
    rec = fcs.assign(month=fcs["period_start"].dt.strftime("%Y-%m")).groupby(["flow", "hs6", "month"])["value_usd"]
    truth = world.vgg[world.vgg["published"] == 1].set_index(["flow", "hs6", "month"])["value_usd"]
    both = pd.concat([rec.sum(), truth], axis=1, keys=["rec", "truth"]).fillna(0)
    assert len(both) == len(truth)
    assert (both["rec"] - both["truth"]).abs().max() < 0.005


def test_press_totals_are_what_fcs_would_have_counted(world):
    manual = world.rows[world.rows["source"] == "manual"]
    press = manual[manual["hs_code"].isna()]
    assert set(zip(press["reporter_region"], press["partner_country"], press["partner_region"].isna(),
                   strict=True)) == {("RU-VGG", "IR", True)}
    press = press.assign(year=press["period_start"].dt.year).set_index(["flow", "year"])["value_usd"]
    assert sorted(press.index.get_level_values("year").unique()) == list(range(2019, 2026))
    assert (press % 100_000 == 0).all()
    vgg = world.vgg.assign(year=world.vgg["month"].str[:4].astype(int)).groupby(["flow", "year"])["value_usd"].sum()
    assert ((press - vgg.reindex(press.index)).abs() <= PRESS_ROUND).all()
    fcs = world.rows[(world.rows["source"] == "russia_customs") & (world.rows["partner_country"] == "IR")]
    fcs = fcs.assign(year=fcs["period_start"].dt.year).groupby(["flow", "year"])["value_usd"].sum()
    full_years = [y for y in range(2019, 2026) if f"{y}-12" <= world.info["coverage"]["fcs_volgograd"][1]]
    overlap = press[press.index.get_level_values("year").isin(full_years)]
    assert len(overlap) >= 6 and ((overlap - fcs.reindex(overlap.index)).abs() <= PRESS_ROUND).all()
    # and they hold the three provinces' truth, with the rest of Iran's on top
    truth = world.truth.assign(year=world.truth["month"].str[:4].astype(int), flow=world.truth["flow"].map(FLIP))
    assert (truth.groupby(["flow", "year"])["value_usd"].sum().reindex(press.index) < press).all()


def test_trade_house_observations_equal_the_truth(world):
    manual = world.rows[(world.rows["source"] == "manual") & world.rows["partner_region"].notna()]
    assert 5 <= len(manual) <= 10 and (manual["period_start"].dt.year >= 2022).sum() >= 4
    assert manual["reporter_region"].nunique() == 3 and manual["flags"].str.contains("direct").all()
    truth = world.truth.assign(year=world.truth["month"].str[:4].astype(int))
    for r in manual.itertuples():
        sel = truth[(truth["province"] == r.reporter_region) & (truth["flow"] == r.flow) & (truth["hs6"] == r.hs_code)
                    & (truth["year"] == r.period_start.year)]
        assert round(sel["value_usd"].sum(), 2) == round(r.value_usd, 2)


# --- the truth within the bounds of what the sources record --------------------------------------


def test_truth_within_bounds_per_product_and_month(world):
    cells = world.cells
    assert len(cells) > 3000
    assert (cells["truth"] <= cells["A"] + TOL).all(), cells[cells["truth"] > cells["A"] + TOL].head()
    fcs = cells[cells["fcs"]]
    assert (fcs["truth"] <= fcs["B"] + TOL).all(), fcs[fcs["truth"] > fcs["B"] + TOL].head()
    for t in ("T_IR", "T_RU"):
        has = fcs[fcs[t].notna()]
        low = has["A"] + has["B"] - has[t]
        assert len(has) and (low <= has["truth"] + TOL).all(), has[low > has["truth"] + TOL].head()


def test_truth_within_bounds_per_province_flow_and_year(world):
    cells = world.cells
    full = cells.groupby("year")["fcs"].transform("all")
    yearly = cells.groupby(["province", "flow", "year"]).agg(truth=("truth", "sum"), A=("A", "sum"))
    assert (yearly["truth"] <= yearly["A"] + TOL).all()
    per_product = cells[full].groupby(["province", "flow", "hs6", "year"]).agg(
        truth=("truth", "sum"), A=("A", "sum"), B=("B", "sum"), T_IR=("T_IR", "first"), T_RU=("T_RU", "first"))
    for t in ("T_IR", "T_RU"):
        per_product[f"low_{t}"] = (per_product["A"] + per_product["B"] - per_product[t]).clip(lower=0)
    year = per_product.groupby(["province", "flow", "year"]).sum(min_count=1)
    assert len(year) >= 18
    assert (year["truth"] <= year["B"] + TOL).all()
    for t in ("T_IR", "T_RU"):
        has = year[year[t].notna()]
        assert len(has) and (has[f"low_{t}"] <= has["truth"] + TOL).all()


def test_realised_association_is_what_world_json_says(world):
    """world.json's province share to Volgograd is the truth over the province's Iranian exports to Russia."""
    cells = world.cells
    exports = cells[cells["flow"] == "export"].groupby(["province", "year"])[["truth", "A"]].sum()
    info = pd.DataFrame(world.info["by_province_flow_year"])
    info = info[info["flow"] == "export"].set_index(["province", "year"])["province_share"]
    assert ((exports["truth"] / exports["A"] - info.reindex(exports.index)).abs() < 0.005).all()


# --- each world's association fits its description ------------------------------------------------


def _ln_or(world: World) -> pd.DataFrame:
    return pd.DataFrame(world.info["by_province_flow_year"])


def test_association_fits_the_world(world):
    ln = _ln_or(world)
    by_product = pd.DataFrame(world.info["by_province_flow_hs6_year"])["ln_odds_ratio"]
    assert len(ln) == 42 and world.info["world"] == world.name and world.info["seed"] == WORLD_SEEDS[world.name]
    yearly = ln.groupby("year")["ln_odds_ratio"].mean()
    if world.name == "none":
        assert ln["ln_odds_ratio"].abs().median() < 0.1 and by_product.abs().median() < 0.15
    elif world.name == "strong":
        assert ln["ln_odds_ratio"].median() > 1.5 and ln["ln_odds_ratio"].quantile(0.1) > 1.0
    elif world.name in ("sample", "fcs_continues"):
        assert 0.2 < ln["ln_odds_ratio"].median() < 1.5
        assert (by_product < 0).mean() > 0.05  # sometimes weaker than independence
        assert by_product.quantile(0.9) - by_product.quantile(0.1) > 0.8  # varies by province, product, year
        assert ln.groupby(["province", "flow"])["ln_odds_ratio"].mean().std() > 0.2
    elif world.name == "drifting":
        assert abs(yearly[2019]) < 0.5 and yearly[2025] - yearly[2019] > 1.0
        assert (yearly.diff().dropna() > -0.1).all()
    elif world.name == "route_shift":
        assert yearly[[2019, 2020, 2021]].mean() - yearly[[2023, 2024, 2025]].mean() > 0.7
    else:
        pytest.fail(f"no expectation for world {world.name}")


def test_fcs_coverage_of_each_world(world):
    months = world.rows.loc[world.rows["source"] == "russia_customs", "period_start"].dt.strftime("%Y-%m")
    last = "2025-12" if world.name == "fcs_continues" else "2022-01"
    assert months.min() == "2019-01" and months.max() == last == world.info["coverage"]["fcs_volgograd"][1]
