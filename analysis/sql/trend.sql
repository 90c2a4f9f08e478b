-- Monthly series of the estimate with bounds per direction, with each month's label in the
-- chosen calendar and the share of cells that rest on one side only (coverage holes).
select
    m.month_start, m.year, m.month, m.label, b.flow,
    sum(coalesce(b.estimate_usd, 0)) as estimate_usd, sum(b.lower_usd) as lower_usd, sum(b.upper_usd) as upper_usd,
    sum(coalesce(b.estimate_kg, 0)) as estimate_kg, sum(b.lower_kg) as lower_kg, sum(b.upper_kg) as upper_kg,
    count(*) filter (where b.method = 'one_side') as one_side_cells,
    count(*) filter (where b.method = 'direct') as direct_cells,
    count(*) as cells
from ref.calendar_months as m
inner join marts.bilateral as b
    on b.calendar = m.calendar and b.month_start = m.month_start
where m.calendar = $calendar
  and b.province in (select unnest($provinces::varchar[]))
  and b.flow in (select unnest($flows::varchar[]))
  and b.sector in (select unnest($sectors::varchar[]))
  and m.month_start between $date_from and $date_to
group by all
order by m.month_start, b.flow
