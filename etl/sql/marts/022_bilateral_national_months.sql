-- marts.bilateral_national_months: Russia <-> Iran national trade per Gregorian month where a reporter
-- told UN Comtrade its monthly figures (freq M), as marts.bilateral_national per year. Where a year has
-- them, the national total's months are known rather than spread by a profile — which is what lets a
-- regression across months tell the provinces from the rest of Iran (etl/estimate/psi.py).
select
    month_start, year, hs6, reporter_country as reporter,
    case when reporter_country = 'RU' then (case flow when 'import' then 'export' else 'import' end)
         else flow end as flow,
    coalesce(sum(value_usd) filter (where value_basis = 'FOB'), 0)::double as usd_fob,
    coalesce(sum(value_usd) filter (where value_basis = 'CIF'), 0)::double as usd_cif,
    coalesce(sum(value_usd) filter (where value_basis not in ('FOB', 'CIF') or value_basis is null), 0)::double
        as usd_other
from marts.grid
where calendar = 'gregorian' and source = 'comtrade' and hs6 is not null and freq = 'M'
  and ((reporter_country = 'RU' and partner_country = 'IR') or (reporter_country = 'IR' and partner_country = 'RU'))
group by all
