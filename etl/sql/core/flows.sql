-- core.flows: one row per source record, normalised, with HS levels and sector.
with staged as (
    select * from staging.stg_flows
),

sectors as (
    select hs_prefix, sector from ref.sectors
),

levels as (
    select
        *,
        case when length(hs_code) >= 6 then left(hs_code, 6) end as hs6,
        case when length(hs_code) >= 4 then left(hs_code, 4) end as hs4,
        case when length(hs_code) >= 2 then left(hs_code, 2) end as hs2
    from staged
),

final as (
    select
        l.source,
        l.file,
        l.row,
        getvariable('load_id') as load_id,
        l.is_sample,
        l.reporter_country,
        l.reporter_region,
        l.partner_country,
        l.partner_region,
        l.flow,
        l.hs_code,
        l.hs6,
        l.hs4,
        l.hs2,
        coalesce(s4.sector, s2.sector) as sector,
        l.period_start,
        l.period_end,
        l.calendar,
        l.freq,
        l.period_label,
        l.value_usd,
        l.value_basis,
        l.net_kg,
        l.qty,
        l.qty_unit,
        l.value_native,
        l.currency_native,
        l.transport_mode,
        l.customs_office,
        l.flags,
        -- a key within one build (direct observations use it): the file's place in the refresh and the row.
        -- (Not row_number() over (): numbering 12 M joined rows in order took longer than writing them.)
        (l.file_id::bigint << 32) | l.row::bigint as flow_id
    from levels as l
    left join sectors as s4 on length(s4.hs_prefix) = 4 and s4.hs_prefix = l.hs4
    left join sectors as s2 on length(s2.hs_prefix) = 2 and s2.hs_prefix = l.hs2
)

select * from final
