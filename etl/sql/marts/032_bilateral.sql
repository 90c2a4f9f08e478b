-- marts.bilateral: province <-> Volgograd, per product (hs6), direction (from the province's side) and
-- month, in both calendars: the estimate with its 80 % interval (p10 .. p90) inside the logical bounds
-- (lower .. upper), how it was made (method, ψ and its source, the nowcast's origin) and the inputs on
-- the Iranian side's value basis (A = the province's trade with Russia, B = Volgograd's with Iran,
-- reported or nowcast, T = Russia's with Iran). The fit is marts.bilateral_fit (etl/estimate/); this
-- model adds products' sectors and the weights.
--   method: direct | calibrated (ψ from data) | proportional (ψ = 1, no evidence) | nowcast (Volgograd's
--   side carried over its customs' silence) | bounds_only (no national total) | one_side (the province's
--   customs are silent, or Volgograd's with nothing to carry: no estimate).
-- Sums over cells: see marts.bilateral_sums (etl/sql/macros/) and docs/estimate.md.
with weights as (
    select calendar, month_start, flow, hs6, sum(kg) / nullif(sum(usd_reported), 0) as b_kg_per_usd
    from marts.bilateral_sides
    where side = 'B'
    group by all
),

fitted as (
    select
        f.*,
        coalesce(f.a_kg / nullif(f.a_usd, 0), w.b_kg_per_usd) as kg_per_usd
    from marts.bilateral_fit as f
    left join weights as w using (calendar, month_start, flow, hs6)
)

select
    f.calendar, f.month_start, f.month_start as month, f.year::integer as year, f.province, f.partner_region,
    f.flow, f.hs6, left(f.hs6, 4) as hs4, left(f.hs6, 2) as hs2, coalesce(s4.sector, s2.sector) as sector,
    f.estimate_usd, f.lower_usd, f.upper_usd, f.p10_usd, f.p90_usd,
    f.method,
    f.a_usd, f.b_usd, f.t_usd,
    case when f.t_source like 'comtrade %' then regexp_extract(f.t_source, '^comtrade (\w+)', 1) end as t_reporter, f.t_source,
    f.b_source, f.nowcast_from, f.months_since::integer as months_since,
    f.psi, f.psi_p10, f.psi_p90, f.psi_source,
    f.estimate_usd * f.kg_per_usd as estimate_kg,
    f.lower_usd * f.kg_per_usd as lower_kg,
    f.upper_usd * f.kg_per_usd as upper_kg,
    f.p10_usd * f.kg_per_usd as p10_kg,
    f.p90_usd * f.kg_per_usd as p90_kg,
    f.dev_common_lo_usd, f.dev_common_hi_usd, f.dev_product_lo_usd, f.dev_product_hi_usd,
    f.kg_per_usd
from fitted as f
left join ref.sectors as s4 on length(s4.hs_prefix) = 4 and s4.hs_prefix = left(f.hs6, 4)
left join ref.sectors as s2 on length(s2.hs_prefix) = 2 and s2.hs_prefix = left(f.hs6, 2)
