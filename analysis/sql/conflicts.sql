-- Input figures that contradict other inputs (marts.bilateral_conflicts), each naming its file, row
-- and the numbers: a direct figure above what both sides allow, a published total below its products.
select kind, file, row, period, province, flow, hs6, figure_usd, limit_usd, message
from marts.bilateral_conflicts
order by kind, file, row
