-- The estimate by product at the chosen HS level (2, 4 or 6 digits), with names, section and sector.
with cells as (
    select left(hs6, $hs_level) as code, hs2, sector,
           coalesce(estimate_usd, 0) as estimate_usd, lower_usd, upper_usd,
           coalesce(estimate_kg, 0) as estimate_kg, lower_kg, upper_kg, method
    from marts.bilateral
    where calendar = $calendar
      and province in (select unnest($provinces::varchar[]))
      and flow in (select unnest($flows::varchar[]))
      and sector in (select unnest($sectors::varchar[]))
      and month_start between $date_from and $date_to
)

select
    c.code, c.hs2, any_value(c.sector) as sector, any_value(ch.section) as section,
    any_value(h.name_en) as name_en,
    sum(c.estimate_usd) as estimate_usd, sum(c.lower_usd) as lower_usd, sum(c.upper_usd) as upper_usd,
    sum(c.estimate_kg) as estimate_kg, sum(c.lower_kg) as lower_kg, sum(c.upper_kg) as upper_kg,
    count(*) filter (where c.method = 'one_side') as one_side_cells
from cells as c
left join ref.hs as h on h.code = c.code
left join ref.hs_chapters as ch on ch.hs2 = c.hs2
group by c.code, c.hs2
order by estimate_usd desc, upper_usd desc
