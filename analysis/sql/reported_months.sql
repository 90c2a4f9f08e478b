-- How many of the selected months each side's customs reported at all (any partner, any product),
-- so the headline's context can say when a side is silent rather than show its silence as $0.
select
    (select count(distinct month_start) from selected.cells($filters)) as months,
    count(distinct month_start) filter (where side = 'province') as province_months,
    count(distinct month_start) filter (where side = 'partner') as partner_months,
    max(month_start) filter (where side = 'partner') as partner_last_month
from selected.reported($filters)
