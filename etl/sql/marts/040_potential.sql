-- marts.potential: per province × product (hs6) × year, in both directions (from the province's side):
--   export: supply = the province's exports to the world, demand = Volgograd's imports from the world;
--   import: supply = Volgograd's exports to the world, demand = the province's imports from the world.
-- potential = min(supply, demand); untapped = potential − the bilateral estimate (its lower bound
-- where there is no estimate), never below 0. Coverage columns count the months each side reports.
with focus as (
    select code from ref.regions where is_focus = '1' and country = 'IR'
),

volgograd as (
    select code from ref.regions where is_focus = '1' and country = 'RU'
),

province_world as (
    select calendar, year, reporter_region as province, flow, hs6,
           sum(value_usd)::double as value_usd, count(distinct month_start) as months
    from marts.grid
    where source = 'iran_customs' and hs6 is not null and reporter_region in (select code from focus)
    group by all
),

volgograd_world as (
    -- Volgograd's imports meet the provinces' exports
    select calendar, year, reporter_region as partner_region,
           case flow when 'import' then 'export' else 'import' end as flow, hs6,
           sum(value_usd)::double as value_usd, count(distinct month_start) as months
    from marts.grid
    where source = 'russia_customs' and hs6 is not null and reporter_region in (select code from volgograd)
    group by all
),

bilateral as (
    select calendar, year, province, partner_region, flow, hs6,
           sum(coalesce(estimate_usd, lower_usd)) as bilateral_usd
    from marts.bilateral
    group by all
),

combined as (
    select
        p.calendar, p.year, p.province, v.partner_region, p.flow, p.hs6,
        case p.flow when 'export' then p.value_usd else v.value_usd end as supply_usd,
        case p.flow when 'export' then v.value_usd else p.value_usd end as demand_usd,
        p.months as province_months, v.months as volgograd_months
    from province_world as p
    inner join volgograd_world as v using (calendar, year, flow, hs6)
)

select
    c.*,
    coalesce(s4.sector, s2.sector) as sector,
    least(c.supply_usd, c.demand_usd) as potential_usd,
    coalesce(b.bilateral_usd, 0) as bilateral_usd,
    greatest(least(c.supply_usd, c.demand_usd) - coalesce(b.bilateral_usd, 0), 0) as untapped_usd
from combined as c
left join bilateral as b using (calendar, year, province, partner_region, flow, hs6)
left join ref.sectors as s4 on length(s4.hs_prefix) = 4 and s4.hs_prefix = left(c.hs6, 4)
left join ref.sectors as s2 on length(s2.hs_prefix) = 2 and s2.hs_prefix = left(c.hs6, 2)
