-- selected.estimate(filters): the province <-> partner estimate cells (marts.bilateral) the filters
-- select, with the month's number and label in the chosen calendar, and the estimate and its bounds
-- in the chosen measure as `value`, `lower`, `upper` (USD or kg), beside every column of the mart.
select
    b.*,
    c.month as month_of_year,
    c.label,
    case filters['measure'] when 'kg' then b.estimate_kg else b.estimate_usd end as value,
    case filters['measure'] when 'kg' then b.lower_kg else b.lower_usd end as lower,
    case filters['measure'] when 'kg' then b.upper_kg else b.upper_usd end as upper
from marts.bilateral as b
inner join selected.cells(filters) as c using (calendar, month_start, province, flow, sector)
