-- Each target against the estimate per year (Gregorian years: targets are per calendar year).
select target_id, reporter_region, partner_region, metric, target_usd, from_year, agreed, url, year,
       estimate_usd, lower_usd, upper_usd, one_side_cells, direct_cells, months
from marts.targets
where year between $year_from and $year_to
order by target_id, year
