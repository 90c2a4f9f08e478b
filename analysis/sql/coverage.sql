-- Which source reports which reporter, flow and month in the filtered period.
select source, reporter, flow, month_start, year, month, label, status, value_usd, observations
from marts.coverage
where calendar = $calendar
  and month_start between $date_from and $date_to
order by source, reporter, flow, month_start
