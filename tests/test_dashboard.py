"""Every page in every language through Streamlit's AppTest, against the sample warehouse."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analysis import i18n
from analysis.i18n import t
from tests.conftest import ROOT

PAGES = ("overview", "sectors", "trends", "gaps", "routes", "data")
LANGS = ("en", "fa", "ru")
MIN_CHARTS = {"overview": 3, "sectors": 3, "trends": 5, "gaps": 6, "routes": 3, "data": 1}


def app(page: str, **params) -> AppTest:
    """The app as the server runs it: dashboard.py is the entry point, pages/ its pages."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    if page != "/":
        at.switch_page(f"pages/{page}.py")
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_page_draws_in_every_language(page, lang, sample_warehouse, use_warehouse):
    use_warehouse(sample_warehouse)
    at = app(page, lang=lang)
    assert not at.exception, at.exception
    assert at.title[0].value == t(f"nav.{page}", lang)
    assert any(w.value == t("banner.sample", lang) for w in at.warning)
    assert len(at.get("plotly_chart")) >= MIN_CHARTS[page]
    assert at.query_params["lang"] == lang
    assert not at.error


def test_root_is_the_overview(sample_warehouse, use_warehouse):
    use_warehouse(sample_warehouse)
    at = app("/")
    assert not at.exception
    assert at.title[0].value == t("nav.overview", "en")


def test_filters_round_trip_through_the_url(sample_warehouse, use_warehouse):
    use_warehouse(sample_warehouse)
    wanted = {"lang": "ru", "provinces": "IR-02,IR-27", "flow": "export", "from": "2023-03", "to": "2024-06",
              "sectors": "agriculture,food_industry", "hs": "4", "measure": "kg", "calendar": "gregorian"}
    at = app("sectors", **wanted)
    assert not at.exception
    assert dict(at.query_params) == wanted
    assert not at.info  # nothing was refused
    measure = next(r for r in at.radio if r.label == t("filter.measure", "ru"))
    assert measure.value == "kg"
    provinces = next(m for m in at.multiselect if m.label == t("filter.provinces", "ru"))
    assert provinces.value == ["IR-02", "IR-27"]


def test_changing_a_filter_writes_the_url(sample_warehouse, use_warehouse):
    use_warehouse(sample_warehouse)
    at = app("overview")
    flow = next(r for r in at.radio if r.label == t("filter.flow", "en"))
    flow.set_value("import").run()
    assert not at.exception
    assert at.query_params["flow"] == "import"


@pytest.mark.parametrize("param,value", [("flow", "sideways"), ("hs", "7"), ("from", "2024-13"),
                                         ("provinces", "IR-99"), ("lang", "de"), ("measure", "'; drop table x; --")])
def test_invalid_parameter_is_named_and_falls_back(param, value, sample_warehouse, use_warehouse):
    use_warehouse(sample_warehouse)
    at = app("trends", **{param: value})
    assert not at.exception
    if param == "lang":  # an unknown language falls back to English with a note
        assert at.title[0].value == t("nav.trends", "en")
    messages = " ".join(i.value for i in at.info)
    assert param in messages
    assert at.query_params[param] != value


def test_no_warehouse_says_how_to_build_one(tmp_path, use_warehouse):
    use_warehouse(tmp_path / "missing.duckdb")
    at = app("overview")
    assert not at.exception
    assert "python -m etl refresh --sample" in at.error[0].value


def test_corrupt_warehouse_says_how_to_rebuild(tmp_path, use_warehouse):
    bad = tmp_path / "trade.duckdb"
    bad.write_bytes(b"this is not a duckdb file" * 100)
    use_warehouse(bad)
    at = app("overview", lang="fa")
    assert not at.exception
    assert "python -m etl refresh" in at.error[0].value


def test_a_refresh_shows_on_the_next_interaction(tmp_path, sample_warehouse, fixture_raw, use_warehouse, ref):
    """The dashboard keeps running while `python -m etl refresh` swaps the file; the next rerun
    shows the new version (results are cached per version), without an error."""
    import shutil

    from etl import refresh, warehouse

    live = tmp_path / "trade.duckdb"
    shutil.copyfile(sample_warehouse, live)
    use_warehouse(live)
    at = app("data")
    old = warehouse.read_meta(live)["version"]
    assert any(old in c.value for c in at.caption)
    result = refresh.refresh(fixture_raw, live, ref=ref)
    assert result.published and result.meta["version"] != old
    at.run()
    assert not at.exception
    assert any(result.meta["version"] in c.value for c in at.caption), [c.value for c in at.caption]
    assert not any(w.value == t("banner.sample", "en") for w in at.warning)  # the fixtures are not sample data


def test_broken_live_warehouse_offers_the_previous_one(tmp_path, sample_warehouse, use_warehouse):
    import shutil

    from etl import warehouse

    live = tmp_path / "trade.duckdb"
    live.write_bytes(b"\0" * 4096)  # a torn file
    shutil.copyfile(sample_warehouse, warehouse.previous_path(live))
    use_warehouse(live)
    at = app("overview", lang="ru")
    assert not at.exception
    assert "python -m etl refresh" in at.error[0].value
    assert "trade.previous.duckdb" in at.info[0].value
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == t("nav.overview", "ru")  # the page, drawn from the previous version
    version = warehouse.read_meta(warehouse.previous_path(live))["version"]
    assert any(version in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) >= 3


# ---------------------------------------------------------------- errors told apart


def test_a_query_that_fails_is_shown_as_a_bug_and_the_session_goes_on(tmp_path, sample_warehouse, use_warehouse,
                                                                       caplog):
    """A query error is a bug in the dashboard, not a broken warehouse: the chart it feeds says so in
    place, the error is logged with its traceback, the rest of the page draws, and the next
    interaction works (no rebuild page, the session is not marked broken)."""
    import shutil

    import duckdb

    from analysis import charts

    live = tmp_path / "trade.duckdb"
    shutil.copyfile(sample_warehouse, live)
    con = duckdb.connect(str(live))
    con.execute("alter table marts.mirror drop column m_usd")  # analysis/sql/mirror.sql reads it
    con.execute("update meta set value = value || '-broken' where key = 'version'")  # results are cached by version
    con.close()
    use_warehouse(live)
    caplog.set_level("ERROR", logger="ctm.dashboard")

    at = app("gaps", lang="ru")
    assert not at.exception
    (box,) = at.error
    head = t("error.bug", "ru", what="§", error="§").split("§")[0]
    assert box.value.startswith(head) and charts.BY_KEY["gaps_mirror"].title_text("ru") in box.value
    assert "BinderException" in box.value and "m_usd" in box.value
    assert "python -m etl refresh" not in box.value
    assert len(at.get("plotly_chart")) == 5  # every other chart of the page
    assert "broken_live" not in at.session_state
    logged = [r for r in caplog.records if r.name == "ctm.dashboard"]
    assert logged and logged[0].exc_info and "BinderException" in logged[0].exc_text

    flow = next(r for r in at.radio if r.label == t("filter.flow", "ru"))
    flow.set_value("export").run()  # the session keeps working
    assert not at.exception
    assert at.title[0].value == t("nav.gaps", "ru") and len(at.error) == 1
    assert at.query_params["flow"] == "export"


def test_a_warehouse_damaged_inside_leads_to_the_rebuild_page(tmp_path, sample_warehouse, use_warehouse):
    """Cut short, the file still opens and its meta table reads; the first query fails with an I/O
    error, which is damage, not a bug: the page says how to rebuild."""
    import streamlit as st

    st.cache_data.clear()  # results cached for this version by earlier tests would never read the file
    live = tmp_path / "trade.duckdb"
    data = sample_warehouse.read_bytes()
    live.write_bytes(data[: len(data) // 3])
    use_warehouse(live)
    at = app("overview")
    assert not at.exception
    (box,) = at.error
    assert box.value == t("error.warehouse_corrupt", "en", error="IOException", command="`python -m etl refresh`")
    assert at.session_state["broken_live"]


def test_a_warehouse_of_an_older_schema_says_to_rebuild(tmp_path, sample_warehouse, use_warehouse):
    import shutil

    import duckdb

    live = tmp_path / "trade.duckdb"
    shutil.copyfile(sample_warehouse, live)
    con = duckdb.connect(str(live))
    con.execute("update meta set value = '1' where key = 'schema_version'")
    con.close()
    use_warehouse(live)
    at = app("trends", lang="fa")
    assert not at.exception
    assert "python -m etl refresh" in at.error[0].value and "schema 1" in at.error[0].value


@pytest.mark.parametrize("lang", LANGS)
def test_headline_context_says_when_volgograds_customs_are_silent(lang, sample_warehouse, use_warehouse):
    """The sample, like reality, has Volgograd's own figures (FCS) to 2022-01: over 2023 the context line
    says Russian customs published nothing rather than showing $0; over 2021 it gives their figure and
    months (12 of 12). The figures are read from the warehouse."""
    from tests.conftest import query

    def reported(side: str, year: int) -> str:
        total = query(sample_warehouse, "select sum(value_usd) from marts.reported where calendar = 'gregorian' "
                      "and side = $side and with_other_side and year = $year", {"side": side, "year": year})[0][0]
        return i18n.fmt_compact(total, lang, "usd")

    twelve = i18n.fmt_number(12, lang)
    use_warehouse(sample_warehouse)
    for year, key in ((2023, "overview.reported_partner_silent"), (2021, "overview.reported")):
        at = app("overview", lang=lang, calendar="gregorian", **{"from": f"{year}-01", "to": f"{year}-12"})
        expected = t(key, lang, provinces=reported("province", year), volgograd=reported("partner", year),
                     months=twelve, province_months=twelve, partner_months=twelve)
        assert expected in [c.value for c in at.caption], (year, expected)


# ---------------------------------------------------------------- warm-up (pages.ui.warmup)


def _new_version(sample_warehouse, path, suffix: str):
    """A copy of the sample warehouse under a version no test has cached yet."""
    import shutil

    import duckdb

    shutil.copyfile(sample_warehouse, path)
    con = duckdb.connect(str(path))
    con.execute("update meta set value = value || $s where key = 'version'", {"s": suffix})
    con.close()
    return path


def test_the_warm_up_runs_every_query_a_first_visit_would(tmp_path, sample_warehouse, use_warehouse, monkeypatch,
                                                          caplog):
    """After the warm-up of a new version, a first visit of every page in every language with the
    default filters runs no query on the warehouse: all it needs is in the shared caches."""
    from analysis import db
    from pages.ui import warmup

    use_warehouse(_new_version(sample_warehouse, tmp_path / "trade.duckdb", "-warm"))
    ran: list[str] = []
    real_query = db.Warehouse.query

    def counted(self, sql, params=None):  # a spy: the real query runs
        ran.append(sql)
        return real_query(self, sql, params)

    monkeypatch.setattr(db.Warehouse, "query", counted)
    caplog.set_level("INFO", logger="ctm.dashboard")
    assert warmup.warm_all() == (len(PAGES) * len(LANGS), 0)
    assert len(ran) > 20
    assert any("warm-up of version" in r.message and "-warm: 18 views" in r.message for r in caplog.records)
    ran.clear()
    for page in PAGES:
        for lang in LANGS:
            at = app(page, lang=lang)
            assert not at.exception and not at.error
    assert ran == []


def test_the_warm_up_never_breaks_on_a_missing_or_broken_warehouse(tmp_path, sample_warehouse, use_warehouse,
                                                                   caplog):
    from pages.ui import warmup

    caplog.set_level("INFO", logger="ctm.dashboard")
    use_warehouse(tmp_path / "missing.duckdb")
    assert warmup.warm_all() == (0, 0)
    torn = tmp_path / "torn.duckdb"
    torn.write_bytes(b"this is not a duckdb file" * 100)
    use_warehouse(torn)
    assert warmup.warm_all() == (0, 0)
    cut = tmp_path / "cut.duckdb"  # cut short: refused on opening or on its first query, never raised
    data = _new_version(sample_warehouse, tmp_path / "whole.duckdb", "-cut").read_bytes()
    cut.write_bytes(data[: len(data) // 3])
    use_warehouse(cut)
    assert warmup.warm_all() in ((0, 0), (0, 1))
    messages = [r.message for r in caplog.records if "warm-up" in r.message]
    assert any("skipped" in m and "WarehouseMissing" in m for m in messages)
    assert any("skipped" in m and "not a valid DuckDB" in m for m in messages)
    assert len(messages) == 3
    at = app("overview")  # the page still says how to rebuild
    assert not at.exception and "python -m etl refresh" in at.error[0].value


def test_a_script_run_starts_no_warm_up(sample_warehouse, use_warehouse):
    """Only `python -m pages.ui.serve` starts the warm-up's watcher: AppTest creates a runtime too, and a
    watcher left in a test process would warm pages (and run queries) behind other tests' backs."""
    import threading

    from pages.ui import warmup

    use_warehouse(sample_warehouse)
    assert not app("trends").exception
    assert warmup.THREAD_NAME not in [t.name for t in threading.enumerate()]
