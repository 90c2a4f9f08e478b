-- Monthly series of the estimate with bounds per direction, with each month's label in the
-- chosen calendar and the number of cells that rest on one side only (coverage holes).
select
    m.month_start, m.year, m.month, m.label, b.flow,
    -- NULL where every cell of the month rests on one side only (a coverage hole), never 0
    sum(b.estimate_usd) as estimate_usd, sum(b.lower_usd) as lower_usd, sum(b.upper_usd) as upper_usd,
    sum(b.estimate_kg) as estimate_kg, sum(b.lower_kg) as lower_kg, sum(b.upper_kg) as upper_kg,
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
