"""URL filters read against a real (tiny) DuckDB warehouse: defaults, fallbacks, hostile input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import jdatetime
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.db import Warehouse, identity
from analysis.filters import PARAMS, Allowed, FilterError, Filters
from etl.paths import REFERENCE
from etl.sqlrunner import model_files, model_name
from etl.warehouse import SCHEMA_VERSION

FIRST_DAY, LAST_DAY = dt.date(2020, 1, 1), dt.date(2024, 12, 31)
FOCUS = ("IR-01", "IR-02", "IR-27")
INJECTIONS = ("' or 1=1 --", "IR-01'); drop table core.flows; --", "1; drop table core.flows", "$provinces")

# One row per kind of record the warehouse holds; the range is 2020-01-01 .. 2024-12-31.
FLOWS_SQL = """
create schema core;
create table core.flows (
    source varchar, reporter_country varchar, reporter_region varchar, partner_country varchar, flow varchar,
    sector varchar, period_start date, period_end date, value_usd double
);
insert into core.flows values
    ('iran_customs', 'IR', 'IR-01', 'RU', 'export', 'agriculture', '2020-01-01', '2020-01-31', 100),
    ('iran_customs', 'IR', 'IR-02', 'RU', 'import', 'metals', '2022-06-01', '2022-06-30', 200),
    ('iran_customs', 'IR', 'IR-27', 'RU', 'export', null, '2024-03-20', '2024-04-19', 300),
    ('russia_customs', 'RU', 'RU-VGG', 'IR', 'import', 'fisheries', '2024-12-01', '2024-12-31', 400);
"""


@pytest.fixture(scope="module")
def warehouse_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("filters") / "trade.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute("create table meta as select * from (values ('version', 'test'), ('schema_version', $v)) "
                     "as m(key, value)", {"v": str(SCHEMA_VERSION)})
        con.execute("create schema ref")
        regions = pd.read_csv(REFERENCE / "regions.csv", dtype=str, keep_default_na=False)
        sectors = pd.read_csv(REFERENCE / "sector_names.csv", dtype={"sort": "int64"}, keep_default_na=False)
        con.register("regions_frame", regions)
        con.register("sectors_frame", sectors)
        con.execute("create table ref.regions as select * from regions_frame")
        con.execute("create table ref.sector_names as select * from sectors_frame")
        for model in model_files("ref"):  # ref.focus: which regions are the provinces
            con.execute(f"create view ref.{model_name(model)} as {model.read_text()}")
        con.execute(FLOWS_SQL)
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def wh(warehouse_path):
    warehouse = Warehouse(identity(warehouse_path))
    yield warehouse
    warehouse.close()


@pytest.fixture(scope="module")
def allowed(wh) -> Allowed:
    return Allowed.from_warehouse(wh)


@pytest.fixture(scope="module")
def default(allowed) -> Filters:
    filters, problems = Filters.from_query({}, allowed)
    assert problems == []
    return filters


def test_allowed_comes_from_the_warehouse(allowed):
    assert allowed.provinces == FOCUS  # RU-VGG is focus but not Iranian; IR-00 is Iranian but not focus
    assert allowed.sectors[:3] == ("agriculture", "fisheries", "food_industry")  # display order
    assert len(allowed.sectors) == 12
    assert (allowed.first_day, allowed.last_day) == (FIRST_DAY, LAST_DAY)


def test_defaults(default):
    assert default == Filters(
        lang="en", provinces=FOCUS, flow="both", date_from=dt.date(2021, 1, 1), date_to=LAST_DAY,
        month_from="2021-01", month_to="2024-12", sectors=(), hs=2, measure="usd", calendar="gregorian",
    )
    assert default.flows() == ("export", "import")
    assert default.to_query() == {
        "lang": "en", "provinces": "IR-01,IR-02,IR-27", "flow": "both", "from": "2021-01", "to": "2024-12",
        "sectors": "", "hs": "2", "measure": "usd", "calendar": "gregorian",
    }


def matching(wh: Warehouse, f: Filters) -> int:
    """Iranian-side records the filters select (a test query, to show the struct binds)."""
    count = """select count(*) as n from core.flows
               where list_contains($filters['provinces'], reporter_region)
                 and list_contains($filters['flows'], flow)
                 and period_start <= $filters['date_to'] and period_end >= $filters['date_from']
                 and list_contains($filters['sectors'], sector)"""
    return int(wh.query(count, {"filters": f.bound()})["n"][0])


def test_the_filters_bind_as_one_struct(wh, default, allowed):
    p = default.bound()
    assert p["sectors"] == list(allowed.sectors)  # none selected: every sector (rows without one are in none)
    assert p["flows"] == ["export", "import"] and p["provinces"] == list(FOCUS)
    assert (p["calendar"], p["date_from"], p["date_to"], p["measure"], p["hs"]) == \
        ("gregorian", dt.date(2021, 1, 1), LAST_DAY, "usd", 2)
    assert matching(wh, default) == 1  # the 2022 metals; the 2024 row has no sector
    metals, _ = Filters.from_query({"sectors": "metals"}, allowed)
    assert matching(wh, metals) == 1
    agriculture, _ = Filters.from_query({"sectors": "agriculture", "from": "2020-01"}, allowed)
    assert matching(wh, agriculture) == 1


def test_a_year_earlier(allowed):
    f, _ = Filters.from_query({"from": "2024-02", "to": "2024-02"}, allowed)
    earlier = f.year_earlier()
    assert (earlier.date_from, earlier.date_to) == (dt.date(2023, 2, 1), dt.date(2023, 2, 28))  # 29 Feb -> 28th


def test_persian_defaults_to_the_jalali_calendar(allowed):
    fa, problems = Filters.from_query({"lang": "fa"}, allowed)
    assert problems == []
    assert fa.calendar == "jalali"
    # last day 2024-12-31 is 1403-10-11; the default starts three Jalali years earlier
    assert (fa.month_from, fa.month_to) == ("1400-01", "1403-10")
    assert (fa.date_from, fa.date_to) == (dt.date(2021, 3, 21), dt.date(2025, 1, 19))
    assert Filters.from_query({"lang": "fa", "calendar": "gregorian"}, allowed)[0].calendar == "gregorian"
    assert Filters.from_query({"lang": "ru"}, allowed)[0].calendar == "gregorian"
    assert Filters.from_query({"calendar": "jalali"}, allowed)[0].month_to == "1403-10"


@pytest.mark.parametrize("month, first, last", [
    ("1403-01", dt.date(2024, 3, 20), dt.date(2024, 4, 19)),
    ("1399-12", dt.date(2021, 2, 19), dt.date(2021, 3, 20)),  # 1399 is a leap year: Esfand has 30 days
    ("1402-12", dt.date(2024, 2, 20), dt.date(2024, 3, 19)),
    ("1403-10", dt.date(2024, 12, 21), dt.date(2025, 1, 19)),
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
])
def test_months_convert_in_either_calendar(allowed, month, first, last):
    f, problems = Filters.from_query({"from": month, "to": month}, allowed)
    assert problems == []
    assert (f.date_from, f.date_to, f.month_from, f.month_to) == (first, last, month, month)


@pytest.mark.parametrize("given, label", [("2024-5", "2024-05"), ("2024/05", "2024-05"), (" 1403-1 ", "1403-01"),
                                          ("۱۴۰۳-۰۱", "1403-01"), ("١٤٠٣/٠١", "1403-01")])
def test_months_are_normalised(allowed, given, label):
    f, problems = Filters.from_query({"from": given}, allowed)
    assert problems == [] and f.month_from == label


def test_mixed_calendars_in_one_range(allowed):
    f, problems = Filters.from_query({"from": "1399-01", "to": "2024-06", "calendar": "gregorian"}, allowed)
    assert problems == []
    assert (f.date_from, f.date_to) == (dt.date(2020, 3, 20), dt.date(2024, 6, 30))


def test_default_from_follows_a_given_to(allowed):
    f, problems = Filters.from_query({"to": "2023-06"}, allowed)
    assert problems == [] and (f.month_from, f.month_to) == ("2020-01", "2023-06")  # 2020-01 is the data's start
    f, problems = Filters.from_query({"to": "2024-06"}, allowed)
    assert problems == [] and f.month_from == "2021-01"


INVALID = [
    ("lang", "de"), ("lang", "<script>alert(1)</script>"),
    ("provinces", "IR-99"), ("provinces", "RU-VGG"), ("provinces", "IR-00"), ("provinces", "Gilan"),
    ("flow", "sideways"), ("flow", "exports"),
    ("from", "2024-13"), ("from", "1403-00"), ("from", "1700-01"), ("from", "1368-01"), ("from", "2101-01"),
    ("from", "24-01"), ("from", "2024-05-01"), ("from", "yesterday"), ("from", "२०२४-०१"),
    ("to", "2024-00"), ("to", "1403-13"), ("to", "May 2024"),
    ("sectors", "industry"), ("sectors", "agriculture;fisheries"),
    ("hs", "3"), ("hs", "02"), ("hs", "two"), ("hs", "۸"),
    ("measure", "tonnes"), ("calendar", "julian"),
]


@pytest.mark.parametrize("param, value", INVALID)
def test_every_invalid_value_falls_back_with_a_problem(allowed, default, param, value):
    f, problems = Filters.from_query({param: value}, allowed)
    assert f == default
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.param, problem.code) == (param, f"invalid_{param}")
    assert problem.message.startswith(f"{param}=") and "expected" in problem.message
    assert problem.allowed
    with pytest.raises(FilterError, match=f"^{param}="):
        Filters.parse_strict({param: value}, allowed)


def test_the_message_names_what_is_accepted(allowed):
    _, [problem] = Filters.from_query({"flow": "sideways"}, allowed)
    assert problem.message == "flow='sideways' is not valid; expected export, import or both"
    assert problem.allowed == ("export", "import", "both")
    _, [problem] = Filters.from_query({"provinces": "IR-01,IR-99"}, allowed)
    assert problem.message == "provinces='IR-99' is not valid; expected IR-01, IR-02 or IR-27"


def test_unknown_items_are_dropped_and_the_rest_kept(allowed):
    f, problems = Filters.from_query({"provinces": "ir-02, IR-99,IR-01,IR-01,", "sectors": "Metals,nope,x"}, allowed)
    assert (f.provinces, f.sectors) == (("IR-01", "IR-02"), ("metals",))
    assert [(p.param, p.value) for p in problems] == [("provinces", "IR-99"), ("sectors", "nope,x")]


def test_blank_values_mean_the_default(allowed, default):
    assert Filters.from_query(dict.fromkeys(PARAMS, ""), allowed) == (default, [])
    assert Filters.from_query(dict.fromkeys(PARAMS, []), allowed) == (default, [])


class FakeQueryParams(dict):
    """Streamlit's st.query_params: indexing gives the last value, get_all gives all of them."""

    def get_all(self, key):
        return list(self.get(key, []))


@pytest.mark.parametrize("params", [{"flow": ["export", "import"]}, FakeQueryParams(flow=["export", "import"])])
def test_a_repeated_key_uses_the_first_value_and_is_reported(allowed, params):
    f, [problem] = Filters.from_query(params, allowed)
    assert f.flow == "export"
    assert (problem.param, problem.code) == ("flow", "repeated_param")
    with pytest.raises(FilterError, match="flow is given 2 times"):
        Filters.parse_strict(params, allowed)


def test_from_after_to_falls_back_to_the_default_period(allowed, default):
    f, [problem] = Filters.from_query({"from": "2024-01", "to": "2023-01"}, allowed)
    assert (f.month_from, f.month_to) == (default.month_from, default.month_to)
    assert (problem.code, problem.param) == ("from_after_to", "from,to")


@pytest.mark.parametrize("query, months, codes", [
    ({"from": "2010-01"}, ("2020-01", "2024-12"), ["before_data"]),
    ({"from": "2019-12", "to": "2022-01"}, ("2020-01", "2022-01"), ["before_data"]),
    ({"to": "2030-12"}, ("2021-01", "2024-12"), ["after_data"]),
    ({"to": "1404-06", "calendar": "jalali"}, ("1400-01", "1403-10"), ["after_data"]),
    ({"from": "1398-01", "to": "1398-09"}, ("1398-10", "1398-10"), ["before_data", "before_data"]),
    ({"from": "2030-01", "to": "2031-01"}, ("2024-12", "2024-12"), ["after_data", "after_data"]),
])
def test_months_outside_the_data_are_clamped_and_reported(allowed, query, months, codes):
    f, problems = Filters.from_query(query, allowed)
    assert (f.month_from, f.month_to) == months
    assert [p.code for p in problems] == codes
    assert f.date_to >= FIRST_DAY and f.date_from <= LAST_DAY


def test_injection_is_refused_and_the_table_survives(warehouse_path, wh, allowed, default):
    for text in INJECTIONS:
        query = {param: text for param in PARAMS}
        f, problems = Filters.from_query(query, allowed)
        assert f == default
        assert {p.param for p in problems} == set(PARAMS)
        bound = f.bound()
        assert set(bound["provinces"]) <= set(allowed.provinces) and set(bound["sectors"]) <= set(allowed.sectors)
        assert not any(text in str(v) for v in bound.values())
        assert matching(wh, f) == 1
    reopened = Warehouse(identity(warehouse_path))
    try:
        assert reopened.query("select count(*) as n from core.flows")["n"][0] == 4
    finally:
        reopened.close()


def test_hostile_values_are_cut_and_escaped_in_messages(allowed):
    long = "<b>" + "x" * 10_000
    f, [problem] = Filters.from_query({"lang": long}, allowed)
    assert f.lang == "en"
    assert problem.value == long[:60] + "…"
    assert len(problem.message) < 200
    _, [problem] = Filters.from_query({"flow": "a\u202eb\x00c"}, allowed)
    assert "\u202e" not in problem.message and "\x00" not in problem.message and "\\u202e" in problem.message
    _, [problem] = Filters.from_query({"sectors": ",".join(["bad"] * 5000)}, allowed)
    assert len(problem.message) < 400


def test_strict_mode_returns_valid_filters(allowed):
    f = Filters.parse_strict({"flow": "export", "from": "1403-01", "to": "1403-06", "hs": "4"}, allowed)
    assert (f.flow, f.hs, f.date_from, f.date_to) == ("export", 4, dt.date(2024, 3, 20), dt.date(2024, 9, 21))


def month_label(day: dt.date, calendar: str) -> str:
    if calendar == "jalali":
        j = jdatetime.date.fromgregorian(date=day)
        return f"{j.year:04d}-{j.month:02d}"
    return f"{day.year:04d}-{day.month:02d}"


@st.composite
def valid_queries(draw) -> dict[str, str]:
    days = sorted(draw(st.lists(st.dates(FIRST_DAY, LAST_DAY), min_size=2, max_size=2)))
    query = {
        "lang": draw(st.sampled_from(["en", "fa", "ru"])),
        "provinces": ",".join(draw(st.lists(st.sampled_from(FOCUS), min_size=1, unique=True))),
        "flow": draw(st.sampled_from(["export", "import", "both"])),
        "from": month_label(days[0], draw(st.sampled_from(["gregorian", "jalali"]))),
        "to": month_label(days[1], draw(st.sampled_from(["gregorian", "jalali"]))),
        "sectors": ",".join(draw(st.lists(st.sampled_from(SECTORS), unique=True))),
        "hs": draw(st.sampled_from(["2", "4", "6"])),
        "measure": draw(st.sampled_from(["usd", "kg"])),
        "calendar": draw(st.sampled_from(["gregorian", "jalali"])),
    }
    absent = draw(st.sets(st.sampled_from(PARAMS)))
    return {k: v for k, v in query.items() if k not in absent}


SECTORS = tuple(pd.read_csv(REFERENCE / "sector_names.csv")["sector"])


@settings(max_examples=200, deadline=None)
@given(query=valid_queries())
def test_valid_queries_round_trip(allowed, query):
    f, problems = Filters.from_query(query, allowed)
    assert problems == []
    assert Filters.from_query(f.to_query(), allowed) == (f, [])
    assert f.date_from <= f.date_to


hostile_text = st.one_of(st.text(max_size=80), st.sampled_from(INJECTIONS + ("2024-13", "1403-00", "IR-01")))


@settings(max_examples=300, deadline=None)
@given(query=st.dictionaries(st.sampled_from(PARAMS + ("page",)),
                             st.one_of(hostile_text, st.lists(hostile_text, max_size=3))))
def test_any_query_gives_valid_filters_that_round_trip(allowed, query):
    f, problems = Filters.from_query(query, allowed)
    assert set(f.provinces) <= set(allowed.provinces) and f.provinces
    assert set(f.sectors) <= set(allowed.sectors)
    assert f.flow in ("export", "import", "both") and f.hs in (2, 4, 6)
    assert f.date_from <= f.date_to and f.date_to >= FIRST_DAY and f.date_from <= LAST_DAY
    assert all(len(p.value) <= 61 for p in problems)
    assert Filters.from_query(f.to_query(), allowed) == (f, [])
