"""Indicators: hand-worked examples (arithmetic in the comments), edge cases, hypothesis properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from analysis.indicators import (
    cagr,
    growth,
    hhi,
    hhi_normalised,
    michaely,
    moving_sum,
    rca,
    rca_table,
    required_growth,
    seasonality,
    shares,
    yoy,
)

VALUES = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_subnormal=False)
CODES = st.sampled_from(["010121", "080610", "100199", "270900", "440710", "720839"])


def monthly(values, start="2020-01") -> pd.Series:
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq="M"), dtype="float64")


# --- growth -----------------------------------------------------------------------------------


def test_growth_examples():
    assert growth(150, 100) == pytest.approx(0.5)  # 150/100 − 1
    assert growth(80, 100) == pytest.approx(-0.2)  # 80/100 − 1
    assert growth(0, 100) == -1.0  # everything lost


@pytest.mark.parametrize("previous", [0, 0.0, None, np.nan])
def test_growth_is_nan_not_inf_without_a_base(previous):
    assert math.isnan(growth(5, previous))


def test_growth_vectorised_over_series():
    # [120/100 − 1, 5/0 → NaN, 0/0 → NaN, 30/NaN → NaN]
    out = growth(pd.Series([120, 5, 0, 30]), pd.Series([100, 0, 0, np.nan]))
    assert out.iloc[0] == pytest.approx(0.2)
    assert out.iloc[1:].isna().all()
    assert not np.isinf(out).any()


# --- cagr and required growth ---------------------------------------------------------------


def test_cagr_examples():
    assert cagr(100, 121, 2) == pytest.approx(0.10)  # (121/100)^(1/2) − 1 = 1.1 − 1
    assert cagr(100, 100, 5) == pytest.approx(0.0)
    assert cagr(100, 0, 3) == pytest.approx(-1.0)  # (0/100)^(1/3) − 1
    assert cagr(200, 50, 2) == pytest.approx(-0.5)  # (50/200)^(1/2) − 1 = 0.5 − 1


@pytest.mark.parametrize(
    ("first", "last", "years"),
    [(0, 10, 2), (-5, 10, 2), (10, -1, 2), (10, 20, 0), (10, 20, -1), (np.nan, 10, 2), (10, None, 2)],
)
def test_cagr_undefined_cases_are_nan(first, last, years):
    assert math.isnan(cagr(first, last, years))


def test_cagr_vectorised():
    # first row (121/100)^(1/2) − 1 = 0.1; second row first = 0 → NaN; third (8/1)^(1/3) − 1 = 1
    out = cagr(pd.Series([100.0, 0.0, 1.0]), pd.Series([121.0, 5.0, 8.0]), pd.Series([2, 2, 3]))
    assert out.iloc[0] == pytest.approx(0.1)
    assert math.isnan(out.iloc[1])
    assert out.iloc[2] == pytest.approx(1.0)


def test_required_growth_toward_the_mazandaran_volgograd_target():
    # $50M now, MoU target $200M/yr in 2 years: (200/50)^(1/2) − 1 = 2 − 1 = 100 % a year
    assert required_growth(50e6, 200e6, 2) == pytest.approx(1.0)
    # Already above target: the (negative) rate is returned, not clipped to 0: (50/200)^(1/2) − 1
    assert required_growth(200e6, 50e6, 2) == pytest.approx(-0.5)
    assert required_growth(200e6, 200e6, 3) == pytest.approx(0.0)
    assert math.isnan(required_growth(0, 200e6, 2))  # nothing to grow from


# --- yoy and moving sum ---------------------------------------------------------------------


def test_yoy_monthly():
    # 2020 every month 10, 2021 every month 15: 15/10 − 1 = 0.5 from Jan 2021, NaN during 2020
    out = yoy(monthly([10] * 12 + [15] * 12))
    assert out.iloc[:12].isna().all()
    assert out.iloc[12:].to_numpy() == pytest.approx([0.5] * 12)


def test_yoy_nan_where_base_is_zero_or_missing():
    values = [10.0] * 12 + [15.0] * 12
    values[0], values[1] = 0.0, np.nan
    out = yoy(monthly(values))
    assert math.isnan(out.iloc[12]) and math.isnan(out.iloc[13])  # bases 0 and NaN
    assert out.iloc[14] == pytest.approx(0.5)


def test_yoy_quarterly():
    # Q1..Q4 2020 = 4, 8, 10, 20; 2021 = 5, 8, 5, 30 → 5/4 − 1, 8/8 − 1, 5/10 − 1, 30/20 − 1
    s = pd.Series([4, 8, 10, 20, 5, 8, 5, 30], index=pd.period_range("2020Q1", periods=8, freq="Q"), dtype=float)
    assert yoy(s, periods_per_year=4).iloc[4:].to_numpy() == pytest.approx([0.25, 0.0, -0.5, 0.5])


def test_yoy_and_moving_sum_refuse_a_grid_with_missing_periods():
    s = monthly(range(24)).drop(pd.Period("2020-05", "M"))
    with pytest.raises(ValueError, match="regular grid"):
        yoy(s)
    with pytest.raises(ValueError, match="regular grid"):
        moving_sum(s)


def test_moving_sum_example():
    # values 1..13: first full window 1+…+12 = 78, next 2+…+13 = 90; nothing before month 12
    out = moving_sum(monthly(range(1, 14)))
    assert out.iloc[:11].isna().all()
    assert out.iloc[11] == 78 and out.iloc[12] == 90


def test_moving_sum_hole_is_not_treated_as_zero():
    # A NaN in May 2020 (position 4) spoils every window containing it: positions 4..15.
    values = [1.0] * 20
    values[4] = np.nan
    out = moving_sum(monthly(values))
    assert out.iloc[:16].isna().all()
    assert (out.iloc[16:] == 12).all()


def test_moving_sum_other_window_and_datetime_index():
    s = pd.Series([1.0, 2, 3, 4], index=pd.date_range("2020-01-01", periods=4, freq="MS"))
    assert moving_sum(s, window=3, min_periods=3).tolist()[2:] == [6, 9]  # 1+2+3, 2+3+4


@given(st.lists(VALUES, min_size=12, max_size=40))
def test_moving_sum_equals_plain_sum_of_last_12(values):
    out = moving_sum(monthly(values))
    tolerance = max(values) * 1e-9
    for t in range(11, len(values)):
        assert out.iloc[t] == pytest.approx(sum(values[t - 11 : t + 1]), rel=1e-9, abs=tolerance)


# --- shares ---------------------------------------------------------------------------------


def test_shares_example_and_zero_total():
    assert shares(pd.Series([1.0, 3.0])).tolist() == [0.25, 0.75]  # 1/4, 3/4
    assert shares(pd.Series([0.0, 0.0])).isna().all()
    assert shares(pd.Series([], dtype=float)).empty


@given(st.lists(VALUES, min_size=1, max_size=30))
def test_shares_sum_to_one(values):
    assume(sum(values) > 0)
    assert shares(pd.Series(values)).sum() == pytest.approx(1.0)


# --- Michaely -------------------------------------------------------------------------------


def test_michaely_example_from_shares():
    # x = {a: .5, b: .5}, m = {a: .2, b: .3, c: .5}
    # Σ|m − x| = |.2 − .5| + |.3 − .5| + |.5 − 0| = .3 + .2 + .5 = 1 → 100·(1 − ½·1) = 50
    x = pd.Series({"a": 0.5, "b": 0.5})
    m = pd.Series({"a": 0.2, "b": 0.3, "c": 0.5})
    assert michaely(x, m) == pytest.approx(50.0)


def test_michaely_takes_values_not_shares():
    # Same mixes as above in dollars: x = {a: 50, b: 50}/100, m = {a: 40, b: 60, c: 100}/200 → 50
    x = pd.Series({"a": 50.0, "b": 50.0})
    m = pd.Series({"a": 40.0, "b": 60.0, "c": 100.0})
    assert michaely(x, m) == pytest.approx(50.0)


def test_michaely_second_example():
    # x = {a: .8, b: .2}, m = {a: .4, b: .6}: Σ|m − x| = .4 + .4 = .8 → 100·(1 − .4) = 60
    assert michaely(pd.Series({"a": 8.0, "b": 2.0}), pd.Series({"a": 4.0, "b": 6.0})) == pytest.approx(60.0)


def test_michaely_edge_cases():
    one = pd.Series({"270900": 3.0})
    assert michaely(one, one * 7) == 100.0  # single common product
    assert michaely(one, pd.Series({"100199": 1.0})) == 0.0  # single, different products
    assert math.isnan(michaely(pd.Series({"a": 0.0}), one))  # exporter total 0
    assert math.isnan(michaely(one, pd.Series(dtype=float)))  # importer has nothing
    # NaN reads as 0 and repeated codes are summed: x = {a: 1}, m = {a: .5, b: .5} → 100·(1 − ½(.5 + .5)) = 50
    x = pd.Series([np.nan, 1.0], index=["b", "a"])
    m = pd.Series([1.0, 1.0, 2.0], index=["a", "a", "b"])
    assert michaely(x, m) == pytest.approx(50.0)
    with pytest.raises(ValueError):
        michaely(pd.Series({"a": -1.0, "b": 2.0}), one)


@given(st.dictionaries(CODES, VALUES, min_size=1), st.dictionaries(CODES, VALUES, min_size=1))
def test_michaely_is_between_0_and_100(x, m):
    assume(sum(x.values()) > 0 and sum(m.values()) > 0)
    assert 0 <= michaely(pd.Series(x), pd.Series(m)) <= 100


@given(st.dictionaries(CODES, VALUES, min_size=1), st.floats(min_value=1e-3, max_value=1e3))
def test_michaely_is_100_for_identical_mixes(x, scale):
    assume(sum(x.values()) > 0)
    assert michaely(pd.Series(x), pd.Series(x) * scale) == pytest.approx(100.0)


@given(st.dictionaries(CODES, VALUES, min_size=1), st.dictionaries(CODES, VALUES, min_size=1))
def test_michaely_is_0_for_disjoint_mixes(x, m):
    assume(sum(x.values()) > 0 and sum(m.values()) > 0)
    exports = pd.Series(x).rename(lambda code: "x" + code)
    imports = pd.Series(m).rename(lambda code: "m" + code)
    assert michaely(exports, imports) == pytest.approx(0.0, abs=1e-9)


# --- RCA ------------------------------------------------------------------------------------


def test_rca_example():
    # province exports 10 of k out of 100 (10 %); world 20 of k out of 1000 (2 %): 0.10 / 0.02 = 5
    assert rca(10, 100, 20, 1000) == pytest.approx(5.0)


def test_rca_vectorised_with_zero_denominators():
    # [ (1/2)/(1/4) = 2, x_i = 0 → NaN, x_wk = 0 → NaN ]
    out = rca(np.array([1.0, 1.0, 0.0]), np.array([2.0, 0.0, 5.0]), np.array([1.0, 1.0, 0.0]), 4.0)
    assert out[0] == pytest.approx(2.0)
    assert np.isnan(out[1:]).all()
    assert math.isnan(rca(1, 2, 1, 0))  # x_w = 0


def test_rca_table():
    # Gilan: a 50 (30 + 20, summed), b 50 → 100; Mazandaran: a 100. World: a 150, b 50 → 200.
    # RCA(G, a) = (50/100)/(150/200) = .5/.75 = 2/3; RCA(G, b) = .5/.25 = 2; RCA(M, a) = 1/.75 = 4/3
    df = pd.DataFrame(
        {
            "province": ["IR-01", "IR-01", "IR-01", "IR-21"],
            "hs6": ["a", "a", "b", "a"],
            "value_usd": [30.0, 20.0, 50.0, 100.0],
        }
    )
    out = rca_table(df)
    assert list(out.columns) == ["province", "hs6", "rca"]
    got = out.set_index(["province", "hs6"])["rca"]
    assert got[("IR-01", "a")] == pytest.approx(2 / 3)
    assert got[("IR-01", "b")] == pytest.approx(2.0)
    assert got[("IR-21", "a")] == pytest.approx(4 / 3)
    assert len(out) == 3


def test_rca_table_custom_columns_and_single_unit():
    # one unit is the whole world: every RCA is 1
    df = pd.DataFrame({"region": ["RU-VGG"] * 2, "hs4": ["2709", "1001"], "usd": [3.0, 1.0]})
    out = rca_table(df, unit="region", product="hs4", value="usd")
    assert list(out.columns) == ["region", "hs4", "rca"]
    assert out["rca"].tolist() == pytest.approx([1.0, 1.0])


# --- HHI ------------------------------------------------------------------------------------


def test_hhi_examples():
    # values 1, 1, 2 → shares .25, .25, .5 → .0625 + .0625 + .25 = .375
    assert hhi([1, 1, 2]) == pytest.approx(0.375)
    # normalised, N = 3: (.375 − 1/3)/(1 − 1/3) = (1/24)/(2/3) = 1/16
    assert hhi_normalised([1, 1, 2]) == pytest.approx(0.0625)
    assert hhi(pd.Series([5.0, 5.0, 5.0, 5.0])) == pytest.approx(0.25)  # 4 · (1/4)²
    assert hhi_normalised([5.0, 5.0, 5.0, 5.0]) == pytest.approx(0.0)


def test_hhi_edge_cases():
    assert hhi([7.0]) == 1.0 and hhi_normalised([7.0]) == 1.0  # single item: total concentration
    assert hhi([0, 7.0, np.nan]) == 1.0 and hhi_normalised([0, 7.0, np.nan]) == 1.0  # zeros/NaN not counted in N
    assert hhi_normalised([0, 1, 1]) == pytest.approx(0.0)  # N = 2 non-zero, evenly split
    for empty in ([], [0.0, 0.0], [np.nan]):
        assert math.isnan(hhi(empty)) and math.isnan(hhi_normalised(empty))
    with pytest.raises(ValueError):
        hhi([-1.0, 2.0])


@given(st.lists(VALUES, min_size=1, max_size=30))
def test_hhi_bounds(values):
    n = sum(v > 0 for v in values)
    assume(n > 0)
    assert 1 / n - 1e-12 <= hhi(values) <= 1 + 1e-12
    assert 0 <= hhi_normalised(values) <= 1


# --- seasonality ----------------------------------------------------------------------------


def test_seasonality_averages_complete_years_only():
    # 2019 has a hole (March NaN) and 2022 only January: both ignored.
    # 2020: Jan 12, other months 0 → Jan share 1, others 0. 2021: every month 1 → 1/12 each.
    # Average: Jan (1 + 1/12)/2 = 13/24, other months (0 + 1/12)/2 = 1/24.
    y2019 = [1.0] * 12
    y2019[2] = np.nan
    values = y2019 + [12.0] + [0.0] * 11 + [1.0] * 12 + [1000.0]
    expected = [13 / 24] + [1 / 24] * 11
    out = seasonality(monthly(values, start="2019-01"))
    assert list(out.index) == list(range(1, 13))
    assert out.to_numpy() == pytest.approx(expected)
    assert out.sum() == pytest.approx(1.0)
    by_date = pd.Series(values, index=pd.date_range("2019-01-01", periods=len(values), freq="MS"))
    assert seasonality(by_date).to_numpy() == pytest.approx(expected)


def test_seasonality_without_a_complete_year_is_nan():
    out = seasonality(monthly([1.0] * 11))
    assert list(out.index) == list(range(1, 13)) and out.isna().all()
    assert seasonality(monthly([0.0] * 12)).isna().all()  # a year totalling 0 has no shares


def test_seasonality_needs_a_monthly_time_index():
    with pytest.raises(TypeError):
        seasonality(pd.Series([1.0] * 12))
    with pytest.raises(TypeError):
        seasonality(pd.Series([1.0] * 4, index=pd.period_range("2020Q1", periods=4, freq="Q")))


@given(st.lists(VALUES, min_size=24, max_size=24))
def test_seasonality_sums_to_one(values):
    assume(sum(values[:12]) > 0 or sum(values[12:]) > 0)
    assert seasonality(monthly(values)).sum() == pytest.approx(1.0)
