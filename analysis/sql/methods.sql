-- How the estimate in view was made: each method (as marts.bilateral names it), its cells and its
-- share of the estimated value, largest first.
select
    method,
    count(*) as cells,
    sum(estimate_usd) as estimate_usd,
    sum(estimate_usd) / nullif(sum(sum(estimate_usd)) over (), 0) as share
from selected.estimate($filters)
group by method
order by estimate_usd desc nulls last, method
