-- Every estimate lies within its bounds, and the bounds within [0, min(A, B)] where both sides report.
select calendar, month_start, province, flow, hs6, method, estimate_usd, lower_usd, upper_usd, a_usd, b_usd
from marts.bilateral
where lower_usd < -0.005
   or lower_usd > upper_usd + 0.005
   or (estimate_usd is not null and (estimate_usd < lower_usd - 0.005 or estimate_usd > upper_usd + 0.005))
   or (method = 'proportional' and upper_usd > least(a_usd, b_usd) + 0.005)
   or (method = 'one_side' and estimate_usd is not null)
   or method not in ('proportional', 'one_side', 'bounds_only', 'direct')
