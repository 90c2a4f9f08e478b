-- marts.bilateral: province <-> Volgograd, per product (hs6), direction and month, in both calendars.
-- No source records this flow. With, for a province's exports:
--   A = the province's exports of hs6 to Russia (Iranian customs),
--   B = Volgograd's imports of hs6 from Iran (Russian customs),
--   T = Russia's imports of hs6 from Iran (Comtrade; Iran's exports to Russia where Russia has none),
--       a yearly figure allocated to months by the regional profile (sum of A over provinces + B)
--       and never below A or B;
-- estimate = A·B/T, lower = max(0, A + B − T), upper = min(A, B), method 'proportional'.
-- The other direction likewise. A side whose source does not cover the month gives 'one_side'
-- (no estimate; bounds 0 .. the side present); no national total gives 'bounds_only' (0 .. min(A, B)).
-- Direct observations (manual rows naming both regions) replace the estimate over their period,
-- shaped by the estimated monthly profile (by days where there is none), method 'direct'.
with focus as (
    select code from ref.regions where is_focus = '1' and country = 'IR'
),

volgograd as (
    select code from ref.regions where is_focus = '1' and country = 'RU'
),

grid as (
    select * from marts.grid where hs6 is not null
),

side_a as (
    select calendar, month_start, year, reporter_region as province, flow, hs6,
           sum(value_usd)::double as a_usd, sum(net_kg) as a_kg
    from grid
    where source = 'iran_customs' and partner_country = 'RU' and reporter_region in (select code from focus)
    group by all
),

side_b as (
    -- Volgograd's imports are the provinces' exports and vice versa
    select calendar, month_start, year, reporter_region as partner_region,
           case flow when 'import' then 'export' else 'import' end as flow, hs6,
           sum(value_usd)::double as b_usd, sum(net_kg) as b_kg
    from grid
    where source = 'russia_customs' and partner_country = 'IR' and reporter_region in (select code from volgograd)
    group by all
),

covered_a as (
    select distinct calendar, month_start, reporter_region as province
    from marts.grid
    where source = 'iran_customs' and reporter_region in (select code from focus)
),

covered_b as (
    select distinct calendar, month_start, reporter_region as partner_region
    from marts.grid
    where source = 'russia_customs' and reporter_region in (select code from volgograd)
),

national as (
    -- from the provinces' side: Russia's imports from Iran are the provinces' export direction
    select calendar, year, hs6, reporter_country,
           case when reporter_country = 'RU' then (case flow when 'import' then 'export' else 'import' end)
                else flow end as flow,
           sum(value_usd)::double as t_usd
    from grid
    where source = 'comtrade'
      and ((reporter_country = 'RU' and partner_country = 'IR') or (reporter_country = 'IR' and partner_country = 'RU'))
    group by all
),

national_year as (
    select calendar, year, hs6, flow,
           coalesce(max(t_usd) filter (where reporter_country = 'RU'),
                    max(t_usd) filter (where reporter_country = 'IR')) as t_usd,
           case when count(*) filter (where reporter_country = 'RU') > 0 then 'RU' else 'IR' end as t_reporter
    from national
    group by all
),

direct_obs as (
    select
        f.flow_id, f.hs6, f.period_start, f.period_end, f.value_usd::double as d_usd,
        case when f.reporter_country = 'IR' then f.reporter_region else f.partner_region end as province,
        case when f.reporter_country = 'IR' then f.partner_region else f.reporter_region end as partner_region,
        case when f.reporter_country = 'IR' then f.flow
             else (case f.flow when 'import' then 'export' else 'import' end) end as flow
    from core.flows as f
    where f.source = 'manual' and f.hs6 is not null
      and ((f.reporter_region in (select code from focus) and f.partner_region in (select code from volgograd))
        or (f.reporter_region in (select code from volgograd) and f.partner_region in (select code from focus)))
),

direct_months as (
    select d.*, m.calendar, m.month_start, m.year,
           (least(d.period_end, m.month_end) - greatest(d.period_start, m.month_start) + 1)::double as days,
           (least(d.period_end, m.month_end) - greatest(d.period_start, m.month_start) + 1)::double
               / (m.month_end - m.month_start + 1) as share
    from direct_obs as d
    inner join ref.calendar_months as m on m.month_start <= d.period_end and m.month_end >= d.period_start
),

profile as (
    -- the regional monthly profile that shapes the yearly national total
    select calendar, month_start, year, flow, hs6, sum(usd) as regional
    from (select calendar, month_start, year, flow, hs6, a_usd as usd from side_a
          union all
          select calendar, month_start, year, flow, hs6, b_usd from side_b)
    group by all
),

weights as (
    select *, regional / nullif(sum(regional) over (partition by calendar, year, flow, hs6), 0) as weight
    from profile
),

cells as (
    select calendar, month_start, year, province, v.code as partner_region, flow, hs6 from side_a, volgograd as v
    union
    select calendar, month_start, year, p.code as province, partner_region, flow, hs6 from side_b, focus as p
    union
    select calendar, month_start, year, province, partner_region, flow, hs6 from direct_months
),

joined as (
    select
        c.*,
        ca.province is not null as a_covered,
        cb.partner_region is not null as b_covered,
        coalesce(a.a_usd, 0) as a_usd, a.a_kg,
        coalesce(b.b_usd, 0) as b_usd, b.b_kg,
        n.t_usd as t_year, n.t_reporter, w.weight
    from cells as c
    left join (select * exclude (year) from side_a) as a using (calendar, month_start, province, flow, hs6)
    left join (select * exclude (year) from side_b) as b using (calendar, month_start, partner_region, flow, hs6)
    left join covered_a as ca using (calendar, month_start, province)
    left join covered_b as cb using (calendar, month_start, partner_region)
    left join national_year as n using (calendar, year, flow, hs6)
    left join (select * exclude (year) from weights) as w using (calendar, month_start, flow, hs6)
),

estimated as (
    select
        *,
        greatest(t_year * coalesce(weight, 0), a_usd, b_usd) as t_usd,
        case
            when a_covered and b_covered and t_year is not null then 'proportional'
            when a_covered and b_covered then 'bounds_only'
            else 'one_side'
        end as method
    from joined
    where a_covered or b_covered
),

bounded as (
    select
        *,
        case method when 'proportional' then case when t_usd > 0 then a_usd * b_usd / t_usd else 0 end end
            as estimate_usd,
        case method when 'proportional' then greatest(0, a_usd + b_usd - t_usd) else 0 end as lower_usd,
        case
            when method in ('proportional', 'bounds_only') then least(a_usd, b_usd)
            when a_covered then a_usd
            else b_usd
        end as upper_usd
    from estimated
),

direct_weights as (
    select
        d.*,
        d.share * coalesce(e.estimate_usd, e.upper_usd, 0) as weight,
        sum(d.share * coalesce(e.estimate_usd, e.upper_usd, 0)) over (partition by d.calendar, d.flow_id) as weight_total,
        d.days / sum(d.days) over (partition by d.calendar, d.flow_id) as day_share
    from direct_months as d
    left join bounded as e using (calendar, month_start, province, partner_region, flow, hs6)
),

direct as (
    select calendar, month_start, province, partner_region, flow, hs6,
           sum(d_usd * case when weight_total > 0 then weight / weight_total else day_share end) as direct_usd,
           max(share) as direct_share
    from direct_weights
    group by all
),

final as (
    select
        c.calendar, c.month_start, c.year, c.province, c.partner_region, c.flow, c.hs6,
        case when d.direct_usd is not null
             then d.direct_usd + (1 - d.direct_share) * coalesce(e.estimate_usd, 0)
             else e.estimate_usd end as estimate_usd,
        e.lower_usd, e.upper_usd,
        case when d.direct_usd is not null then 'direct' else e.method end as method,
        e.a_usd, e.b_usd, e.t_usd, e.t_reporter,
        coalesce(e.a_kg / nullif(e.a_usd, 0), e.b_kg / nullif(e.b_usd, 0)) as kg_per_usd
    from cells as c
    left join bounded as e using (calendar, month_start, province, partner_region, flow, hs6)
    left join direct as d using (calendar, month_start, province, partner_region, flow, hs6)
    where e.method is not null or d.direct_usd > 0
)

select
    f.calendar, f.month_start, f.month_start as month, f.year, f.province, f.partner_region, f.flow,
    f.hs6, left(f.hs6, 4) as hs4, left(f.hs6, 2) as hs2, coalesce(s4.sector, s2.sector) as sector,
    f.estimate_usd,
    least(coalesce(f.lower_usd, f.estimate_usd), coalesce(f.estimate_usd, f.lower_usd)) as lower_usd,
    greatest(coalesce(f.upper_usd, f.estimate_usd), coalesce(f.estimate_usd, f.upper_usd)) as upper_usd,
    f.method,
    f.a_usd, f.b_usd, f.t_usd, f.t_reporter,
    f.estimate_usd * f.kg_per_usd as estimate_kg,
    least(coalesce(f.lower_usd, f.estimate_usd), coalesce(f.estimate_usd, f.lower_usd)) * f.kg_per_usd as lower_kg,
    greatest(coalesce(f.upper_usd, f.estimate_usd), coalesce(f.estimate_usd, f.upper_usd)) * f.kg_per_usd as upper_kg
from final as f
left join ref.sectors as s4 on length(s4.hs_prefix) = 4 and s4.hs_prefix = left(f.hs6, 4)
left join ref.sectors as s2 on length(s2.hs_prefix) = 2 and s2.hs_prefix = left(f.hs6, 2)
