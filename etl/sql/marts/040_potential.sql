-- marts.potential: per province × product (hs6) × year, in both directions (from the province's side):
--   export: supply = the province's exports to the world, demand = the partner region's imports from the world;
--   import: supply = the partner region's exports to the world, demand = the province's imports from the world.
-- potential = min(supply, demand); untapped = potential − the bilateral estimate (its lower bound
-- where there is no estimate), never below 0. Coverage columns count the months each side reports.
-- Both sides come from marts.reported, where flows are already told from the provinces' side.
-- Where the partner region's customs are silent in a year the province reports (FCS after 2022-01:
-- fewer of the partner's months than the province's), its side is carried from its last full year
-- (twelve months reported), scaled to the province's months; `partner_year` names the year the
-- partner's figures come from (= year where reported) and `partner_carried` marks the carried rows.
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

partner_years as (
    select calendar, partner_region, year, max(months) as months
    from partner_world
    group by all
),

province_years as (
    select calendar, year, max(months) as months
    from province_world
    group by all
),

last_full as (
    select calendar, partner_region, max(year) filter (where months = 12) as last_year
    from partner_years
    group by all
),

-- the year whose partner figures stand for each province year, and how they are scaled
partner_source as (
    select
        p.calendar, p.year, l.partner_region,
        coalesce(coalesce(v.months, 0) < p.months and l.last_year < p.year, false) as carried,
        case when carried then l.last_year else p.year end as partner_year,
        case when carried then p.months / 12.0 else 1.0 end as scale
    from province_years as p
    inner join last_full as l using (calendar)
    left join partner_years as v on v.calendar = p.calendar and v.year = p.year and v.partner_region = l.partner_region
),

partner_used as (
    select
        s.calendar, s.year, s.partner_region, w.flow, w.hs6, w.value_usd * s.scale as value_usd,
        w.months, s.partner_year, s.carried as partner_carried
    from partner_source as s
    inner join partner_world as w
        on w.calendar = s.calendar and w.partner_region = s.partner_region and w.year = s.partner_year
),

combined as (
    select
        p.calendar, p.year, p.province, v.partner_region, p.flow, p.hs6, p.sector,
        case p.flow when 'export' then p.value_usd else v.value_usd end as supply_usd,
        case p.flow when 'export' then v.value_usd else p.value_usd end as demand_usd,
        p.months as province_months, v.months as partner_months, v.partner_year, v.partner_carried
    from province_world as p
    inner join partner_used as v using (calendar, year, flow, hs6)
)

select
    c.*,
    least(c.supply_usd, c.demand_usd) as potential_usd,
    coalesce(b.bilateral_usd, 0) as bilateral_usd,
    greatest(least(c.supply_usd, c.demand_usd) - coalesce(b.bilateral_usd, 0), 0) as untapped_usd
from combined as c
left join bilateral as b using (calendar, year, province, partner_region, flow, hs6)
