"""Time-series indicators: hand-worked examples (arithmetic in the comments), edge cases, hypothesis
properties. The measures computed in SQL (Michaely, RCA, HHI, growth needed) are tested where they
are computed, in tests/test_marts.py."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from analysis.indicators import growth, moving_sum, seasonality, yoy

VALUES = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_subnormal=False)


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
