"""The national total T by month (docs/estimate.md §2), given rows -> expected rows, through the real ETL
on files in the real formats: where a reporter gave UN Comtrade all twelve months of a year, T's months
follow that reporter's monthly profile and keep the chosen reporter's (Iran's) annual level; a reporter's
months that its annual record also holds are not counted twice."""

from __future__ import annotations

import pytest

from etl.estimate.inputs import CIF_FOB_MARGIN
from tests import raw_files
from tests.conftest import query
from tests.test_estimate_methods import KIWI, TEA, build, iran_rows, jalali_months

TAU = 1 + CIF_FOB_MARGIN
IRAN_2020 = 1_000_000.0  # Iran's kiwi exports to Russia in 2020, FOB, as Iran told Comtrade
# Russia's kiwi imports from Iran in 2020 month by month (CIF), with no record in June (no trade)
RU_KIWI = {1: 90_000, 2: 80_000, 3: 40_000, 4: 20_000, 5: 10_000, 7: 5_000, 8: 5_000, 9: 15_000,
           10: 60_000, 11: 120_000, 12: 150_000}


@pytest.fixture(scope="module")
def timed(tmp_path_factory, ref):
    """Mazandaran's kiwi and tea to Russia through 2020; Iran's annual Comtrade records for 2020; Russia's
    annual records for 2020 *and* its twelve months (tea in every month, kiwi in eleven)."""
    raw = tmp_path_factory.mktemp("timed")
    months = jalali_months((1398, 10), 13)  # Dey 1398 (Dec 2019) .. Dey 1399 (Jan 2021)
    raw_files.iran(raw / "iran.csv", iran_rows("IR-02", "08105000", months, [5000 + 100 * i for i in range(13)])
                   + iran_rows("IR-02", "09024000", months, [700] * 13))
    raw_files.comtrade(raw / "iran_annual.json", [
        dict(reporter="IR", partner="RU", flow="X", year=2020, hs6=KIWI, usd=IRAN_2020),
        dict(reporter="IR", partner="RU", flow="X", year=2020, hs6=TEA, usd=50_000)])
    raw_files.comtrade(raw / "russia_annual.json", [
        dict(reporter="RU", partner="IR", flow="M", year=2020, hs6=KIWI, usd=sum(RU_KIWI.values())),
        dict(reporter="RU", partner="IR", flow="M", year=2020, hs6=TEA, usd=12 * 4_500)])
    raw_files.comtrade(raw / "russia_monthly.json",
                       [dict(reporter="RU", partner="IR", flow="M", year=2020, month=m, hs6=KIWI, usd=u)
                        for m, u in RU_KIWI.items()]
                       + [dict(reporter="RU", partner="IR", flow="M", year=2020, month=m, hs6=TEA, usd=4_500)
                          for m in range(1, 13)])
    return build(raw, ref)


def test_t_months_follow_the_monthly_reporter_and_keep_iran_s_level(timed):
    rows = query(timed, "select month(month_start), t_usd, t_source from marts.bilateral_totals "
                 "where flow = 'export' and hs6 = $k and year = 2020 order by 1", {"k": KIWI})
    assert len(rows) == 12
    assert {r[2] for r in rows} == {"comtrade IR timed by RU monthly"}
    # the level is Iran's year (FOB); the months are Russia's profile (its CIF margin cancels)
    assert sum(r[1] for r in rows) == pytest.approx(IRAN_2020)
    total = sum(RU_KIWI.values())
    for month, t_usd, _ in rows:
        assert t_usd == pytest.approx(IRAN_2020 * RU_KIWI.get(month, 0) / total), month
    # a year without anyone's months keeps the spread and says so
    other = query(timed, "select distinct t_source from marts.bilateral_totals where flow = 'export' "
                  "and hs6 = $k and year = 2021", {"k": KIWI})
    assert other == [("carried from 2020",)]


def test_the_estimator_sees_the_monthly_source(timed):
    sources = query(timed, "select distinct t_source, t_reporter from marts.bilateral where calendar = 'gregorian' "
                    "and hs6 = $k and year = 2020", {"k": KIWI})
    assert sources == [("comtrade IR timed by RU monthly", "IR")]


def test_a_reporter_s_months_and_its_annual_record_count_once(timed):
    # Russia's 2020 kiwi: the annual record, not the annual record plus its eleven months
    national = query(timed, "select usd_cif from marts.bilateral_national where reporter = 'RU' and hs6 = $k "
                     "and year = 2020", {"k": KIWI})
    assert national == [(pytest.approx(sum(RU_KIWI.values())),)]
    mirror = query(timed, "select sum(m_usd) from marts.mirror where calendar = 'gregorian' and year = 2020 "
                   "and importer = 'RU'")
    assert mirror == [(pytest.approx(sum(RU_KIWI.values()) + 12 * 4_500),)]
    # the months are still loaded (and kept out of the grid by core.superseded_months)
    assert query(timed, "select count(*) from core.superseded_months")[0][0] == len(RU_KIWI) + 12
    assert query(timed, "select count(*) from core.flows where source = 'comtrade' and freq = 'M'")[0][0] == \
        len(RU_KIWI) + 12


def test_months_alone_are_the_level_where_there_is_no_annual_record(tmp_path, ref):
    raw = tmp_path / "raw"
    raw.mkdir()
    months = jalali_months((1398, 10), 13)
    raw_files.iran(raw / "iran.csv", iran_rows("IR-02", "08105000", months, [5000] * 13))
    raw_files.comtrade(raw / "russia_monthly.json",
                       [dict(reporter="RU", partner="IR", flow="M", year=2020, month=m, hs6=KIWI, usd=1000 * m)
                        for m in range(1, 13)])
    db = build(raw, ref)
    assert query(db, "select usd_cif from marts.bilateral_national where reporter = 'RU' and year = 2020") == \
        [(pytest.approx(78_000),)]
    rows = query(db, "select month(month_start), t_usd, t_source from marts.bilateral_totals "
                 "where flow = 'export' and hs6 = $k and year = 2020 order by 1", {"k": KIWI})
    assert {r[2] for r in rows} == {"comtrade RU monthly"}
    assert [r[1] for r in rows] == pytest.approx([1000 * m / TAU for m in range(1, 13)])
