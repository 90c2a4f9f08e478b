-- marts.bilateral_national_profile: each reporter's own monthly figures to UN Comtrade (freq M) of
-- Russia <-> Iran trade, per Gregorian month, product (hs6), direction from the provinces' side and
-- reporter, on the basis each recorded — whether or not the reporter's annual record of the year is
-- loaded too (marts.grid then keeps the annual record and drops these months, so that no sum counts
-- the trade twice). marts.bilateral_totals takes the *timing* of the national total from them.
with focus_countries as (
    select distinct country from ref.focus
)

select
    f.period_start::date as month_start, year(f.period_start) as year, f.hs6, f.reporter_country as reporter,
    v.flow,
    coalesce(sum(f.value_usd) filter (where f.value_basis = 'FOB'), 0)::double as usd_fob,
    coalesce(sum(f.value_usd) filter (where f.value_basis = 'CIF'), 0)::double as usd_cif,
    coalesce(sum(f.value_usd) filter (where f.value_basis not in ('FOB', 'CIF') or f.value_basis is null), 0)::double
        as usd_other
from core.flows as f
inner join ref.point_of_view as v on v.country = f.reporter_country and v.reported_flow = f.flow
where f.source = 'comtrade' and f.freq = 'M' and f.reporter_region is null and f.hs6 is not null
  and f.reporter_country in (select country from focus_countries)
  and f.partner_country in (select country from focus_countries)
  and f.partner_country <> f.reporter_country
group by all
