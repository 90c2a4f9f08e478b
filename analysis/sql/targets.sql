-- Each agreed target against the estimate per calendar (Gregorian) year of the selected period:
-- the gap, the share reached, and the annual growth that would reach the target within $horizon
-- years from that year's estimate, (target / estimate)^(1 / horizon) − 1 (none without a positive
-- estimate). Targets are agreed per calendar year, so Jalali views read the years their dates fall in.
select
    target_id, reporter_region, partner_region, metric, target_usd, from_year, agreed, url, year,
    estimate_usd, lower_usd, upper_usd, months,
    target_usd - estimate_usd as gap_usd,
    estimate_usd / nullif(target_usd, 0) as share_of_target,
    case when estimate_usd > 0 and target_usd >= 0
         then power(target_usd / estimate_usd, 1 / $horizon::double) - 1 end as growth_needed,
    $horizon::integer as horizon_years,
    months >= 12 as complete_year
from marts.targets
where year between year($filters['date_from']) and year($filters['date_to'])
order by target_id, year
