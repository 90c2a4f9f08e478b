-- Every estimate lies within its 80 % interval, the interval within the logical bounds, the bounds
-- within [0, A] (and within min(A, B) where Volgograd's side is reported; A and B are FOB, the bounds
-- may use either as its customs recorded it, up to the CIF/FOB margin);
-- a cell without an estimate has no interval; every method is a known one.
select calendar, month_start, province, flow, hs6, method, estimate_usd, p10_usd, p90_usd, lower_usd, upper_usd,
       a_usd, b_usd
from marts.bilateral
cross join marts.bilateral_settings as s
where lower_usd < -0.005
   or lower_usd > upper_usd + 0.005
   or (estimate_usd is not null and not (lower_usd - 0.005 <= p10_usd and p10_usd <= estimate_usd + 0.005
                                         and estimate_usd <= p90_usd + 0.005 and p90_usd <= upper_usd + 0.005))
   or (method in ('calibrated', 'proportional', 'nowcast') and upper_usd > a_usd * (1 + s.cif_fob_margin) + 0.005)
   or (method in ('calibrated', 'proportional') and upper_usd > b_usd * (1 + s.cif_fob_margin) + 0.005)
   or (method in ('one_side', 'bounds_only') and (estimate_usd is not null or p10_usd is not null))
   or method not in ('direct', 'calibrated', 'proportional', 'nowcast', 'bounds_only', 'one_side')
   or method is null
