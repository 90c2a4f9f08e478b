-- marts.bilateral_tables: the product-direction-month tables the fit works on, in both calendars, one
-- row per table and focus province (table_id, product_id — one per direction and hs6 — and
-- province_index number them from 0 for the arrays of etl/estimate/):
--   a_usd, a_kg, a_covered: the province's trade with Russia (0 where its customs cover the month and
--     report none of the product; a_covered false where they do not cover the month);
--   b_usd: Volgograd's side, reported or nowcast (marts.bilateral_volgograd), b_source 'reported',
--     'nowcast' or 'none' (its customs silent and nothing to carry), with the nowcast's variances;
--   t_usd: Russia's national total (marts.bilateral_totals), NULL where there is none.
-- Volgograd's side and the totals are Gregorian; a Jalali month takes each Gregorian month's share of
-- days, as marts.grid spreads an observation (the nowcast's variances weighted by B).
with focus as (
    select code as province, (row_number() over (order by code) - 1)::integer as province_index
    from ref.focus
    where side = 'province'
),

overlap as (
    select * from marts.bilateral_month_overlap
),

volgograd as (
    select 'gregorian' as calendar, flow, hs6, month_start, b_usd, var_common, var_product
    from marts.bilateral_volgograd
    union all
    select 'jalali', v.flow, v.hs6, o.month_start, sum(v.b_usd * o.share),
           sum(v.var_common * v.b_usd * o.share) / nullif(sum(v.b_usd * o.share), 0),
           sum(v.var_product * v.b_usd * o.share) / nullif(sum(v.b_usd * o.share), 0)
    from marts.bilateral_volgograd as v
    inner join overlap as o on o.g_month = v.month_start
    group by all
),

totals as (
    select 'gregorian' as calendar, flow, hs6, month_start, t_usd from marts.bilateral_totals
    union all
    select 'jalali', t.flow, t.hs6, o.month_start, sum(t.t_usd * o.share)
    from marts.bilateral_totals as t
    inner join overlap as o on o.g_month = t.month_start
    group by all
),

gregorian_state as (
    select month_start, 'reported' as b_source, null::date as nowcast_from, 0 as months_since
    from marts.bilateral_coverage
    where calendar = 'gregorian' and side = 'B'
    union all
    select month_start, 'nowcast', max(nowcast_from), max(months_since)
    from marts.bilateral_volgograd
    where b_source = 'nowcast'
    group by all
),

state as (
    select 'gregorian' as calendar, * from gregorian_state
    union all
    select 'jalali', o.month_start,
           case when bool_or(s.b_source = 'nowcast') then 'nowcast' else 'reported' end,
           max(s.nowcast_from), max(s.months_since)
    from gregorian_state as s
    inner join overlap as o on o.g_month = s.month_start
    group by all
),

keys as (
    select distinct calendar, flow, hs6, month_start from marts.bilateral_sides
),

tables as (
    select
        (row_number() over (order by k.calendar, k.flow, k.hs6, k.month_start) - 1)::integer as table_id,
        (dense_rank() over (order by k.flow, k.hs6) - 1)::integer as product_id,
        k.calendar, k.flow, k.hs6, k.month_start, m.year,
        year(k.month_start + interval 14 days) as g_year,
        coalesce(v.b_usd, 0) as b_usd, coalesce(v.var_common, 0) as var_common,
        coalesce(v.var_product, 0) as var_product,
        t.t_usd, coalesce(s.b_source, 'none') as b_source, s.nowcast_from, coalesce(s.months_since, 0) as months_since
    from keys as k
    inner join ref.calendar_months as m using (calendar, month_start)
    left join volgograd as v using (calendar, flow, hs6, month_start)
    left join totals as t using (calendar, flow, hs6, month_start)
    left join state as s using (calendar, month_start)
),

t_source as (
    select distinct flow, hs6, year as g_year, t_source from marts.bilateral_totals
),

a_side as (
    select calendar, month_start, region as province, flow, hs6, sum(usd) as a_usd, sum(kg) as a_kg
    from marts.bilateral_sides
    where side = 'A'
    group by all
),

a_covered as (
    select calendar, month_start, region as province
    from marts.bilateral_coverage
    where side = 'A'
)

select
    t.*, ts.t_source, f.province, f.province_index,
    coalesce(a.a_usd, 0) as a_usd,  -- FOB: the provinces' imports (CIF in their files) lose the margin
    coalesce(a.a_kg, 0) as a_kg,
    c.province is not null as a_covered
from tables as t
cross join focus as f
left join t_source as ts using (flow, hs6, g_year)
left join a_side as a using (calendar, month_start, province, flow, hs6)
left join a_covered as c using (calendar, month_start, province)
order by t.table_id, f.province_index
