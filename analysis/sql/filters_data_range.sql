-- First and last day of the whole months with data; the period filter clamps to this range.
-- A source whose periods do not follow Gregorian months (a Jalali month ending on 20 January)
-- would otherwise make a partial month the default end of every view.
with span as (
    select min(period_start) as first_day, max(period_end) as last_day from core.flows
)

select
    case when day(first_day) = 1 then first_day
         else (date_trunc('month', first_day) + interval 1 month)::date end as first_day,
    case when last_day = last_day(last_day) then last_day
         else (date_trunc('month', last_day) - interval 1 day)::date end as last_day
from span
