-- marts.reported: what the customs of each side reported, told from the provinces' side.
--   side 'province': Iranian customs, per focus province (ref.focus), trade with every partner country;
--   side 'partner':  Russian customs, for the focus partner region (Volgograd), with every partner country;
--   side 'national': UN Comtrade, each focus country's trade with the other (no region).
-- `flow` is from the provinces' side (ref.point_of_view: Volgograd's imports are the provinces'
-- exports), `reported_flow` as the reporter recorded it. `with_other_side` marks trade with the
-- other side's country: the provinces with Russia, Volgograd with Iran, Iran with Russia.
-- Grain as marts.grid (one row per grid row); `region` is the reporting focus region.
with focus_countries as (
    select distinct country from ref.focus
),

regional as (
    select g.*, f.side, f.code as region
    from marts.grid as g
    inner join ref.focus as f on f.code = g.reporter_region
    where g.source in ('iran_customs', 'russia_customs')
),

national as (
    select g.*, 'national' as side, null::varchar as region
    from marts.grid as g
    where g.source = 'comtrade' and g.reporter_region is null
      and g.reporter_country in (select country from focus_countries)
      and g.partner_country in (select country from focus_countries)
      and g.partner_country <> g.reporter_country
),

final as (
    select
        r.calendar, r.month_start, r.month_end, r.year, r.month, r.label,
        r.side, r.source, r.reporter_country, r.region, r.partner_country, r.partner_region,
        o.country is not null as with_other_side,
        r.flow as reported_flow, v.flow,
        r.hs6, r.hs4, r.hs2, r.sector, r.transport_mode, r.customs_office, r.value_basis, r.freq, r.is_sample,
        r.value_usd, r.net_kg, r.observations
    from (select * from regional union all by name select * from national) as r
    inner join ref.point_of_view as v on v.country = r.reporter_country and v.reported_flow = r.flow
    left join focus_countries as o on o.country = r.partner_country and o.country <> r.reporter_country
)

select * from final
