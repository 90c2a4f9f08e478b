-- Headline figures per direction for the selected period ($filters) and the same period a year
-- earlier ($previous): the province <-> partner estimate with bounds, and what each side's customs
-- reported about the trade between the two countries.
with estimate as (
    select 'current' as period, * from selected.estimate($filters)
    union all by name
    select 'previous' as period, * from selected.estimate($previous)
),

reported as (
    select 'current' as period, * from selected.reported($filters) where with_other_side
    union all by name
    select 'previous' as period, * from selected.reported($previous) where with_other_side
),

estimate_by_flow as (
    select period, flow, sum(coalesce(value, 0)) as value, sum(lower) as lower, sum(upper) as upper,
           count(*) filter (where estimate_usd is null) as no_estimate_cells, count(*) as cells
    from estimate
    group by all
),

reported_by_flow as (
    select period, flow,
           sum(value) filter (where side = 'province') as reported_provinces,
           sum(value) filter (where side = 'partner') as reported_partner
    from reported
    group by all
)

select *
from estimate_by_flow
full join reported_by_flow using (period, flow)
order by period, flow
