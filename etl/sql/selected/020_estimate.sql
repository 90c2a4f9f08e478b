-- selected.estimate(filters): the province <-> partner estimate cells (marts.bilateral) the filters
-- select, with the month's number and label in the chosen calendar, and in the chosen measure (USD or
-- kg) the estimate `value`, its 80 % interval `p10`, `p90` and its logical bounds `lower`, `upper`,
-- beside every column of the mart. A cell's p10/p90 are its own; the interval of a sum of cells comes
-- from marts.bilateral_sums, never from summing these.
select
    b.*,
    c.month as month_of_year,
    c.label,
    case filters['measure'] when 'kg' then b.estimate_kg else b.estimate_usd end as value,
    case filters['measure'] when 'kg' then b.p10_kg else b.p10_usd end as p10,
    case filters['measure'] when 'kg' then b.p90_kg else b.p90_usd end as p90,
    case filters['measure'] when 'kg' then b.lower_kg else b.lower_usd end as lower,
    case filters['measure'] when 'kg' then b.upper_kg else b.upper_usd end as upper
from marts.bilateral as b
inner join selected.cells(filters) as c using (calendar, month_start, province, flow, sector)
