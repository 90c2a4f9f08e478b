-- marts.bilateral_direct: direct observations — manual rows that name a focus province and Volgograd
-- and one product — with the share of each calendar month's days inside the observation's period.
-- The direction is from the province's side whichever region the row names as reporter
-- (ref.point_of_view).
with named as (
    -- rows naming a focus region on each side: a province and the partner region (either reporting)
    select f.*, r.side as reporter_side, v.flow as province_flow
    from core.flows as f
    inner join ref.focus as r on r.code = f.reporter_region
    inner join ref.focus as p on p.code = f.partner_region and p.side <> r.side
    inner join ref.point_of_view as v on v.country = f.reporter_country and v.reported_flow = f.flow
    where f.source = 'manual' and f.hs6 is not null
),

observations as (
    select
        flow_id, file, row, hs6, period_start, period_end, period_label, calendar as obs_calendar,
        value_usd::double as d_usd, value_basis,
        case when reporter_side = 'province' then reporter_region else partner_region end as province,
        case when reporter_side = 'province' then partner_region else reporter_region end as partner_region,
        province_flow as flow
    from named
)

select
    o.*, m.calendar, m.month_start, m.year,
    (least(o.period_end, m.month_end) - greatest(o.period_start, m.month_start) + 1)::double
        / (m.month_end - m.month_start + 1) as month_share,
    (least(o.period_end, m.month_end) - greatest(o.period_start, m.month_start) + 1)::double
        / (o.period_end - o.period_start + 1) as period_share
from observations as o
inner join ref.calendar_months as m on m.month_start <= o.period_end and m.month_end >= o.period_start
