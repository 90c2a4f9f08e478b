-- marts.published_vs_data: each published figure beside what the warehouse says for the same
-- reporter, partner, flow and period. Jalali periods are summed on the Jalali grid (exact months),
-- Gregorian ones on the Gregorian grid. Reporter codes: a region (IR-02, RU-VGG) reads that
-- region's customs; a country (IR, RU) reads Comtrade. Partner W00 = all partners.
with published as (
    select f.*, p.period_start, p.period_end
    from ref.published_figures as f
    left join ref.published_periods as p using (id)
),

matched as (
    select
        f.id,
        sum(g.value_usd)::double as data_usd,
        sum(g.net_kg) / 1000 as data_tonnes,
        count(distinct g.month_start) as months_with_data
    from published as f
    inner join marts.grid as g
        on g.calendar = coalesce(nullif(f.calendar, ''), 'gregorian')
       and g.month_start >= f.period_start and g.month_end <= f.period_end
       and (case when f.reporter_code like '%-%' then g.reporter_region = f.reporter_code
                 else g.reporter_country = f.reporter_code and g.reporter_region is null end)
       and (case when f.reporter_code like 'IR-%' then g.source = 'iran_customs'
                 when f.reporter_code like 'RU-%' then g.source = 'russia_customs'
                 else g.source = 'comtrade' end)
       and (f.partner_code = 'W00' or g.partner_country = f.partner_code)
       and (f.flow = 'turnover' or g.flow = f.flow)
    where f.flow in ('export', 'import', 'turnover')
    group by all
),

months_in_period as (
    select f.id, count(*) as months
    from published as f
    inner join ref.calendar_months as m
        on m.calendar = coalesce(nullif(f.calendar, ''), 'gregorian')
       and m.month_start >= f.period_start and m.month_end <= f.period_end
    group by all
)

select
    f.id, f.published, f.reporter, f.reporter_code, f.partner, f.partner_code, f.period, f.calendar,
    f.period_start, f.period_end, f.flow, f.value_usd as published_usd, f.tonnes as published_tonnes,
    f.products, f.note, f.url,
    m.data_usd, m.data_tonnes,
    m.data_usd - f.value_usd as difference_usd,
    coalesce(m.months_with_data, 0) as months_with_data,
    p.months as months_in_period,
    case
        when f.flow not in ('export', 'import', 'turnover') then 'not comparable'
        when f.period_start is null then 'no period'
        when m.data_usd is null then 'no data'
        when m.months_with_data < p.months then 'partial coverage'
        else 'comparable'
    end as status
from published as f
left join matched as m using (id)
left join months_in_period as p using (id)
