"""The read side against the sample warehouse: every query function answers with consistent numbers."""

from __future__ import annotations

import datetime as dt
import inspect

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
QUERIES = [fn for name, fn in inspect.getmembers(queries, inspect.isfunction)
           if not name.startswith("_") and fn.__module__ == queries.__name__]


def test_every_query_takes_the_warehouse_and_the_filters():
    assert len(QUERIES) >= 25
    for fn in QUERIES:
        assert list(inspect.signature(fn).parameters) == ["wh", "f"], fn.__name__


NO_ROWS_IN_THE_SAMPLE = ("rejected_rows", "load_warnings")  # the sample loads clean


@pytest.mark.parametrize("fn", [fn for fn in QUERIES if fn.__name__ not in NO_ROWS_IN_THE_SAMPLE],
                         ids=lambda fn: fn.__name__)
@pytest.mark.parametrize("query", [{}, {"lang": "fa"}, {"measure": "kg", "hs": 6, "provinces": "IR-02"},
                                   {"flow": "import", "sectors": "agriculture,food_industry"}])
def test_every_query_answers(wh, allowed, fn, query):
    f = filters(allowed, **query)
    df = fn(wh, f)
    assert isinstance(df, pd.DataFrame)
    assert len(df) > 0
    if fn.__name__ == "potential" and f.date_from > FCS_LAST_DAY:
        # Volgograd's own figures stop after 2022-01 (FCS): the Persian default period (1401/01 =
        # 2022-03-21 on) compares with its last full year reported, 1399, and says so
        assert set(df["partner_carried_from"]) == {1399}


def test_charts_read_only_query_functions():
    """Every chart names its queries as functions of analysis.queries, so the dashboard, the exports
    and the chart pack run the same ones."""
    from analysis import charts

    for chart in charts.CHARTS:
        assert chart.queries and all(q in QUERIES for q in chart.queries), chart.key


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
    yearly = queries.annual_trend(wh, f)
    assert sorted(yearly["year"].unique()) == [2023, 2024]
    assert yearly["value"].sum() == pytest.approx(k.loc["turnover", "value"])


def test_measure_kg_switches_every_value(wh, allowed):
    usd = queries.kpis(wh, filters(allowed)).set_index("metric")
    kg = queries.kpis(wh, filters(allowed, measure="kg")).set_index("metric")
    assert usd.loc["exports", "value"] != kg.loc["exports", "value"] and kg.loc["exports", "value"] > 0


def test_mirror_gap_uses_tau_and_flags_beyond_the_threshold(wh, allowed):
    m = queries.mirror(wh, filters(allowed))
    tau = queries.MIRROR_TAU
    assert (m["tau"] == tau).all()
    expected = (m["m_usd"] - m["x_usd"] * (1 + tau)) / (m["x_usd"] * (1 + tau))
    assert m["relative_gap"].tolist() == pytest.approx(expected.tolist(), nan_ok=True)
    both = m["relative_gap"].notna()
    assert (m.loc[both, "flagged"] == (expected[both].abs() > queries.MIRROR_THRESHOLD)).all()
    assert m.loc[~both, "flagged"].all()  # one side silent in every selected year: flagged, no gap


def test_balance_is_one_range_for_kpis_and_the_chart(wh, allowed):
    f = filters(allowed, **{"from": "2024-01", "to": "2024-12"})
    k = queries.kpis(wh, f).set_index("metric").loc["balance"]
    b = queries.balance(wh, f).set_index("year").loc[2024]
    assert (b["value"], b["lower"], b["upper"]) == pytest.approx((k["value"], k["lower"], k["upper"]))
    assert b["lower"] <= b["value"] <= b["upper"]


def test_methods_are_read_from_the_data(wh, allowed):
    m = queries.methods(wh, filters(allowed))
    assert set(m["method"]) == set(wh.query("select distinct method from marts.bilateral")["method"])
    assert m["share"].sum() == pytest.approx(1.0)
    assert m["cells"].sum() == len(queries.bilateral(wh, filters(allowed)))


def test_mirror_has_one_side_after_russia_stopped_reporting(wh, allowed):
    m = queries.mirror(wh, filters(allowed, **{"from": "2022-01", "to": "2025-12"}))
    assert len(m) > 0
    assert (m["years"] == 0).all() and (m["one_sided_years"] > 0).all()  # Russia reports to Comtrade to 2021 only
    assert m["x_usd"].isna().all() and m["m_usd"].isna().all() and m["flagged"].all()


def test_targets_growth_needed(wh, allowed):
    t = queries.targets(wh, filters(allowed, **{"from": "2024-01", "to": "2024-12"}))
    row = t.iloc[0]
    assert row["target_usd"] == 200_000_000
    assert row["growth_needed"] == pytest.approx((2e8 / row["estimate_usd"]) ** (1 / 3) - 1)


def test_published_vs_data_converts_jalali_ranges(wh, allowed):
    p = queries.published_vs_data(wh, filters(allowed)).set_index("id")
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
