"""The read side against the sample warehouse: every query function answers with consistent numbers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis import db, queries
from analysis.filters import Allowed, Filters


@pytest.fixture(scope="module")
def wh(sample_warehouse):
    return db.Warehouse(db.identity(sample_warehouse))


@pytest.fixture(scope="module")
def allowed(wh):
    return Allowed.from_warehouse(wh)


def filters(allowed, **query) -> Filters:
    f, problems = Filters.from_query({k: str(v) for k, v in query.items()}, allowed)
    assert problems == []
    return f


FCS_LAST_DAY = dt.date(2022, 1, 31)  # the sample, like reality, has no Russian regional data after 2022-01
QUERIES = ["kpis", "by_province", "trend", "reported_trend", "seasonality", "top_products", "sector_breakdown",
           "sector_shares", "bilateral", "mirror", "potential", "complementarity", "targets", "coverage", "routes"]


@pytest.mark.parametrize("name", QUERIES)
@pytest.mark.parametrize("query", [{}, {"lang": "fa"}, {"measure": "kg", "hs": 6, "provinces": "IR-02"},
                                   {"flow": "import", "sectors": "agriculture,food_industry"}])
def test_every_query_answers(wh, allowed, name, query):
    f = filters(allowed, **query)
    df = getattr(queries, name)(wh, f)
    assert isinstance(df, pd.DataFrame)
    if name == "potential" and f.date_from > FCS_LAST_DAY:
        # potential needs Volgograd's own figures, which FCS stopped publishing after 2022-01; the Persian
        # default period (1401/01 = 2022-03-21 on) lies wholly after it
        assert len(df) == 0
    else:
        assert len(df) > 0


def test_kpis_add_up(wh, allowed):
    f = filters(allowed, **{"from": "2023-01", "to": "2024-12"})
    k = queries.kpis(wh, f).set_index("metric")
    assert k.loc["turnover", "value"] == pytest.approx(k.loc["exports", "value"] + k.loc["imports", "value"])
    assert k.loc["balance", "value"] == pytest.approx(k.loc["exports", "value"] - k.loc["imports", "value"])
    for metric in ("exports", "imports", "turnover"):
        assert k.loc[metric, "lower"] <= k.loc[metric, "value"] <= k.loc[metric, "upper"]
    by_province = queries.by_province(wh, f)
    assert by_province["value"].sum() == pytest.approx(k.loc["turnover", "value"])
    monthly = queries.trend(wh, f)
    assert monthly["value"].sum() == pytest.approx(k.loc["turnover", "value"])
    yearly = queries.trend(wh, f, freq="A")
    assert sorted(yearly["year"].unique()) == [2023, 2024]
    assert yearly["value"].sum() == pytest.approx(k.loc["turnover", "value"])


def test_measure_kg_switches_every_value(wh, allowed):
    usd = queries.kpis(wh, filters(allowed)).set_index("metric")
    kg = queries.kpis(wh, filters(allowed, measure="kg")).set_index("metric")
    assert usd.loc["exports", "value"] != kg.loc["exports", "value"] and kg.loc["exports", "value"] > 0


def test_mirror_gap_uses_tau(wh, allowed):
    f = filters(allowed, **{"from": "2019-01", "to": "2021-12"})  # both reporters on Comtrade
    m = queries.mirror(wh, f, tau=0.1)
    assert (m["tau"] == 0.1).all()
    row = m.dropna(subset=["x_usd", "m_usd"]).iloc[0]
    assert row["gap_usd"] == pytest.approx(row["m_usd"] - row["x_usd"] * 1.1)
    with pytest.raises(ValueError):
        queries.mirror(wh, f, tau=-1)


def test_mirror_has_one_side_after_russia_stopped_reporting(wh, allowed):
    m = queries.mirror(wh, filters(allowed, **{"from": "2022-01", "to": "2025-12"}), tau=0.1)
    assert len(m) > 0 and (m["x_usd"].isna() | m["m_usd"].isna()).all()
    assert set(m["year"]) == {2022, 2023, 2024}  # Iran reports to 2024, nothing yet for 2025


def test_targets_growth_needed(wh, allowed):
    t = queries.targets(wh, filters(allowed, **{"from": "2024-01", "to": "2024-12"}))
    row = t.iloc[0]
    assert row["target_usd"] == 200_000_000
    assert row["growth_needed"] == pytest.approx((2e8 / row["estimate_usd"]) ** (1 / 3) - 1)


def test_published_vs_data_converts_jalali_ranges(wh):
    p = queries.published_vs_data(wh).set_index("id")
    row = p.loc["maz_world_export_1401"]
    assert str(row["period_start"])[:10] == "2022-03-21" and str(row["period_end"])[:10] == "2023-03-20"
    assert row["months_in_period"] == 12
    direct = wh.query("select sum(value_usd) from core.flows where source = 'iran_customs' and reporter_region = "
                      "'IR-02' and flow = 'export' and period_start >= '2022-03-21' and period_end <= '2023-03-20'")
    assert row["data_usd"] == pytest.approx(direct.iloc[0, 0])
    assert set(p["status"]) <= {"comparable", "partial coverage", "no data", "not comparable", "no period"}


def test_coverage_shows_fcs_silent_after_2022_01(wh, allowed):
    c = queries.coverage(wh, filters(allowed, **{"from": "2021-01", "to": "2023-12"}))
    ru = c[(c.source == "russia_customs") & (c.flow == "import")].set_index("label")["status"]
    assert ru["2021-12"] == "monthly" and ru["2022-01"] == "monthly"
    assert ru["2022-02"] == "missing" and ru["2022-06"] == "missing" and ru["2023-01"] == "missing"
