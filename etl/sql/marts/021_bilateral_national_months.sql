-- marts.bilateral_national_months: Russia <-> Iran national trade per Gregorian month, product (hs6),
-- direction from the provinces' side (marts.reported: Iran's exports to Russia and Russia's imports
-- from Iran are both the provinces' 'export') and reporter, as each told UN Comtrade, on the basis
-- each recorded. A yearly figure is spread over its months by days here and summed back by year in
-- marts.bilateral_national: these rows carry the *level*. A reporter's own monthly figures (freq M)
-- are here only where no annual record of the same year holds the level (marts.grid); their timing is
-- in marts.bilateral_national_profile, which marts.bilateral_totals uses to place the year's total.
select
    month_start, year, hs6, reporter_country as reporter, flow,
    coalesce(sum(value_usd) filter (where value_basis = 'FOB'), 0)::double as usd_fob,
    coalesce(sum(value_usd) filter (where value_basis = 'CIF'), 0)::double as usd_cif,
    coalesce(sum(value_usd) filter (where value_basis not in ('FOB', 'CIF') or value_basis is null), 0)::double
        as usd_other
from marts.reported
where side = 'national' and calendar = 'gregorian' and hs6 is not null
group by all
