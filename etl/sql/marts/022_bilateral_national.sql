-- marts.bilateral_national: Russia <-> Iran national trade per Gregorian year, product (hs6) and
-- direction from the provinces' side, as each reporter told UN Comtrade (Iran's exports to Russia and
-- Russia's imports from Iran are both the provinces' 'export' direction), on the basis each recorded.
-- The estimator chooses the reporter and converts the basis (etl/estimate/inputs.py).
select
    year, hs6, reporter_country as reporter,
    case when reporter_country = 'RU' then (case flow when 'import' then 'export' else 'import' end)
         else flow end as flow,
    coalesce(sum(value_usd) filter (where value_basis = 'FOB'), 0)::double as usd_fob,
    coalesce(sum(value_usd) filter (where value_basis = 'CIF'), 0)::double as usd_cif,
    coalesce(sum(value_usd) filter (where value_basis not in ('FOB', 'CIF') or value_basis is null), 0)::double
        as usd_other
from marts.grid
where calendar = 'gregorian' and source = 'comtrade' and hs6 is not null
  and ((reporter_country = 'RU' and partner_country = 'IR') or (reporter_country = 'IR' and partner_country = 'RU'))
group by all
