-- marts.bilateral_national_months: Russia <-> Iran national trade per Gregorian month, product (hs6),
-- direction from the provinces' side (marts.reported: Iran's exports to Russia and Russia's imports
-- from Iran are both the provinces' 'export') and reporter, as each told UN Comtrade, on the basis
-- each recorded. `monthly` marks the reporter's own monthly figures (freq M); a yearly figure is
-- spread over its months by days here and summed back by year in marts.bilateral_national. Where a
-- year has monthly figures, the national total's months are known rather than spread by a profile —
-- which is what lets a regression across months tell the provinces from the rest of Iran.
select
    month_start, year, hs6, reporter_country as reporter, flow, freq = 'M' as monthly,
    coalesce(sum(value_usd) filter (where value_basis = 'FOB'), 0)::double as usd_fob,
    coalesce(sum(value_usd) filter (where value_basis = 'CIF'), 0)::double as usd_cif,
    coalesce(sum(value_usd) filter (where value_basis not in ('FOB', 'CIF') or value_basis is null), 0)::double
        as usd_other
from marts.reported
where side = 'national' and calendar = 'gregorian' and hs6 is not null
group by all
