-- The estimate per year and sector, and each sector's share of its year.
select
    year, sector, sum(coalesce(value, 0)) as value, sum(lower) as lower, sum(upper) as upper,
    sum(coalesce(value, 0)) / nullif(sum(sum(coalesce(value, 0))) over (partition by year), 0) as share
from selected.estimate($filters)
group by year, sector
order by year, sector
