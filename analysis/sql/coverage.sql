-- Which source reports which reporter, flow and month in the selected months.
select c.source, c.reporter, c.flow, c.month_start, c.year, c.month, c.label, c.status, c.value_usd, c.observations
from marts.coverage as c
semi join selected.cells($filters) as s using (calendar, month_start)
order by c.source, c.reporter, c.flow, c.month_start
