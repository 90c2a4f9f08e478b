-- Which source reports which reporter, flow and month in the selected months: the focus regions and
-- the countries (an all-regions FCS file's other regions count in Russia's totals, not here).
select c.source, c.reporter, c.flow, c.month_start, c.year, c.month, c.label, c.status, c.value_usd, c.observations
from marts.coverage as c
semi join selected.cells($filters) as s using (calendar, month_start)
where c.is_focus
order by c.source, c.reporter, c.flow, c.month_start
