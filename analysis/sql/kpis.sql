-- Headline figures for a period and the same period a year earlier: the province <-> Volgograd
-- estimate with bounds (both directions), and what each side's customs reported.
with periods as (
    select 'current' as period, $date_from::date as date_from, $date_to::date as date_to
    union all
    select 'previous', $prev_from::date, $prev_to::date
),

estimate as (
    select p.period, b.flow,
           sum(coalesce(b.estimate_usd, 0)) as estimate_usd, sum(b.lower_usd) as lower_usd,
           sum(b.upper_usd) as upper_usd,
           sum(coalesce(b.estimate_kg, 0)) as estimate_kg, sum(b.lower_kg) as lower_kg, sum(b.upper_kg) as upper_kg,
           count(*) filter (where b.method = 'one_side') as one_side_cells,
           count(*) filter (where b.method = 'direct') as direct_cells,
           count(*) as cells
    from periods as p
    inner join marts.bilateral as b
        on b.month_start between p.date_from and p.date_to
    where b.calendar = $calendar
      and b.province in (select unnest($provinces::varchar[]))
      and b.sector in (select unnest($sectors::varchar[]))
    group by all
),

reported as (
    -- provinces <-> Russia as Iranian customs report it; Volgograd <-> Iran as Russian customs report it
    select p.period,
           case when g.source = 'iran_customs' then g.flow
                else (case g.flow when 'import' then 'export' else 'import' end) end as flow,
           sum(g.value_usd) filter (where g.source = 'iran_customs')::double as provinces_russia_usd,
           sum(g.value_usd) filter (where g.source = 'russia_customs')::double as volgograd_iran_usd,
           sum(g.net_kg) filter (where g.source = 'iran_customs') as provinces_russia_kg,
           sum(g.net_kg) filter (where g.source = 'russia_customs') as volgograd_iran_kg
    from periods as p
    inner join marts.grid as g
        on g.month_start between p.date_from and p.date_to
    where g.calendar = $calendar
      and g.sector in (select unnest($sectors::varchar[]))
      and ((g.source = 'iran_customs' and g.partner_country = 'RU'
            and g.reporter_region in (select unnest($provinces::varchar[])))
        or (g.source = 'russia_customs' and g.partner_country = 'IR' and g.reporter_region = 'RU-VGG'))
    group by all
)

select *
from estimate
full join reported using (period, flow)
order by period, flow
