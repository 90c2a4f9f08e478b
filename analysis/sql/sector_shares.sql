-- The estimate per year and sector (shares are computed by the caller).
select year, sector,
       sum(coalesce(estimate_usd, 0)) as estimate_usd, sum(lower_usd) as lower_usd, sum(upper_usd) as upper_usd,
       sum(coalesce(estimate_kg, 0)) as estimate_kg, sum(lower_kg) as lower_kg, sum(upper_kg) as upper_kg
from marts.bilateral
where calendar = $calendar
  and province in (select unnest($provinces::varchar[]))
  and flow in (select unnest($flows::varchar[]))
  and sector in (select unnest($sectors::varchar[]))
  and month_start between $date_from and $date_to
group by all
order by year, sector
