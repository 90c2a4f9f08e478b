-- marts.bilateral_conflicts: input figures that contradict other inputs, for the data page. The
-- figures are kept as they are (a direct figure stays the cell's estimate, its bounds widened to it);
-- each row names the file, the row and the numbers involved.
--   direct_above_bounds: a direct observation larger than what both sides allow over its period,
--     Σ min(A, B) (B with the CIF/FOB margin; A alone where Volgograd's side is nowcast);
--   published_below_products: Volgograd's published yearly total smaller than the sum of its products
--     as Russian customs reported them, or as direct observations give them (it is then not used to
--     benchmark the nowcast).
with direct_periods as (
    select
        d.flow_id, d.file, d.row, d.period_label, d.province, d.partner_region, d.flow, d.hs6, d.d_usd,
        sum(d.month_share * coalesce(f.a_usd, 0)) as a_usd,
        sum(d.month_share * f.b_usd) filter (where f.b_source = 'reported') as b_usd,
        sum(d.month_share * case when f.b_source = 'reported'
                                 then least(coalesce(f.a_usd, 0), f.b_usd * (1 + s.cif_fob_margin))
                                 else coalesce(f.a_usd, 0) end) as bound_usd,
        bool_and(coalesce(f.a_covered, false)) as a_covered
    from marts.bilateral_direct as d
    left join marts.bilateral_fit as f using (calendar, month_start, province, flow, hs6)
    cross join marts.bilateral_settings as s
    where d.calendar = d.obs_calendar
    group by all
),

direct_conflicts as (
    select
        'direct_above_bounds' as kind, file, row, period_label as period, province, flow, hs6,
        d_usd as figure_usd, bound_usd as limit_usd,
        format('{} row {}: the direct figure ${:,.0f} for {} ↔ {} ({}, HS {}, {}) is larger than the sides allow, '
               || 'Σ min(A, B) = ${:,.0f} (the province''s trade with Russia A = ${:,.0f}, Volgograd''s with Iran '
               || 'B = {}); the figure is kept as the estimate and the bounds widened to it',
               file, row, d_usd, province, partner_region, flow, hs6, period_label, bound_usd, a_usd,
               coalesce(format('${:,.0f}', b_usd), 'not reported (nowcast)')) as message
    from direct_periods
    where a_covered and d_usd > bound_usd + 0.5
),

fcs_years as (
    select year, flow, sum(usd_reported) as products_usd, count(distinct hs6) as products,
           count(distinct month_start) as months
    from marts.bilateral_sides
    where calendar = 'gregorian' and side = 'B'
    group by all
),

direct_years as (
    select year(period_start) as year, flow, sum(d_usd) as products_usd, count(*) as products
    from (select distinct flow_id, period_start, flow, d_usd from marts.bilateral_direct)
    group by all
),

published_conflicts as (
    select
        'published_below_products' as kind, p.file, p.row, p.period_label as period, null as province, p.flow,
        null as hs6, p.p_usd as figure_usd, s.products_usd as limit_usd,
        format('{} row {}: Volgograd''s published total ${:,.0f} for {} ({} from the provinces'' side) is smaller than '
               || 'the sum of its products reported by Russian customs, ${:,.0f} ({} products over {} months); the '
               || 'figure is kept and not used to benchmark the nowcast',
               p.file, p.row, p.p_usd, p.period_label, p.flow, s.products_usd, s.products, s.months) as message
    from marts.bilateral_published as p
    inner join fcs_years as s using (year, flow)
    where p.p_usd < s.products_usd - 0.5
    union all
    select
        'published_below_products', p.file, p.row, p.period_label, null, p.flow, null, p.p_usd, d.products_usd,
        format('{} row {}: Volgograd''s published total ${:,.0f} for {} ({} from the provinces'' side) is smaller than '
               || 'the sum of the direct observations of its products that year, ${:,.0f} ({} observations); the '
               || 'figure is kept', p.file, p.row, p.p_usd, p.period_label, p.flow, d.products_usd, d.products)
    from marts.bilateral_published as p
    inner join direct_years as d using (year, flow)
    where p.p_usd < d.products_usd - 0.5
)

select * from direct_conflicts
union all
select * from published_conflicts
