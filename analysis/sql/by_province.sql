-- The estimate with bounds per province and direction over the filtered period.
select province, flow,
       sum(coalesce(estimate_usd, 0)) as estimate_usd, sum(lower_usd) as lower_usd, sum(upper_usd) as upper_usd,
       sum(coalesce(estimate_kg, 0)) as estimate_kg, sum(lower_kg) as lower_kg, sum(upper_kg) as upper_kg,
       count(*) filter (where method = 'one_side') as one_side_cells,
       count(*) filter (where method = 'direct') as direct_cells
from marts.bilateral
where calendar = $calendar
  and province in (select unnest($provinces::varchar[]))
  and flow in (select unnest($flows::varchar[]))
  and sector in (select unnest($sectors::varchar[]))
  and month_start between $date_from and $date_to
group by all
order by province, flow
