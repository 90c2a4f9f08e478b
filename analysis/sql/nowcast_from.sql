-- The months Volgograd's side of the estimate in view is nowcast from (its last month reported by
-- Russian customs, a Gregorian month), with the nowcast cells and their share of the estimated value.
select
    nowcast_from,
    count(*) as cells,
    sum(estimate_usd) as estimate_usd,
    sum(estimate_usd) / nullif((select sum(estimate_usd) from selected.estimate($filters)), 0) as share
from selected.estimate($filters)
where method = 'nowcast'
group by nowcast_from
order by nowcast_from
