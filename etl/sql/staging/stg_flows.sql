-- Every adapter's rows, one shape: rename and cast only.
with source as (
    select * from staging.flows_raw
),

final as (
    select
        source,
        file,
        file_id::integer as file_id,
        row::integer as row,
        upper(reporter_country) as reporter_country,
        upper(reporter_region) as reporter_region,
        upper(partner_country) as partner_country,
        upper(partner_region) as partner_region,
        lower(flow) as flow,
        hs_code,
        period_start::date as period_start,
        period_end::date as period_end,
        calendar,
        freq,
        period_label,
        value_usd::double as value_usd,
        coalesce(value_basis, 'unknown') as value_basis,
        net_kg::double as net_kg,
        qty::double as qty,
        qty_unit,
        value_native::double as value_native,
        currency_native,
        coalesce(transport_mode, 'unknown') as transport_mode,
        customs_office,
        flags,
        is_sample
    from source
)

select * from final
