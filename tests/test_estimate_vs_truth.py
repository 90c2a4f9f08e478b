"""On the synthetic sample, the hidden true province <-> Volgograd flows lie within the estimate's
bounds, and the estimate's error against truth is reported (run pytest with -s to read it)."""

from __future__ import annotations

import duckdb

from etl import paths

MIN_INSIDE = 0.99


def compare(sample_warehouse):
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    con.execute("create temp table truth as select * from read_csv($p, types = {'hs6': 'varchar'})",
                {"p": str(paths.SAMPLE_TRUTH / "bilateral_truth.csv")})
    con.execute("""
        create temp table cmp as
        select t.province, t.flow, t.hs6, t.month, t.value_usd as truth,
               b.estimate_usd, coalesce(b.lower_usd, 0) as lower_usd, coalesce(b.upper_usd, 0) as upper_usd, b.method
        from truth as t
        left join marts.bilateral as b
          on b.calendar = 'gregorian' and b.province = t.province and b.flow = t.flow and b.hs6 = t.hs6
         and strftime(b.month_start, '%Y-%m') = t.month""")
    return con


def test_truth_lies_within_the_bounds(sample_warehouse):
    con = compare(sample_warehouse)
    n, inside = con.execute("select count(*), count(*) filter (where truth between lower_usd - 0.01 "
                            "and upper_usd + 0.01) from cmp").fetchone()
    assert n > 1000
    assert inside / n >= MIN_INSIDE, f"only {inside} of {n} true cells within bounds"


def test_estimate_error_by_province_and_year_is_reported(sample_warehouse, capsys):
    con = compare(sample_warehouse)
    table = con.execute("""
        select province, left(month, 4) as year, round(sum(truth) / 1e6, 2) as truth_musd,
               round(sum(coalesce(estimate_usd, 0)) / 1e6, 2) as estimate_musd,
               round(sum(lower_usd) / 1e6, 2) as lower_musd, round(sum(upper_usd) / 1e6, 2) as upper_musd,
               round(100 * (sum(coalesce(estimate_usd, 0)) / sum(truth) - 1), 1) as error_pct,
               count(*) filter (where method = 'one_side') as one_side_cells
        from cmp group by all order by 1, 2""").df()
    with capsys.disabled():
        print("\nprovince <-> Volgograd: estimate against the sample's hidden truth (USD M)")
        print(table.to_string(index=False))
    assert (table["lower_musd"] <= table["truth_musd"] + 0.01).all()
    assert (table["truth_musd"] <= table["upper_musd"] + 0.01).all()
