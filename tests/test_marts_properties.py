"""Properties of the mart SQL over random inputs (hypothesis), run by DuckDB on the real .sql files:
spreading to months preserves totals to the cent. (The bilateral estimate's properties are in
tests/test_estimate_invariants.py.)"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import periods
from etl.paths import SQL
from etl.sqlrunner import run_model

GRID_SQL = (SQL / "marts" / "010_grid.sql").read_text()
FLOW_COLUMNS = ["flow_id", "source", "reporter_country", "reporter_region", "partner_country", "partner_region",
                "flow", "hs6", "hs4", "hs2", "sector", "transport_mode", "customs_office", "value_basis", "freq",
                "is_sample", "period_start", "period_end", "value_usd", "net_kg", "hs_code"]


def connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for schema in ("core", "ref", "marts"):
        con.execute(f"create schema {schema}")
    con.register("months", pd.DataFrame(periods.calendar_months(),
                                        columns=["calendar", "month_start", "month_end", "year", "month", "label"]))
    con.execute("create table ref.calendar_months as select calendar, month_start::date as month_start, "
                "month_end::date as month_end, year, month, label from months")
    return con


def grid_connection() -> duckdb.DuckDBPyConnection:
    """connection() with ref.focus (the real model over a few regions): the grid keeps the focus
    regions in detail."""
    con = connection()
    con.execute("create table ref.regions as select * from (values ('IR-02', 'IR', '1'), ('IR-23', 'IR', '0'), "
                "('RU-VGG', 'RU', '1'), ('RU-MOW', 'RU', '0')) as r(code, country, is_focus)")
    run_model(con, "ref", "view", SQL / "ref" / "010_focus.sql")
    return con


def load_flows(con, rows: list[dict]) -> None:
    con.register("df", pd.DataFrame(rows, columns=FLOW_COLUMNS))
    con.execute("create or replace table core.flows as select * replace (period_start::date as period_start, "
                "period_end::date as period_end, value_usd::double as value_usd, hs_code::varchar as hs_code) from df")
    run_model(con, "core", "table", SQL / "core" / "superseded_months.sql")  # the grid leaves these out


spans = st.tuples(st.dates(dt.date(2019, 1, 1), dt.date(2025, 12, 31)), st.integers(0, 800))
values = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(spans, values), min_size=1, max_size=8))
def test_spreading_preserves_every_observation_to_the_cent(observations):
    con = grid_connection()
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


def test_grid_keeps_detail_for_what_the_dashboard_shows_and_adds_up_the_rest():
    """Other regions' trade with third countries is added up per region, flow, chapter and period;
    the focus regions, the countries, the provinces' country and trade with the focus countries keep
    product, partner, office and mode."""
    con = grid_connection()
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
