-- The rows of an adapter that checks them in pandas (the registered frame `frame`, in the staging
-- shape) into load.rows, with their record key.
insert into load.rows by name
select
    $id as file_id,
    * exclude (source, file, period_start, period_end),
    period_start::date as period_start,
    period_end::date as period_end,
    record_key(source, reporter_country, reporter_region, partner_country, partner_region, flow, hs_code,
               period_start::date, period_end::date, customs_office, transport_mode, value_basis, flags) as key_hash
from frame
