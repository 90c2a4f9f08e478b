"""Real files as published load whole, with their exact totals.

The files are read from ../shared/reference/real/ (never copied into the project). Each file's own
sums are computed here independently of the ETL, with the csv module (or json) and Decimal, and
compared in cents with what `validate` accepts and what a refresh puts into core.flows.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from etl import cli, refresh
from tests.conftest import SHARED_REAL, query

OPENCUSTOMS = SHARED_REAL / "opencustoms"
FCS_FILES = [OPENCUSTOMS / "bermudi.csv", OPENCUSTOMS / "moscow_2208301100.csv", OPENCUSTOMS / "moscow_2208301900.csv",
             OPENCUSTOMS / "moscow_2208509100.csv", SHARED_REAL / "fcs_regions_ru.csv"]
COMTRADE_FILE = SHARED_REAL / "comtrade_v1_get_C_A_HS.json"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"the real reference files are absent ({path} not found; they live in ../shared/reference/real/)")
    return path


def cents(values) -> int:
    return sum(int((Decimal(str(v)) * 100).to_integral_value()) for v in values)


def fcs_sums(path: Path) -> dict[str, object]:
    """The FCS file's own rows and sums, as its text says."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {"rows": len(rows), "usd": cents(Decimal(r["STOIM"]) for r in rows),
            "kg": sum(Decimal(r["NETTO"]) for r in rows), "qty": sum(Decimal(r["KOL"] or "0") for r in rows),
            "regions": {r["REGION"][:5] for r in rows}, "partners": {r["STRANA"] for r in rows},
            "flows": {r["NAPR"] for r in rows}}


@pytest.mark.parametrize("path", FCS_FILES, ids=lambda p: p.name)
def test_real_fcs_file_loads_whole_with_its_totals(path, ref):
    need(path)
    own = fcs_sums(path)
    result, flows = refresh.validate([(path, path.name)], ref)
    report = result.files[0]
    assert (report.source, report.status, report.encoding) == ("russia_customs", "loaded", "UTF-8")
    assert result.rejects == []
    assert report.rows_total == report.rows_accepted == len(flows) == own["rows"]
    assert cents(round(v, 2) for v in flows["value_usd"]) == own["usd"]
    assert Decimal(str(round(flows["net_kg"].sum(), 6))) == own["kg"]
    assert Decimal(str(round(flows["qty"].sum(), 6))) == own["qty"]
    okato = {o: c for c, o in zip(ref.frames["regions"]["code"], ref.frames["regions"]["okato"], strict=True) if o}
    assert set(flows["reporter_region"]) == {okato[o] for o in own["regions"]}
    assert set(flows["partner_country"]) == own["partners"]
    assert set(flows["flow"]) == {{"ИМ": "import", "ЭК": "export"}[f] for f in own["flows"]}
    assert set(flows["calendar"]) == {"gregorian"}


def test_bermuda_file_covers_many_regions_and_units(ref):
    """The all-regions file: 20 or more regions load, yearly periods, 4-digit codes, spirits in litres of
    pure alcohol, and the 9 rows without a unit (quantity 0) load without a warning."""
    path = need(OPENCUSTOMS / "bermudi.csv")
    result, flows = refresh.validate([(path, path.name)], ref)
    assert flows["reporter_region"].nunique() == len(fcs_sums(path)["regions"]) >= 20
    assert set(flows["freq"]) == {"A"} and set(flows["hs_code"].str.len()) == {4}
    assert set(flows["qty_unit"].dropna()) == {"l_alcohol", "pcs"}
    with path.open(encoding="utf-8", newline="") as f:
        no_unit = [r for r in csv.DictReader(f) if not r["EDIZM"]]
    assert len(no_unit) == 9 and {r["KOL"] for r in no_unit} == {"0"}
    assert flows["qty_unit"].isna().sum() == len(no_unit) and result.warnings == []


def test_real_comtrade_file_loads_whole_with_its_totals(ref):
    path = need(COMTRADE_FILE)
    records = json.loads(path.read_text(encoding="utf-8"))["data"]
    result, flows = refresh.validate([(path, path.name)], ref)
    report = result.files[0]
    assert (report.source, report.status, report.encoding) == ("comtrade", "loaded", "JSON")
    assert result.rejects == [] and result.warnings == []
    assert len(flows) == len(records) == 4
    assert cents(round(v, 2) for v in flows["value_usd"]) == cents(r["primaryValue"] for r in records)
    assert set(flows["reporter_country"]) == {"CN"} and set(flows["partner_country"]) == {"AR", "DE"}


def test_real_files_through_the_refresh_into_core_flows(tmp_path, ref):
    """bermudi + the three Moscow files + the Comtrade file in one refresh: core.flows holds every row
    with each file's own total. (fcs_regions_ru.csv repeats rows of moscow_2208301100.csv, so it
    would be a duplicate beside it; it is checked on its own above.)"""
    files = [need(p) for p in FCS_FILES[:4]] + [need(COMTRADE_FILE)]
    raw = tmp_path / "raw"
    raw.mkdir()
    for p in files:
        (raw / p.name).write_bytes(p.read_bytes())
    live = tmp_path / "trade.duckdb"
    result = refresh.refresh(raw, live, ref=ref)
    assert result.published, result.reason
    got = dict(query(live, "select file, sum(round(value_usd * 100))::bigint from core.flows group by file"))
    for p in FCS_FILES[:4]:
        assert got[p.name] == fcs_sums(p)["usd"], p.name
    records = json.loads(COMTRADE_FILE.read_text(encoding="utf-8"))["data"]
    assert got[COMTRADE_FILE.name] == cents(r["primaryValue"] for r in records)
    assert query(live, "select count(*) from rejected_rows")[0][0] == 0
    assert query(live, "select count(*) from load_warnings")[0][0] == 0


def test_fcs_file_beside_its_own_rows_is_named_duplicate(tmp_path, ref):
    """fcs_regions_ru.csv holds the first 8 rows of moscow_2208301100.csv: loaded together, each of its
    rows is a duplicate naming the row it repeats, and the file is refused (8 of 8)."""
    a, b = need(OPENCUSTOMS / "moscow_2208301100.csv"), need(SHARED_REAL / "fcs_regions_ru.csv")
    result, _ = refresh.validate([(a, a.name), (b, b.name)], ref)
    dups = [r for r in result.rejects if "duplicate record" in r.reason]
    assert len(dups) == 8 and {r.file for r in dups} == {b.name}
    assert all(f"{a.name} row" in r.reason for r in dups)


@pytest.mark.parametrize("path", FCS_FILES + [COMTRADE_FILE], ids=lambda p: p.name)
def test_validate_cli_shows_all_rows_valid_with_the_files_total(path, capsys):
    need(path)
    assert cli.main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "all rows valid" in out
    if path.suffix == ".csv":
        own = fcs_sums(path)["usd"]
    else:
        own = cents(r["primaryValue"] for r in json.loads(path.read_text(encoding="utf-8"))["data"])
    assert f"{Decimal(own) / 100:,.2f}" in out  # the USD total of the accepted rows, as the file sums


def test_all_regions_file_beside_the_fixtures_keeps_the_dashboards_period_and_coverage(tmp_path, ref, fixture_raw,
                                                                                     fixture_warehouse):
    """bermudi.csv (every Russian region, 2013 on) beside the fixture files: its other regions count in
    Russia's totals, but the dashboard's period starts with the focus regions' and the countries' own
    data — Volgograd's one row, 2014 (Astrakhan's 2013 rows do not stretch it) — and the coverage
    table lists only focus regions and countries."""
    from analysis import db, queries
    from analysis.filters import Allowed, Filters

    bermudi = need(OPENCUSTOMS / "bermudi.csv")
    raw = tmp_path / "raw"
    shutil.copytree(fixture_raw, raw)
    (raw / bermudi.name).write_bytes(bermudi.read_bytes())
    live = tmp_path / "trade.duckdb"
    result = refresh.refresh(raw, live, ref=ref)
    assert result.published, result.reason
    assert query(live, "select min(period_start) from core.flows where file = 'bermudi.csv'")[0][0].year == 2013

    with_all = Allowed.from_warehouse(db.Warehouse(db.identity(live)))
    alone = Allowed.from_warehouse(db.Warehouse(db.identity(fixture_warehouse)))
    assert alone.first_day > dt.date(2014, 1, 1)
    assert (with_all.first_day, with_all.last_day) == (dt.date(2014, 1, 1), alone.last_day)

    f, problems = Filters.from_query({}, with_all)
    assert problems == []
    coverage = queries.coverage(db.Warehouse(db.identity(live)), f)
    focus = {code for (code,) in query(live, "select code from ref.focus")}
    assert len(coverage) > 0
    assert set(coverage["reporter"]) <= focus | {"IR", "RU"}, set(coverage["reporter"]) - focus
