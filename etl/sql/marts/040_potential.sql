-- marts.potential: per province × product (hs6) × year, in both directions (from the province's side):
--   export: supply = the province's exports to the world, demand = the partner region's imports from the world;
--   import: supply = the partner region's exports to the world, demand = the province's imports from the world.
-- potential = min(supply, demand); untapped = potential − the bilateral estimate (its lower bound
-- where there is no estimate), never below 0. Coverage columns count the months each side reports.
-- Both sides come from marts.reported, where flows are already told from the provinces' side.
with province_world as (
    select calendar, year, region as province, flow, hs6, any_value(sector) as sector,
           sum(value_usd)::double as value_usd, count(distinct month_start) as months
    from marts.reported
    where side = 'province' and hs6 is not null
    group by calendar, year, region, flow, hs6
),

partner_world as (
    select calendar, year, region as partner_region, flow, hs6,
           sum(value_usd)::double as value_usd, count(distinct month_start) as months
    from marts.reported
    where side = 'partner' and hs6 is not null
    group by calendar, year, region, flow, hs6
),

bilateral as (
    select calendar, year, province, partner_region, flow, hs6,
           sum(coalesce(estimate_usd, lower_usd)) as bilateral_usd
    from marts.bilateral
    group by all
),

combined as (
    select
        p.calendar, p.year, p.province, v.partner_region, p.flow, p.hs6, p.sector,
        case p.flow when 'export' then p.value_usd else v.value_usd end as supply_usd,
        case p.flow when 'export' then v.value_usd else p.value_usd end as demand_usd,
        p.months as province_months, v.months as partner_months
    from province_world as p
    inner join partner_world as v using (calendar, year, flow, hs6)
)

select
    c.*,
    least(c.supply_usd, c.demand_usd) as potential_usd,
    coalesce(b.bilateral_usd, 0) as bilateral_usd,
    greatest(least(c.supply_usd, c.demand_usd) - coalesce(b.bilateral_usd, 0), 0) as untapped_usd
from combined as c
left join bilateral as b using (calendar, year, province, partner_region, flow, hs6)
