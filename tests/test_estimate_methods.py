"""The estimator's methods and ψ sources, given rows -> expected rows, through the real ETL on files in
the real formats: proportional (no evidence: ψ = 1 and the cell is A·B/T), direct, regression, pooled,
nowcast with its benchmark, bounds_only, one_side, and the two conflict reports."""

from __future__ import annotations

import math

import numpy as np
import pytest

from etl import refresh
from etl.estimate.inputs import CIF_FOB_MARGIN
from tests import raw_files
from tests.conftest import query

TAU = 1 + CIF_FOB_MARGIN
KIWI, TEA = "081050", "090240"


def build(raw, ref):
    live = raw / "trade.duckdb"
    result = refresh.refresh(raw, live, ref=ref)
    assert result.published, result.reason
    return live


def iran_rows(province, hs8, months, values, flow="export"):
    return [dict(province=province, flow=flow, hs8=hs8, jyear=y, jmonth=m, usd=round(v, 2), kg=round(v / 2))
            for (y, m), v in zip(months, values, strict=True)]


def jalali_months(first: tuple[int, int], n: int) -> list[tuple[int, int]]:
    y, m = first
    out = []
    for _ in range(n):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def cells(db, where: str = "true", params: dict | None = None) -> list[dict]:
    rows = query(db, "select * from marts.bilateral where calendar = 'gregorian' and " + where
                 + " order by province, flow, hs6, month_start", params)
    cols = [r[0] for r in query(db, "select column_name from (describe marts.bilateral)")]
    return [dict(zip(cols, r, strict=True)) for r in rows]


@pytest.fixture(scope="module")
def plain(tmp_path_factory, ref):
    """Mazandaran's and Gilan's kiwi to Russia, Volgograd's kiwi imports from Iran in 2024's first
    quarter, Comtrade for 2024: no direct figure, too few months for a regression -> ψ = 1."""
    raw = tmp_path_factory.mktemp("plain")
    months = jalali_months((1402, 10), 4)  # Dey 1402 .. Farvardin 1403
    raw_files.iran(raw / "iran.csv", iran_rows("IR-02", "08105000", months, [3000, 5000, 4000, 2000])
                   + iran_rows("IR-01", "08105000", months, [1000, 800, 1200, 600]))
    raw_files.russia(raw / "volgograd.csv", [dict(flow="import", period=f"{m:02d}/2024", tnved="0810500000", usd=u)
                                              for m, u in ((1, 1500), (2, 2500), (3, 1800))])
    raw_files.comtrade(raw / "comtrade.json", [dict(reporter="IR", partner="RU", flow="X", year=2024, hs6=KIWI,
                                                    usd=90000)])
    return build(raw, ref)


def test_psi_one_gives_a_b_over_t_with_the_margin_and_the_bounds(plain):
    rows = cells(plain, "province <> 'IR-27' and month_start between '2024-01-01' and '2024-03-01'")
    assert {r["method"] for r in rows} == {"proportional"} and {r["psi_source"] for r in rows} == {"default"}
    b_reported = {1: 1500, 2: 2500, 3: 1800}
    for r in rows:
        # B on the Iranian side's basis: Volgograd's imports are CIF, the provinces' exports FOB
        assert r["b_usd"] == pytest.approx(b_reported[r["month_start"].month] / TAU)
        assert r["psi"] == 1.0 and r["t_reporter"] == "IR"
        assert r["estimate_usd"] == pytest.approx(r["a_usd"] * r["b_usd"] / max(r["t_usd"], r["b_usd"]), rel=1e-9)
        # the bounds on either basis: T at its higher reading, each side as its customs recorded it
        assert r["lower_usd"] == pytest.approx(max(0.0, r["a_usd"] + r["b_usd"] - r["t_usd"] * TAU))
        assert r["upper_usd"] == pytest.approx(min(r["a_usd"], r["b_usd"] * TAU))
        assert r["lower_usd"] <= r["p10_usd"] < r["estimate_usd"] < r["p90_usd"] <= r["upper_usd"]
        assert r["psi_p10"] == pytest.approx(math.exp(-1.2816), rel=1e-3)  # the default ln ψ ~ N(0, 1)


def test_t_is_the_year_spread_over_the_provinces_months(plain):
    # 2024: Iranian customs cover January..April (Dey 1402 ends 20 January, Farvardin 1403 ends
    # 19 April), so those four months take 4/12 of the year's total in proportion to the provinces' trade.
    rows = query(plain, "select month_start, sum(t_usd) from marts.bilateral_totals where hs6 = $k and year = 2024 "
                 "group by all order by 1", {"k": KIWI})
    assert sum(t for _, t in rows) == pytest.approx(90000)
    covered = sum(t for m, t in rows if m.month <= 4)
    assert covered == pytest.approx(90000 * 4 / 12)


def test_a_province_whose_customs_are_silent_gets_bounds_only_from_volgograd(plain):
    rows = cells(plain, "province = 'IR-27' and month_start = '2024-02-01'")
    assert [(r["method"], r["estimate_usd"], r["lower_usd"], r["upper_usd"]) for r in rows] == [
        ("one_side", None, 0.0, pytest.approx(2500.0))]


@pytest.fixture(scope="module")
def nowcast(tmp_path_factory, ref):
    """Volgograd's customs report 2023 in full and fall silent from January 2024; Comtrade (Iran) has
    2023 and 2024; Volgograd's published total for 2024 exists. Two products, two provinces."""
    raw = tmp_path_factory.mktemp("nowcast")
    months = jalali_months((1401, 10), 28)  # Dey 1401 (Dec 2022) .. Farvardin 1404 (April 2025)
    rng = np.random.default_rng(7)
    rows = []
    for province, scale in (("IR-02", 4000), ("IR-01", 1500)):
        for hs8 in ("08105000", "09024000"):
            rows += iran_rows(province, hs8, months, scale * rng.uniform(0.5, 1.5, len(months)))
    raw_files.iran(raw / "iran.csv", rows)
    raw_files.russia(raw / "volgograd.csv", [
        dict(flow="import", period=f"{m:02d}/2023", tnved=tn, usd=round(u * rng.uniform(0.8, 1.2), 2))
        for m in range(1, 13) for tn, u in (("0810500000", 3000), ("0902400000", 1000))])
    raw_files.comtrade(raw / "comtrade.json", [
        dict(reporter="IR", partner="RU", flow="X", year=y, hs6=k, usd=v)
        for y in (2023, 2024) for k, v in ((KIWI, 200000), (TEA, 150000))])
    raw_files.manual(raw / "published.csv", [dict(reporter_country="RU", reporter_region="RU-VGG",
                                                  partner_country="IR", flow="import", period="2024",
                                                  usd=60000)])
    return build(raw, ref)


def test_silent_months_are_nowcast_from_the_last_reported_month(nowcast):
    rows = cells(nowcast, "month_start >= '2024-01-01'")
    assert rows and {r["method"] for r in rows} == {"nowcast"}
    assert {r["nowcast_from"].isoformat() for r in rows} == {"2023-12-01"}
    assert {r["b_source"] for r in rows} == {"nowcast"}
    for r in rows:
        assert r["months_since"] == (r["month_start"].year - 2023) * 12 + r["month_start"].month - 12
        assert r["estimate_usd"] == pytest.approx(r["a_usd"] * r["b_usd"] / max(r["t_usd"], r["a_usd"]), rel=1e-6)
        assert r["lower_usd"] == 0.0 and r["upper_usd"] == pytest.approx(r["a_usd"])


def test_the_nowcast_carries_volgograd_s_share_and_meets_the_published_total(nowcast):
    share = dict(query(nowcast, "select hs6, max(share) from marts.bilateral_volgograd where b_source = 'nowcast' "
                       "group by 1"))
    for hs6 in (KIWI, TEA):
        b23, t23 = query(nowcast, "select sum(b_usd) from marts.bilateral_volgograd where hs6 = $k and "
                         "year(month_start) = 2023", {"k": hs6})[0][0], 0
        t23 = query(nowcast, "select sum(t_usd) from marts.bilateral_totals where hs6 = $k and year = 2023",
                    {"k": hs6})[0][0]
        assert share[hs6] == pytest.approx(b23 / t23)
    total_2024 = query(nowcast, "select sum(b_usd) from marts.bilateral_volgograd where year(month_start) = 2024")[0][0]
    assert total_2024 == pytest.approx(60000 / TAU)  # a published total is Volgograd's side: its imports CIF
    lam = [r[0] for r in query(nowcast, "select benchmark from marts.bilateral_volgograd where hs6 = $k and "
                               "b_source = 'nowcast' order by month_start", {"k": KIWI})]
    assert max(abs(x - y) for x, y in zip(lam, lam[1:], strict=False)) < 0.2 * max(lam)  # Denton: no steps


def test_the_interval_widens_with_the_months_since_the_last_report(nowcast):
    rows = query(nowcast, "select months_since, median((p90_usd - p10_usd) / estimate_usd) from marts.bilateral "
                 "where calendar = 'gregorian' and method = 'nowcast' and month_start >= '2025-01-01' "
                 "group by 1 order by 1")
    widths = [w for _, w in rows]
    assert len(widths) >= 3 and all(b >= a for a, b in zip(widths, widths[1:], strict=False))


@pytest.fixture(scope="module")
def direct(tmp_path_factory, ref, plain):
    raw = tmp_path_factory.mktemp("direct")
    for f in plain.parent.glob("*.*"):
        if f.suffix in (".csv", ".json"):
            (raw / f.name).write_bytes(f.read_bytes())
    raw_files.manual(raw / "trade_house.csv", [
        dict(reporter_country="IR", reporter_region="IR-02", partner_country="RU", partner_region="RU-VGG",
             flow="export", hs_code=KIWI, period="2024-02", usd=1200),
        dict(reporter_country="IR", reporter_region="IR-01", partner_country="RU", partner_region="RU-VGG",
             flow="export", hs_code=KIWI, period="2024-03", usd=99000)])
    return build(raw, ref)


def test_a_direct_figure_is_the_cells_sum_and_fixes_psi(direct):
    rows = cells(direct, "province = 'IR-02' and month_start = '2024-02-01'")
    assert [(r["method"], r["psi_source"]) for r in rows] == [("direct", "direct")]
    assert rows[0]["estimate_usd"] == pytest.approx(1200)
    for r in rows:
        assert r["p10_usd"] == r["estimate_usd"] == r["p90_usd"]
        assert r["lower_usd"] <= r["estimate_usd"] <= r["upper_usd"]
    psi = query(direct, "select psi_source, log_psi from marts.bilateral_psi where province = 'IR-02' and year = 2024")
    assert psi[0][0] == "direct" and psi[0][1] > 0  # 1200 is above A·B/T: Mazandaran leans to Volgograd


def test_a_direct_figure_above_both_sides_is_kept_and_reported(direct):
    rows = cells(direct, "province = 'IR-01' and month_start = '2024-03-01'")
    assert rows[0]["estimate_usd"] == pytest.approx(99000)  # kept, not clipped
    assert all(r["upper_usd"] >= r["estimate_usd"] for r in rows)
    conflicts = query(direct, "select kind, file, row, figure_usd, limit_usd, message from marts.bilateral_conflicts")
    assert len(conflicts) == 1
    kind, file, row, figure, limit, message = conflicts[0]
    assert (kind, file, row, figure) == ("direct_above_bounds", "trade_house.csv", 3, 99000.0)
    assert limit < 4000 and "trade_house.csv row 3" in message and "$99,000" in message


def test_a_published_total_below_its_products_is_reported_and_not_used(tmp_path, ref, nowcast):
    raw = tmp_path / "raw"
    raw.mkdir()
    for f in nowcast.parent.glob("*.*"):
        if f.suffix in (".csv", ".json"):
            (raw / f.name).write_bytes(f.read_bytes())
    raw_files.manual(raw / "published.csv", [
        dict(reporter_country="RU", reporter_region="RU-VGG", partner_country="IR", flow="import", period="2023",
             usd=1000),
        dict(reporter_country="RU", reporter_region="RU-VGG", partner_country="IR", flow="import", period="2024",
             usd=60000)])
    db = build(raw, ref)
    conflicts = query(db, "select kind, file, row, period, figure_usd, limit_usd, message "
                      "from marts.bilateral_conflicts")
    assert [c[:5] for c in conflicts] == [("published_below_products", "published.csv", 2, "2023", 1000.0)]
    reported = query(db, "select sum(usd_reported) from marts.bilateral_sides where side = 'B' and year = 2023 "
                     "and calendar = 'gregorian'")[0][0]
    assert conflicts[0][5] == pytest.approx(reported) and "published.csv row 2" in conflicts[0][6]
    # 2024's total still benchmarks the nowcast
    total_2024 = query(db, "select sum(b_usd) from marts.bilateral_volgograd where year(month_start) = 2024")[0][0]
    assert total_2024 == pytest.approx(60000 / TAU)


def test_no_national_total_gives_bounds_only(tmp_path, ref, plain):
    raw = tmp_path / "raw"
    raw.mkdir()
    for f in ("iran.csv", "volgograd.csv"):
        (raw / f).write_bytes((plain.parent / f).read_bytes())
    db = build(raw, ref)
    rows = cells(db, "province = 'IR-02' and month_start = '2024-02-01'")
    assert [(r["method"], r["estimate_usd"], r["p10_usd"]) for r in rows] == [("bounds_only", None, None)]
    assert rows[0]["upper_usd"] == pytest.approx(min(rows[0]["a_usd"], 2500.0))


@pytest.fixture(scope="module")
def regression(tmp_path_factory, ref):
    """Three years in which Volgograd's kiwi imports are what the provinces' and the rest of Iran's
    monthly trade with Russia send it at fixed rates (Goodman's model) plus a little noise: Mazandaran
    60 %, Gilan 20 %, Golestan 5 %, the rest of Iran 10 % — ψ = odds ratios against the rest's. Iran
    reports its kiwi trade with Russia to Comtrade month by month (the rest's own seasons differ from
    the provinces'), which is what identifies the rest's share. Tea: the provinces ship it twice a
    year only, too few months for a regression."""
    raw = tmp_path_factory.mktemp("regression")
    rng = np.random.default_rng(11)
    months = jalali_months((1397, 10), 37)  # Dey 1397 (Dec 2018) .. Dey 1400 (Jan 2022)
    rows = []
    for province, scale in (("IR-02", 5000), ("IR-01", 4000), ("IR-27", 3000)):
        rows += iran_rows(province, "08105000", months, scale * rng.gamma(2.0, 0.5, len(months)))
        rows += iran_rows(province, "09024000", months[:: 6], scale * rng.gamma(2.0, 0.5, len(months[:: 6])))
    raw_files.iran(raw / "iran.csv", rows)
    raw_files.comtrade(raw / "tea.json", [dict(reporter="IR", partner="RU", flow="X", year=y, hs6=TEA, usd=9e5)
                                          for y in (2019, 2020, 2021)])
    first = build(raw, ref)
    a = query(first, "select month_start, province, sum(a_usd) from marts.bilateral_fit where calendar = 'gregorian' "
              "and hs6 = $k and month_start between '2019-01-01' and '2021-12-01' group by all", {"k": KIWI})
    by_month: dict = {}
    for m, p, v in a:
        by_month.setdefault(m, {})[p] = v
    rate = {"IR-02": 0.6, "IR-01": 0.2, "IR-27": 0.05}
    fcs, national = [], []
    for m, parts in sorted(by_month.items()):
        rest = 20000 * (1.5 + np.sin(m.month / 2)) * rng.uniform(0.7, 1.3)  # the rest of Iran's kiwi, its own seasons
        b = (sum(rate[p] * v for p, v in parts.items()) + 0.10 * rest) * (1 + rng.normal(0, 0.005))
        fcs.append(dict(flow="import", period=f"{m.month:02d}/{m.year}", tnved="0810500000", usd=round(b * TAU, 2)))
        fcs.append(dict(flow="import", period=f"{m.month:02d}/{m.year}", tnved="0902400000", usd=50))
        national.append(dict(reporter="IR", partner="RU", flow="X", year=m.year, month=m.month, hs6=KIWI,
                             usd=round(sum(parts.values()) + rest, 2)))
    raw_files.russia(raw / "volgograd.csv", fcs)
    raw_files.comtrade(raw / "kiwi_monthly.json", national)
    first.unlink()
    return build(raw, ref)


def odds(p):
    return p / (1 - p)


def test_a_regression_across_months_recovers_psi_where_the_national_months_are_known(regression):
    sources = dict(query(regression, "select province, max(psi_source) from marts.bilateral_psi where hs6 = $k "
                         "and year = 2020 group by 1", {"k": KIWI}))
    assert sources == {"IR-01": "regression", "IR-02": "regression", "IR-27": "regression"}
    # the fitted cells send each province's trade to Volgograd at the rate the world used
    shares = dict(query(regression, "select province, sum(estimate_usd) / sum(a_usd) from marts.bilateral "
                        "where calendar = 'gregorian' and hs6 = $k and year between 2019 and 2021 group by 1",
                        {"k": KIWI}))
    # each province's own evidence is shrunk towards the others' (partial pooling): the small, odd one
    # out (Golestan) most
    for province, rate, rel in (("IR-02", 0.6, 0.15), ("IR-01", 0.2, 0.15), ("IR-27", 0.05, 0.5)):
        assert shares[province] == pytest.approx(rate, rel=rel)
    psi = dict(query(regression, "select province, log_psi from marts.bilateral_psi where hs6 = $k and year = 2020",
                     {"k": KIWI}))
    assert psi["IR-02"] > psi["IR-01"] > 0 > psi["IR-27"]  # the rest of Iran sends 10 %


def test_a_product_without_its_own_evidence_takes_the_pooled_psi(regression):
    tea = query(regression, "select province, psi_source, log_psi, sd from marts.bilateral_psi "
                "where hs6 = $k and year = 2020 order by 1", {"k": TEA})
    kiwi = {p: (lp, sd) for p, lp, sd in query(regression, "select province, log_psi, sd from marts.bilateral_psi "
                                               "where hs6 = $k and year = 2020", {"k": KIWI})}
    assert {r[1] for r in tea} == {"pooled"}
    low, high = min(v[0] for v in kiwi.values()), max(v[0] for v in kiwi.values())
    for province, _, log_psi, sd in tea:
        # the pooled mean of what is known (kiwi, all provinces), nearer the province's own; and wider
        assert low <= log_psi <= high and sd > kiwi[province][1]
    by_province = {p: lp for p, _, lp, _ in tea}
    assert by_province["IR-02"] > by_province["IR-01"] > by_province["IR-27"]


def test_a_direct_figure_above_the_nowcast_raises_volgograd_s_side(tmp_path, ref, nowcast):
    # February 2024 is silent: B is a nowcast. Mazandaran's trade house reports its kiwi to Volgograd
    # that month at 95 % of its kiwi to Russia — more than the nowcast leaves for it, but possible.
    a_feb = query(nowcast, "select a_usd from marts.bilateral where calendar = 'gregorian' and province = 'IR-02' "
                  "and hs6 = $k and month_start = '2024-02-01'", {"k": KIWI})[0][0]
    b_feb = query(nowcast, "select b_usd from marts.bilateral_volgograd where hs6 = $k "
                  "and month_start = '2024-02-01'", {"k": KIWI})[0][0]
    figure = round(0.95 * a_feb, 2)
    assert figure > b_feb  # the case at hand: the nowcast alone cannot hold the figure
    raw = tmp_path / "raw"
    raw.mkdir()
    for f in nowcast.parent.glob("*.*"):
        if f.suffix in (".csv", ".json"):
            (raw / f.name).write_bytes(f.read_bytes())
    raw_files.manual(raw / "trade_house.csv", [dict(
        reporter_country="IR", reporter_region="IR-02", partner_country="RU", partner_region="RU-VGG",
        flow="export", hs_code=KIWI, period="2024-02", usd=figure)])
    db = build(raw, ref)
    raised = query(db, "select b_usd from marts.bilateral_volgograd where hs6 = $k and month_start = '2024-02-01'",
                   {"k": KIWI})[0][0]
    assert raised == pytest.approx(figure)
    cell = cells(db, "province = 'IR-02' and hs6 = $k and month_start = '2024-02-01'", {"k": KIWI})[0]
    assert cell["method"] == "direct" and cell["estimate_usd"] == pytest.approx(figure)
    assert query(db, "select count(*) from marts.bilateral_conflicts")[0][0] == 0  # a fact, not a conflict


def _spreads(value, province, flow, year, var=0.01):
    from etl.estimate import psi

    n = len(value)
    return psi.spreads(np.asarray(value, float), np.full(n, var), np.ones(n, bool), np.asarray(year, float),
                       np.asarray(province), np.asarray(flow), np.arange(n), 0.01)


def test_the_pooling_spreads_are_learned_from_the_evidence_s_scatter():
    """σ_F², σ_B², σ_D² are posterior means (REML × half-normal priors): evidence that agrees pulls
    them under their prior scales; provinces that disagree push σ_B² above its scale; with fewer
    than three pieces of evidence the prior scales are kept."""
    from etl.estimate import psi

    prior = (psi.DIRECT_SD ** 2, psi.BETWEEN_SD ** 2, psi.DRIFT_SD ** 2)
    provinces = ["IR-01", "IR-01", "IR-02", "IR-02", "IR-27", "IR-27"] * 2
    flows = ["export", "import"] * 6
    years = [2019, 2020, 2021, 2022, 2023, 2024] * 2
    agree = _spreads([0.01, -0.02, 0.0, 0.02, -0.01, 0.01] * 2, provinces, flows, years)
    assert all(got < scale for got, scale in zip(agree, prior, strict=True))
    level = {"IR-01": -1.5, "IR-02": 0.0, "IR-27": 1.5}
    apart = _spreads([level[p] + 0.02 * (i % 3) for i, p in enumerate(provinces)], provinces, flows, years)
    assert apart[1] > prior[1]
    assert _spreads([0.3, -0.4], provinces[:2], flows[:2], years[:2]) == pytest.approx(prior)
