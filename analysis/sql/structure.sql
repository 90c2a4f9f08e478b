-- Complementarity and concentration per province, year and direction.
select *
from marts.structure
where calendar = $calendar
  and province in (select unnest($provinces::varchar[]))
  and flow in (select unnest($flows::varchar[]))
  and year between $year_from and $year_to
order by year, province, flow
