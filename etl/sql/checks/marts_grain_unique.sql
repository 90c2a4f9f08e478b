-- One row per grain key in the estimate and coverage marts.
select 'bilateral' as mart, calendar, count(*) as n
from marts.bilateral
group by calendar, month_start, province, partner_region, flow, hs6
having count(*) > 1
union all
select 'coverage', calendar, count(*)
from marts.coverage
group by calendar, source, reporter, flow, month_start
having count(*) > 1
