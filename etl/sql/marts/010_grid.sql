-- marts.grid: every observation spread over the months of both calendars by the share of its days
-- in each month (a Jalali month spans two Gregorian months; a year spans twelve).
-- Cents are exact: observations with the same dimensions and period are added up first (each
-- rounded to the cent), each such group's cents are split by days with integer division, and the
-- remainder goes one cent at a time to the months with the largest fractional parts (earliest
-- first on ties) — so every group, and hence every source, adds up to its own total to the cent.
with flows as (
    select
        source, reporter_country, reporter_region, partner_country, partner_region, flow,
        hs6, hs4, hs2, sector, transport_mode, customs_office, value_basis, freq, is_sample,
        period_start, period_end,
        sum(round(value_usd * 100))::bigint as cents,
        sum(net_kg) as net_kg,
        count(*) as observations
    from core.flows
    group by all
),

groups as (
    select *, row_number() over () as group_id, (period_end - period_start + 1)::bigint as days_total
    from flows
),

month_spans as (
    select
        g.*,
        m.calendar, m.month_start, m.month_end, m.year, m.month, m.label,
        (least(g.period_end, m.month_end) - greatest(g.period_start, m.month_start) + 1)::bigint as days
    from groups as g
    inner join ref.calendar_months as m
        on m.month_start <= g.period_end and m.month_end >= g.period_start
),

split as (
    select
        *,
        (cents * days) // days_total as base_cents,
        (cents * days) % days_total as frac
    from month_spans
),

ranked as (
    select
        *,
        cents - sum(base_cents) over (partition by calendar, group_id) as remainder,
        row_number() over (partition by calendar, group_id order by frac desc, month_start) as rank
    from split
),

final as (
    select
        calendar, month_start, month_end, year, month, label,
        source, reporter_country, reporter_region, partner_country, partner_region, flow,
        hs6, hs4, hs2, sector, transport_mode, customs_office, value_basis, freq, is_sample,
        sum(base_cents + case when rank <= remainder then 1 else 0 end)::bigint as cents,
        sum(net_kg * days / days_total) as net_kg,
        sum(observations) as observations
    from ranked
    group by all
)

select
    * exclude (cents),
    cents,
    (cents / 100)::decimal(18, 2) as value_usd
from final
