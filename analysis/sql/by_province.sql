-- The estimate with bounds per province and direction over the selected months.
select province, flow, sum(coalesce(value, 0)) as value, sum(lower) as lower, sum(upper) as upper
from selected.estimate($filters)
group by all
order by province, flow
