-- The estimate cells in view whose Volgograd side is nowcast, per province, direction, sector and
-- the month it is nowcast from: the months covered (first and last in the filters' calendar), the months since the last report, and the sum
-- over those months with its 80 % interval and bounds from marts.bilateral_sums (every cell of the
-- province, direction and sector in those months, with how many of them are nowcast).
with groups as (
    select
        province, flow, sector, nowcast_from,
        min(month_start) as first_month, max(month_start) as last_month,
        count(distinct month_start) as months,
        min(months_since) as months_since_min, max(months_since) as months_since_max
    from selected.estimate($filters)
    where method = 'nowcast'
    group by all
)

select
    g.province, g.flow, g.sector, g.nowcast_from, g.first_month, g.last_month,
    f.year as first_year, f.month as first_month_of_year, l.year as last_year, l.month as last_month_of_year,
    g.months,
    g.months_since_min, g.months_since_max,
    s.estimate as value, s.p10, s.p90, s.lower, s.upper, s.cells, s.nowcast_cells
from groups as g,
    lateral (
        select *
        from marts.bilateral_sums($filters['calendar'], g.first_month, g.last_month, [g.province], [g.flow],
                                  [g.sector], measure := $filters['measure'])
    ) as s
left join ref.calendar_months as f on f.calendar = $filters['calendar'] and f.month_start = g.first_month
left join ref.calendar_months as l on l.calendar = $filters['calendar'] and l.month_start = g.last_month
order by g.province, g.flow, g.sector, g.nowcast_from
