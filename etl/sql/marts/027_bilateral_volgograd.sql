-- marts.bilateral_volgograd: Volgograd's side per product, direction (the provinces') and Gregorian
-- month, on the FOB basis — as its customs reported it (b_source 'reported'), or nowcast where they
-- are silent (marts.bilateral_nowcast: carried shares, benchmarked) and raised where direct figures
-- say more: where the provinces' observed trade with Volgograd in a product exceeds the nowcast B over
-- the silent part of the figure's period, B is raised there — in proportion to B, else to T, else to
-- days — as far as the province's own trade with Russia allows (beyond that it is a conflict, not a
-- fact: marts.bilateral_conflicts).
with reported as (
    select flow, hs6, month_start, sum(usd) as b_usd
    from marts.bilateral_sides
    where calendar = 'gregorian' and side = 'B'
    group by all
),

nowcast as (
    select * from marts.bilateral_nowcast
),

figures as (
    -- the direct figures' silent months, with the province's own trade with Russia there
    select d.flow_id, d.flow, d.hs6, d.period_start, d.period_end, d.month_start, d.month_share, d.period_share,
           d.d_usd, coalesce(a.usd, 0) * d.month_share as a_part
    from marts.bilateral_direct as d
    inner join nowcast as n using (flow, hs6, month_start)
    left join marts.bilateral_sides as a
        on a.calendar = 'gregorian' and a.side = 'A' and a.region = d.province and a.flow = d.flow
       and a.hs6 = d.hs6 and a.month_start = d.month_start
    where d.calendar = 'gregorian'
),

need as (
    select flow, hs6, period_start, period_end, sum(least(d_usd * days, a_part)) as total_need
    from (select flow_id, flow, hs6, period_start, period_end, any_value(d_usd) as d_usd, sum(period_share) as days,
                 sum(a_part) as a_part
          from figures
          group by all)
    group by all
),

periods as (
    select distinct f.flow, f.hs6, f.period_start, f.period_end, f.month_start, f.month_share, n.total_need,
           w.b_usd, w.t_usd
    from figures as f
    inner join need as n using (flow, hs6, period_start, period_end)
    inner join nowcast as w using (flow, hs6, month_start)
),

floors as (
    select flow, hs6, month_start,
           max(case when total_need > b_sum then total_need * case when b_sum > 0 then b_usd / b_sum
                                                                 when t_sum > 0 then t_usd / t_sum
                                                                 else 1 / days end
                    else 0 end) as floor_usd
    from (select *, sum(b_usd * month_share) over w as b_sum, sum(t_usd) over w as t_sum,
                 sum(month_share) over w as days
          from periods
          window w as (partition by flow, hs6, period_start, period_end))
    group by all
)

select flow, hs6, month_start, b_usd, 'reported' as b_source, null::date as nowcast_from, 0 as months_since,
       null::double as share, null::double as benchmark, 0.0 as var_common, 0.0 as var_product
from reported
union all
select n.flow, n.hs6, n.month_start, greatest(n.b_usd, coalesce(f.floor_usd, 0)), 'nowcast', n.nowcast_from,
       n.months_since, n.share, n.benchmark, n.var_common, n.var_product
from nowcast as n
left join floors as f using (flow, hs6, month_start)
where greatest(n.b_usd, coalesce(f.floor_usd, 0)) > 0
