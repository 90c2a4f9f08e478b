"""On the shipped synthetic sample, the estimate against the hidden true province <-> Volgograd flows:
the logical bounds contain the truth, and per province × direction × year the estimate's error, its
80 % interval's coverage and width stay within the issue's limits (the same scoring as
bench/estimator.py; run pytest with -s to read it)."""

from __future__ import annotations

import statistics

import duckdb

from bench.estimator import PERIODS, score
from etl import paths

MIN_INSIDE = 0.99
MAX_MEDIAN_LOG_ERROR = 0.25  # the target with a strong association, both sides present
MIN_ESTIMATED_CELLS = 1.0  # every cell with Iranian data has an estimate
COVERAGE = (0.60, 0.97)  # the 80 % interval covers the truth this often
MAX_MEDIAN_WIDTH = 2.0  # its median width, relative to the truth


def test_truth_lies_within_the_bounds(sample_warehouse):
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    con.execute("create temp table truth as select * from read_csv($p, types = {'hs6': 'varchar'})",
                {"p": str(paths.SAMPLE_TRUTH / "bilateral_truth.csv")})
    n, inside = con.execute("""
        select count(*), count(*) filter (where t.value_usd between coalesce(b.lower_usd, 0) - 0.01
                                                              and coalesce(b.upper_usd, 0) + 0.01)
        from truth as t
        left join marts.bilateral as b
          on b.calendar = 'gregorian' and b.province = t.province and b.flow = t.flow and b.hs6 = t.hs6
         and strftime(b.month_start, '%Y-%m') = t.month""").fetchone()
    assert n > 1000
    assert inside / n >= MIN_INSIDE, f"only {inside} of {n} true cells within bounds"


def test_estimate_error_by_province_direction_and_year_is_within_limits(sample_warehouse, capsys):
    scores = score(sample_warehouse, paths.SAMPLE_TRUTH / "bilateral_truth.csv")
    with capsys.disabled():
        print("\nprovince × direction × year against the sample's hidden truth")
        for name, s in scores.items():
            print(f"  {name}: {s.units} units, median |ln error| {statistics.median(s.err):.3f} "
                  f"(A·B/T: {statistics.median(s.base_err) if s.base_err else float('nan'):.3f}), "
                  f"80 % interval covers {sum(s.covered)}/{len(s.covered)}")
    for name in PERIODS:
        s = scores[name]
        assert s.units >= 12 and not s.no_estimate
        assert all(s.in_bounds), f"{name}: the bounds miss the truth"
        assert s.cells_estimated / s.cells_with_a >= MIN_ESTIMATED_CELLS
        assert statistics.median(s.err) <= MAX_MEDIAN_LOG_ERROR, f"{name}: median |ln error| too large"
        assert COVERAGE[0] <= sum(s.covered) / len(s.covered) <= COVERAGE[1], f"{name}: interval coverage"
        assert statistics.median(s.width) <= MAX_MEDIAN_WIDTH
        if s.base_err:
            assert statistics.median(s.err) < statistics.median(s.base_err)
