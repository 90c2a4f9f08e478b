-- The estimate in view summed per the groups $by names (month, year, province, flow, sector: true or
-- false each; a group left out is NULL in its column), in the chosen measure: the sum `value`, its 80 %
-- interval `p10`, `p90` as marts.bilateral_sums gives it (never a sum of cells' p10s), the logical
-- bounds `lower`, `upper`, the cells and those without an estimate, and `methods`: the methods that
-- made the sum with their shares of its value (USD), largest first.
-- value, p10 and p90 are NULL where no cell of the group has an estimate (a coverage hole), never 0.
with sums as (
    select *
    from marts.bilateral_sums(
        $filters['calendar'], $filters['date_from'], $filters['date_to'], $filters['provinces'],
        $filters['flows'], $filters['sectors'],
        by_month := $by['month'], by_year := $by['year'], by_province := $by['province'],
        by_flow := $by['flow'], by_sector := $by['sector'], measure := $filters['measure'])
),

cells as (
    select
        case when $by['month'] then month_start end as month_start,
        case when $by['year'] then year end as year,
        case when $by['province'] then province end as province,
        case when $by['flow'] then flow end as flow,
        case when $by['sector'] then sector end as sector,
        method, estimate_usd
    from selected.estimate($filters)
),

by_method as (
    select month_start, year, province, flow, sector, method, sum(estimate_usd) as estimate_usd
    from cells
    group by all
),

methods as (
    select
        month_start, year, province, flow, sector,
        list({'method': method, 'share': coalesce(estimate_usd / nullif(total, 0), 0)}
             order by estimate_usd desc nulls last, method) as methods
    from (
        select *, sum(estimate_usd) over (partition by month_start, year, province, flow, sector) as total
        from by_method
    )
    group by all
)

select
    s.month_start, s.year, m.month, m.label, s.province, s.flow, s.sector,
    s.estimate as value,
    case when s.estimate is not null then s.p10 end as p10,
    case when s.estimate is not null then s.p90 end as p90,
    s.lower, s.upper,
    s.cells_without_estimate as no_estimate_cells, s.cells, s.direct_cells, s.nowcast_cells,
    x.methods
from sums as s
left join methods as x
    on x.month_start is not distinct from s.month_start and x.year is not distinct from s.year
   and x.province is not distinct from s.province and x.flow is not distinct from s.flow
   and x.sector is not distinct from s.sector
left join ref.calendar_months as m on m.calendar = $filters['calendar'] and m.month_start = s.month_start
order by s.month_start, s.year, s.province, s.flow, s.sector
