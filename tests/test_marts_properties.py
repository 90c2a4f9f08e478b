"""Properties of the mart SQL over random inputs (hypothesis), run by DuckDB on the real .sql files:
spreading to months preserves totals to the cent; every estimate lies within its bounds and the
bounds within [0, min(A, B)]."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import periods
from etl.paths import SQL

GRID_SQL = (SQL / "marts" / "010_grid.sql").read_text()
BILATERAL_SQL = (SQL / "marts" / "020_bilateral.sql").read_text()
FLOW_COLUMNS = ["flow_id", "source", "reporter_country", "reporter_region", "partner_country", "partner_region",
                "flow", "hs6", "hs4", "hs2", "sector", "transport_mode", "customs_office", "value_basis", "freq",
                "is_sample", "period_start", "period_end", "value_usd", "net_kg"]


def connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for schema in ("core", "ref", "marts"):
        con.execute(f"create schema {schema}")
    con.register("months", pd.DataFrame(periods.calendar_months(),
                                        columns=["calendar", "month_start", "month_end", "year", "month", "label"]))
    con.execute("create table ref.calendar_months as select calendar, month_start::date as month_start, "
                "month_end::date as month_end, year, month, label from months")
    # the grid keeps the focus regions in detail (the observations below are Mazandaran's)
    con.execute("create table ref.focus as select * from (values ('IR-02', 'IR', 'province'), "
                "('RU-VGG', 'RU', 'partner')) as f(code, country, side)")
    return con


def load_flows(con, rows: list[dict]) -> None:
    con.register("df", pd.DataFrame(rows, columns=FLOW_COLUMNS))
    con.execute("create or replace table core.flows as select * replace (period_start::date as period_start, "
                "period_end::date as period_end, value_usd::double as value_usd) from df")


spans = st.tuples(st.dates(dt.date(2019, 1, 1), dt.date(2025, 12, 31)), st.integers(0, 800))
values = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(spans, values), min_size=1, max_size=8))
def test_spreading_preserves_every_observation_to_the_cent(observations):
    con = connection()
    rows = []
    for i, ((start, days), value) in enumerate(observations):
        rows.append(dict(flow_id=i, source="iran_customs", reporter_country="IR", reporter_region="IR-02",
                         partner_country="RU", flow="export", hs6="081050", freq="M", is_sample=False,
                         value_basis="FOB", transport_mode="sea", period_start=start,
                         period_end=start + dt.timedelta(days=days), value_usd=float(value), net_kg=1.0,
                         customs_office=f"o{i}"))  # a distinct office keeps observations apart in the grid
    load_flows(con, rows)
    con.execute(f"create table marts.grid as {GRID_SQL}")
    for calendar in ("gregorian", "jalali"):
        got = dict(con.execute("select customs_office, sum(cents) from marts.grid where calendar = $c group by 1",
                               {"c": calendar}).fetchall())
        for i, (_, value) in enumerate(observations):
            assert got[f"o{i}"] == int(value * 100)


amounts = st.one_of(st.none(), st.floats(min_value=0, max_value=1e8, allow_nan=False))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=st.lists(st.lists(amounts, min_size=3, max_size=3), min_size=3, max_size=3),
       b=st.lists(amounts, min_size=3, max_size=3),
       t=st.one_of(st.none(), st.floats(min_value=0, max_value=1e9, allow_nan=False)))
def test_estimates_lie_within_bounds_within_zero_and_min_a_b(a, b, t):
    """a[province][month], b[month] (None = the source reports nothing that month), t = yearly total."""
    con = connection()
    con.execute("create table ref.regions as select * from (values ('IR-01', 'IR', '1'), ('IR-02', 'IR', '1'), "
                "('IR-27', 'IR', '1'), ('RU-VGG', 'RU', '1')) as r(code, country, is_focus)")
    con.execute("create table ref.sectors as select '08' as hs_prefix, 'agriculture' as sector")
    load_flows(con, [])
    grid = []
    provinces = ["IR-01", "IR-02", "IR-27"]
    for m in range(3):
        start = dt.date(2024, m + 1, 1)
        for p, province in enumerate(provinces):
            if a[p][m] is not None:
                grid.append(("iran_customs", "IR", province, "RU", "export", a[p][m], start))
        if b[m] is not None:
            grid.append(("russia_customs", "RU", "RU-VGG", "IR", "import", b[m], start))
        if t is not None:
            grid.append(("comtrade", "RU", None, "IR", "import", t / 3, start))
    con.register("df", pd.DataFrame(grid, columns=["source", "reporter_country", "reporter_region",
                                                   "partner_country", "flow", "value_usd", "month_start"]))
    con.execute("create table marts.grid as select 'gregorian' as calendar, month_start::date as month_start, "
                "2024 as year, source, reporter_country, reporter_region, partner_country, flow, '081050' as hs6, "
                "value_usd::decimal(18, 2) as value_usd, 1.0 as net_kg from df")
    con.execute(f"create table marts.bilateral as {BILATERAL_SQL}")
    out = con.execute("select estimate_usd, lower_usd, upper_usd, a_usd, b_usd, method from marts.bilateral").df()
    for r in out.itertuples():
        assert r.lower_usd >= -0.01
        assert r.lower_usd <= r.upper_usd + 0.01
        if r.method == "proportional":
            assert r.lower_usd - 0.01 <= r.estimate_usd <= r.upper_usd + 0.01
            assert r.upper_usd <= min(r.a_usd, r.b_usd) + 0.01
        else:
            assert pd.isna(r.estimate_usd)


def test_grid_keeps_detail_for_what_the_dashboard_shows_and_adds_up_the_rest():
    """Other regions' trade with third countries is added up per region, flow, chapter and period;
    the focus regions, the countries, the provinces' country and trade with the focus countries keep
    product, partner, office and mode."""
    con = connection()
    base = dict(flow="import", hs4=None, hs2="84", sector="machinery", freq="M", is_sample=False, value_basis="CIF",
                period_start=dt.date(2021, 3, 1), period_end=dt.date(2021, 3, 31), net_kg=1.0, partner_region=None)
    cases = [  # (reporter_country, reporter_region, partner_country, source, kept in detail)
        ("RU", "RU-MOW", "CN", "russia_customs", False),
        ("RU", "RU-MOW", "DE", "russia_customs", False),
        ("RU", "RU-MOW", "IR", "russia_customs", True),
        ("RU", "RU-VGG", "CN", "russia_customs", True),
        ("RU", None, "CN", "comtrade", True),
        ("IR", "IR-23", "CN", "iran_customs", True),
    ]
    rows = [dict(base, flow_id=i, source=source, reporter_country=country, reporter_region=region,
                 partner_country=partner, hs6=f"8471{i:02d}", customs_office=f"o{i}", transport_mode="road",
                 value_usd=100.0 + i)
            for i, (country, region, partner, source, _) in enumerate(cases)]
    load_flows(con, rows)
    con.execute(f"create table marts.grid as {GRID_SQL}")
    got = con.execute("select reporter_region, partner_country, hs6, hs2, customs_office, transport_mode, "
                      "sum(cents)::bigint as cents from marts.grid where calendar = 'gregorian' "
                      "group by all order by all").fetchall()
    detailed = [(r["reporter_region"], r["partner_country"], r["hs6"], "84", r["customs_office"], "road",
                 round(r["value_usd"] * 100)) for r, (*_, kept) in zip(rows, cases, strict=True) if kept]
    added_up = [("RU-MOW", None, None, "84", None, None, 10000 + 10100)]
    assert got == sorted(detailed + added_up, key=lambda t: tuple((v is None, v) for v in t))
