-- marts.mirror: what the exporter reported against what the importer reported, by year and HS
-- chapter (Comtrade national figures of the two focus countries, marts.reported side 'national'),
-- both directions. The gap M − X·(1 + τ) is computed at query time so that τ stays a parameter
-- (analysis/sql/mirror.sql).
with national as (
    select calendar, year, hs2, reporter_country, partner_country, reported_flow,
           sum(value_usd)::double as value_usd
    from marts.reported
    where side = 'national' and hs2 is not null
    group by all
),

exports as (
    select calendar, year, hs2, reporter_country as exporter, partner_country as importer, value_usd as x_usd
    from national where reported_flow = 'export'
),

imports as (
    select calendar, year, hs2, partner_country as exporter, reporter_country as importer, value_usd as m_usd
    from national where reported_flow = 'import'
)

select calendar, year, hs2, exporter, importer, x_usd, m_usd
from exports
full join imports using (calendar, year, hs2, exporter, importer)
