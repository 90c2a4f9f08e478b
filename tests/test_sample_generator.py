"""The synthetic sample generator: deterministic, honest about its hole, consistent with its truth."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from etl import sample


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("sample") / "raw"
    return out, sample.generate(out)


def _digest(paths: list[Path], root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def _fcs(raw: Path) -> pd.DataFrame:
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


def test_same_seed_same_bytes(generated, tmp_path):
    out, files = generated
    again = sample.generate(tmp_path / "raw")
    assert _digest(files, out.parent) == _digest(again, tmp_path)


def test_every_file_says_synthetic(generated):
    out, files = generated
    for f in files:
        if f.parent != out and f.parent.name != "truth":
            assert f.name.startswith("synthetic_"), f


def test_fcs_hole_and_truth_cover(generated):
    out, _ = generated
    fcs = _fcs(out)
    months = set(fcs["month"])
    assert "2022-01" in months and "2023-01" in months
    assert not any("2022-02" <= m <= "2022-12" for m in months)
    truth = pd.read_csv(out.parent / "truth" / "bilateral_truth.csv", dtype={"hs6": str})
    assert truth["month"].min() == "2019-01" and truth["month"].max() == "2025-12"
    assert set(truth["province"]) == {"IR-01", "IR-02", "IR-27"}


def test_volgograd_iran_at_least_truth_and_national_at_least_regional(generated):
    out, _ = generated
    fcs = _fcs(out)
    ir = fcs[fcs["STRANA"] == "IR"]
    truth = pd.read_csv(out.parent / "truth" / "bilateral_truth.csv", dtype={"hs6": str})
    truth["NAPR"] = truth["flow"].map({"export": "ИМ", "import": "ЭК"})
    t = truth.groupby(["NAPR", "hs6", "month"])["value_usd"].sum()
    b = ir.groupby(["NAPR", "hs6", "month"])["STOIM"].sum()
    both = pd.concat([t, b], axis=1, keys=["t", "b"]).dropna()
    assert len(both) > 1000 and (both["b"] >= both["t"]).all()
    # Comtrade: Russia's national flow with Iran >= Volgograd's, per hs6 and year
    data = json.loads(next((out / "comtrade").glob("*643*.json")).read_text())["data"]
    nat = {(r["flowCode"], r["cmdCode"], str(r["refYear"])): r["primaryValue"] for r in data}
    ir = ir.assign(year=ir["month"].str[:4])
    for (napr, hs6, year), v in ir.groupby(["NAPR", "hs6", "year"])["STOIM"].sum().items():
        assert nat[("M" if napr == "ИМ" else "X", hs6, year)] >= v


def test_manual_rows_equal_truth(generated):
    out, _ = generated
    manual = pd.read_csv(next((out / "manual").glob("*.csv")), dtype=str)
    truth = pd.read_csv(out.parent / "truth" / "bilateral_truth.csv", dtype=str)
    assert 3 <= len(manual) <= 6
    for _, r in manual.iterrows():
        sel = truth[(truth["province"] == r["reporter_region"]) & (truth["flow"] == r["flow"])
                    & (truth["hs6"] == r["hs_code"]) & truth["month"].str.startswith(r["period"])]
        cents = sum(int(v.replace(".", "")) for v in sel["value_usd"])
        assert cents == int(r["value_usd"].replace(".", ""))
