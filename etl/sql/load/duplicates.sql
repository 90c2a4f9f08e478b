-- Rows that describe the same record — same source, reporter, partner, flow, product, period, office,
-- mode, basis and unknown names (the 'unknown_…' flags: two unknown offices are two offices) — in one
-- file or across files. With the same values (USD, kg, quantity) it is a duplicate: the later rows
-- are rejected, naming the first. With different values it is a conflict: every row of it is rejected,
-- each naming another (the first row names the earliest that differs) and both values — which one
-- is right is for the people who sent the files to say, not for the tool to guess.
-- Rows are first grouped by the hash of their key (load.rows.key_hash, computed as they were read);
-- only the few whose hash repeats are compared column by column.
insert into load.late
with live as (
    select r.key_hash
    from load.rows as r
    anti join load.late as l using (file_id, row)
    where r.reject_reason is null
),

candidates as (
    select
        file_id, row, value_usd, net_kg, qty,
        source, reporter_country, reporter_region, partner_country, partner_region, flow, hs_code,
        period_start, period_end, customs_office, transport_mode, value_basis, unknown_names(flags) as unknown
    from load.accepted
    semi join (select key_hash from live group by key_hash having count(*) > 1) using (key_hash)
),

grouped as (
    select
        *,
        (file_id::bigint << 32) + row as pos,
        count(*) over record as n,
        first_value((file_id::bigint << 32) + row) over ordered as first_pos,
        first_value(value_usd) over ordered as first_usd,
        first_value(net_kg) over ordered as first_kg,
        first_value(qty) over ordered as first_qty
    from candidates
    window
        record as (partition by source, reporter_country, reporter_region, partner_country, partner_region, flow,
                   hs_code, period_start, period_end, customs_office, transport_mode, value_basis, unknown),
        ordered as (record order by file_id, row rows between unbounded preceding and unbounded following)
),

compared as (
    select
        *,
        value_usd is not distinct from first_usd and net_kg is not distinct from first_kg
            and qty is not distinct from first_qty as same
    from grouped
    where n > 1
),

judged as (
    select
        *,
        bool_or(not same) over record as differs,
        min(case when not same then pos end) over record as first_differing
    from compared
    window record as (partition by source, reporter_country, reporter_region, partner_country, partner_region, flow,
                      hs_code, period_start, period_end, customs_office, transport_mode, value_basis, unknown)
),

against as (
    select
        *,
        case when differs and pos = first_pos then first_differing else first_pos end as other_pos
    from judged
    where differs or pos <> first_pos
)

select
    a.file_id,
    a.row,
    null as "column",
    null as value,
    case
        when a.differs then
            'conflicting records: same partner, product, period and flow as ' || f.file || ' row ' || o.row
            || ' but different values (' || shown_values(a.value_usd, a.net_kg, a.qty) || ' here, '
            || shown_values(o.value_usd, o.net_kg, o.qty) || ' there); both are left out until one is corrected'
        else 'duplicate record: same partner, product, period, flow and values as ' || f.file || ' row ' || o.row
    end as reason
from against as a
inner join grouped as o on o.pos = a.other_pos
inner join load.files as f on f.file_id = o.file_id
