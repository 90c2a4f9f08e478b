-- marts.grid: every observation spread over the months of both calendars by the share of its days
-- in each month (a Jalali month spans two Gregorian months; a year spans twelve).
--
-- In detail (product, partner, office, mode) for what the dashboard shows: the focus regions, the
-- countries (no region), every region of the provinces' country (the reference of RCA), and every
-- region's trade with the focus countries (Russia's trade with Iran, region by region). The other
-- regions' trade with third countries — most rows of an all-regions FCS year — is added up per
-- region, flow, HS chapter and period (partner_country, partner_region, hs6, hs4, customs_office and
-- transport_mode NULL): it feeds coverage and the totals, nothing shows it by product or partner.
--
-- Cents are exact: observations with the same dimensions and period are added up first (each
-- rounded to the cent), each such group's cents are split by days with integer division, and the
-- remainder goes one cent at a time to the months with the largest fractional parts (earliest
-- first on ties) — so every group, and hence every source, adds up to its own total to the cent.
-- A period covering one or two months of a calendar (every monthly observation) is split row by
-- row; only longer ones (years, quarters) rank their months.
with focus as (
    select code, country, side from ref.focus
),

observed as (
    select
        *,
        reporter_region is null
            or reporter_region in (select code from focus)
            or reporter_country in (select country from focus where side = 'province')
            or partner_country in (select country from focus) as detail
    from core.flows
    -- a Comtrade reporter's months that its annual record also holds would count the trade twice
    anti join core.superseded_months using (flow_id)
),

flows as (
    select
        source, reporter_country, reporter_region,
        case when detail then partner_country end as partner_country,
        case when detail then partner_region end as partner_region,
        flow,
        case when detail then hs6 end as hs6,
        case when detail then hs4 end as hs4,
        hs2, sector,
        case when detail then transport_mode end as transport_mode,
        case when detail then customs_office end as customs_office,
        value_basis, freq, is_sample,
        period_start, period_end,
        sum(round(value_usd * 100))::bigint as cents,
        sum(net_kg) as net_kg,
        count(*) as observations
    from observed
    group by all
),

groups as (
    select *, row_number() over () as group_id from flows
),

-- each distinct period's months in both calendars (few periods, however many observations)
periods as (
    select distinct period_start, period_end from flows
),

period_months as (
    select
        p.period_start, p.period_end,
        m.calendar, m.month_start, m.month_end, m.year, m.month, m.label,
        (least(p.period_end, m.month_end) - greatest(p.period_start, m.month_start) + 1)::bigint as days,
        (p.period_end - p.period_start + 1)::bigint as days_total,
        m.month_start <= p.period_start as is_first,
        count(*) over (partition by p.period_start, p.period_end, m.calendar) as n_months
    from periods as p
    inner join ref.calendar_months as m
        on m.month_start <= p.period_end and m.month_end >= p.period_start
),

month_spans as (
    select g.*, m.* exclude (period_start, period_end)
    from groups as g
    inner join period_months as m using (period_start, period_end)
),

-- one or two months: with two, the cent left over (at most one) goes to the month with the larger
-- fractional part, the earlier on a tie; the other month's part is known from the row's own
short as (
    select
        * exclude (days, days_total, is_first, n_months),
        (cents * days) // days_total
        + case
            when n_months = 2
             and cents - (cents * days) // days_total - (cents * (days_total - days)) // days_total = 1
             and (2 * ((cents * days) % days_total) > days_total
                  or (2 * ((cents * days) % days_total) = days_total and is_first))
            then 1 else 0
        end as month_cents,
        net_kg * days / days_total as month_kg
    from month_spans
    where n_months <= 2
),

long_split as (
    select
        *,
        (cents * days) // days_total as base_cents,
        (cents * days) % days_total as frac
    from month_spans
    where n_months > 2
),

long_ranked as (
    select
        *,
        cents - sum(base_cents) over (partition by calendar, group_id) as remainder,
        row_number() over (partition by calendar, group_id order by frac desc, month_start) as rank
    from long_split
),

long as (
    select
        * exclude (days, days_total, is_first, n_months, base_cents, frac, remainder, rank),
        base_cents + case when rank <= remainder then 1 else 0 end as month_cents,
        net_kg * days / days_total as month_kg
    from long_ranked
),

final as (
    select
        calendar, month_start, month_end, year, month, label,
        source, reporter_country, reporter_region, partner_country, partner_region, flow,
        hs6, hs4, hs2, sector, transport_mode, customs_office, value_basis, freq, is_sample,
        sum(month_cents)::bigint as cents,
        sum(month_kg) as net_kg,
        sum(observations) as observations
    from (select * from short union all by name select * from long)
    group by all
)

select
    * exclude (cents),
    cents,
    (cents / 100)::decimal(18, 2) as value_usd
from final
