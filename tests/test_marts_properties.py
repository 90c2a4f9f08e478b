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

GRID_SQL = (SQL / "marts" / "010_grid.sql").read_text()
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
