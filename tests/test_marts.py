"""The marts, given rows -> expected rows, through the real ETL on files in the real formats."""

from __future__ import annotations

import datetime as dt

import pandas as pd
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


# ---------------------------------------------------------------- the provinces' point of view


def test_reported_turns_the_partners_flows_round(scenario):
    # January 2024. Volgograd's kiwi imports (from Iran and from Turkey) and Russia's imports from
    # Iran are the provinces' export direction; Iranian rows keep theirs. The yearly Comtrade figures
    # are spread by days: 120000·31/366 = 10163.93… -> 10163.94 and 130000·31/366 = 11010.93 (the
    # year's odd cents go to the months with the largest remainders); Mazandaran's Dey 1402: 20/30 of
    # 3000 and 600.
    rows = query(scenario, "select side, source, reported_flow, flow, with_other_side, sum(value_usd)::double "
                 "from marts.reported where calendar = 'gregorian' and month_start = '2024-01-01' "
                 "group by all order by all")
    assert rows == [("national", "comtrade", "export", "export", True, 10163.94),
                    ("national", "comtrade", "import", "export", True, 11010.93),
                    ("partner", "russia_customs", "import", "export", False, 4000.0),
                    ("partner", "russia_customs", "import", "export", True, 1500.0),
                    ("province", "iran_customs", "export", "export", False, 400.0),
                    ("province", "iran_customs", "export", "export", True, 2000.0)]


def test_focus_and_point_of_view(scenario):
    assert query(scenario, "select code, side from ref.focus order by code") == [
        ("IR-01", "province"), ("IR-02", "province"), ("IR-27", "province"), ("RU-VGG", "partner")]
    assert query(scenario, "select country, reported_flow, flow from ref.point_of_view order by all") == [
        ("IR", "export", "export"), ("IR", "import", "import"), ("RU", "export", "import"), ("RU", "import", "export")]


# ---------------------------------------------------------------- measures, worked by hand


@pytest.fixture(scope="module")
def measures(tmp_path_factory, ref):
    """Gregorian 2024, whole Jalali months inside it (Farvardin–Khordad 1403 = 20 Mar – 21 Jun 2024):
    Gilan exports kiwi 400 to Russia and 200 to Turkmenistan, tea 400 to Russia; Mazandaran tea 600;
    East Azerbaijan (not a focus province) kiwi 400. Volgograd imports kiwi 300 from Iran and
    oranges 700 from Turkey. Comtrade: Iran's tea exports to Russia 1000, Russia's imports 1500; Iran's
    kiwi exports to Russia 500, which Russia does not report."""
    raw = tmp_path_factory.mktemp("measures")
    raw_files.iran(raw / "iran.csv", [
        dict(province="IR-01", flow="export", hs8="08105000", jyear=1403, jmonth=1, usd=400),
        dict(province="IR-01", flow="export", hs8="08105000", partner="ترکمنستان", jyear=1403, jmonth=2, usd=200),
        dict(province="IR-01", flow="export", hs8="09023000", jyear=1403, jmonth=3, usd=400),
        dict(province="IR-02", flow="export", hs8="09023000", jyear=1403, jmonth=1, usd=600),
        dict(province="IR-03", flow="export", hs8="08105000", jyear=1403, jmonth=1, usd=400),
    ])
    raw_files.russia(raw / "volgograd.csv", [
        dict(flow="import", period="01/2024", tnved="0810500000", usd=300),
        dict(flow="import", period="02/2024", country="TR", tnved="0805100000", usd=700),
    ])
    raw_files.comtrade(raw / "comtrade.json", [
        dict(reporter="IR", partner="RU", flow="X", year=2024, hs6="090230", usd=1000),
        dict(reporter="RU", partner="IR", flow="M", year=2024, hs6="090230", usd=1500),
        dict(reporter="IR", partner="RU", flow="X", year=2024, hs6="081050", usd=500),
    ])
    live = raw / "trade.duckdb"
    result = refresh.refresh(raw, live, ref=ref)
    assert result.published, result.reason
    return live


def test_michaely_complementarity(measures):
    # Gilan's exports by heading: 0810 600, 0902 400 -> x = (0.6, 0.4, 0); Volgograd's imports:
    # 0810 300, 0805 700 -> m = (0.3, 0, 0.7). Σ|m − x| = 0.3 + 0.4 + 0.7 = 1.4; 100·(1 − ½·1.4) = 30
    rows = query(measures, "select complementarity from marts.structure where calendar = 'gregorian' "
                 "and year = 2024 and province = 'IR-01' and flow = 'export'")
    assert rows == [(pytest.approx(30.0),)]


def test_structure_counts_the_months_each_sides_mix_holds(measures):
    # Gilan's exports: Farvardin–Khordad 1403 = 20 Mar – 21 Jun 2024, four Gregorian months (three Jalali);
    # Volgograd's imports: January and February 2024, both in 1402. A mix short of 12 months compares part
    # of a year, which the complementarity chart marks.
    rows = query(measures, "select calendar, year, province_months, partner_months from marts.structure "
                 "where province = 'IR-01' and flow = 'export' order by calendar, year")
    assert rows == [("gregorian", 2024, 4, 2), ("jalali", 1403, 3, 0)]


def test_hhi_of_products_and_partners(measures):
    # products: kiwi 600, tea 400 -> 0.6² + 0.4² = 0.52; normalised (0.52 − ½) / (1 − ½) = 0.04
    # partners: Russia 800, Turkmenistan 200 -> 0.8² + 0.2² = 0.68; normalised (0.68 − ½) / ½ = 0.36
    rows = query(measures, "select hhi_products, n_products, hhi_products_norm, hhi_partners, n_partners, "
                 "hhi_partners_norm from marts.structure where calendar = 'gregorian' and year = 2024 "
                 "and province = 'IR-01' and flow = 'export'")
    assert rows == [(pytest.approx(0.52), 2, pytest.approx(0.04), pytest.approx(0.68), 2, pytest.approx(0.36))]


def _filters(db, **query):
    """The warehouse and filters for 2024 (clamped to the months with data)."""
    from analysis.db import Warehouse, identity
    from analysis.filters import Allowed, Filters

    wh = Warehouse(identity(db))
    f, problems = Filters.from_query({"from": "2024-01", "to": "2024-12", **query}, Allowed.from_warehouse(wh))
    assert {p.code for p in problems} <= {"after_data"}
    return wh, f


def test_rca_over_the_selected_years(measures):
    # Reference: every Iranian region's exports, x = 2000; kiwi x_k = 600 + 400 = 1000, tea 400 + 600 = 1000.
    # Gilan (x_p = 1000): kiwi (600/1000) / (1000/2000) = 1.2, tea (400/1000) / (1000/2000) = 0.8;
    # Mazandaran (x_p = 600): tea (600/600) / (1000/2000) = 2.0. East Azerbaijan is reference only.
    from analysis import queries

    wh, f = _filters(measures)
    got = queries.rca(wh, f)
    assert [(p, h, pytest.approx(r)) for p, h, r in zip(got["province"], got["hs6"], got["rca"], strict=True)] == [
        ("IR-01", "081050", 1.2), ("IR-01", "090230", 0.8), ("IR-02", "090230", 2.0)]
    only_agriculture = queries.rca(wh, _filters(measures, provinces="IR-01", sectors="agriculture")[1])
    assert list(only_agriculture["hs6"]) == ["081050", "090230"]  # shares stay those of all products


def test_growth_needed_to_reach_the_target(scenario):
    # Mazandaran–Volgograd 2024: the estimate is January's 2000·(1500/1.06)/10000 = 283.02 (the other
    # months have no estimate). Target $200M a year within 3 years: (200,000,000 / 283.02)^(1/3) − 1
    from analysis import queries

    wh, f = _filters(scenario)
    row = queries.targets(wh, f).set_index("year").loc[2024]
    estimate = 2000 * 1500 / 1.06 / 10000
    assert row["estimate_usd"] == pytest.approx(estimate)
    assert row["growth_needed"] == pytest.approx((200_000_000 / estimate) ** (1 / 3) - 1) == pytest.approx(
        88.071, abs=1e-3)
    assert row["gap_usd"] == pytest.approx(200_000_000 - estimate)
    assert row["share_of_target"] == pytest.approx(estimate / 200_000_000)
    assert not row["complete_year"]


def test_mirror_gap_and_flag(scenario):
    # 2024, chapter 08: X = 120000 (Iran's exports), M = 130000 (Russia's imports), τ = 6 %:
    # gap = 130000 − 120000·1.06 = 2800; relative 2800 / 127200 = 2.2 % -> not flagged (threshold 25 %)
    from analysis import queries

    wh, f = _filters(scenario)
    row = queries.mirror(wh, f).set_index(["exporter", "hs2"]).loc[("IR", "08")]
    assert (row["x_usd"], row["m_usd"]) == (120000.0, 130000.0)
    assert row["gap_usd"] == pytest.approx(2800.0)
    assert row["relative_gap"] == pytest.approx(2800 / 127200)
    assert not row["flagged"]


def test_mirror_flags_a_gap_beyond_the_threshold(measures):
    # chapter 09: gap = 1500 − 1000·1.06 = 440; relative 440 / 1060 = 41.5 % > 25 % -> flagged
    from analysis import queries

    wh, f = _filters(measures)
    row = queries.mirror(wh, f).set_index(["exporter", "hs2"]).loc[("IR", "09")]
    assert row["relative_gap"] == pytest.approx(440 / 1060)
    assert row["flagged"]


def test_mirror_keeps_a_chapter_one_side_does_not_report(measures):
    # chapter 08: only Iran reports (500); no year where both do -> no gap, flagged, the row kept
    from analysis import queries

    wh, f = _filters(measures)
    row = queries.mirror(wh, f).set_index(["exporter", "hs2"]).loc[("IR", "08")]
    assert (row["years"], row["one_sided_years"]) == (0, 1)
    assert pd.isna(row["x_usd"]) and pd.isna(row["relative_gap"]) and row["flagged"]


def test_potential_carries_volgograds_last_full_year_over_its_customs_silence(sample_warehouse):
    # The sample, like reality, has Volgograd's own figures (FCS) only to 2022-01: for 2023 its demand
    # is 2021's (its last full year), scaled to the months the provinces report in 2023, and marked.
    months = query(sample_warehouse, "select max(n) from (select count(distinct month_start) as n "
                   "from marts.reported where calendar = 'gregorian' and side = 'province' and year = 2023 "
                   "and hs6 is not null group by hs6)")[0][0]
    demand_2021 = dict(query(sample_warehouse, "select hs6, sum(value_usd)::double from marts.reported "
                             "where calendar = 'gregorian' and side = 'partner' and year = 2021 and flow = 'export' "
                             "and hs6 is not null group by hs6"))
    rows = query(sample_warehouse, "select hs6, demand_usd, partner_year, partner_carried from marts.potential "
                 "where calendar = 'gregorian' and year = 2023 and flow = 'export'")
    assert len(rows) > 0
    for hs6, demand, partner_year, carried in rows:
        assert (partner_year, carried) == (2021, True)
        assert demand == pytest.approx(demand_2021[hs6] * months / 12)
    reported = query(sample_warehouse, "select distinct partner_year, partner_carried from marts.potential "
                     "where calendar = 'gregorian' and year = 2020")
    assert reported == [(2020, False)]
