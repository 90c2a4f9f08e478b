-- The estimate with bounds per month and direction, each month labelled in the chosen calendar.
-- value is NULL where no cell of the month has an estimate (a coverage hole), never 0.
select
    month_start, year, month_of_year as month, label, flow,
    sum(value) as value, sum(lower) as lower, sum(upper) as upper,
    count(*) filter (where estimate_usd is null) as no_estimate_cells,
    count(*) as cells
from selected.estimate($filters)
group by all
order by month_start, flow
