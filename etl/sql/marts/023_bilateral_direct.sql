-- marts.bilateral_direct: direct observations — manual rows that name a focus province and Volgograd
-- and one product — with the share of each calendar month's days inside the observation's period.
-- The direction is from the province's side whichever region the row names as reporter.
with focus as (
    select code from ref.regions where is_focus = '1' and country = 'IR'
),

volgograd as (
    select code from ref.regions where is_focus = '1' and country = 'RU'
),

observations as (
    select
        f.flow_id, f.file, f.row, f.hs6, f.period_start, f.period_end, f.period_label, f.calendar as obs_calendar,
        f.value_usd::double as d_usd, f.value_basis,
        case when f.reporter_country = 'IR' then f.reporter_region else f.partner_region end as province,
        case when f.reporter_country = 'IR' then f.partner_region else f.reporter_region end as partner_region,
        case when f.reporter_country = 'IR' then f.flow
             else (case f.flow when 'import' then 'export' else 'import' end) end as flow
    from core.flows as f
    where f.source = 'manual' and f.hs6 is not null
      and ((f.reporter_region in (select code from focus) and f.partner_region in (select code from volgograd))
        or (f.reporter_region in (select code from volgograd) and f.partner_region in (select code from focus)))
)

select
    o.*, m.calendar, m.month_start, m.year,
    (least(o.period_end, m.month_end) - greatest(o.period_start, m.month_start) + 1)::double
        / (m.month_end - m.month_start + 1) as month_share,
    (least(o.period_end, m.month_end) - greatest(o.period_start, m.month_start) + 1)::double
        / (o.period_end - o.period_start + 1) as period_share
from observations as o
inner join ref.calendar_months as m on m.month_start <= o.period_end and m.month_end >= o.period_start
