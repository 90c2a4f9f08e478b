-- Each agreed target against the estimate per calendar (Gregorian) year that the selected months
-- touch: the gap, the share reached, and the annual growth that would reach the target within
-- $horizon years from that year's estimate, (target / estimate)^(1 / horizon) − 1 (none without a
-- positive estimate). Targets are agreed per calendar year, so Jalali views read the years their
-- months fall in.
with span as (
    select year(min(month_start)) as first_year, year(max(month_end)) as last_year
    from selected.cells($filters)
)

select
    t.target_id, t.reporter_region, t.partner_region, t.metric, t.target_usd, t.from_year, t.agreed, t.url, t.year,
    t.estimate_usd, t.lower_usd, t.upper_usd, t.months,
    t.target_usd - t.estimate_usd as gap_usd,
    t.estimate_usd / nullif(t.target_usd, 0) as share_of_target,
    case when t.estimate_usd > 0 and t.target_usd >= 0
         then power(t.target_usd / t.estimate_usd, 1 / $horizon::double) - 1 end as growth_needed,
    $horizon::integer as horizon_years,
    t.months >= 12 as complete_year
from marts.targets as t
inner join span as s on t.year between s.first_year and s.last_year
order by t.target_id, t.year
