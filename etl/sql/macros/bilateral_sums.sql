-- marts.bilateral_sums: the province <-> Volgograd estimate summed over any filter, grouped by any of
-- month, year, province, direction, sector and HS level, with the 80 % interval of each sum.
--
--   select * from marts.bilateral_sums('gregorian', date '2023-01-01', date '2023-12-01',
--                                      ['IR-02'], ['export', 'import'], null, by_province := true)
--
-- Lists given as NULL mean "all". A grouping left false gives NULL in its column. measure 'usd' or 'kg'.
-- The interval of a sum (docs/estimate.md): each cell's distance to its p10 (and p90) is split into a
-- part common to all cells and a part shared by the cells of one product and direction; common parts
-- add up, product parts add up within a product and in quadrature across products, and the result is
-- kept within the sum of the logical bounds:
--   p10 = max(Σ lower, Σ estimate − sqrt((Σ dev_common_lo)² + Σ_products (Σ dev_product_lo)²))
-- Cells without an estimate (method one_side or bounds_only) count in the bounds and in
-- cells_without_estimate, not in the estimate or its interval.
create or replace macro marts.bilateral_sums(cal, date_from, date_to, provinces, flows, sectors,
                                             by_month := false, by_year := false, by_province := false,
                                             by_flow := false, by_sector := false, hs_level := 0,
                                             measure := 'usd') as table
with cells as (
    select
        case when by_month then b.month_start end as month_start,
        case when by_year then b.year end as year,
        case when by_province then b.province end as province,
        case when by_flow then b.flow end as flow,
        case when by_sector then b.sector end as sector,
        case when hs_level > 0 then left(b.hs6, hs_level) end as hs,
        b.flow as product_flow, b.hs6 as product,
        case when measure = 'kg' then b.kg_per_usd else 1.0 end as w,
        b.estimate_usd, b.lower_usd, b.upper_usd, b.dev_common_lo_usd, b.dev_common_hi_usd,
        b.dev_product_lo_usd, b.dev_product_hi_usd, b.method
    from marts.bilateral as b
    where b.calendar = cal
      and b.month_start between date_from and date_to
      and (provinces is null or b.province in (select unnest(provinces)))
      and (flows is null or b.flow in (select unnest(flows)))
      and (sectors is null or b.sector in (select unnest(sectors)))
),

per_product as (
    select
        month_start, year, province, flow, sector, hs, product_flow, product,
        sum(w * estimate_usd) as estimate, sum(w * lower_usd) as lower, sum(w * upper_usd) as upper,
        sum(w * dev_common_lo_usd) as common_lo, sum(w * dev_common_hi_usd) as common_hi,
        sum(w * dev_product_lo_usd) as product_lo, sum(w * dev_product_hi_usd) as product_hi,
        count(*) as cells,
        count(*) filter (where method in ('one_side', 'bounds_only')) as cells_without_estimate,
        count(*) filter (where method = 'direct') as direct_cells,
        count(*) filter (where method = 'nowcast') as nowcast_cells
    from cells
    group by all
)

select
    month_start, year, province, flow, sector, hs,
    sum(estimate) as estimate,
    greatest(sum(lower), least(sum(estimate), sum(estimate) - sqrt(power(sum(common_lo), 2)
                                                                   + sum(product_lo * product_lo)))) as p10,
    least(sum(upper), greatest(sum(estimate), sum(estimate) + sqrt(power(sum(common_hi), 2)
                                                                   + sum(product_hi * product_hi)))) as p90,
    sum(lower) as lower, sum(upper) as upper,
    sum(cells)::bigint as cells, sum(cells_without_estimate)::bigint as cells_without_estimate,
    sum(direct_cells)::bigint as direct_cells, sum(nowcast_cells)::bigint as nowcast_cells
from per_product
group by all
