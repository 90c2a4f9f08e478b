-- Untapped potential per province and product over the filtered years (sums over years).
select
    p.province, p.flow, p.hs6, any_value(h.name_en) as name_en, any_value(p.sector) as sector,
    sum(p.supply_usd) as supply_usd, sum(p.demand_usd) as demand_usd, sum(p.potential_usd) as potential_usd,
    sum(p.bilateral_usd) as bilateral_usd, sum(p.untapped_usd) as untapped_usd,
    min(p.volgograd_months) as min_volgograd_months, count(*) as years
from marts.potential as p
left join ref.hs as h on h.code = p.hs6
where p.calendar = $calendar
  and p.province in (select unnest($provinces::varchar[]))
  and p.flow in (select unnest($flows::varchar[]))
  and p.sector in (select unnest($sectors::varchar[]))
  and p.year between $year_from and $year_to
group by p.province, p.flow, p.hs6
order by untapped_usd desc
