-- marts.mirror: what the exporter reported against what the importer reported, by year and HS
-- chapter (Comtrade national figures: Iran 364 and Russia 643), both directions. The gap
-- M − X·(1 + τ) is computed at query time so that τ stays a parameter (analysis.queries.mirror).
with national as (
    select calendar, year, hs2, reporter_country, partner_country, flow, sum(value_usd)::double as value_usd,
           count(distinct month_start) as months
    from marts.grid
    where source = 'comtrade' and hs2 is not null
      and ((reporter_country = 'IR' and partner_country = 'RU') or (reporter_country = 'RU' and partner_country = 'IR'))
    group by all
),

exports as (
    select calendar, year, hs2, reporter_country as exporter, partner_country as importer, value_usd as x_usd
    from national where flow = 'export'
),

imports as (
    select calendar, year, hs2, partner_country as exporter, reporter_country as importer, value_usd as m_usd
    from national where flow = 'import'
)

select calendar, year, hs2, exporter, importer, x_usd, m_usd
from exports
full join imports using (calendar, year, hs2, exporter, importer)
