-- marts.coverage: which source reports which reporter, flow and month — every month between the
-- first and the last month of any data, so missing months show up as rows with status 'missing'.
-- status: 'monthly' (a monthly or finer record), 'annual' (only annual records cover it), 'missing'.
-- is_focus: the reporter is a focus region (ref.regions.is_focus) or a whole country; Russian customs
-- files cover every region, so a page showing the product's coverage keeps is_focus rows.
with spans as (
    select calendar, min(month_start) as first_month, max(month_start) as last_month
    from marts.grid
    group by all
),

series as (
    select distinct calendar, source, coalesce(reporter_region, reporter_country) as reporter, flow
    from marts.grid
),

months as (
    select m.calendar, m.month_start, m.year, m.month, m.label
    from ref.calendar_months as m
    inner join spans as s on s.calendar = m.calendar and m.month_start between s.first_month and s.last_month
),

present as (
    select calendar, source, coalesce(reporter_region, reporter_country) as reporter, flow, month_start,
           bool_or(freq <> 'A') as monthly, sum(value_usd)::double as value_usd, sum(observations) as observations
    from marts.grid
    group by all
)

select
    s.calendar, s.source, s.reporter, s.flow, m.month_start, m.year, m.month, m.label,
    s.reporter not in (select code from ref.regions where is_focus <> '1') as is_focus,
    case when p.monthly then 'monthly' when p.monthly is not null then 'annual' else 'missing' end as status,
    coalesce(p.value_usd, 0) as value_usd,
    coalesce(p.observations, 0) as observations
from series as s
inner join months as m using (calendar)
left join present as p using (calendar, source, reporter, flow, month_start)
