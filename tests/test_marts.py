"""The marts, given rows -> expected rows, through the real ETL on files in the real formats."""

from __future__ import annotations

import datetime as dt

import pytest

from etl import refresh
from tests import raw_files
from tests.conftest import query


@pytest.fixture(scope="module")
def scenario(tmp_path_factory, ref):
    """Mazandaran's kiwi to Russia in Dey 1402 (22 Dec 2023 – 20 Jan 2024: 10 days in December, 20 in
    January), Volgograd's kiwi imports from Iran in January 2024, and the national totals for 2024
    (Iran's $120,000, of which January — the one month of 2024 Iranian customs cover here — takes 1/12)."""
    raw = tmp_path_factory.mktemp("scenario")
    raw_files.iran(raw / "iran.csv", [
        dict(province="IR-02", flow="export", hs8="08105000", jyear=1402, jmonth=10, usd=3000, kg=6000,
             office="گمرک بندر امیرآباد"),
        dict(province="IR-02", flow="export", hs8="08105000", partner="ترکمنستان", jyear=1402, jmonth=10, usd=600),
        dict(province="IR-02", flow="export", hs8="08105000", jyear=1402, jmonth=7, usd=1000),
    ])
    raw_files.russia(raw / "volgograd.csv", [
        dict(flow="import", period="01/2024", tnved="0810500000", usd=1500),
        dict(flow="import", period="01/2024", country="TR", tnved="0810500000", usd=4000),
    ])
    raw_files.comtrade(raw / "comtrade.json", [
        dict(reporter="RU", partner="IR", flow="M", year=2024, hs6="081050", usd=130000),
        dict(reporter="IR", partner="RU", flow="X", year=2024, hs6="081050", usd=120000),
    ])
    live = raw / "trade.duckdb"
    result = refresh.refresh(raw, live, ref=ref)
    assert result.published, result.reason
    return live


def test_grid_spreads_a_jalali_month_by_days_to_the_cent(scenario):
    # Mehr 1402 = 23 Sep – 22 Oct 2023 (30 days): $1000 -> 8/30 and 22/30; the odd cent goes to
    # the month with the larger remainder (September: 266.666… -> 266.67, October 733.33).
    rows = query(scenario, "select strftime(month_start, '%Y-%m'), value_usd from marts.grid "
                 "where calendar = 'gregorian' and source = 'iran_customs' and partner_country = 'RU' "
                 "and month_start < '2023-11-01' order by 1")
    assert [(m, float(v)) for m, v in rows] == [("2023-09", 266.67), ("2023-10", 733.33)]
    jalali = query(scenario, "select label, value_usd from marts.grid where calendar = 'jalali' "
                   "and source = 'iran_customs' and partner_country = 'RU' order by 1")
    assert [(m, float(v)) for m, v in jalali] == [("1402-07", 1000.0), ("1402-10", 3000.0)]


def test_bilateral_proportional_estimate(scenario):
    # January 2024: A = 3000·20/30 = 2000; B = 1500 CIF = 1500 / 1.06 FOB, the provinces' basis;
    # T = 120000 / 12 = 10000 (Iran's report); no evidence on ψ, so ψ = 1:
    # estimate = 2000·(1500/1.06)/10000 = 283.02, lower = max(0, …) = 0, upper = min(2000, 1500) = 1500
    row = query(scenario, "select a_usd, b_usd, t_usd, estimate_usd, lower_usd, upper_usd, method, t_reporter "
                "from marts.bilateral where calendar = 'gregorian' and province = 'IR-02' "
                "and month_start = '2024-01-01' and flow = 'export' and hs6 = '081050'")
    assert row == [(2000.0, pytest.approx(1500 / 1.06), pytest.approx(10000.0), pytest.approx(2000 * 1500 / 1.06 / 1e4),
                    0.0, pytest.approx(1500.0), "proportional", "IR")]


def test_bilateral_nowcast_or_one_side_where_a_source_is_silent(scenario):
    # December 2023: Russian customs report nothing for Volgograd -> nowcast, carried back from January
    # 2024 (Volgograd's share of Russia's kiwi from Iran then), bounds 0 .. A (1000)
    dec = query(scenario, "select lower_usd, upper_usd, method, nowcast_from from marts.bilateral "
                "where calendar = 'gregorian' and province = 'IR-02' and month_start = '2023-12-01'")
    assert dec == [(0.0, 1000.0, "nowcast", dt.date(2024, 1, 1))]
    # Gilan has no Iranian file at all: Volgograd's January imports bound it from above only
    gilan = query(scenario, "select estimate_usd, lower_usd, upper_usd, method from marts.bilateral "
                  "where calendar = 'gregorian' and province = 'IR-01' and month_start = '2024-01-01'")
    assert gilan == [(None, 0.0, pytest.approx(1500.0), "one_side")]


def test_direct_observation_replaces_the_estimate(tmp_path, scenario, ref):
    raw = tmp_path / "raw"
    import shutil

    shutil.copytree(scenario.parent, raw, ignore=shutil.ignore_patterns("*.duckdb*"))
    raw_files.manual(raw / "trade_house.csv", [dict(reporter_country="IR", reporter_region="IR-02",
                                                    partner_country="RU", partner_region="RU-VGG", flow="export",
                                                    hs_code="081050", period="2024", usd=900)])
    live = tmp_path / "trade.duckdb"
    assert refresh.refresh(raw, live, ref=ref).published
    rows = query(live, "select strftime(month_start, '%Y-%m'), estimate_usd, lower_usd, upper_usd, method "
                 "from marts.bilateral where calendar = 'gregorian' and province = 'IR-02' and year = 2024")
    # the whole $900 goes where the estimate put 2024's trade (January); bounds widen to include it
    assert rows == [("2024-01", pytest.approx(900.0), 0.0, pytest.approx(1500.0), "direct")]


def test_mirror_keeps_x_and_m(scenario):
    rows = query(scenario, "select year, hs2, exporter, importer, x_usd, m_usd from marts.mirror "
                 "where calendar = 'gregorian'")
    assert rows == [(2024, "08", "IR", "RU", 120000.0, 130000.0)]


def test_potential(scenario):
    # 2024: Mazandaran's kiwi exports to the world = Jan part of Dey to Russia (2000) + to Turkmenistan
    # (600·20/30 = 400); Volgograd's kiwi imports from the world = 1500 + 4000; the bilateral estimate
    # is January's 283.02.
    row = query(scenario, "select supply_usd, demand_usd, potential_usd, bilateral_usd, untapped_usd "
                "from marts.potential where calendar = 'gregorian' and province = 'IR-02' and year = 2024")
    bilateral = 2000 * 1500 / 1.06 / 1e4
    assert row == [(2400.0, 5500.0, 2400.0, pytest.approx(bilateral), pytest.approx(2400 - bilateral))]


def test_coverage_shows_missing_months(scenario):
    rows = dict(query(scenario, "select strftime(month_start, '%Y-%m'), status from marts.coverage "
                      "where calendar = 'gregorian' and source = 'russia_customs' and flow = 'import'"))
    assert rows["2024-01"] == "monthly" and rows["2023-12"] == "missing" and rows["2023-09"] == "missing"
