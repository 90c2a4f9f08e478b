"""The bilateral estimate's invariants over random inputs (hypothesis), run through the real models
(etl/sql/marts/*bilateral*, SQL and Python) on a random monthly grid:
- the logical bounds lie within [0, A] and, where Volgograd's side is reported, within min(A, B);
- lower ≤ p10 ≤ estimate ≤ p90 ≤ upper for every cell with an estimate;
- any sum's 80 % interval (marts.bilateral_sums) contains the sum of the estimates and lies within
  the sums of the bounds; a sum of one cell is that cell's interval."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.paths import SQL
from etl.sqlrunner import model_files, run_model
from tests.test_marts_properties import connection as calendar_connection

PROVINCES = ["IR-01", "IR-02", "IR-27"]
FLOW_COLUMNS = ["flow_id", "source", "file", "row", "reporter_country", "reporter_region", "partner_country",
                "partner_region", "flow", "hs_code", "hs6", "period_start", "period_end", "period_label", "calendar",
                "value_usd", "value_basis", "freq"]
TOL = 0.01


def connection() -> duckdb.DuckDBPyConnection:
    con = calendar_connection()
    con.execute("create table ref.regions as select * from (values ('IR-01', 'IR', '1'), ('IR-02', 'IR', '1'), "
                "('IR-27', 'IR', '1'), ('IR-07', 'IR', '0'), ('RU-VGG', 'RU', '1')) as r(code, country, is_focus)")
    con.execute("create table ref.sectors as select '08' as hs_prefix, 'agriculture' as sector")
    for path in model_files("ref", SQL):  # ref.focus, ref.point_of_view
        run_model(con, "ref", "view", path)
    return con


def run_bilateral(con, grid: list[tuple], flows: list[dict]) -> None:
    con.register("g", pd.DataFrame(grid, columns=["source", "reporter_country", "reporter_region", "partner_country",
                                                  "flow", "hs6", "value_usd", "month_start", "value_basis"]))
    con.execute("""
        create or replace table marts.grid as
        select g.*, m.month_end, m.year, m.month, m.label, null::varchar as partner_region, left(hs6, 4) as hs4,
               left(hs6, 2) as hs2, 'agriculture' as sector, 'sea' as transport_mode, null::varchar as customs_office,
               case when source = 'comtrade' then 'A' else 'M' end as freq, false as is_sample,
               g.value_usd / 3 as net_kg, 1 as observations
        from (select * replace (month_start::date as month_start, value_usd::decimal(18, 2) as value_usd) from g) as g
        inner join ref.calendar_months as m on m.calendar = 'gregorian' and m.month_start = g.month_start""")
    con.execute("alter table marts.grid add column calendar varchar default 'gregorian'")
    con.register("f", pd.DataFrame(flows, columns=FLOW_COLUMNS).astype(object))
    text = ", ".join(f"{c}::varchar as {c}" for c in FLOW_COLUMNS if c not in ("flow_id", "row", "value_usd",
                                                                               "period_start", "period_end"))
    con.execute(f"create or replace table core.flows as select flow_id::bigint as flow_id, row::integer as row, "
                f"value_usd::double as value_usd, period_start::date as period_start, period_end::date as period_end, "
                f"{text} from f")
    for path in model_files("marts", SQL, (".sql", ".py")):
        if "bilateral" in path.stem or path.stem.endswith("_reported"):
            run_model(con, "marts", "table", path)
    for path in model_files("macros", SQL):
        con.execute(path.read_text())


amounts = st.one_of(st.none(), st.just(0.0), st.floats(min_value=1, max_value=1e7, allow_nan=False))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=st.lists(st.lists(amounts, min_size=3, max_size=3), min_size=6, max_size=6),
       b=st.lists(st.floats(min_value=0, max_value=1e7, allow_nan=False), min_size=6, max_size=6),
       reported=st.integers(0, 6), t=st.one_of(st.none(), st.floats(min_value=0, max_value=1e9, allow_nan=False)),
       published=st.one_of(st.none(), st.floats(min_value=0, max_value=1e8, allow_nan=False)),
       direct=st.one_of(st.none(), st.tuples(st.integers(0, 2), st.floats(min_value=0, max_value=1e7))))
def test_bounds_interval_and_sums_hold(a, b, reported, t, published, direct):
    """a[month][province] (None: the province's customs are silent that month), b[month] for the first
    `reported` months (then Volgograd's customs fall silent), t the year's national total."""
    con = connection()
    grid = []
    for m in range(6):
        start = dt.date(2024, m + 1, 1)
        for p, province in enumerate(PROVINCES):
            if a[m][p] is not None:
                grid.append(("iran_customs", "IR", province, "RU", "export", "081050", a[m][p], start, "FOB"))
                grid.append(("iran_customs", "IR", province, "TM", "export", "081050", 5.0, start, "FOB"))
        if m < reported:
            grid.append(("russia_customs", "RU", "RU-VGG", "IR", "import", "081050", b[m], start, "CIF"))
            grid.append(("russia_customs", "RU", "RU-VGG", "TR", "import", "081050", 7.0, start, "CIF"))
        if t is not None:
            grid.append(("comtrade", "IR", None, "RU", "export", "081050", t / 6, start, "FOB"))
    flows = []
    if published is not None:
        flows.append(dict(flow_id=1, source="manual", file="p.csv", row=2, reporter_country="RU",
                          reporter_region="RU-VGG", partner_country="IR", flow="import", period_start="2024-01-01",
                          period_end="2024-12-31", period_label="2024", calendar="gregorian", value_usd=published,
                          value_basis="unknown"))
    if direct is not None:
        flows.append(dict(flow_id=2, source="manual", file="d.csv", row=2, reporter_country="IR",
                          reporter_region=PROVINCES[direct[0]], partner_country="RU", partner_region="RU-VGG",
                          flow="export", hs_code="081050", hs6="081050", period_start="2024-02-01",
                          period_end="2024-03-31", period_label="2024-02..03", calendar="gregorian",
                          value_usd=direct[1], value_basis="unknown"))
    run_bilateral(con, grid, flows)
    out = con.execute("select * from marts.bilateral").df()
    for r in out.itertuples():
        assert -TOL <= r.lower_usd <= r.upper_usd + TOL
        if r.method in ("calibrated", "proportional", "nowcast"):
            assert r.lower_usd - TOL <= r.p10_usd <= r.estimate_usd + TOL
            assert r.estimate_usd - TOL <= r.p90_usd <= r.upper_usd + TOL
            assert r.upper_usd <= r.a_usd + TOL
            if r.b_source == "reported":
                assert r.upper_usd <= r.b_usd * 1.06 + TOL
        elif r.method == "direct":
            assert r.lower_usd - TOL <= r.p10_usd == r.estimate_usd == r.p90_usd <= r.upper_usd + TOL
        else:
            assert pd.isna(r.estimate_usd) and pd.isna(r.p10_usd)
    sums = con.execute("select * from marts.bilateral_sums('gregorian', date '2024-01-01', date '2024-12-01', "
                       "null, null, null, by_province := true)").df()
    for s in sums.itertuples():
        if pd.isna(s.estimate):
            continue
        assert s.lower - TOL <= s.p10 <= s.estimate + TOL <= s.p90 + 2 * TOL <= s.upper + 3 * TOL
    one = con.execute("select estimate_usd, p10_usd, p90_usd, province, month_start from marts.bilateral "
                      "where estimate_usd is not null limit 1").fetchall()
    if one:
        e, p10, p90, province, month = one[0]
        s = con.execute("select estimate, p10, p90 from marts.bilateral_sums('gregorian', $m, $m, [$p], null, null)",
                        {"m": month, "p": province}).fetchone()
        assert abs(s[0] - e) < TOL and abs(s[1] - p10) < TOL and abs(s[2] - p90) < TOL
