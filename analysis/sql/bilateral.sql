-- The estimate cells in view, every column of marts.bilateral (the data page's download).
select * exclude (month_of_year, label, value, p10, p90, lower, upper)
from selected.estimate($filters)
order by month_start, province, flow, hs6
